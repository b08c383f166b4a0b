"""The files behind the l303 scripts: the MNIST file, a run's JSON record and its fingerprint,
whole writes, and where a run comes from (a script, or a notebook made from one).

Nothing here imports Keras: the tools read and write results without loading a backend."""

import ast
import hashlib
import io
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import sys
import time
import tokenize
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
REFERENCE = REPO / "figures"  # the reference runs, which make report writes
MINE = REPO / "mine"  # a student's runs, each trial under its own name (trial_stem)
MNIST_FILE = Path(os.environ.get("L303_MNIST", REPO / "data" / "mnist.npz"))
# sha256 of the four arrays (names, dtypes, shapes and bytes), as computed by arrays_sha256().
MNIST_SHA256 = "869043a08a4d18821fa17546401bfbe66053b5e347a0a99c9ae9e6cbd1f08db0"
MNIST_ARRAYS = ("x_train", "y_train", "x_test", "y_test")
# Settings that change no number, or that a run's name says already: not in the settings a run is
# named and compared by (TensorBoard, compare's labels); the marked ones not in the record.
UNNAMED_SETTINGS = {"outdir", "show", "replay", "tensorboard", "seed", "steps_per_execution",
                    "test_size"}
UNRECORDED_SETTINGS = {"show", "replay"}  # the rest is kept in <script>.json
# Beside its flags, a run's settings hold the script's UPPER_CASE constants by their own names; a
# constant with a flag of its own (EPOCHS: --epochs) is named by the flag, which says what ran.
FLAG_OF_CONSTANT = {"LEARNING_RATE": "lr", "DROPOUT_RATE": "dropout"}
# The version of <script>.json's fields (examples/record.schema.json); 1: models by label.
RECORD_SCHEMA = 2
# The shared modules that change no number, left out of the fingerprint (the MNIST checksum
# stands for the data).
NOT_COMPUTING = ("l303_files", "l303_plots", "l303_classroom")


# The MNIST file ----------

def arrays_sha256(arrays):
    """One checksum over the four MNIST arrays, whatever the .npz's compression."""
    digest = hashlib.sha256()
    for name in MNIST_ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _restore_hint(path):
    return (f"Restore it with `git checkout -- data/mnist.npz` from the repository root "
            f"(or rebuild it: python data/build_mnist.py). File: {path}")


_verified_arrays = {}


def load_mnist_arrays(path=None):
    """The raw uint8 arrays of data/mnist.npz, as keras.datasets.mnist.load_data() gives them; a
    missing, truncated or altered file ends the program in one line (exit status 1)."""
    path = Path(path or MNIST_FILE)
    key = str(path.resolve())
    if key in _verified_arrays:
        return _verified_arrays[key]
    if not path.is_file():
        raise SystemExit(f"error: the MNIST file is missing. {_restore_hint(path)}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in MNIST_ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SystemExit(f"error: the MNIST file is damaged or truncated ({reason}). "
                         f"{_restore_hint(path)}") from None
    if arrays_sha256(arrays) != MNIST_SHA256:
        raise SystemExit(f"error: the MNIST file does not match its checksum (it was altered). "
                         f"{_restore_hint(path)}")
    _verified_arrays[key] = arrays
    return arrays


# Records and files ----------

def json_ready(value):
    """JSON-safe copy: NumPy numbers become floats or ints, NaN and inf become null."""
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def json_text(record):
    """The record as indented, strict JSON."""
    return json.dumps(json_ready(record), indent=1, allow_nan=False) + "\n"


def run_record(run, backend):
    """What <script>.json holds about an l303.Run (examples/record.schema.json), its figures aside:
    the flags and the script's constants (settings), and the lines of its code (code_lines) with
    those that differ from the reference's script (code_edits; none in the reference's folder)."""
    settings = run_settings(run.args)
    lines = code_lines(Path(run.script_file))
    reference = None if in_reference(run.args.outdir) else read_json(REFERENCE / f"{run.name}.json")
    return {
        "schema": RECORD_SCHEMA,
        "script": run.name,
        "slide": run.slide,
        "interrupted": run.interrupted,
        "settings": settings,
        "command": [f"examples/{run.name}.py"] + run.argv,
        "code_sha256": run.code_sha256,
        "code_lines": list(lines.values()),
        "code_edits": code_edits(Path(run.script_file), lines, reference),
        "seed": run.args.seed,
        "backend": backend,
        "machine": machine(),
        "versions": versions(backend),
        "wall_seconds": round(time.perf_counter() - run.started, 3),
        "models": run.labels,
        "built": run.built,
        "histories": run.histories,
        "results": run.results,
        "notes": run.notes,
        "figures": {},
    }


def run_settings(args):
    """A run's settings: its flags (--show and --replay aside) and the running script's constants."""
    settings = {key: value for key, value in vars(args).items() if key not in UNRECORDED_SETTINGS}
    return json_ready(settings | script_constants(vars(sys.modules["__main__"])))


def read_json(path):
    """A JSON file's content, or None where there is none (or it is not JSON)."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def in_reference(outdir):
    """Is OUTDIR figures/ or a folder in it, where make report writes the reference runs?"""
    return Path(outdir).resolve().is_relative_to(REFERENCE.resolve())


def script_constants(namespace):
    """The UPPER_CASE constants of a script's namespace that a record can hold: numbers, words, and
    lists and dicts of them."""
    def plain(value):
        if isinstance(value, (list, tuple)):
            return all(map(plain, value))
        if isinstance(value, dict):
            return all(isinstance(key, str) and plain(item) for key, item in value.items())
        return value is None or isinstance(value, (bool, int, float, str))

    return {name: value for name, value in namespace.items()
            if name.isupper() and not name.startswith("_") and plain(value)}


def named_settings(settings):
    """The settings that tell runs apart: every flag that changes a number, and every constant
    without a flag of its own (its flag's value is what ran)."""
    return {name: value for name, value in settings.items() if name not in UNNAMED_SETTINGS
            and not (name.isupper() and FLAG_OF_CONSTANT.get(name, name.lower()) in settings)}


def differences(settings, reference):
    """[(name, yours, the reference's)] for each named setting in which SETTINGS differ from the
    REFERENCE settings, the flags first, then the constants."""
    yours, theirs = named_settings(json_ready(settings)), named_settings(json_ready(reference))
    return [(name, yours.get(name), theirs.get(name))
            for name in sorted(set(yours) | set(theirs), key=lambda name: (name.isupper(), name))
            if yours.get(name) != theirs.get(name)]


def code_lines(script):
    """{line number: a short hash of its code} for each line of a script's code: comments, blank
    lines and the module's docstring left out, spaces and a constant's value (NAME = ...) too."""
    try:
        source = Path(script).read_text()
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, SyntaxError, tokenize.TokenError, ValueError):
        return {}
    skipped = set()
    if tree.body and isinstance(tree.body[0], ast.Expr) \
            and isinstance(tree.body[0].value, ast.Constant):
        skipped.update(range(tree.body[0].lineno, tree.body[0].end_lineno + 1))
    texts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():
            texts[node.lineno] = [f"{node.targets[0].id} = ..."]
            skipped.update(range(node.lineno, node.end_lineno + 1))
    for token in tokens:
        if token.start[0] not in skipped and token.type not in (
                tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                tokenize.ENDMARKER):
            texts.setdefault(token.start[0], []).append(token.string)
    return {line: hashlib.sha256(" ".join(words).encode()).hexdigest()[:12]
            for line, words in sorted(texts.items())}


def code_edits(script, lines, reference):
    """The lines of SCRIPT's code that the REFERENCE record's script does not have, each as "line N:
    its text" (at most MAX_EDITS, then how many more); [] where there is no reference to compare."""
    if not reference or not reference.get("code_lines"):
        return []
    theirs = set(reference["code_lines"])
    edited = [line for line, digest in lines.items() if digest not in theirs]
    removed = len(set(reference["code_lines"]) - set(lines.values())) - len(edited)  # net
    try:
        source = Path(script).read_text().splitlines()
    except OSError:
        source = []
    found = [f"line {line}: {source[line - 1].strip()[:60] if line <= len(source) else ''}"
             for line in edited[:MAX_EDITS]]
    if len(edited) > MAX_EDITS:
        found.append(f"{len(edited) - MAX_EDITS} more lines")
    if removed > 0:
        found.append(f"{removed} line{'s' * (removed > 1)} of the reference's removed")
    return found


MAX_EDITS = 3


def trial_words(settings, reference_settings, edits=()):
    """What a run changed against a reference, in words: "kernel_size=7", "DROPOUT_RATE=0",
    "code edited (line 52: ...)"."""
    words = [setting_words(name, yours) for name, yours, _ in differences(settings,
                                                                           reference_settings)]
    if edits:
        words.append(f"code edited ({'; '.join(edits)})")
    return words


def epochs_trained(record):
    """How many epochs the record's longest history holds (an interrupted run's last)."""
    return max((len(history.get("loss", [])) for history in record["histories"].values()),
               default=0)


def trial_stem(record, outdir):
    """The file name (no suffix) of a run in OUTDIR: <script> where it is the slide's run or OUTDIR
    is not mine/ (a folder of your choice, or the reference's); in mine/, each trial its own,
    <script>--<what it changed>[--seed-N], so that a second trial keeps the first."""
    script = record["script"]
    reference = read_json(REFERENCE / f"{script}.json")
    if Path(outdir).resolve() != MINE.resolve() or reference is None:
        return script
    words = trial_words(record["settings"], reference["settings"])
    if record["code_edits"]:
        words.append("edited-" + hashlib.sha256(" ".join(record["code_lines"]).encode())
                     .hexdigest()[:6])
    if record["seed"] != reference["seed"]:
        words.append(f"seed-{record['seed']}")
    if record["interrupted"]:  # never in place of the whole run of the same trial
        words.append(f"stopped-at-epoch-{epochs_trained(record)}")
    stem = "--".join([script] + ["".join(char if char.isalnum() or char in "._+" else "-"
                                         for char in word) for word in words])
    if len(stem) > 120:  # a name any system takes: the first words and a hash of the rest
        stem = stem[:100] + "--" + hashlib.sha256(stem.encode()).hexdigest()[:8]
    return stem


def write_record(path, record):
    """The record as strict JSON, written whole or not at all."""
    text = json_text(record)
    write_atomically(path, lambda temporary: temporary.write_text(text))


def versions(backend):
    """Python, Keras, NumPy and the backend's package, as installed."""
    found = {"python": platform.python_version(), "numpy": np.__version__}
    for package in ("keras", backend):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def machine():
    """The processor and its cores: without them wall times mean little."""
    return f"{platform.machine()}, {processor()}, {os.cpu_count()} cores"


def processor():
    """The CPU's model name; on Linux with its family and model numbers, which tell apart processors
    that share a name ("AMD EPYC")."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown processor"
    fields = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())  # the first processor's
    name = fields.get("model name") or platform.processor() or "unknown processor"
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def code_sha256(script_file):
    """Fingerprint of the code that computes a result: the script and the shared modules it reaches
    (computing_modules) as code_text reads them, and the MNIST file's checksum. Wording and drawing
    leave results current; a change to what computes stales the scripts it reaches."""
    digest = hashlib.sha256(MNIST_SHA256.encode())
    for path in (Path(script_file), *computing_modules(script_file)):
        if path.is_file():  # a notebook without a file name has none
            digest.update(code_text(path.read_text()).encode())
    return digest.hexdigest()


def computing_modules(script_file):
    """The shared modules (l303*.py beside the script, else in examples/) that SCRIPT_FILE imports,
    and those they import, but NOT_COMPUTING."""
    found, reading = [], [Path(script_file)]
    while reading:
        path = reading.pop()
        try:
            tree = ast.parse(path.read_text())
        except (OSError, SyntaxError):
            continue
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                module = Path(script_file).parent / f"{name}.py"
                module = module if module.is_file() else EXAMPLES / f"{name}.py"
                if name.startswith("l303") and name not in NOT_COMPUTING and module.is_file() \
                        and module not in found:
                    found.append(module)
                    reading.append(module)
    return sorted(found)


def code_text(source):
    """A Python source's syntax tree without its docstrings, comments, print(...) statements and
    l303.figure(...) calls, written out the same way by every Python (tree_text); a text that is
    not Python is kept whole."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return tree_text(WordingAndDrawing().visit(tree))


class WordingAndDrawing(ast.NodeTransformer):
    """Leaves out print(...) statements and l303.figure(...) calls: what a run says and draws."""

    def visit_Expr(self, node):
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print":
            return None
        return self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "figure" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "l303":
            return ast.Constant(None)
        return self.generic_visit(node)


# Fields a newer Python added to the syntax tree, at the value all code before them has.
NEW_FIELD_DEFAULTS = {"is_lazy": 0}  # Python 3.15, Import and ImportFrom: not a `lazy import`


def tree_text(node):
    """A syntax tree as text without its empty fields, the same on every Python (3.12 added empty
    type_params, 3.13 leaves empty fields out, 3.15 adds is_lazy=0)."""
    if isinstance(node, ast.AST):
        fields = ", ".join(f"{name}={tree_text(value)}" for name, value in ast.iter_fields(node)
                           if value is not None and value != []
                           and not (name in NEW_FIELD_DEFAULTS
                                    and value == NEW_FIELD_DEFAULTS[name]))
        return f"{type(node).__name__}({fields})"
    if isinstance(node, list):
        return "[" + ", ".join(tree_text(item) for item in node) + "]"
    return repr(node)


def write_atomically(path, write):
    """Call write(temporary_path), then rename: a reader never sees half a file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# Where a run comes from: a script, or a notebook made from one ----------

def ipython():
    """The running IPython shell (a notebook's %run), or None in a plain Python process."""
    if "IPython" not in sys.modules:
        return None
    return sys.modules["IPython"].get_ipython()


def in_a_notebook_kernel():
    """In a cell of a Jupyter kernel (a notebook, VS Code, Colab): sys.argv is the kernel's."""
    return ipython() is not None and Path(sys.argv[0]).name.endswith("kernel_launcher.py")


def notebook_script():
    """In a notebook made from a script: (the script's file, its docstring), for the figure's title
    and the files' names. The script in examples/ named like the notebook (JPY_SESSION_NAME), else
    the one whose docstring the notebook ran first; else "notebook", and the docstring it ran."""
    session = Path(os.environ.get("JPY_SESSION_NAME") or "notebook.ipynb")
    docstring = None
    for cell in ipython().user_ns.get("In", []):  # the cells run so far, in order
        try:
            docstring = ast.get_docstring(ast.parse(cell), clean=False)
        except (SyntaxError, ValueError, TypeError):
            continue
        if docstring:
            break
    scripts = sorted(EXAMPLES.glob("l303-*.py"))
    for script in scripts:
        if script.stem == session.stem:
            return script, script_docstring(script)
    for script in scripts:
        if docstring and script_docstring(script).strip() == docstring.strip():
            return script, docstring
    return session, docstring


def installed(package):
    """Is this package importable here? Found without importing it (a backend takes seconds)."""
    try:
        return importlib.util.find_spec(package) is not None
    except ValueError:  # in sys.modules as None: made unimportable on purpose (the tests do)
        return False


def setting_text(value):
    """A setting's value as a name or a label says it: 0.5, 2+4+8, relu, sigmoid:1+relu:0.2."""
    if isinstance(value, dict):
        return "+".join(f"{key}:{setting_text(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "+".join(setting_text(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def setting_words(name, value):
    """A setting as a label says it: quick, no quick, epochs=3, learning_rates=0.2+2+20."""
    if value is True:
        return name
    if value is None:  # not set: the script decides (07a's epochs by depth)
        return f"{name} unset"
    if value is False:
        return f"no {name}"
    return f"{name}={setting_text(value)}"


def script_docstring(script):
    return ast.get_docstring(ast.parse(Path(script).read_text()), clean=False) or ""
