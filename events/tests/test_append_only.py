"""The event log is append-only: the ORM guard everywhere, a trigger on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from events.models import AppendOnlyError, Event, event_mutation_allowed
from hypertrophy.testing import new_id, workout_noted, workout_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(device) -> Event:
    w = new_id()
    response = device.sync([device.event(*workout_started(w)), device.event(*workout_noted(w, "first"))])
    assert response.json()["accepted_count"] == 2
    return Event.objects.get(event_type="WorkoutStarted")


def test_save_of_an_existing_event_is_refused(stored):
    stored.event_type = "WorkoutDeleted"
    with pytest.raises(AppendOnlyError):
        stored.save()
    assert Event.objects.get(pk=stored.pk).event_type == "WorkoutStarted"


def test_delete_of_an_event_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        stored.delete()
    assert Event.objects.filter(pk=stored.pk).exists()


def test_queryset_update_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=stored.pk).update(event_type="WorkoutDeleted")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(payload={})
    assert Event.objects.get(pk=stored.pk).event_type == "WorkoutStarted"


def test_queryset_delete_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=stored.pk).delete()
    assert Event.objects.count() == 2


def test_new_events_can_still_be_created(stored):
    fields = {f.attname: getattr(stored, f.attname) for f in Event._meta.concrete_fields if f.attname != "id"}
    Event(**{**fields, "event_id": new_id(), "sequence_number": 99}).save()  # adding is allowed
    assert Event.objects.count() == 3


def test_event_mutation_allowed_opens_the_orm_guard(stored):
    with transaction.atomic(), event_mutation_allowed():
        stored.event_type = "WorkoutDeleted"
        stored.save()
        Event.objects.filter(pk=stored.pk).update(sequence_number=42)
        Event.objects.exclude(pk=stored.pk).delete()
    stored = Event.objects.get(pk=stored.pk)
    assert (stored.event_type, stored.sequence_number) == ("WorkoutDeleted", 42)
    assert Event.objects.count() == 1
    # ...and closes it again afterwards.
    with pytest.raises(AppendOnlyError):
        stored.delete()


@pytest.mark.postgres
def test_raw_sql_update_is_refused_by_the_trigger(stored):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE events_event SET event_type = 'WorkoutDeleted' WHERE id = %s", [stored.pk])
    assert Event.objects.get(pk=stored.pk).event_type == "WorkoutStarted"


@pytest.mark.postgres
def test_raw_sql_delete_is_refused_by_the_trigger(stored):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM events_event")
    assert Event.objects.count() == 2


@pytest.mark.postgres
def test_raw_sql_is_allowed_inside_event_mutation_allowed(stored):
    with transaction.atomic(), event_mutation_allowed(), connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET sequence_number = 77 WHERE id = %s", [stored.pk])
        cursor.execute("DELETE FROM events_event WHERE id <> %s", [stored.pk])
    assert list(Event.objects.values_list("pk", "sequence_number")) == [(stored.pk, 77)]


@pytest.mark.postgres
def test_trigger_closes_again_after_the_allowed_block(stored):
    with transaction.atomic():
        with event_mutation_allowed(), connection.cursor() as cursor:
            cursor.execute("UPDATE events_event SET sequence_number = 77 WHERE id = %s", [stored.pk])
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM events_event")
    assert Event.objects.count() == 2
