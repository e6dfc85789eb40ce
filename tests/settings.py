"""Settings for the test suite: the project's own, in development mode.

DEBUG is off by default (newsroom/settings.py), which needs a secret key a
fresh clone does not have. Tests run with DJANGO_DEBUG=1 unless the caller set
it (pytest-django still turns DEBUG off while tests run, so pages behave as in
production); subprocesses the tests start inherit the same environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from newsroom.settings import *  # noqa: E402,F401,F403

# Login tests make dozens of attempts; the production hasher is slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests look at each response's context, which a page served from the page
# cache does not have; the page cache has its own tests (override_settings).
NEWSROOM_PAGE_CACHE = False

# A test's data lives in its own transaction, which a background thread's connection cannot
# see: counts are computed by the request; the background path has its own (transactional) tests.
NEWSROOM_BACKGROUND_COUNTS = False
