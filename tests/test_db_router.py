"""Reads go to the replica when DATABASE_REPLICA_URL is set; writes to the primary.

Tested with a second alias pointing at the same database, in a process of its
own (the suite's settings have no replica).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import django
django.setup()
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from articles.models import Article, IngestedFile, Theme

call_command("migrate", verbosity=0)
assert set(connections) >= {"default", "replica"}
record = IngestedFile.objects.create(path="/r/1.txt", name="1.txt", sha256="0" * 64, size=0)
article = Article.objects.create(ingested_file=record, title="副本读取", body="正文")
assert Article.objects.all().db == "replica"
assert Article.objects.get(pk=article.pk).title == "副本读取"  # the same database behind both aliases
with transaction.atomic():
    Article.objects.filter(pk=article.pk).update(title="主库")
    assert Article.objects.all().db == "default"  # a writer reads its own writes
    assert Article.objects.get(pk=article.pk).title == "主库"
before = len(connections["replica"].queries)
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
response = Client().get("/articles/")
assert response.status_code == 200, response.status_code
print("replica queries", len(connections["replica"].queries) - before)
"""


def test_reads_go_to_the_replica_alias_and_writes_to_the_primary(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URL": database,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    served = int(out.stdout.strip().split()[-1])
    assert served > 0  # the list page read from the replica

