"""Staff views of the coach: conversations, facts, reports, and each lifter's LLM quota. Every
staff write here (quota changes, fact edits, deletions, bulk ones too) is in the audit trail
with the staff member's address, through ``AuditedAdminMixin``."""

from django.conf import settings
from django.contrib import admin

from coaching.models import CoachFact, CoachMessage, CoachQuotaUser, WeeklyReport
from hypertrophy.accounts.audit import AuditedAdminMixin


@admin.register(CoachMessage)
class CoachMessageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "provider", "used_llm", "note", "question")
    list_filter = ("provider", "used_llm")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "question", "answer", "provider", "used_llm", "note", "created_at")


@admin.register(CoachFact)
class CoachFactAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "text")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)


@admin.register(WeeklyReport)
class WeeklyReportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("week_start", "user", "provider", "generated_at", "emailed_at")
    list_filter = ("provider",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "week_start"


@admin.register(CoachQuotaUser)
class CoachQuotaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Lift (or lower) one lifter's monthly LLM questions; empty means COACH_MONTHLY_QUOTA."""

    list_display = ("username", "email", "coach_monthly_quota", "default_quota")
    list_editable = ("coach_monthly_quota",)
    search_fields = ("username", "email")
    fields = ("username", "email", "coach_monthly_quota", "coach_tone", "coach_aggressiveness", "weekly_report_email")
    readonly_fields = ("username", "email")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="default")
    def default_quota(self, obj) -> int:
        return settings.COACH_MONTHLY_QUOTA
