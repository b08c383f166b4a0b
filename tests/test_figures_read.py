"""Figures read for what they show (issue 46): each kind drawn from a hand-made record whose
numbers tell a swap apart, and its artists (bar heights under their labels, stacked bars under
their legend, a band's colour against its model's curve, an option the drawing names) checked
against the record, never against a redraw of the same code."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import l303_plots  # noqa: E402
from test_figures import a_record  # noqa: E402


def drawn(record):
    (figure,) = l303_plots.draw_record(record).values()
    return figure


def test_the_tricks_bars_stand_at_their_own_counts_under_their_own_labels():
    counts = {"baseline_misclassified": 372, "misclassified": 384, "misclassified_by_both": 184}
    figure = drawn(a_record({}, notes={"tricks": counts},
                            **{"t.png": {"draw": "tricks", "test_digits": 10000}}))
    axis = figure.axes[0]
    heights = {label.get_text().split("\n")[0]: patch.get_height()
               for label, patch in zip(axis.get_xticklabels(), axis.patches)}
    assert heights == {"baseline": 372, "with the tricks": 384, "wrong in both": 184}
    assert [text.get_text() for text in axis.texts] == ["372", "384", "184"]  # the printed counts
    assert "(of 10000)" in axis.get_ylabel()


def test_the_runner_ups_stacked_bars_are_the_categories_their_legend_names():
    """03: the digits whose second choice is right, and the others, each counted in its own
    colour, the legend's colour for its name; the scatter's points where the record puts them."""
    best = [0.9, 0.8, 0.55, 0.6, 0.95]
    second = [0.05, 0.15, 0.40, 0.30, 0.04]
    right = [True, True, False, True, False]
    figure = drawn(a_record({}, **{"r.png": {"draw": "runner_ups", "best": best,
                                             "second": second, "second_is_right": right}}))
    scatter, histogram = figure.axes
    legend = {text.get_text(): handle.get_facecolor()[:3]
              for text, handle in zip(histogram.get_legend().get_texts(),
                                      histogram.get_legend().legend_handles)}
    margins = np.array(best) - np.array(second)
    bins = np.linspace(0, 1, 21)
    expected = {"second choice right": np.histogram(margins[np.array(right)], bins)[0],
                "second also wrong": np.histogram(margins[~np.array(right)], bins)[0]}
    for name, colour in legend.items():
        patches = [patch for patch in histogram.patches
                   if matplotlib.colors.same_color(patch.get_facecolor()[:3], colour)]
        assert [round(patch.get_height()) for patch in patches] == list(expected[name]), name
    points = {tuple(map(tuple, collection.get_offsets())): collection.get_label()
              for collection in scatter.collections}
    assert points[tuple(zip(np.array(best)[right], np.array(second)[right]))] == \
        "second choice right"


def test_a_band_has_its_models_colour_in_every_column():
    """One column per model (07a): each band in the colour of its own model's curves, not of
    its place in the panel."""
    histories = {key: {"loss": [1.0, 0.8, 0.6], "val_loss": [1.1, 0.9, 0.8]}
                 for key in ("depth_2", "depth_4")}
    band = {"low": [0.9, 0.7, 0.5], "high": [1.1, 0.9, 0.7], "mean": [1.0, 0.8, 0.6]}
    bands = {"scripts": {"l303-example-99": [{"seeds": [1, 2, 3], "settings": {}, "models": {
        key: {"label": key, "loss": band} for key in histories}}]}}
    record = a_record(histories, **{"x.png": {"draw": "history", "one_column_per_model": True}})
    (figure,) = l303_plots.draw_record(record, bands).values()
    seen = 0
    for axis in figure.axes:
        for collection in axis.collections:
            model = collection.get_gid().split()[1]
            (colour,) = {line.get_color() for line in axis.get_lines()}  # its column's model
            assert matplotlib.colors.same_color(collection.get_facecolor()[0][:3], colour), model
            seen += 1
    assert seen == 2


@pytest.mark.parametrize("option, check", [
    ({"log_epochs": True}, lambda figure: figure.axes[-1].get_xscale() == "log"),
    ({"log_loss": True}, lambda figure: figure.axes[0].get_yscale() == "log"),
    ({"metrics": ["loss"]}, lambda figure: [axis.get_ylabel() for axis in figure.axes] == ["loss"]),
    ({"note": "a word under the panels"},
     lambda figure: "a word under the panels" in [text.get_text() for text in figure.texts]),
])
def test_an_option_the_record_names_is_drawn(option, check):
    histories = {"a": {"loss": [1.0, 0.5, 0.2], "accuracy": [0.5, 0.7, 0.8]}}
    assert check(drawn(a_record(histories, **{"x.png": {"draw": "history", **option}})))
    assert not check(drawn(a_record(histories)))  # and not without it


def test_the_gradients_lines_hold_the_records_sizes_each_under_its_name():
    """07a: each activation and moment a line of the record's sizes, named by its legend."""
    sizes = {activation: {moment: {"bias": list(np.geomspace(start, 1.0, 4)),
                                   "kernel": list(np.geomspace(start / 2, 1.0, 4))}
                          for moment, start in (("initial", scale), ("trained", scale * 10))}
             for activation, scale in (("sigmoid", 1e-6), ("relu", 1e-1))}
    figure = drawn(a_record({}, notes={"gradients": sizes},
                            **{"g.png": {"draw": "gradients", "units": 8, "trained_epochs": 2}}))
    words = {"at initialisation": "initial", "after 2 epochs": "trained"}
    for axis, kind in zip(figure.axes, ("bias", "kernel")):
        for line in axis.get_lines():
            activation, moment = line.get_label().split(", ")
            assert list(line.get_ydata()) == pytest.approx(sizes[activation][words[moment]][kind])


def test_the_spread_shows_each_seeds_value_on_its_claims_panel_against_the_slides_side():
    """spread.png: per claim, each seed's effect as a dot at its seed (whole seeds on the axis),
    the verdict in the title, the zero line (the threshold) in black, the slide's side shaded from
    it to the panel's top (or the band of "similar", the panel around it); per printed number, our
    seeds as dots inside their prediction interval's span and the slide's value as a red line;
    one legend naming each in its colour; the shading never hides a dot."""
    import claims
    import results
    from conftest import REPO
    from runs import all_seed_runs

    seeds = all_seed_runs(REPO / "figures")
    comparisons, printed = results.judge_all(seeds)
    figure = results.plot_spread(comparisons, printed)
    panels = {axis.get_title(): axis for axis in figure.axes if axis.axison}
    assert len(panels) == len(comparisons) + len(printed)
    assert 0 <= len(figure.axes) - len(panels) < 6  # rows of six panels, the rest blank
    assert figure.get_suptitle().startswith("Each claim's effect in each seed") and \
        figure.get_suptitle().endswith("each printed number against our seeds")
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == [
        "effect, one seed", "the slide's side", "95% prediction interval", "our seeds",
        "the slide's number"]
    for handle, colour in zip(legend.legend_handles, ("C0", "C2", "C0", "C0", "C3")):
        drawn = handle.get_color() if hasattr(handle, "get_marker") else handle.get_facecolor()[:3]
        assert matplotlib.colors.same_color(drawn, colour), handle

    def spans(axis, label, colour):  # each shaded band as (bottom, top), seen through
        for patch in axis.patches:
            assert patch.get_alpha() < 1 and patch.get_label() == label
            assert matplotlib.colors.same_color(patch.get_facecolor()[:3], colour)
        return [(patch.get_y(), patch.get_y() + patch.get_height()) for patch in axis.patches]

    def dots_of(axis, values):
        (dots,) = [line for line in axis.lines if line.get_marker() == "o"]
        assert dots.get_xydata().tolist() == [[seed, value] for seed, value in values.items()]
        assert matplotlib.colors.same_color(dots.get_color(), "C0")
        assert axis.get_xlabel() == "seed" and all(tick == int(tick) for tick in axis.get_xticks())
        low, high = axis.get_ylim()
        assert low <= min(values.values()) and max(values.values()) <= high

    for claim in claims.COMPARISONS:
        effects, verdict = comparisons[claim.name]
        axis = panels[f"{claim.name}: {verdict.status}"]
        dots_of(axis, effects)
        assert axis.get_ylabel() == "effect"
        (zero,) = [line for line in axis.lines if line.get_marker() != "o"]
        line = claim.threshold if claim.similar_within is None else 0.0
        assert set(zero.get_ydata()) == {line} and zero.get_color() == "k"
        ((bottom, top),) = spans(axis, "the slide's side", "C2")
        if claim.similar_within is None:
            assert (bottom, top) == pytest.approx((line, axis.get_ylim()[1]))
        else:
            assert (bottom, top) == pytest.approx((-claim.similar_within, claim.similar_within))
            low, high = axis.get_ylim()
            assert low <= -1.2 * claim.similar_within and high >= 1.2 * claim.similar_within
    for number, (values, verdict) in printed.items():
        axis = panels[f"{number.script}: {number.name}"]
        dots_of(axis, values)
        assert axis.get_ylabel() == number.name.split(" (")[0]
        (slide,) = [line for line in axis.lines if line.get_marker() != "o"]
        assert set(slide.get_ydata()) == {number.slide} and slide.get_color() == "C3"
        assert spans(axis, "95% prediction interval", "C0") == [
            pytest.approx((verdict.low, verdict.high))]
