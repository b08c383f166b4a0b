"""Mistakes a student will make on the command line end in one clear line, exit status 2."""

import pytest

import l303
from conftest import EXAMPLES, run_script
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
