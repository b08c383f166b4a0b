"""RESULTS.md, the gallery (figures/README.md) and spread.png, written from the JSON files the
scripts leave: every claim of tools/claims.py judged over the seeds, the printed numbers against
their prediction intervals, the reference run, the machine, and each figure under its slide.
"""

import csv
import io
from pathlib import Path
from typing import NamedTuple

import claims  # every claim's words and measure
import verdicts  # the rule that judges them
from bands import BANDS_FILE, write_bands
import l303_files  # code_sha256, write_atomically; it does not load Keras
import l303_plots  # every figure, from its record
import record
from runs import (COMPARISON_SEEDS, PRINTED_SEEDS, RUN_RECORD, SCRIPTS, SPREAD_RUN_RECORD, VARIANTS,
                  all_seed_runs, read_results)
from runner import PICTURES, script_name, script_path


# The overlays the gallery shows with a run (a script's number or a variant's name): the figure,
# the runs it draws, its title. The hands-on practice's trials, each against the slide's run.
OVERLAYS = {
    "train-size-60000": ("training-data-does-matter.png", ["04", "train-size-60000"],
                         "TRAINING DATA DOES MATTER: 10000 against 60000 training images"),
    "practice-01-l1": ("hands-on-practice-01-trial-1.png", ["04a", "practice-01-l1"],
                       "Practice 01, Trial #1: L2 against L1 on the output weights"),
    "practice-01-kernel-7": ("hands-on-practice-01-trial-2.png",
                             ["practice-01-kernel-3", "08", "practice-01-kernel-7"],
                             "Practice 01, Trial #2: 3x3, 5x5 and 7x7 kernels"),
    "08a": ("hands-on-practice-02.png", ["08", "08a"],
            "Practice 02: 08 against 08a, and on rotated test digits"),
    "no-dropout": ("hands-on-practice-02-dropout.png", ["08a", "no-dropout"],
                   "Practice 02: 08a with and without dropout beside batch normalization"),
}
# A variant's own figures that the gallery shows (the others stay out of it and out of git).
VARIANT_OWN_FIGURES = {"practice-01-l1": ["l303-example-04a-output-weights.png"]}


def effects_over_seeds(measure, needs, seeds):
    """seed -> the measure's value, for the seeds that have every run it needs."""
    return {seed: measure(runs) for seed, runs in seeds.items()
            if all(name in runs for name in needs)}


def judge_all(seeds):
    """claim name -> (seed -> effect, its Verdict); printed number -> (values, PrintedVerdict)."""
    comparisons = {}
    for claim in claims.COMPARISONS:
        effects = effects_over_seeds(claim.effect, claim.runs, seeds)
        comparisons[claim.name] = effects, verdicts.judge_comparison(claim, effects.values())
    printed = {}
    for number in claims.PRINTED:
        values = effects_over_seeds(lambda runs, n=number: n.measure(runs[n.script]),
                                    (number.script,), seeds)
        if values:
            printed[number] = values, verdicts.judge_printed(number, values.values())
    return comparisons, printed


def number_text(value, digits):
    """A number as the report prints it: a whole number (a count of epochs or digits) as one."""
    if value is None or value != value:
        return "n/a"
    return f"{int(value)}" if float(value).is_integer() else f"{value:.{digits}f}"


VERDICT_REASONS = {  # what each verdict means, in a few words
    "holds": "the 95% interval of the mean lies on the slide's side",
    "within noise": "the 95% interval of the mean reaches both sides: these seeds do not decide it",
    "does not hold": "the 95% interval of the mean lies on the other side",
}


def other_effects(claim, seeds):
    """name -> (seed -> value) of the claim's other measures of the same words."""
    return {name: effects_over_seeds(measure, claim.runs, seeds)
            for name, measure in claim.others.items()}


def claim_sentence(claim, effects, verdict, others):
    """One plain sentence on a claim: the slide's words, the measure with its unit, seed 1, the
    verdict over seeds and why, and what the other measures of the same words say."""
    digits = claim.digits
    if verdict.status == "not judged":
        return (f"{claim.slide}: \"{claim.words}\" is not judged yet: {verdict.n} seed (run "
                f"`make spread`).")
    sentence = (f"{claim.slide}: \"{claim.words}\" Measured as the {claim.measure} "
                f"({rule_of(claim)} goes the slide's way): {number_text(effects.get(1), digits)} "
                f"at seed 1, {number_text(verdict.mean, digits)} ± "
                f"{number_text(verdict.sd, digits)} over {verdict.n} seeds, the slide's way in "
                f"{verdict.on_the_slides_side} of {verdict.n}: **{verdict.status}** "
                f"({VERDICT_REASONS[verdict.status]}).")
    said = []
    for name, values in others.items():
        finite = [value for value in values.values() if value == value]
        if finite:
            said.append(f"{name} {number_text(sum(finite) / len(finite), digits)} on average, "
                        f"positive (the slide's way) in {sum(value > 0 for value in finite)} of "
                        f"{len(values)} seeds")
    if said:
        sentence += f" The verdict is this measure's; other measures of the same words: " \
                    f"{'; '.join(said)}."
    return sentence


def printed_sentence(number, values, verdict):
    """One plain sentence on a number a slide printed: the slide's, ours at seed 1 and over the
    seeds, and whether it is reproduced, with what was checked where it is not."""
    unit = f" {number.unit}" if number.unit else ""
    sentence = (f"`l303-example-{number.script}`'s {number.name}: the slide printed "
                f"{number.slide:g}{unit}; ours {number_text(values.get(1), number.digits)}{unit} "
                f"at seed 1, "
                f"{number_text(verdict.mean, number.digits)} ± "
                f"{number_text(verdict.sd, number.digits)} over {verdict.n} seeds (the slide's "
                f"value against them: {verdict.rank_words(number.slide)}), ")
    if verdict.reproduced:
        return sentence + (f"inside the 95% interval for one run ({number_text(verdict.low, number.digits)}"
                           f" to {number_text(verdict.high, number.digits)}): **reproduced**.")
    return sentence + (f"outside the 95% interval for one run ({number_text(verdict.low, number.digits)}"
                       f" to {number_text(verdict.high, number.digits)}): **not reproduced**"
                       + (f"; {number.checked}." if number.checked else "."))


def verdict_words(claim, verdict):
    """ "**holds** in 5 of 5 seeds: 0.029 ± 0.002 (95% CI 0.026 to 0.032)" """
    digits = claim.digits
    if verdict.status == "not judged":
        return f"not judged: {verdict.n} seed (run `make spread`)"
    return (f"**{verdict.status}**: the slide's way in {verdict.on_the_slides_side} of {verdict.n} "
            f"seeds; {number_text(verdict.mean, digits)} ± {number_text(verdict.sd, digits)} "
            f"(95% CI {number_text(verdict.low, digits)} to {number_text(verdict.high, digits)})")


def rule_of(claim):
    if claim.similar_within is not None:
        return f"similar: within ±{claim.similar_within:g}"
    return f"above {claim.threshold:g}"


def comparison_table(comparisons):
    lines = ["| claim | slide | the slide's words | measure (the slide's way: positive) | rule | "
             "seeds (each: [seeds.csv](seeds.csv)) | verdict |", "|---|---|---|---|---|---|---|"]
    for claim in claims.COMPARISONS:
        effects, verdict = comparisons[claim.name]
        per_seed = (f"{number_text(min(effects.values()), claim.digits)} to "
                    f"{number_text(max(effects.values()), claim.digits)}" if effects else "-")
        lines.append(f"| `{claim.name}` | {claim.slide} | \"{claim.words}\" | {claim.measure} | "
                     f"{rule_of(claim)} | {per_seed} | {verdict_words(claim, verdict)} |")
    return "\n".join(lines)


def reasons_list():
    """Each reason once, with the claims it is the reason of."""
    reasons = {}
    for claim in claims.COMPARISONS:
        reasons.setdefault(claim.why, []).append(f"`{claim.name}`")
    return "\n".join(f"- {', '.join(names)}: {why}." for why, names in reasons.items())


def seeds_csv(comparisons, printed, seeds):
    """Every seed's value of every measure, one row each (figures/seeds.csv): what the tables
    give as a range."""
    rows = []
    for claim in claims.COMPARISONS:
        rows += [(claim.name, seed, value) for seed, value in comparisons[claim.name][0].items()]
        rows += [(f"{claim.name}: {name}", seed, value)
                 for name, values in other_effects(claim, seeds).items()
                 for seed, value in values.items()]
    rows += [(f"l303-example-{number.script} {number.name}", seed, value)
             for number, (values, _) in printed.items() for seed, value in values.items()]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([("measure", "seed", "value"), *rows])
    return text.getvalue()


def other_measures_table(seeds):
    lines = ["| claim | another measure | seeds (each: [seeds.csv](seeds.csv)) | mean ± sd | "
             "positive in |", "|---|---|---|---|---|"]
    for claim in claims.COMPARISONS:
        for name, effects in other_effects(claim, seeds).items():
            values = list(effects.values())
            if not values:
                continue
            finite = [value for value in values if value == value]
            mean, sd = verdicts.mean_and_sd(finite) if len(finite) > 1 else (float("nan"),) * 2
            lines.append(f"| `{claim.name}` | {name} | "
                         f"{number_text(min(finite), claim.digits)} to "
                         f"{number_text(max(finite), claim.digits)} | "
                         f"{number_text(mean, claim.digits)} ± {number_text(sd, claim.digits)} | "
                         f"{sum(value > 0 for value in finite)} of {len(values)} |")
    return "\n".join(lines)


def printed_table(printed):
    lines = ["| script | printed number | slide | ours: mean ± sd | min – max | n | 95% prediction "
             "interval for one run | the slide's value among ours | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for number, (values, verdict) in printed.items():
        digits = number.digits
        lines.append(
            f"| `l303-example-{number.script}` | {number.name} | {number_text(number.slide, digits)}"
            f" | {number_text(verdict.mean, digits)} ± {number_text(verdict.sd, digits)} | "
            f"{number_text(min(values.values()), digits)} – "
            f"{number_text(max(values.values()), digits)} | {verdict.n} | "
            f"{number_text(verdict.low, digits)} to {number_text(verdict.high, digits)} | "
            f"{verdict.rank_words(number.slide)} | "
            f"{'reproduced' if verdict.reproduced else '**not reproduced**'} |")
    return "\n".join(lines)


# spread.png's fonts and tick numbers (plain, no offset): its style, apart from what it plots
SPREAD_STYLE = {"axes.titlesize": 9, "axes.labelsize": 8, "xtick.labelsize": 7,
                "ytick.labelsize": 7, "legend.fontsize": 9, "axes.formatter.useoffset": False,
                "axes.formatter.limits": (-9, 9)}


def plot_spread(comparisons, printed):
    """Per comparison, the effect of each seed as a dot around the zero line (the slide's side
    shaded); per printed number, our seeds as dots and the slide's value as a red line."""
    import matplotlib

    matplotlib.use("Agg")  # pragma: no mutate
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    panels = [(claim, comparisons[claim.name]) for claim in claims.COMPARISONS] + \
        list(printed.items())
    columns = 6
    rows = -(-len(panels) // columns)
    size = (3.1 * columns, 2.5 * rows)  # pragma: no mutate
    with plt.rc_context(SPREAD_STYLE):
        figure, axes = plt.subplots(rows, columns, figsize=size, squeeze=False)
        for axis, (what, (values, verdict)) in zip(axes.flat, panels):
            seeds = list(values)
            if not isinstance(what, claims.PrintedNumber):
                line = what.threshold if what.similar_within is None else 0.0
                axis.axhline(line, color="k", lw=1)
                axis.plot(seeds, list(values.values()), "o", color="C0", label="effect, one seed")
                low, high = axis.get_ylim()
                if what.similar_within is not None:
                    margin = what.similar_within
                    axis.axhspan(-margin, margin, color="C2", alpha=0.15, label="the slide's side")
                    low, high = min(low, -1.2 * margin), max(high, 1.2 * margin)
                else:
                    high = max(high, line + 0.1 * (high - low))
                    axis.axhspan(line, high, color="C2", alpha=0.15, label="the slide's side")
                axis.set_ylim(low, high)
                axis.set_title(f"{what.name}: {verdict.status}")
                axis.set_ylabel("effect")
            else:
                axis.axhspan(verdict.low, verdict.high, color="C0", alpha=0.12,
                             label="95% prediction interval")
                axis.plot(seeds, list(values.values()), "o", color="C0", label="our seeds")
                axis.axhline(what.slide, color="C3", lw=2, label="the slide's number")
                axis.set_title(f"{what.script}: {what.name}")
                axis.set_ylabel(what.name.split(" (")[0])
            axis.set_xlabel("seed")
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        for axis in axes.flat[len(panels):]:
            axis.axis("off")
        handles = {}
        for axis in axes.flat[:len(panels)]:
            for handle, name in zip(*axis.get_legend_handles_labels()):
                handles.setdefault(name, handle)
        figure.legend(list(handles.values()), list(handles), loc="lower right")
        figure.suptitle("Each claim's effect in each seed (above: positive is the slide's way), "
                        "and each printed number against our seeds")
        figure.tight_layout(rect=(0, 0.02, 1, 0.97))  # pragma: no mutate
    return figure


def machine_line(results):
    """The machine, backend and versions of the reference runs; where runs were made on different
    processors (their wall times then do not compare), which runs were made on which."""
    any_result = next(iter(results.values()))
    versions = ", ".join(f"{k} {v}" for k, v in any_result["versions"].items())
    machines = {}
    for name, result in results.items():
        machines.setdefault(result.get("machine", "unknown"), []).append(name)
    where = next(iter(machines)) if len(machines) == 1 else "; ".join(
        f"{machine} for {', '.join(names)}" for machine, names in machines.items())
    return f"{where}; backend {any_result['backend']}; {versions}; seed {any_result['seed']}"


def whole_run_words(outdir, total):
    """The report's time: the last run that made every result, and the scripts' own times."""
    words = f"The scripts' own wall times add up to {total / 60:.1f} minutes."
    run = record.read(Path(outdir) / RUN_RECORD)
    if run is None:
        return words
    return (f"The last `make report` that made every result anew ({run['runs']} runs, one after "
            f"another in one process, {run['finished']}{beside_words(run)}) took "
            f"**{run['wall_seconds'] / 60:.1f} minutes** from start to end. {words}")


def beside_words(run):
    """A timed run's record may say what ran beside it ("beside"): then its time is an upper
    bound, and the report says so where it quotes it."""
    return f"; not alone: {run['beside']}, so an upper bound" if run.get("beside") else ""


def spread_run_words(outdir):
    spread = record.read(Path(outdir) / SPREAD_RUN_RECORD)
    if spread is None:
        return "No `make spread` has been timed here."
    runs = spread["runs"]
    seconds = sum(run["wall_seconds"] for run in runs)
    made = sum(run["runs_made"] for run in runs)
    stopped = sum(1 for run in runs if run.get("interrupted"))
    return (f"`make spread` made its {made} runs in **{seconds / 60:.0f} minutes** "
            f"({len(runs)} sitting{'s' if len(runs) > 1 else ''}"
            + (f", {stopped} ended by Ctrl-C" if stopped else "")
            + f", {runs[-1]['processes']} processes side by side, last {runs[-1]['finished']}"
            + f"{beside_words(runs[-1])}).")


def reference_words(run_name, seeds, comparisons, printed):
    """What the gallery says of a reference run, a sentence a line: each number its slide printed,
    each claim whose last run it is (over seeds), and its script's remarks."""
    runs = seeds[1]
    lines = [printed_sentence(number, values, verdict)
             for number, (values, verdict) in printed.items() if number.script == run_name]
    lines += [claim_sentence(claim, *comparisons[claim.name], other_effects(claim, seeds))
              for claim in claims.COMPARISONS if run_name in claim.runs[-1:]]
    lines += [f"{remark[:1].upper()}{remark[1:]}." for remark in runs[run_name]["notes"].get(
        "remarks", [])]
    return "\n".join(f"- {line}" for line in lines)


# Where each of the pictures (examples/l303-pictures.py) goes in the gallery, in the slides' order.
PICTURE_PLACES = {
    "l303-pictures.png": ("before", "02a"),  # THE CHOICE OF LOSS (I, II)
    "l303-pictures-regularization.png": ("before", "04a"),
    "l303-pictures-batch-normalization.png": ("before", "04d"),
    "l303-pictures-artificial-data-expanding.png": ("after", "05"),
    "l303-pictures-mini-batch-size.png": ("after", "06b"),
    "l303-pictures-activation-functions.png": ("before", "06d"),
    "l303-pictures-unstable-gradients.png": ("after", "07a"),
}


class Entry(NamedTuple):
    """One reference run's place in the gallery and its row in RESULTS.md's table of the reference
    run, as data (the renderers below write it out). A picture (of examples/l303-pictures.py) is
    in the gallery only; the pictures' own run is in the table only."""
    run: str  # whose result: a script's number, a variant's name, or PICTURES
    kind: str  # "run", "picture" or "pictures"
    title: str  # the slide
    command: str  # as the gallery names it: `l303-example-04 --train-size 60000`
    words: str  # seed 1 and the verdicts of its claims; a picture's caption
    wall_seconds: float
    figures: tuple  # the files under the report's folder that the gallery shows with it


def run_entry(run_name, seeds, comparisons, printed):
    """The Entry of a script's or a variant's reference run."""
    result = seeds[1][run_name]
    if run_name in VARIANTS:
        number, flags, title = VARIANTS[run_name]
        command = f"`l303-example-{number} {' '.join(flags)}`"
        figures = [f"{run_name}/{figure}" for figure in VARIANT_OWN_FIGURES.get(run_name, [])
                   if figure in result["figures"]]
    else:
        title, command, figures = result["slide"], f"`l303-example-{run_name}`", result["figures"]
    figures = list(figures) + ([OVERLAYS[run_name][0]] if run_name in OVERLAYS else [])
    return Entry(run_name, "run", title, command,
                 reference_words(run_name, seeds, comparisons, printed),
                 result["wall_seconds"], tuple(figures))


def picture_entries(reference, place, number):
    """The pictures drawn before or after (PLACE) the script NUMBER's slide."""
    if PICTURES not in reference:
        return []
    result = reference[PICTURES]
    return [Entry(PICTURES, "picture", result["notes"]["slides"][figure],
                  f"`{script_name(PICTURES)}`",
                  result["notes"]["captions"][result["notes"]["slides"][figure]], 0.0, (figure,))
            for figure, (where, of) in PICTURE_PLACES.items()
            if (where, of) == (place, number) and figure in result["figures"]]


def gallery_entries(seeds, comparisons, printed):
    """The reference runs in the slides' order: each script, its variants after it, and each
    picture before or after the script of its slide; the pictures' own run last."""
    reference, entries = seeds[1], []
    for number in SCRIPTS:
        if number == PICTURES or number not in reference:
            continue
        entries += picture_entries(reference, "before", number)
        entries += [run_entry(name, seeds, comparisons, printed)
                    for name in [number] + [variant for variant, (of, _, _) in VARIANTS.items()
                                            if of == number and variant in reference]]
        entries += picture_entries(reference, "after", number)
    if PICTURES in reference:
        result = reference[PICTURES]
        entries.append(Entry(PICTURES, "pictures", "the slides' drawings",
                             f"`{script_name(PICTURES)}`", "", result["wall_seconds"], ()))
    return entries


def stale_words(stale):
    if not stale:
        return " Every result was made by today's code."
    count = "1 result was" if len(stale) == 1 else f"{len(stale)} results were"
    return (f" **{count} made by older code** (run `make report` and `make spread`): "
            f"{', '.join(stale)}.")


def stale_runs(seeds):
    """The results made by other code than today's (the script or the shared modules changed since):
    `make report` and `make spread` would make them anew."""
    fingerprints = {number: l303_files.code_sha256(script_path(number)) for number in SCRIPTS}
    return [f"{name} seed {seed}" for seed, runs in seeds.items() for name, result in runs.items()
            if result.get("code_sha256") != fingerprints[VARIANTS[name].script if name in VARIANTS
                                                          else name]]


# pragma: no mutate start (make mutation: drawing compare's figures and writing the files, tested by
# tests/test_make_figures.py, whose make figures takes too long to run for every mutant)
def plot_overlay(outdir, run_name):
    """The runs of an overlay (OVERLAYS) in one figure, compare.py's, each model's band behind."""
    import compare

    figure_file, runs, title = OVERLAYS[run_name]
    paths = [Path(outdir) / (f"{name}/{script_name(VARIANTS[name].script)}.json"
                             if name in VARIANTS else f"{script_name(name)}.json") for name in runs]
    l303_plots.save_png(compare.draw(paths, title=title, bands_file=Path(outdir) / BANDS_FILE),
                        Path(outdir) / figure_file)
# pragma: no mutate end


def reference_table(entries):
    rows = [f"| {entry.command} | {entry.title} | {entry.wall_seconds:.0f} s |"
            for entry in entries if entry.kind != "picture"]
    return "| script | slide | wall time |\n|---|---|---|\n" + "\n".join(rows)


def summary(seeds, comparisons, printed):
    """One sentence per claim and per printed number, in the lecture's order."""
    lines = [claim_sentence(claim, *comparisons[claim.name], other_effects(claim, seeds))
             for claim in claims.COMPARISONS]
    lines += [printed_sentence(number, values, verdict)
              for number, (values, verdict) in printed.items()]
    return "\n".join(f"- {line}" for line in lines)


def gallery_markdown(entries):
    sections = []
    for entry in entries:
        if entry.kind == "picture":
            sections.append(f"## {entry.title} — {entry.command}\n\n{entry.words}\n\n"
                            f"![{entry.title}]({entry.figures[0]})\n")
        elif entry.kind == "run":
            sections.append(f"## {entry.title} — {entry.command}\n\n"
                            + (f"{entry.words}\n" if entry.words else ""))
            sections += [f"![{entry.title}]({figure})\n" for figure in entry.figures]
    return ("# Gallery: the figures the scripts draw, regenerated\n\n"
            "Made by `make report` at seed 1 (see [RESULTS.md](RESULTS.md) for the verdicts over "
            "seeds). Each figure sits under its slide's title, with a sentence for each claim and "
            "each number the slide printed.\n\n"
            + "\n".join(sections))


def results_markdown(outdir, seeds, comparisons, printed, entries):
    comparison_seeds = sorted({seed for effects, _ in comparisons.values() for seed in effects})
    total = sum(entry.wall_seconds for entry in entries)
    return (
        "# Reproduction report\n\n"
        "Every slide's claim judged over seeds, by one rule, from the JSON files the scripts "
        "write; the measures, their reasons and the rule live in `tools/claims.py`, which the "
        "report, the seed spread and the lesson tests all use. Seed 1 is the reference run "
        "(`make report`, its figures are in the [gallery](README.md)); `make spread` runs the "
        f"other seeds: every comparison over seeds {COMPARISON_SEEDS[0]} to "
        f"{COMPARISON_SEEDS[-1]}, every printed number over seeds {PRINTED_SEEDS[0]} to "
        f"{PRINTED_SEEDS[-1]} (the comparisons between two printed-number scripts use all of "
        "those). Within a seed every arm of a comparison gets that seed.\n\n"
        f"**The rule.** For every comparison: {verdicts.RULE}. For every printed number: "
        f"{verdicts.PRINTED_RULE}.\n\n"
        f"{spread_run_words(outdir)} Seeds with results: {', '.join(map(str, comparison_seeds))}."
        f"{stale_words(stale_runs(seeds))}"
        "\n\n## In short\n\n"
        f"{summary(seeds, comparisons, printed)}\n\n"
        "## The slides' claims over seeds\n\n"
        f"{comparison_table(comparisons)}\n\n"
        "Why each measure (chosen from the slide's words):\n\n"
        f"{reasons_list()}\n\n"
        "### Other measures of the same words\n\n"
        "Shown, not judged: where a word admits several measures, the verdict's is the one the "
        "slide's words pick (above).\n\n"
        f"{other_measures_table(seeds)}\n\n"
        "## The slides' printed numbers over seeds\n\n"
        f"{printed_table(printed)}\n\n![seed spread](spread.png)\n\n"
        "## The reference run (seed 1)\n\n"
        f"{reference_table(entries)}\n\n"
        f"{whole_run_words(outdir, total)} Machine: {machine_line(seeds[1])}.\n")


# pragma: no mutate start (as plot_overlay)
def redraw_figures(outdir, bands):
    """Every figure of the reference runs (outdir, its variants', the README's runs), drawn
    anew from their records with BANDS: the figures the scripts drew, with the band of this
    sitting. Records that list only their figure files (before December 2026) keep them."""
    paths = sorted(outdir.glob("*.json")) + sorted(
        path for path in outdir.glob("*/*.json") if path.parent.name != "spread")
    for path in paths:
        found = record.read(path)
        if "histories" in found:
            l303_plots.write_figures(found, path.parent, bands)


def write_reports(outdir):
    """Judge every claim over the seeds, lay the reference runs out as entries, then write them:
    bands.json, every reference figure drawn anew with those bands, spread.png and the variants'
    overlays, RESULTS.md and the gallery. Trains nothing: `make figures` is this alone."""
    outdir = Path(outdir)
    seeds = all_seed_runs(outdir)
    if not read_results(outdir):
        raise SystemExit("error: no results to report; run the scripts first")
    comparisons, printed = judge_all(seeds)
    entries = gallery_entries(seeds, comparisons, printed)

    redraw_figures(outdir, write_bands(outdir))  # the reference band (tools/bands.py)
    l303_plots.save_png(plot_spread(comparisons, printed), outdir / "spread.png")
    for entry in entries:
        if entry.run in OVERLAYS:
            plot_overlay(outdir, entry.run)
    for filename, text in (("RESULTS.md", results_markdown(outdir, seeds, comparisons, printed,
                                                           entries)),
                           ("README.md", gallery_markdown(entries)),
                           ("seeds.csv", seeds_csv(comparisons, printed, seeds))):
        l303_files.write_atomically(outdir / filename, lambda temporary: temporary.write_text(text))
    print(f"Wrote {outdir / 'RESULTS.md'}, {outdir / 'README.md'}, {outdir / 'seeds.csv'} and "
          f"{outdir / BANDS_FILE}")
# pragma: no mutate end
