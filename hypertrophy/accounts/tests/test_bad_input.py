"""Bad input on the account pages answers a clear 4xx or a safe default, never a 500: the
invitation's ``next``, the sessions form's ``session``, the data page's counts."""

from __future__ import annotations

import pytest
from django.test import Client

from hypertrophy.testing import logged_in, make_user
from hypertrophy.accounts.tests.builders import account, guest_with_data, log_in

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = ["²", "١٢", "-1", "1.0", " 1", "1" * 5000, "9" * 19]


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("abc", "abc"),  # once reversed as a URL name (NoReverseMatch, a 500); now a relative URL
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/progress/", "/progress/"),
        ("/settings/profile?saved=1", "/settings/profile?saved=1"),
    ],
)
def test_invitation_dismissal_goes_only_to_this_site(target, landing):
    for browser in (Client(), guest_with_data()[0]):  # anonymous too
        response = browser.post("/settings/invite/dismiss", {"next": target})
        assert response.status_code == 302
        assert response["Location"] == landing


@pytest.mark.parametrize("value", NOT_A_NUMBER)
def test_sessions_form_refuses_what_is_not_a_session_id(value):
    account()
    browser = Client()
    log_in(browser)
    assert browser.post("/accounts/sessions/", {"session": value}).status_code == 404
    assert browser.get("/settings/devices").status_code == 200  # still logged in, nothing ended


def test_signing_this_browsers_own_session_out_logs_it_out():
    from allauth.usersessions.models import UserSession

    owner = account()
    browser = Client(HTTP_USER_AGENT="This browser")
    log_in(browser)
    mine = UserSession.objects.get(user=owner, user_agent="This browser")
    response = browser.post("/accounts/sessions/", {"session": mine.pk})
    assert response.status_code == 302
    assert browser.get("/settings/devices").status_code == 302  # logged out
    assert not UserSession.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("name", ["imported", "duplicates"])
@pytest.mark.parametrize("value", NOT_A_NUMBER)
def test_data_page_ignores_counts_that_are_not_numbers(name, value):
    client = logged_in(make_user("lifter"))
    response = client.get("/settings/data/", {name: value})
    assert response.status_code == 200
    assert "Imported" not in response.content.decode()


def test_data_page_shows_the_counts_of_an_import():
    client = logged_in(make_user("lifter"))
    html = client.get("/settings/data/", {"imported": "12", "duplicates": "3"}).content.decode()
    assert "Imported 12 events; 3 were already here." in html
