"""The LLM coach's main tool: the rule coach's slots as arguments (what, one or two lifts, a
muscle group, a date range, a comparison range, a unit, a load), answered by the same answer
functions over the same selectors, so both coaches quote the same numbers for one question."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from coaching.understanding import MUSCLE_GROUPS, Asked, candidates
from coaching.understanding.lifts import resolve
from coaching.understanding.windows import Window

WHATS = (
    "e1rm", "heaviest", "best_set", "reps_at", "volume", "muscle_sets", "frequency", "sessions", "duration",
    "records", "bodyweight", "body_fat", "lean_mass", "deload", "program_day", "next_target", "neglect",
)
DATE = {"type": "string", "description": "YYYY-MM-DD"}
SCHEMA = {
    "type": "object",
    "properties": {
        "what": {"type": "string", "enum": list(WHATS)},
        "lift": {"type": "string", "description": "An exercise as the lifter says it: 'bench', 'ohp', 'curls'"},
        "lift_b": {"type": "string", "description": "A second exercise, to compare two lifts"},
        "muscle": {"type": "string", "enum": sorted(MUSCLE_GROUPS)},
        "start": DATE,
        "end": {**DATE, "description": "YYYY-MM-DD, inclusive; default today"},
        "compare_start": DATE,
        "compare_end": DATE,
        "unit": {"type": "string", "enum": ["kg", "lb"]},
        "weight": {"type": "number", "minimum": 0, "description": "The load of a 'reps at a weight' question"},
    },
    "required": ["what"],
    "additionalProperties": False,
}
DESCRIPTION = (
    "Answer a question about the lifter's training or body from their own logs. Give what is asked, the "
    "lift(s) or muscle group, the date range (start/end; omit for the default), a range to compare with, "
    "and a unit. Returns the answer with the numbers and the dates they cover."
)


def _date(args: dict, key: str) -> date | None:
    value = args.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{key} must be a date YYYY-MM-DD") from None


def _window(args: dict, first: str, last: str, today: date) -> Window | None:
    start, end = _date(args, first), _date(args, last)
    if start is None and end is None:
        return None
    end = min(end or today, today)
    if start is not None and start > end:
        raise ValueError(f"{first} is after {last}")
    return Window(start, end + timedelta(days=1), "")


def slots_from_arguments(args: dict[str, Any], *, user, now: datetime) -> Asked:
    """The tool's arguments as the rule coach's slots (ValueError: an argument the model can fix)."""
    from django.utils import timezone

    what = args.get("what")
    if what not in WHATS:
        raise ValueError(f"what must be one of {', '.join(WHATS)}")
    today = timezone.localdate(now)
    unit = args.get("unit") or getattr(user, "weight_unit", "kg") or "kg"
    if unit not in ("kg", "lb"):
        raise ValueError("unit must be kg or lb")
    asked = Asked(text="", what=what, today=today, unit=unit)
    asked.window = _window(args, "start", "end", today)
    asked.compare = _window(args, "compare_start", "compare_end", today)
    muscle = args.get("muscle")
    if muscle is not None:
        if muscle not in MUSCLE_GROUPS:
            raise ValueError("unknown muscle group")
        asked.group, asked.muscles = muscle, MUSCLE_GROUPS[muscle]
    if "weight" in args:
        if not isinstance(args["weight"], (int, float)) or isinstance(args["weight"], bool):
            raise ValueError("weight must be a number")
        asked.load = (float(args["weight"]), unit)
    named = [args[k] for k in ("lift", "lift_b") if args.get(k) is not None]
    if named:
        mine, catalog = candidates(user=user, now=now)
        for text in named:
            if not isinstance(text, str) or not text.strip():
                raise ValueError("lift must be a non-empty string")
            found = resolve(text[:200], mine=mine, catalog=catalog)
            if found is None:
                raise ValueError(f"No exercise matches {text[:80]!r}; known: {', '.join(c.name for c in mine[:15])}")
            asked.lifts.append(found)
            asked.notes += [found.note] if found.note else []
    return asked


def coach_data(user, args: dict, now: datetime) -> dict:
    """The tool: the slots answered by the rule coach's answer function for ``what``."""
    from coaching.rules.coach import ANSWERS, RuleCoach

    asked = slots_from_arguments(args, user=user, now=now)
    coach = RuleCoach(user=user, now=now)
    text = ANSWERS[asked.what](coach, asked)
    return {
        "answer": text or "No data for that.",
        "understood": {
            "what": asked.what,
            "lifts": [r.candidate.name for r in asked.lifts],
            "muscles": list(asked.muscles),
            "unit": asked.unit,
            "notes": asked.notes,
        },
    }
