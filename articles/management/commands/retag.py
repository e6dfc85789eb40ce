from django.core.management.base import BaseCommand

from articles.retag import retag_articles


class Command(BaseCommand):
    help = "Re-score every article's themes with the current theme keywords (editor-set themes are kept)."

    def handle(self, *args, **options):
        changed, total = retag_articles()
        self.stdout.write(f"retagged {total} articles, {changed} changed")
