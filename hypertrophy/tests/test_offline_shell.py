"""body[data-shell]: what the pages the service worker keeps for offline use render per user.

The service worker (templates/pwa/sw.js followUser) compares each page's with the one inside
the workout shell it kept and fetches the shell and /offline again when they differ, so it must
change whenever what those pages render for the visitor changes, and be the same on every page
for the same state.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.template.loader import render_to_string

from hypertrophy import pwa
from hypertrophy.testing import logged_in, make_user

pytestmark = pytest.mark.django_db


def shell_key(client: Client, path: str = "/") -> str | None:
    response = client.get(path)
    assert response.status_code == 200, path
    found = re.search(r'<body[^>]* data-shell="([^"]*)"', response.content.decode())
    return found and found[1]


def test_a_visitor_is_anonymous_on_every_kept_page():
    client = Client()
    assert {shell_key(client, path) for path in ["/", "/workouts/shell/", "/offline", "/workouts/"]} == {"anonymous"}


def test_the_same_for_every_page_of_one_user_and_other_for_another():
    lifter, other = make_user("lifter"), make_user("other")
    client = logged_in(lifter)
    pages = ["/", "/workouts/shell/", "/offline", "/workouts/", "/settings/profile"]
    keys = {shell_key(client, path) for path in pages}
    assert len(keys) == 1
    (key,) = keys
    assert str(lifter.pk) in key and "account" in key
    assert shell_key(logged_in(other)) not in (key, "anonymous")


@pytest.mark.parametrize(
    "field, value",
    [
        ("weight_unit", "lb"),
        ("length_unit", "in"),
        ("theme", "dark"),
        ("e1rm_formula", "brzycki"),
        ("rest_compound_seconds", 240),
        ("rest_isolation_seconds", 60),
        ("equipment", ["barbell", "dumbbell"]),
        ("is_guest", True),
    ],
)
def test_changes_with_each_setting_the_shell_renders(field, value):
    user = make_user("switcher")
    client = logged_in(user)
    before = shell_key(client, "/workouts/shell/")
    setattr(user, field, value)
    user.save()
    after = shell_key(client, "/workouts/shell/")
    assert after != before
    assert after == shell_key(client, "/offline")


def test_saving_pounds_in_settings_changes_it_and_the_shell_unit():
    user = make_user("pounds")
    client = logged_in(user)
    before = shell_key(client)
    user.weight_unit = "lb"
    user.save(update_fields=["weight_unit"])
    assert shell_key(client) != before
    assert 'data-unit="lb"' in client.get("/workouts/shell/").content.decode()


def test_a_page_without_a_request_user_has_none():
    """The 500 page renders without the request's context: no key, so no refresh to a wrong one."""
    assert "data-shell" not in render_to_string("500.html")


def test_the_worker_refetches_the_pages_it_kept_marked_as_background():
    """The refresh goes through precache(), whose fetches carry X-Hypertrophy-Background (their
    answers never change the browser's cookies), covers the kept pages, not static files, and
    follows every page navigation answered by the network."""
    source = render_to_string(pwa.SW_TEMPLATE, pwa.worker_context())

    def function(name: str) -> str:
        body = source[source.index(f"async function {name}(") :]
        return body[: body.index("\n}\n")]

    follow = function("followUser")
    assert "filter((url) => !isStatic(url))" in follow and "precache(url, false)" in follow
    assert 'data-shell="' in source and 'caches.match("/workouts/shell/"' in follow
    assert "caches.delete(PAGES)" in follow  # another account: the first one's pages go
    assert "headers: BACKGROUND" in function("precache")
    assert 'event.request.mode === "navigate") event.waitUntil(followUser(res.clone()))' in function("networkFirst")
    assert {"/offline", "/workouts/shell/"} <= set(pwa.PRECACHE_REQUIRED_PAGES + pwa.PRECACHE_OPTIONAL_PAGES)
