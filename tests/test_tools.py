"""The classroom tools: comparing runs, and the reproduction report's resume and consistency."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import matplotlib.colors

from conftest import (REPO, band_polygons, folder_for_a_shared_run, run_and_read,
                      run_in_this_process)

import compare
import l303_plots
import report
import results
import runner
import runs
import l303_files

FIGURES = REPO / "figures"


def run_tool(*args):
    return subprocess.run([sys.executable, *map(str, args)], cwd=REPO, capture_output=True,
                          text=True)


@pytest.fixture(scope="module")
def two_runs_of_06(tmp_path_factory):
    folder = folder_for_a_shared_run(tmp_path_factory, "two runs of 06")
    run_in_this_process("l303-example-06", "--quick", "--outdir", folder / "slide")
    run_in_this_process("l303-example-06", "--quick", "--lr", "0.5", "--outdir", folder / "student")
    return folder / "slide" / "l303-example-06.json", folder / "student" / "l303-example-06.json"


@pytest.mark.xdist_group("two runs of 06")
def test_compare_overlays_two_runs_labelled_by_the_setting_that_differs(two_runs_of_06, tmp_path):
    found = compare.curves(list(two_runs_of_06), ["loss", "accuracy"])
    names = {name for _, name, _, _ in found}
    # Only what differs between the two runs (not the script: both are 06's).
    assert names == {"SGD lr=0.5 [learning_rates=0.5]", "SGD lr=0.2 [learning_rates=0.2+2+20]",
                     "SGD lr=2 [learning_rates=0.2+2+20]", "SGD lr=20 [learning_rates=0.2+2+20]"}
    output = tmp_path / "compare.png"
    completed = run_tool("tools/compare.py", *two_runs_of_06, "--output", output)
    assert completed.returncode == 0, completed.stderr
    assert output.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.xdist_group("two runs of 06")
def test_compare_of_the_reference_and_a_folder_of_runs_reads_at_a_glance(two_runs_of_06, tmp_path):
    """The README's pattern, the reference against a student's quick run, and a class's folder:
    labels name what differs and never the settings that change no number; the legend sits under
    the panels, which keep the width of a single run's."""
    reference = FIGURES / "l303-example-06.json"
    found = compare.curves([reference, two_runs_of_06[1]], ["loss", "accuracy"])
    names = sorted({name for _, name, _, _ in found})
    assert "SGD lr=0.5 [epochs=2, learning_rates=0.5, quick, train_size=1000]" in names
    assert not any(word in name for name in names
                   for word in ("tensorboard", "show", "outdir", "seed", "steps_per_execution"))
    class_folder = tmp_path / "class"
    class_folder.mkdir()
    for index, path in enumerate(two_runs_of_06):
        (class_folder / f"student{index}.json").write_bytes(path.read_bytes())
    assert compare.result_files([class_folder]) == sorted(class_folder.glob("*.json"))
    figure = compare.plot(compare.curves(compare.result_files([class_folder]),
                                         ["loss", "accuracy"]), "a class")
    panel_width = figure.axes[0].get_position().width * figure.get_figwidth()
    assert panel_width > 0.6 * figure.get_figwidth(), panel_width
    assert not figure.axes[0].get_legend() and len(figure.legends) == 1
    # The reference against a quick run, labels with four settings: the legend fits the figure.
    figure = compare.plot(found, "the reference and mine")
    figure.canvas.draw()
    legend = figure.legends[0].get_window_extent()
    assert 0 <= legend.x0 and legend.x1 <= figure.bbox.width and 0 <= legend.y0, legend
    # The table: a row per run and model, what it changed and the test accuracy it reached.
    rows = compare.table(compare.result_files([class_folder])).splitlines()[2:]
    runs_read = [json.loads(path.read_text()) for path in sorted(class_folder.glob("*.json"))]
    expected = [(f"student{index}.json", result["models"][model],
                 f"{result['results'][model]['testing']['accuracy']:.4f}")
                for index, result in enumerate(runs_read) for model in result["models"]]
    assert len(rows) == len(expected)
    for row, (name, label, accuracy) in zip(rows, expected):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[-1].endswith(name) and cells[1] == label and cells[2] == accuracy, row
        assert cells[0].startswith("learning_rates="), row  # the one setting the two runs differ in


@pytest.mark.xdist_group("two runs of 06")
def test_compare_draws_each_models_reference_band_behind_its_first_curve(two_runs_of_06):
    """The README's pattern, the reference against a student's run: each model's band (the
    slide's settings, figures/bands.json) in the colour of that model's first curve, where the
    file says, and the figure says what is shaded; lr=20's runs part ways, so its band is their
    range, and the line says so; the student's quick lr=0.5 gets none (other data)."""
    paths = [FIGURES / "l303-example-06.json", two_runs_of_06[1]]
    found = compare.curves(paths, ["loss", "accuracy"])
    figure = compare.plot(found, "the reference and mine")
    bands, words = compare.reference_bands(paths)
    slide = json.loads((FIGURES / "bands.json").read_text())["scripts"]["l303-example-06"][0]
    labels = {name: name.split(" [")[0] for name in bands}
    assert sorted(labels.values()) == ["SGD lr=0.2", "SGD lr=2", "SGD lr=20"]
    drawn, note = l303_plots.draw_bands(figure, bands, words)
    ranges = [label for label in ("SGD lr=0.2", "SGD lr=2", "SGD lr=20")
              if slide["models"][next(key for key, model in slide["models"].items()
                                      if model["label"] == label)]["loss"].get("range")]
    assert ranges == ["SGD lr=20"]
    assert drawn == 3 * 4 and note == words + "; for " + next(
        name for name, label in labels.items() if label == "SGD lr=20") + \
        " the band is the seeds' range: they part ways (a 95% interval would reach past what " \
        "the metric can be)"
    polygons = band_polygons(figure)
    curve_order = list(dict.fromkeys(name for _, name, _, _ in found))
    for name, label in labels.items():
        key = next(key for key, model in slide["models"].items() if model["label"] == label)
        for metric in ("loss", "val_loss", "accuracy", "val_accuracy"):
            epochs, lows, highs = polygons[f"band {name} {metric}"]
            bounds = (0, 1 if metric.endswith("accuracy") else None)
            assert lows == pytest.approx(np.clip(slide["models"][key][metric]["low"], *bounds),
                                         abs=1e-6)
            assert highs == pytest.approx(np.clip(slide["models"][key][metric]["high"], *bounds),
                                          abs=1e-6)
    for axis in figure.axes:
        for collection in axis.collections:
            name = collection.get_gid().removeprefix("band ").rsplit(" ", 1)[0]
            colour = f"C{curve_order.index(name)}"
            assert matplotlib.colors.same_color(collection.get_facecolor()[0][:3], colour)
    assert "seeds 1-5" in words and note in [text.get_text().replace("\n", " ")
                                             for text in figure.texts]
    compare.without_settings(figure)  # as compare.main writes it: the label, not the settings
    assert any(text.get_text().startswith(words + "; for SGD lr=20 the band is the seeds' range")
               for text in figure.texts)


@pytest.mark.xdist_group("two runs of 06")
def test_compare_tells_apart_two_runs_that_changed_the_same_setting(two_runs_of_06, tmp_path):
    """Two students who ran one command, in their own folders of a class's: their curves stay
    two, named by their paths, even where their numbers are the same to the last digit; the arm
    a student did not change against the reference is two curves too (figures/student-run)."""
    class_folder = tmp_path / "class"
    for student in ("ann", "bob"):
        (class_folder / student).mkdir(parents=True)
        (class_folder / student / "l303-example-06.json").write_bytes(
            two_runs_of_06[1].read_bytes())
    (class_folder / "slide.json").write_bytes(two_runs_of_06[0].read_bytes())
    found = compare.curves(compare.result_files([class_folder]), ["loss"])
    names = [name for _, name, _, _ in found]
    ann, bob = (class_folder / student / "l303-example-06.json" for student in ("ann", "bob"))
    assert names[:4] == [f"SGD lr=0.5 [learning_rates=0.5, {ann}]"] * 2 + [
        f"SGD lr=0.5 [learning_rates=0.5, {bob}]"] * 2
    assert len(names) == 2 * 5 and len(set(names)) == 5
    found = compare.curves([FIGURES / "l303-example-04b.json",
                            FIGURES / "student-run" / "l303-example-04b.json"], ["loss"])
    assert [name for _, name, _, _ in found] == [
        "no dropout [dropout=0.2]", "no dropout [dropout=0.2]",
        "dropout 0.2 [dropout=0.2]", "dropout 0.2 [dropout=0.2]",
        "no dropout [dropout=0.5]", "no dropout [dropout=0.5]",
        "dropout 0.5 [dropout=0.5]", "dropout 0.5 [dropout=0.5]"]


def test_a_docstring_or_comment_edit_leaves_results_current_and_a_code_edit_does_not(tmp_path):
    script = REPO / "examples" / "l303-example-04c.py"
    source = script.read_text()
    fingerprint = l303_files.code_sha256(script)
    edits = {
        "docstring": source.replace("Slide ", "Slide  ", 1),
        "comment and blank lines": source.replace("\n# %%", "\n\n# a note\n# %%", 1),
        "patience": source.replace("PATIENCE = 3", "PATIENCE = 4"),
        "a line of code": source.replace("import l303", "import l303\nimport math", 1),
    }
    fingerprints = {}
    for name, edited in edits.items():
        assert edited != source, name
        copy = tmp_path / name / script.name
        copy.parent.mkdir()
        copy.write_text(edited)
        fingerprints[name] = l303_files.code_sha256(copy)
    assert fingerprints["docstring"] == fingerprints["comment and blank lines"] == fingerprint
    assert fingerprints["patience"] != fingerprint and fingerprints["a line of code"] != fingerprint


@pytest.mark.xdist_group("two runs of 06")
@pytest.mark.parametrize("problem", ["missing", "not json", "not a result", "no such metric",
                                     "no runs"])
def test_compare_says_what_is_wrong_in_one_line(two_runs_of_06, tmp_path, problem):
    arguments = {
        "missing": [tmp_path / "nowhere.json"],
        "not json": [REPO / "README.md"],
        "not a result": [tmp_path / "other.json"],
        "no such metric": [two_runs_of_06[0], "--metrics", "val_precision"],
        "no runs": [],
    }[problem]
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}))
    completed = run_tool("tools/compare.py", *arguments, "--output", tmp_path / "x.png")
    assert completed.returncode == 2
    lines = [line for line in completed.stderr.splitlines() if line.startswith("compare:")]
    assert len(lines) == 1 and "Traceback" not in completed.stderr
    assert {"missing": "no such file", "not json": "not a result file",
            "not a result": "not a result file", "no such metric": "no 'val_precision' history",
            "no runs": "name the runs to compare: make compare RUNS="}[problem] in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_report_reruns_only_what_changed(tmp_path):
    script = REPO / "examples" / "l303-example-04c.py"
    result = {"interrupted": False, "code_sha256": l303_files.code_sha256(script),
              "command": runs.command_for("04c", tmp_path)}
    path = tmp_path / "l303-example-04c.json"
    path.write_text(json.dumps(result))
    assert runs.up_to_date("04c", tmp_path)
    path.write_text(json.dumps(dict(result, code_sha256="0" * 64)))  # older code
    assert not runs.up_to_date("04c", tmp_path)
    path.write_text(json.dumps(dict(result, command=result["command"] + ["--epochs", "3"])))
    assert not runs.up_to_date("04c", tmp_path)
    path.write_text(json.dumps(dict(result, interrupted=True)))
    assert not runs.up_to_date("04c", tmp_path)


def test_the_committed_report_is_what_the_committed_results_say(tmp_path):
    for name in [*FIGURES.glob("l303-*.json"), *FIGURES.glob("spread/seed*/**/*.json"),
                 *(FIGURES / variant / f"l303-example-{number}.json"
                   for variant, (number, _, _) in runs.VARIANTS.items())]:
        if not name.is_file():
            continue
        copy = tmp_path / name.relative_to(FIGURES)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(name.read_text())
    for record in (runs.RUN_RECORD, runs.SPREAD_RUN_RECORD):
        if (FIGURES / record).is_file():
            (tmp_path / record).write_text((FIGURES / record).read_text())
    if not list(tmp_path.iterdir()):
        pytest.skip("no reference results committed in figures/")
    results.write_reports(tmp_path)
    for generated in ("RESULTS.md", "README.md", "bands.json"):
        assert (tmp_path / generated).read_text() == (FIGURES / generated).read_text(), generated


def test_the_report_runs_each_script_inside_itself_with_the_output_in_a_log(tmp_path):
    """make report runs every script in its own process (Python and TensorFlow start once), each
    as `python SCRIPT ARGS` would; all it prints, TensorFlow's C++ included, goes to its log."""
    log = tmp_path / "run.log"
    with runner.output_to(log):
        print("from Python")
        os.write(1, b"from C++, stdout\n")  # what TensorFlow writes bypasses sys.stdout
        os.write(2, b"from C++, stderr\n")
    assert log.read_text().splitlines() == ["from Python", "from C++, stdout", "from C++, stderr"]
    status, result = runner.run_logged("04c", ["--quick"], tmp_path, log)
    assert status == 0 and result["script"] == "l303-example-04c"
    assert result["command"] == ["examples/l303-example-04c.py", "--quick", "--outdir",
                                 str(tmp_path)]
    assert "Performance (testing)" in log.read_text()
    status, result = runner.run_logged("04c", ["--epochs", "0"], tmp_path, log)
    assert (status, result) == (2, None)
    assert "error: argument --epochs" in log.read_text()  # the one-line error, in the log


def test_the_report_states_how_long_its_last_whole_run_took(tmp_path):
    (tmp_path / "l303-example-04c.json").write_text(
        (FIGURES / "l303-example-04c.json").read_text())
    report.record_whole_run(tmp_path, runs=25, seconds=754.0)
    record = json.loads((tmp_path / runs.RUN_RECORD).read_text())
    assert record["wall_seconds"] == 754.0 and record["machine"].endswith("cores")
    results.write_reports(tmp_path)
    assert "took **12.6 minutes** from start to end" in (tmp_path / "RESULTS.md").read_text()


@pytest.mark.parametrize("only", [[], ["--only", "04a"]])
def test_only_a_report_of_every_script_records_its_time_as_the_whole_reports(tmp_path, monkeypatch,
                                                                           only):
    """report-run.json is how long all of make report takes; `--only NN` made every run it was
    asked for in a fraction of that, and leaves the whole report's time as it was."""
    (tmp_path / "l303-example-04c.json").write_text(
        (FIGURES / "l303-example-04c.json").read_text())
    asked = []

    def every_job_made(jobs, outdir, rerun, processes):
        asked.extend(jobs)
        return report.Sitting(len(jobs), 0, 60.0, True, False)

    monkeypatch.setattr(report, "run_all", every_job_made)
    monkeypatch.setattr(report, "write_reports", lambda outdir: None)
    monkeypatch.setattr(sys, "argv", ["report.py", "--outdir", str(tmp_path), *only])
    report.main()
    assert {number for number, _, _ in asked} == set(only[1:] or runs.SCRIPTS)
    assert (tmp_path / runs.RUN_RECORD).is_file() == (not only)


def test_bench_takes_each_validation_ratio_within_a_run_against_the_run_just_before_it(
        monkeypatch):
    """A slow moment of a shared machine touches the runs of one repeat alike: bench alternates the
    ways and takes each way's ratio to the run without validation of the same repeat, then the
    median of those ratios. Here the second repeat ran five times slower and the ratios grow
    from 1.2 to 1.8 over the repeats: paired, the median is 1.5; the median of the suite's runs
    over the median of the plain ones would be 1.8."""
    import bench

    slowness, ratios = [1.0, 5.0, 2.0], {"none": [1.0] * 3, "suite": [1.2, 1.5, 1.8],
                                          "keras": [3.0, 2.0, 4.0]}
    calls = []

    def timed_epoch(record, data, epochs, arrays=False, validation="none"):
        repeat = len(calls) // len(bench.VALIDATION)
        calls.append(validation)
        return slowness[repeat] * ratios[validation][repeat]

    monkeypatch.setattr(bench, "run_script", lambda number, flags, outdir: {
        "settings": {"train_size": 100}})
    monkeypatch.setattr(bench.l303, "load_mnist", lambda train_size: None)
    monkeypatch.setattr(bench, "epoch_seconds", timed_epoch)
    measured = bench.validation_times(repeats=3)
    assert calls == ["none", "suite", "keras"] * 3  # alternating, the plain run first
    assert measured["ratios"] == {"suite": pytest.approx(1.5), "keras": pytest.approx(3.0)}
    assert measured["seconds"]["none"] == 2.0


def test_every_test_with_a_jax_case_is_in_the_part_of_make_test_that_has_jax():
    """make test runs the suite in .venv (TensorFlow), then in .venv-jax the test files its
    test-jax target names; a file with a case for JAX left out of that list runs it nowhere (JAX
    could then train every seed on seed 1's batch orders, unseen)."""
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-o",
                                "addopts=", "-p", "no:cacheprovider", "tests"], cwd=REPO,
                               capture_output=True, text=True)
    with_jax = {line.split("::")[0] for line in collected.stdout.splitlines()
                if re.search(r"::\S*\[(\S*-)?jax[]-]", line)}
    assert "tests/test_scripts_quick.py" in with_jax, collected.stdout[-2000:]
    recipe = (REPO / "Makefile").read_text().split("\ntest-jax:\n", 1)[1].split("\n\n", 1)[0]
    named = {path.relative_to(REPO).as_posix() for pattern in re.findall(r"tests/\S+\.py", recipe)
             for path in REPO.glob(pattern)}
    assert with_jax <= named, sorted(with_jax - named)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


PICTURE_CURVES = {  # a picture's curve, by the words of its legend: what it must plot
    "MSE: (sigma(z) - t) sigma'(z)": lambda z: sigmoid(z) ** 2 * (1 - sigmoid(z)),
    "cross-entropy: sigma(z) - t": sigmoid,
    "sigma(z)": sigmoid, "sigma'(z)": lambda z: sigmoid(z) * (1 - sigmoid(z)),
    "ReLU, weights 1 (stable)": lambda neuron: np.ones_like(neuron),
    "ReLU, weights 2 (exploding)": lambda neuron: 2.0 ** (neuron.max() - neuron),
}
ACTIVATIONS = {  # name -> (f, f'), the activation functions' two panels
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "ReLU": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "Leaky ReLU / PReLU, slope 0.1": (lambda z: np.where(z > 0, z, 0.1 * z),
                                      lambda z: np.where(z > 0, 1.0, 0.1)),
}


def test_the_pictures_are_drawn_and_each_has_its_place_under_its_slide(tmp_path, monkeypatch):
    # The slides' drawings that no training run makes (examples/l303-pictures.py).
    import l303

    drawn, save = {}, l303.Run.save

    def keep(run, main_figure=None, **extra_figures):
        for figure in (main_figure, *extra_figures.values()):
            drawn[figure.get_suptitle()] = figure
        return save(run, main_figure, **extra_figures)

    monkeypatch.setattr(l303.Run, "save", keep)
    result = run_and_read("l303-pictures", tmp_path, "--quick")
    # Each curve is what its legend names: the losses' gradients, the chains' gradients, and each
    # activation function and its slope (the left panel's curves, in the right one's order).
    lines = [line for title in ("THE CHOICE OF LOSS (I, II)",
                                "WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? (I, II)")
             for axis in drawn[title].axes for line in axis.lines
             if line.get_label() in PICTURE_CURVES]
    assert len(lines) == 6
    for line in lines:
        x, y = line.get_xydata().T
        assert y == pytest.approx(PICTURE_CURVES[line.get_label()](x)), line.get_label()
    functions, slopes = drawn["DIFFERENT ACTIVATION FUNCTION? (I, II, IV)"].axes
    assert [line.get_label() for line in slopes.lines] == list(ACTIVATIONS)
    for function, slope in zip(functions.lines, slopes.lines):
        for line, formula in zip((function, slope), ACTIVATIONS[slope.get_label()]):
            x, y = line.get_xydata().T
            assert y == pytest.approx(formula(x)), slope.get_label()
    vanishing = drawn["WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? (I, II)"].axes[0].lines[0]
    assert vanishing.get_label().startswith("sigmoid") and vanishing.get_ydata()[0] < 0.0156
    # REGULARIZATION (II): the penalty shrinks the high-order weights; BATCH NORMALIZATION (II):
    # normalized inputs sit where the sigmoid passes more gradient (the legend's numbers).
    weights = {bars.get_label(): [bar.get_height() for bar in bars]
               for bars in drawn["REGULARIZATION (II)"].axes[1].containers}
    penalised = next(name for name in weights if "lambda" in name)
    assert weights["no penalty"][-1] > 10 * weights[penalised][-1]
    legend = drawn["BATCH NORMALIZATION (II)"].axes[0].get_legend()
    legend = [text.get_text() for text in legend.get_texts()]
    bad, normalized = (float(words.rsplit(" ", 1)[1]) for words in legend[1:])
    assert legend[2].startswith("normalized") and normalized > 2 * bad
    seen = result["settings"]["IMAGES_SEEN"]
    for line in drawn["SIZE OF MINI-BATCH?"].axes[0].lines:  # each batch's updates, at its images
        batch = int(line.get_label().split(":")[0].removeprefix("batch "))
        assert line.get_xdata().tolist() == list(range(batch, seen + 1, batch)), line.get_label()
    assert set(result["figures"]) == set(results.PICTURE_PLACES)
    for figure in result["figures"]:
        assert (tmp_path / figure).read_bytes()[:4] == b"\x89PNG"
        title = result["notes"]["slides"][figure]
        assert result["notes"]["captions"][title], figure  # a caption that says what to see
    # SIZE OF MINI-BATCH?: over the same images, the smaller the batch, the noisier each step.
    roughness = result["notes"]["loss_roughness_per_update"]
    assert roughness["10"] > 2 * roughness["30"] > 4 * roughness["300"], roughness
    # The gallery places every picture under its slide, in the slides' order.
    seeds = runs.all_seed_runs(FIGURES)
    comparisons, printed = results.judge_all(seeds)
    entries = results.gallery_entries({**seeds, 1: seeds[1] | {runner.PICTURES: result}},
                                      comparisons, printed)
    order = [entry.figures[0] if entry.kind == "picture" else entry.run for entry in entries]
    assert [entry.figures[0] for entry in entries if entry.kind == "picture"] == \
        list(results.PICTURE_PLACES)
    assert order.index("l303-pictures.png") == order.index("02a") - 1
    assert order.index("l303-pictures-unstable-gradients.png") == order.index("07a") + 1
    assert order[-1] == runner.PICTURES  # the pictures' own run: a row of the table, last


def test_the_report_names_results_made_by_older_code(tmp_path):
    result = json.loads((FIGURES / "l303-example-04c.json").read_text())
    result["code_sha256"] = l303_files.code_sha256(REPO / "examples" / "l303-example-04c.py")
    (tmp_path / "l303-example-04c.json").write_text(json.dumps(result))
    (tmp_path / "spread" / "seed2").mkdir(parents=True)
    (tmp_path / "spread" / "seed2" / "l303-example-04c.json").write_text(
        json.dumps(dict(result, code_sha256="0" * 64)))
    results.write_reports(tmp_path)
    text = (tmp_path / "RESULTS.md").read_text()
    assert "**1 result was made by older code**" in text and "04c seed 2" in text


def test_the_report_runs_jobs_side_by_side_in_a_process_pool_and_resumes(tmp_path, capsys):
    """make spread's way (--jobs 2): the standard library's process pool, no lock folders; each
    result whole, its log gone; run again, nothing is rerun."""
    jobs = [("04c", None, None), ("02", None, None)]
    assert report.run_all(jobs, tmp_path, rerun=False, processes=2)[:2] == (2, 0)
    for number in ("04c", "02"):
        assert runs.up_to_date(number, tmp_path), number
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "l303-example-02.json", "l303-example-02.png", "l303-example-04c.json",
        "l303-example-04c.png"]
    capsys.readouterr()
    assert report.run_all(jobs, tmp_path, rerun=False, processes=2)[:2] == (0, 0)
    assert capsys.readouterr().out.count("up to date, not rerun") == 2


def test_a_spread_stopped_by_ctrl_c_keeps_its_time_and_a_spread_made_anew_starts_it_again(
        tmp_path, monkeypatch, capsys):
    """make spread over several sittings (about 3 hours on a 2-core machine): each sitting, one
    that Ctrl-C ended too, adds its runs and time to spread-run.json, and the report sums them;
    a sitting that made every result anew replaces the record of the spread it replaced."""
    def two_then_ctrl_c(function, jobs, processes):
        for job in jobs[:2]:
            yield job, (0, 30.0, None)
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "side_by_side", two_then_ctrl_c)
    jobs = [("04c", 2, None), ("02", 2, None), ("03", 2, None)]
    sitting = report.run_all(jobs, tmp_path, rerun=False, processes=2)
    assert (sitting.made, sitting.failed, sitting.all_anew, sitting.interrupted) == \
        (2, 0, True, True)
    (tmp_path / runs.SPREAD_RUN_RECORD).write_text(json.dumps(
        {"runs": [{"runs_made": 164, "wall_seconds": 5880.7, "processes": 2,
                   "finished": "2026-11-26"}]}))
    report.record_spread_run(tmp_path, sitting._replace(seconds=600.0), 2)
    report.record_spread_run(tmp_path, report.Sitting(1, 0, 1200.0, False, False), 2)
    record = json.loads((tmp_path / runs.SPREAD_RUN_RECORD).read_text())
    assert [sitting["runs_made"] for sitting in record["runs"]] == [2, 1]
    assert record["runs"][0]["interrupted"] and "interrupted" not in record["runs"][1]
    words = results.spread_run_words(tmp_path)
    assert "made its 3 runs in **30 minutes** (2 sittings, 1 ended by Ctrl-C" in words


def test_the_fingerprint_reads_the_same_on_every_python():
    """The reference is made on one Python and checked on another (CI takes the newest): the
    syntax tree is written out without the empty fields whose spelling differs between Pythons
    (ast.dump: 3.12 adds type_params=[], 3.13 leaves empty fields out)."""
    import ast

    assert l303_files.tree_text(ast.parse("def f(x):\n    return x\n")) == (
        "Module(body=[FunctionDef(name='f', args=arguments(args=[arg(arg='x')]), "
        "body=[Return(value=Name(id='x', ctx=Load()))])])")
    # 3.15 gives every import is_lazy=0 (lazy imports, PEP 810): an import of 3.15 reads as one
    # of 3.14, a `lazy import` does not.
    plain_import = "Import(names=[alias(name='os')])"
    assert l303_files.tree_text(ast.parse("import os").body[0]) == plain_import
    import_of_315 = ast.Import if "is_lazy" in ast.Import._fields else type(
        "Import", (ast.Import,), {"_fields": (*ast.Import._fields, "is_lazy")})  # before 3.15
    plain, lazy = (import_of_315(names=[ast.alias(name="os")], is_lazy=flag) for flag in (0, 1))
    assert l303_files.tree_text(plain) == plain_import
    assert l303_files.tree_text(lazy) == "Import(names=[alias(name='os')], is_lazy=1)"


def test_every_mutant_applies_to_the_code_as_it_is_and_as_a_formatter_lays_it_out(tmp_path):
    # make mutants changes a fragment of code; a maintainer's cosmetic edit (a formatter run on
    # every file) must not leave it "not applied". Formatted here by ruff (requirements-common).
    import lesson_mutants as mutants

    edited = {mutant.file for mutant in mutants.MUTANTS if mutant.edits}
    for mutant in mutants.MUTANTS:
        if mutant.flags:
            assert not mutant.edits and (REPO / mutant.file).is_file(), mutant.name
    formatted = tmp_path / "formatted"
    for file in edited:
        (formatted / file).parent.mkdir(parents=True, exist_ok=True)
        (formatted / file).write_text((REPO / file).read_text())
    python_files = [str(formatted / file) for file in edited if file.endswith(".py")]
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", "--no-cache", *python_files],
                   check=True)
    assert any((formatted / file).read_text() != (REPO / file).read_text() for file in edited)
    for root in (REPO, formatted):
        for mutant in mutants.MUTANTS:
            if mutant.edits:
                text = (root / mutant.file).read_text()
                changed = mutants.apply_edits(text, mutant.edits, mutant.file)
                assert changed != text, (root, mutant.name)
                if mutant.file.endswith(".py"):
                    compile(changed, mutant.file, "exec")  # still Python
    # Every test a mutant names is there (a test renamed or moved would leave it unwatched).
    for mutant in mutants.MUTANTS:
        for test in mutant.tests:
            file, _, name = test.partition("::")
            assert f"def {name.split('[')[0]}(" in (REPO / file).read_text(), (mutant.name, test)
    # A fragment that is not there is named with the line most like it.
    with pytest.raises(ValueError, match=r"look at line \d+: 'model = build_model\(activation\)'"):
        mutants.apply_edits((REPO / "examples/l303-example-06d.py").read_text(),
                            (("model = build_model(actvation)", "x"),), "l303-example-06d.py")


def test_drawing_and_wording_stale_nothing_and_what_computes_stales_the_scripts_it_reaches(tmp_path):
    """The fingerprint covers what can change a number: a line width and a legend word of the
    plotting module, a printed line, a figure's option change no result; a learning rate
    stales its script alone, l303_gradients 07a alone, l303 every script."""
    import importlib.util
    import shutil

    copy = tmp_path / "examples"
    shutil.copytree(REPO / "examples", copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    scripts = sorted(copy.glob("l303-example-*.py"))

    def fingerprints():
        return {script.stem: l303_files.code_sha256(script) for script in scripts}

    def edit(name, old, new):
        path = copy / name
        assert old in path.read_text(), (name, old)
        path.write_text(path.read_text().replace(old, new))

    def stale_since(before):
        return [name for name, fingerprint in fingerprints().items() if fingerprint != before[name]]

    before = fingerprints()
    assert len(set(before.values())) == len(scripts)
    edit("l303_plots.py", "color=colour, lw=2,", "color=colour, lw=3,")
    edit("l303_plots.py", '(f"val_{metric}", "--", "validation")', '(f"val_{metric}", "--", "unseen")')
    edit("l303.py", 'print(f"{prefix}Performance (', 'print(f"{prefix}Performance of (')
    edit("l303-example-06.py", "l303.figure(log_loss=True)", "l303.figure(log_loss=False)")
    edit("l303_files.py", "indent=1, allow_nan=False", "indent=2, allow_nan=False")  # the writer
    assert stale_since(before) == []
    # ... and the figure drawn from a record shows the change
    spec = importlib.util.spec_from_file_location("edited_plots", copy / "l303_plots.py")
    edited = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(edited)
    record = {"script": "l303-example-99", "slide": "s", "settings": {}, "models": {"a": "A"},
              "histories": {"a": {"loss": [1.0, 0.5], "val_loss": [1.2, 0.8]}}, "results": {},
              "notes": {}, "figures": {"x.png": {"draw": "history"}}}
    (figure,) = edited.draw_record(record).values()
    assert {line.get_linewidth() for line in figure.axes[0].get_lines()} == {3}
    assert "unseen" in [text.get_text() for text in figure.axes[0].get_legend().get_texts()]

    edit("l303-example-04.py", "LEARNING_RATE = 1.0", "LEARNING_RATE = 0.5")
    assert stale_since(before) == ["l303-example-04"]
    before = fingerprints()
    edit("l303_gradients.py", "np.mean(np.abs(", "np.median(np.abs(")
    assert stale_since(before) == ["l303-example-07a"]
    before = fingerprints()
    edit("l303.py", "QUICK_TEST_SIZE = 1000", "QUICK_TEST_SIZE = 500")
    assert stale_since(before) == sorted(before)
    # A module reached only through another (l303 imports l303_workarounds, which imports a new
    # l303_extra): a change in it stales every script, as a change in l303 does.
    before = fingerprints()
    (copy / "l303_extra.py").write_text("STEP = 1\n")
    edit("l303_workarounds.py", "\nimport ", "\nimport l303_extra  # noqa: F401\nimport ")
    assert stale_since(before) == sorted(before)
    before = fingerprints()
    edit("l303_extra.py", "STEP = 1", "STEP = 2")
    assert stale_since(before) == sorted(before)


def test_new_data_stales_every_result(monkeypatch):
    """The fingerprint holds the MNIST file's checksum: new data (data/build_mnist.py and a new
    MNIST_SHA256) stales every script; the same data stales none."""
    scripts = sorted((REPO / "examples").glob("l303-example-*.py"))
    before = {script.stem: l303_files.code_sha256(script) for script in scripts}
    monkeypatch.setattr(l303_files, "MNIST_SHA256", l303_files.MNIST_SHA256)
    assert {script.stem: l303_files.code_sha256(script) for script in scripts} == before
    monkeypatch.setattr(l303_files, "MNIST_SHA256", "0" * 64)
    after = {script.stem: l303_files.code_sha256(script) for script in scripts}
    assert all(after[name] != before[name] for name in before)


def test_every_writer_leaves_its_file_whole_or_as_it_was(tmp_path, monkeypatch):
    """A write that fails half-way (a full disk, Ctrl-C) leaves the file as it was, never half a
    record, half a bands file or half a PNG: tested on each writer, not on the helper alone."""
    import bands
    import matplotlib.figure
    from pathlib import Path

    def half_then_fail(write):
        def failing(self, data, *args, **kwargs):
            write(self, data[:len(data) // 2], *args, **kwargs)
            raise OSError("the disk is full")
        return failing

    def half_a_png(figure, target, **kwargs):
        Path(target).write_bytes(b"\x89PNG half")
        raise OSError("the disk is full")

    monkeypatch.setattr(Path, "write_text", half_then_fail(Path.write_text))
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", half_a_png)
    writers = {
        "l303-example-99.json": lambda: l303_files.write_record(
            tmp_path / "l303-example-99.json", {"histories": {"a": {"loss": [1.0] * 100}}}),
        "bands.json": lambda: bands.write_bands(tmp_path),
        "figure.png": lambda: l303_plots.save_png(l303_plots.plot_history(
            {"a": {"loss": [1.0, 0.5]}}, "s"), tmp_path / "figure.png"),
    }
    for name, write in writers.items():
        (tmp_path / name).write_bytes(b"as it was")
        with pytest.raises(OSError):
            write()
        assert (tmp_path / name).read_bytes() == b"as it was", name
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(writers)  # no leftovers


def test_the_sites_source_has_a_page_per_script_with_its_slide_figures_and_sentences(tmp_path):
    """make site's Sphinx project (tools/site_build.py, sphinx-build aside; make site-check opens the
    built pages in Chromium): each script titled with its slide, its code unchanged after its
    docstring, the figures the gallery shows with it and the gallery's sentences; the report and
    the classroom guide as pages, every figure they name copied."""
    import site_build as companion

    companion.lay_out(tmp_path)
    sections = companion.gallery_sections()
    for script in sorted((REPO / "examples").glob("l303-*.py")):
        page = (tmp_path / "scripts" / script.name).read_text()
        code = script.read_text().split('"""', 2)[2]
        assert code.rstrip() in page, script.name  # the script's code, unchanged
        mine = [section for section in sections if section[1].split()[0] == script.stem]
        assert mine, script.name
        for title, _, sentences, images in mine:
            assert companion.rst_escape(title) in page
            for image in images:
                assert f".. image:: /_static/figures/{image}" in page
                assert (tmp_path / "_static" / "figures" / image).is_file(), image
            assert all(companion.rst_text(sentence) in page for sentence in sentences)
    assert (tmp_path / "RESULTS.md").is_file() and (tmp_path / "classroom.md").is_file()
