"""The rule-based coach (see ``coach``): one module per topic, dispatched by ``coach.HANDLERS``."""

from coaching.rules.coach import CAPABILITIES, HANDLERS, Answer, RuleCoach
from coaching.rules.topics import topic_of

__all__ = ["CAPABILITIES", "HANDLERS", "Answer", "RuleCoach", "topic_of"]
