"""Slide "SLOW LEARNING WITH BAD WEIGHTS": a 1->1->1 sigmoid network that starts far from the answer.

Lesson: with mean squared error a network learns *slowest* when it is most wrong. Every input is
mapped to a target of 0, but the hand-set weights (2, 3) and (4, 5) saturate the output sigmoid
near 1, where sigma'(z) ~ 0: the loss stays flat for a while before the training really starts.

Slide "SLOW LEARNING WITH BAD WEIGHTS (III)" then shows a second plot: "the situation is better if
one uses a different initial values". The script trains the same network a second time from
(0.5, 0.5) and (0.5, 0.5) (our choice: the slide does not print its values), where the output
sigmoid sits near 0.7 with sigma'(z) ~ 0.2, and draws both losses: expect a long plateau from the
bad start, a fall from the first epoch from the other.

    .venv/bin/python examples/l303-example-02.py --initial-weights 3 3 6 6     # an even worse start
    .venv/bin/python examples/l303-example-02.py --different-weights 0 0 0 0   # another different start
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import numpy as np

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # try 300: does the saturated neuron ever catch up?
BATCH_SIZE = 100
LEARNING_RATE = 1.0  # try 5.0: does a larger step end the slow start?
TRAIN_SIZE = 1000  # Gaussian inputs x, all with target 0
INITIAL_WEIGHTS = (2.0, 3.0, 4.0, 5.0)  # w1, b1, w2, b2: both sigmoids saturated
DIFFERENT_WEIGHTS = (0.5, 0.5, 0.5, 0.5)  # the slide's "different initial values": unsaturated

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE,
                          max_train_size=1_000_000)
parser.add_argument("--initial-weights", type=l303.finite_float, nargs=4, metavar=("W1", "B1", "W2", "B2"),
                    default=INITIAL_WEIGHTS,
                    help="the bad start: hand-set weights and biases of the two neurons "
                         "(default: 2 3 4 5)")
parser.add_argument("--different-weights", type=l303.finite_float, nargs=4,
                    metavar=("W1", "B1", "W2", "B2"), default=DIFFERENT_WEIGHTS,
                    help="the second plot's different initial values (default: 0.5 0.5 0.5 0.5)")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data: random Gaussian inputs, every target 0
x_train = np.random.randn(args.train_size)
y_train = np.zeros(args.train_size)

# %% Build the model: one sigmoid neuron feeding another
model = keras.Sequential([
    keras.Input(shape=(1,)),
    layers.Dense(units=1, activation="sigmoid"),
    layers.Dense(units=1, activation="sigmoid"),
])

# %% Train from each start, keeping the history: first the bad weights, then different ones
for start, (w1, b1, w2, b2) in {"bad": args.initial_weights,
                                "different": args.different_weights}.items():
    model.compile(loss="mean_squared_error",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  steps_per_execution=args.steps_per_execution)
    model.layers[0].set_weights([np.array([[w1]]), np.array([b1])])
    model.layers[1].set_weights([np.array([[w2]]), np.array([b2])])
    label = "weights (%g, %g), (%g, %g)" % (w1, b1, w2, b2)
    rec = model.fit(l303.shuffled_batches(x_train, y_train, batch_size=args.batch_size),
                    epochs=args.epochs, callbacks=run.callbacks(start, label))
    loss = rec.history["loss"]
    print(f"[{label}] MSE loss: epoch 1 {loss[0]:.5f}, epoch {len(loss)} {loss[-1]:.5f}")
    run.notes.setdefault("first_loss", {})[start] = loss[0]
    run.notes.setdefault("last_loss", {})[start] = loss[-1]

# %% Plot the loss per epoch, both starts
run.save(l303.figure(metrics=["loss"]))
