"""The rule-based coach: answers common questions from the lifter's own numbers, deterministically.

It needs no configuration and is always available, so it is the default, the fallback when the
LLM fails, and the answer when the LLM quota or rate limit is spent. A question is matched to a
topic by keywords (``topics``); ``HANDLERS`` names the function answering each topic, which
reads a few selectors (coaching.selectors) and says what it found, numbers included. Wording
and thresholds follow the lifter's persona.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from coaching.persona import Persona, persona_of
from coaching.rules.body import body_answer
from coaching.rules.deload import deload_answer
from coaching.rules.exercise import exercise_topic
from coaching.rules.summary import goals_answer, injury_answer, program_answer, records_answer, workouts_answer
from coaching.rules.topics import topic_of
from coaching.rules.volume import volume_answer

CAPABILITIES = (
    "I can answer from your own logs: how an exercise is progressing (e.g. “How is my bench press progressing?”), "
    "which muscles are under- or over-trained this week, whether you should deload, how your bodyweight and body fat "
    "changed, your personal records, your goals, your recent workouts and your current program. "
    "Tell me things to keep in mind with “remember: …”."
)
INJURY_WORDS = ("hurt", "pain", "injur", "sore", "strain", "tweak", "ache")

# Topic → the function answering it (coach, question) → text, or None when it has nothing to say.
HANDLERS: dict[str, Callable[[RuleCoach, str], str | None]] = {
    "deload": deload_answer,
    "injury": injury_answer,
    "body": body_answer,
    "volume": volume_answer,
    "records": records_answer,
    "goals": goals_answer,
    "program": program_answer,
    "workouts": workouts_answer,
    "exercise": exercise_topic,
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

    def answer(self, question: str) -> Answer:
        topic = topic_of(question)
        text = HANDLERS[topic](self, question)
        if text is None:
            return Answer(
                self._with_facts(f"I can't answer that one from your data. {CAPABILITIES}", question), "unknown"
            )
        # "Nice work keeping track! Sorry to hear that…": no cheering around someone's pain.
        wrapped = text if topic == "injury" else self.persona.wrap(text)
        return Answer(self._with_facts(wrapped, question), topic)

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
