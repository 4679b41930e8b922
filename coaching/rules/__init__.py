"""The rule-based coach (see ``coach``): questions understood into slots, answered by the
function ``coach.ANSWERS`` names for each kind of question."""

from coaching.rules.coach import ANSWERS, CAPABILITIES, Answer, RuleCoach

__all__ = ["ANSWERS", "CAPABILITIES", "Answer", "RuleCoach"]
