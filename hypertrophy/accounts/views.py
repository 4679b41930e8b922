"""Settings pages: the profile and preferences, devices, and the guest's invitation to sign up."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hypertrophy.accounts.forms import ProfileForm
from hypertrophy.accounts.selectors import describe_summary, guest_has_data, guest_summary, live_sessions, user_devices
from hypertrophy.accounts.services import device_sign_out as device_sign_out_service
from hypertrophy.accounts.services import sessions_end, user_profile_update
from hypertrophy.errors import RateLimited
from hypertrophy.web import request_writer, safe_next, whole_number

INVITE_DISMISSED = "account_invite_dismissed"


def account_context(request: HttpRequest) -> dict:
    """Template context for base.html: ``account_invite`` is true for a guest who has logged
    something and has not dismissed the invitation. Evaluated only when a page renders it,
    and only a guest costs a query (one EXISTS)."""

    def invite() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "is_guest", False):
            return False
        if request.session.get(INVITE_DISMISSED):
            return False
        return guest_has_data(user=user)

    def merge_summary() -> str:
        user = getattr(request, "user", None)
        return describe_summary(guest_summary(user=user)) if user is not None and getattr(user, "is_guest", False) else ""

    return {"account_invite": invite, "guest_merge_summary": merge_summary}


def _render(request: HttpRequest, form: ProfileForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    unit = getattr(user, "weight_unit", "kg") if user.is_authenticated else "kg"
    context = {
        "form": form,
        "unit": unit,
        "saved": request.GET.get("saved") == "1" and status == 200,
        "is_account": user.is_authenticated and not getattr(user, "is_guest", False),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Anyone may open it; the first save without an account makes a guest, like any first write."""
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        initial = ProfileForm.initial_for(user)
        return _render(request, ProfileForm(initial=initial, height_unit=initial["length_unit"]))
    form = ProfileForm(request.POST, height_unit=request.POST.get("height_unit", "cm"))
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        user = request_writer(request)
    except RateLimited as exc:
        form.add_error(None, exc.message)
        return _render(request, form, status=429)
    user_profile_update(user=user, **form.profile_fields())
    return redirect(reverse("accounts:profile") + "?saved=1")


@require_POST
def invite_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the sign-up invitation for the rest of this session (no JavaScript needed)."""
    request.session[INVITE_DISMISSED] = True
    return HttpResponseRedirect(safe_next(request, fallback="/"))


@login_required
@require_http_methods(["GET", "HEAD"])
def devices(request: HttpRequest) -> HttpResponse:
    """The user's devices: name, first and last seen, events stored, and "Sign out"."""
    return render(request, "accounts/devices.html", {"devices": user_devices(user=request.user)})


@login_required
@require_POST
def device_sign_out(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    """Revoke a device's bearer token (its events stay). Another user's device is a 404."""
    if not device_sign_out_service(user=request.user, device_id=device_id, request=request):
        raise Http404("No such device.")
    messages.success(request, "The device was signed out. Its workouts stay in your account.")
    return redirect("accounts:devices")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """The user's browser sessions (allauth.usersessions): sign one out, or all the others.

    Replaces allauth's page, which only offers "sign out the others"."""
    if request.method == "POST":
        raw = request.POST.get("session", "")
        session_id = whole_number(raw)
        if raw and session_id is None:
            raise Http404("No such session.")
        ended = sessions_end(request=request, session_id=session_id)
        if ended is None:
            raise Http404("No such session.")
        if ended.current:
            return redirect(settings.ACCOUNT_LOGOUT_REDIRECT_URL)
        messages.success(request, "Signed out." if session_id is not None else "Every other session was signed out.")
        return redirect("usersessions_list")
    return render(request, "usersessions/usersession_list.html", {"sessions": live_sessions(user=request.user)})
