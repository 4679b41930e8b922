from django.core.management.base import BaseCommand, CommandError

from workouts.imports.services import PREVIEW_DAYS, import_previews_purge


class Command(BaseCommand):
    help = (
        f"Delete Strong/Hevy import previews never confirmed for {PREVIEW_DAYS} days, for all users "
        "(a user's own are also purged when they open /import/). Imported batches are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PREVIEW_DAYS, help=f"Age in days (default {PREVIEW_DAYS}).")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = import_previews_purge(days=days)
        self.stdout.write(f"Import previews: {deleted} older than {days} days deleted.")
