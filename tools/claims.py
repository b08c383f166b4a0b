"""The slides' claims, each written once: the slide's words, the measure, the rule that judges it.

`make report` (RESULTS.md), `make spread` and the lesson tests all judge through this module; no
threshold or measure exists anywhere else. Nothing here runs a script or loads Keras: a measure is
a pure function of results, the JSON files the scripts write.

- A Comparison is a slide's claim that one setting does something another does not ("dropout
  narrows the train-test gap"). Its measure maps the runs of one seed (`runs`: run name -> result
  JSON, the reference scripts by number, "01", "04a", and their variants by name,
  "train-size-60000") to one number, the effect, signed so that a positive effect goes the
  slide's way. Over seeds the effects are judged by judge_comparison (RULE).
- A PrintedNumber is a number a slide printed (01's test accuracy 0.96620). judge_printed sets it
  against our seeds' prediction interval for one new run (PRINTED_RULE).

Each measure was chosen from the slide's words, and its reason is written beside it (`why`). Where a
word admits several measures (overtraining), the others are computed too (`others`) and shown.
"""

import math
from dataclasses import dataclass, field
from typing import Callable

from scipy import stats

CONFIDENCE = 0.95
RULE = ("a comparison **holds** when the 95% confidence interval of its mean effect over the seeds "
        "(Student's t) lies wholly on the slide's side of its threshold, **does not hold** when it "
        "lies wholly on the other side, and is **within noise** otherwise; for a claim that two "
        "settings are similar, the interval must lie wholly inside ± the margin (holds) or wholly "
        "outside it (does not hold)")
PRINTED_RULE = ("a slide's printed number is **reproduced** when it lies inside the 95% prediction "
                "interval for one new run, mean ± t(n−1, 0.975) · sd · √(1 + 1/n) over our n seeds")
# "Similar" test accuracies: the slide on example 03 calls 0.96350 against 01's 0.96620 "still
# similar", a difference of 0.0027; half a percentage point is our margin for every such claim.
SIMILAR_ACCURACY = 0.005
CHANCE_OF_THE_SECOND_CHOICE = 1 / 9  # nine classes left once the first choice is wrong


# ---------------------------------------------------------------------------------------------
# Reading a result
# ---------------------------------------------------------------------------------------------

def label(result, index=0):
    """The label of a result's index-th model, in the order the script trained them."""
    return list(result["histories"])[index]


def curve(result, index, key="loss"):
    return result["histories"][label(result, index)][key]


def score(result, index=0, part="testing", metric="accuracy"):
    """A model's score after training (report_performance): part "training", "testing", ..."""
    return result["results"][label(result, index)][part][metric]


def rotated_accuracy(result, index=0):
    """Practice 02: the accuracy on the rotated test digits."""
    parts = result["results"][label(result, index)]
    return next(value["accuracy"] for part, value in parts.items() if "rotated" in part)


def overtraining(result, index):
    """report_overtraining's numbers of a model: lowest validation loss, gap at the end, ..."""
    return result["notes"]["overtraining"][label(result, index)]


def gap(result, index):
    """The train-test accuracy gap of the evaluated model at the end of the run. Accuracies, not
    losses: Keras adds a regularizer's penalty to the loss (also the validation loss), so a loss
    gap would compare a penalised loss with an unpenalised one."""
    return overtraining(result, index)["accuracy_gap"]


def fall(values, epochs=10):
    """How much of its first epoch's value a loss has shed by epoch `epochs` (or its last)."""
    return 1 - values[min(epochs, len(values)) - 1] / values[0]


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
    others: dict = field(default_factory=dict)  # other measures of the same words: name -> runs -> float


@dataclass(frozen=True)
class PrintedNumber:
    script: str
    name: str
    slide: float
    measure: Callable  # result -> float
    digits: int = 4


PRINTED = [
    PrintedNumber("01", "training accuracy", 0.97785, lambda r: score(r, part="training")),
    PrintedNumber("01", "test accuracy", 0.96620, lambda r: score(r)),
    PrintedNumber("01", "epoch 20 accuracy (running)", 0.9766, lambda r: curve(r, 0, "accuracy")[-1]),
    PrintedNumber("03", "training accuracy", 0.98613, lambda r: score(r, part="training")),
    PrintedNumber("03", "test accuracy", 0.96350, lambda r: score(r)),
    PrintedNumber("03", "epoch 20 accuracy (running)", 0.9850, lambda r: curve(r, 0, "accuracy")[-1]),
    PrintedNumber("04c", "stopping epoch", 21, lambda r: r["notes"]["stopped_after_epochs"], 1),
    PrintedNumber("04c", "validation accuracy", 0.93730, lambda r: score(r, part="validation")),
    PrintedNumber("04c", "test accuracy", 0.93480, lambda r: score(r)),
    PrintedNumber("07", "training accuracy", 0.99987, lambda r: score(r, part="training")),
    PrintedNumber("07", "test accuracy", 0.98490, lambda r: score(r)),
    PrintedNumber("07", "epoch 20 accuracy (running)", 0.9979, lambda r: curve(r, 0, "accuracy")[-1]),
    PrintedNumber("07", "parameters", 669706, lambda r: r["notes"]["parameters"], 0),
]

OVERTRAINING_OTHERS = {  # the other measures of "overtraining", shown beside the verdict's
    "lowest validation loss, lower by": lambda a, b: (
        overtraining(a[0], a[1])["min_validation_loss"] - overtraining(b[0], b[1])["min_validation_loss"]),
    "validation loss's rise after its lowest, smaller by": lambda a, b: (
        rise(overtraining(a[0], a[1])) - rise(overtraining(b[0], b[1]))),
    "test accuracy, higher by": lambda a, b: score(b[0], b[1]) - score(a[0], a[1]),
}


def rise(summary):
    """How far the validation loss ended above its lowest point, relative to it."""
    return summary["final_validation_loss"] / summary["min_validation_loss"] - 1


def overtraining_others(reference, remedy):
    """The other overtraining measures for (run, model index) pairs: reference, then remedy."""
    return {name: (lambda runs, measure=measure: measure(
        (runs[reference[0]], reference[1]), (runs[remedy[0]], remedy[1])))
        for name, measure in OVERTRAINING_OTHERS.items()}


GAP_WHY = ("the overtraining slide defines it by training performance that keeps improving while "
           "the testing performance saturates: the train-test accuracy gap at the end measures that, "
           "the same way for every remedy (accuracies: a regularizer's penalty is in the loss)")

COMPARISONS = [
    Comparison(
        "01a", "INTERMISSION", "port the tricks back to example 01a: what performance can you reach?",
        ("01a",), "test digits wrongly tagged, fewer by (baseline minus tricks)",
        "the task asks what the tricks reach against 01's ~300 wrong digits",
        lambda runs: (runs["01a"]["notes"]["tricks"]["baseline_misclassified"]
                      - runs["01a"]["notes"]["tricks"]["misclassified"]), digits=1),
    Comparison(
        "02", "SLOW LEARNING WITH BAD WEIGHTS (III)",
        "the loss is large for the initial epochs and it takes a while until the training starts; "
        "better with different initial values",
        ("02",), "share of the first epoch's MSE loss shed by epoch 10, other start minus bad start",
        "\"takes a while until the training really starts\": how far each start has come after ten "
        "of its 100 epochs, scale-free",
        lambda runs: fall(curve(runs["02"], 1)) - fall(curve(runs["02"], 0))),
    Comparison(
        "02a", "THE CHOICE OF LOSS (III)",
        "the cross-entropy function can speed up the learning even with bad initial weights",
        ("02a",), "share of the first epoch's loss shed by epoch 10, cross-entropy minus MSE",
        "speed of learning from the same bad weights, scale-free (the two losses have different "
        "units)",
        lambda runs: fall(curve(runs["02a"], 1)) - fall(curve(runs["02a"], 0)),
        others={"epochs to halve the loss, MSE minus cross-entropy (MSE never: 101)": lambda runs: (
            (runs["02a"]["notes"]["epochs_to_halve"]["mean_squared_error"] or 101)
            - runs["02a"]["notes"]["epochs_to_halve"]["binary_crossentropy"])}),
    Comparison(
        "03 (training)", "TRY IT OUT!", "the performance for the training sample is improved",
        ("01", "03"), "training accuracy, softmax + cross-entropy (03) minus sigmoid + MSE (01)",
        "the slide compares the evaluated training accuracies of the two scripts",
        lambda runs: score(runs["03"], part="training") - score(runs["01"], part="training")),
    Comparison(
        "03 (testing)", "TRY IT OUT!", "but the performance for the testing sample is still similar",
        ("01", "03"), "test accuracy, 03 minus 01",
        "the slide compares the evaluated test accuracies; its own example (0.9635 against 0.9662) "
        "sets the margin of \"similar\"",
        lambda runs: score(runs["03"]) - score(runs["01"]), similar_within=SIMILAR_ACCURACY),
    Comparison(
        "03 (second choice)", "INTERMISSION",
        "the second option has a fairly good chance to be correct",
        ("03",), "share of the wrongly tagged digits whose second choice is right, above 1/9",
        "\"fairly good chance\": above the chance of a guess among the nine classes left",
        lambda runs: (runs["03"]["notes"]["second_choice_right"] / runs["03"]["notes"]["misclassified"]
                      - CHANCE_OF_THE_SECOND_CHOICE), digits=3),
    Comparison(
        "04", "THE OVERTRAINING ISSUE",
        "the training performance keeps improving with more epochs, but the testing performance "
        "saturated quickly",
        ("04",), "relative fall of the loss over the second half of the run, training minus validation",
        "the slide's two halves side by side: training still improving, testing not",
        lambda runs: (second_half_fall(curve(runs["04"], 0))
                      - second_half_fall(curve(runs["04"], 0, "val_loss"))),
        digits=3, others={
            "validation loss's rise after its lowest": lambda runs: rise(overtraining(runs["04"], 0)),
            "epoch of the lowest validation loss": lambda runs: overtraining(
                runs["04"], 0)["best_validation_epoch"],
            "train-test accuracy gap at the end": lambda runs: gap(runs["04"], 0)}),
    Comparison(
        "04 at 60000 images", "TRAINING DATA DOES MATTER",
        "by increasing the training data size the overtraining is indeed mitigated",
        ("04", "train-size-60000"), "train-test accuracy gap narrower by (10000 minus 60000 images)",
        GAP_WHY, lambda runs: gap(runs["04"], 0) - gap(runs["train-size-60000"], 0),
        others=overtraining_others(("04", 0), ("train-size-60000", 0))),
    Comparison(
        "04a", "REGULARIZATION (III)", "with weight decay on the output layer the overtraining "
        "effect is reduced", ("04a",), "train-test accuracy gap narrower by (none minus L2)",
        GAP_WHY, lambda runs: gap(runs["04a"], 0) - gap(runs["04a"], 1),
        # No loss measure here: the L2 model's validation loss includes the penalty.
        others={"test accuracy, higher by": lambda runs: score(runs["04a"], 1) - score(runs["04a"], 0)}),
    Comparison(
        "04a with L1", "HANDS-ON Practice 01, Trial #1",
        "what will be the situation if we switched to L1 regularization?",
        ("04a", "practice-01-l1"), "train-test accuracy gap narrower by (none minus L1)",
        "the question of the trial: does L1 reduce the overtraining as L2 does (" + GAP_WHY + ")",
        lambda runs: gap(runs["04a"], 0) - gap(runs["practice-01-l1"], 1),
        others={"share of output weights below 0.01, L1 minus L2": lambda runs: (
            runs["practice-01-l1"]["notes"]["output_weights"][label(runs["practice-01-l1"], 1)]
            ["share_below_0.01"]
            - runs["04a"]["notes"]["output_weights"][label(runs["04a"], 1)]["share_below_0.01"]),
            "test accuracy, L1 minus L2": lambda runs: (score(runs["practice-01-l1"], 1)
                                                       - score(runs["04a"], 1))}),
    Comparison(
        "04b", "DROPOUT (II)", "the dropout method is actually very helpful in terms of against "
        "overtraining", ("04b",), "train-test accuracy gap narrower by (none minus dropout)",
        GAP_WHY + "; the training accuracy is the evaluated model's, with dropout off",
        lambda runs: gap(runs["04b"], 0) - gap(runs["04b"], 1),
        others=overtraining_others(("04b", 0), ("04b", 1))),
    Comparison(
        "04d (first epochs)", "BATCH NORMALIZATION (II)",
        "the batch normalization can reduce the gradient vanishing problem",
        ("04d",), "mean validation accuracy over the first 10 epochs, with minus without",
        "a vanishing gradient shows as a network that starts learning late",
        lambda runs: (early_mean(curve(runs["04d"], 1, "val_accuracy"))
                      - early_mean(curve(runs["04d"], 0, "val_accuracy")))),
    Comparison(
        "04d (overtraining)", "BATCH NORMALIZATION (II)", "mild improvement on the overtraining",
        ("04d",), "train-test accuracy gap narrower by (without minus with)", GAP_WHY,
        lambda runs: gap(runs["04d"], 0) - gap(runs["04d"], 1),
        others=overtraining_others(("04d", 0), ("04d", 1))),
    Comparison(
        "05", "ARTIFICIAL DATA EXPANDING",
        "triple the training data by randomly rotating the images: some positive effect found! "
        "(the slide's figure: accuracy)",
        ("05",), "test accuracy at the end, expanded minus original",
        "the slide's figure is the accuracy, and its point is the testing performance the "
        "expanded data buys",
        lambda runs: score(runs["05"], 1) - score(runs["05"], 0),
        others={"train-test accuracy gap narrower by": lambda runs: gap(runs["05"], 0) - gap(runs["05"], 1),
                **{name: measure for name, measure in overtraining_others(("05", 0), ("05", 1)).items()
                   if not name.startswith("test accuracy")}}),
    Comparison(
        "06 (too small)", "LEARNING RATE",
        "too small learning rate will take a long time to train the network",
        ("06",), "training loss at the end, lr 0.2 minus lr 2",
        "\"a long time to train\": where each has got to after the same epochs",
        lambda runs: curve(runs["06"], 0)[-1] - curve(runs["06"], 1)[-1]),
    Comparison(
        "06 (too large)", "LEARNING RATE",
        "too large rate will make the learning more likely a random walk",
        ("06",), "training accuracy at the end, lr 2 minus lr 20",
        "a random walk does not learn: the evaluated training accuracy (a diverged run, NaN: 0)",
        lambda runs: (score(runs["06"], 1, "training")
                      - finite_or(score(runs["06"], 2, "training"), 0.0)),
        others={"share of epochs in which the training loss rose (or became NaN), lr 20 minus lr 2":
                lambda runs: share_of_rises(curve(runs["06"], 2)) - share_of_rises(curve(runs["06"], 1))}),
    Comparison(
        "06a", "KEEP THE MOMENTUM? (II)", "the loss function converges quicker with momentum method",
        ("06a",), "training loss at epoch 10, plain SGD minus momentum 0.4",
        "\"converges quicker\": the loss early in the run, before both have converged",
        lambda runs: curve(runs["06a"], 0)[min(10, len(curve(runs["06a"], 0))) - 1]
        - curve(runs["06a"], 1)[min(10, len(curve(runs["06a"], 1))) - 1]),
    Comparison(
        "06b", "SIZE OF MINI-BATCH?",
        "larger mini-batch ... suffers from less frequent updates",
        ("06b",), "training loss at epoch 5, batch 300 minus batch 10",
        "fewer updates per epoch show as a slower fall per epoch. The other half (smaller batches "
        "take noisier steps) needs per-step losses, which per-epoch records cannot show: not judged",
        lambda runs: curve(runs["06b"], 2)[min(5, len(curve(runs["06b"], 2))) - 1]
        - curve(runs["06b"], 0)[min(5, len(curve(runs["06b"], 0))) - 1]),
    Comparison(
        "06c", "DIFFERENT TRAINING ALGORITHM? (III)",
        "with our simple network SGD actually performs very well!",
        ("06c",), "test accuracy, SGD minus the best of RMSprop and Adadelta (at least −0.005)",
        "\"performs very well\": no worse than the adaptive methods by more than the margin of "
        "\"similar\"",
        lambda runs: score(runs["06c"], 0) - max(score(runs["06c"], 1), score(runs["06c"], 2)),
        threshold=-SIMILAR_ACCURACY),
    Comparison(
        "06d", "DIFFERENT ACTIVATION FUNCTION? (III)", "ReLU against sigmoid in 784-256-256-10: it "
        "improves!", ("06d",), "test accuracy, ReLU minus sigmoid",
        "\"see how good we can reach within 40 epochs\": the test accuracy at the end",
        lambda runs: score(runs["06d"], 1) - score(runs["06d"], 0)),
    Comparison(
        "06e", "DIFFERENT ACTIVATION FUNCTION? (V)",
        "the results are similar to standard ReLU in this example",
        ("06e",), "test accuracy, Leaky ReLU minus ReLU",
        "\"results\": the test accuracy at the end, within the margin of \"similar\"",
        lambda runs: score(runs["06e"], 1) - score(runs["06e"], 0), similar_within=SIMILAR_ACCURACY),
    Comparison(
        "07a (later)", "LARGER/DEEPER NETWORK? (III)",
        "a more complex network does require a longer training time",
        ("07a",), "mean validation accuracy over the first 10 epochs, 2 minus 8 hidden layers",
        "\"longer training time\": how soon each depth learns, over the same first epochs (an area, "
        "not the one epoch in which 90% is crossed)",
        lambda runs: (early_mean(curve(runs["07a"], 0, "val_accuracy"))
                      - early_mean(curve(runs["07a"], -1, "val_accuracy"))),
        others={"epoch reaching 90% validation accuracy, 8 minus 2 layers": lambda runs: (
            finite_or(list(runs["07a"]["notes"]["epoch_reaching_90_percent"].values())[-1], math.nan)
            - finite_or(list(runs["07a"]["notes"]["epoch_reaching_90_percent"].values())[0], math.nan)),
            "test accuracy at the end, 8 layers (100 epochs) minus 2 (40)": lambda runs: (
                score(runs["07a"], -1) - score(runs["07a"], 0))}),
    Comparison(
        "07a (vanishing gradient)", "WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK?",
        "dL/db1 < 0.0156 dL/db4: the updating of b1 is much slower than of b4 (sigmoid)",
        ("07a",), "decades by which sigmoid's first-to-last hidden bias gradient ratio lies below "
                  "ReLU's, at initialisation (at least 2)",
        "the slide's ratio, with ReLU as the contrast whose gradient does not vanish",
        lambda runs: math.log10(
            runs["07a"]["notes"]["gradients"]["relu"]["at initialisation"]["first_to_last_hidden_bias_ratio"]
            / runs["07a"]["notes"]["gradients"]["sigmoid"]["at initialisation"]
            ["first_to_last_hidden_bias_ratio"]), threshold=2.0, digits=2),
    Comparison(
        "08", "A CNN (our choice; the slides do not show 08)", "our goal: test accuracy 0.99",
        ("08",), "test accuracy above 0.99", "the goal we set for the CNN the hands-on session uses",
        lambda runs: score(runs["08"]) - 0.99),
    Comparison(
        "08 with 3x3 kernels", "HANDS-ON Practice 01, Trial #2",
        "what will be the performance if we take a different size, for example 3x3?",
        ("08", "practice-01-kernel-3"), "test accuracy above 0.99 (08's goal)",
        "the trial asks for the performance: does it still reach the 5x5 network's goal",
        lambda runs: score(runs["practice-01-kernel-3"]) - 0.99,
        others={"test accuracy, 3x3 minus 5x5": lambda runs: (score(runs["practice-01-kernel-3"])
                                                             - score(runs["08"]))}),
    Comparison(
        "08 with 7x7 kernels", "HANDS-ON Practice 01, Trial #2",
        "what will be the performance if we take a different size, for example 7x7?",
        ("08", "practice-01-kernel-7"), "test accuracy above 0.99 (08's goal)",
        "the trial asks for the performance: does it still reach the 5x5 network's goal",
        lambda runs: score(runs["practice-01-kernel-7"]) - 0.99,
        others={"test accuracy, 7x7 minus 5x5": lambda runs: (score(runs["practice-01-kernel-7"])
                                                             - score(runs["08"]))}),
    Comparison(
        "08a", "HANDS-ON Practice 02",
        "rotate the testing data: how good can we still separate the digits?",
        ("08", "08a"), "accuracy on the test digits rotated within ±30°, 08a minus 08",
        "08a has seen rotated copies (example 05's rotation), 08 has not",
        lambda runs: rotated_accuracy(runs["08a"]) - rotated_accuracy(runs["08"]),
        others={"08a's test accuracy above its goal 0.994": lambda runs: score(runs["08a"]) - 0.994}),
    Comparison(
        "08a without dropout", "BATCH NORMALIZATION (II)",
        "usually it is a bad idea to mix it with dropout since dropout may interfere with the "
        "normalization calculation", ("08a", "no-dropout"),
        "test accuracy, 08a without dropout minus with dropout 0.3",
        "the advice is about performance: the network without dropout should do better",
        lambda runs: score(runs["no-dropout"]) - score(runs["08a"]),
        others={"accuracy on the rotated test digits, without minus with": lambda runs: (
            rotated_accuracy(runs["no-dropout"]) - rotated_accuracy(runs["08a"]))}),
]

CLAIMS = {claim.name: claim for claim in COMPARISONS}


# ---------------------------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------------------------

def mean_and_sd(values):
    values = [float(value) for value in values]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((value - mean) ** 2 for value in values) / (len(values) - 1)) \
        if len(values) > 1 else math.nan
    return mean, sd


def t_quantile(n):
    """Student's t at 0.975 with n - 1 degrees of freedom (2.776 for n = 5)."""
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1))


@dataclass(frozen=True)
class Verdict:
    status: str  # "holds", "does not hold", "within noise", "not judged"
    effects: tuple
    mean: float
    sd: float
    low: float  # the confidence interval of the mean effect
    high: float
    on_the_slides_side: int  # seeds whose effect goes the slide's way

    @property
    def n(self):
        return len(self.effects)


def goes_the_slides_way(claim, effect):
    """One seed's effect: inside the margin of a "similar" claim, or above the threshold."""
    if claim.similar_within is not None:
        return abs(effect) < claim.similar_within
    return effect > claim.threshold


def judge_comparison(claim, effects):
    """The verdict on one claim from its effect in each seed (RULE). Fewer than 2 seeds: not judged."""
    effects = tuple(float(effect) for effect in effects)
    agreeing = sum(goes_the_slides_way(claim, effect) for effect in effects)
    if len(effects) < 2:
        mean = effects[0] if effects else math.nan
        return Verdict("not judged", effects, mean, math.nan, math.nan, math.nan, agreeing)
    mean, sd = mean_and_sd(effects)
    half_width = t_quantile(len(effects)) * sd / math.sqrt(len(effects))
    low, high = mean - half_width, mean + half_width
    if claim.similar_within is not None:
        margin = claim.similar_within
        status = "holds" if -margin < low and high < margin else \
            "does not hold" if high <= -margin or low >= margin else "within noise"
    else:
        status = "holds" if low > claim.threshold else \
            "does not hold" if high < claim.threshold else "within noise"
    return Verdict(status, effects, mean, sd, low, high, agreeing)


def effect_in_one_run(claim, runs):
    """The claim's effect in one seed's runs, and whether it goes the slide's way: what a lesson
    test with one short run can check (a test states its own threshold where its budget differs)."""
    effect = claim.effect(runs)
    return effect, goes_the_slides_way(claim, effect)


@dataclass(frozen=True)
class PrintedVerdict:
    reproduced: bool
    values: tuple
    mean: float
    sd: float
    low: float  # the prediction interval for one new run
    high: float
    at_or_above: int  # our seeds at or above the slide's value

    @property
    def n(self):
        return len(self.values)

    def rank_words(self, slide):
        """Where the slide's value falls among our seeds, in words."""
        if all(value == slide for value in self.values):
            return f"equal in all {self.n}"
        if self.at_or_above == 0:
            return f"above all {self.n}"
        if self.at_or_above == self.n and all(value > slide for value in self.values):
            return f"below all {self.n}"
        return f"{self.at_or_above} of {self.n} at or above it"


def judge_printed(number, values):
    """A slide's printed number against our seeds' values (PRINTED_RULE)."""
    values = tuple(float(value) for value in values)
    mean, sd = mean_and_sd(values)
    half_width = t_quantile(len(values)) * sd * math.sqrt(1 + 1 / len(values))
    low, high = mean - half_width, mean + half_width
    # Ranked at the slide's own precision: its 0.99987 is our 0.9998667 printed as the slide did.
    decimals = len(repr(float(number.slide)).split(".")[1]) if float(number.slide) % 1 else 0
    return PrintedVerdict(low <= number.slide <= high, values, mean, sd, low, high,
                          sum(round(value, decimals) >= number.slide for value in values))
