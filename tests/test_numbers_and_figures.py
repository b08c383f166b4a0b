"""Every number is of the set it names, and every figure draws what its labels say.

A script prints and records "Performance (training)", "(validation)" and "(testing)": here the
model the script trained is evaluated again, independently, on the sets themselves, and must give
those numbers; 04c's validation images are none of its training or test images (EARLY STOPPING:
"a validation sample independent of the training and the test set"). A figure's line styles and
colours are those its legend shows, the digit drawn in 01a's grid is the one its label names
(by pixels), and a line marked with a number lies at that number.
"""

import re

import numpy as np
import pytest

import l303
import l303_plots
from conftest import EXAMPLES, estimated_angles, read_result
from runner import run_as_main


def run_and_keep(name, outdir, *flags):
    """Run a script in this process; (its record, its module-level names, its figures drawn
    anew from its record, as make figures draws them: {"": the main one, "<key>": the others})."""
    names = {}
    assert run_as_main(EXAMPLES / f"{name}.py", ["--quick", *flags, "--outdir", outdir], names) == 0
    result = read_result(outdir, name)
    drawn = l303_plots.draw_record(result, l303_plots.read_bands())
    return result, names, {file.removeprefix(name).removeprefix("-").removesuffix(".png"): figure
                           for file, figure in drawn.items()}


def evaluated(model, x, y):
    scores = model.evaluate(x, y, batch_size=1000, verbose=0, return_dict=True)
    return {"loss": pytest.approx(scores["loss"], rel=1e-5),
            "accuracy": pytest.approx(scores["accuracy"], abs=1e-6)}


def test_01s_training_and_test_performance_are_of_the_training_and_test_sets(tmp_path):
    result, names, _ = run_and_keep("l303-example-01", tmp_path)
    model, data = names["model"], names["data"]
    recorded = result["results"]["mse"]
    assert len(data.x_train) == 1000 and len(data.x_test) == 1000  # --quick's sets
    assert recorded["training"] == evaluated(model, data.x_train, data.y_train)
    assert recorded["testing"] == evaluated(model, data.x_test, data.y_test)
    # The two sets differ, so a number of the wrong one would show.
    assert recorded["training"]["accuracy"] != recorded["testing"]["accuracy"]


def test_04cs_validation_set_is_apart_from_training_and_test_and_its_numbers_are_its_own(
        tmp_path, capsys):
    result, names, _ = run_and_keep("l303-example-04c", tmp_path, "--epochs", "3")
    model, data = names["model"], names["data"]
    recorded = result["results"]["early_stopping"]
    for part, x, y in (("training", data.x_train, data.y_train),
                       ("validation", data.x_valid, data.y_valid),
                       ("testing", data.x_test, data.y_test)):
        assert recorded[part] == evaluated(model, x, y), part
    # The printed lines are the record's numbers, each under the name of its set.
    printed = re.findall(r"Performance \((\w+)\)\nLoss: ([\d.]+), Acc: ([\d.]+)",
                         capsys.readouterr().out)
    assert [part for part, _, _ in printed] == ["training", "validation", "testing"]
    for part, loss, accuracy in printed:
        assert (loss, accuracy) == ("%.5f" % recorded[part]["loss"],
                                    "%.5f" % recorded[part]["accuracy"]), part
    # The early stopping watched the validation set: the history's last val_loss is its loss.
    assert result["histories"]["early_stopping"]["val_loss"][-1] == pytest.approx(
        recorded["validation"]["loss"], rel=1e-4)

    def images(x):
        return {image.tobytes() for image in np.asarray(x)}

    validation = images(data.x_valid)
    assert len(validation) == len(data.x_valid)
    assert not validation & images(data.x_train), "validation images among the training images"
    assert not validation & images(data.x_test), "validation images among the test images"
    # ... and not merely of the sets drawn here: none of MNIST's test digits, none of the first
    # 50000 training digits (the lecture's split), whatever the sizes.
    everything = l303.load_mnist(train_size=l303.VALIDATION_START)
    assert not validation & images(everything.x_train) and not validation & images(everything.x_test)


def test_08s_rotated_test_accuracy_is_of_its_test_digits_turned(tmp_path, monkeypatch):
    turned = []
    rotate_images = l303.rotate_images

    def keep(images, low, high):
        turned.append(rotate_images(images, low, high))
        return turned[-1]

    monkeypatch.setattr(l303, "rotate_images", keep)
    result, names, figures = run_and_keep("l303-example-08", tmp_path, "--epochs", "1",
                                          "--rotate-test", "30")
    model, data = names["model"], names["data"]
    parts = result["results"]["cnn"]
    assert parts["testing"] == evaluated(model, data.x_test, data.y_test)
    (rotated_images,) = turned  # 08 rotates nothing else
    ink = data.x_test.sum(axis=(1, 2, 3))
    assert np.all(np.abs(rotated_images.sum(axis=(1, 2, 3)) - ink) < 0.1 * ink)  # the same digits
    angles = estimated_angles(data.x_test[:40], rotated_images[:40])  # ... turned within +-30
    assert np.all(np.abs(angles) <= 31) and angles.min() <= -15 and angles.max() >= 15, angles
    rotated = parts["testing_rotated"]
    assert rotated == evaluated(model, rotated_images, data.y_test)
    # The figure's marked lines lie at the numbers their labels give, which are the record's.
    axis = next(axis for axis in figures[""].axes if axis.get_ylabel() == "accuracy")
    marked = {line.get_label(): line.get_ydata()[0] for line in axis.get_lines()
              if line.get_linestyle() == ":"}
    assert len(marked) == 2
    for label, height in marked.items():
        number = float(re.search(r": (\d\.\d{4})$", label).group(1))
        assert height == pytest.approx(number, abs=5e-5), label
    assert sorted(marked.values()) == pytest.approx(
        sorted((parts["testing"]["accuracy"], rotated["accuracy"])))


def test_a_history_figures_styles_and_colours_are_those_of_its_legend():
    histories = {"a": {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.7],
                       "val_accuracy": [0.4, 0.6]},
                 "b": {"loss": [0.9, 0.4], "val_loss": [1.0, 0.8], "accuracy": [0.6, 0.8],
                       "val_accuracy": [0.5, 0.7]}}
    figure = l303_plots.plot_history(histories, "styles", labels={"a": "model A", "b": "model B"})
    (legend,) = [axis.get_legend() for axis in figure.axes if axis.get_legend()] + figure.legends
    colour_of = {text.get_text(): handle.get_color()
                 for text, handle in zip(legend.get_texts(), legend.legend_handles)}
    style_of = {text.get_text(): handle.get_linestyle()
                for text, handle in zip(legend.get_texts(), legend.legend_handles)}
    assert style_of["training"] == "-" and style_of["validation"] == "--"
    for axis in figure.axes:
        metric = axis.get_ylabel()
        for line in axis.get_lines():
            label, part = re.fullmatch(r"(.*) \((training|validation)\)", line.get_label()).groups()
            key = {"model A": "a", "model B": "b"}[label]
            assert line.get_color() == colour_of[label]
            assert line.get_linestyle() == style_of[part]
            drawn = list(line.get_ydata())
            assert drawn == histories[key][metric if part == "training" else f"val_{metric}"]


def test_01as_grid_draws_each_misclassified_digit_under_its_own_label(tmp_path):
    result, names, figures = run_and_keep("l303-example-01a", tmp_path)
    data, predicted, failed = names["data"], names["predicted"], names["failed"]
    panels = [axis for axis in figures[""].axes if axis.images]
    assert len(panels) == min(100, len(failed)) > 0
    for axis, index in zip(panels, failed):
        true, guess = data.test_labels[index], predicted[index]
        assert np.array_equal(axis.images[0].get_array(), data.test_images[index]) and true != guess
        assert axis.texts[0].get_text() == r"$%d\to%d$" % (true, guess)
