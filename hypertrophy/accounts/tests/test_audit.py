"""The audit trail's one writer, ``hypertrophy.accounts.audit.record``."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from hypertrophy.accounts import audit
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import make_user

pytestmark = pytest.mark.django_db


def test_record_keeps_who_where_and_what():
    user = make_user("lifter", email="lifter@example.com")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="x" * 400)
    entry = audit.record("data.exported", request=request, user=user, format="json")
    entry.refresh_from_db()
    assert (entry.kind, entry.user_id, entry.subject) == ("data.exported", user.pk, "lifter@example.com")
    assert entry.ip_address == "203.0.113.9"
    assert entry.user_agent == "x" * 300 and entry.data == {"format": "json"}


def test_record_without_a_request_or_a_saved_user():
    entry = audit.record("login.failed", subject="someone@example.com")
    assert entry.user is None and entry.ip_address is None and entry.subject == "someone@example.com"
    entry = audit.record("login.failed", user=get_user_model()(username="ghost"))  # never saved
    assert entry.user is None and entry.subject == "ghost"


def test_a_deleted_users_entries_stay_without_the_link():
    user = make_user("lifter")
    audit.record("login", user=user)
    user_id = user.pk
    from hypertrophy.accounts.services import account_delete

    account_delete(user=user)
    assert not AuditEntry.objects.filter(user_id=user_id).exists()
    assert set(AuditEntry.objects.values_list("kind", flat=True)) == {"login", "account.deleted"}
