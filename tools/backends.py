"""make backends: which Keras backend makes a student wait least, script by script?

Runs one script of each kind of network under every installed backend (TensorFlow, JAX, PyTorch),
as a student runs it: a whole process, start-up included. Where the slide's whole run is short
enough it runs whole; elsewhere a stated number of epochs, whose first epoch (tracing and
compiling) is reported apart from the later ones. Each backend runs each case twice, the
backends alternating (TF, JAX, torch, TF, JAX, torch), and the ratio to TensorFlow is taken per
pair, so a slow moment of this shared machine hits both sides of a ratio alike:
    01  784-30-10, batch 10          (tiny model, overhead-bound)
    04  784-30-10, batch 120         (the overtraining block and 06)
    06d 784-256-256-10, batch 120    (the activation slides)
    07  784-512-512-10, batch 128    (the larger network)
    08  CNN 5x5, batch 128           (the convolutional networks)
    08a 08's CNN with batch normalization and augmentation (RandomRotation, RandomTranslation)
Each backend uses the scripts' default steps_per_execution (1 on PyTorch, which accepts no other).
Writes figures/BACKENDS.md. A benchmark, not a test.
"""

import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import l303_files  # write_atomically, machine
from l303_files import REPO
from runner import run_in_new_process

# script -> (what it stands for, the flags: [] is the slide's whole run)
CASES = {
    "01": ("784-30-10, batch 10 (01, 01a)", ["--epochs", "3"]),
    "04": ("784-30-10, batch 120 (02-06)", []),
    "06d": ("784-256-256-10, batch 120 (06d, 06e)", []),
    "07": ("784-512-512-10, batch 128 (07, 07a)", ["--epochs", "3"]),
    "08": ("CNN 5x5, batch 128 (08)", ["--epochs", "2"]),
    "08a": ("CNN 5x5 + batch normalization + augmentation, batch 128 (08a)", ["--epochs", "2"]),
}
SLIDE_EPOCHS = {"01": 20, "04": 100, "06d": 40, "07": 20, "08": 4, "08a": 7}
BACKENDS = ("tensorflow", "jax", "torch")
REPEATS = 2


def timed_run(number, flags, backend, outdir):
    """(whole-process seconds, first-epoch seconds, later epochs' mean seconds) or None."""
    started = time.perf_counter()
    _, result = run_in_new_process(number, flags, outdir, env={"KERAS_BACKEND": backend})
    wall = time.perf_counter() - started
    if result is None:
        return None
    first = sum(per_model[0] for per_model in result["notes"]["epoch_seconds"].values())
    later = [s for per_model in result["notes"]["epoch_seconds"].values() for s in per_model[1:]]
    return {"wall": wall, "first_epoch": first, "later_epoch": statistics.mean(later) if later
            else None}


def main():
    installed = [b for b in BACKENDS if importlib.util.find_spec(b) is not None]
    runs = {}  # (number, backend) -> [timed_run, ...]
    with tempfile.TemporaryDirectory() as folder:
        for number, (network, flags) in CASES.items():
            for repeat in range(REPEATS):
                for backend in installed:
                    measured = timed_run(number, flags, backend, Path(folder) / backend)
                    runs.setdefault((number, backend), []).append(measured)
                    print(f"{number} {backend:10s} run {repeat + 1}: " + (
                        f"{measured['wall']:6.1f} s whole, first epoch {measured['first_epoch']:.1f}"
                        f" s, later epochs {measured['later_epoch'] or 0:.2f} s"
                        if measured else "failed"), flush=True)

    lines = ["# Backends (`make backends`)", "",
             f"What a student waits for: each script as a whole process (Python, Keras and the "
             f"backend starting included), under each installed backend; "
             f"{l303_files.machine()}, TensorFlow stays the default. Each case ran {REPEATS} times "
             f"per backend, the backends alternating; the ratio to TensorFlow is the mean of the "
             f"per-pair ratios (below 1: faster than TensorFlow). Where the budget is not the "
             f"slide's whole run, the first epoch (tracing and compiling) is shown apart from the "
             f"mean of the later ones.", "",
             "| network (scripts) | budget | backend | whole process | first epoch | later epochs "
             "(mean) | ratio to TensorFlow |", "|---|---|---|---|---|---|---|"]
    for number, (network, flags) in CASES.items():
        budget = " ".join(flags) if flags else f"whole run ({SLIDE_EPOCHS[number]} epochs)"
        reference = runs.get((number, "tensorflow"), [])
        for backend in installed:
            measured = [m for m in runs[number, backend] if m]
            if not measured:
                lines.append(f"| {network} | {budget} | {backend} | failed | | | |")
                continue
            ratios = [m["wall"] / r["wall"] for m, r in zip(runs[number, backend], reference)
                      if m and r]
            wall = " / ".join(f"{m['wall']:.1f}" for m in measured) + " s"
            first = statistics.mean(m["first_epoch"] for m in measured)
            later = [m["later_epoch"] for m in measured if m["later_epoch"] is not None]
            lines.append(f"| {network} | {budget} | {backend} | {wall} | {first:.1f} s | "
                         + (f"{statistics.mean(later):.2f} s" if later else "") + " | "
                         + (f"{statistics.mean(ratios):.2f}" if ratios else "") + " |")
    missing = [b for b in BACKENDS if b not in installed]
    if missing:
        lines += ["", f"Not installed here: {', '.join(missing)} (make setup-backends)."]
    text = "\n".join(lines) + "\n"
    output = REPO / "figures" / "BACKENDS.md"
    l303_files.write_atomically(output, lambda temporary: temporary.write_text(text))
    print(f"Wrote {output}")


if __name__ == "__main__":
    sys.exit(main())
