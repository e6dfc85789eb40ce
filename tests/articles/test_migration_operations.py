"""AddFieldInPlace: the same column as AddField, without SQLite copying the table (0013's backfill: test_filters)."""

import sqlite3

import pytest
from django.db import IntegrityError, connection, connections, migrations, models
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState
from django.test.utils import CaptureQueriesContext

from articles.migration_operations import AddFieldInPlace

TABLE = "probe_article"


@pytest.fixture
def sqlite_db(tmp_path, django_db_blocker):
    """A connection to a SQLite file of its own: schema changes on SQLite cannot run inside a test's transaction."""
    probe = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "probe.sqlite3"), "OPTIONS": {},
            "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {},
        },
        alias="probe",
    )
    connections["probe"] = probe  # schema_editor() opens its transaction by alias
    try:
        with django_db_blocker.unblock():
            yield probe
            probe.close()
    finally:
        del connections["probe"]


def _probe_state(table: str = TABLE) -> ProjectState:
    state = ProjectState()
    fields = [("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=20))]
    state.add_model(ModelState("articles", "Probe", fields, options={"db_table": table}))
    return state


def _create_with_rows(db, table: str = TABLE) -> ProjectState:
    state = _probe_state(table)
    with db.schema_editor() as editor:
        editor.create_model(state.apps.get_model("articles", "Probe"))
    with db.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (title) VALUES (%s)", [("一",), ("二",), ("三",)])
    return state


def _add(db, operation, state: ProjectState) -> list[str]:
    """Apply ``operation`` to the probe table; the SQL it ran."""
    new_state = state.clone()
    operation.state_forwards("articles", new_state)
    with CaptureQueriesContext(db) as queries, db.schema_editor() as editor:
        operation.database_forwards("articles", editor, state, new_state)
    return [query["sql"] for query in queries.captured_queries]


def _added(db, operation, state: ProjectState) -> ProjectState:
    """Apply ``operation`` to the probe table; the state after it."""
    _add(db, operation, state)
    new_state = state.clone()
    operation.state_forwards("articles", new_state)
    return new_state


def _columns(db, table: str) -> list[tuple]:
    with db.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        return [(name, kind, notnull, pk) for _cid, name, kind, notnull, _default, pk in cursor.fetchall()]


def test_sqlite_adds_a_not_null_column_without_copying_the_table(sqlite_db):
    state = _create_with_rows(sqlite_db)

    statements = _add(sqlite_db, AddFieldInPlace("probe", "issue", models.CharField(blank=True, max_length=48)), state)

    assert not any("CREATE TABLE" in sql for sql in statements), statements
    with sqlite_db.cursor() as cursor:
        cursor.execute(f"SELECT id, title, issue FROM {TABLE} ORDER BY id")
        assert cursor.fetchall() == [(1, "一", ""), (2, "二", ""), (3, "三", "")]
        with pytest.raises(IntegrityError):
            cursor.execute(f"INSERT INTO {TABLE} (title, issue) VALUES ('四', NULL)")


def test_the_column_is_the_one_add_field_makes(sqlite_db):
    field = models.CharField(blank=True, max_length=16)
    copied = _create_with_rows(sqlite_db, "probe_copied")
    in_place = _create_with_rows(sqlite_db, "probe_in_place")

    copying = _add(sqlite_db, migrations.AddField("probe", "continued_on", field.clone()), copied)
    _add(sqlite_db, AddFieldInPlace("probe", "continued_on", field.clone()), in_place)

    assert any("CREATE TABLE" in sql for sql in copying)  # what AddFieldInPlace spares
    assert _columns(sqlite_db, "probe_in_place") == _columns(sqlite_db, "probe_copied")
    assert ("continued_on", "varchar(16)", 1, 0) in _columns(sqlite_db, "probe_in_place")


def test_check_constraints_come_with_the_column(sqlite_db):
    """PositiveIntegerField and JSONField carry a CHECK on SQLite: in place, it holds as AddField's would."""
    state = _create_with_rows(sqlite_db)
    state = _added(sqlite_db, AddFieldInPlace("probe", "position", models.PositiveIntegerField(default=0)), state)
    statements = _add(sqlite_db, AddFieldInPlace("probe", "keywords", models.JSONField(default=list, blank=True)), state)

    assert not any("CREATE TABLE" in sql for sql in statements), statements
    with sqlite_db.cursor() as cursor:
        cursor.execute(f"SELECT position, keywords FROM {TABLE}")
        assert cursor.fetchall() == [(0, "[]")] * 3
        with pytest.raises(IntegrityError):
            cursor.execute(f"UPDATE {TABLE} SET position = -1")
        with pytest.raises(IntegrityError):
            cursor.execute(f"UPDATE {TABLE} SET keywords = 'not json'")


def test_a_one_off_default_fills_the_existing_rows_only(sqlite_db):
    """preserve_default=False (makemigrations' 'provide a one-off default'): the rows get it, the model does not."""
    state = _create_with_rows(sqlite_db)
    operation = AddFieldInPlace(
        "probe", "issue", models.CharField(max_length=48, default="第1期"), preserve_default=False,
    )

    statements = _add(sqlite_db, operation, state)

    assert not any("CREATE TABLE" in sql for sql in statements), statements
    with sqlite_db.cursor() as cursor:
        cursor.execute(f"SELECT issue FROM {TABLE}")
        assert cursor.fetchall() == [("第1期",)] * 3
    assert operation.field.default == "第1期"  # the operation itself is left as it was


@pytest.mark.parametrize(
    "field",
    [
        models.CharField(max_length=8, db_index=True, default=""),  # an index to build with it
        models.CharField(max_length=8, unique=True, default="x"),  # ADD COLUMN cannot be UNIQUE
        models.CharField(max_length=8, null=True),  # nullable: Django adds it in place already
    ],
    ids=["indexed", "unique", "nullable"],
)
def test_other_fields_go_through_add_field(sqlite_db, field):
    state = _probe_state()
    with sqlite_db.schema_editor() as editor:
        editor.create_model(state.apps.get_model("articles", "Probe"))

    _add(sqlite_db, AddFieldInPlace("probe", "extra", field), state)

    assert "extra" in [name for name, *_ in _columns(sqlite_db, TABLE)]
    if field.db_index:
        with sqlite_db.cursor() as cursor:
            cursor.execute(f"PRAGMA index_list({TABLE})")
            assert cursor.fetchall(), "the index AddField builds"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own AddField path")
@pytest.mark.django_db
def test_postgresql_uses_add_field():
    state = _create_with_rows(connection, "probe_postgresql")

    statements = _add(connection, AddFieldInPlace("probe", "issue", models.CharField(blank=True, max_length=48)), state)

    assert any("DROP DEFAULT" in sql for sql in statements)  # AddField's own: no default left behind
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, issue FROM probe_postgresql ORDER BY id")
        assert cursor.fetchall() == [("一", ""), ("二", ""), ("三", "")]


def test_no_migration_copies_the_article_table_to_add_a_column():
    """A NOT NULL column on Article goes in with AddFieldInPlace: AddField would copy a million rows on SQLite."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    copying = [
        f"{name}: {operation.name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app == "articles"
        for operation in migration.operations
        if type(operation) is migrations.AddField
        and operation.model_name == "article"
        and not operation.field.null
        and not operation.field.many_to_many
    ]
    assert copying == []


def test_the_sqlite_library_accepts_not_null_with_a_default():
    """What AddFieldInPlace relies on, in the SQLite this Python links."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a integer)")
    db.execute("INSERT INTO t VALUES (1)")
    db.execute("ALTER TABLE t ADD COLUMN b varchar(4) DEFAULT '' NOT NULL")
    assert db.execute("SELECT a, b FROM t").fetchall() == [(1, "")]

