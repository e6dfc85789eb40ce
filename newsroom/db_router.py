"""Reads to a replica, writes (and reads inside a write's transaction) to the primary.

Enabled by DATABASE_REPLICA_URL (newsroom/settings.py), which adds the
"replica" alias. Reader pages are all reads: they go to the replica. A read
inside a transaction on the primary (an ingest, an admin save, set_status)
stays on the primary, so a writer always sees its own writes; the catalogue
token read on the replica can lag the primary, but then so do the rows it
labels, so cached counts stay consistent with the pages they sit on.
"""

from __future__ import annotations

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"


class ReplicaRouter:
    """Database router: reads to ``replica`` unless the primary is inside a transaction."""

    def db_for_read(self, model, **hints) -> str:
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two connections

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by replication
