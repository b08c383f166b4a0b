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
}


@pytest.mark.parametrize("case", CASES)
def test_a_flag_reaches_what_it_names_in_the_model_the_run_built(tmp_path, case):
    script, flags, reached = CASES[case]
    result = run_and_read(script, tmp_path, "--quick", "--epochs", "1", *flags)
    assert reached(result), result["built"]
