"""The logging pages: full page versus HTMX partial, who sees what, bounded queries, no-JS forms."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, User
from events.services import events_record
from hypertrophy.testing import logged_in, make_user, new_id, set_completed, workout_ended, workout_started
from hypertrophy.testing import page_queries as _queries
from workouts.models import SetEntry, Workout
from workouts.tests.builders import seed_history

pytestmark = pytest.mark.django_db


def log_via_forms(client: Client, exercise="barbell-bench-press", weight="100", reps="8") -> str:
    response = client.post("/workouts/start", {"name": "Push"})
    assert response.status_code == 302
    url = response.url
    client.post(url + "exercises", {"exercise_id": exercise})
    client.post(url + "sets", {"exercise_id": exercise, "weight": weight, "reps": reps, "set_type": "working"})
    return url


def test_no_js_flow_goes_through_the_ingest():
    client = Client()
    url = log_via_forms(client)
    workout_id = url.strip("/").split("/")[-1]
    user = User.objects.get()
    assert user.is_guest  # the first write made a guest, as the API does
    assert list(Event.objects.filter(user=user).values_list("event_type", flat=True).order_by("sequence_number")) == [
        "WorkoutStarted",
        "WorkoutExerciseAdded",
        "SetCompleted",
    ]
    page = client.get(url)
    assert page.status_code == 200
    assert b"100 kg \xc3\x97 8" in page.content
    set_id = str(SetEntry.objects.get().set_id)
    client.post(f"/sets/{set_id}/edit", {"weight": "102.5", "reps": "6", "set_type": "working"})
    assert SetEntry.objects.get().weight_kg == 102.5
    client.post(f"/sets/{set_id}/delete")
    assert not SetEntry.objects.exists()
    assert client.post(url + "finish").status_code == 302
    assert Workout.objects.get(workout_id=workout_id).ended_at is not None
    assert client.get(url + "summary").status_code == 200


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"weight": "100", "reps": "-1"}, b"greater than or equal to 0"),
        ({"weight": "1200", "reps": "5"}, b"at most 1000 kg"),
        ({"weight": "100", "reps": "5", "rpe": "11"}, b"Select a valid choice"),
        ({"weight": "abc", "reps": "5"}, b"Enter a number"),
    ],
)
def test_bad_input_is_a_form_error_not_a_500(values, message):
    client = Client()
    url = log_via_forms(client)
    before = SetEntry.objects.count()
    response = client.post(url + "sets", {"exercise_id": "barbell-bench-press", "set_type": "working", **values})
    assert response.status_code == 400
    assert message in response.content
    assert SetEntry.objects.count() == before


def test_pounds_preference_shows_every_weight_in_pounds():
    client = Client()
    url = log_via_forms(client, weight="100")
    client.post("/settings/unit", {"unit": "lb"})
    page = client.get(url).content.decode()
    assert "220.5 lb × 8" in page
    client.post(url + "sets", {"exercise_id": "barbell-bench-press", "weight": "225", "reps": "5", "set_type": "working"})
    entry = SetEntry.objects.order_by("completed_at").last()
    assert (entry.weight, entry.unit) == (225, "lb")
    assert entry.weight_kg == pytest.approx(102.058, abs=0.001)


def test_home_and_history_show_volume_in_the_lifters_unit_and_count_sets_right():
    client = Client()
    url = log_via_forms(client, weight="100", reps="8")  # one set: 800 kg of volume
    home, history = client.get("/").content.decode(), client.get("/workouts/").content.decode()
    assert "<dd>800 kg</dd>" in home and "· 1 set" in home and "1 sets" not in home
    assert "· 1 set · 800 kg" in history
    client.post(url + "sets", {"exercise_id": "barbell-bench-press", "weight": "100", "reps": "2", "set_type": "working"})
    client.post("/settings/unit", {"unit": "lb"})
    home, history = client.get("/").content.decode(), client.get("/workouts/").content.decode()
    assert "<dd>2,205 lb</dd>" in home and "· 2 sets" in home  # 1,000 kg
    assert "· 2 sets · 2,205 lb" in history
    assert client.get("/", headers={"HX-Request": "true"}).content.decode().count("2,205 lb") == 1  # the htmx partial too


def test_a_deleted_workouts_exercises_leave_the_recent_list():
    from workouts import selectors

    client = Client()
    kept = log_via_forms(client, exercise="barbell-bench-press")
    deleted = log_via_forms(client, exercise="dip")
    user = Workout.objects.first().user
    assert selectors.recent_exercise_ids(user=user) == ["dip", "barbell-bench-press"]
    assert client.post(deleted + "delete").status_code in (200, 302)
    assert selectors.recent_exercise_ids(user=user) == ["barbell-bench-press"]
    assert '"dip"' not in client.get(kept).content.decode().split('id="recent-exercises"')[1].split("</script>")[0]


def test_full_page_versus_htmx_partial():
    client = Client()
    url = log_via_forms(client)
    full = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert b"<html" in full.content and b"<html" not in partial.content
    assert partial.content.count(b'<section class="exercise-card"') == 1  # the card list only
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    for path in ("/", "/workouts/"):
        full, partial = client.get(path), client.get(path, headers={"HX-Request": "true"})
        assert b"<html" in full.content and b"<html" not in partial.content
        assert "HX-Request" in partial["Vary"]


def test_workout_page_anonymous_owner_other():
    owner, other = make_user("owner"), make_user("other")
    (workout,) = seed_history(owner, weeks=1, per_week=1, sets_per_workout=3)
    url = f"/workouts/{workout.workout_id}/"
    owner_page = logged_in(owner).get(url)
    assert owner_page.status_code == 200 and b"Session 0" in owner_page.content
    for client in (Client(), logged_in(other)):
        response = client.get(url)
        assert response.status_code == 404
        assert b"Session 0" not in response.content
        assert b"data-set-id=\"" + str(SetEntry.objects.first().set_id).encode() not in response.content
        # Writes to someone else's workout or set are refused and change nothing.
        assert client.post(url + "sets", {"exercise_id": "pull-up", "weight": "0", "reps": "5", "set_type": "working"}).status_code == 404
        assert client.post(url + "finish").status_code == 404
        assert client.post(url + "delete").status_code == 404
        set_id = SetEntry.objects.first().set_id
        assert client.post(f"/sets/{set_id}/delete").status_code == 404
        assert client.post(f"/sets/{set_id}/edit", {"weight": "1", "reps": "1", "set_type": "working"}).status_code == 404
    assert SetEntry.objects.filter(user=owner).count() == 3
    assert Workout.objects.get(workout_id=workout.workout_id).ended_at is not None


def test_history_and_exercise_pages_anonymous_owner_other():
    owner, other = make_user("owner"), make_user("other")
    seed_history(owner, weeks=1, per_week=2, sets_per_workout=6)
    for path in ("/", "/workouts/", "/exercises/barbell-bench-press/"):
        assert b"Session 1" in logged_in(owner).get(path).content or path.startswith("/exercises/")
        for client in (Client(), logged_in(other)):
            response = client.get(path)
            assert response.status_code == 200
            assert b"Session 0" not in response.content and b"Session 1" not in response.content
            assert b"data-set-id" not in response.content or path == "/"
    owner_exercise = logged_in(owner).get("/exercises/barbell-bench-press/")
    assert owner_exercise.content.count(b"<tr data-set-id") == 2
    assert Client().get("/exercises/no-such-exercise/").status_code == 404


def test_summary_page_anonymous_owner_other():
    owner, other = make_user("owner"), make_user("other")
    (workout,) = seed_history(owner, weeks=1, per_week=1, sets_per_workout=3)
    url = f"/workouts/{workout.workout_id}/summary"
    assert logged_in(owner).get(url).status_code == 200
    assert Client().get(url).status_code == 404
    assert logged_in(other).get(url).status_code == 404


def test_summary_counts_records():
    client = Client()
    url = log_via_forms(client, weight="100", reps="5")
    client.post(url + "finish")
    url2 = log_via_forms(client, weight="105", reps="3")
    page = client.post(url2 + "finish", follow=True).content.decode()
    # Heavier, but 105 × 3 beats 100 × 5 on no other record (e1RM 115.5 < 116.7, volume 315 < 500).
    assert "Barbell Bench Press: heaviest weight 105 kg" in page
    assert "<dt>Records</dt><dd>1</dd>" in page
    assert page.count('class="pr"') == 1
    # A third workout at 100 × 8 beats both on e1RM, reps at 100 kg and volume, not on weight.
    url3 = log_via_forms(client, weight="100", reps="8")
    page = client.post(url3 + "finish", follow=True).content.decode()
    assert "<dt>Records</dt><dd>3</dd>" in page
    assert "Barbell Bench Press: best e1RM 126.7 kg (100 kg × 8)" in page
    assert "Barbell Bench Press: 8 reps at 100 kg" in page
    assert "Barbell Bench Press: best set volume 800 kg (100 kg × 8)" in page
    assert "heaviest weight" not in page



def test_page_queries_do_not_grow_with_history():
    """One week and five years of history cost the same number of queries on every page."""
    small, large = make_user("one-week"), make_user("five-years")
    small_workouts = seed_history(small, weeks=1)
    large_workouts = seed_history(large, weeks=260, per_week=4, sets_per_workout=25)
    assert SetEntry.objects.filter(user=large).count() == 26_000
    counts = {}
    for user, workouts in ((small, small_workouts), (large, large_workouts)):
        client = logged_in(user)
        latest = workouts[-1].workout_id
        pages = {
            "home": "/",
            "workout": f"/workouts/{latest}/",
            "history": "/workouts/",
            "history-page-3": "/workouts/?page=3" if user == large else "/workouts/?page=1",
            "exercise": "/exercises/barbell-bench-press/",
            "summary": f"/workouts/{latest}/summary",
        }
        counts[user.username] = {name: _queries(client, path) for name, path in pages.items()}
        counts[user.username]["workout-partial"] = _queries(client, f"/workouts/{latest}/", HX_Request="true")
    assert counts["five-years"] == counts["one-week"]
    assert max(counts["five-years"].values()) <= 14


# --- one number format: the pages read numbers through hypertrophy.formatting -----------------


def _logged(user, *, minutes: int, seconds: int, sets: list[tuple[float, int, float | None, str]]) -> str:
    """A finished workout of bench press sets (kg, reps, rpe, type) lasting minutes:seconds."""
    return _logged_at(user, at=timezone.now() - timedelta(days=2), sets=sets, length=timedelta(minutes=minutes, seconds=seconds))


def _logged_at(user, *, at, sets: list[tuple[float, int, float | None, str]], length: timedelta = timedelta(hours=1)) -> str:
    workout_id = new_id()
    events = [workout_started(workout_id, at=at)]
    for i, (kg, reps, rpe, kind) in enumerate(sets):
        extra = {"rpe": rpe} if rpe is not None else {}
        events.append(set_completed(new_id(), workout_id, weight=kg, reps=reps, set_type=kind, at=at + timedelta(minutes=i + 1), **extra))
    events.append(workout_ended(workout_id, at=at + length))
    assert not events_record(user=user, events=events).rejections
    return workout_id


def test_summary_reads_hours_and_minutes_separators_and_both_set_counts():
    user = make_user("summary-format")
    sets = [(60, 10, None, "warmup")] + [(102.5, 10, 8.0, "working")] * 4
    workout_id = _logged(user, minutes=113, seconds=40, sets=sets)
    page = logged_in(user).get(f"/workouts/{workout_id}/summary").content.decode()
    volume = sum(kg * reps for kg, reps, _, kind in sets if kind != "warmup")
    assert volume >= 1000  # a figure that needs a thousands separator
    assert "<dt>Duration</dt><dd>1:53</dd>" in page  # 113 min 40 s: h:mm, seconds dropped
    assert f"<dt>Sets</dt><dd>{len(sets)} sets, {len(sets) - 1} working</dd>" in page
    assert f"<dt>Volume</dt><dd>{volume:,.0f} kg</dd>" in page


def test_history_volume_in_the_lifters_unit_with_separators():
    user = make_user("history-format", weight_unit="lb")
    sets = [(100, 10, None, "working")] * 3
    _logged(user, minutes=40, seconds=0, sets=sets)
    page = logged_in(user).get("/workouts/").content.decode()
    pounds = round(sum(kg * reps for kg, reps, _, _ in sets) / 0.45359237)
    assert f"· {len(sets)} sets · {pounds:,} lb" in page


def test_exercise_page_rpe_as_at_weights_without_trailing_zero_and_a_link_to_progress():
    user = make_user("exercise-format")
    _logged(user, minutes=30, seconds=0, sets=[(100.0, 5, 8.0, "working"), (102.5, 3, 8.5, "working")])
    page = logged_in(user).get("/exercises/barbell-bench-press/").content.decode()
    rows = re.findall(r"<tr data-set-id=.*?</tr>", page, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    assert [c[1] for c in cells] == ["102.5 kg × 3", "100 kg × 5"]  # newest first, no "100.0"
    assert [c[2] for c in cells] == ["@8.5", "@8"]
    assert 'href="/progress/exercise/barbell-bench-press/"' in page


def test_home_takes_no_error_text_from_the_url():
    page = logged_in(make_user("url-error")).get("/?error=deload").content.decode()
    assert "could not be saved" not in page and 'role="alert"' not in page


def test_exercise_page_marks_deload_weeks_instead_of_drawing_them_as_drops():
    from workouts.progress.exercise import lighter_weeks
    from workouts.progress.metrics import weekly_metrics_recent

    user = make_user("deloader")
    now = timezone.now()
    monday = (now - timedelta(days=now.weekday() + 28)).replace(hour=10, minute=0, second=0, microsecond=0)
    for week, sets in enumerate((5, 5, 1, 5)):  # the third of four weeks a deload
        _logged_at(user, at=monday + timedelta(weeks=week), sets=[(100, 5, None, "working")] * sets)
    light = lighter_weeks(weekly_metrics_recent(user=user))
    assert light == {timezone.localdate(monday + timedelta(weeks=2))}
    response = logged_in(user).get("/exercises/barbell-bench-press/")
    chart = response.context["chart"]
    assert chart.marked == light and len(chart.marked_rects) == 1
    assert "Lighter (deload) week" in response.content.decode()
