"""`manage.py restore FILE`: bring the database back to a backup made by `manage.py backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace everything in the database with the contents of a backup file."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a file written by manage.py backup")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, backup: str, database: str, interactive: bool, **options):
        if interactive:
            answer = input(f"Replace ALL data in the '{database}' database with {backup}? Type 'yes' to go on: ")
            if answer.strip() != "yes":
                raise CommandError("restore cancelled")
        try:
            restore_database(Path(backup), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {backup}")
