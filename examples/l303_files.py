"""Plumbing behind the l303 scripts that a student never needs to read: files, checksums, records.

Nothing here imports Keras, so the tools (report, compare) format results without loading a
backend. The scripts reach all of this through l303, which imports it.

- the committed MNIST file: its checksum, and one clear line when it is missing or damaged;
- the JSON record: NumPy numbers made plain, versions, the fingerprint of the code behind a result;
- files written whole or not at all (write_atomically);
- the training FLOPs of a model, for `make bench`;
- importing Keras without TensorFlow's start-up chatter.
"""

import hashlib
import importlib.metadata
import json
import logging
import math
import os
import platform
import re
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MNIST_FILE = Path(os.environ.get("L303_MNIST", REPO / "data" / "mnist.npz"))
# sha256 of the four arrays (names, dtypes, shapes and bytes), as computed by arrays_sha256().
MNIST_SHA256 = "869043a08a4d18821fa17546401bfbe66053b5e347a0a99c9ae9e6cbd1f08db0"
MNIST_ARRAYS = ("x_train", "y_train", "x_test", "y_test")


# ---------------------------------------------------------------------------------------------
# The MNIST file
# ---------------------------------------------------------------------------------------------

def arrays_sha256(arrays):
    """One checksum over the four MNIST arrays, independent of how the .npz was compressed."""
    digest = hashlib.sha256()
    for name in MNIST_ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _restore_hint(path):
    return (f"Restore it with `git checkout -- data/mnist.npz` from the repository root "
            f"(or rebuild it: python data/build_mnist.py). File: {path}")


_verified_arrays = {}


def load_mnist_arrays(path=None):
    """The raw uint8 arrays of data/mnist.npz, exactly as keras.datasets.mnist.load_data() gives them.

    A missing, truncated or altered file ends the program with one line saying so (exit status 1).
    """
    path = Path(path or MNIST_FILE)
    key = str(path.resolve())
    if key in _verified_arrays:
        return _verified_arrays[key]
    if not path.is_file():
        raise SystemExit(f"error: the MNIST file is missing. {_restore_hint(path)}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in MNIST_ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SystemExit(f"error: the MNIST file is damaged or truncated ({reason}). "
                         f"{_restore_hint(path)}") from None
    if arrays_sha256(arrays) != MNIST_SHA256:
        raise SystemExit(f"error: the MNIST file does not match its checksum (it was altered). "
                         f"{_restore_hint(path)}")
    _verified_arrays[key] = arrays
    return arrays


# ---------------------------------------------------------------------------------------------
# Records and files
# ---------------------------------------------------------------------------------------------

def plain(value):
    """JSON-safe copy: NumPy numbers become floats or ints, NaN and inf become null."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def json_text(record):
    """The record as indented JSON, with NaN and inf written as null (strict JSON)."""
    return json.dumps(plain(record), indent=1, allow_nan=False) + "\n"


def versions(backend):
    """Python, Keras, NumPy and the backend's package, as installed."""
    found = {"python": platform.python_version(), "numpy": np.__version__}
    for package in ("keras", backend):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def machine():
    """The processor and its cores. Wall times mean little without it: the machines these
    results were made on have differed threefold in speed from one day to another."""
    return f"{platform.machine()}, {processor()}, {os.cpu_count()} cores"


def processor():
    """The CPU's model name; on Linux with its family and model numbers from /proc/cpuinfo,
    which tell processors apart that share a name ("AMD EPYC")."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown processor"
    fields = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())  # the first processor's
    name = fields.get("model name") or platform.processor() or "unknown processor"
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def code_sha256(script_file):
    """Fingerprint of the code behind a result: the script and the shared modules."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in (Path(script_file), here / "l303.py", here / "l303_files.py"):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def write_atomically(path, write):
    """Call write(temporary_path), then rename: a reader never sees half a file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def training_flops_per_image(model):
    """Floating-point operations to train on one image: the multiply-adds of the dense and
    convolution layers, times 2 (multiply and add) and 3 (the forward pass and two backward
    products). Elementwise work (activations, the optimizer) is not counted."""
    multiply_adds = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            multiply_adds += int(np.prod(layer.kernel.shape))
        elif kind == "Conv2D":
            height, width = layer.output.shape[1:3]
            multiply_adds += height * width * int(np.prod(layer.kernel.shape))
    return 2 * 3 * multiply_adds


# ---------------------------------------------------------------------------------------------
# Importing Keras
# ---------------------------------------------------------------------------------------------

_CHATTER = re.compile(r"^([IWE]\d{4} [\d:.]+\s+\d+ \S+:\d+\]|WARNING: All log messages "
                      r"before absl::InitializeLog|To enable the following instructions:)")


def import_keras_quietly():
    """Import Keras with TensorFlow's start-up chatter (CUDA probing, oneDNN notes) left out.

    TensorFlow 2.21 writes these lines from C++ straight to file descriptor 2, and ignores
    TF_CPP_MIN_LOG_LEVEL for them; a student should see our messages, not these. Only lines of
    that known form are dropped: anything else written meanwhile is passed on to stderr.
    L303_VERBOSE_BACKEND=1 shows everything.
    """
    if os.environ.get("L303_VERBOSE_BACKEND", "") not in ("", "0") or "keras" in sys.modules:
        import keras  # noqa: F401
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras

            keras.ops.convert_to_tensor([0.0])  # the first operation probes for GPUs
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            kept = [line for line in captured.read().decode(errors="replace").splitlines()
                    if not _CHATTER.match(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)
    # TensorFlow's Python warnings about retracing: every script that trains several models in a
    # loop (a fresh model each) triggers them, and they only concern speed.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
