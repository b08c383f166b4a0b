"""Slide "CAN WE DO SOMETHING WITH THE LEARNING METHOD?": SGD with learning rates 0.2, 2.0 and 20.

Lesson: the learning rate decides how far each step moves (theta -> theta - eta * grad L). Too small
and training is slow; too large and the steps overshoot, so learning becomes a random walk or blows
up. Expect 0.2 to learn steadily but slowly, 2.0 to learn fastest, and 20 to be erratic or diverge.
A run that diverges (its loss becomes NaN or infinite) is stopped there, said so in words, and its
curve ends where it diverged.

The slide shows only the compile lines; the rest follows the slides before it: the 784-30-10
softmax network of example 03, the first 10000 training images, 100 epochs of batch 120, validated
on the test set. All three start from the same initial weights (the slide's clone_model would give
each new random weights).
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 100  # try 20: the differences show in the first epochs
BATCH_SIZE = 120
TRAIN_SIZE = 10000
LEARNING_RATES = (0.2, 2.0, 20.0)  # the slide's; try 0.02 or 50

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE, train_size=TRAIN_SIZE)
parser.add_argument("--learning-rates", "--lr", type=l303.positive_float, nargs="+",
                    default=LEARNING_RATES, metavar="LR",
                    help="the SGD learning rates to compare; --lr 0.5 runs one (default: 0.2 2 20)")
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


for learning_rate in args.learning_rates:
    key, label = f"lr_{learning_rate:g}", f"SGD lr={learning_rate:g}"
    keras.utils.set_random_seed(args.seed)  # the same initial weights for every learning rate
    model = build_model()
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))

run.save(l303.figure(log_loss=True))
