"""Staff admin: who gets in, bounded queries, read-only event log, refold action, filters and search."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import DeadLetter, Device, Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.accounts.tests.data_builders import rich_history
from hypertrophy.testing import logged_in, make_user, projection_state, register_device
from workouts.models import Exercise, VolumeLandmark, WeeklyMetrics, Workout

pytestmark = pytest.mark.django_db

LISTS = (
    "/admin/events/user/",
    "/admin/events/event/",
    "/admin/events/deadletter/",
    "/admin/events/device/",
    "/admin/accounts/auditentry/",
    "/admin/workouts/exercise/",
)
PROJECT_APPS = {"events", "workouts", "coaching", "measurements"}


@pytest.fixture
def staff() -> Client:
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-the-boss")
    return logged_in(user)


def lifters(n: int, *, start: int = 0) -> list:
    users = []
    for i in range(start, start + n):
        user = make_user(f"lifter{i}", email=f"lifter{i}@example.com")
        rich_history(user, client=logged_in(user))
        users.append(user)
    return users


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def test_staff_lists_do_not_grow_with_the_number_of_users(staff):
    lifters(2)
    small = {path: queries(staff, path) for path in LISTS}
    lifters(4, start=2)
    large = {path: queries(staff, path) for path in LISTS}
    assert large == small
    assert max(large.values()) <= 15


def test_user_list_shows_guest_flag_device_and_event_counts(staff):
    (user,) = lifters(1)
    page = staff.get("/admin/events/user/").content.decode()
    events = Event.objects.filter(user=user).count()
    devices = Device.objects.filter(user=user).count()
    assert f'href="/admin/events/event/?user={user.pk}">{events}</a>' in page
    assert f'href="/admin/events/device/?user={user.pk}">{devices}</a>' in page
    assert "column-is_guest" in page and "column-date_joined" in page


def test_user_change_page_lists_devices_read_only(staff):
    (user,) = lifters(1)
    page = staff.get(f"/admin/events/user/{user.pk}/change/").content.decode()
    for device in Device.objects.filter(user=user):
        assert str(device.id) in page
    assert 'name="devices-0-name"' not in page  # read-only inline: no inputs


@pytest.mark.parametrize("path", LISTS + ("/admin/",))
def test_anonymous_and_non_staff_are_sent_to_the_admin_login(db, path):
    lifter = logged_in(make_user("lifter"))
    for client in (Client(), lifter):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_events_cannot_be_added_changed_or_deleted(staff):
    (user,) = lifters(1)
    event = Event.objects.filter(user=user).first()
    before = Event.objects.count()
    assert staff.get(f"/admin/events/event/{event.pk}/change/").status_code == 200  # view only
    assert staff.post(f"/admin/events/event/{event.pk}/change/", {"event_type": "Hacked"}).status_code == 403
    assert staff.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert staff.get("/admin/events/event/add/").status_code == 403
    bulk_delete = {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    response = staff.post("/admin/events/event/", bulk_delete)
    assert response.status_code in (200, 302)
    assert Event.objects.count() == before
    event.refresh_from_db()
    assert event.event_type != "Hacked"
    page = staff.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page and "/delete/" not in page


def test_dead_letters_and_audit_entries_are_read_only(staff):
    (user,) = lifters(1)
    dead = DeadLetter.objects.get(user=user)
    entry = AuditEntry.objects.create(kind="login", subject="x")
    for path, pk in (("events/deadletter", dead.pk), ("accounts/auditentry", entry.pk)):
        assert staff.post(f"/admin/{path}/{pk}/change/", {"code": "x", "kind": "y"}).status_code == 403
        assert staff.post(f"/admin/{path}/{pk}/delete/", {"post": "yes"}).status_code == 403
        assert staff.get(f"/admin/{path}/add/").status_code == 403
    assert DeadLetter.objects.filter(pk=dead.pk).exists()
    assert AuditEntry.objects.filter(pk=entry.pk, kind="login").exists()


def test_event_filters_and_search(staff):
    first, second = lifters(2)
    event = Event.objects.filter(user=first, event_type="WorkoutStarted").first()

    def listed(query: str) -> set[int]:
        response = staff.get(f"/admin/events/event/?{query}")
        assert response.status_code == 200
        return {e.pk for e in response.context["cl"].result_list}

    assert listed(f"q={event.event_id}") == {event.pk}
    by_aggregate = listed(f"q={event.aggregate_id}")
    assert event.pk in by_aggregate
    assert set(Event.objects.filter(pk__in=by_aggregate).values_list("aggregate_id", flat=True)) == {event.aggregate_id}
    assert listed(f"user={first.pk}") == set(Event.objects.filter(user=first).values_list("pk", flat=True))
    assert listed(f"q={first.pk}") == set(Event.objects.filter(user=first).values_list("pk", flat=True))
    on_device = set(Event.objects.filter(device_id=event.device_id).values_list("pk", flat=True))
    assert listed(f"device={event.device_id}") == on_device
    assert listed("event_type=GoalSet") == set(Event.objects.filter(event_type="GoalSet").values_list("pk", flat=True))
    assert listed("user=not-a-uuid") == set()
    assert listed("q=nothing-like-an-id") == set()
    # Dead letters and audit entries: by user id.
    response = staff.get(f"/admin/events/deadletter/?user={second.pk}")
    assert {d.user_id for d in response.context["cl"].result_list} == {second.pk}
    response = staff.get(f"/admin/events/user/?q={second.pk}")
    assert [u.pk for u in response.context["cl"].result_list] == [second.pk]


def test_refold_action_rebuilds_a_users_projections_and_is_audited(staff):
    (user,) = lifters(1)
    expected = projection_state(user_id=user.pk)
    Workout.objects.filter(user=user).update(name="scrambled")
    WeeklyMetrics.objects.filter(user=user).update(sessions=99)
    response = staff.post("/admin/events/user/", {"action": "refold_projections", "_selected_action": [str(user.pk)]})
    assert response.status_code == 302
    assert projection_state(user_id=user.pk) == expected
    entry = AuditEntry.objects.get(kind="staff.refolded")
    assert entry.user.username == "boss" and entry.subject == f"events.User {user.pk}"
    assert entry.data["events"] == Event.objects.filter(user=user).count()


def test_exercises_are_editable_and_staff_changes_are_audited(staff):
    exercise = Exercise.objects.get(slug="barbell-bench-press")
    page = staff.get(f"/admin/workouts/exercise/{exercise.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(name="Barbell Bench Press (flat)", aliases='["bench"]', muscles='{"chest": 1.0}', how_to="Press.")
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "unilateral"}  # unchecked box: absent
    response = staff.post(f"/admin/workouts/exercise/{exercise.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    exercise.refresh_from_db()
    assert exercise.name == "Barbell Bench Press (flat)"
    entry = AuditEntry.objects.get(kind="staff.changed")
    assert entry.user.username == "boss" and entry.subject.startswith(f"workouts.Exercise {exercise.pk}")
    assert entry.ip_address == "127.0.0.1"


def test_staff_deletions_and_user_changes_are_audited(staff):
    a, b = lifters(2)
    response = staff.post(
        "/admin/events/user/",
        {"action": "delete_selected", "_selected_action": [str(b.pk)], "post": "yes"},
    )
    # Deleting a user with events through the admin is refused (events protect it): nothing happens, nothing logged.
    assert get_user_model().objects.filter(pk=b.pk).exists()
    assert response.status_code in (200, 302)
    assert not AuditEntry.objects.filter(kind="staff.deleted").exists()
    landmark_ids = list(VolumeLandmark.objects.values_list("pk", flat=True)[:2])
    response = staff.post(
        "/admin/workouts/volumelandmark/",
        {"action": "delete_selected", "_selected_action": landmark_ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(kind="staff.deleted").count() == len(landmark_ids) == 2


def test_staff_delete_accounts_action_confirms_then_deletes_everything(staff):
    from hypertrophy.accounts.tests.builders import rows_of

    doomed, kept = lifters(2)
    boss = get_user_model().objects.get(username="boss")
    selected = {"action": "delete_accounts", "_selected_action": [str(doomed.pk), str(boss.pk)]}
    page = staff.post("/admin/events/user/", selected)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-user="{doomed.pk}"' in text and f'data-user="{boss.pk}"' not in text  # never yourself
    assert f"<td>{Event.objects.filter(user=doomed).count()}</td>" in text
    assert get_user_model().objects.filter(pk=doomed.pk).exists()  # not before the confirmation

    response = staff.post("/admin/events/user/", {**selected, "confirm": "yes"})
    assert response.status_code == 302
    assert {label: n for label, n in rows_of(doomed.pk).items() if n} == {}
    assert get_user_model().objects.filter(pk__in=[boss.pk, kept.pk]).count() == 2
    assert Event.objects.filter(user=kept).exists()
    entry = AuditEntry.objects.get(kind="staff.account_deleted")
    assert entry.user == boss and entry.subject.startswith("sha256:") and entry.data["events"] > 0
    assert AuditEntry.objects.filter(kind="account.deleted").count() == 1


def test_staff_without_delete_permission_cannot_delete_accounts(db):
    from django.contrib.auth.models import Permission

    (victim,) = lifters(1)
    helper = make_user("helper")
    helper.is_staff = True
    helper.save()
    helper.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = logged_in(helper)
    page = client.get("/admin/events/user/")
    assert page.status_code == 200 and "delete_accounts" not in page.content.decode()
    erase = {"action": "delete_accounts", "_selected_action": [str(victim.pk)], "confirm": "yes"}
    response = client.post("/admin/events/user/", erase)
    assert response.status_code in (200, 302)
    assert get_user_model().objects.filter(pk=victim.pk).exists()
    assert "refold_projections" not in page.content.decode()  # a write: needs the change permission


def test_user_change_page_has_no_delete_button_that_would_stop_at_protected_events(staff):
    (user,) = lifters(1)
    page = staff.get(f"/admin/events/user/{user.pk}/change/").content.decode()
    assert f"/admin/events/user/{user.pk}/delete/" not in page
    assert staff.post(f"/admin/events/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403


def test_writes_through_admins_without_the_mixin_are_audited_too(staff):
    """Django's group admin (like other apps' admins) does not use the mixin: its LogEntry is audited."""
    from django.contrib.auth.models import Group

    response = staff.post("/admin/auth/group/add/", {"name": "coaches"})
    assert response.status_code == 302
    group = Group.objects.get(name="coaches")
    entry = AuditEntry.objects.get(kind="staff.added")
    assert entry.user.username == "boss" and entry.subject == f"auth.Group {group.pk}: coaches"


def test_a_log_in_through_the_admin_form_is_audited_once():
    """allauth's user_logged_in is not sent by the admin's own log-in form; it went unaudited."""
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-the-boss")
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "pw-for-the-boss"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    entries = AuditEntry.objects.filter(kind="login", user=boss)
    assert [e.data for e in entries] == [{"via": "admin"}]
    assert entries[0].ip_address == "127.0.0.1"
    client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    assert AuditEntry.objects.filter(kind="login.failed", subject="boss").count() == 1


def test_only_a_devices_name_is_editable_in_the_admin(staff):
    """The sync's rate-limit counters (sync_window, sync_hits) were editable fields of the device form."""
    owner = make_user("owner", email="owner@example.com")
    device = register_device(logged_in(owner))
    response = staff.get(f"/admin/events/device/{device.device_id}/change/")
    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == {"name"}


# Odd values typed into a list's query string: Django builds the filter, but some fail only
# when the database runs it (a year out of range, an integer too large for the column).
ODD_LOOKUPS = (
    ("/admin/events/user/", {"date_joined__year": "-1"}),
    ("/admin/events/user/", {"last_login__year": "10000"}),
    ("/admin/events/user/", {"birth_year__in": "99999999999999999999"}),
    ("/admin/events/event/", {"received_at__year": "0"}),
    ("/admin/events/event/", {"occurred_at__year": "99999999999999999999"}),
    ("/admin/events/event/", {"sequence_number__in": "99999999999999999999"}),
    ("/admin/events/deadletter/", {"created_at__iso_year": "-1"}),
    ("/admin/events/device/", {"last_seen_at__year": "-1"}),
    ("/admin/events/device/", {"sync_hits__in": "99999999999999999999"}),
    ("/admin/accounts/auditentry/", {"id__in": "99999999999999999999"}),
    ("/admin/workouts/exercise/", {"id__in": "99999999999999999999"}),
    ("/admin/coaching/coachfact/", {"created_at__year": "99999"}),
)


@pytest.mark.parametrize(("path", "params"), ODD_LOOKUPS)
def test_odd_lookup_values_in_a_list_url_are_refused_not_a_500(staff, path, params):
    response = staff.get(path, params)
    if response.status_code == 200:
        # PostgreSQL's backend turns an integer out of the column's range into "no rows".
        assert "99999999999999999999" in str(params)
        return
    # Django's own answer to lookups it cannot use: the list again, flagged as an error.
    assert response.status_code == 302 and response["Location"] == f"{path}?e=1"
    assert staff.get(response["Location"]).status_code == 200


ODD_TERMS = ("abc", "not-a-uuid-1234", "12345678-1234-1234-1234", "%", "a" * 300, "😀", "' OR 1=1", "nul\x00byte")


@pytest.mark.parametrize("term", ODD_TERMS)
@pytest.mark.parametrize("path", LISTS + ("/admin/coaching/coachfact/", "/admin/coaching/coachquotauser/"))
def test_odd_search_terms_list_nothing_or_matches_never_a_500(staff, path, term):
    assert staff.get(path, {"q": term}).status_code == 200


def test_every_project_admin_guards_its_list_against_odd_lookups():
    from django.contrib import admin

    from events.admin_lookups import SafeLookupsMixin

    project = [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in PROJECT_APPS]
    assert len(project) >= 9
    unguarded = [m._meta.label for m, a in project if not isinstance(a, SafeLookupsMixin)]
    assert unguarded == []


def test_changing_a_users_week_start_in_the_admin_rebuilds_the_weekly_numbers(staff):
    """The settings page rebuilds weekly metrics when the week start changes; the admin's
    change form saved the field alone, so the weeks stayed bucketed by the old start."""
    from django.forms.models import model_to_dict

    (user,) = lifters(1)
    assert WeeklyMetrics.objects.filter(user=user).exists()
    assert {w.weekday() for w in WeeklyMetrics.objects.filter(user=user).values_list("week_start", flat=True)} == {0}
    page = staff.get(f"/admin/events/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in model_to_dict(user, fields=form.fields).items() if v is not None}
    data.update(
        week_start=6, date_joined_0=user.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=user.date_joined.strftime("%H:%M:%S"),
        **{"devices-TOTAL_FORMS": "0", "devices-INITIAL_FORMS": "0"},
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = staff.post(f"/admin/events/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    user.refresh_from_db()
    assert user.week_start == 6
    assert {w.weekday() for w in WeeklyMetrics.objects.filter(user=user).values_list("week_start", flat=True)} == {6}
