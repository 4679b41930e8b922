"""The progress pages' charts on a phone (360 and 390 px): every chart's text at least 12 CSS
px tall, no page scrolls sideways, and a range change redraws the chart (plain links)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hypertrophy.testing import browser_log_in, make_user
from workouts.tests.progress.builders import add_workout, days_ago, weigh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/progress/", "/progress/strength/", "/progress/volume/", "/measurements/", "/progress/exercise/barbell-bench-press/"]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart svg text')].map(t => ({
    text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), height: t.getBoundingClientRect().height}))"""


def _history(user):
    for week in range(60):
        when = days_ago(7 * week + 1)
        kg = 80 + (60 - week) * 0.5
        add_workout(user, when, [("barbell-bench-press", kg, 5), ("barbell-bench-press", kg, 5), ("barbell-back-squat", kg + 40, 5)])
        weigh(user, when - timedelta(hours=2), 82 + (week % 5) * 0.3)


@pytest.mark.parametrize("width", [360, 390])
def test_chart_text_is_readable_and_nothing_scrolls_sideways(live_server, chromium_browser, catalog, width):
    user = make_user(f"phone-{width}")
    _history(user)
    context = chromium_browser.new_context(viewport={"width": width, "height": 800})
    try:
        browser_log_in(context, live_server.url, user)
        page = context.new_page()
        for path in PAGES:
            page.goto(live_server.url + path)
            texts = page.evaluate(TEXT_SIZES)
            assert texts, f"no chart text on {path}"
            small = [t for t in texts if t["size"] < 12 or t["height"] < 12]
            assert not small, f"{path} at {width} px: {small[:3]}"
            assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {width} px"
            # Nothing clipped: every label inside the chart's box.
            clipped = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
                const box = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
                    return r.left < box.left - 0.5 || r.right > box.right + 0.5; }).map(t => t.textContent); })""")
            assert not clipped, f"{path}: clipped labels {clipped}"
    finally:
        context.close()


def test_a_range_change_redraws(live_server, browser_context):
    user = make_user("ranger")
    _history(user)
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + "/progress/exercise/barbell-bench-press/")
    chart = page.locator("#exercise-best-set")
    before = chart.locator("path.chart-line").get_attribute("d")
    rows = chart.locator("details.chart-data tbody tr").count()
    chart.get_by_role("link", name="3 m").click()
    page.wait_for_url("**range=3m**")
    chart = page.locator("#exercise-best-set")
    assert chart.get_by_role("link", name="3 m").get_attribute("aria-current") == "true"
    assert chart.locator("path.chart-line").get_attribute("d") != before
    assert 0 < chart.locator("details.chart-data tbody tr").count() < rows  # the table follows the range
    # A tap reads a point's value: every point carries its own title.
    titles = chart.locator("circle.chart-dot title").all_text_contents()
    assert titles and all(" kg" in t for t in titles)


def test_a_range_change_redraws_the_strength_chart_on_a_phone(live_server, chromium_browser, catalog):
    user = make_user("strength-ranger")
    _history(user)
    context = chromium_browser.new_context(viewport={"width": 360, "height": 800})
    try:
        browser_log_in(context, live_server.url, user)
        page = context.new_page()
        page.goto(live_server.url + "/progress/strength/")
        chart = page.locator("#pattern-index")
        assert chart.get_by_role("link", name="1 y").get_attribute("aria-current") == "true"  # the default
        before = chart.locator("path.chart-line").first.get_attribute("d")
        rows = chart.locator("details.chart-data tbody tr").count()
        chart.get_by_role("link", name="3 m").click()
        page.wait_for_url("**range=3m#pattern-index")
        chart = page.locator("#pattern-index")
        assert chart.get_by_role("link", name="3 m").get_attribute("aria-current") == "true"
        assert chart.locator("path.chart-line").first.get_attribute("d") != before
        assert 0 < chart.locator("details.chart-data tbody tr").count() < rows  # the table follows the range
        texts = page.evaluate(TEXT_SIZES)
        assert texts and not [t for t in texts if t["size"] < 12 or t["height"] < 12]
        links = page.evaluate("""() => [...document.querySelectorAll('#pattern-index .chart-ranges a')]
            .map(a => parseFloat(getComputedStyle(a).fontSize))""")
        assert links and min(links) >= 12
        assert page.evaluate(OVERFLOW) <= 0, "the strength page scrolls sideways at 360 px"
    finally:
        context.close()
