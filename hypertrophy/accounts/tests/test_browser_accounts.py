"""Accounts in a real Chromium: a guest's offline workout survives sign-up; a second browser's
guest is merged on log-in and its device keeps syncing; log-in with TOTP; no page reports a
Content Security Policy violation."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from events.models import Device, Event
from hypertrophy.testing import (
    SYNCED_ALL,
    logged_in,
    make_user,
    new_id,
    register_device,
    set_completed,
    wait_until_js,
    workout_started,
)
from hypertrophy.testing import browser_api_json as api_json, csp_violations, watch_csp
from workouts.models import SetEntry, Workout
from workouts.tests.browser import log_set, page_errors, start_and_pick, wait_for_condition, wait_until_controlled
from hypertrophy.accounts.tests.builders import log_in_through_form, totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

User = get_user_model()
NEW_PASSWORD = "a-long-new-password-42"

def _device_id(page) -> str:
    """The outbox's device id, from IndexedDB."""
    return page.evaluate(
        """() => new Promise((ok, fail) => {
            const r = indexedDB.open('hypertrophy');
            r.onsuccess = () => {
                const get = r.result.transaction('meta').objectStore('meta').get('device');
                get.onsuccess = () => ok(get.result && get.result.value.device_id);
                get.onerror = () => fail(get.error);
            };
        })"""
    )


def _sign_up(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(base + "/")


def test_guest_logs_offline_syncs_then_signs_up_and_keeps_everything(live_server, browser_context):
    base = live_server.url
    page = browser_context.new_page()
    errors = page_errors(page)
    page.goto(base + "/")
    wait_until_controlled(page)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")

    browser_context.set_offline(True)
    workout_id = start_and_pick(page, base)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 80, 8)
    log_set(card, 85, 6)
    assert not Workout.objects.exists()
    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_condition(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')")
    guest = User.objects.get()
    assert guest.is_guest
    device_id = _device_id(page)

    # The invitation to create an account shows now that the guest has data.
    page.goto(base + "/")
    assert page.locator("[data-invite]").is_visible()
    _sign_up(page, base, "offline.lifter@example.com")

    user = User.objects.get()
    assert user.pk == guest.pk and not user.is_guest and user.email == "offline.lifter@example.com"
    sets = api_json(page, f"/api/v1/workouts/{workout_id}")["sets"]
    assert [(s["weight_kg"], s["reps"]) for s in sets] == [(80.0, 8), (85.0, 6)]
    assert page.locator("[data-invite]").count() == 0

    # The same device keeps syncing with its token: one more set lands in the account.
    page.goto(f"{base}/workouts/{workout_id}/")
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 90, 5)
    wait_for_condition(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')")
    assert SetEntry.objects.filter(user=user).count() == 3
    assert set(Event.objects.values_list("device_id", flat=True)) == {uuid.UUID(device_id)}
    assert list(Device.objects.values_list("user_id", flat=True)) == [user.pk]
    assert errors == []


def test_second_browser_guest_is_merged_on_log_in_and_keeps_syncing(live_server, browser_context, chromium_browser):
    base = live_server.url
    owner = make_user("owner", email="owner@example.com")
    phone = register_device(logged_in(owner))
    mine = new_id()
    phone.sync([phone.event(*workout_started(mine)), phone.event(*set_completed(new_id(), mine))])

    # Like the browser_context fixture (bypass_csp: Playwright's waits use eval()).
    other = chromium_browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow", bypass_csp=True)
    try:
        page = other.new_page()
        errors = page_errors(page)
        page.goto(base + "/")
        workout_id = start_and_pick(page, base)
        card = page.locator(".exercise-card", has_text="Barbell Bench Press")
        log_set(card, 100, 5)
        wait_for_condition(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')")
        guest_device = _device_id(page)
        guest = User.objects.get(is_guest=True)

        page.goto(base + "/accounts/login/")
        assert "Logging in will merge 1 workout from this device into your account." in page.locator("[data-merge-summary]").inner_text()
        log_in_through_form(page, base, "owner@example.com")
        page.wait_for_url(base + "/")

        assert not User.objects.filter(pk=guest.pk).exists()
        listed = api_json(page, "/api/v1/workouts")
        items = listed["items"] if isinstance(listed, dict) and "items" in listed else listed
        assert sorted(str(w["workout_id"]) for w in items) == sorted([mine, workout_id])
        assert SetEntry.objects.filter(user=owner).count() == 2  # nothing doubled
        assert Workout.objects.count() == 2

        # The second browser's device keeps syncing, as the account, with its existing token.
        page.goto(f"{base}/workouts/{workout_id}/")
        card = page.locator(".exercise-card", has_text="Barbell Bench Press")
        log_set(card, 102.5, 5)
        wait_for_condition(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')")
        assert _device_id(page) == guest_device
        assert Device.objects.get(pk=guest_device).user_id == owner.pk
        assert Device.objects.filter(user=owner).count() == 2  # the phone and this browser, no re-registration
        assert sorted((s.weight_kg, s.reps) for s in SetEntry.objects.filter(user=owner, workout_id=workout_id)) == [(100.0, 5), (102.5, 5)]
        assert errors == []
    finally:
        other.close()


def test_log_in_with_totp(live_server, browser_context):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    base = live_server.url
    user = make_user("twofactor", email="twofactor@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    page = browser_context.new_page()
    log_in_through_form(page, base, "twofactor@example.com")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.locator("input[name=code]").fill(totp(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Log out").is_visible()
    assert page.context.cookies() and api_json(page, "/api/v1/workouts") is not None




def test_no_csp_violation_on_the_main_pages(live_server, chromium_browser, catalog):
    base = live_server.url
    user = make_user("csp", email="csp@example.com")
    user.is_staff = user.is_superuser = True
    user.save()
    strict = chromium_browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    try:
        _check_pages(strict, base)
    finally:
        strict.close()


def _check_pages(context, base: str) -> None:
    page = context.new_page()
    console = watch_csp(page)
    errors = page_errors(page)
    pages = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/settings/profile"]
    for path in pages:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert csp_violations(page) == [], path
    log_in_through_form(page, base, "csp@example.com")
    page.wait_for_url(base + "/")
    workout_id = start_and_pick(page, base)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    card.get_by_label("Weight").fill("60")
    card.get_by_label("Reps").fill("10")
    card.get_by_role("button", name="Log set").click()
    wait_until_js(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 1")
    logged_pages = [
        f"/workouts/{workout_id}/",
        "/workouts/",
        "/progress/",
        "/measurements/",
        "/settings/profile",
        "/settings/devices",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/admin/",
        "/admin/events/user/",
    ]
    for path in logged_pages:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert csp_violations(page) == [], path
    assert console == []
    assert errors == []
    # The watcher does see a violation: an inline script added to the page is refused.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }")
    wait_until_js(page, "window.__csp.length > 0", timeout=5)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in csp_violations(page))


def test_theme_setting_applies_site_wide(live_server, browser_context):
    """Dark and light override the system's preference (Chromium is asked for light here)."""
    base = live_server.url
    make_user("themed", email="themed@example.com")
    page = browser_context.new_page()
    page.emulate_media(color_scheme="light")
    log_in_through_form(page, base, "themed@example.com")
    page.wait_for_url(base + "/")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(247, 247, 245)"
    page.goto(base + "/settings/profile")
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/settings/profile\?saved=1$"))
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == "rgb(15, 21, 20)"
    page.goto(base + "/workouts/")
    assert page.evaluate(background) == "rgb(15, 21, 20)"
    page.emulate_media(color_scheme="dark")
    page.goto(base + "/settings/profile")
    page.get_by_label("Light").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/settings/profile\?saved=1$"))
    assert page.evaluate(background) == "rgb(247, 247, 245)"


def test_switching_to_inches_converts_the_height_being_typed(live_server, browser_context):
    """The height is typed in the unit shown beside it: choosing "in" and typing 70 was refused
    ("Height must be between 100 and 250 cm") because the field still meant centimetres."""
    from hypertrophy.testing import browser_log_in

    base = live_server.url
    user = make_user("tall", email="tall@example.com", height_cm=180)
    browser_log_in(browser_context, base, user)
    page = browser_context.new_page()
    page.goto(base + "/settings/profile")
    wait_until_js(page, "document.querySelector('form.profile-form').dataset.heightReady === 'true'")
    height = page.locator("input[name=height]")
    assert height.input_value() == "180"
    page.locator("input[name=length_unit][value=in]").check()
    assert height.input_value() == "70.9"
    assert page.locator("[data-height-label]").text_content() == "Height (in)"
    height.fill("70")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/settings/profile\?saved=1$"))
    user.refresh_from_db()
    assert (user.length_unit, user.height_cm) == ("in", 177.8)
    assert height.input_value() == "70" and page.locator("[data-height-label]").text_content() == "Height (in)"
    page.locator("input[name=length_unit][value=cm]").check()
    assert height.input_value() == "177.8"


PHONE_PAGES_ANONYMOUS = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/settings/profile"]
PHONE_PAGES_ACCOUNT = [
    "/settings/profile", "/settings/devices", "/accounts/sessions/", "/settings/data/", "/settings/data/delete",
    "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/logout/",
]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_account_pages_fit_a_phone(live_server, browser_context):
    """No account page scrolls sideways at 390 px, even with a long email address (it pushed the
    settings, delete and email pages 12–42 px wide); the email page's radio is a small one at the
    start of the line (it was a 40-px circle centred on a line of its own)."""
    from allauth.account.models import EmailAddress

    from hypertrophy.testing import browser_log_in

    base = live_server.url
    page = browser_context.new_page()
    for path in PHONE_PAGES_ANONYMOUS:
        page.goto(base + path)
        assert page.evaluate(OVERFLOW) <= 0, path
    user = make_user("narrow", email="a.rather.long.address.for.a.phone@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    browser_log_in(browser_context, base, user)
    for path in PHONE_PAGES_ACCOUNT:
        page.goto(base + path)
        assert page.url == base + path  # the page itself, not a redirect to log in
        assert page.evaluate(OVERFLOW) <= 0, path
    page.goto(base + "/accounts/email/")
    radio = page.locator("input[type=radio][name=email]").bounding_box()
    assert radio["width"] < 30 and radio["x"] < 40  # a small radio at the start of the line, not centred
