"""`manage.py export_articles`: the JSON Lines export that tests/gold/score_ingest.py scores."""

import json
import sys

from django.core.management.base import BaseCommand

from articles.export import export_rows


class Command(BaseCommand):
    help = "Write every live article as one JSON object per line (the format score_ingest.py reads)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, output=None, **options):
        stream = open(output, "w", encoding="utf-8") if output else sys.stdout
        count = 0
        try:
            for row in export_rows():
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if output:
                stream.close()
        if output:
            self.stdout.write(f"wrote {count} articles to {output}")
