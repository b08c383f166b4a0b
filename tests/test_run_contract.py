"""Runs are reproducible, and Ctrl-C in the middle of training keeps what was learned."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import compare
import record
from conftest import EXAMPLES, REPO, read_result, run_and_read, run_script


def test_the_same_seed_gives_the_same_history_and_another_seed_does_not(tmp_path):
    # Seed 1 twice: in a new process, as a student runs it, and in this one, as the lesson tests
    # run the scripts (run_and_read); so this also shows that those tests see a student's numbers.
    run_script("l303-example-03", "--quick", "--seed", "1", "--outdir", str(tmp_path / "a"))
    histories = [read_result(tmp_path / "a", "l303-example-03")["histories"]]
    for seed, outdir in (("1", "b"), ("7", "c")):
        histories.append(run_and_read("l303-example-03", tmp_path / outdir, "--quick",
                                      "--seed", seed)["histories"])
    assert histories[0] == histories[1]
    assert histories[0] != histories[2]


def let_ctrl_c_through():
    """In the child: Ctrl-C's default action, even where this test was started with SIGINT
    ignored (a background job of a non-interactive shell, some CI runners), which a child
    inherits; Python then raises KeyboardInterrupt for it, as in a student's terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_the_completed_epochs_and_exits_130(tmp_path):
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "l303-example-01.py"), "--train-size", "20000",
         "--epochs", "100", "--outdir", str(tmp_path)],
        cwd=REPO, env=dict(os.environ, PYTHONUNBUFFERED="1"), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=let_ctrl_c_through)
    for line in process.stdout:
        if line.startswith("Epoch 4/"):  # three epochs are complete
            process.send_signal(signal.SIGINT)
            break
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    result = read_result(tmp_path, "l303-example-01")
    assert result["interrupted"] is True
    losses = result["histories"]["mse"]["loss"]
    assert 3 <= len(losses) < 100
    assert losses[-1] < losses[0]  # it did learn, and that is kept
    assert (tmp_path / "l303-example-01.png").stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_script_copied_out_of_the_repository_still_runs(tmp_path):
    # Students copy a script to work on it; the installed project still gives it `import l303`.
    copy = tmp_path / "my-experiment.py"
    copy.write_text((EXAMPLES / "l303-example-03.py").read_text())
    completed = subprocess.run([sys.executable, str(copy), "--quick", "--outdir", str(tmp_path)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert read_result(tmp_path, "my-experiment")["histories"]


def test_ctrl_c_during_a_fit_stops_at_the_next_batch_and_a_second_one_at_once(tmp_path):
    """The first Ctrl-C during a fit only asks to stop; the run's recorder stops it at the next
    boundary between batches (interrupted inside TensorFlow's own work, a process can crash and
    lose the completed epochs). A second Ctrl-C interrupts at once."""
    import keras
    import numpy as np

    import l303

    saved = signal.getsignal(signal.SIGINT), sys.excepthook
    batches_after_the_request = []

    class PressCtrlC(keras.callbacks.Callback):
        """Sends the handler a Ctrl-C in the middle of the first epoch, then counts batches."""

        def on_train_batch_end(self, batch, logs=None):
            if batches_after_the_request:
                batches_after_the_request[0] += 1
            elif batch == 3:
                run.ctrl_c.pressed(signal.SIGINT, None)
                batches_after_the_request.append(0)

    try:
        args = l303.parse_args(l303.make_parser("probe"), ["--outdir", str(tmp_path),
                                                           "--steps-per-execution", "1"])
        run = l303.Run("probe", args, script_file=__file__)
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.compile(loss="mean_squared_error", optimizer="sgd", steps_per_execution=1)
        x, y = np.ones((400, 4), dtype="float32"), np.zeros((400, 1), dtype="float32")
        try:
            model.fit(x, y, batch_size=10, epochs=3, verbose=0,
                      callbacks=[PressCtrlC()] + run.callbacks("probe"))
            raise AssertionError("the fit ran to its end after Ctrl-C")
        except KeyboardInterrupt:
            pass
        assert run.ctrl_c.stop_requested and not run.ctrl_c.fitting
        assert batches_after_the_request == [0], "it went on past the batch that saw the request"
        assert run.histories["probe"] == {}, "no epoch was complete when Ctrl-C came"
        # A second Ctrl-C: at once, even in the middle of a fit.
        run.ctrl_c.fitting = True
        try:
            run.ctrl_c.pressed(signal.SIGINT, None)
            raise AssertionError("a second Ctrl-C did not interrupt")
        except KeyboardInterrupt:
            pass
    finally:
        signal.signal(signal.SIGINT, saved[0])
        sys.excepthook = saved[1]


def test_a_file_is_written_whole_or_not_at_all(tmp_path):
    """README: "Files are whole or absent". A write that fails half-way leaves the file as it
    was (here: the old record) and no half-written file or temporary beside it."""
    from l303_files import write_atomically, write_record

    path = tmp_path / "l303-example-01.json"
    write_record(path, {"script": "old"})
    before = path.read_text()

    def half_then_fail(temporary):
        temporary.write_text('{"script": "new", "histo')
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, half_then_fail)
    assert path.read_text() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["l303-example-01.json"]
    write_record(path, {"script": "new"})
    assert json.loads(path.read_text()) == {"script": "new"}


def committed_records():
    figures = REPO / "figures"
    return sorted(path for path in figures.rglob("l303-*.json") if path.is_file())


def test_every_committed_record_matches_the_schema():
    found = committed_records()
    if not found:
        pytest.skip("no reference results committed in figures/")
    for path in found:
        assert not record.problems(json.loads(path.read_text())), path


def test_the_schema_refuses_a_model_filed_by_its_label_and_a_record_without_its_models(tmp_path):
    made = run_and_read("l303-example-04a", tmp_path, "--quick", "--epochs", "1")
    assert not record.problems(made)
    assert made["models"] == {"none": "no regularization", "l2": "l2(0.01) on output weights"}
    by_label = {**made, "histories": {made["models"][key]: history
                                      for key, history in made["histories"].items()}}
    assert any(problem.startswith("histories") for problem in record.problems(by_label))
    results_by_label = {**made, "results": {made["models"][key]: scores
                                            for key, scores in made["results"].items()}}
    assert any(problem.startswith("results") for problem in record.problems(results_by_label))
    # A label that reads like a key ("l1" for the model keyed "l2") is still not a key.
    relabelled = {**made, "models": {"none": "none", "l2": "l1"},
                  "results": {"none": made["results"]["none"], "l1": made["results"]["l2"]}}
    assert record.problems(relabelled) == ["results/l1: not a model's key (the keys: none, l2)"]
    without_models = {name: value for name, value in made.items() if name != "models"}
    assert record.problems(without_models) == ["the record: 'models' is a required property"]


def test_a_record_of_an_older_schema_is_one_line_in_compare(tmp_path, capsys):
    """Schema 1 filed each model under its label; no tool reads it any more, and compare says what
    to do about one (a student's run from before the keys) in one line. The record is a real one:
    02a's reference run of 1 December 2026 (commit 5c89bad), as make report wrote it."""
    path = Path(__file__).parent / "data" / "schema-1-l303-example-02a.json"
    old = json.loads(path.read_text())
    assert "schema" not in old and "models" not in old  # as schema 1 was written
    assert record.older_schema(old) == 1 and record.problems(old)
    assert compare.main([str(path), "--output", str(tmp_path / "x.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "older version of the suite (record schema 1)" in error
    assert not (tmp_path / "x.png").exists()