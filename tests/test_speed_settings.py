"""steps_per_execution makes small batches fast without changing a single number; validation_batches
makes validation fast on the same images, changing only the order of the float sums."""

import keras
import numpy as np
from keras import layers

import l303
import l303_workarounds

l303.start_keras()  # as parse_args does in a script


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
    fast_history, fast_weights = baseline_history(l303_workarounds.default_steps_per_execution(), data)
    assert plain_history == fast_history
    for plain, fast in zip(plain_weights, fast_weights):
        np.testing.assert_array_equal(plain, fast)


def progress_shown(capsys, callbacks):
    """What fit's progress bar prints for an epoch of 9 batches run within one execution of 500."""
    data = l303.load_mnist(train_size=90, test_size=10)
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
    model.compile(loss="mean_squared_error", optimizer="sgd", steps_per_execution=500)
    model.fit(data.x_train, data.y_train, epochs=1, batch_size=10, verbose=1, callbacks=callbacks)
    return capsys.readouterr().out


def test_the_progress_bar_counts_the_epochs_own_steps_not_a_whole_execution(capsys):
    # Keras 3.15 shows "500/9" (keras-team/keras#20861); run.callbacks() brings a progress bar
    # that stops counting at the epoch's own steps.
    shown = progress_shown(capsys, [l303_workarounds.ProgressBarWithinTheEpoch()])
    assert "9/9" in shown and "500/9" not in shown, shown


def test_keras_progress_bar_still_overshoots(capsys):
    """The defect behind ProgressBarWithinTheEpoch: when this fails, the pinned Keras counts
    right by itself and the workaround can go."""
    shown = progress_shown(capsys, [])
    assert "500/9" in shown, "Keras' own progress bar counts right now: the workaround can go"


def batches_of(data):
    """Every batch a Keras data adapter gets from DATA, as NumPy arrays, in order."""
    from keras.src.trainers.data_adapters import get_data_adapter

    adapter = get_data_adapter(data, shuffle=False)
    return [tuple(keras.ops.convert_to_numpy(part) for part in batch)
            for batch in adapter.get_numpy_iterator()]


def test_validation_batches_hold_every_image_and_label_once_in_order():
    # 10000 images in batches of 2500: four; 2501 leave a last batch of one.
    data = l303.load_mnist(train_size=10, test_size=2501)
    batches = batches_of(l303.validation_batches(data.x_test, data.y_test))
    assert [len(x) for x, _ in batches] == [2500, 1]
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]), data.x_test)
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]), data.y_test)


def test_validation_in_batches_differs_from_keras_own_only_in_float_rounding():
    data = l303.load_mnist(train_size=1000, test_size=3000)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((784,)),
                              layers.Dense(30, activation="sigmoid"),
                              layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.0),
                  metrics=["accuracy"], steps_per_execution=500)
    logs = {}
    for way, validation_data in (("keras", (data.x_test, data.y_test)),
                                 ("suite", l303.validation_batches(data.x_test, data.y_test))):
        keras.utils.set_random_seed(1)
        fresh = keras.models.clone_model(model)
        fresh.compile(loss="categorical_crossentropy", metrics=["accuracy"],
                      optimizer=keras.optimizers.SGD(learning_rate=1.0), steps_per_execution=500)
        fresh.set_weights(model.get_weights())
        logs[way] = fresh.fit(data.x_train, data.y_train, batch_size=100, epochs=3, shuffle=False,
                              validation_data=validation_data, verbose=0).history
    assert logs["keras"]["loss"] == logs["suite"]["loss"]  # training is untouched
    assert logs["keras"]["val_accuracy"] == logs["suite"]["val_accuracy"]  # the same 3000 images
    np.testing.assert_allclose(logs["suite"]["val_loss"], logs["keras"]["val_loss"], rtol=1e-6)
    # A validation on other images (the first 2500 of them) is not within rounding.
    other = fresh.evaluate(*[part[:2500] for part in (data.x_test, data.y_test)], verbose=0)
    assert abs(other[0] - logs["suite"]["val_loss"][-1]) > 1e-4
