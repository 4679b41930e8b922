"""Two-factor authentication with allauth's MFA app: TOTP with recovery codes.

Codes are computed here with a small RFC 6238 implementation, independent of allauth's."""

from __future__ import annotations

import base64
import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import PASSWORD, new_id, workout_started
from hypertrophy.accounts.tests.builders import account, guest_with_data, log_in, totp

pytestmark = pytest.mark.django_db


def test_rfc6238_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → last six digits.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59) == "287082"


def enable_totp(client: Client, capture) -> str:
    """Open the activation page, read the secret it shows, confirm with a code: the secret."""
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before a security change.
        assert client.post(page["Location"], {"password": PASSWORD}).status_code == 302
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.get("Location")
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, a data: image the CSP allows
    secret = page.context["form"].secret
    with capture(execute=True):  # allauth signals after the commit
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert response.status_code == 302, response.content
    return secret


@pytest.fixture
def mfa_user(settings, django_capture_on_commit_callbacks):
    settings.MFA_TOTP_TOLERANCE = 1  # log-in may use the next window's code (the current one was just used)
    user = account()
    client = Client()
    assert log_in(client).status_code == 302
    secret = enable_totp(client, django_capture_on_commit_callbacks)
    client.post("/accounts/logout/")
    return user, secret


def test_enable_totp_is_audited_and_creates_recovery_codes(mfa_user):
    user, _ = mfa_user
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {"totp", "recovery_codes"}
    assert AuditEntry.objects.filter(kind="mfa.added", user=user, data__type="totp").exists()


def test_log_in_asks_for_the_code(mfa_user):
    user, secret = mfa_user
    client = Client()
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp(secret, step=1) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(kind="mfa.failed", user=user).exists()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)})
    assert response.status_code == 302, response.content
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(kind="login", user=user).count() == 2  # set-up log-in, then this one


def test_a_recovery_code_works_once(mfa_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, _ = mfa_user
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()
    first = Client()
    log_in(first)
    assert first.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert first.session["_auth_user_id"] == str(user.pk)
    again = Client()
    log_in(again)
    assert again.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_regenerating_recovery_codes_and_removing_totp_are_audited(mfa_user, django_capture_on_commit_callbacks):
    user, secret = mfa_user
    client = Client()
    log_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/recovery-codes/generate/").status_code == 302
    assert AuditEntry.objects.filter(kind="mfa.recovery_codes_regenerated", user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert AuditEntry.objects.filter(kind="mfa.removed", user=user, data__type="totp").exists()
    assert not Authenticator.objects.filter(user=user, type="totp").exists()


def test_guest_logging_in_with_totp_is_merged_after_the_code(mfa_user):
    user, secret = mfa_user
    browser, device = guest_with_data(workouts=2, measurements=0)
    response = log_in(browser)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    page = browser.get("/accounts/2fa/authenticate/").content.decode()
    assert re.search(r"<input[^>]*name=\"code\"", page), page
    assert not AuditEntry.objects.filter(kind="account.merged").exists()  # nothing moves before the code
    assert browser.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)}).status_code == 302
    merged = AuditEntry.objects.get(kind="account.merged")
    assert merged.user_id == user.pk and merged.data["events"] == 4


def test_two_factor_pages_need_an_account():
    assert Client().get("/accounts/2fa/")["Location"].startswith("/accounts/login/")
    browser, _ = guest_with_data()
    assert browser.get("/accounts/2fa/totp/activate/")["Location"] == "/accounts/signup/"


def test_recovery_code_actions_are_buttons_not_links_run_together(settings, django_capture_on_commit_callbacks):
    """allauth's link-buttons rendered as bare <a>s: "Download codes Generate new codes" on one line."""
    account()
    client = Client()
    assert log_in(client).status_code == 302
    enable_totp(client, django_capture_on_commit_callbacks)
    html = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert '<a class="button" href="/accounts/2fa/recovery-codes/download/"' in html
    assert '<a class="button" href="/accounts/2fa/recovery-codes/generate/"' in html


def test_cancelling_the_code_step_keeps_the_guest_and_its_device(mfa_user):
    """The code page's Cancel posts to the log-out view: it logged the guest out and signed its
    device out, so everything the guest had logged on this browser was out of reach for good."""
    user, _ = mfa_user
    browser, device = guest_with_data(workouts=2, measurements=0)
    guest_id = browser.session["_auth_user_id"]
    assert log_in(browser)["Location"] == "/accounts/2fa/authenticate/"
    response = browser.post("/accounts/logout/", {"next": "/accounts/login/"})  # allauth's Cancel
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert browser.session["_auth_user_id"] == guest_id  # still the guest
    page = browser.get("/accounts/login/").content.decode()
    assert "Logging in will merge 2 workouts" in page and "You have signed out" not in page
    assert device.sync([device.event(*workout_started(new_id()))]).status_code == 200  # token still works
    assert not AuditEntry.objects.filter(kind="logout").exclude(user=user).exists()
    # The abandoned log-in is gone: the code page no longer opens.
    assert browser.get("/accounts/2fa/authenticate/").status_code == 302


def test_cancelling_a_password_reset_from_the_link_keeps_the_guest():
    """The reset page's Cancel posts to the log-out view too (a guest opening the emailed link)."""
    from django.core import mail

    account()
    browser, device = guest_with_data()
    guest_id = browser.session["_auth_user_id"]
    assert browser.post("/accounts/password/reset/", {"email": "lifter@example.com"}).status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_page = browser.get(link, follow=True)
    assert 'id="logout-from-stage"' in form_page.content.decode()
    browser.post("/accounts/logout/", {"next": "/accounts/login/"})
    assert browser.session["_auth_user_id"] == guest_id
    assert device.sync([device.event(*workout_started(new_id()))]).status_code == 200


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_code_fields_open_the_number_pad_on_a_phone(mfa_user, django_capture_on_commit_callbacks):
    """TOTP and recovery codes are digits: a phone showed its full keyboard for them."""
    user, secret = mfa_user
    client = Client()
    assert log_in(client)["Location"] == "/accounts/2fa/authenticate/"
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert 'inputmode="numeric"' in _input(page, "code") and 'autocomplete="one-time-code"' in _input(page, "code")
    # Its Cancel is a quiet link-like button, not a second primary one beside "Sign In".
    assert re.search(r'<button\s+class="link"\s+form="logout-from-stage"', page)
    assert client.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)}).status_code == 302
    Authenticator.objects.filter(user=user).delete()
    activate = client.get("/accounts/2fa/totp/activate/")
    if activate.status_code == 302:
        client.post(activate["Location"], {"password": PASSWORD})
        activate = client.get("/accounts/2fa/totp/activate/")
    assert 'inputmode="numeric"' in _input(activate.content.decode(), "code")


def test_email_page_marks_remove_as_dangerous_and_resend_as_secondary():
    account()
    client = Client()
    assert log_in(client).status_code == 302
    html = client.get("/accounts/email/").content.decode()
    assert re.search(r'<button\s+class="danger"\s+name="action_remove"', html)
    assert re.search(r'<button\s+class="secondary"\s+name="action_send"', html)
    assert re.search(r'<button\s+name="action_primary"', html)  # the primary action keeps the primary look
