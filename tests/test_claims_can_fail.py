"""Every claim of tools/claims.py can fail, and can hold: for each, hand-made runs of five seeds
in which the slide's lesson is false get "does not hold", and runs in which it is true get
"holds", judged by the claims' own measure and rule (no script runs).

The cases are found from the claims' own list: a claim added without its cases fails here, and so
does a claim weakened until it can no longer fail (a measure that ignores what it reads, a
threshold or margin that every effect passes). A hand-made run holds only what the claim's
measure reads: the models under the keys the script gives them (KEYS), each with the fields
named. The same runs with their models in the other order and other labels give the same effect:
a claim names its models by key, never by position or legend.
"""

import copy
import math

import pytest

import claims
import runs
import verdicts
from l303_files import REPO

# Five hand-made "seeds": each seed's effect is the case's effect times (1 + wobble).
WOBBLES = (-0.2, -0.1, 0.0, 0.1, 0.2)
# The keys each run's models have (the scripts' run.callbacks(key, ...)), in training order.
KEYS = {
    "01": ["mse"], "02": ["bad", "different"], "02a": ["mean_squared_error", "binary_crossentropy"],
    "03": ["softmax"], "04": ["plain"], "train-size-60000": ["plain"], "04a": ["none", "l2"],
    "practice-01-l1": ["none", "l1"], "04b": ["none", "dropout"],
    "04d": ["sigmoid", "batch_normalization"], "05": ["original", "expanded"],
    "06": ["lr_0.2", "lr_2", "lr_20"], "06a": ["sgd", "momentum"],
    "06b": ["batch_10", "batch_30", "batch_300"], "06c": ["sgd", "rmsprop", "adadelta"],
    "06d": ["sigmoid", "relu"], "06e": ["relu", "leaky_relu"],
    "07a": ["depth_2", "depth_4", "depth_8"], "08": ["cnn"], "practice-01-kernel-3": ["cnn"],
    "practice-01-kernel-7": ["cnn"], "08a": ["cnn"], "no-dropout": ["cnn"],
}


def record(models=(), notes=None):
    """A hand-made result: models as (key, history, results) in training order, and notes."""
    return {"models": {key: f"the label of {key}" for key, _, _ in models},
            "histories": {key: history for key, history, _ in models},
            "results": {key: results for key, _, results in models},
            "notes": notes or {}}


def scores(test=0.95, training=None, validation=None, rotated=None):
    found = {"testing": {"accuracy": test, "loss": 0.2}}
    if training is not None:
        found["training"] = {"accuracy": training, "loss": 0.1}
    if validation is not None:
        found["validation"] = {"accuracy": validation, "loss": 0.2}
    if rotated is not None:
        found["testing_rotated"] = {"accuracy": rotated, "loss": 0.5}
    return found


def falling(share, epochs=10, start=1.0):
    """A loss curve that sheds `share` of its first value by its last epoch (negative: rises)."""
    return [start * (1 - share * epoch / (epochs - 1)) for epoch in range(epochs)]


def gaps(number, *accuracy_gaps):
    """report_overtraining's notes for the run's models, in order, with these train-test gaps."""
    return {"overtraining": {key: {
        "accuracy_gap": gap, "min_validation_loss": 0.2, "final_validation_loss": 0.25,
        "best_validation_epoch": 30, "final_training_loss": 0.01, "loss_gap": 0.1}
        for key, gap in zip(KEYS[number], accuracy_gaps)}}


def models(number, *tests, histories=None, **parts):
    """The run's models, in order, with these test accuracies (and other parts: training=[...])."""
    return [(KEYS[number][index], (histories or [{}] * len(tests))[index],
             scores(test, **{part: values[index] for part, values in parts.items()}))
            for index, test in enumerate(tests)]


def one_script(number, *tests, notes=None, histories=None, **parts):
    return {number: record(models(number, *tests, histories=histories, **parts), notes)}


def with_gaps(number, *accuracy_gaps):
    return {number: record(models(number, *[0.95] * len(accuracy_gaps)),
                           gaps(number, *accuracy_gaps))}


# claim name -> effect -> the runs of one seed in which the claim's measure is `effect` (or, for
# a claim with a threshold or a margin, in which it lies that far on the slide's side of it:
# negative effects lie on the other side). Each builds only what its measure reads.
CASES = {
    "01a": lambda e: {"01a": record(notes={"tricks": {
        "baseline_misclassified": 300, "misclassified": 300 - 100 * e}})},
    "02": lambda e: one_script("02", 0.0, 0.0, histories=[
        {"loss": falling(0.01, 20)}, {"loss": falling(0.01 + 0.5 * e, 20)}]),
    "02a": lambda e: one_script("02a", 0.0, 0.0, histories=[
        {"loss": falling(0.1, 20)}, {"loss": falling(0.1 + 0.5 * e, 20)}]),
    "03 (training)": lambda e: {**one_script("01", 0.96, training=[0.97]),
                                **one_script("03", 0.96, training=[0.97 + 0.01 * e])},
    "03 (testing)": lambda e: {**one_script("01", 0.962), **one_script("03", 0.962 + similar(e))},
    "03 (second choice)": lambda e: {"03": record(notes={
        "misclassified": 300, "second_choice_right": 300 * (1 / 9 + 0.3 * e)})},
    "04": lambda e: one_script("04", 0.94, histories=[{  # training still falling, validation not
        "loss": falling(0.4 * e if e > 0 else 0.01, 20),
        "val_loss": falling(-0.2 if e > 0 else 0.6 * -e, 20)}]),
    "04 at 60000 images": lambda e: {**with_gaps("04", 0.05),
                                     **with_gaps("train-size-60000", 0.05 - 0.02 * e)},
    "04a": lambda e: with_gaps("04a", 0.05, 0.05 - 0.02 * e),
    "04a with L1": lambda e: {**with_gaps("04a", 0.05, 0.03),
                              **with_gaps("practice-01-l1", 0.05, 0.05 - 0.02 * e)},
    "04b": lambda e: with_gaps("04b", 0.05, 0.05 - 0.02 * e),
    "04d (first epochs)": lambda e: one_script("04d", 0.95, 0.95, histories=[
        {"val_accuracy": [0.3] * 10}, {"val_accuracy": [0.3 + 0.3 * e] * 10}]),
    "04d (overtraining)": lambda e: with_gaps("04d", 0.05, 0.05 - 0.02 * e),
    "05": lambda e: one_script("05", 0.94, 0.94 + 0.01 * e),
    "06 (too small)": lambda e: one_script("06", 0.9, 0.9, 0.5, histories=[
        {"loss": falling(0.5)}, {"loss": falling(0.5 + 0.3 * e)}, {"loss": falling(0.1)}]),
    "06 (too large)": lambda e: one_script("06", 0.9, 0.9, 0.5, training=[
        0.9, 0.95, 0.95 - 0.5 * e]),
    "06a": lambda e: one_script("06a", 0.9, 0.9, histories=[
        {"loss": falling(0.5, 20)}, {"loss": falling(0.5 + 0.3 * e, 20)}]),
    "06b": lambda e: one_script("06b", 0.9, 0.9, 0.9, histories=[
        {"loss": falling(0.5 + 0.3 * e)}, {"loss": falling(0.5)}, {"loss": falling(0.5)}]),
    "06c": lambda e: one_script("06c", 0.94 + 0.01 * e, 0.94, 0.93),  # above -0.005 when e > 0
    "06d": lambda e: one_script("06d", 0.95, 0.95 + 0.01 * e),
    "06e": lambda e: one_script("06e", 0.956, 0.956 + similar(e)),
    "07a (later)": lambda e: one_script("07a", 0.96, 0.96, 0.96, histories=[
        {"val_accuracy": [0.6 + 0.3 * e] * 10}, {"val_accuracy": [0.6] * 10},
        {"val_accuracy": [0.6] * 10}]),
    "07a (vanishing gradient)": lambda e: {"07a": record(notes={"gradients": {
        "relu": {"initial": {"first_to_last_hidden_bias_ratio": 0.15}},
        "sigmoid": {"initial": {"first_to_last_hidden_bias_ratio":
                                          0.15 / 10 ** (2 + 2 * e)}}}})},  # 2 + 2e decades
    "08": lambda e: one_script("08", 0.99 + 0.005 * e),
    "08 with 3x3 kernels": lambda e: {**one_script("08", 0.992),
                                      **one_script("practice-01-kernel-3", 0.99 + 0.005 * e)},
    "08 with 7x7 kernels": lambda e: {**one_script("08", 0.992),
                                      **one_script("practice-01-kernel-7", 0.99 + 0.005 * e)},
    "08a": lambda e: {**one_script("08", 0.992, rotated=[0.95]),
                      **one_script("08a", 0.994, rotated=[0.95 + 0.02 * e])},
    "08a without dropout": lambda e: {**one_script("08a", 0.994),
                                      **one_script("no-dropout", 0.994 + 0.002 * e)},
}


def similar(effect):
    """A difference for a "similar" claim, in accuracy, fixed by the slides and not by the
    claim's margin (a margin that grew until nothing falls outside it must fail here): when the
    lesson is true (a positive effect), 0.001 +- 0.0005, a third of the slide's own "still
    similar" 0.0027 (03 against 01); when it is false, two percentage points, as far apart as
    the slides' "it improves!" (ReLU against sigmoid)."""
    if effect > 0:
        return 0.001 + 0.0005 * (effect - 1)
    return 0.02 * -effect


def verdict(name, effect):
    claim = claims.CLAIMS[name]
    effects = [claim.effect(CASES[name](effect * (1 + wobble))) for wobble in WOBBLES]
    assert all(math.isfinite(value) for value in effects), effects
    return verdicts.judge_comparison(claim, effects)


def test_every_claim_has_its_cases():
    assert sorted(CASES) == sorted(claims.CLAIMS), (
        "every claim needs a hand-made case here: "
        f"missing {sorted(set(claims.CLAIMS) - set(CASES))}, stale {sorted(set(CASES) - set(claims.CLAIMS))}")


@pytest.mark.parametrize("name", sorted(claims.CLAIMS))
def test_a_claim_holds_where_its_lesson_is_true_and_fails_where_it_is_false(name):
    true, false = verdict(name, 1.0), verdict(name, -1.0)
    assert true.status == "holds", (name, true)
    assert false.status == "does not hold", (name, false)
    assert true.on_the_slides_side == len(WOBBLES) and false.on_the_slides_side == 0


@pytest.mark.parametrize("name", sorted(claims.CLAIMS))
def test_a_claim_is_within_noise_where_its_seeds_disagree(name):
    """Seeds on both sides of the claim: neither verdict, whatever the mean's side."""
    claim = claims.CLAIMS[name]
    effects = [claim.effect(CASES[name](effect)) for effect in (1.0, -1.0, 1.2, -0.8, 0.3)]
    assert verdicts.judge_comparison(claim, effects).status == "within noise", (name, effects)


def reordered(runs):
    """The same runs with each run's models in the other order and relabelled, as a maintainer
    who reorders a script's loop and rewords its legend would make them."""
    def backwards(mapping):
        return dict(reversed(list(mapping.items())))

    return {name: {**result, "models": {key: f"reworded {label}" for key, label
                                        in backwards(result["models"]).items()},
                   "histories": backwards(result["histories"]),
                   "results": backwards(result["results"])}
            for name, result in runs.items()}


@pytest.mark.parametrize("name", sorted(claims.CLAIMS))
def test_a_claim_names_its_models_by_key_not_by_order_or_legend(name):
    claim = claims.CLAIMS[name]
    for effect in (1.0, -1.0):
        runs = CASES[name](effect)
        assert claim.effect(reordered(runs)) == claim.effect(runs), name


# What each claim reads of its hand-made runs: (run, field, model, ...) down to the history's
# epochs ("[4]" is epoch 5, "[-1]" the last, "[None:10]" the first ten), each checked by hand
# against the claim's words and its "measure" (RESULTS.md's column): the models they name, the
# history or score (training or validation, loss or accuracy, test set or rotated) and the epoch.
READS = {
    "01a": {  # test digits wrongly tagged, fewer by (baseline minus tricks)
        ("01a", "notes", "tricks", "baseline_misclassified"),
        ("01a", "notes", "tricks", "misclassified"),
    },
    "02": {  # share of the first epoch's MSE loss shed by epoch 10, other start minus bad start
        ("02", "histories", "bad", "loss", "[0]"),
        ("02", "histories", "bad", "loss", "[9]"),
        ("02", "histories", "different", "loss", "[0]"),
        ("02", "histories", "different", "loss", "[9]"),
    },
    "02a": {  # share of the first epoch's loss shed by epoch 10, cross-entropy minus MSE
        ("02a", "histories", "binary_crossentropy", "loss", "[0]"),
        ("02a", "histories", "binary_crossentropy", "loss", "[9]"),
        ("02a", "histories", "mean_squared_error", "loss", "[0]"),
        ("02a", "histories", "mean_squared_error", "loss", "[9]"),
    },
    "03 (training)": {  # training accuracy, softmax + cross-entropy (03) minus sigmoid + MSE ...
        ("01", "results", "mse", "training", "accuracy"),
        ("03", "results", "softmax", "training", "accuracy"),
    },
    "03 (testing)": {  # test accuracy, 03 minus 01
        ("01", "results", "mse", "testing", "accuracy"),
        ("03", "results", "softmax", "testing", "accuracy"),
    },
    "03 (second choice)": {  # share of the wrongly tagged digits whose second choice is ...
        ("03", "notes", "misclassified"),
        ("03", "notes", "second_choice_right"),
    },
    "04": {  # relative fall of the loss over the second half of the run, training minus ...
        ("04", "histories", "plain", "loss", "[-1]"),
        ("04", "histories", "plain", "loss", "[9]"),
        ("04", "histories", "plain", "val_loss", "[-1]"),
        ("04", "histories", "plain", "val_loss", "[9]"),
    },
    "04 at 60000 images": {  # train-test accuracy gap narrower by (10000 minus 60000 images)
        ("04", "notes", "overtraining", "plain", "accuracy_gap"),
        ("train-size-60000", "notes", "overtraining", "plain", "accuracy_gap"),
    },
    "04a": {  # train-test accuracy gap narrower by (none minus L2)
        ("04a", "notes", "overtraining", "l2", "accuracy_gap"),
        ("04a", "notes", "overtraining", "none", "accuracy_gap"),
    },
    "04a with L1": {  # train-test accuracy gap narrower by (none minus L1)
        ("04a", "notes", "overtraining", "none", "accuracy_gap"),
        ("practice-01-l1", "notes", "overtraining", "l1", "accuracy_gap"),
    },
    "04b": {  # train-test accuracy gap narrower by (none minus dropout)
        ("04b", "notes", "overtraining", "dropout", "accuracy_gap"),
        ("04b", "notes", "overtraining", "none", "accuracy_gap"),
    },
    "04d (first epochs)": {  # mean validation accuracy over the first 10 epochs, with minus ...
        ("04d", "histories", "batch_normalization", "val_accuracy", "[None:10]"),
        ("04d", "histories", "sigmoid", "val_accuracy", "[None:10]"),
    },
    "04d (overtraining)": {  # train-test accuracy gap narrower by (without minus with)
        ("04d", "notes", "overtraining", "batch_normalization", "accuracy_gap"),
        ("04d", "notes", "overtraining", "sigmoid", "accuracy_gap"),
    },
    "05": {  # test accuracy at the end, expanded minus original
        ("05", "results", "expanded", "testing", "accuracy"),
        ("05", "results", "original", "testing", "accuracy"),
    },
    "06 (too small)": {  # training loss at the end, lr 0.2 minus lr 2
        ("06", "histories", "lr_0.2", "loss", "[-1]"),
        ("06", "histories", "lr_2", "loss", "[-1]"),
    },
    "06 (too large)": {  # training accuracy at the end, lr 2 minus lr 20
        ("06", "results", "lr_2", "training", "accuracy"),
        ("06", "results", "lr_20", "training", "accuracy"),
    },
    "06a": {  # training loss at epoch 10, plain SGD minus momentum 0.4
        ("06a", "histories", "momentum", "loss", "[9]"),
        ("06a", "histories", "sgd", "loss", "[9]"),
    },
    "06b": {  # training loss at epoch 5, batch 300 minus batch 10
        ("06b", "histories", "batch_10", "loss", "[4]"),
        ("06b", "histories", "batch_300", "loss", "[4]"),
    },
    "06c": {  # test accuracy, SGD minus the best of RMSprop and Adadelta (at least −0.005)
        ("06c", "results", "adadelta", "testing", "accuracy"),
        ("06c", "results", "rmsprop", "testing", "accuracy"),
        ("06c", "results", "sgd", "testing", "accuracy"),
    },
    "06d": {  # test accuracy, ReLU minus sigmoid
        ("06d", "results", "relu", "testing", "accuracy"),
        ("06d", "results", "sigmoid", "testing", "accuracy"),
    },
    "06e": {  # test accuracy, Leaky ReLU minus ReLU
        ("06e", "results", "leaky_relu", "testing", "accuracy"),
        ("06e", "results", "relu", "testing", "accuracy"),
    },
    "07a (later)": {  # mean validation accuracy over the first 10 epochs, 2 minus 8 hidden ...
        ("07a", "histories", "depth_2", "val_accuracy", "[None:10]"),
        ("07a", "histories", "depth_8", "val_accuracy", "[None:10]"),
    },
    "07a (vanishing gradient)": {  # decades by which sigmoid's first-to-last hidden bias ...
        ("07a", "notes", "gradients", "relu", "initial", "first_to_last_hidden_bias_ratio"),
        ("07a", "notes", "gradients", "sigmoid", "initial", "first_to_last_hidden_bias_ratio"),
    },
    "08": {  # test accuracy above 0.99
        ("08", "results", "cnn", "testing", "accuracy"),
    },
    "08 with 3x3 kernels": {  # test accuracy above 0.99 (08's goal)
        ("practice-01-kernel-3", "results", "cnn", "testing", "accuracy"),
    },
    "08 with 7x7 kernels": {  # test accuracy above 0.99 (08's goal)
        ("practice-01-kernel-7", "results", "cnn", "testing", "accuracy"),
    },
    "08a": {  # accuracy on the test digits rotated within ±30°, 08a minus 08
        ("08", "results", "cnn", "testing_rotated", "accuracy"),
        ("08a", "results", "cnn", "testing_rotated", "accuracy"),
    },
    "08a without dropout": {  # test accuracy, 08a without dropout minus with dropout 0.3
        ("08a", "results", "cnn", "testing", "accuracy"),
        ("no-dropout", "results", "cnn", "testing", "accuracy"),
    },
}


class Watched(dict):
    """A run, or a part of it, that notes every value a claim reads (as a path) in LOG."""

    def __init__(self, data, path, log):
        super().__init__(data)
        self.path, self.log = path, log

    def _read(self, key, value):
        if isinstance(value, dict):
            return Watched(value, self.path + (key,), self.log)
        if isinstance(value, list):
            return WatchedList(value, self.path + (key,), self.log)
        self.log.add(self.path + (key,))
        return value

    def __getitem__(self, key):
        return self._read(key, super().__getitem__(key))

    def get(self, key, default=None):
        return self[key] if key in self else default

    def items(self):
        return [(key, self._read(key, value)) for key, value in super().items()]

    def values(self):
        return [value for _, value in self.items()]


class WatchedList(list):
    """A history that notes which epochs a claim reads."""

    def __init__(self, data, path, log):
        super().__init__(data)
        self.path, self.log = path, log

    def __getitem__(self, index):
        where = f"[{index.start}:{index.stop}]" if isinstance(index, slice) else f"[{index}]"
        self.log.add(self.path + (where,))
        return super().__getitem__(index)

    def __iter__(self):
        self.log.add(self.path + ("[all]",))
        return super().__iter__()


def test_every_claim_reads_what_its_words_name_and_nothing_else():
    """A claim that reads a neighbouring model (06b's batch 30 where its words say 300), another
    field (validation for training), another set (the test set for the rotated one) or another
    epoch reads other paths than its words': it fails here, whatever its hand-made cases give."""
    assert sorted(READS) == sorted(claims.CLAIMS)
    for name, claim in claims.CLAIMS.items():
        for effect in (1.0, -1.0):
            log = set()
            claim.effect(Watched(CASES[name](effect), (), log))
            assert log == READS[name], (name, sorted(log ^ READS[name]))


# What each of the other measures shown beside a verdict (a claim's `others`, RESULTS.md's
# "other measures") reads of the committed seed-1 records, and which way each value moves it
# (+1: a larger value raises the measure; -1: lowers it; 0: a whole curve, its direction tested
# by hand in test_claims.py), checked by hand against the measure's words: "L1 minus L2" reads
# the L1 run's value (+1) and the L2 model's (-1).
OTHERS_READ = {
    "02a": {"epochs to halve the loss, MSE minus cross-entropy (MSE never: 101)": {
        ("02a", "notes", "epochs_to_halve", "mean_squared_error"): 1,
        ("02a", "notes", "epochs_to_halve", "binary_crossentropy"): -1}},
    "04": {
        "validation loss's rise after its lowest": {
            ("04", "notes", "overtraining", "plain", "final_validation_loss"): 1,
            ("04", "notes", "overtraining", "plain", "min_validation_loss"): -1},
        "epoch of the lowest validation loss": {
            ("04", "notes", "overtraining", "plain", "best_validation_epoch"): 1},
        "train-test accuracy gap at the end": {
            ("04", "notes", "overtraining", "plain", "accuracy_gap"): 1}},
    "04a": {"test accuracy, higher by": {
        ("04a", "results", "l2", "testing", "accuracy"): 1,
        ("04a", "results", "none", "testing", "accuracy"): -1}},
    "04a with L1": {
        "share of output weights below 0.01, L1 minus L2": {
            ("practice-01-l1", "notes", "output_weights", "l1", "share_below_0.01"): 1,
            ("04a", "notes", "output_weights", "l2", "share_below_0.01"): -1},
        "test accuracy, L1 minus L2": {
            ("practice-01-l1", "results", "l1", "testing", "accuracy"): 1,
            ("04a", "results", "l2", "testing", "accuracy"): -1}},
    "06 (too large)": {
        "share of epochs in which the training loss rose (or became NaN), lr 20 minus lr 2": {
            ("06", "histories", "lr_20", "loss", "[all]"): 0,
            ("06", "histories", "lr_2", "loss", "[all]"): 0}},
    "07a (later)": {
        "epoch reaching 90% validation accuracy, 8 minus 2 layers": {
            ("07a", "notes", "epoch_reaching_90_percent", "depth_8"): 1,
            ("07a", "notes", "epoch_reaching_90_percent", "depth_2"): -1},
        "test accuracy at the end, 8 layers (100 epochs) minus 2 (40)": {
            ("07a", "results", "depth_8", "testing", "accuracy"): 1,
            ("07a", "results", "depth_2", "testing", "accuracy"): -1}},
    "08 with 3x3 kernels": {"test accuracy, 3x3 minus 5x5": {
        ("practice-01-kernel-3", "results", "cnn", "testing", "accuracy"): 1,
        ("08", "results", "cnn", "testing", "accuracy"): -1}},
    "08 with 7x7 kernels": {"test accuracy, 7x7 minus 5x5": {
        ("practice-01-kernel-7", "results", "cnn", "testing", "accuracy"): 1,
        ("08", "results", "cnn", "testing", "accuracy"): -1}},
    "08a": {"08a's test accuracy above its goal 0.994": {
        ("08a", "results", "cnn", "testing", "accuracy"): 1}},
    "08a without dropout": {"accuracy on the rotated test digits, without minus with": {
        ("no-dropout", "results", "cnn", "testing_rotated", "accuracy"): 1,
        ("08a", "results", "cnn", "testing_rotated", "accuracy"): -1}},
}


def overtraining_reads(reference, remedy, test_accuracy=True):
    """What claims.overtraining_others reads: (run, model key) of the reference and the remedy."""
    def summary(run_and_key, field):
        return (run_and_key[0], "notes", "overtraining", run_and_key[1], field)

    def test(run_and_key):
        return (run_and_key[0], "results", run_and_key[1], "testing", "accuracy")

    reads = {
        "lowest validation loss, lower by": {summary(reference, "min_validation_loss"): 1,
                                             summary(remedy, "min_validation_loss"): -1},
        "validation loss's rise after its lowest, smaller by": {
            summary(reference, "final_validation_loss"): 1,
            summary(reference, "min_validation_loss"): -1,
            summary(remedy, "final_validation_loss"): -1,
            summary(remedy, "min_validation_loss"): 1}}
    if test_accuracy:
        reads["test accuracy, higher by"] = {test(remedy): 1, test(reference): -1}
    return reads


OTHERS_READ.update({
    "04 at 60000 images": overtraining_reads(("04", "plain"), ("train-size-60000", "plain")),
    "04b": overtraining_reads(("04b", "none"), ("04b", "dropout")),
    "04d (overtraining)": overtraining_reads(("04d", "sigmoid"), ("04d", "batch_normalization")),
    "05": {"train-test accuracy gap narrower by": {
        ("05", "notes", "overtraining", "original", "accuracy_gap"): 1,
        ("05", "notes", "overtraining", "expanded", "accuracy_gap"): -1},
        **overtraining_reads(("05", "original"), ("05", "expanded"), test_accuracy=False)},
})


def nudged(runs, path):
    """A copy of RUNS with the number at PATH a little larger (an integer by one)."""
    changed = copy.deepcopy(runs)
    *parents, leaf = path
    holder = changed
    for key in parents:
        holder = holder[key]
    holder[leaf] += 1 if isinstance(holder[leaf], int) else 1e-3
    return changed


def test_every_other_measure_reads_what_its_words_name_and_moves_their_way():
    """The other measures beside a verdict, on the committed seed-1 records: each reads the
    models, fields and sets its words name (a neighbouring model, the validation set for the test
    set or the reference's value for the remedy's fails), and a larger value of what it adds
    (subtracts) raises (lowers) it: a measure written the wrong way round fails."""
    reference = runs.seed_runs(REPO / "figures", 1)
    assert {name: sorted(claim.others) for name, claim in claims.CLAIMS.items() if claim.others} \
        == {name: sorted(others) for name, others in OTHERS_READ.items()}
    for name, others in OTHERS_READ.items():
        for words, reads in others.items():
            measure, log = claims.CLAIMS[name].others[words], set()
            value = measure(Watched(reference, (), log))
            assert log == set(reads), (name, words, sorted(log ^ set(reads)))
            for path, direction in reads.items():
                if direction:
                    moved = measure(nudged(reference, path)) - value
                    assert moved * direction > 0, (name, words, path, moved)


# What each number a slide printed is set against, read from a run of its script: the model's
# evaluated part its name says (training, testing, validation), its last epoch's running accuracy,
# or a note. 04c's "validation accuracy" read from the test set would pass any hand-made case.
PRINTED_READS = {
    "training accuracy": ("results", "training", "accuracy"),
    "test accuracy": ("results", "testing", "accuracy"),
    "validation accuracy": ("results", "validation", "accuracy"),
    "epoch 20 accuracy (running)": ("histories", "accuracy", "[-1]"),
    "stopping epoch": ("notes", "stopped_after_epochs"),
    "parameters": ("notes", "parameters"),
}
PRINTED_MODELS = {"01": "mse", "03": "softmax", "04c": "early_stopping", "07": "relu_dropout"}


def test_every_printed_number_is_set_against_what_its_name_says():
    reference = runs.seed_runs(REPO / "figures", 1)
    for number in claims.PRINTED:
        field, *rest = PRINTED_READS[number.name]
        model = [] if field == "notes" else [PRINTED_MODELS[number.script]]
        log = set()
        number.measure(Watched(reference[number.script], (), log))
        assert log == {(field, *model, *rest)}, (number.script, number.name, sorted(log))
