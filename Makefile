# The README's two commands: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed-stamp
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test test-dates scheduler lint translations extract-messages chromium pdf-deps screenshots clean

run: $(STAMP) $(COMPILED) pdf-deps
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty
	@# The reminder scheduler runs beside the web server, as its own single process, and is
	@# stopped when the server stops (Ctrl-C included).
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The scheduler alone (production runs exactly one, under a supervisor: see the README).
scheduler: $(STAMP) $(COMPILED)
	$(FLASK) scheduler

test: $(STAMP) chromium pdf-deps
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The date matrix: request and unit tests (SQLite) with the clock moved, ticking, to moments that
# break date arithmetic: the 1st of a month 00:30, a year's last night, 29 February, a Sunday 23:59.
CLOCK_DATES := 2027-03-01T00:30 2026-12-31T23:30 2028-02-29T12:00 2027-01-03T23:59

test-dates: $(STAMP) pdf-deps
	@for moment in $(CLOCK_DATES); do \
		echo "== the suite at $$moment (ward time)"; \
		$(BIN)/pytest -n 2 -q -m "not e2e" --clock=$$moment || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

translations: $(COMPILED)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# Refresh the catalogue after changing user-facing strings; then translate the new entries.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations

# Browser tests use Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@test -x /usr/bin/chromium || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The monthly report PDF (WeasyPrint) needs Pango and a Times-like serif with Vietnamese
# diacritics (Liberation Serif), both from Debian.
pdf-deps:
	@{ ldconfig -p | grep -q libpango-1.0 && fc-list | grep -qi "Liberation Serif"; } || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation; }

# Issue 17's README screenshots, from a fresh demo ward in Debian's Chromium (docs/take_screenshots.py).
screenshots: $(STAMP) $(COMPILED) chromium pdf-deps
	$(BIN)/python docs/take_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
