"""Staff views of accounts: users with their device and event counts, devices, and the audit
trail (read-only). Every staff write is audited."""

from __future__ import annotations

import uuid

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from events.admin import ReadOnlyAdmin, UserIdFilter
from events.models import Device, Event, User
from hypertrophy.accounts.models import AuditEntry
from events.projections import derived_rebuild, refold_user
from hypertrophy.accounts import audit
from hypertrophy.accounts.audit import AuditedAdminMixin
from hypertrophy.accounts.services import account_delete


@admin.register(Device)
class DeviceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Devices can be renamed; their tokens and cursors are the sync's own. A device with events
    cannot be deleted here (events are append-only): account deletion removes it."""

    list_display = ("id", "name", "user", "last_acked_sequence", "last_seen_at")
    search_fields = ("=id", "name", "user__username", "user__email")
    readonly_fields = (
        "id", "user", "token_hash", "last_acked_sequence", "max_sequence", "sync_window", "sync_hits", "created_at",
        "last_seen_at",
    )
    list_select_related = ("user",)
    list_filter = (UserIdFilter,)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeviceInline(admin.TabularInline):
    model = Device
    fields = ("id", "name", "last_acked_sequence", "max_sequence", "created_at", "last_seen_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description="Refold projections from the events", permissions=["change"])
def refold_projections(modeladmin, request, queryset):
    """Recompute every projection of the selected users from their events (and the derived
    ones from those), one transaction per user; audited."""
    total = 0
    for user in queryset.only("pk"):
        with transaction.atomic():
            events = refold_user(user_id=user.pk)
            derived_rebuild(user_id=user.pk)
        audit.record(
            "staff.refolded", request=request, user=request.user, subject=f"events.User {user.pk}", events=events
        )
        total += 1
    plural = "s" if total != 1 else ""
    modeladmin.message_user(request, f"Refolded the projections of {total} user{plural}.", messages.SUCCESS)


@admin.action(description="Delete accounts and all their data", permissions=["erase"])
def delete_accounts(modeladmin, request, queryset):
    """Staff deletion of accounts (say, on a request by email), after a confirmation page:
    the same service as "Delete my account", so events go too. Never the acting staff member."""
    users = list(queryset.exclude(pk=request.user.pk))
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Delete accounts and all their data",
            "opts": modeladmin.model._meta,
            "users": users,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/user/delete_accounts.html", context)
    for user in users:
        result = account_delete(user=user)
        audit.record(
            "staff.account_deleted", request=request, user=request.user, subject=result.reference, events=result.events
        )
    plural = "s" if len(users) != 1 else ""
    modeladmin.message_user(request, f"Deleted {len(users)} account{plural} and all their data.", messages.SUCCESS)
    return None


@admin.register(User)
class HypertrophyUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = (
        "username", "email", "is_guest", "date_joined", "device_count", "event_count", "is_staff", "last_login",
    )
    list_filter = ("is_guest", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email")
    search_help_text = "Username or email (part), or a user id (exact)."
    fieldsets = UserAdmin.fieldsets + (
        ("Hypertrophy", {"fields": ("is_guest", "weight_unit", "length_unit", "week_start", "coach_monthly_quota")}),
    )
    inlines = (DeviceInline,)
    actions = (refold_projections, delete_accounts)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        # Django's own deletion stops at the protected events; "Delete accounts" does it right.
        return False

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("events.delete_user")

    def get_queryset(self, request):
        events = (
            Event.objects.filter(user_id=OuterRef("pk"))
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                device_count=Count("devices", distinct=True),
                event_count=Coalesce(Subquery(events, output_field=IntegerField()), Value(0)),
            )
        )

    def save_model(self, request, obj, form, change):
        """Weekly projections are bucketed by the week start: a change rebuilds them, as the
        settings page does (``user_profile_update``), in the admin's own transaction."""
        super().save_model(request, obj, form, change)
        if change and "week_start" in form.changed_data:
            derived_rebuild(user_id=obj.pk)

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        try:
            return results | queryset.filter(pk=uuid.UUID(search_term.strip())), duplicates
        except ValueError:
            return results, duplicates

    @admin.display(description="devices", ordering="device_count")
    def device_count(self, user) -> str:
        url = reverse("admin:events_device_changelist") + f"?user={user.pk}"
        return format_html('<a href="{}">{}</a>', url, user.device_count)

    @admin.display(description="events", ordering="event_count")
    def event_count(self, user) -> str:
        url = reverse("admin:events_event_changelist") + f"?user={user.pk}"
        return format_html('<a href="{}">{}</a>', url, user.event_count)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject", "user", "ip_address")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter), UserIdFilter)
    search_fields = ("subject", "kind", "user__username", "user__email")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False


audit.connect_admin_log()
