"""The lab's logic on records alone, no script run: a record read and checked, and the bands
written from the seeds' records. Fast, so that make mutation (mutmut) runs them for every mutant."""

import json
import shutil
from pathlib import Path

import pytest

import bands
import record
from l303_files import REPO

FIGURES = REPO / "figures"
SCHEMA_1 = Path(__file__).parent / "data" / "schema-1-l303-example-02a.json"


def committed(name="l303-example-04a"):
    return record.read(FIGURES / f"{name}.json")


def test_a_record_is_read_from_its_file_and_a_missing_file_is_none(tmp_path):
    path = FIGURES / "l303-example-04a.json"
    assert record.read(path) == json.loads(path.read_text())
    assert record.read(str(path)) == record.read(path)
    assert record.read(tmp_path / "l303-example-04a.json") is None
    assert record.read(tmp_path) is None  # a folder is not a record


def test_a_record_of_todays_schema_has_no_problem_and_one_filed_by_labels_has():
    made = committed()
    assert not record.problems(made) and record.older_schema(made) is None
    assert made["models"] == {"none": "no regularization", "l2": "l2(0.01) on output weights"}
    for field in ("histories", "results"):
        by_label = {**made, field: {made["models"][key]: value
                                    for key, value in made[field].items()}}
        found = record.problems(by_label)
        for label in made["models"].values():
            assert f"{field}/{label}: not a model's key (the keys: none, l2)" in found, found
    # A label that reads like a key ("l1" for the model keyed "l2") is still not a key.
    relabelled = {**made, "models": {"none": "none", "l2": "l1"},
                  "results": {"none": made["results"]["none"], "l1": made["results"]["l2"]}}
    assert record.problems(relabelled) == ["results/l1: not a model's key (the keys: none, l2)"]
    without_models = {name: value for name, value in made.items() if name != "models"}
    assert record.problems(without_models) == ["the record: 'models' is a required property"]
    not_a_mapping = {**made, "models": ["none", "l2"]}
    assert record.problems(not_a_mapping) == ["models: ['none', 'l2'] is not of type 'object'"]


def test_only_a_record_of_an_older_schema_is_called_older():
    assert record.older_schema(json.loads(SCHEMA_1.read_text())) == 1
    made = committed()
    assert record.older_schema({**made, "schema": 1}) == 1
    assert record.older_schema(made) is None and made["schema"] == 2
    assert record.older_schema({**made, "schema": 3}) is None  # newer is not older
    assert record.older_schema({**made, "schema": "2"}) is None


def seed_record(seed, val_loss, models=("plain",)):
    """A record of 04 for one seed: the slide's settings, the validation losses given."""
    return {"script": "l303-example-04", "seed": seed, "models": {key: key for key in models},
            "settings": {"epochs": len(val_loss), "seed": seed, "outdir": "x", "quick": False},
            "histories": {key: {"val_loss": list(val_loss), "loss": [1.0] * len(val_loss)}
                          for key in models}}


def test_a_band_entry_has_each_metric_some_seed_recorded_and_the_settings_that_name_the_run():
    runs = {seed: seed_record(seed, [1.0 + seed / 10, 0.5 + seed / 10]) for seed in (1, 2, 3)}
    entry = bands.entry(runs)
    assert entry["seeds"] == [1, 2, 3]
    assert entry["settings"] == {"epochs": 2, "quick": False}  # the seed and outdir name no run
    band = entry["models"]["plain"]
    assert set(band) == {"label", "loss", "val_loss"}  # no seed recorded accuracy: no band
    assert band["val_loss"]["mean"] == [1.2, 0.7]
    assert band["loss"] == {"mean": [1.0, 1.0], "low": [1.0, 1.0], "high": [1.0, 1.0]}
    assert bands.band_of([]) is None


def spread_of_04(outdir, seeds):
    """figures/-like OUTDIR with 04's committed record as seed 1 and copies as the other seeds,
    each validation loss shifted by the seed."""
    reference = committed("l303-example-04")
    for seed in seeds:
        made = json.loads(json.dumps(reference))
        made["histories"]["plain"]["val_loss"] = [value + (seed - 1) / 100 for value in
                                                  reference["histories"]["plain"]["val_loss"]]
        folder = outdir if seed == 1 else outdir / "spread" / f"seed{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "l303-example-04.json").write_text(json.dumps(made))
    return reference


def test_the_bands_file_holds_a_band_for_a_run_of_three_seeds_and_none_for_two(tmp_path):
    reference = spread_of_04(tmp_path, (1, 2))
    assert bands.write_bands(tmp_path)["scripts"] == {}
    spread_of_04(tmp_path, (3,))
    written = bands.write_bands(tmp_path)
    assert written == json.loads((tmp_path / bands.BANDS_FILE).read_text())
    assert written["rule"] == bands.RULE and list(written["scripts"]) == ["l303-example-04"]
    [entry] = written["scripts"]["l303-example-04"]
    assert entry["seeds"] == [1, 2, 3]
    first = [reference["histories"]["plain"]["val_loss"][0] + shift for shift in (0, .01, .02)]
    assert entry["models"]["plain"]["val_loss"]["mean"][0] == pytest.approx(
        sum(first) / 3, rel=1e-3)
    # Each list of numbers on one line of the file.
    text = (tmp_path / bands.BANDS_FILE).read_text()
    numbers = [line for line in text.splitlines() if '"mean"' in line or '"seeds"' in line]
    assert numbers and all(line.rstrip(",").endswith("]") for line in numbers)
    # Without seed 1 there is no reference run, and no band.
    shutil.rmtree(tmp_path / "spread" / "seed3")
    (tmp_path / "l303-example-04.json").unlink()
    assert bands.bands(tmp_path)["scripts"] == {}


def test_the_committed_bands_are_those_of_the_committed_records():
    committed_bands = json.loads((FIGURES / bands.BANDS_FILE).read_text())
    computed = json.loads(json.dumps(bands.bands(FIGURES)))
    for script, entries in committed_bands["scripts"].items():
        assert len(computed["scripts"][script]) == len(entries), script
        for made, kept in zip(computed["scripts"][script], entries):
            assert made["seeds"] == kept["seeds"] and made["settings"] == kept["settings"]
            for key, model in kept["models"].items():
                for metric in bands.METRICS:
                    if metric in model:
                        for part in ("mean", "low", "high"):
                            assert [bands.rounded(value) for value in
                                    made["models"][key][metric][part]] == model[metric][part]
    assert set(computed["scripts"]) == set(committed_bands["scripts"])


def test_a_problem_names_where_in_the_record_it_is():
    made = committed()
    histories = {**made["histories"], "none": {**made["histories"]["none"], "loss": "x"}}
    assert record.problems({**made, "histories": histories}) == [
        "histories/none/loss: 'x' is not of type 'array'"]
    # A field of the wrong kind is the schema's one problem, not a crash of the key check.
    for wrong in (None, ["none"]):
        found = record.problems({**made, "histories": wrong})
        assert len(found) == 1 and found[0].startswith("histories: "), found


def test_the_bands_file_is_one_space_indented_with_tiny_numbers_on_one_line(tmp_path):
    spread_of_04(tmp_path, (1, 2, 3))
    for seed, folder in ((1, tmp_path), (2, tmp_path / "spread" / "seed2"),
                         (3, tmp_path / "spread" / "seed3")):
        path = folder / "l303-example-04.json"
        made = json.loads(path.read_text())
        made["histories"]["plain"]["loss"] = [value / 1e6 * seed for value in
                                              made["histories"]["plain"]["loss"]]
        path.write_text(json.dumps(made))
    written = bands.write_bands(tmp_path)
    assert written["schema"] == 1
    text = (tmp_path / bands.BANDS_FILE).read_text()
    assert text.startswith('{\n "rule": ') and '\n  "l303-example-04": [' in text
    means = [line for line in text.splitlines() if '"mean"' in line]
    assert any("e-" in line for line in means)  # the tiny losses, in exponent form
    assert means and all(line.rstrip(",").endswith("]") for line in means)


def test_a_run_without_seed_1_has_no_band_however_many_other_seeds_it_has(tmp_path):
    spread_of_04(tmp_path, (2, 3, 4, 5))
    assert bands.bands(tmp_path)["scripts"] == {}
    spread_of_04(tmp_path, (1,))
    assert [entry["seeds"] for entry in bands.bands(tmp_path)["scripts"]["l303-example-04"]] == [
        [1, 2, 3, 4, 5]]
