"""The judge: each verdict rule of tools/claims.py on small hand-made results, with a case that
holds, one that does not, and one within noise; and the measures on results whose answer is known
by construction."""

import math
import statistics

import pytest

import claims
import verdicts
import runs
from l303_files import REPO


REFERENCE_AND_REMEDY = {"04a": ["none", "l2"], "04b": ["none", "dropout"],  # the scripts' keys
                        "06e": ["relu", "leaky_relu"]}


def two_model_result(script, gaps, test_accuracies=(0.95, 0.95)):
    """A result of a two-model script (reference first, remedy second) with chosen train-test
    accuracy gaps: training accuracy = test accuracy + gap."""
    labels = REFERENCE_AND_REMEDY[script]
    return {
        "script": f"l303-example-{script}",
        "histories": {label: {"loss": [1.0, 0.5], "val_loss": [1.0, 0.8]} for label in labels},
        "results": {label: {"training": {"accuracy": test + gap, "loss": 0.1},
                            "testing": {"accuracy": test, "loss": 0.2}}
                    for label, gap, test in zip(labels, gaps, test_accuracies)},
        "notes": {"overtraining": {label: {"accuracy_gap": gap, "min_validation_loss": 0.2,
                                           "final_validation_loss": 0.25,
                                           "best_validation_epoch": 30}
                                   for label, gap in zip(labels, gaps)}},
    }


def dropout_verdict(gap_pairs):
    """04b judged over seeds whose (no dropout, dropout) gaps are given."""
    claim = claims.CLAIMS["04b"]
    effects = [claim.effect({"04b": two_model_result("04b", pair)}) for pair in gap_pairs]
    return verdicts.judge_comparison(claim, effects)


def test_a_direction_claim_holds_when_the_interval_lies_on_the_slides_side():
    verdict = dropout_verdict([(0.05, 0.02), (0.06, 0.03), (0.05, 0.025), (0.055, 0.03),
                               (0.05, 0.02)])
    assert verdict.status == "holds"
    assert verdict.on_the_slides_side == verdict.n == 5
    assert verdict.mean == pytest.approx((0.03 + 0.03 + 0.025 + 0.025 + 0.03) / 5)
    assert 0 < verdict.low < verdict.mean < verdict.high


def test_a_direction_claim_does_not_hold_when_the_interval_lies_on_the_other_side():
    verdict = dropout_verdict([(0.02, 0.05), (0.03, 0.06), (0.02, 0.04), (0.03, 0.05),
                               (0.02, 0.05)])
    assert verdict.status == "does not hold"
    assert verdict.on_the_slides_side == 0 and verdict.high < 0


def test_a_direction_claim_is_within_noise_when_the_interval_straddles_zero():
    # 04d's reference seed alone "held" by 0.0006: over seeds such an effect is noise, even where
    # the mean is on the slide's side.
    verdict = dropout_verdict([(0.0484, 0.0478), (0.05, 0.051), (0.049, 0.047), (0.05, 0.0505),
                               (0.051, 0.050)])
    assert verdict.mean > 0
    assert verdict.status == "within noise"
    assert verdict.low < 0 < verdict.high
    assert verdict.on_the_slides_side == 3


def test_the_interval_is_students_t_over_the_seeds():
    claim = claims.CLAIMS["04b"]
    effects = [1.0, 2.0, 3.0, 4.0, 5.0]
    verdict = verdicts.judge_comparison(claim, effects)
    # mean 3, sd sqrt(2.5); t(4, 0.975) = 2.7764
    half_width = 2.7764 * math.sqrt(2.5) / math.sqrt(5)
    assert (verdict.low, verdict.high) == pytest.approx((3 - half_width, 3 + half_width), abs=1e-3)


def leaky_relu_verdict(differences):
    """06e ("similar to ReLU") over seeds whose Leaky ReLU minus ReLU test accuracies are given."""
    claim = claims.CLAIMS["06e"]
    effects = [claim.effect({"06e": two_model_result("06e", (0.01, 0.01), (0.97, 0.97 + d))})
               for d in differences]
    return verdicts.judge_comparison(claim, effects)


def test_a_similar_claim_holds_inside_the_margin_fails_outside_and_is_noise_across_it():
    margin = claims.SIMILAR_ACCURACY
    assert leaky_relu_verdict([0.001, -0.001, 0.0005, 0.0, -0.0005]).status == "holds"
    # Outside the margin on either side: Leaky ReLU much better, or much worse, is not "similar".
    assert leaky_relu_verdict([0.02, 0.025, 0.018, 0.022, 0.021]).status == "does not hold"
    assert leaky_relu_verdict([-0.02, -0.025, -0.018, -0.022, -0.021]).status == "does not hold"
    noisy = leaky_relu_verdict([0.0, 0.01, -0.002, 0.008, 0.004])
    assert noisy.status == "within noise" and noisy.low < margin < noisy.high
    noisy = leaky_relu_verdict([0.0, -0.01, 0.002, -0.008, -0.004])
    assert noisy.status == "within noise" and noisy.low < -margin < noisy.high


def test_a_threshold_claim_is_judged_against_its_threshold_not_zero():
    # 06c: SGD no worse than the best adaptive method by more than the margin of "similar".
    claim = claims.CLAIMS["06c"]
    assert claim.threshold == -claims.SIMILAR_ACCURACY

    def verdict(differences):
        results = [{"06c": {"results": {"sgd": {"testing": {"accuracy": 0.96 + d}},
                                        "rmsprop": {"testing": {"accuracy": 0.96}},
                                        "adadelta": {"testing": {"accuracy": 0.95}}}}}
                   for d in differences]
        return verdicts.judge_comparison(claim, [claim.effect(runs) for runs in results]).status

    assert verdict([-0.002, -0.001, -0.003, -0.002, -0.001]) == "holds"  # below zero, above -0.005
    assert verdict([-0.02, -0.015, -0.018, -0.02, -0.017]) == "does not hold"
    assert verdict([-0.001, -0.012, 0.0, -0.009, -0.004]) == "within noise"


def test_one_seed_is_not_judged():
    assert dropout_verdict([(0.05, 0.02)]).status == "not judged"


def printed(values, slide=0.9662):
    number = claims.PrintedNumber("01", "test accuracy", slide, lambda result: 0.0)
    return verdicts.judge_printed(number, values)


def test_a_printed_number_inside_the_prediction_interval_is_reproduced_and_ranked():
    values = [0.960, 0.962, 0.964, 0.966, 0.968]  # mean 0.964, sd 0.00316
    verdict = printed(values, slide=0.9662)
    half_width = 2.7764 * 0.0031623 * math.sqrt(1 + 1 / 5)
    assert (verdict.low, verdict.high) == pytest.approx((0.964 - half_width, 0.964 + half_width),
                                                        abs=1e-5)
    assert verdict.reproduced
    assert verdict.rank_words(0.9662) == "1 of 5 at or above it"


def test_a_printed_number_outside_the_prediction_interval_is_not_reproduced():
    verdict = printed([0.960, 0.961, 0.9605, 0.9612, 0.9608], slide=0.9662)
    assert not verdict.reproduced
    assert verdict.rank_words(0.9662) == "above all 5"
    assert printed([0.97, 0.971, 0.972], slide=0.9662).rank_words(0.9662) == "below all 3"


def test_the_measures_read_what_they_say():
    # The train-test gap comes from the evaluated scores, not from the training history, and a
    # remedy that narrows it by 0.02 has an effect of +0.02.
    runs = {"04a": two_model_result("04a", (0.05, 0.03))}
    assert claims.CLAIMS["04a"].effect(runs) == pytest.approx(0.02)
    # 02a: the share of the first epoch's loss shed by epoch 10.
    histories = {"mean_squared_error": {"loss": [1.0] * 9 + [0.9] + [0.5] * 90},
                 "binary_crossentropy": {"loss": [1.0] * 9 + [0.2] + [0.1] * 90}}
    effect = claims.CLAIMS["02a"].effect({"02a": {"histories": histories}})
    assert effect == pytest.approx(0.8 - 0.1)
    # 07a: the deeper network's validation accuracy is lower over the first 10 epochs.
    shallow = {"val_accuracy": [0.9] * 40}
    deep = {"val_accuracy": [0.5] * 5 + [0.9] * 95}
    runs = {"07a": {"histories": {"depth_2": shallow, "depth_4": shallow, "depth_8": deep}}}
    assert claims.CLAIMS["07a (later)"].effect(runs) == pytest.approx(0.2)


def test_every_claim_names_its_runs_and_its_reason():
    for claim in claims.COMPARISONS:
        assert claim.why and claim.measure and claim.words, claim.name
        for run in claim.runs:
            assert run in runs.SCRIPTS or run in runs.VARIANTS, (claim.name, run)


def test_the_report_judges_the_committed_seed_1_results_with_these_claims():
    """Every claim can be computed from the reference results: the measures and the JSON
    the scripts write agree on their keys."""
    reference = runs.seed_runs(REPO / "figures", 1)
    if not reference:
        pytest.skip("no reference results committed in figures/")
    for claim in claims.COMPARISONS:
        effect, _ = verdicts.effect_in_one_run(claim, reference)
        assert math.isfinite(effect), claim.name


def test_two_seeds_are_judged_and_one_is_not():
    claim = claims.CLAIMS["06d"]
    assert verdicts.judge_comparison(claim, [0.02, 0.021]).status == "holds"
    one = verdicts.judge_comparison(claim, [0.02])
    assert one.status == "not judged" and one.n == 1 and one.mean == 0.02


def test_an_interval_that_touches_a_bound_is_on_neither_side():
    # The rule's "wholly on the slide's side" and "wholly inside ± the margin" are strict: seeds
    # that agree exactly (sd 0, the interval one point) on a bound are within noise for a
    # direction, and outside the margin (the open interval's complement) for a "similar" claim.
    direction = claims.CLAIMS["06d"]
    on_it = verdicts.judge_comparison(direction, [direction.threshold] * 3)
    assert (on_it.low, on_it.high, on_it.status) == (direction.threshold,) * 2 + ("within noise",)
    assert on_it.on_the_slides_side == 0  # one seed on the threshold does not go the slide's way
    similar = claims.CLAIMS["06e"]
    margin = similar.similar_within
    for bound in (margin, -margin):
        assert verdicts.judge_comparison(similar, [bound] * 3).status == "does not hold", bound
        assert not verdicts.goes_the_slides_way(similar, bound)
    assert verdicts.goes_the_slides_way(similar, margin / 2)


def test_a_verdict_carries_the_seeds_mean_sd_and_count_on_the_slides_side():
    claim = claims.CLAIMS["06d"]
    effects = [0.02, 0.01, -0.005]
    verdict = verdicts.judge_comparison(claim, effects)
    assert (verdict.mean, verdict.sd) == pytest.approx((statistics.mean(effects),
                                                        statistics.stdev(effects)))
    assert verdict.on_the_slides_side == 2
    for seeds in ([0.02], [-0.01], []):
        alone = verdicts.judge_comparison(claim, seeds)
        assert alone.status == "not judged" and alone.n == len(seeds)
        assert all(math.isnan(value) for value in (alone.sd, alone.low, alone.high))
        assert alone.on_the_slides_side == sum(seed > 0 for seed in seeds)
        assert alone.mean == seeds[0] if seeds else math.isnan(alone.mean)


def test_a_printed_number_on_the_prediction_intervals_edge_is_reproduced():
    # Inside means inside or on the edge (PRINTED_RULE): seeds that all print the slide's value.
    verdict = printed([0.9662, 0.9662], slide=0.9662)
    assert (verdict.low, verdict.high, verdict.reproduced) == (0.9662, 0.9662, True)
    assert verdict.rank_words(0.9662) == "equal in all 2"
    assert not printed([0.9661, 0.9661], slide=0.9662).reproduced


def test_a_printed_verdict_carries_the_seeds_mean_and_sd():
    values = [0.960, 0.962, 0.967]
    verdict = printed(values)
    assert (verdict.mean, verdict.sd) == pytest.approx((statistics.mean(values),
                                                        statistics.stdev(values)))


def test_a_printed_number_is_ranked_at_the_slides_own_precision():
    # A whole number (an epoch, say) compares with our values rounded to whole numbers: 2.6 is
    # printed 3, at the slide's 3; 3.4 too. 0.96618 at a slide's 0.9662 is printed 0.9662.
    assert printed([2.6, 3.4], slide=3).at_or_above == 2
    assert printed([2.4, 3.4], slide=3).at_or_above == 1
    assert printed([0.96618, 0.9650], slide=0.9662).at_or_above == 1
    # A seed that prints the slide's value is "at or above" it, not "below": one equal, one above.
    assert printed([0.9662, 0.9670], slide=0.9662).rank_words(0.9662) == "2 of 2 at or above it"


def test_a_printed_number_over_one_seed_has_no_interval_and_is_not_reproduced():
    verdict = printed([0.9662])
    assert verdict.mean == 0.9662 and verdict.n == 1
    assert all(math.isnan(value) for value in (verdict.sd, verdict.low, verdict.high))
    assert not verdict.reproduced


def test_a_fall_is_a_share_of_the_loss_it_started_from():
    # 02a with losses that start at 2, not 1: mean squared error sheds 0.1 of it by epoch 10,
    # cross-entropy 0.8.
    histories = {"mean_squared_error": {"loss": [2.0] * 9 + [1.8] + [1.0] * 90},
                 "binary_crossentropy": {"loss": [2.0] * 9 + [0.4] + [0.2] * 90}}
    assert claims.CLAIMS["02a"].effect({"02a": {"histories": histories}}) == pytest.approx(0.7)
    # 04: the training loss falls by half over the second half, the validation loss rises by a
    # quarter: 0.5 - (-0.25).
    plain = {"loss": [4.0, 2.0, 1.5, 1.0], "val_loss": [5.0, 4.0, 4.5, 5.0]}
    assert claims.CLAIMS["04"].effect({"04": {"histories": {"plain": plain}}}) == pytest.approx(
        0.5 + 0.25)


def test_a_diverged_run_counts_as_learning_nothing_and_as_a_rise_in_every_epoch():
    # 06's learning rate of 20 ended in NaN: its training accuracy counts as 0, and each epoch
    # whose loss is NaN as a rise of the loss. A loss that stays level did not rise.
    nan = math.nan
    run = {"histories": {"lr_2": {"loss": [1.0, 0.8, 0.8, 0.9]},
                         "lr_20": {"loss": [2.0, nan, nan, nan]}},
           "results": {"lr_2": {"training": {"accuracy": 0.9}},
                       "lr_20": {"training": {"accuracy": nan}}}}
    claim = claims.CLAIMS["06 (too large)"]
    assert claim.effect({"06": run}) == pytest.approx(0.9)
    [share_of_rises] = claim.others.values()
    assert share_of_rises({"06": run}) == pytest.approx(3 / 3 - 1 / 3)


def overtrained(test_accuracy, lowest, final):
    return {"results": {"testing": {"accuracy": test_accuracy}},
            "notes": {"min_validation_loss": lowest, "final_validation_loss": final}}


@pytest.mark.parametrize("name, reference, remedy", [
    ("04 at 60000 images", ("04", "plain"), ("train-size-60000", "plain")),
    ("04b", ("04b", "none"), ("04b", "dropout")),
    ("04d (overtraining)", ("04d", "sigmoid"), ("04d", "batch_normalization"))])
def test_the_other_overtraining_measures_read_the_reference_first_and_the_remedy_second(
        name, reference, remedy):
    # The remedy validates lower (0.2 against 0.3), rises less after its lowest (by a tenth
    # against a half) and tests higher (0.96 against 0.95): each measure says so, positively.
    made = {reference: overtrained(0.95, 0.3, 0.45), remedy: overtrained(0.96, 0.2, 0.22)}
    runs = {}
    for (run, key), model in made.items():
        runs.setdefault(run, {"results": {}, "notes": {"overtraining": {}}})
        runs[run]["results"][key] = model["results"]
        runs[run]["notes"]["overtraining"][key] = model["notes"]
    # Built here as well as read from CLAIMS (built when claims is imported), so that make
    # mutation's mutants of overtraining_others, switched on after the import, run too.
    for others in (claims.CLAIMS[name].others, claims.overtraining_others(reference, remedy)):
        found = {words: measure(runs) for words, measure in others.items()
                 if words in claims.OVERTRAINING_OTHERS}
        assert found == pytest.approx({"lowest validation loss, lower by": 0.1,
                                       "validation loss's rise after its lowest, smaller by": 0.4,
                                       "test accuracy, higher by": 0.01})


@pytest.mark.parametrize("size", [3, 7])
def test_a_kernel_trial_reads_its_own_variant_against_the_5x5_network(size):
    runs = {"08": {"results": {"cnn": {"testing": {"accuracy": 0.992}}}},
            f"practice-01-kernel-{size}": {"results": {"cnn": {"testing": {"accuracy": 0.995}}}},
            f"practice-01-kernel-{10 - size}": {"results": {"cnn": {"testing": {"accuracy": 0.5}}}}}
    # Built here as well as read from CLAIMS (built when claims is imported), so that make
    # mutation's mutants of kernel_size_trial, switched on after the import, run too.
    for claim in (claims.CLAIMS[f"08 with {size}x{size} kernels"], claims.kernel_size_trial(size)):
        assert claim.effect(runs) == pytest.approx(0.005)
        assert list(claim.others) == [f"test accuracy, {size}x{size} minus 5x5"]
        assert claim.others[f"test accuracy, {size}x{size} minus 5x5"](runs) == pytest.approx(0.003)
        assert (claim.runs, claim.threshold, claim.similar_within, claim.digits) == (
            ("08", f"practice-01-kernel-{size}"), 0.0, None, 4)
        # Its words as the committed RESULTS.md gives them (a row, and its reason).
        written = (REPO / "figures" / "RESULTS.md").read_text()
        assert f'| `{claim.name}` | {claim.slide} | "{claim.words}" | {claim.measure} |' in written
        assert any(line.startswith("- ") and f"`{claim.name}`" in line
                   and line.endswith(f": {claim.why}.") for line in written.splitlines())


def test_04s_rise_is_how_far_the_validation_loss_ended_above_its_lowest_relative_to_it():
    summary = {"min_validation_loss": 0.2, "final_validation_loss": 0.25,
               "best_validation_epoch": 30}
    runs = {"04": {"notes": {"overtraining": {"plain": summary}}}}
    rise = claims.CLAIMS["04"].others["validation loss's rise after its lowest"]
    assert rise(runs) == pytest.approx(0.25)
    assert claims.CLAIMS["04"].others["epoch of the lowest validation loss"](runs) == 30
