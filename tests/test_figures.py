"""Figures that tell the truth on their own: what a reader sees without the docstring.

Each test runs a script's quick look in this process and keeps the figures it saves (before they
are closed), then checks what the figure shows: a note, a shared axis, an inset, a second figure.
"""

import json

import matplotlib.colors
import numpy as np
import pytest

import l303_plots
from conftest import EXAMPLES, band_polygons
from runner import run_as_main


@pytest.fixture
def saved_figures(tmp_path):
    """Run a script with --quick; returns {"": its main figure, "<key>": each extra figure}, drawn
    anew from the record it wrote, as make figures draws them."""
    def run(name, *flags):
        assert run_as_main(EXAMPLES / f"{name}.py", ["--quick", *flags, "--outdir", tmp_path]) == 0
        record = json.loads((tmp_path / f"{name}.json").read_text())
        drawn = l303_plots.draw_record(record, l303_plots.read_bands())
        return {file.removeprefix(name).removeprefix("-").removesuffix(".png").replace("-", "_"):
                figure for file, figure in drawn.items()}
    return run


def texts_of(figure):
    return " ".join(text.get_text().replace("\n", " ") for text in figure.texts)


def test_04a_says_its_penalised_loss_includes_the_penalty_and_draws_the_output_weights(saved_figures):
    figures = saved_figures("l303-example-04a", "--regularizer", "l1")
    assert "loss includes its penalty" in texts_of(figures[""])
    weights = figures["output_weights"].axes[0]
    assert weights.get_xscale() == "log"
    labels = weights.get_legend_handles_labels()[1]
    assert len(labels) == 2 and all("below 0.01" in label for label in labels)  # L1 against none


def test_04b_says_its_training_curve_is_measured_with_dropout_on(saved_figures):
    assert "with dropout on" in texts_of(saved_figures("l303-example-04b")[""])


def test_04d_shows_the_end_of_its_accuracy_curves_on_their_own_scale(saved_figures):
    accuracy = next(axis for axis in saved_figures("l303-example-04d", "--epochs", "4")[""].axes
                    if axis.get_ylabel() == "accuracy")
    insets = [child for child in accuracy.child_axes if "last" in child.get_title()]
    assert len(insets) == 1 and len(insets[0].lines) == 4  # 2 models, training and validation


def test_03_binary_puts_the_two_cross_entropies_on_separate_loss_axes(saved_figures):
    figure = saved_figures("l303-example-03", "--binary")[""]
    loss_axes = [axis for axis in figure.axes if axis.get_ylabel() == "loss"]
    assert len(loss_axes) == 2
    assert loss_axes[0].get_ylim() != loss_axes[1].get_ylim(), "one loss scale for both"
    assert "different losses" in texts_of(figure)


def test_07a_draws_each_depth_on_its_own_epoch_axis_as_the_slide_does(saved_figures):
    """The slide's three networks train 40, 40 and 100 epochs, each in its own plot: a column per
    depth, each epoch axis fitting its run (on a shared 100-epoch axis the 40-epoch runs, whose
    first epochs the claim is about, were a sliver)."""
    panels = saved_figures("l303-example-07a", "--depths", "2", "4", "--epochs", "3")[""].axes
    assert len(panels) == 4  # two depths, loss and accuracy
    shared = panels[0].get_shared_x_axes()
    columns = [[axis for axis in panels if shared.joined(axis, first)] for first in panels[:2]]
    assert [len(column) for column in columns] == [2, 2] and columns[0] != columns[1]


def test_a_curve_shorter_than_the_others_gets_its_own_epoch_axis_in_its_column():
    histories = {"short": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.6]},
                 "long": {"loss": [1.0, 0.6, 0.4, 0.3, 0.2], "accuracy": [0.5, 0.6, 0.7, 0.8, 0.9]}}
    figure = l303_plots.plot_history(histories, "test", one_column_per_model=True)
    ends = {axis.get_xlim()[1] for axis in figure.axes}
    assert len(ends) == 2 and 2 <= min(ends) < 3 and 5 <= max(ends) < 6


def test_a_curve_of_one_epoch_is_a_visible_dot_and_longer_ones_plain_lines():
    """--show's window after the first epoch: one point per curve, drawn as a marker (a line of
    one point draws nothing); from two epochs on, lines without markers, as in the figures."""
    import matplotlib

    matplotlib.use("Agg")
    one = l303_plots.plot_history({"a": {"loss": [0.5], "val_loss": [0.6]}}, "one epoch")
    two = l303_plots.plot_history({"a": {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}}, "two epochs")
    assert [line.get_marker() for line in one.axes[0].lines] == ["o", "o"]
    assert [line.get_marker() for line in two.axes[0].lines] == ["None", "None"]


# ---------------------------------------------------------------------------------------------
# The reference band (figures/bands.json) behind a run's curves
# ---------------------------------------------------------------------------------------------

def bands_file(tmp_path, settings, models):
    """A hand-made bands file: one script, its reference settings, seeds 1 to 5."""
    path = tmp_path / "bands.json"
    path.write_text(json.dumps({"scripts": {"l303-example-99": [
        {"seeds": [1, 2, 3, 4, 5], "settings": settings, "models": models}]}}))
    return path


def run_of(settings, edits=()):
    """A record of a run of l303-example-99 with SETTINGS, as reference_band reads it."""
    return {"script": "l303-example-99", "settings": settings, "code_edits": list(edits)}


def test_a_figure_draws_each_models_band_where_the_bands_file_says_and_says_what_it_is(tmp_path):
    band = {"low": [0.5, 0.3, 0.2], "high": [0.7, 0.45, 0.3], "mean": [0.6, 0.37, 0.25]}
    path = bands_file(tmp_path, {"lr": 1.0, "epochs": 3},
                      {"plain": {"label": "the slide's", "loss": band},
                       "l2": {"label": "other", "val_accuracy": band}})
    histories = {"plain": {"loss": [0.65, 0.4, 0.26], "accuracy": [0.8, 0.9, 0.92]},
                 "l2": {"val_accuracy": [0.55, 0.4, 0.3], "accuracy": [0.5, 0.6, 0.7]}}
    bands, words = l303_plots.reference_band(
        run_of({"lr": 1.0, "epochs": 3, "seed": 7}), l303_plots.read_bands(path))
    assert words == "band: 95% of runs at these settings, seeds 1-5"
    figure = l303_plots.plot_history(histories, "bands", labels={"plain": "P", "l2": "L"})
    assert l303_plots.draw_bands(figure, bands, words) == (2, words)
    drawn = band_polygons(figure)
    assert sorted(drawn) == ["band l2 val_accuracy", "band plain loss"]
    for gid in drawn:
        epochs, lows, highs = drawn[gid]
        assert epochs == [1, 2, 3]
        assert lows == pytest.approx(band["low"]) and highs == pytest.approx(band["high"])
    # Each band in its model's colour, in the panel of its metric.
    for axis in figure.axes:
        for collection in axis.collections:
            model, metric = collection.get_gid().split()[1:]
            colour = f"C{list(histories).index(model)}"
            assert any(line.get_color() == colour for line in axis.get_lines())
            assert matplotlib.colors.same_color(collection.get_facecolor()[0][:3], colour)
            assert axis.get_ylabel() == metric.removeprefix("val_")
    assert words in texts_of(figure)


def test_a_band_over_most_of_its_panel_is_left_out_and_said_and_the_line_clears_column_titles():
    """06's lr=20 diverges differently in every seed: its band would cover the panel and hide the
    others'; it is left out and the line names it. With a column per model (07a) the line sits
    above the columns' titles, not on them."""
    narrow = {"low": [0.5, 0.4, 0.3], "high": [0.6, 0.5, 0.4], "mean": [0.55, 0.45, 0.35]}
    wide = {"low": [0.0, 0.0, 0.0], "high": [3.0, 3.0, 3.0], "mean": [1.5, 1.5, 1.5]}
    histories = {"calm": {"loss": [0.55, 0.45, 0.35]}, "wild": {"loss": [2.5, 0.2, 3.0]}}
    labels = {"calm": "lr=0.2", "wild": "lr=20"}
    figure = l303_plots.plot_history(histories, "bands", labels=labels)
    drawn, note = l303_plots.draw_bands(figure, {"calm": {"loss": narrow}, "wild": {"loss": wide}},
                                  "band: 95% of runs")
    assert drawn == 1 and sorted(band_polygons(figure)) == ["band calm loss"]
    assert note == "band: 95% of runs; none for lr=20: its runs spread over the panel"
    assert note in texts_of(figure)
    depths = {f"depth_{depth}": {"loss": [0.5, 0.4, 0.3]} for depth in (2, 4, 8)}
    figure = l303_plots.plot_history(depths, "bands", one_column_per_model=True)  # the middle title
    l303_plots.draw_bands(figure, {"depth_4": {"loss": narrow}}, "band: 95% of runs, seeds 1-5")
    figure.canvas.draw()
    line = next(text for text in figure.texts if text.get_gid() == "band note")
    renderer = figure.canvas.get_renderer()
    titles = [axis.title.get_window_extent(renderer) for axis in figure.axes if axis.get_title()]
    assert len(titles) == 3
    assert not any(line.get_window_extent(renderer).overlaps(title) for title in titles)
    assert not line.get_window_extent(renderer).overlaps(
        figure._suptitle.get_window_extent(renderer))


def test_a_changed_setting_is_named_beside_the_band_and_other_data_gets_no_band(tmp_path):
    band = {"low": [0.5], "high": [0.7], "mean": [0.6]}
    path = bands_file(tmp_path, {"lr": 1.0, "quick": False, "train_size": 10000},
                      {"plain": {"label": "x", "loss": band}})
    settings = {"lr": 1.0, "quick": False, "train_size": 10000}
    found = l303_plots.read_bands(path)
    bands, words = l303_plots.reference_band(run_of({**settings, "lr": 0.5}), found)
    assert bands and words == "lr=0.5; band: the reference's lr=1, seeds 1-5 (95%)"
    for other_data in ({"quick": True}, {"train_size": 2000}):
        bands, words = l303_plots.reference_band(run_of({**settings, **other_data}), found)
        assert bands is None and words.startswith("no reference band: ")
        figure = l303_plots.plot_history({"plain": {"loss": [0.6]}}, "none")
        assert l303_plots.draw_bands(figure, bands, words) == (0, words) and not band_polygons(figure)
        assert "trains or tests on other data" in texts_of(figure)
    assert l303_plots.reference_band({**run_of(settings), "script": "l303-example-98"}, found) == (
        None, "no reference band for this script")
    assert l303_plots.read_bands(tmp_path / "none.json") is None
    assert l303_plots.reference_band(run_of(settings), None) == (None, None)


def test_a_quick_run_says_on_its_figure_that_the_reference_band_is_not_for_it(saved_figures):
    if not l303_plots.BANDS_FILE.is_file():
        pytest.skip("no figures/bands.json committed")
    for name in ("l303-example-04b", "l303-example-04c"):  # two models and a legend; one, narrower
        figure = saved_figures(name)[""]
        assert ("no reference band: epochs=2, quick, train_size=1000 trains or tests on other data"
                in texts_of(figure))
        assert not band_polygons(figure)
        figure.canvas.draw()  # the line, however long, fits the figure's width
        line = next(text for text in figure.texts if text.get_gid() == "band note")
        extent, whole = line.get_window_extent(), figure.bbox
        assert whole.x0 <= extent.x0 and extent.x1 <= whole.x1, name


def test_the_band_is_the_prediction_interval_of_the_seeds_while_three_of_them_run():
    import bands
    from scipy import stats

    curves = [[1.0, 0.5, 0.4, 0.3], [1.2, 0.6, 0.35], [0.9, 0.55, 0.45, 0.2], [1.1, 0.4]]
    band = bands.band_of(curves, "loss")
    assert len(band["mean"]) == 3  # the fourth epoch: two seeds only
    for epoch in range(3):
        values = np.array([curve[epoch] for curve in curves if epoch < len(curve)])
        half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) * np.sqrt(1 + 1 / len(values))
        assert band["mean"][epoch] == pytest.approx(values.mean(), rel=1e-3)
        assert band["low"][epoch] == pytest.approx(values.mean() - half, rel=1e-3)
        assert band["high"][epoch] == pytest.approx(values.mean() + half, rel=1e-3)
    assert bands.band_of([[1.0], [None], [2.0]], "loss") is None  # a diverged seed leaves two


def test_the_readmes_student_run_is_drawn_against_the_slides_band_and_leaves_it_where_it_changed():
    """README: 04b with --dropout 0.5 (make report's student run) is drawn against the band of the
    slide's 0.2 and says so; the model it did not change stays inside its band at every epoch, the
    one it changed lies outside it at nearly every epoch, as the README says."""
    import runs
    from l303_files import REPO

    number, flags, _ = runs.README_RUNS["student-run"]
    folder = REPO / "figures" / "student-run"
    result = json.loads((folder / "l303-example-04b.json").read_text())
    assert result["command"] == runs.command_for(number, folder, variant="student-run")
    drawn = l303_plots.draw_record(  # a record of before December 2026 names only its figure
        dict(result, figures={"l303-example-04b.png": {"draw": "history"}}), l303_plots.read_bands())
    assert "dropout=0.5; band: the reference's dropout=0.2, seeds 1-5 (95%)" in texts_of(
        drawn["l303-example-04b.png"])
    assert len(band_polygons(drawn["l303-example-04b.png"])) == 8
    assert (folder / "l303-example-04b.png").read_bytes()[:4] == b"\x89PNG"
    assert "figures/student-run/l303-example-04b.png" in (REPO / "README.md").read_text()
    band = json.loads((REPO / "figures" / "bands.json").read_text())[
        "scripts"]["l303-example-04b"][0]["models"]

    def share_inside(key, metric):
        values, low, high = result["histories"][key][metric], band[key][metric]["low"], \
            band[key][metric]["high"]
        return np.mean([lo <= value <= hi for value, lo, hi in zip(values, low, high)])

    for metric in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert share_inside("none", metric) >= 0.95, metric
        assert share_inside("dropout", metric) <= 0.05, metric


def test_a_record_gives_the_figures_its_run_saved_pixel_for_pixel(tmp_path):
    """make figures redraws the reference from the committed JSON: what it draws from a record
    is byte for byte what the run saved, the extra figures (01a's digits and counts) included."""
    assert run_as_main(EXAMPLES / "l303-example-01a.py",
                       ["--quick", "--tricks", "--outdir", tmp_path / "run"]) == 0
    record = json.loads((tmp_path / "run" / "l303-example-01a.json").read_text())
    (tmp_path / "again").mkdir()
    drawn = l303_plots.write_figures(record, tmp_path / "again", l303_plots.read_bands())
    assert sorted(drawn) == ["l303-example-01a-tricks.png", "l303-example-01a.png"]
    for name in drawn:
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "run" / name).read_bytes()


def a_record(histories, notes=None, results=None, **drawings):
    """A hand-made record, as l303_plots.draw_record reads it."""
    return {"script": "l303-example-99", "slide": "s", "settings": {}, "notes": notes or {},
            "models": {key: key.upper() for key in histories}, "histories": histories,
            "results": results or {}, "figures": drawings or {"x.png": {"draw": "history"}}}


def test_07as_gradient_figure_puts_layer_1_at_the_input_and_each_size_over_its_layer():
    """The vanishing gradient reads left to right, input to output: drawn in reverse, the
    gradient would seem to vanish towards the output."""
    sizes = {"bias": [1e-7, 1e-5, 1e-3], "kernel": [2e-7, 2e-5, 2e-3]}
    gradients = {activation: {"initial": sizes, "trained": sizes}
                 for activation in ("sigmoid", "relu")}
    (figure,) = l303_plots.draw_record(a_record(
        {}, notes={"gradients": gradients},
        **{"g.png": {"draw": "gradients", "units": 256, "trained_epochs": 2}})).values()
    for panel, kind in zip(figure.axes, ("bias", "kernel")):
        assert panel.get_xlabel() == "layer (1 = first hidden, 3 = output)"
        for line in panel.get_lines():
            assert list(line.get_xdata()) == [1, 2, 3]
            assert list(line.get_ydata()) == sizes[kind]
    assert "784-(256x2)-10" in figure._suptitle.get_text()


def test_a_zoom_shows_the_last_epochs_it_names_on_their_own_scale():
    """04d's inset: the last 20 of 40 epochs, its height that of those epochs alone."""
    curve = [1.0 - 0.5 * epoch / 40 for epoch in range(40)]
    histories = {"a": {"accuracy": curve, "val_accuracy": [value - 0.1 for value in curve]}}
    (figure,) = l303_plots.draw_record(
        a_record(histories, **{"x.png": {"draw": "history", "zoom_last": 20}})).values()
    (inset,) = [child for axis in figure.axes for child in axis.child_axes]
    assert inset.get_title() == "last 20 epochs"
    for line in inset.get_lines():
        assert list(line.get_xdata()) == list(range(21, 41))
    low, high = inset.get_ylim()
    assert low > min(curve[20:]) - 0.1 - 0.05 and high < max(curve[20:]) + 0.05


def test_a_band_is_drawn_whole_and_within_what_its_metric_can_be(tmp_path):
    """A band reaching below a run's curves grows the panel to hold it whole (a band cut at the
    panel's edge hides how far the runs go), but never below 0 for a loss: the band is clipped to
    what the metric can be. A band wider than half the run's own panel is left out instead."""
    histories = {"a": {"loss": [0.9, 0.6, 0.3]}}
    alone = l303_plots.plot_history(histories, "s").axes[0].get_ylim()

    def drawn(low, high):
        bands = {"scripts": {"l303-example-99": [{"seeds": [1, 2, 3], "settings": {}, "models": {
            "a": {"label": "A", "loss": {"low": [low] * 3, "high": [high] * 3,
                                         "mean": [(low + high) / 2] * 3}}}}]}}
        (figure,) = l303_plots.draw_record(a_record(histories), bands).values()
        return figure.axes[0].get_ylim(), band_polygons(figure)

    (bottom, top), polygons = drawn(0.2, 0.5)
    assert polygons and bottom < 0.2 < alone[0] and top >= alone[1]
    assert min(polygons["band a loss"][1]) == pytest.approx(0.2)
    (bottom, top), polygons = drawn(-0.1, 0.5)  # an interval past 0: clipped at 0
    assert polygons and min(polygons["band a loss"][1]) == pytest.approx(0.0)
    assert -0.05 <= bottom < 0
    _, polygons = drawn(-5.0, 5.0)  # over the whole panel and more: left out
    assert not polygons


def test_a_run_gets_the_band_of_its_own_settings_where_the_bands_file_has_several():
    """04a's bands: the slide's (L2) and Practice 01's variant (L1). A run at either setting is
    set against the band of that setting, each model against its own; a run at neither against the
    nearest, its differences named."""
    def entry(regularizer, low):
        return {"seeds": [1, 2, 3, 4, 5], "settings": {"regularizer": regularizer, "lr": 0.5},
                "models": {key: {"label": key, "loss": {"low": [low], "high": [low + 0.1],
                                                        "mean": [low + 0.05]}}
                           for key in ("none", regularizer)}}
    bands = {"scripts": {"l303-example-99": [entry("l2", 0.2), entry("l1", 0.6)]}}
    for regularizer, low in (("l2", 0.2), ("l1", 0.6)):
        found, words = l303_plots.reference_band(
            run_of({"regularizer": regularizer, "lr": 0.5}), bands)
        assert sorted(found) == sorted(["none", regularizer]), regularizer
        assert found[regularizer]["loss"]["low"] == [low] == found["none"]["loss"]["low"]
        assert words == "band: 95% of runs at these settings" + (
            " (regularizer=l1)" if regularizer == "l1" else "") + ", seeds 1-5"
    found, words = l303_plots.reference_band(run_of({"regularizer": "l1", "lr": 2.0}), bands)
    assert found["l1"]["loss"]["low"] == [0.6]
    assert words == "lr=2; band: the reference's lr=0.5, seeds 1-5 (95%)"
