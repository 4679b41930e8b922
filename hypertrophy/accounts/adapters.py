"""allauth's hooks for guests, and the audit trail of account events.

* Sign-up while logged in as a guest fills in the guest's own row (``new_user``): same user
  id, so every event, device and projection stays where it is.
* Log-in to another account from a guest session merges the guest into it (``login``).
* Every security event allauth and Django signal (log-in, failed log-in, log-out, sign-up,
  password change/reset, email verification, email addresses added/removed/made primary,
  two-factor changes) is written to the audit trail through ``hypertrophy.accounts.audit.record``. The
  receivers are connected by ``AccountsConfig.ready``.
"""

from __future__ import annotations

import uuid

from allauth.account import signals as account_signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa import signals as mfa_signals
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from events.devices import SESSION_DEVICE_KEY, device_revoke
from hypertrophy.accounts import audit
from hypertrophy.accounts.merge import guest_merge
from hypertrophy.accounts.selectors import describe_summary, guest_summary
from hypertrophy.accounts.services import guest_convert


def _current_guest(request: HttpRequest):
    """The guest this browser session belongs to, also on a log-in's two-factor step (where
    ``hypertrophy.middleware.AccountPagesMiddleware`` shows the guest as anonymous)."""
    user = getattr(request, "hypertrophy_guest", None) or getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "is_guest", False):
        return user
    return None


def _guest_stays(request: HttpRequest) -> bool:
    """Whether a post to the log-out view comes from a guest. allauth's "Cancel" buttons (the
    two-factor code page, the password-reset-from-link page) post there to mean "stop this",
    and the header offers guests no log-out: ending a guest's session would sign its device
    out and leave everything it logged out of reach for good. So a guest is never logged out;
    allauth still drops the pending log-in or reset."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and getattr(user, "is_guest", False)


class AccountAdapter(DefaultAccountAdapter):
    def logout(self, request: HttpRequest) -> None:
        """Log out; a guest is not (see ``_guest_stays``)."""
        if _guest_stays(request):
            return
        super().logout(request)

    def add_message(self, request: HttpRequest, level: int, message_template: str | None = None, *args, **kwargs):
        if message_template == "account/messages/logged_out.txt" and _guest_stays(request):
            return  # nobody was logged out
        super().add_message(request, level, message_template, *args, **kwargs)

    def new_user(self, request: HttpRequest):
        """A guest signing up becomes the account: the new user *is* the guest's row."""
        guest = _current_guest(request)
        if guest is not None:
            return guest
        return super().new_user(request)

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        converting = bool(getattr(user, "is_guest", False)) and user.pk is not None
        if converting:
            user.username = ""  # "guest-…" is replaced by one made from the email
        user = super().save_user(request, user, form, commit=False)
        user.is_guest = False
        if commit:
            user.save()
            if converting:
                guest_convert(user=user)
        if converting:
            request._hypertrophy_converted_guest = True
        return user

    def login(self, request: HttpRequest, user) -> None:
        """Log in; a guest session logging in to another account is merged into it.

        The guest is read before Django's ``login`` flushes the session (another user), and
        merged right after, so the browser's device keeps its token and its data.
        """
        guest = _current_guest(request)
        guest_id = guest.pk if guest is not None and guest.pk != user.pk else None
        what = describe_summary(guest_summary(user=guest)) if guest_id is not None else ""
        device_id = request.session.get(SESSION_DEVICE_KEY)
        super().login(request, user)
        if device_id and SESSION_DEVICE_KEY not in request.session:
            request.session[SESSION_DEVICE_KEY] = device_id  # the browser's device outlives the session flush
        if guest_id is not None:
            merged = guest_merge(guest_id=guest_id, account=user, request=request)
            if merged.merged and what:
                # The log-in page announced the merge; say it happened.
                self.add_message(request, messages.SUCCESS, message=f"Added {what} from this device to your account.")


# --- the audit trail ------------------------------------------------------------------


@receiver(account_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    audit.record("login", request=request, user=user)


@receiver(auth_signals.user_logged_in)
def _staff_logged_in(sender, request, user, **kwargs) -> None:
    """A log-in through the admin's own form (allauth's signal, above, never fires there):
    staff log-ins are the ones the trail most needs."""
    from django.urls import NoReverseMatch, reverse

    try:
        admin_login = reverse("admin:login")
    except NoReverseMatch:
        return
    if request is not None and getattr(request, "path", "") == admin_login:
        audit.record("login", request=request, user=user, via="admin")


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    subject = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record("login.failed", request=request, subject=subject)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    """Audit the log-out, and sign out the device this browser registered with its session, so
    what is logged in this browser afterwards no longer syncs to the account (it becomes a guest's)."""
    if user is None:
        return
    audit.record("logout", request=request, user=user)
    session = getattr(request, "session", None)
    device_id = session.get(SESSION_DEVICE_KEY) if session is not None else None
    if device_id:
        try:
            device_revoke(user=user, device_id=uuid.UUID(device_id))
        except ValueError:
            pass


@receiver(account_signals.user_signed_up)
def _signed_up(sender, request, user, **kwargs) -> None:
    converted = bool(getattr(request, "_hypertrophy_converted_guest", False))
    audit.record("signup", request=request, user=user, from_guest=converted)


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs) -> None:
    audit.record("password.changed", request=request, user=user)


@receiver(account_signals.password_set)
def _password_set(sender, request, user, **kwargs) -> None:
    audit.record("password.set", request=request, user=user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs) -> None:
    audit.record("password.reset", request=request, user=user)


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender, request, email_address, **kwargs) -> None:
    audit.record("email.verified", request=request, user=email_address.user, email=email_address.email)


# An email address is how an account is recovered: adding one and making it primary is how a
# stolen session would take the account over, so each change is in the trail.
@receiver(account_signals.email_added)
def _email_added(sender, request, user, email_address, **kwargs) -> None:
    audit.record("email.added", request=request, user=user, email=email_address.email)


@receiver(account_signals.email_removed)
def _email_removed(sender, request, user, email_address, **kwargs) -> None:
    audit.record("email.removed", request=request, user=user, email=email_address.email)


@receiver(account_signals.email_changed)
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    previous = from_email_address.email if from_email_address is not None else ""
    audit.record("email.primary_changed", request=request, user=user, email=to_email_address.email, previous=previous)


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa.added", request=request, user=user, type=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa.removed", request=request, user=user, type=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa.recovery_codes_regenerated", request=request, user=user, type=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa.failed", request=request, user=user, type=authenticator.type)
