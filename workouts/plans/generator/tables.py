"""The generator's tables: goals and their bands, rep ranges and rests, splits and their days,
movement patterns, the staples, day regions; and the region rules a fill-up obeys."""

from __future__ import annotations

from collections.abc import Mapping

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
