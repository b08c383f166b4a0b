"""make backends: which Keras backend trains which kind of script fastest on this machine?

Runs a few scripts, one per kind of network, under every installed backend (TensorFlow, JAX,
PyTorch) for a fixed short budget, and compares the time of `fit` as each script records it:
    01  784-30-10, batch 10          (tiny model, overhead-bound)
    04  784-30-10, batch 120         (tiny model, the overtraining block and 06)
    06d 784-256-256-10, batch 120    (the activation slides)
    07  784-512-512-10, batch 128    (the larger network)
    08  CNN 5x5, batch 128           (the convolutional networks)
Each backend uses the scripts' default steps_per_execution (1 on PyTorch, which accepts no other).
Writes figures/BACKENDS.md. A benchmark, not a test.
"""

import importlib.util
import os
import platform
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

import l303_files  # write_atomically
import report  # run_example

# script -> (what it stands for, the budget: flags that keep each run short)
CASES = {
    "01": ("784-30-10, batch 10 (01)", ["--epochs", "1"]),
    "04": ("784-30-10, batch 120 (02-06)", ["--epochs", "10"]),
    "06d": ("784-256-256-10, batch 120 (06d, 06e, 07a)", ["--epochs", "3"]),
    "07": ("784-512-512-10, batch 128 (07)", ["--epochs", "1"]),
    "08": ("CNN 5x5, batch 128 (08, 08a)", ["--epochs", "1"]),
}
BACKENDS = ("tensorflow", "jax", "torch")


def fit_seconds(number, flags, backend, outdir):
    _, result = report.run_example(number, flags, outdir, env={"KERAS_BACKEND": backend})
    return None if result is None else sum(result["notes"]["fit_seconds"].values())


def main():
    installed = [b for b in BACKENDS if importlib.util.find_spec(b) is not None]
    table = {}
    with tempfile.TemporaryDirectory() as folder:
        for number, (network, flags) in CASES.items():
            for backend in installed:
                seconds = fit_seconds(number, flags, backend, Path(folder) / backend)
                table[number, backend] = seconds
                print(f"{number} {backend:10s} " + (f"{seconds:7.1f} s" if seconds else "failed"),
                      flush=True)

    lines = ["# Backends (`make backends`)", "",
             f"Time of `fit` for a short budget of each script, under each installed backend "
             f"({platform.machine()}, {os.cpu_count()} cores; measured one after another). "
             f"Fastest in bold.", "",
             "| network (scripts) | budget | " + " | ".join(installed) + " | fastest |",
             "|---|---|" + "---|" * (len(installed) + 1)]
    for number, (network, flags) in CASES.items():
        times = {b: table[number, b] for b in installed if table[number, b]}
        fastest = min(times, key=times.get) if times else None
        cells = [("**%.1f s**" if b == fastest else "%.1f s") % table[number, b]
                 if table[number, b] else "failed" for b in installed]
        lines.append(f"| {network} | {' '.join(flags)} | " + " | ".join(cells)
                     + f" | {fastest} |")
    missing = [b for b in BACKENDS if b not in installed]
    if missing:
        lines += ["", f"Not installed here: {', '.join(missing)} (make setup-backends)."]
    text = "\n".join(lines) + "\n"
    output = REPO / "figures" / "BACKENDS.md"
    l303_files.write_atomically(output, lambda temporary: temporary.write_text(text))
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
