"""The catalog in the admin: staff editing an exercise's muscle contributions counts the weekly
numbers that depend on them again (the Progress page's sets per muscle follow at once), and
contributions the folds could not use are a form error."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from events.services import events_record
from hypertrophy.formatting import fmt_number
from hypertrophy.testing import clock_at, logged_in, make_user, new_id, set_completed, workout_started
from workouts.models import Exercise, SetEntry, WeeklyMetrics

pytestmark = pytest.mark.django_db

BENCH = "barbell-bench-press"
NOW = datetime(2026, 11, 11, 15, 0, tzinfo=timezone.get_fixed_timezone(0))  # a Wednesday


@pytest.fixture
def wednesday():
    with clock_at(NOW):
        yield


def _change_url(exercise: Exercise) -> str:
    return f"/admin/workouts/exercise/{exercise.pk}/change/"


def _form_data(client, exercise: Exercise, **changes) -> dict:
    """What the change page's form posts as it stands (with the hidden initial values a browser
    sends back for fields with a callable default), with ``changes``."""
    form = client.get(_change_url(exercise)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is False or value is None:
            continue
        data[name] = value
        if field.show_hidden_initial:
            data[form[name].html_initial_name] = value
    data.update(changes)
    return data


def _log_bench(user, sets: int) -> None:
    workout_id, at = new_id(), NOW - timedelta(days=1)
    events = [workout_started(workout_id, at=at)]
    events += [set_completed(new_id(), workout_id, exercise_id=BENCH, at=at + timedelta(minutes=i + 1)) for i in range(sets)]
    assert not events_record(user=user, events=events).rejections


def _week_muscles(user) -> dict[str, float]:
    (row,) = WeeklyMetrics.objects.filter(user=user)
    return row.sets_per_muscle


def test_editing_muscles_refolds_every_lifters_weekly_numbers(admin_client, wednesday, django_capture_on_commit_callbacks):
    lifters = [make_user("first"), make_user("second")]
    for n, user in enumerate(lifters, start=2):
        _log_bench(user, sets=n)
    bench = Exercise.objects.get(slug=BENCH)
    new_muscles = {"chest": 0.5, "lats": 0.25}
    assert new_muscles != bench.muscles
    before = {user.pk: _week_muscles(user) for user in lifters}

    data = _form_data(admin_client, bench, muscles=json.dumps(new_muscles))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(_change_url(bench), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1
    bench.refresh_from_db()
    assert bench.muscles == new_muscles

    for user in lifters:
        sets = SetEntry.objects.filter(user=user, exercise_id=BENCH).exclude(set_type="warmup").count()
        after = _week_muscles(user)
        assert after == {m: share * sets for m, share in new_muscles.items()}
        assert after != before[user.pk]
        # The Progress page reads the refolded row: lats, which bench did not train before.
        shown = dict(logged_in(user).get("/progress/").context["summary"]["muscles"])
        assert shown["Lats"] == fmt_number(new_muscles["lats"] * sets)


def test_an_edit_that_leaves_the_muscles_alone_refolds_nothing(admin_client, wednesday, django_capture_on_commit_callbacks):
    _log_bench(make_user("lifter"), sets=3)
    bench = Exercise.objects.get(slug=BENCH)
    data = _form_data(admin_client, bench, how_to="Lower the bar to the chest, press it up.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(_change_url(bench), data)
    assert response.status_code == 302
    assert callbacks == []


@pytest.mark.parametrize(
    "muscles, message",
    [
        ("[1, 2]", "as an object"),
        ("{}", "This field is required"),
        ('{"wings": 1.0}', "Unknown muscle: wings"),
        ('{"chest": 0.3}', "a share of a set is one of"),
        ('{"chest": "1.0"}', "a share of a set is one of"),
        ('{"chest": true}', "a share of a set is one of"),
        ("not json", "Enter a valid JSON"),
    ],
)
def test_muscles_the_folds_cannot_use_are_a_form_error(admin_client, muscles, message):
    bench = Exercise.objects.get(slug=BENCH)
    kept = bench.muscles
    response = admin_client.post(_change_url(bench), _form_data(admin_client, bench, muscles=muscles))
    assert response.status_code == 200 and message in response.content.decode()
    bench.refresh_from_db()
    assert bench.muscles == kept


def test_non_staff_cannot_edit_the_catalog():
    bench = Exercise.objects.get(slug=BENCH)
    kept = bench.muscles
    response = logged_in(make_user("lifter")).post(_change_url(bench), {"muscles": '{"lats": 1.0}'})
    assert response.status_code == 302 and "/admin/login/" in response.url
    bench.refresh_from_db()
    assert bench.muscles == kept
