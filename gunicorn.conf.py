"""gunicorn settings: `gunicorn -c gunicorn.conf.py newsroom.wsgi` (make run, the Dockerfile, the benchmarks).

preload_app loads Django once in the master and when_ready loads jieba's
dictionary and the OpenCC tables there too, and builds the facet index's
first snapshot, before any worker is forked: the workers share those pages
copy-on-write instead of each paying ~0.6 s and
~65 MB on its first search. Workers, bind address and the rest can still be
given on the command line or through GUNICORN_CMD_ARGS / WEB_CONCURRENCY.
"""

import os

preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # above NEWSROOM_STATEMENT_TIMEOUT_MS (newsroom/wsgi.py)
graceful_timeout = 20


def when_ready(server) -> None:
    """Warm the search segmenter in the master, so forked workers inherit it."""
    from articles.text.chinese import segment_for_search

    segment_for_search("疫情防控 鎮安縣")
    server.log.info("jieba dictionary and OpenCC loaded before forking workers")
    _build_facet_index(server)


def _build_facet_index(server) -> None:
    """The facet index's first snapshot, built once here and shared by the workers (articles.facet_index)."""
    from django.db import connections, router

    from articles import facet_index, selectors
    from articles.models import Article

    if not facet_index.enabled():
        return
    try:
        index = facet_index.rebuild()
        selectors.row_labels(router.db_for_read(Article))  # result rows' region and source names, shared too
        server.log.info("facet index: %d public articles before forking workers", len(index))
    except Exception as error:  # no database yet (before migrate): the workers build it when they can
        server.log.warning("facet index not built before forking: %s", error)
    finally:
        connections.close_all()  # no connection may be shared by forked workers
