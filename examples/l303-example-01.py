"""Slide "BUILDING NETWORK WITH KERAS": the baseline 784-30-10 network of the last lecture, in Keras.

Lesson: the same model as our own implementation (one hidden layer of 30 sigmoid neurons, mean
squared error, plain SGD with learning rate 3.0, mini-batches of 10, 20 epochs) reaches the same
~96-97% in a few lines of Keras. Every later slide starts from here.

The slide printed:
    Performance (training)  Loss: 0.00437, Acc: 0.97785
    Performance (testing)   Loss: 0.00622, Acc: 0.96620

The figure shows loss and accuracy per epoch: both still improving slowly at epoch 20.

    .venv/bin/python examples/l303-example-01.py            # the slide's settings
    .venv/bin/python examples/l303-example-01.py --quick    # a first look in seconds
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters (the slide's values; the flags override them)
EPOCHS = 20  # try 30: the training accuracy still creeps up
BATCH_SIZE = 10  # try 100: far fewer updates per epoch, so slower learning
LEARNING_RATE = 3.0  # large, because MSE with sigmoid outputs has small gradients
TRAIN_SIZE = 60000  # all of it; try 10000: does a train-test gap open, as on slide 04?

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)

# %% Build the model: 784-30-10, sigmoid everywhere
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((784,)),
    layers.Dense(units=30, activation="sigmoid"),
    layers.Dense(units=10, activation="sigmoid"),
])
model.compile(loss="mean_squared_error",
              optimizer=keras.optimizers.SGD(learning_rate=args.lr),
              metrics=["accuracy"],
              steps_per_execution=args.steps_per_execution)

# %% Train the model
model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
          epochs=args.epochs, callbacks=run.callbacks("mse", "784-30-10 MSE"))

# %% Evaluate the trained model
run.report_performance(model, training=(data.x_train, data.y_train),
                       testing=(data.x_test, data.y_test))

# %% Plot the histories: loss on top, accuracy below
run.save()
