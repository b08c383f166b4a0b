"""The environment a Python 3.14 or 3.15 gets (make setup there, or make setup BACKEND=jax): JAX,
no TensorFlow, and the scripts on JAX without being told. make test runs these (with the quick
runs and the lesson tests) in .venv-jax; in an environment with TensorFlow they are skipped."""

import os

import pytest

import l303_files
from conftest import read_result, run_script

without_tensorflow = pytest.mark.skipif(
    l303_files.installed("tensorflow"),
    reason="an environment with TensorFlow (make test-jax tests one without)")


@without_tensorflow
def test_the_environment_has_jax_and_no_tensorflow():
    assert l303_files.installed("jax") and l303_files.installed("keras")
    assert not l303_files.installed("tensorflow")


@without_tensorflow
def test_a_script_takes_jax_without_being_told_and_records_it(tmp_path):
    environment = {name: value for name, value in os.environ.items() if name != "KERAS_BACKEND"}
    completed = run_script("l303-example-01", "--quick", "--epochs", "1", "--outdir", str(tmp_path),
                           env=None, environ=environment)
    assert "Traceback" not in completed.stderr
    result = read_result(tmp_path, "l303-example-01")
    assert result["backend"] == "jax" and "jax" in result["versions"]
    assert len(result["histories"]["mse"]["loss"]) == 1


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
