"""A student's run is a first-class run (issue 45): every edit recorded and named (flags, the
script's constants, lines of its code), every trial in mine/ under its own name, --replay under a
notebook's cell. Compare's side of it: tests/test_lab_logic.py and tests/test_tools.py."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import compare
import l303_files
import l303_plots
from conftest import EXAMPLES, REPO, read_result
from runner import run_as_main

FIGURES = REPO / "figures"


def history_figure_name(record):
    """The record's history figure: the one drawn as "history"."""
    return next(name for name, drawing in record["figures"].items() if drawing["draw"] == "history")


def the_band_line(record):
    figure = l303_plots.draw_record(record, l303_plots.read_bands())[history_figure_name(record)]
    notes = [text.get_text().replace("\n", " ") for text in figure.texts
             if text.get_gid() == "band note"]
    assert len(notes) == 1, notes
    return notes[0]


def test_an_edited_copy_of_08_names_every_edit_in_its_record_its_figure_and_compare(tmp_path):
    """A copy of 08 with DROPOUT_RATE = 0.0, FILTERS = (4, 8) and a dense layer of 64, run
    --quick: the record holds both constants and the edited line; the band line names all three
    and never says "at these settings"; compare against the reference draws both runs, each named
    by what it has."""
    source = (EXAMPLES / "l303-example-08.py").read_text()
    edited = source.replace("DROPOUT_RATE = 0.5", "DROPOUT_RATE = 0.0").replace(
        "FILTERS = (16, 32)", "FILTERS = (4, 8)").replace(
        'layers.Dense(128, activation="relu")', 'layers.Dense(64, activation="relu")')
    assert edited.count("\n") == source.count("\n") and edited != source
    copy = tmp_path / "l303-example-08.py"
    copy.write_text(edited)
    assert run_as_main(copy, ["--quick", "--outdir", tmp_path / "out"]) == 0
    record = read_result(tmp_path / "out", "l303-example-08")
    assert record["settings"]["DROPOUT_RATE"] == 0.0 and record["settings"]["FILTERS"] == [4, 8]
    reference = json.loads((FIGURES / "l303-example-08.json").read_text())
    assert reference["settings"]["DROPOUT_RATE"] == 0.5
    line = source.splitlines().index('    layers.Dense(128, activation="relu"),') + 1
    assert record["code_edits"] == [f'line {line}: layers.Dense(64, activation="relu"),']
    words = the_band_line(record)
    for named in ("DROPOUT_RATE=0,", "FILTERS=4+8", f"code edited (line {line}: layers.Dense(64"):
        assert named in words, words
    assert "at these settings" not in words
    paths = [FIGURES / "l303-example-08.json", tmp_path / "out" / "l303-example-08.json"]
    names = compare.curve_names(paths, compare.load_results(paths))
    assert len(set(names.values())) == 2, names
    slides, mine = names[0, "cnn"], names[1, "cnn"]
    assert "DROPOUT_RATE=0.5" in slides and "FILTERS=16+32" in slides \
        and "the slide's code" in slides
    assert "DROPOUT_RATE=0," in mine and "FILTERS=4+8" in mine and "code edited" in mine


def test_the_slides_script_and_the_reference_differ_in_nothing():
    """The counterpart: the committed script against its committed reference run, the band line
    that says "at these settings"."""
    for script in ("l303-example-08", "l303-example-04b", "l303-example-07a"):
        reference = json.loads((FIGURES / f"{script}.json").read_text())
        lines = l303_files.code_lines(EXAMPLES / f"{script}.py")
        assert l303_files.code_edits(EXAMPLES / f"{script}.py", lines, reference) == []
        assert list(lines.values()) == reference["code_lines"], script
        assert "band: 95% of runs at these settings" in the_band_line(reference), script


def test_practice_01_trial_2_with_the_readmes_commands_keeps_each_kernel_size(tmp_path,
                                                                              monkeypatch):
    """In mine/, 08 with 3x3 kernels, then 7x7 (quick here): two figures and two records, the
    second beside the first, each figure naming its kernel size."""
    mine = tmp_path / "mine"
    monkeypatch.setattr(l303_files, "MINE", mine)
    for size in ("3", "7"):
        assert run_as_main(EXAMPLES / "l303-example-08.py", [
            "--kernel-size", size, "--rotate-test", "30", "--quick", "--outdir", mine]) == 0
    records = sorted(mine.glob("*.json"))
    assert [path.name for path in records] == [
        f"l303-example-08--epochs-2--kernel_size-{size}--quick--train_size-1000.json"
        for size in (3, 7)]
    assert sorted(mine.glob("*.png")) == [path.with_suffix(".png") for path in records]
    for path, size in zip(records, (3, 7)):
        record = json.loads(path.read_text())
        assert record["settings"]["kernel_size"] == size
        assert f"kernel_size={size}" in the_band_line(record)


def test_a_trial_of_the_slides_settings_keeps_the_scripts_name_and_others_their_own():
    """trial_stem: the script's name for the slide's settings, or outside mine/; in mine/, what
    the trial changed, its seed, an interruption, an edit."""
    reference = json.loads((FIGURES / "l303-example-04b.json").read_text())
    mine = l303_files.MINE

    def stem(change, outdir=mine):
        made = json.loads(json.dumps(reference))
        change(made)
        return l303_files.trial_stem(made, outdir)

    assert stem(lambda made: None) == "l303-example-04b"
    assert stem(lambda made: made["settings"].update(dropout=0.5)) \
        == "l303-example-04b--dropout-0.5"
    assert stem(lambda made: made["settings"].update(dropout=0.5), FIGURES / "student-run") \
        == "l303-example-04b"
    assert stem(lambda made: made.update(seed=2)) == "l303-example-04b--seed-2"
    assert stem(lambda made: made.update(interrupted=True)) \
        == "l303-example-04b--stopped-at-epoch-100"
    edited = stem(lambda made: made.update(code_edits=["line 3: x"], code_lines=["0" * 12]))
    assert edited.startswith("l303-example-04b--edited-") and len(edited) == len(
        "l303-example-04b--edited-") + 6


def test_replay_in_a_notebook_draws_the_reference_under_the_cell(tmp_path):
    """`%run <script> --replay` in a notebook executed by jupytext --execute: the figure is under
    the cell, and no error."""
    jupytext = Path(sys.executable).parent / "jupytext"
    if not jupytext.exists():
        pytest.skip("jupytext is not installed (make setup installs it)")
    import nbformat

    notebook = tmp_path / "replay.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"%run {EXAMPLES / 'l303-example-04a.py'} --replay")], metadata={"kernelspec": {
            "name": "python3", "display_name": "Python 3", "language": "python"}}), notebook)
    completed = subprocess.run([jupytext, "--execute", notebook], cwd=REPO, capture_output=True,
                               text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    (cell,) = nbformat.read(notebook, as_version=4).cells
    assert [output.get("data", {}).get("image/png") is not None for output in cell.outputs
            if output.output_type != "stream"] == [True], cell.outputs
    assert not [output for output in cell.outputs if output.output_type == "error"
                or output.get("name") == "stderr"], cell.outputs
