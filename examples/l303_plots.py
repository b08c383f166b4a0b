"""The figures of a run: loss on top, accuracy below, training solid, validation dashed.

Used by every script (through l303) and by tools/compare.py; it does not import Keras.
"""

import math
import os
import sys
import time

import numpy as np


def plot_history(histories, title, metrics=("loss", "accuracy"), log_loss=False,
                 one_column_per_model=False, share_loss_axis=True, log_epochs=False, note=None,
                 figure=None, legend_below=False, labels=None):
    """Loss on top, accuracy below; training solid, validation dashed; one colour per model.

    histories: {key: {"loss": [...], "val_loss": [...], ...}}, one value per epoch, per model.
    labels: {key: what the legend calls that model} (a run's run.labels); default: the keys.
    With several models the legend (one entry per model, one per line style) sits to the right
    of the panels, never over a curve. Values that are NaN or infinite (a diverging learning
    rate) are left out, so a curve stops where its run diverged.
    one_column_per_model: a column of panels for each model, on common axes (as on the
        deeper-network slide); share_loss_axis=False gives each column its own loss scale, for
        losses that do not compare (categorical against binary cross-entropy).
    log_epochs: a logarithmic epoch axis, which spreads out the first epochs.
    note: a line under the panels, for what the curves alone would not say.
    figure: draw into this figure, cleared first (the live window of --show).
    legend_below: the legend of several models under the panels, in columns, so that long
        labels (tools/compare.py's) leave the panels their width.
    """
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
    legend_rows = math.ceil((len(histories) + 2) / legend_columns) if several and legend_below else 0
    size = (4.2 * len(columns) + 2.8 + (2.2 if several and not legend_below else 0),
            3.2 * len(metrics) + 0.6 + 0.22 * legend_rows)
    if figure is None:
        figure = plt.figure(figsize=size)
    else:
        figure.clear()
        figure.set_size_inches(*size, forward=False)
    axes = figure.subplots(len(metrics), len(columns), squeeze=False, sharex=True)
    for row, metric in enumerate(metrics):
        if share_loss_axis or metric != "loss":
            for axis in axes[row][1:]:
                axis.sharey(axes[row][0])
                axis.tick_params(labelleft=False)
    longest = max((len(values) for history in histories.values() for values in history.values()),
                  default=1)
    for column, shown in enumerate(columns):
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
        axes[0][0].legend(fontsize=8)
    else:
        handles = [Line2D([], [], color=f"C{index}", lw=2, label=label)
                   for index, label in enumerate(names.values())]
        if any(key.startswith("val_") for history in histories.values() for key in history):
            handles += [Line2D([], [], color="k", ls=style, lw=2, label=part)
                        for style, part in (("-", "training"), ("--", "validation"))]
        if legend_below:
            figure.legend(handles=handles, fontsize=8, loc="lower center", ncol=legend_columns,
                          frameon=False)
        else:
            axes[0][-1].legend(handles=handles, fontsize=8, loc="upper left",
                               bbox_to_anchor=(1.02, 1))
    figure.suptitle(title)
    bottom = 0.22 * legend_rows / figure.get_figheight()
    if note:
        figure.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=9, style="italic")
        bottom += (0.3 + 0.17 * note.count("\n")) / figure.get_figheight()
    figure.tight_layout(rect=(0, bottom, 1, 1))
    return figure


def mark_accuracies(figure, accuracies):
    """Draw scores measured once, after training, as dotted lines across the accuracy panel
    (Practice 02: the rotated-test accuracy beside the test curve), each labelled with its value."""
    axis = next(axis for axis in figure.axes if axis.get_ylabel() == "accuracy")
    for index, (name, accuracy) in enumerate(accuracies.items()):
        axis.axhline(accuracy, color=f"C{index + 3}", ls=":", lw=2, label=f"{name}: {accuracy:.4f}")
    axis.legend(fontsize=8, loc="lower right")
    return figure


def zoom_on_the_end(figure, epochs=20, metric="accuracy"):
    """An inset in each `metric` panel: its last `epochs` epochs on their own scale, where the
    full panel, stretched by the first epochs, hides how the runs end."""
    from matplotlib.ticker import MaxNLocator

    for axis in [axis for axis in figure.axes if axis.get_ylabel() == metric]:
        inset = axis.inset_axes([0.45, 0.08, 0.5, 0.5])
        ends = []
        for line in axis.get_lines():
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
    """The reference band of each model (figures/bands.json: 95% of runs at the reference's
    settings, per epoch; bands: {key: {metric: {"mean", "low", "high"}}}), faintly behind the
    model's own curves of a plot_history figure, in its colour, validation fainter; the panels
    keep the limits of the run's own curves. A band over more than WIDEST_BAND of its panel is
    left out, and the note names its model. NOTE, under the title (above the column titles of
    one_column_per_model), says what the band is and what the run changed. Returns the number of
    bands drawn and the line written."""
    drawn, too_wide = 0, []
    for axis in figure.axes:
        if not hasattr(axis, "l303_panel"):
            continue
        metric, colours, names = axis.l303_panel
        limits = axis.get_xlim(), axis.get_ylim()
        for model, colour in colours.items():
            for key, alpha in ((metric, 0.2), (f"val_{metric}", 0.12)):
                band = (bands or {}).get(model, {}).get(key)
                if band is None:
                    continue
                if share_of_the_panel(axis, band["low"], band["high"]) > WIDEST_BAND:
                    too_wide += [names[model]] if names[model] not in too_wide else []
                    continue
                epochs = np.arange(1, len(band["low"]) + 1)
                axis.fill_between(epochs, band["low"], band["high"], color=colour, alpha=alpha,
                                  lw=0, zorder=0.5, gid=f"band {model} {key}", label="_band")
                drawn += 1
        axis.set_xlim(*limits[0])
        axis.set_ylim(*limits[1])
    if too_wide:
        note += (f"; none for {', '.join(too_wide)}: "
                 f"{'its' if len(too_wide) == 1 else 'their'} runs spread over the panel")
    top = figure.subplotpars.top
    if any(axis.get_title() for axis in figure.axes if hasattr(axis, "l303_panel")):
        room = 0.3 / figure.get_figheight()  # the column titles move down to make room
        figure.subplots_adjust(top=top - room)
        y = top + (1 - top) * 0.35
    else:
        y = top + (1 - top) * 0.25
    figure.text(0.5, y, note, ha="center", va="center", fontsize=8, style="italic", color="0.35",
                gid="band note")
    return drawn, note


def share_of_the_panel(axis, low, high):
    """How much of the panel's height a band covers, the median over its epochs (on the panel's
    own scale, linear or logarithmic, within its limits)."""
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
    """Draw recorded histories growing into FIGURE, a few epochs a frame, in about SECONDS:
    --replay's window, as --show would have drawn the run, without training. pause(interval)
    shows a frame and waits (matplotlib.pyplot.pause). Returns the epochs drawn at each frame."""
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
