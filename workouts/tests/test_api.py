"""The read API of workouts and measurements: GET /api/v1/exercises, /workouts, /workouts/{id}, /measurements."""

from __future__ import annotations

import math

import pytest
from django.test import Client

from hypertrophy.testing import (
    BASE_TIME,
    assert_error,
    exercise_created,
    measurement_recorded,
    minutes,
    new_id,
    ok,
    set_completed,
    workout_ended,
    workout_started,
)
from workouts.models import Exercise

pytestmark = pytest.mark.django_db


def exercises(**params) -> dict:
    return ok(Client().get("/api/v1/exercises", params))


def slugs(page: dict) -> list[str]:
    return [item["slug"] for item in page["items"]]


# --- exercises --------------------------------------------------------------------------


def test_exercise_item_shape():
    item = exercises(search="barbell bench press", limit=1)["items"][0]
    assert item["slug"] == "barbell-bench-press"
    assert item["name"] == "Barbell Bench Press"
    assert item["equipment"] == "barbell"
    assert item["primary_muscle"] == "chest"
    assert item["muscles"]["chest"] == 1.0
    assert item["mechanics"] == "compound"
    assert item["pattern"] == "horizontal_push"
    assert {"slug", "name", "equipment", "primary_muscle", "muscles", "mechanics", "pattern"} <= set(item)


@pytest.mark.parametrize("search", ["bench barbell", "Barbell Bench", "BENCH  press   BARBELL", "press bench barbell"])
def test_search_matches_every_word_in_any_order_and_case(search):
    found = slugs(exercises(search=search, limit=100))
    assert "barbell-bench-press" in found
    for item in exercises(search=search, limit=100)["items"]:
        text = " ".join([item["name"], *item["aliases"]]).lower()
        assert all(word in text for word in search.lower().split()), item["name"]


def test_search_by_alias():
    found = slugs(exercises(search="rdl", limit=100))
    assert "romanian-deadlift" in found
    assert "dumbbell-romanian-deadlift" in found
    assert "barbell-bench-press" not in found
    assert "barbell-bench-press" in slugs(exercises(search="bp", limit=100))


def test_search_with_no_match_is_empty():
    assert exercises(search="underwater basket weaving") == {"items": [], "count": 0}


def test_muscle_filter():
    page = exercises(muscle="hamstrings", limit=100)
    assert page["count"] > 0
    assert all("hamstrings" in item["muscles"] for item in page["items"])
    assert "romanian-deadlift" in slugs(page)
    assert "barbell-bench-press" not in slugs(page)


def test_equipment_filter_combined_with_search():
    page = exercises(equipment="dumbbell", limit=100)
    assert page["count"] == Exercise.objects.filter(equipment="dumbbell").count() > 0
    assert {item["equipment"] for item in page["items"]} == {"dumbbell"}
    combined = exercises(equipment="dumbbell", search="bench")
    assert "dumbbell-bench-press" in slugs(combined)
    assert "barbell-bench-press" not in slugs(combined)


def test_pagination_limit_offset_and_count():
    total = Exercise.objects.count()
    first = exercises(limit=5, offset=0)
    second = exercises(limit=5, offset=5)
    assert first["count"] == second["count"] == total
    assert len(first["items"]) == len(second["items"]) == 5
    assert not set(slugs(first)) & set(slugs(second))
    everything = []
    for offset in range(0, total, 100):
        everything += slugs(exercises(limit=100, offset=offset))
    assert len(everything) == len(set(everything)) == total
    assert exercises(limit=5, offset=total)["items"] == []
    default = exercises()
    assert len(default["items"]) == 20


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"limit": -1}, {"offset": -1}, {"limit": "many"}])
def test_bad_pagination_is_422(params):
    error = assert_error(Client().get("/api/v1/exercises", params), 422, "validation_error")
    assert next(iter(params)) in error["message"]


def test_custom_exercises_are_listed_first_for_their_owner_only(device, other_device):
    ex = new_id()
    ok(device.sync([device.event(*exercise_created(ex, "Zercher Bench Thing", equipment="barbell"))]))
    mine = ok(device.get("/api/v1/exercises", search="bench zercher"))
    assert mine["items"][0]["slug"] == ex and mine["items"][0]["custom"] is True
    assert mine["count"] == 1
    assert ex not in slugs(ok(other_device.get("/api/v1/exercises", search="zercher")))
    assert ex not in slugs(exercises(search="zercher"))


# --- workouts ---------------------------------------------------------------------------


def test_workouts_newest_first_with_set_count_and_volume(device):
    older, newer = new_id(), new_id()
    t_old, t_new = BASE_TIME, BASE_TIME + minutes(60 * 48)
    ok(device.sync([
        device.event(*workout_started(newer, name="Newer", at=t_new), at=t_new),
        device.event(*workout_started(older, name="Older", at=t_old), at=t_old),
        device.event(*set_completed(new_id(), older, reps=5, weight=100)),
        device.event(*set_completed(new_id(), older, reps=10, weight=50)),
        device.event(*set_completed(new_id(), older, reps=10, weight=20, set_type="warmup")),  # not volume
        device.event(*set_completed(new_id(), older, reps=5, weight=225, unit="lb")),
        device.event(*workout_ended(older, at=t_old + minutes(70)), at=t_old + minutes(70)),
    ]))
    page = ok(device.get("/api/v1/workouts"))
    assert page["count"] == 2
    assert [i["workout_id"] for i in page["items"]] == [newer, older]
    new_item, old_item = page["items"]
    assert (new_item["name"], new_item["status"], new_item["set_count"], new_item["volume_kg"]) == ("Newer", "in_progress", 0, 0)
    assert new_item["ended_at"] is None
    assert (old_item["status"], old_item["set_count"]) == ("completed", 4)
    assert old_item["volume_kg"] == pytest.approx(500 + 500 + 5 * 225 * 0.45359237, abs=0.01)
    assert old_item["started_at"].startswith("2026-11-02T17:00:00")
    assert old_item["ended_at"].startswith("2026-11-02T18:10:00")
    assert {"workout_id", "name", "status", "started_at", "ended_at", "set_count", "volume_kg"} <= set(old_item)


def test_workouts_pagination(device):
    ids = [new_id() for _ in range(5)]
    ok(device.sync([
        device.event(*workout_started(w, name=f"W{i}", at=BASE_TIME + minutes(60 * i)), at=BASE_TIME + minutes(60 * i))
        for i, w in enumerate(ids)
    ]))
    first = ok(device.get("/api/v1/workouts", limit=2))
    second = ok(device.get("/api/v1/workouts", limit=2, offset=2))
    last = ok(device.get("/api/v1/workouts", limit=2, offset=4))
    assert first["count"] == second["count"] == last["count"] == 5
    assert [i["name"] for i in first["items"] + second["items"] + last["items"]] == ["W4", "W3", "W2", "W1", "W0"]
    assert_error(device.get("/api/v1/workouts", limit=101), 422, "validation_error")


def test_workout_detail_with_sets(device):
    w, s1, s2, s3, s4, ex = (new_id() for _ in range(6))
    ok(device.sync([
        device.event(*exercise_created(ex, "Cable Thing")),
        device.event(*workout_started(w, name="Chest")),
        device.event(*set_completed(s1, w, reps=5, weight=100, rpe=8.5, at=BASE_TIME + minutes(1))),
        device.event(*set_completed(s2, w, reps=8, weight=135, unit="lb", set_type="drop", at=BASE_TIME + minutes(2))),
        device.event(*set_completed(s3, w, exercise_id=ex, reps=12, weight=20, at=BASE_TIME + minutes(3))),
        device.event(*set_completed(s4, w, exercise_id="no-such-exercise", reps=1, weight=0, at=BASE_TIME + minutes(4))),
    ]))
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    assert detail["workout_id"] == w and detail["name"] == "Chest" and detail["set_count"] == 4
    sets = detail["sets"]
    assert [s["set_id"] for s in sets] == [s1, s2, s3, s4]  # in the order they were done
    assert sets[0]["exercise_name"] == "Barbell Bench Press"
    assert (sets[0]["weight_kg"], sets[0]["weight"], sets[0]["unit"], sets[0]["rpe"], sets[0]["set_type"]) == (100, 100, "kg", 8.5, "working")
    assert sets[1]["weight_kg"] == pytest.approx(135 * 0.45359237)
    assert (sets[1]["weight"], sets[1]["unit"], sets[1]["set_type"]) == (135, "lb", "drop")
    assert sets[2]["exercise_id"] == ex and sets[2]["exercise_name"] == "Cable Thing"
    assert sets[3]["exercise_name"] == "no-such-exercise"
    assert sets[0]["completed_at"].startswith("2026-11-02T17:01:00")
    for item in sets:
        assert {"set_id", "exercise_id", "exercise_name", "reps", "weight_kg", "weight", "unit", "rpe", "set_type", "completed_at"} <= set(item)


def test_unknown_workout_is_404(device):
    assert_error(device.get(f"/api/v1/workouts/{new_id()}"), 404, "not_found")


@pytest.mark.parametrize("bad", ["not-a-uuid", "123", "ffffffff-ffff-ffff-ffff-fffffffffffg"])
def test_invalid_workout_id_is_4xx_in_the_error_shape(device, bad):
    response = device.get(f"/api/v1/workouts/{bad}")
    assert response.status_code in (404, 422)
    assert_error(response, response.status_code, "validation_error" if response.status_code == 422 else "not_found")


# --- measurements -----------------------------------------------------------------------


def navy_male(height: float, neck: float, waist: float) -> float:
    return 86.010 * math.log10(waist - neck) - 70.041 * math.log10(height) + 30.30


def test_measurements_navy_body_fat_for_a_male(device):
    m = new_id()
    ok(device.sync([device.event(*measurement_recorded(m, weight=80, unit="kg", height_cm=180, neck_cm=38, waist_cm=85, sex="male"))]))
    page = ok(device.get("/api/v1/measurements"))
    assert page["count"] == 1
    item = page["items"][0]
    expected = navy_male(180, 38, 85)
    assert 10 < expected < 25
    assert item["measurement_id"] == m
    assert item["body_fat_pct"] == pytest.approx(expected, abs=0.05)
    assert item["fat_mass_kg"] == pytest.approx(80 * item["body_fat_pct"] / 100, abs=0.1)
    assert item["lean_mass_kg"] == pytest.approx(80 - item["fat_mass_kg"], abs=0.01)
    assert (item["height_cm"], item["neck_cm"], item["waist_cm"], item["sex"]) == (180, 38, 85, "male")


def test_measurements_no_body_fat_when_neck_is_not_smaller_than_waist(device):
    ok(device.sync([
        device.event(*measurement_recorded(new_id(), height_cm=180, neck_cm=40, waist_cm=40, sex="male")),
        device.event(*measurement_recorded(new_id(), height_cm=180, neck_cm=45, waist_cm=40, sex="male", at=BASE_TIME + minutes(1))),
    ]))
    for item in ok(device.get("/api/v1/measurements"))["items"]:
        assert item["body_fat_pct"] is None
        assert item["fat_mass_kg"] is None and item["lean_mass_kg"] is None


def test_measurements_missing_inputs_give_no_body_fat(device):
    ok(device.sync([device.event(*measurement_recorded(new_id(), neck_cm=38, waist_cm=85, height_cm=180))]))  # no sex
    item = ok(device.get("/api/v1/measurements"))["items"][0]
    assert item["body_fat_pct"] is None


def test_measurements_in_lb_newest_first_and_recorded_body_fat_wins(device):
    older, newer = new_id(), new_id()
    ok(device.sync([
        device.event(*measurement_recorded(older, weight=176, unit="lb", at=BASE_TIME)),
        device.event(
            *measurement_recorded(newer, weight=80, unit="kg", body_fat_pct=12.5, height_cm=180, neck_cm=38, waist_cm=85, sex="male", at=BASE_TIME + minutes(1440))
        ),
    ]))
    items = ok(device.get("/api/v1/measurements"))["items"]
    assert [i["measurement_id"] for i in items] == [newer, older]
    assert items[0]["body_fat_pct"] == 12.5
    assert items[0]["fat_mass_kg"] == pytest.approx(10.0)
    assert (items[1]["weight"], items[1]["unit"]) == (176, "lb")
    assert items[1]["weight_kg"] == pytest.approx(176 * 0.45359237)
    assert items[1]["body_fat_pct"] is None


def test_measurements_pagination(device):
    ids = [new_id() for _ in range(3)]
    ok(device.sync([device.event(*measurement_recorded(m, waist_cm=80 + i, at=BASE_TIME + minutes(i))) for i, m in enumerate(ids)]))
    first = ok(device.get("/api/v1/measurements", limit=2))
    rest = ok(device.get("/api/v1/measurements", limit=2, offset=2))
    assert first["count"] == rest["count"] == 3
    assert [i["measurement_id"] for i in first["items"] + rest["items"]] == ids[::-1]
    assert_error(device.get("/api/v1/measurements", limit=101), 422, "validation_error")
