"""The rule that judges the slides' claims over seeds, apart from the claims themselves.

A Comparison's effects over the seeds give a Verdict (RULE): "holds", "does not hold", "within
noise" or "not judged"; a PrintedNumber's values over the seeds give a PrintedVerdict
(PRINTED_RULE). Only the statistics live here; what is measured, and why, is tools/claims.py.
"""

import math
from dataclasses import dataclass

from scipy import stats

CONFIDENCE = 0.95
RULE = ("a comparison **holds** when the 95% confidence interval of its mean effect over the seeds "
        "(Student's t) lies wholly on the slide's side of its threshold, **does not hold** when it "
        "lies wholly on the other side, and is **within noise** otherwise; for a claim that two "
        "settings are similar, the interval must lie wholly inside ± the margin (holds) or wholly "
        "outside it (does not hold)")
PRINTED_RULE = ("a slide's printed number is **reproduced** when it lies inside the 95% prediction "
                "interval for one new run, mean ± t(n−1, 0.975) · sd · √(1 + 1/n) over our n seeds")


def mean_and_sd(values):
    values = [float(value) for value in values]
    mean = sum(values) / len(values)
    sd = (math.sqrt(sum((value - mean) ** 2 for value in values) / (len(values) - 1))
          if len(values) > 1 else math.nan)
    return mean, sd


def t_quantile(n):
    """Student's t at 0.975 with n - 1 degrees of freedom (2.776 for n = 5)."""
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1))


def prediction_interval(values):
    """(mean, sd, low, high): the 95% prediction interval for one new run over VALUES, mean ±
    t(n−1, 0.975) · sd · √(1 + 1/n) (PRINTED_RULE; the reference band's, tools/bands.py)."""
    mean, sd = mean_and_sd(values)
    half_width = t_quantile(len(values)) * sd * math.sqrt(1 + 1 / len(values))
    return mean, sd, mean - half_width, mean + half_width


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
    """The verdict on one claim from its effects in each seed (RULE); fewer than 2 seeds: not
    judged."""
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
        status = ("holds" if -margin < low and high < margin else
                  "does not hold" if high <= -margin or low >= margin else "within noise")
    else:
        status = ("holds" if low > claim.threshold else
                  "does not hold" if high < claim.threshold else "within noise")
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
    mean, sd, low, high = prediction_interval(values)
    # Ranked at the slide's own precision: its 0.99987 is our 0.9998667 printed as the slide did.
    decimals = len(repr(float(number.slide)).split(".")[1]) if float(number.slide) % 1 else 0
    return PrintedVerdict(low <= number.slide <= high, values, mean, sd, low, high,
                          sum(round(value, decimals) >= number.slide for value in values))
