"""The question bank against a seeded two-year history, for the rule coach and for the LLM coach
(the real ``openai`` client against the fake OpenAI-compatible server, which calls the
coach_data tool with the question's slots and answers with what the tool returned). Each answer
must quote every expected fact, computed from the history's rows; the share answered right is
printed and must stay at the bar."""

from __future__ import annotations

import json

import pytest

from coaching.llm import LLMCoach, make_client
from coaching.rules import RuleCoach
from coaching.tests.bank import bank
from coaching.tests.facts import Facts
from coaching.tests.helpers import content, tool_calls, tool_results
from coaching.tests.history import NOW, build_lee
from coaching.understanding import understand
from workouts.selectors import catalog_items

pytestmark = pytest.mark.django_db
BAR = 0.95  # the share of the bank a coach must answer right


def _facts(history) -> Facts:
    return Facts(history, muscles={e["slug"]: e["muscles"] for e in catalog_items()})


def _check(facts: Facts, q, answer: str) -> str | None:
    """Why ``answer`` is wrong (None: right)."""
    facts.asked = q.text
    expected = q.expect(facts)
    missing = [x for x in expected if x.lower() not in answer.lower()]
    wrong = [x for x in q.forbid if x.lower() in answer.lower()]
    if missing or wrong:
        return f"{q.text!r}: missing {missing}, should not say {wrong}: {answer}"
    return None


def _score(label: str, results: list[str | None]) -> float:
    right = sum(r is None for r in results)
    share = right / len(results)
    print(f"\n{label}: {right}/{len(results)} answered right ({share:.0%})")
    for r in results:
        if r:
            print("  ", r)
    return share


def test_the_bank_has_enough_questions():
    assert len(bank()) >= 150
    assert len({q.text for q in bank()}) == len(bank())


def test_rule_coach_answers_the_bank():
    history = build_lee()
    facts = _facts(history)
    coach = RuleCoach(user=history.user, now=NOW)
    results = [_check(facts, q, coach.answer(q.text).text) for q in bank()]
    assert _score("rule coach", results) >= BAR, [r for r in results if r]


def _arguments(question: str, user) -> dict:
    """What a model would pass to coach_data for the question: its slots (dates as ISO days)."""
    from datetime import timedelta

    asked = understand(question, user=user, now=NOW)
    args: dict = {"what": asked.what}
    if asked.what == "verdict":
        args["what"] = "muscle_sets"
    names = [r.candidate.name for r in asked.lifts]
    args.update({k: v for k, v in zip(("lift", "lift_b"), names, strict=False)})
    if asked.group:
        args["muscle"] = asked.group
    for prefix, window in (("", asked.window), ("compare_", asked.compare)):
        if window is not None:
            if window.start is not None:
                args[f"{prefix}start"] = window.start.isoformat()
            args[f"{prefix}end"] = (window.end - timedelta(days=1)).isoformat()
    if asked.unit != user.weight_unit:
        args["unit"] = asked.unit
    if asked.load is not None:
        args["weight"] = asked.load[0]
        args["unit"] = asked.load[1] or asked.unit
    return args


def _answer_with_the_tool_result(request: dict) -> dict:
    return content(tool_results(request)[-1].get("answer", "no answer"))


def test_llm_coach_answers_the_bank_with_the_same_numbers(fake_llm):
    history = build_lee("lee-llm")
    facts = _facts(history)
    results = []
    questions = [q for q in bank() if q.llm]
    client = make_client()  # one connection pool for the bank (a page makes one per question)
    for q in questions:
        args = _arguments(q.text, history.user)
        fake_llm.steps = [tool_calls(("coach_data", args)), _answer_with_the_tool_result]
        coach = LLMCoach(user=history.user, facts=[], history=[], now=NOW, client=client)
        answer = "".join(coach.stream(q.text))
        assert coach.tools_used == ["coach_data"], q.text
        results.append(_check(facts, q, answer))
    client.close()
    sent = [json.loads(m["function"]["arguments"]) for r in fake_llm.requests for m in
            (r["messages"][-1].get("tool_calls") or [])]
    assert all("user" not in a for a in sent)
    assert _score("LLM coach", results) >= BAR, [r for r in results if r]
