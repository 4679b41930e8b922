"""What the inputs decide before any set is placed: the goal mix's band, rep ranges and rests,
the split and its days, the usable exercises and their equipment preference."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workouts.plans.generator.plan import GeneratorError
from workouts.plans.generator.tables import (
    ADVANCED_SKILL,
    BALLISTIC,
    EQUIPMENT_ORDER,
    FULL_BODY_MAINS,
    GOAL_BANDS,
    GOAL_REPS,
    GOAL_REST,
    GOALS,
    GROUPS,
    LOADABLE,
    PPL,
    PPL_ORDER,
    SPLIT_DAYS,
    SPLITS,
    STRENGTH_ORDER,
    TRAINING_PATTERNS,
    UPPER_LOWER,
)

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


def rest_seconds(goals: Mapping[str, int]) -> tuple[int, int]:
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


def usable_exercises(
    catalog: Iterable[Mapping], equipment: tuple[str, ...], experience: str = "intermediate"
) -> list[Mapping]:
    """The catalog rows a plan may use (loadable, a training pattern, the equipment), by slug."""
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


def equipment_preference(goals: Mapping[str, int]):
    """A sort key: the equipment a goal mix prefers first (barbells first for a strength mix)."""
    order = STRENGTH_ORDER if goals.get("strength", 0) >= 5 else EQUIPMENT_ORDER
    rank = {name: i for i, name in enumerate(order)}
    return lambda e: rank.get(e.get("equipment"), len(order))

