"""Overlay the histories of any number of runs of one script in one figure, against the lecture's
reference band, with a table of what each run changed and reached.

    python tools/compare.py figures/l303-example-06.json mine/l303-example-06.json
    python tools/compare.py class/          # every result JSON in a folder (a class's runs)
    python tools/compare.py a.json b.json --metrics val_accuracy --output compare.png

Each curve is named by its model and the settings in which its run differs from the others
("SGD lr=2 [learning_rates=0.5, quick]"); a model the same in several runs is one curve. Runs of
different scripts, or a file that is not a run, are one line, exit status 2."""

import argparse
import json
import re
import sys
from pathlib import Path

from l303_files import UNNAMED_SETTINGS, setting_words  # (no Keras)
from l303_plots import BANDS_FILE
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
    if not isinstance(result, dict) or not isinstance(result.get("histories"), dict) \
            or "script" not in result:
        raise CompareError(f"{path}: not a result file of an l303 script (no script/histories)")
    older = record.older_schema(result)
    if older is not None:
        raise CompareError(f"{path}: a result of an older version of the suite (record schema "
                           f"{older}): run its script again")
    problems = record.problems(result)
    if problems:
        raise CompareError(f"{path}: not a result file of an l303 script ({problems[0]})")
    return result


def in_natural_order(path):
    """A file name's numbers read as numbers: lr0.5 before lr2 before lr10."""
    return [float(part) if part[:1].isdigit() else part
            for part in re.split(r"(\d+(?:\.\d+)?)", path.name.removesuffix(".json"))]


def result_files(paths):
    """The files named, a folder standing for every .json in it (in natural order)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(path.glob("*.json"), key=in_natural_order)
            if not inside:
                raise CompareError(f"{path}: a folder with no result JSON in it")
            found += inside
        else:
            found.append(path)
    return found


def differing_settings(results):
    """For each run, the settings whose values differ between the runs, as label text."""
    keys = sorted({key for result in results for key in result["settings"]} - UNNAMED_SETTINGS)
    differing = [key for key in keys
                 if len({json.dumps(result["settings"].get(key)) for result in results}) > 1]
    return [", ".join(setting_words(key, result["settings"][key]) for key in differing
                      if key in result["settings"])
            for result in results]


def load_results(paths):
    """The runs, read and checked: all of one script (the band and the labels are its)."""
    results = [load_result(path) for path in paths]
    scripts = sorted({result["script"] for result in results})
    if len(scripts) > 1:
        raise CompareError(f"runs of {len(scripts)} scripts ({', '.join(scripts)}): compare the "
                           f"runs of one script at a time")
    return results


def curve_names(paths, results):
    """(index of the run, model key) -> its curves' name: the model's label, what its run changed,
    and its file's name where two runs changed the same. A model the same number for number in
    several runs is one curve ("no dropout [same in every run]")."""
    settings = differing_settings(results)
    names = {(index, model): label + (f" [{settings[index]}]" if settings[index] else "")
             for index, result in enumerate(results) for model, label in result["models"].items()}
    repeated = {name for name in names.values() if list(names.values()).count(name) > 1}
    names = {(index, model): name + (f" ({Path(paths[index]).name})" if name in repeated else "")
             for (index, model), name in names.items()}
    same = {}
    for (index, model) in names:
        history = json.dumps(results[index]["histories"].get(model), sort_keys=True)
        same.setdefault((model, history), []).append(index)
    for (model, _), indices in same.items():
        if len(indices) < 2:
            continue
        label = results[indices[0]]["models"][model]
        where = ("every run" if len(indices) == len(results) else " and ".join(
            settings[index] if settings[index] and [settings[other] for other in indices]
            .count(settings[index]) == 1 else Path(paths[index]).name for index in indices))
        for index in indices:
            names[index, model] = f"{label} [same in {where}]"
    return names


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
            for model, key in hits:
                curve = (base, names[index, model], result["histories"][model][key],
                         key.startswith("val_"))
                if curve not in found:  # a model the same in several runs: drawn once
                    found.append(curve)
    return found


def reference_bands(paths, bands_file=None, results=None):
    """{the name of each model's first curve: its band} (the slide's settings', or for a model only
    a variant has, the variant's), and the line the figure says of them; ({}, None) where none."""
    results = results or load_results(paths)
    try:
        entries = json.loads(Path(bands_file or BANDS_FILE).read_text())["scripts"]
        entries = entries[results[0]["script"]]
    except (OSError, ValueError, KeyError):
        return {}, None
    bands, models_drawn, seeds = {}, set(), set()
    for (_, model), name in curve_names(paths, results).items():
        entry = next((entry for entry in entries if model in entry["models"]), None)
        if entry is None or model in models_drawn:
            continue
        bands[name] = entry["models"][model]
        models_drawn.add(model)
        seeds.update(entry["seeds"])
    if not bands:
        return {}, None
    seeds = sorted(seeds)
    return bands, f"shaded: each model's band (95% of runs, seeds {seeds[0]}-{seeds[-1]})"


def table(paths, results=None):
    """What each run changed and each model reached, in Markdown: the test accuracy where evaluated,
    else the last validation accuracy ("epoch N"), and the lowest validation loss."""
    results = results or load_results(paths)
    rows = ["| run | changed | model | test accuracy | lowest validation loss |",
            "|---|---|---|---|---|"]
    for path, result, changed in zip(paths, results, differing_settings(results)):
        for model, label in result["models"].items():
            history = result["histories"].get(model, {})
            tested = result["results"].get(model, {}).get("testing", {}).get("accuracy")
            if tested is not None:
                reached = f"{tested:.4f}"
            elif history.get("val_accuracy"):
                reached = f"{history['val_accuracy'][-1]:.4f} (epoch {len(history['val_accuracy'])})"
            else:
                reached = "-"
            losses = [value for value in history.get("val_loss", []) if value is not None]
            lowest = f"{min(losses):.4f}" if losses else "-"
            rows.append(f"| {Path(path).name} | {changed or 'nothing'} | {label} | {reached} | "
                        f"{lowest} |")
    return "\n".join(rows)


# pragma: no mutate start (make mutation: the drawing and the command line are tested by
# tests/test_tools.py, whose runs take too long to run for every mutant)
def without_settings(figure):
    """The band's line names a model by its label alone (the legend has the settings)."""
    for text in figure.texts:
        if text.get_gid() == "band note":
            text.set_text(re.sub(r" \[[^\]]*\]", "", text.get_text().replace("\n", " ")))
            text.set_wrap(True)


def plot(found, title, log_loss=False):
    """The curves in one figure, drawn by l303_plots.plot_history, the legend under the panels."""
    import matplotlib

    matplotlib.use("Agg")
    from l303_plots import plot_history

    histories, metrics = {}, []
    for metric, name, values, validation in found:
        histories.setdefault(name, {})[f"val_{metric}" if validation else metric] = values
        if metric not in metrics:
            metrics.append(metric)
    return plot_history(histories, title, metrics=metrics, log_loss=log_loss, legend_below=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", type=Path,
                        help="result JSON files, or folders of them")
    parser.add_argument("--metrics", nargs="+", default=["loss", "accuracy"],
                        help="history keys to draw; 'loss' draws loss and val_loss (default: "
                             "loss accuracy)")
    parser.add_argument("--output", type=Path, default=Path("compare.png"),
                        help="the figure to write (default: compare.png)")
    parser.add_argument("--title", default="Comparison of runs")
    parser.add_argument("--log-loss", action="store_true",
                        help="logarithmic loss axis (for runs of very different losses)")
    args = parser.parse_args(argv)
    try:
        args.results = result_files(args.results)
        results = load_results(args.results)  # read once, for the curves, bands and table
        found = curves(args.results, args.metrics, results)
    except CompareError as error:
        print(f"compare: error: {error}", file=sys.stderr)
        return 2
    import l303_plots

    figure = plot(found, args.title, args.log_loss)
    bands, words = reference_bands(args.results, results=results)
    if bands:
        l303_plots.draw_bands(figure, bands, words)
        without_settings(figure)
    l303_plots.save_png(figure, args.output)
    print(f"Wrote {args.output}: {len({name for _, name, _, _ in found})} curves from "
          f"{len(args.results)} runs")
    print(table(args.results, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
# pragma: no mutate end
