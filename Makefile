# The commands of the README. `make run` starts the whole portal; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: install run test codes bench loadtest lint format lock clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## The whole portal on http://127.0.0.1:8000 (embedded PostgreSQL and Redis unless
## DATABASE_URL and REDIS_URL are set). Ctrl-C stops everything.
run: install
	$(PY) scripts/devstack.py run

## Every test, on PostgreSQL, with browser tests in headless Chromium. ARGS="-k name" narrows.
test: install
	$(PY) scripts/devstack.py exec -- $(PY) -m pytest $(ARGS)

## Fresh two-factor codes for the demo people (while `make run` is running, or after it).
codes: install
	$(PY) scripts/devstack.py exec --no-redis -- $(PY) manage.py demo_signins

## The benchmark on city-scale data in its own database (bench/README.md). ARGS="--duration 30s".
bench: install
	$(PY) scripts/devstack.py exec --no-redis -- $(PY) bench/run.py $(ARGS)

## The load test: 50 simulated people for 5 minutes on the demo data, in its own database
## (docs/reliability.md). ARGS="--duration 1m" shortens it.
loadtest: install
	$(PY) scripts/devstack.py exec -- $(PY) loadtest/run.py $(ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Re-pin every Python dependency after changing pyproject.toml.
lock:
	$(PY) -m pip install --quiet -e '.[dev]' && $(PY) -m pip uninstall --yes --quiet workforce-hub
	$(PY) -m pip freeze --exclude-editable | grep -v '^workforce-hub' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
