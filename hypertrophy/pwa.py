"""The progressive web app: web app manifest, service worker and offline page.

The service worker (``templates/pwa/sw.js``) is rendered by a view so it is served
from the root (scope ``/``) and can be given the versioned list of what to precache.
Its ``VERSION`` is a hash of everything the worker caches at install time, so a deploy
that changes any of it yields a byte-different ``/sw.js``, which the browser installs as
a new worker that replaces the old caches.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from hypertrophy import storage

NAME = "Hypertrophy"
THEME_COLOR = "#0f766e"
BACKGROUND_COLOR = "#f7f7f5"  # the page background (static/css/app.css), so launch has no flash

ICON_192 = "icons/icon-192.png"
ICON_512 = "icons/icon-512.png"
ICON_MASKABLE = "icons/icon-maskable-512.png"
APPLE_TOUCH_ICON = "icons/apple-touch-icon.png"
FAVICON = "icons/favicon.svg"

SW_TEMPLATE = "pwa/sw.js"
# Static files the worker precaches (paths relative to STATIC_URL): what the workout page needs
# offline. The modules these scripts import are added (``precached_static``), as served: in
# production the workout page's own modules are inside workout.js (hypertrophy/storage.py).
# Other pages' files (measurements.js, progress.css) are kept on first use, with their page.
PRECACHE_STATIC = [
    "css/app.css",
    "js/app.js",
    "js/workout.js",
    "django_htmx/htmx-2.min.js",
    ICON_192,
    ICON_512,
    ICON_MASKABLE,
    APPLE_TOUCH_ICON,
    FAVICON,
]
# The offline page: the worker refuses to install without it.
PRECACHE_REQUIRED_PAGES = ["/offline"]
# The workout page shell (answers /workouts/<uuid>/ offline) and the exercise catalog.
# A failure to fetch these at install time is logged by the worker, not fatal.
PRECACHE_OPTIONAL_PAGES = ["/workouts/shell/", "/catalog.json"]


def _js_literal(value) -> SafeString:
    """JSON that is safe to place in a script (no ``</script>``, no HTML entities)."""
    text = json.dumps(value)  # ensure_ascii also escapes U+2028/U+2029
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _template_files(base: Path) -> list[Path]:
    """The project's own templates (the precached pages render from them), not installed packages'."""
    files: set[Path] = set()
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            directory = directory.resolve()
            installed = {"site-packages", "dist-packages"} & set(directory.parts)
            if directory.is_relative_to(base) and not installed and directory.is_dir():
                files.update(p for p in directory.rglob("*") if p.is_file())
    return sorted(files)


def _static_url(path: str) -> str | None:
    try:
        return static(path)
    except ValueError:  # ManifestStaticFilesStorage has no such file: nothing to fetch
        return None


def _source(path: str) -> str:
    found = finders.find(path)
    return Path(found).read_text(encoding="utf-8") if found else ""


def precached_static(*, bundled: bool | None = None) -> list[str]:
    """``PRECACHE_STATIC`` and every module its scripts import, as the static storage serves them
    (a module the worker does not keep makes its importer fail offline)."""
    if bundled is None:
        bundled = bool(getattr(staticfiles_storage, "bundles", None))
    paths, todo = [], list(PRECACHE_STATIC)
    while todo:
        path = todo.pop(0)
        if path in paths:
            continue
        paths.append(path)
        if path.startswith("js/") and path.endswith(".js") and finders.find(path):
            todo += storage.imports(path, storage.served_js(path, _source, bundled=bundled))
    return paths


def _compute_worker_context() -> dict:
    digest = hashlib.sha256()
    required: list[str] = list(PRECACHE_REQUIRED_PAGES)
    optional: list[str] = list(PRECACHE_OPTIONAL_PAGES)
    for path in precached_static():
        url, found = _static_url(path), finders.find(path)
        # The URL carries the content hash under ManifestStaticFilesStorage; the file's bytes otherwise.
        digest.update(f"{path}\0{url}\0".encode() + (Path(found).read_bytes() if found else b"") + b"\0")
        if url and found:
            required.append(url)
        elif url:  # not written yet (or not found here): the worker tries it but installs without it
            optional.append(url)
    base = Path(settings.BASE_DIR).resolve()
    for file in _template_files(base):
        digest.update(str(file.relative_to(base)).encode() + b"\0" + file.read_bytes() + b"\0")
    sw_source = get_template(SW_TEMPLATE).template.source
    digest.update(sw_source.encode())
    return {
        "version": digest.hexdigest()[:12],
        "precache": required + optional,
        "required_js": _js_literal(required),
        "optional_js": _js_literal(optional),
        "static_url_js": _js_literal(settings.STATIC_URL),
    }


@functools.cache
def _cached_worker_context() -> dict:
    return _compute_worker_context()


def worker_context() -> dict:
    """The service worker's version and precache list: once per process (on every request in DEBUG)."""
    if settings.DEBUG:
        return _compute_worker_context()
    return _cached_worker_context()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = storage.strip_js(render_to_string(SW_TEMPLATE, worker_context()))  # as the precached scripts
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "id": "/",
        "name": NAME,
        "short_name": NAME,
        "description": "Log your workouts in the gym, online or offline, and watch your strength and muscle grow.",
        "lang": "en",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "categories": ["health", "fitness", "sports"],
        "icons": [
            {"src": static(ICON_192), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static(ICON_512), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static(ICON_MASKABLE), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")
