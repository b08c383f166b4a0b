"""Every workaround of a Keras or TensorFlow defect the scripts meet, and when it can go.

Each names the defect, its upstream report and the test or command that shows whether the pinned
versions still have it. None changes what a script teaches (docs/keras3.md).

0. Keras without TensorFlow: choose_backend().
1. TensorFlow's start-up chatter: import_keras_quietly().
2. The progress bar that overshoots its epoch: ProgressBarWithinTheEpoch.
3. One batch order in every epoch: tensorflow_shuffled_batches().
4. steps_per_execution on PyTorch: default_steps_per_execution().
5. Max pooling's slow gradient on JAX's CPU: max_pooling_by_reshape_on_jax().
6. Augmentation layers trained op by op on JAX: compiled_augmentation_on_jax().
7. Validation that costs more than the epoch it checks: validation_batches()."""

import json
import logging
import math
import os
import re
import sys
import tempfile
import warnings

import numpy as np

from l303_files import installed

_CHATTER = re.compile(r"^([IWE]\d{4} [\d:.]+\s+\d+ \S+:\d+\]|WARNING: All log messages "
                      r"before absl::InitializeLog|To enable the following instructions:)")


BACKENDS = ("tensorflow", "jax", "torch")  # in the order a script takes the first installed


def choose_backend():
    """0. The backend this environment has: KERAS_BACKEND, else ~/.keras/keras.json's if installed,
    else the first installed of BACKENDS; set in KERAS_BACKEND, so every later import agrees.

    Limitation: Keras 3.15.1 takes TensorFlow unless told otherwise, and without it (Python 3.14
    and 3.15) `import keras` fails. Documented (keras.io, "configuring your backend"), no report.
    When it can go: never while a JAX environment exists."""
    chosen = os.environ.get("KERAS_BACKEND")
    if not chosen:
        config = os.path.join(os.environ.get("KERAS_HOME") or os.path.expanduser("~/.keras"),
                              "keras.json")
        try:
            with open(config) as file:
                chosen = json.load(file).get("backend")
        except (OSError, ValueError, AttributeError):
            chosen = None
        if chosen not in BACKENDS or not installed(chosen):
            chosen = next((name for name in BACKENDS if installed(name)), None)
        if chosen is None:
            raise SystemExit(f"{os.path.basename(sys.argv[0]) or 'l303'}: error: {sys.executable} "
                             f"has Keras but no backend for it (TensorFlow, JAX or PyTorch); run "
                             f"`make setup`, then .venv/bin/python")
        os.environ["KERAS_BACKEND"] = chosen
    return chosen


def import_keras_quietly():
    """1. Import Keras without TensorFlow's start-up chatter (CUDA probing, oneDNN notes).

    Defect: TensorFlow 2.21 writes these lines from C++ to file descriptor 2, ignoring
    TF_CPP_MIN_LOG_LEVEL for some (tensorflow/tensorflow#100442, open). Only lines of that form are
    dropped; L303_VERBOSE_BACKEND=1 shows everything.
    When it can go: `L303_VERBOSE_BACKEND=1 python examples/l303-example-01.py --quick` prints no
    such line with TF_CPP_MIN_LOG_LEVEL=3 set."""
    if "keras" not in sys.modules:
        choose_backend()
    if os.environ.get("L303_VERBOSE_BACKEND", "") not in ("", "0") or "keras" in sys.modules:
        import keras  # noqa: F401
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras

            keras.ops.convert_to_tensor([0.0])  # the first operation probes for GPUs
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            kept = [line for line in captured.read().decode(errors="replace").splitlines()
                    if not _CHATTER.match(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)
    # TensorFlow's Python warnings about retracing: every script that trains several models in a
    # loop (a fresh model each) triggers them, and they only concern speed.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


import_keras_quietly()  # l303 imports this module once the flags are read, before Keras

import keras  # noqa: E402


class ProgressBarWithinTheEpoch(keras.callbacks.ProgbarLogger):
    """2. Keras' progress bar, counting no further than the epoch's own number of steps.

    Defect: with steps_per_execution above an epoch's steps, Keras 3.15.1 shows "500/84" and a bar
    wider than the terminal (keras-team/keras#20861, open; fix: pull request #21422). Passed in
    fit's callbacks, it takes the place of Keras' own bar.
    When it can go: tests/test_speed_settings.py::test_keras_progress_bar_still_overshoots fails."""

    def _within_the_epoch(self, batch):
        return batch if self.target is None else min(batch, self.target - 1)

    def on_train_batch_end(self, batch, logs=None):
        super().on_train_batch_end(self._within_the_epoch(batch), logs)

    def on_test_batch_end(self, batch, logs=None):
        super().on_test_batch_end(self._within_the_epoch(batch), logs)

    def on_predict_batch_end(self, batch, logs=None):
        super().on_predict_batch_end(self._within_the_epoch(batch), logs)


def tensorflow_shuffled_batches(x, y, batch_size, seed):
    """3. Mini-batches in a new order every epoch, on TensorFlow, from a seed.

    Defect: with a global seed set, Keras 3.15.1 on TensorFlow replays one batch order in every
    epoch of fit(x, y, shuffle=True); JAX and PyTorch reshuffle. No report found (nearest:
    tensorflow/tensorflow#29558).
    When it can go: tests/test_batch_order.py::test_keras_array_path_still_replays_one_order fails.

    Shaped like Keras' own pipeline: one permutation per epoch from a seed tf.data draws anew on
    every pass, cut into batches of indices, one gather per batch; as fast (make bench)."""
    import tensorflow as tf

    # fit's shuffle=True default does not apply to a dataset, which is shuffled already.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")
    samples = len(x)
    full_batches, rest = divmod(samples, batch_size)

    def permutation(epoch_seed):
        return tf.argsort(tf.random.stateless_uniform([samples], seed=tf.stack([epoch_seed, 0])))

    def batches_of(indices):
        cut = full_batches * batch_size
        batches = tf.data.Dataset.from_tensor_slices(
            tf.reshape(indices[:cut], [full_batches, batch_size]))
        if rest:
            batches = batches.concatenate(tf.data.Dataset.from_tensors(indices[cut:]))
        return batches

    indices = (tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).take(1)
               .map(permutation).prefetch(1).flat_map(batches_of)
               # flat_map hides the length: tell Keras, for its progress bar and epoch ends
               .apply(tf.data.experimental.assert_cardinality(full_batches + (rest > 0))))
    arrays = tf.data.Dataset.from_tensors((x, y)).repeat()
    batches = tf.data.Dataset.zip((indices, arrays)).map(
        lambda chosen, xy: (tf.gather(xy[0], chosen), tf.gather(xy[1], chosen)),
        num_parallel_calls=tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False  # as Keras does
    return batches.with_options(options).prefetch(tf.data.AUTOTUNE)


class ShuffledBatches(keras.utils.PyDataset):
    """3. (continued) The same on JAX and PyTorch: a NumPy permutation per epoch, from --seed."""

    def __init__(self, x, y, batch_size, seed):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.random = np.random.default_rng(seed)
        self.order = self.random.permutation(len(x))

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        chosen = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return self.x[chosen], self.y[chosen]

    def on_epoch_end(self):
        self.order = self.random.permutation(len(self.x))


def default_steps_per_execution():
    """4. Many batches per call into the backend: small batches are otherwise all overhead; the
    numbers do not change (tests/test_speed_settings.py).

    Limitation: Keras 3.15.1's PyTorch trainer accepts only 1; "auto" crashes in fit (no report).
    When it can go: `KERAS_BACKEND=torch python examples/l303-example-01.py --quick
    --steps-per-execution 500` trains."""
    return 1 if keras.backend.backend() == "torch" else 500


def max_pooling_by_reshape_on_jax():
    """5. MaxPooling2D on JAX by reshape and max, where the windows tile the image (08, 08a).

    Defect: on JAX's CPU the gradient of Keras 3.15.1's MaxPooling2D (XLA's select_and_scatter)
    took more than half of 08's training step: 5.4 s an epoch against 2.3 s by reshape
    (MEASUREMENTS.md, "Backends"). No report found (nearest: tensorflow/tensorflow#56511). Same
    values and gradients, but where two inputs of a window tie for the largest (after a ReLU, both
    0). When it can go: tests/test_jax_environment.py::test_max_pooling_on_jax_takes_the_same_
    maximum_as_keras_and_keras_still_scatters fails on its last line; then make backends."""
    if keras.backend.backend() != "jax" or getattr(keras.layers.MaxPooling2D, "by_reshape", False):
        return
    from keras import ops

    keras_call = keras.layers.MaxPooling2D.call

    def call(self, inputs):
        if tuple(self.strides) != tuple(self.pool_size) or self.padding != "valid" \
                or self.data_format != "channels_last":
            return keras_call(self, inputs)
        (pool_rows, pool_columns), (_, height, width, channels) = self.pool_size, inputs.shape
        rows, columns = height // pool_rows, width // pool_columns
        windows = ops.reshape(inputs[:, :rows * pool_rows, :columns * pool_columns, :],
                              (-1, rows, pool_rows, columns, pool_columns, channels))
        return ops.max(windows, axis=(2, 4))

    keras.layers.MaxPooling2D.call = call
    keras.layers.MaxPooling2D.by_reshape = True


max_pooling_by_reshape_on_jax()



# The augmentation layers that tell Keras they cannot be compiled (Keras 3.15.1).
UNCOMPILED_AUGMENTATION = ("RandomCrop", "RandomPerspective", "RandomRotation", "RandomShear",
                           "RandomTranslation", "RandomZoom")


def compiled_augmentation_on_jax():
    """6. Keras' geometric augmentation layers (08a) compiled with the training step on JAX.

    Defect: Keras 3.15.1 marks them supports_jit = False, so a model holding one trains op by op on
    JAX: 141 s an epoch of 08a against 29 s compiled (keras-team/keras#23229, open). Their random
    draws go through Keras' seed state, as Dropout's do.
    When it can go: tests/test_jax_environment.py::test_the_augmentation_layers_are_compiled_on_
    jax_and_keras_still_says_they_cannot_be fails on its last line."""
    if keras.backend.backend() != "jax":
        return
    for name in UNCOMPILED_AUGMENTATION:
        # What the layer's __init__ says (False) is set aside; reading gives True.
        getattr(keras.layers, name).supports_jit = property(lambda layer: True,
                                                            lambda layer, said: None)


compiled_augmentation_on_jax()


VALIDATION_BATCH_SIZE = 2500  # four batches of 10000; only the loss's 7th digit moves with it


def validation_batches(x, y):
    """7. (x, y) for fit's validation_data, in batches of VALIDATION_BATCH_SIZE, in their order.

    Defect: fit(dataset, validation_data=(x, y)) in Keras 3.15.1 validates in batches of 32 and
    makes a new pipeline every epoch: on TensorFlow more than a 10000-image epoch of 04 costs. No
    report found for the conversion. The time it saves: figures/BENCH.md, "Validation"; why JAX
    keeps more: MEASUREMENTS.md. The loss differs in the 7th significant digit.
    When it can go: make bench shows fit's own (x, y) path within 1.3x of no validation."""
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}")
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.data.Dataset.from_tensor_slices((x, y)).batch(VALIDATION_BATCH_SIZE).cache()
    return InBatches(x, y, VALIDATION_BATCH_SIZE)


class InBatches(keras.utils.PyDataset):
    """7. (continued) (x, y) in batches, in their order, on JAX and PyTorch."""

    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        cut = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[cut], self.y[cut]
