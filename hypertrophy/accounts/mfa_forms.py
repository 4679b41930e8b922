"""allauth's two-factor forms with a number pad for the code on a phone.

TOTP codes and allauth's recovery codes are digits only; with ``inputmode="numeric"`` a phone
opens its number pad instead of the full keyboard. Named in ``settings.MFA_FORMS``."""

from __future__ import annotations

from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms

CODE_ATTRS = {"inputmode": "numeric", "autocomplete": "one-time-code"}


class AuthenticateForm(base_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(CODE_ATTRS)


class ReauthenticateForm(base_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(CODE_ATTRS)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(CODE_ATTRS)
