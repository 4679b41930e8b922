"""One meaning per number: "sets" counts working sets (warm-ups excluded) on every page that
shows a week's or a workout's sets, so the same week reads the same on Home, Progress, the
timeline and the weekly report's numbers."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from events.services import events_record
from hypertrophy.testing import logged_in, make_user, new_id, set_completed, workout_started
from workouts.models import SetEntry
from workouts.progress.metrics import weekly_metrics_week, weeks_for, workout_set_counts

pytestmark = pytest.mark.django_db


def _week_began() -> datetime:
    """Local midnight of this (Monday-start) week's first day, from the calendar."""
    day = timezone.localdate()
    day -= timedelta(days=day.weekday())
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _log(user, *, at: datetime, working: int, warmups: int) -> str:
    workout_id = new_id()
    events = [workout_started(workout_id, at=at)]
    events += [
        set_completed(new_id(), workout_id, weight=40, reps=10, set_type="warmup", at=at + timedelta(seconds=10 + i))
        for i in range(warmups)
    ]
    events += [set_completed(new_id(), workout_id, at=at + timedelta(seconds=30 + i)) for i in range(working)]
    assert not events_record(user=user, events=events).rejections
    return workout_id


def _glance(page: str, label: str) -> str:
    found = re.search(rf"<dt>{label}(?: <span[^>]*>[^<]*</span>)?</dt><dd>([^<]*)</dd>", page)
    assert found, f"no {label} on the page"
    return found.group(1)


def test_a_weeks_sets_read_the_same_everywhere():
    user = make_user("counter")
    began = _week_began()
    first = _log(user, at=began + timedelta(seconds=1), working=4, warmups=2)
    second = _log(user, at=began + timedelta(seconds=100), working=3, warmups=3)
    working = SetEntry.objects.filter(user=user).exclude(set_type="warmup").count()
    everything = SetEntry.objects.filter(user=user).count()
    assert working != everything  # the warm-ups are there, and must not count

    week = weeks_for(0).of(timezone.now())
    assert weekly_metrics_week(user=user, week=week).sets == working  # the weekly report's number
    counts = workout_set_counts(user=user, workout_ids=[first, second])
    assert sum(c.working for c in counts.values()) == working
    assert sum(c.total for c in counts.values()) == everything

    client = logged_in(user)
    home = client.get("/")
    assert home.context["week"].sets == working
    assert _glance(home.content.decode(), "Sets") == str(working)
    progress = client.get("/progress/")
    assert progress.context["summary"]["sets"] == working
    assert _glance(progress.content.decode(), "Sets") == str(working)
    timeline = [item.detail for item in progress.context["timeline"] if item.kind == "workout"]
    assert sum(int(re.match(r"(\d+) sets?", detail).group(1)) for detail in timeline) == working


def test_workout_set_counts_only_the_users_and_volume_of_working_sets():
    user, other = make_user("owner"), make_user("other")
    workout_id = _log(user, at=_week_began() + timedelta(seconds=1), working=2, warmups=1)
    (counts,) = workout_set_counts(user=user, workout_ids=[workout_id]).values()
    working = SetEntry.objects.filter(user=user).exclude(set_type="warmup")
    assert counts.working == working.count() and counts.total == working.count() + 1
    assert counts.volume_kg == sum(s.weight_kg * s.reps for s in working)
    assert workout_set_counts(user=other, workout_ids=[workout_id]) == {}
