"""Mistakes a student will make on the command line end in one clear line (exit status 2, or 1
for the wrong Python), before Keras starts; and a student's run never writes the reference."""

import os
import shutil
import subprocess
import sys

import pytest

import l303
from conftest import EXAMPLES, REPO, run_script
from runner import run_as_main


def parser_of_example_01():
    """The flags example 01 declares, from its constants."""
    return l303.make_parser("doc", epochs=20, batch_size=10, learning_rate=3.0, train_size=60000)


@pytest.mark.parametrize("flags, complaint", [
    (["--epochs", "0"], "--epochs: expected a positive integer, got '0'"),
    (["--lr", "abc"], "--lr: expected a positive number, got 'abc'"),
    (["--lr", "-1"], "--lr: expected a positive number"),
    (["--lr", "nan"], "--lr: expected a positive number"),
    (["--train-size", "70000"], "--train-size: expected an integer from 1 to 60000, got '70000'"),
    (["--batch-size", "ten"], "--batch-size: expected a positive integer"),
    (["--seed", "-3"], "--seed: expected an integer >= 0"),
    (["--epocs", "3"], "unrecognized arguments: --epocs 3"),
])
def test_a_bad_flag_gives_a_one_line_usage_error(flags, complaint, capsys):
    with pytest.raises(SystemExit) as stop:
        l303.parse_args(parser_of_example_01(), flags)
    assert stop.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and complaint in lines[0], lines


@pytest.mark.parametrize("flags, status, complaint", [
    (["--rotate-test", "400"], 2, "--rotate-test: expected an angle in degrees, above 0 and at "
                                  "most 180, got '400'"),
    (["--rotate-test", "0"], 2, "--rotate-test: expected an angle in degrees"),
    (["--kernel-size", "10"], 2, "--kernel-size: expected an integer from 1 to 9, got '10'"),
    (["--rotate-test", "180", "--kernel-size", "9", "-h"], 0, None),  # accepted: then the help
])
def test_a_flag_takes_exactly_the_values_its_meaning_allows(flags, status, complaint, capsys):
    """Angles within 180 degrees; kernel sizes that leave something of a 28x28 digit after 08's
    two convolutions and poolings (9: 28 -> 20 -> 10 -> 2 -> 1), as KERNEL_SIZE = 9 would."""
    assert run_as_main(EXAMPLES / "l303-example-08.py", flags) == status
    lines = capsys.readouterr().err.strip().splitlines()
    assert (len(lines) == 1 and complaint in lines[0]) if complaint else not lines, lines


def test_a_script_given_a_bad_flag_says_so_in_one_line_without_a_traceback():
    # From the terminal, with a flag the script declares itself (the shared flags: above).
    completed = run_script("l303-example-06a", "--momentum", "1", check=False)
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "--momentum: expected a number from 0 to below 1" in lines[0], \
        completed.stderr
    assert "Traceback" not in completed.stderr


def test_quick_lowers_the_defaults_but_not_what_was_given(tmp_path):
    quick = l303.parse_args(parser_of_example_01(), ["--quick", "--outdir", str(tmp_path)])
    assert (quick.epochs, quick.train_size, quick.test_size) == (2, 1000, 1000)
    given = l303.parse_args(parser_of_example_01(), ["--quick", "--epochs", "3", "--outdir",
                                                     str(tmp_path)])
    assert (given.epochs, given.train_size) == (3, 1000)


def test_a_run_without_flags_is_the_slides_run_on_all_the_data(tmp_path, monkeypatch):
    """No --quick: the slide's epochs, batch and rate, all 60000 training images and all 10000 test
    images: every reference number is of the whole test set."""
    monkeypatch.delenv("L303_QUICK", raising=False)
    args = l303.parse_args(parser_of_example_01(), ["--outdir", str(tmp_path)])
    assert (args.quick, args.epochs, args.batch_size, args.lr) == (False, 20, 10, 3.0)
    data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)
    assert (len(data.x_train), len(data.x_test), len(data.y_test)) == (60000, 10000, 10000)


def test_example_01_given_a_bad_shared_flag_stops_with_one_line_and_status_2(capsys):
    # The shared flags' errors from a real script (run in this process; the terminal: above).
    assert run_as_main(EXAMPLES / "l303-example-01.py", ["--epochs", "0"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--epochs: expected a positive integer, got '0'" in lines[0], lines


def test_help_lists_the_slide_and_the_defaults_from_the_constants(capsys):
    assert run_as_main(EXAMPLES / "l303-example-03.py", ["--help"]) == 0
    shown = capsys.readouterr().out
    assert 'Slide "TRY IT OUT!"' in shown
    assert "learning rate (default: 1.0)" in shown
    assert "mini-batch size (default: 30)" in shown


def test_help_and_a_mistyped_flag_answer_before_keras_or_a_backend_is_imported():
    """-h and a flag mistake are read before Keras starts (its backend takes seconds): in one
    process, every script asked for -h and given a bad seed leaves Keras unimported."""
    probe = """
import runpy, sys
for script in sys.argv[1:]:
    for flags in (["-h"], ["--seed", "-1"]):
        sys.argv = [script, *flags]
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as stop:
            assert stop.code in (0, 2), (script, flags, stop.code)
        started = [name for name in ("keras", "tensorflow", "jax", "torch") if name in sys.modules]
        assert not started, (script, flags, started)
print("answered before Keras:", len(sys.argv) and "all")
"""
    scripts = sorted(str(path) for path in EXAMPLES.glob("l303-*.py"))
    completed = subprocess.run([sys.executable, "-c", probe, *scripts], cwd=REPO,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "answered before Keras: all" in completed.stdout
    assert completed.stderr.count("error: argument --seed") == len(scripts)


def test_a_python_without_the_suites_packages_gets_one_line_naming_the_one_that_works():
    # `python3 examples/...` with a Python that is not the environment's: here the same Python
    # without its site-packages (-S), so it has neither NumPy nor Keras.
    completed = subprocess.run([sys.executable, "-S", "examples/l303-example-01.py"], cwd=REPO,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in completed.stderr, completed.stderr
    assert sys.executable in lines[0] and "has no numpy, keras" in lines[0]
    assert ".venv/bin/python examples/l303-example-01.py" in lines[0]


def test_a_run_of_yours_goes_to_mine_and_leaves_the_reference_as_it_was(tmp_path):
    """The default --outdir is mine/ (ignored by git): figures/ is written only by make report.
    Run in a copy of the repository's scripts, so that a student's own mine/ is not touched."""
    copy = tmp_path / "repository"
    shutil.copytree(EXAMPLES, copy / "examples")
    (copy / "data").symlink_to(REPO / "data")
    shutil.copytree(REPO / "figures", copy / "figures",
                    ignore=shutil.ignore_patterns("spread", "practice-*", "*-*-*-*"))

    def contents(folder):
        return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*")
                if path.is_file()}

    before = contents(copy / "figures")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("L303_OUTDIR", "L303_QUICK")}
    completed = subprocess.run([sys.executable, "examples/l303-example-02.py", "--quick"],
                               cwd=copy, env=environment, capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert contents(copy / "figures") == before
    assert sorted(path.name for path in (copy / "mine").iterdir()) == [
        "l303-example-02--epochs-2--quick.json",  # a trial's own name (02's 1000 images: quick's)
        "l303-example-02--epochs-2--quick.png"]
    assert "in " + str(copy / "mine") in completed.stdout
    assert "mine/" in (REPO / ".gitignore").read_text().splitlines()
