"""Progress photos in a real Chromium at 390 px, under the page's own Content Security Policy:
photos chosen offline are kept on the phone and shown from there, sent once the measurement
has synced, then shown from the server beside an earlier date; nobody else gets them, and
deleting the account removes them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hypertrophy.testing import browser_log_in, logged_in, make_user, wait_until_js
from measurements import services
from measurements.models import ProgressPhoto
from measurements.tests.photo_files import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROW_IMAGES = "#measurement-list .measurement-row:first-child .m-photos img"
LOADED = "[...document.querySelectorAll('{sel}')].filter(i => i.complete && i.naturalWidth > 0).length === {n}"


@pytest.fixture
def photo_dir(settings, tmp_path):
    location = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}},
    }
    return location


@pytest.fixture
def strict_context(chromium_browser, catalog):
    """A phone at 390 px with the pages' real Content Security Policy (no bypass)."""
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    yield context
    context.close()


def _wait_for(check, timeout: float = 20.0):
    import time

    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "the server never got the photos"
        time.sleep(0.1)
    return value


def test_photos_taken_offline_sync_show_side_by_side_and_go_with_the_account(live_server, strict_context, photo_dir):
    user = make_user("snapper")
    earlier = services.measurement_record(
        user=user, values={"weight": 84.0, "unit": "kg"}, measured_at=timezone.now() - timedelta(days=90)
    )
    services.photo_attach(
        user=user, measurement_id=earlier, photo_id=uuid.uuid4(), pose="front",
        file=SimpleUploadedFile("f.png", png(60, 90, (90, 120, 200))),
    )
    browser_log_in(strict_context, live_server.url, user)
    page = strict_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(live_server.url + "/measurements/")
    wait_until_js(page, "document.documentElement.dataset.measurements === 'ready'")
    wait_until_js(page, "navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    wait_until_js(page, "caches.match('/measurements/', {ignoreVary: true}).then(r => !!r)")

    strict_context.set_offline(True)
    page.get_by_label("Weight").fill("80")
    page.get_by_label("Front photo").set_input_files(
        files=[{"name": "front.png", "mimeType": "image/png", "buffer": png(60, 90, (200, 80, 60))}]
    )
    page.get_by_label("Side photo").set_input_files(
        files=[{"name": "side.png", "mimeType": "image/png", "buffer": png(60, 90, (60, 160, 90))}]
    )
    page.locator(".m-photos-in").screenshot(path="/tmp/photo/photo-inputs-390.png")
    page.get_by_role("button", name="Save measurement").click()
    # Kept on the phone and shown from there (object URLs the page's policy allows).
    wait_until_js(page, LOADED.format(sel=ROW_IMAGES + "[data-pending]", n=2))
    assert page.locator(ROW_IMAGES).first.get_attribute("alt") == "Front photo (waiting to upload)"
    assert ProgressPhoto.objects.filter(user=user).count() == 1  # the earlier one only

    strict_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    new = ProgressPhoto.objects.filter(user=user).exclude(measurement_id=earlier)
    stored = _wait_for(lambda: len(found := list(new.all())) == 2 and found)
    assert sorted(p.pose for p in stored) == ["front", "side"]
    # The page now shows the server's copies, and the two dates side by side.
    wait_until_js(page, f"document.querySelectorAll('{ROW_IMAGES}[data-pending]').length === 0")
    wait_until_js(page, f"document.querySelectorAll('{ROW_IMAGES}:not([data-pending])').length === 2")
    page.locator("#measurement-list").scroll_into_view_if_needed()  # the images load lazily
    wait_until_js(page, LOADED.format(sel=ROW_IMAGES, n=2))
    wait_until_js(page, "!!document.querySelector('#photos')")
    page.locator("#photos").scroll_into_view_if_needed()
    wait_until_js(page, LOADED.format(sel="#photos table img", n=3))
    front_row = page.locator("#photos tbody tr").first
    assert front_row.locator("th").inner_text() == "Front"
    assert front_row.locator("img").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/photo/photos-390.png", full_page=True)
    page.locator("#photos").screenshot(path="/tmp/photo/photos-compare-390.png")

    # Nobody else gets the photos: another account, or a visitor.
    urls = [f"{live_server.url}/measurements/photos/{p.photo_id}" for p in stored]
    stranger, visitor = logged_in(make_user("stranger")), Client()
    for url in urls:
        assert page.request.get(url).status == 200
        for client in (stranger, visitor):
            assert client.get(url.removeprefix(live_server.url)).status_code == 404

    # Deleting the account removes the rows and the files.
    assert sum(1 for p in photo_dir.rglob("*") if p.is_file()) == 3
    page.goto(live_server.url + "/settings/data/delete")
    page.get_by_label("Confirm").fill("DELETE")
    page.get_by_label("Password").fill("lift-heavy-things")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(live_server.url + "/settings/data/deleted")
    assert ProgressPhoto.objects.count() == 0
    assert [p for p in photo_dir.rglob("*") if p.is_file()] == []
    assert errors == []
