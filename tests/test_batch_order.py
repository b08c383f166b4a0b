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
from quick import run_as_main

PROBE = REPO / "tests" / "batch_order_probe.py"
BACKENDS = ["tensorflow", "jax", "torch"]


def delivered_order(backend, seed, tmp_path, capsys):
    args = ["--seed", str(seed), "--outdir", str(tmp_path)]
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
        pytest.skip(f"the {backend} backend is not installed (make setup-backends installs it)")
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
