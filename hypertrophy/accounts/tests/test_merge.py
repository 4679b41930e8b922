"""Logging in to an account from a guest session merges the guest into it: devices, events and
dead letters move, projections are refolded, the guest is removed, in one transaction; twice
changes nothing; the guest's device keeps syncing with its token."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hypertrophy.accounts import merge as accounts
from hypertrophy.accounts.services import guest_merge
from events.models import DeadLetter, Device, Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import logged_in, new_id, projection_state, register_device, set_completed, workout_started
from hypertrophy.accounts.tests.builders import account, guest_with_data, log_in

User = get_user_model()

pytestmark = pytest.mark.django_db


def test_login_page_says_what_will_be_merged():
    account()
    browser, _ = guest_with_data(workouts=3, measurements=2)
    page = browser.get("/accounts/login/").content.decode()
    assert "Logging in will merge 3 workouts and 2 measurements from this device into your account." in page
    assert "data-merge-summary" not in Client().get("/accounts/login/").content.decode()


def test_login_from_a_guest_session_merges_everything_and_removes_the_guest():
    owner = account()
    own = register_device(logged_in(owner))
    mine = new_id()
    own.sync([own.event(*workout_started(mine)), own.event(*set_completed(new_id(), mine))])
    browser, device = guest_with_data(workouts=2, measurements=1)
    guest_id = uuid.UUID(device.user_id)
    bad = device.event("SetCompleted", {"set_id": "not-a-uuid"})
    assert device.sync([bad]).json()["rejected_count"] == 1
    guest_events = set(Event.objects.filter(user_id=guest_id).values_list("event_id", flat=True))
    guest_state = projection_state(user_id=guest_id, with_user=False)

    response = log_in(browser)
    assert response.status_code == 302, response.content

    assert not User.objects.filter(pk=guest_id).exists()
    assert set(Event.objects.filter(user=owner).values_list("event_id", flat=True)) >= guest_events
    assert Event.objects.filter(user=owner).count() == len(guest_events) + 2
    assert Device.objects.get(pk=device.device_id).user_id == owner.pk
    assert DeadLetter.objects.get().user_id == owner.pk
    state = projection_state(user_id=owner.pk, with_user=False)
    assert len(state["workouts.Workout"]) == 3 and len(state["measurements.Measurement"]) == 1
    for label in ("workouts.Workout", "workouts.SetEntry", "measurements.Measurement"):
        assert set(map(repr, guest_state[label])) <= set(map(repr, state[label])), label
    # The projections are exactly what a refold from the events gives.
    from events.projections import rebuild_all

    rebuild_all()
    assert projection_state(user_id=owner.pk, with_user=False) == state
    entry = AuditEntry.objects.get(kind="account.merged")
    assert entry.user_id == owner.pk and entry.data["events"] == len(guest_events) and entry.data["devices"] == 1
    assert entry.data["dead_letters"] == 1 and entry.data["guest_id"] == str(guest_id)
    # The browser is the account now, and the guest's device keeps syncing with its old token.
    assert browser.get("/settings/profile").context["user"].pk == owner.pk
    late = new_id()
    response = device.sync([device.event(*workout_started(late))])
    assert response.status_code == 200 and response.json()["accepted_count"] == 1
    assert Event.objects.get(payload__workout_id=late).user_id == owner.pk
    assert len(projection_state(user_id=owner.pk)["workouts.Workout"]) == 4


def test_merge_twice_changes_nothing():
    owner = account()
    _, device = guest_with_data()
    first = guest_merge(guest_id=device.user_id, account=owner)
    assert first.merged and first.events == 3
    snapshot = (projection_state(), sorted(Event.objects.values_list("event_id", "user_id")), AuditEntry.objects.count())
    second = guest_merge(guest_id=device.user_id, account=owner)
    assert not second.merged and second.events == 0
    assert (projection_state(), sorted(Event.objects.values_list("event_id", "user_id")), AuditEntry.objects.count()) == snapshot


def test_merge_refuses_a_user_who_is_not_a_guest():
    owner, other = account(), account("other@example.com")
    device = register_device(logged_in(other))
    w = new_id()
    device.sync([device.event(*workout_started(w))])
    assert not guest_merge(guest_id=other.pk, account=owner).merged
    assert Event.objects.get().user_id == other.pk and User.objects.filter(pk=other.pk).exists()


def test_merge_with_nothing_logged_moves_the_device():
    owner = account()
    browser = Client()
    device = register_device(browser)
    assert log_in(browser).status_code == 302
    assert Device.objects.get(pk=device.device_id).user_id == owner.pk
    assert not User.objects.filter(is_guest=True).exists()


def test_merge_is_one_transaction(monkeypatch):
    """A failure half-way leaves the guest and all its rows exactly as they were."""
    owner = account()
    _, device = guest_with_data()
    before = (projection_state(), sorted(Event.objects.values_list("event_id", "user_id")))

    def boom(**kwargs):
        raise RuntimeError("refold failed")

    monkeypatch.setattr(accounts, "refold", boom)
    with pytest.raises(RuntimeError):
        guest_merge(guest_id=device.user_id, account=owner)
    assert User.objects.get(pk=device.user_id).is_guest
    assert Device.objects.get(pk=device.device_id).user_id == uuid.UUID(device.user_id)
    assert (projection_state(), sorted(Event.objects.values_list("event_id", "user_id"))) == before
    assert not AuditEntry.objects.filter(kind="account.merged").exists()


def test_other_user_owned_rows_move_generically_and_the_accounts_twin_wins(monkeypatch):
    """Rows other apps own (coach memory, templates, ...) move to the account; a row the account
    already has a twin of (a unique constraint) stays with the guest and goes with it. Shown with
    two models every install has: the admin log (no constraint) and two-factor authenticators
    (one TOTP per user), normally left to cascade, here handled like any other app's rows."""
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry

    monkeypatch.setattr(accounts, "CASCADE_WITH_GUEST", frozenset())
    owner = account()
    _, device = guest_with_data()
    guest = User.objects.get(pk=device.user_id)
    LogEntry.objects.create(user=guest, object_repr="guest's note", action_flag=1)
    Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "account"})
    Authenticator.objects.create(user=guest, type=Authenticator.Type.TOTP, data={"secret": "guest"})
    Authenticator.objects.create(user=guest, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "guest"})

    result = guest_merge(guest_id=guest.pk, account=owner)

    assert LogEntry.objects.get().user_id == owner.pk
    assert {(a.type, a.user_id) for a in Authenticator.objects.all()} == {
        (Authenticator.Type.TOTP, owner.pk),
        (Authenticator.Type.RECOVERY_CODES, owner.pk),
    }
    assert Authenticator.objects.get(type=Authenticator.Type.TOTP).data == {"secret": "account"}
    assert result.other_rows["admin.LogEntry.user"] == 1
    assert result.other_rows["mfa.Authenticator.user"] == 1


def test_login_rows_of_the_guest_cascade_by_default():
    from allauth.mfa.models import Authenticator

    owner = account()
    _, device = guest_with_data()
    Authenticator.objects.create(user_id=device.user_id, type=Authenticator.Type.TOTP, data={"secret": "guest"})
    guest_merge(guest_id=device.user_id, account=owner)
    assert not Authenticator.objects.exists()


def test_signing_up_a_second_time_from_an_account_session_is_refused():
    owner = account()
    client = logged_in(owner)
    assert client.post("/accounts/signup/", {"email": "x@example.com", "password1": "pw-long-42x", "password2": "pw-long-42x"})[
        "Location"
    ] == "/"
    assert not User.objects.filter(email="x@example.com").exists()


@pytest.mark.postgres
def test_merge_passes_the_append_only_trigger_on_postgresql():
    """The trigger refuses UPDATE of events except inside event_mutation_allowed()."""
    from django.db import DatabaseError, transaction

    owner = account()
    _, device = guest_with_data()
    with pytest.raises(DatabaseError), transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE events_event SET user_id = %s", [owner.pk])
    assert guest_merge(guest_id=device.user_id, account=owner).events == 3
    assert set(Event.objects.values_list("user_id", flat=True)) == {owner.pk}


def test_the_page_after_the_merge_says_what_was_added():
    """The log-in page announced the merge; the page after it said only "Successfully signed in"."""
    account()
    browser, _ = guest_with_data(workouts=3, measurements=2)
    response = log_in(browser)
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Added 3 workouts and 2 measurements from this device to your account." in page
    # A log-in with no guest data says nothing of the kind.
    plain = Client()
    log_in(plain)
    assert "from this device to your account" not in plain.get("/").content.decode()
