# Two commands for a newcomer: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev migrate demo lint format check-deploy messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
	@scripts/system-deps.sh run

install-dev: $(VENV)/.installed-dev
	@scripts/system-deps.sh test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## make run: install, migrate, load demo data, collect static files and serve at http://127.0.0.1:8000
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@scripts/serve.sh

## make test: install test dependencies and run the whole suite (PostgreSQL when reachable)
test: install-dev
	@scripts/services.sh
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="ci-$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)" \
	ALLOWED_HOSTS=award.example.org DATABASE_URL=sqlite:///:memory: \
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	# The production static pipeline (hashed, compressed) must find every referenced file.
	STATIC_ROOT=$$(mktemp -d) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

## Refresh the translation catalogues and compile them (needs gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --locale en --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media .pytest_cache
