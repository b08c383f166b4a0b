"""Overlay the histories of any runs in one figure, against the lecture's reference band, with a
table of what sets each run apart and what it reached.

    python tools/compare.py figures/l303-example-06.json mine/l303-example-06--learning_rates-0.5.json
    python tools/compare.py class/          # every run record in a folder and its subfolders
    python tools/compare.py figures/l303-example-08.json figures/l303-example-08a.json  # Practice 02
    python tools/compare.py a.json b.json --metrics val_accuracy --output compare.png

Every model of every run is its own curve, never merged with another: named by its model and what
sets its run apart from the others of its script (settings, the script's constants, edits to its
code, "stopped at epoch 31 of 100"), by its script where runs of several are compared, and by its
file's path where nothing else tells two apart. A file that is not a run is one line, exit
status 2."""

import argparse
import json
import re
import sys
from pathlib import Path

from l303_files import (differences, epochs_trained, named_settings, read_json,  # (no Keras)
                        setting_words)
import l303_plots
import record  # the records' schema


class CompareError(Exception):
    pass


def load_result(path):
    path = Path(path)
    if not path.is_file():
        raise CompareError(f"{path}: no such file")
    try:
        result = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CompareError(f"{path}: not a result file (not JSON: {error})") from None
    if not is_a_run(result):
        raise CompareError(f"{path}: not a result file of an l303 script (no script/histories)")
    older = record.older_schema(result)
    if older is not None:
        raise CompareError(f"{path}: a result of an older version of the suite (record schema "
                           f"{older}): run its script again")
    problems = record.problems(result)
    if problems:
        raise CompareError(f"{path}: not a result file of an l303 script ({problems[0]})")
    return result


def is_a_run(found):
    return isinstance(found, dict) and isinstance(found.get("histories"), dict) and "script" in found


def in_natural_order(path):
    """A path's numbers read as numbers: lr0.5 before lr2 before lr10."""
    return [float(part) if part[:1].isdigit() else part
            for part in re.split(r"(\d+(?:\.\d+)?)", str(path).removesuffix(".json"))]


def result_files(paths):
    """The files named, a folder standing for every run record in it and its subfolders (in
    natural order; its other JSON files, such as bands.json, left out)."""
    found = []
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)
            continue
        inside = [file for file in sorted(path.rglob("*.json"), key=in_natural_order)
                  if is_a_run(read_json(file))]
        if not inside:
            raise CompareError(f"{path}: a folder with no run record (.json) in it or below")
        found += inside
    return found


def load_results(paths):
    """The runs, read and checked."""
    return [load_result(path) for path in paths]


def short_name(script):
    return script.removeprefix("l303-example-")


def run_names(paths, results):
    """Each run's name: its script where runs of several are compared, what sets it apart from the
    other runs of its script (the settings in which they differ, edits to its code), an
    interruption, and its file's path where two would still be named alike."""
    several_scripts = len({result["script"] for result in results}) > 1
    names = []
    for result in results:
        same_script = [other for other in results if other["script"] == result["script"]]
        words = [short_name(result["script"])] if several_scripts else []
        apart = sorted({name for other in same_script
                        for name, _, _ in differences(result["settings"], other["settings"])},
                       key=lambda name: (name.isupper(), name))
        settings = named_settings(result["settings"])
        words += [setting_words(name, settings.get(name)) for name in apart]
        if len({json.dumps(other.get("code_lines")) for other in same_script}) > 1:
            edits = result.get("code_edits") or []
            words.append(f"code edited ({'; '.join(edits)})" if edits else "the slide's code")
        if len({other.get("seed") for other in same_script}) > 1:
            words.append(f"seed {result.get('seed')}")
        if result.get("interrupted"):
            epochs = result["settings"].get("epochs")
            words.append(f"stopped at epoch {epochs_trained(result)}"
                         + (f" of {epochs}" if isinstance(epochs, int) else ""))
        elif any(other.get("interrupted") for other in same_script):
            words.append(f"all {epochs_trained(result)} epochs")
        names.append(", ".join(words))
    return [name + (f", {path}" if name else str(path)) if names.count(name) > 1 else name
            for name, path in zip(names, paths)]


def curve_names(paths, results):
    """(index of the run, model key) -> its curves' name: the model's label [the run's name]."""
    runs = run_names(paths, results)
    return {(index, model): label + (f" [{runs[index]}]" if runs[index] else "")
            for index, result in enumerate(results) for model, label in result["models"].items()}


def curves(paths, metrics, results=None):
    """(metric, name, values, is_validation) for every curve to draw; errors name what is wrong."""
    results = results or load_results(paths)
    names = curve_names(paths, results)
    found = []
    for index, (path, result) in enumerate(zip(paths, results)):
        for metric in metrics:
            keys, base = [metric, f"val_{metric}"], metric.removeprefix("val_")
            hits = [(model, key) for model, history in result["histories"].items()
                    for key in keys if key in history]
            if not hits:
                available = sorted({key for h in result["histories"].values() for key in h})
                raise CompareError(f"{path}: no '{metric}' history (it has: "
                                   f"{', '.join(available)})")
            found += [(base, names[index, model], result["histories"][model][key],
                       key.startswith("val_")) for model, key in hits]
    return found


def reference_bands(paths, bands_file=None, results=None):
    """{a curve's name: its model's band}, each band drawn once, behind the first curve of its
    model (the band of its run's settings, as the run's own figure draws it; none for a --quick
    run), and the line the figure says of them; ({}, None) where none."""
    results = results or load_results(paths)
    bands = l303_plots.read_bands(bands_file)
    if bands is None:
        return {}, None
    found, drawn, seeds = {}, set(), set()
    for (index, model), name in curve_names(paths, results).items():
        models, _ = l303_plots.reference_band(results[index], bands)
        band = (models or {}).get(model)
        if band is None or id(band) in drawn:
            continue
        found[name] = band
        drawn.add(id(band))
        entry = next(entry for entry in bands["scripts"][results[index]["script"]]
                     if entry["models"] is models)
        seeds.update(entry["seeds"])
    if not found:
        return {}, None
    seeds = sorted(seeds)
    return found, f"shaded: each model's band (95% of runs, seeds {seeds[0]}-{seeds[-1]})"


def table(paths, results=None):
    """What sets each run apart and what each model reached, in Markdown: the test accuracy where
    evaluated (else the last validation accuracy, "epoch N"), the rotated test accuracy where a
    run has one (Practice 02), and the lowest validation loss."""
    results = results or load_results(paths)
    rotated = any("testing_rotated" in scores for result in results
                  for scores in result["results"].values())
    rows = ["| run | model | test accuracy |" + (" rotated test accuracy |" if rotated else "")
            + " lowest validation loss | file |",
            "|---|---|---|" + ("---|" if rotated else "") + "---|---|"]
    for path, result, name in zip(paths, results, run_names(paths, results)):
        for model, label in result["models"].items():
            history = result["histories"].get(model, {})
            scores = result["results"].get(model, {})
            tested = scores.get("testing", {}).get("accuracy")
            if tested is not None:
                reached = f"{tested:.4f}"
            elif history.get("val_accuracy"):
                reached = f"{history['val_accuracy'][-1]:.4f} (epoch {len(history['val_accuracy'])})"
            else:
                reached = "-"
            turned = scores.get("testing_rotated", {}).get("accuracy")
            rotated_cell = (f" {turned:.4f} (within +-{result['settings']['rotate_test']:g} degrees)"
                            f" |" if turned is not None else " - |") if rotated else ""
            losses = [value for value in history.get("val_loss", []) if value is not None]
            lowest = f"{min(losses):.4f}" if losses else "-"
            rows.append(f"| {name or 'the only run'} | {label} | {reached} |{rotated_cell} "
                        f"{lowest} | {path} |")
    return "\n".join(rows)


# pragma: no mutate start (make mutation: the drawing and the command line are tested by
# tests/test_tools.py, whose runs take too long to run for every mutant)
def without_settings(figure):
    """The band's line names a model by its label alone (the legend has the settings)."""
    for text in figure.texts:
        if text.get_gid() == "band note":
            text.set_text(re.sub(r" \[[^\]]*\]", "", text.get_text().replace("\n", " ")))
            text.set_wrap(True)


def plot(found, title, log_loss=False, marks=None):
    """The curves in one figure, drawn by l303_plots.plot_history, the legend under the panels;
    MARKS: {a curve's name: its accuracy on rotated test digits}, a dotted line in its colour."""
    import matplotlib

    matplotlib.use("Agg")
    from l303_plots import mark_accuracies, plot_history

    histories, metrics = {}, []
    for metric, name, values, validation in found:
        histories.setdefault(name, {})[f"val_{metric}" if validation else metric] = values
        if metric not in metrics:
            metrics.append(metric)
    marks = {name: accuracy for name, accuracy in (marks or {}).items() if name in histories}
    figure = plot_history(histories, title, metrics=metrics, log_loss=log_loss, legend_below=True,
                          marks=len(marks) if "accuracy" in metrics else 0)
    if marks and "accuracy" in metrics:  # named by the run: the colour tells the model
        words = {name: "rotated test digits" + (f" [{name.rsplit(' [', 1)[1]}" if " [" in name
                                                else "") for name in marks}
        mark_accuracies(figure, {words[name]: accuracy for name, accuracy in marks.items()},
                        {words[name]: f"C{list(histories).index(name)}" for name in marks})
    return figure


def rotated_marks(paths, results):
    """{a curve's name: its accuracy on the rotated test digits}, for every model tested on them."""
    return {name: results[index]["results"][model]["testing_rotated"]["accuracy"]
            for (index, model), name in curve_names(paths, results).items()
            if "testing_rotated" in results[index]["results"].get(model, {})}


def draw(paths, metrics=("loss", "accuracy"), title="Comparison of runs", log_loss=False,
         results=None, bands_file=None):
    """The compare figure of the runs in PATHS: every curve, each model's band (BANDS_FILE's, by
    default figures/bands.json), the rotated test accuracies marked."""
    results = results or load_results(paths)
    figure = plot(curves(paths, list(metrics), results), title, log_loss,
                  rotated_marks(paths, results))
    bands, words = reference_bands(paths, bands_file, results)
    if bands:
        l303_plots.draw_bands(figure, bands, words)
        without_settings(figure)
    return figure


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="*", type=Path,
                        help="run records (.json), or folders of them")
    parser.add_argument("--metrics", nargs="+", default=["loss", "accuracy"],
                        help="history keys to draw; 'loss' draws loss and val_loss (default: "
                             "loss accuracy)")
    parser.add_argument("--output", type=Path, default=Path("compare.png"),
                        help="the figure to write (default: compare.png)")
    parser.add_argument("--title", default="Comparison of runs")
    parser.add_argument("--log-loss", action="store_true",
                        help="logarithmic loss axis (for runs of very different losses)")
    args = parser.parse_args(argv)
    if not args.results:
        print("compare: error: name the runs to compare: make compare RUNS=\"figures/"
              "l303-example-04.json mine/l303-example-04.json\" (or a folder: RUNS=class/)",
              file=sys.stderr)
        return 2
    try:
        args.results = result_files(args.results)
        results = load_results(args.results)  # read once, for the curves, bands and table
        found = curves(args.results, args.metrics, results)
    except CompareError as error:
        print(f"compare: error: {error}", file=sys.stderr)
        return 2
    l303_plots.save_png(draw(args.results, args.metrics, args.title, args.log_loss, results),
                        args.output)
    count = len({name for _, name, _, _ in found})
    print(f"Wrote {args.output}: {count} curve{'s' * (count != 1)} from {len(args.results)} "
          f"run{'s' * (len(args.results) != 1)}")
    print(table(args.results, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
# pragma: no mutate end
