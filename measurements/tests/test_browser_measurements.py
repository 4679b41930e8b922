"""The measurement page in a real Chromium: the form checks values, and a measurement recorded
offline shows at once as pending, survives an offline reload, and syncs when back online."""

from __future__ import annotations

import re
import time

import pytest

from measurements.models import Measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from hypertrophy.testing import SYNCED_ALL, wait_for_rows, wait_until_controlled, wait_until_js  # noqa: E402
from hypertrophy.testing import browser_api_json as _api_json  # noqa: E402


def _wait(page, expression: str, timeout: float = 20000) -> None:
    wait_for_rows(page, expression, rows="#measurement-list .measurement-row", timeout=timeout)


def _rows(page):
    return page.locator("#measurement-list .measurement-row").evaluate_all(
        "rows => rows.map(r => [r.dataset.sync, r.querySelector('.m-desc').textContent.trim()])"
    )



def test_record_offline_then_sync(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/measurements/")
    page.wait_for_function("document.documentElement.dataset.measurements === 'ready'")

    # The form refuses impossible values with a message, and nothing is queued.
    page.get_by_label("Neck").fill("45")
    page.get_by_label("Waist").fill("40")
    page.get_by_role("button", name="Save measurement").click()
    assert page.locator("[data-field-error=neck]").inner_text() == "Neck must be smaller than waist: check the measurements."
    assert page.get_by_label("Neck").get_attribute("aria-invalid") == "true"
    page.get_by_label("Neck").fill("")
    page.get_by_label("Waist").fill("")
    page.get_by_label("Weight").fill("5000")
    page.get_by_role("button", name="Save measurement").click()
    assert page.locator("[data-field-error=weight]").inner_text() == "Weight must be between 20 and 400 kg."
    assert _rows(page) == []

    # The worker controls the page and has cached it (and the page script).
    wait_until_controlled(page)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")
    wait_until_js(page, "caches.match('/measurements/', {ignoreVary: true}).then(r => !!r)")

    context.set_offline(True)
    page.get_by_label("Weight").fill("80")
    page.get_by_label("Neck").fill("38")
    page.get_by_label("Waist").fill("85")
    page.get_by_label("Body fat % (measured)").fill("15")
    page.get_by_role("button", name="Save measurement").click()
    _wait(page, "document.querySelectorAll('#measurement-list .measurement-row[data-sync=pending]').length === 1")
    assert _rows(page) == [["pending", "80 kg · Neck 38 cm · Waist 85 cm"]]
    assert page.locator("#measurement-list .m-derived").first.inner_text() == "Body fat 15 % (measured) · fat 12 kg · lean 68 kg"
    assert page.get_by_label("Weight").input_value() == ""  # the form is ready for the next one
    _wait(page, "document.querySelector('[role=status]').textContent.startsWith('1 change waiting')")
    assert Measurement.objects.count() == 0

    page.reload()  # offline: the worker answers, the row comes back from the outbox
    page.wait_for_function("document.documentElement.dataset.measurements === 'ready'")
    _wait(page, "document.querySelectorAll('#measurement-list .measurement-row[data-sync=pending]').length === 1")
    assert Measurement.objects.count() == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(page, SYNCED_ALL + " && [...document.querySelectorAll('#measurement-list .measurement-row')].length === 1"
          " && [...document.querySelectorAll('#measurement-list .measurement-row')].every(r => r.dataset.sync === 'synced')", timeout=20000)

    items = _api_json(page, "/api/v1/measurements")["items"]
    assert len(items) == 1
    item = items[0]
    assert (item["weight"], item["unit"], item["neck_cm"], item["waist_cm"], item["body_fat_pct"]) == (80, "kg", 38, 85, 15)
    assert item["body_fat_source"] == "measured"
    assert Measurement.objects.count() == 1

    # After the refresh the row is the server's own rendering of it.
    _wait(page, f"!!document.querySelector('#measurement-list .measurement-row[data-measurement-id=\"{item['measurement_id']}\"]')")
    page.reload()
    assert _rows(page) == [["synced", "80 kg · Neck 38 cm · Waist 85 cm"]]
    assert page.locator("#composition-title").is_visible()

    # Delete through the outbox (online): the row goes at once, and the server follows.
    page.locator("#measurement-list .measurement-row").first.get_by_role("button", name="Delete").click()
    assert _rows(page) == []
    deadline = time.monotonic() + 20
    while _api_json(page, "/api/v1/measurements")["count"] and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert _api_json(page, "/api/v1/measurements")["count"] == 0
    assert errors == []


def test_profile_then_live_navy_estimate(live_server, browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/settings/profile")
    page.get_by_label("Sex").select_option("male")
    page.get_by_label("Height (cm)").fill("178")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/settings/profile\?saved=1$"))
    assert page.get_by_text("Profile saved.").is_visible()

    page.goto(live_server.url + "/measurements/")
    page.wait_for_function("document.documentElement.dataset.measurements === 'ready'")
    preview = page.locator("#navy-preview")
    page.get_by_label("Neck").fill("38")
    page.get_by_label("Waist").fill("85")
    assert preview.inner_text() == "U.S. Navy estimate: 16.5 % body fat."
    page.get_by_label("Waist").fill("37")
    assert preview.inner_text() == ""  # out of range: the field error will say so on submit
    page.get_by_label("Waist").fill("45")
    page.get_by_label("Neck").fill("50")
    assert preview.inner_text() == ""
    page.get_by_role("button", name="Save measurement").click()
    assert page.locator("[data-field-error=neck]").inner_text() == "Neck must be smaller than waist: check the measurements."
    page.get_by_label("Neck").fill("38")
    page.get_by_label("Waist").fill("85")
    page.get_by_label("Weight").fill("80")
    page.get_by_role("button", name="Save measurement").click()
    _wait(page, SYNCED_ALL + " && document.querySelectorAll('#measurement-list .measurement-row[data-sync=synced]').length === 1")
    assert page.locator("[data-field-error=neck]").is_hidden()
    # The composition card refreshes from the server after the sync.
    page.wait_for_function("document.querySelector('.composition dl') !== null")
    assert "16.5 %" in page.locator(".composition").inner_text()
    assert page.locator("#measurement-list .m-derived").first.inner_text() == "Body fat 16.5 % (Navy) · fat 13.2 kg · lean 66.8 kg"
    assert errors == []


def test_dated_and_corrected_offline_then_synced(live_server, browser_context):
    from datetime import timedelta

    from django.utils import timezone

    from hypertrophy.testing import browser_log_in, make_user
    from measurements import services

    user = make_user("keeper")
    three_days_ago = timezone.now() - timedelta(days=3)
    kept = services.measurement_record(user=user, values={"weight": 80.0, "unit": "kg", "waist_cm": 85.0}, measured_at=three_days_ago)
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/measurements/")
    page.wait_for_function("document.documentElement.dataset.measurements === 'ready'")
    wait_until_controlled(page)
    wait_until_js(page, "caches.match('/measurements/', {ignoreVary: true}).then(r => !!r)")
    yesterday = page.evaluate("(() => { const d = new Date(Date.now() - 86400000); return `${d.getFullYear()}-${String(d.getMonth()+1).padStart(2,'0')}-${String(d.getDate()).padStart(2,'0')}`; })()")

    browser_context.set_offline(True)
    # Yesterday's weigh-in, recorded today.
    page.get_by_label("Date").fill(yesterday)
    page.get_by_label("Weight").fill("81")
    page.get_by_role("button", name="Save measurement").click()
    _wait(page, "document.querySelectorAll('#measurement-list .measurement-row[data-sync=pending]').length === 1")
    # Correct the one from three days ago: the form fills with it, the row changes at once.
    row = page.locator(f'#measurement-list .measurement-row[data-measurement-id="{kept}"]')
    row.get_by_role("link", name="Edit").click()
    assert page.get_by_label("Weight").input_value() == "80" and page.get_by_label("Waist").input_value() == "85"
    assert page.locator("#record-title").inner_text().startswith("Edit the measurement of")
    page.get_by_label("Weight").fill("79.5")
    page.get_by_label("Waist").fill("")
    page.get_by_role("button", name="Save measurement").click()
    _wait(page, "document.querySelectorAll('#measurement-list .measurement-row[data-sync=pending]').length === 2")
    assert row.locator(".m-desc").inner_text() == "79.5 kg"
    assert page.locator("#record-title").inner_text() == "Record a measurement"
    assert _rows(page)[0] == ["pending", "81 kg"] and _rows(page)[1] == ["pending", "79.5 kg"]  # newest first
    assert Measurement.objects.filter(user=user).count() == 1

    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(page, SYNCED_ALL + " && [...document.querySelectorAll('#measurement-list .measurement-row')].every(r => r.dataset.sync === 'synced')", timeout=20000)
    stored = {str(m.measurement_id): m for m in Measurement.objects.filter(user=user)}
    assert len(stored) == 2
    edited = stored.pop(str(kept))
    assert (edited.weight_kg, edited.waist_cm, edited.measured_at) == (79.5, None, three_days_ago)
    (new,) = stored.values()
    assert new.weight_kg == 81 and timezone.localtime(new.measured_at).date().isoformat() == yesterday
    assert errors == []
