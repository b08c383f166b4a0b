"""A flag does what it says (issue 36): the value given reaches the thing it names, read from
what the run built (the record's "built": the optimizer's and each layer's configuration, as
Keras describes them), never from the script's text. Each run is a quick one, one epoch."""

import pytest

from conftest import run_and_read


def configurations(result, class_name, key=None):
    """Every layer or optimizer configuration of that class, over the run's models (or KEY's)."""
    return [part for name, built in result["built"].items() if key in (None, name)
            for part in [built["optimizer"], *built["layers"]] if part["class"] == class_name]


def rates(result, key=None):
    return [part["rate"] for part in configurations(result, "Dropout", key)]


def by_class(part):
    return part["class_name"], part["config"]


CASES = {
    "06a --momentum --nesterov --decay": (
        "l303-example-06a", ["--momentum", "0.7", "--nesterov", "--decay", "0.01"],
        lambda result: (result["built"]["momentum"]["optimizer"]["momentum"] == 0.7
                        and result["built"]["momentum"]["optimizer"]["nesterov"] is True
                        and by_class(result["built"]["momentum"]["optimizer"]["learning_rate"])[1][
                            "decay_rate"] == 0.01)),
    "04b --dropout": ("l303-example-04b", ["--dropout", "0.3"],
                      lambda result: rates(result, "dropout") == [0.3, 0.3]
                      and rates(result, "none") == [0.0, 0.0]),
    "08a --dropout": ("l303-example-08a", ["--dropout", "0.3"],
                      lambda result: rates(result) and set(rates(result)) == {0.3}),
    "04a --regularizer --reg-lambda": (
        "l303-example-04a", ["--regularizer", "l1", "--reg-lambda", "0.02"],
        lambda result: by_class(result["built"]["l1"]["layers"][-1]["kernel_regularizer"])
        == ("L1", {"l1": pytest.approx(0.02)})),
    "06e --negative-slope": ("l303-example-06e", ["--negative-slope", "0.2"],
                             lambda result: [part["negative_slope"] for part in
                                             configurations(result, "LeakyReLU")] == [0.2, 0.2]),
    "07a --activation --depths": (
        "l303-example-07a", ["--activation", "sigmoid", "--depths", "3"],
        lambda result: list(result["built"]) == ["depth_3"]
        and [part["activation"] for part in configurations(result, "Dense")]
        == ["sigmoid"] * 3 + ["softmax"]),
    "08 --kernel-size": ("l303-example-08", ["--kernel-size", "3"],
                         lambda result: {tuple(part["kernel_size"]) for part in
                                         configurations(result, "Conv2D")} == {(3, 3)}),
    "06 --learning-rates": ("l303-example-06", ["--learning-rates", "0.1", "7"],
                            lambda result: [built["optimizer"]["learning_rate"] for built in
                                            result["built"].values()] == [pytest.approx(0.1), 7.0]),
    "06b --batch-sizes": ("l303-example-06b", ["--batch-sizes", "50", "250"],  # 1000 images
                          lambda result: [built["steps_per_epoch"] for built in
                                          result["built"].values()] == [20, 4]),
    "06c --optimizers": ("l303-example-06c", ["--optimizers", "nadam", "adagrad"],
                         lambda result: [(built["optimizer"]["class"],
                                          built["optimizer"]["learning_rate"])
                                         for built in result["built"].values()]
                         == [("Nadam", pytest.approx(0.002)), ("Adagrad", pytest.approx(0.01))]),
    # The hand-set weights are not in a layer's configuration: the loss they start from tells
    # them. Sigmoid(-10) out of the second neuron is a loss of 2e-9; the slide's bad weights
    # (2 3 4 5) saturate both neurons at a loss near 1.
    "02 --initial-weights --different-weights": (
        "l303-example-02", ["--initial-weights", "0", "0", "0", "-10",
                            "--different-weights", "2", "3", "4", "5"],
        lambda result: result["histories"]["bad"]["loss"][0] < 1e-6
        and result["histories"]["different"]["loss"][0] > 0.99),
    "02a --initial-weights": (
        "l303-example-02a", ["--initial-weights", "0", "0", "0", "-10"],
        lambda result: all(history["loss"][0] < 1e-3 for history in result["histories"].values())),
}


@pytest.mark.parametrize("case", CASES)
def test_a_flag_reaches_what_it_names_in_the_model_the_run_built(tmp_path, case):
    script, flags, reached = CASES[case]
    result = run_and_read(script, tmp_path, "--quick", "--epochs", "1", *flags)
    assert reached(result), result["built"]


def test_patience_is_the_epochs_early_stopping_waits_after_the_lowest_validation_loss(tmp_path):
    # EarlyStopping's rule, seen in the run: it stops `patience` epochs after the last epoch that
    # lowered the validation loss. Quick runs (1000 images) at a learning rate of 5 overtrain
    # within some 20 epochs.
    for patience in (1, 4):
        result = run_and_read("l303-example-04c", tmp_path / str(patience), "--quick", "--epochs",
                              "100", "--lr", "5", "--patience", str(patience))
        losses = result["histories"]["early_stopping"]["val_loss"]
        assert len(losses) < 100, "it never stopped: no test of the patience"
        assert len(losses) == losses.index(min(losses)) + 1 + patience, (patience, losses)
        assert result["notes"]["stopped_after_epochs"] == len(losses)
