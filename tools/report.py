"""make report: run every script at the slide's settings and check the slides' claims in the results.

    python tools/report.py            # runs what is missing or out of date, then writes the report
    python tools/report.py --rerun    # runs everything again
    python tools/report.py --only 04a 04b
    python tools/report.py --spread   # make spread: the slides' printed numbers over 5 seeds

A slide's printed number is one run of one seed. --spread runs the slides that print numbers (01,
03, 04c, 07) again with seeds 2 to 5 (seed 1 is the reference run) into <outdir>/spread/, and
every printed number is judged by one rule (SPREAD_RULE).

Some slides need a second run of a script at other settings (VARIANTS: TRAINING DATA DOES MATTER
is 04 with all 60000 training images); those go to <outdir>/<variant>/ and get their own row and
figure.

One script at a time, with a progress line each, all in this one process (as tools/quick.py does:
Python and TensorFlow start once, not 25 times; each script still runs as `python SCRIPT ARGS`
would, and its output goes to a log that is kept only if it fails). One at a time, so that each
script's wall time is what it takes alone on the machine. A script whose JSON in the output folder
was made by the same command and the same code (the script and the shared modules) is not run
again. A run that made every result anew records its own length in <outdir>/report-run.json.
Then it writes <outdir>/RESULTS.md (slide numbers, ours, a verdict computed from the JSON, wall
time, the machine) and <outdir>/README.md (the gallery: every figure under its slide title).
"""

import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

import l303_files  # code_sha256, write_atomically; it does not load Keras


def history(result, label, key):
    return result["histories"][label][key]


def first_epoch(values, threshold):
    """The first epoch (1-based) whose value reaches threshold, or None."""
    return next((epoch for epoch, value in enumerate(values, 1) if value >= threshold), None)


# A slide's printed number against our seeds: one rule for every script.
SPREAD_SEEDS = (1, 2, 3, 4, 5)
SPREAD_RULE = ("a slide's printed number is reproduced when it lies within our seeds' mean "
               "± 2 standard deviations (seeds 1 to 5, the slide's settings)")
SLIDE_NUMBERS = {  # script -> the numbers its slide printed
    "01": {"training accuracy": 0.97785, "test accuracy": 0.96620},
    "03": {"training accuracy": 0.98613, "test accuracy": 0.96350},
    "04c": {"stopping epoch": 21, "test accuracy": 0.93480},
    "07": {"training accuracy": 0.99987, "test accuracy": 0.98490},
}


def printed_number(result, name):
    if name == "stopping epoch":
        return result["notes"]["stopped_after_epochs"]
    return scores(result, part="training" if name.startswith("training") else "testing")["accuracy"]


def spread_of(values, slide):
    """Mean, standard deviation, range of our seeds' values, and whether the slide is inside."""
    values = [float(value) for value in values]
    mean = sum(values) / len(values)
    sd = (sum((value - mean) ** 2 for value in values) / (len(values) - 1)) ** 0.5
    return {"values": values, "mean": mean, "sd": sd, "min": min(values), "max": max(values),
            "slide": slide, "holds": abs(slide - mean) <= 2 * sd}


def spread_verdict(number, result, spread):
    """The verdict of a slide that printed numbers: each of them against our seed spread."""
    found = (spread or {}).get(number)
    ours = ", ".join(f"{name} {printed_number(result, name):.5g}" for name in SLIDE_NUMBERS[number])
    if not found:
        return False, f"{ours}; not judged: no seed spread (run `make spread`)"
    words = [f"{name} {'within' if stats['holds'] else '**outside**'} our "
             f"{stats['mean']:.4g} ± 2×{stats['sd']:.2g}" for name, stats in found.items()]
    return all(stats["holds"] for stats in found.values()), f"{ours}; slide's " + "; ".join(words)


def scores(result, label=None, part="testing"):
    label = label or next(iter(result["results"]))
    return result["results"][label][part]


# Each verdict takes the result JSON and returns (holds, one line in words).

def verdict_01(result, spread=None, results=None):
    return spread_verdict("01", result, spread)


def verdict_01a(result, spread=None, results=None):
    """~300 digits wrong; INTERMISSION: the lecture's tricks so far leave fewer of them wrong."""
    wrong = result["notes"]["misclassified"]
    holds, words = 200 <= wrong <= 450, f"{wrong} test digits misclassified (slide: ~300)"
    tricks = result["notes"].get("tricks")
    if tricks is None:
        return False, f"{words}; INTERMISSION not run (--tricks)"
    return holds and tricks["misclassified"] < wrong, (
        f"{words}; INTERMISSION: {tricks['misclassified']} with softmax + cross-entropy, rotated "
        f"copies and early stopping (after {tricks['epochs_trained']} epochs)")


def verdict_02(result, spread=None, results=None):
    """The bad start sits on a plateau, then learns; the different start falls from epoch 1."""
    bad, different = list(result["histories"])[:2]
    loss = history(result, bad, "loss")
    other = history(result, different, "loss")
    holds = loss[9] > 0.95 * loss[0] and loss[-1] < 0.1 * loss[0] and other[9] < 0.5 * other[0]
    return holds, f"MSE loss from {bad}: {loss[0]:.3f} at epoch 1, still {loss[9]:.3f} at epoch " \
                  f"10, {loss[-1]:.4f} at epoch {len(loss)}; from {different}: {other[0]:.3f} at " \
                  f"epoch 1, {other[9]:.4f} at epoch 10"


def verdict_02a(result, spread=None, results=None):
    halve = result["notes"]["epochs_to_halve"]
    ce, mse = halve["binary_crossentropy"], halve["mean_squared_error"]
    holds = ce is not None and (mse is None or mse >= 5 * ce)
    return holds, f"loss halved after {ce} epochs with cross-entropy, {mse or '>100'} with MSE"


def verdict_03(result, spread=None, results=None):
    notes = result["notes"]
    share = notes["second_choice_right"] / notes["misclassified"]
    holds, words = spread_verdict("03", result, spread)
    words = f"{words}; the second choice is right for {share:.0%} of the misclassified digits"
    comment = notes.get("binary_crossentropy_accuracy")
    if comment is None:
        return False, f"{words}; COMMENT not run (--binary)"
    return holds, (f"{words}; COMMENT: for sigmoid + binary cross-entropy Keras 3 reports "
                   f"\"accuracy\" {comment['reported_as_accuracy']:.4f}, {comment['reported_is']}; "
                   f"the per-output binary accuracy (Keras 2.1's) is "
                   f"{comment['binary_per_output']:.4f}")


def overtraining(result, label):
    return result["notes"]["overtraining"][label]


def verdict_04(result, spread=None, results=None):
    label = next(iter(result["histories"]))
    summary = overtraining(result, label)
    holds = summary["final_validation_loss"] > 1.03 * summary["min_validation_loss"]
    return holds, f"validation loss lowest {summary['min_validation_loss']:.3f} at epoch " \
                  f"{summary['best_validation_epoch']}, {summary['final_validation_loss']:.3f} " \
                  f"at the end, while the training loss keeps falling"


def gap_verdict(result, reference, remedy):
    before = overtraining(result, reference)["accuracy_gap"]
    after = overtraining(result, remedy)["accuracy_gap"]
    return after < before, f"train-test accuracy gap {after:.3f} with {remedy}, {before:.3f} " \
                           f"with {reference}"


def verdict_remedy(result, spread=None, results=None):
    """04a and 04b: the remedy (second model) narrows the gap of the reference (first model)."""
    reference, remedy = list(result["histories"])
    return gap_verdict(result, reference, remedy)


def verdict_04c(result, spread=None, results=None):
    """The slide's claim: training stops early. Its printed numbers: judged by the spread."""
    stopped = result["notes"]["stopped_after_epochs"]
    maximum = result["settings"]["epochs"]
    holds, words = spread_verdict("04c", result, spread)
    return stopped < maximum and holds, f"stopped after {stopped} of {maximum} epochs; {words}"


def verdict_04d(result, spread=None, results=None):
    """The slide's claim: "mild improvement on the overtraining" (the gap at the end)."""
    plain, normalized = list(result["histories"])
    holds, words = gap_verdict(result, plain, normalized)
    fast = first_epoch(history(result, normalized, "val_accuracy"), 0.9)
    slow = first_epoch(history(result, plain, "val_accuracy"), 0.9)
    return holds, f"{words}; 90% validation accuracy in epoch {fast} with, {slow} without"


def verdict_05(result, spread=None, results=None):
    """The slide's claim: a positive effect against overtraining, at the end of the run."""
    original, expanded = list(result["histories"])
    holds, words = gap_verdict(result, original, expanded)
    before = overtraining(result, original)["min_validation_loss"]
    after = overtraining(result, expanded)["min_validation_loss"]
    return holds, f"{words}; lowest validation loss {after:.3f} with, {before:.3f} without"


def verdict_06(result, spread=None, results=None):
    final = {label: history(result, label, "loss")[-1] for label in result["histories"]}
    diverged = result["notes"].get("diverged_at_epoch", {})
    slow, good, large = list(result["histories"])
    accuracy = {label: scores(result, label, "training")["accuracy"] for label in final}
    large_bad = large in diverged or (accuracy[large] or 0) < accuracy[good] - 0.1
    holds = final[good] < final[slow] and large_bad
    words = f"diverged in epoch {diverged[large]}" if large in diverged else \
        f"erratic, training accuracy {accuracy[large]:.3f}"
    return holds, f"final training loss {final[slow]:.3f} ({slow}), {final[good]:.3f} ({good}); " \
                  f"{large}: {words}"


def verdict_06a(result, spread=None, results=None):
    plain, momentum = list(result["histories"])
    before, after = history(result, plain, "loss")[9], history(result, momentum, "loss")[9]
    return after < before, f"training loss at epoch 10: {after:.3f} with {momentum}, " \
                           f"{before:.3f} without"


def verdict_06b(result, spread=None, results=None):
    labels = list(result["histories"])
    at_5 = {label: history(result, label, "loss")[4] for label in labels}
    holds = at_5[labels[0]] < at_5[labels[-1]]
    return holds, "training loss at epoch 5: " + ", ".join(
        f"{value:.3f} ({label})" for label, value in at_5.items())


def verdict_06c(result, spread=None, results=None):
    tests = {label: scores(result, label)["accuracy"] for label in result["histories"]}
    sgd = next(label for label in tests if label.startswith("SGD"))
    holds = all(value > 0.85 for value in tests.values()) and tests[sgd] >= max(tests.values()) - 0.01
    return holds, "test accuracy " + ", ".join(f"{value:.4f} ({label})"
                                               for label, value in tests.items())


def verdict_06d(result, spread=None, results=None):
    sigmoid, relu = list(result["histories"])
    before, after = scores(result, sigmoid)["accuracy"], scores(result, relu)["accuracy"]
    return after > before, f"test accuracy {after:.4f} with ReLU, {before:.4f} with sigmoid"


def verdict_06e(result, spread=None, results=None):
    relu, leaky = list(result["histories"])
    a, b = scores(result, relu)["accuracy"], scores(result, leaky)["accuracy"]
    return abs(a - b) < 0.005, f"test accuracy {b:.4f} with Leaky ReLU, {a:.4f} with ReLU: similar"


def verdict_07(result, spread=None, results=None):
    holds, words = spread_verdict("07", result, spread)
    parameters = result["notes"]["parameters"]
    return holds and parameters == 669706, f"{words}; {parameters:,} parameters (slide: 669,706)"


def verdict_07a(result, spread=None, results=None):
    reached = result["notes"]["epoch_reaching_90_percent"]
    epochs = [value if value is not None else float("inf") for value in reached.values()]
    holds = epochs == sorted(epochs) and epochs[0] < epochs[-1] < float("inf")
    words = "90% validation accuracy in epoch " + ", ".join(
        f"{value if value is not None else 'never'} ({label.split()[0]})"
        for label, value in reached.items())
    gradients = result["notes"]["gradients"]
    ratio = {activation: gradients[activation]["at initialisation"]
             ["first_to_last_hidden_bias_ratio"] for activation in ("sigmoid", "relu")}
    return holds and ratio["sigmoid"] < 0.01 * ratio["relu"], (
        f"{words}; |dL/db| first / last hidden layer at initialisation, 8 layers: "
        f"{ratio['sigmoid']:.1e} with sigmoid, {ratio['relu']:.2f} with ReLU (the slide: < 0.0156 "
        f"over 3 layers, 0.25^7 = 6e-5 over 7)")


def rotated_words(result):
    rotated = [(part, value) for part, value in scores_all(result).items() if "rotated" in part]
    return "; ".join(f"{part}: {value['accuracy']:.4f}" for part, value in rotated)


def scores_all(result):
    return next(iter(result["results"].values()))


def rotated_accuracy(result):
    return next(value["accuracy"] for part, value in scores_all(result).items() if "rotated" in part)


def verdict_08(result, spread=None, results=None):
    test = scores(result)["accuracy"]
    return test >= 0.99, f"test {test:.4f} (goal 0.99); {rotated_words(result)}"


def verdict_08a(result, spread=None, results=None):
    """Goal: test accuracy 0.994, and better than 08 on the rotated test digits."""
    test = scores(result)["accuracy"]
    words = f"test {test:.4f} (goal 0.994); {rotated_words(result)}"
    if not results or "08" not in results:
        return False, f"{words}; not judged against 08 (no result of 08)"
    rotated, rotated_08 = rotated_accuracy(result), rotated_accuracy(results["08"])
    return test >= 0.994 and rotated > rotated_08, f"{words} against 08's {rotated_08:.4f}"


# script -> (the slide's printed numbers, extra arguments, verdict); titles come from the
# scripts themselves (their docstring's first line, recorded in the JSON as "slide").
SCRIPTS = {
    "01": ("train 0.97785, test 0.96620", [], verdict_01),
    "01a": ("~300 wrong; INTERMISSION: (a task)", ["--tricks"], verdict_01a),
    "02": ("(two plots)", [], verdict_02),
    "02a": ("(plot)", [], verdict_02a),
    "03": ("train 0.98613, test 0.96350; COMMENT: (a remark)", ["--binary"], verdict_03),
    "04": ("(plot)", [], verdict_04),
    "04a": ("(plot)", [], verdict_remedy),
    "04b": ("(plot)", [], verdict_remedy),
    "04c": ("stopped after 21; test 0.93480", [], verdict_04c),
    "04d": ("(plot)", [], verdict_04d),
    "05": ("(plot)", [], verdict_05),
    "06": ("(plot)", [], verdict_06),
    "06a": ("(plot)", [], verdict_06a),
    "06b": ("(plot)", [], verdict_06b),
    "06c": ("(plot)", [], verdict_06c),
    "06d": ("(plot)", [], verdict_06d),
    "06e": ("(plot)", [], verdict_06e),
    "07": ("train 0.99987, test 0.98490", [], verdict_07),
    "07a": ("(plots); WHY IT IS DIFFICULT...: dL/db1 < 0.0156 dL/db4", [], verdict_07a),
    "08": ("(not shown)", ["--rotate-test", "30"], verdict_08),
    "08a": ("(not shown)", ["--rotate-test", "30"], verdict_08a),
}

# Runs of a script at other settings that a slide needs beside the reference run:
# name -> (script, extra flags, the slide it answers). Each goes to <outdir>/<name>/; its verdict
# (VARIANT_VERDICTS) sets it against the script's reference run.
VARIANTS = {
    "train-size-60000": ("04", ["--train-size", "60000"], "TRAINING DATA DOES MATTER"),
    "practice-01-l1": ("04a", ["--regularizer", "l1"], "HANDS-ON Practice 01, Trial #1 (L1)"),
    "practice-01-kernel-3": ("08", ["--kernel-size", "3", "--rotate-test", "30"],
                             "HANDS-ON Practice 01, Trial #2 (3x3 kernels)"),
    "practice-01-kernel-7": ("08", ["--kernel-size", "7", "--rotate-test", "30"],
                             "HANDS-ON Practice 01, Trial #2 (7x7 kernels)"),
}


def command_for(number, outdir, seed=None, variant=None):
    """The command, run from the repository root; an outdir inside the repository is given relative
    to it, so the results (and whether they are up to date) do not depend on where it is cloned.
    The seed spread runs the slide's plain settings (no extra flags): only its numbers count."""
    extra = VARIANTS[variant][1] if variant else [] if seed is not None else SCRIPTS[number][1]
    outdir = Path(outdir).resolve()
    if outdir.is_relative_to(REPO):
        outdir = outdir.relative_to(REPO)
    seed_flags = [] if seed is None else ["--seed", str(seed)]
    return [f"examples/l303-example-{number}.py", *extra, *seed_flags, "--outdir", str(outdir)]


def run_example(number, flags, outdir, env=None, output=subprocess.DEVNULL):
    """Run examples/l303-example-<number>.py FLAGS --outdir OUTDIR from the repository root.

    Returns its exit status and its result JSON (None if it failed). A new process each time:
    the benchmark and the backend timings measure what a student waits for, start-up included."""
    completed = subprocess.run(
        [sys.executable, f"examples/l303-example-{number}.py", *flags, "--outdir", str(outdir)],
        cwd=REPO, env=None if env is None else dict(os.environ, **env),
        stdout=output, stderr=subprocess.STDOUT)
    return with_result(completed.returncode, number, outdir)


def with_result(status, number, outdir):
    """(status, the result JSON it wrote), or (status, None) if the script failed."""
    if status != 0:
        return status, None
    return 0, json.loads((Path(outdir) / f"l303-example-{number}.json").read_text())


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
            status = run_as_main(REPO / "examples" / f"l303-example-{number}.py",
                                 [*flags, "--outdir", str(outdir)])
        except Exception:  # noqa: BLE001  (KeyboardInterrupt passes: it stops the report)
            traceback.print_exc()
            status = 1
    return with_result(status, number, outdir)


def up_to_date(number, outdir, seed=None, variant=None):
    """The JSON exists, finished, and was made by this command and this code."""
    path = Path(outdir) / f"l303-example-{number}.json"
    if not path.is_file():
        return False
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError:
        return False
    script = REPO / "examples" / f"l303-example-{number}.py"
    return (not result.get("interrupted")
            and result.get("code_sha256") == l303_files.code_sha256(script)
            and result.get("command") == command_for(number, outdir, seed, variant))


def spread_folder(outdir, seed):
    """Where the seed spread's runs go; seed 1 is the reference run itself."""
    return Path(outdir) if seed == SPREAD_SEEDS[0] else Path(outdir) / "spread" / f"seed{seed}"


def run_all(jobs, outdir, rerun):
    """jobs: (number, seed, variant) triples; seed None is the script's default, variant a name
    of VARIANTS or None. Returns how many were run, how many failed, and the seconds it took."""
    started = time.perf_counter()
    import l303  # noqa: F401  (loads Keras once, quietly, for every script run here)

    os.chdir(REPO)  # the commands name the scripts and output folders from the repository root
    ran = failed = 0
    for index, (number, seed, variant) in enumerate(jobs, 1):
        name = f"l303-example-{number}" + ("" if seed is None else f" seed {seed}") + \
            (f" {variant}" if variant else "")
        folder = Path(outdir) / variant if variant else \
            Path(outdir) if seed is None else spread_folder(outdir, seed)
        seed = None if folder == Path(outdir) else seed
        prefix = f"[{index:2d}/{len(jobs)}] {name:26s}"
        if not rerun and up_to_date(number, folder, seed, variant):
            print(f"{prefix} up to date, not rerun", flush=True)
            continue
        print(f"{prefix} running ...", end="", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f".l303-example-{number}.log"
        _, *flags, _, outdir_flag = command_for(number, folder, seed, variant)
        ran += 1
        status, result = run_example_here(number, flags, outdir_flag, log)
        if result is None:
            failed += 1
            print(f" FAILED (exit {status}); see {log}", flush=True)
            continue
        log.unlink()
        if folder != Path(outdir):  # only the numbers matter; the reference run has the figure
            for figure in result["figures"]:
                (folder / figure).unlink(missing_ok=True)
        if variant:
            holds, words = VARIANT_VERDICTS[variant](read_results(outdir).get(number), result)
            words = f"{'holds' if holds else 'DOES NOT HOLD'}: {words}"
        elif seed is None:
            holds, words = SCRIPTS[number][2](result, load_spread(outdir), read_results(outdir))
            words = f"{'holds' if holds else 'DOES NOT HOLD'}: {words}"
        else:
            words = ", ".join(f"{name} {printed_number(result, name):.5g}"
                              for name in SLIDE_NUMBERS[number])
        print(f" {result['wall_seconds']:6.0f} s  {words}  "
              f"(total {time.perf_counter() - started:.0f} s)", flush=True)
    return ran, failed, time.perf_counter() - started


RUN_RECORD = "report-run.json"  # the length of the last run that made every result anew


def record_whole_run(outdir, runs, seconds):
    """Write <outdir>/report-run.json: how long `make report` took when it made every result."""
    any_result = next(iter(read_results(outdir).values()))
    record = {"runs": runs, "wall_seconds": round(seconds, 1),
              "finished": datetime.date.today().isoformat(), "machine": any_result["machine"],
              "backend": any_result["backend"]}
    l303_files.write_atomically(Path(outdir) / RUN_RECORD, lambda temporary: temporary.write_text(
        json.dumps(record, indent=1) + "\n"))


def verdict_training_data(small, large):
    """TRAINING DATA DOES MATTER: with the full training set the overtraining is mitigated."""
    if small is None:
        return False, "not judged: no result of 04 (10000 images)"
    small_label, large_label = next(iter(small["histories"])), next(iter(large["histories"]))
    before = overtraining(small, small_label)["accuracy_gap"]
    after = overtraining(large, large_label)["accuracy_gap"]
    rise_before = overtraining(small, small_label)["final_validation_loss"] / \
        overtraining(small, small_label)["min_validation_loss"] - 1
    rise_after = overtraining(large, large_label)["final_validation_loss"] / \
        overtraining(large, large_label)["min_validation_loss"] - 1
    test = scores(large)["accuracy"]
    # Judged like every remedy of the overtraining block (04a, 04b, 05): by the gap at the end.
    return after < before, (
        f"train-test accuracy gap {after:.3f} with 60000 images, {before:.3f} with 10000; the "
        f"validation loss ends {rise_after:.0%} above its lowest, against {rise_before:.0%} "
        f"(from a far lower minimum, {overtraining(large, large_label)['min_validation_loss']:.3f} "
        f"against {overtraining(small, small_label)['min_validation_loss']:.3f}); "
        f"test accuracy {test:.5f}")


def verdict_l1(reference, result):
    """Practice 01, Trial #1: L1 instead of L2 on the output weights; does it also reduce the
    overtraining against no regularization (the reference run's first model)?"""
    if reference is None:
        return False, "not judged: no result of 04a"
    plain = next(iter(reference["histories"]))
    penalized = list(result["histories"])[1]
    before = overtraining(reference, plain)["accuracy_gap"]
    after = overtraining(result, penalized)["accuracy_gap"]
    l2 = list(reference["histories"])[1]
    return after < before, (
        f"train-test accuracy gap {after:.3f} with {penalized}, "
        f"{overtraining(reference, l2)['accuracy_gap']:.3f} with {l2}, {before:.3f} with none; "
        f"test {scores(result, penalized)['accuracy']:.4f} against "
        f"{scores(reference, l2)['accuracy']:.4f} (L2)")


def verdict_kernel(reference, result):
    """Practice 01, Trial #2: another kernel size; the CNN's goal (0.99) with it too?"""
    test = scores(result)["accuracy"]
    words = f"test {test:.4f}, {rotated_words(result)}; {result['notes']['parameters']:,} parameters"
    if reference is not None:
        words += f" (5x5: test {scores(reference)['accuracy']:.4f}, " \
                 f"{reference['notes']['parameters']:,} parameters)"
    return test >= 0.99, words


VARIANT_VERDICTS = {"train-size-60000": verdict_training_data, "practice-01-l1": verdict_l1,
                    "practice-01-kernel-3": verdict_kernel, "practice-01-kernel-7": verdict_kernel}
VARIANT_FIGURES = {"train-size-60000": "training-data-does-matter.png"}  # drawn by the report


def variant_results(outdir):
    """variant name -> its result JSON, for the variants that have one."""
    paths = {name: Path(outdir) / name / f"l303-example-{number}.json"
             for name, (number, _, _) in VARIANTS.items()}
    return {name: json.loads(path.read_text()) for name, path in paths.items() if path.is_file()}


def plot_variant(outdir, variant):
    """A variant's run drawn against its script's reference run (compare.py's overlay), e.g. the
    60000-image run of 04 against the 10000-image one, training against validation."""
    import compare

    number, _, title = VARIANTS[variant]
    paths = [Path(outdir) / f"l303-example-{number}.json",
             Path(outdir) / variant / f"l303-example-{number}.json"]
    figure = compare.plot(compare.curves(paths, ["loss", "accuracy"]), title)
    l303_files.write_atomically(Path(outdir) / VARIANT_FIGURES[variant],
                                lambda temporary: figure.savefig(temporary, format="png", dpi=100))


def load_spread(outdir):
    """script -> printed number -> spread_of(...), for scripts with every seed's result."""
    spread = {}
    for number, numbers in SLIDE_NUMBERS.items():
        paths = [spread_folder(outdir, seed) / f"l303-example-{number}.json" for seed in SPREAD_SEEDS]
        if not all(path.is_file() for path in paths):
            continue
        results = [json.loads(path.read_text()) for path in paths]
        spread[number] = {name: spread_of([printed_number(result, name) for result in results], slide)
                          for name, slide in numbers.items()}
    return spread


def plot_spread(spread):
    """One small panel per printed number: our seeds as dots, the slide's value as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(number, name, stats) for number, found in spread.items()
              for name, stats in found.items()]
    columns = 4
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.6 * rows), squeeze=False)
    for axis, (number, name, stats) in zip(axes.flat, panels):
        seeds = list(SPREAD_SEEDS)
        axis.axhspan(stats["mean"] - 2 * stats["sd"], stats["mean"] + 2 * stats["sd"],
                     color="C0", alpha=0.15, label="mean ± 2 sd")
        axis.plot(seeds, stats["values"], "o", color="C0", label="our seeds")
        axis.axhline(stats["slide"], color="C3", lw=2, label="slide")
        axis.set_title(f"{number}: {name}", fontsize=9)
        axis.set_xticks(seeds)
        axis.set_xlabel("seed", fontsize=8)
        axis.tick_params(labelsize=7)
    for axis in axes.flat[len(panels):]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7)
    figure.suptitle("The slides' printed numbers are one draw: our seeds against the slide")
    figure.tight_layout()
    return figure


def machine_line(results):
    any_result = next(iter(results.values()))
    versions = ", ".join(f"{k} {v}" for k, v in any_result["versions"].items())
    return (f"{any_result.get('machine', 'unknown')}; backend {any_result['backend']}; "
            f"{versions}; seed {any_result['seed']}")


def spread_table(spread):
    lines = ["| script | printed number | slide | ours: mean ± sd | min – max | seeds | "
             "slide within mean ± 2 sd? |", "|---|---|---|---|---|---|---|"]
    for number, found in spread.items():
        for name, stats in found.items():
            digits = 1 if name == "stopping epoch" else 4
            lines.append(
                f"| `l303-example-{number}` | {name} | {stats['slide']:g} | "
                f"{stats['mean']:.{digits}f} ± {stats['sd']:.{digits}f} | "
                f"{stats['min']:g} – {stats['max']:g} | "
                f"{', '.join(f'{value:g}' for value in stats['values'])} | "
                f"{'yes' if stats['holds'] else '**no**'} |")
    return "\n".join(lines)


def read_results(outdir):
    """script number -> its result JSON in outdir, for the scripts that have one."""
    paths = {number: Path(outdir) / f"l303-example-{number}.json" for number in SCRIPTS}
    return {number: json.loads(path.read_text()) for number, path in paths.items() if path.is_file()}


def whole_run_words(outdir, total):
    """The report's time: the last run that made every result, and the scripts' own times."""
    words = f"The scripts' own wall times add up to {total / 60:.1f} minutes."
    path = Path(outdir) / RUN_RECORD
    if not path.is_file():
        return words
    run = json.loads(path.read_text())
    return (f"The last `make report` that made every result anew ({run['runs']} runs, one after "
            f"another in one process, {run['finished']}) took **{run['wall_seconds'] / 60:.1f} "
            f"minutes** from start to end. {words}")


def write_reports(outdir):
    results = read_results(outdir)
    if not results:
        raise SystemExit("error: no results to report; run the scripts first")
    spread = load_spread(outdir)
    rows, gallery, results_total = [], [], []
    for number, result in results.items():
        slide_numbers, _, verdict = SCRIPTS[number]
        holds, words = verdict(result, spread, results)
        name = f"l303-example-{number}"
        title = result["slide"]
        rows.append(f"| `{name}` | {title} | {slide_numbers} | {words} | "
                    f"{'holds' if holds else '**does not hold**'} | {result['wall_seconds']:.0f} s |")
        gallery.append(f"## {title} — `{name}`\n\n{words}.\n")
        gallery += [f"![{name}]({figure})\n" for figure in result["figures"]]
        for variant, result_of_variant in variant_results(outdir).items():
            variant_number, flags, variant_title = VARIANTS[variant]
            if variant_number != number:
                continue
            holds, words = VARIANT_VERDICTS[variant](result, result_of_variant)
            command = f"`{name} {' '.join(flags)}`"
            rows.append(f"| {command} | {variant_title} | "
                        f"{'(plot)' if variant in VARIANT_FIGURES else '(a task)'} | {words} | "
                        f"{'holds' if holds else '**does not hold**'} | "
                        f"{result_of_variant['wall_seconds']:.0f} s |")
            gallery.append(f"## {variant_title} — {command}\n\n{words}.\n")
            if variant in VARIANT_FIGURES:
                plot_variant(outdir, variant)
                gallery.append(f"![{variant_title}]({VARIANT_FIGURES[variant]})\n")
            results_total.append(result_of_variant["wall_seconds"])
    machine = machine_line(results)
    total = sum(result["wall_seconds"] for result in results.values()) + sum(results_total)
    header = ("| script | slide | slide's numbers | ours, and the slide's point checked | verdict "
              "| wall time |\n|---|---|---|---|---|---|")
    if spread:
        spread_section = (
            "## The slides' printed numbers against our seed spread (`make spread`)\n\n"
            f"One rule for every script: {SPREAD_RULE}. A slide's number is one run; ours are "
            f"five, and the spread shows how far one run can fall from another.\n\n"
            f"{spread_table(spread)}\n\n![seed spread](spread.png)\n")
        figure = plot_spread(spread)
        l303_files.write_atomically(Path(outdir) / "spread.png", lambda temporary: figure.savefig(
            temporary, format="png", dpi=100))
    else:
        spread_section = "No seed spread yet: `make spread` runs it.\n"
    results_md = (
        "# Reproduction report\n\n"
        "Every script at the slide's settings, one after another (`make report`). Each verdict is "
        "computed from the script's JSON by `tools/report.py`: it tests the slide's own claim, "
        f"and where a slide printed numbers, those numbers by one rule: {SPREAD_RULE}.\n\n"
        f"{header}\n" + "\n".join(rows) + "\n\n"
        f"{whole_run_words(outdir, total)} Machine: {machine}.\n\n" + spread_section)
    gallery_md = (
        "# Gallery: every figure of the lecture, regenerated\n\n"
        "Made by `make report` (see [RESULTS.md](RESULTS.md) for the numbers and verdicts). "
        "Each figure sits under its slide's title with its one-line result.\n\n"
        + "\n".join(gallery))
    for filename, text in (("RESULTS.md", results_md), ("README.md", gallery_md)):
        l303_files.write_atomically(Path(outdir) / filename,
                                    lambda temporary: temporary.write_text(text))
    print(f"Wrote {Path(outdir) / 'RESULTS.md'} and {Path(outdir) / 'README.md'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, default=REPO / "figures")
    parser.add_argument("--rerun", action="store_true", help="run every script again")
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), metavar="NN",
                        help="run only these scripts (the report still covers every result)")
    parser.add_argument("--spread", action="store_true",
                        help=f"run the scripts whose slides print numbers with seeds "
                             f"{SPREAD_SEEDS[1]} to {SPREAD_SEEDS[-1]} (seed {SPREAD_SEEDS[0]} is "
                             f"the reference run)")
    parser.add_argument("--write-only", action="store_true",
                        help="write RESULTS.md and README.md from the JSON files, run nothing")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    if args.spread:
        jobs = [(number, seed, None) for seed in SPREAD_SEEDS[1:] for number in SLIDE_NUMBERS]
    else:
        jobs = [(number, None, None) for number in args.only or list(SCRIPTS)]
        jobs += [(number, None, variant) for variant, (number, _, _) in VARIANTS.items()
                 if number in (args.only or list(SCRIPTS))]
    if not args.write_only:
        try:
            ran, failed, seconds = run_all(jobs, args.outdir, args.rerun)
        except KeyboardInterrupt:
            print("\nInterrupted: the scripts finished so far are kept; run again to resume.")
            sys.exit(130)
        print(f"report: {ran} of {len(jobs)} runs made in {seconds / 60:.1f} minutes"
              + (f"; {failed} FAILED (see above)" if failed else ""), flush=True)
        if ran == len(jobs) and not failed and not args.only and not args.spread:
            record_whole_run(args.outdir, ran, seconds)
    write_reports(args.outdir)
    if not args.write_only and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
