"""Slide "REGULARIZATION (III)": L2 weight decay on the output layer's weights reduces overtraining.

Lesson: adding lambda * sum(w^2) to the loss pushes the weights toward smaller values at every
step ("weight decay"); a network with small weights is less sensitive to the noise of a small
training set. With l2(0.01) on the output layer only, as on the slide, expect the train-test
accuracy gap to narrow, at a price: the test accuracy is lower too (by how much, over seeds:
figures/RESULTS.md, claim "04a"). The regularized model's loss curves include its penalty, so
they sit well above the other model's; the figure says so, and its accuracy panel is the one to
compare.

Hands-on Practice 01, Trial #1 (L1 instead of L2), without editing the code:
    .venv/bin/python examples/l303-example-04a.py --regularizer l1
L1 adds lambda * sum(|w|): it drives many weights to (nearly) exactly zero. The script prints the
mean |w| of the output layer and the share of weights below 0.01 in size for each model, and
its second figure (-output-weights.png) draws the sizes of the output weights of both models.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import numpy as np

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # long enough to overtrain 10000 images
BATCH_SIZE = 120
LEARNING_RATE = 1.0  # try 0.1: a slower start; does the gap still open?
TRAIN_SIZE = 10000  # try 50000: more data, less overtraining, with or without the penalty
REGULARIZER = "l2"  # Practice 01, Trial #1: try "l1"
REG_LAMBDA = 0.01  # the regularization parameter lambda; try 0.001 and 0.1

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--regularizer", choices=("l1", "l2"), default=REGULARIZER,
                    help=f"weight penalty on the output layer (default: {REGULARIZER})")
parser.add_argument("--reg-lambda", type=l303.positive_float, default=REG_LAMBDA,
                    help=f"the regularization parameter lambda (default: {REG_LAMBDA})")
args = l303.parse_args(parser)

# %% Keras and matplotlib, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% The network of example 03, with an optional penalty on the output layer's weights
def build_model(kernel_regularizer):
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(30, activation="sigmoid"),
        layers.Dense(10, activation="softmax", kernel_regularizer=kernel_regularizer),
    ])


penalty = {"l1": keras.regularizers.l1, "l2": keras.regularizers.l2}[args.regularizer]
variants = {  # key: (label, regularizer)
    "none": ("no regularization", None),
    args.regularizer: (f"{args.regularizer}({args.reg_lambda:g}) on output weights",
                       penalty(args.reg_lambda)),
}
weight_sizes = {}  # key -> |w| of the output layer's 300 weights
for key, (label, kernel_regularizer) in variants.items():
    keras.utils.set_random_seed(args.seed)  # both models start from the same weights
    model = build_model(kernel_regularizer)
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

    # What the penalty did to the output weights
    output_weights = np.abs(model.layers[-1].get_weights()[0])
    weight_sizes[key] = output_weights.ravel()
    run.notes.setdefault("output_weights", {})[key] = {
        "mean_abs": float(output_weights.mean()),
        "share_below_0.01": float(np.mean(output_weights < 0.01)),
    }
    print(f"[{label}] output weights: mean |w| {output_weights.mean():.4f}, "
          f"{100 * np.mean(output_weights < 0.01):.1f}% below 0.01 in size")

penalty_term = {"l1": "lambda * sum(|w|)", "l2": "lambda * sum(w^2)"}[args.regularizer]
history_figure = l303.figure(
    note=f"The {args.regularizer} model's loss includes its penalty {penalty_term}: compare the "
         f"accuracies.")

# %% Practice 01, Trial #1: the sizes of the output weights, L2 (or L1) against none
weights_figure = l303.figure("output_weights", sizes=weight_sizes)

run.save(history_figure, output_weights=weights_figure)
