"""THE CHOICE OF LOSS: from the same bad weights, cross-entropy learns far faster than MSE."""

from conftest import run_and_read


def test_cross_entropy_learns_faster_than_mse_from_bad_weights(tmp_path):
    # The slide's own settings: 1000 Gaussian inputs, SGD 1.0, 100 epochs of batch 100.
    result = run_and_read("l303-example-02a", tmp_path)
    mse = result["histories"]["mean_squared_error"]["loss"]
    cross_entropy = result["histories"]["binary_crossentropy"]["loss"]
    assert len(mse) == len(cross_entropy) == 100
    # After 10 epochs MSE has barely moved from its plateau, cross-entropy has fallen 20-fold.
    assert mse[9] > 0.95 * mse[0]
    assert cross_entropy[9] < 0.05 * cross_entropy[0]
    # Epochs to halve the first epoch's loss: a scale-free measure of learning speed.
    halve = result["notes"]["epochs_to_halve"]
    assert halve["binary_crossentropy"] <= 5
    assert halve["mean_squared_error"] is None or halve["mean_squared_error"] >= 30
