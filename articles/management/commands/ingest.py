import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.ingest import FileOutcome, IngestInterrupted, collect_files, ingest_paths


def _interrupt(signum, frame):
    raise IngestInterrupted(signal.Signals(signum).name)


class Command(BaseCommand):
    help = "Ingest raw news text files (files or directories, recursively) into articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories to ingest")
        parser.add_argument("--source", help="publication name for files that do not name one")
        parser.add_argument("--jobs", type=int, default=None, help="parser processes (default: number of cores)")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, write nothing")
        parser.add_argument("--force", action="store_true", help="re-derive articles even from unchanged files")

    def handle(self, *args, paths, source=None, jobs=None, dry_run=False, force=False, **options):
        if jobs is not None and jobs < 1:
            raise CommandError("--jobs must be at least 1")
        total = len(collect_files(paths))
        bar = self._progress_bar(total)

        def progress(outcome: FileOutcome) -> None:
            line = self._describe(outcome)
            if bar is not None:
                bar.update(1)
                if outcome.status == "failed":
                    bar.write(line)
            else:
                self.stdout.write(line)

        # SIGTERM ends the run as Ctrl-C does: the file being written rolls back, the summary is printed.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            summary = ingest_paths(
                paths, source_name=source, jobs=jobs, dry_run=dry_run, force=force, progress=progress,
            )
        finally:
            signal.signal(signal.SIGTERM, previous)
        if bar is not None:
            bar.close()
        self.stdout.write(
            ("interrupted, committed before the signal: " if summary.interrupted else "")
            + ("dry run: " if dry_run else "")
            + f"files: {summary.count('new')} new, {summary.count('unchanged')} unchanged, "
            f"{summary.count('updated')} updated, {len(summary.failed)} failed; "
            f"articles: {summary.total('created')} created, {summary.total('updated')} updated, "
            f"{summary.total('removed')} removed; warnings: {summary.warning_count}"
        )
        for outcome in summary.files:
            for warning in outcome.warnings:
                self.stdout.write(f"  warning: {outcome.path}: {warning}")
        for outcome in summary.failed:
            self.stderr.write(self.style.ERROR(f"failed: {outcome.error}"))
        if summary.interrupted:
            raise CommandError(
                f"interrupted after {len(summary.files)} of {total} file(s); re-run to finish (nothing half-written is visible)",
                returncode=130,
            )
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} file(s) failed")

    def _progress_bar(self, total: int):
        stream = getattr(self.stdout, "_out", sys.stdout)
        if not (hasattr(stream, "isatty") and stream.isatty()):
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    @staticmethod
    def _describe(outcome: FileOutcome) -> str:
        if outcome.status == "failed":
            return f"FAILED {outcome.error}"
        counts = f" (+{outcome.created} ~{outcome.updated} -{outcome.removed})" if outcome.status != "unchanged" else ""
        return f"{outcome.status:9s} {outcome.path}{counts}"
