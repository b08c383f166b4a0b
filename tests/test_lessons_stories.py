"""The slides whose story needs more than one run: the second plot of SLOW LEARNING WITH BAD
WEIGHTS, the COMMENT on binary cross-entropy, the INTERMISSION's tricks, the deeper networks and
the vanishing gradient. Each on a budget CI can afford (seed 1)."""

import json

import pytest

import claims
import verdicts
from conftest import folder_for_a_shared_run, run_and_read


def test_a_different_start_learns_from_the_first_epoch_where_the_bad_one_sits_on_a_plateau(tmp_path):
    # The slide's own settings: 1000 Gaussian inputs, SGD 1.0, 100 epochs of batch 100.
    result = run_and_read("l303-example-02", tmp_path)
    bad, different = (result["histories"][start]["loss"] for start in ("bad", "different"))
    assert result["models"] == {"bad": "weights (2, 3), (4, 5)",
                                "different": "weights (0.5, 0.5), (0.5, 0.5)"}
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["02"], {"02": result})
    assert holds and effect > 0.5, effect  # the slide's settings; measured (seed 1): 0.987
    assert bad[9] > 0.95 * bad[0], "the bad start should barely move in 10 epochs"
    assert bad[-1] < 0.1 * bad[0], "... and learn in the end"
    assert different[9] < 0.5 * different[0], "the different start should fall from the start"


def test_keras_3_reports_the_categorical_accuracy_for_sigmoid_and_binary_cross_entropy(tmp_path):
    # COMMENT: "Keras may give a different accuracy value if you do sigmoid + binary cross-entropy".
    result = run_and_read("l303-example-03", tmp_path, "--quick", "--binary")
    comment = result["notes"]["binary_crossentropy_accuracy"]
    assert comment["reported_is"] == "the categorical accuracy"
    assert comment["reported_as_accuracy"] == pytest.approx(comment["categorical"], abs=1e-4)
    # Keras 2.1's binary accuracy judges 10 yes/no outputs per digit: far higher, and misleading.
    assert comment["binary_per_output"] > comment["categorical"] + 0.05


def test_on_a_short_budget_the_lectures_tricks_leave_fewer_test_digits_wrongly_tagged(tmp_path):
    # INTERMISSION: softmax + cross-entropy, rotated copies and early stopping, ported to 01a.
    # On a short budget they learn far faster than the MSE baseline. (At the slide's full budget
    # the 30 hidden neurons are the limit and both end near the same count: figures/RESULTS.md.)
    result = run_and_read("l303-example-01a", tmp_path, "--quick", "--tricks")
    tricks = result["notes"]["tricks"]
    # The wrongly tagged digits, recounted from the evaluated test accuracies (1000 test digits).
    for model, count in (("baseline", tricks["baseline_misclassified"]),
                         ("tricks", tricks["misclassified"])):
        accuracy = result["results"][model]["testing"]["accuracy"]
        assert count == round((1 - accuracy) * 1000), (model, count, accuracy)
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["01a"], {"01a": result})
    # Measured (seed 1, 1000 images, 2 epochs): 179 against 418.
    assert holds and tricks["misclassified"] < 0.7 * tricks["baseline_misclassified"], effect
    assert "l303-example-01a-tricks.png" in result["figures"]


@pytest.fixture(scope="module")
def deeper(tmp_path_factory):
    folder = folder_for_a_shared_run(tmp_path_factory, "07a")
    return run_and_read("l303-example-07a", folder, "--quick", "--train-size", "5000",
                        "--epochs", "4", "--depths", "2", "8")


@pytest.mark.xdist_group("07a")
def test_a_deeper_network_trains_but_later(deeper):
    # LARGER/DEEPER NETWORK? (III): "A more complex network does require a longer training time."
    shallow, deep = deeper["histories"].values()
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["07a (later)"], {"07a": deeper})
    assert holds, effect
    assert deep["loss"][0] > shallow["loss"][0]
    assert deep["val_accuracy"][0] < shallow["val_accuracy"][0]
    assert deep["val_accuracy"][-1] > 0.5, "the deep network should learn, not sit at chance"


@pytest.mark.xdist_group("07a")
def test_the_sigmoid_gradient_vanishes_towards_the_first_layer_and_relus_does_not(deeper):
    # WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK?: dL/db1 < 0.0156 dL/db4 with sigmoid.
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["07a (vanishing gradient)"],
                                             {"07a": deeper})
    assert holds, effect
    gradients = deeper["notes"]["gradients"]
    for moment in gradients["sigmoid"]:
        sigmoid = gradients["sigmoid"][moment]["first_to_last_hidden_bias_ratio"]
        relu = gradients["relu"][moment]["first_to_last_hidden_bias_ratio"]
        assert sigmoid < 0.0156 ** 2, (moment, sigmoid)  # 8 layers: far below the 4-layer bound
        assert sigmoid < 0.01 * relu, (moment, sigmoid, relu)
        sizes = gradients["sigmoid"][moment]["bias"]
        assert all(earlier < later for earlier, later in zip(sizes[:8], sizes[1:9]))


@pytest.fixture(scope="module")
def baseline_and_softmax(tmp_path_factory):
    folder = folder_for_a_shared_run(tmp_path_factory, "01 and 03")
    budget = ("--quick", "--train-size", "2000", "--epochs", "5")
    return {number: run_and_read(f"l303-example-{number}", folder / number, *budget)
            for number in ("01", "03")}


@pytest.mark.xdist_group("01 and 03")
def test_softmax_and_cross_entropy_fit_the_training_set_better_than_the_mse_baseline(
        baseline_and_softmax):
    # TRY IT OUT!: "the performance for the training sample is improved" (03 against 01).
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["03 (training)"], baseline_and_softmax)
    assert holds and effect > 0.02, effect  # measured (seed 1, 2000 images, 5 epochs): 0.044
    # The baseline itself learns: BUILDING NETWORK WITH KERAS's ~96% needs the full budget; on
    # this one it passes 85% (measured: 0.911 training, 0.830 test).
    assert claims.score(baseline_and_softmax["01"], "mse") > 0.75


@pytest.mark.xdist_group("01 and 03")
def test_the_second_choice_is_often_right_when_the_first_is_wrong(baseline_and_softmax):
    # INTERMISSION after 03: softmax outputs read as probabilities; the runner-up is right far
    # more often than a guess among the nine other classes.
    result = baseline_and_softmax["03"]
    notes = result["notes"]
    assert notes["misclassified"] == round((1 - claims.score(result, "softmax")) * 1000)
    effect, holds = verdicts.effect_in_one_run(claims.CLAIMS["03 (second choice)"], {"03": result})
    assert holds and effect > 0.2, effect
    assert notes["median_best"] > notes["median_second"]


def test_the_runner_up_numbers_03_prints_are_those_of_its_model(tmp_path):
    """INTERMISSION's numbers, computed again here from the trained model and the raw MNIST file:
    how many test digits it gets wrong, for how many of those its second choice is right, and the
    median probabilities of the two choices."""
    import numpy as np

    import l303_files
    from conftest import EXAMPLES
    from runner import run_as_main

    names = {}
    assert run_as_main(EXAMPLES / "l303-example-03.py",
                       ["--quick", "--epochs", "2", "--outdir", tmp_path], names) == 0
    notes = json.loads((tmp_path / "l303-example-03.json").read_text())["notes"]
    arrays = l303_files.load_mnist_arrays()
    images, labels = arrays["x_test"][:1000] / np.float32(255), arrays["y_test"][:1000]
    probabilities = np.asarray(names["model"].predict(images, verbose=0))
    first = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(first != labels)
    others = probabilities.copy()
    others[np.arange(len(first)), first] = -np.inf  # the first choice taken out
    second = others.argmax(axis=1)
    assert notes["misclassified"] == len(wrong) > 20
    assert notes["second_choice_right"] == int(np.sum(second[wrong] == labels[wrong]))
    assert notes["median_best"] == pytest.approx(float(np.median(probabilities[wrong, first[wrong]])))
    assert notes["median_second"] == pytest.approx(float(np.median(probabilities[wrong, second[wrong]])))
