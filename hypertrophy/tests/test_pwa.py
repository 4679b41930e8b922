"""The PWA endpoints: manifest, service worker, offline page, icons, and the worker in Chromium."""

from __future__ import annotations

import json
import re
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client

from hypertrophy import pwa, storage
from hypertrophy.testing import wait_until_js

BRAND = (0x0F, 0x76, 0x6E)


@pytest.fixture(autouse=True)
def _fresh_worker_context():
    pwa._cached_worker_context.cache_clear()
    yield
    pwa._cached_worker_context.cache_clear()


def static_file(url: str) -> Path:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is not a static file"
    return Path(found)


def png_info(data: bytes) -> tuple[int, int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    return width, height, colour_type


def png_pixels(data: bytes) -> list[list[tuple[int, ...]]]:
    """Decode the PNGs make_icons.py writes (one IDAT, filter type 0)."""
    width, height, colour_type = png_info(data)
    channels = {2: 3, 6: 4}[colour_type]
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    raw = zlib.decompress(data[start : start + length])
    stride = width * channels + 1
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        rows.append([tuple(line[1 + x * channels : 1 + (x + 1) * channels]) for x in range(width)])
    return rows


# --- manifest -------------------------------------------------------------------


def test_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Hypertrophy"
    assert data["short_name"] == "Hypertrophy"
    assert data["description"]
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["id"] == "/"
    assert data["display"] == "standalone"
    assert data["orientation"] == "portrait"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])
    icons = {(icon["sizes"], icon["purpose"]): icon for icon in data["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _purpose), icon in icons.items():
        assert icon["type"] == "image/png"
        payload = static_file(icon["src"]).read_bytes()
        width, height, _ = png_info(payload)
        assert f"{width}x{height}" == sizes
        assert len(payload) < 20_000


def test_manifest_icon_urls_come_from_static_storage(client):
    data = json.loads(client.get("/manifest.webmanifest").content)
    assert [icon["src"] for icon in data["icons"]] == [
        static("icons/icon-192.png"),
        static("icons/icon-512.png"),
        static("icons/icon-maskable-512.png"),
    ]


def test_maskable_icon_is_full_bleed_with_the_glyph_in_the_safe_zone():
    rows = png_pixels(static_file(static("icons/icon-maskable-512.png")).read_bytes())
    size = len(rows)
    centre = size / 2
    outside_safe_zone = [
        rows[y][x]
        for y in range(0, size, 2)
        for x in range(0, size, 2)
        if ((x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2) ** 0.5 > 0.4 * size
    ]
    assert outside_safe_zone and all(pixel == BRAND for pixel in outside_safe_zone)
    assert (255, 255, 255) in rows[size // 2]  # the bar crosses the middle


def test_apple_touch_icon_and_favicon():
    apple = static_file(static("icons/apple-touch-icon.png")).read_bytes()
    width, height, colour_type = png_info(apple)
    assert (width, height) == (180, 180)
    assert colour_type == 2  # opaque: iOS draws a transparent corner black
    assert len(apple) < 20_000
    svg = static_file(static("icons/favicon.svg")).read_text()
    assert svg.startswith("<svg") and "#0f766e" in svg


def test_head_include_links_manifest_icons_and_ios_tags(client):
    html = render_to_string("pwa/head.html")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<meta name="theme-color" content="{pwa.THEME_COLOR}">' in html
    assert f'<link rel="icon" href="{static("icons/favicon.svg")}" type="image/svg+xml">' in html
    assert f'<link rel="apple-touch-icon" href="{static("icons/apple-touch-icon.png")}">' in html
    for name, content in [
        ("apple-mobile-web-app-capable", "yes"),
        ("mobile-web-app-capable", "yes"),
        ("apple-mobile-web-app-status-bar-style", "black-translucent"),
        ("apple-mobile-web-app-title", "Hypertrophy"),
    ]:
        assert f'<meta name="{name}" content="{content}">' in html


# --- service worker ---------------------------------------------------------------


def test_service_worker_response(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    version = pwa.worker_context()["version"]
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const VERSION = "{version}";' in body
    for name in ("shell", "pages", "static"):
        assert f"`hypertrophy-{name}-${{VERSION}}`" in body
    assert "{%" not in body and "{{" not in body


def test_service_worker_precaches_the_shell(client):
    body = client.get("/sw.js").content.decode()
    required = json.loads(re.search(r"^const REQUIRED = (.*);$", body, re.MULTILINE).group(1))
    optional = json.loads(re.search(r"^const OPTIONAL = (.*);$", body, re.MULTILINE).group(1))
    assert "/offline" in required
    assert {"/workouts/shell/", "/catalog.json"} <= set(optional)
    expected_static = [
        "css/app.css",
        "js/app.js",
        "js/outbox.js",
        "django_htmx/htmx-2.min.js",
        "icons/icon-192.png",
        "icons/icon-512.png",
        "icons/icon-maskable-512.png",
        "icons/apple-touch-icon.png",
        "icons/favicon.svg",
    ]
    for path in expected_static:
        # Files that exist must be cached for the worker to install; missing ones are tried only.
        assert static(path) in (required if finders.find(path) else optional)
    assert set(pwa.worker_context()["precache"]) == set(required) | set(optional)


def test_every_fetch_the_worker_makes_on_its_own_is_marked_background(client):
    """Precaching, re-caching open pages and keeping plan pages all send the background header;
    only the fetches that answer the page itself (fetch(event.request)) do not."""
    body = client.get("/sw.js").content.decode()
    own = [line for line in body.splitlines() if "fetch(" in line and "event.request" not in line and "addEventListener" not in line]
    assert len(own) >= 3
    for line in own:
        assert "headers: BACKGROUND" in line, line
    assert 'const BACKGROUND = {"X-Hypertrophy-Background": "1"};' in body


@pytest.mark.django_db
def test_a_background_fetch_never_sets_the_session_or_csrf_cookie(client, catalog):
    """A worker fetch that left before a log-in must not put back the CSRF token the log-in
    replaced (it made the first form after a guest's first write fail with 403)."""
    plain = Client().get("/workouts/shell/")
    assert plain.status_code == 200 and settings.CSRF_COOKIE_NAME in plain.cookies
    background = Client().get("/workouts/shell/", headers={"X-Hypertrophy-Background": "1"})
    assert background.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in background.cookies
    assert settings.SESSION_COOKIE_NAME not in background.cookies
    # The page itself is the same page, token field included (the outbox reads the cookie).
    assert b"csrfmiddlewaretoken" in background.content or b"X-CSRFToken" in background.content


@pytest.mark.django_db
def test_a_background_fetch_after_a_first_write_keeps_the_new_token(catalog):
    """The race itself: a page load, a first write that logs the browser in as a guest (new CSRF
    token), then a worker fetch still carrying the old cookies comes back: the browser keeps the
    new token, so the form it shows still posts."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/settings/profile")
    old = browser.cookies[settings.CSRF_COOKIE_NAME].value
    worker = Client()
    worker.cookies[settings.CSRF_COOKIE_NAME] = old  # left with the pre-login cookie jar
    response = browser.post("/workouts/start", {"csrfmiddlewaretoken": old, "name": "Push"})
    assert response.status_code == 302
    new = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert new != old  # the guest log-in rotated the token
    late = worker.get("/workouts/shell/", headers={"X-Hypertrophy-Background": "1"})
    assert settings.CSRF_COOKIE_NAME not in late.cookies  # nothing would overwrite `new`


def test_missing_static_file_is_optional_and_hashed_by_name(monkeypatch):
    monkeypatch.setattr(pwa, "PRECACHE_STATIC", [*pwa.PRECACHE_STATIC, "js/not-written-yet.js"])
    context = pwa.worker_context()
    assert static("js/not-written-yet.js") in json.loads(context["optional_js"])
    assert static("js/not-written-yet.js") not in json.loads(context["required_js"])
    monkeypatch.setattr(pwa, "PRECACHE_STATIC", [*pwa.PRECACHE_STATIC, "js/another-one.js"])
    assert pwa._compute_worker_context()["version"] != context["version"]


def test_file_unknown_to_the_manifest_storage_is_left_out(monkeypatch):
    def manifest_static(path):
        if path == "js/outbox.js":
            raise ValueError("Missing staticfiles manifest entry for 'js/outbox.js'")
        return static(path)

    monkeypatch.setattr(pwa, "static", manifest_static)
    assert not any(url.endswith("outbox.js") for url in pwa.worker_context()["precache"])


def test_version_changes_when_a_precached_file_changes(client, settings, tmp_path):
    css = tmp_path / "css" / "app.css"
    css.parent.mkdir()
    css.write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    assert finders.find("css/app.css") == str(css)

    first = pwa.worker_context()["version"]
    css.write_text("body { color: red; }")
    assert pwa.worker_context()["version"] == first  # computed once per process

    pwa._cached_worker_context.cache_clear()  # what a deploy's fresh process does
    second = pwa.worker_context()["version"]
    assert second != first
    assert f'const VERSION = "{second}";' in client.get("/sw.js").content.decode()


def test_version_is_stable_for_the_same_files():
    assert pwa._compute_worker_context()["version"] == pwa._compute_worker_context()["version"]


def test_version_covers_the_project_templates_only():
    base = Path(settings.BASE_DIR).resolve()
    names = {str(path.relative_to(base)) for path in pwa._template_files(base)}
    assert {"templates/base.html", "templates/pwa/offline.html", "templates/pwa/sw.js"} <= names
    assert not any("site-packages" in name for name in names)


def test_js_literal_cannot_close_the_script():
    literal = pwa._js_literal(["</script><!-- & \u2028"])
    assert not set("<>&") & set(literal)
    assert "\u2028" not in literal
    assert json.loads(literal) == ["</script><!-- & \u2028"]


# --- offline page ------------------------------------------------------------------


def test_offline_page(client, db):
    response = client.get("/offline")
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "pwa/offline.html" in names and "base.html" in names
    html = response.content.decode()
    assert "<title>Offline · Hypertrophy</title>" in html
    assert "sync" in html
    assert 'href="/"' in html


# --- in the browser -----------------------------------------------------------------




def cached(page, url: str) -> bool:
    return page.evaluate(f"caches.match({json.dumps(url)}).then((response) => !!response)")


OFFLINE_TITLE = "Offline · Hypertrophy"


@pytest.fixture
def controlled_page(chromium_browser, live_server):
    """A page at /offline controlled by the worker (registered here in case app.js does not)."""
    context = chromium_browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/offline")
    page.evaluate("navigator.serviceWorker.register('/sw.js', {scope: '/'}).then(() => navigator.serviceWorker.ready)")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)  # clients.claim()
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_serves_pages_offline(controlled_page, live_server):
    page = controlled_page
    version = pwa.worker_context()["version"]
    assert {f"hypertrophy-shell-{version}", f"hypertrophy-static-{version}"} <= set(page.evaluate("caches.keys()"))
    assert cached(page, "/offline")
    for url in json.loads(pwa.worker_context()["required_js"]):
        assert cached(page, url), url
    page.goto(live_server.url + "/")  # visited online: kept in the pages cache
    home = page.title()
    assert home != OFFLINE_TITLE
    wait_until_js(page, f"caches.match('/', {{cacheName: 'hypertrophy-pages-{version}'}}).then((hit) => !!hit)")

    page.context.set_offline(True)
    response = page.reload()
    assert response.status == 200 and response.from_service_worker
    assert page.title() == home
    assert page.evaluate(f"fetch('{static('icons/favicon.svg')}').then((r) => r.status)") == 200

    response = page.goto(live_server.url + "/offline")
    assert response.status == 200 and response.from_service_worker
    assert page.title() == OFFLINE_TITLE

    # A page never visited: the offline page stands in (online, the server would answer 404).
    response = page.goto(f"{live_server.url}/never-visited/")
    assert response.status == 200 and response.from_service_worker
    assert page.title() == OFFLINE_TITLE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_serves_a_workout_started_offline(controlled_page, live_server):
    page = controlled_page
    page.context.set_offline(True)
    workout_url = f"{live_server.url}/workouts/{uuid.uuid4()}/"  # the server has never seen it
    response = page.goto(workout_url)
    assert response.status == 200 and response.from_service_worker
    if cached(page, "/workouts/shell/"):
        assert page.title() != OFFLINE_TITLE
    else:  # no shell page yet: the offline page stands in
        assert page.title() == OFFLINE_TITLE
    # Reloading it offline keeps it.
    response = page.reload()
    assert response.status == 200 and response.from_service_worker and page.url == workout_url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_leaves_the_api_alone_and_keeps_htmx_partials_apart(controlled_page):
    page = controlled_page
    fetch = "fetch(%s, %s).then((r) => r.status, () => 'network error')"
    hx = "{headers: {'HX-Request': 'true'}}"
    assert page.evaluate(fetch % ("'/api/v1/exercises'", "{}")) != "network error"
    assert page.evaluate(fetch % ("'/offline?part=1'", hx)) == 200
    wait_until_js(page, "caches.match('/offline?part=1&__hx=1').then((response) => !!response)")
    assert not cached(page, "/offline?part=1")

    page.context.set_offline(True)
    assert page.evaluate(fetch % ("'/offline?part=1'", hx)) == 200
    assert page.evaluate(fetch % ("'/offline?part=1'", "{}")) == "network error"  # never the partial for a page
    assert page.evaluate(fetch % ("'/api/v1/exercises'", "{}")) == "network error"  # seen online, never cached
    post = "{method: 'POST', body: '{}', headers: {'Content-Type': 'application/json'}}"
    assert page.evaluate(fetch % ("'/api/v1/sync'", post)) == "network error"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_new_worker_version_takes_over_and_drops_old_caches(controlled_page, monkeypatch):
    page = controlled_page
    old = pwa.worker_context()["version"]
    page.evaluate("fetch('/offline?seen=1').then((r) => r.text())")  # something in the pages cache
    wait_until_js(page, f"caches.has('hypertrophy-pages-{old}')")

    # A deploy: the precached assets changed, so a fresh process serves a new version.
    monkeypatch.setattr(pwa, "PRECACHE_STATIC", [*pwa.PRECACHE_STATIC, "js/added-by-the-deploy.js"])
    pwa._cached_worker_context.cache_clear()
    new = pwa.worker_context()["version"]
    assert new != old

    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    wait_until_js(page, f"caches.keys().then((keys) => keys.length > 0 && keys.every((key) => key.endsWith('-{new}')))")
    assert cached(page, "/offline")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => !r.waiting && !r.installing)")


@pytest.mark.parametrize("bundled", [False, True], ids=["sources", "production"])
def test_every_module_a_precached_script_imports_is_precached(bundled):
    """An ES module the worker does not keep makes its importer fail offline: walk the imports
    of the precached scripts (app.js, workout.js, …) as served, and find each one precached.
    In production the workout page's own modules are inside workout.js, and not precached."""
    precached = pwa.precached_static(bundled=bundled)
    seen, todo = set(), [p for p in precached if p.endswith(".js") and p.startswith("js/")]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        served = storage.served_js(path, lambda name: Path(finders.find(name)).read_text(), bundled=bundled)
        todo += [f"js/{name}" for name in re.findall(r"""(?:import|export)[^'"]*?from\s*["']\./([\w.-]+\.js)["']""", served)]
    assert {"js/app.js", "js/workout.js", "js/rules.js", "js/status.js", "js/outbox.js"} <= seen
    assert seen <= set(precached), seen - set(precached)
    assert ("js/cards.js" in seen) is not bundled
    assert "js/measurements.js" not in seen
