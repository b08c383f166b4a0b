"""The lecture's pictures that no training script draws: loss gradients, the polynomial fit, activation
functions, normalized inputs, rotated digits, unstable gradients and the noise of small mini-batches.

Each figure is named after its slide and carries a caption that says what to see:

- THE CHOICE OF LOSS (I, II): the MSE gradient carries sigma'(z), which vanishes for large |z| even
  when the output is far from its target; cross-entropy's gradient sigma(z) - t does not.
- REGULARIZATION (II): a polynomial fit to noisy points; a weight penalty shrinks the high-order
  coefficients and the fit follows the trend, not the noise.
- DIFFERENT ACTIVATION FUNCTION? (I, II, IV): sigmoid, tanh, ReLU and Leaky ReLU, with their slopes.
- BATCH NORMALIZATION (II): the bad initial weights of example 02 push a sigmoid's input where its
  slope is nearly zero; normalizing the input over the mini-batch brings it back.
- ARTIFICIAL DATA EXPANDING; Practice 02: test digits and their rotated copies (example 05's code).
- WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? (I, II): the gradient along a chain of neurons,
  layer by layer: vanishing with sigmoid and small weights, exploding with large weights.
- SIZE OF MINI-BATCH?: the loss of each update of 03's network, for batches of 10, 30 and 300, over
  the same number of images: small batches take many noisy steps, large ones few smooth ones.

All but the last are NumPy and matplotlib; the last trains 03's network for 3000 images per batch
size (a few seconds). The gallery (make report) places each figure under its slide.

    .venv/bin/python examples/l303-pictures.py
"""

import l303  # the data, the flags and the run record (Keras starts after the flags)

import numpy as np

# %% Settings
POLYNOMIAL_DEGREE = 9  # try 3: too few terms to overfit
WEIGHT_PENALTY = 1e-3  # the lambda of the ridge fit; try 1e-1
BAD_WEIGHTS = (2.0, 3.0)  # example 02's first layer: z = 2x + 3
CHAIN_LENGTH = 8  # neurons in the chain of the unstable-gradient figure
BATCH_SIZES = (10, 30, 300)  # example 06b's
IMAGES_SEEN = 3000  # per batch size in the mini-batch figure

parser = l303.make_parser(__doc__)
args = l303.parse_args(parser)

# %% Keras and matplotlib, once the flags are read: -h and a mistyped flag answer at once
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from keras import layers  # noqa: E402

run = l303.Run(__doc__, args)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def legend_outside(axis, below=False):
    """The legend beside the panel (or below it), never over a curve."""
    if below:
        axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.24), ncols=2)
    else:
        axis.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))


def caption(figure, text):
    """The figure's message, right under the panels and their legends (the layout leaves no gap);
    also recorded for the gallery."""
    figure.supxlabel(text, fontsize=9, wrap=True)
    figure.set_layout_engine("constrained")
    run.notes.setdefault("captions", {})[figure.get_suptitle()] = text


# %% THE CHOICE OF LOSS: the gradient of each loss with respect to z, for a target t = 0
def choice_of_loss():
    z = np.linspace(-8, 8, 400)
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.4))
    left.plot(z, sigmoid(z), lw=2, label="sigma(z)")
    left.plot(z, sigmoid(z) * (1 - sigmoid(z)), lw=2, label="sigma'(z)")
    left.set_xlabel("z")
    legend_outside(left, below=True)
    left.set_title("the output and its slope", fontsize=10)
    right.plot(z, sigmoid(z) * sigmoid(z) * (1 - sigmoid(z)), lw=2,
               label="MSE: (sigma(z) - t) sigma'(z)")
    right.plot(z, sigmoid(z), lw=2, label="cross-entropy: sigma(z) - t")
    right.axvspan(3, 8, color="C3", alpha=0.1, label="far from t = 0")
    right.set_xlabel("z")
    right.set_ylabel("dL/dz for target t = 0")
    legend_outside(right)
    right.set_title("the gradient that trains the weights", fontsize=10)
    figure.suptitle("THE CHOICE OF LOSS (I, II)")
    caption(figure, "Far from its target (z large, output near 1, target 0) the MSE gradient "
                    "vanishes with sigma'(z): slow learning from bad weights. Cross-entropy's "
                    "gradient is largest exactly there.")
    return figure


# %% REGULARIZATION (II): a polynomial fit with and without a penalty on its weights
def regularization():
    generator = np.random.default_rng(args.seed)
    x = np.linspace(-1, 1, 12)
    y = 0.5 * x + generator.normal(0, 0.15, size=x.size)  # a straight trend plus noise
    powers = np.vander(x, POLYNOMIAL_DEGREE + 1, increasing=True)
    fits = {}
    for name, penalty in (("no penalty", 0.0), (f"penalty lambda = {WEIGHT_PENALTY:g}", WEIGHT_PENALTY)):
        # Least squares plus lambda * sum(w^2): the ridge solution (X^T X + lambda I)^-1 X^T y
        fits[name] = np.linalg.solve(powers.T @ powers + penalty * np.eye(POLYNOMIAL_DEGREE + 1),
                                     powers.T @ y)
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.4))
    fine = np.linspace(-1, 1, 400)
    left.plot(x, y, "ko", label="noisy points")
    left.plot(fine, 0.5 * fine, "k:", label="the trend")
    for name, weights in fits.items():
        left.plot(fine, np.vander(fine, POLYNOMIAL_DEGREE + 1, increasing=True) @ weights, lw=2,
                  label=name)
    left.set_ylim(-1.2, 1.2)
    left.set_xlabel("x")
    legend_outside(left, below=True)
    left.set_title(f"degree-{POLYNOMIAL_DEGREE} polynomial fits", fontsize=10)
    orders = np.arange(POLYNOMIAL_DEGREE + 1)
    for offset, (name, weights) in zip((-0.2, 0.2), fits.items()):
        right.bar(orders + offset, np.abs(weights), width=0.4, label=name)
    right.set_yscale("log")
    right.set_xlabel("order of the term")
    right.set_ylabel("|weight|")
    legend_outside(right)
    right.set_title("the weights of each term", fontsize=10)
    figure.suptitle("REGULARIZATION (II)")
    caption(figure, "Unpenalised, large high-order weights chase every noisy point; the penalty "
                    "shrinks them and the fit follows the trend: less sensitive to the noise.")
    return figure


# %% DIFFERENT ACTIVATION FUNCTION? (I, II, IV)
def activation_functions():
    z = np.linspace(-4, 4, 400)
    functions = {
        "sigmoid": (sigmoid(z), sigmoid(z) * (1 - sigmoid(z))),
        "tanh": (np.tanh(z), 1 - np.tanh(z) ** 2),
        "ReLU": (np.maximum(z, 0), (z > 0).astype(float)),
        "Leaky ReLU / PReLU, slope 0.1": (np.where(z > 0, z, 0.1 * z), np.where(z > 0, 1.0, 0.1)),
    }
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.4))
    for name, (values, slopes) in functions.items():
        left.plot(z, values, lw=2, label=name)
        right.plot(z, slopes, lw=2, label=name)
    left.set_ylim(-1.5, 4)
    left.set_xlabel("z")
    left.set_title("f(z)", fontsize=10)
    right.set_xlabel("z")
    right.set_title("f'(z): how much gradient passes", fontsize=10)
    legend_outside(right)
    figure.suptitle("DIFFERENT ACTIVATION FUNCTION? (I, II, IV)")
    caption(figure, "Sigmoid and tanh pass almost no gradient for large |z|; ReLU passes all of it "
                    "for z > 0 and none below (a neuron can switch off for good); Leaky ReLU keeps a "
                    "small slope below zero, which PReLU learns.")
    return figure


# %% BATCH NORMALIZATION (II): the bad weights' inputs, before and after normalizing
def normalized_inputs():
    x = np.random.default_rng(args.seed).normal(size=1000)  # example 02's inputs
    weight, bias = BAD_WEIGHTS
    z = weight * x + bias
    normalized = (z - z.mean()) / z.std()
    figure, axis = plt.subplots(figsize=(10, 4.4))
    grid = np.linspace(-6, 10, 400)
    axis.plot(grid, sigmoid(grid) * (1 - sigmoid(grid)) * 4, "k", lw=1,
              label="sigma'(z), scaled to 1 at its top")
    for values, name in ((z, f"z = {weight:g}x + {bias:g} (example 02)"), (normalized, "normalized z")):
        slope = np.mean(sigmoid(values) * (1 - sigmoid(values)))
        axis.hist(values, bins=40, density=True, alpha=0.5, label=f"{name}: mean sigma'(z) {slope:.3f}")
    axis.set_xlabel("z, the sigmoid's input")
    legend_outside(axis)
    figure.suptitle("BATCH NORMALIZATION (II)")
    caption(figure, "With example 02's bad weights most inputs sit where the sigmoid is flat, so "
                    "little gradient passes; normalized over the batch they sit where it is steepest.")
    return figure


# %% ARTIFICIAL DATA EXPANDING; Practice 02: rotated digits
def rotated_digits():
    data = l303.load_mnist(train_size=1, test_size=8)
    np.random.seed(args.seed)
    rows = {"test digits": data.x_test,
            "rotated +5..+25 (05)": l303.rotate_images(data.x_test, 5, 25),
            "rotated -25..-5 (05)": l303.rotate_images(data.x_test, -25, -5),
            "rotated within +-30 (Practice 02)": l303.rotate_images(data.x_test, -30, 30)}
    figure, axes = plt.subplots(len(rows), len(data.x_test), figsize=(9, 5.4))
    for row, (name, images) in enumerate(rows.items()):
        for column, image in enumerate(images):
            axes[row][column].imshow(image, cmap="Greys")
            axes[row][column].set_xticks([])
            axes[row][column].set_yticks([])
        axes[row][0].set_ylabel(name, fontsize=7, rotation=0, ha="right", va="center")
    figure.suptitle("ARTIFICIAL DATA EXPANDING; HANDS-ON Practice 02")
    caption(figure, "Each copy is the same digit, turned: new training images for free (05), and a "
                    "harder test for a network that has only seen upright digits (Practice 02).")
    return figure


# %% WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? (I, II)
def unstable_gradients():
    """|dL/db| of each neuron in a chain, relative to the last: the product of w * f'(z) over the
    neurons after it (the slide's chain rule), with the same weight w everywhere."""
    figure, axis = plt.subplots(figsize=(10, 4.4))
    generator = np.random.default_rng(args.seed)
    chains = {"sigmoid, weights ~ N(0, 1) (vanishing)": ("sigmoid", generator.normal(size=CHAIN_LENGTH)),
              "ReLU, weights 1 (stable)": ("relu", np.ones(CHAIN_LENGTH)),
              "ReLU, weights 2 (exploding)": ("relu", np.full(CHAIN_LENGTH, 2.0))}
    for name, (activation, weights) in chains.items():
        value, slopes = 0.5, []
        for weight in weights:  # the forward pass along the chain
            z = weight * value + 0.1
            value = sigmoid(z) if activation == "sigmoid" else max(z, 0.0)
            slopes.append(sigmoid(z) * (1 - sigmoid(z)) if activation == "sigmoid" else float(z > 0))
        # dL/db_k = f'(z_k) * prod over j > k of (w_j f'(z_j)) * dL/dy
        gradient = [slopes[k] * np.prod([weights[j] * slopes[j] for j in range(k + 1, CHAIN_LENGTH)])
                    for k in range(CHAIN_LENGTH)]
        axis.plot(np.arange(1, CHAIN_LENGTH + 1), np.abs(gradient) / abs(gradient[-1]), "o-", lw=2,
                  label=name)
    axis.axhline(0.0156, color="k", ls=":", lw=1, label="the slide's bound 0.0156 (4 neurons)")
    axis.set_yscale("log")
    axis.set_xlabel("neuron in the chain (1: first, nearest the input)")
    axis.set_ylabel("|dL/db| relative to the last neuron's")
    legend_outside(axis)
    figure.suptitle("WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK? (I, II)")
    caption(figure, "The gradient of an early neuron is a product over the layers after it: "
                    "sigma' <= 0.25 with small weights makes it vanish, weights >> 1 make it "
                    "explode. Either way the layers learn at very different speeds.")
    return figure


# %% SIZE OF MINI-BATCH?: the loss of each update, over the same images
def mini_batch_noise():
    data = l303.load_mnist(train_size=IMAGES_SEEN, test_size=args.test_size)
    figure, axis = plt.subplots(figsize=(12, 4.6))
    roughness = {}
    for batch_size in BATCH_SIZES:
        keras.utils.set_random_seed(args.seed)  # the same initial weights and order for each
        model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((784,)),
                                  layers.Dense(30, activation="sigmoid"),
                                  layers.Dense(10, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.0))
        order = np.random.permutation(len(data.x_train))
        losses = []
        for start in range(0, IMAGES_SEEN, batch_size):
            chosen = order[start:start + batch_size]
            losses.append(float(model.train_on_batch(data.x_train[chosen], data.y_train[chosen])))
        seen = np.arange(1, len(losses) + 1) * batch_size
        roughness[batch_size] = float(np.mean(np.abs(np.diff(np.log(losses)))))
        axis.plot(seen, losses, lw=1 if batch_size < 300 else 2, alpha=0.8,
                  label=f"batch {batch_size}: {len(losses)} updates, "
                        f"mean |change of log loss| per update {roughness[batch_size]:.2f}")
    run.notes["loss_roughness_per_update"] = roughness
    axis.set_xlabel("training images seen")
    axis.set_ylabel("loss of the update's own mini-batch")
    axis.set_yscale("log")
    legend_outside(axis)
    figure.suptitle("SIZE OF MINI-BATCH?")
    caption(figure, "Over the same images, batches of 10 make 30 times the updates of batches of "
                    "300, each from a noisier estimate of the gradient: a jagged path. Batches of "
                    "300 step rarely and smoothly.")
    return figure


# %% Save every figure, named after its slide
figures = {"the-choice-of-loss": choice_of_loss(), "regularization": regularization(),
           "batch-normalization": normalized_inputs(), "artificial-data-expanding": rotated_digits(),
           "mini-batch-size": mini_batch_noise(), "activation-functions": activation_functions(),
           "unstable-gradients": unstable_gradients()}
run.notes["slides"] = {f"{run.name}-{name}.png" if index else f"{run.name}.png": figure.get_suptitle()
                       for index, (name, figure) in enumerate(figures.items())}
first = next(iter(figures))
run.save(figures.pop(first), **{name.replace("-", "_"): figure for name, figure in figures.items()})
