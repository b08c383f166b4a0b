"""A figure check that needs no eyes: what a lecturer would see wrong in a projected figure, read
from its artists (issue 47). problems(figure) lists, in words:

- a text (title, label, tick label, legend entry, note) reaching outside the figure;
- a legend over a data line (a curve, a marked score), inside its axes;
- on a history figure (panels with one epoch axis each), a panel whose curves fill less than half
  of its epoch axis;
- a band (a shaded reference band) reaching outside its panel.
"""

import numpy as np

TOLERANCE = 1.5  # pixels: antialiasing and rounding


def texts_of(figure):
    """Every visible text artist of the figure, its axes and their legends."""
    found = list(figure.texts) + ([figure._suptitle] if figure._suptitle else [])
    for legend in figure.legends:
        found += legend.get_texts()
    for axis in figure.axes:
        found += [axis.title, axis._left_title, axis._right_title, axis.xaxis.label,
                  axis.yaxis.label, *axis.texts]
        for ticks, coordinate, (low, high) in ((axis.get_xticklabels(), 0, axis.get_xlim()),
                                               (axis.get_yticklabels(), 1, axis.get_ylim())):
            low, high = sorted((low, high))  # a label is drawn where its tick is in view
            found += [label for label in ticks if low - 1e-9 * abs(high - low)
                      <= label.get_position()[coordinate] <= high + 1e-9 * abs(high - low)]
        if axis.get_legend():
            found += axis.get_legend().get_texts()
    return [text for text in found if text.get_visible() and text.get_text().strip()]


def data_lines(axis):
    """The lines of an axes that show data, in display coordinates, densely sampled."""
    found = []
    for line in axis.get_lines():
        if not line.get_visible() or line.get_label() == "_nolegend_grid":
            continue
        xy = np.column_stack([np.asarray(line.get_xdata(), float),
                              np.asarray(line.get_ydata(), float)])
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) == 0:
            continue
        transform = line.get_transform()
        points = transform.transform(xy)
        if len(points) > 1:  # the straight segments between the points, sampled
            steps = np.linspace(0, 1, 25)[:, None, None]
            points = (points[:-1] + steps * (points[1:] - points[:-1])).reshape(-1, 2)
        found.append((line, points))
    return found


def problems(figure):
    """What is wrong in FIGURE, in words (none: [])."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    found = []
    for text in texts_of(figure):
        extent = text.get_window_extent(renderer)
        if extent.x0 < box.x0 - TOLERANCE or extent.x1 > box.x1 + TOLERANCE \
                or extent.y0 < box.y0 - TOLERANCE or extent.y1 > box.y1 + TOLERANCE:
            found.append(f"text outside the figure: {text.get_text()[:60]!r}")
    for axis in figure.axes:
        legend = axis.get_legend()
        if legend is not None and legend.get_visible():
            extent = legend.get_window_extent(renderer).shrunk(0.98, 0.98)
            for line, points in data_lines(axis):
                if extent.count_contains(points):
                    found.append(f"legend over a data line: {line.get_label()[:60]!r}")
                    break
        if getattr(axis, "l303_panel", None) is not None and axis.get_xscale() == "linear":
            ends = [np.nanmax(np.asarray(line.get_xdata(), float)) for line in axis.get_lines()
                    if not (line.get_gid() or "").startswith("mark ")
                    and len(line.get_xdata()) > 0]
            low, high = axis.get_xlim()
            if ends and (max(ends) - low) / (high - low) < 0.5:
                found.append(f"a panel whose curves fill {(max(ends) - low) / (high - low):.0%} "
                             f"of its epoch axis: {axis.get_ylabel()!r} {axis.get_title()!r}")
        bottom, top = sorted(axis.get_ylim())
        for collection in axis.collections:
            if not (collection.get_gid() or "").startswith("band "):
                continue
            values = np.concatenate([path.vertices[:, 1] for path in collection.get_paths()])
            margin = 1e-9 * max(abs(bottom), abs(top), 1)
            if values.min() < bottom - margin or values.max() > top + margin:
                found.append(f"a band reaching outside its panel: {collection.get_gid()}")
    return found
