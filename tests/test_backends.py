"""Every script runs unchanged under KERAS_BACKEND=jax and torch, where that backend is installed.

The optional backends come from requirements-backends.txt (make setup-backends); where one is not
installed its tests are skipped, and pytest -rs (as `make test` runs it) shows why.
"""

import importlib.util

import pytest

from conftest import SCRIPTS, folder_for_a_shared_run, read_result, run_quick_look

BACKENDS = ("jax", "torch")


@pytest.fixture(scope="module", params=BACKENDS)
def quick_look_under(request, tmp_path_factory):
    backend = request.param
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"the {backend} backend is not installed (make setup-backends installs it)")
    outdir = folder_for_a_shared_run(tmp_path_factory, f"quick look under {backend}")
    return backend, outdir, run_quick_look(outdir, env={"KERAS_BACKEND": backend})


@pytest.mark.xdist_group("quick look under other backends")
@pytest.mark.parametrize("name", SCRIPTS)
def test_quick_run_under_another_backend(quick_look_under, name):
    backend, outdir, output = quick_look_under
    assert f"== {name}.py: ok" in output, output[-3000:]
    result = read_result(outdir, name)
    assert result["backend"] == backend
    assert all(history["loss"] for history in result["histories"].values())
    assert (outdir / f"{name}.png").stat().st_size > 0
