"""Personas: the lifter's chosen tone and aggressiveness (User.coach_tone, coach_aggressiveness).

The rule-based coach takes its wording and thresholds from here; the LLM coach gets the same
choices as a sentence in its system prompt, so both providers honour one setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workouts.progress.verdict import minimum_sets


@dataclass(frozen=True)
class Persona:
    tone: str  # encouraging | neutral | drill_sergeant
    aggressiveness: str  # conservative | standard | aggressive

    # --- wording ---------------------------------------------------------------------------

    def colour(self, body: str) -> str:
        """The answer first, always; the tone adds at most a few words where they fit: praise
        after progress (encouraging), a push after advice to act (drill sergeant). No padding
        around every answer, and nothing cheerful after bad news."""
        if self.tone == "encouraging" and re.search(r": up \d|, up \d|\bNew records\b", body):
            return f"{body} Good work."
        if self.tone == "drill_sergeant" and re.search(r"\bYes, plan a deload|\bAdd about\b|\bNeglected\b", body):
            return f"{body} No excuses."
        return body

    def wrap(self, body: str) -> str:
        """Kept for the weekly report's narrative: the same colouring."""
        return self.colour(body)

    # --- thresholds --------------------------------------------------------------------------

    def minimum_sets(self, band) -> float:
        """The weekly sets a muscle should reach (the shared rule in ``workouts.progress.verdict``)."""
        return minimum_sets(band, self.aggressiveness)

    @property
    def set_step(self) -> int:
        """Sets to add per week to a muscle that is short."""
        return {"conservative": 1, "aggressive": 3}.get(self.aggressiveness, 2)

    @property
    def deload_after_weeks(self) -> int:
        """Weeks of training in a row after which a deload is due."""
        return {"conservative": 4, "aggressive": 8}.get(self.aggressiveness, 6)

    # --- the LLM's system prompt -----------------------------------------------------------------

    def prompt(self) -> str:
        tone = {
            "encouraging": "Be warm and encouraging.",
            "neutral": "Be neutral and matter-of-fact.",
            "drill_sergeant": "Talk like a blunt drill sergeant: short, demanding, never insulting.",
        }.get(self.tone, "Be neutral and matter-of-fact.")
        risk = {
            "conservative": (
                "Recommend conservative progressions: small increases, early deloads (after about 4 hard weeks)."
            ),
            "standard": "Recommend standard progressions: deload after about 6 hard weeks.",
            "aggressive": (
                "Recommend aggressive progressions: push volume toward the top of the adaptive range, "
                "deload after about 8 hard weeks."
            ),
        }.get(self.aggressiveness, "")
        return f"{tone} {risk}"


def persona_of(user) -> Persona:
    return Persona(
        tone=getattr(user, "coach_tone", "neutral") or "neutral",
        aggressiveness=getattr(user, "coach_aggressiveness", "standard") or "standard",
    )
