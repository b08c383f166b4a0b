"""THE OVERTRAINING ISSUE and its remedies, each shown on a budget CI can afford (seed 1).

Budgets: the slides train 10000 images for 100 epochs; here 1000-2000 images overtrain sooner, and
--quick validates and tests on 1000 images instead of 10000 (the explicit sizes and epochs win).
"""

import numpy as np
import pytest

import l303
from conftest import folder_for_a_shared_run, run_and_read


def test_a_small_training_set_overtrains(tmp_path):
    result = run_and_read("l303-example-04", tmp_path, "--quick", "--train-size", "1000", "--epochs", "100")
    history = result["histories"]["1000 training images"]
    summary = result["notes"]["overtraining"]["1000 training images"]
    best = summary["best_validation_epoch"]
    assert best < 80, "the validation loss should bottom out well before the end"
    # After its minimum the validation loss rises again, while the training loss keeps falling.
    assert summary["final_validation_loss"] > 1.03 * summary["min_validation_loss"]
    assert history["loss"][-1] < 0.5 * history["loss"][best - 1]
    assert summary["accuracy_gap"] > 0.08


@pytest.fixture(scope="module")
def regularization_runs(tmp_path_factory):
    budget = ("--quick", "--train-size", "2000", "--epochs", "40")
    folder = folder_for_a_shared_run(tmp_path_factory, "regularization")
    return {penalty: run_and_read("l303-example-04a", folder / penalty, *budget,
                                  "--regularizer", penalty)
            for penalty in ("l2", "l1")}


@pytest.mark.xdist_group("regularization")
def test_l2_weight_decay_narrows_the_train_test_gap(regularization_runs):
    gaps = regularization_runs["l2"]["notes"]["overtraining"]
    reference = gaps["no regularization"]["accuracy_gap"]
    regularized = gaps["l2(0.01) on output weights"]["accuracy_gap"]
    assert regularized < 0.8 * reference, (regularized, reference)


@pytest.mark.xdist_group("regularization")
def test_l1_shrinks_output_weights_toward_zero_more_than_no_regularization(regularization_runs):
    weights = regularization_runs["l1"]["notes"]["output_weights"]
    reference, l1 = weights["no regularization"], weights["l1(0.01) on output weights"]
    assert l1["mean_abs"] < 0.5 * reference["mean_abs"]
    assert l1["share_below_0.01"] > 0.3 > reference["share_below_0.01"]


def test_dropout_narrows_the_train_test_gap(tmp_path):
    result = run_and_read("l303-example-04b", tmp_path, "--quick", "--train-size", "2000", "--epochs", "40")
    gaps = result["notes"]["overtraining"]
    assert gaps["dropout 0.2"]["accuracy_gap"] < 0.9 * gaps["no dropout"]["accuracy_gap"]
    assert gaps["dropout 0.2"]["loss_gap"] < 0.9 * gaps["no dropout"]["loss_gap"]


def test_early_stopping_stops_early_and_keeps_the_last_epochs_weights(tmp_path):
    result = run_and_read("l303-example-04c", tmp_path, "--quick", "--train-size", "1000", "--epochs", "100")
    history = result["histories"]["early stopping"]
    stopped = result["notes"]["stopped_after_epochs"]
    assert stopped == len(history["loss"]) < 100
    # patience 3: the last three epochs did not beat the best validation loss before them.
    assert min(history["val_loss"][-3:]) >= min(history["val_loss"][:-3])
    # Nothing restored: the evaluated model is the last epoch's (not the best epoch's) model.
    validation = result["results"]["early stopping"]["validation"]
    assert validation["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-4)
    assert validation["accuracy"] == pytest.approx(history["val_accuracy"][-1], abs=1e-6)


def test_rotated_copies_are_the_same_digits_turned_with_pixels_in_range():
    # Example 05 triples its data with l303.rotate_images(x, +5, +25) and (x, -25, -5).
    data = l303.load_mnist(train_size=300)
    np.random.seed(0)
    for low, high in ((5.0, 25.0), (-25.0, -5.0)):
        copy = l303.rotate_images(data.x_train, low, high)
        assert copy.shape == (300, 28, 28) and copy.dtype == np.float32
        assert 0.0 <= copy.min() and copy.max() <= 1.0
        # Each rotated copy is a changed image of its own original: rotation keeps the ink (the
        # sum of the pixels) within 5%, while a copy paired with its neighbour's original rarely
        # does.
        ink = data.x_train.sum(axis=(1, 2))
        assert np.all(np.abs(copy - data.x_train).sum(axis=(1, 2)) > 1.0)
        copy_ink = copy.sum(axis=(1, 2))
        assert np.all(np.abs(copy_ink - ink) < 0.05 * ink)
        assert np.mean(np.abs(copy_ink - np.roll(ink, 1)) < 0.05 * np.roll(ink, 1)) < 0.2


def test_batch_normalization_lets_a_deeper_sigmoid_network_learn_from_the_first_epochs(tmp_path):
    result = run_and_read("l303-example-04d", tmp_path, "--quick", "--train-size", "2000",
                          "--epochs", "5")
    plain = result["histories"]["sigmoid"]["val_accuracy"]
    normalized = result["histories"]["sigmoid + batch normalization"]["val_accuracy"]
    # Measured: 0.10 0.11 0.09 0.11 0.12 without, 0.34 0.39 0.41 0.56 0.57 with (seed 1).
    assert max(plain) < 0.2 and normalized[-1] > 0.35
    assert all(n > p for n, p in zip(normalized, plain))
