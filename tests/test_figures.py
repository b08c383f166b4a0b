"""Figures that tell the truth on their own: what a reader sees without the docstring.

Each test runs a script's quick look in this process and keeps the figures it saves (before they
are closed), then checks what the figure shows: a note, a shared axis, an inset, a second figure.
"""

import pytest

import l303
from conftest import EXAMPLES
from runner import run_as_main


@pytest.fixture
def saved_figures(monkeypatch, tmp_path):
    """Run a script with --quick; returns {"": its main figure, "<key>": each extra figure}."""
    def run(name, *flags):
        figures = {}
        original = l303.Run.save

        def keep(run, figure, **extra):
            figures.update({"": figure, **extra})
            return original(run, figure, **extra)

        monkeypatch.setattr(l303.Run, "save", keep)
        assert run_as_main(EXAMPLES / f"{name}.py", ["--quick", *flags, "--outdir", tmp_path]) == 0
        return figures
    return run


def texts_of(figure):
    return " ".join(text.get_text() for text in figure.texts)


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


def test_07a_draws_every_depth_on_one_common_epoch_axis(saved_figures):
    panels = saved_figures("l303-example-07a", "--depths", "2", "4")[""].axes
    assert len(panels) == 4  # two depths, loss and accuracy
    shared = panels[0].get_shared_x_axes()
    assert all(shared.joined(panels[0], axis) for axis in panels[1:])


def test_a_curve_shorter_than_the_others_is_drawn_against_the_same_epochs():
    histories = {"short": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.6]},
                 "long": {"loss": [1.0, 0.6, 0.4, 0.3, 0.2], "accuracy": [0.5, 0.6, 0.7, 0.8, 0.9]}}
    figure = l303.plot_history(histories, "test", one_column_per_model=True)
    assert len({axis.get_xlim() for axis in figure.axes}) == 1
    assert figure.axes[0].get_xlim()[1] >= 5


def test_a_curve_of_one_epoch_is_a_visible_dot_and_longer_ones_plain_lines():
    """--show's window after the first epoch: one point per curve, drawn as a marker (a line of
    one point draws nothing); from two epochs on, lines without markers, as in the figures."""
    import matplotlib

    matplotlib.use("Agg")
    one = l303.plot_history({"a": {"loss": [0.5], "val_loss": [0.6]}}, "one epoch")
    two = l303.plot_history({"a": {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}}, "two epochs")
    assert [line.get_marker() for line in one.axes[0].lines] == ["o", "o"]
    assert [line.get_marker() for line in two.axes[0].lines] == ["None", "None"]
