"""make quick: every script with --quick, a first look at all of them in about a minute.

    python tools/quick.py --outdir build/quick              # all scripts
    python tools/quick.py --outdir build/quick 03 04c       # some of them

Each script runs exactly as `python examples/l303-example-NN.py --quick --outdir DIR` would (its own
argv, `__name__ == "__main__"`, its own seed), but several share one Python process: starting
TensorFlow costs 3-4 s, which 21 separate starts would pay 21 times. The scripts are split over
--jobs processes (default 2) that run side by side. Exit status 1 if any script failed.
"""

import argparse
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ALL = sorted(path.stem.removeprefix("l303-example-") for path in EXAMPLES.glob("l303-example-*.py"))


def run_as_main(script, args):
    """Run SCRIPT in this process as `python SCRIPT ARGS` would; returns its exit status.

    What a script changes in the process (sys.argv, the Ctrl-C handler, sys.excepthook, Keras'
    session, open figures) is put back afterwards, so the next script starts as if fresh."""
    import signal

    import keras
    import matplotlib.pyplot as plt

    saved = sys.argv, signal.getsignal(signal.SIGINT), sys.excepthook
    sys.argv = [str(script), *map(str, args)]
    try:
        runpy.run_path(str(script), run_name="__main__")
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv, sys.excepthook = saved[0], saved[2]
        signal.signal(signal.SIGINT, saved[1])
        keras.backend.clear_session()
        plt.close("all")


def run_here(numbers, outdir):
    """Run the scripts one after another in this process; returns the ones that failed."""
    import l303  # noqa: F401  (loads Keras once, quietly)

    failed = []
    for number in numbers:
        script = EXAMPLES / f"l303-example-{number}.py"
        print(f"== {script.relative_to(REPO)} --quick", flush=True)
        started = time.perf_counter()
        try:
            status = run_as_main(script, ["--quick", "--outdir", outdir])
        except Exception as error:  # one broken script must not hide the others' results
            print(f"{script.name}: {type(error).__name__}: {error}", file=sys.stderr)
            status = 1
        print(f"== {script.name}: {'ok' if status == 0 else f'FAILED (exit {status})'} "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        if status != 0:
            failed.append(number)
    return failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("numbers", nargs="*", metavar="NN", help="scripts to run (default: all)")
    parser.add_argument("--outdir", type=Path, default=REPO / "build" / "quick")
    parser.add_argument("--jobs", type=int, default=2, help="processes side by side (default: 2)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.numbers) - set(ALL))
    if unknown:
        parser.error(f"no such script: {', '.join(unknown)} (choose from {' '.join(ALL)})")
    numbers = args.numbers or ALL
    started = time.perf_counter()
    if args.jobs <= 1:
        failed = run_here(numbers, args.outdir)
    else:
        # Deal the scripts out like cards, so each process gets some long and some short ones.
        groups = [numbers[index::args.jobs] for index in range(args.jobs)]
        processes = [subprocess.Popen([sys.executable, __file__, "--jobs", "1", "--outdir",
                                       str(args.outdir), *group], env=os.environ)
                     for group in groups if group]
        failed = [process.args for process in processes if process.wait() != 0]
    print(f"quick: {len(numbers)} scripts in {time.perf_counter() - started:.0f} s"
          + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
