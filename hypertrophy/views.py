"""Project-level views: health and the error pages (JSON under /api/)."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hypertrophy.errors import error_response, is_api_request


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def handler404(request, exception=None):
    if is_api_request(request):
        return error_response(404, "Not found.", code="not_found")
    return render(request, "404.html", status=404)


def handler500(request):
    if is_api_request(request):
        return error_response(500, "Something went wrong on the server.", code="internal_error")
    return render(request, "500.html", status=500)


def handler403(request, exception=None):
    if is_api_request(request):
        return error_response(403, "You may not do that.", code="forbidden")
    return render(request, "403.html", status=403)


def handler400(request, exception=None):
    if is_api_request(request):
        return error_response(400, "Bad request.", code="bad_request")
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    if is_api_request(request):
        return error_response(403, "CSRF check failed: send the X-CSRFToken header.", code="forbidden")
    return render(request, "403.html", {"reason": "Your form expired; reload the page and try again."}, status=403)
