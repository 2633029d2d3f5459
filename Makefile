# The README's commands. `make run` and `make test` need nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate demo worker clean bench

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The web server, plus a Celery worker with beat on the embedded broker (folders under
# var/). Ctrl-C stops all three. Emails are written to var/mail/.
run: demo
	@mkdir -p var/mail
	@echo "Portal: http://127.0.0.1:8000/   (emails land in var/mail/, worker log in var/celery.log)"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A send_portal worker -B --concurrency 1 --loglevel INFO \
		--schedule var/celerybeat-schedule --logfile var/celery.log & \
	$(PY) manage.py runserver 127.0.0.1:8000

worker: $(STAMP)
	$(VENV)/bin/celery -A send_portal worker -B --concurrency 1 --loglevel INFO \
		--schedule var/celerybeat-schedule

# The whole suite. Tests needing PostgreSQL, Redis or Chromium skip with a reason when
# those are absent, except under CI=true, where they fail. Two pytest processes, whole test
# files to each (each has its own test database and Redis databases: tests/services.py);
# `.venv/bin/pytest path/to/test_file.py` runs one file in a single process.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r partnership send_portal --severity-level high
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadfile

# The trust-scale benchmark: builds the data set on PostgreSQL if missing (long, once),
# then prints one table of figures against their targets and writes bench/results.json.
bench: $(STAMP)
	bash bench/run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r partnership send_portal --severity-level high

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/broker var/mail var/celery.log var/celerybeat-schedule*
