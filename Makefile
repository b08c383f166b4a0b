# make run    train example 01 at the slide's settings (creates .venv first if needed)
# make test   the test suite (creates .venv first if needed)
# make quick  every script with --quick (two processes side by side), outputs in build/quick/
#             (BACKEND=jax or torch to switch)
# make report every script at the slide's settings, and the runs some slides add (04 at 60000 images,
#             the hands-on practice), one after another in one process -> figures/ (PNG, JSON,
#             RESULTS.md, README.md, report-run.json: how long the whole run took);
#             resumes: a result made by the same command and code is not rerun (RERUN=1 to force)
# make spread the seed spread -> figures/spread/: every comparison over seeds 2-5, every printed
#             number (01, 03, 04c, 07) over seeds 2-20, two processes side by side; RESULTS.md then
#             judges every claim over seeds (resumes like report)
# make mutants  break each lesson on purpose in a scratch copy and check its tests notice
# make setup-backends   also install JAX, the CPU PyTorch and TensorBoard (optional; tests then cover them)
# make backends         one script of each kind as a whole process under each installed backend,
#                       twice, alternating -> figures/BACKENDS.md
# make bench  plain Keras fit against the suite's, on 01, 07 and 08 -> figures/BENCH.md
# make compare RUNS="a.json b.json"   overlay runs in one figure -> compare.png
# PYTHON: the interpreter for .venv; by default the newest Python 3.11-3.13 on the PATH
# (tools/setup.sh says in one line what to do when there is none).
PYTHON ?=
VENV := .venv
PY := $(VENV)/bin/python

# Before any target that needs .venv: no supported Python is one line (make's own), nothing made.
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),setup)),)
PYTHON_PROBLEM := $(shell sh tools/setup.sh --check "$(PYTHON)" 2>&1 >/dev/null)
ifneq ($(PYTHON_PROBLEM),)
$(error $(PYTHON_PROBLEM))
endif
endif
ifneq ($(BACKEND),)
export KERAS_BACKEND := $(BACKEND)
endif

.PHONY: setup setup-backends run test quick report spread mutants bench backends compare clean

# Quick when .venv is complete and made by a supported Python from today's requirements; made
# anew when it is not (another Python, a setup stopped half-way, new requirements).
setup:
	@sh tools/setup.sh "$(PYTHON)" $(VENV)

setup-backends: setup
	$(PY) -m pip install --quiet -r requirements-backends.txt

run: setup
	$(PY) examples/l303-example-01.py

test: setup
	$(PY) -m pytest

quick: setup
	$(PY) tools/quick.py --outdir build/quick

report: setup
	$(PY) tools/report.py $(if $(RERUN),--rerun)

spread: setup
	$(PY) tools/report.py --spread $(if $(RERUN),--rerun)

mutants: setup
	$(PY) tools/mutants.py

bench: setup
	$(PY) tools/bench.py

backends: setup
	$(PY) tools/backends.py

compare: setup
	$(PY) tools/compare.py $(RUNS)

clean:
	rm -rf build .pytest_cache
