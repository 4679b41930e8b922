"""Accounts: sign-up (in place for a guest), log-in, log-out, email settings, password reset,
the guest invitation, the audit trail, and who may open which account page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from events.models import Device, Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import (
    PASSWORD,
    logged_in,
    new_id,
    projection_state,
    register_device,
    workout_started,
)
from hypertrophy.accounts.tests.builders import account, guest_with_data

User = get_user_model()

pytestmark = pytest.mark.django_db


def signup(client: Client, email: str, password: str = "a-long-new-password-42"):
    return client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


# --- sign-up --------------------------------------------------------------------------------


def test_anonymous_sign_up_creates_an_account_and_logs_in():
    client = Client()
    response = signup(client, "new@example.com")
    assert response.status_code == 302, response.content
    user = User.objects.get(email="new@example.com")
    assert not user.is_guest and user.has_usable_password()
    assert client.get("/settings/profile").context["user"].pk == user.pk
    entry = AuditEntry.objects.get(kind="signup")
    assert entry.user_id == user.pk and entry.data == {"from_guest": False}


def test_guest_sign_up_keeps_the_same_user_and_everything_it_logged():
    browser, device = guest_with_data(workouts=2, measurements=1)
    guest = User.objects.get(pk=device.user_id)
    assert guest.is_guest
    before_events = sorted(Event.objects.filter(user=guest).values_list("event_id", flat=True))
    before = projection_state(user_id=guest.pk)
    assert len(before["workouts.Workout"]) == 2

    response = signup(browser, "guest.no.more@example.com")
    assert response.status_code == 302, response.content

    user = User.objects.get(email="guest.no.more@example.com")
    assert user.pk == guest.pk and not user.is_guest
    assert not user.username.startswith("guest-")
    assert User.objects.count() == 1
    assert sorted(Event.objects.filter(user=user).values_list("event_id", flat=True)) == before_events
    assert projection_state(user_id=user.pk) == before
    assert list(Device.objects.filter(user=user).values_list("pk", flat=True)) == [__import__("uuid").UUID(device.device_id)]
    # The session is still this user, and the device keeps syncing with its old token.
    assert browser.get("/settings/profile").context["user"].pk == user.pk
    w = new_id()
    assert device.sync([device.event(*workout_started(w))]).json()["accepted_count"] == 1
    assert Event.objects.get(payload__workout_id=w).user_id == user.pk
    assert AuditEntry.objects.get(kind="signup").data == {"from_guest": True}


def test_sign_up_page_tells_a_guest_its_data_stays():
    browser, _ = guest_with_data(workouts=3, measurements=2)
    page = browser.get("/accounts/signup/").content.decode()
    assert "You keep your 3 workouts and 2 measurements from this device: signing up" in page
    one = guest_with_data(workouts=1, measurements=0)[0].get("/accounts/signup/").content.decode()
    assert "You keep your 1 workout from this device: signing up" in one  # was "Your 1 workout … stay"


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_entrance_pages_show_the_guest_no_second_invitation(path):
    """The invitation to sign up repeated what the page's own notice says, above it."""
    browser, _ = guest_with_data()
    assert "data-invite" in browser.get("/").content.decode()
    page = browser.get(path).content.decode()
    assert "data-merge-summary" in page and "data-invite" not in page


def test_sign_up_with_a_taken_email_is_a_form_error_and_the_guest_stays_a_guest():
    account("taken@example.com")
    browser, device = guest_with_data()
    response = signup(browser, "taken@example.com")
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert User.objects.get(pk=device.user_id).is_guest


def test_signed_up_account_is_sent_home_from_the_entrance_pages():
    client = logged_in(account())
    assert client.get("/accounts/login/")["Location"] == "/"
    assert client.get("/accounts/signup/")["Location"] == "/"


# --- log-in, log-out, failures ----------------------------------------------------------------


def test_log_in_and_log_out_are_audited():
    user = account()
    client = Client()
    response = client.post("/accounts/login/", {"login": "lifter@example.com", "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert client.get("/settings/devices").status_code == 200
    assert AuditEntry.objects.filter(kind="login", user=user).count() == 1
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEntry.objects.filter(kind="logout", user=user).count() == 1
    assert client.get("/settings/devices").status_code == 302  # to the log-in page


def test_the_header_log_out_opens_the_page_that_syncs_first():
    """The header links to the log-out page (it sends what the outbox holds, then posts); a GET
    there never logs out by itself."""
    user = account()
    client = Client()
    client.post("/accounts/login/", {"login": "lifter@example.com", "password": PASSWORD})
    header = client.get("/").content.decode()
    assert re.search(r'<a href="/accounts/logout/">Log out</a>', header)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and "js/account.js" in page.content.decode()
    assert client.get("/settings/devices").status_code == 200  # still logged in
    assert not AuditEntry.objects.filter(kind="logout", user=user).exists()


def test_the_log_out_page_tells_a_guest_there_is_nothing_to_log_out_of():
    """A guest is never logged out; the page said "Everything on this device is saved to your
    account." and offered a Log out button that did nothing."""
    browser, device = guest_with_data()
    page = browser.get("/accounts/logout/").content.decode()
    assert "data-logout-guest" in page and "no account to log out of" in page
    assert "data-logout-form" not in page and "js/account.js" not in page
    assert 'href="/accounts/signup/"' in page
    assert browser.session["_auth_user_id"] == str(device.user_id)


def test_failed_log_in_is_a_form_error_and_audited():
    account()
    client = Client()
    response = client.post("/accounts/login/", {"login": "lifter@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    entry = AuditEntry.objects.get(kind="login.failed")
    assert entry.subject == "lifter@example.com" and entry.user is None


def test_log_in_is_rate_limited_by_allauth(settings):
    from django.conf import settings as live

    assert live.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"  # the configured default
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    account()
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"login": "lifter@example.com", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "lifter@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password waits


# --- email verification and password reset ---------------------------------------------------


def test_optional_verification_sends_a_link_that_verifies_and_is_audited(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    client = Client()
    signup(client, "verify@example.com")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    user = User.objects.get(email="verify@example.com")
    assert user.emailaddress_set.get().verified
    assert AuditEntry.objects.filter(kind="email.verified", user=user).exists()


def test_account_emails_greet_from_the_app_not_the_host():
    """Without django.contrib.sites allauth's emails said "Hello from testserver!"."""
    account()
    signup(Client(), "new@example.com")
    Client().post("/accounts/password/reset/", {"email": "lifter@example.com"})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.body.startswith("Hello from Hypertrophy!"), message.body
        assert "Thank you for using Hypertrophy!\ntestserver" in message.body
        assert "Hello from testserver" not in message.body


def test_mandatory_verification_does_not_log_in_until_verified(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = Client()
    response = signup(client, "later@example.com")
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sets_a_new_password_and_is_audited():
    user = account()
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": "lifter@example.com"}).status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": "brand-new-pass-99", "password2": "brand-new-pass-99"})
    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-99")
    assert AuditEntry.objects.filter(kind="password.reset", user=user).exists()


def test_password_change_is_audited():
    user = account()
    client = logged_in(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another-long-pass-7", "password2": "another-long-pass-7"},
    )
    assert response.status_code == 302, response.content
    assert AuditEntry.objects.filter(kind="password.changed", user=user).exists()


def test_email_addresses_added_made_primary_and_removed_are_audited():
    """How a stolen session would take an account over (its own address, made primary): in the trail."""
    from allauth.account.models import EmailAddress

    user = account()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = logged_in(user)
    assert client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"}).status_code == 302
    EmailAddress.objects.filter(email="second@example.com").update(verified=True)
    assert client.post("/accounts/email/", {"action_primary": "", "email": "second@example.com"}).status_code == 302
    assert client.post("/accounts/email/", {"action_remove": "", "email": "lifter@example.com"}).status_code == 302
    entries = AuditEntry.objects.filter(user=user, kind__startswith="email.").order_by("pk")
    trail = list(entries.values_list("kind", "data"))
    assert trail == [
        ("email.added", {"email": "second@example.com"}),
        ("email.primary_changed", {"email": "second@example.com", "previous": "lifter@example.com"}),
        ("email.removed", {"email": "lifter@example.com"}),
    ]


def test_console_email_keeps_links_whole(settings):
    """Django's console backend printed the encoded message: the reset link, longer than 78
    characters, came out cut by quoted-printable "=" line breaks and did not work when copied."""
    import io

    from hypertrophy.mail import EmailBackend

    account()
    stream = io.StringIO()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert Client().post("/accounts/password/reset/", {"email": "lifter@example.com"}).status_code == 302
    EmailBackend(stream=stream).send_messages(mail.outbox)
    printed = stream.getvalue()
    link = re.search(r"http://testserver/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    assert len(link) > 78 and link in printed and "=\n" not in printed
    assert "To: lifter@example.com" in printed and "Subject: Hypertrophy: Password Reset" in printed


def test_console_email_by_default_and_smtp_when_configured():
    import os
    import subprocess
    import sys

    script = (
        "from django.conf import settings; m = settings.MAILERS['default']; o = m.get('OPTIONS', {}); "
        "print(m['BACKEND'], o.get('port'), o.get('use_tls'))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "hypertrophy.settings"}
    base.pop("EMAIL_HOST", None)
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", f"import django; django.setup(); {script}"], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert run(base) == ["hypertrophy.mail.EmailBackend", "None", "None"]
    assert run({**base, "EMAIL_HOST": "smtp.example.com"}) == ["django.core.mail.backends.smtp.EmailBackend", "587", "True"]
    bad = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, "ACCOUNT_EMAIL_VERIFICATION": "sometimes"}, capture_output=True, text=True,
    )
    assert bad.returncode != 0 and "ACCOUNT_EMAIL_VERIFICATION" in bad.stderr


# --- the guest's invitation -------------------------------------------------------------------


def test_invitation_shows_for_a_guest_with_data_until_dismissed():
    assert "data-invite" not in Client().get("/settings/profile").content.decode()
    browser, _ = guest_with_data()
    assert "data-invite" in browser.get("/settings/profile").content.decode()
    response = browser.post("/settings/invite/dismiss", {"next": "/settings/profile"})
    assert response.status_code == 302 and response["Location"] == "/settings/profile"
    assert "data-invite" not in browser.get("/settings/profile").content.decode()
    assert "data-invite" not in logged_in(account()).get("/settings/profile").content.decode()


def test_invitation_dismissal_never_redirects_off_site():
    browser, _ = guest_with_data()
    assert browser.post("/settings/invite/dismiss", {"next": "https://evil.example/"})["Location"] == "/"


# --- who may open the account pages ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"])
def test_account_management_pages(path):
    """Anonymous: to the log-in page; a guest: to sign up first; an account: its own page."""
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    browser, _ = guest_with_data()
    assert browser.get(path)["Location"] == "/accounts/signup/"
    assert logged_in(account()).get(path).status_code == 200


def test_account_pages_render_in_the_app_layout():
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page = Client().get(path).content.decode()
        assert 'class="topbar"' in page and 'class="auth-page"' in page and "Hypertrophy" in page, path
        assert 'name="viewport"' in page


def test_log_out_signs_out_the_browsers_device_and_its_next_write_starts_a_guest():
    """The device a browser registered with its session stops syncing to the account at log-out:
    what is logged in that browser afterwards is not the account's."""
    user = account()
    browser = Client()
    assert browser.post("/accounts/login/", {"login": "lifter@example.com", "password": PASSWORD}).status_code == 302
    device = register_device(browser)
    other = register_device(logged_in(user))  # another browser of the same account
    assert device.sync([device.event(*workout_started(new_id()))]).json()["accepted_count"] == 1
    browser.post("/accounts/logout/")
    refused = device.sync([device.event(*workout_started(new_id()))])
    assert refused.status_code == 401
    assert other.sync([other.event(*workout_started(new_id()))]).status_code == 200
    # The outbox re-registers: the id is the account's (409), so it starts afresh as a guest.
    again = browser.post("/api/v1/devices", {"device_id": device.device_id}, content_type="application/json")
    assert again.status_code == 409
    fresh = register_device(browser)
    assert User.objects.get(pk=fresh.user_id).is_guest
    assert Event.objects.filter(user=user).count() == 2  # one from each browser, before the log-out


def test_a_merged_browser_device_is_still_signed_out_at_log_out():
    account()
    browser, device = guest_with_data()
    browser.post("/accounts/login/", {"login": "lifter@example.com", "password": PASSWORD})
    assert device.sync([device.event(*workout_started(new_id()))]).status_code == 200
    browser.post("/accounts/logout/")
    assert device.sync([device.event(*workout_started(new_id()))]).status_code == 401


def test_production_without_smtp_logs_email(caplog):
    from django.core.mail import EmailMessage

    from hypertrophy.mail import LogEmailBackend

    with caplog.at_level("WARNING", logger="hypertrophy.mail"):
        sent = LogEmailBackend().send_messages([EmailMessage("Reset", "https://x/reset/abc", to=["a@example.com"])])
    assert sent == 1 and "https://x/reset/abc" in caplog.text and "a@example.com" in caplog.text
