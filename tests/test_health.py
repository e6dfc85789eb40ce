"""/healthz says ok only when the portal can serve, and never leaks an error text."""

import json

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder

from articles import health

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_healthz_is_ok_on_a_migrated_database_with_static_files(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_home_and_admin_answer(client):
    assert client.get("/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_database_error_is_503_without_host_port_or_error_text(client, caplog):
    def unreachable(execute, sql, params, many, context):
        raise OperationalError(
            'connection to server at "10.9.8.7", port 6543 failed: FATAL: password authentication failed for user "newsroom"'
        )

    with connection.execute_wrapper(unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert json.loads(body) == {"status": "unavailable", "failing": "database"}
    for secret in ("10.9.8.7", "6543", "newsroom", "password", "FATAL"):
        assert secret not in body
    assert "10.9.8.7" in caplog.text  # the operator still finds the cause in the log


def test_an_unapplied_migration_is_503(client):
    newest = max(name for app, name in health.shipped_migrations() if app == "articles")
    MigrationRecorder(connection).record_unapplied("articles", newest)  # rolled back with the test
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": "migrations"}


def test_a_missing_portal_table_is_503(client):
    # An unmigrated database: SELECT 1 would pass, a query on the articles table does not.
    def no_table(execute, sql, params, many, context):
        if "articles_article" in sql:
            raise OperationalError("no such table: articles_article")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(no_table):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "no such table" not in response.content.decode()


def test_uncollected_static_files_are_503_and_collected_ones_ok(client, settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": "static"}

    call_command("collectstatic", interactive=False, verbosity=0)
    assert client.get("/healthz").status_code == 200

    (settings.STATIC_ROOT / "css").joinpath("site.css").unlink()  # the manifest names it, the file is gone
    for hashed in (settings.STATIC_ROOT / "css").glob("site.*.css"):
        hashed.unlink()
    assert client.get("/healthz").status_code == 503
