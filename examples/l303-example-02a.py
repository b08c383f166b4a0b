"""Slide "THE CHOICE OF LOSS (III)": cross-entropy against mean squared error from the same bad weights.

Lesson: with MSE the gradient carries sigma'(z), so a saturated output neuron learns slowly; with
binary cross-entropy that factor cancels (dL/dw = [sigma(z) - t] dz/dw). From the same hand-set
weights (2, 3) and (4, 5) of example 02, expect the cross-entropy loss to fall steeply from the
first epochs while the MSE loss stays flat for a while.

Both losses are drawn on one plot, as on the slide. Their scales differ, so the script also prints
the number of epochs each needs to halve its starting loss: the fair comparison of their speeds.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import numpy as np

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # try 300: how long does MSE's plateau last?
BATCH_SIZE = 100
LEARNING_RATE = 1.0
TRAIN_SIZE = 1000  # Gaussian inputs x, all with target 0
# w1, b1, w2, b2: both sigmoids saturated; try (0.5, 0.5, 0.5, 0.5): does MSE still lag?
INITIAL_WEIGHTS = (2.0, 3.0, 4.0, 5.0)
LOSSES = ("mean_squared_error", "binary_crossentropy")

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE,
                          max_train_size=1_000_000)
parser.add_argument("--initial-weights", type=l303.finite_float, nargs=4, metavar=("W1", "B1", "W2", "B2"),
                    default=INITIAL_WEIGHTS,
                    help="hand-set weights and biases of the two neurons (default: 2 3 4 5)")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data: random Gaussian inputs, every target 0
x_train = np.random.randn(args.train_size)
y_train = np.zeros(args.train_size)

# %% The same network, twice: once per loss, each from the same bad weights
model = keras.Sequential([
    keras.Input(shape=(1,)),
    layers.Dense(units=1, activation="sigmoid"),
    layers.Dense(units=1, activation="sigmoid"),
])
w1, b1, w2, b2 = args.initial_weights
for loss in LOSSES:
    model.compile(loss=loss, optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  steps_per_execution=args.steps_per_execution)
    model.layers[0].set_weights([np.array([[w1]]), np.array([b1])])
    model.layers[1].set_weights([np.array([[w2]]), np.array([b2])])
    rec = model.fit(l303.shuffled_batches(x_train, y_train, batch_size=args.batch_size),
                    epochs=args.epochs, callbacks=run.callbacks(loss))

    # How fast does each loss fall? Epochs until it is half of its first value.
    history = np.array(rec.history["loss"])
    halved = np.flatnonzero(history <= history[0] / 2)
    epochs_to_halve = int(halved[0]) + 1 if len(halved) else None
    print(f"{loss}: loss {history[0]:.5f} at epoch 1, {history[-1]:.5f} at epoch {len(history)}; "
          f"halved after {epochs_to_halve or 'more than %d' % len(history)} epochs")
    run.notes.setdefault("epochs_to_halve", {})[loss] = epochs_to_halve

# %% Plot both losses on one figure
run.save(l303.figure(metrics=["loss"]))
