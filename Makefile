# Personal Plan: `make run` sets up and serves the app; `make test` sets up and runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
PACKAGES := packages/personal-plan.yaml
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: run serve test bench setup check-system check-test-system lock clean

$(BIN)/python:
	@scripts/check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e ".[test]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e ".[bench]"
	touch $@ $(VENV)/.installed

# Installs the Debian packages that are missing when this user may (root, or sudo without a password),
# otherwise prints the apt-get line: see scripts/check-system.
check-system:
	@scripts/check-system

check-test-system:
	@scripts/check-system --test

setup: check-system $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_package $(PACKAGES)

run: setup
	@echo "Personal Plan is at http://127.0.0.1:$(PORT) (teachers: make an account with ./manage.py createteacher NAME)"
	$(BIN)/python manage.py runserver --nostatic 127.0.0.1:$(PORT)

test: check-test-system $(VENV)/.installed-test
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py collectstatic --noinput -v0
	scripts/run-tests $(PYTEST_ARGS)
	@if [ -n "$$POSTGRES_TEST_URL" ]; then \
	  echo "Running the whole suite again on PostgreSQL"; \
	  DATABASE_URL="$$POSTGRES_TEST_URL" scripts/run-tests $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI needs POSTGRES_TEST_URL: the suite must pass on PostgreSQL too" >&2; exit 1; \
	fi

# The production set-up on this machine: gunicorn (gunicorn.conf.py) with WhiteNoise serving static files.
serve: setup
	$(BIN)/gunicorn -c gunicorn.conf.py config.wsgi

# Benchmarks (about 18 minutes; see bench/run.py, bench/live.py and bench/plan_render.py): each makes its own
# databases and gunicorn servers on 127.0.0.1 and writes its section of bench/RESULTS.md. The PostgreSQL runs need
# a role that may create databases: BENCH_POSTGRES_URL (without one they are reported as not run).
BENCH_POSTGRES_URL ?= postgres://plan:plan@127.0.0.1:5432/plan
bench: check-system $(VENV)/.installed-bench
	timeout 300 $(BIN)/python bench/plan_render.py
	timeout 300 $(BIN)/python bench/page_weight.py
	BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" timeout 780 $(BIN)/python bench/run.py
	BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" timeout 600 $(BIN)/python bench/run.py live

# Re-pin every transitive dependency after changing pyproject.toml.
lock: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^personal-plan' > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) staticfiles
