"""Generated Strong exports for the tests and the benchmark: years of history, deterministic."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

STRONG_SEMICOLON_HEADER = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;"
    "Workout Notes;Workout Duration"
)
DAYS = [
    ("Push", [
        "Bench Press (Barbell)", "Overhead Press (Barbell)", "Incline Bench Press (Dumbbell)",
        "Lateral Raise (Dumbbell)", "Triceps Pushdown (Cable - Straight Bar)",
    ]),
    ("Pull", [
        "Deadlift (Barbell)", "Pull Up", "Bent Over Row (Barbell)", "Face Pull (Cable)", "Bicep Curl (Dumbbell)",
    ]),
    ("Legs", [
        "Squat (Barbell)", "Romanian Deadlift (Barbell)", "Leg Press", "Seated Leg Curl (Machine)", "Zottman Curl",
    ]),
]


def strong_history(*, workouts: int = 1000, sets_per_workout: int = 25, seed: int = 7) -> bytes:
    """A Strong (semicolon) export: ``workouts`` sessions of ``sets_per_workout`` sets, two
    days apart (1000 × 25 = five and a half years, 25,000 sets); one warm-up and one
    "Rest Timer" row per exercise."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 6, 18, 0, 0)
    lines = ["\ufeff" + STRONG_SEMICOLON_HEADER]
    per_exercise = sets_per_workout // 5
    for w in range(workouts):
        name, exercises = DAYS[w % len(DAYS)]
        date = (start + timedelta(days=2 * w, minutes=rng.randint(0, 90))).strftime("%Y-%m-%d %H:%M:%S")
        duration = f"1h {rng.randint(0, 59)}m"
        note = "Felt strong" if w % 10 == 0 else ""
        for e, exercise in enumerate(exercises):
            count = per_exercise + (1 if e < sets_per_workout - per_exercise * 5 else 0)
            base = 40 + 10 * e + w // 20
            for s in range(count):
                order = "W" if s == 0 else str(s)
                weight = f"{base * (0.5 if s == 0 else 1):g}".replace(".", ",")
                rpe = str(rng.choice(["", "7", "8", "8,5", "9"])) if s else ""
                reps = rng.randint(5, 12)
                lines.append(f"{date};{name};{exercise};{order};{weight};kg;{reps};{rpe};;;0;;{note};{duration}")
            lines.append(f"{date};{name};{exercise};Rest Timer;0;kg;0;;;;120;;{note};{duration}")
    return ("\n".join(lines) + "\n").encode()


STRONG_COMMA_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)


def strong_comma_pounds(*, workouts: int = 4) -> bytes:
    """A Strong (commas, no unit column) export of a lifter in pounds: a bar with 45 lb plates
    (135, 225, 315) on the bench press and squat, and dumbbells in 5 lb steps."""
    lines = [STRONG_COMMA_HEADER]
    for w in range(workouts):
        date = (datetime(2024, 1, 8, 18, 0) + timedelta(days=3 * w)).strftime("%Y-%m-%d %H:%M:%S")
        for exercise, loads in (
            ("Bench Press (Barbell)", (135, 185, 225)),
            ("Squat (Barbell)", (135, 225, 315)),
            ("Lateral Raise (Dumbbell)", (20, 25)),
        ):
            for order, load in enumerate(loads, start=1):
                lines.append(f'{date},"Day {w + 1}",1h 5m,"{exercise}",{order},{load}.0,5,0,0,"","",')
    return ("\n".join(lines) + "\n").encode()
