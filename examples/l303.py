"""What every l303 script calls: the data, the flags, the run record and its figure.

Nothing the lecture teaches lives here: each script keeps its model, `compile` and `fit` in plain
sight, as on its slide. It gets load_mnist() (the committed file, scaled and one-hot),
shuffled_batches() (a new order every epoch), make_parser()/parse_args() (the shared flags),
Run (the record: callbacks=run.callbacks(key, label), report_performance(), save()) and figure()
(l303_plots draws every figure from the record). Behind it: l303_classroom (the callbacks),
l303_workarounds (Keras and TensorFlow defects), l303_files (files, records, the fingerprint).
Keras starts once the flags are read (start_keras), so -h and a mistyped flag answer at once.
This module, l303_workarounds and l303_gradients compute; a change to their code stales results."""

import argparse
import importlib.util
import math
import os
import sys
import time
import types
from pathlib import Path


def stop_unless_installed(packages=("numpy", "keras", "matplotlib", "skimage")):
    """A Python without the suite's packages (`python3 script.py` before `make setup`) ends in one
    line saying which Python that was and what works instead (exit status 1)."""
    missing = [name for name in packages if importlib.util.find_spec(name) is None]
    if missing:
        script = os.path.relpath(sys.argv[0]) if sys.argv and sys.argv[0] else "the script"
        venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
        fix = (f"run it with the environment's Python: {os.path.relpath(venv)} {script}"
               if venv.exists() else "make the environment first with `make setup`, then run "
               f".venv/bin/python {script}")
        raise SystemExit(f"error: {sys.executable} has no {', '.join(missing)} (the suite's "
                         f"packages are in .venv); {fix}")


stop_unless_installed()

import numpy as np  # noqa: E402

import l303_files  # noqa: E402
from l303_plots import figure  # noqa: E402, F401  (for the scripts: l303.figure)

keras = l303_classroom = l303_workarounds = None  # imported by start_keras(), after the flags


def start_keras():
    """Import Keras (quietly, on this environment's backend) and the modules that need it."""
    global keras, l303_classroom, l303_workarounds
    import l303_workarounds  # before `import keras`: chooses the backend, hides the chatter
    import keras
    import l303_classroom

VALIDATION_START = 50000  # the lecture validates on x_train[50000:], never on the test set
DEFAULT_SEED = 1  # RESULTS.md shows how the slides' numbers spread over other seeds
# A run of yours goes to mine/ (ignored by git); figures/ holds the reference, which only make
# report and make spread write (with --outdir figures).
DEFAULT_OUTDIR = l303_files.REPO / "mine"
# --quick: enough to see every line of a script run, far too little to learn anything.
QUICK_TRAIN_SIZE = 1000
QUICK_TEST_SIZE = 1000
QUICK_EPOCHS = 2


# Data ----------------------------------------------------------------------------------------

def scale_pixels(images, shape):
    """uint8 pixels to float32 in [0, 1], reshaped per image (e.g. (28, 28) or (28, 28, 1))."""
    return (images.astype(np.float32) / 255.0).reshape((len(images),) + tuple(shape))


def one_hot(labels):
    return np.eye(10, dtype=np.float32)[labels]


def load_mnist(train_size=60000, test_size=None, validation=False, shape=(28, 28)):
    """MNIST as the slides use it: pixels / 255 as float32, one-hot labels; the first TRAIN_SIZE
    training and TEST_SIZE test images (None: all). VALIDATION adds the lecture's validation set
    x_train[50000:] (x_valid, y_valid), the training images then from the first 50000. Also
    test_images (uint8, for drawing) and test_labels (integers)."""
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
    """Each image rotated by its own random angle in [low, high] degrees (example 05's code, and
    Practice 02's test set); the corners that rotate in are blank."""
    from skimage.transform import rotate

    angles = np.random.uniform(low, high, size=len(images))
    return np.array([rotate(image, angle) for image, angle in zip(images, angles)],
                    dtype=images.dtype)


def expand_by_rotation(x, y, angle_range):
    """ARTIFICIAL DATA EXPANDING (05, 01a): the images, plus each rotated by +low..+high and by
    -high..-low degrees; the labels repeated in the same order."""
    low, high = sorted(angle_range)
    x_expanded = np.concatenate([x, rotate_images(x, +low, +high), rotate_images(x, -high, -low)])
    return x_expanded, np.concatenate([y, y, y])


def shuffled_batches(x, y, batch_size):
    """(x, y) in mini-batches in a new random order every epoch, where the slide writes
    model.fit(x, y, batch_size=...): Keras on TensorFlow with a seed set replays one order
    (l303_workarounds 3). The orders come from NumPy's generator, which --seed seeds."""
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}")
    seed = int(np.random.randint(2**31 - 1))
    if keras.backend.backend() == "tensorflow":
        return l303_workarounds.tensorflow_shuffled_batches(x, y, batch_size, seed)
    return l303_workarounds.ShuffledBatches(x, y, batch_size, seed)


def validation_batches(x, y):
    """(x, y) for fit's validation_data, in batches Keras evaluates quickly (l303_workarounds 7)."""
    return l303_workarounds.validation_batches(x, y)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a mistake ends in one line (exit status 2) instead of the whole usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def argument_type(convert, accept, expected):
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


positive_int = argument_type(int, lambda value: value >= 1, "a positive integer")
non_negative_int = argument_type(int, lambda value: value >= 0, "an integer >= 0")
positive_float = argument_type(float, lambda value: value > 0, "a positive number")
non_negative_float = argument_type(float, lambda value: value >= 0, "a number >= 0")
finite_float = argument_type(float, lambda value: True, "a number")
fraction = argument_type(float, lambda value: 0 <= value < 1, "a number from 0 to below 1")
degrees = argument_type(float, lambda value: 0 < value <= 180, "an angle in degrees, above 0 and "
                        "at most 180")


def int_up_to(maximum):
    return argument_type(int, lambda value: 1 <= value <= maximum, f"an integer from 1 to {maximum}")


def make_parser(doc, *, epochs=None, batch_size=None, learning_rate=None, train_size=None,
                max_train_size=60000, rotate_test=False):
    """The flags every script shares; a hyperparameter's flag only where the script has it, its
    default the script's own UPPER_CASE constant, so --help and the code never disagree."""
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
        parser.add_argument("--rotate-test", type=degrees, metavar="DEGREES",
                            help="Hands-on Practice 02: also evaluate on the test set rotated by "
                                 "random angles within +-DEGREES (example 05's rotation)")
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULT_SEED,
                        help=f"random seed; the same seed gives the same run (default: {DEFAULT_SEED})")
    parser.add_argument("--steps-per-execution", type=positive_int,  # None: the backend's (parse_args)
                        help="batches per call into the backend; 1 is plain Keras, larger is faster "
                             "with identical numbers (default: 500, or 1 on PyTorch)")
    parser.add_argument("--outdir", type=Path, default=os.environ.get("L303_OUTDIR", DEFAULT_OUTDIR),
                        help="where the PNG and JSON go (default: mine/, or L303_OUTDIR; "
                             "figures/ is the reference, written by make report)")
    parser.add_argument("--show", action="store_true",
                        help="watch the curves grow in a window, redrawn after every epoch, then "
                             "the final figure (by default nothing blocks)")
    parser.add_argument("--replay", action="store_true",
                        help="no training: the reference run's curves (figures/<script>.json) "
                             "drawn growing in a window, epoch by epoch, in about ten seconds")
    parser.add_argument("--tensorboard", nargs="?", const=l303_files.REPO / "runs", type=Path,
                        metavar="DIR",
                        help="also log every epoch for TensorBoard under DIR/<script>/<run> "
                             "(default DIR: the repository's runs/, where make tensorboard looks)")
    return parser


def parse_args(parser, argv=None):
    """Parse the flags (--quick lowers the defaults, not what was given), start Keras and seed
    Python, NumPy and the backend."""
    if argv is None and l303_files.in_a_notebook_kernel():
        argv = []  # a script opened as a notebook: no command line, its constants are the settings
    args = parser.parse_args(argv)
    if args.quick:  # `--quick --epochs 3` trains 3 epochs
        quick_defaults = {"train_size": QUICK_TRAIN_SIZE, "epochs": QUICK_EPOCHS}
        parser.set_defaults(**{name: limit if parser.get_default(name) is None
                               else min(parser.get_default(name), limit)
                               for name, limit in quick_defaults.items() if name in args})
        args = parser.parse_args(argv)
    if args.replay:
        import l303_plots

        raise SystemExit(l303_plots.replay_the_reference(parser.prog))
    args.test_size = QUICK_TEST_SIZE if args.quick else None
    if args.tensorboard is not None and not l303_files.installed("tensorboardX"):
        parser.error("argument --tensorboard: the tensorboardX package is not installed; install "
                     f"it with `{sys.executable} -m pip install tensorboardX` (or make setup)")
    start_keras()
    if args.steps_per_execution is None:
        args.steps_per_execution = l303_workarounds.default_steps_per_execution()
    keras.utils.set_random_seed(args.seed)  # Python, NumPy and the backend, all at once
    return args


# A run: what was trained, what it scored, and the files it leaves behind -----------------------

def slide_title(doc):
    """The slide's title from the script's docstring: `Slide "TITLE": lesson` or `TITLE: lesson`."""
    first_line = (doc or "").strip().splitlines()[0] if (doc or "").strip() else "l303 notebook"
    if first_line.startswith('Slide "'):
        return first_line[len('Slide "'):].split('"', 1)[0]
    return first_line.split(": ", 1)[0].rstrip(".")


class Run:
    """One run of one script: the histories and results it records, and the files it writes. Making
    it creates --outdir, chooses where figures go and lets Ctrl-C keep the finished epochs."""

    def __init__(self, doc, args, script_file=None):
        self.argv = sys.argv[1:]  # the command line, for the record
        if l303_files.in_a_notebook_kernel():  # a script opened as a notebook
            found, doc = l303_files.notebook_script()
            script_file, self.argv = script_file or found, []
        script_file = script_file or sys.argv[0]  # the script being run
        self.script_file = Path(script_file)
        self.name = self.stem = self.script_file.stem  # the stem: its files' (save)
        self.code_sha256 = l303_files.code_sha256(script_file)
        self.slide = slide_title(doc)  # the figure's title, the report's and the gallery's
        self.args = args
        self.labels = {}  # key -> the model's display label, in the order the models were trained
        self.histories = {}  # key -> {"loss": [...], "val_loss": [...], ...}, one value per epoch
        self.results = {}  # key -> {"training": {"loss": ..., "accuracy": ...}, ...}
        self.notes = {}  # other numbers the script reports (stopping epoch, misclassified count, ...)
        self.built = {}  # key -> the optimizer's and the layers' configurations (l303_classroom)
        self.started = time.perf_counter()
        self.interrupted = False
        self.saved = False
        try:
            args.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"{Path(sys.argv[0]).name}: error: argument --outdir: cannot create "
                  f"{args.outdir} ({error.strerror})", file=sys.stderr)
            raise SystemExit(2) from None
        l303_classroom.choose_figure_backend(args)
        self.ctrl_c = l303_classroom.CtrlC(self)
        self.ctrl_c.install()
        import matplotlib

        self.live = l303_classroom.LiveFigure(self) \
            if args.show and "inline" not in matplotlib.get_backend() else None

    def callbacks(self, key, label=None):
        """For model.fit(..., callbacks=run.callbacks(key, label)): a recorder that keeps each epoch
        under KEY (the model's name in the record, read by the tools), a stop for a NaN loss, the
        progress bar, Ctrl-C, and --show's and --tensorboard's. LABEL: the legend's name."""
        self.labels[key] = label or key
        found = [l303_classroom.Recorder(self, key), keras.callbacks.TerminateOnNaN(),
                 l303_workarounds.ProgressBarWithinTheEpoch()]
        if self.live is not None:
            found.append(self.live)
        if self.args.tensorboard is not None:
            found.append(l303_classroom.TensorBoardLog(self, key))
        return found + [self.ctrl_c]  # last: Ctrl-C stops after the epoch is recorded

    def save_interrupted(self):
        """After Ctrl-C: the completed epochs of every model so far, plotted and saved."""
        self.interrupted = True
        epochs = {self.labels[key]: len(history.get("loss", []))
                  for key, history in self.histories.items()}
        print(f"\nInterrupted: saving what was learned (completed epochs: "
              f"{', '.join(f'{label!r} {count}' for label, count in epochs.items())}).",
              file=sys.stderr)
        self.save()

    def last_key(self):
        """The model trained last: the one report_performance means when it is given no key."""
        return next(reversed(self.histories), "model")

    def report_performance(self, model, key=None, titles=None, **datasets):
        """Print the slide's lines for each named dataset and record them under its name, e.g.

            Performance (training)
            Loss: 0.00437, Acc: 0.97785

        TITLES: name -> what the printed line calls that dataset (default: its name)."""
        scores = {}
        for name, (x, y) in datasets.items():
            evaluated = model.evaluate(x, y, batch_size=1000, verbose=0, return_dict=True)
            scores[name] = {"loss": float(evaluated["loss"]),
                            "accuracy": float(evaluated["accuracy"])}
            prefix = f"[{self.labels.get(key, key)}] " if key else ""
            print(f"{prefix}Performance ({(titles or {}).get(name, name)})")
            print("Loss: %.5f, Acc: %.5f" % (scores[name]["loss"], scores[name]["accuracy"]))
        self.results.setdefault(key or self.last_key(), {}).update(scores)
        return scores

    def report_rotated_test(self, model, x_test, y_test, degrees, key=None):
        """Practice 02: the performance on the test images rotated within +-DEGREES, recorded as
        "testing_rotated" (the record's settings keep the degrees)."""
        rotated = rotate_images(x_test, -degrees, degrees)
        return self.report_performance(model, key, testing_rotated=(rotated, y_test), titles={
            "testing_rotated": f"testing, rotated within +-{degrees:g} degrees"})

    def report_overtraining(self, key):
        """Print and record how model KEY overtrained: its lowest validation loss, the rise after,
        and the train-test gap at the end, from report_performance's numbers (the history's training
        accuracy is measured with dropout active)."""
        history = self.histories[key]
        validation_loss = np.array(history["val_loss"], dtype=float)
        best_epoch = int(np.nanargmin(validation_loss)) + 1
        scores = self.results[key]
        summary = {
            "best_validation_epoch": best_epoch,
            "min_validation_loss": float(np.nanmin(validation_loss)),
            "final_validation_loss": float(validation_loss[-1]),
            "final_training_loss": float(history["loss"][-1]),
            "accuracy_gap": scores["training"]["accuracy"] - scores["testing"]["accuracy"],
            "loss_gap": scores["testing"]["loss"] - scores["training"]["loss"],
        }
        self.notes.setdefault("overtraining", {})[key] = summary
        print(f"[{self.labels[key]}] validation loss: lowest {summary['min_validation_loss']:.4f} at "
              f"epoch {best_epoch}, {summary['final_validation_loss']:.4f} at epoch {len(validation_loss)}; "
              f"train-test gap at the end: accuracy {summary['accuracy_gap']:.4f}, "
              f"loss {summary['loss_gap']:.4f}")
        return summary

    @property
    def json_path(self):
        return self.args.outdir / f"{self.stem}.json"

    def save(self, main_figure=None, **extra_figures):
        """Write the record, <stem>.json, and the figures drawn from it: <stem>.png (MAIN_FIGURE, by
        default the histories) and <stem>-<key>.png for each extra one; a matplotlib figure
        (l303-pictures') is saved as drawn. The stem is the script's name, or in mine/ the trial's
        (l303_files.trial_stem). With --show the figures then open in windows."""
        import matplotlib.pyplot as plt

        import l303_plots

        if self.live is not None:
            self.notes["live_redraws"] = self.live.redraws
        record = l303_files.run_record(self, keras.backend.backend())
        self.stem = l303_files.trial_stem(record, self.args.outdir)
        figures = {f"{self.stem}.png": figure() if main_figure is None else main_figure}
        figures.update({f"{self.stem}-{key.replace('_', '-')}.png": drawing
                        for key, drawing in extra_figures.items()})
        drawn_here = {name: drawn for name, drawn in figures.items() if hasattr(drawn, "savefig")}
        record["figures"] = {name: l303_plots.DRAWN_BY_THE_SCRIPT if name in drawn_here else drawing
                             for name, drawing in figures.items()}
        replaced = l303_files.read_json(self.json_path)
        l303_files.write_record(self.json_path, record)
        l303_plots.write_figures(record, self.args.outdir, l303_plots.read_bands(),
                                 close=not self.args.show)
        for name, drawn in drawn_here.items():  # l303-pictures' own drawings
            l303_plots.save_png(drawn, self.args.outdir / name)
        print(f"Saved {', '.join(figures)} and {self.json_path.name} in {self.args.outdir}")
        if isinstance(replaced, dict) and isinstance(replaced.get("settings"), dict):
            other = l303_files.trial_words(replaced["settings"], record["settings"])
            if other or replaced.get("code_lines") != record["code_lines"]:
                print(f"(it replaced a run of other settings or code: "
                      f"{', '.join(other) or 'code'}; --outdir DIR keeps each trial's files apart)")
        if self.live is not None:
            self.live.close()  # the final figures take its place
        self.saved = True  # a later Ctrl-C has nothing of it left to keep
        if self.args.show and not self.interrupted:
            if not l303_files.in_a_notebook_kernel() and l303_files.ipython() is None:
                print("Close the figure window to finish.", flush=True)
            plt.show()
