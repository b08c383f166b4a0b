"""Every script runs unchanged under KERAS_BACKEND=jax and torch, where that backend is installed.

The optional backends come from requirements-backends.txt (make setup-backends); where one is not
installed its tests are skipped, and pytest -rs (as `make test` runs it) shows why.
"""

import importlib.util

import pytest

from conftest import SCRIPTS, read_result, run_script

BACKENDS = {"jax": "jax", "torch": "torch"}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("name", SCRIPTS)
def test_quick_run_under_another_backend(tmp_path, name, backend):
    if importlib.util.find_spec(BACKENDS[backend]) is None:
        pytest.skip(f"the {backend} backend is not installed (make setup-backends installs it)")
    run_script(name, "--quick", "--outdir", str(tmp_path), env={"KERAS_BACKEND": backend})
    result = read_result(tmp_path, name)
    assert result["backend"] == backend
    assert all(history["loss"] for history in result["histories"].values())
    assert (tmp_path / f"{name}.png").stat().st_size > 0
