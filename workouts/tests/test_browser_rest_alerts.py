"""The end of a rest in Chromium: a tone, a vibration, and a notification when the page is hidden;
notification permission asked for only from the bell, never by "Log set". The browser's
Notification, vibrate, AudioContext and document.hidden are stand-ins that record what the page
asks of them (a headless browser can neither sound nor notify)."""

from __future__ import annotations

import pytest

from hypertrophy.testing import SYNCED_ALL, wait_until_js
from workouts.tests.browser import log_set, page_errors, start_and_pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before the page's scripts: everything the rest timer's end reaches for, recorded in
# window.__alerts; window.__hidden is what document.hidden answers.
STAND_INS = """
window.__alerts = { asked: 0, notifications: [], vibrations: [], tones: 0 };
window.__hidden = false;
Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => window.__hidden });
class StandInNotification {
  constructor(title) { window.__alerts.notifications.push(title); }
  static requestPermission() {
    window.__alerts.asked += 1;
    StandInNotification.permission = "granted";
    return Promise.resolve("granted");
  }
}
StandInNotification.permission = "default";
window.Notification = StandInNotification;
Navigator.prototype.vibrate = function (pattern) { window.__alerts.vibrations.push(pattern); return true; };
class StandInAudioContext {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createGain() { return { gain: { value: 1 }, connect: (next) => next }; }
  createOscillator() {
    return { frequency: { value: 440 }, connect: (next) => next, start: () => { window.__alerts.tones += 1; }, stop: () => {} };
  }
}
window.AudioContext = StandInAudioContext;
"""

ALERTS = "window.__alerts"
BELL = "Tell me when rest is over"
SHORTEST_REST = 5  # seconds: the rest step everywhere


@pytest.fixture
def resting(browser_context, live_server):
    """A workout with a Barbell Curl card resting the shortest rest, on a phone-sized page that
    records the alerts; and the page's script errors."""
    browser_context.add_init_script(STAND_INS)
    page = browser_context.new_page()
    errors = page_errors(page)
    page.goto(live_server.url + "/")
    with page.expect_response(lambda r: "/cards/barbell-curl" in r.url):  # the server's card, after its sync
        start_and_pick(page, live_server.url, "Barbell Curl", "curl barbell")
    wait_until_js(page, SYNCED_ALL)
    card = page.locator(".exercise-card", has_text="Barbell Curl")
    card.get_by_text("More").click()
    card.get_by_label("Rest (s)").fill(str(SHORTEST_REST))
    card.get_by_role("button", name="Set rest").click()
    assert card.get_attribute("data-rest") == str(SHORTEST_REST)
    return card, errors


def rest_over(page, tones: int) -> dict:
    """Wait for the rest bar to go (the rest ran out) and the ``tones``-th tone; the alerts so far."""
    wait_until_js(page, f"document.querySelector('#rest-timer').hidden && {ALERTS}.tones >= {tones}", timeout=SHORTEST_REST + 10)
    return page.evaluate(ALERTS)


def test_rest_end_sounds_vibrates_and_notifies_only_when_hidden(resting):
    card, errors = resting
    page = card.page
    assert page.viewport_size == {"width": 390, "height": 844}
    log_set(card, 30, 10)
    timer = page.locator("#rest-timer")
    timer.wait_for(state="visible")
    assert page.evaluate(ALERTS)["asked"] == 0  # "Log set" never asks for notifications

    bell = timer.get_by_role("button", name=BELL)
    assert bell.is_visible()  # the browser has not been asked yet
    box = bell.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    page.screenshot(path="/tmp/front/rest-bell.png")
    bell.click()
    wait_until_js(page, f"{ALERTS}.asked === 1")
    bell.wait_for(state="hidden")
    assert timer.is_visible(), "the bell went with the whole bar (the rest ran out), not on its own"

    page.evaluate("window.__hidden = true")  # the lifter is in another app
    alerts = rest_over(page, tones=1)
    assert alerts == {"asked": 1, "notifications": ["Rest over: next set!"], "vibrations": [[300, 150, 300]], "tones": 1}

    page.evaluate("window.__hidden = false")  # back on the page: no notification
    log_set(card, 30, 9)
    timer.wait_for(state="visible")
    assert bell.is_hidden()  # permission granted: nothing left to ask
    alerts = rest_over(page, tones=2)
    assert alerts == {"asked": 1, "notifications": ["Rest over: next set!"], "vibrations": [[300, 150, 300]] * 2, "tones": 2}
    assert errors == []
