import time

from django.core.management.base import BaseCommand

from articles.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Re-segment every article's search text and rebuild the full-text index "
        "(after a jieba dictionary or segmenter change, or to repair the index)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-resegment", dest="resegment", action="store_false",
            help="keep the stored search_document and only rebuild the database index from it",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--database", default=None, help="database alias (default: the articles' database)")

    def handle(self, *args, resegment=True, batch_size=500, database=None, verbosity=1, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity >= 2 or (verbosity >= 1 and (done == total or done % (batch_size * 20) == 0)):
                self.stdout.write(f"  segmented {done}/{total}")

        changed = rebuild_index(resegment=resegment, batch_size=batch_size, using=database, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"search index rebuilt in {time.monotonic() - started:.1f}s"
                + (f"; {changed} article(s) re-segmented with changes" if resegment else "")
            )
        )
