"""The callbacks of a run, which l303.Run hands to each fit (run.callbacks); none changes a number.

Recorder (each epoch into the record), CtrlC (Ctrl-C keeps the finished epochs), LiveFigure
(--show), TensorBoardLog (--tensorboard), and choose_figure_backend: a window with --show,
figures under the cell in a notebook, files only otherwise."""

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import keras
import numpy as np

import l303_files
from l303_files import UNNAMED_SETTINGS, ipython, json_ready, setting_text
from l303_plots import has_display, plot_history

INTERRUPTED_EXIT_STATUS = 130  # what a shell reports for Ctrl-C


def choose_figure_backend(args):
    """--show opens windows where there is a display; a notebook shows its figures under the cell;
    otherwise nothing blocks (Agg: the figures are only saved)."""
    import matplotlib

    if ipython() is not None and "inline" in matplotlib.get_backend():
        args.show = True  # a notebook: the figures appear under the cell, as a notebook user expects
    elif not args.show:
        matplotlib.use("Agg")
    elif not has_display():
        print(f"--show: no display found (matplotlib backend {matplotlib.get_backend()}); the "
              f"figures are saved, not shown.", file=sys.stderr)
        matplotlib.use("Agg")
        args.show = False



class Recorder(keras.callbacks.Callback):
    """Each epoch's logs into run.histories[key] as they come (an interrupted fit keeps its epochs),
    each epoch's seconds, and where a diverging run stopped."""

    def __init__(self, run, key):
        super().__init__()
        self.run, self.key = run, key

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()
        self.run.histories[self.key] = {}
        self.run.notes.setdefault("epoch_seconds", {})[self.key] = []
        self.run.built[self.key] = {**built(self.model), "steps_per_epoch": self.params.get("steps")}

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.run.histories[self.key].setdefault(key, []).append(float(value))
        self.run.notes["epoch_seconds"][self.key].append(
            round(time.perf_counter() - self.epoch_started, 3))  # the first includes compiling

    def on_train_end(self, logs=None):
        notes = self.run.notes
        notes.setdefault("fit_seconds", {})[self.key] = round(time.perf_counter() - self.started, 3)
        losses = np.array(self.run.histories[self.key].get("loss", []), dtype=float)
        if not np.all(np.isfinite(losses)):
            epoch = int(np.argmin(np.isfinite(losses))) + 1
            notes.setdefault("diverged_at_epoch", {})[self.key] = epoch
            print(f"[{self.run.labels.get(self.key, self.key)}] diverged: the loss became NaN or "
                  f"infinite in epoch {epoch}; training stopped there and the curve ends there.")


def built(model):
    """What a fit trains, as Keras describes it (the loss, the optimizer's and each layer's class
    and configuration, one input's shape): what a flag built, for the tools (and make bench)."""
    loss = model.loss if isinstance(model.loss, str) else keras.saving.serialize_keras_object(
        model.loss)
    return json_ready({"loss": loss, "input_shape": model.input_shape[1:],
                       "optimizer": {"class": type(model.optimizer).__name__,
                                     **model.optimizer.get_config()},
                       "layers": [{"class": type(layer).__name__, **layer.get_config()}
                                  for layer in model.layers]})


class CtrlC(keras.callbacks.Callback):
    """Ctrl-C keeps what the run has learned.

    During a fit the first Ctrl-C stops at the next batch boundary (interrupted inside the
    backend, TensorFlow can crash: "free(): invalid next size"); a second one, or one outside a
    fit, at once. The finished epochs are saved, and the script ends in one line with exit status
    130. In IPython (Jupyter, Colab) the kernel lives on."""

    def __init__(self, run):
        super().__init__()
        self.run = run
        self.fitting = False  # inside a fit of this run
        self.stop_requested = False  # Ctrl-C pressed during a fit

    def install(self):
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job ignores it
            signal.signal(signal.SIGINT, self.pressed)
        if ipython() is None:
            sys.excepthook = self.on_uncaught_exception

    def pressed(self, number, frame):
        if self.fitting and not self.stop_requested:
            self.stop_requested = True
            os.write(2, b"\nCtrl-C: stopping after the current batches (Ctrl-C again: at once) ...\n")
            return
        self.interrupt()

    def interrupt(self):
        """A plain process gets a KeyboardInterrupt (on_uncaught_exception). IPython never passes it
        there, and ending the process ends the kernel: the run is saved here, then a SystemExit."""
        if ipython() is not None and self._has_unsaved_epochs():
            self.run.save_interrupted()
            raise SystemExit(INTERRUPTED_EXIT_STATUS)
        raise KeyboardInterrupt

    def _has_unsaved_epochs(self):
        """A completed epoch not saved yet."""
        return not self.run.saved and any(any(history.values())
                                          for history in self.run.histories.values())

    def on_uncaught_exception(self, kind, value, traceback):
        if not issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        if self._has_unsaved_epochs():
            self.run.save_interrupted()
        else:
            print("\nInterrupted.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED_EXIT_STATUS)

    def on_train_begin(self, logs=None):
        self.fitting = True

    def on_train_end(self, logs=None):
        self.fitting = False

    def on_train_batch_end(self, batch, logs=None):
        self._stop_if_requested()

    def on_epoch_end(self, epoch, logs=None):  # after the run's recorder has kept the epoch
        self._stop_if_requested()

    def on_test_batch_end(self, batch, logs=None):
        self._stop_if_requested()

    def _stop_if_requested(self):
        if self.stop_requested:
            self.fitting = False
            self.interrupt()


class LiveFigure(keras.callbacks.Callback):
    """--show: the run's curves in a window, redrawn as epochs end, without blocking: at most four
    times a second, and at most about 5% of the time since the last redraw spent drawing."""

    MINIMUM_INTERVAL = 0.25  # seconds between redraws
    SHARE = 0.05  # of the elapsed time, at most, spent drawing

    def __init__(self, run):
        super().__init__()
        self.run = run
        self.figure = None
        self.epochs_seen = 0
        self.redraws = 0
        self.last_redraw = 0.0
        self.redraw_seconds = 0.0

    def on_train_begin(self, logs=None):
        self.start()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_ended()

    def on_train_end(self, logs=None):
        self.redraw()  # the last epoch always shows

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
        """The histories so far, drawn into the window as the saved figure is."""
        if self.figure is None:
            return
        started = time.perf_counter()
        plot_history(self.run.histories, self.run.slide, labels=self.run.labels,
                          figure=self.figure)
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


class TensorBoardLog(keras.callbacks.Callback):
    """--tensorboard DIR: each epoch's numbers for TensorBoard, in Keras' names (epoch_loss, ...),
    under DIR/<script>/<key>-<changed settings>-seed<N>/{train,validation}, and the settings as
    HParams. Written with tensorboardX, so every backend logs, TensorFlow installed or not."""

    def __init__(self, run, key):
        from tensorboardX import SummaryWriter
        from tensorboardX.summary import hparams

        super().__init__()
        self.SummaryWriter = SummaryWriter
        args = run.args
        reference = l303_files.read_json(l303_files.REFERENCE / f"{run.name}.json")
        settings = ",".join(l303_files.trial_words(l303_files.run_settings(args),
                                                   reference["settings"]) if reference else [])
        name = "-".join(part for part in (key, settings, f"seed{args.seed}") if part)
        self.folder = Path(args.tensorboard) / run.name / _folder_name(name)
        shutil.rmtree(self.folder, ignore_errors=True)  # a rerun replaces the run of its name
        self.writers = {}  # train/ and validation/, made when first needed
        hyperparameters = {name: _hyperparameter(value) for name, value in vars(args).items()
                           if name not in UNNAMED_SETTINGS - {"seed"} and value is not None}
        hyperparameters["model"] = run.labels.get(key, key)
        # The session's start (and its end, below) as HParams records them, in the run's folder;
        # the metrics named are the scalars written below.
        # One writer from start to end: two in the same second would write one file name.
        experiment, start, self.session_end = hparams(
            hyperparameters, {"epoch_loss": None, "epoch_accuracy": None})
        self.session = SummaryWriter(str(self.folder))
        for summary in (experiment, start):
            self.session.file_writer.add_summary(summary)
        self.session.flush()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            part = "validation" if key.startswith("val_") else "train"
            if part not in self.writers:
                self.writers[part] = self.SummaryWriter(str(self.folder / part))
            self.writers[part].add_scalar(f"epoch_{key.removeprefix('val_')}", float(value),
                                          global_step=epoch + 1)
        for writer in self.writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        self.session.file_writer.add_summary(self.session_end)
        self.session.close()
        for writer in self.writers.values():
            writer.close()
        self.writers = {}


def _hyperparameter(value):
    """A setting as HParams shows it: an integer as text (not 120.00), a list as its text."""
    if isinstance(value, bool) or isinstance(value, (float, str)):
        return value
    if isinstance(value, int):
        return str(value)
    return setting_text(value)


def _folder_name(text):
    """A folder name of letters, digits and . = + - _ , only."""
    text = text.replace(", ", ",").replace("(", "").replace(")", "")
    name = "".join(char if char.isalnum() or char in ".=+-_," else "_" for char in text)
    while "__" in name:
        name = name.replace("__", "_")
    return name.strip("_")[:200]
