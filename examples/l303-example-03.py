"""Slide "TRY IT OUT!": a softmax output layer with categorical cross-entropy, and the INTERMISSION.

Lesson: softmax + categorical cross-entropy has dL/dz = y - t, free of sigma'(z), so it also cures
the slow learning of example 02. It trains the baseline to a better *training* performance, while
the test performance stays similar (the first sign of overtraining):
    Performance (training)  Loss: 0.04225, Acc: 0.98613
    Performance (testing)   Loss: 0.13640, Acc: 0.96350

INTERMISSION: the softmax outputs sum to one and can be read as probabilities. For each
misclassified test digit the script takes the best and the second-best probability, draws them
against each other (l303-example-03-second-choice.png) and prints how often the second choice
is the right one.

COMMENT slide (`--binary`, as `make report` runs it): the same network with sigmoid outputs and
binary cross-entropy, "10 binary problems" instead of "one out of 10 choices". The slide warns that
"Keras may give a different accuracy value" then: Keras 2.1 turned metrics=["accuracy"] into the
binary accuracy, each of the 10 outputs judged yes/no on its own, which is near 0.99 even for a
poor classifier (9 of 10 outputs are rightly "no"). Keras 3.15 resolves "accuracy" by the output's
shape instead and reports the categorical accuracy (the largest output is the right digit). The
script prints Keras' "accuracy" next to both, computed from the predictions, and says which it is.
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import numpy as np

# %% Hyperparameters (the slide's values)
EPOCHS = 20  # example 01's
BATCH_SIZE = 30  # try 10, example 01's: more steps per epoch, slower epochs
LEARNING_RATE = 1.0  # cross-entropy gradients are larger than MSE's: 3.0 is no longer needed
TRAIN_SIZE = 60000

parser = l303.make_parser(__doc__, epochs=EPOCHS, batch_size=BATCH_SIZE,
                          learning_rate=LEARNING_RATE, train_size=TRAIN_SIZE)
parser.add_argument("--binary", action="store_true",
                    help="COMMENT slide: also train sigmoid outputs with binary cross-entropy and "
                         "show what Keras reports as its accuracy")
args = l303.parse_args(parser)

# %% Keras and matplotlib, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)

# %% Build the model: 784-30-10 with a softmax output
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

# %% Train and evaluate
model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
          epochs=args.epochs, callbacks=run.callbacks("softmax", "softmax + CE"))
run.report_performance(model, training=(data.x_train, data.y_train),
                       testing=(data.x_test, data.y_test))

# %% INTERMISSION: best and second-best probabilities of the misclassified digits
probabilities = model.predict(data.x_test, batch_size=1000, verbose=0)
ranked = np.argsort(probabilities, axis=1)[:, ::-1]  # classes, most probable first
failed = np.flatnonzero(ranked[:, 0] != data.test_labels)
best = probabilities[failed, ranked[failed, 0]]
second = probabilities[failed, ranked[failed, 1]]
second_is_right = ranked[failed, 1] == data.test_labels[failed]

print(f"INTERMISSION: {len(failed)} misclassified test digits; the second choice is the right one "
      f"for {second_is_right.sum()} of them ({100 * second_is_right.mean():.1f}%).")
print(f"Median probability of the best choice {np.median(best):.3f}, of the second "
      f"{np.median(second):.3f}; when the second is right, it is within 0.3 of the best for "
      f"{100 * np.mean(best[second_is_right] - second[second_is_right] < 0.3):.1f}% of them.")
run.notes.update(misclassified=len(failed), second_choice_right=int(second_is_right.sum()),
                 median_best=float(np.median(best)), median_second=float(np.median(second)))
second_choice = l303.figure("runner_ups", best=best, second=second,
                            second_is_right=second_is_right)

# %% COMMENT: sigmoid outputs + binary cross-entropy, and what Keras calls its "accuracy"
if args.binary:
    binary_model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((784,)),
        layers.Dense(30, activation="sigmoid"),
        layers.Dense(10, activation="sigmoid"),
    ])
    binary_model.compile(loss="binary_crossentropy",
                         optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                         metrics=["accuracy"],
                         steps_per_execution=args.steps_per_execution)
    binary_model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
                     epochs=args.epochs, callbacks=run.callbacks("sigmoid", "sigmoid + binary CE"))
    reported = run.report_performance(binary_model, "sigmoid",
                                      testing=(data.x_test, data.y_test))["testing"]["accuracy"]
    outputs = binary_model.predict(data.x_test, batch_size=1000, verbose=0)
    categorical = np.mean(outputs.argmax(axis=1) == data.test_labels)
    binary = np.mean((outputs > 0.5) == (data.y_test > 0.5))
    meaning = ("the categorical accuracy" if abs(reported - categorical) < 1e-4 else
               "the binary accuracy" if abs(reported - binary) < 1e-4 else "neither")
    print(f'COMMENT: Keras {keras.__version__} reports "accuracy" {reported:.5f} for sigmoid + '
          f"binary cross-entropy: that is {meaning} (largest output right: {categorical:.5f}; "
          f"each of the 10 outputs right as yes/no, as Keras 2.1 reported: {binary:.5f}).")
    run.notes["binary_crossentropy_accuracy"] = {
        "reported_as_accuracy": reported, "categorical": float(categorical),
        "binary_per_output": float(binary), "reported_is": meaning}
    run.notes["remarks"] = [  # what RESULTS.md says of this run beside its claims
        f'COMMENT: for sigmoid + binary cross-entropy Keras 3 reports "accuracy" {reported:.4f}, '
        f"{meaning}; the per-output binary accuracy (Keras 2.1's) is {binary:.4f}"]

# With --binary the two losses are different measures: each model gets its own scales.
history_figure = l303.figure(
    one_column_per_model=args.binary, share_loss_axis=not args.binary,
    note="Categorical and binary cross-entropy are different losses: compare their accuracies, "
         "not their loss values." if args.binary else None)
run.save(history_figure, second_choice=second_choice)
