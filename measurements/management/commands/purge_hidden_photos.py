from django.core.management.base import BaseCommand

from measurements.services import photos_purge_hidden


class Command(BaseCommand):
    help = "Remove the progress photos (rows and files) of measurements that were deleted."

    def handle(self, *args, **options):
        count = photos_purge_hidden()
        self.stdout.write(f"Removed {count} photo{'' if count == 1 else 's'} of deleted measurements.")
