"""Slide "DIFFERENT ACTIVATION FUNCTION? (V)": Leaky ReLU against ReLU.

Lesson: a ReLU neuron whose input stays negative outputs 0 with gradient 0 and may never switch on
again; Leaky ReLU keeps a small slope (0.1 here) below zero so it can. In this example "the results
are similar to standard ReLU": expect two close curves.

The same 784-256-256-10 network and settings as example 06d, SGD 0.2 for both. Keras 3 spells the
slide's `LeakyReLU(alpha=0.1)` as `LeakyReLU(negative_slope=0.1)`.

DIFFERENT ACTIVATION FUNCTION? (IV) names PReLU beside it: the slope below zero is a weight that
training learns. `--prelu` adds that third network (`layers.PReLU`, its slopes starting at the
Leaky ReLU's), from the same initial weights; it prints the slopes it learned.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 40
BATCH_SIZE = 120
LEARNING_RATE = 0.2  # example 06d's ReLU rate; try 1.0: does Leaky ReLU survive it better?
TRAIN_SIZE = 10000
NEGATIVE_SLOPE = 0.1  # the slide's alpha; try 0.01 or 0.3

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--negative-slope", type=l303.positive_float, default=NEGATIVE_SLOPE,
                    help=f"Leaky ReLU's slope below zero (default: {NEGATIVE_SLOPE})")
parser.add_argument("--prelu", action="store_true",
                    help="also train a PReLU network, whose slopes below zero are learned")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)

# %% ReLU (as in example 06d) and Leaky ReLU, as separate layers as on the slide; same seed for both
keras.utils.set_random_seed(args.seed)
relu_model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((784,)),
    layers.Dense(256, activation="relu"),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
keras.utils.set_random_seed(args.seed)
leaky_model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((784,)),
    layers.Dense(256),
    layers.LeakyReLU(negative_slope=args.negative_slope),
    layers.Dense(256),
    layers.LeakyReLU(negative_slope=args.negative_slope),
    layers.Dense(10, activation="softmax"),
])
models = {"relu": relu_model, "leaky_relu": leaky_model}
labels = {"relu": "ReLU", "leaky_relu": f"Leaky ReLU {args.negative_slope:g}", "prelu": "PReLU"}
if args.prelu:  # slide (IV): the slope below zero learned, one per neuron, from the Leaky ReLU's
    keras.utils.set_random_seed(args.seed)
    start = keras.initializers.Constant(args.negative_slope)
    models["prelu"] = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(256),
        layers.PReLU(alpha_initializer=start),
        layers.Dense(256),
        layers.PReLU(alpha_initializer=start),
        layers.Dense(10, activation="softmax"),
    ])
for key, model in models.items():
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, labels[key]))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))

if args.prelu:
    slopes = [layer.get_weights()[0] for layer in models["prelu"].layers
              if isinstance(layer, layers.PReLU)]
    run.notes["prelu_slopes"] = summary = {"start": args.negative_slope,
                                           "mean": [float(s.mean()) for s in slopes],
                                           "min": [float(s.min()) for s in slopes],
                                           "max": [float(s.max()) for s in slopes]}
    print("PReLU: learned slopes below zero, per hidden layer: " + "; ".join(
        f"mean {mean:.3f} (from {args.negative_slope:g}), range {low:.3f} to {high:.3f}"
        for mean, low, high in zip(summary["mean"], summary["min"], summary["max"])))

run.save()
