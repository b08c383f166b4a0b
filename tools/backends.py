"""make backends: which Keras backend makes a student wait least, script by script?

One script of each kind of network under every installed backend (TensorFlow, JAX, PyTorch), as
a student runs it: a whole process, start-up included; the slide's whole run where it is short,
else a few epochs, the first (tracing and compiling) apart from the later ones. Each case runs
REPEATS times per backend, the backends alternating, and the ratio to TensorFlow is taken per
pair, so a slow moment of this shared machine touches both sides of a ratio alike. Each backend
uses the scripts' default steps_per_execution. Writes figures/BACKENDS.md. A benchmark, not a test.
"""

import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

import l303_files  # write_atomically, machine
from l303_files import REPO
from runner import run_in_new_process

# script -> (its network, the scripts that share it; the flags: [] is the slide's whole run)
CASES = {"01": ("784-30-10, batch 10 (01, 01a)", ["--epochs", "3"]),
         "04": ("784-30-10, batch 120 (02-06)", []),
         "06d": ("784-256-256-10, batch 120 (06d, 06e)", []),
         "07": ("784-512-512-10, batch 128 (07, 07a)", ["--epochs", "3"]),
         "08": ("CNN 5x5, batch 128 (08)", ["--epochs", "2"]),
         "08a": ("CNN 5x5 + batch normalization + augmentation, batch 128 (08a)",
                 ["--epochs", "2"])}
BACKENDS = ("tensorflow", "jax", "torch")  # TensorFlow first: the ratios are to it
REPEATS = 2


def timed_run(number, flags, backend, outdir):
    """{"wall", "first_epoch", "later_epoch"} seconds (later: None after one epoch), or None."""
    started = time.perf_counter()
    _, result = run_in_new_process(number, flags, outdir, env={"KERAS_BACKEND": backend})
    if result is None:
        return None
    epochs = result["notes"]["epoch_seconds"].values()
    later = [seconds for per_model in epochs for seconds in per_model[1:]]
    return {"wall": time.perf_counter() - started, "first_epoch": sum(e[0] for e in epochs),
            "later_epoch": statistics.mean(later) if later else None}


def main():
    installed = [backend for backend in BACKENDS if importlib.util.find_spec(backend)]
    runs = {}  # (number, backend) -> [timed_run, ...]
    with tempfile.TemporaryDirectory() as folder:
        for number, (_, flags) in CASES.items():
            for repeat in range(REPEATS):
                for backend in installed:
                    measured = timed_run(number, flags, backend, Path(folder) / backend)
                    runs.setdefault((number, backend), []).append(measured)
                    print(f"{number} {backend:10s} run {repeat + 1}: {measured}", flush=True)
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
        budget = " ".join(flags) or "the slide's whole run"
        for backend in installed:
            measured = [m for m in runs[number, backend] if m]
            if not measured:
                lines.append(f"| {network} | {budget} | {backend} | failed | | | |")
                continue
            ratios = [m["wall"] / r["wall"] for m, r in zip(runs[number, backend],
                                                            runs[number, BACKENDS[0]]) if m and r]
            later = [m["later_epoch"] for m in measured if m["later_epoch"] is not None]
            walls = " / ".join(f"{m['wall']:.1f}" for m in measured)
            lines.append(f"| {network} | {budget} | {backend} | {walls} s | "
                         f"{statistics.mean(m['first_epoch'] for m in measured):.1f} s | "
                         + (f"{statistics.mean(later):.2f} s" if later else "") + " | "
                         + (f"{statistics.mean(ratios):.2f}" if ratios else "") + " |")
    missing = [backend for backend in BACKENDS if backend not in installed]
    if missing:
        lines += ["", f"Not installed here: {', '.join(missing)} (make setup-backends)."]
    output = REPO / "figures" / "BACKENDS.md"
    l303_files.write_atomically(output, lambda temporary: temporary.write_text("\n".join(lines)
                                                                             + "\n"))
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
