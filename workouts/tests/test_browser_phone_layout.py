"""The workout screen on a phone (390 × 844 and 360 wide): a header of at most 56 px, a bottom tab
bar, the workout clock always in view, the rest bar whole with −15 s / +15 s / Skip, every control
at least 44 × 44 px (never under 24 × 24), and no sideways scrolling."""

from __future__ import annotations

import re

import pytest

from hypertrophy.testing import SYNCED_ALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible control: [description, width, height]. Text links inside a sentence are exempt
# from 44 px (WCAG 2.5.8's inline exception) but not from 24.
CONTROLS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter((el) => el.checkVisibility() && !el.closest('dialog:not([open])'))
  .map((el) => { const r = el.getBoundingClientRect();
    const inline = el.matches('p a, li > span a') || el.type === 'checkbox';
    return [el.outerHTML.slice(0, 90), Math.round(r.width), Math.round(r.height), inline]; })"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _small(page):
    controls = page.evaluate(CONTROLS)
    assert controls
    return [c for c in controls if c[1] < 24 or c[2] < 24 or (not c[3] and (c[1] < 44 or c[2] < 44))]


@pytest.mark.parametrize("width,height", [(390, 844), (360, 740)])
def test_workout_screen_fits_the_thumb(live_server, browser_context, width, height):
    page = browser_context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/")
    assert _small(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    tabs = page.get_by_role("navigation", name="Main")
    for name in ("Workout", "History", "Progress", "Coach"):
        assert tabs.get_by_role("link", name=name).is_visible()
    assert tabs.get_by_text("More").is_visible()
    bar = tabs.bounding_box()
    assert bar["y"] + bar["height"] <= height + 1 and bar["y"] >= height - 100  # at the thumb

    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    assert page.locator(".topbar").bounding_box()["height"] <= 56
    for search, name in [("bench barbell", "Barbell Bench Press"), ("row barbell", "Barbell Row"), ("lateral raise dumbbell", "Dumbbell Lateral Raise")]:
        page.get_by_role("button", name="Add exercise").click()
        page.get_by_label("Search exercises").fill(search)
        page.get_by_role("button", name=name, exact=True).click()
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    card.get_by_label("Weight").fill("100")
    card.get_by_label("Reps").fill("5")
    card.get_by_role("button", name="Log set").click()
    page.wait_for_function(SYNCED_ALL + " && document.querySelector('#cards .set-row')?.dataset.sync === 'synced'")
    card.get_by_text("More").click()
    page.screenshot(path=f"/tmp/front/phone-{width}.png")
    assert _small(page) == []
    assert page.evaluate(OVERFLOW) <= 0

    rest = page.locator("#rest-timer")
    assert rest.is_visible()
    box = rest.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    for name in ("−15 s", "+15 s", "Skip rest"):
        b = rest.get_by_role("button", name=name).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= width and b["width"] >= 44 and b["height"] >= 44, name

    # Scrolled to the end, the clock is still on screen and not under anything.
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(300)
    page.screenshot(path=f"/tmp/front/phone-{width}-scrolled.png")
    clock = page.locator("#elapsed").bounding_box()
    assert 0 <= clock["y"] and clock["y"] + clock["height"] <= height
    hit = page.evaluate(
        f"document.elementFromPoint({clock['x'] + clock['width'] / 2}, {clock['y'] + clock['height'] / 2})?.closest('#elapsed, .clock') !== null"
    )
    assert hit
