"""What make report and make spread run, and where each result lives: every script's reference
command (seed 1, in <outdir>), the variants some slides add (<outdir>/<variant>/), the seeds of
the spread (<outdir>/spread/seedN/), and reading the JSON files back."""

import json
from pathlib import Path
from typing import NamedTuple

import claims  # which scripts print numbers
import record  # the records, read as today's schema
import l303_files  # code_sha256; it does not load Keras
from l303_files import REPO
from runner import EXAMPLES, PICTURES, script_name, script_path


class Variant(NamedTuple):
    """A run of a script at other settings that a slide needs beside the reference run."""
    script: str
    flags: list
    slide: str


# A slide's printed number against 20 of our runs; a comparison's effect in each of 5 seeds.
# Seed 1 is the reference run (make report); make spread runs the others.
PRINTED_SEEDS = tuple(range(1, 21))
COMPARISON_SEEDS = tuple(range(1, 6))


# The extra flags of a script's reference run: the slide's remarks that need another model (01a's
# INTERMISSION, 03's COMMENT, 06e's PReLU) and Practice 02's rotated test set for the CNNs.
REFERENCE_FLAGS = {"01a": ["--tricks"], "03": ["--binary"], "06e": ["--prelu"],
                   "08": ["--rotate-test", "30"], "08a": ["--rotate-test", "30"]}
# script -> the flags of its reference run: every script in examples/, in the slides' order, and
# the pictures.
SCRIPTS = {number: REFERENCE_FLAGS.get(number, []) for number in sorted(
    path.stem.removeprefix("l303-example-") for path in EXAMPLES.glob("l303-example-*.py"))}
SCRIPTS[PICTURES] = []


PRINTED_SCRIPTS = sorted({number.script for number in claims.PRINTED})


# name -> Variant. Each goes to <outdir>/<name>/; its verdict (tools/claims.py) sets it against the
# script's reference run of the same seed.
VARIANTS = {
    "train-size-60000": Variant("04", ["--train-size", "60000"], "TRAINING DATA DOES MATTER"),
    "practice-01-l1": Variant("04a", ["--regularizer", "l1"],
                              "HANDS-ON SESSION (Practice 01, Trial #1): L1"),
    "practice-01-kernel-3": Variant("08", ["--kernel-size", "3", "--rotate-test", "30"],
                                    "HANDS-ON SESSION (Practice 01, Trial #2): 3x3 kernels"),
    "practice-01-kernel-7": Variant("08", ["--kernel-size", "7", "--rotate-test", "30"],
                                    "HANDS-ON SESSION (Practice 01, Trial #2): 7x7 kernels"),
    "no-dropout": Variant("08a", ["--dropout", "0", "--rotate-test", "30"],
                          "BATCH NORMALIZATION (II): no dropout beside it"),
}


# name -> Variant: a run the README shows and make report makes, not judged and not repeated
# over seeds: a student's edit (the constant's own "try 0.5"), its figure drawn against the
# reference band of the slide's settings.
README_RUNS = {
    "student-run": Variant("04b", ["--dropout", "0.5"],
                           "A student's run against the reference band"),
}


RUN_RECORD = "report-run.json"  # the length of the last run that made every result anew
SPREAD_RUN_RECORD = "spread-run.json"  # how long each `make spread` took, added up


def command_for(number, outdir, seed=None, variant=None):
    """The command, from the repository root (an outdir inside it given relative to it, so that
    results do not depend on where it is cloned). A seed run is the reference command with --seed
    N; the printed-number scripts run their plain settings there."""
    if variant:
        extra = (VARIANTS | README_RUNS)[variant].flags
    elif seed is not None and number in PRINTED_SCRIPTS:
        extra = []
    else:
        extra = SCRIPTS[number]
    outdir = Path(outdir).resolve()
    if outdir.is_relative_to(REPO):
        outdir = outdir.relative_to(REPO)
    seed_flags = [] if seed is None else ["--seed", str(seed)]
    return [f"examples/{script_name(number)}.py", *extra, *seed_flags, "--outdir", str(outdir)]


def up_to_date(number, outdir, seed=None, variant=None):
    """The JSON exists, finished, and was made by this command and this code."""
    path = Path(outdir) / f"{script_name(number)}.json"
    if not path.is_file():
        return False
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError:
        return False
    return (not result.get("interrupted")
            and result.get("code_sha256") == l303_files.code_sha256(script_path(number))
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


def reference_seconds(outdir, number, variant):
    """How long the reference run of this job took (its JSON), for the estimate of time left."""
    path = job_folder(outdir, None, variant) / f"{script_name(number)}.json"
    try:
        return json.loads(path.read_text())["wall_seconds"]
    except (OSError, ValueError, KeyError):
        return 60.0


def spread_jobs(outdir):
    """Every run of the spread: each comparison script and variant and each printed-number script
    for seeds 2 to 5, the printed-number scripts alone for 6 to 20; the longest first in a seed."""
    jobs = []
    for seed in PRINTED_SEEDS[1:]:
        numbers = [number for number in SCRIPTS if number != PICTURES] \
            if seed in COMPARISON_SEEDS else PRINTED_SCRIPTS
        seed_jobs = [(number, seed, None) for number in numbers]
        if seed in COMPARISON_SEEDS:
            seed_jobs += [(number, seed, variant) for variant, (number, _, _) in VARIANTS.items()]
        jobs += sorted(seed_jobs, key=lambda job: -reference_seconds(outdir, job[0], job[2]))
    return jobs


def seed_runs(outdir, seed):
    """One seed's results: run name -> result JSON, the scripts by number, variants by name."""
    folder = spread_folder(outdir, seed)
    runs = {number: record.read(folder / f"{script_name(number)}.json") for number in SCRIPTS}
    runs.update({variant: record.read(folder / variant / f"{script_name(number)}.json")
                 for variant, (number, _, _) in VARIANTS.items()})
    return {name: result for name, result in runs.items() if result is not None}


def all_seed_runs(outdir):
    """seed -> that seed's results, for every seed that has any."""
    found = {seed: seed_runs(outdir, seed) for seed in PRINTED_SEEDS}
    return {seed: runs for seed, runs in found.items() if runs}


def read_results(outdir):
    """script number -> its reference result JSON in outdir, for the scripts that have one."""
    runs = seed_runs(outdir, 1)
    return {number: runs[number] for number in SCRIPTS if number in runs}
