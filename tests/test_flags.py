"""A flag does what it says (issue 36): the value given reaches the thing it names, read from
what the run built (the record's "built": the optimizer's and each layer's configuration, as
Keras describes them), never from the script's text. Each run is a quick one, one epoch: every script runs once, with its own flags
and the shared ones it offers (--epochs, --train-size, --batch-size, --lr)."""

import contextlib
import io

import pytest

from conftest import EXAMPLES, SCRIPTS, run_and_read
from runner import run_as_main


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
    "06 --lr (--learning-rates)": ("l303-example-06", ["--lr", "0.1", "7"],
                            lambda result: [built["optimizer"]["learning_rate"] for built in
                                            result["built"].values()] == [pytest.approx(0.1), 7.0]),
    "06b --batch-sizes": ("l303-example-06b", ["--batch-sizes", "20", "60"],  # 60 images
                          lambda result: [built["steps_per_epoch"] for built in
                                          result["built"].values()] == [3, 1]),
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


def common_flags(name):
    """The shared flags a script offers (its -h, which answers before Keras starts)."""
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        assert run_as_main(EXAMPLES / f"{name}.py", ["-h"]) == 0
    shown = shown.getvalue()
    return {flag for flag in ("--lr", "--batch-size", "--train-size", "--epochs")
            if f"{flag} " in shown}


def learning_rates(optimizer):
    """The optimizer's learning rate, or its schedule's first one."""
    rate = optimizer["learning_rate"]
    return rate["config"].get("initial_learning_rate") if isinstance(rate, dict) else rate


# One quick run per script: its own flags' case (CASES), or its name where it has none.
RUNS = {**CASES, **{name: (name, [], None) for name in SCRIPTS if name != "l303-pictures"
                    and name not in {script for script, _, _ in CASES.values()}}}
SHARED = {"--epochs": "1", "--train-size": "60", "--batch-size": "30", "--lr": "0.123"}


@pytest.mark.parametrize("case", RUNS)
def test_a_flag_reaches_what_it_names_in_the_model_the_run_built(tmp_path, case):
    """The script's own flags of the case, and the shared ones it offers: 1 epoch; 60 images in
    batches of 30, 2 steps an epoch (05 trains its expanded model on 180: 6); the learning rate
    given is every model's (or its schedule's first)."""
    script, own, reached = RUNS[case]
    shared = {flag: value for flag, value in SHARED.items()
              if flag in common_flags(script) and flag not in own}  # the case's own flags win
    result = run_and_read(script, tmp_path, "--quick", *[part for flag_and_value in
                                                         shared.items() for part in flag_and_value],
                          *own)
    assert reached is None or reached(result), result["built"]
    for key, built in result["built"].items():
        if "--epochs" in shared:
            assert len(result["histories"][key]["loss"]) == 1, key
        if {"--train-size", "--batch-size"} <= set(shared):
            assert built["steps_per_epoch"] * 30 in (60, 180), (key, built["steps_per_epoch"])
        if "--lr" in shared:
            assert learning_rates(built["optimizer"]) == pytest.approx(0.123), (key,
                                                                              built["optimizer"])
