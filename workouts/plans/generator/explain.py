"""The plan's rationale: why it looks the way it does, in plain sentences."""

from __future__ import annotations

from collections.abc import Mapping

from workouts.plans.generator.plan import Inputs, Plan
from workouts.plans.generator.tables import EXPERIENCE_MAX_SETS, GOALS, SPLITS, WARMUP_S, WORK_S

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
    for m in plan.aimed:
        band = plan.bands[m]
        lines.append(
            f"{muscle_label(m)}: {_sets_a_week(plan, m)}, "
            f"inside the {band.low:g}–{band.high:g} band of your goal mix."
        )
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
            f"{muscle_label(m)}: {_sets_a_week(plan, m)}, below the {band.low:g}–{band.high:g} band: "
            f"{why[plan.limits.get(m, 'band')]}."
        )
    return lines


def _sets_a_week(plan: Plan, muscle: str) -> str:
    count = plan.weekly_sets.get(muscle, 0)
    return f"{count:g} set{'' if count == 1 else 's'} a week"  # "1 set", not "1 sets"


def muscle_label(slug: str) -> str:
    """``traps-rhomboids`` → ``Traps / rhomboids``: how the rest of the app names a muscle."""
    return slug.replace("-", " / " if slug == "traps-rhomboids" else " ").capitalize()
