"""Every figure, drawn from records: a run's histories (loss on top, accuracy below, training
solid, validation dashed, the reference band behind), its other figures, the live window and
the replay. A record keeps what each of its figures needs (record["figures"], made by
l303.figure); the same record gives the same pixels, when a script saves its run and when make
figures redraws the reference. Nothing here computes a number; it does not import Keras."""

import json
import math
import os
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

import l303_files
from l303_files import differences, json_ready, setting_words, trial_words

# The reference band (tools/bands.py, made by make report, make spread and make figures), and the
# settings with which a run trains or tests on other data than the band's runs: no band then.
BANDS_FILE = l303_files.REPO / "figures" / "bands.json"
OTHER_DATA_SETTINGS = ("quick", "train_size")
DPI = 100


def plot_history(histories, title, metrics=("loss", "accuracy"), log_loss=False,
                 one_column_per_model=False, share_loss_axis=True, log_epochs=False, note=None,
                 figure=None, legend_below=False, labels=None, marks=0):
    """Loss on top, accuracy below; training solid, validation dashed; a colour per model.

    histories: {key: {"loss": [...], "val_loss": [...], ...}}; labels: {key: the legend's name}.
    Several models get one legend beside (or, legend_below, under) the panels; NaN and infinite
    values are left out, so a curve stops where its run diverged. one_column_per_model: a column
    of panels per model (share_loss_axis=False: each its own loss scale); log_epochs: a log epoch
    axis; note: a line under the panels; figure: draw into it, cleared (the live window); marks:
    how many legend entries mark_accuracies will add (room is kept for them under the panels)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    metrics = [metric for metric in metrics
               if any(key in history for history in histories.values()
                      for key in (metric, f"val_{metric}"))]
    names = {key: (labels or {}).get(key, key) for key in histories}
    columns = [{key: history} for key, history in histories.items()] \
        if one_column_per_model else [histories]
    several = len(histories) > 1 and not one_column_per_model
    # Under the panels: two columns of short labels, or one of long ones (compare's settings).
    legend_columns = 2 if max(map(len, names.values()), default=0) <= 40 else 1
    legend_rows = (math.ceil((len(histories) + 2 + marks) / legend_columns)
                   if several and legend_below else 0)
    size = (4.2 * len(columns) + 2.8 + (2.2 if several and not legend_below else 0),
            3.2 * len(metrics) + 0.6 + 0.22 * legend_rows)
    if figure is None:
        figure = plt.figure(figsize=size)
    else:
        figure.clear()
        figure.set_size_inches(*size, forward=False)
    axes = figure.subplots(len(metrics), len(columns), squeeze=False,
                           sharex="col" if one_column_per_model else True)
    for row, metric in enumerate(metrics):
        if share_loss_axis or metric != "loss":
            for axis in axes[row][1:]:
                axis.sharey(axes[row][0])
                axis.tick_params(labelleft=False)
    for column, shown in enumerate(columns):
        longest = max((len(values) for history in shown.values() for values in history.values()),
                      default=1)
        for row, metric in enumerate(metrics):
            axis = axes[row][column]
            for model, history in shown.items():
                colour = f"C{list(histories).index(model)}"
                for key, style, part in ((metric, "-", "training"),
                                         (f"val_{metric}", "--", "validation")):
                    if key not in history:
                        continue
                    values = np.array([np.nan if value is None else value
                                       for value in history[key]], dtype=float)
                    values[~np.isfinite(values)] = np.nan
                    name = part if len(shown) == 1 else f"{names[model]} ({part})"
                    axis.plot(np.arange(1, len(values) + 1), values, style, color=colour, lw=2,
                              label=name, marker="o" if len(values) == 1 else None)  # 1 epoch
            # What draw_bands needs to know of a panel: its metric, its models' colours and names.
            axis.l303_panel = (metric, {model: f"C{list(histories).index(model)}"
                                        for model in shown}, {model: names[model] for model in shown})
            if column == 0 or not (share_loss_axis or metric != "loss"):
                axis.set_ylabel(metric)
            if metric == "loss" and log_loss:
                axis.set_yscale("log")
            if log_epochs:
                axis.set_xscale("log")
                ticks = [tick for tick in (1, 2, 5, 10, 20, 50, 100, 200, 500) if tick <= longest]
                axis.set_xticks(ticks, [str(tick) for tick in ticks])
                axis.set_xticks([], minor=True)
            axis.grid(alpha=0.3)
        axes[-1][column].set_xlabel("epoch (log scale)" if log_epochs else "epoch")
        if not log_epochs:
            axes[-1][column].xaxis.set_major_locator(MaxNLocator(integer=True))
        if one_column_per_model:
            axes[0][column].set_title(names[next(iter(shown))], fontsize=10)
    if not several:
        handles, options = axes[0][0].get_legend_handles_labels()[0], {"fontsize": 8}
        axes[0][0].legend(handles=handles, **options)
        figure.l303_legend = (axes[0][0], handles, options)
    else:
        handles = [Line2D([], [], color=f"C{index}", lw=2, label=label)
                   for index, label in enumerate(names.values())]
        if any(key.startswith("val_") for history in histories.values() for key in history):
            handles += [Line2D([], [], color="k", ls=style, lw=2, label=part)
                        for style, part in (("-", "training"), ("--", "validation"))]
        if legend_below:
            options = {"fontsize": 8, "loc": "lower center", "ncol": legend_columns,
                       "frameon": False}
            figure.legend(handles=handles, **options)
            figure.l303_legend = (figure, handles, options)
        else:
            options = {"fontsize": 8, "loc": "upper left", "bbox_to_anchor": (1.02, 1)}
            axes[0][-1].legend(handles=handles, **options)
            figure.l303_legend = (axes[0][-1], handles, options)
    figure.suptitle(title)
    bottom = 0.22 * legend_rows / figure.get_figheight()
    if note:  # wrapped to the figure's width
        note = "\n".join(textwrap.fill(part, width=int(figure.get_figwidth() * 13))
                         for part in note.split("\n"))
        figure.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=9, style="italic")
        bottom += (0.3 + 0.17 * note.count("\n")) / figure.get_figheight()
    figure.l303_layout = (0, bottom, 1, 1)  # what tight_layout leaves free (mark_accuracies)
    figure.tight_layout(rect=figure.l303_layout)
    return figure


def mark_accuracies(figure, accuracies, colours=None, axis=None):
    """Scores measured once, after training, as dotted lines across the accuracy panel (AXIS, by
    default the first), each named in the figure's legend, never over the curves; COLOURS: name ->
    colour (default: C3, C4, ...)."""
    from matplotlib.lines import Line2D

    axis = axis or next(axis for axis in figure.axes if axis.get_ylabel() == "accuracy")
    owner, handles, options = figure.l303_legend
    for legend in list(getattr(owner, "legends", [])):  # a figure's: made anew below
        legend.remove()
    for index, (name, accuracy) in enumerate(accuracies.items()):
        colour = (colours or {}).get(name, f"C{index + 3}")
        words = f"{name}: {accuracy:.4f}"
        axis.axhline(accuracy, color=colour, ls=":", lw=2, gid=f"mark {name}", label=words)
        handles.append(Line2D([], [], color=colour, ls=":", lw=2, label=words))
    owner.legend(handles=handles, **options)
    if owner is not figure:  # a legend beside the panels: they make room for its new entries
        figure.tight_layout(rect=figure.l303_layout)
    return figure


def zoom_on_the_end(figure, epochs=20, metric="accuracy"):
    """An inset in each METRIC panel: its last EPOCHS epochs on their own scale."""
    from matplotlib.ticker import MaxNLocator

    for axis in [axis for axis in figure.axes if axis.get_ylabel() == metric]:
        inset = axis.inset_axes([0.45, 0.08, 0.5, 0.5])
        ends = []
        for line in axis.get_lines():
            if (line.get_gid() or "").startswith("mark "):  # a score after training, not a curve
                continue
            x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
            last = x > x.max() - epochs
            inset.plot(x[last], y[last], line.get_linestyle(), color=line.get_color(), lw=1.5)
            ends.extend(y[last][np.isfinite(y[last])])
        if ends:
            margin = 0.1 * (max(ends) - min(ends)) or 0.001
            inset.set_ylim(min(ends) - margin, max(ends) + margin)
        inset.set_title(f"last {epochs} epochs", fontsize=8)
        inset.xaxis.set_major_locator(MaxNLocator(integer=True))
        inset.tick_params(labelsize=7)
        inset.grid(alpha=0.3)
    return figure


# A band wider than this share of its panel (the median over its epochs) says only that the runs
# go anywhere (06's lr=20, which diverges differently in every seed): it is left out, and said.
WIDEST_BAND = 0.5


def draw_bands(figure, bands, note):
    """The reference band of each model (bands: {key: {metric: {"mean", "low", "high"}}}) faintly
    behind its curves, in its colour, validation fainter, each whole (the panel grows to hold it)
    and within what the metric can be. A band over more than WIDEST_BAND of its panel is left out,
    and NOTE (the line under the title) says so, as it says which bands are the seeds' range
    (tools/bands.py). Returns the bands drawn and the line written."""
    drawn, too_wide, ranges = 0, [], []
    for axis in figure.axes:
        if not hasattr(axis, "l303_panel"):
            continue
        metric, colours, names = axis.l303_panel
        limits = axis.get_xlim(), axis.get_ylim()
        reach = limits[1]
        for model, colour in colours.items():
            for key, alpha in ((metric, 0.2), (f"val_{metric}", 0.12)):
                band = (bands or {}).get(model, {}).get(key)
                if band is None:
                    continue
                if share_of_the_panel(axis, band["low"], band["high"]) > WIDEST_BAND:
                    too_wide += [names[model]] if names[model] not in too_wide else []
                    continue
                low, high = (np.clip(np.array(band[side], dtype=float), 0,  # what it can be
                                     1 if metric == "accuracy" else None) for side in ("low", "high"))
                if axis.get_yscale() == "log":
                    low[low <= 0] = limits[1][0]
                epochs = np.arange(1, len(low) + 1)
                axis.fill_between(epochs, low, high, color=colour, alpha=alpha,
                                  lw=0, zorder=0.5, gid=f"band {model} {key}", label="_band")
                drawn += 1
                if band.get("range") and names[model] not in ranges:
                    ranges.append(names[model])
                reach = (min(reach[0], np.nanmin(low)), max(reach[1], np.nanmax(high)))
        axis.set_xlim(*limits[0])
        axis.set_ylim(*limits[1])
        if reach[0] < limits[1][0] or reach[1] > limits[1][1]:  # drawn whole, with a margin
            if axis.get_yscale() == "log":
                axis.set_ylim(min(reach[0] / 1.1, limits[1][0]), max(reach[1] * 1.1, limits[1][1]))
            else:
                margin = 0.03 * (max(reach[1], limits[1][1]) - min(reach[0], limits[1][0]))
                axis.set_ylim(min(reach[0] - margin, limits[1][0]),
                              max(reach[1] + margin, limits[1][1]))
    if ranges:
        note += (f"; for {', '.join(ranges)} the band is the seeds' range: they part ways (a 95% "
                 f"interval would reach past what the metric can be)")
    if too_wide:
        note += (f"; none for {', '.join(too_wide)}: "
                 f"{'its' if len(too_wide) == 1 else 'their'} runs spread over the panel")
    # A line longer than the figure is wide (a quick run's) wraps; the panels move down for it.
    lines = textwrap.wrap(note, width=int(figure.get_figwidth() * 15))
    top = figure.subplotpars.top
    room = 0.14 * (len(lines) - 1) / figure.get_figheight()
    if any(axis.get_title() for axis in figure.axes if hasattr(axis, "l303_panel")):
        room += 0.3 / figure.get_figheight()  # the column titles move down to make room
        y = top + (1 - top) * 0.35
    else:
        y = top + (1 - top) * 0.25
    if room:
        figure.subplots_adjust(top=top - room)
    figure.text(0.5, y - room / 2, "\n".join(lines), ha="center", va="center", fontsize=8,
                style="italic", color="0.35", gid="band note")
    return drawn, note


def share_of_the_panel(axis, low, high):
    """The share of the panel's height a band covers, the median over its epochs, on its scale."""
    bottom, top = sorted(axis.get_ylim())
    low, high = (np.clip(np.asarray(values, dtype=float), bottom, top) for values in (low, high))
    to_pixels = axis.transData.transform
    heights = np.abs(to_pixels(np.column_stack([np.ones_like(high), high]))[:, 1]
                     - to_pixels(np.column_stack([np.ones_like(low), low]))[:, 1])
    return float(np.median(heights)) / axis.bbox.height


def has_display():
    """Can matplotlib open a window here? Not on a headless Linux machine (no X, no Wayland)."""
    import matplotlib.pyplot as plt

    backend = plt.get_backend().lower()
    if backend in ("agg", "pdf", "ps", "svg", "pgf", "cairo", "template"):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def replay(histories, title, labels, figure, pause, seconds=10.0, frames=40):
    """Draw HISTORIES growing into FIGURE, a few epochs a frame, in about SECONDS (pause shows a
    frame: matplotlib.pyplot.pause). Returns the epochs drawn at each frame."""
    longest = max((len(values) for history in histories.values() for values in history.values()),
                  default=0)
    ends = sorted({int(end) for end in np.linspace(1, longest, min(longest, frames)).round()})
    for end in ends:
        started = time.perf_counter()
        plot_history({key: {metric: values[:end] for metric, values in history.items()}
                      for key, history in histories.items()}, title, labels=labels, figure=figure)
        figure.canvas.draw_idle()
        pause(max(0.001, seconds / len(ends) - (time.perf_counter() - started)))  # a frame's share
    return ends


def replay_the_reference(program):
    """--replay: the reference run drawn as --show draws a run, in about ten seconds, without
    training, in a window or under a notebook's cell (Jupyter, Colab); its exit status."""
    import matplotlib
    import matplotlib.pyplot as plt

    path = l303_files.REPO / "figures" / f"{Path(program).stem}.json"
    if not path.is_file():
        print(f"{program}: --replay: no reference run {path} (make report makes it)", file=sys.stderr)
        return 2
    in_a_notebook = "inline" in matplotlib.get_backend()
    if not in_a_notebook and not has_display():
        print(f"{program}: --replay draws in a window or under a notebook's cell: no display found "
              f"(matplotlib backend {matplotlib.get_backend()}); the reference figure is "
              f"{path.with_suffix('.png')}", file=sys.stderr)
        return 2
    record = json.loads(path.read_text())
    if not record["histories"]:
        print(f"{program}: --replay: this script trains nothing; its figures are in {path.parent}",
              file=sys.stderr)
        return 2
    figure = plt.figure(num=f"{record['script']} (replay of the reference run)")
    if in_a_notebook:  # each frame replaces the last under the cell
        from IPython.display import display

        shown = display(figure, display_id=True)
        replay(record["histories"], record["slide"], record.get("models"), figure,
               lambda seconds: (shown.update(figure), time.sleep(seconds)))
        plt.close(figure)  # shown already: not again at the cell's end
        return 0
    plt.show(block=False)
    replay(record["histories"], record["slide"], record.get("models"), figure, plt.pause)
    print("Close the figure window to finish.", flush=True)
    plt.show()
    return 0


# ---------------------------------------------------------------------------------------------
# A run's figures, drawn from its record
# ---------------------------------------------------------------------------------------------

def figure(draw="history", **data):
    """A figure as the record keeps it: what to draw (a name of DRAWINGS) and what it needs beyond
    the record, e.g. run.save(l303.figure(log_loss=True), second_choice=l303.figure("runner_ups",
    ...))."""
    return json_ready({"draw": draw, **data})


def read_bands(path=None):
    """The bands file (tools/bands.py), or None where there is none."""
    return l303_files.read_json(path or BANDS_FILE)


# A figure drawn by the script itself (l303-pictures: the slides' drawings), which only a run redraws.
DRAWN_BY_THE_SCRIPT = {"draw": "script"}


def draw_record(record, bands=None):
    """{file name: figure} for every figure the record describes, each drawn from the record alone
    (and the MNIST file, for digits), BANDS behind a history."""
    drawings = record.get("figures")
    if not isinstance(drawings, dict):
        return {}
    return {name: DRAWINGS[drawing["draw"]](record, drawing, bands)
            for name, drawing in drawings.items() if drawing != DRAWN_BY_THE_SCRIPT}


def write_figures(record, outdir, bands=None, close=True):
    """draw_record's figures written into OUTDIR; closed unless CLOSE is False (for --show)."""
    import matplotlib.pyplot as plt

    figures = draw_record(record, bands)
    for name, drawn in figures.items():
        save_png(drawn, Path(outdir) / name)
        if close:
            plt.close(drawn)
    return figures


def save_png(figure, path):
    """FIGURE as a PNG at PATH, written whole or not at all: every figure of the suite."""
    l303_files.write_atomically(path, lambda temporary: figure.savefig(temporary, format="png",
                                                                      dpi=DPI))


HISTORY_OPTIONS = ("metrics", "log_loss", "one_column_per_model", "share_loss_axis",
                   "log_epochs", "note")


def draw_history(record, drawing, bands):
    """The run's histories, with the drawing's options; the rotated-test accuracy across the
    accuracy panel (Practice 02); where early stopping stopped; an inset of the last epochs; the
    reference band of the run's settings behind, and a line saying what it is."""
    options = {name: drawing[name] for name in HISTORY_OPTIONS if name in drawing}
    options["note"] = options.get("note") or training_mode_note(record)
    figure = plot_history(record["histories"], record["slide"] + stopped_words(record),
                          labels=record["models"], **options)
    mark_test_accuracies(figure, record)
    stopped_after = record["notes"].get("stopped_after_epochs")
    if stopped_after is not None:
        for axis in figure.axes:
            axis.axvline(stopped_after, color="grey", lw=1, ls=":")
        figure.axes[0].annotate(f"stopped after {stopped_after} epochs", (stopped_after, 0.5),
                                xycoords=("data", "axes fraction"), ha="right", fontsize=8)
    if drawing.get("zoom_last"):
        zoom_on_the_end(figure, epochs=drawing["zoom_last"])
    found, words = reference_band(record, bands)
    if words is not None:
        draw_bands(figure, found, words)
    return figure


def stopped_words(record):
    """An interrupted run's title says where it stopped: " (stopped at epoch 31 of 100, Ctrl-C)"."""
    if not record.get("interrupted"):
        return ""
    planned = record["settings"].get("epochs")
    return (f" (stopped at epoch {l303_files.epochs_trained(record)}"
            + (f" of {planned}" if isinstance(planned, int) else "") + ", Ctrl-C)")


# A run of at most this many models gets each one's test accuracy marked (the slides print it);
# more would hide the curves.
MARKED_MODELS = 2


def mark_test_accuracies(figure, record):
    """Each model's accuracy on the test set after training, the slide's headline number, and on
    the rotated test digits (Practice 02), as labelled dotted lines in the model's colour."""
    tested = {key: scores for key, scores in record["results"].items()
              if "accuracy" in scores.get("testing", {}) and key in record["histories"]}
    if not tested or len(record["histories"]) > MARKED_MODELS \
            or not any(axis.get_ylabel() == "accuracy" for axis in figure.axes):
        return
    panels = {key: axis for axis in figure.axes if getattr(axis, "l303_panel", ("",))[0]
              == "accuracy" for key in axis.l303_panel[1]}  # a model's accuracy panel
    for key, scores in tested.items():
        marks, colours = {}, {}
        colour = f"C{list(record['histories']).index(key)}"  # the model's: the legend names it
        for part, words in (("testing", "test accuracy"),
                            ("testing_rotated", "rotated test digits "
                             f"(+-{record['settings'].get('rotate_test') or 0:g} degrees)")):
            if part in scores and scores[part]["accuracy"] is not None:
                marks[words] = scores[part]["accuracy"]
                colours[words] = colour if part == "testing" else "C3"
        if key in panels:
            mark_accuracies(figure, marks, colours, panels[key])


def training_mode_note(record):
    """Why a training accuracy can end below the validation's: Keras measures it during the epoch,
    with dropout and augmentation at work, which validation never has (08a)."""
    below = [key for key, history in record["histories"].items()
             if history.get("accuracy") and history.get("val_accuracy")
             and None not in (history["accuracy"][-1], history["val_accuracy"][-1])
             and history["accuracy"][-1] < history["val_accuracy"][-1]]
    acting = {part["class"] for key in below for part in record.get("built", {}).get(key, {})
              .get("layers", []) if part["class"].startswith("Random")
              or (part["class"] == "Dropout" and part.get("rate"))}
    if not acting:
        return None
    words = " and ".join(sorted({"dropout" if name == "Dropout" else "augmentation"
                                 for name in acting}))
    return (f"training accuracy is measured during each epoch with {words} at work, validation "
            f"without: it can end below the validation accuracy")


def draw_misclassified(record, drawing, bands):
    """01a: the first misclassified test digits in a square grid, each marked true->predicted."""
    import matplotlib.pyplot as plt

    arrays = l303_files.load_mnist_arrays()
    shown = list(zip(drawing["indexes"], drawing["predicted"]))
    side = max(1, math.ceil(math.sqrt(len(shown))))
    figure = plt.figure(figsize=(10, 10), dpi=80)
    for position, (index, predicted) in enumerate(shown):
        axis = figure.add_subplot(side, side, position + 1)
        axis.axis("off")
        axis.imshow(arrays["x_test"][index], cmap="Greys")
        axis.text(0.0, 0.0, r"$%d\to%d$" % (arrays["y_test"][index], predicted), color="red",
                  fontsize=15)
    test_digits = record["settings"].get("test_size") or len(arrays["x_test"])
    figure.suptitle(f"First {len(shown)} of {record['notes']['misclassified']} misclassified (of "
                    f"{test_digits} test digits; true$\\to$predicted)")
    return figure


def draw_tricks(record, drawing, bands):
    """01a's INTERMISSION: the wrongly tagged test digits, baseline against the tricks."""
    import matplotlib.pyplot as plt

    tricks = record["notes"]["tricks"]
    figure, bars = plt.subplots(figsize=(6.5, 4.2))
    counts = {"baseline\n(example 01)": tricks["baseline_misclassified"],
              "with the tricks": tricks["misclassified"],
              "wrong in both": tricks["misclassified_by_both"]}
    bars.bar_label(bars.bar(list(counts), list(counts.values()), color=["C0", "C2", "C7"]))
    bars.margins(y=0.12)  # room for the counts above the bars
    bars.set(ylabel=f"wrongly tagged test digits (of {drawing['test_digits']})",
             title="softmax + cross-entropy, rotated copies, early stopping")
    figure.suptitle("INTERMISSION: the baseline with the tricks so far")
    figure.tight_layout()
    return figure


def draw_runner_ups(record, drawing, bands):
    """03's INTERMISSION: the best and second-best probabilities of each misclassified digit."""
    import matplotlib.pyplot as plt

    best, second = np.array(drawing["best"]), np.array(drawing["second"])
    right = np.array(drawing["second_is_right"], dtype=bool)
    figure, (scatter, histogram) = plt.subplots(1, 2, figsize=(11, 4.5))
    scatter.scatter(best[~right], second[~right], s=12, color="C3", label="second choice also wrong")
    scatter.scatter(best[right], second[right], s=12, color="C2", label="second choice right")
    scatter.plot([0, 1], [0, 1], "k:", lw=1)
    scatter.set(xlabel="best probability", ylabel="second-best probability", xlim=(0, 1),
                ylim=(0, 0.55), title=f"{len(best)} misclassified test digits")
    scatter.legend(fontsize=8)
    histogram.hist([(best - second)[right], (best - second)[~right]], bins=np.linspace(0, 1, 21),
                   stacked=True, color=["C2", "C3"],
                   label=["second choice right", "second also wrong"])
    histogram.set(xlabel="best minus second-best probability", ylabel="digits",
                  title="How close the runner-up is")
    histogram.legend(fontsize=8)
    figure.suptitle("INTERMISSION: softmax outputs as probabilities")
    figure.tight_layout()
    return figure


def draw_output_weights(record, drawing, bands):
    """04a (Practice 01, Trial #1): the sizes of each model's output weights after training."""
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4))
    bins = np.logspace(-6, 1, 50)
    for key, weights in drawing["sizes"].items():
        sizes = np.array(weights)
        axis.hist(np.clip(sizes, bins[0], None), bins=bins, histtype="step", lw=2,
                  label=f"{record['models'][key]}: {100 * np.mean(sizes < 0.01):.0f}% below 0.01")
    axis.axvline(0.01, color="k", ls=":", lw=1)
    axis.set(xscale="log", xlabel="|w| of an output weight (log scale; below 1e-6 counted at 1e-6)",
             ylabel="weights", title="Practice 01, Trial #1: the output-layer weights after training")
    axis.legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    return figure


def draw_gradients(record, drawing, bands):
    """07a: the mean gradient size of each layer, sigmoid against relu, before and after."""
    import matplotlib.pyplot as plt

    gradients = record["notes"]["gradients"]
    figure, panels = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    layers = len(next(iter(next(iter(gradients.values())).values()))["bias"])
    layer_numbers = np.arange(1, layers + 1)  # the hidden layers, then the output layer
    moments = {"initial": ("-o", "at initialisation"),
               "trained": ("--s", f"after {drawing['trained_epochs']} epochs")}
    for panel, kind in zip(panels, ("bias", "kernel")):
        for colour, activation in (("C3", "sigmoid"), ("C0", "relu")):
            for moment, (style, words) in moments.items():
                panel.semilogy(layer_numbers, gradients[activation][moment][kind], style,
                               color=colour, label=f"{activation}, {words}")
        panel.set(xlabel=f"layer (1 = first hidden, {layers} = output)", xticks=layer_numbers,
                  title=f"mean |dL/d{'b' if kind == 'bias' else 'w'}| per layer")
        panel.grid(alpha=0.3, which="both")
    panels[0].set_ylabel("gradient size (log scale)")
    panels[0].legend(fontsize=8)
    figure.suptitle(f"WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK?  784-({drawing['units']}x"
                    f"{layers - 1})-10: the gradient vanishes towards the first layers with sigmoid")
    figure.tight_layout()
    return figure


DRAWINGS = {"history": draw_history, "misclassified": draw_misclassified, "tricks": draw_tricks,
            "runner_ups": draw_runner_ups, "output_weights": draw_output_weights,
            "gradients": draw_gradients}


def reference_band(record, bands):
    """(each model's band, the line the figure says of it) for RECORD's run: the band of the run
    with its settings, else the slide's, with every difference named (flags, constants, code
    edits); "at these settings" only where none. No band where the run trains or tests on other
    data (--quick, another --train-size): the line says so and why. (None, None) without a bands
    file."""
    if bands is None:
        return None, None
    entries = bands["scripts"].get(record["script"])
    if not entries:
        return None, "no reference band for this script"
    settings, edits = record["settings"], record.get("code_edits") or []
    entry = min(entries, key=lambda entry: len(differences(settings, entry["settings"])))
    differ = differences(settings, entry["settings"])
    seeds = entry["seeds"]
    seed_words = (f"seeds {seeds[0]}-{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1))
                  else "seeds " + ", ".join(map(str, seeds)))
    yours = ", ".join(trial_words(settings, entry["settings"], edits))
    theirs = ", ".join(setting_words(name, reference) for name, _, reference in differ)
    if any(name in OTHER_DATA_SETTINGS for name, _, _ in differ):  # all it changed, as a trial
        slide = entries[0]["settings"]
        yours = ", ".join(trial_words(settings, slide, edits))
        theirs = ", ".join(setting_words(name, reference)
                           for name, _, reference in differences(settings, slide))
        return None, (f"no reference band: {yours} trains or tests on other data than the "
                      f"band's runs ({theirs}, {seed_words})")
    if yours:
        return entry["models"], (f"{yours}; band: the reference's "
                                 f"{theirs or 'code'}, {seed_words} (95%)")
    variant = ", ".join(trial_words(settings, entries[0]["settings"]))
    return entry["models"], (f"band: 95% of runs at these settings"
                             f"{f' ({variant})' if variant else ''}, {seed_words}")
