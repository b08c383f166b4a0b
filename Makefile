# make run    train example 01 at the slide's settings (creates .venv first if needed), into mine/
# make test   the test suite (creates .venv first if needed); then, where .venv has TensorFlow, the
#             quick runs and the lesson tests again in .venv-jax, an environment without it (JAX,
#             as Python 3.14 and 3.15 get), when a Python 3.12 or newer is found; last, the tests
#             that neither part ran, and why (tests/ran_nowhere.py)
# make setup  .venv on TensorFlow (Python 3.11-3.13), or on JAX where TensorFlow has no wheels
#             (3.14, 3.15); BACKEND=jax or BACKEND=tensorflow asks for one (tools/setup.sh)
# make tensorboard      look at the logs of --tensorboard (runs/) without TensorFlow's start-up noise
# make quick  every script with --quick (a process per core, side by side), outputs in build/quick/
#             (BACKEND=jax or torch to switch)
# make report every script at the slide's settings, and the runs some slides add (04 at 60000 images,
#             the hands-on practice), one after another in one process -> figures/ (PNG, JSON,
#             RESULTS.md, README.md, report-run.json: how long the whole run took);
#             resumes: a result made by the same command and code is not rerun (RERUN=1 to force)
# make spread the seed spread -> figures/spread/: every comparison over seeds 2-5, every printed
#             number (01, 03, 04c, 07) over seeds 2-20, a process per core side by side; RESULTS.md then
#             judges every claim over seeds (resumes like report)
# make figures  no training: bands.json, every reference figure drawn anew from its JSON record,
#             spread.png, RESULTS.md and the gallery (what make report and make spread end with)
# make mutation  mutmut 3.8.1 over the lab's logic (claims, verdicts, bands, the record check, compare,
#             the report's words and spread.png's data; [tool.mutmut] in pyproject.toml) against their fast tests, in a copy in build/mutation/
# make mutants  break each lesson on purpose in a scratch copy and check its tests notice
# make setup-backends   also install JAX, the CPU PyTorch and TensorBoard (optional; tests then cover them)
# make backends         one script of each kind as a whole process under each installed backend,
#                       twice, alternating -> figures/BACKENDS.md
# make wheels  every environment x every Python it is promised to x Linux, macOS and Windows,
#             resolved by uv from binary wheels only -> a table in figures/MEASUREMENTS.md
# make bench  plain Keras fit against the suite's, on 01, 07 and 08 -> figures/BENCH.md
# make compare RUNS="a.json b.json"   overlay runs in one figure -> compare.png
# make site   the companion as HTML pages (sphinx-gallery, in .venv-site) -> build/site/index.html
# make site-check   those pages opened in headless Chromium: no broken image, link or console error
# PYTHON: the interpreter for .venv; by default the newest Python that can have the backend
# (tools/setup.sh says in one line what to do when there is none).
# BACKEND: tensorflow or jax, the environment's backend (and the scripts'); torch: the scripts'
# only, in an environment that has it (make setup-backends).
PYTHON ?=
BACKEND ?=
VENV := .venv
PY := $(VENV)/bin/python
ENVIRONMENT_BACKEND := $(filter tensorflow jax,$(BACKEND))
JAX_VENV := .venv-jax

# Before any target that needs .venv: no Python for it is one line (make's own), nothing made.
ifneq ($(filter-out clean test-jax,$(or $(MAKECMDGOALS),setup)),)
PYTHON_PROBLEM := $(shell sh tools/setup.sh --check "$(PYTHON)" "$(ENVIRONMENT_BACKEND)" 2>&1 >/dev/null)
ifneq ($(PYTHON_PROBLEM),)
$(error $(PYTHON_PROBLEM))
endif
endif
ifneq ($(BACKEND),)
export KERAS_BACKEND := $(BACKEND)
endif

.PHONY: setup setup-backends run test test-jax quick report spread figures mutation mutants wheels bench backends compare \
	tensorboard site site-check clean

# Quick when .venv is complete and made by a supported Python from today's requirements; made
# anew when it is not (another Python, a setup stopped half-way, new requirements).
setup:
	@sh tools/setup.sh "$(PYTHON)" $(VENV) "$(ENVIRONMENT_BACKEND)"

setup-backends: setup
	$(PY) -m pip install --quiet -r requirements-backends.txt

run: setup
	$(PY) examples/l303-example-01.py

test: setup
	rm -rf build/test-runs
	$(PY) -m pytest
	@if $(PY) -c 'import importlib.util, sys; sys.exit(not importlib.util.find_spec("tensorflow"))'; \
	then $(MAKE) --no-print-directory test-jax; fi
	@$(PY) tests/ran_nowhere.py

# The lessons without TensorFlow: every script's quick run and the lesson tests, in .venv-jax.
# JAX keeps what XLA compiled in build/jax-cache, so that the many runs of one network (04's kin,
# a script and its quick run) compile it once (the minutes saved: figures/MEASUREMENTS.md).
test-jax: export JAX_COMPILATION_CACHE_DIR := $(CURDIR)/build/jax-cache
test-jax: export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS := 0
test-jax: export JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES := -1
test-jax:
	@if sh tools/setup.sh --check "" jax 2>/dev/null; then \
		sh tools/setup.sh "" $(JAX_VENV) jax && $(JAX_VENV)/bin/python -m pytest tests/test_jax_environment.py \
			tests/test_scripts_quick.py tests/test_lessons_*.py tests/test_classroom.py \
			tests/test_batch_order.py; \
	else echo "make test: the JAX environment is not tested here: no Python 3.12 or newer found"; fi

quick: setup
	$(PY) tools/quick.py --outdir build/quick

report: setup
	$(PY) tools/report.py $(if $(RERUN),--rerun)

spread: setup
	$(PY) tools/report.py --spread $(if $(RERUN),--rerun)

figures: setup
	$(PY) tools/report.py --write-only

# mutmut names a module by its path below src/: the copy's tools/ is also its src/.
mutation: setup
	$(PY) -m uv pip install --quiet --system-certs mutmut==3.8.1
	rm -rf build/mutation
	$(PY) -c "import shutil; shutil.copytree('.', 'build/mutation', ignore=shutil.ignore_patterns( \
		'.venv*', '.git', 'build', 'mine', 'runs', '__pycache__')); shutil.copytree('tools', 'build/mutation/src')"
	cd build/mutation && ../../$(PY) -m mutmut run --max-children 2 && ../../$(PY) -m mutmut results

mutants: setup
	$(PY) tests/lesson_mutants.py

wheels: setup
	$(PY) tools/wheels.py

# The validation table gets a JAX row from .venv-jax, made as make test-jax makes it, where it can.
bench: setup
	@if sh tools/setup.sh --check "" jax 2>/dev/null && sh tools/setup.sh "" $(JAX_VENV) jax; then \
		$(PY) tools/bench.py --jax-python $(JAX_VENV)/bin/python; else $(PY) tools/bench.py; fi

backends: setup
	$(PY) tools/backends.py

compare: setup
	$(PY) tools/compare.py $(RUNS)

tensorboard: setup
	TF_CPP_MIN_LOG_LEVEL=3 $(VENV)/bin/tensorboard --logdir runs/

# The companion as HTML pages, from the committed records and figures: nothing trains, nothing runs
# (tools/site_build.py) -> build/site/index.html, opened from disk. Its own environment: .venv-site.
site: setup .venv-site/made
	$(PY) tools/site_build.py --sphinx-build .venv-site/bin/sphinx-build

.venv-site/made: requirements-site.txt
	rm -rf .venv-site
	$(PY) -m venv .venv-site
	.venv-site/bin/python -m pip install --quiet -r requirements-site.txt
	touch $@

# The pages in headless Chromium (Debian's package, installed here when missing): no broken image or
# link, no console error, nothing fetched from outside; screenshots in build/site-check/.
site-check: site
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	.venv-site/bin/python tools/site_check.py

clean:
	rm -rf build .pytest_cache
