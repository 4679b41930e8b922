"""``manage.py generate_weekly_reports [--week YYYY-Www] [--schedule]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coaching.reports import describe_run, generate_weekly_reports, parse_iso_week
from coaching.tasks import schedule_next


class Command(BaseCommand):
    help = (
        "Write each active user's weekly report: for --week (an ISO week, e.g. 2026-W45: each user's training week "
        "holding its Monday) or each user's last finished week. Idempotent: one report per user and week. "
        "--schedule instead enqueues the daily background run (processed by `manage.py db_worker`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, YYYY-Www (default: each user's last finished week)")
        parser.add_argument(
            "--schedule", action="store_true", help="Enqueue the self-rescheduling daily task and exit."
        )

    def handle(self, *args, week=None, schedule=False, **options):
        if schedule:
            result = schedule_next()
            if result is None:
                self.stdout.write("A weekly-report run is already scheduled.")
            else:
                self.stdout.write(f"Scheduled the weekly-report task for {result.task.run_after:%Y-%m-%d %H:%M %Z}.")
            return
        if week:
            try:
                parse_iso_week(week)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(describe_run(generate_weekly_reports(iso_week=week)))
