# Two commands: `make run` serves the portal with worker and beat; `make test` runs the tests.
# Both set up the virtualenv in .venv first. Nothing else is needed than Python >= 3.11 and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup migrate demo clean check-deploy e2e-tools translations

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var/outbox var/media var/staticfiles
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py compile_catalogues -v0

# For translators: the catalogues brought up to date with the code (new strings added, changed ones marked
# fuzzy), then compiled. Refreshing needs GNU gettext (xgettext, msgmerge: `apt-get install gettext`);
# after only editing a .po, `make setup` or `manage.py compile_catalogues` is enough and needs nothing.
translations: setup
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py makemessages --all --no-obsolete --ignore=node_modules --ignore=var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py compile_catalogues

migrate: setup
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

run: demo
	@echo
	@echo "Serving the portal at http://127.0.0.1:8000 with the Celery worker and beat. Ctrl-C stops all three."
	@echo
	DEBUG=$${DEBUG:-1} PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests also need Debian's Chromium and axe-core (npm); without them they skip.
e2e-tools:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium chromium-driver)
	npm ci --no-audit --no-fund

check-deploy: setup
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=portal.baltmet.org SITE_URL=https://portal.baltmet.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
