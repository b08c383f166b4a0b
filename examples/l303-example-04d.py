"""Slide "BATCH NORMALIZATION (III)": a deeper sigmoid network, with and without batch normalization.

Lesson: in a deeper network the distribution of each layer's inputs keeps shifting while the layers
before it learn ("internal covariate shift"), and sigmoid layers saturate. Normalizing the inputs of
each layer over the mini-batch (then scaling and shifting them by the trained gamma and beta) keeps
them in the sigmoid's sensitive range: expect the normalized 784-128-128-128-10 network to learn much
faster in the first epochs, where the plain one sits saturated at first.

The slide also claims a "mild improvement on the overtraining": the report judges it by the
train-test accuracy gap at the end (figures/RESULTS.md has our numbers and the verdict).

The slide shows BatchNormalization before every Dense layer, 60 epochs; its compile line is cut off
after the loss, so we keep the optimizer of the slides before it, SGD with learning rate 1.0, and
their training set (first 10000 images), batch 120 and validation on the test set.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 60  # the slide's
BATCH_SIZE = 120
LEARNING_RATE = 1.0  # try 0.1: does the plain sigmoid network start even later?
TRAIN_SIZE = 10000
# the slide's 784-128-128-128-10; try (128,) * 6: deeper, where normalization should matter more
HIDDEN_LAYERS = (128, 128, 128)

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% 784-128-128-128-10 sigmoid, optionally with BatchNormalization before each Dense layer
def build_model(batch_normalization):
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((784,))])
    for units in HIDDEN_LAYERS:
        if batch_normalization:
            model.add(layers.BatchNormalization())
        model.add(layers.Dense(units, activation="sigmoid"))
    if batch_normalization:
        model.add(layers.BatchNormalization())
    model.add(layers.Dense(10, activation="softmax"))
    return model


for key, label, batch_normalization in (
        ("sigmoid", "sigmoid", False),
        ("batch_normalization", "sigmoid + batch normalization", True)):
    keras.utils.set_random_seed(args.seed)
    model = build_model(batch_normalization)
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))
    run.report_overtraining(key)

run.save(l303.figure(zoom_last=20))  # where the runs end, on a readable scale
