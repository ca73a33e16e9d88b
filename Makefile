# Two commands: `make demo` and `make test`. Each sets up what it needs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO := demo
# The local PostgreSQL server (trust auth). Set it empty to test SQLite only.
POWCASE_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# `make demo SERVE=0` builds the demo without serving the pages afterwards (for scripts).
SERVE ?= 1
LOCALES := src/powcase/locale

.PHONY: demo test lint typecheck unit bench clean fonts i18n browser

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	@POWCASE_DATABASE_URL=sqlite:///$(DEMO)/powcase.db POWCASE_ACTOR=demo sh scripts/demo-tour.sh $(BIN)/powcase
	@if [ "$(SERVE)" != "0" ]; then \
	  printf '\nIn the browser: http://127.0.0.1:8000 (Ctrl-C stops). The demo accounts and their passwords:\n'; \
	  POWCASE_DATABASE_URL=sqlite:///$(DEMO)/powcase.db $(BIN)/powcase serve --demo-passwords; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

# Documents need Hangul (Noto Sans CJK KR), Cyrillic (DejaVu Sans) and poppler's pdftotext for
# their tests: installed with apt-get when missing (as root), else a line naming the package.
fonts:
	@fc-list ':family=Noto Sans CJK KR' family | grep -q . || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk || echo "install fonts-noto-cjk (Hangul) for documents"
	@fc-list ':family=DejaVu Sans' family | grep -q . || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core || echo "install fonts-dejavu-core (Cyrillic) for documents"
	@command -v pdftotext >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils || echo "install poppler-utils for the document tests"

unit: $(STAMP) fonts browser
	POWCASE_TEST_POSTGRES_URL='$(POWCASE_TEST_POSTGRES_URL)' $(BIN)/pytest -n 2 -q --durations=5

test: lint unit

bench: $(STAMP)
	$(BIN)/python bench/store.py

# The browser tests drive Debian's Chromium (no browser download); Korean pages need a CJK font.
browser:
	@command -v chromium >/dev/null && [ -d /usr/share/fonts/opentype/noto ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

# Re-extract every message of the pages and merge it into the catalogs (then translate the new
# entries: a test fails while any catalog has an untranslated message).
i18n: $(STAMP)
	$(BIN)/pybabel extract -F src/powcase/web/babel.cfg -k N_ --no-location --omit-header --sort-output \
	  -o $(LOCALES)/messages.pot .
	for lang in en ko uk ru; do \
	  $(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --no-fuzzy-matching -w 100; done

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
