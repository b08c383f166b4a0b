"""Slide "LARGER/DEEPER NETWORK? (III)": 784-(256x2)-10, 784-(256x4)-10 and 784-(256x8)-10.

Lesson: a deeper network can describe more, but it is harder and slower to train: "A more complex
network does require a longer training time." With sigmoid hidden layers the gradient reaching the
first layers is a product of one sigma'(z) <= 0.25 per layer (slide "WHY IT IS DIFFICULT TO TRAIN
A DEEP NETWORK?"), so the deeper the network, the longer it sits on its starting plateau at chance
(loss 2.3, accuracy 10%). One panel per network, as on the slide.

The slide shows only the plots and epoch counts. Our choice, to show its point: sigmoid hidden
layers of 256 and SGD with learning rate 1.0 (the sigmoid network of example 06d), the first 10000
training images, batch 120, validated on the test set. The script prints the epoch in which each
network first reaches 90% validation accuracy (ours: figures/RESULTS.md); the 8-layer sigmoid
network may never leave its plateau in 100 epochs: the vanishing gradient at its extreme. ReLU
suffers far less: `--activation relu --lr 0.2` trains every depth, the 8-layer network still
slower.
"""

import l303  # first: it loads Keras without TensorFlow's start-up chatter

import keras
from keras import layers

## Hyperparameters
DEPTHS = (2, 4, 8)  # hidden layers of 256; the slide's three networks
EPOCHS_BY_DEPTH = {2: 40, 4: 40, 8: 100}  # the slide's; other depths get 40, or 100 above 4
BATCH_SIZE = 120
LEARNING_RATE = 1.0
TRAIN_SIZE = 10000
ACTIVATION = "sigmoid"  # try relu (with --lr 0.2)
UNITS = 256

parser = l303.make_parser(__doc__, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE,
                          train_size=TRAIN_SIZE)
parser.add_argument("--depths", type=l303.positive_int, nargs="+", default=DEPTHS, metavar="N",
                    help="numbers of hidden layers to compare (default: 2 4 8)")
parser.add_argument("--activation", choices=("sigmoid", "tanh", "relu"), default=ACTIVATION,
                    help=f"hidden-layer activation (default: {ACTIVATION})")
parser.add_argument("--epochs", type=l303.positive_int, default=None,
                    help="epochs for every depth (default: the slide's 40, 40 and 100)")
args = l303.parse_args(parser)
run = l303.Run(__file__, "LARGER/DEEPER NETWORK? (III): deeper is harder to train", args)

## Prepare the data
data = l303.load_mnist(train_size=args.train_size, test_size=args.test_size)


## 784-(256 x depth)-10
def build_model(depth, activation):
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((784,))])
    for _ in range(depth):
        model.add(layers.Dense(UNITS, activation=activation))
    model.add(layers.Dense(10, activation="softmax"))
    return model


for depth in args.depths:
    epochs = args.epochs or EPOCHS_BY_DEPTH.get(depth, 100 if depth > 4 else 40)
    label = f"784-({UNITS}x{depth})-10 {args.activation}"
    keras.utils.set_random_seed(args.seed)
    model = build_model(depth, args.activation)
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                  metrics=["accuracy"],
                  steps_per_execution=args.steps_per_execution)
    history = model.fit(
        l303.shuffled_batches(data.x_train, data.y_train, batch_size=args.batch_size),
        epochs=epochs, validation_data=(data.x_test, data.y_test), callbacks=[run.recorder(label)])
    run.report_performance(model, label, training=(data.x_train, data.y_train),
                           testing=(data.x_test, data.y_test))
    ## How long did it sit on its plateau? The first epoch with 90% validation accuracy.
    reached = [epoch for epoch, accuracy in enumerate(history.history["val_accuracy"], 1)
               if accuracy >= 0.9]
    print(f"[{label}] 90% validation accuracy first reached in epoch "
          f"{reached[0] if reached else 'never (of %d)' % epochs}")
    run.notes.setdefault("epoch_reaching_90_percent", {})[label] = reached[0] if reached else None

run.save(l303.plot_history(run.histories, run.slide, one_column_per_model=True))
