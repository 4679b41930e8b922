"""Staff views of the event log: events and dead letters, read-only. Users, devices and the
audit trail are ``hypertrophy.accounts.admin``."""

from __future__ import annotations

import uuid

from django.contrib import admin
from django.db.models import Q

from events.admin_lookups import SafeLookupsMixin
from events.models import DeadLetter, Event


class ReadOnlyAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Staff can look, never write: events are append-only, dead letters and the audit trail are evidence."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IdFilter(admin.SimpleListFilter):
    """Filter by an id given in the URL (``?user=<uuid>``), linked from the user list.

    Unlike a related-field filter it never lists every user or device: one choice, the
    selected one, so the page costs the same with a million users.
    """

    field = ""

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(**{f"{self.field}_id": uuid.UUID(value)})
        except ValueError:
            return queryset.none()


class UserIdFilter(IdFilter):
    title = "user id"
    parameter_name = "user"
    field = "user"


class DeviceIdFilter(IdFilter):
    title = "device id"
    parameter_name = "device"
    field = "device"


def _exact_uuid_search(queryset, search_term: str, fields: tuple[str, ...]):
    """Exact search on UUID columns, only when the term is a UUID (else nothing to match)."""
    try:
        value = uuid.UUID(search_term.strip())
    except ValueError:
        return queryset.none()
    condition = Q()
    for name in fields:
        condition |= Q(**{name: value})
    return queryset.filter(condition)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "aggregate_id", "user", "device", "sequence_number", "occurred_at", "received_at")
    list_filter = (
        "event_type", "aggregate_type", UserIdFilter, DeviceIdFilter, ("received_at", admin.DateFieldListFilter),
    )
    search_fields = ("=aggregate_id",)
    search_help_text = "An event id, user id or device id (exact), or an aggregate id."
    list_select_related = ("user", "device")
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        by_aggregate, _ = super().get_search_results(request, queryset, search_term)
        if not search_term:
            return by_aggregate, False
        by_uuid = _exact_uuid_search(queryset, search_term, ("event_id", "user_id", "device_id"))
        return by_aggregate | by_uuid, False


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdmin):
    list_display = ("code", "event_type", "user", "device", "sequence_number", "created_at", "message")
    list_filter = ("code", "event_type", UserIdFilter, DeviceIdFilter, ("created_at", admin.DateFieldListFilter))
    search_fields = ("message",)
    search_help_text = "An event id, user id or device id (exact), or words of the message."
    list_select_related = ("user", "device")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        by_message, _ = super().get_search_results(request, queryset, search_term)
        if not search_term:
            return by_message, False
        return by_message | _exact_uuid_search(queryset, search_term, ("event_id", "user_id", "device_id")), False
