"""Mini-batch SGD as the lecture runs it: a new order of the training images in every epoch, and
the same orders again for the same seed, on every installed backend.

Keras 3.15 on TensorFlow replays one order in every epoch of fit(x, y, shuffle=True) once a global
seed is set; the scripts therefore train on l303.shuffled_batches. The probe trains through that
path and reports which samples each step received: in this process for the tests' own backend
(TensorFlow, unless KERAS_BACKEND says otherwise), in a new process for each other one.
"""

import importlib.util
import json
import os
import subprocess
import sys

import keras
import pytest

from conftest import REPO
from runner import run_as_main

PROBE = REPO / "tests" / "batch_order_probe.py"
BACKENDS = ["tensorflow", "jax", "torch"]


def delivered_order(backend, seed, tmp_path, capsys, *flags):
    args = ["--seed", str(seed), "--outdir", str(tmp_path), *flags]
    if backend == keras.backend.backend():
        assert run_as_main(PROBE, args) == 0
        output = capsys.readouterr().out
    else:
        completed = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True,
                                   env=dict(os.environ, KERAS_BACKEND=backend), text=True,
                                   timeout=300)
        assert completed.returncode == 0, completed.stderr[-3000:]
        output = completed.stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["backend"] == backend
    return result


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_epoch_draws_a_new_order_and_the_same_seed_draws_the_same_orders(backend, tmp_path,
                                                                              capsys):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"Keras' {backend} backend is not installed in this environment")
    first = delivered_order(backend, 1, tmp_path, capsys)
    epochs = first["epochs"]
    assert len(epochs) == first["recorded_epochs"] == 3
    for order in epochs:
        assert sorted(order) == list(range(12)), "each epoch sees every sample exactly once"
    assert len({tuple(order) for order in epochs}) == 3, f"an order repeats: {epochs}"
    assert epochs[0] != list(range(12)), "the first epoch is not shuffled"
    again, other_seed = (delivered_order(backend, seed, tmp_path, capsys)["epochs"]
                         for seed in (1, 2))
    assert again == epochs, "same seed, other orders"
    assert other_seed != epochs, "the seed does not matter"


def epochs_of(batches, epochs):
    """The sample order a batch sequence gives in each epoch, read as Keras reads it: every index
    in turn, then on_epoch_end."""
    orders = []
    for _ in range(epochs):
        orders.append([int(value) for index in range(len(batches))
                       for value in batches[index][0][:, 0]])
        batches.on_epoch_end()
    return orders


def test_the_jax_and_pytorch_batch_sequence_reshuffles_every_epoch_under_any_backend():
    # ShuffledBatches is what JAX and PyTorch train on; it is plain Python over NumPy, so it is
    # exercised here whatever backend the tests run (the default setup installs TensorFlow only).
    import numpy as np

    import l303_workarounds

    x = np.arange(10, dtype="float32").reshape(10, 1)
    y = np.zeros((10, 1), dtype="float32")
    first = epochs_of(l303_workarounds.ShuffledBatches(x, y, batch_size=4, seed=7), 3)
    assert [len(order) for order in first] == [10, 10, 10]  # the last batch holds the rest
    for order in first:
        assert sorted(order) == list(range(10)), "each epoch sees every sample exactly once"
    assert len({tuple(order) for order in first}) == 3, f"an order repeats: {first}"
    assert first == epochs_of(l303_workarounds.ShuffledBatches(x, y, batch_size=4, seed=7), 3)
    assert first != epochs_of(l303_workarounds.ShuffledBatches(x, y, batch_size=4, seed=8), 3)


def test_keras_array_path_still_replays_one_order_on_tensorflow(tmp_path, capsys):
    """The defect behind l303_workarounds.tensorflow_shuffled_batches: when this test fails,
    Keras reshuffles fit(x, y, shuffle=True) under a seed, and the workaround can go."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("TensorFlow is not installed")
    epochs = delivered_order("tensorflow", 1, tmp_path, capsys, "--keras-array-path")["epochs"]
    assert len(epochs) == 3 and epochs[0] != list(range(12)), "it did not shuffle at all"
    assert epochs[0] == epochs[1] == epochs[2], "Keras now reshuffles: the workaround can go"
