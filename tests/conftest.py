"""Helpers for the tests: run a script, and read back what it wrote.

run_script starts a new Python process, as a student does: the tests of what a student sees (exit
status, one-line errors, Ctrl-C) use it. run_and_read runs the script in the test's own process
(as tools/quick.py does): TensorFlow then starts once per pytest worker instead of once per
lesson test, 8 s a start on this 2-core machine. test_run_contract checks that both ways give
the same history.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import l303_workarounds  # noqa: F401  (Keras, quietly, on this environment's backend: before a test imports it)
import record  # the schema of a run's record
from l303_files import REPO
from runner import run_as_main

EXAMPLES = REPO / "examples"
SCRIPTS = sorted(path.stem for path in EXAMPLES.glob("l303-example-*.py"))
# make mutants (tests/lesson_mutants.py) breaks some lessons through a flag: {"<script>": [flags]}, added
# after a test's own flags, so that they win (argparse keeps the last value given).
MUTANT_FLAGS = json.loads(os.environ.get("L303_MUTANT_FLAGS", "{}"))
# The lecture's text: not in the repository, but beside it (../shared, as CI has it).
LECTURE = REPO.parent / "shared" / "seed" / "000_cbe713ba26413393.txt"


def run_script(name, *args, env=None, check=True, timeout=600, environ=None):
    """python examples/<name>.py ARGS from the repository root; returns the CompletedProcess.
    env: variables to add; environ: the environment to start from (default: this process's)."""
    environment = dict(os.environ if environ is None else environ, PYTHONUNBUFFERED="1",
                       **(env or {}))
    args = (*args, *MUTANT_FLAGS.get(name, ()))
    completed = subprocess.run([sys.executable, str(EXAMPLES / f"{name}.py"), *args], cwd=REPO,
                               env=environment, capture_output=True, text=True, timeout=timeout)
    if check and completed.returncode != 0:
        pytest.fail(f"{name} {' '.join(args)} exited {completed.returncode}:\n"
                    f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return completed


def read_result(outdir, name):
    """The record a script wrote; it must match its schema (examples/record.schema.json)."""
    found = json.loads((Path(outdir) / f"{name}.json").read_text())
    assert not record.problems(found), record.problems(found)
    return found


def run_in_this_process(name, *args):
    """python examples/<name>.py ARGS, but run in this process; it must succeed."""
    args = (*args, *MUTANT_FLAGS.get(name, ()))
    status = run_as_main(EXAMPLES / f"{name}.py", args)
    if status != 0:
        pytest.fail(f"{name} {' '.join(map(str, args))} exited {status}")


def run_and_read(name, outdir, *flags):
    """Run a script in this process with FLAGS --outdir OUTDIR (it must succeed); its JSON."""
    run_in_this_process(name, *flags, "--outdir", outdir)
    return read_result(outdir, name)


def folder_for_a_shared_run(tmp_path_factory, name):
    """A new folder for a run that the tests of a module share (a module-scoped fixture).

    Their one xdist_group keeps those tests on one pytest worker, so that the run is made once.
    pytest 9.2 silently stopped honouring xdist groups (pytest-xdist#1386): each worker then made
    every shared run, which cost make test minutes. requirements.txt pins pytest 9.1.1, and this
    fails the tests if a shared run is made a second time in one session."""
    session = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        session = session.parent  # the workers' own folders lie in one folder per session
    try:
        (session / f"shared run {name}").touch(exist_ok=False)
    except FileExistsError:
        pytest.fail(f"the shared run {name!r} was made twice in this session: its tests went "
                    f"to more than one worker (are xdist groups honoured? see conftest.py)")
    return tmp_path_factory.mktemp(name.replace(" ", "-"))


def run_quick_look(outdir, env=None):
    """tools/quick.py: every script with --quick into OUTDIR, two shared processes; its output."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    completed = subprocess.run([sys.executable, str(REPO / "tools" / "quick.py"), "--outdir",
                                str(outdir)], cwd=REPO, env=environment, capture_output=True,
                               text=True, timeout=1200)
    return completed.stdout + completed.stderr


def band_polygons(figure):
    """gid -> (epochs, low, high) of every band drawn, read back from the figure's polygons."""
    found = {}
    for axis in figure.axes:
        for collection in axis.collections:
            if (collection.get_gid() or "").startswith("band "):
                vertices = collection.get_paths()[0].vertices
                epochs = sorted(set(vertices[:, 0]))
                lows = [vertices[:, 1][vertices[:, 0] == epoch].min() for epoch in epochs]
                highs = [vertices[:, 1][vertices[:, 0] == epoch].max() for epoch in epochs]
                found[collection.get_gid()] = (epochs, lows, highs)
    return found


def pytest_collection_modifyitems(items):
    """The shared runs first (the quick look of all 21 scripts takes a worker 1.5 minutes): a long
    run started last would keep one worker busy while the other has nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def estimated_angles(originals, turned):
    """The angle each turned image was rotated by, found by turning its original by every whole
    degree from -45 to 45 and keeping the closest (counter-clockwise positive, as skimage's)."""
    from skimage.transform import rotate

    grid = np.arange(-45, 46)
    found = []
    for original, image in zip(originals, turned):
        original, image = np.squeeze(original), np.squeeze(image)
        errors = [np.sum((rotate(original, angle) - image) ** 2) for angle in grid]
        found.append(int(grid[np.argmin(errors)]))
    return np.array(found)


# What ran where: make test runs the suite in .venv, then part of it in .venv-jax; each part
# leaves the tests it ran and those it skipped (and why) in build/test-runs/, and
# tests/ran_nowhere.py names the tests that neither part ran.
TEST_RUNS = REPO / "build" / "test-runs"
_outcomes = {}


def pytest_runtest_logreport(report):
    if report.when == "call" or report.skipped:
        _outcomes[report.nodeid] = (report.longrepr[2].removeprefix("Skipped: ")
                                    if report.skipped and isinstance(report.longrepr, tuple)
                                    else "ran")


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput") or not _outcomes:  # an xdist worker: the controller writes
        return
    import importlib.util

    environment = "tensorflow" if importlib.util.find_spec("tensorflow") else "jax"
    TEST_RUNS.mkdir(parents=True, exist_ok=True)
    (TEST_RUNS / f"{environment}.json").write_text(json.dumps(_outcomes, indent=1, sort_keys=True))
