"""The slides' claims, each written once: the slide's words, the measure, the rule that judges it.

`make report` (RESULTS.md), `make spread` and the lesson tests all judge through this module; no
threshold or measure exists anywhere else. Nothing here runs a script or loads Keras: a measure is
a pure function of results, the JSON files the scripts write.

- A Comparison is a slide's claim that one setting does something another does not ("dropout
  narrows the train-test gap"). Its measure maps the runs of one seed (`runs`: run name -> result
  JSON, the reference scripts by number, "01", "04a", and their variants by name,
  "train-size-60000") to one number, the effect, signed so that a positive effect goes the
  slide's way; it names each model by the key its script gives it (record.schema.json), never by
  its place or its legend. Over seeds the effects are judged by verdicts.judge_comparison.
- A PrintedNumber is a number a slide printed (01's test accuracy 0.96620). verdicts.judge_printed
  sets it against our seeds' prediction interval for one new run.

Each measure was chosen from the slide's words, and its reason is written beside it (`why`). Where a
word admits several measures (overtraining), the others are computed too (`others`) and shown.
"""

import math
from dataclasses import dataclass, field
from typing import Callable

# "Similar" test accuracies: the slide on example 03 calls 0.96350 against 01's 0.96620 "still
# similar", a difference of 0.0027; half a percentage point is our margin for every such claim.
SIMILAR_ACCURACY = 0.005
CHANCE_OF_THE_SECOND_CHOICE = 1 / 9  # nine classes left once the first choice is wrong


# ---------------------------------------------------------------------------------------------
# Reading a result
# ---------------------------------------------------------------------------------------------


def curve(result, model, metric="loss"):
    """A model's history of `metric`, one value per epoch; the model named by its key."""
    return result["histories"][model][metric]


def score(result, model, part="testing", metric="accuracy"):
    """A model's score after training (report_performance): part "training", "testing", ..."""
    return result["results"][model][part][metric]


def rotated_accuracy(result, model):
    """Practice 02: the accuracy on the rotated test digits."""
    return score(result, model, "testing_rotated")


def overtraining(result, model):
    """report_overtraining's numbers of a model: lowest validation loss, gap at the end, ..."""
    return result["notes"]["overtraining"][model]


def gap(result, model):
    """The train-test accuracy gap of the evaluated model at the end of the run. Accuracies, not
    losses: Keras adds a regularizer's penalty to the loss (also the validation loss), so a loss
    gap would compare a penalised loss with an unpenalised one."""
    return overtraining(result, model)["accuracy_gap"]


def at_epoch(values, epoch):
    """The value of a history at `epoch` (counted from 1), or at its last where it is shorter."""
    return values[min(epoch, len(values)) - 1]


def fall(values, epochs=10):
    """How much of its first epoch's value a loss has shed by epoch `epochs` (or its last)."""
    return 1 - at_epoch(values, epochs) / values[0]


def early_mean(values, epochs=10):
    """The mean of the first `epochs` values: how soon a curve rises (an area, not one epoch)."""
    return sum(values[:epochs]) / len(values[:epochs])


def second_half_fall(values):
    """The relative fall of a loss over the second half of the run (negative: it rose)."""
    middle = len(values) // 2
    return 1 - values[-1] / values[middle - 1]


def share_of_rises(values):
    """The share of epoch-to-epoch steps in which a loss went up, or stopped being a number: how
    much a training run looks like a random walk."""
    values = [finite_or(value, math.inf) for value in values]
    steps = list(zip(values, values[1:]))
    return sum(later > earlier or later == math.inf for earlier, later in steps) / len(steps)


def finite_or(value, fallback):
    return fallback if value is None or not math.isfinite(value) else value


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    name: str  # the row's name: the script, or the script and the part of its slide
    slide: str  # the slide's title
    words: str  # the slide's words that the claim judges
    runs: tuple  # the results one seed needs: script numbers and variant names
    measure: str  # the effect in words; positive goes the slide's way
    why: str  # why this measure, from the slide's words
    effect: Callable  # runs -> float
    threshold: float = 0.0  # the effect must exceed it (a direction claim)
    similar_within: float = None  # or: |effect| below this (a "similar" claim)
    digits: int = 4
    others: dict = field(default_factory=dict)  # other measures of the words: name -> runs -> float


@dataclass(frozen=True)
class PrintedNumber:
    script: str
    name: str
    slide: float
    measure: Callable  # result -> float
    digits: int = 4
    unit: str = ""  # what it counts, where it counts ("epochs", "parameters"): an integer
    checked: str = ""  # what was checked, should the slide's value fall outside our interval


BASELINE_CHECKED = ("our first epoch matches the slide's, and the network, loss, optimizer, batch "
                    "size and epochs are the slide's: its one run sits at the top of our spread "
                    "([what we checked](MEASUREMENTS.md#the-slides-claims-in-words-2026-11-26-"
                    "before-the-support-code-redesign))")


EPOCH_20 = "epoch 20 accuracy (running)"
PRINTED = [
    PrintedNumber("01", "training accuracy", 0.97785, lambda r: score(r, "mse", "training")),
    PrintedNumber("01", "test accuracy", 0.96620, lambda r: score(r, "mse"),
                  checked=BASELINE_CHECKED),
    PrintedNumber("01", EPOCH_20, 0.9766, lambda r: curve(r, "mse", "accuracy")[-1],
                  checked=BASELINE_CHECKED),
    PrintedNumber("03", "training accuracy", 0.98613, lambda r: score(r, "softmax", "training")),
    PrintedNumber("03", "test accuracy", 0.96350, lambda r: score(r, "softmax")),
    PrintedNumber("03", EPOCH_20, 0.9850, lambda r: curve(r, "softmax", "accuracy")[-1]),
    PrintedNumber("04c", "stopping epoch", 21, lambda r: r["notes"]["stopped_after_epochs"], 1,
                  unit="epochs"),
    PrintedNumber("04c", "validation accuracy", 0.93730,
                  lambda r: score(r, "early_stopping", "validation")),
    PrintedNumber("04c", "test accuracy", 0.93480, lambda r: score(r, "early_stopping")),
    PrintedNumber("07", "training accuracy", 0.99987,
                  lambda r: score(r, "relu_dropout", "training")),
    PrintedNumber("07", "test accuracy", 0.98490, lambda r: score(r, "relu_dropout")),
    PrintedNumber("07", EPOCH_20, 0.9979, lambda r: curve(r, "relu_dropout", "accuracy")[-1]),
    PrintedNumber("07", "parameters", 669706, lambda r: r["notes"]["parameters"], 0,
                  unit="parameters"),
]

OVERTRAINING_OTHERS = {  # the other measures of "overtraining", shown beside the verdict's
    "lowest validation loss, lower by": lambda a, b: (
        overtraining(*a)["min_validation_loss"] - overtraining(*b)["min_validation_loss"]),
    "validation loss's rise after its lowest, smaller by": lambda a, b: (
        rise(overtraining(*a)) - rise(overtraining(*b))),
    "test accuracy, higher by": lambda a, b: score(*b) - score(*a),
}


def rise(summary):
    """How far the validation loss ended above its lowest point, relative to it."""
    return summary["final_validation_loss"] / summary["min_validation_loss"] - 1


def overtraining_others(reference, remedy):
    """The other overtraining measures for (run name, model key) pairs: reference, then remedy."""
    return {name: (lambda runs, measure=measure: measure((runs[reference[0]], reference[1]),
                                                         (runs[remedy[0]], remedy[1])))
            for name, measure in OVERTRAINING_OTHERS.items()}


GAP_WHY = ("the overtraining slide defines it by training performance that keeps improving while "
           "the testing performance saturates: the train-test accuracy gap at the end measures "
           "that, the same way for every remedy (accuracies: a regularizer's penalty is in the "
           "loss)")


def kernel_size_trial(size):
    """HANDS-ON Practice 01, Trial #2 for one kernel size (make report's practice-01-kernel-N)."""
    variant = f"practice-01-kernel-{size}"
    return Comparison(
        name=f"08 with {size}x{size} kernels", slide="HANDS-ON SESSION (Practice 01, Trial #2)",
        words="what will be the performance if we take a different size, for example "
              f"{size}x{size}?",
        runs=("08", variant), measure="test accuracy above 0.99 (08's goal)",
        why="the trial asks for the performance: does it still reach the 5x5 network's goal",
        effect=lambda runs: score(runs[variant], "cnn") - 0.99,
        others={f"test accuracy, {size}x{size} minus 5x5":
                lambda runs: score(runs[variant], "cnn") - score(runs["08"], "cnn")})


COMPARISONS = [
    Comparison(
        name="01a", slide="INTERMISSION",
        words="port the tricks back to example 01a: what performance can you reach?",
        runs=("01a",), measure="test digits wrongly tagged, fewer by (baseline minus tricks)",
        why="the task asks what the tricks reach against 01's ~300 wrong digits",
        effect=lambda runs: (runs["01a"]["notes"]["tricks"]["baseline_misclassified"]
                             - runs["01a"]["notes"]["tricks"]["misclassified"]),
        digits=0),
    Comparison(
        name="02", slide="SLOW LEARNING WITH BAD WEIGHTS (III)",
        words="the loss is large for the initial epochs and it takes a while until the training "
              "starts; better with different initial values",
        runs=("02",),
        measure="share of the first epoch's MSE loss shed by epoch 10, other start minus bad start",
        why='"takes a while until the training really starts": how far each start has come after '
            "ten of its 100 epochs, scale-free",
        effect=lambda runs: fall(curve(runs["02"], "different")) - fall(curve(runs["02"], "bad"))),
    Comparison(
        name="02a", slide="THE CHOICE OF LOSS (III)",
        words="the cross-entropy function can speed up the learning even with bad initial weights",
        runs=("02a",),
        measure="share of the first epoch's loss shed by epoch 10, cross-entropy minus MSE",
        why="speed of learning from the same bad weights, scale-free (the two losses have "
            "different units)",
        effect=lambda runs: (fall(curve(runs["02a"], "binary_crossentropy"))
                             - fall(curve(runs["02a"], "mean_squared_error"))),
        others={"epochs to halve the loss, MSE minus cross-entropy (MSE never: 101)":
                lambda runs: ((runs["02a"]["notes"]["epochs_to_halve"]["mean_squared_error"] or 101)
                              - runs["02a"]["notes"]["epochs_to_halve"]["binary_crossentropy"])}),
    Comparison(
        name="03 (training)", slide="TRY IT OUT!",
        words="the performance for the training sample is improved",
        runs=("01", "03"),
        measure="training accuracy, softmax + cross-entropy (03) minus sigmoid + MSE (01)",
        why="the slide compares the evaluated training accuracies of the two scripts",
        effect=lambda runs: (score(runs["03"], "softmax", "training")
                             - score(runs["01"], "mse", "training"))),
    Comparison(
        name="03 (testing)", slide="TRY IT OUT!",
        words="but the performance for the testing sample is still similar",
        runs=("01", "03"), measure="test accuracy, 03 minus 01",
        why="the slide compares the evaluated test accuracies; its own example (0.9635 against "
            '0.9662) sets the margin of "similar"',
        effect=lambda runs: score(runs["03"], "softmax") - score(runs["01"], "mse"),
        similar_within=SIMILAR_ACCURACY),
    Comparison(
        name="03 (second choice)", slide="INTERMISSION",
        words="the second option has a fairly good chance to be correct",
        runs=("03",),
        measure="share of the wrongly tagged digits whose second choice is right, above 1/9",
        why='"fairly good chance": above the chance of a guess among the nine classes left',
        effect=lambda runs: (runs["03"]["notes"]["second_choice_right"]
                             / runs["03"]["notes"]["misclassified"] - CHANCE_OF_THE_SECOND_CHOICE),
        digits=3),
    Comparison(
        name="04", slide="THE OVERTRAINING ISSUE",
        words="the training performance keeps improving with more epochs, but the testing "
              "performance saturated quickly",
        runs=("04",),
        measure="relative fall of the loss over the second half of the run, training minus "
                "validation",
        why="the slide's two halves side by side: training still improving, testing not",
        effect=lambda runs: (second_half_fall(curve(runs["04"], "plain"))
                             - second_half_fall(curve(runs["04"], "plain", "val_loss"))),
        digits=3,
        others={
            "validation loss's rise after its lowest": lambda runs: rise(
                overtraining(runs["04"], "plain")),
            "epoch of the lowest validation loss": lambda runs: overtraining(
                runs["04"], "plain")["best_validation_epoch"],
            "train-test accuracy gap at the end": lambda runs: gap(runs["04"], "plain")}),
    Comparison(
        name="04 at 60000 images", slide="TRAINING DATA DOES MATTER",
        words="by increasing the training data size the overtraining is indeed mitigated",
        runs=("04", "train-size-60000"),
        measure="train-test accuracy gap narrower by (10000 minus 60000 images)", why=GAP_WHY,
        effect=lambda runs: gap(runs["04"], "plain") - gap(runs["train-size-60000"], "plain"),
        others=overtraining_others(("04", "plain"), ("train-size-60000", "plain"))),
    Comparison(
        name="04a", slide="REGULARIZATION (III)",
        words="with weight decay on the output layer the overtraining effect is reduced",
        runs=("04a",), measure="train-test accuracy gap narrower by (none minus L2)", why=GAP_WHY,
        effect=lambda runs: gap(runs["04a"], "none") - gap(runs["04a"], "l2"),
        # No loss measure here: the L2 model's validation loss includes the penalty.
        others={"test accuracy, higher by": lambda runs: (
            score(runs["04a"], "l2") - score(runs["04a"], "none"))}),
    Comparison(
        name="04a with L1", slide="HANDS-ON SESSION (Practice 01, Trial #1)",
        words="what will be the situation if we switched to L1 regularization?",
        runs=("04a", "practice-01-l1"),
        measure="train-test accuracy gap narrower by (none minus L1)",
        why="the question of the trial: does L1 reduce the overtraining as L2 does (" + GAP_WHY
            + ")",
        effect=lambda runs: gap(runs["04a"], "none") - gap(runs["practice-01-l1"], "l1"),
        others={
            "share of output weights below 0.01, L1 minus L2": lambda runs: (
                runs["practice-01-l1"]["notes"]["output_weights"]["l1"]["share_below_0.01"]
                - runs["04a"]["notes"]["output_weights"]["l2"]["share_below_0.01"]),
            "test accuracy, L1 minus L2": lambda runs: (
                score(runs["practice-01-l1"], "l1") - score(runs["04a"], "l2"))}),
    Comparison(
        name="04b", slide="DROPOUT (II)",
        words="the dropout method is actually very helpful in terms of against overtraining",
        runs=("04b",), measure="train-test accuracy gap narrower by (none minus dropout)",
        why=GAP_WHY + "; the training accuracy is the evaluated model's, with dropout off",
        effect=lambda runs: gap(runs["04b"], "none") - gap(runs["04b"], "dropout"),
        others=overtraining_others(("04b", "none"), ("04b", "dropout"))),
    Comparison(
        name="04d (first epochs)", slide="BATCH NORMALIZATION (II)",
        words="the batch normalization can reduce the gradient vanishing problem",
        runs=("04d",),
        measure="mean validation accuracy over the first 10 epochs, with minus without",
        why="a vanishing gradient shows as a network that starts learning late",
        effect=lambda runs: (
            early_mean(curve(runs["04d"], "batch_normalization", "val_accuracy"))
            - early_mean(curve(runs["04d"], "sigmoid", "val_accuracy")))),
    Comparison(
        name="04d (overtraining)", slide="BATCH NORMALIZATION (II)",
        words="mild improvement on the overtraining",
        runs=("04d",), measure="train-test accuracy gap narrower by (without minus with)",
        why=GAP_WHY,
        effect=lambda runs: gap(runs["04d"], "sigmoid") - gap(runs["04d"], "batch_normalization"),
        others=overtraining_others(("04d", "sigmoid"), ("04d", "batch_normalization"))),
    Comparison(
        name="05", slide="ARTIFICIAL DATA EXPANDING",
        words="triple the training data by randomly rotating the images: some positive effect "
              "found! (the slide's figure: accuracy)",
        runs=("05",), measure="test accuracy at the end, expanded minus original",
        why="the slide's figure is the accuracy, and its point is the testing performance the "
            "expanded data buys",
        effect=lambda runs: score(runs["05"], "expanded") - score(runs["05"], "original"),
        others={"train-test accuracy gap narrower by": lambda runs: (
                    gap(runs["05"], "original") - gap(runs["05"], "expanded")),
                **{name: measure for name, measure in overtraining_others(
                    ("05", "original"), ("05", "expanded")).items()
                   if not name.startswith("test accuracy")}}),
    Comparison(
        name="06 (too small)", slide="LEARNING RATE",
        words="too small learning rate will take a long time to train the network",
        runs=("06",), measure="training loss at the end, lr 0.2 minus lr 2",
        why='"a long time to train": where each has got to after the same epochs',
        effect=lambda runs: curve(runs["06"], "lr_0.2")[-1] - curve(runs["06"], "lr_2")[-1]),
    Comparison(
        name="06 (too large)", slide="LEARNING RATE",
        words="too large rate will make the learning more likely a random walk",
        runs=("06",), measure="training accuracy at the end, lr 2 minus lr 20",
        why="a random walk does not learn: the evaluated training accuracy (a diverged run, NaN: "
            "0)",
        effect=lambda runs: (score(runs["06"], "lr_2", "training")
                             - finite_or(score(runs["06"], "lr_20", "training"), 0.0)),
        others={"share of epochs in which the training loss rose (or became NaN), lr 20 minus "
                "lr 2": lambda runs: (share_of_rises(curve(runs["06"], "lr_20"))
                                      - share_of_rises(curve(runs["06"], "lr_2")))}),
    Comparison(
        name="06a", slide="KEEP THE MOMENTUM? (II)",
        words="the loss function converges quicker with momentum method",
        runs=("06a",), measure="training loss at epoch 10, plain SGD minus momentum 0.4",
        why='"converges quicker": the loss early in the run, before both have converged',
        effect=lambda runs: (at_epoch(curve(runs["06a"], "sgd"), 10)
                             - at_epoch(curve(runs["06a"], "momentum"), 10))),
    Comparison(
        name="06b", slide="SIZE OF MINI-BATCH?",
        words="larger mini-batch ... suffers from less frequent updates",
        runs=("06b",), measure="training loss at epoch 5, batch 300 minus batch 10",
        why="fewer updates per epoch show as a slower fall per epoch. The other half (smaller "
            "batches take noisier steps) needs per-step losses, which per-epoch records cannot "
            "show: not judged",
        effect=lambda runs: (at_epoch(curve(runs["06b"], "batch_300"), 5)
                             - at_epoch(curve(runs["06b"], "batch_10"), 5))),
    Comparison(
        name="06c", slide="DIFFERENT TRAINING ALGORITHM? (III)",
        words="with our simple network SGD actually performs very well!",
        runs=("06c",),
        measure="test accuracy, SGD minus the best of RMSprop and Adadelta (at least −0.005)",
        why='"performs very well": no worse than the adaptive methods by more than the margin of '
            '"similar"',
        effect=lambda runs: (score(runs["06c"], "sgd") - max(score(runs["06c"], "rmsprop"),
                                                             score(runs["06c"], "adadelta"))),
        threshold=-SIMILAR_ACCURACY),
    Comparison(
        name="06d", slide="DIFFERENT ACTIVATION FUNCTION? (III)",
        words="ReLU against sigmoid in 784-256-256-10: it improves!",
        runs=("06d",), measure="test accuracy, ReLU minus sigmoid",
        why='"see how good we can reach within 40 epochs": the test accuracy at the end',
        effect=lambda runs: score(runs["06d"], "relu") - score(runs["06d"], "sigmoid")),
    Comparison(
        name="06e", slide="DIFFERENT ACTIVATION FUNCTION? (V)",
        words="the results are similar to standard ReLU in this example",
        runs=("06e",), measure="test accuracy, Leaky ReLU minus ReLU",
        why='"results": the test accuracy at the end, within the margin of "similar"',
        effect=lambda runs: score(runs["06e"], "leaky_relu") - score(runs["06e"], "relu"),
        similar_within=SIMILAR_ACCURACY),
    Comparison(
        name="07a (later)", slide="LARGER/DEEPER NETWORK? (III)",
        words="a more complex network does require a longer training time",
        runs=("07a",),
        measure="mean validation accuracy over the first 10 epochs, 2 minus 8 hidden layers",
        why='"longer training time": how soon each depth learns, over the same first epochs (an '
            "area, not the one epoch in which 90% is crossed)",
        effect=lambda runs: (early_mean(curve(runs["07a"], "depth_2", "val_accuracy"))
                             - early_mean(curve(runs["07a"], "depth_8", "val_accuracy"))),
        others={
            "epoch reaching 90% validation accuracy, 8 minus 2 layers": lambda runs: (
                finite_or(runs["07a"]["notes"]["epoch_reaching_90_percent"]["depth_8"], math.nan)
                - finite_or(runs["07a"]["notes"]["epoch_reaching_90_percent"]["depth_2"],
                            math.nan)),
            "test accuracy at the end, 8 layers (100 epochs) minus 2 (40)": lambda runs: (
                score(runs["07a"], "depth_8") - score(runs["07a"], "depth_2"))}),
    Comparison(
        name="07a (vanishing gradient)", slide="WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK?",
        words="dL/db1 < 0.0156 dL/db4: the updating of b1 is much slower than of b4 (sigmoid)",
        runs=("07a",),
        measure="decades by which sigmoid's first-to-last hidden bias gradient ratio lies below "
                "ReLU's, at initialisation (at least 2)",
        why="the slide's ratio, with ReLU as the contrast whose gradient does not vanish",
        effect=lambda runs: math.log10(
            runs["07a"]["notes"]["gradients"]["relu"]["initial"][
                "first_to_last_hidden_bias_ratio"]
            / runs["07a"]["notes"]["gradients"]["sigmoid"]["initial"][
                "first_to_last_hidden_bias_ratio"]),
        threshold=2.0, digits=2),
    Comparison(
        name="08", slide="A CNN (our choice; the slides do not show 08)",
        words="our goal: test accuracy 0.99",
        runs=("08",), measure="test accuracy above 0.99",
        why="the goal we set for the CNN the hands-on session uses",
        effect=lambda runs: score(runs["08"], "cnn") - 0.99),
    kernel_size_trial(3),
    kernel_size_trial(7),
    Comparison(
        name="08a", slide="HANDS-ON SESSION (Practice 02)",
        words="rotate the testing data: how good can we still separate the digits?",
        runs=("08", "08a"),
        measure="accuracy on the test digits rotated within ±30°, 08a minus 08",
        why="08a has seen rotated copies (example 05's rotation), 08 has not",
        effect=lambda runs: (rotated_accuracy(runs["08a"], "cnn")
                             - rotated_accuracy(runs["08"], "cnn")),
        others={"08a's test accuracy above its goal 0.994": lambda runs: (
            score(runs["08a"], "cnn") - 0.994)}),
    Comparison(
        name="08a without dropout", slide="BATCH NORMALIZATION (II)",
        words="usually it is a bad idea to mix it with dropout since dropout may interfere with "
              "the normalization calculation",
        runs=("08a", "no-dropout"),
        measure="test accuracy, 08a without dropout minus with dropout 0.3",
        why="the advice is about performance: the network without dropout should do better",
        effect=lambda runs: score(runs["no-dropout"], "cnn") - score(runs["08a"], "cnn"),
        others={"accuracy on the rotated test digits, without minus with": lambda runs: (
            rotated_accuracy(runs["no-dropout"], "cnn") - rotated_accuracy(runs["08a"], "cnn"))}),
]

CLAIMS = {claim.name: claim for claim in COMPARISONS}
