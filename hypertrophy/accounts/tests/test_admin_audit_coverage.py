"""Every staff write in the admin is in the audit trail with the staff member's address: the
coach's admins (quota, facts, bulk deletions) and a guard that each project admin that can
write uses ``AuditedAdminMixin``."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from coaching.models import CoachFact, WeeklyReport
from hypertrophy.accounts.audit import AuditedAdminMixin
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import logged_in, make_user

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"events", "workouts", "coaching", "measurements"}


@pytest.fixture
def staff():
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-the-boss")
    return logged_in(user)


def test_every_project_admin_that_can_write_is_audited_with_the_address():
    class Staff:
        is_active = is_staff = is_superuser = True

        def has_perm(self, perm, obj=None):
            return True

    class Request:
        user = Staff()

    writable = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        checks = (model_admin.has_add_permission, model_admin.has_change_permission, model_admin.has_delete_permission)
        can_write = any(check(Request()) for check in checks)
        if can_write:
            writable.append(model._meta.label)
            assert isinstance(model_admin, AuditedAdminMixin), f"{model._meta.label}'s admin writes unaudited"
    assert {"coaching.CoachFact", "coaching.CoachQuotaUser", "coaching.WeeklyReport"} <= set(writable)


def test_quota_change_in_the_coach_admin_is_audited_with_ip(staff):
    alice = make_user("alice", email="alice@example.com")
    response = staff.post(
        f"/admin/coaching/coachquotauser/{alice.pk}/change/",
        {"coach_monthly_quota": "500", "coach_tone": "neutral", "coach_aggressiveness": "standard"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(kind="staff.changed")
    assert entry.user.username == "boss" and entry.ip_address == "203.0.113.7"
    assert entry.subject.startswith(f"coaching.CoachQuotaUser {alice.pk}")
    assert "Coach monthly quota" in str(entry.data["change"])


def test_bulk_deletion_of_coach_facts_and_reports_is_audited_per_object_with_ip(staff):
    alice = make_user("alice", email="alice@example.com")
    facts = [CoachFact.objects.create(user=alice, text=f"fact {i}") for i in range(3)]
    response = staff.post(
        "/admin/coaching/coachfact/",
        {"action": "delete_selected", "_selected_action": [str(f.pk) for f in facts[:2]], "post": "yes"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 302
    assert list(CoachFact.objects.values_list("pk", flat=True)) == [facts[2].pk]
    deleted = AuditEntry.objects.filter(kind="staff.deleted").order_by("subject")
    assert [e.subject for e in deleted] == sorted(f"coaching.CoachFact {f.pk}: {f}" for f in facts[:2])
    assert {e.ip_address for e in deleted} == {"198.51.100.9"}
    assert {e.user.username for e in deleted} == {"boss"}

    report = WeeklyReport.objects.create(user=alice, week_start=date(2026, 11, 16))
    url = f"/admin/coaching/weeklyreport/{report.pk}/delete/"
    response = staff.post(url, {"post": "yes"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302 and not WeeklyReport.objects.exists()
    entry = AuditEntry.objects.get(kind="staff.deleted", subject__startswith=f"coaching.WeeklyReport {report.pk}")
    assert entry.ip_address == "198.51.100.9"

