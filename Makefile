# make run    train example 01 at the slide's settings (creates .venv first if needed)
# make test   the test suite (creates .venv first if needed)
# make quick  every script with --quick, outputs in build/quick/ (BACKEND=jax or torch to switch)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ifneq ($(BACKEND),)
export KERAS_BACKEND := $(BACKEND)
endif

.PHONY: setup run test quick clean

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: setup
	$(PY) examples/l303-example-01.py

test: setup
	$(PY) -m pytest -q tests

quick: setup
	@for script in examples/l303-example-*.py; do \
		echo "== $$script --quick"; \
		$(PY) $$script --quick --outdir build/quick || exit 1; \
	done

clean:
	rm -rf build .pytest_cache
