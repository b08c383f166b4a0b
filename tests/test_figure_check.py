"""Every committed figure passes the figure check (tests/figure_check.py), drawn from its record as
make figures draws it; the check finds each defect it names in a hand-made figure."""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import compare  # noqa: E402
import l303_plots  # noqa: E402
import results  # noqa: E402
from conftest import REPO  # noqa: E402
from figure_check import problems  # noqa: E402
from runs import VARIANTS  # noqa: E402
from runner import script_name  # noqa: E402

FIGURES = REPO / "figures"
RECORDS = sorted(FIGURES.glob("l303-example-*.json")) + sorted(
    path for path in FIGURES.glob("*/*.json") if path.parent.name != "spread")


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: str(path.relative_to(FIGURES)))
def test_every_committed_figure_of_a_run_passes_the_check(path):
    found = l303_plots.draw_record(json.loads(path.read_text()), l303_plots.read_bands())
    assert found, path
    for name, figure in found.items():
        assert problems(figure) == [], name
        plt.close(figure)


@pytest.mark.parametrize("run_name", sorted(results.OVERLAYS))
def test_every_overlay_of_the_gallery_passes_the_check(run_name):
    _, runs, title = results.OVERLAYS[run_name]
    paths = [FIGURES / (f"{name}/{script_name(VARIANTS[name].script)}.json" if name in VARIANTS
                        else f"{script_name(name)}.json") for name in runs]
    figure = compare.draw(paths, title=title)
    assert problems(figure) == []
    plt.close(figure)


def history_panel(figure, epochs, limit):
    """A panel as plot_history makes one: curves over EPOCHS epochs, an epoch axis to LIMIT."""
    axis = figure.add_subplot(1, 1, 1)
    axis.plot(np.arange(1, epochs + 1), np.linspace(1, 0.5, epochs), label="training")
    axis.l303_panel = ("loss", {"m": "C0"}, {"m": "m"})
    axis.set_xlim(0, limit)
    return axis


@pytest.mark.parametrize("defect, words", [
    ("text outside", "text outside the figure: 'a note off the edge'"),
    ("legend over a line", "legend over a data line: 'training'"),
    ("panel mostly empty", "a panel whose curves fill 40% of its epoch axis"),
    ("band outside", "a band reaching outside its panel: band m loss"),
])
def test_the_check_finds_each_defect_in_a_hand_made_figure(defect, words):
    figure = plt.figure(figsize=(6, 4))
    axis = history_panel(figure, 10, 25 if defect == "panel mostly empty" else 11)
    if defect == "text outside":
        figure.text(0.95, 0.5, "a note off the edge")
    if defect == "legend over a line":
        axis.plot([1, 10], [0.75, 0.75], ":", label="a mark")
        axis.legend(loc="center")
    if defect == "band outside":
        axis.fill_between([1, 10], [0.4, 0.4], [2.0, 2.0], gid="band m loss")
        axis.set_ylim(0.3, 1.1)
    found = problems(figure)
    assert len(found) == 1 and found[0].startswith(words), found
    plt.close(figure)


def test_a_figure_without_defects_passes():
    figure = plt.figure(figsize=(6, 4))
    axis = history_panel(figure, 10, 11)
    axis.fill_between([1, 10], [0.4, 0.4], [1.0, 1.0], gid="band m loss")
    axis.set_ylim(0.3, 1.1)
    axis.legend(loc="upper right")
    assert problems(figure) == []
    plt.close(figure)
