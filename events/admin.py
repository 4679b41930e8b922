"""Staff views of the event log: events and dead letters are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from events.models import DeadLetter, Device, Event, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "user", "device", "sequence_number", "occurred_at", "received_at")
    list_filter = ("event_type", "aggregate_type", ("received_at", admin.DateFieldListFilter))
    search_fields = ("=event_id", "=aggregate_id", "=device__id", "user__username", "user__email")
    list_select_related = ("user", "device")
    date_hierarchy = "occurred_at"
    show_full_result_count = False


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdmin):
    list_display = ("code", "event_type", "user", "device", "sequence_number", "created_at", "message")
    list_filter = ("code", "event_type", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=event_id", "=device__id", "user__username", "message")
    list_select_related = ("user", "device")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "user", "last_acked_sequence", "last_seen_at")
    search_fields = ("=id", "name", "user__username", "user__email")
    readonly_fields = ("id", "user", "token_hash", "last_acked_sequence", "created_at", "last_seen_at")
    list_select_related = ("user",)


@admin.register(User)
class HypertrophyUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_guest", "is_staff", "date_joined", "last_login")
    list_filter = ("is_guest", "is_staff", "is_superuser", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Hypertrophy", {"fields": ("is_guest", "weight_unit")}),)
