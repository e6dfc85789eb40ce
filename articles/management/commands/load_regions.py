from django.conf import settings
from django.core.management.base import BaseCommand

from articles.regions import load_regions


class Command(BaseCommand):
    help = "Load provinces, cities and counties from the gazetteer CSVs (idempotent)."

    def handle(self, *args, **options):
        counts = load_regions(settings.NEWSROOM_REGIONS_DIR)
        self.stdout.write(
            "regions loaded: " + ", ".join(f"{count} {level}" for level, count in counts.items())
        )
