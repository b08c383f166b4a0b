"""make quick: every script with --quick, a first look at all of them in about a minute.

    python tools/quick.py --outdir build/quick              # all scripts
    python tools/quick.py --outdir build/quick 03 04c       # some of them

Each script runs exactly as `python examples/l303-example-NN.py --quick --outdir DIR` would (its own
argv, `__name__ == "__main__"`, its own seed), but several share one Python process: starting
TensorFlow costs 4-8 s, which 21 separate starts would pay 21 times. --jobs processes (default
2) run side by side; each takes the next script nobody has taken yet, the longest first (by the
reference run's times in figures/), so that neither waits long for the other at the end. Exit
status 1 if any script failed.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from l303_files import REPO
from runner import EXAMPLES, run_as_main, taken
from runs import reference_seconds

ALL = sorted(path.stem.removeprefix("l303-example-") for path in EXAMPLES.glob("l303-example-*.py"))


def longest_first(numbers):
    """The scripts, the longest first by their times in the reference run (figures/*.json)."""
    return sorted(numbers, key=lambda number: reference_seconds(REPO / "figures", number, None),
                  reverse=True)


def run_here(numbers, outdir, claims=None):
    """Run the scripts one after another in this process, skipping those another process has
    taken (with CLAIMS, a folder shared by the processes); returns the ones that failed."""
    import l303_workarounds  # noqa: F401  (Keras once, quietly, on this environment's backend)

    failed = []
    for number in numbers:
        if not taken(number, claims):
            continue
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
    parser.add_argument("--claims", type=Path, help=argparse.SUPPRESS)  # set for the processes
    args = parser.parse_args(argv)
    unknown = sorted(set(args.numbers) - set(ALL))
    if unknown:
        parser.error(f"no such script: {', '.join(unknown)} (choose from {' '.join(ALL)})")
    numbers = longest_first(args.numbers or ALL)
    started = time.perf_counter()
    if args.jobs <= 1:
        failed = run_here(numbers, args.outdir, args.claims)
    else:
        with tempfile.TemporaryDirectory(prefix="quick-claims-") as claims:
            processes = [subprocess.Popen([sys.executable, __file__, "--jobs", "1", "--claims",
                                           claims, "--outdir", str(args.outdir), *numbers])
                         for _ in range(min(args.jobs, len(numbers)))]
            failed = [process for process in processes if process.wait() != 0]
    if args.claims is None:
        print(f"quick: {len(numbers)} scripts in {time.perf_counter() - started:.0f} s"
              + ("; some FAILED: see the lines marked FAILED above" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
