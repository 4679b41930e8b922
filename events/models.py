"""The event log: devices, events (append-only) and dead letters."""

from __future__ import annotations

import contextlib
import contextvars
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.utils import timezone

_mutation_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("event_mutation_allowed", default=False)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a stored event outside the allowed paths."""


@contextlib.contextmanager
def event_mutation_allowed():
    """Opens the append-only guard, for ``events.ownership`` only: a user's events erased
    (account deletion) or moved to another user (a guest merged into an account).

    Must be used inside a transaction; on PostgreSQL it also opens the trigger for
    the rest of that transaction only (``SET LOCAL``).
    """
    token = _mutation_allowed.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hypertrophy.allow_event_mutation = 'on'")
        yield
    finally:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hypertrophy.allow_event_mutation = 'off'")
        _mutation_allowed.reset(token)


def _check_mutation_allowed() -> None:
    if not _mutation_allowed.get():
        raise AppendOnlyError("Events are append-only; only account deletion and merge may change them.")


class User(AbstractUser):
    """A lifter. Ids are UUIDs (API.md); a guest has no email and no password yet."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    is_guest = models.BooleanField(default=False, help_text="Created by a browser's first write; no credentials yet.")
    weight_unit = models.CharField(max_length=2, choices=[("kg", "kg"), ("lb", "lb")], default="kg")
    length_unit = models.CharField(max_length=2, choices=[("cm", "cm"), ("in", "in")], default="cm")
    sex = models.CharField(max_length=6, choices=[("male", "Male"), ("female", "Female")], blank=True)
    height_cm = models.FloatField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    e1rm_formula = models.CharField(
        max_length=10,
        choices=[
            ("epley", "Epley"),
            ("brzycki", "Brzycki"),
            ("lombardi", "Lombardi"),
            ("oconner", "O'Conner"),
            ("mayhew", "Mayhew"),
            ("wathen", "Wathen"),
        ],
        default="epley",
    )
    time_zone = models.CharField(
        max_length=64, blank=True, default="", help_text="IANA time zone name (e.g. Europe/Paris); blank = the site's zone."
    )
    week_start = models.PositiveSmallIntegerField(
        choices=[(0, "Monday"), (6, "Sunday"), (5, "Saturday")], default=0, help_text="Weekday the training week starts (0 = Monday)."
    )

    # Training profile (settings page; read by programs and the coach).
    experience_level = models.CharField(
        max_length=12,
        choices=[("beginner", "Beginner"), ("intermediate", "Intermediate"), ("advanced", "Advanced")],
        default="intermediate",
    )
    primary_goal = models.CharField(
        max_length=12,
        choices=[
            ("hypertrophy", "Build muscle"),
            ("strength", "Get stronger"),
            ("endurance", "Muscular endurance"),
            ("fat_loss", "Lose fat"),
            ("general", "General fitness"),
        ],
        default="hypertrophy",
    )
    rest_compound_seconds = models.PositiveSmallIntegerField(default=180, help_text="Default rest after a compound set.")
    rest_isolation_seconds = models.PositiveSmallIntegerField(default=90, help_text="Default rest after an isolation set.")
    equipment = models.JSONField(
        default=list, blank=True, help_text="Equipment the lifter has (catalog equipment names); empty means everything."
    )
    theme = models.CharField(
        max_length=6, choices=[("system", "System"), ("light", "Light"), ("dark", "Dark")], default="system"
    )
    # The coach (coaching app).
    coach_tone = models.CharField(
        max_length=16,
        choices=[("encouraging", "Encouraging"), ("neutral", "Neutral"), ("drill_sergeant", "Drill sergeant")],
        default="encouraging",
    )
    coach_aggressiveness = models.CharField(
        max_length=12,
        choices=[("conservative", "Conservative"), ("standard", "Standard"), ("aggressive", "Aggressive")],
        default="standard",
    )
    coach_monthly_quota = models.PositiveIntegerField(
        null=True, blank=True, help_text="LLM questions per month; empty uses COACH_MONTHLY_QUOTA. Staff can raise it."
    )
    weekly_report_email = models.BooleanField(default=False, help_text="Email the weekly report.")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Device(models.Model):
    """A browser or client that writes events. Its id is generated by the client."""

    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the bearer token.")
    last_acked_sequence = models.PositiveBigIntegerField(default=0)
    max_sequence = models.PositiveBigIntegerField(default=0, help_text="Largest sequence number stored or dead-lettered.")
    # The sync rate limit (SYNC_RATE_LIMIT), counted on the row the ingest locks and updates
    # anyway: no extra query per sync. ``sync_window`` is the current window's index.
    sync_window = models.PositiveBigIntegerField(default=0)
    sync_hits = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return self.name or str(self.id)


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _check_mutation_allowed()
        return super().update(**kwargs)

    def delete(self):
        _check_mutation_allowed()
        return super().delete()

    def canonical(self):
        return self.order_by("occurred_at", "device_id", "sequence_number")


class Event(models.Model):
    """One immutable fact a client logged. Written only by ``events.services``."""

    event_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(max_length=64)
    sequence_number = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    correlation_id = models.UUIDField(null=True, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    aggregate_type = models.CharField(max_length=32)
    aggregate_id = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "sequence_number"], name="event_unique_device_sequence"),
        ]
        indexes = [
            models.Index(
                fields=["user", "aggregate_type", "aggregate_id", "occurred_at", "device", "sequence_number"],
                name="event_aggregate_canonical",
            ),
            models.Index(fields=["received_at"], name="event_received_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _check_mutation_allowed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _check_mutation_allowed()
        return super().delete(*args, **kwargs)


class DeadLetter(models.Model):
    """An event the server rejected, kept with its reason so nothing is silently lost."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="dead_letters")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64, blank=True)
    sequence_number = models.PositiveBigIntegerField()
    raw = models.JSONField()
    code = models.CharField(max_length=32)
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A resend of the same rejected event is kept once; the same id under another
            # sequence number is another rejection, kept too (the ack cursor counts it).
            models.UniqueConstraint(fields=["device", "event_id", "sequence_number"], name="deadletter_unique_device_event_seq"),
        ]
        indexes = [
            models.Index(fields=["device", "sequence_number"]),
            models.Index(fields=["-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.event_type} {self.event_id}"
