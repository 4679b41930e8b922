"""Account deletion finds the user's sessions through allauth's UserSession rows (indexed by
user), and decodes only the sessions no row knows (from before every log-in was indexed)."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client

from hypertrophy.accounts.services import account_delete
from hypertrophy.testing import logged_in, make_user, register_device
from hypertrophy.accounts.tests.builders import rows_of

pytestmark = pytest.mark.django_db


def _legacy_session(user) -> str:
    """A session logged in as ``user`` that no UserSession row knows (as before this index)."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store.create()
    return store.session_key


def test_every_log_in_is_indexed_by_user_guests_and_force_login_included():
    user = make_user("indexed", email="indexed@example.com")
    client = logged_in(user)
    key = client.session.session_key
    assert UserSession.objects.get(session_key=key).user_id == user.pk

    browser = Client()  # no session: registering a device makes a guest and logs it in
    register_device(browser)
    guest = get_user_model().objects.get(is_guest=True)
    assert UserSession.objects.get(session_key=browser.session.session_key).user_id == guest.pk


def test_deletion_ends_indexed_and_legacy_sessions_and_decodes_only_unknown_ones(monkeypatch):
    doomed = make_user("doomed", email="doomed@example.com")
    browsers = [logged_in(doomed) for _ in range(2)]
    legacy = _legacy_session(doomed)
    others = [logged_in(make_user(f"other{i}")) for i in range(5)]
    other_legacy = _legacy_session(make_user("old-timer"))

    decoded: list[str] = []
    original = Session.get_decoded

    def counting(self):
        decoded.append(self.session_key)
        return original(self)

    monkeypatch.setattr(Session, "get_decoded", counting)
    account_delete(user=doomed)
    monkeypatch.undo()

    assert sorted(decoded) == sorted([legacy, other_legacy])  # never the indexed sessions
    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert not {b.session.session_key for b in browsers} & remaining
    assert legacy not in remaining
    assert {o.session.session_key for o in others} | {other_legacy} <= remaining
    assert all(count == 0 for count in rows_of(doomed.pk).values()), rows_of(doomed.pk)
    # The others are still logged in.
    assert others[1].get("/settings/data/").status_code == 200
