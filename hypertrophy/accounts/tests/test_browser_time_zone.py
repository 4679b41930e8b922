"""Settings guesses the time zone from the browser (static/js/settings.js) and saving keeps it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from hypertrophy.testing import browser_log_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_settings_preselects_the_browsers_zone_and_saving_keeps_it(live_server, chromium_browser, catalog):
    user = make_user("traveller")
    context = chromium_browser.new_context(timezone_id="Pacific/Auckland")
    try:
        browser_log_in(context, live_server.url, user)
        page = context.new_page()
        page.goto(f"{live_server.url}/settings/profile")
        page.wait_for_selector("select[name=time_zone][data-guessed]")
        assert page.eval_on_selector("select[name=time_zone]", "s => s.value") == "Pacific/Auckland"
        assert "Guessed from this browser: Pacific/Auckland" in page.inner_text("#id_time_zone_helptext")
        page.get_by_role("button", name="Save profile").click()
        page.wait_for_selector("[data-saved]")
    finally:
        context.close()
    assert get_user_model().objects.get(pk=user.pk).time_zone == "Pacific/Auckland"
