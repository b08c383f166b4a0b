"""In class and at home: the live figure of --show, TensorBoard logs, and %run in a notebook."""

import importlib.util
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import l303_files
import l303_plots
from conftest import REPO, read_result, run_script
from runner import run_as_main

BACKENDS = ["tensorflow", "jax", "torch"]


def lines_of(figure):
    """Every curve of a figure, as (y values) per axis, in drawing order."""
    return [[list(line.get_ydata()) for line in axis.lines] for axis in figure.axes]


def test_the_live_figure_redraws_after_every_epoch_and_draws_what_is_saved(tmp_path):
    import matplotlib

    matplotlib.use("Agg")  # headless: the live window's drawing, without a window
    import keras
    import numpy as np

    import l303

    import l303_classroom

    args = l303.parse_args(l303.make_parser("test"), ["--outdir", str(tmp_path)])
    (tmp_path / "live.py").write_text("# a script\n")
    run = l303.Run('Slide "LIVE": the curves as they grow', args, script_file=tmp_path / "live.py")
    run.live = l303_classroom.LiveFigure(run)  # as --show makes, on a display
    run.live.MINIMUM_INTERVAL, run.live.SHARE = 0.0, float("inf")  # no throttling: every epoch
    x = np.random.rand(64, 4).astype("float32")
    y = np.eye(2, dtype="float32")[np.arange(64) % 2]
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    model.fit(x, y, epochs=4, validation_data=(x, y), verbose=0, callbacks=run.callbacks("tiny"))
    assert run.live.epochs_seen == 4
    assert run.live.redraws == 4 + 1  # once per epoch, and once when training ends
    saved = l303_plots.plot_history(run.histories, run.slide)
    assert lines_of(run.live.figure) == lines_of(saved)
    assert lines_of(saved)[0][0] == pytest.approx(run.histories["tiny"]["loss"])


def test_the_live_figure_spends_little_time_drawing_when_epochs_are_short(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import l303

    import l303_classroom

    args = l303.parse_args(l303.make_parser("test"), ["--outdir", str(tmp_path)])
    (tmp_path / "live.py").write_text("# a script\n")
    run = l303.Run('Slide "LIVE": throttled', args, script_file=tmp_path / "live.py")
    run.live = l303_classroom.LiveFigure(run)
    run.histories["model"] = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}
    run.live.start()
    for _ in range(200):  # 200 epochs ending at once: at most one redraw per 0.25 s
        run.live.epoch_ended()
    assert run.live.epochs_seen == 200
    assert 1 <= run.live.redraws <= 3


def test_show_without_a_display_says_so_in_one_line_and_still_saves(tmp_path):
    completed = run_script("l303-example-02", "--quick", "--show", "--outdir", str(tmp_path),
                           env={"DISPLAY": "", "WAYLAND_DISPLAY": "", "MPLBACKEND": ""})
    notes = [line for line in completed.stderr.splitlines() if line.startswith("--show:")]
    assert len(notes) == 1 and "no display" in notes[0]
    assert (tmp_path / "l303-example-02.png").is_file()


def tensorboard_events(folder):
    """The event files of one folder, read with TensorBoard's own reader (no TensorFlow needed)."""
    from tensorboard.backend.event_processing import event_accumulator

    events = event_accumulator.EventAccumulator(str(folder))
    events.Reload()
    return events


def tensorboard_scalars(folder):
    """{tag: {step: value}} of the scalars logged in folder."""
    events = tensorboard_events(folder)
    return {tag: {event.step: event.value for event in events.Scalars(tag)}
            for tag in events.Tags()["scalars"]}


@pytest.mark.parametrize("backend", BACKENDS)
def test_tensorboard_logs_every_epochs_loss_and_the_settings_under_a_readable_run_name(
        tmp_path, backend):
    for package in (backend, "tensorboard"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed in this environment")
    run_script("l303-example-04", "--quick", "--epochs", "3", "--lr", "0.5",
               "--tensorboard", str(tmp_path / "runs"), "--outdir", str(tmp_path),
               env={"KERAS_BACKEND": backend})
    result = read_result(tmp_path, "l303-example-04")
    history = result["histories"]["plain"]
    folder = tmp_path / "runs" / "l303-example-04" / "plain-epochs=3,lr=0.5,quick,train_size=1000-seed1"
    for part, prefix in (("train", ""), ("validation", "val_")):
        scalars = tensorboard_scalars(folder / part)
        for metric in ("loss", "accuracy"):
            logged = scalars[f"epoch_{metric}"]
            assert sorted(logged) == [1, 2, 3]
            assert [logged[step] for step in (1, 2, 3)] == pytest.approx(history[prefix + metric])
    # The settings, as TensorBoard's HParams: what the HParams tab compares across runs, the
    # integers shown as integers (a number would read 3.0000), the rest as themselves.
    from tensorboard.plugins.hparams import plugin_data_pb2

    content = tensorboard_events(folder).PluginTagToContent("hparams")
    logged = plugin_data_pb2.HParamsPluginData.FromString(
        content["_hparams_/session_start_info"]).session_start_info.hparams
    assert logged["lr"].number_value == 0.5 and logged["epochs"].string_value == "3"
    assert logged["batch_size"].string_value == "120" and logged["quick"].bool_value is True
    assert logged["model"].string_value == "1000 training images"
    assert not {"outdir", "show", "tensorboard", "steps_per_execution"} & set(logged)
    experiment = plugin_data_pb2.HParamsPluginData.FromString(
        content["_hparams_/experiment"]).experiment
    assert {info.name.tag for info in experiment.metric_infos} == {"epoch_loss", "epoch_accuracy"}
    assert "_hparams_/session_end_info" in content  # the run ended: HParams says so
    # The same command again: its run replaces the first, never a second event file beside it.
    run_script("l303-example-04", "--quick", "--epochs", "3", "--lr", "0.5",
               "--tensorboard", str(tmp_path / "runs"), "--outdir", str(tmp_path),
               env={"KERAS_BACKEND": backend})
    for part in ("", "train", "validation"):
        assert len(list((folder / part).glob("events.out.tfevents.*"))) == 1, part


def test_tensorboard_without_its_writer_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)  # import tensorboardX: ImportError
    status = run_as_main(REPO / "examples" / "l303-example-02.py",
                         ["--quick", "--tensorboard", "--outdir", tmp_path])
    assert status == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "pip install tensorboardX" in lines[0], lines


def test_a_notebook_runs_a_script_with_percent_run_and_shows_its_figure_inline(tmp_path):
    if importlib.util.find_spec("IPython") is None:
        pytest.skip("IPython is not installed")
    command = f"%run examples/l303-example-02.py --quick --epochs 3 --outdir {tmp_path}"
    completed = subprocess.run(
        [sys.executable, "-m", "IPython", "--quick", "--no-banner", "--colors=NoColor", "-c", command],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline"))
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    result = read_result(tmp_path, "l303-example-02")
    assert result["settings"]["epochs"] == 3 and result["settings"]["quick"] is True  # its argv
    assert "<Figure size" in completed.stdout, "the figure is not shown under the cell"


def test_ctrl_c_in_a_notebook_keeps_the_completed_epochs_and_the_kernel(tmp_path):
    if importlib.util.find_spec("IPython") is None:
        pytest.skip("IPython is not installed")
    cell = (f"%run examples/l303-example-04.py --quick --epochs 500 --outdir {tmp_path}\n"
            "print('the kernel is still alive')")
    process = subprocess.Popen(
        [sys.executable, "-m", "IPython", "--quick", "--no-banner", "--colors=NoColor", "-c", cell],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline",
                 PYTHONUNBUFFERED="1"),
        # however pytest was started, the kernel gets Ctrl-C as an interactive one does
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    output = []
    for line in process.stdout:
        output.append(line)
        if line.startswith("Epoch 4/"):  # three epochs completed
            process.send_signal(signal.SIGINT)
            break
    output.append(process.communicate(timeout=120)[0])
    text = "".join(output)
    assert process.returncode == 0, text[-3000:]
    assert "the kernel is still alive" in text
    assert "Traceback" not in text
    result = read_result(tmp_path, "l303-example-04")
    assert result["interrupted"] is True
    assert 3 <= len(result["histories"]["plain"]["loss"]) < 500


def test_a_script_opened_as_a_notebook_runs_cell_by_cell(tmp_path, monkeypatch):
    """`# %%` cells: jupytext (as VS Code, Spyder and PyCharm read them) makes a notebook of a
    script; run in a Jupyter kernel it trains with the script's constants, no command line."""
    if importlib.util.find_spec("jupytext") is None or importlib.util.find_spec("nbclient") is None:
        pytest.skip("jupytext and nbclient are not installed (make setup installs them)")
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(REPO / "examples" / "l303-example-02.py")
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code_cells) >= 5, "the script's # %% cells did not become notebook cells"
    for name, value in {"L303_QUICK": "1", "L303_OUTDIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)  # the kernel's: a notebook has no command line
    monkeypatch.delenv("MPLBACKEND", raising=False)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    # Named after its script and titled with its slide, found from the docstring it ran.
    result = read_result(tmp_path, "l303-example-02")
    assert result["settings"]["quick"] is True
    assert result["command"] == ["examples/l303-example-02.py"]
    assert result["slide"] == "SLOW LEARNING WITH BAD WEIGHTS"  # its docstring's
    assert result["code_sha256"] == l303_files.code_sha256(REPO / "examples" / "l303-example-02.py")
    assert len(result["histories"]) == 2 and all(h["loss"] for h in result["histories"].values())
    outputs = [output for cell in code_cells for output in cell.get("outputs", [])]
    assert any(output.get("data", {}).get("image/png") for output in outputs), \
        "the figure is not shown under its cell"


def test_the_readmes_notebook_commands_work_as_printed(tmp_path):
    """jupytext makes the notebook (into mine/, not beside the scripts) and executes it from the
    command line in the environment's own kernel (make setup installs it), with the figure under
    its cell even where the shell says MPLBACKEND=Agg (the kernel inherits it)."""
    jupytext = Path(sys.executable).parent / "jupytext"
    if not jupytext.exists():
        pytest.skip("jupytext is not installed (make setup installs it)")
    notebook = tmp_path / "l303-example-02.ipynb"
    environment = dict(os.environ, L303_QUICK="1", L303_OUTDIR=str(tmp_path / "out"),
                       MPLBACKEND="Agg")
    for command in ([jupytext, "--to", "notebook", "examples/l303-example-02.py", "--output", notebook],
                    [jupytext, "--execute", notebook]):
        completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                                   env=environment)
        assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    result = read_result(tmp_path / "out", "l303-example-02")
    assert result["slide"] == "SLOW LEARNING WITH BAD WEIGHTS"
    assert '"image/png"' in notebook.read_text(), "the executed notebook holds no figure"


def test_a_notebook_of_another_name_takes_its_name_from_jupyter(tmp_path, monkeypatch):
    """Jupyter says which notebook runs (JPY_SESSION_NAME): one named like a script is that
    script's; any other keeps its own name and, with no docstring run, a plain title."""
    # A stand-in for the kernel's shell: a real one would outlive this test in the worker.
    shell = types.SimpleNamespace(user_ns={"In": ["", "x = 1"]})
    monkeypatch.setattr(l303_files, "ipython", lambda: shell)
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py"])
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "l303-example-06.ipynb"))
    assert l303_files.in_a_notebook_kernel()
    script, doc = l303_files.notebook_script()
    assert script == REPO / "examples" / "l303-example-06.py"
    assert doc.startswith('Slide "CAN WE DO SOMETHING WITH THE LEARNING METHOD?"')
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "my experiment.ipynb"))
    assert l303_files.notebook_script() == (tmp_path / "my experiment.ipynb", None)


def test_ctrl_c_before_the_first_epoch_ends_has_nothing_to_save():
    """Stopped inside its first epoch, a fit has an empty history: nothing to plot or save (a
    figure of no epoch cannot be drawn), so Ctrl-C says "Interrupted." and ends."""
    import l303_classroom

    run = types.SimpleNamespace(saved=False, histories={"m": {}})
    assert not l303_classroom.CtrlC(run)._has_unsaved_epochs()
    run.histories = {"m": {"loss": [0.5]}, "n": {}}
    assert l303_classroom.CtrlC(run)._has_unsaved_epochs()


def test_replay_draws_the_recorded_curves_growing_in_about_ten_seconds_and_ends():
    import matplotlib.pyplot as plt

    from l303_plots import replay

    histories = {"none": {"loss": list(np.linspace(1, 0.1, 100)), "val_loss": [0.5] * 100},
                 "l2": {"loss": list(np.linspace(2, 0.5, 60))}}
    figure = plt.figure()
    waits = []
    ends = replay(histories, "a replay", {"none": "N", "l2": "L"}, figure, waits.append)
    assert ends[0] == 1 and ends[-1] == 100 and len(ends) == 40 == len(waits)
    assert ends == sorted(set(ends))
    assert sum(waits) <= 10 + 0.001 * len(waits)  # what it waits for: the ten seconds, at most
    drawn = {line.get_label(): list(line.get_ydata()) for line in figure.axes[0].get_lines()}
    assert drawn["N (training)"] == pytest.approx(histories["none"]["loss"])
    assert drawn["L (training)"] == pytest.approx(histories["l2"]["loss"])
    plt.close(figure)


def test_replay_without_a_display_is_one_line_and_trains_nothing():
    headless = {name: value for name, value in os.environ.items()
                if name not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    completed = run_script("l303-example-04a", "--replay", check=False, environ=headless)
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert "--replay draws in a window or under a notebook's cell: no display found" in lines[0], lines  # 04a's is committed
    assert "Epoch" not in completed.stdout


def test_replay_draws_the_committed_reference_run_and_nothing_of_the_students(monkeypatch, tmp_path):
    """--replay draws figures/<script>.json, the reference, whatever run the student made last."""
    import json

    import matplotlib.pyplot as plt

    reference = json.loads((REPO / "figures" / "l303-example-04a.json").read_text())
    monkeypatch.setattr(l303_plots, "has_display", lambda: True)
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    monkeypatch.setattr(plt, "pause", lambda interval: None)
    assert l303_plots.replay_the_reference("examples/l303-example-04a.py") == 0
    figure = plt.figure(num="l303-example-04a (replay of the reference run)")
    drawn = {line.get_label(): list(line.get_ydata()) for line in figure.axes[0].get_lines()}
    for key, label in reference["models"].items():
        assert drawn[f"{label} (training)"] == pytest.approx(reference["histories"][key]["loss"])
        assert drawn[f"{label} (validation)"] == pytest.approx(
            reference["histories"][key]["val_loss"])
    plt.close(figure)
