"""The weekly reports' background task (Django's tasks framework, database-backed with
django-tasks-db: ``manage.py db_worker`` runs it, no Redis).

Django's tasks have no cron, so the task schedules itself: each run writes the missing reports
(each user's last finished week, whatever their week start) and enqueues the next run for the
next day at ``REPORT_HOUR`` local time, so a lifter's report arrives the morning after their week
ends. ``manage.py generate_weekly_reports --schedule`` starts the chain once (it will not enqueue
a second chain while one is waiting).

The daily run is also the app's housekeeping: it forgets import previews never confirmed (they
hold a whole parsed file), as ``manage.py purge_import_previews`` does, so a server that only
runs the worker does not keep them forever.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.tasks import task
from django.utils import timezone

from coaching.reports import generate_weekly_reports
from workouts.imports.services import import_previews_purge

log = logging.getLogger(__name__)

REPORT_HOUR = 3
TASK_PATH = "coaching.tasks.weekly_reports_task"


def next_run_at(now: datetime) -> datetime:
    """The next ``REPORT_HOUR`` o'clock (local time) after ``now``."""
    local = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.combine(local.date(), time(REPORT_HOUR)), local.tzinfo)
    return (
        candidate
        if candidate > local
        else timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time(REPORT_HOUR)), local.tzinfo)
    )


def pending_run_exists() -> bool:
    """A scheduled run already waits in the database queue (only the database backend keeps one)."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(weekly_reports_task.get_backend(), DatabaseBackend):
        return False

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()


def schedule_next(*, now: datetime | None = None):
    """Enqueue the next daily run unless one is already waiting. Returns the task result or None."""
    if pending_run_exists():
        return None
    return weekly_reports_task.using(run_after=next_run_at(now or timezone.now())).enqueue(reschedule=True)


@task
def weekly_reports_task(week: str | None = None, reschedule: bool = False) -> dict[str, int]:
    """Write weekly reports: for an ISO week (``2026-W45``, rewriting them) or the missing ones of
    each user's last finished week. ``reschedule`` (the daily run): also purge stale import
    previews, and enqueue the next daily run afterwards. Returns the run's counts (see
    ``generate_weekly_reports``; ``previews_purged`` on the daily run)."""
    try:
        purged = None
        if reschedule:
            try:  # housekeeping must not cost the reports, nor the next run
                purged = import_previews_purge()
            except Exception:
                log.exception("Purging stale import previews failed")
        counts = generate_weekly_reports(iso_week=week, only_missing=week is None)
        if purged is not None:
            counts["previews_purged"] = purged
    finally:
        if reschedule:
            schedule_next()
    return counts
