"""Helpers for the tests: run a script as a student would, and read back what it wrote."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SCRIPTS = sorted(path.stem for path in EXAMPLES.glob("l303-example-*.py"))


def run_script(name, *args, env=None, check=True, timeout=600):
    """python examples/<name>.py ARGS from the repository root; returns the CompletedProcess."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    completed = subprocess.run([sys.executable, str(EXAMPLES / f"{name}.py"), *args], cwd=REPO,
                               env=environment, capture_output=True, text=True, timeout=timeout)
    if check and completed.returncode != 0:
        pytest.fail(f"{name} {' '.join(args)} exited {completed.returncode}:\n"
                    f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return completed


def read_result(outdir, name):
    return json.loads((Path(outdir) / f"{name}.json").read_text())


def run_and_read(name, outdir, *flags, env=None):
    """Run a script with FLAGS --outdir OUTDIR (it must succeed) and return its result JSON."""
    run_script(name, *flags, "--outdir", str(outdir), env=env)
    return read_result(outdir, name)


def run_quick_look(outdir, env=None):
    """tools/quick.py: every script with --quick into OUTDIR, two shared processes; its output."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    completed = subprocess.run([sys.executable, str(REPO / "tools" / "quick.py"), "--outdir",
                                str(outdir)], cwd=REPO, env=environment, capture_output=True,
                               text=True, timeout=1200)
    return completed.stdout + completed.stderr
