"""Derived projections (events/registry.py, events/projections.py): registration, and when
the projection runner calls them — after each ingest with what changed, per user after a
refold of stored events, and once per user at the end of a full rebuild."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction

from events.models import Device, Event
from events.projections import derived_rebuild, refold_user
from events.registry import Change, Registry, registry
from events.services import events_record
from hypertrophy.testing import (
    BASE_TIME,
    minutes,
    new_id,
    register_device,
    set_completed,
    set_deleted,
    set_updated,
    workout_started,
)


class Recorder:
    """A derived projection that writes nothing and remembers every call."""

    def __init__(self, name: str = "recorder", sources=frozenset({"set"})) -> None:
        self.name = name
        self.sources = frozenset(sources)
        self.calls: list[tuple] = []

    def refresh(self, *, user_id, changes):
        self.calls.append(("refresh", user_id, list(changes)))

    def rebuild(self, *, user_ids):
        self.calls.append(("rebuild", list(user_ids)))

    def reset(self):
        self.calls.append(("reset",))


@pytest.fixture
def recorder():
    """A Recorder registered on the real registry for one test, then removed again."""
    saved_derived, saved_followed = dict(registry.derived), registry.followed
    recorder = Recorder()
    registry.register_derived(recorder)
    yield recorder
    registry.derived.clear()
    registry.derived.update(saved_derived)
    registry.followed = saved_followed


# --- registration -------------------------------------------------------------------------------


def test_register_derived_checks_names_and_sources():
    r = Registry()
    a = Recorder("a", {"set"})
    r.register_derived(a)
    r.register_derived(Recorder("b", {"workout", "measurement"}))
    assert r.followed == {"set", "workout", "measurement"}
    with pytest.raises(ValueError, match="already registered"):
        r.register_derived(Recorder("a", {"workout"}))
    with pytest.raises(ValueError, match="follows no aggregate"):
        r.register_derived(Recorder("c", set()))
    assert [d.name for d in r.derived_following({"set"})] == ["a"]
    assert [d.name for d in r.derived_following({"measurement", "set"})] == ["a", "b"]
    assert r.derived_following({"goal"}) == []


def test_sources_may_belong_to_apps_registered_later():
    r = Registry()
    r.register_derived(Recorder("early", {"not-registered-yet"}))  # no error: looked up when events land
    assert r.followed == {"not-registered-yet"}


def test_weekly_metrics_is_registered_by_its_app():
    assert {"workout", "set", "measurement"} <= set(registry.followed)


# --- the ingest tells what changed ------------------------------------------------------------------


@pytest.mark.django_db
def test_ingest_hands_over_before_and_after_states(recorder, device):
    w, s = new_id(), new_id()
    device.sync([device.event(*workout_started(w)), device.event(*set_completed(s, w, weight=100, reps=5))])
    (call,) = recorder.calls
    kind, user_id, changes = call
    assert kind == "refresh" and str(user_id) == device.user_id
    assert [(c.aggregate, c.aggregate_id) for c in changes] == [("set", s)]  # only the sources it follows
    assert changes[0].before is None and changes[0].after.reps == 5

    recorder.calls.clear()
    device.sync([device.event(*set_updated(s, reps=8), at=BASE_TIME + minutes(1))])
    (change,) = recorder.calls[0][2]
    assert (change.before.reps, change.after.reps) == (5, 8)

    recorder.calls.clear()
    device.sync([device.event(*set_deleted(s), at=BASE_TIME + minutes(2))])
    (change,) = recorder.calls[0][2]
    assert change.before.visible and not change.after.visible
    assert change.after.completed_at == change.before.completed_at  # a deleted state still says when it was


@pytest.mark.django_db
def test_duplicates_and_rejections_call_nothing(recorder, device):
    w = new_id()
    event = device.event(*workout_started(w))
    device.sync([event])
    device.sync([event])  # a duplicate
    device.sync([device.event("SetCompleted", {"set_id": new_id()})])  # rejected
    device.sync([device.event(*workout_started(new_id()))])  # a workout: not a source
    assert recorder.calls == []


@pytest.mark.django_db
def test_refresh_runs_in_the_ingest_transaction(recorder, device):
    """A derived projection that fails fails the whole write: nothing is stored."""

    def boom(**kwargs):
        raise RuntimeError("derived projection failed")

    recorder.refresh = boom
    w = new_id()
    with pytest.raises(RuntimeError):
        events_record(
            user=Device.objects.get(pk=device.device_id).user,
            events=[("SetCompleted", dict(set_completed(new_id(), w)[1]))],
        )
    assert not Event.objects.filter(event_type="SetCompleted").exists()


@pytest.mark.django_db
def test_refold_of_stored_events_rebuilds_the_user(recorder, device):
    w = new_id()
    device.sync([device.event(*workout_started(w)), device.event(*set_completed(new_id(), w))])
    recorder.calls.clear()
    with transaction.atomic():
        assert refold_user(user_id=uuid.UUID(device.user_id)) == 2
    assert recorder.calls == [("rebuild", [uuid.UUID(device.user_id)])]


@pytest.mark.django_db
def test_full_rebuild_resets_first_and_rebuilds_each_user_with_source_events(recorder):
    lifters = [register_device() for _ in range(2)]
    only_workouts = register_device()
    for device in lifters:
        w = new_id()
        device.sync([device.event(*workout_started(w)), device.event(*set_completed(new_id(), w))])
    only_workouts.sync([only_workouts.event(*workout_started(new_id()))])
    recorder.calls.clear()
    call_command("rebuild_projections", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    assert recorder.calls[0] == ("reset",)
    (call,) = recorder.calls[1:]
    assert call[0] == "rebuild"
    assert call[1] == sorted(
        (uuid.UUID(d.user_id) for d in lifters), key=str
    )  # the user with no set has nothing to rebuild


def test_change_is_plain_data():
    change = Change("set", "x", None, 1)
    assert (change.aggregate, change.aggregate_id, change.before, change.after) == ("set", "x", None, 1)
    with pytest.raises(AttributeError):
        change.after = 2  # frozen


@pytest.mark.django_db
def test_derived_rebuild_recomputes_one_user_for_a_settings_change(recorder, device):
    """The profile service (events app) calls this after a change of week_start."""
    derived_rebuild(user_id=uuid.UUID(device.user_id))
    assert recorder.calls == [("rebuild", [uuid.UUID(device.user_id)])]
