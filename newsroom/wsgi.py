"""WSGI entry point for gunicorn: `gunicorn -c gunicorn.conf.py newsroom.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# Web requests only: no statement may run longer than this on PostgreSQL (a
# cold count is then cut off instead of holding a worker until gunicorn kills
# it). Management commands do not import this module and keep no limit.
os.environ.setdefault("NEWSROOM_STATEMENT_TIMEOUT_MS", "5000")

application = get_wsgi_application()
