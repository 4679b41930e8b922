"""The audit trail's model moved from events to accounts without touching its table: a database
at the state before the move, with rows in every table of the events app, migrates with
nothing lost, and the content type (with its permissions) follows the model."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("events", "0008_cache_table"), ("accounts", None)]


def _migrate(targets):
    """Migrate to ``targets``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _rows_before(old_apps) -> dict:
    """One or more rows in every table of the events app, written with the models as they were."""
    User = old_apps.get_model("events", "User")
    Device = old_apps.get_model("events", "Device")
    Event = old_apps.get_model("events", "Event")
    DeadLetter = old_apps.get_model("events", "DeadLetter")
    AuditEntry = old_apps.get_model("events", "AuditEntry")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    at = datetime(2026, 11, 2, 17, 0, tzinfo=timezone.utc)
    user = User.objects.create(username="lifter", email="lifter@example.com", weight_unit="lb")
    device = Device.objects.create(id=uuid.uuid4(), user=user, name="phone", last_acked_sequence=1, max_sequence=2)
    event = Event.objects.create(
        event_id=uuid.uuid4(), user=user, device=device, event_type="WorkoutStarted", sequence_number=1,
        occurred_at=at, payload={"workout_id": str(uuid.uuid4())}, aggregate_type="workout", aggregate_id="w1",
    )
    dead = DeadLetter.objects.create(
        user=user, device=device, event_id=uuid.uuid4(), event_type="Nope", sequence_number=2, raw={"a": 1},
        code="invalid_event", message="event_type: unknown",
    )
    entries = [
        AuditEntry.objects.create(kind="login", user=user, subject="lifter@example.com", ip_address="10.0.0.1",
                                  user_agent="Phone", data={"n": 1}, created_at=at),
        AuditEntry.objects.create(kind="login.failed", subject="someone@example.com", data={}, created_at=at),
    ]
    content_type, _ = OldContentType.objects.get_or_create(app_label="events", model="auditentry")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_auditentry", defaults={"name": "Can view audit entry"}
    )
    return {
        "user": user.pk, "device": device.pk, "event": event.event_id, "dead": dead.pk,
        "entries": [(e.pk, e.kind, e.user_id, e.subject, e.ip_address, e.user_agent, e.data, e.created_at) for e in entries],
        "content_type": content_type.pk, "permission": permission.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_with_nothing_lost():
    leaves = _leaves()
    old_apps = _migrate(BEFORE)
    try:
        before = _rows_before(old_apps)
    finally:
        _migrate(leaves)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from events.models import DeadLetter, Device, Event
    from hypertrophy.accounts.models import AuditEntry

    user = get_user_model().objects.get(pk=before["user"])
    assert user.weight_unit == "lb" and user.email == "lifter@example.com"
    assert Device.objects.get(pk=before["device"]).user_id == user.pk
    assert Event.objects.get(event_id=before["event"]).aggregate_id == "w1"
    assert DeadLetter.objects.get(pk=before["dead"]).raw == {"a": 1}
    after = [
        (e.pk, e.kind, e.user_id, e.subject, e.ip_address, e.user_agent, e.data, e.created_at)
        for e in AuditEntry.objects.order_by("pk")
    ]
    assert after == before["entries"]
    moved = ContentType.objects.get(pk=before["content_type"])
    assert (moved.app_label, moved.model) == ("accounts", "auditentry")
    assert ContentType.objects.get_for_model(AuditEntry).pk == moved.pk
    assert Permission.objects.get(pk=before["permission"]).content_type_id == moved.pk
    # The model writes where it always did: a new entry lands in the same table.
    entry = AuditEntry.objects.create(kind="logout", user=user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind FROM events_auditentry WHERE id = %s", [entry.pk])
        assert cursor.fetchone() == ("logout",)
