"""`manage.py backup DIRECTORY`: a consistent copy of the database while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Copy the database into DIRECTORY as newsroom-<UTC time>.sqlite3 (SQLite) or .pgdump (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the backup (created if missing)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, directory: str, database: str, **options):
        try:
            target = backup_database(Path(directory), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(target))
