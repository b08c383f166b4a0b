"""Slide "DIFFERENT TRAINING ALGORITHM? (III)": SGD 2.0 against RMSprop and Adadelta.

Lesson: adaptive methods give each parameter its own, changing learning rate (Adagrad, Adadelta,
RMSprop, Adam, Adamax, Nadam). They help most with complex networks; "with our simple network SGD
actually performs very well!" Expect all three to learn, SGD 2.0 holding its own.

Learning rates: each optimizer gets Keras 2.1's default, as on the slide (`RMSprop()`,
`Adadelta()`): RMSprop 0.001, Adadelta 1.0, Adagrad 0.01, Adam 0.001, Adamax 0.002, Nadam 0.002.
Keras 3 changed several defaults (Adadelta to 0.001, where it barely moves), so they are spelled out.
    --optimizers sgd rmsprop adadelta adagrad adam adamax nadam     adds the others the slide lists
The network, data and budget follow the slides before it (see example 06).
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 100
BATCH_SIZE = 120
TRAIN_SIZE = 10000
OPTIMIZERS = ("sgd", "rmsprop", "adadelta")  # the slide's three
SGD_LEARNING_RATE = 2.0  # the slide's SGD(lr=2.0); try 0.5: plain SGD, tuned down

# Keras 2.1's default learning rates, which the slide relied on.
KERAS2_OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=SGD_LEARNING_RATE),
    "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=0.001),
    "adadelta": lambda: keras.optimizers.Adadelta(learning_rate=1.0),  # Keras 3 default: 0.001
    "adagrad": lambda: keras.optimizers.Adagrad(learning_rate=0.01),
    "adam": lambda: keras.optimizers.Adam(learning_rate=0.001),
    "adamax": lambda: keras.optimizers.Adamax(learning_rate=0.002),
    "nadam": lambda: keras.optimizers.Nadam(learning_rate=0.002),
}

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE, train_size=TRAIN_SIZE)
parser.add_argument("--optimizers", nargs="+", choices=sorted(KERAS2_OPTIMIZERS),
                    default=OPTIMIZERS, metavar="NAME",
                    help="which to compare: " + ", ".join(KERAS2_OPTIMIZERS)
                         + " (default: sgd rmsprop adadelta)")
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


for name in args.optimizers:
    optimizer = KERAS2_OPTIMIZERS[name]()
    label = f"{type(optimizer).__name__} lr={float(optimizer.learning_rate):g}"
    keras.utils.set_random_seed(args.seed)  # the same initial weights for every optimizer
    model = build_model()
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(name, label))
    run.report_performance(model, name, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))

run.save()
