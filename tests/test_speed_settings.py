"""steps_per_execution makes small batches fast without changing a single number."""

import keras
import numpy as np
from keras import layers

import l303


def baseline_history(steps_per_execution, data):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(30, activation="sigmoid"),
        layers.Dense(10, activation="sigmoid"),
    ])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD(learning_rate=3.0),
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    history = model.fit(data.x_train, data.y_train, epochs=2, batch_size=10, verbose=0,
                        validation_data=(data.x_test, data.y_test))
    return history.history, model.get_weights()


def test_steps_per_execution_gives_identical_histories_and_weights():
    # 600 steps an epoch: one call of 500 steps, then one of 100, against 600 calls of one.
    data = l303.load_mnist(train_size=6000, test_size=500)
    plain_history, plain_weights = baseline_history(1, data)
    fast_history, fast_weights = baseline_history(l303.default_steps_per_execution(), data)
    assert plain_history == fast_history
    for plain, fast in zip(plain_weights, fast_weights):
        np.testing.assert_array_equal(plain, fast)


def test_the_progress_bar_counts_the_epochs_own_steps_not_a_whole_execution(capsys):
    # Keras 3.15 shows "500/9" for an epoch of 9 batches run within one execution of 500 steps
    # (keras-team/keras#20861); importing l303 caps the count at the epoch's steps.
    data = l303.load_mnist(train_size=90, test_size=10)
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
    model.compile(loss="mean_squared_error", optimizer="sgd", steps_per_execution=500)
    model.fit(data.x_train, data.y_train, epochs=1, batch_size=10, verbose=1)
    shown = capsys.readouterr().out
    assert "9/9" in shown and "500/9" not in shown, shown
