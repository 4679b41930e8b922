"""Settings (preferences, theme), the devices page, the sessions page and the sync rate limit:
anonymous / owner / other user for each."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Device, Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, new_id, page_queries, register_device, workout_started
from hypertrophy.accounts.tests.builders import SETTINGS, account, guest_with_data, log_in

pytestmark = pytest.mark.django_db

# --- settings -------------------------------------------------------------------------------


def test_settings_page_saves_every_preference():
    user = account()
    client = logged_in(user)
    response = client.post("/settings/profile", SETTINGS)
    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert (user.weight_unit, user.length_unit, user.sex, user.birth_year, user.e1rm_formula, user.week_start) == (
        "lb", "in", "female", 1988, "brzycki", 6,
    )
    assert user.height_cm == pytest.approx(165.1)
    assert (user.experience_level, user.primary_goal, user.rest_compound_seconds, user.rest_isolation_seconds) == (
        "advanced", "strength", 240, 75,
    )
    assert user.equipment == ["barbell", "dumbbell"] and user.theme == "dark"
    assert (user.coach_tone, user.coach_aggressiveness, user.weekly_report_email) == ("drill_sergeant", "aggressive", True)
    html = client.get("/settings/profile").content.decode()
    assert '<html lang="en" data-theme="dark">' in html
    assert 'value="barbell" id="id_equipment_0" checked' in html or ('value="barbell"' in html and "checked" in html)


def test_unticking_every_checkbox_clears_them():
    user = account(equipment=["barbell"], weekly_report_email=True)
    data = {k: v for k, v in SETTINGS.items() if k not in ("equipment", "weekly_report_email")}
    assert logged_in(user).post("/settings/profile", data).status_code == 302
    user.refresh_from_db()
    assert user.equipment == [] and user.weekly_report_email is False


@pytest.mark.parametrize(
    "change, field",
    [
        ({"rest_compound_seconds": "-5"}, "rest_compound_seconds"),
        ({"rest_isolation_seconds": "99999"}, "rest_isolation_seconds"),
        ({"equipment": ["barbell", "rocket"]}, "equipment"),
        ({"theme": "neon"}, "theme"),
        ({"coach_tone": "rude"}, "coach_tone"),
    ],
)
def test_bad_settings_are_form_errors_and_nothing_changes(change, field):
    user = account()
    response = logged_in(user).post("/settings/profile", {**SETTINGS, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    user.refresh_from_db()
    assert user.theme == "system" and user.weight_unit == "kg"


def test_profile_service_validates_new_fields():
    user = account()
    with pytest.raises(ValueError, match="equipment"):
        user_profile_update(user=user, equipment=["laser"])
    with pytest.raises(ValueError, match="rest_compound_seconds"):
        user_profile_update(user=user, rest_compound_seconds=4000)
    user_profile_update(user=user, equipment=["dumbbell", "barbell", "dumbbell"], theme="light")
    user.refresh_from_db()
    assert user.equipment == ["barbell", "dumbbell"] and user.theme == "light"


def test_theme_is_on_every_page():
    client = logged_in(account(theme="light"))
    for path in ("/", "/workouts/", "/progress/", "/measurements/", "/accounts/password/change/"):
        assert 'data-theme="light"' in client.get(path).content.decode(), path
    assert 'data-theme="system"' in Client().get("/").content.decode()


def test_settings_links_to_account_pages():
    html = logged_in(account()).get("/settings/profile").content.decode()
    for href in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/", "/settings/devices", "/settings/data/", "/import/"):
        assert f'href="{href}"' in html, href
    guest_html = guest_with_data()[0].get("/settings/profile").content.decode()
    assert 'href="/accounts/signup/"' in guest_html and 'href="/accounts/2fa/"' not in guest_html
    assert 'href="/import/"' in guest_html


# --- devices --------------------------------------------------------------------------------


def test_devices_page_anonymous_owner_other():
    owner, other = account(), account("other@example.com")
    mine = register_device(logged_in(owner), name="Pixel 8 Chrome")
    mine.sync([mine.event(*workout_started(new_id())), mine.event(*workout_started(new_id()))])
    theirs = register_device(logged_in(other), name="Their iPhone")

    anonymous = Client().get("/settings/devices")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    html = logged_in(owner).get("/settings/devices").content.decode()
    assert "Pixel 8 Chrome" in html and "Their iPhone" not in html
    row = html[html.index(f'data-device="{mine.device_id}"') :]
    assert "<td>2</td>" in row[: row.index("</tr>")]
    # Someone else's device cannot be signed out: 404, and its token keeps working.
    response = logged_in(owner).post(f"/settings/devices/{theirs.device_id}/sign-out")
    assert response.status_code == 404
    assert theirs.sync([theirs.event(*workout_started(new_id()))]).status_code == 200
    assert Client().post(f"/settings/devices/{mine.device_id}/sign-out").status_code == 302
    assert Device.objects.get(pk=mine.device_id).token_hash


def test_signing_a_device_out_revokes_its_token_and_keeps_its_events():
    owner = account()
    device = register_device(logged_in(owner))
    device.sync([device.event(*workout_started(new_id()))])
    client = logged_in(owner)
    response = client.post(f"/settings/devices/{device.device_id}/sign-out")
    assert response.status_code == 302 and response["Location"] == "/settings/devices"
    refused = device.sync([device.event(*workout_started(new_id()))])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "not_authenticated"
    assert device.get("/api/v1/workouts").status_code == 401
    assert Device.objects.get(pk=device.device_id).events.count() == 1
    assert "Signed out" in client.get("/settings/devices").content.decode()
    assert AuditEntry.objects.get(kind="device.revoked").data == {"device_id": device.device_id}


def test_devices_page_needs_the_csrf_token():
    owner = account()
    device = register_device(logged_in(owner))
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(f"/settings/devices/{device.device_id}/sign-out").status_code == 403
    assert Device.objects.get(pk=device.device_id).token_hash


def test_devices_page_queries_do_not_grow_with_devices():
    owner = account()
    client = logged_in(owner)
    register_device(client)
    few = page_queries(client, "/settings/devices")
    for _ in range(5):
        d = register_device(client)
        d.sync([d.event(*workout_started(new_id()))])
    assert page_queries(client, "/settings/devices") == few


def test_a_guest_sees_its_devices():
    browser, device = guest_with_data()
    assert device.device_id in browser.get("/settings/devices").content.decode()


def test_the_weekly_report_email_is_offered_only_with_an_address():
    """A guest (or a visitor) was offered "Email me the weekly report" with no address to send it to."""
    browser, _ = guest_with_data()
    for client in (Client(), browser):
        page = client.get("/settings/profile").content.decode()
        assert 'name="weekly_report_email"' not in page and "weekly report emailed" in page
    page = logged_in(account()).get("/settings/profile").content.decode()
    assert 'name="weekly_report_email"' in page


# --- browser sessions ----------------------------------------------------------------------


def test_sessions_page_lists_and_signs_one_out():
    owner = account()
    phone, laptop = Client(HTTP_USER_AGENT="Phone browser"), Client(HTTP_USER_AGENT="Laptop browser")
    log_in(phone)
    log_in(laptop)
    html = laptop.get("/accounts/sessions/").content.decode()
    assert "Phone browser" in html and "Laptop browser" in html
    from allauth.usersessions.models import UserSession

    phone_session = UserSession.objects.get(user_agent="Phone browser")
    other = account("other@example.com")
    outsider = Client()
    log_in(outsider, "other@example.com")
    assert outsider.post("/accounts/sessions/", {"session": phone_session.pk}).status_code == 404
    assert phone.get("/settings/devices").status_code == 200

    assert laptop.post("/accounts/sessions/", {"session": phone_session.pk}).status_code == 302
    assert phone.get("/settings/devices").status_code == 302  # logged out
    assert laptop.get("/settings/devices").status_code == 200
    assert AuditEntry.objects.filter(kind="session.revoked", user=owner).exists()
    assert not AuditEntry.objects.filter(kind="session.revoked", user=other).exists()
    assert Client().get("/accounts/sessions/")["Location"].startswith("/accounts/login/")


def test_this_browsers_session_signs_out_through_the_log_out_page():
    """Signing this browser's own session out here skipped the log-out page: unsynced changes
    were not sent first and the pages kept for offline use stayed."""
    import re

    account()
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    log_in(laptop)
    log_in(phone)
    html = laptop.get("/accounts/sessions/").content.decode()
    rows = dict(re.findall(r'<tr data-session="\d+">\s*<td title="([^"]+)">.*?</td>(.*?)</tr>', html, re.S))
    assert '<a class="danger" href="/accounts/logout/">Sign out (this browser)</a>' in rows["Laptop browser"]
    assert 'name="session"' in rows["Phone browser"] and "/accounts/logout/" not in rows["Phone browser"]


def test_sign_out_every_other_session():
    account()
    a, b = Client(HTTP_USER_AGENT="A"), Client(HTTP_USER_AGENT="B")
    log_in(a)
    log_in(b)
    assert b.post("/accounts/sessions/").status_code == 302
    assert a.get("/settings/devices").status_code == 302
    assert b.get("/settings/devices").status_code == 200


# --- sync rate limit -----------------------------------------------------------------------


def test_sync_is_rate_limited_per_device_with_the_api_error_shape(settings):
    settings.SYNC_RATE_LIMIT = "3/m"
    device = register_device()
    other = register_device()
    for _ in range(3):
        assert device.sync([]).status_code == 200
    response = device.sync([device.event(*workout_started(new_id()))])
    assert response.status_code == 429
    body = response.json()
    assert body["error"]["code"] == "rate_limited" and body["error"]["message"]
    assert other.sync([]).status_code == 200  # another device has its own allowance


def test_sync_rate_limit_counts_per_device_whatever_the_auth(settings):
    """Session and bearer writes to one device share its allowance; another device of the
    same user has its own. A refused batch stores nothing."""
    settings.SYNC_RATE_LIMIT = "2/m"
    user = account()
    client = logged_in(user)
    device = register_device(client)
    body = {"device_id": device.device_id, "events": []}
    assert client.post("/api/v1/sync", body, content_type="application/json").status_code == 200
    assert device.sync([]).status_code == 200
    refused = device.sync([device.event(*workout_started(new_id()))])
    assert refused.status_code == 429 and refused.json()["error"]["details"]["retry_after_seconds"] > 0
    assert client.post("/api/v1/sync", body, content_type="application/json").status_code == 429
    assert not Event.objects.filter(device_id=device.device_id).exists()
    assert register_device(client).sync([]).status_code == 200


def test_the_sync_limit_is_counted_in_the_ingests_own_update(settings):
    """No cache round trip per sync: the count lives on the device row the ingest locks and
    updates anyway, in that same UPDATE."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SYNC_RATE_LIMIT = "50/m"
    device = register_device()
    with CaptureQueriesContext(connection) as ctx:
        assert device.sync([device.event(*workout_started(new_id()))]).status_code == 200
    device_updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "sync_hits" in q["sql"]]
    assert len(device_updates) == 1 and "last_acked_sequence" in device_updates[0]
    row = Device.objects.get(pk=device.device_id)
    assert row.sync_hits == 1 and row.sync_window == int(time.time() // 60)
    device.sync([])
    assert Device.objects.get(pk=device.device_id).sync_hits == 2


def test_new_devices_are_rate_limited_per_user(settings):
    settings.DEVICE_RATE_LIMIT = "2/h"
    client = logged_in(account())
    assert register_device(client) and register_device(client)
    response = client.post("/api/v1/devices", {"device_id": new_id()}, content_type="application/json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
    assert register_device(logged_in(account("other@example.com")))  # another user is counted apart


def test_sync_default_rate_is_generous():
    from django.conf import settings as live

    assert live.SYNC_RATE_LIMIT == "100000/m"  # conftest raises it for tests
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hypertrophy.settings'; django.setup();"
         "from django.conf import settings; print(settings.SYNC_RATE_LIMIT)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert out == "600/m"


def test_settings_and_sessions_pages_queries_are_bounded():
    owner = account()
    client = logged_in(owner)
    log_in(Client())
    profile, sessions = page_queries(client, "/settings/profile"), page_queries(client, "/accounts/sessions/")
    for _ in range(5):
        d = register_device(client)
        d.sync([d.event(*workout_started(new_id()))])
        log_in(Client())
    assert page_queries(client, "/settings/profile") == profile
    assert page_queries(client, "/accounts/sessions/") == sessions


def test_settings_endpoints_refuse_other_methods():
    owner = account()
    device = register_device(logged_in(owner))
    client = logged_in(owner)
    assert client.get(f"/settings/devices/{device.device_id}/sign-out").status_code == 405
    assert client.get("/settings/invite/dismiss").status_code == 405
    assert Client().post("/settings/invite/dismiss", {"next": "/workouts/"})["Location"] == "/workouts/"
    assert client.post("/settings/devices/not-a-uuid/sign-out").status_code == 404


# --- browsers named as a person names them --------------------------------------------------

LINUX_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (LINUX_CHROME, "Chrome on Linux"),
        (IPHONE_SAFARI, "Safari on iPhone"),
        ("Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
            "Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        ("Pixel 8 Chrome", "Pixel 8 Chrome"),  # an app's own name stays
        ("Imported: " + LINUX_CHROME, "Imported: Chrome on Linux"),
        ("", ""),
    ],
)
def test_browser_label(agent, label):
    from hypertrophy.accounts.templatetags.user_agents import browser_label

    assert browser_label(agent) == label


def test_devices_and_sessions_pages_name_browsers_not_user_agent_strings():
    """A full User-Agent string in the first column pushed Sign out off a phone's screen."""
    account()
    browser = Client(HTTP_USER_AGENT=IPHONE_SAFARI)
    log_in(browser)
    register_device(browser, name=LINUX_CHROME)
    for path in ("/settings/devices", "/accounts/sessions/"):
        html = browser.get(path).content.decode()
        label = "Chrome on Linux" if path == "/settings/devices" else "Safari on iPhone"
        assert f">{label}</td>" in html, path
        agent = LINUX_CHROME if path == "/settings/devices" else IPHONE_SAFARI
        assert html.count(agent) == html.count(f'title="{agent}"') == 1, path  # full string only on hover
