"""Every workaround of a Keras or TensorFlow defect the scripts meet, and how to tell when it can
go.

Each entry names the defect, where it is reported upstream, and the test or command that shows
whether the pinned versions (requirements.txt) still have it. None changes what a script
teaches: they keep the screen readable, the batch order new in every epoch (which is the point
of that one) and the CNNs practical on JAX (the same values, computed another way).

0. Keras without TensorFlow: choose_backend(), called by import_keras_quietly().
1. TensorFlow's start-up chatter: import_keras_quietly().
2. The progress bar that overshoots its epoch: ProgressBarWithinTheEpoch.
3. One batch order in every epoch: tensorflow_shuffled_batches().
4. steps_per_execution on PyTorch: default_steps_per_execution().
5. Max pooling's slow gradient on JAX's CPU: max_pooling_by_reshape_on_jax().
6. Augmentation layers trained op by op on JAX: compiled_augmentation_on_jax().
7. Validation that costs more than the epoch it checks: validation_batches().
"""

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
    """0. The backend this environment has, for Keras: KERAS_BACKEND if it is set, else
    ~/.keras/keras.json's if that is installed, else the first installed of TensorFlow, JAX and
    PyTorch. Sets KERAS_BACKEND to it (so every later import of Keras agrees) and returns it.

    Limitation: Keras 3.15.1 takes TensorFlow unless told otherwise, and with TensorFlow absent
    (Python 3.14 and 3.15, where TensorFlow 2.21 has no wheels; make setup makes a JAX
    environment there) `import keras` fails with ModuleNotFoundError. A documented default, not
    a defect (keras.io/getting_started: "configuring your backend"), so no upstream report.
    When it can go: never while a JAX environment exists; an explicit KERAS_BACKEND always wins.
    """
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
    """1. Import Keras with TensorFlow's start-up chatter (CUDA probing, oneDNN notes) left out.

    Defect: TensorFlow 2.21 writes these lines from C++ straight to file descriptor 2 and ignores
    TF_CPP_MIN_LOG_LEVEL for some of them (tensorflow/tensorflow#100442, open); a student should
    see our messages, not these. Only lines of that known form are dropped: anything else written
    meanwhile is passed on to stderr. L303_VERBOSE_BACKEND=1 shows everything.
    When it can go: `L303_VERBOSE_BACKEND=1 python examples/l303-example-01.py --quick` prints no
    line of that form with TF_CPP_MIN_LOG_LEVEL=3 set.
    """
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

    Defect: with steps_per_execution larger than an epoch's steps, Keras 3.15.1 reports a whole
    execution's worth of steps: "500/84" and a bar far wider than the terminal
    (keras-team/keras#20861, open; its fix is pull request #21422, open). Passed in fit's
    callbacks, it takes the place of Keras' own bar (Keras adds one only when none is given);
    only the display changes.
    When it can go: tests/test_speed_settings.py::test_keras_progress_bar_still_overshoots fails.
    """

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

    Defect: with a global seed set (keras.utils.set_random_seed, as --seed does), Keras 3.15.1 on
    TensorFlow replays one batch order in every epoch of fit(x, y, shuffle=True); JAX and PyTorch
    reshuffle. No upstream report found; the nearest, for tf.data, is tensorflow/tensorflow#29558.
    When it can go: tests/test_batch_order.py::test_keras_array_path_still_replays_one_order
    fails.

    Shaped like Keras' own array pipeline: one permutation per epoch, cut into batches of
    indices, one gather per batch. The permutation comes from a seed that tf.data draws anew on
    every pass (rerandomize_each_iteration), so each epoch differs while the same seed repeats
    the same orders; it is as fast as fit(x, y) (make bench).
    """
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
    """3. (continued) The same on JAX and PyTorch: one NumPy permutation per epoch, sliced into
    batches, so that every backend's fit gets the same kind of argument and its order comes from
    --seed's NumPy generator."""

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
    """4. Many batches per call into the backend: small batches are otherwise all overhead.

    The numbers do not change (tests/test_speed_settings.py checks the histories are identical).
    Limitation: the PyTorch backend of Keras 3.15.1 accepts only 1 (its trainer raises
    otherwise), so PyTorch gets 1. `compile(steps_per_execution="auto")` is accepted but crashes
    in fit (no upstream report found), so the number is always an integer.
    When it can go: `KERAS_BACKEND=torch python examples/l303-example-01.py --quick
    --steps-per-execution 500` trains.
    """
    return 1 if keras.backend.backend() == "torch" else 500


def max_pooling_by_reshape_on_jax():
    """5. Keras' MaxPooling2D on JAX, its windows' maximum taken by reshape and max where the
    windows tile the image (pool size = strides, no padding: examples 08 and 08a).

    Defect: on JAX's CPU the gradient of Keras 3.15.1's MaxPooling2D (lax.reduce_window, whose
    gradient is XLA's select_and_scatter) takes more than half of a CNN's training step: an epoch
    of example 08's network on 12800 images took 5.4 s against 2.3 s with the same maximum
    taken by reshape and max (TensorFlow: 3.2 s; figures/MEASUREMENTS.md, "Backends"). No
    upstream report found; the nearest is tensorflow/tensorflow#56511 (XLA's CPU scatter is a
    serial loop). The values are the same; the gradient too, but where two inputs of one window
    are equal and largest (it is then shared between them: after a ReLU, where both are 0 and
    get no gradient anyway). On TensorFlow and PyTorch nothing changes.
    When it can go: tests/test_jax_environment.py::test_max_pooling_on_jax_takes_the_same_
    maximum_as_keras_and_keras_still_scatters fails on its last line; then measure (make backends).
    """
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
    """6. Keras' geometric augmentation layers (RandomRotation, RandomTranslation: example 08a)
    compiled with the rest of the training step on JAX.

    Defect: Keras 3.15.1 marks these layers supports_jit = False, and a model that holds one is
    trained without XLA; on JAX that means every step runs op by op: an epoch of example 08a
    took 141 s against 28 s on TensorFlow (keras-team/keras#23229, open). On JAX they are made
    of the backend's own operations, which compile (their random draws go through Keras' seed
    state, as Dropout's do), and compiled the epoch took 29 s; on TensorFlow and PyTorch nothing
    changes. When it can go: tests/test_jax_environment.py::test_the_augmentation_layers_are_
    compiled_on_jax_and_keras_still_says_they_cannot_be fails on its last line.
    """
    if keras.backend.backend() != "jax":
        return
    for name in UNCOMPILED_AUGMENTATION:
        # What the layer's __init__ says (False) is set aside; reading gives True.
        getattr(keras.layers, name).supports_jit = property(lambda layer: True,
                                                            lambda layer, said: None)


compiled_augmentation_on_jax()


VALIDATION_BATCH_SIZE = 2500  # four batches of 10000; only the loss's 7th digit moves with it


def validation_batches(x, y):
    """7. (x, y) for fit's validation_data, in batches of VALIDATION_BATCH_SIZE, ready for every
    epoch's validation: the same images and labels, in their order.

    Defect: fit(dataset, validation_data=(x, y)) in Keras 3.15.1 validates in batches of 32 (its
    validation_batch_size defaults to fit's batch_size, which a dataset leaves unset) and turns
    the arrays into a new pipeline of batches every epoch; on TensorFlow that costs more than the
    training of a 10000-image epoch of 04's network (figures/MEASUREMENTS.md, "Where a validated
    epoch's time goes"). Keras documents the default; the per-epoch conversion has no upstream
    report we found. Batches of 2500 from a cached tf.data dataset on TensorFlow, from a
    PyDataset of slices elsewhere, bring 04's validated epoch within 1.3x of one without on
    TensorFlow (from near 3x) and to 1.3-1.4x on JAX (from 1.6-1.8x), the forward pass and Keras'
    metric bookkeeping being what is left (make bench, figures/MEASUREMENTS.md). The loss is
    summed over other batches, so it differs in the 7th significant digit.
    When it can go: make bench's validation table shows fit's own (x, y) path within 1.3x of
    no validation.
    """
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}")
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.data.Dataset.from_tensor_slices((x, y)).batch(VALIDATION_BATCH_SIZE).cache()
    return InBatches(x, y, VALIDATION_BATCH_SIZE)


class InBatches(keras.utils.PyDataset):
    """7. (continued) (x, y) in batches of batch_size, in their order, on JAX and PyTorch."""

    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        cut = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[cut], self.y[cut]
