"""Slide "WRONGLY RECOGNIZED DIGITS?": which test digits does the baseline still get wrong?

Lesson: at ~96.6% test accuracy about 300-350 of the 10000 test digits are misclassified. Some are
plainly wrong, some would fool a person too; this is the starting point the tricks of this lecture
improve on.

The script trains the baseline of example 01 (784-30-10, sigmoid, MSE, SGD 3.0, batch 10,
20 epochs), prints how many test digits it misclassifies and draws the first 100 of them in a
10x10 grid, each marked "true->predicted" in red, as on the slide.
"""

import l303  # first: it loads Keras without TensorFlow's start-up chatter

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

## Hyperparameters (the baseline of example 01)
EPOCHS = 20
BATCH_SIZE = 10
LEARNING_RATE = 3.0
TRAIN_SIZE = 60000
DIGITS_SHOWN = 100  # the slide shows the first 100 misclassified test digits

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
args = l303.parse_args(parser)
run = l303.Run(__file__, "WRONGLY RECOGNIZED DIGITS?", args)

## Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)

## Build and train the baseline
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
model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
          epochs=args.epochs, callbacks=[run.recorder("784-30-10 MSE")])
run.report_performance(model, training=(data.x_train, data.y_train),
                       testing=(data.x_test, data.y_test))

## Pick up the wrongly tagged samples
predicted = model.predict(data.x_test, batch_size=1000, verbose=0).argmax(axis=1)
failed = np.flatnonzero(predicted != data.test_labels)
print(f"{len(failed)} of {len(data.test_labels)} test digits are misclassified "
      f"({100 * len(failed) / len(data.test_labels):.2f}%)")
run.notes["misclassified"] = len(failed)
run.notes["first_misclassified"] = [[int(data.test_labels[i]), int(predicted[i])]
                                    for i in failed[:DIGITS_SHOWN]]

## Draw the first 100 of them, marked true->predicted
figure = plt.figure(figsize=(10, 10), dpi=80)
for position, index in enumerate(failed[:DIGITS_SHOWN]):
    plt.subplot(10, 10, position + 1)
    plt.axis("off")
    plt.imshow(data.test_images[index], cmap="Greys")
    plt.text(0.0, 0.0, r"$%d\to%d$" % (data.test_labels[index], predicted[index]),
             color="red", fontsize=15)
figure.suptitle(f"First {min(DIGITS_SHOWN, len(failed))} of {len(failed)} misclassified test digits "
                f"(true$\\to$predicted)")
run.save(figure)
