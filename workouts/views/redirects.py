"""Where a form post sends the browser back to, and how it tells what went wrong.

``safe_next`` is the one check of a post's ``next``: only a URL of this site (a path, or an
absolute URL of the request's host) is followed, anything else goes to the default page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, *, default: str) -> str:
    """The post's ``next`` when it is a URL of this site, else the URL named ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(default)


def redirect_back(request: HttpRequest, *, default: str) -> HttpResponse:
    """To the post's ``next`` (checked by ``safe_next``), else to the URL named ``default``."""
    return HttpResponseRedirect(safe_next(request, default=default))


def back_to_workout(request: HttpRequest, workout_id, error: str | None = None) -> HttpResponse:
    """To the workout page; a refusal goes along as a message (shown once), never in the URL."""
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("workouts:detail", kwargs={"workout_id": workout_id}))
