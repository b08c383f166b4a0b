"""make bench: how fast is the suite's training against plain Keras, on this machine, right now?

It runs examples 01 (784-30-10, batch 10: overhead-bound), 07 (784-512-512-10, batch 128: dense,
compute-bound) and 08 (the 5x5 CNN, batch 128) twice each for a fixed number of epochs on the full
training set, from the same seed: once as plain `model.fit` as the slides call it
(`--steps-per-execution 1`), once as the scripts run by default. It checks that both give the same
history, and reports the ratio of the `fit` times and the achieved GFLOP/s against the float32
matrix-product rate of this machine, measured in the same run. Each setting runs --repeats times,
alternating, and its fastest run counts.

The scripts run in this process (tools/runner.py), each as `python SCRIPT ARGS` would; the networks
are the scripts' own, never retyped here: each is built again from what its run records (its
"built"). It also times the data path: one epoch of 01's and 07's networks fed by
l303.shuffled_batches (a new order every epoch) against Keras' own array path,
fit(x, y, batch_size=...), which replays one order in every epoch on TensorFlow with a seed set;
same steps_per_execution, alternating. And it times validation: an epoch of 04's network (built
from what a one-epoch run of 04 records) validating on the 10000 test images as the scripts do
(l303.validation_batches), and as Keras' own array path does (validation_data=(x, y)), against
the same epoch without validation, each way --validation-repeats times, alternating, the ratio
the median of each run's ratio to the run without validation just before it; on TensorFlow here
and, given --jax-python (make bench makes .venv-jax where it can), on JAX in that environment.
Writes figures/BENCH.md.

A benchmark, not a test: nothing in `make test` depends on timings. Timings on a shared machine are
noisy; compare the ratios within one run.
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


def matmul_gflops(size=1024, repeats=20):
    """float32 matrix-product rate of the backend on this machine (best of several)."""
    a = keras.random.normal((size, size))
    b = keras.random.normal((size, size))
    keras.ops.convert_to_numpy(keras.ops.matmul(a, b))  # warm up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(a, b))
        best = min(best, time.perf_counter() - started)
    return 2 * size ** 3 / best / 1e9


def training_flops_per_image(model):
    """Floating-point operations to train on one image: the multiply-adds of the dense and
    convolution layers, times 2 (multiply and add) and 3 (the forward pass and two backward
    products). Elementwise work (activations, the optimizer) is not counted."""
    multiply_adds = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            multiply_adds += int(np.prod(layer.kernel.shape))
        elif kind == "Conv2D":
            height, width = layer.output.shape[1:3]
            multiply_adds += height * width * int(np.prod(layer.kernel.shape))
    return 2 * 3 * multiply_adds


def data_path_seconds(record, path, data, epochs=2):
    """Seconds per epoch after the first (which traces and compiles), a fresh network as RECORD's
    one model was built, trained with its batch size."""
    keras.utils.set_random_seed(1)
    model = network_of(record, next(iter(record["models"])))
    batch_size, times = record["settings"]["batch_size"], []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.started)

    if path == "keras":
        model.fit(data.x_train, data.y_train, batch_size=batch_size, epochs=epochs, verbose=0,
                  callbacks=[EpochTimer()])
    else:
        model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=batch_size),
                  epochs=epochs, verbose=0, callbacks=[EpochTimer()])
    return min(times[1:])


VALIDATION_WAYS = {"none": "no validation", "suite": "l303.validation_batches (the scripts)",
                   "keras": "Keras' array path, validation_data=(x, y)"}


def network_of(record, key):
    """A fresh network as RECORD's model KEY was built (its "built": layers, optimizer, loss),
    compiled with the run's steps_per_execution."""
    def without_class(config):
        return {name: value for name, value in config.items() if name != "class"}

    built = record["built"][key]
    layers = [getattr(keras.layers, layer["class"]).from_config(without_class(layer))
              for layer in built["layers"]]
    optimizer = getattr(keras.optimizers, built["optimizer"]["class"]).from_config(
        without_class(built["optimizer"]))
    model = keras.Sequential([keras.Input(shape=built["input_shape"]), *layers])
    model.compile(loss=built["loss"], optimizer=optimizer, metrics=["accuracy"],
                  steps_per_execution=record["settings"]["steps_per_execution"])
    return model


def validated_epoch_seconds(record, way, data, epochs=20):
    """The median seconds of epochs 2..EPOCHS (the first traces and compiles) of 04's network,
    trained as 04 trains it, validating on the test set WAY (VALIDATION_WAYS)."""
    keras.utils.set_random_seed(1)
    model, times = network_of(record, "plain"), []

    class EpochTimer(keras.callbacks.Callback):  # on_epoch_end comes after the validation
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.started)

    validation = {"none": {}, "keras": {"validation_data": (data.x_test, data.y_test)},
                  "suite": {"validation_data": l303.validation_batches(data.x_test, data.y_test)}}
    model.fit(l303.shuffled_batches(data.x_train, data.y_train,
                                    batch_size=record["settings"]["batch_size"]),
              epochs=epochs, verbose=0, callbacks=[EpochTimer()], **validation[way])
    return float(np.median(times[1:]))


def validation_times(repeats):
    """Backend name, each way's median epoch (VALIDATION_WAYS) over REPEATS runs of each,
    alternating, and the median of each run's ratio to the run without validation just before
    it: a slow moment of this shared machine then touches both sides of a ratio alike."""
    with tempfile.TemporaryDirectory() as folder:
        status = run_as_main(script_path("04"), ["--epochs", "1", "--outdir", folder])
        status, record = result_of(status, "04", folder)
    if record is None:
        sys.exit(f"error: l303-example-04 failed (exit {status})")
    data = l303.load_mnist(train_size=record["settings"]["train_size"])
    seconds = {way: [] for way in VALIDATION_WAYS}
    for _ in range(repeats):
        for way in VALIDATION_WAYS:
            seconds[way].append(validated_epoch_seconds(record, way, data))
    return {"backend": keras.backend.backend(),
            "seconds": {way: statistics.median(times) for way, times in seconds.items()},
            "ratios": {way: statistics.median(way_seconds / none for way_seconds, none
                                              in zip(seconds[way], seconds["none"]))
                       for way in ("suite", "keras")}}


def validation_rows(repeats, jax_python):
    """One row per backend: here, and JAX in JAX_PYTHON's environment when it is given."""
    rows = [validation_times(repeats)]
    if jax_python:
        answer = subprocess.run([jax_python, __file__, "--validation-only",
                                 "--validation-repeats", str(repeats)],
                                env={**os.environ, "KERAS_BACKEND": "jax"},
                                stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(answer.stdout.splitlines()[-1]))
    for row in rows:
        none, suite, own = (row["seconds"][way] * 1000 for way in ("none", "suite", "keras"))
        print(f"04's epoch ({row['backend']}): no validation {none:.0f} ms, validation_batches "
              f"{suite:.0f} ms ({row['ratios']['suite']:.2f}x), Keras' array path {own:.0f} ms "
              f"({row['ratios']['keras']:.2f}x)", flush=True)
    return rows


def run_once(number, epochs, steps_per_execution, outdir):
    """Run a script for EPOCHS on the full training set, in this process; returns its fit
    seconds, its history, the training FLOPs, its steps_per_execution and its record."""
    flags = ["--epochs", str(epochs)]
    if steps_per_execution is not None:
        flags += ["--steps-per-execution", str(steps_per_execution)]
    status = run_as_main(script_path(number), [*flags, "--outdir", str(outdir)])
    status, result = result_of(status, number, outdir)
    if result is None:
        sys.exit(f"error: l303-example-{number} failed (exit {status})")
    model = next(iter(result["models"]))  # the one model of 01, 07 and 08
    flops = (training_flops_per_image(network_of(result, model))
             * result["settings"]["train_size"] * epochs)
    return (result["notes"]["fit_seconds"][model], result["histories"][model], flops,
            result["settings"]["steps_per_execution"], result)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=l303.positive_int, default=1)
    parser.add_argument("--repeats", type=l303.positive_int, default=2,
                        help="runs of each setting, alternating; the fastest counts (default: 2)")
    parser.add_argument("--validation-repeats", type=l303.positive_int, default=7,
                        help="runs of each way of validating, alternating (default: 7; an epoch "
                             "of 04's network takes 20-70 ms, and this machine's noise is larger)")
    parser.add_argument("--output", type=Path, default=REPO / "figures" / "BENCH.md")
    parser.add_argument("--jax-python", help="a Python with JAX and no TensorFlow (.venv-jax): "
                        "the validation table also gets a JAX row")
    parser.add_argument("--validation-only", action="store_true",
                        help="time validation only and print it as JSON (for --jax-python)")
    args = parser.parse_args()
    if args.validation_only:
        # The last line printed; the script's own lines come before it.
        print(json.dumps(validation_times(args.validation_repeats)))
        return

    peak = matmul_gflops()
    print(f"float32 matrix product (1024x1024, {keras.backend.backend()}): {peak:.0f} GFLOP/s")
    rows, records = [], {}
    with tempfile.TemporaryDirectory() as folder:
        for number, network in CASES.items():
            # Alternate the two settings and keep each one's fastest run: a busy moment on a
            # shared machine then costs a repeat, not a wrong ratio.
            runs = {"plain": [], "suite": []}
            for _ in range(args.repeats):
                runs["plain"].append(run_once(number, args.epochs, 1, Path(folder) / "plain"))
                runs["suite"].append(run_once(number, args.epochs, None, Path(folder) / "suite"))
            plain, suite = (min(runs[name], key=lambda run: run[0]) for name in ("plain", "suite"))
            records[number] = suite[4]
            same = plain[1] == suite[1]
            rows.append((number, network, plain[0], suite[0], suite[2], suite[3], same))
            print(f"{number} ({network}): plain fit {plain[0]:.1f} s, suite {suite[0]:.1f} s "
                  f"({plain[0] / suite[0]:.2f}x), {suite[2] / suite[0] / 1e9:.0f} GFLOP/s; "
                  f"identical history: {same}", flush=True)

    validation = validation_rows(args.validation_repeats, args.jax_python)
    data = l303.load_mnist()
    data_rows = []
    for network in ("01", "07"):
        runs = {"keras": [], "shuffled": []}
        for _ in range(args.repeats):
            for path in runs:
                runs[path].append(data_path_seconds(records[network], path, data))
        keras_path, shuffled = min(runs["keras"]), min(runs["shuffled"])
        data_rows.append((network, keras_path, shuffled))
        print(f"{network} data path: Keras arrays {keras_path:.2f} s/epoch, shuffled_batches "
              f"{shuffled:.2f} s/epoch ({shuffled / keras_path:.2f}x)", flush=True)

    lines = [
        "# Speed benchmark (`make bench`)", "",
        f"Plain `model.fit` (`--steps-per-execution 1`, one call into the backend per batch, as on "
        f"the slides) against the scripts' "
        f"default, {args.epochs} epoch(s) on the full training set, same seed, measured in one "
        f"run: each setting {args.repeats} times, alternating, the fastest counted. Machine: "
        f"{l303_files.machine()}; backend {keras.backend.backend()}, Keras {keras.__version__}. float32 matrix product "
        f"(1024x1024) measured at **{peak:.0f} GFLOP/s** in the same run.", "",
        "| example | network | plain fit | suite (steps_per_execution) | speed-up | training "
        "GFLOP/s (suite) | share of matrix-product rate | same history |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, network, plain_seconds, suite_seconds, flops, steps, same in rows:
        rate = flops / suite_seconds / 1e9
        lines.append(f"| {number} | {network} | {plain_seconds:.1f} s | {suite_seconds:.1f} s "
                     f"({steps}) | {plain_seconds / suite_seconds:.2f}x | {rate:.0f} | "
                     f"{rate / peak:.0%} | {'yes' if same else '**no**'} |")
    lines += ["", "## The data path", "",
              "One epoch (after a first one that traces and compiles; best of "
              f"{args.repeats}, alternating) of the networks of 01 and 07 on the full training "
              "set, with the scripts' steps_per_execution: fed by `l303.shuffled_batches` (a new "
              "order every epoch) against Keras' array path `fit(x, y, batch_size=...)` (which on "
              "TensorFlow with a seed set replays one order every epoch).", "",
              "| network | Keras arrays (one order) | shuffled_batches (new order per epoch) | "
              "ratio |", "|---|---|---|---|"]
    for network, keras_path, shuffled in data_rows:
        lines.append(f"| {network} | {keras_path:.2f} s | {shuffled:.2f} s | "
                     f"{shuffled / keras_path:.2f} |")
    lines += ["", "## Validation", "",
              "An epoch of 04's network (784-30-10, SGD, 10000 training images in batches of "
              "120, built from what `l303-example-04.py --epochs 1` records), validating on the "
              "10000 test images after it, against the same epoch without validation: the "
              f"median of epochs 2-20; each way run {args.validation_repeats} times, alternating, "
              "and the median of those runs shown; a ratio is the median of each run's ratio to "
              "the run without validation just before it.", "",
              "| backend | no validation | `l303.validation_batches` (the scripts) | ratio | "
              "Keras' array path `validation_data=(x, y)` | ratio |", "|---|---|---|---|---|---|"]
    for row in validation:
        none, suite, own = (row["seconds"][way] * 1000 for way in ("none", "suite", "keras"))
        lines.append(f"| {row['backend']} | {none:.0f} ms | {suite:.0f} ms | "
                     f"{row['ratios']['suite']:.2f}x | {own:.0f} ms | "
                     f"{row['ratios']['keras']:.2f}x |")
    lines += ["", "Times are those of `fit`, first call's tracing included; 08's `fit` also runs a "
              "validation pass over the 10000 test images each epoch, as the script does. GFLOP/s "
              "counts the training multiply-adds of the dense and convolution layers, times 2 "
              "(multiply and add) and 3 (forward and backward), and nothing else (no validation, "
              "no elementwise work), so it is a lower bound."]
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    l303_files.write_atomically(args.output, lambda temporary: temporary.write_text(text))
    print(f"Wrote {args.output}")
    if not all(row[-1] for row in rows):
        sys.exit("error: a history differs between plain fit and steps_per_execution")


if __name__ == "__main__":
    main()
