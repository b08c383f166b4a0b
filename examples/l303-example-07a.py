"""Slide "LARGER/DEEPER NETWORK? (III)": 784-(256x2)-10, 784-(256x4)-10 and 784-(256x8)-10.

Lesson: a deeper network can describe more, but it is harder and slower to train: "A more complex
network does require a longer training time." One panel per network, as on the slide, but on one
common epoch axis (the slide's panels span 40, 40 and 100 epochs, which squeezes the 8-layer
curve): expect all three to learn, the 8-layer one visibly later (a higher loss over its first
epochs, 90% validation accuracy a few epochs after the others).

The slide shows only the plots and epoch counts (40, 40 and 100). Our recipe is example 07's,
the slide just before, which asks whether a *deeper* network does better: ReLU hidden layers (here
of 256), dropout 0.2 after each, Adadelta with learning rate 1.0, batches of 128. To keep the three
runs within minutes on a laptop CPU they train on the first 10000 training images (the
overtraining slides' size) and validate on the test set. Each network's first epoch with 90%
validation accuracy is printed (ours: figures/RESULTS.md).

Slide "WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK?": the gradient reaching the first layer is a
product of one w * sigma'(z) per layer, and sigma'(z) <= 0.25 for the sigmoid, hence the slide's
dL/db1 < 0.0156 dL/db4 for four layers (0.25^3; 0.25^7 = 6e-5 for eight). The second figure,
l303-example-07a-gradients.png, measures it: the mean size of each layer's bias and weight
gradients in the 8-layer network, sigmoid against ReLU, at initialisation and after a few epochs
of training, on a log axis; the printout gives the ratio first layer / last hidden layer.

    .venv/bin/python examples/l303-example-07a.py --activation sigmoid   # the bridge to the next slide
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

# %% Hyperparameters
DEPTHS = (2, 4, 8)  # hidden layers of 256; the slide's three networks
EPOCHS_BY_DEPTH = {2: 40, 4: 40, 8: 100}  # the slide's; other depths get 40, or 100 above 4
BATCH_SIZE = 128  # example 07's
LEARNING_RATE = 1.0  # Adadelta's, as in example 07 (Keras 3's default would be 0.001)
TRAIN_SIZE = 10000  # try 60000: more data for the deeper networks
ACTIVATION = "relu"  # try sigmoid: the vanishing gradient at work
DROPOUT_RATE = 0.2
UNITS = 256  # try 64: narrower layers, the same depth
GRADIENT_DEPTH = 8  # the network whose gradients are measured, layer by layer
GRADIENT_EPOCHS = 2  # "after some training": plain SGD epochs before the second measurement
GRADIENT_IMAGES = 1000  # training images the gradients are averaged over

parser = l303.make_parser(__doc__, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE,
                          train_size=TRAIN_SIZE)
parser.add_argument("--depths", type=l303.positive_int, nargs="+", default=DEPTHS, metavar="N",
                    help="numbers of hidden layers to compare (default: 2 4 8)")
parser.add_argument("--activation", choices=("sigmoid", "tanh", "relu"), default=ACTIVATION,
                    help=f"hidden-layer activation (default: {ACTIVATION})")
parser.add_argument("--epochs", type=l303.positive_int, default=None,
                    help="epochs for every depth (default: the slide's 40, 40 and 100)")
args = l303.parse_args(parser)

# %% Keras and matplotlib, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
from keras import layers  # noqa: E402

import l303_gradients  # noqa: E402  (each layer's gradient, on every backend)

run = l303.Run(__doc__, args)

# %% Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


# %% 784-(256 x depth)-10, with dropout after each hidden layer
def build_model(depth, activation, dropout_rate=DROPOUT_RATE):
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((784,))])
    for _ in range(depth):
        model.add(layers.Dense(UNITS, activation=activation))
        if dropout_rate:
            model.add(layers.Dropout(dropout_rate))
    model.add(layers.Dense(10, activation="softmax"))
    return model


for depth in args.depths:
    epochs = args.epochs or EPOCHS_BY_DEPTH.get(depth, 100 if depth > 4 else 40)
    key, label = f"depth_{depth}", f"784-({UNITS}x{depth})-10 {args.activation}"
    keras.utils.set_random_seed(args.seed)
    model = build_model(depth, args.activation)
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.Adadelta(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    history = model.fit(
        l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
        epochs=epochs, validation_data=l303.validation_batches(data.x_test, data.y_test),
        callbacks=run.callbacks(key, label))
    run.report_performance(model, key, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))
    # How long before it learned? The first epoch with 90% validation accuracy.
    reached = [epoch for epoch, accuracy in enumerate(history.history["val_accuracy"], 1)
               if accuracy >= 0.9]
    print(f"[{label}] 90% validation accuracy first reached in epoch "
          f"{reached[0] if reached else 'never (of %d)' % epochs}")
    run.notes.setdefault("epoch_reaching_90_percent", {})[key] = reached[0] if reached else None

history_figure = l303.figure(one_column_per_model=True)

# %% WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? The gradients, layer by layer
x_batch = data.x_train[:GRADIENT_IMAGES]
y_batch = data.y_train[:GRADIENT_IMAGES]
gradients = {}
for activation in ("sigmoid", "relu"):
    keras.utils.set_random_seed(args.seed)
    model = build_model(GRADIENT_DEPTH, activation, dropout_rate=0)
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  steps_per_execution=args.steps_per_execution)
    gradients[activation] = {"initial": l303_gradients.layer_gradients(model, x_batch, y_batch)}
    model.fit(l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
              epochs=GRADIENT_EPOCHS, verbose=0)
    gradients[activation]["trained"] = l303_gradients.layer_gradients(model, x_batch, y_batch)
    for moment, sizes in gradients[activation].items():
        hidden = sizes["bias"][:GRADIENT_DEPTH]  # the hidden layers' biases, first layer first
        ratio = hidden[0] / hidden[-1]
        sizes["first_to_last_hidden_bias_ratio"] = ratio
        print(f"[{GRADIENT_DEPTH} hidden layers, {activation}, {moment}] |dL/db| of the first hidden "
              f"layer / the last: {ratio:.2e} (the slide's sigmoid bound over {GRADIENT_DEPTH - 1} "
              f"layers: 0.25^{GRADIENT_DEPTH - 1} = {0.25 ** (GRADIENT_DEPTH - 1):.1e} if |w| < 1; "
              f"0.0156 over 3)")
run.notes["gradients"] = gradients

# The second figure: each layer's gradient size, layer 1 at the input (drawn from run.notes)
gradient_figure = l303.figure("gradients", units=UNITS, trained_epochs=GRADIENT_EPOCHS)

run.save(history_figure, gradients=gradient_figure)
