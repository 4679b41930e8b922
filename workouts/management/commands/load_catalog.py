from django.core.management.base import BaseCommand

from workouts.catalog import catalog_load
from workouts.models import Exercise


class Command(BaseCommand):
    help = "Create or update the exercise catalog from workouts/catalog/exercises.json (by slug)."

    def handle(self, *args, **options):
        created, updated = catalog_load(Exercise)
        self.stdout.write(f"Exercise catalog: {created} created, {updated} updated, {Exercise.objects.count()} in all.")
