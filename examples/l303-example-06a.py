"""Slide "KEEP THE MOMENTUM? (II)": SGD 2.0 against SGD 2.0 with momentum 0.4.

Lesson: if the last steps went downhill, keep some of their velocity (momentum): the loss
converges quicker. Expect the momentum curve to fall below plain SGD's from the first epochs.

Flags for the other options of the slide's `SGD(lr, momentum, decay, nesterov)`, all applied to the
second model:
    --momentum 0.9       more momentum
    --nesterov           Nesterov's look-ahead momentum
    --decay 1e-4         Keras 2's learning-rate decay, lr / (1 + decay * iterations)
Keras 3 silently ignores `SGD(decay=...)`, so the decay is an InverseTimeDecay schedule here; the
learning rate each model ends with is printed, so you can see the decay act.

The network, data and budget follow the slides before it (see example 06).
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
EPOCHS = 100
BATCH_SIZE = 120
LEARNING_RATE = 2.0  # the slide's, for both models
TRAIN_SIZE = 10000
MOMENTUM = 0.4  # the slide's; try 0.9
NESTEROV = False  # try True: Nesterov's look-ahead momentum
DECAY = 0.0  # Keras 2's decay: the slide says its effect is hard to see quickly; try 1e-3

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--momentum", type=l303.fraction, default=MOMENTUM,
                    help=f"momentum of the second model, 0 to below 1 (default: {MOMENTUM})")
parser.add_argument("--nesterov", action="store_true", default=NESTEROV,
                    help="use Nesterov momentum in the second model")
parser.add_argument("--decay", type=l303.non_negative_float, default=DECAY,
                    help="Keras 2 learning-rate decay of the second model: "
                         "lr / (1 + decay * iterations) (default: 0)")
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


def keras2_decay(learning_rate, decay):
    """Keras 2's SGD(lr, decay): lr / (1 + decay * iterations), as a Keras 3 schedule."""
    if decay == 0:
        return learning_rate
    return keras.optimizers.schedules.InverseTimeDecay(
        initial_learning_rate=learning_rate, decay_steps=1, decay_rate=decay)


second = f"momentum {args.momentum:g}" + (" nesterov" if args.nesterov else "") \
    + (f" decay {args.decay:g}" if args.decay else "")
optimizers = {  # key: (label, optimizer)
    "sgd": (f"SGD lr={args.lr:g}", keras.optimizers.SGD(learning_rate=args.lr)),
    "momentum": (second, keras.optimizers.SGD(learning_rate=keras2_decay(args.lr, args.decay),
                                              momentum=args.momentum, nesterov=args.nesterov)),
}
for key, (label, optimizer) in optimizers.items():
    keras.utils.set_random_seed(args.seed)  # both start from the same weights
    model = build_model()
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))
    final_learning_rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    updates = int(keras.ops.convert_to_numpy(optimizer.iterations))
    print(f"[{label}] learning rate after {updates} updates: {final_learning_rate:.6g}")
    run.notes.setdefault("final_learning_rate", {})[key] = final_learning_rate
    run.notes.setdefault("updates", {})[key] = updates

run.save(l303.figure(log_epochs=True))  # the first epochs, wide
