"""The strength page on a phone: the main lifts' table (pattern, lift, best e1RM, the set it
came from, × bodyweight) made /progress/strength/ 472 px wide in a 390-px viewport, so the
whole page scrolled sideways. The table now scrolls inside its own box, and the e1RM and
× bodyweight come before the set they came from, so they show without scrolling."""

from __future__ import annotations

import pytest

from hypertrophy.testing import browser_log_in, make_user
from workouts.tests.progress.builders import STRENGTH, add_workout, days_ago, weigh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_the_strength_page_fits_a_phone(live_server, browser_context):
    user = make_user("phone-lifter", weight_unit="lb")
    weigh(user, days_ago(30), 83.5)
    add_workout(user, days_ago(5), [
        ("barbell-back-squat", 142.5, 5), ("barbell-front-squat", 110, 3), ("barbell-deadlift", 182.5, 3),
        ("barbell-bench-press", 102.5, 5), ("overhead-press", 62.5, 5), ("barbell-row", 92.5, 8),
        ("pull-up", 22.5, 6), ("chin-up", 20, 8),
    ])
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + STRENGTH)
    table = page.locator("table", has=page.locator("caption", has_text="Best e1RM of each main lift"))
    assert table.locator("tbody tr").count() >= 6
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Every column is still there to read: the table scrolls in its box, its text is not clipped away.
    box = table.locator("xpath=..")
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert box.bounding_box()["width"] <= 390
    first = table.locator("tbody tr").first
    e1rm, relative = first.locator("td").nth(1), first.locator("td").nth(2)
    assert table.locator("thead th").all_text_contents() == ["Pattern", "Lift", "Best e1RM", "× bodyweight", "From"]
    assert e1rm.text_content() == "366.5 lb" and relative.text_content() == "1.99"
    # The number itself is on screen (its cell may reach past the edge: the header wraps only so far).
    right = relative.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().right; }"
    )
    assert 0 < right <= 390
