"""data/mnist.npz is real MNIST in the Keras layout, and the loader refuses anything else."""

import subprocess
import sys

import numpy as np
import pytest

import build_mnist
import l303
import l303_files
from conftest import EXAMPLES, REPO


@pytest.fixture(scope="module")
def arrays():
    return l303_files.load_mnist_arrays()


def test_the_arrays_have_the_keras_shapes_and_dtypes(arrays):
    assert arrays["x_train"].shape == (60000, 28, 28) and arrays["x_train"].dtype == np.uint8
    assert arrays["y_train"].shape == (60000,) and arrays["y_train"].dtype == np.uint8
    assert arrays["x_test"].shape == (10000, 28, 28) and arrays["x_test"].dtype == np.uint8
    assert arrays["y_test"].shape == (10000,) and arrays["y_test"].dtype == np.uint8


def test_the_published_mnist_facts_hold(arrays):
    assert np.bincount(arrays["y_train"]).tolist() == build_mnist.TRAIN_LABEL_COUNTS
    assert np.bincount(arrays["y_test"]).tolist() == build_mnist.TEST_LABEL_COUNTS
    assert arrays["y_train"][:10].tolist() == build_mnist.FIRST_TRAIN_LABELS
    assert arrays["y_test"][:10].tolist() == build_mnist.FIRST_TEST_LABELS
    assert round(float(arrays["x_train"].mean()), 4) == build_mnist.MEAN_TRAIN_BYTE
    assert round(float(arrays["x_test"].mean()), 4) == build_mnist.MEAN_TEST_BYTE


def test_load_mnist_scales_pixels_and_one_hot_encodes_labels(arrays):
    data = l303.load_mnist(train_size=10000)
    assert data.x_train.shape == (10000, 28, 28) and data.x_train.dtype == np.float32
    assert data.x_test.shape == (10000, 28, 28)
    assert 0.0 == data.x_train.min() and data.x_train.max() == 1.0
    np.testing.assert_array_equal(data.x_train[7] * 255, arrays["x_train"][7])
    assert data.y_train.shape == (10000, 10)
    np.testing.assert_array_equal(data.y_train.argmax(axis=1), arrays["y_train"][:10000])
    np.testing.assert_array_equal(data.y_train.sum(axis=1), 1.0)
    np.testing.assert_array_equal(data.test_labels, arrays["y_test"])


def test_the_validation_split_is_the_lectures_last_10000_training_images(arrays):
    data = l303.load_mnist(train_size=10000, validation=True, shape=(28, 28, 1))
    assert data.x_valid.shape == (10000, 28, 28, 1) and data.x_train.shape == (10000, 28, 28, 1)
    np.testing.assert_array_equal(data.x_valid[:, :, :, 0] * 255, arrays["x_train"][50000:])
    np.testing.assert_array_equal(data.y_valid.argmax(axis=1), arrays["y_train"][50000:])
    with pytest.raises(ValueError):
        l303.load_mnist(train_size=50001, validation=True)  # would overlap the validation set


@pytest.mark.parametrize("damage", ["missing", "truncated", "altered"])
def test_a_bad_data_file_is_reported_in_one_line(tmp_path, damage):
    original = l303_files.MNIST_FILE.read_bytes()
    bad = tmp_path / "mnist.npz"
    if damage == "truncated":
        bad.write_bytes(original[: len(original) // 2])
    elif damage == "altered":
        arrays = dict(l303_files.load_mnist_arrays())
        arrays["x_train"] = arrays["x_train"].copy()
        arrays["x_train"][0, 14, 14] ^= 1  # one pixel, one bit
        np.savez_compressed(bad, **arrays)
    completed = subprocess.run(
        [sys.executable, "-c", "import l303_files; l303_files.load_mnist_arrays()"], cwd=EXAMPLES,
        env={"L303_MNIST": str(bad), "PATH": ""}, capture_output=True, text=True)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    expected = {"missing": "missing", "truncated": "damaged or truncated",
                "altered": "does not match its checksum"}[damage]
    assert expected in lines[0] and "git checkout -- data/mnist.npz" in lines[0]


def test_the_data_readme_states_the_checksum_the_loader_checks():
    assert l303_files.MNIST_SHA256 in (REPO / "data" / "README.md").read_text()
