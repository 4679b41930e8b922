"""The generator's output for a fixed grid of inputs, compared with a recording of it
(``data/generator_golden.json``): a refactor of the generator must not change one plan.

Each case keeps the plan's days, bands, volumes, verdicts and rationale in full for every
tenth input (a failure shows what changed) and a digest of the whole plan for all of them.
Re-record only for an intended change of behaviour:
``python -m workouts.tests.plans.test_generator_regression``."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import itertools
import json
from pathlib import Path

import pytest

from workouts.plans import generator
from workouts.plans.generator import GeneratorError, Inputs, generate

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = Path(__file__).resolve().parent / "data" / "generator_golden.json"
GOAL_MIXES = (
    {"hypertrophy": 10},
    {"strength": 10},
    {"hypertrophy": 7, "strength": 3},
    {"strength": 6, "hypertrophy": 4},
    {"endurance": 3, "fat_loss": 5, "general": 2},
    {"fat_loss": 4, "general": 6},
)
EQUIPMENT = (
    (),
    ("barbell", "dumbbell"),
    ("dumbbell",),
    ("dumbbell", "bodyweight", "cable"),
    ("machine", "cable", "dumbbell"),
    ("bodyweight",),
    ("barbell",),
)


def _catalog() -> list[dict]:
    return json.loads((ROOT / "workouts" / "catalog" / "exercises.json").read_text())


def _landmarks() -> dict:
    seeded = importlib.import_module("workouts.migrations.0006_volume_landmarks").LANDMARKS
    keys = ("mv", "mev", "mav_low", "mav_high", "mrv")
    return {m: dict(zip(keys, values[:5], strict=False)) for m, values in seeded.items()}


def grid() -> list[Inputs]:
    """About a thousand inputs: every day count and split, a sample of the rest."""
    cases = []
    for days in range(2, 7):
        splits = ["auto"] + [s for s, span in generator.SPLIT_DAYS.items() if days in span]
        product = itertools.product(
            splits, (30, 45, 60, 90, 120), GOAL_MIXES, EQUIPMENT, ("beginner", "intermediate", "advanced")
        )
        for i, (split, minutes, goals, equipment, experience) in enumerate(product):
            if (i * 7 + days) % 11 == 0:
                cases.append(
                    Inputs(
                        days_per_week=days,
                        session_minutes=minutes,
                        goals=goals,
                        equipment=equipment,
                        experience=experience,
                        split=split,
                        weeks=(None, 4, 5, 6)[i % 4],
                    )
                )
    return cases


def _key(inputs: Inputs) -> str:
    return json.dumps(dataclasses.asdict(inputs), sort_keys=True)


def record(inputs: Inputs, *, catalog: list[dict], landmarks: dict) -> dict:
    """The plan as plain data (or the generator's refusal)."""
    try:
        plan = generate(inputs, catalog=catalog, landmarks=landmarks)
    except GeneratorError as exc:
        return {"error": str(exc)}
    return json.loads(json.dumps(dataclasses.asdict(plan)))


def _digest(plan: dict) -> str:
    return hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()


def _compact(plan: dict) -> dict:
    """The plan without what the catalog already says about each exercise."""
    if "error" in plan:
        return plan
    days = [
        {
            "name": d["name"],
            "main_pattern": d["main_pattern"],
            "weekday": d["weekday"],
            "exercises": [
                [e["exercise_id"], e["sets"], e["rep_min"], e["rep_max"], e["rir"], e["rest_s"]] for e in d["exercises"]
            ],
        }
        for d in plan["days"]
    ]
    bands = {m: [b["low"], b["high"], b["cap"], b["aim"]] for m, b in plan["bands"].items()}
    return {**plan, "days": days, "bands": bands}


def recording() -> dict:
    catalog, landmarks = _catalog(), _landmarks()
    digests, full = {}, {}
    for index, inputs in enumerate(grid()):
        plan = record(inputs, catalog=catalog, landmarks=landmarks)
        digests[_key(inputs)] = _digest(plan)
        if index % 10 == 0:
            full[_key(inputs)] = _compact(plan)
    return {"digests": digests, "full": full}


def test_the_grid_covers_every_split_and_refusals():
    golden = json.loads(GOLDEN.read_text())
    plans = golden["full"].values()
    assert len(golden["digests"]) > 900
    assert {p["split"] for p in plans if "split" in p} == set(generator.SPLITS)
    assert any("error" in p for p in plans)


@pytest.mark.parametrize("chunk", range(4))
def test_generated_plans_equal_the_recording(chunk):
    golden = json.loads(GOLDEN.read_text())
    catalog, landmarks = _catalog(), _landmarks()
    cases = grid()
    assert sorted(_key(i) for i in cases) == sorted(golden["digests"]), "the grid itself changed"
    for index, inputs in enumerate(cases):
        if index % 4 != chunk:
            continue
        key = _key(inputs)
        plan = record(inputs, catalog=catalog, landmarks=landmarks)
        if key in golden["full"]:
            assert _compact(plan) == golden["full"][key], key
        assert _digest(plan) == golden["digests"][key], key


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(recording(), sort_keys=True, separators=(",", ":")) + "\n")
