"""make figures keeps its promise (issue 46): every figure, gallery entry and bands file it owns
comes back, byte for byte, from the records alone; and it draws from this sitting's bands."""

import shutil

import pytest

import results
from conftest import REPO

FIGURES = REPO / "figures"
# Drawn by a script itself (l303-pictures' drawings, no record can redraw them): not make figures'.
BY_A_SCRIPT = {"l303-pictures.png"} | {f"l303-pictures-{name}.png" for name in (
    "regularization", "batch-normalization", "artificial-data-expanding", "mini-batch-size",
    "activation-functions", "unstable-gradients")}


@pytest.fixture
def a_copy_of_the_reference(tmp_path):
    """figures/ copied, for one test to change as it likes."""
    shutil.copytree(FIGURES, tmp_path / "figures")
    return tmp_path / "figures"


def owned(folder):
    """What make figures writes: every PNG but the pictures', the gallery, RESULTS.md, the seeds'
    values and the bands file."""
    return sorted(path.relative_to(folder) for path in folder.rglob("*")
                  if path.is_file() and path.name not in BY_A_SCRIPT
                  and (path.suffix == ".png" or path.name in (
                      "README.md", "RESULTS.md", "seeds.csv", "bands.json")))


def test_make_figures_redraws_every_file_it_owns_identical(a_copy_of_the_reference):
    copy = a_copy_of_the_reference
    files = owned(copy)
    assert len(files) >= 40 and "hands-on-practice-02.png" in map(str, files)
    for path in files:
        (copy / path).unlink()
    results.write_reports(copy)
    assert owned(copy) == files
    different = [str(path) for path in files
                 if (copy / path).read_bytes() != (FIGURES / path).read_bytes()]
    assert different == []


def test_make_figures_draws_with_the_bands_it_has_just_written(a_copy_of_the_reference):
    """A seed's record changed: the bands file changes, and so do the figures that show that
    band, the run's own and the overlay that holds it."""
    copy = a_copy_of_the_reference
    record = copy / "spread" / "seed2" / "l303-example-04b.json"
    text = record.read_text()
    assert '"val_loss": [' in text
    record.write_text(text.replace('"val_loss": [', '"val_loss": [2.5, ', 1).replace(
        '"loss": [', '"loss": [2.5, ', 1))
    before = {name: (copy / name).read_bytes() for name in (
        "bands.json", "l303-example-04b.png", "student-run/l303-example-04b.png")}
    results.write_reports(copy)
    changed = [name for name, made in before.items() if (copy / name).read_bytes() != made]
    assert changed == list(before)
