"""Where a form post sends the browser back to, and how it tells what went wrong.

A post's ``next`` is checked by the project's one ``hypertrophy.web.safe_next``: only a path of
this site is followed, anything else goes to the default page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse

from hypertrophy.web import safe_next


def redirect_back(request: HttpRequest, *, default: str) -> HttpResponse:
    """To the post's ``next`` (checked by ``hypertrophy.web.safe_next``), else to the URL named ``default``."""
    return HttpResponseRedirect(safe_next(request, resolve_url(default)))


def back_to_workout(request: HttpRequest, workout_id, error: str | None = None) -> HttpResponse:
    """To the workout page; a refusal goes along as a message (shown once), never in the URL."""
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("workouts:detail", kwargs={"workout_id": workout_id}))
