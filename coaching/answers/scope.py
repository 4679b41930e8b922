"""Questions about what the app does not record."""

from __future__ import annotations


def out_of_scope_answer(coach, asked) -> str:
    return (
        "I don't track that. I only see what you log here: your workouts (sets, reps, weights, RPE, "
        "duration) and your body measurements (bodyweight, body fat, girths)."
    )
