"""figures/bands.json: the lecture's reference band, every epoch's spread over the seeds.

For every run that make report and make spread repeat over seeds and every model in it by its
key: at each epoch the mean of the loss, the accuracy and their validation twins over the seeds,
and the 95% prediction interval for one new run around it (RULE, the printed numbers' rule),
until fewer than MINIMUM_SEEDS seeds have a number; the seeds' range where that interval is no fair
summary of them (band_of). Written by results.write_reports, whose
figures are then drawn with the bands of the same sitting."""

import json
import math
import re

import verdicts
import l303_files
import l303_plots
from runs import PRINTED_SEEDS, SCRIPTS, VARIANTS, seed_runs
from runner import PICTURES, script_name

BANDS_FILE = l303_plots.BANDS_FILE.name
METRICS = ("loss", "val_loss", "accuracy", "val_accuracy")
MINIMUM_SEEDS = 3
SIGNIFICANT_DIGITS = 4  # the file stays small; a band is far wider than the rounding
RULE = ("at each epoch from the first, the mean over the seeds and the 95% prediction interval "
        "for one new run, mean ± t(n−1, 0.975) · sd · √(1 + 1/n) (the rule of the printed numbers)")


def rounded(value):
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def band_of(curves, metric):
    """{"mean", "low", "high"} of the curves of several seeds, per epoch from epoch 1, for as long
    as MINIMUM_SEEDS of them have a number; None if never. Where at UNFAIR_EPOCHS epochs or more the
    interval reaches past what the metric can be (a loss below 0, an accuracy outside 0 to 1) by
    more than half the seeds' own spread (and UNFAIR_SHARE), it is no fair summary of them (02's
    runs leave their plateau at different epochs, each at once): low and high are then the seeds' range at every
    epoch, and "range": true says so."""
    found, unfair, ranges = {"mean": [], "low": [], "high": []}, 0, []
    ceiling = 1.0 if metric.removeprefix("val_") == "accuracy" else math.inf  # and 0 below
    for epoch in range(max((len(curve) for curve in curves), default=0)):
        values = [curve[epoch] for curve in curves if epoch < len(curve)
                  and curve[epoch] is not None and math.isfinite(curve[epoch])]
        if len(values) < MINIMUM_SEEDS:
            break
        mean, _, low, high = verdicts.prediction_interval(values)
        for name, value in (("mean", mean), ("low", low), ("high", high)):
            found[name].append(rounded(value))
        ranges.append((rounded(min(values)), rounded(max(values))))
        unfair += max(-low, high - ceiling) > max((max(values) - min(values)) / 2,
                                                  UNFAIR_SHARE * abs(mean))
    if not found["mean"]:
        return None
    if unfair >= UNFAIR_EPOCHS:
        found.update(low=[low for low, _ in ranges], high=[high for _, high in ranges], range=True)
    return found


UNFAIR_EPOCHS = 3
UNFAIR_SHARE = 0.02  # and by more than 2% of its mean


def entry(results):
    """The band of one run over its seeds: {seed: its record}, seed 1 the reference."""
    reference = results[1]
    models = {}
    for key, label in reference["models"].items():
        model = {}
        for metric in METRICS:
            band = band_of([result["histories"][key][metric] for result in results.values()
                            if metric in result["histories"].get(key, {})], metric)
            if band is not None:
                model[metric] = band
        if model:
            models[key] = {"label": label, **model}
    return {"seeds": sorted(results),
            "settings": {name: value for name, value in reference["settings"].items()
                         if name not in l303_files.UNNAMED_SETTINGS},
            "models": models}


def bands(outdir):
    """script name -> the bands of its runs (the slide's settings first, then its variants)."""
    by_seed = {seed: seed_runs(outdir, seed) for seed in PRINTED_SEEDS}
    found = {}
    repeated = [(number, number) for number in SCRIPTS if number != PICTURES]
    repeated += [(variant, number) for variant, (number, _, _) in VARIANTS.items()]
    for run_name, number in repeated:
        results = {seed: runs_of_seed[run_name] for seed, runs_of_seed in by_seed.items()
                   if run_name in runs_of_seed}
        if 1 in results and len(results) >= MINIMUM_SEEDS:
            found.setdefault(script_name(number), []).append(entry(results))
    return {"rule": RULE, "schema": 1, "scripts": found}


def write_bands(outdir):
    """outdir/bands.json, each list of numbers on one line (a diff shows which curve moved); returns
    the bands as read back from it."""
    path = outdir / BANDS_FILE
    text = json.dumps(l303_files.json_ready(bands(outdir)), indent=1, allow_nan=False) + "\n"
    text = re.sub(r"\[\s+([-\d.,\se+]*?)\s+\]",
                  lambda numbers: "[" + ", ".join(numbers.group(1).replace(",", " ").split()) + "]",
                  text)
    l303_files.write_atomically(path, lambda temporary: temporary.write_text(text))
    return json.loads(text)
