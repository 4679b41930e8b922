"""Weekly reports: content from the projections, one per user and week however often they run,
the ISO-week command, the email once, the LLM narrative with fallback, and the background task
through the immediate backend and the real database backend and worker."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from coaching.models import WeeklyReport
from coaching.reports import generate_weekly_reports, parse_iso_week, user_week
from coaching.tasks import TASK_PATH, next_run_at, weekly_reports_task
from coaching.tests.helpers import alice_history, bob_history, week_moments, weekly_bench
from workouts.imports import samples
from workouts.models import ImportBatch
from workouts.imports.services import import_upload
from workouts.progress.metrics import weeks_for

pytestmark = pytest.mark.django_db


def last_week() -> tuple:
    start = weeks_for(0, "").of(timezone.now()) - timedelta(days=7)
    year, week, _ = start.isocalendar()
    return start, f"{year}-W{week:02d}"


@pytest.fixture
def alice():
    return alice_history(coach_tone="neutral", email="alice@example.com")


def test_last_finished_week_report_content(alice):
    assert generate_weekly_reports() == {"written": 1, "updated": 0, "unchanged": 0, "kept": 0, "unfinished": 0}
    start, _ = last_week()
    report = WeeklyReport.objects.get(user=alice)
    assert report.week_start == start
    m = report.metrics
    assert (m["sessions"], m["sets"], m["reps"], m["tonnage"], m["minutes"], m["unit"]) == (1, 3, 24, 2100.0, 30, "kg")
    assert m["records"] == 1 and m["previous_sets"] == 3
    # 87.5 kg beat the 85 kg of the week before: the week's heaviest-ever set.
    assert report.records == [{"exercise": "Barbell Bench Press", "weight": 87.5, "reps": 8}]
    assert "You trained 1 session: 3 working sets, 2,100 kg lifted in 30 minutes." in report.narrative
    assert "New records: Barbell Bench Press 87.5 kg × 8." in report.narrative
    chest = next(x for x in report.muscles if x["muscle"] == "chest")
    assert chest["sets"] == 3.0 and chest["flag"] == "under"
    assert any(s.startswith("Chest: 3 sets, under your 10-set minimum: add 2 sets.") for s in report.suggestions)
    assert report.provider == "rules"


def test_one_report_per_user_and_week_however_often_it_runs(alice):
    bob = bob_history()
    _, iso = last_week()
    for _ in range(3):
        generate_weekly_reports()
        call_command("generate_weekly_reports", "--week", iso, stdout=StringIO())
    assert WeeklyReport.objects.filter(user=alice).count() == 1
    assert WeeklyReport.objects.filter(user=bob).count() == 1
    assert WeeklyReport.objects.count() == 2


def test_the_command_reports_an_iso_week_and_refuses_unfinished_or_bad_weeks(alice):
    start, iso = last_week()
    earlier = start - timedelta(weeks=2)
    year, week, _ = earlier.isocalendar()
    out = StringIO()
    call_command("generate_weekly_reports", "--week", f"{year}-W{week:02d}", stdout=out)
    assert out.getvalue() == "Wrote 1 new weekly report.\n"
    report = WeeklyReport.objects.get(user=alice)
    assert report.week_start == earlier and report.metrics["tonnage"] == 82.5 * 24
    this_year, this_week, _ = timezone.localdate().isocalendar()
    out = StringIO()
    call_command("generate_weekly_reports", "--week", f"{this_year}-W{this_week:02d}", stdout=out)
    assert out.getvalue() == "1 user skipped: that week has not finished yet.\n"
    assert WeeklyReport.objects.count() == 1
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("generate_weekly_reports", "--week", "last week")
    with pytest.raises(ValueError):
        parse_iso_week("2026-W60")


def test_a_rerun_says_whether_it_wrote_updated_or_left_the_report(alice):
    """Re-running the command used to print "Wrote 1 weekly report" when it only rewrote the same row."""
    _, iso = last_week()
    out = StringIO()
    call_command("generate_weekly_reports", "--week", iso, stdout=out)
    assert out.getvalue() == "Wrote 1 new weekly report.\n"
    generated_at = WeeklyReport.objects.get(user=alice).generated_at
    out = StringIO()
    call_command("generate_weekly_reports", "--week", iso, stdout=out)
    assert out.getvalue() == "1 weekly report already up to date.\n"
    assert WeeklyReport.objects.get(user=alice).generated_at == generated_at  # not rewritten
    # The lifter changes their unit: the numbers change, so the report is updated.
    alice.weight_unit = "lb"
    alice.save()
    bob = bob_history()
    out = StringIO()
    call_command("generate_weekly_reports", "--week", iso, stdout=out)
    assert out.getvalue() == "Wrote 1 new weekly report; updated 1 weekly report.\n"
    assert WeeklyReport.objects.filter(user=bob).count() == 1
    # The daily run keeps existing reports.
    assert generate_weekly_reports(only_missing=True)["kept"] == 2


def test_a_run_with_nobody_to_report_says_so():
    out = StringIO()
    call_command("generate_weekly_reports", stdout=out)
    assert out.getvalue() == "No weekly reports to write: no user trained or measured around that week.\n"


def test_the_users_week_start_decides_the_week():
    sunday = alice_history("sunday", week_start=6)
    monday = parse_iso_week("2026-W45")  # Monday 2 Nov 2026
    assert str(user_week(sunday, iso_monday=monday, now=timezone.now())) == "2026-11-01"  # the Sunday before
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=sunday)
    assert report.week_start.weekday() == 6
    assert weeks_for(6, "").end(report.week_start) <= timezone.now()


def test_email_once_when_opted_in(alice, django_capture_on_commit_callbacks):
    bob = bob_history()
    bob.email = "bob@example.com"
    bob.save()  # not opted in
    alice.weekly_report_email = True
    alice.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        generate_weekly_reports()
    assert len(callbacks) == 1 and len(mail.outbox) == 1  # sent once the report is committed
    with django_capture_on_commit_callbacks(execute=True):
        generate_weekly_reports()
        _, iso = last_week()
        call_command("generate_weekly_reports", "--week", iso, stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "3 sets" in message.body and "Barbell Bench Press: 87.5 kg × 8" in message.body
    assert "1 session, 3 sets, 24 reps, 2,100 kg lifted, 30 minutes, 1 record." in message.body
    assert WeeklyReport.objects.get(user=alice).emailed_at is not None


def test_llm_narrative_and_its_fallback(alice, fake_llm):
    fake_llm.steps = [
        {
            "json": {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "fake-coach",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": "A strong week: 3 sets."},
                    }
                ],
            }
        }
    ]
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=alice)
    assert (report.narrative, report.provider) == ("A strong week: 3 sets.", "llm")
    from hypertrophy.testing import logged_in

    page = logged_in(alice).get(f"/coach/reports/{report.week_start.isoformat()}/").content.decode()
    assert "Written by the AI coach." in page  # not "the llm coach"
    assert '"sets": 3' in fake_llm.requests[0]["messages"][1]["content"]
    fake_llm.steps = [{"status": 500}]
    _, iso = last_week()
    call_command("generate_weekly_reports", "--week", iso, stdout=StringIO())
    report.refresh_from_db()
    assert report.provider == "rules" and report.narrative.startswith("You trained 1 session")


def test_task_with_the_immediate_backend(alice):
    result = weekly_reports_task.enqueue()
    assert result.return_value["written"] == 1
    assert WeeklyReport.objects.filter(user=alice).count() == 1


def test_next_run_is_the_next_report_hour():
    now = timezone.now()
    run = next_run_at(now)
    assert now < run <= now + timedelta(days=1)
    assert timezone.localtime(run).hour == 3 and timezone.localtime(run).minute == 0


def _import_preview(user, *, days_old: float) -> ImportBatch:
    content = samples.strong_history(workouts=1, seed=int(days_old))
    batch, _ = import_upload(user=user, filename="strong.csv", content=content)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return batch


@pytest.mark.django_db(transaction=True)
def test_database_backend_and_worker(settings):
    """Enqueue on the real database backend, run the worker once: the report exists, stale import
    previews are gone (the daily run is the worker's housekeeping too) and the next daily run
    waits in the queue (once, however often it is scheduled)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    user = alice_history("worker-alice")
    stale, fresh = _import_preview(user, days_old=8), _import_preview(user, days_old=2)
    out = StringIO()
    call_command("generate_weekly_reports", "--schedule", stdout=out)  # runs at the next 03:00
    assert "Scheduled the weekly-report task" in out.getvalue()
    call_command("generate_weekly_reports", "--schedule", stdout=out)
    assert "already scheduled" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    # Make it due now, as the clock would, and let the worker process the queue.
    DBTaskResult.objects.filter(task_path=TASK_PATH).update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert WeeklyReport.objects.filter(user=user).count() == 1
    done = DBTaskResult.objects.get(task_path=TASK_PATH, status="SUCCESSFUL")
    assert done.return_value["written"] == 1 and done.return_value["previews_purged"] == 1
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {fresh.pk}
    assert not ImportBatch.objects.filter(pk=stale.pk).exists()
    waiting = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert waiting.run_after > timezone.now() and waiting.args_kwargs["kwargs"] == {"reschedule": True}


def test_milestones_first_workout_and_streak(alice):
    bob = bob_history()  # his first workout was last week
    generate_weekly_reports()
    assert "Your first workout logged!" in WeeklyReport.objects.get(user=bob).milestones
    # Alice: four weeks in a row up to last week.
    assert "4 weeks in a row of training." in WeeklyReport.objects.get(user=alice).milestones


def test_a_week_without_sessions_says_so():
    from coaching.tests.helpers import _session
    from hypertrophy.testing import logged_in, make_user, register_device

    user = make_user("idle", coach_tone="neutral")
    device = register_device(logged_in(user))
    for at in week_moments()[:2]:  # four and three weeks ago, nothing since
        _session(device, at, 60.0)
    start, _ = last_week()
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=user, week_start=start)
    assert report.metrics["sessions"] == 0 and report.metrics["previous_sets"] == 0
    assert report.suggestions[0].startswith("No sessions this week")
    assert report.narrative == "You didn't log a session this week."
    # Not a sixteen-row table of zeros and "add 2 sets" for every muscle.
    assert report.muscles == [] and not any("under your" in s for s in report.suggestions)


def test_the_deload_suggestion_counts_from_the_last_lighter_week():
    steady = weekly_bench("steady", {k: 3 for k in range(1, 9)})
    deloaded = weekly_bench("deloaded", {8: 4, 7: 4, 6: 4, 5: 4, 4: 1, 3: 4, 2: 4, 1: 4})
    generate_weekly_reports()
    assert "8 weeks of training in a row: plan a deload week (half the sets, about 10 % off the loads)." in (
        WeeklyReport.objects.get(user=steady).suggestions
    )
    # Three full weeks since the lighter one: no deload due yet (the milestone still counts every week).
    report = WeeklyReport.objects.get(user=deloaded)
    assert not any("deload" in s for s in report.suggestions)
    assert "8 weeks in a row of training." in report.milestones


def test_a_lighter_week_is_not_a_list_of_shortfalls_and_compound_worked_muscles_are_not_nagged():
    """A deload week's report told the lifter to add sets to every muscle; and every report said
    "Spinal erectors / Forearms: under your 10-set minimum: add 2 sets" (no coach advises that)."""
    deload = weekly_bench("deload", {4: 4, 3: 4, 2: 4, 1: 2})
    generate_weekly_reports()
    report = WeeklyReport.objects.get(user=deload)
    assert report.suggestions[0] == (
        "A lighter week: 2 sets against your usual 4. If it was a deload, go back to your full sets next week."
    )
    assert not any("under your" in s for s in report.suggestions)

    rows = alice_history("rows")
    from coaching.tests.helpers import _session
    from hypertrophy.testing import logged_in, register_device

    _session(register_device(logged_in(rows)), week_moments()[-2], 60.0, exercise="barbell-row")
    generate_weekly_reports(iso_week=last_week()[1])
    suggestions = WeeklyReport.objects.get(user=rows).suggestions
    assert any(s.startswith("Lats: 2.2 sets, under your 10-set minimum") for s in suggestions)
    assert not any(s.startswith(("Spinal erectors", "Forearms")) for s in suggestions), suggestions
