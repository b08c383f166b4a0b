"""Slide "DROPOUT (II)": randomly dropping 20% of the inputs of each layer reduces overtraining.

Lesson: dropout does not change the loss but the network: at every training step a random 20% of
the inputs and of the hidden neurons are switched off, so the network cannot lean on a few
particular pixels or neurons. Expect the dropout model's validation loss to keep falling where
the reference starts to rise, and a much smaller train-test gap.

Note: the training curve of the dropout model is measured *with* dropout active, so it sits
higher (the figure says so); the printed train-test gap uses the evaluated model (dropout off)
for both.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # long enough for the reference to overtrain
BATCH_SIZE = 120
LEARNING_RATE = 1.0
TRAIN_SIZE = 10000  # try 50000: with more data there is less overtraining to prevent
DROPOUT_RATE = 0.2  # share of inputs dropped at each step; try 0.5

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--dropout", type=l303.fraction, default=DROPOUT_RATE,
                    help=f"dropout rate, 0 to below 1 (default: {DROPOUT_RATE})")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% The network of example 03 with dropout on its input and on its hidden layer (0.0: none)
def build_model(dropout_rate):
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dropout(dropout_rate),
        layers.Dense(30, activation="sigmoid"),
        layers.Dropout(dropout_rate),
        layers.Dense(10, activation="softmax"),
    ])


for key, label, dropout_rate in (("none", "no dropout", 0.0),
                                 ("dropout", f"dropout {args.dropout:g}", args.dropout)):
    keras.utils.set_random_seed(args.seed)  # both models start from the same seed
    model = build_model(dropout_rate)
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

run.save(l303.figure(note="Training curves are measured while training, so the dropout "
                     "model's with dropout on; the printed training performance is without."))
