"""The lab's logic on records alone, no script run: a record read and checked, the bands written
from the seeds' records, and compare's labels, bands and table from committed records. Fast, so
that make mutation (mutmut) runs them for every mutant."""

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

import bands
import compare
import record
from conftest import LECTURE
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


@pytest.mark.parametrize("script, note, change, problem", [
    ("07a", ("gradients", "relu"), lambda moments: moments.update(final=moments.pop("trained")),
     "notes/gradients/relu: 'final' is not one of ['initial', 'trained']"),
    ("07a", ("gradients", "relu", "initial"), lambda layers: layers.pop("bias"),
     "notes/gradients/relu/initial: 'bias' is a required property"),
    ("04", ("overtraining", "plain"), lambda numbers: numbers.pop("best_validation_epoch"),
     "notes/overtraining/plain: 'best_validation_epoch' is a required property"),
    ("04a", ("output_weights", "l2"), lambda numbers: numbers.pop("mean_abs"),
     "notes/output_weights/l2: 'mean_abs' is a required property"),
    ("01a", ("tricks",), lambda numbers: numbers.pop("misclassified_by_both"),
     "notes/tricks: 'misclassified_by_both' is a required property"),
    ("02a", ("epochs_to_halve",), lambda epochs: epochs.update(same=0),
     "notes/epochs_to_halve/same: 0 is less than the minimum of 1"),
], ids=["07a moment renamed", "07a bias left out", "04 best epoch left out",
        "04a mean left out", "01a both left out", "02a epoch 0"])
def test_the_schema_names_the_keys_inside_the_notes_that_the_tools_read(script, note, change,
                                                                       problem):
    """A note's inner keys, as claims.py and the figures read them (07a's moments and their
    layers' numbers, the overtraining numbers of each model, ...): a committed record has them
    all; one renamed or left out is a problem, named where it is."""
    made = json.loads((FIGURES / f"l303-example-{script}.json").read_text())
    assert not record.problems(made)
    inner = made["notes"]
    for key in note:
        inner = inner[key]
    change(inner)
    assert record.problems(made) == [problem]


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
    assert bands.band_of([], "loss") is None


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


@pytest.mark.parametrize("unfair_epochs", [2, 3])
def test_a_band_is_the_seeds_range_once_its_interval_oversteps_at_three_epochs(unfair_epochs):
    """An accuracy of 0.97, 0.99 and 1.0 over three seeds: its 95% interval reaches 1.06, past
    what an accuracy can be by more than half the seeds' spread; at 2 such epochs the band stays
    the interval, at 3 it is the seeds' range at every epoch, and says so."""
    unfair, fair = [0.97, 0.99, 1.0], [0.5, 0.52, 0.54]
    curves = [[top] * unfair_epochs + [middle] * 4 for top, middle in zip(unfair, fair)]
    band = bands.band_of(curves, "val_accuracy")
    if unfair_epochs < bands.UNFAIR_EPOCHS:
        assert "range" not in band and band["high"][0] == pytest.approx(1.063)
    else:
        assert band["range"] is True
        assert (band["low"], band["high"]) == ([0.97] * 3 + [0.5] * 4, [1.0] * 3 + [0.54] * 4)
    assert bands.band_of(curves, "loss").get("range") is None  # a loss can be 1.06


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


def test_compare_takes_runs_of_several_scripts_and_a_folder_with_its_subfolders(tmp_path):
    """Runs of 04a and 04b together; a folder stands for every run record in it and below, in
    natural order, its other JSON files (bands.json, report-run.json) left out."""
    assert compare.load_results([L2_AND_L1[0], DROPOUTS[0]]) == [
        json.loads(path.read_text()) for path in (L2_AND_L1[0], DROPOUTS[0])]
    run = L2_AND_L1[0].read_text()
    for name in ("lr10.json", "lr2.json", "lr0.5.json", "ann.json", "bob/lr2.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(run)
    for name in ("bands.json", "report-run.json", "notes.txt"):
        (tmp_path / name).write_text('{"scripts": {}}')
    assert [str(path.relative_to(tmp_path)) if path.is_relative_to(tmp_path) else path.name
            for path in compare.result_files([L2_AND_L1[0], tmp_path, DROPOUTS[0]])] \
        == ["l303-example-04a.json", "ann.json", "bob/lr2.json", "lr0.5.json", "lr2.json",
            "lr10.json", "l303-example-04b.json"]
    (tmp_path / "empty" / "below").mkdir(parents=True)
    (tmp_path / "empty" / "bands.json").write_text("{}")
    with pytest.raises(compare.CompareError, match="a folder with no run record"):
        compare.result_files([tmp_path / "empty"])


def test_compare_names_each_run_by_what_sets_it_apart_and_never_merges_two(tmp_path):
    """Every model of every run its own curve, even one whose numbers another run has too: named
    by the settings in which the runs of its script differ (never one that changes no number:
    the folder), by its seed where seeds differ, and by its path where nothing else tells two
    runs apart."""
    results = compare.load_results(L2_AND_L1)
    assert compare.curve_names(L2_AND_L1, results) == {
        (0, "none"): "no regularization [regularizer=l2]",
        (0, "l2"): "l2(0.01) on output weights [regularizer=l2]",
        (1, "none"): "no regularization [regularizer=l1]",
        (1, "l1"): "l1(0.01) on output weights [regularizer=l1]"}
    assert len(compare.curves(L2_AND_L1, ["loss"], results)) == 8  # 4 curves, loss and val_loss

    def reseeded(made):
        made["settings"].update(seed=7, outdir="elsewhere")
        made["seed"] = 7

    ann = copied(L2_AND_L1[1], tmp_path, "ann.json")
    bob = copied(L2_AND_L1[1], tmp_path, "bob.json", reseeded)
    cy = copied(L2_AND_L1[1], tmp_path, "cy.json")
    paths = [L2_AND_L1[0], ann, bob, cy]
    names = compare.curve_names(paths, compare.load_results(paths))
    assert names[0, "l2"] == "l2(0.01) on output weights [regularizer=l2, seed 1]"
    assert names[2, "l1"] == "l1(0.01) on output weights [regularizer=l1, seed 7]"
    assert names[1, "l1"] == f"l1(0.01) on output weights [regularizer=l1, seed 1, {ann}]"
    assert names[3, "l1"] == f"l1(0.01) on output weights [regularizer=l1, seed 1, {cy}]"
    assert len(set(names.values())) == len(names) == 8
    alike = [ann, cy]
    assert compare.run_names(alike, compare.load_results(alike)) == [str(ann), str(cy)]


def test_compare_names_an_interruption_an_edit_and_the_script_among_several(tmp_path):
    """A copy cut to 31 epochs and marked interrupted says so; an edited constant and an edited
    line are named; runs of several scripts are named by their script first."""
    def cut(made):
        made["interrupted"] = True
        for history in made["histories"].values():
            for metric in history:
                del history[metric][31:]

    def edited(made):
        made["settings"]["DROPOUT_RATE"] = 0.0
        made["code_lines"] = made["code_lines"][:-1] + ["0" * 12]
        made["code_edits"] = ["line 60: run.save()"]

    reference = FIGURES / "l303-example-04.json"
    stopped = copied(reference, tmp_path, "stopped.json", cut)
    paths = [reference, stopped]
    results = compare.load_results(paths)
    assert compare.run_names(paths, results) == ["all 100 epochs", "stopped at epoch 31 of 100"]
    cells = [[cell.strip() for cell in row.strip("|").split("|")]
             for row in compare.table(paths, results).splitlines()[2:]]
    assert [row[:2] for row in cells] == [["all 100 epochs", "10000 training images"],
                                          ["stopped at epoch 31 of 100", "10000 training images"]]
    assert [row[-1] for row in cells] == [str(reference), str(stopped)]
    assert [name for _, name, _, _ in compare.curves(paths, ["loss"], results)] == [
        "10000 training images [all 100 epochs]"] * 2 + [
        "10000 training images [stopped at epoch 31 of 100]"] * 2
    mine = copied(FIGURES / "l303-example-07.json", tmp_path, "mine.json", edited)
    paths = [FIGURES / "l303-example-07.json", mine, L2_AND_L1[0]]
    assert compare.run_names(paths, compare.load_results(paths)) == [
        "07, DROPOUT_RATE=0.2, the slide's code", "07, DROPOUT_RATE=0, code edited (line 60: "
        "run.save())", "04a"]


def test_compare_names_what_no_committed_pair_of_runs_has(tmp_path):
    """A run alone: its curves are its models' labels; a flag and a constant changed: the flag
    first; two edited lines; a run stopped under --epochs 50, and one whose script has no epochs;
    a slide's run before its trials in a folder; a --quick run (no band) before one with bands;
    a table with a rotated column where one run has none; records read when not given."""
    reference = FIGURES / "l303-example-08.json"
    alone = compare.curve_names([reference], compare.load_results([reference]))
    assert alone == {(0, "cnn"): json.loads(reference.read_text())["models"]["cnn"]}

    def trial(made):
        made["settings"].update(kernel_size=3, DROPOUT_RATE=0.0)
        made["code_lines"] = made["code_lines"][:-2] + ["0" * 12, "1" * 12]
        made["code_edits"] = ["line 60: a()", "line 61: b()"]

    def stopped(made, epochs=50):
        made.update(interrupted=True)
        made["settings"]["epochs"] = epochs
        for history in made["histories"].values():
            for metric in history:
                del history[metric][3:]

    folder = tmp_path / "runs"
    folder.mkdir()
    paths = [copied(reference, folder, "l303-example-08--kernel_size-3.json", trial),
             copied(reference, folder, "l303-example-08.json")]
    assert [path.name for path in compare.result_files([folder])] == [
        "l303-example-08.json", "l303-example-08--kernel_size-3.json"]
    assert compare.run_names(paths, compare.load_results(paths))[0] == (
        "kernel_size=3, DROPOUT_RATE=0, code edited (line 60: a(); line 61: b())")
    four = FIGURES / "l303-example-04.json"
    for epochs, words in ((50, "stopped at epoch 3 of 50"), (None, "stopped at epoch 3")):
        cut = copied(four, tmp_path, f"cut-{epochs}.json",
                     lambda made, epochs=epochs: stopped(made, epochs))
        assert compare.run_names([four, cut], compare.load_results([four, cut]))[1].endswith(
            words), epochs
    quick = copied(four, tmp_path, "quick.json", lambda made: made["settings"].update(quick=True))
    found, _ = compare.reference_bands([quick, four])
    assert list(found) == ["10000 training images [no quick]"]  # the second run's
    assert compare.curves(paths, ["loss"]) == compare.curves(paths, ["loss"],
                                                             compare.load_results(paths))
    rows = compare.table([reference, four]).splitlines()
    assert rows[:2] == ["| run | model | test accuracy | rotated test accuracy | lowest validation "
                        "loss | file |", "|---|---|---|---|---|---|"]
    assert rows[-1].split("|")[4] == " - "


def test_compare_draws_the_records_curves_training_and_validation_of_the_metrics_asked():
    results = compare.load_results(DROPOUTS)
    found = compare.curves(DROPOUTS, ["loss", "val_accuracy"], results)
    assert [(metric, name, validation) for metric, name, _, validation in found] == [
        ("loss", "no dropout [dropout=0.2]", False), ("loss", "no dropout [dropout=0.2]", True),
        ("loss", "dropout 0.2 [dropout=0.2]", False), ("loss", "dropout 0.2 [dropout=0.2]", True),
        ("accuracy", "no dropout [dropout=0.2]", True),
        ("accuracy", "dropout 0.2 [dropout=0.2]", True),
        ("loss", "no dropout [dropout=0.5]", False), ("loss", "no dropout [dropout=0.5]", True),
        ("loss", "dropout 0.5 [dropout=0.5]", False), ("loss", "dropout 0.5 [dropout=0.5]", True),
        ("accuracy", "no dropout [dropout=0.5]", True),
        ("accuracy", "dropout 0.5 [dropout=0.5]", True)]
    histories = [result["histories"] for result in results]
    values = [values for _, _, values, _ in found]
    assert values == [histories[run][model][metric] for run in (0, 1)
                      for model, metric in (("none", "loss"), ("none", "val_loss"),
                                            ("dropout", "loss"), ("dropout", "val_loss"),
                                            ("none", "val_accuracy"), ("dropout", "val_accuracy"))]
    with pytest.raises(compare.CompareError, match=r"no 'val_precision' history \(it has: "
                       r"accuracy, loss, val_accuracy, val_loss\)"):
        compare.curves(DROPOUTS, ["val_precision"], results)


def test_compare_sets_each_model_against_the_band_of_its_own_settings(tmp_path):
    """04a's L2 model against the L2 entry, the L1 model against the L1 entry; a band drawn once,
    behind the first curve of its model and entry; a run at settings the bands file has none for
    gets none, and says so."""
    entries = json.loads((FIGURES / "bands.json").read_text())["scripts"]["l303-example-04a"]
    of = {entry["settings"]["regularizer"]: entry for entry in entries}
    found, words = compare.reference_bands(L2_AND_L1)
    assert found == {"no regularization [regularizer=l2]": of["l2"]["models"]["none"],
                     "l2(0.01) on output weights [regularizer=l2]": of["l2"]["models"]["l2"],
                     "no regularization [regularizer=l1]": of["l1"]["models"]["none"],
                     "l1(0.01) on output weights [regularizer=l1]": of["l1"]["models"]["l1"]}
    assert of["l1"]["models"]["l1"] != of["l2"]["models"]["l2"]
    assert words == "shaded: each model's band (95% of runs, seeds 1-5)"
    bands_file = tmp_path / "bands.json"
    bands_file.write_text(json.dumps({"scripts": {"l303-example-04b": entries}}))
    assert compare.reference_bands(L2_AND_L1, bands_file) == ({}, None)
    bands_file.write_text(json.dumps({"scripts": {"l303-example-04a": [of["l2"]]}}))
    found, _ = compare.reference_bands(L2_AND_L1, bands_file)  # the L1 run against the L2 band
    assert list(found) == ["no regularization [regularizer=l2]",
                           "l2(0.01) on output weights [regularizer=l2]"]
    ann, bob = (copied(L2_AND_L1[1], tmp_path, name, lambda made, step=step: made["histories"][
        "l1"]["loss"].append(step)) for name, step in (("ann.json", 0.1), ("bob.json", 0.2)))
    found, _ = compare.reference_bands([ann, bob])
    assert found == {f"no regularization [{ann}]": of["l1"]["models"]["none"],
                     f"l1(0.01) on output weights [{ann}]": of["l1"]["models"]["l1"]}
    assert compare.reference_bands(L2_AND_L1, tmp_path / "none.json") == ({}, None)


def test_compares_table_holds_what_each_record_reached():
    rows = compare.table(DROPOUTS).splitlines()
    assert rows[:2] == ["| run | model | test accuracy | lowest validation loss | file |",
                        "|---|---|---|---|---|"]
    expected = []
    for path, changed in zip(DROPOUTS, ("dropout=0.2", "dropout=0.5")):
        made = json.loads(path.read_text())
        for key, label in made["models"].items():
            expected.append([changed, label, f"{made['results'][key]['testing']['accuracy']:.4f}",
                             f"{min(made['histories'][key]['val_loss']):.4f}", str(path)])
    assert [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]] == expected


def test_compares_table_has_the_rotated_test_accuracy_where_a_run_has_one():
    """Practice 02: 08 against 08a, each with its accuracy on the test digits rotated."""
    paths = [FIGURES / "l303-example-08.json", FIGURES / "l303-example-08a.json"]
    results = compare.load_results(paths)
    rows = compare.table(paths, results).splitlines()
    assert "rotated test accuracy" in rows[0]
    for row, result in zip(rows[2:], results):
        (key,) = result["models"]
        rotated = result["results"][key]["testing_rotated"]["accuracy"]
        assert row.split("|")[4].strip() == f"{rotated:.4f} (within +-30 degrees)", row
    assert compare.rotated_marks(paths, results) == {
        name: results[index]["results"][model]["testing_rotated"]["accuracy"]
        for (index, model), name in compare.curve_names(paths, results).items()}


def test_compares_table_holds_each_models_test_accuracy_and_its_lowest_validation_loss():
    """The lowest validation loss is the lowest of the epochs, not the last; a model the run
    never evaluated shows its last validation accuracy and says from which epoch; one that has
    neither shows a dash; runs that differ in nothing are named by their files, a run alone says
    so."""
    def result(lr, val_loss, tested):
        return {"script": "l303-example-99", "settings": {"lr": lr}, "models": {"a": "A", "b": "B"},
                "histories": {"a": {"val_loss": val_loss, "val_accuracy": [0.8, 0.9, 0.85]}},
                "results": {"a": {"testing": {"loss": 0.3, "accuracy": tested}}} if tested else {}}
    rows = compare.table(["one.json", "two.json"], [result(0.5, [0.5, 0.3, 0.4], 0.91234),
                                                    result(2.0, [0.6, None, 0.2], None)])
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows.splitlines()[2:]]
    assert cells == [["lr=0.5", "A", "0.9123", "0.3000", "one.json"],
                     ["lr=0.5", "B", "-", "-", "one.json"],
                     ["lr=2", "A", "0.8500 (epoch 3)", "0.2000", "two.json"],
                     ["lr=2", "B", "-", "-", "two.json"]]
    rows = compare.table(["one.json", "two.json"], [result(0.5, [0.5], 0.9), result(0.5, [], 0.9)])
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows.splitlines()[2:]]
    assert [row[0] for row in cells] == ["one.json"] * 2 + ["two.json"] * 2 and cells[2][3] == "-"
    rows = compare.table(["one.json"], [result(0.5, [0.5], 0.9)])
    assert [row.split("|")[1].strip() for row in rows.splitlines()[2:]] == ["the only run"] * 2


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def place_in_the_lecture(title, lines):
    """The line of the lecture where a gallery heading's slide is: the slide's title as its lines
    begin, its N-th occurrence for a numeral N, "(III)" (or the first of "(I, II, IV)")."""
    base = re.split(r" \(|; ", title)[0]
    numeral = re.match(r"[^(]*\(([IVX]+)\b", title)
    occurrences = [number for number, line in enumerate(lines) if line.startswith(base)]
    assert occurrences, title
    return occurrences[min(ROMAN[numeral.group(1)] if numeral else 1, len(occurrences)) - 1]


def test_the_gallery_follows_the_lectures_slide_order():
    """Each script's entry and each picture where its slide is in the lecture (a variant follows
    its script): a picture put after the run of a later slide, or a script out of order, fails."""
    import results
    from runs import all_seed_runs

    if not LECTURE.is_file():
        pytest.skip(f"the lecture's text is not here ({LECTURE}): a clone without ../shared")
    lines = LECTURE.read_text().splitlines()
    seeds = all_seed_runs(FIGURES)
    gallery = results.gallery_markdown(results.gallery_entries(seeds, *results.judge_all(seeds)))
    headings = [re.match(r"## (.*) — `([^`]*)`", line).groups()
                for line in gallery.splitlines() if line.startswith("## ")]
    places = [place_in_the_lecture(title, lines) for title, command in headings
              if " " not in command]  # a variant's command has its flags
    assert len(places) >= 25 and places == sorted(places), places
    assert place_in_the_lecture("REGULARIZATION (II)", lines) < place_in_the_lecture(
        "REGULARIZATION (III)", lines)


def test_every_band_is_made_over_every_seed_that_has_its_run():
    """bands.json's seeds for a script are all the seeds whose records hold its run: 20 for the
    printed-number scripts, 5 for the others."""
    import runs

    entries = bands.bands(FIGURES)["scripts"]  # as make figures makes them
    for script in ("l303-example-01", "l303-example-04b", "l303-example-07"):
        having = [seed for seed in runs.PRINTED_SEEDS
                  if (FIGURES / ("" if seed == 1 else f"spread/seed{seed}") / f"{script}.json")
                  .is_file()]
        assert entries[script][0]["seeds"] == having, script
    assert len(entries["l303-example-01"][0]["seeds"]) == 20
    assert len(entries["l303-example-04b"][0]["seeds"]) == 5


VERDICT_WORDS = ("**holds**", "**within noise**", "**does not hold**", "**reproduced**",
                 "**not reproduced**", "is not judged yet")


def sentences_of(text, under=None):
    """The bullet lines of a Markdown text (those below the heading UNDER, to the next)."""
    if under:
        text = text.split(under, 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def test_every_verdict_is_a_sentence_with_the_claim_its_unit_and_the_seeds():
    """The gallery and RESULTS.md's summary: one sentence per claim and printed number, with the
    slide's words or the number's name, the seeds and a verdict; counts as integers; 01's test
    accuracy says it is not reproduced and what was checked."""
    gallery = (FIGURES / "README.md").read_text()
    summary = sentences_of((FIGURES / "RESULTS.md").read_text(), "## In short")
    import claims

    assert len(summary) == len(claims.COMPARISONS) + len(claims.PRINTED)
    for sentence in summary + [line for line in sentences_of(gallery)
                               if any(word in line for word in VERDICT_WORDS)]:
        assert any(word in sentence for word in VERDICT_WORDS), sentence
        assert re.search(r"over \d+ seeds", sentence) or "not judged" in sentence, sentence
        assert not re.search(r"\(\d+ of \d+ seeds; seed 1:", sentence), sentence  # the bare form
        assert not re.search(r"\b[1-9]\d*\.0{3,}\b", sentence), sentence  # a count as 85.0000
    for claim in claims.COMPARISONS:
        assert sum(f'"{claim.words}"' in sentence for sentence in summary) >= 1, claim.name
    test_accuracy_01 = next(sentence for sentence in sentences_of(gallery)
                            if sentence.startswith("`l303-example-01`'s test accuracy"))
    assert "**not reproduced**" in test_accuracy_01 and "what we checked" in test_accuracy_01
    assert "21 epochs" in next(sentence for sentence in summary if "stopping epoch" in sentence)


def test_the_reports_words_are_what_the_committed_records_say():
    """RESULTS.md, the gallery and seeds.csv written from the committed records are the committed
    files, byte for byte; without drawing a figure (tests/test_make_figures.py draws them too),
    so that make mutation can afford it for every change to the writer."""
    import results
    from runs import all_seed_runs

    seeds = all_seed_runs(FIGURES)
    comparisons, printed = results.judge_all(seeds)
    entries = results.gallery_entries(seeds, comparisons, printed)
    assert results.gallery_markdown(entries) == (FIGURES / "README.md").read_text()
    assert results.seeds_csv(comparisons, printed, seeds) == (FIGURES / "seeds.csv").read_text()
    assert results.results_markdown(FIGURES, seeds, comparisons, printed, entries) == \
        (FIGURES / "RESULTS.md").read_text()


def test_the_reports_words_where_the_committed_records_have_no_such_case(tmp_path):
    """What RESULTS.md and the gallery say where the reference has no instance: no stale result,
    one, several; no timed spread, one sitting, two with one stopped, one not alone; two
    machines; a claim of one seed; a number without seed 1 or outside its interval with and
    without what was checked; another measure of one seed; a run without words."""
    import claims
    import results
    import verdicts
    from runs import SPREAD_RUN_RECORD

    assert results.stale_words([]) == " Every result was made by today's code."
    assert "**1 result was made by older code**" in results.stale_words(["04c seed 2"])
    assert results.stale_words(["04c seed 2", "05 seed 3"]).endswith(
        "**2 results were made by older code** (run `make report` and `make spread`): "
        "04c seed 2, 05 seed 3.")
    assert results.spread_run_words(tmp_path) == "No `make spread` has been timed here."
    sitting = {"runs_made": 80, "wall_seconds": 1800.0, "processes": 2, "finished": "2026-12-01"}
    (tmp_path / SPREAD_RUN_RECORD).write_text(json.dumps({"runs": [sitting]}))
    assert results.spread_run_words(tmp_path) == (
        "`make spread` made its 80 runs in **30 minutes** (1 sitting, 2 processes side by side, "
        "last 2026-12-01).")
    (tmp_path / SPREAD_RUN_RECORD).write_text(json.dumps({"runs": [
        {**sitting, "interrupted": True}, sitting, {**sitting, "beside": "make test"}]}))
    assert results.spread_run_words(tmp_path) == (
        "`make spread` made its 240 runs in **90 minutes** (3 sittings, 1 ended by Ctrl-C, 2 "
        "processes side by side, last 2026-12-01; not alone: make test, so an upper bound).")
    (tmp_path / SPREAD_RUN_RECORD).write_text(json.dumps({"runs": [sitting, sitting]}))
    assert "(2 sittings, 2 processes" in results.spread_run_words(tmp_path)
    one = {"versions": {"keras": "3.15.1"}, "backend": "jax", "seed": 1, "machine": "AMD, 2 cores"}
    assert results.machine_line({"01": one, "02": dict(one, machine="Intel, 2 cores"), "02a": one,
                                 "03": {key: value for key, value in one.items()
                                        if key != "machine"}}) == (
        "AMD, 2 cores for 01, 02a; Intel, 2 cores for 02; unknown for 03; backend jax; "
        "keras 3.15.1; seed 1")
    assert results.number_text(None, 3) == results.number_text(float("nan"), 3) == "n/a"
    claim = claims.CLAIMS["04b"]
    alone = verdicts.judge_comparison(claim, [0.02])
    assert results.claim_sentence(claim, {3: 0.02}, alone, {}) == (
        f"{claim.slide}: \"{claim.words}\" is not judged yet: 1 seed (run `make spread`).")
    assert results.verdict_words(claim, alone) == "not judged: 1 seed (run `make spread`)"
    assert f"| {claim.measure} | above 0 | - | not judged" in results.comparison_table(
        {name: ({}, alone) for name in claims.CLAIMS})
    number = next(number for number in claims.PRINTED if number.unit == "")
    values = {2: number.slide + 1, 3: number.slide + 1.1, 4: number.slide + 1.2}
    verdict = verdicts.judge_printed(number, values.values())
    sentence = results.printed_sentence(number, values, verdict)
    assert "; ours n/a at seed 1, " in sentence and sentence.endswith(
        "**not reproduced**" + (f"; {number.checked}." if number.checked else "."))
    count = dataclasses.replace(number, unit="epochs", slide=21.0)
    assert "the slide printed 21 epochs; ours n/a epochs at seed 1, " in results.printed_sentence(
        count, values, verdict)
    unchecked = dataclasses.replace(number, checked="")
    assert results.printed_sentence(unchecked, values, verdict).endswith("**not reproduced**.")
    checked = dataclasses.replace(number, checked="the network is the slide's")
    assert results.printed_sentence(checked, values, verdict).endswith(
        "**not reproduced**; the network is the slide's.")
    entry = results.Entry("02", "run", "A SLIDE", "`l303-example-02`", "", 1.0, ("f.png",))
    assert results.gallery_markdown([entry]).endswith(
        "## A SLIDE — `l303-example-02`\n\n\n![A SLIDE](f.png)\n")
    from runs import all_seed_runs

    reference = all_seed_runs(FIGURES)[1]
    table = results.other_measures_table({1: reference})  # one seed: no spread to give
    assert "| n/a ± n/a | " in table and table.count("\n") >= 3
    assert "n/a" not in results.other_measures_table({1: reference, 2: reference})
    stale = {1: {**reference, "04c": {**reference["04c"], "code_sha256": "0" * 64}}}
    assert "**1 result was made by older code** (run `make report` and `make spread`): 04c " \
        "seed 1." in results.results_markdown(tmp_path, stale, *results.judge_all(stale),
                                    results.gallery_entries(stale, *results.judge_all(stale)))
    without_02 = {1: {name: run for name, run in reference.items() if name != "02"}}
    runs = [entry.run for entry in results.gallery_entries(without_02, *results.judge_all(
        without_02))]
    assert "02" not in runs and {"02a", "03", "08a", "pictures"} <= set(runs) and None not in runs
