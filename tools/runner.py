"""How every tool runs a script: in this process as `python SCRIPT ARGS` would (TensorFlow then
starts once for many scripts), its output to a log or not, or in a new process (for timings that
include start-up); and many side by side, in the standard library's process pool."""

import contextlib
import os
import runpy
import subprocess
import sys
import traceback
from pathlib import Path

import record  # the records, read as today's schema
from l303_files import REPO

EXAMPLES = REPO / "examples"
PICTURES = "pictures"  # examples/l303-pictures.py: the slides' drawings that no training run makes


def script_name(number):
    """ "l303-example-04a" for "04a"; "l303-pictures" for the pictures."""
    return "l303-pictures" if number == PICTURES else f"l303-example-{number}"


def script_path(number):
    return EXAMPLES / f"{script_name(number)}.py"


def run_as_main(script, args, names=None):
    """Run SCRIPT in this process as `python SCRIPT ARGS` would; its exit status. NAMES, a dict,
    gets the script's global names. What a script changes in the process (sys.argv, the Ctrl-C
    handler, sys.excepthook, Keras' session, open figures) is put back afterwards."""
    import signal

    import l303_workarounds  # noqa: F401  (before Keras: this environment's backend, quietly)
    import keras
    import matplotlib.pyplot as plt

    saved = sys.argv, signal.getsignal(signal.SIGINT), sys.excepthook
    sys.argv = [str(script), *map(str, args)]
    try:
        found = runpy.run_path(str(script), run_name="__main__")
        if names is not None:
            names.update(found)
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv, sys.excepthook = saved[0], saved[2]
        if saved[1] is not None:  # None: a handler not set from Python, which stays as it was
            signal.signal(signal.SIGINT, saved[1])
        keras.backend.clear_session()
        plt.close("all")


def result_of(status, number, outdir):
    """(status, the result JSON the script wrote), or (status, None) if it failed."""
    if status != 0:
        return status, None
    return 0, record.read(Path(outdir) / f"{script_name(number)}.json")


@contextlib.contextmanager
def output_to(log):
    """Everything written to stdout and stderr meanwhile, Python's and TensorFlow's C++ alike (file
    descriptors 1 and 2), goes to the file LOG, in order."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "w", buffering=1) as output:  # line by line, between the C++ lines
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        try:
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                yield
        finally:
            output.flush()
            for descriptor, copy in zip((1, 2), saved):
                os.dup2(copy, descriptor)
                os.close(copy)


def run_logged(number, flags, outdir, log):
    """Run the script of NUMBER in this process with FLAGS --outdir OUTDIR, its output (a traceback
    included) to the file LOG: its exit status and its result JSON (None if it failed)."""
    with output_to(log):
        try:
            status = run_as_main(script_path(number), [*flags, "--outdir", str(outdir)])
        except Exception:  # noqa: BLE001  (KeyboardInterrupt passes: it stops the caller)
            traceback.print_exc()
            status = 1
    return result_of(status, number, outdir)


def run_in_new_process(number, flags, outdir, env=None, output=subprocess.DEVNULL):
    """python examples/<script>.py FLAGS --outdir OUTDIR in a new process, start-up included: its
    exit status and its result JSON (None if it failed)."""
    completed = subprocess.run(
        [sys.executable, f"examples/{script_name(number)}.py", *flags, "--outdir", str(outdir)],
        cwd=REPO, env=None if env is None else dict(os.environ, **env),
        stdout=output, stderr=subprocess.STDOUT)
    return result_of(completed.returncode, number, outdir)


def side_by_side(function, jobs, processes):
    """function(job) for every job in PROCESSES worker processes, each starting Keras once and
    taking the jobs in the order given; yields (job, what it returned) as each ends."""
    if processes <= 1:
        for job in jobs:
            yield job, function(job)
        return
    import concurrent.futures
    import multiprocessing

    pool = concurrent.futures.ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("spawn"),  # no forked backend state
        initializer=start_keras)
    try:
        futures = {pool.submit(function, job): job for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            yield futures[future], future.result()
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def start_keras():
    """A worker's start: Keras, once, quietly, on this environment's backend."""
    import l303_workarounds  # noqa: F401
