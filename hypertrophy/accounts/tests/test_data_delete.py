"""Delete my account: confirmation, then no row of the user in any table (checked table by table)."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hypertrophy.accounts.selectors import user_row_counts
from hypertrophy.accounts.services import account_delete
from events.models import AppendOnlyError, DeadLetter, Device, Event
from hypertrophy.accounts.models import AuditEntry
from events.devices import guest_create
from hypertrophy.accounts.tests.data_builders import rich_history
from hypertrophy.testing import PASSWORD, logged_in, make_user
from hypertrophy.accounts.tests.builders import rows_of

pytestmark = pytest.mark.django_db

def add_account_extras(user) -> None:
    """What allauth keeps for an account: an email address and two-factor authenticators."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "not-a-real-secret"})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x", "used_mask": 0})


@pytest.fixture
def doomed():
    """A user with a full history, several devices and browser sessions, allauth rows and audit entries."""
    user = make_user("doomed", email="doomed@example.com")
    client = logged_in(user)
    rich_history(user, client=client)
    add_account_extras(user)
    second_browser = logged_in(user)
    second_browser.get("/settings/data/")  # a second session (and allauth's user session row)
    client.get("/settings/data/export.json")  # an audit entry with the email as subject
    Client().post("/accounts/login/", {"login": "doomed@example.com", "password": "wrong"})  # a failed log-in
    return user, client, second_browser


@pytest.fixture
def bystander():
    user = make_user("bystander", email="bystander@example.com")
    client = logged_in(user)
    rich_history(user, client=client)
    return user, client


def delete_through_page(client: Client, **fields):
    return client.post("/settings/data/delete", {"confirm": "DELETE", "password": PASSWORD, **fields})


def test_the_history_touches_many_tables_before_deletion(doomed):
    user, _, _ = doomed
    counts = rows_of(user.pk)
    filled = {label for label, count in counts.items() if count}
    for label in (
        "events.Event.user", "events.Device.user", "events.DeadLetter.user", "workouts.Workout.user",
        "workouts.SetEntry.user", "workouts.Goal.user", "workouts.WeeklyMetrics.user", "measurements.Measurement.user",
        "account.EmailAddress.user", "mfa.Authenticator.user", "django_session (decoded)",
    ):
        assert label in filled, label
    assert Device.objects.filter(user=user).count() >= 3  # phone, laptop, server forms
    assert counts["django_session (decoded)"] >= 2
    assert AuditEntry.objects.filter(kind="login.failed", subject__iexact="doomed@example.com").exists()
    assert AuditEntry.objects.filter(kind="data.exported", user=user).exists()


def test_deleting_leaves_no_row_of_the_user_in_any_table(doomed, bystander):
    user, client, second_browser = doomed
    other, other_client = bystander
    others_before = rows_of(other.pk)

    response = delete_through_page(client)
    assert response.status_code == 302 and response["Location"] == "/settings/data/deleted"
    assert response["Clear-Site-Data"] == '"cache", "storage"'  # the worker's cached pages and the outbox go too

    leftovers = {label: count for label, count in rows_of(user.pk).items() if count}
    assert leftovers == {}
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    # Nothing of anyone else went with it.
    assert rows_of(other.pk) == others_before
    # Both browsers are logged out.
    for browser in (client, second_browser):
        assert browser.get("/settings/data/").status_code == 302
    assert other_client.get("/settings/data/").status_code == 200
    page = client.get("/settings/data/deleted")
    assert page.status_code == 200 and "were deleted" in page.content.decode()


def test_the_audit_trail_keeps_one_anonymous_deletion_entry(doomed):
    user, client, _ = doomed
    user_id = user.pk
    delete_through_page(client)
    reference = "sha256:" + hashlib.sha256(str(user_id).encode()).hexdigest()
    entry = AuditEntry.objects.get(kind="account.deleted")
    assert entry.subject == reference and entry.user is None and entry.ip_address is None
    assert entry.data["events"] > 0 and entry.data["guest"] is False
    # No entry still names the account: not its email, its username or its id.
    for row in AuditEntry.objects.values("subject", "data", "user_agent"):
        text = repr(row)
        assert "doomed" not in text and str(user_id) not in text


def test_events_are_still_append_only_after_a_deletion(doomed, bystander):
    _, client, _ = doomed
    other, _ = bystander
    delete_through_page(client)
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(user=other).delete()
    assert Event.objects.filter(user=other).exists()


def test_a_guest_can_delete_their_account(db):
    guest = guest_create()
    client = logged_in(guest)
    rich_history(guest, client=client)
    page = client.get("/settings/data/delete").content.decode()
    assert 'name="password"' not in page  # a guest has no password to give
    response = client.post("/settings/data/delete", {"confirm": "DELETE"})
    assert response.status_code == 302
    assert {label: n for label, n in rows_of(guest.pk).items() if n} == {}
    assert AuditEntry.objects.get(kind="account.deleted").data["guest"] is True


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"confirm": "delete please", "password": PASSWORD}, "confirm", "exactly to confirm"),
        ({"confirm": "", "password": PASSWORD}, "confirm", "This field is required"),
        ({"confirm": "DELETE", "password": "wrong"}, "password", "not your password"),
        ({"confirm": "DELETE"}, "password", "not your password"),
    ],
)
def test_a_wrong_confirmation_deletes_nothing(doomed, fields, field, message):
    user, client, _ = doomed
    before = rows_of(user.pk)
    response = client.post("/settings/data/delete", fields)
    assert response.status_code == 400
    assert message in response.content.decode() and f'id="id_{field}_error"' in response.content.decode()
    assert rows_of(user.pk) == before


@pytest.mark.parametrize("word", ["doomed", "DOOMED@example.com", "DELETE"])
def test_username_email_or_delete_confirm(doomed, word):
    user, client, _ = doomed
    assert delete_through_page(client, confirm=word).status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_anonymous_cannot_delete(doomed):
    user, _, _ = doomed
    response = Client().post("/settings/data/delete", {"confirm": "DELETE"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_a_user_deletes_only_their_own_account(doomed, bystander):
    """There is no id in the URL: another user's post deletes the poster, never the victim."""
    victim, _, _ = doomed
    attacker, attacker_client = bystander
    before = rows_of(victim.pk)
    fields = {"confirm": "DELETE", "password": "wrong", "user": victim.pk}
    response = attacker_client.post(f"/settings/data/delete?user={victim.pk}", fields)
    assert response.status_code == 400
    assert rows_of(victim.pk) == before
    assert get_user_model().objects.filter(pk=attacker.pk).exists()


def test_delete_post_needs_csrf(doomed):
    user, _, _ = doomed
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/settings/data/delete", {"confirm": "DELETE", "password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_the_confirmation_page_offers_a_download_first(doomed):
    _, client, _ = doomed
    page = client.get("/settings/data/delete").content.decode()
    assert 'href="/settings/data/export.json"' in page and 'name="confirm"' in page and 'name="password"' in page


def test_service_counts_what_it_removed(doomed):
    user, _, _ = doomed
    events = Event.objects.filter(user=user).count()
    result = account_delete(user=user)
    assert result.events == events
    assert result.rows.get("events.Device", 0) >= 3 and result.rows.get("events.DeadLetter", 0) == 1
    assert not any(user_row_counts(user_id=user.pk).values())
    assert not DeadLetter.objects.filter(user_id=user.pk).exists()


@pytest.mark.postgres
def test_deletion_opens_the_postgres_trigger_only_inside_its_transaction(doomed, bystander):
    """On PostgreSQL the append-only trigger refuses a raw DELETE; the deletion passes through it."""
    from django.db import connection, transaction

    user, client, _ = doomed
    other, _ = bystander
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE user_id = %s", [other.pk])
    assert delete_through_page(client).status_code == 302
    assert not Event.objects.filter(user_id=user.pk).exists()
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE user_id = %s", [other.pk])
    assert Event.objects.filter(user=other).exists()


def test_the_deletion_form_cannot_be_used_to_guess_the_password(doomed):
    user, client, _ = doomed
    for _ in range(5):
        assert client.post("/settings/data/delete", {"confirm": "DELETE", "password": "guess"}).status_code == 400
    response = delete_through_page(client)  # the right password, too late
    assert response.status_code == 429 and "Too many wrong passwords" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_the_data_pages_keep_the_strict_content_security_policy(doomed):
    """No inline script or handler on any page of this feature (see hypertrophy/tests/test_csp.py)."""
    from hypertrophy.testing import assert_strict

    _, client, _ = doomed
    for path in ("/settings/data/", "/settings/data/delete"):
        assert_strict(client.get(path), path)
    delete_through_page(client)
    assert_strict(client.get("/settings/data/deleted"), "/settings/data/deleted")


def test_the_same_email_can_sign_up_again_after_deletion(doomed):
    """Nothing of the deleted account (allauth's address row included) blocks a fresh sign-up."""
    from allauth.account.models import EmailAddress

    user, client, _ = doomed
    assert delete_through_page(client).status_code == 302
    fresh = Client()
    form = {"email": "doomed@example.com", "password1": "a-new-start-42", "password2": "a-new-start-42"}
    response = fresh.post("/accounts/signup/", form)
    assert response.status_code == 302, response.content.decode()
    new = get_user_model().objects.get(email="doomed@example.com")
    assert new.pk != user.pk and not new.is_guest
    assert EmailAddress.objects.get(email="doomed@example.com").user_id == new.pk
    assert not Event.objects.filter(user_id=new.pk).exists()
    old_password = Client().post("/accounts/login/", {"login": "doomed@example.com", "password": PASSWORD})
    assert old_password.status_code == 200 and "_auth_user_id" not in old_password.wsgi_request.session


def test_the_confirmation_fields_are_typed_as_is_on_a_phone(doomed):
    """A phone capitalised the first letter of the confirmation ("Delete" is refused) and offered
    no saved password; now neither."""
    import re

    _, client, _ = doomed
    page = client.get("/settings/data/delete").content.decode()
    confirm = re.search(r'<input[^>]*name="confirm"[^>]*>', page).group(0)
    assert 'autocapitalize="none"' in confirm and 'autocorrect="off"' in confirm and 'spellcheck="false"' in confirm
    password = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'autocomplete="current-password"' in password
