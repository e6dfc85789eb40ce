"""Load the administrative divisions from the gazetteer into the Region table."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from articles import catalogue
from articles.models import Region
from articles.text.places import Gazetteer

TABLE_LEVELS = ("province", "city", "county")


@transaction.atomic
def load_regions(directory: Path) -> dict[str, int]:
    """Upsert provinces, cities and counties; townships stay in the gazetteer."""
    gazetteer = Gazetteer.from_csv_dir(directory)
    counts = {}
    for level in TABLE_LEVELS:  # parents before children
        rows = [
            Region(code=p.code, name=p.name, short_name=p.short_name, level=level, parent_id=p.parent_code)
            for p in gazetteer.places(level)
        ]
        Region.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "short_name", "level", "parent"],
        )
        counts[level] = len(rows)
    catalogue.bump()  # region names label the facets
    return counts
