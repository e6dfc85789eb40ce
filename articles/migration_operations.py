"""Migration operations that keep a large SQLite archive's upgrades short.

SQLite cannot drop a column default, so Django adds every NOT NULL column by
copying the whole table into a new one and rebuilding all of its indexes: at
a million articles (several GB of text) that is minutes per field, and a
migration adding three fields copied the table three times. A NOT NULL
column with a constant default can instead be added in place with one
``ALTER TABLE ... ADD COLUMN ... DEFAULT``: existing rows read the default
without being rewritten. The column keeps its DEFAULT clause in SQLite's
schema; Django never relies on it (every INSERT names every column), and the
next table copy Django makes for another reason drops it.
"""

from __future__ import annotations

from django.db import migrations
from django.db.models import NOT_PROVIDED


class AddFieldInPlace(migrations.AddField):
    """AddField that on SQLite adds a plain NOT NULL column with a constant default without copying the table.

    The column is written as AddField's table copy writes it (type, NOT NULL,
    CHECK constraint), plus the DEFAULT that fills the existing rows: the one
    value AddField would have filled them with (a callable default is called
    once, as AddField calls it). Keys, unique or indexed columns and database
    defaults, and every other database, go through AddField unchanged. The
    migration state is AddField's, so makemigrations sees no difference.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        connection = schema_editor.connection
        if connection.vendor == "sqlite" and self.allow_migrate_model(connection.alias, model):
            field = model._meta.get_field(self.name)
            if not self.preserve_default:
                field.default = self.field.default  # a one-off default fills the existing rows, as in AddField
            try:
                if _fits_in_place(schema_editor, field):
                    _add_column(schema_editor, model, field)
                    return
            finally:
                if not self.preserve_default:
                    field.default = NOT_PROVIDED
        super().database_forwards(app_label, schema_editor, from_state, to_state)


def _fits_in_place(schema_editor, field) -> bool:
    """True for a column SQLite's ADD COLUMN can take as it is: NOT NULL with a literal default, no key or index."""
    return not (
        field.primary_key
        or field.unique
        or field.db_index
        or field.many_to_many
        or field.remote_field is not None
        or field.generated
        or field.null  # Django adds a nullable column in place already
        or field.has_db_default()
        or schema_editor.effective_default(field) is None
    )


def _add_column(schema_editor, model, field) -> None:
    # The definition AddField's table copy uses (base schema editor's add_field), with its default kept.
    connection = schema_editor.connection
    definition, params = schema_editor.column_sql(model, field, include_default=True)
    if suffix := field.db_type_suffix(connection=connection):
        definition += f" {suffix}"
    check = field.db_parameters(connection=connection)["check"]
    if check:
        definition += " " + schema_editor.sql_check_constraint % {"check": check}
    schema_editor.execute(
        schema_editor.sql_create_column
        % {
            "table": schema_editor.quote_name(model._meta.db_table),
            "column": schema_editor.quote_name(field.column),
            "definition": definition,
        },
        params or None,
    )
