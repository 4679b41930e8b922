"""The rule-based coach: answers common questions from the lifter's own numbers, deterministically.

It needs no configuration and is always available, so it is the default, the fallback when the
LLM fails, and the answer when the LLM quota or rate limit is spent. A question is first
understood (``coaching.understanding``: what is asked, which lift or muscle, which dates, which
unit, compared with what); ``ANSWERS`` names the function answering each kind of question,
which reads selectors over that slice and says what it found, numbers and dates included. The
persona colours the wording and sets the thresholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from coaching.answers.body import body_answer
from coaching.answers.deload import deload_answer
from coaching.answers.lifts import best_set_answer, e1rm_answer, heaviest_answer, reps_at_answer
from coaching.answers.muscles import muscle_sets_answer, neglect_answer
from coaching.answers.plan import next_target_answer, program_day_answer
from coaching.answers.records import records_answer
from coaching.answers.scope import out_of_scope_answer
from coaching.answers.totals import (
    duration_answer,
    frequency_answer,
    sessions_answer,
    summary_answer,
    volume_answer,
)
from coaching.persona import Persona, persona_of
from coaching.rules.exercise import exercise_topic
from coaching.rules.summary import goals_answer, injury_answer, workouts_answer
from coaching.rules.topics import FOLLOW_UP
from coaching.rules.volume import volume_answer as week_verdict_answer
from coaching.understanding import Asked, candidates, understand

CAPABILITIES = (
    "I can answer from your own logs: a lift's estimated 1RM, heaviest set, best set or reps at a weight over any "
    "dates (“bench since January”, “squat vs deadlift”, “ohp compared with a year ago”), "
    "totals (sessions, volume, "
    "time trained, how often), sets per muscle, neglected muscles, records, bodyweight, body fat and lean mass, "
    "whether to deload, today's workout and the weight to use next time. "
    "Tell me things to keep in mind with “remember: …”."
)
INJURY_WORDS = ("hurt", "pain", "injur", "sore", "strain", "tweak", "ache")
LIFT_WHATS = {"e1rm", "heaviest", "best_set", "reps_at", "next_target", None}


def _injury(coach, asked: Asked) -> str:
    return injury_answer(coach, asked.text)


def _goals(coach, asked: Asked) -> str | None:
    return goals_answer(coach, asked.text)


def _workouts(coach, asked: Asked) -> str | None:
    """A window's totals and workouts; without one, this week's and the latest workouts."""
    if asked.window is not None:
        return summary_answer(coach, asked)
    return workouts_answer(coach, asked.text)


def _verdict(coach, asked: Asked) -> str | None:
    """Under / over this week (the shared verdict); a window other than this week: sets per muscle."""
    if asked.window is not None and asked.window.label != "this week":
        return muscle_sets_answer(coach, asked)
    return week_verdict_answer(coach, asked.text)


def _muscle_sets(coach, asked: Asked) -> str:
    """Sets of a muscle; "how many sets of bench": that lift's sets and sessions."""
    if asked.lift and not asked.muscles:
        return sessions_answer(coach, asked)
    return muscle_sets_answer(coach, asked)


def _volume(coach, asked: Asked) -> str:
    if asked.muscles and not asked.lift:
        return muscle_sets_answer(coach, asked)
    return volume_answer(coach, asked)


def _lift_or_topic(answer):
    """A lift question without a lift the coach knows: the older exercise reading (a lift never
    logged, a follow-up), else nothing."""

    def handler(coach, asked: Asked) -> str | None:
        if asked.lift is None:
            return exercise_topic(coach, asked.text)
        return answer(coach, asked)

    handler.__name__ = answer.__name__
    return handler


# What the question asks → the function answering it: (coach, asked) → text, or None.
ANSWERS = {
    "out_of_scope": out_of_scope_answer,
    "injury": _injury,
    "deload": deload_answer,
    "next_target": next_target_answer,
    "program_day": program_day_answer,
    "neglect": neglect_answer,
    "lean_mass": body_answer,
    "body_fat": body_answer,
    "bodyweight": body_answer,
    "records": records_answer,
    "reps_at": _lift_or_topic(reps_at_answer),
    "heaviest": _lift_or_topic(heaviest_answer),
    "best_set": _lift_or_topic(best_set_answer),
    "frequency": frequency_answer,
    "sessions": sessions_answer,
    "duration": duration_answer,
    "muscle_sets": _muscle_sets,
    "volume": _volume,
    "verdict": _verdict,
    "goals": _goals,
    "workouts": _workouts,
    "e1rm": _lift_or_topic(e1rm_answer),
    None: _lift_or_topic(e1rm_answer),
}

@dataclass(frozen=True)
class Answer:
    text: str
    topic: str


class RuleCoach:
    """Deterministic answers. ``facts``: what the lifter asked the coach to remember;
    ``history``: their earlier questions, oldest first (a follow-up such as “is it still going
    up?” is about the exercise they asked about last)."""

    name = "rules"

    def __init__(
        self, *, user, facts: list[str] | None = None, history: list[str] | None = None, now: datetime | None = None
    ):
        self.user = user
        self.facts = facts or []
        self.history = history or []
        self.now = now or timezone.now()
        self.persona: Persona = persona_of(user)
        self.deloading = False  # the program's deload week (known once a volume question asks)
        self.verdicts: dict[str, tuple[str, float]] = {}  # muscle → (shared verdict, minimum), ditto

    def understood(self, question: str) -> Asked:
        """The question's slots; a follow-up ("is it still going up?") takes the lift asked about last."""
        known = candidates(user=self.user, now=self.now)
        asked = understand(question, user=self.user, now=self.now, known=known)
        if asked.what in LIFT_WHATS and not asked.lifts and re.search(FOLLOW_UP, question.lower()):
            for earlier in reversed(self.history[-3:]):
                before = understand(earlier, user=self.user, now=self.now, known=known)
                if before.lifts:
                    asked.lifts = before.lifts
                    asked.what = asked.what or "e1rm"
                    break
        return asked

    def answer(self, question: str) -> Answer:
        asked = self.understood(question)
        text = ANSWERS[asked.what](self, asked)
        if text is None:
            return Answer(
                self._with_facts(f"I can't answer that one from your data. {CAPABILITIES}", question), "unknown"
            )
        if asked.notes:
            text += " (" + " ".join(asked.notes) + ")"
        # No cheering around someone's pain.
        coloured = text if asked.what == "injury" else self.persona.colour(text)
        return Answer(self._with_facts(coloured, question), asked.what or "exercise")

    def _with_facts(self, text: str, question: str) -> str:
        """Mention what the lifter told the coach when it bears on the answer: an injury always
        (every suggestion should respect it), anything else sharing a word with the question."""
        words = set(question.lower().split())

        def injury(fact: str) -> bool:
            return any(w in fact.lower() for w in INJURY_WORDS)

        relevant = [f for f in self.facts if injury(f) or words & {w for w in f.lower().split() if len(w) > 3}][:3]
        if not relevant:
            return text
        quoted = "; ".join(f"“{f}”" for f in relevant)
        # The advice about pain only when a fact is about pain (not after "I want to bench 100 kg").
        careful = ""
        if any(map(injury, relevant)):
            careful = " Work around the pain, and stop any exercise that makes it worse."
        return f"{text}\n\nYou told me: {quoted}.{careful}"

    # --- topics --------------------------------------------------------------------------------
