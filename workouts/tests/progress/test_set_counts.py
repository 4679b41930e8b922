"""One meaning per number: "sets" counts working sets (warm-ups excluded) on every page that
shows a week's or a workout's sets, so the same week reads the same on Home (the week and the
recent workouts), History, each workout's summary, Progress (its glance and timeline), the
coach's reads and the weekly report. Where both counts help (the summary, the API) the other is
named: "6 sets, 4 working", ``set_count`` beside ``working_set_count``."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from coaching.reports import report_content
from coaching.selectors import recent_workouts
from events.services import events_record
from hypertrophy.testing import clock_at, logged_in, make_user, new_id, set_completed, workout_ended, workout_started
from workouts.models import SetEntry
from workouts.progress.metrics import weekly_metrics_week, weeks_for
from workouts.selectors import workout_summaries

pytestmark = pytest.mark.django_db

# A Wednesday afternoon: the week (Monday start) began two days before.
NOW = datetime(2026, 11, 11, 15, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def wednesday():
    with clock_at(NOW):
        yield


def _week_began() -> datetime:
    """Local midnight of this (Monday-start) week's first day, from the (pinned) calendar."""
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
    events.append(workout_ended(workout_id, at=at + timedelta(minutes=50)))
    assert not events_record(user=user, events=events).rejections
    return workout_id


def _glance(page: str, label: str) -> str:
    found = re.search(rf"<dt>{label}(?: <span[^>]*>[^<]*</span>)?</dt><dd>([^<]*)</dd>", page)
    assert found, f"no {label} on the page"
    return found.group(1)


def _listed_sets(page: str) -> list[int]:
    """The set count of each workout a list shows ('Mon 9 Nov · 4 sets · 2,400 kg')."""
    rows = re.findall(r'<a href="/workouts/[0-9a-f-]{36}/">[^<]*</a>\s*<span class="muted">([^<]*)</span>', page)
    assert rows, "no workouts listed"
    return [int(re.search(r"· ([\d,]+) sets?\b", row).group(1).replace(",", "")) for row in rows]


def _working_of(text: str) -> int:
    """'6 sets, 4 working' → 4; '4 sets' (no warm-ups) → 4."""
    found = re.fullmatch(r"(?:[\d,]+ sets?, ([\d,]+) working|([\d,]+) sets?)", text.strip())
    assert found, f"{text!r} is no set count"
    return int((found.group(1) or found.group(2)).replace(",", ""))


def test_a_weeks_sets_read_the_same_everywhere(wednesday):
    user = make_user("counter")
    began = _week_began()
    workouts = [
        _log(user, at=began + timedelta(hours=9), working=4, warmups=2),
        _log(user, at=began + timedelta(days=1, hours=9), working=3, warmups=3),
    ]
    working = SetEntry.objects.filter(user=user).exclude(set_type="warmup").count()
    everything = SetEntry.objects.filter(user=user).count()
    assert working != everything  # the warm-ups are there, and must not count

    week = weeks_for(0, "").of(timezone.now())
    assert weekly_metrics_week(user=user, week=week).sets == working  # the weekly report's number
    counts = workout_summaries(user=user, workout_ids=workouts)
    assert sum(c.set_count for c in counts.values()) == working
    assert sum(c.all_set_count for c in counts.values()) == everything

    client = logged_in(user)
    home = client.get("/")
    assert home.context["week"].sets == working
    assert _glance(home.content.decode(), "Sets") == str(working)
    assert sum(_listed_sets(home.content.decode())) == working

    history = client.get("/workouts/")
    assert sum(_listed_sets(history.content.decode())) == working

    summaries = [client.get(f"/workouts/{w}/summary").content.decode() for w in workouts]
    assert sum(_working_of(_glance(page, "Sets")) for page in summaries) == working
    assert all("working" in _glance(page, "Sets") for page in summaries)  # the warm-ups named, not counted

    progress = client.get("/progress/")
    assert progress.context["summary"]["sets"] == working
    assert _glance(progress.content.decode(), "Sets") == str(working)
    timeline = [item.detail for item in progress.context["timeline"] if item.kind == "workout"]
    assert sum(int(re.match(r"(\d+) sets?", detail).group(1)) for detail in timeline) == working

    report = report_content(user=user, week=week, now=timezone.now())
    assert report["metrics"]["sets"] == working
    assert sum(w["sets"] for w in recent_workouts(user=user)["workouts"]) == working


def test_the_api_keeps_set_count_and_adds_the_working_sets(wednesday):
    user = make_user("api")
    began = _week_began()
    workouts = [_log(user, at=began + timedelta(hours=h), working=3, warmups=2) for h in (9, 30)]
    working = SetEntry.objects.filter(user=user).exclude(set_type="warmup").count()
    everything = SetEntry.objects.filter(user=user).count()

    client = logged_in(user)
    items = client.get("/api/v1/workouts").json()["items"]
    assert sum(i["set_count"] for i in items) == everything  # API.md's field: every set
    assert sum(i["working_set_count"] for i in items) == working
    detail = client.get(f"/api/v1/workouts/{workouts[0]}").json()
    assert detail["set_count"] == len(detail["sets"])
    assert detail["working_set_count"] == sum(1 for s in detail["sets"] if s["set_type"] != "warmup")


def test_a_workout_without_warm_ups_reads_just_sets(wednesday):
    user = make_user("plain")
    workout_id = _log(user, at=_week_began() + timedelta(hours=9), working=2, warmups=0)
    page = logged_in(user).get(f"/workouts/{workout_id}/summary").content.decode()
    assert _glance(page, "Sets") == f"{SetEntry.objects.filter(user=user).count()} sets"


def test_workout_summaries_count_only_the_users_and_volume_of_working_sets(wednesday):
    user, other = make_user("owner"), make_user("other")
    workout_id = _log(user, at=_week_began() + timedelta(hours=9), working=2, warmups=1)
    (counts,) = workout_summaries(user=user, workout_ids=[workout_id]).values()
    working = SetEntry.objects.filter(user=user).exclude(set_type="warmup")
    assert counts.set_count == working.count() and counts.all_set_count == working.count() + 1
    assert counts.volume_kg == sum(s.weight_kg * s.reps for s in working)
    assert workout_summaries(user=other, workout_ids=[workout_id]) == {}

