"""Shared fixtures.

Every test database starts from the same baseline a `make run` produces: the
regions gazetteer, the seeded themes (a data migration) and the sample corpus
ingested. Tests change it inside their own transaction, rolled back after.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)
        call_command("ingest", str(CORPUS), jobs=1, verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gazetteer():
    from django.conf import settings

    from articles.text.places import Gazetteer

    return Gazetteer.from_csv_dir(settings.NEWSROOM_REGIONS_DIR)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back test must not leave counts behind."""
    from django.core.cache import cache

    from articles import facet_index

    cache.clear()
    facet_index.forget()  # nor an in-memory snapshot of its articles
    yield
