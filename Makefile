# Two commands on a fresh machine with Python 3.11 and make:
#   make run   – virtualenv, install, migrate, regions, sample corpus, serve :8000
#   make test  – the whole suite (SQLite, or PostgreSQL when DATABASE_URL says so)

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install setup check-deploy benchmark screenshots clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; try: make PYTHON=python3 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py ingest corpus/ || echo "ingest reported failures (see above); serving what was ingested"

run: setup
	@echo
	@echo "  Portal:  http://$(HOST):$(PORT)/"
	@echo "  Admin:   http://$(HOST):$(PORT)/admin/  (create a user: $(PY) manage.py createsuperuser)"
	@echo
	$(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install
	$(PY) -m pytest -q

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=news.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Numbers for docs/benchmarks.md (several minutes: builds 100k-article databases).
benchmark: install
	$(PY) -m benchmarks.list_page
	$(PY) -m benchmarks.search

# Refresh docs/screenshots/ from the browser journey (needs Debian's chromium).
screenshots: install
	NEWSROOM_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
