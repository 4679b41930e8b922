"""Account pages: the profile (units, sex, height, birth year, e1RM formula, week start)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from events.forms import ProfileForm
from events.ratelimit import client_address, rate_limit_hit
from events.services import guest_create, user_profile_update
from hypertrophy.errors import RateLimited


def _writer(request: HttpRequest):
    """The user a form post writes as: a guest is created for a first write, like the API does."""
    if request.user.is_authenticated:
        return request.user
    rate_limit_hit(scope="guest", key=client_address(request), rate=settings.GUEST_RATE_LIMIT)
    user = guest_create()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def _render(request: HttpRequest, form: ProfileForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    unit = getattr(user, "weight_unit", "kg") if user.is_authenticated else "kg"
    context = {"form": form, "unit": unit, "saved": request.GET.get("saved") == "1" and status == 200}
    return render(request, "events/profile.html", context, status=status)


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
        user = _writer(request)
    except RateLimited as exc:
        form.add_error(None, exc.message)
        return _render(request, form, status=429)
    user_profile_update(user=user, **form.profile_fields())
    return redirect(reverse("accounts:profile") + "?saved=1")
