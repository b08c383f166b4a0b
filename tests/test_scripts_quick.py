"""Every script runs in --quick mode and honours the output contract: a PNG and a full JSON."""

import math

import pytest

import l303

from conftest import SCRIPTS, read_result, run_script


def all_numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from all_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


@pytest.mark.parametrize("name", SCRIPTS)
def test_quick_run_writes_its_png_and_a_json_with_finite_numbers(tmp_path, name):
    run_script(name, "--quick", "--outdir", str(tmp_path))
    png = tmp_path / f"{name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = read_result(tmp_path, name)
    assert result["script"] == name and result["interrupted"] is False
    assert result["settings"]["quick"] is True and result["seed"] == l303.DEFAULT_SEED
    assert result["backend"] and result["versions"]["keras"].startswith("3.")
    assert result["wall_seconds"] > 0
    assert result["histories"], "no training history recorded"
    for label, history in result["histories"].items():
        assert history["loss"], f"{label} has an empty loss history"
    numbers = list(all_numbers(result["histories"])) + list(all_numbers(result["results"]))
    assert numbers and all(math.isfinite(n) for n in numbers)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(result["figures"] + [f"{name}.json"])
