"""The unit evidence for a file without units: 45/135/225/315 point to pounds, 20/60/100 to kilograms."""

from __future__ import annotations

from workouts.imports.evidence import unit_evidence


def test_pound_plates_point_to_pounds():
    sets = [("Bench Press (Barbell)", w) for w in (135, 185, 225, 225, 135)] + [("Squat (Barbell)", 315)]
    evidence = unit_evidence(sets)
    assert evidence["lean"] == "lb" and evidence["lb"][0] == ("135", 2)


def test_kilogram_plates_and_half_kilos_point_to_kilograms():
    sets = [("Bench Press (Barbell)", w) for w in (60, 100, 62.5, 102.5)] + [("Squat", 140)]
    assert unit_evidence(sets)["lean"] == "kg"


def test_dumbbells_and_too_few_sets_say_nothing():
    assert unit_evidence([("Lateral Raise (Dumbbell)", 135)] * 5)["lean"] == ""
    assert unit_evidence([("Bench Press (Barbell)", 225)])["lean"] == ""
    assert unit_evidence([("Bench Press (Barbell)", 135)] * 3 + [("Bench Press (Barbell)", 60)] * 20)["lean"] == ""
