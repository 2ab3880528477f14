# The two commands: `make run` and `make test`. Everything else is a helper for those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean system-packages

# Debian packages the service and its tests need beyond Python: Pango and HarfBuzz for
# WeasyPrint's PDF reports, fonts, Chromium for the browser tests, PgBouncer for the pooler
# tests and poppler-utils (pdftoppm, pdftotext) for the report's page checks. Installed only
# when missing, with apt-get, as root (or through sudo when it is there).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
	libfontconfig1 fonts-dejavu-core
TEST_PACKAGES := chromium pgbouncer poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The installer is uv (from PyPI, into the venv): it fetches and unpacks in parallel, several
# times faster than pip on a fresh machine, and compiles the bytecode once, at install, as pip
# does. Should uv not install, pip does the same job. Both speak only of errors.
$(STAMP): pyproject.toml
	@echo "Installing lapor and what it needs into $(VENV) (the first time takes a minute or two)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@export PIP_DISABLE_PIP_VERSION_CHECK=1; \
	if $(BIN)/pip install -qq 'uv>=0.5'; then \
		$(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode -e '.[test]'; \
	else \
		$(BIN)/pip install -qq --upgrade pip && $(BIN)/pip install -qq -e '.[test]'; \
	fi
	@touch $(STAMP)

# Ctrl-C stops `lapor run` cleanly (exit status 0), so make has nothing to complain about.
run: $(STAMP) system-packages
	@$(BIN)/lapor run

# The venv and the system packages are installed side by side (-j2). The suite's own modules are
# compiled once and cached even where the environment says PYTHONDONTWRITEBYTECODE: without the
# cache every worker and every `lapor` process the tests start compiles the project again.
test: SYSTEM_PACKAGES += $(TEST_PACKAGES)
test:
	@$(MAKE) --no-print-directory -j2 $(STAMP) system-packages SYSTEM_PACKAGES="$(SYSTEM_PACKAGES)"
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto --dist worksteal

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null; then \
			echo "please install: $$missing (no apt-get here)"; exit 1; fi; \
		echo "installing $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y -q $$missing >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $$missing >/dev/null; }; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/classify.py
	PYTHONPATH=. $(BIN)/python bench/learning.py
	$(BIN)/python bench/bots.py
	$(BIN)/python bench/sla.py
	$(BIN)/python bench/queue_filters.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) .pytest_cache
