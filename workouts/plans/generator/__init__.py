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

The package: ``tables`` (goals, splits, patterns, regions), ``plan`` (inputs and the plan),
``choices`` (what the inputs decide before any set is placed), ``build`` (``generate``, step by
step on a ``Build`` state), ``explain`` (the rationale).
"""

from workouts.plans.generator.build import generate
from workouts.plans.generator.choices import choose_split, day_kinds, goal_band, rep_ranges, validate_goals
from workouts.plans.generator.explain import explain, muscle_label
from workouts.plans.generator.plan import Band, GeneratorError, Inputs, Plan, PlannedDay, PlannedExercise
from workouts.plans.generator.tables import (
    ADVANCED_SKILL,
    BALLISTIC,
    EPS,
    EXPERIENCE_MAX_SETS,
    EXPERIENCE_WEEKS,
    GOALS,
    GROUPS,
    SPLIT_DAYS,
    SPLITS,
    STAPLES,
    WARMUP_S,
    WORK_S,
    day_region,
    fits_region,
)
from workouts.progress.verdict import PRIORITY

__all__ = [
    "ADVANCED_SKILL",
    "BALLISTIC",
    "EPS",
    "EXPERIENCE_MAX_SETS",
    "EXPERIENCE_WEEKS",
    "GOALS",
    "GROUPS",
    "PRIORITY",
    "SPLITS",
    "SPLIT_DAYS",
    "STAPLES",
    "WARMUP_S",
    "WORK_S",
    "Band",
    "GeneratorError",
    "Inputs",
    "Plan",
    "PlannedDay",
    "PlannedExercise",
    "choose_split",
    "day_kinds",
    "day_region",
    "explain",
    "fits_region",
    "generate",
    "goal_band",
    "muscle_label",
    "rep_ranges",
    "validate_goals",
]
