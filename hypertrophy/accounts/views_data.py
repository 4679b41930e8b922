"""Your data: download it (events as JSON, and what other apps register, e.g. sets as a Strong
CSV), import an events export, delete the account.

Every view acts on ``request.user`` only: there is no id in these URLs, so nobody can reach
another account's data through them.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.ratelimit import rate_limit_hit
from events.selectors import user_log_counts
from hypertrophy.accounts import audit
from hypertrophy.accounts.data_import import ImportFileError
from hypertrophy.accounts.downloads import downloads, export_filename
from hypertrophy.accounts.services import account_delete, data_import
from hypertrophy.errors import RateLimited
from hypertrophy.web import whole_number

CONFIRM_WORD = "DELETE"
DELETE_PASSWORD_RATE = "5/h"  # wrong passwords per account on the deletion form
TOO_MANY = "Too many wrong passwords; try again in an hour."
# Five years of logging export to ~10 MB; this leaves room without inviting abuse.
DEFAULT_IMPORT_MAX_BYTES = 256 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file (.json)", help_text="A file from “Download my data” on this or another server."
    )
    apply_profile = forms.BooleanField(
        label="Also use the units and profile from the file", required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "DATA_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than {limit // 1_000_000} MB, more than any export of this app."
            )
        return upload


class DeleteAccountForm(forms.Form):
    # A phone must not capitalise or "correct" what is typed here (an email, a username, DELETE).
    confirm = forms.CharField(
        label="Confirm",
        max_length=254,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocorrect": "off", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
        strip=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        accepted = [user.get_username()] if not user.is_guest else []
        if user.email:
            accepted.append(user.email)
        self.accepted = accepted
        words = " or ".join([*(f"“{a}”" for a in accepted), f"“{CONFIRM_WORD}”"])
        self.fields["confirm"].help_text = f"Type {words} to confirm."
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"]
        allowed = {CONFIRM_WORD, *(a.lower() for a in self.accepted)}
        if value != CONFIRM_WORD and value.lower() not in allowed:
            raise forms.ValidationError(f"Type {CONFIRM_WORD} (or your username or email) exactly to confirm.")
        return value

    def clean_password(self) -> str:
        value = self.cleaned_data.get("password", "")
        if not self.user.check_password(value):
            raise forms.ValidationError("That is not your password.")
        return value


def _index(request: HttpRequest, *, form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    event_count, device_count = user_log_counts(user_id=request.user.pk)
    context = {
        "form": form or ImportForm(),
        "downloads": downloads().values(),
        "event_count": event_count,
        "device_count": device_count,
        "imported": _int_param(request, "imported") if status == 200 else None,
        "duplicates": _int_param(request, "duplicates") if status == 200 else None,
    }
    return render(request, "accounts/data/index.html", context, status=status)


def _int_param(request: HttpRequest, name: str) -> int | None:
    return whole_number(request.GET.get(name), max_digits=9)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


def _attachment(stream, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export(request: HttpRequest, extension: str) -> StreamingHttpResponse:
    """One of the registered downloads, streamed as an attachment; audited."""
    download = downloads().get(extension)
    if download is None:
        raise Http404("No such download.")
    audit.record("data.exported", request=request, user=request.user, format=download.audit_format)
    return _attachment(
        download.stream(user=request.user),
        content_type=download.content_type,
        filename=export_filename(request.user, download.extension),
    )


@login_required
@require_POST
def import_json(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form=form, status=400)
    try:
        result = data_import(
            user=request.user, file=form.cleaned_data["file"], apply_profile=form.cleaned_data["apply_profile"]
        )
    except ImportFileError as exc:
        for problem in exc.problems:
            form.add_error("file", problem)
        audit.record("data.import_failed", request=request, user=request.user, problems=exc.problems[:3])
        return _index(request, form=form, status=400)
    audit.record(
        "data.imported", request=request, user=request.user,
        events=result.event_count, accepted=result.accepted, duplicates=result.duplicates,
    )
    return redirect(f"{reverse('data:index')}?imported={result.accepted}&duplicates={result.duplicates}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Confirmation first; then every row of the account goes, and the browser is logged out."""
    user = request.user
    if request.method != "POST":
        return render(request, "accounts/data/delete.html", {"form": DeleteAccountForm(user=user)})
    form = DeleteAccountForm(request.POST, user=user)
    valid = form.is_valid()
    if valid or "password" in form.errors:
        # Password attempts are counted: this form must not become a way to guess one.
        try:
            rate_limit_hit(scope="account-delete", key=str(user.pk), rate=DELETE_PASSWORD_RATE, message=TOO_MANY)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "accounts/data/delete.html", {"form": form}, status=429)
    if not valid:
        return render(request, "accounts/data/delete.html", {"form": form}, status=400)
    account_delete(user=user)
    # The user row is gone: end the session without logout()'s signal, whose receivers
    # would be handed a user that no longer exists.
    request.session.flush()
    request.user = AnonymousUser()
    response = redirect("data:deleted")
    # The browser still holds the account's pages (worker cache), outbox and device token:
    # ask it to drop them too (honoured over HTTPS and on localhost).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data/deleted.html")
