"""Slide "THE OVERTRAINING ISSUE": training and validation curves separate.

Lesson: trained on only the first 10000 images for 100 epochs, the network of example 03 keeps
improving on its training data while its performance on unseen data stops improving: the
validation loss reaches a minimum after a few epochs and then *rises*, the validation accuracy
saturates. That widening gap is overtraining. (As on the slide, the test set serves as the
validation data here; example 04c explains why a separate validation set is better.)

Slide "TRAINING DATA DOES MATTER": with the full training set the gap narrows:
    .venv/bin/python examples/l303-example-04.py --train-size 60000
`make report` runs both and draws them together (figures/training-data-does-matter.png).
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # try 30: the figure without most of the overtrained epochs
BATCH_SIZE = 120
LEARNING_RATE = 1.0
TRAIN_SIZE = 10000  # a small training set overtrains quickly; try 60000

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)

# %% The network of example 03: 784-30-10, softmax output, cross-entropy
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

# %% Train, validating on unseen data after every epoch
label = f"{args.train_size} training images"
model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
          epochs=args.epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
          callbacks=run.callbacks("plain", label))
run.report_performance(model, "plain", training=(data.x_train, data.y_train),
                       testing=(data.x_test, data.y_test))
run.report_overtraining("plain")

# %% Plot: loss on top, accuracy below; training solid, validation dashed
run.save()
