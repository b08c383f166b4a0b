"""make quick: every script with --quick, a first look at all of them in about a minute.

    python tools/quick.py --outdir build/quick              # all scripts
    python tools/quick.py --outdir build/quick 03 04c       # some of them

Each script runs as `python examples/l303-example-NN.py --quick --outdir DIR` would, several in
one Python process (TensorFlow starts once), --jobs processes side by side, the longest first.
Exit status 1 if any script failed."""

import argparse
import functools
import os
import sys
import time
from pathlib import Path

from l303_files import REPO
from runner import EXAMPLES, PICTURES, run_as_main, side_by_side
from runs import SCRIPTS, reference_seconds

ALL = [number for number in SCRIPTS if number != PICTURES]


def run_quick(number, outdir):
    """One script with --quick, in this process; its exit status."""
    import l303_workarounds  # noqa: F401  (Keras once, quietly, on this environment's backend)

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
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("numbers", nargs="*", metavar="NN", help="scripts to run (default: all)")
    parser.add_argument("--outdir", type=Path, default=REPO / "build" / "quick")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="processes side by side (default: the machine's cores)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.numbers) - set(ALL))
    if unknown:
        parser.error(f"no such script: {', '.join(unknown)} (choose from {' '.join(ALL)})")
    numbers = sorted(args.numbers or ALL, reverse=True,  # the longest first (the reference's times)
                     key=lambda number: reference_seconds(REPO / "figures", number, None))
    started = time.perf_counter()
    run = functools.partial(run_quick, outdir=args.outdir)
    failed = [number for number, status in side_by_side(run, numbers, min(args.jobs, len(numbers)))
              if status != 0]
    print(f"quick: {len(numbers)} scripts in {time.perf_counter() - started:.0f} s"
          + (f"; FAILED: {' '.join(sorted(failed))} (see the lines marked FAILED above)"
             if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
