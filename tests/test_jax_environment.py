"""The environment a Python 3.14 or 3.15 gets (make setup there, or make setup BACKEND=jax): JAX,
no TensorFlow, and the scripts on JAX without being told. make test runs these (with the quick
runs and the lesson tests) in .venv-jax; in an environment with TensorFlow they are skipped."""

import os
import subprocess
import sys

import pytest

import l303_files
from conftest import read_result, run_script

without_tensorflow = pytest.mark.skipif(
    l303_files.installed("tensorflow"),
    reason="an environment with TensorFlow (make test-jax tests one without)")


@without_tensorflow
def test_the_environment_has_jax_and_no_tensorflow_nor_h5py():
    """No h5py either (requirements-jax-excluded.txt): Keras asks for it, it has no wheel for
    Python 3.15, and the environment a 3.12-3.14 tests must be the one 3.15 gets."""
    assert l303_files.installed("jax") and l303_files.installed("keras")
    assert not l303_files.installed("tensorflow")
    assert not l303_files.installed("h5py")


@without_tensorflow
def test_a_script_takes_jax_without_being_told_and_records_it(tmp_path):
    environment = {name: value for name, value in os.environ.items() if name != "KERAS_BACKEND"}
    completed = run_script("l303-example-01", "--quick", "--epochs", "1", "--outdir", str(tmp_path),
                           env=None, environ=environment)
    assert "Traceback" not in completed.stderr
    result = read_result(tmp_path, "l303-example-01")
    assert result["backend"] == "jax" and "jax" in result["versions"]
    assert len(result["histories"]["mse"]["loss"]) == 1


@without_tensorflow
def test_a_students_own_import_keras_takes_jax_whatever_keras_json_says(tmp_path):
    """A keras.json naming TensorFlow (an earlier run elsewhere leaves one): the environment's own
    `import keras` (a student's script, a notebook) still starts, on JAX (setup's .pth file)."""
    (tmp_path / "keras.json").write_text('{"backend": "tensorflow"}')
    environment = {name: value for name, value in os.environ.items() if name != "KERAS_BACKEND"}
    completed = subprocess.run([sys.executable, "-c", "import keras; print(keras.backend.backend())"],
                               env=dict(environment, KERAS_HOME=str(tmp_path)), capture_output=True,
                               text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip().splitlines()[-1] == "jax"


@pytest.mark.parametrize("installed, expected", [
    ({"tensorflow", "jax", "torch"}, "tensorflow"), ({"jax", "torch"}, "jax"), ({"torch"}, "torch")])
def test_a_script_takes_the_first_backend_installed_unless_told(monkeypatch, tmp_path, installed,
                                                                expected):
    """l303_workarounds.choose_backend, run anywhere with the packages found made up: TensorFlow
    where it is installed, else JAX, else PyTorch; an explicit KERAS_BACKEND always wins, and a
    keras.json naming a backend that is not installed (Keras writes one) does not."""
    import l303_workarounds

    monkeypatch.setattr(l303_workarounds, "installed", lambda package: package in installed)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "keras.json").write_text('{"backend": "tensorflow"}')
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    assert l303_workarounds.choose_backend() == expected
    assert os.environ["KERAS_BACKEND"] == expected
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert l303_workarounds.choose_backend() == "torch"


on_jax = pytest.mark.skipif(os.environ.get("KERAS_BACKEND", "tensorflow") != "jax"
                            and l303_files.installed("tensorflow"),
                            reason="the JAX workarounds (make test-jax runs them)")


@on_jax
def test_max_pooling_on_jax_takes_the_same_maximum_as_keras_and_keras_still_scatters():
    """l303_workarounds 5: the same values and, without ties, the same gradient as Keras' own
    pooling, on even and odd image sizes; and the reason for it: Keras' own gradient still
    goes through select_and_scatter (when it no longer does, measure again: make backends)."""
    import jax
    import numpy as np

    import l303_workarounds
    import keras
    from keras.src.layers.pooling.base_pooling import BasePooling

    assert keras.backend.backend() == "jax" and keras.layers.MaxPooling2D.by_reshape
    pool = keras.layers.MaxPooling2D(pool_size=(2, 2))
    for size in (24, 11):
        x = np.random.default_rng(size).random((3, size, size, 4)).astype("float32")
        ours, keras_own = pool.call, lambda images: BasePooling.call(pool, images)
        assert np.array_equal(np.asarray(ours(x)), np.asarray(keras_own(x)))
        gradients = [np.asarray(jax.grad(lambda images, f=f: (f(images) ** 2).sum())(x))
                     for f in (ours, keras_own)]
        assert np.allclose(*gradients, atol=1e-6)
    keras_gradient = jax.make_jaxpr(jax.grad(lambda images: keras_own(images).sum()))(x)
    assert "select_and_scatter" in str(keras_gradient), l303_workarounds.__doc__


@on_jax
def test_the_augmentation_layers_are_compiled_on_jax_and_keras_still_says_they_cannot_be():
    """l303_workarounds 6: a model with 08a's augmentation trains compiled on JAX (Keras would
    train it op by op: five times slower); and the reason for it: Keras still marks the layers
    supports_jit = False in their code (when it no longer does, the workaround can go)."""
    import inspect

    import numpy as np

    import l303_workarounds
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.RandomRotation(0.1),
                              layers.RandomTranslation(0.1, 0.1), layers.Flatten(),
                              layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    assert model.jit_compile is True
    x = np.random.default_rng(0).random((16, 8, 8, 1)).astype("float32")
    history = model.fit(x, np.eye(2)[np.arange(16) % 2], epochs=2, verbose=0).history
    assert len(history["loss"]) == 2 and all(np.isfinite(history["loss"]))
    for name in l303_workarounds.UNCOMPILED_AUGMENTATION:
        source = inspect.getsource(getattr(keras.src.layers, name).__init__)
        assert "self.supports_jit = False" in source, name
