"""Load progression and deloads: pure rules (no Django), table-driven tested in
workouts/tests/plans/test_progression.py.

Double progression (the default): when every working set of the last session reached the
top of the rep range at or under the target RPE, add one step (2.5 kg / 5 lb); when the
bottom of the range was missed in the last two sessions, take 5 % off; otherwise hold.
Linear: add a step whenever every set reached the bottom of the range; the same −5 % after
two misses in a row. Weights are rounded to the step in the lifter's unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

KG_PER_LB = 0.45359237
STEP = {"kg": 2.5, "lb": 5.0}
DELOAD_LOAD = 0.9  # deload weeks: loads −10 %
BACK_OFF = 0.95  # after two misses: −5 %


@dataclass(frozen=True)
class SetResult:
    weight: float  # in the lifter's unit
    reps: int
    rpe: float | None = None


@dataclass(frozen=True)
class Suggestion:
    weight: float | None
    action: str  # "start", "increase", "hold", "decrease"
    reason: str


def round_to_step(weight: float, unit: str) -> float:
    """The nearest plate step, halves up (202.5 lb → 205), not to even."""
    step = STEP[unit]
    return round(math.floor(weight / step + 0.5) * step, 2)


def lighter(weight: float, factor: float, unit: str) -> float:
    """``weight × factor`` on the plate step, but at least one step lighter: rounding to the
    nearest step took a 12.5 kg dumbbell's deload (11.25) back to 12.5, so nothing got lighter.
    The lightest step itself stays (a deload does not make a 2.5 kg raise a 0 kg one)."""
    reduced = round_to_step(weight * factor, unit)
    if reduced >= weight:
        step_down = round((math.ceil(weight / STEP[unit] - 1e-9) - 1) * STEP[unit], 2)
        reduced = step_down if step_down > 0 else weight  # the lightest step stays: no 0 kg sets
    return reduced


def _hit_top(session: Sequence[SetResult], rep_max: int, target_rpe: float | None) -> bool:
    return bool(session) and all(
        s.reps >= rep_max and (target_rpe is None or s.rpe is None or s.rpe <= target_rpe) for s in session
    )


def _missed_bottom(session: Sequence[SetResult], rep_min: int) -> bool:
    return bool(session) and any(s.reps < rep_min for s in session)


def next_weight(
    sessions: Sequence[Sequence[SetResult]],
    *,
    rep_min: int,
    rep_max: int,
    unit: str = "kg",
    target_rpe: float | None = None,
    scheme: str = "double",
) -> Suggestion:
    """Today's weight from the working sets of earlier sessions (most recent first). A deload
    session is not a new baseline: progression goes on from the session before it."""
    sessions = without_deloads(sessions)
    if not sessions or not sessions[0]:
        return Suggestion(None, "start", "No history yet: pick a weight you can lift for the top of the range.")
    last = sessions[0]
    weight = max(s.weight for s in last)
    if len(sessions) > 1 and _missed_bottom(last, rep_min) and _missed_bottom(sessions[1], rep_min):
        return Suggestion(
            lighter(weight, BACK_OFF, unit), "decrease", f"Missed {rep_min} reps two sessions running: −5 %."
        )
    if scheme == "linear":
        if not _missed_bottom(last, rep_min):
            return Suggestion(
                round_to_step(weight + STEP[unit], unit),
                "increase",
                f"All sets reached {rep_min} reps: +{STEP[unit]:g} {unit}.",
            )
        return Suggestion(round_to_step(weight, unit), "hold", f"Missed {rep_min} reps last time: same weight.")
    if _hit_top(last, rep_max, target_rpe):
        at = f" at RPE ≤ {target_rpe:g}" if target_rpe is not None else ""
        return Suggestion(
            round_to_step(weight + STEP[unit], unit),
            "increase",
            f"All sets reached {rep_max} reps{at}: +{STEP[unit]:g} {unit}.",
        )
    return Suggestion(
        round_to_step(weight, unit), "hold", f"Work up to {rep_max} reps on every set before adding weight."
    )


def deload_sized(sets: int, sets_before: int) -> bool:
    """Whether a session of ``sets`` working sets is as small as a deload of ``sets_before``
    (``deload_sets``: half, rounded up). "At most half" missed a 3-set lift's 2-set deload, so
    its −10 % load became the baseline after every deload week."""
    return sets_before >= 2 and sets <= deload_sets(sets_before)


def without_deloads(sessions: Sequence[Sequence[SetResult]]) -> list[Sequence[SetResult]]:
    """Sessions (most recent first) without the deloads: a session with a deload's number of
    sets (``deload_sized``) and a lighter top weight than the last full session before it. Not
    just the session right before: a deload week can hold two sessions of a lift, and the
    second, compared with the first, became the new baseline (−10 % for the next mesocycle)."""
    kept: list[Sequence[SetResult]] = []
    for session in reversed(sessions):
        full = kept[-1] if kept else None
        if (
            session
            and full
            and deload_sized(len(session), len(full))
            and max(s.weight for s in session) < max(s.weight for s in full)
        ):
            continue
        kept.append(session)
    return kept[::-1]


def rir_to_rpe(rir: int | None) -> float | None:
    return None if rir is None else max(1.0, 10.0 - rir)


# --- deloads ---------------------------------------------------------------------------------


def is_deload_week(week_index: int, deload_every: int | None) -> bool:
    """Scheduled deload: every ``deload_every``-th week (week_index counts from 0)."""
    return bool(deload_every) and (week_index + 1) % deload_every == 0


def deload_sets(sets: int) -> int:
    """Sets of a deload week: half, rounded up (−40 to −50 % from three sets on; never zero)."""
    return max(1, math.ceil(sets / 2))


def deload_weight(weight: float | None, unit: str) -> float | None:
    return None if weight is None else lighter(weight, DELOAD_LOAD, unit)


def performance_dropped(e1rms: Sequence[float]) -> bool:
    """A main lift's best e1RM per session, oldest first: down in each of the last two sessions."""
    return len(e1rms) >= 3 and e1rms[-1] < e1rms[-2] < e1rms[-3]


FIXED_REPS_UP_TO = 5  # 5 × 5, 3 × 3: fixed-rep strength work, progressed by load alone
RANGE_WIDTH = 4  # 3 × 8 saved as a template: 8–12, the width of the generator's hypertrophy ranges


def rep_range_from_sets(reps: Sequence[int]) -> tuple[int, int]:
    """The rep range a template takes from a workout's working sets ("Save as template").

    Sets of different reps give their own range (12, 10, 9 → 9–12). Sets all of the same n
    give n–n only for fixed-rep strength work (n ≤ 5); above that n–n+4, or double progression
    would add load after every session that hit n, the same as linear (3 × 8 → 8–12)."""
    low, high = min(reps), max(reps)
    if low == high and low > FIXED_REPS_UP_TO:
        high = low + RANGE_WIDTH
    return max(1, min(100, low)), max(1, min(100, high))
