"""Slide "DIFFERENT ACTIVATION FUNCTION? (III)": sigmoid against ReLU in a 784-256-256-10 network.

Lesson: ReLU's gradient does not vanish for large inputs (sigmoid's does), and it switches some
neurons off, so a larger network trains faster with ReLU: "It improves!" Expect the ReLU network
(SGD 0.2) to reach a lower loss and a higher validation accuracy within the 40 epochs than the
sigmoid one (SGD 1.0), as on the slide.

The slide gives the networks, optimizers and 40 epochs; the data follow the slides before it: the
first 10000 training images, batch 120, validated on the test set.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 40  # the slide's
BATCH_SIZE = 120
TRAIN_SIZE = 10000
LEARNING_RATES = {"sigmoid": 1.0, "relu": 0.2}  # the slide's, one per activation; try 1.0 for relu

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE, train_size=TRAIN_SIZE)
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% 784-256-256-10 with the given hidden activation
def build_model(activation):
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(256, activation=activation),
        layers.Dense(256, activation=activation),
        layers.Dense(10, activation="softmax"),
    ])


for activation, learning_rate in LEARNING_RATES.items():
    label = f"{activation}, SGD lr={learning_rate:g}"
    keras.utils.set_random_seed(args.seed)
    model = build_model(activation)
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(activation, label))
    run.report_performance(model, activation, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))

run.save()
