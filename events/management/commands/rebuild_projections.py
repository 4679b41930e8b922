import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from events.projections import rebuild_all


class Command(BaseCommand):
    help = "Drop every projection and rebuild it from the event log (same result as incremental upkeep)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--quiet", action="store_true", help="No progress output.")

    def handle(self, *args, batch_size: int, quiet: bool, **options):
        started = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if quiet or (now - last[0] < 1.0 and done < total):
                return
            last[0] = now
            rate = done / max(now - started, 1e-9)
            self.stderr.write(f"\r{done:,}/{total:,} events ({100 * done / max(total, 1):.0f}%), {rate:,.0f} events/s", ending="")
            self.stderr.flush()

        with transaction.atomic():
            count = rebuild_all(batch_size=batch_size, progress=progress)
        elapsed = time.perf_counter() - started
        if not quiet:
            self.stderr.write("")
        self.stdout.write(f"Rebuilt projections from {count:,} events in {elapsed:.1f}s ({count / max(elapsed, 1e-9):,.0f} events/s).")
