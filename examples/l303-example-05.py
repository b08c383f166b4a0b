"""Slide "ARTIFICIAL DATA EXPANDING": triple the training set by rotating each image twice.

Lesson: when more data cannot be collected, slightly distorted copies of the data we have teach
the network the features that matter (the strokes), not the exact pixels. Each of the 10000
training images is rotated once by a random angle in +5..+25 degrees and once in -25..-5 degrees
(skimage.transform.rotate, as on the slide); the same network is trained on the original and on
the expanded 30000 images. Expect the expanded model's validation loss to rise far less and its
validation accuracy to end higher ("some positive effect found!").

Each epoch of the expanded model makes three times the updates, so it can overtrain as well by
epoch 100; the report judges the slide's claim by the train-test accuracy gap at the end and
prints the lowest validation loss of each beside it (figures/RESULTS.md).

Rotating the 20000 images takes seconds against minutes of training (the time is printed), so
the slide's simple loop is kept.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import time

# %% Hyperparameters (the slide's values)
EPOCHS = 100  # example 04's
BATCH_SIZE = 120
LEARNING_RATE = 1.0
TRAIN_SIZE = 10000  # before expansion; try 3000: do the copies help more when there are fewer images?
ANGLE_RANGE = (5.0, 25.0)  # degrees, each way; try 0 5 (tiny twists) or 20 45


degrees = l303.argument_type(float, lambda value: 0 <= value <= 180, "degrees from 0 to 180")
parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--angle-range", type=degrees, nargs=2, metavar=("LOW", "HIGH"),
                    default=ANGLE_RANGE,
                    help="rotate by LOW..HIGH degrees each way (default: 5 25)")
args = l303.parse_args(parser)

# %% Keras, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data, and the expanded copy
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)
started = time.perf_counter()
x_train_ext, y_train_ext = l303.expand_by_rotation(data.x_train, data.y_train, args.angle_range)
rotation_seconds = time.perf_counter() - started
print(f"Rotated {2 * len(data.x_train)} images in {rotation_seconds:.2f} s; "
      f"training on {len(x_train_ext)} instead of {len(data.x_train)}.")
run.notes["rotation_seconds"] = round(rotation_seconds, 3)


# %% The network of example 03
def build_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(30, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])


training_sets = {  # key: (label, images, labels)
    "original": (f"original {len(data.x_train)}", data.x_train, data.y_train),
    "expanded": (f"expanded {len(x_train_ext)} (rotated)", x_train_ext, y_train_ext),
}
for key, (label, x, y) in training_sets.items():
    keras.utils.set_random_seed(args.seed)  # both models start from the same weights
    model = build_model()
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    model.fit(l303.shuffled_batches(x, y, batch_size=args.batch_size), epochs=args.epochs,
              validation_data=l303.validation_batches(data.x_test, data.y_test),
              callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))
    run.report_overtraining(key)

run.save()
