"""Plumbing shared by the l303 example scripts: data, flags, seeding, training records, plots, files.

Nothing the lecture teaches lives here. Each script keeps its model, its `compile` and its `fit`
arguments in plain sight, as on its slide; this module only

- loads the committed MNIST file (data/mnist.npz) after checking its checksum, so nothing is
  downloaded at run time and a damaged file is reported in one line;
- builds the command line every script shares (--quick, --epochs, --lr, ..., --show);
- records each `fit` (so Ctrl-C keeps the completed epochs), prints the slide's "Performance" lines,
  draws the loss/accuracy figure and writes <outdir>/<script>.png and <script>.json whole or not at all.
"""

import argparse
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import sys
import time
import types
import zipfile
from pathlib import Path

import numpy as np


def _import_keras_quietly():
    """Import Keras with TensorFlow's start-up chatter (CUDA probing, oneDNN notes) left out.

    TensorFlow 2.21 writes these lines from C++ straight to file descriptor 2, and ignores
    TF_CPP_MIN_LOG_LEVEL for them; a student should see our messages, not these. Only lines of
    that known form are dropped: anything else written meanwhile is passed on to stderr.
    """
    import re
    import tempfile

    chatter = re.compile(r"^([IWE]\d{4} [\d:.]+\s+\d+ \S+:\d+\]|WARNING: All log messages "
                         r"before absl::InitializeLog|To enable the following instructions:)")
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
                    if not chatter.match(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


if os.environ.get("L303_VERBOSE_BACKEND", "") in ("", "0"):
    _import_keras_quietly()  # scripts import l303 before keras, so this is the first import

REPO = Path(__file__).resolve().parent.parent
MNIST_FILE = Path(os.environ.get("L303_MNIST", REPO / "data" / "mnist.npz"))
# sha256 of the four arrays (names, dtypes, shapes and bytes), as computed by arrays_sha256().
MNIST_SHA256 = "869043a08a4d18821fa17546401bfbe66053b5e347a0a99c9ae9e6cbd1f08db0"
MNIST_ARRAYS = ("x_train", "y_train", "x_test", "y_test")
VALIDATION_START = 50000  # the lecture validates on x_train[50000:], never on the test set

DEFAULT_SEED = 1  # see README: the spread over seeds of example 01 is stated there
DEFAULT_OUTDIR = REPO / "figures"
# --quick: enough to see every line of a script run, far too little to learn anything.
QUICK_TRAIN_SIZE = 1000
QUICK_TEST_SIZE = 1000
QUICK_EPOCHS = 2

INTERRUPTED_EXIT_STATUS = 130  # what a shell reports for Ctrl-C


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

def arrays_sha256(arrays):
    """One checksum over the four MNIST arrays, independent of how the .npz was compressed."""
    digest = hashlib.sha256()
    for name in MNIST_ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _restore_hint(path):
    return (f"Restore it with `git checkout -- data/mnist.npz` from the repository root "
            f"(or rebuild it: python data/build_mnist.py). File: {path}")


_verified_arrays = {}


def load_mnist_arrays(path=None):
    """The raw uint8 arrays of data/mnist.npz, exactly as keras.datasets.mnist.load_data() gives them.

    A missing, truncated or altered file ends the program with one line saying so (exit status 1).
    """
    path = Path(path or MNIST_FILE)
    key = str(path.resolve())
    if key in _verified_arrays:
        return _verified_arrays[key]
    if not path.is_file():
        raise SystemExit(f"error: the MNIST file is missing. {_restore_hint(path)}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in MNIST_ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SystemExit(f"error: the MNIST file is damaged or truncated ({reason}). "
                         f"{_restore_hint(path)}") from None
    if arrays_sha256(arrays) != MNIST_SHA256:
        raise SystemExit(f"error: the MNIST file does not match its checksum (it was altered). "
                         f"{_restore_hint(path)}")
    _verified_arrays[key] = arrays
    return arrays


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
    arrays = load_mnist_arrays()
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


def expand_by_rotation(x, y, angle_range):
    """Slide "ARTIFICIAL DATA EXPANDING": the images, plus each rotated once by +low..+high degrees
    and once by -high..-low degrees; the labels repeated in the same order."""
    low, high = angle_range
    x_expanded = np.concatenate([x, rotate_images(x, +low, +high), rotate_images(x, -high, -low)])
    return x_expanded, np.concatenate([y, y, y])


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a mistake ends in one line (exit status 2) instead of the whole usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _checked(convert, accept, expected):
    """An argparse type: convert the text, then accept or reject it with one clear message."""
    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    return parse


positive_int = _checked(int, lambda value: value >= 1, "a positive integer")
non_negative_int = _checked(int, lambda value: value >= 0, "an integer >= 0")
positive_float = _checked(float, lambda value: value > 0 and math.isfinite(value),
                          "a positive number")


def default_steps_per_execution():
    """Run many batches per call into the backend: small batches are otherwise all overhead.

    The numbers do not change (tests/test_speed_settings.py checks the histories are identical);
    the PyTorch backend of Keras 3 only accepts 1.
    """
    import keras

    return 1 if keras.backend.backend() == "torch" else 500


def make_parser(doc, *, epochs=None, batch_size=None, learning_rate=None, train_size=None,
                max_train_size=60000, rotate_test=False):
    """The flags every script shares; a hyperparameter flag exists only where the script has it.

    The defaults are the script's own UPPER_CASE constants, so --help and the code never disagree.
    """
    parser = ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
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
        parser.add_argument("--train-size", type=positive_int, default=train_size,
                            help=f"use the first N training images, 1 to {max_train_size} "
                                 f"(default: {train_size})")
        parser.set_defaults(max_train_size=max_train_size)
    if rotate_test:
        parser.add_argument("--rotate-test", type=positive_float, metavar="DEGREES",
                            help="Hands-on Practice 02: also evaluate on the test set rotated by "
                                 "random angles within +-DEGREES (example 05's rotation)")
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULT_SEED,
                        help=f"random seed; the same seed gives the same run (default: {DEFAULT_SEED})")
    parser.add_argument("--steps-per-execution", type=positive_int, default=None,
                        help="batches per call into the backend; 1 is plain Keras, larger is faster "
                             "with identical numbers (default: 500, or 1 on PyTorch)")
    parser.add_argument("--outdir", type=Path, default=DEFAULT_OUTDIR,
                        help="where the PNG and JSON go (default: figures/)")
    parser.add_argument("--show", action="store_true",
                        help="also open the figure in a window (by default nothing blocks)")
    return parser


def parse_args(parser, argv=None):
    """Parse, check and apply the flags: quick mode, seeding, matplotlib's backend, the outdir."""
    argv = sys.argv[1:] if argv is None else list(argv)
    quick = "--quick" in argv or os.environ.get("L303_QUICK", "") not in ("", "0")
    if quick:
        # Quick mode lowers the defaults only, so `--quick --epochs 3` still trains 3 epochs.
        for name, limit in (("epochs", QUICK_EPOCHS), ("train_size", QUICK_TRAIN_SIZE)):
            default = parser.get_default(name)
            if default is not None:
                parser.set_defaults(**{name: min(default, limit)})
    args = parser.parse_args(argv)
    args.quick = quick
    args.test_size = QUICK_TEST_SIZE if quick else None
    max_train_size = getattr(args, "max_train_size", None)
    if max_train_size is not None:
        del args.max_train_size
        if args.train_size > max_train_size:
            parser.error(f"argument --train-size: at most {max_train_size} here, "
                         f"got {args.train_size}")
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"argument --outdir: cannot create {args.outdir} ({error.strerror})")
    if args.steps_per_execution is None:
        args.steps_per_execution = default_steps_per_execution()

    import matplotlib

    if not args.show:
        matplotlib.use("Agg")  # no window, no display needed, nothing blocks
    import keras

    keras.utils.set_random_seed(args.seed)  # Python, NumPy and the backend, all at once
    sys.excepthook = _quiet_keyboard_interrupt
    return args


def _quiet_keyboard_interrupt(kind, value, traceback):
    """Ctrl-C outside training (while loading or plotting): one line, no traceback, status 130."""
    if issubclass(kind, KeyboardInterrupt):
        print("\nInterrupted.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED_EXIT_STATUS)
    sys.__excepthook__(kind, value, traceback)


# ---------------------------------------------------------------------------------------------
# A run: what was trained, what it scored, and the files it leaves behind
# ---------------------------------------------------------------------------------------------

def _finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def _plain(value):
    """JSON-safe copy: NumPy numbers become floats or ints, NaN and inf become null."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _finite_or_none(value)
    return value


def versions():
    import keras

    backend = keras.backend.backend()
    package = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend, backend)
    found = {"python": platform.python_version(), "keras": keras.__version__,
             "numpy": np.__version__}
    try:
        found[package] = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        pass
    return found


def training_flops_per_image(model):
    """Floating-point operations to train on one image: the multiply-adds of the dense and
    convolution layers, times 2 (multiply and add) and 3 (the forward pass and two backward
    products). Elementwise work (activations, the optimizer) is not counted."""
    import keras

    multiply_adds = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            multiply_adds += int(np.prod(layer.kernel.shape))
        elif isinstance(layer, keras.layers.Conv2D):
            height, width = layer.output.shape[1:3]
            multiply_adds += height * width * int(np.prod(layer.kernel.shape))
    return 2 * 3 * multiply_adds


def code_sha256(script_file):
    """Fingerprint of the code behind a result: the script and this module."""
    digest = hashlib.sha256()
    for path in (Path(script_file), Path(__file__)):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def write_atomically(path, write):
    """Call write(temporary_path), then rename: a reader never sees half a file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class Run:
    """One run of one script: the histories and results it records, and the files it writes."""

    def __init__(self, script_file, slide, args):
        self.name = Path(script_file).stem
        self.code_sha256 = code_sha256(script_file)
        self.slide = slide
        self.args = args
        self.histories = {}  # label -> {"loss": [...], "val_loss": [...], ...}, one value per epoch
        self.results = {}  # label -> {"training": {"loss": ..., "accuracy": ...}, ...}
        self.notes = {}  # other numbers the script reports (stopping epoch, misclassified count, ...)
        self.figure_files = []
        self.started = time.perf_counter()
        self.interrupted = False

    def fit(self, label, model, x, y, **fit_arguments):
        """model.fit(x, y, **fit_arguments), recorded under `label`; Ctrl-C keeps what was learned.

        On Ctrl-C the completed epochs of every model so far are plotted and saved, the JSON says
        "interrupted", and the program ends with status 130.
        """
        import keras

        history = keras.callbacks.History()  # fit reuses it, so it survives an interruption
        # A diverging run (NaN or infinite loss) stops there instead of training on NaNs.
        fit_arguments["callbacks"] = list(fit_arguments.get("callbacks", [])) + [
            keras.callbacks.TerminateOnNaN(), history]
        fit_arguments.setdefault("verbose", 1 if sys.stdout.isatty() else 2)
        started = time.perf_counter()
        try:
            model.fit(x, y, **fit_arguments)
        except KeyboardInterrupt:
            self.record(label, history.history, time.perf_counter() - started)
            self.interrupted = True
            epochs = len(next(iter(history.history.values()), []))
            print(f"\nInterrupted: saving what was learned ({epochs} completed epochs of {label!r}).",
                  file=sys.stderr)
            self.save(plot_history(self.histories, self.slide))
            sys.exit(INTERRUPTED_EXIT_STATUS)
        self.record(label, history.history, time.perf_counter() - started)
        self.notes.setdefault("training_flops_per_image", {})[label] = \
            training_flops_per_image(model)
        return history

    def record(self, label, history, seconds=None):
        self.histories[label] = {key: [float(v) for v in values] for key, values in history.items()}
        if seconds is not None:
            self.notes.setdefault("fit_seconds", {})[label] = round(seconds, 3)
        losses = np.array(self.histories[label].get("loss", []), dtype=float)
        if not np.all(np.isfinite(losses)):
            epoch = int(np.argmin(np.isfinite(losses))) + 1
            self.notes.setdefault("diverged_at_epoch", {})[label] = epoch
            print(f"[{label}] diverged: the loss became NaN or infinite in epoch {epoch}; "
                  f"training stopped there and the curve ends there.")

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

    def report_rotated_test(self, model, x_test, y_test, degrees, label=None):
        """Hands-on Practice 02: the performance on the test images, each rotated by a random angle
        within +-degrees, printed and recorded beside the plain test performance."""
        rotated = rotate_images(x_test, -degrees, degrees)
        return self.report_performance(model, label, **{
            f"testing, rotated within +-{degrees:g} degrees": (rotated, y_test)})

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
        import keras
        import matplotlib.pyplot as plt

        for suffix, fig in [("", figure)] + [(f"-{key.replace('_', '-')}", f)
                                             for key, f in extra_figures.items()]:
            path = self.args.outdir / f"{self.name}{suffix}.png"
            write_atomically(path, lambda temporary: fig.savefig(temporary, format="png", dpi=100))
            self.figure_files.append(path.name)
        record = {
            "script": self.name,
            "slide": self.slide,
            "interrupted": self.interrupted,
            "settings": {key: value for key, value in vars(self.args).items()
                         if key not in ("show",)},
            "command": [f"examples/{self.name}.py"] + sys.argv[1:],
            "code_sha256": self.code_sha256,
            "seed": self.args.seed,
            "backend": keras.backend.backend(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "versions": versions(),
            "wall_seconds": round(time.perf_counter() - self.started, 3),
            "histories": self.histories,
            "results": self.results,
            "notes": self.notes,
            "figures": self.figure_files,
        }
        text = json.dumps(_plain(record), indent=1, allow_nan=False)
        write_atomically(self.json_path, lambda temporary: temporary.write_text(text + "\n"))
        print(f"Saved {', '.join(self.figure_files)} and {self.json_path.name} in {self.args.outdir}")
        if self.args.show and not self.interrupted:
            plt.show()


# ---------------------------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------------------------

def plot_history(histories, title, metrics=("loss", "accuracy"), log_loss=False,
                 one_column_per_model=False):
    """Loss on top, accuracy below; training solid, validation dashed; one colour per model.

    one_column_per_model: a column of panels for each model (shared axes), as on the deeper-network
    slide, instead of all models in one column. Values that are NaN or infinite (a diverging
    learning rate) are left out, so a curve stops where its run diverged.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    metrics = [m for m in metrics if any(m in h for h in histories.values())]
    columns = [{label: history} for label, history in histories.items()] if one_column_per_model \
        else [histories]
    figure, axes = plt.subplots(len(metrics), len(columns), squeeze=False, sharex="col",
                                sharey="row", figsize=(4.2 * len(columns) + 2.8,
                                                       3.2 * len(metrics) + 0.6))
    for column, shown in enumerate(columns):
        for row, metric in enumerate(metrics):
            axis = axes[row][column]
            for index, (label, history) in enumerate(shown.items()):
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
            axis.grid(alpha=0.3)
        axes[-1][column].set_xlabel("epoch")
        axes[-1][column].xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0][column].legend(fontsize=8)
        if one_column_per_model:
            axes[0][column].set_title(next(iter(shown)), fontsize=10)
    figure.suptitle(title)
    figure.tight_layout()
    return figure
