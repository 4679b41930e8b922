"""The coach's pages for anonymous visitors, the owner and another lifter; bad input; CSRF;
no inline scripts; bounded query counts; the home page's insights."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from coaching.insights import home_insights
from coaching.models import CoachFact, CoachMessage, WeeklyReport
from coaching.reports import generate_weekly_reports
from coaching.tests.helpers import alice_history, bob_history
from hypertrophy.testing import logged_in, make_user, page_queries
from workouts.models import VolumeLandmark

pytestmark = pytest.mark.django_db

PAGES = ("/coach/", "/coach/memory/", "/coach/reports/")


@pytest.fixture
def alice():
    return alice_history(coach_tone="neutral")


def seed_memory(user, *, messages: int, facts: int) -> None:
    CoachMessage.objects.bulk_create(
        CoachMessage(user=user, question=f"q{user.username}{i}", answer=f"a{user.username}{i}") for i in range(messages)
    )
    CoachFact.objects.bulk_create(CoachFact(user=user, text=f"fact {user.username} {i}") for i in range(facts))


def seed_reports(user, *, weeks: int) -> None:
    start = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    WeeklyReport.objects.bulk_create(
        WeeklyReport(
            user=user,
            week_start=start - timedelta(weeks=i),
            metrics={"sessions": i, "sets": 3 * i, "unit": "kg"},
            narrative=f"week {i}",
        )
        for i in range(weeks)
    )


# --- who sees what ------------------------------------------------------------------------------


def test_anonymous_sees_empty_pages_and_must_log_in_to_ask():
    client = Client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Log in</a> to ask" in client.get("/coach/").content.decode()
    response = client.post("/coach/ask", {"question": "Should I deload?"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/coach/memory/", {"text": "knee"}).status_code == 302
    assert CoachFact.objects.count() == 0 and CoachMessage.objects.count() == 0


def test_anonymous_cannot_delete_or_read_anything(alice):
    seed_memory(alice, messages=1, facts=1)
    seed_reports(alice, weeks=1)
    report = WeeklyReport.objects.get(user=alice)
    client = Client()
    assert client.get(f"/coach/reports/{report.week_start.isoformat()}/").status_code == 404
    fact, message = CoachFact.objects.get(user=alice), CoachMessage.objects.get(user=alice)
    assert client.post(f"/coach/memory/facts/{fact.pk}/delete").status_code == 404
    assert client.post(f"/coach/memory/messages/{message.pk}/delete").status_code == 404
    assert CoachFact.objects.count() == CoachMessage.objects.count() == 1
    for path in PAGES:
        assert "alice" not in client.get(path).content.decode()


def test_owner_sees_and_deletes_their_memory(alice):
    client = logged_in(alice)
    assert "Persona: neutral, standard" in client.get("/coach/").content.decode()
    assert client.post("/coach/memory/", {"text": "goal: 100 kg bench by June"}).status_code == 302
    b"".join(
        client.post("/coach/ask", {"question": "Should I deload?"}, headers={"X-Coach-Stream": "1"}).streaming_content
    )
    page = client.get("/coach/memory/").content.decode()
    assert "goal: 100 kg bench by June" in page and "Should I deload?" in page and "No deload needed yet" in page
    fact = CoachFact.objects.get(user=alice)
    message = CoachMessage.objects.get(user=alice)
    # htmx: the row is swapped out with nothing; without JavaScript: back to the page.
    response = client.post(f"/coach/memory/facts/{fact.pk}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content == b""
    response = client.post(f"/coach/memory/messages/{message.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/coach/memory/"
    assert not CoachFact.objects.exists() and not CoachMessage.objects.exists()


def test_other_user_gets_404_and_sees_nothing(alice):
    bob = bob_history()
    seed_memory(alice, messages=2, facts=2)
    generate_weekly_reports()
    two_weeks_ago = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 14)
    year, week, _ = two_weeks_ago.isocalendar()
    call_command("generate_weekly_reports", "--week", f"{year}-W{week:02d}", stdout=StringIO())
    report = WeeklyReport.objects.get(user=alice, week_start=two_weeks_ago)
    WeeklyReport.objects.filter(user=bob, week_start=two_weeks_ago).delete()  # a week only Alice has
    client = logged_in(bob)
    assert client.get(f"/coach/reports/{report.week_start.isoformat()}/").status_code == 404
    for pk in CoachFact.objects.filter(user=alice).values_list("pk", flat=True):
        assert client.post(f"/coach/memory/facts/{pk}/delete").status_code == 404
    for pk in CoachMessage.objects.filter(user=alice).values_list("pk", flat=True):
        assert client.post(f"/coach/memory/messages/{pk}/delete").status_code == 404
    assert CoachFact.objects.filter(user=alice).count() == 2 and CoachMessage.objects.filter(user=alice).count() == 2
    assert logged_in(alice).get(f"/coach/reports/{report.week_start.isoformat()}/").status_code == 200
    for path in PAGES:
        page = client.get(path).content.decode()
        assert "qalice" not in page and "fact alice" not in page, path
    # Bob's own report list holds only his report.
    bob_report = WeeklyReport.objects.get(user=bob)
    reports = client.get("/coach/reports/").content.decode()
    assert reports.count("/coach/reports/20") == 1 and bob_report.week_start.isoformat() in reports


def test_owner_sees_the_report(alice):
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=alice)
    client = logged_in(alice)
    listing = client.get("/coach/reports/").content.decode()
    assert (
        f'href="/coach/reports/{report.week_start.isoformat()}/"' in listing
        and "1 session · 3 sets · 1 record" in listing
    )
    page = client.get(f"/coach/reports/{report.week_start.isoformat()}/").content.decode()
    # A whole number with a thousands separator (it showed "2100.0 kg"); sets and landmarks without ".0".
    assert "<dd>2,100 kg</dd>" in page and "Barbell Bench Press: 87.5 kg × 8" in page
    chest = VolumeLandmark.objects.get(muscle="chest")
    assert f'<td>Chest</td><td>3</td><td class="nowrap">{chest.mev:g}–{chest.mrv:g}</td>' in page
    assert "under your 10-set minimum" in page


def test_missing_or_malformed_report_week_is_404(alice):
    client = logged_in(alice)
    assert client.get("/coach/reports/2026-02-30/").status_code == 404
    assert client.get("/coach/reports/2020-01-06/").status_code == 404


# --- input ----------------------------------------------------------------------------------------


def test_bad_questions_are_form_errors(alice):
    client = logged_in(alice)
    response = client.post("/coach/ask", {"question": "   "})
    assert response.status_code == 400 and "Type a question" in response.content.decode()
    assert client.post("/coach/ask", {"question": "x" * 1001}).status_code == 400
    assert client.post("/coach/ask", {"question": "bench\x00"}).status_code == 400
    assert client.post("/coach/memory/", {"text": "y" * 301}).status_code == 400
    assert client.post("/coach/memory/", {"text": ""}).status_code == 400
    assert not CoachMessage.objects.exists() and not CoachFact.objects.exists()


def test_csrf_is_enforced(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/coach/ask", {"question": "Should I deload?"}).status_code == 403
    assert client.post("/coach/memory/", {"text": "knee"}).status_code == 403


def test_suggestions_are_buttons_of_the_form_and_no_inline_script(alice):
    seed_memory(alice, messages=1, facts=1)
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=alice)
    client = logged_in(alice)
    chat = client.get("/coach/").content.decode()
    for question in (
        "How is my bench press progressing?",
        "Which muscles am I under-training this week?",
        "Should I deload?",
        "How has my body fat changed this month?",
    ):
        assert f'<button type="submit" name="suggestion" value="{question}">' in chat
    assert '<script type="module" src="/static/js/coach.js">' in chat or re.search(
        r'<script type="module" src="/static/js/coach\.[0-9a-f]+\.js">', chat
    )
    for path in (*PAGES, f"/coach/reports/{report.week_start.isoformat()}/"):
        page = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"\son[a-z]+=|hx-on|javascript:", page), path


# --- query counts ---------------------------------------------------------------------------------


def test_page_queries_do_not_grow_with_history():
    small, large = make_user("small"), make_user("large")
    seed_memory(small, messages=1, facts=1)
    seed_reports(small, weeks=1)
    seed_memory(large, messages=400, facts=150)
    seed_reports(large, weeks=300)
    counts = {}
    for user in (small, large):
        client = logged_in(user)
        latest = WeeklyReport.objects.filter(user=user).order_by("-week_start").first().week_start.isoformat()
        paths = (*PAGES, f"/coach/reports/{latest}/", "/coach/insights")
        counts[user.username] = [page_queries(client, path) for path in paths]
    assert counts["small"] == counts["large"]
    assert max(counts["large"]) <= 8


def test_streamed_answer_queries_are_bounded():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for name, messages in (("few", 1), ("many", 300)):
        user = alice_history(name)
        seed_memory(user, messages=messages, facts=messages)
        client = logged_in(user)
        for question in ("How is my bench press progressing?", "Should I deload?"):
            with CaptureQueriesContext(connection) as ctx:
                b"".join(
                    client.post("/coach/ask", {"question": question}, headers={"X-Coach-Stream": "1"}).streaming_content
                )
            counts.append((name, question, len(ctx.captured_queries)))
    few = [c for n, _, c in counts if n == "few"]
    many = [c for n, _, c in counts if n == "many"]
    assert few == many and max(many) <= 30


# --- home insights --------------------------------------------------------------------------------


def test_home_shows_grounded_insights_that_follow_the_data(alice):
    chest = VolumeLandmark.objects.get(muscle="chest")
    insights = home_insights(alice)
    assert f"Chest: 3 sets this week, under your {chest.mev:g}-set minimum." in insights
    assert "1 new record this week. Nice lifting." in insights
    assert 1 <= len(insights) <= 3
    page = logged_in(alice).get("/").content.decode()
    assert f"Chest: 3 sets this week, under your {chest.mev:g}-set minimum." in page
    assert 'href="/coach/"' in page


def test_in_the_programs_deload_week_low_sets_are_not_a_shortfall(alice):
    from coaching.tests.helpers import start_program_in_its_deload_week

    start_program_in_its_deload_week(alice)
    for text in (logged_in(alice).get("/").content.decode(), logged_in(alice).get("/coach/insights").content.decode()):
        assert "Deload week: fewer sets and lighter loads are the plan." in text
        assert "under your" not in text


def test_home_insights_empty_for_a_new_lifter_and_bounded():
    fresh = make_user("fresh")
    assert home_insights(fresh) == []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice = alice_history()
    with CaptureQueriesContext(connection) as ctx:
        home_insights(alice)
    assert len(ctx.captured_queries) <= 2


def test_the_coachs_rows_go_with_the_account():
    """Account deletion deletes generically: every coach table cascades from the user."""
    from django.db.models import CASCADE

    for model in (CoachMessage, CoachFact, WeeklyReport):
        assert model._meta.get_field("user").remote_field.on_delete is CASCADE
    user = make_user("gone")
    seed_memory(user, messages=2, facts=2)
    seed_reports(user, weeks=2)
    user.delete()  # no events: nothing protects this account
    assert not CoachMessage.objects.exists() and not CoachFact.objects.exists() and not WeeklyReport.objects.exists()


def test_insights_card_refreshes_after_a_sync(alice):
    from hypertrophy.testing import new_id, register_device, set_completed, workout_started

    client = logged_in(alice)
    home = client.get("/").content.decode()
    assert 'hx-get="/coach/insights" hx-trigger="events-synced from:body"' in home
    before = client.get("/coach/insights").content.decode()
    assert "1 new record this week." in before and "Chest: 3 sets this week" in before
    # Log more chest work: the card follows the data.
    device = register_device(client)
    w = new_id()
    at = timezone.now() - timedelta(minutes=5)
    events = [device.event(*workout_started(w, at=at), at=at)]
    events += [device.event(*set_completed(new_id(), w, reps=8, weight=95, at=at), at=at) for _ in range(4)]
    assert device.sync(events).json()["rejected_count"] == 0
    after = client.get("/coach/insights").content.decode()
    assert "Chest: 7 sets this week" in after and "2 new records this week." in after
    assert Client().get("/coach/insights").content == b""  # a visitor: nothing
    assert logged_in(make_user("nobody")).get("/coach/insights").content == b""


def test_no_sessions_yet_names_the_last_training_week_truly():
    """It read "the week before you did 1 (3 sets)": no unit, and "the week before" even when the
    last training was weeks ago."""
    from coaching.tests.helpers import _session, week_moments
    from hypertrophy.testing import register_device

    recent, lapsed = make_user("recent"), make_user("lapsed")
    _session(register_device(logged_in(recent)), week_moments()[-2], 60.0)  # last week
    _session(register_device(logged_in(lapsed)), week_moments()[-4], 60.0)  # three weeks ago
    assert "No sessions yet this week; last week you did 1 session (3 sets)." in home_insights(recent)
    three_weeks_ago = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 21)
    assert (
        f"No sessions yet this week; your last training week was {three_weeks_ago.day} {three_weeks_ago:%b}: "
        "1 session (3 sets)." in home_insights(lapsed)
    )


def test_every_kind_of_answer_reads_a_bounded_number_of_queries_whatever_the_training_history():
    """The answers read through coaching.selectors: the same queries for 8 weeks of six lifts as for 30
    weeks of them with twice the sessions (volume, records, deload, body, workouts, a muscle group)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coaching.tests.helpers import _measure, _session, week_moments
    from hypertrophy.testing import register_device

    lifts = ("barbell-bench-press", "barbell-back-squat", "barbell-row", "pull-up", "barbell-curl", "cable-face-pull")
    this_moment = week_moments()[-1]
    questions = (
        "How is my bench press progressing?",
        "Which muscles am I under-training this week?",
        "Should I deload?",
        "How has my body fat changed this month?",
        "What are my records?",
        "How many sessions this week?",
        "Am I doing enough for back?",
        "What should I do today?",
    )
    counts = {}
    for name, weeks, per_week in (("medium", 8, 1), ("large", 30, 2)):
        user = make_user(name, coach_tone="neutral")
        device = register_device(logged_in(user))
        for k in range(weeks, 0, -1):
            for s in range(per_week):
                at = this_moment - timedelta(weeks=k, hours=s * 30)
                _session(device, at, 60.0 + k % 5, exercise=lifts[(k + s) % len(lifts)], sets=2)
        for lift in lifts:  # every lift this week too: the same paths for both lifters
            _session(device, this_moment - timedelta(minutes=40), 50.0, exercise=lift, sets=1)
        _measure(device, timezone.now() - timedelta(days=10), weight=80.0, unit="kg", body_fat_pct=20.0)
        _measure(device, timezone.now() - timedelta(days=2), weight=79.5, unit="kg", body_fat_pct=19.5)
        client = logged_in(user)
        counts[name] = []
        for question in questions:
            with CaptureQueriesContext(connection) as ctx:
                b"".join(
                    client.post("/coach/ask", {"question": question}, headers={"X-Coach-Stream": "1"}).streaming_content
                )
            counts[name].append(len(ctx.captured_queries))
    assert counts["medium"] == counts["large"], counts
    assert max(counts["large"]) <= 40, counts
