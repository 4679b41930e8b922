"""Wrong matches are data corruption: a close spelling is offered only when the movement agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workouts.imports.matching import Candidate, Matcher
from workouts.imports.movement import agrees, name_equipment

CATALOG = json.loads((Path(__file__).parents[2] / "catalog" / "exercises.json").read_text())


def matcher() -> Matcher:
    return Matcher([
        Candidate(e["slug"], e["name"], tuple(e["aliases"]), equipment=e["equipment"], muscles=tuple(e["muscles"]))
        for e in CATALOG
    ])


# Seen pre-filled on real files: one tap on Import stored a 150 kg × 15 leg press as a shoulder press.
WRONG = [
    ("Seated Leg Press (Machine)", "machine-shoulder-press"),
    ("Triceps Kickback (Cable)", "cable-glute-kickback"),
    ("Shrug (Smith Machine)", "smith-machine-squat"),
    ("Reverse Curl (Cable)", "cable-rear-delt-fly"),
    ("Single Arm Curl (Cable)", "cable-single-arm-row"),
    ("Overhead Press (Smith Machine)", "smith-machine-bench-press"),
    ("Lying Neck Curls", "lying-leg-curl"),
    ("JM Press", "push-press"),
    ("JM Press (Barbell)", "push-press"),
    ("Single Arm Cable Curl", "cable-single-arm-row"),
    ("Incline Bench Press (Smith Machine)", "smith-machine-bench-press"),
    ("Decline Chest Press", "machine-incline-chest-press"),
    ("Incline Cable Fly", "incline-dumbbell-fly"),
    ("Shoulder Press (Plate Loaded)", "barbell-overhead-press"),
    ("Squat (Bodyweight)", "barbell-back-squat"),
    ("Hip Thrust (Bodyweight)", "hip-thrust"),
    ("Standing Calf Raise (Dumbbell)", "dumbbell-single-leg-calf-raise"),
]


@pytest.mark.parametrize(("name", "wrong"), WRONG)
def test_wrong_matches_are_never_offered(name, wrong):
    found = matcher().match(name)
    assert found is None or found.exercise_id != wrong, found
    # And not with a typo in it either.
    typo = name.replace("Press", "Pres").replace("Curl", "Crul")
    found = matcher().match(typo)
    assert found is None or found.exercise_id != wrong, found


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        # The names of Strong's and Hevy's default libraries, seen unmatched in many files.
        ("Iso-Lateral Chest Press (Machine)", "machine-chest-press"),
        ("Bent Over One Arm Row (Dumbbell)", "dumbbell-row"),
        ("Calf Press on Seated Leg Press", "leg-press-calf-raise"),
        ("EZ Bar Biceps Curl", "ez-bar-curl"),
        ("Chest Fly (Machine)", "pec-deck"),
        ("Rear Delt Reverse Fly (Machine)", "reverse-pec-deck"),
        ("Strict Military Press (Barbell)", "barbell-overhead-press"),
        ("Bent Over Row - Underhand (Barbell)", "barbell-underhand-row"),
        ("Seated Cable Row - Bar Grip", "seated-cable-row"),
        ("Leg Press Horizontal (Machine)", "leg-press"),
        ("Low Cable Fly Crossovers", "cable-low-to-high-fly"),
        ("Single Arm Triceps Pushdown (Cable)", "single-arm-cable-triceps-pushdown"),
        ("Lat Pulldown (Machine)", "lat-pulldown"),
        # And the right exercise for names that were matched wrongly.
        ("Seated Leg Press (Machine)", "leg-press"),
        ("Lying Neck Curls", "lying-neck-flexion"),
        ("Reverse Curl (Cable)", "cable-reverse-curl"),
        ("Squat (Bodyweight)", "bodyweight-squat"),
        ("Squat (Dumbbell)", "dumbbell-squat"),
        ("Lat Pulldown - Underhand (Cable)", "reverse-grip-lat-pulldown"),
        ("Triceps Extension (Machine)", "machine-triceps-extension"),
        # Close spellings that agree on the movement are still offered.
        ("Triceps Rope Pushdown", "cable-triceps-pushdown"),
        ("Hip Adductor (Machine)", "machine-hip-adduction"),
        ("Incline Chest Fly (Dumbbell)", "incline-dumbbell-fly"),
        ("Lat Pulldwn (Cable)", "lat-pulldown"),
    ],
)
def test_default_library_names_and_agreeing_spellings_match(name, slug):
    assert matcher().match(name).exercise_id == slug


def test_every_wrong_pair_disagrees_on_the_movement():
    by_slug = {e["slug"]: e for e in CATALOG}
    for name, wrong in WRONG:
        e = by_slug[wrong]
        assert not agrees(name, e["name"], names=(e["name"],), muscles=tuple(e["muscles"]), equipment=e["equipment"]), name


def test_equipment_a_name_gives():
    assert [name_equipment(n) for n in ("Shrug (Smith Machine)", "Incline Cable Fly", "Triceps Rope Pushdown", "Plank", "KB Snatch")] == [
        "machine", "cable", "cable", None, "kettlebell",
    ]
