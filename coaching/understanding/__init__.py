"""Understanding a question: slots for what is asked, which lift(s) or muscle, which dates,
which unit, and what it is compared with. ``understand`` reads the lifter's exercises and the
catalog (a few queries); the pieces (``windows``, ``lifts``, ``intent``) are pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from coaching.understanding.intent import unit_of_question, weight_of_question, what_of
from coaching.understanding.lifts import Candidate, Resolved, resolve_all
from coaching.understanding.windows import Window, comparison_of, window_of

# What lifters call a muscle group, and the muscles (volume landmarks) it means.
MUSCLE_GROUPS: dict[str, tuple[str, ...]] = {
    "upper back": ("traps-rhomboids", "rear-delts"),
    "back": ("lats", "traps-rhomboids"),
    "lats": ("lats",),
    "traps": ("traps-rhomboids",),
    "chest": ("chest",),
    "pecs": ("chest",),
    "shoulders": ("front-delts", "side-delts", "rear-delts"),
    "delts": ("front-delts", "side-delts", "rear-delts"),
    "side delts": ("side-delts",),
    "rear delts": ("rear-delts",),
    "front delts": ("front-delts",),
    "arms": ("elbow-flexors", "triceps"),
    "biceps": ("elbow-flexors",),
    "bis": ("elbow-flexors",),
    "triceps": ("triceps",),
    "tris": ("triceps",),
    "legs": ("quads", "hamstrings", "glutes", "calves"),
    "quads": ("quads",),
    "hamstrings": ("hamstrings",),
    "hammies": ("hamstrings",),
    "glutes": ("glutes",),
    "calves": ("calves",),
    "abs": ("abs",),
    "core": ("abs",),
    "forearms": ("forearms",),
}
GROUP = re.compile(
    r"\b(" + "|".join(re.escape(g) for g in sorted(MUSCLE_GROUPS, key=len, reverse=True)) + r")\b"
    r"(?!\s*(?:squats?|extensions?|raises?|press|presses|rows?|curls?|fl(?:y|ies)|pulldowns?|dips?|thrusts?"
    r"|pushdowns?|kickbacks?|machine))"
)
BODYWEIGHT = "bodyweight_reps"  # a lift whose load is the lifter's bodyweight plus what they add
NO_LIFT = {"out_of_scope", "injury", "bodyweight", "body_fat", "lean_mass", "goals", "deload", "neglect", "verdict"}


@dataclass
class Asked:
    """The slots of one question."""

    text: str
    what: str | None
    today: date
    unit: str  # the answer's unit: asked for ("in pounds"), else the lifter's
    lifts: list[Resolved] = field(default_factory=list)
    group: str | None = None  # "back", "biceps"
    muscles: tuple[str, ...] = ()
    window: Window | None = None
    compare: Window | None = None
    load: tuple[float, str | None] | None = None  # "how many reps at 100 kg"
    notes: list[str] = field(default_factory=list)

    @property
    def lift(self) -> Resolved | None:
        return self.lifts[0] if self.lifts else None


def candidates(*, user, now: datetime) -> tuple[list[Candidate], list[Candidate]]:
    """The lifter's exercises (most trained first) and the catalog's, as lift candidates."""
    from coaching.selectors.slices import lifter_exercises
    from workouts.selectors import catalog_items

    mine = [
        Candidate(e.exercise_id, e.name, e.aliases, e.muscles, e.sets, e.bodyweight)
        for e in lifter_exercises(user=user, now=now)
    ]
    catalog = [
        Candidate(e["slug"], e["name"], tuple(e["aliases"] or ()), e["muscles"] or {}, 0, e["set_kind"] == BODYWEIGHT)
        for e in catalog_items()
    ]
    return mine, catalog


def understand(question: str, *, user, now: datetime, known=None) -> Asked:
    """The slots of ``question`` for ``user`` at ``now``. ``known``: ``candidates``' answer, when
    the caller has it already."""
    today = timezone.localdate(now)
    what = what_of(question)
    asked = Asked(
        text=question,
        what=what,
        today=today,
        unit=unit_of_question(question) or getattr(user, "weight_unit", "kg") or "kg",
        window=window_of(question, today=today, week_start=getattr(user, "week_start", 0) or 0),
        load=weight_of_question(question) if what == "reps_at" else None,
    )
    compared = re.search(r"\bago\b", question.lower())
    if compared and asked.window is None:
        asked.window = Window(today - timedelta(days=27), today + timedelta(days=1), "the last 4 weeks")
    if compared and asked.window is not None:
        asked.compare = comparison_of(question, asked.window, today=today)
    group = GROUP.search(question.lower())
    lift_text = question
    if group:
        asked.group, asked.muscles = group.group(1), MUSCLE_GROUPS[group.group(1)]
        lift_text = question[: group.start()] + " " + question[group.end() :]
    if what not in NO_LIFT:
        mine, catalog = known or candidates(user=user, now=now)
        asked.lifts = resolve_all(lift_text, mine=mine, catalog=catalog)
        asked.notes += [r.note for r in asked.lifts if r.note]
    if asked.lifts and asked.group and what in ("muscle_sets", "frequency", "volume", "sessions", "duration"):
        asked.lifts = []  # "how many sets for back": the muscle, not a lift that shares a word
    if asked.lifts:
        asked.group, asked.muscles = None, ()
    if asked.what is None and asked.lifts:
        asked.what = "e1rm"
    elif asked.what is None and asked.muscles:
        asked.what = "verdict"  # "did I train legs this week?"
    return asked
