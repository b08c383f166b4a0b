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


def run_here(numbers, outdir):
    """Run the scripts one after another in this process; returns the ones that failed."""
    import l303  # noqa: F401  (loads Keras once, quietly)

    import keras
    import matplotlib.pyplot as plt

    failed = []
    for number in numbers:
        script = EXAMPLES / f"l303-example-{number}.py"
        print(f"== {script.relative_to(REPO)} --quick", flush=True)
        started = time.perf_counter()
        sys.argv = [str(script), "--quick", "--outdir", str(outdir)]
        try:
            runpy.run_path(str(script), run_name="__main__")
            status = 0
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        except Exception as error:  # one broken script must not hide the others' results
            print(f"{script.name}: {type(error).__name__}: {error}", file=sys.stderr)
            status = 1
        finally:
            keras.backend.clear_session()
            plt.close("all")
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
