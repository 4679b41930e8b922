"""The chat page in Chromium: a suggestion's answer streams into the page (the first words show
while the model is still writing), and memory rows delete in place with htmx."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from coaching.models import CoachFact, CoachMessage
from coaching.tests.helpers import alice_history, content
from hypertrophy.testing import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser_context, live_server, user) -> None:
    client = logged_in(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    browser_context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_answer_streams_into_the_page(live_server, browser_context, fake_llm):
    user = alice_history("browser-alice", coach_tone="neutral")
    step = content("Five weeks ", "in a row: ", "no deload yet.")
    fake_llm.steps = [{"delay": 2.0, **step}]
    login(browser_context, live_server, user)
    page = browser_context.new_page()
    page.goto(live_server.url + "/coach/")
    page.get_by_role("button", name="Should I deload?").click()
    answer = page.locator(".exchange.latest .a")
    # The first words arrive while the fake model is still pausing: the answer is streaming.
    page.wait_for_function("document.querySelector('.exchange.latest .a')?.textContent.startsWith('Five weeks')", timeout=1500)
    assert answer.get_attribute("aria-busy") == "true"
    page.wait_for_function("!document.querySelector('.exchange.latest .a').hasAttribute('aria-busy')", timeout=10_000)
    assert answer.text_content() == "Five weeks in a row: no deload yet."
    assert page.locator(".exchange.latest .q").text_content() == "Should I deload?"
    assert page.url == live_server.url + "/coach/"  # no navigation: fetch, not a form post
    assert CoachMessage.objects.get(user=user).answer == "Five weeks in a row: no deload yet."


def test_rule_based_answer_and_memory_delete_in_place(live_server, browser_context):
    user = alice_history("browser-bob", coach_tone="neutral")
    login(browser_context, live_server, user)
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
