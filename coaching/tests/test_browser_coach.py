"""The chat page in Chromium: a suggestion's answer streams into the page (the first words show
while the model is still writing), and memory rows delete in place with htmx."""

from __future__ import annotations

import pytest

from coaching.models import CoachFact, CoachMessage
from coaching.tests.helpers import alice_history, content
from hypertrophy.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_streams_into_the_page(live_server, browser_context, fake_llm):
    user = alice_history("browser-alice", coach_tone="neutral")
    step = content("Five weeks ", "in a row: ", "no deload yet.")
    fake_llm.steps = [{"delay": 2.0, **step}]
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + "/coach/")
    page.get_by_role("button", name="Should I deload?").click()
    answer = page.locator(".exchange.latest .a")
    # The first words arrive while the fake model is still pausing: the answer is streaming.
    page.wait_for_function(
        "document.querySelector('.exchange.latest .a')?.textContent.startsWith('Five weeks')", timeout=1500
    )
    assert answer.get_attribute("aria-busy") == "true"
    page.wait_for_function("!document.querySelector('.exchange.latest .a').hasAttribute('aria-busy')", timeout=10_000)
    assert answer.text_content() == "Five weeks in a row: no deload yet."
    assert page.locator(".exchange.latest .q").text_content() == "Should I deload?"
    assert page.url == live_server.url + "/coach/"  # no navigation: fetch, not a form post
    assert CoachMessage.objects.get(user=user).answer == "Five weeks in a row: no deload yet."


def test_rule_based_answer_and_memory_delete_in_place(live_server, browser_context):
    user = alice_history("browser-bob", coach_tone="neutral")
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + "/coach/")
    page.fill("#coach-question", "remember: my left shoulder hurts")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_function("document.querySelector('.exchange.latest .a')?.textContent.startsWith('Noted:')")
    page.get_by_role("button", name="How is my bench press progressing?").click()
    page.wait_for_function("document.querySelector('.exchange.latest .a')?.textContent.includes('to 114 kg')")
    assert "You told me: “my left shoulder hurts”" in page.locator(".exchange.latest .a").text_content()

    page.goto(live_server.url + "/coach/memory/")
    fact = CoachFact.objects.get(user=user)
    page.locator(f"#fact-{fact.pk} button").click()
    page.wait_for_function(f"!document.getElementById('fact-{fact.pk}')")
    assert not CoachFact.objects.filter(user=user).exists()


CSP_WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def test_coach_pages_work_under_the_strict_content_security_policy(live_server, chromium_browser, catalog):
    from coaching.models import WeeklyReport
    from coaching.reports import generate_weekly_reports

    user = alice_history("csp-alice", coach_tone="neutral")
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=user)
    strict = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    try:
        browser_log_in(strict, live_server.url, user)
        page = strict.new_page()
        page.add_init_script(CSP_WATCH)
        for path in (
            "/coach/memory/",
            "/coach/reports/",
            f"/coach/reports/{report.week_start.isoformat()}/",
            "/coach/",
        ):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__csp") == [], path
        # The page script runs under the policy: the answer streams in without a navigation.
        page.get_by_role("button", name="Should I deload?").click()
        page.locator(".exchange.latest .a", has_text="No deload needed yet").wait_for(timeout=10_000)
        assert page.url == live_server.url + "/coach/"
        assert page.evaluate("window.__csp") == []
    finally:
        strict.close()


def test_a_refused_or_failed_ask_says_which(live_server, browser_context):
    """A 403 (the page's CSRF token gone stale) said "Check your connection", which does not help."""
    user = alice_history("browser-errors", coach_tone="neutral")
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + "/coach/")
    page.route("**/coach/ask", lambda route: route.fulfill(status=403, body="Forbidden"))
    page.get_by_role("button", name="Should I deload?").click()
    refused = page.locator(".exchange.latest .a.form-error")
    refused.wait_for()
    assert refused.text_content() == "The coach couldn't answer (error 403). Reload the page and try again."
    page.unroute("**/coach/ask")
    page.route("**/coach/ask", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Should I deload?").click()
    page.locator(".exchange.latest .a.form-error", has_text="Check your connection").wait_for()
    assert page.locator(".exchange .a.form-error").count() == 2
    assert not CoachMessage.objects.filter(user=user).exists()  # neither reached the coach


def test_long_unbroken_words_do_not_widen_the_phone_page(live_server, browser_context):
    """A question or fact without spaces made /coach/ and /coach/memory/ eight times the phone's width."""
    user = alice_history("browser-wide", coach_tone="neutral")
    long_word = "x" * 300
    CoachFact.objects.create(user=user, text=long_word)
    CoachMessage.objects.create(user=user, question=long_word, answer=long_word)
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    for path in ("/coach/", "/coach/memory/"):
        page.goto(live_server.url + path)
        page.locator(".exchange .q, .memory-row").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
