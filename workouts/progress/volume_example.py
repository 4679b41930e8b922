"""The volume page's worked example of a fractional set, from the lifter's own sets: how one
set of an exercise counts for each muscle it trains (a row: 1 for the upper back, 0.75 for
the lats, …), so the words under the numbers are about numbers the lifter sees."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workouts.models import MUSCLES, Exercise
from workouts.selectors import exercise_names

MUSCLE_LABELS = dict(MUSCLES)


@dataclass(frozen=True)
class FractionExample:
    """One exercise's set as it counts for each muscle: the page's worked example of a
    fractional set, taken from the lifter's own sets where one splits."""

    exercise_id: str
    name: str
    shares: list[tuple[str, float]]  # (muscle label, share), largest first
    sets: int  # this many of its sets ...
    fraction_muscle: str  # ... count as ``fraction_sets`` for this muscle
    fraction_sets: float


EXAMPLE_FALLBACK = "barbell-row"


def fraction_example(*, user, sets: list, muscles: dict[str, dict]) -> FractionExample | None:
    """The exercise the lifter did most in the window whose set counts as a fraction for some
    muscle (a row: 0.75 for the lats); without one, the catalog's barbell row. Two queries at most."""
    counts: dict[str, int] = defaultdict(int)
    for s in sets:
        if s.set_type != "warmup":
            counts[s.exercise_id] += 1
    candidates = sorted(counts, key=lambda e: (-counts[e], e))
    chosen = next((e for e in candidates if any(0 < v < 1 for v in (muscles.get(e) or {}).values())), None)
    if chosen is None:
        chosen = EXAMPLE_FALLBACK
        muscles = {chosen: Exercise.objects.filter(slug=chosen).values_list("muscles", flat=True).first() or {}}
    shares = sorted(((m, v) for m, v in (muscles.get(chosen) or {}).items() if v and v > 0), key=lambda kv: (-kv[1], kv[0]))
    fractional = [(m, v) for m, v in shares if 0 < v < 1]
    if not fractional:
        return None
    muscle, share = fractional[0]
    n = 4
    name = exercise_names(user=user, exercise_ids={chosen}).get(chosen, chosen)
    return FractionExample(
        exercise_id=chosen,
        name=name,
        shares=[(MUSCLE_LABELS.get(m, m), v) for m, v in shares],
        sets=n,
        fraction_muscle=MUSCLE_LABELS.get(muscle, muscle),
        fraction_sets=round(n * share, 2),
    )
