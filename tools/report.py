"""make report and make spread: run every script at the slide's settings, and judge every slide's claim.

    python tools/report.py            # runs what is missing or out of date, then writes the report
    python tools/report.py --rerun    # runs everything again
    python tools/report.py --only 04a 04b
    python tools/report.py --spread   # make spread: the other seeds, two processes side by side
    python tools/report.py --write-only

The reference run (seed 1) is every script with the flags of SCRIPTS, and the runs some slides add
(VARIANTS: TRAINING DATA DOES MATTER is 04 with all 60000 training images) in <outdir>/<variant>/.
One script at a time, all in this one process (as tools/quick.py does: Python and TensorFlow start
once; each script still runs as `python SCRIPT ARGS` would, its output to a log kept only if it
fails), so that each script's wall time is what it takes alone. A run that made every result anew
records its length in <outdir>/report-run.json.

--spread runs the same commands with --seed N into <outdir>/spread/seedN/: every comparison script
and variant for seeds 2 to 5, the scripts whose slides print numbers for seeds 2 to 20. Within a
seed every arm of a comparison gets that seed. Each `make spread` adds its length to
<outdir>/spread-run.json.

Both resume: a result made by the same command and the same code (the script and the shared
modules) is not run again. Then <outdir>/RESULTS.md (every claim of tools/claims.py judged over the
seeds, the printed numbers against their prediction intervals, the reference run, the machine) and
<outdir>/README.md (the gallery: every figure under its slide) are written from the JSON files.
"""

import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import time
import tempfile
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

import claims  # every claim's words, measure and rule
import l303_files  # code_sha256, write_atomically; it does not load Keras

# A slide's printed number against 20 of our runs; a comparison's effect in each of 5 seeds.
# Seed 1 is the reference run (make report); make spread runs the others.
PRINTED_SEEDS = tuple(range(1, 21))
COMPARISON_SEEDS = tuple(range(1, 6))

# script -> the extra flags of its reference run: the slide's remarks that need another model
# (01a's INTERMISSION, 03's COMMENT, 06e's PReLU) and Practice 02's rotated test set for the CNNs.
SCRIPTS = {
    "01": [], "01a": ["--tricks"], "02": [], "02a": [], "03": ["--binary"], "04": [], "04a": [],
    "04b": [], "04c": [], "04d": [], "05": [], "06": [], "06a": [], "06b": [], "06c": [],
    "06d": [], "06e": ["--prelu"], "07": [], "07a": [], "08": ["--rotate-test", "30"],
    "08a": ["--rotate-test", "30"], "pictures": [],
}
PICTURES = "pictures"  # examples/l303-pictures.py: the slides' drawings that no training run makes


def script_name(number):
    """ "l303-example-04a" for "04a"; "l303-pictures" for the pictures."""
    return "l303-pictures" if number == PICTURES else f"l303-example-{number}"

PRINTED_SCRIPTS = sorted({number.script for number in claims.PRINTED})

# Runs of a script at other settings that a slide needs beside the reference run:
# name -> (script, extra flags, the slide it answers). Each goes to <outdir>/<name>/; its verdict
# (tools/claims.py) sets it against the script's reference run of the same seed.
VARIANTS = {
    "train-size-60000": ("04", ["--train-size", "60000"], "TRAINING DATA DOES MATTER"),
    "practice-01-l1": ("04a", ["--regularizer", "l1"], "HANDS-ON Practice 01, Trial #1 (L1)"),
    "practice-01-kernel-3": ("08", ["--kernel-size", "3", "--rotate-test", "30"],
                             "HANDS-ON Practice 01, Trial #2 (3x3 kernels)"),
    "practice-01-kernel-7": ("08", ["--kernel-size", "7", "--rotate-test", "30"],
                             "HANDS-ON Practice 01, Trial #2 (7x7 kernels)"),
    "no-dropout": ("08a", ["--dropout", "0", "--rotate-test", "30"],
                   "BATCH NORMALIZATION (II): no dropout beside it"),
}


def command_for(number, outdir, seed=None, variant=None):
    """The command, run from the repository root; an outdir inside the repository is given relative
    to it, so the results (and whether they are up to date) do not depend on where it is cloned.

    A seed run (the seed spread) is the reference command with --seed N: every arm of a comparison
    gets that seed. The scripts whose slides print numbers run their plain settings there (03's
    --binary COMMENT is a remark of the reference run, not judged over seeds)."""
    if variant:
        extra = VARIANTS[variant][1]
    elif seed is not None and number in PRINTED_SCRIPTS:
        extra = []
    else:
        extra = SCRIPTS[number]
    outdir = Path(outdir).resolve()
    if outdir.is_relative_to(REPO):
        outdir = outdir.relative_to(REPO)
    seed_flags = [] if seed is None else ["--seed", str(seed)]
    return [f"examples/{script_name(number)}.py", *extra, *seed_flags, "--outdir", str(outdir)]


def run_example(number, flags, outdir, env=None, output=subprocess.DEVNULL):
    """Run examples/l303-example-<number>.py FLAGS --outdir OUTDIR from the repository root.

    Returns its exit status and its result JSON (None if it failed). A new process each time:
    the benchmark and the backend timings measure what a student waits for, start-up included."""
    completed = subprocess.run(
        [sys.executable, f"examples/{script_name(number)}.py", *flags, "--outdir", str(outdir)],
        cwd=REPO, env=None if env is None else dict(os.environ, **env),
        stdout=output, stderr=subprocess.STDOUT)
    return with_result(completed.returncode, number, outdir)


def with_result(status, number, outdir):
    """(status, the result JSON it wrote), or (status, None) if the script failed."""
    if status != 0:
        return status, None
    return 0, json.loads((Path(outdir) / f"{script_name(number)}.json").read_text())


@contextlib.contextmanager
def output_to(log):
    """Everything written to stdout and stderr meanwhile goes to the file LOG, in the order it
    was written: Python's (sys.stdout, sys.stderr, whatever they are now) and TensorFlow's C++
    alike (file descriptors 1 and 2)."""
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


def run_example_here(number, flags, outdir, log):
    """run_example, but in this process (quick.run_as_main), its output to the file LOG.

    Returns its exit status and its result JSON (None if it failed). A script that raises is a
    failure like any other: its traceback goes to the log."""
    from quick import run_as_main

    with output_to(log):
        try:
            status = run_as_main(REPO / "examples" / f"{script_name(number)}.py",
                                 [*flags, "--outdir", str(outdir)])
        except Exception:  # noqa: BLE001  (KeyboardInterrupt passes: it stops the report)
            traceback.print_exc()
            status = 1
    return with_result(status, number, outdir)


def up_to_date(number, outdir, seed=None, variant=None):
    """The JSON exists, finished, and was made by this command and this code."""
    path = Path(outdir) / f"{script_name(number)}.json"
    if not path.is_file():
        return False
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError:
        return False
    script = REPO / "examples" / f"{script_name(number)}.py"
    return (not result.get("interrupted")
            and result.get("code_sha256") == l303_files.code_sha256(script)
            and result.get("command") == command_for(number, outdir, seed, variant))


def spread_folder(outdir, seed):
    """Where a seed's runs go; seed 1 (or None) is the reference run itself, in OUTDIR."""
    return Path(outdir) if seed in (None, 1) else Path(outdir) / "spread" / f"seed{seed}"


def job_name(number, seed, variant):
    return script_name(number) + (f" {variant}" if variant else "") + \
        ("" if seed in (None, 1) else f" seed {seed}")


def job_folder(outdir, seed, variant):
    folder = spread_folder(outdir, seed)
    return folder / variant if variant else folder


def job_seed(seed):
    """The seed a job's command names: none for the reference run (the scripts' default, 1)."""
    return None if seed in (None, 1) else seed


def reference_seconds(outdir, number, variant):
    """How long the reference run of this job took (its JSON), for the estimate of time left."""
    path = job_folder(outdir, None, variant) / f"{script_name(number)}.json"
    try:
        return json.loads(path.read_text())["wall_seconds"]
    except (OSError, ValueError, KeyError):
        return 60.0


def run_all(jobs, outdir, rerun, taken_folder=None, processes=1):
    """jobs: (number, seed, variant) triples; seed None is the reference run, variant a name of
    VARIANTS or None. Returns how many were run, how many failed, and the seconds it took.
    With TAKEN_FOLDER (shared by PROCESSES processes side by side, tools/quick.py's way) each job
    is run by the one process that takes it first."""
    started = time.perf_counter()
    import l303  # noqa: F401  (loads Keras once, quietly, for every script run here)
    from quick import taken

    os.chdir(REPO)  # the commands name the scripts and output folders from the repository root
    jobs = [(number, job_seed(seed), variant) for number, seed, variant in jobs]
    pending = {job: reference_seconds(outdir, job[0], job[2]) for job in jobs
               if rerun or not up_to_date(job[0], job_folder(outdir, job[1], job[2]), *job[1:])}
    ran = failed = 0
    done_seconds = done_expected = 0.0
    for index, job in enumerate(jobs, 1):
        number, seed, variant = job
        folder = job_folder(outdir, seed, variant)
        prefix = f"[{index:3d}/{len(jobs)}] {job_name(*job):40s}"
        if job not in pending:
            if taken_folder is None:
                print(f"{prefix} up to date, not rerun", flush=True)
            continue
        if not taken(str(index), taken_folder):
            continue
        if taken_folder is None:
            print(f"{prefix} running ...", end="", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f".{script_name(number)}.log"
        _, *flags, _, outdir_flag = command_for(number, folder, seed, variant)
        ran += 1
        job_started = time.perf_counter()
        status, result = run_example_here(number, flags, outdir_flag, log)
        done_seconds += time.perf_counter() - job_started
        done_expected += pending[job]
        if taken_folder is not None:  # processes side by side: one whole line each, when done
            print(prefix, end="", flush=False)
        if result is None:
            failed += 1
            print(f" FAILED (exit {status}); see {log}", flush=True)
            continue
        log.unlink()
        if seed is not None:  # a seed run: only its numbers count; the reference has the figure
            for figure in result["figures"]:
                (folder / figure).unlink(missing_ok=True)
        later = sum(pending[other] for other in jobs[index:] if other in pending)
        estimate = later * done_seconds / done_expected / processes
        print(f" {result['wall_seconds']:6.0f} s; about {estimate / 60:.0f} min left "
              f"(total {time.perf_counter() - started:.0f} s)", flush=True)
    return ran, failed, time.perf_counter() - started


def run_side_by_side(jobs_arguments, processes):
    """PROCESSES copies of this report, each taking the next job nobody has taken."""
    with tempfile.TemporaryDirectory(prefix="report-taken-") as taken_folder:
        workers = [subprocess.Popen([sys.executable, __file__, *jobs_arguments, "--jobs",
                                     str(processes), "--taken", taken_folder])
                   for _ in range(processes)]
        statuses = [worker.wait() for worker in workers]
    return max(statuses)


RUN_RECORD = "report-run.json"  # the length of the last run that made every result anew


def record_whole_run(outdir, runs, seconds):
    """Write <outdir>/report-run.json: how long `make report` took when it made every result."""
    any_result = next(iter(read_results(outdir).values()))
    record = {"runs": runs, "wall_seconds": round(seconds, 1),
              "finished": datetime.date.today().isoformat(), "machine": any_result["machine"],
              "backend": any_result["backend"]}
    l303_files.write_atomically(Path(outdir) / RUN_RECORD, lambda temporary: temporary.write_text(
        json.dumps(record, indent=1) + "\n"))


VARIANT_FIGURES = {"train-size-60000": "training-data-does-matter.png"}  # drawn by the report


def read_json(path):
    return json.loads(Path(path).read_text()) if Path(path).is_file() else None


def seed_runs(outdir, seed):
    """One seed's results: run name -> result JSON, the scripts by number, variants by name."""
    folder = spread_folder(outdir, seed)
    runs = {number: read_json(folder / f"{script_name(number)}.json") for number in SCRIPTS}
    runs.update({variant: read_json(folder / variant / f"{script_name(number)}.json")
                 for variant, (number, _, _) in VARIANTS.items()})
    return {name: result for name, result in runs.items() if result is not None}


def all_seed_runs(outdir):
    """seed -> that seed's results, for every seed that has any."""
    found = {seed: seed_runs(outdir, seed) for seed in PRINTED_SEEDS}
    return {seed: runs for seed, runs in found.items() if runs}


def effects_over_seeds(measure, needs, seeds):
    """seed -> the measure's value, for the seeds that have every run it needs."""
    return {seed: measure(runs) for seed, runs in seeds.items()
            if all(name in runs for name in needs)}


def judge_all(seeds):
    """claim name -> (seed -> effect, its Verdict); printed number -> (values, PrintedVerdict)."""
    comparisons = {}
    for claim in claims.COMPARISONS:
        effects = effects_over_seeds(claim.effect, claim.runs, seeds)
        comparisons[claim.name] = effects, claims.judge_comparison(claim, effects.values())
    printed = {}
    for number in claims.PRINTED:
        values = effects_over_seeds(lambda runs, n=number: n.measure(runs[n.script]),
                                    (number.script,), seeds)
        if values:
            printed[number] = values, claims.judge_printed(number, values.values())
    return comparisons, printed


def number_text(value, digits):
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def verdict_words(claim, verdict):
    """ "**holds** in 5 of 5 seeds: 0.029 ± 0.002 (95% CI 0.026 to 0.032)" """
    digits = claim.digits
    if verdict.status == "not judged":
        return f"not judged: {verdict.n} seed (run `make spread`)"
    return (f"**{verdict.status}**: the slide's way in {verdict.on_the_slides_side} of {verdict.n} "
            f"seeds; {number_text(verdict.mean, digits)} ± {number_text(verdict.sd, digits)} "
            f"(95% CI {number_text(verdict.low, digits)} to {number_text(verdict.high, digits)})")


def rule_of(claim):
    if claim.similar_within is not None:
        return f"similar: within ±{claim.similar_within:g}"
    return f"above {claim.threshold:g}" if claim.threshold else "above 0"


def comparison_table(comparisons):
    lines = ["| claim | slide | the slide's words | measure (the slide's way: positive) | rule | "
             "per seed | verdict |", "|---|---|---|---|---|---|---|"]
    for claim in claims.COMPARISONS:
        effects, verdict = comparisons[claim.name]
        per_seed = ", ".join(number_text(value, claim.digits) for value in effects.values())
        lines.append(f"| `{claim.name}` | {claim.slide} | \"{claim.words}\" | {claim.measure} | "
                     f"{rule_of(claim)} | {per_seed} | {verdict_words(claim, verdict)} |")
    return "\n".join(lines)


def reasons_list():
    return "\n".join(f"- `{claim.name}`: {claim.why}." for claim in claims.COMPARISONS)


def other_measures_table(seeds):
    lines = ["| claim | another measure | per seed | mean ± sd | positive in |", "|---|---|---|---|---|"]
    for claim in claims.COMPARISONS:
        for name, measure in claim.others.items():
            values = list(effects_over_seeds(measure, claim.runs, seeds).values())
            if not values:
                continue
            finite = [value for value in values if value == value]
            mean, sd = claims.mean_and_sd(finite) if len(finite) > 1 else (float("nan"),) * 2
            lines.append(f"| `{claim.name}` | {name} | "
                         f"{', '.join(number_text(value, claim.digits) for value in values)} | "
                         f"{number_text(mean, claim.digits)} ± {number_text(sd, claim.digits)} | "
                         f"{sum(value > 0 for value in finite)} of {len(values)} |")
    return "\n".join(lines)


def printed_table(printed):
    lines = ["| script | printed number | slide | ours: mean ± sd | min – max | n | 95% prediction "
             "interval for one run | the slide's value among ours | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for number, (values, verdict) in printed.items():
        digits = number.digits
        lines.append(
            f"| `l303-example-{number.script}` | {number.name} | {number.slide:g} | "
            f"{verdict.mean:.{digits}f} ± {verdict.sd:.{digits}f} | {min(values.values()):g} – "
            f"{max(values.values()):g} | {verdict.n} | {verdict.low:.{digits}f} to "
            f"{verdict.high:.{digits}f} | {verdict.rank_words(number.slide)} | "
            f"{'reproduced' if verdict.reproduced else '**not reproduced**'} |")
    return "\n".join(lines)


def plot_spread(comparisons, printed):
    """Per comparison, the effect of each seed as a dot around the zero line (the slide's side
    shaded); per printed number, our seeds as dots and the slide's value as a red line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    panels = [("comparison", claim, comparisons[claim.name]) for claim in claims.COMPARISONS] + \
        [("printed", number, found) for number, found in printed.items()]
    columns = 6
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.1 * columns, 2.5 * rows), squeeze=False)
    for axis, (kind, what, (values, verdict)) in zip(axes.flat, panels):
        seeds = list(values)
        if kind == "comparison":
            line = what.threshold if what.similar_within is None else 0.0
            axis.axhline(line, color="k", lw=1)
            axis.plot(seeds, list(values.values()), "o", color="C0", label="effect, one seed")
            low, high = axis.get_ylim()
            if what.similar_within is not None:
                axis.axhspan(-what.similar_within, what.similar_within, color="C2", alpha=0.15,
                             label="the slide's side")
                low, high = min(low, -1.2 * what.similar_within), max(high, 1.2 * what.similar_within)
            else:
                high = max(high, line + 0.1 * (high - low))
                axis.axhspan(line, high, color="C2", alpha=0.15, label="the slide's side")
            axis.set_ylim(low, high)
            axis.set_title(f"{what.name}: {verdict.status}", fontsize=9)
            axis.set_ylabel("effect", fontsize=8)
        else:
            axis.axhspan(verdict.low, verdict.high, color="C0", alpha=0.12,
                         label="95% prediction interval")
            axis.plot(seeds, list(values.values()), "o", color="C0", label="our seeds")
            axis.axhline(what.slide, color="C3", lw=2, label="the slide's number")
            axis.set_title(f"{what.script}: {what.name}", fontsize=9)
            axis.set_ylabel(what.name.split(" (")[0], fontsize=8)
        axis.set_xlabel("seed", fontsize=8)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.tick_params(labelsize=7)
        axis.ticklabel_format(axis="y", useOffset=False, style="plain")
    for axis in axes.flat[len(panels):]:
        axis.axis("off")
    handles = {}
    for axis in axes.flat[:len(panels)]:
        for handle, name in zip(*axis.get_legend_handles_labels()):
            handles.setdefault(name, handle)
    figure.legend(list(handles.values()), list(handles), loc="lower right", fontsize=9)
    figure.suptitle("Each claim's effect in each seed (above: positive is the slide's way), and "
                    "each printed number against our seeds")
    figure.tight_layout(rect=(0, 0.02, 1, 0.97))
    return figure


def plot_variant(outdir, variant):
    """A variant's run drawn against its script's reference run (compare.py's overlay), e.g. the
    60000-image run of 04 against the 10000-image one, training against validation."""
    import compare

    number, _, title = VARIANTS[variant]
    paths = [Path(outdir) / f"{script_name(number)}.json",
             Path(outdir) / variant / f"{script_name(number)}.json"]
    figure = compare.plot(compare.curves(paths, ["loss", "accuracy"]), title)
    l303_files.write_atomically(Path(outdir) / VARIANT_FIGURES[variant],
                                lambda temporary: figure.savefig(temporary, format="png", dpi=100))


def machine_line(results):
    """The machine, backend and versions of the reference runs; where runs were made on different
    processors (their wall times then do not compare), which runs were made on which."""
    any_result = next(iter(results.values()))
    versions = ", ".join(f"{k} {v}" for k, v in any_result["versions"].items())
    machines = {}
    for name, result in results.items():
        machines.setdefault(result.get("machine", "unknown"), []).append(name)
    where = next(iter(machines)) if len(machines) == 1 else "; ".join(
        f"{machine} for {', '.join(names)}" for machine, names in machines.items())
    return f"{where}; backend {any_result['backend']}; {versions}; seed {any_result['seed']}"


def read_results(outdir):
    """script number -> its reference result JSON in outdir, for the scripts that have one."""
    runs = seed_runs(outdir, 1)
    return {number: runs[number] for number in SCRIPTS if number in runs}


def whole_run_words(outdir, total):
    """The report's time: the last run that made every result, and the scripts' own times."""
    words = f"The scripts' own wall times add up to {total / 60:.1f} minutes."
    run = read_json(Path(outdir) / RUN_RECORD)
    if run is None:
        return words
    return (f"The last `make report` that made every result anew ({run['runs']} runs, one after "
            f"another in one process, {run['finished']}) took **{run['wall_seconds'] / 60:.1f} "
            f"minutes** from start to end. {words}")


def spread_run_words(outdir):
    record = read_json(Path(outdir) / SPREAD_RUN_RECORD)
    if record is None:
        return "No `make spread` has been timed here."
    runs = record["runs"]
    seconds = sum(run["wall_seconds"] for run in runs)
    made = sum(run["runs_made"] for run in runs)
    return (f"`make spread` made its {made} runs in **{seconds / 60:.0f} minutes** "
            f"({len(runs)} sitting{'s' if len(runs) > 1 else ''}, {runs[-1]['processes']} "
            f"processes side by side, last {runs[-1]['finished']}).")


def claims_of(run_name):
    """The comparisons that read this run (a script number or a variant name)."""
    return [claim for claim in claims.COMPARISONS if run_name in claim.runs[-1:]]


def reference_words(run_name, runs, comparisons, printed):
    """One line on a reference run: its printed numbers at seed 1 and its claims over seeds."""
    parts = [f"{number.name} {number.measure(runs[run_name]):.{number.digits}f}"
             for number in claims.PRINTED if number.script == run_name]
    for claim in claims_of(run_name):
        effects, verdict = comparisons[claim.name]
        parts.append(f"{claim.name}: {verdict.status} ({verdict.on_the_slides_side} of "
                     f"{verdict.n} seeds; seed 1: {number_text(effects.get(1), claim.digits)})")
    parts += reference_extras(run_name, runs[run_name])
    return "; ".join(parts)


def reference_extras(run_name, result):
    """What a reference run shows beyond its claims: the remarks judged on seed 1 only."""
    notes = result["notes"]
    if run_name == "01a":
        return [f"{notes['misclassified']} test digits wrongly tagged (slide: ~300), "
                f"{notes['tricks']['misclassified']} with the tricks"]
    if run_name == "03" and "binary_crossentropy_accuracy" in notes:
        comment = notes["binary_crossentropy_accuracy"]
        return [f"COMMENT: for sigmoid + binary cross-entropy Keras 3 reports \"accuracy\" "
                f"{comment['reported_as_accuracy']:.4f}, {comment['reported_is']}; the per-output "
                f"binary accuracy (Keras 2.1's) is {comment['binary_per_output']:.4f}"]
    return []


# Where each of the pictures (examples/l303-pictures.py) goes in the gallery, in the slides' order.
PICTURE_PLACES = {
    "l303-pictures.png": ("before", "02a"),  # THE CHOICE OF LOSS (I, II)
    "l303-pictures-regularization.png": ("before", "04a"),
    "l303-pictures-batch-normalization.png": ("before", "04d"),
    "l303-pictures-artificial-data-expanding.png": ("after", "05"),
    "l303-pictures-mini-batch-size.png": ("after", "06b"),
    "l303-pictures-activation-functions.png": ("before", "06d"),
    "l303-pictures-unstable-gradients.png": ("after", "07a"),
}


def gallery_order(reference):
    """The reference runs in the slides' order: each script, its variants after it, and each
    picture before or after the script of its slide ("pictures/<file>" names a picture); the
    pictures' own run ("pictures") last."""
    order = []
    for number in SCRIPTS:
        if number == PICTURES or number not in reference:
            continue
        places = {place: [f"{PICTURES}/{figure}" for figure, (where, after) in PICTURE_PLACES.items()
                          if (where, after) == (place, number) and PICTURES in reference
                          and figure in reference[PICTURES]["figures"]]
                  for place in ("before", "after")}
        order += places["before"] + [number]
        order += [variant for variant, (of, _, _) in VARIANTS.items()
                  if of == number and variant in reference]
        order += places["after"]
    if PICTURES in reference:
        order.append(PICTURES)
    return order


def stale_words(stale):
    if not stale:
        return " Every result was made by today's code."
    count = "1 result was" if len(stale) == 1 else f"{len(stale)} results were"
    return (f" **{count} made by older code** (run `make report` and `make spread`): "
            f"{', '.join(stale)}.")


def stale_runs(seeds):
    """The results made by other code than today's (the script or the shared modules changed since):
    `make report` and `make spread` would make them anew."""
    fingerprints = {number: l303_files.code_sha256(REPO / "examples" / f"{script_name(number)}.py")
                    for number in SCRIPTS}
    return [f"{name} seed {seed}" for seed, runs in seeds.items() for name, result in runs.items()
            if result.get("code_sha256") != fingerprints[VARIANTS[name][0] if name in VARIANTS
                                                          else name]]


def write_reports(outdir):
    seeds = all_seed_runs(outdir)
    results = read_results(outdir)
    if not results:
        raise SystemExit("error: no results to report; run the scripts first")
    comparisons, printed = judge_all(seeds)
    reference = seeds[1]
    rows, gallery = [], []
    total = 0.0
    for run_name in gallery_order(reference):
        result = reference[run_name.split("/")[0]]  # a picture's run is the pictures' run
        total += result["wall_seconds"]
        if run_name == PICTURES:
            rows.append(f"| `l303-pictures` | the slides' drawings | {len(result['figures'])} figures "
                        f"| {result['wall_seconds']:.0f} s |")
            continue
        if run_name.startswith(PICTURES + "/"):
            figure = run_name.split("/", 1)[1]
            title = result["notes"]["slides"][figure]
            gallery.append(f"## {title} — `l303-pictures`\n\n{result['notes']['captions'][title]}\n\n"
                           f"![{title}]({figure})\n")
            continue
        if run_name in VARIANTS:
            number, flags, title = VARIANTS[run_name]
            name = f"`l303-example-{number} {' '.join(flags)}`"
        else:
            title, name = result["slide"], f"`l303-example-{run_name}`"
        words = reference_words(run_name, reference, comparisons, printed)
        rows.append(f"| {name} | {title} | {words} | {result['wall_seconds']:.0f} s |")
        gallery.append(f"## {title} — {name}\n\n{words}.\n")
        figures = [VARIANT_FIGURES[run_name]] if run_name in VARIANT_FIGURES else \
            [] if run_name in VARIANTS else result["figures"]
        if run_name in VARIANT_FIGURES:
            plot_variant(outdir, run_name)
        gallery += [f"![{title}]({figure})\n" for figure in figures]
    figure = plot_spread(comparisons, printed)
    l303_files.write_atomically(Path(outdir) / "spread.png", lambda temporary: figure.savefig(
        temporary, format="png", dpi=100))
    comparison_seeds = sorted({seed for effects, _ in comparisons.values() for seed in effects})
    results_md = (
        "# Reproduction report\n\n"
        "Every slide's claim judged over seeds, by one rule, from the JSON files the scripts "
        "write; the measures, their reasons and the rule live in `tools/claims.py`, which the "
        "report, the seed spread and the lesson tests all use. Seed 1 is the reference run "
        "(`make report`, its figures are in the [gallery](README.md)); `make spread` runs the "
        f"other seeds: every comparison over seeds {COMPARISON_SEEDS[0]} to "
        f"{COMPARISON_SEEDS[-1]}, every printed number over seeds {PRINTED_SEEDS[0]} to "
        f"{PRINTED_SEEDS[-1]} (the comparisons between two printed-number scripts use all of "
        "those). Within a seed every arm of a comparison gets that seed.\n\n"
        f"**The rule.** For every comparison: {claims.RULE}. For every printed number: "
        f"{claims.PRINTED_RULE}.\n\n"
        f"{spread_run_words(outdir)} Seeds with results: {', '.join(map(str, comparison_seeds))}."
        f"{stale_words(stale_runs(seeds))}"
        "\n\n## The slides' claims over seeds\n\n"
        f"{comparison_table(comparisons)}\n\n"
        "Why each measure (chosen from the slide's words):\n\n"
        f"{reasons_list()}\n\n"
        "### Other measures of the same words\n\n"
        "Shown, not judged: where a word admits several measures, the verdict's is the one the "
        "slide's words pick (above).\n\n"
        f"{other_measures_table(seeds)}\n\n"
        "## The slides' printed numbers over seeds\n\n"
        f"{printed_table(printed)}\n\n![seed spread](spread.png)\n\n"
        "## The reference run (seed 1)\n\n"
        "| script | slide | seed 1, and the verdicts of its claims over seeds | wall time |\n"
        "|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"{whole_run_words(outdir, total)} Machine: {machine_line(reference)}.\n")
    gallery_md = (
        "# Gallery: the figures the scripts draw, regenerated\n\n"
        "Made by `make report` at seed 1 (see [RESULTS.md](RESULTS.md) for the verdicts over "
        "seeds). Each figure sits under its slide's title with its one-line result.\n\n"
        + "\n".join(gallery))
    for filename, text in (("RESULTS.md", results_md), ("README.md", gallery_md)):
        l303_files.write_atomically(Path(outdir) / filename,
                                    lambda temporary: temporary.write_text(text))
    print(f"Wrote {Path(outdir) / 'RESULTS.md'} and {Path(outdir) / 'README.md'}")


SPREAD_RUN_RECORD = "spread-run.json"  # how long each `make spread` took, added up


def spread_jobs(outdir):
    """Every run of the seed spread: each comparison script, its variants and each printed-number
    script for seeds 2 to 5; the printed-number scripts alone for seeds 6 to 20. Within a seed,
    the longest first, so that two processes side by side finish together."""
    jobs = []
    for seed in PRINTED_SEEDS[1:]:
        numbers = [number for number in SCRIPTS if number != PICTURES] \
            if seed in COMPARISON_SEEDS else PRINTED_SCRIPTS
        seed_jobs = [(number, seed, None) for number in numbers]
        if seed in COMPARISON_SEEDS:
            seed_jobs += [(number, seed, variant) for variant, (number, _, _) in VARIANTS.items()]
        jobs += sorted(seed_jobs, key=lambda job: -reference_seconds(outdir, job[0], job[2]))
    return jobs


def record_spread_run(outdir, runs, seconds, processes):
    """Add this `make spread` to <outdir>/spread-run.json: a spread resumed three times took the
    sum of its three runs."""
    path = Path(outdir) / SPREAD_RUN_RECORD
    record = json.loads(path.read_text()) if path.is_file() else {"runs": []}
    record["runs"].append({"runs_made": runs, "wall_seconds": round(seconds, 1),
                           "processes": processes, "finished": datetime.date.today().isoformat()})
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
    parser.add_argument("--jobs", type=int, default=2,
                        help="--spread: processes side by side (default: 2, which does 1.5 times "
                             "the work of one on 2 cores)")
    parser.add_argument("--write-only", action="store_true",
                        help="write RESULTS.md and README.md from the JSON files, run nothing")
    parser.add_argument("--taken", type=Path, help=argparse.SUPPRESS)  # one of the processes
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    if args.spread:
        jobs = spread_jobs(args.outdir)
    else:
        jobs = [(number, None, None) for number in args.only or list(SCRIPTS)]
        jobs += [(number, None, variant) for variant, (number, _, _) in VARIANTS.items()
                 if number in (args.only or list(SCRIPTS))]
    if args.taken is not None:  # one of the processes side by side: run, nothing else
        try:
            ran, failed, seconds = run_all(jobs, args.outdir, args.rerun, args.taken, args.jobs)
        except KeyboardInterrupt:
            sys.exit(130)
        sys.exit(1 if failed else 0)
    failed = 0
    if not args.write_only:
        started = time.perf_counter()
        try:
            if args.spread and args.jobs > 1:
                arguments = ["--spread", "--outdir", str(args.outdir)] + \
                    (["--rerun"] if args.rerun else [])
                before = sum(up_to_date(n, job_folder(args.outdir, s, v), job_seed(s), v)
                             for n, s, v in jobs)
                failed = run_side_by_side(arguments, args.jobs)
                after = sum(up_to_date(n, job_folder(args.outdir, s, v), job_seed(s), v)
                            for n, s, v in jobs)
                ran, seconds = after - before, time.perf_counter() - started
            else:
                ran, failed, seconds = run_all(jobs, args.outdir, args.rerun)
        except KeyboardInterrupt:
            print("\nInterrupted: the scripts finished so far are kept; run again to resume.")
            sys.exit(130)
        print(f"report: {ran} of {len(jobs)} runs made in {seconds / 60:.1f} minutes"
              + ("; some FAILED (see above)" if failed else ""), flush=True)
        if args.spread and ran:
            record_spread_run(args.outdir, ran, seconds, args.jobs)
        if ran == len(jobs) and not failed and not args.only and not args.spread:
            record_whole_run(args.outdir, ran, seconds)
    write_reports(args.outdir)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
