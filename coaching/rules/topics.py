"""Words the older readings share: a follow-up, a progress question, a muscle group."""

from __future__ import annotations

from coaching.understanding import GROUP as GROUP_PATTERN
from coaching.understanding import MUSCLE_GROUPS

# A question with no exercise in it is about the one asked about before only if it refers back
# (“is it still going up?”); “hello” or “am I eating enough?” is not about the last lift.
FOLLOW_UP = r"\b(it|its|it's|that|this one|that one|them|still|same|and now|now)\b"
# "How is my bench?" from a lifter with an empty log: say why there is no answer yet.
PROGRESS_WORDS = r"\b(progress\w*|going|improv\w*|stronger|weaker|e?1rm|stall\w*|how (is|are) my)\b"
GROUP = GROUP_PATTERN.pattern

__all__ = ["FOLLOW_UP", "GROUP", "MUSCLE_GROUPS", "PROGRESS_WORDS"]
