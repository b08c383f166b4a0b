"""What every l303 script calls: the data, the flags, the run record and the figure.

Nothing the lecture teaches lives here: each script keeps its model, its `compile` and its
`model.fit(...)` in plain sight, as on its slide. This module gives it

- load_mnist(): the committed MNIST file (no download), scaled and one-hot, as on the slides;
- shuffled_batches(): the training data in a new random order every epoch, as SGD needs;
- make_parser() / parse_args(): the flags every script shares (--quick, --epochs, --lr, ...);
- Run: `callbacks=[run.recorder("label")]` records each fit, so Ctrl-C keeps the completed
  epochs; run.report_performance() prints the slide's "Performance" lines; run.save() writes
  <outdir>/<script>.png and <script>.json;
- plot_history(): loss on top, accuracy below, training solid, validation dashed.

Files, checksums and the JSON record's details are in l303_files.py.
"""

import argparse
import math
import os
import signal
import sys
import time
import types
import warnings
from pathlib import Path

import numpy as np

import l303_files

l303_files.import_keras_quietly()  # scripts import l303 before keras: hide TensorFlow's chatter

import keras  # noqa: E402

_progbar_update = keras.utils.Progbar.update


def _progbar_update_within_the_epoch(self, current, values=None, finalize=None):
    """Keras 3.15's progress bar counts a whole execution of steps_per_execution steps even when
    an epoch has fewer: "500/84" and a bar far wider than the terminal (keras-team/keras#20861).
    The count stops at the epoch's own number of steps. Only the display changes."""
    if self.target is not None:
        current = min(current, self.target)
    return _progbar_update(self, current, values, finalize)


keras.utils.Progbar.update = _progbar_update_within_the_epoch

VALIDATION_START = 50000  # the lecture validates on x_train[50000:], never on the test set
DEFAULT_SEED = 1  # RESULTS.md shows how the slides' numbers spread over other seeds
DEFAULT_OUTDIR = l303_files.REPO / "figures"
# --quick: enough to see every line of a script run, far too little to learn anything.
QUICK_TRAIN_SIZE = 1000
QUICK_TEST_SIZE = 1000
QUICK_EPOCHS = 2
INTERRUPTED_EXIT_STATUS = 130  # what a shell reports for Ctrl-C


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

def scale_pixels(images, shape):
    """uint8 pixels to float32 in [0, 1], reshaped per image (e.g. (28, 28) or (28, 28, 1))."""
    return (images.astype(np.float32) / 255.0).reshape((len(images),) + tuple(shape))


def one_hot(labels):
    return np.eye(10, dtype=np.float32)[labels]


def load_mnist(train_size=60000, test_size=None, validation=False, shape=(28, 28)):
    """MNIST as the slides use it: pixels / 255 as float32, one-hot labels.

    train_size: the first N training images (the overtraining slides use 10000).
    validation: also return the lecture's validation set x_train[50000:] as x_valid/y_valid; the
        training images must then come from the first 50000 so the two never overlap.
    test_size: the first N test (and validation) images; None for all (only --quick cuts them).
    Returns a namespace with x_train, y_train, x_test, y_test (and x_valid, y_valid), plus
    test_images (uint8, for drawing) and test_labels (integers).
    """
    arrays = l303_files.load_mnist_arrays()
    limit = VALIDATION_START if validation else len(arrays["x_train"])
    if not 1 <= train_size <= limit:
        raise ValueError(f"train_size must be between 1 and {limit}, got {train_size}")
    data = types.SimpleNamespace(
        x_train=scale_pixels(arrays["x_train"][:train_size], shape),
        y_train=one_hot(arrays["y_train"][:train_size]),
        x_test=scale_pixels(arrays["x_test"][:test_size], shape),
        y_test=one_hot(arrays["y_test"][:test_size]),
        test_images=arrays["x_test"][:test_size],
        test_labels=arrays["y_test"][:test_size].astype(np.int64),
    )
    if validation:
        valid_images = arrays["x_train"][VALIDATION_START:][:test_size]
        data.x_valid = scale_pixels(valid_images, shape)
        data.y_valid = one_hot(arrays["y_train"][VALIDATION_START:][:test_size])
    return data


def rotate_images(images, low, high):
    """Each image rotated by its own random angle, uniform in [low, high] degrees (example 05's
    code, also used to rotate the test set for Practice 02). Pixels stay in [0, 1]; the corners
    that rotate in are blank."""
    from skimage.transform import rotate

    angles = np.random.uniform(low, high, size=len(images))
    return np.array([rotate(image, angle) for image, angle in zip(images, angles)],
                    dtype=images.dtype)


def shuffled_batches(x, y, batch_size):
    """(x, y) in mini-batches of batch_size, in a new random order in every epoch.

    Use it where the slide writes model.fit(x, y, batch_size=...): SGD needs a fresh order each
    epoch, and Keras 3.15 on TensorFlow, with a global seed set (as --seed does), replays one
    order in every epoch of fit(x, y, shuffle=True). The order is drawn from NumPy's generator,
    which --seed seeds: the same seed gives the same orders, on every backend.
    """
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}")
    seed = int(np.random.randint(2**31 - 1))
    if keras.backend.backend() == "tensorflow":
        # fit's shuffle=True default does not apply to a dataset, which is shuffled already.
        warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")
        return _tensorflow_shuffled_batches(x, y, batch_size, seed)
    return ShuffledBatches(x, y, batch_size, seed)


class ShuffledBatches(keras.utils.PyDataset):
    """The JAX and PyTorch way: one NumPy permutation per epoch, sliced into batches."""

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


def _tensorflow_shuffled_batches(x, y, batch_size, seed):
    """The TensorFlow way, shaped like Keras' own array pipeline: one permutation per epoch, cut
    into batches of indices, one gather per batch. The permutation comes from a seed that
    tf.data draws anew on every pass (rerandomize_each_iteration), so each epoch differs while
    the same seed repeats the same orders; it is as fast as fit(x, y) (make bench)."""
    import tensorflow as tf

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


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a mistake ends in one line (exit status 2) instead of the whole usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def checked(convert, accept, expected):
    """An argparse type: convert the text, then accept or reject it with one clear message."""
    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or (isinstance(value, float) and not math.isfinite(value)) \
                or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    return parse


positive_int = checked(int, lambda value: value >= 1, "a positive integer")
non_negative_int = checked(int, lambda value: value >= 0, "an integer >= 0")
positive_float = checked(float, lambda value: value > 0, "a positive number")
non_negative_float = checked(float, lambda value: value >= 0, "a number >= 0")
finite_float = checked(float, lambda value: True, "a number")
rate = checked(float, lambda value: 0 <= value < 1, "a number from 0 to below 1")


def int_up_to(maximum):
    return checked(int, lambda value: 1 <= value <= maximum, f"an integer from 1 to {maximum}")


def default_steps_per_execution():
    """Run many batches per call into the backend: small batches are otherwise all overhead.

    The numbers do not change (tests/test_speed_settings.py checks the histories are identical);
    the PyTorch backend of Keras 3 only accepts 1.
    """
    return 1 if keras.backend.backend() == "torch" else 500


def make_parser(doc, *, epochs=None, batch_size=None, learning_rate=None, train_size=None,
                max_train_size=60000, rotate_test=False):
    """The flags every script shares; a hyperparameter flag exists only where the script has it.

    The defaults are the script's own UPPER_CASE constants, so --help and the code never disagree.
    """
    parser = ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        default=os.environ.get("L303_QUICK", "") not in ("", "0"),
                        help=f"a first look: {QUICK_TRAIN_SIZE} training images, {QUICK_TEST_SIZE} "
                             f"test images, at most {QUICK_EPOCHS} epochs (also L303_QUICK=1); "
                             f"flags given explicitly still win")
    if epochs is not None:
        parser.add_argument("--epochs", type=positive_int, default=epochs,
                            help=f"training epochs (default: {epochs})")
    if batch_size is not None:
        parser.add_argument("--batch-size", type=positive_int, default=batch_size,
                            help=f"mini-batch size (default: {batch_size})")
    if learning_rate is not None:
        parser.add_argument("--lr", type=positive_float, default=learning_rate,
                            help=f"learning rate (default: {learning_rate})")
    if train_size is not None:
        parser.add_argument("--train-size", type=int_up_to(max_train_size), default=train_size,
                            help=f"use the first N training images, 1 to {max_train_size} "
                                 f"(default: {train_size})")
    if rotate_test:
        parser.add_argument("--rotate-test", type=positive_float, metavar="DEGREES",
                            help="Hands-on Practice 02: also evaluate on the test set rotated by "
                                 "random angles within +-DEGREES (example 05's rotation)")
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULT_SEED,
                        help=f"random seed; the same seed gives the same run (default: {DEFAULT_SEED})")
    parser.add_argument("--steps-per-execution", type=positive_int,
                        default=default_steps_per_execution(),
                        help="batches per call into the backend; 1 is plain Keras, larger is faster "
                             "with identical numbers (default: 500, or 1 on PyTorch)")
    parser.add_argument("--outdir", type=Path, default=DEFAULT_OUTDIR,
                        help="where the PNG and JSON go (default: figures/)")
    parser.add_argument("--show", action="store_true",
                        help="watch the curves grow in a window, redrawn after every epoch, then "
                             "the final figure (by default nothing blocks)")
    parser.add_argument("--tensorboard", nargs="?", const="runs", type=Path, metavar="DIR",
                        help="also log every epoch for TensorBoard under DIR/<script>/<run> "
                             "(default DIR: runs/); compare runs with `tensorboard --logdir DIR`")
    return parser


def parse_args(parser, argv=None):
    """Parse the flags, then apply them: quick mode, the outdir, matplotlib's backend, the seed."""
    args = parser.parse_args(argv)
    if args.quick:
        # Quick mode lowers the defaults, not what was given: `--quick --epochs 3` trains 3 epochs.
        quick_defaults = {"train_size": QUICK_TRAIN_SIZE, "epochs": QUICK_EPOCHS}
        parser.set_defaults(**{name: limit if parser.get_default(name) is None
                               else min(parser.get_default(name), limit)
                               for name, limit in quick_defaults.items() if name in args})
        args = parser.parse_args(argv)
    args.test_size = QUICK_TEST_SIZE if args.quick else None
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"argument --outdir: cannot create {args.outdir} ({error.strerror})")

    if args.tensorboard is not None and not _tensorboard_installed():
        parser.error("argument --tensorboard: the tensorboard package is not installed; install "
                     f"it with `{sys.executable} -m pip install tensorboard` (or make setup-backends)")
    args.changed_settings = {  # for TensorBoard's run names; not saved with the settings
        name: value for name, value in vars(args).items()
        if name not in UNNAMED_SETTINGS and value != parser.get_default(name)}

    import matplotlib

    ipython = _ipython()
    if ipython is not None and "inline" in matplotlib.get_backend():
        args.show = True  # a notebook: the figures appear under the cell, as a notebook user expects
    elif not args.show:
        matplotlib.use("Agg")  # no window, no display needed, nothing blocks
    elif not _has_display():
        print(f"--show: no display found (matplotlib backend {matplotlib.get_backend()}); the "
              f"figures are saved, not shown.", file=sys.stderr)
        matplotlib.use("Agg")
        args.show = False
    keras.utils.set_random_seed(args.seed)  # Python, NumPy and the backend, all at once
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job ignores it
        signal.signal(signal.SIGINT, _on_ctrl_c)
    if ipython is None:
        sys.excepthook = _on_uncaught_exception
    return args


# Settings that never change a run's numbers, or are in its name already.
UNNAMED_SETTINGS = {"outdir", "show", "tensorboard", "seed", "steps_per_execution", "test_size"}


def _tensorboard_installed():
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        return False
    return True


def _ipython():
    """The running IPython shell (a notebook's %run), or None in a plain Python process."""
    if "IPython" not in sys.modules:
        return None
    return sys.modules["IPython"].get_ipython()


def _has_display():
    """Can matplotlib open a window here? Not on a headless Linux machine (no X, no Wayland)."""
    import matplotlib.pyplot as plt

    backend = plt.get_backend().lower()
    if backend in ("agg", "pdf", "ps", "svg", "pgf", "cairo", "template"):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def _on_ctrl_c(number, frame):
    """Ctrl-C. During a fit it stops at the next boundary between batches: interrupted in the
    middle of the backend's own work, TensorFlow can crash ("free(): invalid next size") and
    take the completed epochs with it; between batches it cannot. A second Ctrl-C, or one
    outside a fit, interrupts at once."""
    run = _current_run
    if run is not None and run.fitting and not run.stop_requested:
        run.stop_requested = True
        os.write(2, b"\nCtrl-C: stopping after the current batches (Ctrl-C again: at once) ...\n")
        return
    _interrupt()


def _interrupt():
    """End the script, keeping what the current run has learned. In a plain process the
    KeyboardInterrupt reaches sys.excepthook (below). In IPython (%run in Jupyter or Colab) it
    never would, and ending the process would end the kernel: the run is saved here and the
    script ends with a SystemExit, which IPython reports in one line."""
    if _ipython() is not None and _current_run is not None and _current_run.histories:
        _current_run.save_interrupted()
        raise SystemExit(INTERRUPTED_EXIT_STATUS)
    raise KeyboardInterrupt


_current_run = None  # the Run whose completed epochs Ctrl-C saves


def _on_uncaught_exception(kind, value, traceback):
    """Ctrl-C: save what the current run has learned, one line, no traceback, exit status 130."""
    if not issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    if _current_run is not None and _current_run.histories:
        _current_run.save_interrupted()
    else:
        print("\nInterrupted.", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(INTERRUPTED_EXIT_STATUS)


# ---------------------------------------------------------------------------------------------
# A run: what was trained, what it scored, and the files it leaves behind
# ---------------------------------------------------------------------------------------------

class Recorder(keras.callbacks.TerminateOnNaN):
    """`callbacks=[run.recorder(label)]`: each epoch's logs into run.histories[label], as they
    come, so an interrupted fit keeps its completed epochs. As TerminateOnNaN, it stops a
    diverging run (NaN or infinite loss) instead of training on NaNs."""

    def __init__(self, run, label):
        super().__init__()
        self.run, self.label = run, label

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()
        self.run.histories[self.label] = {}
        self.run.notes.setdefault("epoch_seconds", {})[self.label] = []
        self.run.fitting = True
        if self.run.args.tensorboard is not None:
            self.tensorboard = TensorBoardLog(self.run, self.label)
        if self.run.live is not None:
            self.run.live.start()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.run.histories[self.label].setdefault(key, []).append(float(value))
        self.run.notes["epoch_seconds"][self.label].append(
            round(time.perf_counter() - self.epoch_started, 3))  # the first includes compiling
        if self.run.args.tensorboard is not None:
            self.tensorboard.write(epoch + 1, logs or {})
        if self.run.live is not None:
            self.run.live.epoch_ended()
        self.stop_if_requested()

    def on_train_batch_end(self, batch, logs=None):
        super().on_train_batch_end(batch, logs)  # TerminateOnNaN's check
        self.stop_if_requested()

    def on_test_batch_end(self, batch, logs=None):
        self.stop_if_requested()

    def stop_if_requested(self):
        """Ctrl-C was pressed during this fit: stop here, between batches (see _on_ctrl_c)."""
        if self.run.stop_requested:
            self.run.fitting = False
            _interrupt()

    def on_train_end(self, logs=None):
        self.run.fitting = False
        if self.run.live is not None:
            self.run.live.redraw()  # the last epoch always shows
        notes = self.run.notes
        notes.setdefault("fit_seconds", {})[self.label] = round(time.perf_counter() - self.started, 3)
        notes.setdefault("training_flops_per_image", {})[self.label] = \
            l303_files.training_flops_per_image(self.model)
        losses = np.array(self.run.histories[self.label].get("loss", []), dtype=float)
        if not np.all(np.isfinite(losses)):
            epoch = int(np.argmin(np.isfinite(losses))) + 1
            notes.setdefault("diverged_at_epoch", {})[self.label] = epoch
            print(f"[{self.label}] diverged: the loss became NaN or infinite in epoch {epoch}; "
                  f"training stopped there and the curve ends there.")


def slide_title(doc):
    """The slide's title, spelled once in the script: its docstring's first line, either
    `Slide "TITLE": lesson` or (for the hands-on scripts) `TITLE: lesson`."""
    first_line = (doc or "").strip().splitlines()[0] if (doc or "").strip() else "l303"
    if first_line.startswith('Slide "'):
        return first_line[len('Slide "'):].split('"', 1)[0]
    return first_line.split(": ", 1)[0].rstrip(".")


class Run:
    """One run of one script: the histories and results it records, and the files it writes."""

    def __init__(self, script_file, doc, args):
        global _current_run
        self.name = Path(script_file).stem
        self.code_sha256 = l303_files.code_sha256(script_file)
        self.slide = slide_title(doc)  # the figure's title, the report's and the gallery's
        self.args = args
        self.histories = {}  # label -> {"loss": [...], "val_loss": [...], ...}, one value per epoch
        self.results = {}  # label -> {"training": {"loss": ..., "accuracy": ...}, ...}
        self.notes = {}  # other numbers the script reports (stopping epoch, misclassified count, ...)
        self.figure_files = []
        self.started = time.perf_counter()
        self.interrupted = False
        self.fitting = False  # inside a model.fit with this run's recorder
        self.stop_requested = False  # Ctrl-C pressed during a fit
        # --show: the curves redrawn after every epoch in a window (an interactive backend only;
        # a notebook's inline figures appear once, at the end).
        import matplotlib

        self.live = LiveFigure(self) if args.show and "inline" not in matplotlib.get_backend() \
            else None
        _current_run = self

    def recorder(self, label):
        """The callback that records a fit under `label` (see Recorder)."""
        return Recorder(self, label)

    def save_interrupted(self):
        """After Ctrl-C: the completed epochs of every model so far, plotted and saved."""
        self.interrupted = True
        epochs = {label: len(history.get("loss", [])) for label, history in self.histories.items()}
        print(f"\nInterrupted: saving what was learned (completed epochs: "
              f"{', '.join(f'{label!r} {count}' for label, count in epochs.items())}).",
              file=sys.stderr)
        self.save(plot_history(self.histories, self.slide))

    def report_performance(self, model, label=None, **datasets):
        """Print the slide's lines for each named dataset and record them, e.g.

            Performance (training)
            Loss: 0.00437, Acc: 0.97785
        """
        scores = {}
        for name, (x, y) in datasets.items():
            evaluated = model.evaluate(x, y, batch_size=1000, verbose=0, return_dict=True)
            scores[name] = {"loss": float(evaluated["loss"]),
                            "accuracy": float(evaluated["accuracy"])}
            prefix = f"[{label}] " if label else ""
            print(f"{prefix}Performance ({name})")
            print("Loss: %.5f, Acc: %.5f" % (scores[name]["loss"], scores[name]["accuracy"]))
        self.results.setdefault(label or next(reversed(self.histories), "model"), {}).update(scores)
        return scores

    def report_rotated_test(self, model, x_test, y_test, degrees, figure=None, label=None):
        """Hands-on Practice 02: the performance on the test images, each rotated by a random angle
        within +-degrees, printed and recorded beside the plain test performance; with a figure,
        both test accuracies are drawn across its accuracy panel."""
        rotated = rotate_images(x_test, -degrees, degrees)
        name = f"testing, rotated within +-{degrees:g} degrees"
        scores = self.report_performance(model, label, **{name: (rotated, y_test)})
        if figure is not None:
            recorded = self.results[label or next(reversed(self.histories), "model")]
            mark_accuracies(figure, {"test (after training)": recorded["testing"]["accuracy"],
                                     name.replace("testing", "test"): scores[name]["accuracy"]})
        return scores

    def report_overtraining(self, label):
        """Print and record how far `label` overtrained: where its validation loss bottomed out,
        how much it rose after, and the train-test gap of the evaluated model at the end.

        The gap uses report_performance's numbers, not the training history: the history's
        training accuracy is measured with dropout active and would flatter a dropout model.
        """
        history = self.histories[label]
        validation_loss = np.array(history["val_loss"], dtype=float)
        best_epoch = int(np.nanargmin(validation_loss)) + 1
        scores = self.results[label]
        summary = {
            "best_validation_epoch": best_epoch,
            "min_validation_loss": float(np.nanmin(validation_loss)),
            "final_validation_loss": float(validation_loss[-1]),
            "final_training_loss": float(history["loss"][-1]),
            "accuracy_gap": scores["training"]["accuracy"] - scores["testing"]["accuracy"],
            "loss_gap": scores["testing"]["loss"] - scores["training"]["loss"],
        }
        self.notes.setdefault("overtraining", {})[label] = summary
        print(f"[{label}] validation loss: lowest {summary['min_validation_loss']:.4f} at epoch "
              f"{best_epoch}, {summary['final_validation_loss']:.4f} at epoch {len(validation_loss)}; "
              f"train-test gap at the end: accuracy {summary['accuracy_gap']:.4f}, "
              f"loss {summary['loss_gap']:.4f}")
        return summary

    @property
    def json_path(self):
        return self.args.outdir / f"{self.name}.json"

    def save(self, figure, **extra_figures):
        """Write <name>.png (and <name>-<key>.png for each extra figure) and <name>.json.

        With --show the figures are then opened in windows.
        """
        import matplotlib.pyplot as plt

        for suffix, fig in [("", figure)] + [(f"-{key.replace('_', '-')}", f)
                                             for key, f in extra_figures.items()]:
            path = self.args.outdir / f"{self.name}{suffix}.png"
            l303_files.write_atomically(
                path, lambda temporary: fig.savefig(temporary, format="png", dpi=100))
            self.figure_files.append(path.name)
        if self.live is not None:
            self.notes["live_redraws"] = self.live.redraws
        backend = keras.backend.backend()
        record = {
            "script": self.name,
            "slide": self.slide,
            "interrupted": self.interrupted,
            "settings": {key: value for key, value in vars(self.args).items()
                         if key not in ("show", "changed_settings")},
            "command": [f"examples/{self.name}.py"] + sys.argv[1:],
            "code_sha256": self.code_sha256,
            "seed": self.args.seed,
            "backend": backend,
            "machine": l303_files.machine(),
            "versions": l303_files.versions(backend),
            "wall_seconds": round(time.perf_counter() - self.started, 3),
            "histories": self.histories,
            "results": self.results,
            "notes": self.notes,
            "figures": self.figure_files,
        }
        text = l303_files.json_text(record)
        l303_files.write_atomically(self.json_path, lambda temporary: temporary.write_text(text))
        print(f"Saved {', '.join(self.figure_files)} and {self.json_path.name} in {self.args.outdir}")
        if self.live is not None:
            self.live.close()  # the final figures take its place
        global _current_run
        _current_run = None  # saved: a later Ctrl-C has nothing of it left to keep
        if self.args.show and not self.interrupted:
            plt.show()


class LiveFigure:
    """--show: the run's curves in a window, redrawn as the epochs end, without blocking.

    A redraw takes a fixed time (tens of milliseconds), an epoch anything from a tenth of a
    second to minutes; so it redraws at most four times a second, and never spends more than
    about 5% of the time since the last redraw on drawing.
    """

    MINIMUM_INTERVAL = 0.25  # seconds between redraws
    SHARE = 0.05  # of the elapsed time, at most, spent drawing

    def __init__(self, run):
        self.run = run
        self.figure = None
        self.epochs_seen = 0  # how often epoch_ended was called: once per epoch
        self.redraws = 0
        self.last_redraw = 0.0
        self.redraw_seconds = 0.0

    def start(self):
        if self.figure is None:
            import matplotlib.pyplot as plt

            self.figure = plt.figure(num=f"{self.run.name} (live)")
            plt.show(block=False)

    def epoch_ended(self):
        self.epochs_seen += 1
        since = time.perf_counter() - self.last_redraw
        if since >= max(self.MINIMUM_INTERVAL, self.redraw_seconds / self.SHARE):
            self.redraw()

    def redraw(self):
        """Draw the histories so far into the window: the same drawing as the saved figure."""
        if self.figure is None:
            return
        started = time.perf_counter()
        plot_history(self.run.histories, self.run.slide, figure=self.figure)
        self.figure.canvas.draw_idle()
        self.figure.canvas.flush_events()
        self.redraws += 1
        self.last_redraw = time.perf_counter()
        self.redraw_seconds = self.last_redraw - started

    def close(self):
        if self.figure is not None:
            import matplotlib.pyplot as plt

            plt.close(self.figure)
            self.figure = None


class TensorBoardLog:
    """--tensorboard DIR: each epoch's numbers of one fit, for TensorBoard, under
    DIR/<script>/<label>-<settings that differ from the defaults>-seed<N>/{train,validation}, and
    the run's settings as TensorBoard hyperparameters (HParams), so that a class's runs compare.

    Written with TensorFlow's summary writer, which is installed with this project whatever the
    backend (JAX and PyTorch runs log the same way)."""

    def __init__(self, run, label):
        import tensorflow as tf
        from tensorboard.plugins.hparams import api as hparams_api

        self.tf = tf
        settings = ",".join(f"{name}={_short(value)}"
                            for name, value in sorted(run.args.changed_settings.items()))
        name = "-".join(part for part in (label, settings, f"seed{run.args.seed}") if part)
        self.folder = Path(run.args.tensorboard) / run.name / _safe_name(name)
        self.writers = {}  # train/ and validation/, made when first needed
        hyperparameters = {name: value if isinstance(value, (bool, int, float, str)) else
                           str(value) for name, value in vars(run.args).items()
                           if name not in ("outdir", "show", "tensorboard", "changed_settings")
                           and value is not None}
        hyperparameters["model"] = label
        with tf.summary.create_file_writer(str(self.folder)).as_default():
            hparams_api.hparams(hyperparameters, trial_id=name)

    def write(self, epoch, logs):
        for key, value in logs.items():
            part = "validation" if key.startswith("val_") else "train"
            if part not in self.writers:
                self.writers[part] = self.tf.summary.create_file_writer(str(self.folder / part))
            with self.writers[part].as_default():
                self.tf.summary.scalar(f"epoch_{key.removeprefix('val_')}", float(value), step=epoch)
        for writer in self.writers.values():
            writer.flush()


def _short(value):
    if isinstance(value, (list, tuple)):
        return "+".join(_short(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _safe_name(text):
    """A folder name from a run's label and settings: letters, digits and . = + - _ , only."""
    text = text.replace(", ", ",").replace("(", "").replace(")", "")
    name = "".join(char if char.isalnum() or char in ".=+-_," else "_" for char in text)
    while "__" in name:
        name = name.replace("__", "_")
    return name.strip("_")[:200]


# ---------------------------------------------------------------------------------------------
# Gradients, layer by layer (the vanishing gradient of example 07a)
# ---------------------------------------------------------------------------------------------

def layer_gradients(model, x, y, loss="categorical_crossentropy"):
    """The mean absolute gradient of the loss with respect to each Dense layer's biases and
    weights, on the batch (x, y): {"bias": [...], "kernel": [...]}, first layer first.

    Keras 3 has no backend-neutral gradient call, so this is the one place that speaks each
    backend's own language (a GradientTape, jax.grad, torch's backward); scripts stay neutral.
    """
    loss_function = keras.losses.get(loss)
    variables = model.trainable_variables
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            value = keras.ops.mean(loss_function(y, model(x, training=False)))
        gradients = tape.gradient(value, variables)
    elif backend == "jax":
        import jax

        def loss_of(trainable):
            predictions, _ = model.stateless_call(
                trainable, [v.value for v in model.non_trainable_variables], x, training=False)
            return keras.ops.mean(loss_function(y, predictions))

        gradients = jax.grad(loss_of)([v.value for v in variables])
    elif backend == "torch":
        for variable in variables:
            variable.value.grad = None
        keras.ops.mean(loss_function(y, model(x, training=False))).backward()
        gradients = [variable.value.grad for variable in variables]
    else:
        raise ValueError(f"layer_gradients does not know the {backend} backend")
    sizes = {"bias": [], "kernel": []}
    for variable, gradient in zip(variables, gradients):
        kind = "bias" if variable.path.endswith("bias") else "kernel"
        sizes[kind].append(float(np.mean(np.abs(keras.ops.convert_to_numpy(gradient)))))
    return sizes


# ---------------------------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------------------------

def plot_history(histories, title, metrics=("loss", "accuracy"), log_loss=False,
                 one_column_per_model=False, log_epochs=False, figure=None):
    """Loss on top, accuracy below; training solid, validation dashed; one colour per model.

    With several models the legend (one entry per model, one per line style) sits to the right
    of the panels, never over a curve. log_epochs: a logarithmic epoch axis, which spreads out
    the first epochs (where momentum's head start shows). figure: draw into this figure, cleared
    first (the live window of --show), instead of a new one.

    one_column_per_model: a column of panels for each model (shared axes), as on the deeper-network
    slide, instead of all models in one column. Values that are NaN or infinite (a diverging
    learning rate) are left out, so a curve stops where its run diverged.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    metrics = [m for m in metrics if any(m in h for h in histories.values())]
    columns = [{label: history} for label, history in histories.items()] if one_column_per_model \
        else [histories]
    size = (4.2 * len(columns) + 2.8, 3.2 * len(metrics) + 0.6)
    if figure is None:
        figure = plt.figure(figsize=size)
    else:
        figure.clear()
        figure.set_size_inches(*size, forward=False)
    axes = figure.subplots(len(metrics), len(columns), squeeze=False, sharex="col", sharey="row")
    for column, shown in enumerate(columns):
        for row, metric in enumerate(metrics):
            axis = axes[row][column]
            for label, history in shown.items():
                colour = f"C{list(histories).index(label)}"
                for key, style, part in ((metric, "-", "training"),
                                         (f"val_{metric}", "--", "validation")):
                    if key not in history:
                        continue
                    values = np.array(history[key], dtype=float)
                    values[~np.isfinite(values)] = np.nan
                    name = part if len(shown) == 1 else f"{label} ({part})"
                    axis.plot(np.arange(1, len(values) + 1), values, style, color=colour, lw=2,
                              label=name)
            if column == 0:
                axis.set_ylabel(metric)
            if metric == "loss" and log_loss:
                axis.set_yscale("log")
            if log_epochs:
                axis.set_xscale("log")
                epochs = max(len(history.get("loss", [])) for history in histories.values())
                ticks = [tick for tick in (1, 2, 5, 10, 20, 50, 100, 200, 500) if tick <= epochs]
                axis.set_xticks(ticks, [str(tick) for tick in ticks])
                axis.set_xticks([], minor=True)
            axis.grid(alpha=0.3)
        axes[-1][column].set_xlabel("epoch (log scale)" if log_epochs else "epoch")
        if not log_epochs:
            axes[-1][column].xaxis.set_major_locator(MaxNLocator(integer=True))
        if one_column_per_model:
            axes[0][column].set_title(next(iter(shown)), fontsize=10)
    if len(histories) == 1 or one_column_per_model:
        axes[0][0].legend(fontsize=8)
    else:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=f"C{index}", lw=2, label=label)
                   for index, label in enumerate(histories)]
        if any(key.startswith("val_") for history in histories.values() for key in history):
            handles += [Line2D([], [], color="k", ls=style, lw=2, label=part)
                        for style, part in (("-", "training"), ("--", "validation"))]
        axes[0][-1].legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
        figure.set_figwidth(figure.get_figwidth() + 2.2)
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def mark_accuracies(figure, accuracies):
    """Draw scores measured once, after training, as dotted lines across the accuracy panel
    (Practice 02: the rotated-test accuracy beside the test curve), each labelled with its value."""
    axis = next(axis for axis in figure.axes if axis.get_ylabel() == "accuracy")
    for index, (name, accuracy) in enumerate(accuracies.items()):
        axis.axhline(accuracy, color=f"C{index + 3}", ls=":", lw=2, label=f"{name}: {accuracy:.4f}")
    axis.legend(fontsize=8, loc="lower right")
    return figure
