"""The lab's logic on records alone, no script run: a record read and checked, the bands written
from the seeds' records, and compare's labels, bands and table from committed records. Fast, so
that make mutation (mutmut) runs them for every mutant."""

import json
import re
import shutil
from pathlib import Path

import pytest

import bands
import compare
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


def test_the_schema_describes_every_note_a_tool_or_figure_reads_and_checks_its_kind():
    described = record.SCHEMA["properties"]["notes"]["properties"]
    readers = [*(REPO / "tools").glob("*.py"), *(REPO / "examples").glob("l303_*.py")]
    read = {name for path in readers for name in re.findall(
        r'\["notes"\](?:\["|\.get\(")(\w+)', path.read_text())}
    assert {"tricks", "gradients", "stopped_after_epochs", "captions"} <= read  # the pattern finds
    assert read <= set(described), sorted(read - set(described))
    # Described, a note of the wrong kind is a problem, named by where it is.
    made = json.loads((FIGURES / "l303-example-04c.json").read_text())
    assert not record.problems(made)
    made["notes"]["stopped_after_epochs"] = "17"
    assert record.problems(made) == ["notes/stopped_after_epochs: '17' is not of type 'integer'"]


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


# ---------------------------------------------------------------------------------------------
# compare: the committed reference and a variant of it, as a student compares them
# ---------------------------------------------------------------------------------------------

L2_AND_L1 = [FIGURES / "l303-example-04a.json", FIGURES / "practice-01-l1" / "l303-example-04a.json"]
DROPOUTS = [FIGURES / "l303-example-04b.json", FIGURES / "student-run" / "l303-example-04b.json"]


def copied(path, folder, name, change=None):
    """PATH's record written to FOLDER/NAME, changed by CHANGE(record) first."""
    made = json.loads(Path(path).read_text())
    if change:
        change(made)
    (folder / name).write_text(json.dumps(made))
    return folder / name


@pytest.mark.parametrize("problem, words", [
    ("missing", "no such file"), ("not json", "not a result file (not JSON"),
    ("not a result", "not a result file of an l303 script (no script/histories)"),
    ("older", "a result of an older version of the suite (record schema 1): run its script again"),
    ("filed by labels", "not a result file of an l303 script (histories: 'no regularization' does "
                        "not match")])
def test_compare_reads_only_todays_records_and_names_what_is_wrong(tmp_path, problem, words):
    def by_label(made):
        made["histories"] = {made["models"][key]: value for key, value in made["histories"].items()}

    path = {"missing": lambda: tmp_path / "nowhere.json",
            "not json": lambda: REPO / "README.md",
            "not a result": lambda: copied(L2_AND_L1[0], tmp_path, "x.json", lambda made: made.pop("script")),
            "older": lambda: SCHEMA_1,
            "filed by labels": lambda: copied(L2_AND_L1[0], tmp_path, "x.json", by_label)}[problem]()
    with pytest.raises(compare.CompareError) as raised:
        compare.load_result(path)
    assert str(raised.value).startswith(f"{path}: {words}"), raised.value
    assert compare.load_result(L2_AND_L1[0]) == json.loads(L2_AND_L1[0].read_text())
    histories_not_a_mapping = copied(L2_AND_L1[0], tmp_path, "y.json",
                                     lambda made: made.update(histories=[]))
    with pytest.raises(compare.CompareError, match=r"\(no script/histories\)"):
        compare.load_result(histories_not_a_mapping)


def test_compare_takes_runs_of_one_script_and_a_folder_of_them_in_the_order_of_their_numbers(tmp_path):
    with pytest.raises(compare.CompareError, match=r"runs of 2 scripts \(l303-example-04a, "
                       r"l303-example-04b\): compare the runs of one script at a time"):
        compare.load_results([L2_AND_L1[0], DROPOUTS[0]])
    assert compare.load_results(L2_AND_L1) == [json.loads(path.read_text()) for path in L2_AND_L1]
    for name in ("lr10.json", "lr2.json", "lr0.5.json", "ann.json", "ann2.json", "notes.txt"):
        (tmp_path / name).write_text("{}")
    assert [path.name for path in compare.result_files([L2_AND_L1[0], tmp_path, DROPOUTS[0]])] \
        == ["l303-example-04a.json", "ann.json", "ann2.json", "lr0.5.json", "lr2.json",
            "lr10.json", "l303-example-04b.json"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(compare.CompareError, match="a folder with no result JSON in it"):
        compare.result_files([tmp_path / "empty"])


def test_compare_names_each_curve_by_its_model_and_what_its_run_changed(tmp_path):
    """Only the settings that differ, never one that changes no number (the seed, the folder);
    the arm neither run changed is one curve; two runs that changed the same are told apart by
    their files, and one curve where their numbers are the same."""
    results = compare.load_results(L2_AND_L1)
    assert compare.differing_settings(results) == ["regularizer=l2", "regularizer=l1"]
    assert compare.curve_names(L2_AND_L1, results) == {
        (0, "none"): "no regularization [same in every run]",
        (0, "l2"): "l2(0.01) on output weights [regularizer=l2]",
        (1, "none"): "no regularization [same in every run]",
        (1, "l1"): "l1(0.01) on output weights [regularizer=l1]"}

    def reseeded(made):
        made["settings"].update(seed=7, outdir="elsewhere")
        made["histories"]["l1"]["loss"][-1] += 0.01

    ann = copied(L2_AND_L1[1], tmp_path, "ann.json")
    bob = copied(L2_AND_L1[1], tmp_path, "bob.json", reseeded)
    paths = [L2_AND_L1[0], ann, bob]
    results = compare.load_results(paths)
    assert compare.differing_settings(results) == ["regularizer=l2", "regularizer=l1",
                                                   "regularizer=l1"]
    names = compare.curve_names(paths, results)
    assert names[1, "l1"] == "l1(0.01) on output weights [regularizer=l1] (ann.json)"
    assert names[2, "l1"] == "l1(0.01) on output weights [regularizer=l1] (bob.json)"
    assert names[0, "none"] == names[2, "none"] == "no regularization [same in every run]"
    same = [L2_AND_L1[0], ann, copied(L2_AND_L1[1], tmp_path, "cy.json")]
    names = compare.curve_names(same, compare.load_results(same))
    assert names[1, "l1"] == names[2, "l1"] == \
        "l1(0.01) on output weights [same in ann.json and cy.json]"
    assert names[0, "l2"] == "l2(0.01) on output weights [regularizer=l2]"


def test_compare_names_runs_that_changed_nothing_or_several_settings(tmp_path):
    """A run that changed nothing has no brackets; several changes are listed, comma-separated;
    a model the same in some runs only is named by what those runs changed; the same numbers
    written in another order are still the same."""
    def other_machine(made):
        made["histories"]["l1"]["loss"][-1] += 0.01

    def faster(made):
        made["settings"]["lr"] = 2.0
        made["histories"]["none"]["loss"][-1] += 0.01
        made["histories"]["l1"]["loss"][-1] += 0.01

    def reordered(made):
        made["histories"]["none"] = dict(reversed(made["histories"]["none"].items()))

    ann = copied(L2_AND_L1[1], tmp_path, "ann.json", reordered)
    bob = copied(L2_AND_L1[1], tmp_path, "bob.json", other_machine)
    names = compare.curve_names([ann, bob], compare.load_results([ann, bob]))
    assert names == {(0, "none"): "no regularization [same in every run]",
                     (0, "l1"): "l1(0.01) on output weights (ann.json)",
                     (1, "none"): "no regularization [same in every run]",
                     (1, "l1"): "l1(0.01) on output weights (bob.json)"}
    assert [name for _, name, _, _ in compare.curves([ann, bob], ["loss"])] == [
        "no regularization [same in every run]", "no regularization [same in every run]",
        "l1(0.01) on output weights (ann.json)", "l1(0.01) on output weights (ann.json)",
        "l1(0.01) on output weights (bob.json)", "l1(0.01) on output weights (bob.json)"]
    cy = copied(L2_AND_L1[1], tmp_path, "cy.json", faster)
    paths = [L2_AND_L1[0], ann, cy]
    names = compare.curve_names(paths, compare.load_results(paths))
    assert names[0, "none"] == names[1, "none"] == \
        "no regularization [same in lr=1, regularizer=l2 and lr=1, regularizer=l1]"
    assert names[2, "none"] == "no regularization [lr=2, regularizer=l1]"


def test_compare_draws_the_records_curves_training_and_validation_of_the_metrics_asked():
    results = compare.load_results(DROPOUTS)
    found = compare.curves(DROPOUTS, ["loss", "val_accuracy"], results)
    assert [(metric, name, validation) for metric, name, _, validation in found] == [
        ("loss", "no dropout [same in every run]", False),
        ("loss", "no dropout [same in every run]", True),
        ("loss", "dropout 0.2 [dropout=0.2]", False), ("loss", "dropout 0.2 [dropout=0.2]", True),
        ("accuracy", "no dropout [same in every run]", True),
        ("accuracy", "dropout 0.2 [dropout=0.2]", True),
        ("loss", "dropout 0.5 [dropout=0.5]", False), ("loss", "dropout 0.5 [dropout=0.5]", True),
        ("accuracy", "dropout 0.5 [dropout=0.5]", True)]
    histories = [result["histories"] for result in results]
    values = [values for _, _, values, _ in found]
    assert values[:6] == [histories[0]["none"]["loss"], histories[0]["none"]["val_loss"],
                          histories[0]["dropout"]["loss"], histories[0]["dropout"]["val_loss"],
                          histories[0]["none"]["val_accuracy"],
                          histories[0]["dropout"]["val_accuracy"]]
    assert values[6:] == [histories[1]["dropout"]["loss"], histories[1]["dropout"]["val_loss"],
                          histories[1]["dropout"]["val_accuracy"]]
    with pytest.raises(compare.CompareError, match=r"no 'val_precision' history \(it has: "
                       r"accuracy, loss, val_accuracy, val_loss\)"):
        compare.curves(DROPOUTS, ["val_precision"], results)


def test_compare_sets_each_model_against_the_band_of_its_own_settings(tmp_path):
    """04a's L2 model against the L2 entry, the L1 model against the L1 entry, the model both
    share once; a run at settings the bands file has none for gets none, and says so."""
    entries = json.loads((FIGURES / "bands.json").read_text())["scripts"]["l303-example-04a"]
    of = {entry["settings"]["regularizer"]: entry for entry in entries}
    found, words = compare.reference_bands(L2_AND_L1)
    assert found == {"no regularization [same in every run]": of["l2"]["models"]["none"],
                     "l2(0.01) on output weights [regularizer=l2]": of["l2"]["models"]["l2"],
                     "l1(0.01) on output weights [regularizer=l1]": of["l1"]["models"]["l1"]}
    assert of["l1"]["models"]["l1"] != of["l2"]["models"]["l2"]
    assert words == "shaded: each model's band (95% of runs, seeds 1-5)"
    found, words = compare.reference_bands(DROPOUTS)
    assert list(found) == ["no dropout [same in every run]", "dropout 0.2 [dropout=0.2]"]
    bands_file = tmp_path / "bands.json"
    bands_file.write_text(json.dumps({"scripts": {"l303-example-04b": entries}}))
    assert compare.reference_bands(L2_AND_L1, bands_file) == ({}, None)
    bands_file.write_text(json.dumps({"scripts": {"l303-example-04a": [of["l2"]]}}))
    found, _ = compare.reference_bands(L2_AND_L1, bands_file)
    assert list(found) == ["no regularization [same in every run]",
                           "l2(0.01) on output weights [regularizer=l2]"]  # no L1 band: none
    found, _ = compare.reference_bands(L2_AND_L1[1:])
    assert found == {"no regularization": of["l1"]["models"]["none"],
                     "l1(0.01) on output weights": of["l1"]["models"]["l1"]}
    ann, bob = (copied(L2_AND_L1[1], tmp_path, name, lambda made, step=step: made["histories"][
        "l1"]["loss"].append(step)) for name, step in (("ann.json", 0.1), ("bob.json", 0.2)))
    found, _ = compare.reference_bands([ann, bob])
    assert found == {"no regularization [same in every run]": of["l1"]["models"]["none"],
                     "l1(0.01) on output weights (ann.json)": of["l1"]["models"]["l1"]}
    assert compare.reference_bands(L2_AND_L1, tmp_path / "none.json") == ({}, None)


def test_compares_table_holds_what_each_record_reached():
    rows = compare.table(DROPOUTS).splitlines()
    assert rows[:2] == ["| run | changed | model | test accuracy | lowest validation loss |",
                        "|---|---|---|---|---|"]
    expected = []
    for path, changed in zip(DROPOUTS, ("dropout=0.2", "dropout=0.5")):
        made = json.loads(path.read_text())
        for key, label in made["models"].items():
            expected.append([path.name, changed, label,
                             f"{made['results'][key]['testing']['accuracy']:.4f}",
                             f"{min(made['histories'][key]['val_loss']):.4f}"])
    assert [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]] == expected


def test_compares_table_holds_each_models_test_accuracy_and_its_lowest_validation_loss():
    """The lowest validation loss is the lowest of the epochs, not the last; a model the run
    never evaluated shows its last validation accuracy and says from which epoch; one that has
    neither shows a dash; a run that changed nothing says so."""
    def result(lr, val_loss, tested):
        return {"script": "l303-example-99", "settings": {"lr": lr}, "models": {"a": "A", "b": "B"},
                "histories": {"a": {"val_loss": val_loss, "val_accuracy": [0.8, 0.9, 0.85]}},
                "results": {"a": {"testing": {"loss": 0.3, "accuracy": tested}}} if tested else {}}
    rows = compare.table(["one.json", "two.json"], [result(0.5, [0.5, 0.3, 0.4], 0.91234),
                                                    result(2.0, [0.6, None, 0.2], None)])
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows.splitlines()[2:]]
    assert cells == [["one.json", "lr=0.5", "A", "0.9123", "0.3000"],
                     ["one.json", "lr=0.5", "B", "-", "-"],
                     ["two.json", "lr=2", "A", "0.8500 (epoch 3)", "0.2000"],
                     ["two.json", "lr=2", "B", "-", "-"]]
    rows = compare.table(["one.json", "two.json"], [result(0.5, [0.5], 0.9), result(0.5, [], 0.9)])
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows.splitlines()[2:]]
    assert [row[1] for row in cells] == ["nothing"] * 4 and cells[2][4] == "-"
