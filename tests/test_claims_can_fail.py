"""Every claim of tools/claims.py can fail, and can hold: for each, hand-made runs of five seeds
in which the slide's lesson is false get "does not hold", and runs in which it is true get
"holds", judged by the claims' own measure and rule (no script runs).

The cases are found from the claims' own list: a claim added without its cases fails here, and so
does a claim weakened until it can no longer fail (a measure that ignores what it reads, a
threshold or margin that every effect passes). A hand-made run holds only what the claim's
measure reads: the models in the order the script trains them, each with the fields named.
"""

import math

import pytest

import claims

# Five hand-made "seeds": each seed's effect is the case's effect times (1 + wobble).
WOBBLES = (-0.2, -0.1, 0.0, 0.1, 0.2)


def record(models=(), notes=None):
    """A hand-made result: models as (label, history, results) in training order, and notes."""
    return {"histories": {label: history for label, history, _ in models},
            "results": {label: results for label, _, results in models},
            "notes": notes or {}}


def scores(test=0.95, training=None, validation=None, rotated=None):
    found = {"testing": {"accuracy": test, "loss": 0.2}}
    if training is not None:
        found["training"] = {"accuracy": training, "loss": 0.1}
    if validation is not None:
        found["validation"] = {"accuracy": validation, "loss": 0.2}
    if rotated is not None:
        found["testing, rotated within +-30 degrees"] = {"accuracy": rotated, "loss": 0.5}
    return found


def falling(share, epochs=10, start=1.0):
    """A loss curve that sheds `share` of its first value by its last epoch (negative: rises)."""
    return [start * (1 - share * epoch / (epochs - 1)) for epoch in range(epochs)]


def gaps(*accuracy_gaps):
    """report_overtraining's notes for models "m0", "m1", ... with these train-test gaps."""
    return {"overtraining": {f"m{index}": {
        "accuracy_gap": gap, "min_validation_loss": 0.2, "final_validation_loss": 0.25,
        "best_validation_epoch": 30, "final_training_loss": 0.01, "loss_gap": 0.1}
        for index, gap in enumerate(accuracy_gaps)}}


def models(*tests, histories=None, **parts):
    """Models "m0", "m1", ... with these test accuracies (and other parts: training=[...])."""
    return [(f"m{index}", (histories or [{}] * len(tests))[index],
             scores(test, **{part: values[index] for part, values in parts.items()}))
            for index, test in enumerate(tests)]


def one_script(number, *tests, notes=None, histories=None, **parts):
    return {number: record(models(*tests, histories=histories, **parts), notes)}


def with_gaps(number, *accuracy_gaps):
    return {number: record(models(*[0.95] * len(accuracy_gaps)), gaps(*accuracy_gaps))}


# claim name -> effect -> the runs of one seed in which the claim's measure is `effect` (or, for
# a claim with a threshold or a margin, in which it lies that far on the slide's side of it:
# negative effects lie on the other side). Each builds only what its measure reads.
CASES = {
    "01a": lambda e: {"01a": record(notes={"tricks": {
        "baseline_misclassified": 300, "misclassified": 300 - 100 * e}})},
    "02": lambda e: one_script("02", 0.0, 0.0, histories=[
        {"loss": falling(0.01)}, {"loss": falling(0.01 + 0.5 * e)}]),
    "02a": lambda e: one_script("02a", 0.0, 0.0, histories=[
        {"loss": falling(0.1)}, {"loss": falling(0.1 + 0.5 * e)}]),
    "03 (training)": lambda e: {"01": record(models(0.96, training=[0.97])),
                                "03": record(models(0.96, training=[0.97 + 0.01 * e]))},
    "03 (testing)": lambda e: {"01": record(models(0.962)), "03": record(models(0.962 + similar(e)))},
    "03 (second choice)": lambda e: {"03": record(notes={
        "misclassified": 300, "second_choice_right": 300 * (1 / 9 + 0.3 * e)})},
    "04": lambda e: one_script("04", 0.94, histories=[{  # training still falling, validation not
        "loss": falling(0.4 * e if e > 0 else 0.01, 20),
        "val_loss": falling(-0.2 if e > 0 else 0.6 * -e, 20)}]),
    "04 at 60000 images": lambda e: {**with_gaps("04", 0.05),
                                     "train-size-60000": record(models(0.96), gaps(0.05 - 0.02 * e))},
    "04a": lambda e: with_gaps("04a", 0.05, 0.05 - 0.02 * e),
    "04a with L1": lambda e: {**with_gaps("04a", 0.05, 0.03),
                              "practice-01-l1": record(models(0.95, 0.95), gaps(0.05, 0.05 - 0.02 * e))},
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
        {"loss": falling(0.5)}, {"loss": falling(0.5 + 0.3 * e)}]),
    "06b": lambda e: one_script("06b", 0.9, 0.9, 0.9, histories=[
        {"loss": falling(0.5 + 0.3 * e, 5)}, {"loss": falling(0.5, 5)}, {"loss": falling(0.5, 5)}]),
    "06c": lambda e: one_script("06c", 0.94 + 0.01 * e, 0.94, 0.93),  # above -0.005 when e > 0
    "06d": lambda e: one_script("06d", 0.95, 0.95 + 0.01 * e),
    "06e": lambda e: one_script("06e", 0.956, 0.956 + similar(e)),
    "07a (later)": lambda e: one_script("07a", 0.96, 0.96, 0.96, histories=[
        {"val_accuracy": [0.6 + 0.3 * e] * 10}, {"val_accuracy": [0.6] * 10},
        {"val_accuracy": [0.6] * 10}]),
    "07a (vanishing gradient)": lambda e: {"07a": record(notes={"gradients": {
        "relu": {"at initialisation": {"first_to_last_hidden_bias_ratio": 0.15}},
        "sigmoid": {"at initialisation": {"first_to_last_hidden_bias_ratio":
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
    """A difference for a "similar" claim: well inside its margin when the lesson is true (a
    positive effect), well outside it when it is false."""
    if effect > 0:
        return claims.SIMILAR_ACCURACY * 0.1 * (effect - 1)  # 0 +- a tenth of the margin
    return claims.SIMILAR_ACCURACY * 4 * -effect


def verdict(name, effect):
    claim = claims.CLAIMS[name]
    effects = [claim.effect(CASES[name](effect * (1 + wobble))) for wobble in WOBBLES]
    assert all(math.isfinite(value) for value in effects), effects
    return claims.judge_comparison(claim, effects)


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
    assert claims.judge_comparison(claim, effects).status == "within noise", (name, effects)
