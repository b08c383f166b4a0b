"""Mistakes a student will make on the command line end in one clear line, exit status 2."""

import pytest

from conftest import run_script


@pytest.mark.parametrize("flags, complaint", [
    (["--epochs", "0"], "--epochs: expected a positive integer, got '0'"),
    (["--lr", "abc"], "--lr: expected a positive number, got 'abc'"),
    (["--lr", "-1"], "--lr: expected a positive number"),
    (["--train-size", "70000"], "--train-size: expected an integer from 1 to 60000, got '70000'"),
    (["--batch-size", "ten"], "--batch-size: expected a positive integer"),
    (["--seed", "-3"], "--seed: expected an integer >= 0"),
    (["--epocs", "3"], "unrecognized arguments: --epocs 3"),
])
def test_a_bad_flag_gives_a_one_line_usage_error(flags, complaint):
    completed = run_script("l303-example-01", *flags, check=False)
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and complaint in lines[0], completed.stderr
    assert "Traceback" not in completed.stderr


def test_help_lists_the_slide_and_the_defaults_from_the_constants():
    completed = run_script("l303-example-03", "--help")
    assert 'Slide "TRY IT OUT!"' in completed.stdout
    assert "learning rate (default: 1.0)" in completed.stdout
    assert "mini-batch size (default: 30)" in completed.stdout
