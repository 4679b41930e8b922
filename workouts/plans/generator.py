"""The program generator: a pure function from the lifter's inputs and the catalog to a
mesocycle. No Django here (the caller passes catalog rows and landmarks as plain data), so
it is property-tested (workouts/tests/plans/test_generator.py) on many inputs.

How it builds a plan, and the guarantees the tests check:

* **Split** from days per week (or the one asked for): full body, upper/lower or
  push/pull/legs. Each day has a *main pattern* (its first lift); the day order is chosen
  so consecutive training days — the last day of the week and the first of the next
  included — never share a main pattern.
* **Volume band** per muscle from the goal mix (the ten-dollar method: weights summing to
  10): each goal names a band between two of the muscle's landmarks (hypertrophy MEV–MAV
  high, strength MEV–MAV low, …); the mix is the weighted average of the bands' ends.
* **Sets** are added one at a time — main lifts first, round-robin over the days, then the
  muscle furthest below its aim — and only when the set keeps every muscle under its cap
  (the band's top for the muscles the plan aims at, MRV for the rest), keeps the session
  within its length (sets × (work + rest) + warm-up) and keeps the exercise under the
  per-session set limit for the lifter's experience. A muscle the plan aims at ends inside
  its band, or is reported (with the reason) as below it.
* Fill-ups respect the day's theme: an exercise mainly for chest, back, quads, hamstrings or
  glutes goes only on a day of that region (never a pullover on a lower day), nor does a
  compound of another group (no press on a lower day); delts, arms, calves and abs may be
  filled in anywhere. A muscle that misses its band for that reason is named in the rationale.
* No exercise twice in a session; weekly sets count fractional contributions (a row is
  1.0 upper back and 0.75 lats), as the volume page does.
* Deterministic: no randomness, every choice breaks ties by a fixed order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from workouts.progress.verdict import PRIORITY

GOALS = {
    "strength": "Strength",
    "hypertrophy": "Hypertrophy",
    "endurance": "Muscular endurance",
    "fat_loss": "Fat loss",
    "general": "General fitness",
}
# Each goal's band: between these two landmarks (MV, MEV, MAV low/high, MRV).
GOAL_BANDS = {
    "strength": ("mev", "mav_low"),
    "hypertrophy": ("mev", "mav_high"),
    "endurance": ("mev", "mav_high"),
    "fat_loss": ("mv", "mav_low"),
    "general": ("mv", "mav_low"),
}
# Rep ranges (compound, isolation) and rest seconds (compound, isolation) per goal.
GOAL_REPS = {
    "strength": ((3, 6), (8, 12)),
    "hypertrophy": ((6, 10), (10, 15)),
    "endurance": ((15, 20), (15, 25)),
    "fat_loss": ((10, 15), (12, 20)),
    "general": ((8, 12), (10, 15)),
}
GOAL_REST = {
    "strength": (180, 120),
    "hypertrophy": (120, 75),
    "endurance": (60, 45),
    "fat_loss": (60, 45),
    "general": (90, 60),
}
SPLITS = {"full_body": "Full body", "upper_lower": "Upper/lower", "push_pull_legs": "Push/pull/legs"}
EXPERIENCE_MAX_SETS = {"beginner": 3, "intermediate": 4, "advanced": 5}
# How far into the band the plan aims (0 = its bottom): more for the more experienced.
EXPERIENCE_AIM = {"beginner": 0.0, "intermediate": 0.2, "advanced": 0.35}
EXPERIENCE_WEEKS = {"beginner": 4, "intermediate": 5, "advanced": 6}
WORK_S = 45  # seconds under the bar per set, setup included
WARMUP_S = 300  # general warm-up per session
EQUIPMENT_ORDER = ("barbell", "dumbbell", "machine", "cable", "kettlebell", "bodyweight", "band", "other")
STRENGTH_ORDER = ("barbell", "dumbbell", "machine", "kettlebell", "cable", "bodyweight", "band", "other")
LOADABLE = ("weight_reps", "bodyweight_reps")
# Jumps and Olympic-style pulls are power work, not sets taken close to failure in a rep range:
# never in a generated plan. Movements that need years of practice are left out for a beginner.
BALLISTIC = frozenset(
    {"box-jump", "jump-squat", "kettlebell-swing", "kettlebell-snatch", "kettlebell-clean", "power-clean"}
)
ADVANCED_SKILL = frozenset({"glute-ham-raise", "nordic-hamstring-curl", "pistol-squat", "handstand-push-up"})
# The lifts a coach reaches for first in each pattern (a lifter expects a bench press, a row and
# a lat pulldown, not a decline press, a good morning and a machine high row): preferred as main
# and further lifts over the rest of the catalog, the equipment order deciding among them.
STAPLES = frozenset(
    {
        "barbell-back-squat",
        "barbell-front-squat",
        "dumbbell-goblet-squat",
        "kettlebell-goblet-squat",
        "leg-press",
        "hack-squat",
        "bodyweight-squat",
        "romanian-deadlift",
        "conventional-deadlift",
        "dumbbell-romanian-deadlift",
        "trap-bar-deadlift",
        "kettlebell-deadlift",
        "back-extension",
        "barbell-bench-press",
        "barbell-incline-bench-press",
        "dumbbell-bench-press",
        "incline-dumbbell-press",
        "machine-chest-press",
        "push-up",
        "barbell-overhead-press",
        "dumbbell-shoulder-press",
        "machine-shoulder-press",
        "kettlebell-press",
        "pike-push-up",
        "barbell-row",
        "dumbbell-row",
        "dumbbell-chest-supported-row",
        "seated-cable-row",
        "machine-row",
        "inverted-row",
        "lat-pulldown",
        "pull-up",
        "chin-up",
        "neutral-grip-pull-up",
        "dumbbell-walking-lunge",
        "dumbbell-bulgarian-split-squat",
        "barbell-reverse-lunge",
        "dumbbell-step-up",
    }
)
TRAINING_PATTERNS = (
    "squat",
    "hinge",
    "lunge",
    "horizontal_push",
    "vertical_push",
    "horizontal_pull",
    "vertical_pull",
    "isolation",
    "core",
)
EPS = 1e-6
WEEKDAYS = {2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 4, 5), 6: (0, 1, 2, 3, 4, 5)}

# Day kinds: (name, main pattern, further patterns).
FULL_BODY_MAINS = ("squat", "horizontal_push", "hinge", "vertical_pull", "lunge", "vertical_push")
UPPER_LOWER = (
    ("Upper A", "horizontal_push", ("horizontal_pull", "vertical_push", "vertical_pull")),
    ("Lower A", "squat", ("hinge",)),
    ("Upper B", "vertical_pull", ("horizontal_push", "horizontal_pull", "vertical_push")),
    ("Lower B", "hinge", ("lunge",)),
)
PPL = {
    "push": ("Push", "horizontal_push", ("vertical_push",)),
    "pull": ("Pull", "vertical_pull", ("horizontal_pull",)),
    "legs": ("Legs", "squat", ("hinge",)),
    "push2": ("Push B", "vertical_push", ("horizontal_push",)),
    "pull2": ("Pull B", "horizontal_pull", ("vertical_pull",)),
    "legs2": ("Legs B", "hinge", ("lunge",)),
    "upper": ("Upper", "horizontal_pull", ("vertical_push", "horizontal_push")),
    "lower": ("Lower", "hinge", ("lunge",)),
}
PPL_ORDER = {
    3: ("push", "pull", "legs"),
    4: ("push", "pull", "legs", "upper"),
    5: ("push", "pull", "legs", "upper", "lower"),
    6: ("push", "pull", "legs", "push2", "pull2", "legs2"),
}
SPLIT_DAYS = {"full_body": range(2, 7), "upper_lower": range(2, 5), "push_pull_legs": range(3, 7)}
GROUPS = {
    "squat": "lower",
    "hinge": "lower",
    "lunge": "lower",
    "horizontal_push": "push",
    "vertical_push": "push",
    "horizontal_pull": "pull",
    "vertical_pull": "pull",
}


# The muscle an exercise of each pattern should mainly train (an upright row is a "vertical
# pull" in the catalog, but the vertical-pull slot wants the lats).
PATTERN_MUSCLE = {
    "squat": "quads",
    "lunge": "quads",
    "hinge": "hamstrings",
    "horizontal_push": "chest",
    "vertical_push": "front-delts",
    "horizontal_pull": "traps-rhomboids",
    "vertical_pull": "lats",
}
LOWER_MUSCLES = frozenset({"quads", "hamstrings", "glutes", "calves", "adductors", "abductors", "abs", "obliques"})
PUSH_MUSCLES = frozenset({"chest", "front-delts", "side-delts", "triceps", "abs"})
PULL_MUSCLES = frozenset({"lats", "traps-rhomboids", "rear-delts", "elbow-flexors", "forearms", "abs"})
# The muscles that tell a day of each movement group (whether a day's region takes the group).
GROUP_MUSCLES = {"lower": ("quads", "hamstrings"), "push": ("chest",), "pull": ("lats", "traps-rhomboids")}
DAY_REGIONS = {
    "Push": PUSH_MUSCLES,
    "Push B": PUSH_MUSCLES,
    "Pull": PULL_MUSCLES,
    "Pull B": PULL_MUSCLES,
    "Legs": LOWER_MUSCLES,
    "Legs B": LOWER_MUSCLES,
    "Lower": LOWER_MUSCLES,
    "Lower A": LOWER_MUSCLES,
    "Lower B": LOWER_MUSCLES,
}


# A fill-up exercise that mainly trains one of these goes only on a day whose region has it (a
# serious lifter expects a lower day to train legs: no pullover or row as filler there); the
# small muscles (delts, arms, calves, abs) may be filled in on any day, as coaches often do.
BIG_MUSCLES = frozenset({"chest", "lats", "traps-rhomboids", "quads", "hamstrings", "glutes"})


def main_muscles(muscles: Mapping[str, float]) -> set[str]:
    """The muscles an exercise trains most (its largest contribution; several when tied)."""
    top = max(muscles.values(), default=0)
    return {m for m, c in muscles.items() if c >= top - EPS}


def fits_region(name: str, muscles: Mapping[str, float], pattern: str | None = None) -> bool:
    """Whether a fill-up exercise training ``muscles`` suits a day called ``name``: its main
    muscles belong to the day, and a compound movement of another group does not come along
    as filler (a close-grip bench press, mainly triceps, is still a press: not on a lower day)."""
    region = day_region(name)
    if region is None:
        return True
    if pattern in GROUPS and not any(GROUPS[pattern] == g and m in region for g, ms in GROUP_MUSCLES.items() for m in ms):
        return False
    return all(m in region or m not in BIG_MUSCLES for m in main_muscles(muscles))


def day_region(name: str) -> frozenset[str] | None:
    """The muscles a day of this name is for (None: any muscle, as on full-body days)."""
    if name.startswith("Full body"):
        return None
    if name in DAY_REGIONS:
        return DAY_REGIONS[name]
    return (PUSH_MUSCLES | PULL_MUSCLES) - {"abs"}  # upper days


class GeneratorError(ValueError):
    """Inputs the generator cannot work with (the form shows the message)."""


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    cap: float  # what the plan never exceeds: the band's top, or MRV for muscles it does not aim at
    aim: float


@dataclass(frozen=True)
class Inputs:
    days_per_week: int
    session_minutes: int
    goals: Mapping[str, int]  # up to three goals, whole weights summing to 10
    equipment: tuple[str, ...] = ()  # empty: everything
    experience: str = "intermediate"
    split: str = "auto"
    weeks: int | None = None  # weeks of accumulation (4–6); by experience when None


@dataclass
class PlannedExercise:
    exercise_id: str
    name: str
    pattern: str
    mechanics: str
    muscles: dict
    sets: int
    rep_min: int
    rep_max: int
    rir: int
    rest_s: int

    def seconds(self, sets: int | None = None) -> int:
        return (self.sets if sets is None else sets) * (WORK_S + self.rest_s)

    def as_target(self) -> dict:
        return {
            "exercise_id": self.exercise_id,
            "sets": self.sets,
            "rep_min": self.rep_min,
            "rep_max": self.rep_max,
            "rpe": None,
            "rir": self.rir,
            "rest_s": self.rest_s,
        }


@dataclass
class PlannedDay:
    name: str
    main_pattern: str
    weekday: int | None
    exercises: list[PlannedExercise] = field(default_factory=list)

    @property
    def seconds(self) -> int:
        return WARMUP_S + sum(e.seconds() for e in self.exercises)

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)


@dataclass
class Plan:
    name: str
    split: str
    days: list[PlannedDay]
    weeks: int
    deload_every: int
    bands: dict[str, Band]
    weekly_sets: dict[str, float]
    aimed: list[str]  # muscles inside their band
    below: list[str]  # muscles the plan aims at but could not fill
    rep_ranges: tuple[tuple[int, int], tuple[int, int]]
    rir_by_week: list[int]
    rationale: list[str]
    limits: dict[str, str] = field(default_factory=dict)  # muscle below its band: what stopped it
    notes: list[str] = field(default_factory=list)  # what the equipment changed in the split

    def program_payload(self, *, program_id: str) -> dict:
        """A ``ProgramSaved`` payload for this plan (API.md extension)."""
        return {
            "program_id": program_id,
            "name": self.name,
            "split": self.split,
            "schedule": {"kind": "weekdays", "weekdays": [d.weekday for d in self.days]},
            "weeks": self.weeks,
            "deload_every": self.deload_every,
            "progression": "double",
            "days": [{"name": d.name, "exercises": [e.as_target() for e in d.exercises]} for d in self.days],
            "rationale": self.rationale[:40],
        }


def validate_goals(goals: Mapping[str, int]) -> list[str]:
    """Ten-dollar method: one to three known goals, whole positive weights summing to 10."""
    errors = []
    if not 1 <= len(goals) <= 3:
        errors.append("Choose one to three goals.")
    unknown = sorted(set(goals) - set(GOALS))
    if unknown:
        errors.append(f"Unknown goal: {', '.join(unknown)}.")
    if any(not isinstance(w, int) or isinstance(w, bool) or w <= 0 for w in goals.values()):
        errors.append("Each goal's weight must be a whole number of dollars, at least 1.")
    elif sum(goals.values()) != 10:
        errors.append(f"The goal weights must add up to $10 (they add up to ${sum(goals.values())}).")
    return errors


def goal_band(goals: Mapping[str, int], landmark: Mapping[str, float]) -> tuple[float, float]:
    """The weighted band of the goal mix for one muscle's landmarks."""
    total = sum(goals.values())
    low = sum(w * landmark[GOAL_BANDS[g][0]] for g, w in goals.items()) / total
    high = sum(w * landmark[GOAL_BANDS[g][1]] for g, w in goals.items()) / total
    return round(low, 2), round(max(low, high), 2)


def _weighted(goals: Mapping[str, int], value) -> float:
    """The goal mix's weighted average of ``value(goal)``."""
    return sum(w * value(g) for g, w in goals.items()) / sum(goals.values())


def rep_ranges(goals: Mapping[str, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(compound, isolation) rep ranges of the goal mix."""
    return tuple(
        (
            round(_weighted(goals, lambda g, k=kind: GOAL_REPS[g][k][0])),
            round(_weighted(goals, lambda g, k=kind: GOAL_REPS[g][k][1])),
        )
        for kind in (0, 1)
    )


def _rest(goals: Mapping[str, int]) -> tuple[int, int]:
    """(compound, isolation) rest seconds of the goal mix, to the nearest 15 s."""
    return tuple(int(round(_weighted(goals, lambda g, k=kind: GOAL_REST[g][k]) / 15) * 15) for kind in (0, 1))


def choose_split(days: int, split: str) -> str:
    if split == "auto":
        return "full_body" if days <= 3 else "upper_lower" if days == 4 else "push_pull_legs"
    if split not in SPLIT_DAYS:
        raise GeneratorError(f"Unknown split: {split}.")
    if days not in SPLIT_DAYS[split]:
        span = SPLIT_DAYS[split]
        raise GeneratorError(f"{SPLITS[split]} runs on {span.start}–{span.stop - 1} days a week, not {days}.")
    return split


def day_kinds(split: str, days: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """The week's days: (name, main pattern, further patterns), in training order."""
    if split == "full_body":
        out = []
        for i in range(days):
            main = FULL_BODY_MAINS[i]
            picks = {
                "lower": ("squat", "hinge")[i % 2],
                "push": ("horizontal_push", "vertical_push")[i % 2],
                "pull": ("vertical_pull", "horizontal_pull")[i % 2],
            }
            picks[GROUPS[main]] = main
            rest = tuple(p for p in (picks["lower"], picks["push"], picks["pull"]) if p != main)
            out.append((f"Full body {'ABCDEF'[i]}", main, rest))
        return out
    if split == "upper_lower":
        return list(UPPER_LOWER[:days])
    return [PPL[key] for key in PPL_ORDER[days]]


def _usable(catalog: Iterable[Mapping], equipment: tuple[str, ...], experience: str = "intermediate") -> list[Mapping]:
    allowed = set(equipment)
    left_out = BALLISTIC | (ADVANCED_SKILL if experience == "beginner" else frozenset())
    return sorted(
        (
            e
            for e in catalog
            if e.get("set_kind", "weight_reps") in LOADABLE
            and e.get("pattern") in TRAINING_PATTERNS
            and e.get("muscles")
            and e["slug"] not in left_out
            and (not allowed or e.get("equipment") in allowed)
        ),
        key=lambda e: e["slug"],
    )


def _preference(goals: Mapping[str, int]):
    order = STRENGTH_ORDER if goals.get("strength", 0) >= 5 else EQUIPMENT_ORDER
    rank = {name: i for i, name in enumerate(order)}
    return lambda e: rank.get(e.get("equipment"), len(order))


def generate(inputs: Inputs, *, catalog: Iterable[Mapping], landmarks: Mapping[str, Mapping[str, float]]) -> Plan:
    """Build the plan. ``catalog``: exercises as dicts (slug, name, equipment, mechanics,
    pattern, set_kind, muscles); ``landmarks``: {muscle: {mv, mev, mav_low, mav_high, mrv}}."""
    errors = validate_goals(inputs.goals)
    if errors:
        raise GeneratorError(" ".join(errors))
    if not 2 <= inputs.days_per_week <= 6:
        raise GeneratorError("Train two to six days a week.")
    if not 30 <= inputs.session_minutes <= 180:
        raise GeneratorError("Sessions must last 30 to 180 minutes.")
    if inputs.experience not in EXPERIENCE_MAX_SETS:
        raise GeneratorError(f"Unknown experience level: {inputs.experience}.")
    weeks = inputs.weeks or EXPERIENCE_WEEKS[inputs.experience]
    if not 4 <= weeks <= 6:
        raise GeneratorError("A mesocycle lasts four to six weeks before its deload.")
    goals = dict(sorted(inputs.goals.items()))
    split = choose_split(inputs.days_per_week, inputs.split)
    pool = _usable(catalog, tuple(inputs.equipment), inputs.experience)
    if not pool:
        raise GeneratorError("No exercise in the catalog fits that equipment.")
    prefer = _preference(goals)
    c_reps, i_reps = rep_ranges(goals)
    c_rest, i_rest = _rest(goals)
    max_sets = EXPERIENCE_MAX_SETS[inputs.experience]
    budget = inputs.session_minutes * 60

    bands: dict[str, Band] = {}
    default = {"mv": 0, "mev": 10, "mav_low": 10, "mav_high": 20, "mrv": 20}
    muscles = sorted({m for e in pool for m in e["muscles"]} | set(landmarks))
    for m in muscles:
        lm = landmarks.get(m) or default
        low, high = goal_band(goals, lm)
        aimed = m in PRIORITY and low > 0
        aim = low + (high - low) * EXPERIENCE_AIM[inputs.experience]
        bands[m] = Band(low=low, high=high, cap=high if aimed else max(high, float(lm["mrv"])), aim=round(aim, 2))
    volume = {m: 0.0 for m in muscles}

    def planned(e: Mapping) -> PlannedExercise:
        compound = e.get("mechanics") == "compound"
        reps = c_reps if compound else i_reps
        return PlannedExercise(
            exercise_id=e["slug"],
            name=e["name"],
            pattern=e["pattern"],
            mechanics=e.get("mechanics", "isolation"),
            muscles=dict(e["muscles"]),
            sets=0,
            rep_min=reps[0],
            rep_max=reps[1],
            rir=2,
            rest_s=c_rest if compound else i_rest,
        )

    def pick(pattern: str, taken: set[str], week_used: set[str], *, compound: bool) -> Mapping | None:
        options = [
            e
            for e in pool
            if e["pattern"] == pattern and e["slug"] not in taken and (not compound or e.get("mechanics") == "compound")
        ]
        if not options:
            return None
        key_muscle = PATTERN_MUSCLE.get(pattern)
        return min(
            options,
            key=lambda e: (
                e["muscles"].get(key_muscle, 0) < 1,
                e["slug"] in week_used,
                e["slug"] not in STAPLES,
                prefer(e),
                e["slug"],
            ),
        )

    # An upright row is a "vertical pull" in the catalog but trains the side delts: without a
    # lat pulldown or pull-up in the equipment (barbell and dumbbells), a day that would open with
    # a vertical pull opens with a row, the other vertical-pull slots become a row unless the day
    # has one already, and the lats get their sets from rows and pullovers in the fill-up below.
    notes: list[str] = []
    lat_pull = any(
        e["pattern"] == "vertical_pull" and e.get("mechanics") == "compound" and e["muscles"].get("lats", 0) >= 1
        for e in pool
    )
    if not lat_pull:
        upright = ", not an upright row" if any(e["pattern"] == "vertical_pull" for e in pool) else ""
        notes.append(
            "No lat pulldown or pull-up fits your equipment (a pull-up bar or a cable station would add one): "
            f"a row takes the vertical pull's place and the lats get rows and pullovers{upright}."
        )
    weekdays = WEEKDAYS[inputs.days_per_week]
    days: list[PlannedDay] = []
    week_used: set[str] = set()
    for index, (name, main, others) in enumerate(day_kinds(split, inputs.days_per_week)):
        if not lat_pull:
            patterns = [("horizontal_pull" if p == "vertical_pull" else p) for p in (main, *others)]
            main, others = patterns[0], tuple(dict.fromkeys(p for p in patterns[1:] if p != patterns[0]))
        day = PlannedDay(name=name, main_pattern=main, weekday=weekdays[index])
        taken: set[str] = set()
        for position, pattern in enumerate((main, *others)):
            chosen = pick(pattern, taken, week_used, compound=True)
            if chosen is None and position == 0:
                raise GeneratorError(
                    f"No {pattern.replace('_', ' ')} exercise fits that equipment: add equipment or choose another split."
                )
            if chosen is None:
                continue
            taken.add(chosen["slug"])
            week_used.add(chosen["slug"])
            day.exercises.append(planned(chosen))
        days.append(day)

    def fits(day: PlannedDay, exercise: PlannedExercise) -> bool:
        if exercise.sets + 1 > max_sets or day.seconds + WORK_S + exercise.rest_s > budget:
            return False
        return all(volume[m] + c <= bands[m].cap + EPS for m, c in exercise.muscles.items() if m in bands)

    def add_set(exercise: PlannedExercise) -> None:
        exercise.sets += 1
        for m, c in exercise.muscles.items():
            if m in volume:
                volume[m] += c

    # Main lifts first, then the other lifts, round-robin over the days: a set at a time.
    for rounds, positions in ((3, slice(0, 1)), (2, slice(1, None))):
        for _ in range(rounds):
            for day in days:
                for exercise in day.exercises[positions]:
                    if fits(day, exercise):
                        add_set(exercise)
    for day in days:
        if not day.exercises or day.exercises[0].sets == 0:
            raise GeneratorError(f"{day.name}: the session is too short for its main lift; allow more minutes.")
        day.exercises = [e for e in day.exercises if e.sets > 0]

    # Then the muscle furthest below its aim, until every aimed muscle is there or cannot get more.
    stuck: set[str] = set()
    limits: dict[str, str] = {}  # why a muscle stayed below its band: equipment, time or band
    for _ in range(1000):
        short = [
            (-(bands[m].aim - volume[m]) / max(bands[m].aim, 1), m)
            for m in PRIORITY
            if m in bands and bands[m].low > 0 and m not in stuck and volume[m] < bands[m].aim - EPS
        ]
        if not short:
            break
        # On a split with region days, the big muscles first: their fill-ups only go on days of
        # their region, so they claim that time before delts and arms, which can go anywhere.
        big = [pair for pair in short if pair[1] in BIG_MUSCLES] if split != "full_body" else []
        muscle = min(big or short)[1]
        existing = [
            (-e.muscles.get(muscle, 0), e.sets, i, j)
            for i, day in enumerate(days)
            for j, e in enumerate(day.exercises)
            if e.muscles.get(muscle, 0) >= 0.5 and fits(day, e)
        ]
        if existing:
            _, _, i, j = min(existing)
            add_set(days[i].exercises[j])
            continue
        candidates = sorted(
            (e for e in pool if e["muscles"].get(muscle, 0) >= 0.75),
            key=lambda e: (
                -e["muscles"][muscle],
                e.get("mechanics") != "isolation",
                e["slug"] in week_used,
                prefer(e),
                e["slug"],
            ),
        )
        order = sorted(
            range(len(days)),
            key=lambda i: (
                muscle not in (day_region(days[i].name) or {muscle}),
                sum(e.sets * e.muscles.get(muscle, 0) for e in days[i].exercises),
                days[i].seconds,
                i,
            ),
        )
        added = False
        for i in order:
            here = {e.exercise_id for e in days[i].exercises}
            for candidate in candidates:
                if candidate["slug"] in here:
                    continue
                exercise = planned(candidate)
                if fits_region(days[i].name, exercise.muscles, exercise.pattern) and fits(days[i], exercise):
                    add_set(exercise)
                    days[i].exercises.append(exercise)
                    week_used.add(candidate["slug"])
                    added = True
                    break
            if added:
                break
        if not added:
            stuck.add(muscle)
            if not candidates and not any(e.muscles.get(muscle, 0) >= 0.5 for d in days for e in d.exercises):
                limits[muscle] = "equipment"
            elif all(
                d.seconds + WORK_S + min(c_rest, i_rest) > budget for d in days if fits_region(d.name, {muscle: 1.0})
            ):
                # Its own days are full; if another day has room, it is kept for its own muscles.
                room_elsewhere = any(
                    d.seconds + WORK_S + min(c_rest, i_rest) <= budget
                    for d in days
                    if not fits_region(d.name, {muscle: 1.0})
                )
                limits[muscle] = "region" if room_elsewhere else "time"
            else:
                limits[muscle] = "band"

    aimed = [
        m
        for m in PRIORITY
        if m in bands and bands[m].low > 0 and bands[m].low - EPS <= volume[m] <= bands[m].high + EPS
    ]
    below = [m for m in PRIORITY if m in bands and bands[m].low > 0 and m not in aimed]
    rir_by_week = [max(0, 3 - round(3 * k / max(weeks - 1, 1))) for k in range(weeks)]
    plan = Plan(
        name=f"{SPLITS[split]} {inputs.days_per_week}× — {', '.join(GOALS[g] for g in sorted(goals, key=lambda g: -goals[g]))}",
        split=split,
        days=days,
        weeks=weeks,
        deload_every=weeks + 1,
        bands=bands,
        weekly_sets={m: round(v, 2) for m, v in volume.items() if v > 0},
        aimed=aimed,
        below=below,
        rep_ranges=(c_reps, i_reps),
        rir_by_week=rir_by_week,
        rationale=[],
        limits=limits,
        notes=notes,
    )
    plan.rationale = explain(plan, inputs, goals)
    return plan


def explain(plan: Plan, inputs: Inputs, goals: Mapping[str, int]) -> list[str]:
    """Why the plan looks the way it does, in plain sentences (shown with the preview)."""
    mix = ", ".join(f"${w} {GOALS[g].lower()}" for g, w in sorted(goals.items(), key=lambda kv: (-kv[1], kv[0])))
    names = ", ".join(f"{d.name} ({d.main_pattern.replace('_', ' ')})" for d in plan.days)
    ramp = " → ".join(map(str, plan.rir_by_week))
    lines = [
        (
            f"{SPLITS[plan.split]} because you train {inputs.days_per_week} days a week; each day opens with a "
            f"different main pattern than the day before: {names}."
        ),
        (
            f"Goal mix {mix}: compound lifts {plan.rep_ranges[0][0]}–{plan.rep_ranges[0][1]} reps, isolation "
            f"{plan.rep_ranges[1][0]}–{plan.rep_ranges[1][1]} reps."
        ),
        f"{plan.weeks} weeks of accumulation (reps in reserve {ramp}), then a deload week (sets halved, loads −10 %).",
        (
            f"Every session fits {inputs.session_minutes} minutes (sets × ({WORK_S} s work + rest) + "
            f"{WARMUP_S // 60} min warm-up); at most {EXPERIENCE_MAX_SETS[inputs.experience]} sets of an exercise "
            f"per session for {'an' if inputs.experience[0] in 'aeiou' else 'a'} {inputs.experience} lifter."
        ),
    ]
    if inputs.equipment:
        lines.append(f"Only exercises for your equipment: {', '.join(inputs.equipment)}.")
    lines.extend(plan.notes)
    def sets(m: str) -> str:
        count = plan.weekly_sets.get(m, 0)
        return f"{count:g} set{'' if count == 1 else 's'} a week"  # "1 set", not "1 sets"

    for m in plan.aimed:
        band = plan.bands[m]
        lines.append(f"{muscle_label(m)}: {sets(m)}, inside the {band.low:g}–{band.high:g} band of your goal mix.")
    why = {
        "equipment": "no exercise for it fits your equipment",
        "time": f"the sessions are full at {inputs.session_minutes} minutes (allow longer sessions or another day)",
        "region": (
            f"its days are full at {inputs.session_minutes} minutes and the other days keep to their own muscles "
            "(allow longer sessions or another day)"
        ),
        "band": "more sets would push another muscle over its band",
    }
    for m in plan.below:
        band = plan.bands[m]
        lines.append(
            f"{muscle_label(m)}: {sets(m)}, below the {band.low:g}–{band.high:g} band: "
            f"{why[plan.limits.get(m, 'band')]}."
        )
    return lines


def muscle_label(slug: str) -> str:
    """``traps-rhomboids`` → ``Traps / rhomboids``: how the rest of the app names a muscle."""
    return slug.replace("-", " / " if slug == "traps-rhomboids" else " ").capitalize()
