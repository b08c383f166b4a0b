"""make report: run every script at the slide's settings and check the slides' claims in the results.

    python tools/report.py            # runs what is missing or out of date, then writes the report
    python tools/report.py --rerun    # runs everything again
    python tools/report.py --only 04a 04b

One script at a time, with a progress line each. A script whose JSON in the output folder was made
by the same command and the same code (the script and examples/l303.py) is not run again. Then it
writes <outdir>/RESULTS.md (slide numbers, ours, a verdict computed from the JSON, wall time, the
machine) and <outdir>/README.md (the gallery: every figure under its slide title).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

import l303_files  # code_sha256, write_atomically; it does not load Keras


def history(result, label, key):
    return result["histories"][label][key]


def first_epoch(values, threshold):
    """The first epoch (1-based) whose value reaches threshold, or None."""
    return next((epoch for epoch, value in enumerate(values, 1) if value >= threshold), None)


def within(ours, slide, tolerance=0.005):
    return abs(ours - slide) <= tolerance * slide


def scores(result, label=None, part="testing"):
    label = label or next(iter(result["results"]))
    return result["results"][label][part]


# Each verdict takes the result JSON and returns (holds, one line in words).

def verdict_01(result):
    test = scores(result)["accuracy"]
    return within(test, 0.96620), f"test {test:.4f} against the slide's 0.9662 (within 0.5%: " \
                                  f"{'yes' if within(test, 0.96620) else 'no'})"


def verdict_01a(result):
    wrong = result["notes"]["misclassified"]
    return 200 <= wrong <= 450, f"{wrong} test digits misclassified (slide: ~300)"


def verdict_02(result):
    loss = history(result, next(iter(result["histories"])), "loss")
    holds = loss[9] > 0.95 * loss[0] and loss[-1] < 0.1 * loss[0]
    return holds, f"MSE loss {loss[0]:.3f} at epoch 1, still {loss[9]:.3f} at epoch 10, " \
                  f"{loss[-1]:.4f} at epoch {len(loss)}: a long flat start, then it learns"


def verdict_02a(result):
    halve = result["notes"]["epochs_to_halve"]
    ce, mse = halve["binary_crossentropy"], halve["mean_squared_error"]
    holds = ce is not None and (mse is None or mse >= 5 * ce)
    return holds, f"loss halved after {ce} epochs with cross-entropy, {mse or '>100'} with MSE"


def verdict_03(result):
    test = scores(result)["accuracy"]
    notes = result["notes"]
    share = notes["second_choice_right"] / notes["misclassified"]
    return within(test, 0.96350), f"test {test:.4f} against the slide's 0.9635; the second " \
                                  f"choice is right for {share:.0%} of the misclassified digits"


def overtraining(result, label):
    return result["notes"]["overtraining"][label]


def verdict_04(result):
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


def verdict_remedy(result):
    """04a and 04b: the remedy (second model) narrows the gap of the reference (first model)."""
    reference, remedy = list(result["histories"])
    return gap_verdict(result, reference, remedy)


def verdict_04c(result):
    stopped = result["notes"]["stopped_after_epochs"]
    maximum = result["settings"]["epochs"]
    test = scores(result)["accuracy"]
    return stopped < maximum, f"stopped after {stopped} of {maximum} epochs (slide: 21); " \
                              f"test {test:.4f} (slide: 0.9348)"


def verdict_04d(result):
    plain, normalized = list(result["histories"])
    slow = first_epoch(history(result, plain, "val_accuracy"), 0.9)
    fast = first_epoch(history(result, normalized, "val_accuracy"), 0.9)
    holds = fast is not None and (slow is None or fast < slow)
    return holds, f"90% validation accuracy in epoch {fast} with batch normalization, " \
                  f"{slow} without"


def verdict_05(result):
    original, expanded = list(result["histories"])
    before = overtraining(result, original)["min_validation_loss"]
    after = overtraining(result, expanded)["min_validation_loss"]
    return after < before, f"lowest validation loss {after:.3f} with the rotated copies, " \
                           f"{before:.3f} without (at epoch 100 it has overtrained too)"


def verdict_06(result):
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


def verdict_06a(result):
    plain, momentum = list(result["histories"])
    before, after = history(result, plain, "loss")[9], history(result, momentum, "loss")[9]
    return after < before, f"training loss at epoch 10: {after:.3f} with {momentum}, " \
                           f"{before:.3f} without"


def verdict_06b(result):
    labels = list(result["histories"])
    at_5 = {label: history(result, label, "loss")[4] for label in labels}
    holds = at_5[labels[0]] < at_5[labels[-1]]
    return holds, "training loss at epoch 5: " + ", ".join(
        f"{value:.3f} ({label})" for label, value in at_5.items())


def verdict_06c(result):
    tests = {label: scores(result, label)["accuracy"] for label in result["histories"]}
    sgd = next(label for label in tests if label.startswith("SGD"))
    holds = all(value > 0.85 for value in tests.values()) and tests[sgd] >= max(tests.values()) - 0.01
    return holds, "test accuracy " + ", ".join(f"{value:.4f} ({label})"
                                               for label, value in tests.items())


def verdict_06d(result):
    sigmoid, relu = list(result["histories"])
    before, after = scores(result, sigmoid)["accuracy"], scores(result, relu)["accuracy"]
    return after > before, f"test accuracy {after:.4f} with ReLU, {before:.4f} with sigmoid"


def verdict_06e(result):
    relu, leaky = list(result["histories"])
    a, b = scores(result, relu)["accuracy"], scores(result, leaky)["accuracy"]
    return abs(a - b) < 0.005, f"test accuracy {b:.4f} with Leaky ReLU, {a:.4f} with ReLU: similar"


def verdict_07(result):
    train = scores(result, part="training")["accuracy"]
    test = scores(result)["accuracy"]
    holds = test >= 0.9849 and result["notes"]["parameters"] == 669706
    return holds, f"train {train:.5f}, test {test:.5f} (slide: 0.99987, 0.98490); " \
                  f"{result['notes']['parameters']:,} parameters"


def verdict_07a(result):
    reached = result["notes"]["epoch_reaching_90_percent"]
    epochs = [value if value is not None else float("inf") for value in reached.values()]
    holds = epochs == sorted(epochs) and epochs[0] < epochs[-1]
    return holds, "90% validation accuracy in epoch " + ", ".join(
        f"{value if value is not None else 'never'} ({label.split()[0]})"
        for label, value in reached.items())


def rotated_words(result):
    rotated = [(part, value) for part, value in scores_all(result).items() if "rotated" in part]
    return "; ".join(f"{part}: {value['accuracy']:.4f}" for part, value in rotated)


def scores_all(result):
    return next(iter(result["results"].values()))


def verdict_08(result):
    test = scores(result)["accuracy"]
    return test >= 0.99, f"test {test:.4f} (goal 0.99); {rotated_words(result)}"


def verdict_08a(result):
    test = scores(result)["accuracy"]
    return test >= 0.994, f"test {test:.4f} (goal 0.994); {rotated_words(result)}"


# script -> (slide title, the slide's printed numbers, extra arguments, verdict)
SCRIPTS = {
    "01": ("BUILDING NETWORK WITH KERAS", "train 0.97785, test 0.96620", [], verdict_01),
    "01a": ("WRONGLY RECOGNIZED DIGITS?", "~300 wrong", [], verdict_01a),
    "02": ("SLOW LEARNING WITH BAD WEIGHTS", "(plot)", [], verdict_02),
    "02a": ("THE CHOICE OF LOSS (III)", "(plot)", [], verdict_02a),
    "03": ("TRY IT OUT! (softmax + cross-entropy)", "train 0.98613, test 0.96350", [], verdict_03),
    "04": ("THE OVERTRAINING ISSUE", "(plot)", [], verdict_04),
    "04a": ("REGULARIZATION (III)", "(plot)", [], verdict_remedy),
    "04b": ("DROPOUT (II)", "(plot)", [], verdict_remedy),
    "04c": ("EARLY STOPPING", "stopped after 21; test 0.93480", [], verdict_04c),
    "04d": ("BATCH NORMALIZATION (III)", "(plot)", [], verdict_04d),
    "05": ("ARTIFICIAL DATA EXPANDING", "(plot)", [], verdict_05),
    "06": ("LEARNING RATE", "(plot)", [], verdict_06),
    "06a": ("KEEP THE MOMENTUM? (II)", "(plot)", [], verdict_06a),
    "06b": ("SIZE OF MINI-BATCH?", "(plot)", [], verdict_06b),
    "06c": ("DIFFERENT TRAINING ALGORITHM? (III)", "(plot)", [], verdict_06c),
    "06d": ("DIFFERENT ACTIVATION FUNCTION? (III)", "(plot)", [], verdict_06d),
    "06e": ("DIFFERENT ACTIVATION FUNCTION? (V)", "(plot)", [], verdict_06e),
    "07": ("LARGER/DEEPER NETWORK? (II)", "train 0.99987, test 0.98490", [], verdict_07),
    "07a": ("LARGER/DEEPER NETWORK? (III)", "(plots)", [], verdict_07a),
    "08": ("HANDS-ON: the CNN (5x5)", "(not shown)", ["--rotate-test", "30"], verdict_08),
    "08a": ("HANDS-ON: a stronger CNN", "(not shown)", ["--rotate-test", "30"], verdict_08a),
}


def command_for(number, outdir):
    """The command, run from the repository root; an outdir inside the repository is given relative
    to it, so the results (and whether they are up to date) do not depend on where it is cloned."""
    _, _, extra, _ = SCRIPTS[number]
    outdir = Path(outdir).resolve()
    if outdir.is_relative_to(REPO):
        outdir = outdir.relative_to(REPO)
    return [f"examples/l303-example-{number}.py", *extra, "--outdir", str(outdir)]


def run_example(number, flags, outdir, env=None, output=subprocess.DEVNULL):
    """Run examples/l303-example-<number>.py FLAGS --outdir OUTDIR from the repository root.

    Returns its exit status and its result JSON (None if it failed). Used by the report, the
    benchmark and the backend timings alike."""
    completed = subprocess.run(
        [sys.executable, f"examples/l303-example-{number}.py", *flags, "--outdir", str(outdir)],
        cwd=REPO, env=None if env is None else dict(os.environ, **env),
        stdout=output, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        return completed.returncode, None
    return 0, json.loads((Path(outdir) / f"l303-example-{number}.json").read_text())


def up_to_date(number, outdir):
    """The JSON exists, finished, and was made by this command and this code."""
    path = Path(outdir) / f"l303-example-{number}.json"
    if not path.is_file():
        return False
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError:
        return False
    script = REPO / "examples" / f"l303-example-{number}.py"
    return (not result.get("interrupted") and result.get("code_sha256") == l303_files.code_sha256(script)
            and result.get("command") == command_for(number, outdir))


def run_all(numbers, outdir, rerun):
    started = time.perf_counter()
    for index, number in enumerate(numbers, 1):
        name = f"l303-example-{number}"
        prefix = f"[{index:2d}/{len(numbers)}] {name:18s}"
        if not rerun and up_to_date(number, outdir):
            print(f"{prefix} up to date, not rerun", flush=True)
            continue
        print(f"{prefix} running ...", end="", flush=True)
        log = Path(outdir) / f".{name}.log"
        _, *flags, _, outdir_flag = command_for(number, outdir)
        with open(log, "w") as output:
            status, result = run_example(number, flags, outdir_flag, output=output)
        if result is None:
            print(f" FAILED (exit {status}); see {log}", flush=True)
            continue
        log.unlink()
        holds, words = SCRIPTS[number][3](result)
        print(f" {result['wall_seconds']:6.0f} s  {'holds' if holds else 'DOES NOT HOLD'}: "
              f"{words}  (total {time.perf_counter() - started:.0f} s)", flush=True)


def machine_line(results):
    any_result = next(iter(results.values()))
    versions = ", ".join(f"{k} {v}" for k, v in any_result["versions"].items())
    return (f"{any_result.get('machine', 'unknown')}; backend {any_result['backend']}; "
            f"{versions}; seed {any_result['seed']}")


def write_reports(outdir):
    results = {}
    for number in SCRIPTS:
        path = Path(outdir) / f"l303-example-{number}.json"
        if path.is_file():
            results[number] = json.loads(path.read_text())
    if not results:
        raise SystemExit("error: no results to report; run the scripts first")
    rows, gallery = [], []
    for number, result in results.items():
        title, slide_numbers, _, verdict = SCRIPTS[number]
        holds, words = verdict(result)
        name = f"l303-example-{number}"
        rows.append(f"| `{name}` | {title} | {slide_numbers} | {words} | "
                    f"{'holds' if holds else '**does not hold**'} | {result['wall_seconds']:.0f} s |")
        gallery.append(f"## {title} — `{name}`\n\n{words}.\n")
        gallery += [f"![{name}]({figure})\n" for figure in result["figures"]]
    machine = machine_line(results)
    total = sum(result["wall_seconds"] for result in results.values())
    header = ("| script | slide | slide's numbers | ours, and the slide's point checked | verdict "
              "| wall time |\n|---|---|---|---|---|---|")
    results_md = (
        "# Reproduction report\n\n"
        "Every script at the slide's settings, one after another (`make report`). Each verdict is "
        "computed from the script's JSON by `tools/report.py`.\n\n"
        f"{header}\n" + "\n".join(rows) + "\n\n"
        f"Total wall time {total / 60:.1f} minutes. Machine: {machine}.\n")
    gallery_md = (
        "# Gallery: every figure of the lecture, regenerated\n\n"
        "Made by `make report` (see [RESULTS.md](RESULTS.md) for the numbers and verdicts). "
        "Each figure sits under its slide's title with its one-line result.\n\n"
        + "\n".join(gallery))
    for filename, text in (("RESULTS.md", results_md), ("README.md", gallery_md)):
        l303_files.write_atomically(Path(outdir) / filename, lambda temporary: temporary.write_text(text))
    print(f"Wrote {Path(outdir) / 'RESULTS.md'} and {Path(outdir) / 'README.md'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, default=REPO / "figures")
    parser.add_argument("--rerun", action="store_true", help="run every script again")
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), metavar="NN",
                        help="run only these scripts (the report still covers every result)")
    parser.add_argument("--write-only", action="store_true",
                        help="write RESULTS.md and README.md from the JSON files, run nothing")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    if not args.write_only:
        try:
            run_all(args.only or list(SCRIPTS), args.outdir, args.rerun)
        except KeyboardInterrupt:
            print("\nInterrupted: the scripts finished so far are kept; run again to resume.")
            sys.exit(130)
    write_reports(args.outdir)


if __name__ == "__main__":
    main()
