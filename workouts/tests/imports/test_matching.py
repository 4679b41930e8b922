"""Matching exercise names of other apps to the catalog and the lifter's own exercises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workouts.imports.matching import Candidate, Matcher

CATALOG = json.loads((Path(__file__).parents[2] / "catalog" / "exercises.json").read_text())


def catalog_matcher(*extra: Candidate) -> Matcher:
    return Matcher([*extra, *(Candidate(e["slug"], e["name"], tuple(e["aliases"]), equipment=e["equipment"]) for e in CATALOG)])


@pytest.mark.parametrize(
    ("name", "slug", "how"),
    [
        ("Barbell Bench Press", "barbell-bench-press", "exact"),
        ("barbell bench press", "barbell-bench-press", "exact"),
        ("Pull Up", "pull-up", "alias"),
        ("Bench Press (Barbell)", "barbell-bench-press", "normalised"),
        ("Squat (Barbell)", "barbell-back-squat", "normalised"),
        ("Deadlift (Barbell)", "conventional-deadlift", "normalised"),
        ("Lateral Raise (Dumbbell)", "dumbbell-lateral-raise", "normalised"),
        ("Seated Row (Cable)", "seated-cable-row", "normalised"),
        ("T Bar Row", "t-bar-row", "normalised"),
        ("Bench Pres (Barbell)", "barbell-bench-press", "fuzzy"),
        ("Incline Bench Press (Dumbbell)", "incline-dumbbell-press", "fuzzy"),
        ("Lat Pulldwn (Cable)", "lat-pulldown", "fuzzy"),
    ],
)
def test_names_match_the_catalog(name, slug, how):
    match = catalog_matcher().match(name)
    assert (match.exercise_id, match.how) == (slug, how)


def test_unknown_names_do_not_match_and_own_exercises_win():
    assert catalog_matcher().match("Zottman Curl") is None
    # Its weight is the assistance: as a Pull-Up, 30 kg of help became a 30 kg weighted pull-up.
    assert catalog_matcher().match("Pull Up (Assisted)") is None
    assert catalog_matcher().match("Chin Up (Assisted Bodyweight)") is None
    assert catalog_matcher().match("Assisted Dip (Machine)") is None  # was Machine Seated Dip (a loaded machine)
    own = Candidate("6f0a5c36-7f3b-4f43-9a43-3d5c0c8e1a11", "Assisted Pull-Up", custom=True)
    assert catalog_matcher(own).match("Pull Up (Assisted)").exercise_id == own.exercise_id
    assert catalog_matcher().match("Pull Up (Weighted)").exercise_id == "pull-up"
    own = Candidate("8c0a5c36-7f3b-4f43-9a43-3d5c0c8e1a11", "Bench Press (Barbell)", custom=True)
    assert catalog_matcher(own).match("Bench Press (Barbell)").exercise_id == own.exercise_id
