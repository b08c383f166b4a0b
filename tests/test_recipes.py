"""The recipes that combine several tricks, each ingredient shown to be there.

Where a script puts several of the lecture's tricks together (01a's INTERMISSION: "port the tricks
back"; 07's "several improvements"; 08a: example 08 plus data expanding, batch normalization and
a dropout placed after it), losing one would still leave a network that learns, and the lesson
tests of the whole recipe could pass without it. Each test runs the script's quick look in this
process and reads the trained model (and what it was trained on) from the script's own names.
That the recipe as a whole matters is the lesson tests' (tests/test_lessons_*.py).
"""

import numpy as np
import pytest

import keras

from conftest import EXAMPLES
from runner import run_as_main


def run_and_keep_names(name, tmp_path, *flags):
    names = {}
    assert run_as_main(EXAMPLES / f"{name}.py", ["--quick", *flags, "--outdir", tmp_path], names) == 0
    return names


def layers_of(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def learning_rate_at_start(optimizer):
    rate = optimizer.learning_rate
    schedule = getattr(optimizer, "_learning_rate", None)
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return float(schedule(0))
    return float(np.asarray(rate))


@pytest.fixture
def early_stoppings(monkeypatch):
    """Every EarlyStopping a script makes, kept (the fit forgets its callbacks)."""
    made = []

    class Kept(keras.callbacks.EarlyStopping):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(keras.callbacks, "EarlyStopping", Kept)
    return made


def test_01a_ports_all_three_tricks_back(tmp_path, early_stoppings):
    """INTERMISSION: softmax + cross-entropy (03), two rotated copies of each image (05), early
    stopping on the validation images x_train[50000:] (04c), on the baseline's 784-30-10."""
    names = run_and_keep_names("l303-example-01a", tmp_path, "--tricks", "--epochs", "2")
    model = names["tricks_model"]
    dense = layers_of(model, keras.layers.Dense)
    assert [layer.units for layer in dense] == [30, 10]
    assert dense[-1].activation is keras.activations.softmax
    assert model.loss == "categorical_crossentropy"
    # The rotated copies: three times the images, the copies turned (not the originals again),
    # their ink (the sum of the pixels) kept.
    originals, expanded = names["tricks_data"].x_train, names["x_expanded"]
    assert len(expanded) == 3 * len(originals) and len(names["y_expanded"]) == len(expanded)
    for copy in (expanded[len(originals):2 * len(originals)], expanded[2 * len(originals):]):
        assert np.all(np.abs(copy - originals).sum(axis=(1, 2)) > 1.0)
        assert np.allclose(copy.sum(axis=(1, 2)), originals.sum(axis=(1, 2)), rtol=0.05)
    # Early stopping: on the validation loss, keeping the best epoch, attached to this fit.
    (stopping,) = early_stoppings
    assert stopping.monitor == "val_loss" and stopping.restore_best_weights
    assert stopping.model is model
    assert "val_loss" in names["run"].histories["tricks"]


def test_07s_improvements_are_all_there(tmp_path):
    """LARGER/DEEPER NETWORK? (II): two hidden layers of 512 ReLU, dropout 0.2 after each,
    softmax + cross-entropy, Adadelta at the rate Keras 2 used (1.0), batches of 128."""
    names = run_and_keep_names("l303-example-07", tmp_path, "--epochs", "1")
    model = names["model"]
    dense = layers_of(model, keras.layers.Dense)
    assert [layer.units for layer in dense] == [512, 512, 10]
    assert [layer.activation for layer in dense] == [keras.activations.relu] * 2 + [
        keras.activations.softmax]
    dropouts = layers_of(model, keras.layers.Dropout)
    assert [layer.rate for layer in dropouts] == [0.2, 0.2]
    assert [model.layers.index(layer) for layer in dropouts] == [
        model.layers.index(dense[0]) + 1, model.layers.index(dense[1]) + 1]
    assert isinstance(model.optimizer, keras.optimizers.Adadelta)
    assert learning_rate_at_start(model.optimizer) == pytest.approx(1.0)
    assert model.loss == "categorical_crossentropy"
    assert names["args"].batch_size == 128


def test_08as_additions_to_08_are_all_there(tmp_path):
    """Practice 02: 08's network (16 and 32 filters of 5x5, dense 128) with on-the-fly rotation
    (+-10 degrees) and shifts (10%), batch normalization after each convolution and the dense
    layer, and dropout 0.3 after the last normalization; Adam from 0.003, decayed."""
    names = run_and_keep_names("l303-example-08a", tmp_path, "--epochs", "1")
    model = names["model"]
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds[:2] == ["RandomRotation", "RandomTranslation"]  # before anything learns
    rotation, translation = model.layers[0], model.layers[1]
    assert tuple(rotation.get_config()["factor"]) == pytest.approx((-10 / 360, 10 / 360))
    assert translation.get_config()["height_factor"] == 0.1
    assert translation.get_config()["width_factor"] == 0.1
    convolutions = layers_of(model, keras.layers.Conv2D)
    assert [(layer.filters, layer.kernel_size) for layer in convolutions] == [(16, (5, 5)), (32, (5, 5))]
    normalizations = [model.layers.index(layer) for layer in layers_of(model, keras.layers.BatchNormalization)]
    dense = layers_of(model, keras.layers.Dense)
    assert normalizations == [model.layers.index(layer) + 1 for layer in (*convolutions, dense[0])]
    (dropout,) = layers_of(model, keras.layers.Dropout)
    assert dropout.rate == pytest.approx(0.3)
    assert max(normalizations) < model.layers.index(dropout) < model.layers.index(dense[-1])
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert learning_rate_at_start(model.optimizer) == pytest.approx(0.003)
