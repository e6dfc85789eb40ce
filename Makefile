# Two commands on a fresh machine with Python 3.11 and make:
#   make run   – virtualenv, install, migrate, regions, sample corpus, serve :8000
#                as production does: DEBUG off, static files collected, a local
#                secret key generated once into data/ (make dev: debug server)
#   make test  – the whole suite (SQLite, or PostgreSQL when DATABASE_URL says so)

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run dev test install secret setup static check-deploy benchmark screenshots clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; try: make PYTHON=python3 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

# DEBUG off needs a real key: one random key per checkout, kept in data/ (gitignored), reused.
secret: install
	@$(PY) -m newsroom.local_secret

setup: install secret
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py ingest corpus/ || echo "ingest reported failures (see above); serving what was ingested"

# With DEBUG off nothing serves static/ directly: whitenoise serves the collected, hashed copies.
static: install secret
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Served as in production (DEBUG off) but over plain HTTP on loopback: DJANGO_HTTPS=0
# leaves out the HTTPS redirect, HSTS and Secure-only cookies that need TLS.
run: setup static
	@echo
	@echo "  Portal:  http://$(HOST):$(PORT)/"
	@echo "  Admin:   http://$(HOST):$(PORT)/admin/  (create a user: $(PY) manage.py createsuperuser)"
	@echo
	DJANGO_HTTPS=0 $(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# Django's debug server: DEBUG on (technical error pages, static files from static/, reloads on edits).
dev: setup
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -q

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=news.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Numbers for docs/benchmarks.md (several minutes: builds 100k-article databases).
# DJANGO_DEBUG=1 as before DEBUG defaulted to off: the in-process test client needs
# neither a secret key nor collected static files (benchmarks that want DEBUG off set it).
benchmark: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) -m benchmarks.list_page
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) -m benchmarks.search

# Refresh docs/screenshots/ from the browser journey (needs Debian's chromium).
screenshots: install
	NEWSROOM_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
