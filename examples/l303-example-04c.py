"""Slide "EARLY STOPPING (II)/(III)": stop training when the validation loss stops improving.

Lesson: watch the loss on an independent validation sample (the last 10000 training images,
x_train[50000:], never the test set) and stop once it has not improved for 3 epochs. The test
set then still gives an unbiased estimate of the performance. As on the slide the model keeps the
weights of the last epoch (Keras' restore_best_weights is left off).

The slide stopped after 21 epochs and printed:
    Performance (training)    Loss: 0.09317, Acc: 0.97770
    Performance (validation)  Loss: 0.20682, Acc: 0.93730
    Performance (testing)     Loss: 0.21634, Acc: 0.93480
The figure marks the epoch where training stopped.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # the most it may train; early stopping decides
BATCH_SIZE = 120
LEARNING_RATE = 1.0
TRAIN_SIZE = 10000  # from the first 50000: the last 10000 are the validation sample
PATIENCE = 3  # epochs without a lower validation loss before stopping; try 10

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE,
                          max_train_size=l303.VALIDATION_START)
parser.add_argument("--patience", type=l303.positive_int, default=PATIENCE,
                    help=f"epochs without improvement before stopping (default: {PATIENCE})")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data: training, validation x_train[50000:], and testing
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size, validation=True)

# %% The network of example 03
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((784,)),
    layers.Dense(30, activation="sigmoid"),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy",
              optimizer=keras.optimizers.SGD(learning_rate=args.lr),
              metrics=["accuracy"],
              steps_per_execution=args.steps_per_execution)

# %% Train with the EarlyStopping callback watching the validation loss
early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=args.patience)
rec = model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
                epochs=args.epochs,
                validation_data=l303.validation_batches(data.x_valid, data.y_valid),
                callbacks=[early_stopping] + run.callbacks("early_stopping", "early stopping"))
stopped_after = len(rec.history["loss"])
print(f"The learning process stopped after {stopped_after} epochs (at most {args.epochs}).")
run.notes["stopped_after_epochs"] = stopped_after

run.report_performance(model, training=(data.x_train, data.y_train),
                       validation=(data.x_valid, data.y_valid),
                       testing=(data.x_test, data.y_test))

run.save()  # the figure marks the epoch where training stopped
