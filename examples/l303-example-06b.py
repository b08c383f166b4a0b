"""Slide "SIZE OF MINI-BATCH?": mini-batches of 10, 30 and 300.

Lesson: a larger mini-batch averages the gradient over more images, so each step is less random and
the training smoother, but there are fewer steps per epoch; a very small mini-batch makes many noisy
steps, close to a random walk. Expect batch 300 to learn slowest per epoch with the smoothest curve,
batch 10 to fall fastest at first and to be the noisiest.

The slide shows only the three fit calls; the rest follows the slides before it (see example 06),
with the learning rate of the 03/04 network, SGD 1.0, for all three.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 100
LEARNING_RATE = 1.0  # one rate for every batch size; try 0.1 for batch 10
TRAIN_SIZE = 10000
BATCH_SIZES = (10, 30, 300)  # the slide's; try 1000

parser = l303.make_parser(__doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE,
                          train_size=TRAIN_SIZE)
parser.add_argument("--batch-sizes", type=l303.positive_int, nargs="+", default=BATCH_SIZES,
                    metavar="N", help="the mini-batch sizes to compare (default: 10 30 300)")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% The network of example 03
def build_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(30, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])


for batch_size in args.batch_sizes:
    key, label = f"batch_{batch_size}", f"batch {batch_size}"
    keras.utils.set_random_seed(args.seed)  # the same initial weights for every batch size
    model = build_model()
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))

run.save()
