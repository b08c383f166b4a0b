"""make setup (tools/setup.sh) picks a Python and the backend it can have (TensorFlow on 3.11-3.13,
JAX on 3.14 and 3.15, or the one asked for), or says in one line what to do, and never reuses a
.venv made by another Python, for another backend or left half-made.

Stand-in interpreters play the Pythons: each answers the version query, makes a "venv" (a copy of
itself) and writes down the pip and uv commands it is given, so nothing is downloaded. Real ones,
Debian's 3.14 and 3.15, were tried by hand (figures/MEASUREMENTS.md). make wheels resolves every
environment for every Python and OS it is promised to; the last table of it must be of today's
requirements and all wheels."""

import importlib.util
import os
import shutil
import subprocess

import pytest

import wheels
from conftest import REPO

SETUP = REPO / "tools" / "setup.sh"
TOOLS = ("sh", "mkdir", "cp", "rm", "cat", "cksum", "tr", "dirname")
JAX = "requirements-jax.txt --excludes requirements-jax-excluded.txt"  # uv's, without h5py


def fake_python(folder, name, version):
    path = folder / name
    path.write_text(f"""#!/bin/sh
# {name}: a stand-in Python {version}
case "$1" in
    -c) echo {version} ;;
    -m) case "$2" in
            venv) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
            pip|uv) echo "$0 $*" >> "$(dirname "$0")/../../pip.log" ;;
        esac ;;
esac
""")
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path):
    """A folder with the requirements and a PATH of its own: the basic tools and no Python."""
    for name in ("requirements.txt", "requirements-common.txt", "requirements-jax.txt",
                 "requirements-jax-excluded.txt", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), bin_folder / tool)
    return tmp_path


def setup(project, *arguments):
    return subprocess.run(["/bin/sh", str(SETUP), *map(str, arguments)], cwd=project,
                          env={"PATH": str(project / "bin")}, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("version", ["3.9", "3.10"])
def test_an_unsupported_python_ends_in_one_line_before_anything_is_made(project, version):
    python = fake_python(project / "bin", f"python{version}", version)
    for arguments in ((python, ".venv"), ("", ".venv")):  # named, and found on the PATH
        if not arguments[0]:
            os.symlink(python, project / "bin" / "python3")
        completed = setup(project, *arguments)
        assert completed.returncode == 1
        lines = completed.stderr.splitlines()
        assert len(lines) == 1, completed.stderr
        assert f"is Python {version}" in lines[0] and "3.11, 3.12 or 3.13 (TensorFlow)" in lines[0]
        assert "3.12 to 3.15 (JAX)" in lines[0]
        assert "make setup PYTHON=/path/to/python3.12" in lines[0]
        assert not (project / ".venv").exists()


def test_no_python_at_all_is_said_in_one_line(project):
    completed = setup(project, "", ".venv")
    assert completed.returncode == 1 and len(completed.stderr.splitlines()) == 1
    assert "none of python3.15 python3.14 python3.13 python3.12 python3.11 python3 is on the " \
           "PATH" in completed.stderr


def installed_from(project):
    """What the environment was installed from (the stand-in's pip log): uv's arguments after
    -r, the requirements file and what it leaves out."""
    return [line.split(" -r ")[1] for line in (project / "pip.log").read_text().splitlines()
            if " -r " in line]


@pytest.mark.parametrize("version", ["3.14", "3.15"])
def test_a_python_without_tensorflow_wheels_gets_jax_and_says_why(project, version):
    fake_python(project / "bin", f"python{version}", version)
    completed = setup(project, "", ".venv")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        f"setup: making .venv with python{version} (Python {version}) for JAX, since TensorFlow "
        f"2.21 has no wheels for Python {version} (make setup BACKEND=tensorflow PYTHON=... takes "
        f"a Python 3.11-3.13) ..."]
    assert installed_from(project) == [JAX]
    assert (project / ".venv" / ".installed").read_text().startswith(f"python {version} backend jax ")


def test_tensorflow_is_preferred_where_both_can_be_had_and_either_can_be_asked_for(project):
    fake_python(project / "bin", "python3.14", "3.14")
    fake_python(project / "bin", "python3.13", "3.13")
    fake_python(project / "bin", "python3.11", "3.11")
    completed = setup(project, "", ".venv")
    assert "with python3.13 (Python 3.13) for TensorFlow, the reference run's backend" in completed.stdout
    assert installed_from(project) == ["requirements.txt"]
    (project / "pip.log").unlink()
    completed = setup(project, "", ".venv", "jax")  # made for TensorFlow: made anew, for JAX
    assert completed.returncode == 0, completed.stderr
    assert "made by Python 3.13 for tensorflow" in completed.stderr
    assert "with python3.14 (Python 3.14) for JAX, as asked (BACKEND=jax)" in completed.stdout
    assert installed_from(project) == [JAX]
    (project / "pip.log").unlink()
    for arguments in (("", ".venv"), ("", ".venv", "jax")):  # kept: asked for, or nothing asked
        completed = setup(project, *arguments)
        assert completed.returncode == 0 and not (project / "pip.log").exists(), completed.stderr
    completed = setup(project, "", ".venv", "tensorflow")
    assert "with python3.13 (Python 3.13) for TensorFlow, as asked" in completed.stdout
    assert installed_from(project) == ["requirements.txt"]


def test_a_backend_the_pythons_found_cannot_have_is_one_line(project):
    fake_python(project / "bin", "python3.11", "3.11")
    completed = setup(project, "", ".venv", "jax")
    lines = completed.stderr.splitlines()
    assert completed.returncode == 1 and len(lines) == 1, completed.stderr
    assert "no Python 3.12 to 3.15 found (python3.11 is Python 3.11); JAX 0.12 needs" in lines[0]
    fake_python(project / "bin", "python3.14", "3.14")
    completed = setup(project, "", ".venv", "tensorflow")
    lines = completed.stderr.splitlines()
    assert completed.returncode == 0, completed.stderr  # 3.11 can have TensorFlow
    shutil.rmtree(project / "bin")
    (project / "bin").mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), project / "bin" / tool)
    fake_python(project / "bin", "python3.14", "3.14")
    completed = setup(project, "", ".venv", "tensorflow")
    lines = completed.stderr.splitlines()
    assert completed.returncode == 1 and len(lines) == 1, completed.stderr
    assert "no Python 3.11, 3.12 or 3.13 found (python3.14 is Python 3.14); TensorFlow 2.21" in lines[0]
    completed = setup(project, "", ".venv", "pytorch")
    assert completed.returncode == 1 and "use tensorflow or jax" in completed.stderr


def test_the_newest_supported_python_on_the_path_is_chosen(project):
    for version in ("3.9", "3.11", "3.12"):
        fake_python(project / "bin", f"python{version}", version)
    os.symlink(project / "bin" / "python3.9", project / "bin" / "python3")
    completed = setup(project, "", ".venv")
    assert completed.returncode == 0, completed.stderr
    assert "python3.12 (Python 3.12) for TensorFlow" in completed.stdout
    assert (project / ".venv" / ".installed").read_text().startswith("python 3.12 backend tensorflow ")


def test_a_venv_of_another_python_or_half_made_is_made_anew_and_a_good_one_kept(project):
    old = fake_python(project / "bin", "python3.9", "3.9")
    new = fake_python(project / "bin", "python3.12", "3.12")
    venv = project / ".venv"

    def made_by(python, stamp):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
        (venv / "marker").write_text("the old environment")
        if stamp is not None:
            (venv / ".installed").write_text(stamp)

    # Made by Python 3.9 (a setup with the wrong Python that got as far as the stamp).
    made_by(old, "python 3.9 whatever")
    completed = setup(project, new, ".venv")
    assert completed.returncode == 0, completed.stderr
    assert "made by Python 3.9" in completed.stderr
    assert not (venv / "marker").exists()
    assert subprocess.run([str(venv / "bin" / "python"), "-c", ""], capture_output=True,
                          text=True).stdout.strip() == "3.12"
    pip_log = (project / "pip.log").read_text()
    # Every package with its bytecode, compiled once (no start compiles TensorFlow again).
    assert "-m uv pip install --quiet --system-certs --compile-bytecode -r requirements.txt" in pip_log
    assert "-m uv pip install --quiet --system-certs --no-deps --editable ." in pip_log
    stamp = (venv / ".installed").read_text()
    assert stamp.startswith("python 3.12 backend tensorflow ") and "requirements.txt" in stamp

    # Complete and from today's requirements: kept, with or without PYTHON.
    (venv / "marker").write_text("keep me")
    for arguments in ((new, ".venv"), ("", ".venv")):
        completed = setup(project, *arguments)
        assert completed.returncode == 0 and (venv / "marker").exists(), completed.stderr

    # Complete, but another supported Python asked for (make setup PYTHON=...): made anew by it.
    other = fake_python(project / "bin", "python3.11", "3.11")
    completed = setup(project, other, ".venv")
    assert completed.returncode == 0 and "made by Python 3.12" in completed.stderr
    assert not (venv / "marker").exists()
    assert (venv / ".installed").read_text().startswith("python 3.11 backend tensorflow ")
    setup(project, new, ".venv")  # back to 3.12 for what follows
    (venv / "marker").write_text("keep me")

    # Half-made (no stamp: pip failed), even by the right Python: made anew.
    made_by(new, None)
    completed = setup(project, new, ".venv")
    assert completed.returncode == 0 and "incomplete" in completed.stderr
    assert not (venv / "marker").exists()

    # New requirements, of this backend or of both: made anew.
    for changed in ("requirements.txt", "requirements-common.txt"):
        (venv / "marker").write_text("stale")
        with open(project / changed, "a") as requirements:
            requirements.write("# a new pin\n")
        completed = setup(project, new, ".venv")
        assert completed.returncode == 0 and not (venv / "marker").exists(), changed


def test_make_run_with_an_unsupported_python_says_so_in_one_line_and_makes_nothing(project):
    python = fake_python(project / "bin", "python3.9", "3.9")
    (project / "tools").mkdir()
    shutil.copy(SETUP, project / "tools" / "setup.sh")
    shutil.copy(REPO / "Makefile", project / "Makefile")
    os.symlink(shutil.which("make"), project / "bin" / "make")
    completed = subprocess.run(["make", "run", f"PYTHON={python}"], cwd=project,
                               env={"PATH": str(project / "bin")}, capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode != 0
    lines = (completed.stdout + completed.stderr).splitlines()
    assert len(lines) == 1 and "is Python 3.9" in lines[0] and "PYTHON=/path/to/python3.12" in lines[0]
    assert not (project / ".venv").exists()
    completed = subprocess.run(["make", "run", "BACKEND=jax", "PYTHON=python3.9"], cwd=project,
                               env={"PATH": str(project / "bin")}, capture_output=True, text=True,
                               timeout=60)
    lines = (completed.stdout + completed.stderr).splitlines()
    assert completed.returncode != 0 and len(lines) == 1 and "JAX 0.12 needs" in lines[0], lines


def test_a_jax_environment_is_made_anew_when_what_it_leaves_out_changes(project):
    fake_python(project / "bin", "python3.14", "3.14")
    venv = project / ".venv"
    assert setup(project, "", ".venv").returncode == 0
    (venv / "marker").write_text("made before")
    assert setup(project, "", ".venv").returncode == 0 and (venv / "marker").exists()
    with open(project / "requirements-jax-excluded.txt", "a") as excluded:
        excluded.write("rich\n")
    completed = setup(project, "", ".venv")
    assert completed.returncode == 0 and not (venv / "marker").exists(), completed.stderr


def test_the_wheel_table_is_of_todays_requirements_and_every_pair_has_wheels(tmp_path):
    """figures/MEASUREMENTS.md's table (make wheels): one row per backend and Python of
    setup.sh, each OS a column, every cell "wheels", and the digest of what it resolved equal to
    today's. A pin changed since (here: scipy, in a copy) changes the digest."""
    written = wheels.written_table(wheels.MEASUREMENTS.read_text())
    assert written, "figures/MEASUREMENTS.md has no table of make wheels"
    assert wheels.DIGEST_LINE.search(written).group(1) == wheels.digest(), \
        "the requirements changed since the last make wheels: run it (and commit its table)"
    rows = [line.strip("|").split("|") for line in written.splitlines()
            if line.startswith("| ") and not line.startswith("| backend")]
    expected = [(backend, python) for backend, pythons, _ in wheels.environments()
                for python in pythons]
    assert [(row[0].strip(), row[1].strip()) for row in rows] == expected
    assert all(cell.strip() == "wheels" for row in rows for cell in row[2:]) and \
        all(len(row) == 2 + len(wheels.PLATFORMS) for row in rows), written
    for name in ("tools", "requirements.txt", "requirements-common.txt", "requirements-jax.txt",
                 "requirements-jax-excluded.txt"):
        (shutil.copytree if name == "tools" else shutil.copy)(REPO / name, tmp_path / name)
    assert wheels.digest(tmp_path) == wheels.digest()
    common = tmp_path / "requirements-common.txt"
    common.write_text(common.read_text().replace("scipy==1.18.1", "scipy==1.18.0"))
    assert wheels.digest(tmp_path) != wheels.digest()


def test_the_wheel_check_fails_where_a_pin_has_no_wheel_for_a_promised_python(tmp_path):
    """scipy 1.17.1 for every Python, as before: the JAX environment still resolves on 3.14 and
    no longer on 3.15 (no wheel), and the check names the pin. Asks uv's cache, or the package
    registry where the cache has no answer."""
    if importlib.util.find_spec("uv") is None:
        pytest.skip("uv is not installed (make setup installs it)")
    for name in ("requirements-common.txt", "requirements-jax.txt",
                 "requirements-jax-excluded.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    common = tmp_path / "requirements-common.txt"
    lines = [line for line in common.read_text().splitlines() if not line.startswith("scipy==")]
    common.write_text("\n".join(lines + ["scipy==1.17.1"]) + "\n")
    arguments = {backend: arguments for backend, _, arguments in wheels.environments()}["jax"]

    def resolve(python):  # from uv's cache where it has the answer (0.4 s), else the registry
        answer = wheels.resolve(arguments, python, "x86_64-manylinux_2_28", tmp_path, offline=True)
        if answer is not None and "scipy" not in answer:
            answer = wheels.resolve(arguments, python, "x86_64-manylinux_2_28", tmp_path)
        return answer

    on_314 = resolve("3.14")
    if on_314 is not None and "scipy" not in on_314:
        pytest.skip(f"the package registry did not answer: {on_314}")
    assert on_314 is None
    on_315 = resolve("3.15")
    assert on_315 is not None and "scipy==1.17.1 has no usable wheels" in on_315, on_315
