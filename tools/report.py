"""make report and make spread: run every script at the slide's settings, then write the report.

    python tools/report.py            # runs what is missing or out of date, then writes the report
    python tools/report.py --rerun    # runs everything again
    python tools/report.py --only 04a 04b
    python tools/report.py --spread   # make spread: the other seeds, two processes side by side
    python tools/report.py --write-only   # make figures: the report and every figure, from the JSON

What runs: tools/runs.py. The reference run goes one script at a time in this process, so that
each wall time is the script's alone; --spread runs --jobs processes side by side. Both resume
(a result of the same command and code is kept) and record their length (report-run.json,
spread-run.json). Then tools/results.py writes RESULTS.md and the gallery."""

import argparse
import datetime
import functools
import json
import os
import sys
import time
import typing
from pathlib import Path

import l303_files  # write_atomically; it does not load Keras
from l303_files import REPO
from results import write_reports
from runner import run_logged, script_name, side_by_side
from runs import (COMPARISON_SEEDS, PRINTED_SEEDS, README_RUNS, RUN_RECORD, SCRIPTS,
                  SPREAD_RUN_RECORD, VARIANTS, command_for, job_folder, job_name,
                  read_results, reference_seconds, spread_jobs, up_to_date)


def run_all(jobs, outdir, rerun, processes=1):
    """Run the (number, seed, variant) JOBS not up to date (all, with RERUN; seed None: the
    reference run), PROCESSES side by side: a Sitting. Ctrl-C ends it, keeping the results made."""
    started = time.perf_counter()
    os.chdir(REPO)  # the commands name the scripts and output folders from the repository root
    pending = {job: reference_seconds(outdir, job[0], job[2]) for job in jobs
               if rerun or not up_to_date(job[0], job_folder(outdir, job[1], job[2]), *job[1:])}
    for index, job in enumerate(jobs, 1):
        if job not in pending:
            print(f"[{index:3d}/{len(jobs)}] {job_name(*job):40s} up to date, not rerun", flush=True)
    order = [job for job in jobs if job in pending]
    ran = failed = 0
    done_seconds = done_expected = 0.0
    run = functools.partial(run_job, outdir=outdir)
    interrupted = False
    try:
        for job, (status, wall_seconds, log) in side_by_side(run, order,
                                                             min(processes, len(order))):
            ran += 1
            prefix = f"[{jobs.index(job) + 1:3d}/{len(jobs)}] {job_name(*job):40s}"
            if wall_seconds is None:
                failed += 1
                print(f"{prefix} FAILED (exit {status}); see {log}", flush=True)
                continue
            done_seconds += wall_seconds
            done_expected += pending[job]
            later = sum(pending[other] for other in order[ran:])
            estimate = later * done_seconds / done_expected / processes
            print(f"{prefix} {wall_seconds:6.0f} s; about {estimate / 60:.0f} min left "
                  f"(total {time.perf_counter() - started:.0f} s)", flush=True)
    except KeyboardInterrupt:
        interrupted = True
    return Sitting(ran - failed, failed, time.perf_counter() - started,
                   len(pending) == len(jobs), interrupted)


class Sitting(typing.NamedTuple):
    """One `make report` or `make spread`: what run_all did."""
    made: int  # results made (not counting the failed runs)
    failed: int
    seconds: float
    all_anew: bool  # every job was pending: none was up to date when it began
    interrupted: bool  # Ctrl-C ended it; the results made before are kept


def run_job(job, outdir):
    """One job in this process, its output to a log kept only if it fails: (exit status, the wall
    time or None if it failed, the log)."""
    import l303_workarounds  # noqa: F401  (Keras once, quietly, on this environment's backend)

    os.chdir(REPO)
    number, seed, variant = job
    folder = job_folder(outdir, seed, variant)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f".{script_name(number)}.log"
    _, *flags, _, outdir_flag = command_for(number, folder, seed, variant)
    status, result = run_logged(number, flags, outdir_flag, log)
    if result is None:
        return status, None, log
    log.unlink()
    if seed is not None:  # a seed run: only its numbers count; the reference has the figure
        for figure in result["figures"]:
            (folder / figure).unlink(missing_ok=True)
    return status, result["wall_seconds"], log


def record_whole_run(outdir, runs, seconds):
    """<outdir>/report-run.json: how long `make report` took when it made every result."""
    any_result = next(iter(read_results(outdir).values()))
    record = {"runs": runs, "wall_seconds": round(seconds, 1),
              "finished": datetime.date.today().isoformat(), "machine": any_result["machine"],
              "backend": any_result["backend"]}
    l303_files.write_atomically(Path(outdir) / RUN_RECORD, lambda temporary: temporary.write_text(
        json.dumps(record, indent=1) + "\n"))


def record_spread_run(outdir, sitting, processes):
    """Add this sitting to <outdir>/spread-run.json (a spread resumed three times took the sum of
    its sittings); one that made every result anew starts it again."""
    path = Path(outdir) / SPREAD_RUN_RECORD
    record = json.loads(path.read_text()) if path.is_file() and not sitting.all_anew else {"runs": []}
    record["runs"].append({"runs_made": sitting.made, "wall_seconds": round(sitting.seconds, 1),
                           "processes": processes, "finished": datetime.date.today().isoformat(),
                           **({"interrupted": True} if sitting.interrupted else {})})
    l303_files.write_atomically(path, lambda temporary: temporary.write_text(
        json.dumps(record, indent=1) + "\n"))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, default=REPO / "figures")
    parser.add_argument("--rerun", action="store_true", help="run every script again")
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), metavar="NN",
                        help="run only these scripts (the report still covers every result)")
    parser.add_argument("--spread", action="store_true",
                        help=f"the seed spread: every comparison over seeds "
                             f"{COMPARISON_SEEDS[0]} to {COMPARISON_SEEDS[-1]}, every printed "
                             f"number over seeds {PRINTED_SEEDS[0]} to {PRINTED_SEEDS[-1]} (seed 1 "
                             f"is the reference run)")
    parser.add_argument("--jobs", type=int,
                        help="processes side by side (default: the machine's cores for --spread; "
                             "1 for the reference run, whose wall times are each script alone)")
    parser.add_argument("--write-only", action="store_true",
                        help="make figures: bands.json, every reference figure, RESULTS.md and "
                             "README.md from the JSON files; train nothing")
    args = parser.parse_args()
    args.jobs = args.jobs or (os.cpu_count() if args.spread else 1)
    args.outdir.mkdir(parents=True, exist_ok=True)
    if args.spread:
        jobs = spread_jobs(args.outdir)
    else:
        jobs = [(number, None, None) for number in args.only or list(SCRIPTS)]
        jobs += [(number, None, variant)
                 for variant, (number, _, _) in (VARIANTS | README_RUNS).items()
                 if number in (args.only or list(SCRIPTS))]
    sitting = None
    if not args.write_only:
        sitting = run_all(jobs, args.outdir, args.rerun, args.jobs)
        print(f"\nInterrupted: the {sitting.made} results made so far are kept; run again to "
              f"resume." if sitting.interrupted else
              f"report: {sitting.made} of {len(jobs)} runs made in {sitting.seconds / 60:.1f} "
              f"minutes" + ("; some FAILED (see above)" if sitting.failed else ""), flush=True)
        if args.spread and sitting.made:
            record_spread_run(args.outdir, sitting, args.jobs)
        if (sitting.made == len(jobs) and not args.only and not args.spread):
            record_whole_run(args.outdir, sitting.made, sitting.seconds)
        if sitting.interrupted:
            sys.exit(130)
    write_reports(args.outdir)
    if sitting and sitting.failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
