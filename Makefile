# obligo developer tasks (GNU make >= 4).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DELETE_ON_ERROR:
.DEFAULT_GOAL := test
.PHONY: venv test demo fmt-check clean fuzz screenshot

# $(call check_python,INTERPRETER): fail with a clear message unless INTERPRETER
# exists and is Python >= 3.11.
define check_python
@command -v $(1) >/dev/null 2>&1 || { \
	echo "error: Python interpreter '$(1)' not found; obligo needs Python >= 3.11 (e.g. make PYTHON=python3.11)" >&2; \
	exit 1; }
@$(1) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: obligo needs Python >= 3.11, but $(1) is Python %s (e.g. make PYTHON=python3.11)" % sys.version.split()[0])'
endef

$(BIN)/python:
	$(call check_python,$(PYTHON))
	$(PYTHON) -m venv $(VENV)

# One stamp: always install the project editable with the test extras.
# Re-runs whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(call check_python,$(BIN)/python)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install -e '.[test]'
	touch $@

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit 5); treating as failure" >&2; fi; \
	exit $$rc

# A long fuzzing campaign at the library's surface (tests/test_fuzz_api.py): 10,000 examples per
# test, where `make test` runs a short one. Takes hours on a small machine; stops at the first
# failure of each test and prints its smallest reproducer.
fuzz: $(STAMP)
	OBLIGO_FUZZ=long $(BIN)/pytest -p no:cacheprovider tests/test_fuzz_api.py

# Check every bundled contract, then evaluate one against its sample log at a fixed time:
# January is met, February and March are breached, April is pending with its error budget.
DEMO_CONTRACT := contracts/acme-hosting.sla
DEMO_EVENTS   := contracts/acme-hosting/events.jsonl
DEMO_AT       := 2026-04-15T12:00:00+02:00

demo: $(STAMP)
	$(BIN)/obligo check contracts/*.sla
	$(BIN)/obligo eval $(DEMO_CONTRACT) --events $(DEMO_EVENTS) --at $(DEMO_AT)

# The screenshot of the HTML report in the README: the demo's report, in headless Chromium
# (Debian: apt-get install -y chromium; CHROMIUM=... names another binary).
CHROMIUM   ?= chromium
SCREENSHOT := docs/html-report.png

screenshot: $(STAMP)
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "error: $(CHROMIUM) not found: install Chromium (apt-get install -y chromium) or set CHROMIUM=..." >&2; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/obligo eval $(DEMO_CONTRACT) --events $(DEMO_EVENTS) --at $(DEMO_AT) --format html -o "$$tmp/report.html" && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
		--user-data-dir="$$tmp/profile" --window-size=1200,1500 \
		--screenshot="$(CURDIR)/$(SCREENSHOT)" "file://$$tmp/report.html" 2>/dev/null
	@echo "wrote $(SCREENSHOT)"

fmt-check: $(STAMP)
	$(BIN)/obligo fmt --check contracts/*.sla

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./.git -prune -o \( -name '*.egg-info' -o -name __pycache__ \) -prune -exec rm -rf {} +
