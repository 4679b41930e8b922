"""The pages the service worker answers offline follow the lifter's account and settings.

The worker keeps the workout shell (``/workouts/shell/``) and ``/offline`` from the moment it
installed, which is usually before the visitor logged in or chose pounds. A workout started
offline from a stale shell showed "Log in / Sign up" and logged its sets in the unit the shell
was rendered in: 100 meant as pounds reached the server as 100 kg. When a page shows another
user or other settings (body[data-shell]) than the kept shell, the worker fetches fresh copies
(templates/pwa/sw.js followUser).
"""

from __future__ import annotations

import re

import pytest

from hypertrophy.testing import SYNCED_ALL, browser_log_in, browser_log_out, make_user, wait_until_controlled, wait_until_js
from hypertrophy.units import KG_PER_LB
from workouts.models import SetEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHELL_TEXT = "caches.match('/workouts/shell/', {ignoreVary: true}).then(r => r ? r.text() : '')"


def _shell_holds(page, text: str) -> str:
    """Wait until the worker's kept workout shell contains ``text``."""
    return wait_until_js(page, f"{SHELL_TEXT}.then(t => t.includes({text!r}))")


def test_pound_user_starts_a_workout_offline_from_a_shell_in_pounds(live_server, browser_context):
    base = live_server.url
    user = make_user("pounds")
    browser_log_in(browser_context, base, user)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/")
    wait_until_controlled(page)
    _shell_holds(page, 'data-unit="kg"')  # installed while the account was in kg

    page.goto(base + "/settings/profile")
    page.locator("input[name=weight_unit][value=lb]").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/settings/profile\?saved=1$"))
    user.refresh_from_db()
    assert user.weight_unit == "lb"
    _shell_holds(page, 'data-unit="lb"')

    page.goto(base + "/")
    page.get_by_role("button", name="Start workout").wait_for()
    browser_context.set_offline(True)
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    workout_id = page.url.rstrip("/").rsplit("/", 1)[1]
    assert page.locator("#workout").get_attribute("data-unit") == "lb"
    header = page.locator(".user-menu")
    assert header.get_by_role("link", name="Log out").is_visible()
    assert header.get_by_role("link", name="Log in").count() == 0
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill("bench barbell")
    page.get_by_role("button", name="Barbell Bench Press", exact=True).click()
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    card.get_by_label("Weight").fill("100")
    card.get_by_label("Reps").fill("5")
    card.get_by_role("button", name="Log set").click()
    row = card.locator(".set-row").first
    row.wait_for(state="attached")
    assert row.locator(".set-desc").text_content().strip() == "100 lb × 5"

    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_js(page, SYNCED_ALL + " && document.querySelector('#cards .set-row').dataset.sync === 'synced'")
    entry = SetEntry.objects.get(workout_id=workout_id)
    assert (entry.weight, entry.unit, entry.reps) == (100.0, "lb", 5)
    assert entry.weight_kg == pytest.approx(100 * KG_PER_LB) and round(entry.weight_kg, 2) == 45.36
    assert errors == []


def test_after_log_out_the_offline_pages_show_a_visitor(live_server, browser_context):
    """Log-out forgets the kept history pages (static/js/account.js) and the next page load has
    the shell and /offline fetched again: no stranger opening the phone offline sees the
    lifter's header, nor logs sets into a page that still names the account."""
    base = live_server.url
    user = make_user("leaving")
    browser_log_in(browser_context, base, user)
    page = browser_context.new_page()
    page.goto(base + "/workouts/")
    wait_until_controlled(page)
    _shell_holds(page, f'data-user-id="{user.pk}"')
    browser_log_out(page, base)
    _shell_holds(page, 'data-authenticated="false"')
    offline_page = "caches.match('/offline', {ignoreVary: true}).then(r => r.text())"
    assert wait_until_js(page, f"{offline_page}.then(t => !t.includes({str(user.pk)!r}) && t)")
    assert str(user.pk) not in page.evaluate(SHELL_TEXT)
    assert page.evaluate("caches.match('/workouts/', {ignoreVary: true}).then(r => r === undefined)")


def test_first_visit_fetches_the_shell_once(live_server, browser_context):
    """The worker keeps the shell as it installs, with this page's cookies: the next pages, for
    the same visitor, do not have it fetched a second time (a phone's first load pays once)."""
    base = live_server.url
    shells: list[str] = []
    browser_context.on("request", lambda r: r.url.endswith("/workouts/shell/") and shells.append(r.url))
    page = browser_context.new_page()
    page.goto(base + "/")
    wait_until_controlled(page)
    assert page.locator("body").get_attribute("data-shell") == "anonymous"
    _shell_holds(page, 'data-shell="anonymous"')
    for path in ["/workouts/", "/"]:  # through the worker, which reads the kept shell's key
        page.goto(base + path)
        wait_until_js(page, f"navigator.serviceWorker.controller && location.pathname === {path!r}")
    # The first visitor's first write makes it a guest: the next page has the shell fetched again.
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    wait_until_js(page, SYNCED_ALL)
    page.goto(base + "/workouts/")
    guest = page.locator("body").get_attribute("data-shell")
    assert " guest " in guest
    _shell_holds(page, f'data-shell="{guest}"')
    assert shells == [base + "/workouts/shell/"] * 2


def test_another_account_in_the_same_browser_does_not_inherit_the_kept_pages(live_server, browser_context):
    """A session that ended without the log-out page (expired, or another account logged in over
    it) left the first account's pages in the worker's cache: offline, the next person read its
    history. When a page shows another user than the kept shell, those pages go too."""
    base = live_server.url
    first, second = make_user("first"), make_user("second")
    browser_log_in(browser_context, base, first)
    page = browser_context.new_page()
    page.goto(base + "/workouts/")
    wait_until_controlled(page)
    page.goto(base + "/workouts/")  # through the worker: kept for offline use
    wait_until_js(page, "caches.match('/workouts/', {ignoreVary: true}).then(r => r && r.text())"
                  f".then(t => t && t.includes('data-user-id=\"{first.pk}\"'))")
    browser_log_in(browser_context, base, second)
    page.goto(base + "/")
    assert page.locator("body").get_attribute("data-user-id") == str(second.pk)
    _shell_holds(page, f'data-user-id="{second.pk}"')
    wait_until_js(page, "caches.match('/workouts/', {ignoreVary: true}).then(r => r === undefined)")
    page.goto(base + "/")  # the second account's own pages are kept again
    wait_until_js(page, "caches.match('/', {ignoreVary: true}).then(r => r && r.text()).then(t => t && t.includes("
                  f"'data-user-id=\"{second.pk}\"'))")


PAGES_CACHE = "caches.keys().then(k => k.find(n => n.startsWith('hypertrophy-pages-')))"


def test_kept_pages_are_bounded_by_count_and_age(live_server, browser_context):
    """The worker keeps at most MAX_PAGES pages (the oldest go first) and never answers with a
    copy older than MAX_AGE: an old copy offline gives the offline page instead."""
    base = live_server.url
    page = browser_context.new_page()
    page.goto(base + "/")
    wait_until_controlled(page)
    body = page.evaluate("fetch('/sw.js').then(r => r.text())")
    most = int(re.search(r"const MAX_PAGES = (\d+);", body).group(1))
    max_age_days = int(re.search(r"const MAX_AGE = (\d+) \* 86400000;", body).group(1))
    name = wait_until_js(page, PAGES_CACHE)
    page.evaluate(
        """async ([name, n]) => {
      const cache = await caches.open(name);
      for (let i = 0; i < n; i++) await cache.put(`/filler/${i}`, new Response('x', {headers: {'X-Kept-At': String(Date.now())}}));
    }""",
        [name, most + 10],
    )
    page.goto(base + "/workouts/")  # online: kept, and the cache trimmed
    wait_until_js(page, f"caches.open({name!r}).then(c => c.keys()).then(k => k.length <= {most} && !k.some(r => r.url.endsWith('/filler/0')))")
    kept = page.evaluate(f"caches.open({name!r}).then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))")
    assert f"/filler/{most + 9}" in kept and "/workouts/" in kept

    # An old copy is not shown offline.
    page.evaluate(
        """async ([name, days]) => {
      const cache = await caches.open(name);
      const hit = await cache.match('/workouts/', {ignoreVary: true});
      const headers = new Headers(hit.headers);
      headers.set('X-Kept-At', String(Date.now() - (days + 1) * 86400000));
      await cache.put('/workouts/', new Response(await hit.text(), {status: 200, headers}));
    }""",
        [name, max_age_days],
    )
    browser_context.set_offline(True)
    page.goto(base + "/workouts/")
    assert "You're offline" in page.locator("main").inner_text()
