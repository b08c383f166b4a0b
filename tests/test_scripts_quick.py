"""Every script runs in --quick mode and honours the output contract: a PNG and a full JSON, under
every Keras backend installed (KERAS_BACKEND): TensorFlow in .venv, JAX in .venv-jax (make test
runs both), and JAX and PyTorch beside TensorFlow where make setup-backends installed them.

The 21 quick runs go through tools/quick.py (what `make quick` runs), which starts Keras once per
process instead of once per script; each script still runs with its own argv and seed.
"""

import importlib.util
import math

import pytest

import l303
import record  # the schema of a run's record
from conftest import SCRIPTS, folder_for_a_shared_run, read_result, run_quick_look


def all_numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from all_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


@pytest.fixture(scope="module", params=["tensorflow", "jax", "torch"])
def quick_look(request, tmp_path_factory):
    backend = request.param
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"Keras' {backend} backend is not installed in this environment")
    outdir = folder_for_a_shared_run(tmp_path_factory, f"quick look under {backend}")
    return backend, outdir, run_quick_look(outdir, env={"KERAS_BACKEND": backend})


@pytest.mark.xdist_group("quick look")  # one worker runs each backend's quick look, once
@pytest.mark.parametrize("name", SCRIPTS)
def test_quick_run_writes_its_png_and_a_json_with_finite_numbers(quick_look, name):
    backend, outdir, output = quick_look
    assert f"== {name}.py: ok" in output, output[-3000:]
    png = outdir / f"{name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = read_result(outdir, name)
    assert not record.problems(result), record.problems(result)  # its notes included
    assert result["script"] == name and result["interrupted"] is False
    assert result["command"] == [f"examples/{name}.py", "--quick", "--outdir", str(outdir)]
    assert result["settings"]["quick"] is True and result["seed"] == l303.DEFAULT_SEED
    assert result["settings"].get("epochs", 2) <= l303.QUICK_EPOCHS
    assert result["backend"] == backend and result["versions"]["keras"].startswith("3.")
    assert result["wall_seconds"] > 0
    assert result["histories"], "no training history recorded"
    for label, history in result["histories"].items():
        assert history["loss"], f"{label} has an empty loss history"
    numbers = list(all_numbers(result["histories"])) + list(all_numbers(result["results"]))
    assert numbers and all(math.isfinite(n) for n in numbers)
    written = sorted(p.name for p in outdir.iterdir() if p.name.startswith(f"{name}.")
                     or p.name.startswith(f"{name}-"))
    assert written == sorted([*result["figures"], f"{name}.json"])
