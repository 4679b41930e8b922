"""Where a form post sends the browser back to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def redirect_back(request: HttpRequest, *, default: str) -> HttpResponse:
    """To the post's ``next``, else to the URL named ``default``."""
    return redirect(request.POST.get("next") or default)
