# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test test-unit test-integration test-browser install assets lint format check audit clean-db bench

ASSETS := static/govuk/govuk-frontend.min.css

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED) $(ASSETS)

# GOV.UK Frontend from npm (package-lock.json pins it), copied into static/. Node is needed
# only here, never at run time.
$(ASSETS): package.json package-lock.json scripts/build_assets.py | $(INSTALLED)
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/build_assets.py

assets: $(ASSETS)

## Run the application with the demo partnerships on SQLite at http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: install
	$(BIN)/python -m pytest

## One layer of it (tests/layers.py): unit runs in seconds, without the demo seed or a browser
test-unit: install
	$(BIN)/python -m pytest -m unit

test-integration: install
	$(BIN)/python -m pytest -m integration

test-browser: install
	$(BIN)/python -m pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## Security checks: lint, bandit (medium and high findings fail), known vulnerabilities in
## the installed packages (scripts/audit_dependencies.py: exit 1 when one is vulnerable, 2 when
## some could not be audited). DEPENDENCY_ADVISORY_DB=<directory of OSV records> audits offline.
audit: install
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive config core partnerships tasks returns dashboards budgets caseload s117 reports seed scripts \
		--exclude "*/migrations/*" --severity-level medium
	$(BIN)/python scripts/audit_dependencies.py

clean-db:
	rm -f db.sqlite3

## Measure pages, imports, PDFs and load at national scale on SQLite and PostgreSQL
## (bench/run.py; results in bench/results/). Takes a while: it builds each data set.
bench: install
	$(BIN)/python bench/run.py
