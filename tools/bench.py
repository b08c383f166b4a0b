"""make bench: how fast is the suite's training against plain Keras, on this machine, right now?

- Examples 01, 07 and 08 for --epochs on the full training set, from the same seed, as plain
  `model.fit` as the slides call it (`--steps-per-execution 1`) and as the scripts run by default:
  the ratio of the `fit` times, and whether both give the same history.
- The data path: an epoch of 01's and 07's networks fed by l303.shuffled_batches (a new order
  every epoch) against Keras' array path fit(x, y, batch_size=...).
- Validation: an epoch of 04's network validating on the 10000 test images as the scripts do
  (l303.validation_batches) and as Keras' array path does (validation_data=(x, y)), against the
  same epoch without; on TensorFlow and, given --jax-python (.venv-jax), on JAX.

The scripts run in this process (tools/runner.py); every network is built again from what its run
records ("built"), never retyped. The settings alternate and repeat; a ratio is taken within one
run. Writes figures/BENCH.md. A benchmark, not a test: noisy machines, compare the ratios.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import l303
import l303_files  # write_atomically, machine
import l303_workarounds  # noqa: F401  (Keras, quietly, on this environment's backend)
from l303_files import REPO
from runner import result_of, run_as_main, script_path

import keras  # noqa: E402

CASES = {"01": "784-30-10 sigmoid, batch 10", "07": "784-512-512-10 ReLU, batch 128",
         "08": "CNN 5x5, batch 128"}
VALIDATION = {"none": "no validation", "suite": "`l303.validation_batches` (the scripts)",
              "keras": "Keras' array path `validation_data=(x, y)`"}


def run_script(number, flags, outdir):
    """Run a script in this process; its record (exit on failure)."""
    status, result = result_of(run_as_main(script_path(number), [*flags, "--outdir", outdir]),
                               number, outdir)
    if result is None:
        sys.exit(f"error: l303-example-{number} failed (exit {status})")
    return result


def fit_seconds(record):
    """The seconds of the `fit` of the record's one model (01, 07 and 08 have one)."""
    return next(iter(record["notes"]["fit_seconds"].values()))


def network_of(record):
    """A fresh network as the record's first model was built (layers, optimizer, loss), compiled
    with the run's steps_per_execution."""
    built = next(iter(record["built"].values()))

    def made(module, config):
        return getattr(module, config["class"]).from_config(
            {name: value for name, value in config.items() if name != "class"})

    model = keras.Sequential([keras.Input(shape=built["input_shape"]),
                              *(made(keras.layers, layer) for layer in built["layers"])])
    model.compile(loss=built["loss"], optimizer=made(keras.optimizers, built["optimizer"]),
                  metrics=["accuracy"],
                  steps_per_execution=record["settings"]["steps_per_execution"])
    return model


class EpochTimer(keras.callbacks.Callback):
    """Each epoch's seconds, its validation included."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def epoch_seconds(record, data, epochs, arrays=False, validation="none"):
    """The median seconds of epochs 2..EPOCHS (the first traces and compiles) of a fresh network
    as RECORD's was built, fed by shuffled_batches (or ARRAYS: fit(x, y, batch_size)), validating
    on the test set as VALIDATION says."""
    keras.utils.set_random_seed(1)
    batch_size, timer = record["settings"]["batch_size"], EpochTimer()
    feed = ((data.x_train, data.y_train) if arrays else
            (l303.shuffled_batches(data.x_train, data.y_train, batch_size=batch_size),))
    checks = {"none": {}, "keras": {"validation_data": (data.x_test, data.y_test)},
              "suite": {"validation_data": l303.validation_batches(data.x_test, data.y_test)}}
    network_of(record).fit(*feed, batch_size=batch_size if arrays else None, epochs=epochs,
                           verbose=0, callbacks=[timer], **checks[validation])
    return statistics.median(timer.seconds[1:])


def validation_times(repeats):
    """Each way's median epoch over REPEATS runs, alternating, and the median of each run's ratio
    to the run without validation just before it (a slow moment touches both sides alike)."""
    with tempfile.TemporaryDirectory() as folder:
        record = run_script("04", ["--epochs", "1"], folder)
    data = l303.load_mnist(train_size=record["settings"]["train_size"])
    seconds = {way: [] for way in VALIDATION}
    for _ in range(repeats):
        for way in VALIDATION:
            seconds[way].append(epoch_seconds(record, data, 20, validation=way))
    return {"backend": keras.backend.backend(),
            "seconds": {way: statistics.median(times) for way, times in seconds.items()},
            "ratios": {way: statistics.median(np.divide(seconds[way], seconds["none"]))
                       for way in ("suite", "keras")}}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=l303.positive_int, default=1)
    parser.add_argument("--repeats", type=l303.positive_int, default=2,
                        help="runs of each setting, alternating; the fastest counts (default: 2)")
    parser.add_argument("--validation-repeats", type=l303.positive_int, default=7,
                        help="runs of each way of validating (default: 7; an epoch of 04's "
                             "network takes 20-70 ms, and this machine's noise is larger)")
    parser.add_argument("--output", type=Path, default=REPO / "figures" / "BENCH.md")
    parser.add_argument("--jax-python", help="a Python with JAX and no TensorFlow (.venv-jax): "
                        "the validation table also gets a JAX row")
    parser.add_argument("--validation-only", action="store_true",
                        help="time validation only and print it as JSON (for --jax-python)")
    args = parser.parse_args()
    if args.validation_only:  # the last line printed; the script's own lines come before it
        print(json.dumps(validation_times(args.validation_repeats)))
        return

    rows, records = [], {}
    with tempfile.TemporaryDirectory() as folder:
        for number, network in CASES.items():
            runs = {"plain": [], "suite": []}
            for _ in range(args.repeats):  # alternating; a busy moment costs a repeat
                for way, steps in (("plain", ["--steps-per-execution", "1"]), ("suite", [])):
                    runs[way].append(run_script(number, ["--epochs", str(args.epochs), *steps],
                                                str(Path(folder) / way)))
            plain, suite = (min(runs[way], key=fit_seconds) for way in runs)
            records[number] = suite
            seconds = [fit_seconds(plain), fit_seconds(suite)]
            same = plain["histories"] == suite["histories"]
            rows.append(f"| {number} | {network} | {seconds[0]:.1f} s | {seconds[1]:.1f} s "
                        f"({suite['settings']['steps_per_execution']}) | "
                        f"{seconds[0] / seconds[1]:.2f}x | {'yes' if same else '**no**'} |")
            print(rows[-1], flush=True)

    data, data_rows = l303.load_mnist(), []
    for number in ("01", "07"):
        runs = {"arrays": [], "shuffled": []}
        for _ in range(args.repeats):
            for path in runs:
                runs[path].append(epoch_seconds(records[number], data, 2, arrays=path == "arrays"))
        arrays, shuffled = min(runs["arrays"]), min(runs["shuffled"])
        data_rows.append(f"| {number} | {arrays:.2f} s | {shuffled:.2f} s | "
                         f"{shuffled / arrays:.2f} |")
        print(data_rows[-1], flush=True)

    validation = [validation_times(args.validation_repeats)]
    if args.jax_python:
        answer = subprocess.run([args.jax_python, __file__, "--validation-only",
                                 "--validation-repeats", str(args.validation_repeats)],
                                env={**os.environ, "KERAS_BACKEND": "jax"},
                                stdout=subprocess.PIPE, text=True, check=True)
        validation.append(json.loads(answer.stdout.splitlines()[-1]))
    validation_rows = [f"| {row['backend']} | {row['seconds']['none'] * 1000:.0f} ms | "
                       + " | ".join(f"{row['seconds'][way] * 1000:.0f} ms | "
                                    f"{row['ratios'][way]:.2f}x" for way in ("suite", "keras"))
                       + " |" for row in validation]
    print("\n".join(validation_rows), flush=True)

    text = "\n".join([
        "# Speed benchmark (`make bench`)", "",
        f"Plain `model.fit` (`--steps-per-execution 1`, one call into the backend per batch, as on "
        f"the slides) against the scripts' default, {args.epochs} epoch(s) on the full training "
        f"set, same seed: each setting {args.repeats} times, alternating, the fastest counted; "
        f"the time of `fit`, its tracing included (08's validates each epoch, as the script "
        f"does). Machine: {l303_files.machine()}; backend {keras.backend.backend()}, Keras "
        f"{keras.__version__}.", "",
        "| example | network | plain fit | suite (steps_per_execution) | speed-up | same history |",
        "|---|---|---|---|---|---|", *rows, "", "## The data path", "",
        f"One epoch (after a first one that traces and compiles; best of {args.repeats}, "
        "alternating) of the networks of 01 and 07 on the full training set, with the scripts' "
        "steps_per_execution: fed by `l303.shuffled_batches` (a new order every epoch) against "
        "Keras' array path `fit(x, y, batch_size=...)` (which on TensorFlow with a seed set "
        "replays one order every epoch).", "",
        "| network | Keras arrays (one order) | shuffled_batches (new order per epoch) | ratio |",
        "|---|---|---|---|", *data_rows, "", "## Validation", "",
        "An epoch of 04's network (784-30-10, SGD, 10000 training images in batches of 120, built "
        "from what `l303-example-04.py --epochs 1` records), validating on the 10000 test images "
        "after it, against the same epoch without validation: the median of epochs 2-20; each way "
        f"run {args.validation_repeats} times, alternating, and the median of those runs shown; a "
        "ratio is the median of each run's ratio to the run without validation just before it.",
        "", f"| backend | {VALIDATION['none']} | {VALIDATION['suite']} | ratio | "
        f"{VALIDATION['keras']} | ratio |",
        "|---|---|---|---|---|---|", *validation_rows])
    l303_files.write_atomically(args.output, lambda temporary: temporary.write_text(text + "\n"))
    print(f"Wrote {args.output}")
    if "**no**" in text:
        sys.exit("error: a history differs between plain fit and steps_per_execution")


if __name__ == "__main__":
    main()
