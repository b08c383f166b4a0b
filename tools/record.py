"""Reading a run's record (<script>.json): checked against its schema, read as today's schema.

The fields are written down once, in examples/record.schema.json (what l303_files.run_record
writes). Every tool reads a record through read() or upgraded(), and names a model by its key
(record["models"]), never by its label or its position.
"""

import json
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "examples" / "record.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def problems(record):
    """What in a record disagrees with the schema, in words (none: an empty list)."""
    return [f"{'/'.join(map(str, error.absolute_path)) or 'the record'}: {error.message}"
            for error in VALIDATOR.iter_errors(record)]


def read(path):
    """The record in path as today's schema, or None where there is no such file."""
    path = Path(path)
    return upgraded(json.loads(path.read_text())) if path.is_file() else None


def upgraded(record):
    """A record of an older schema as today's; a record of today's as it is.

    Schema 1 filed each model under its display label, in the order the script trained them.
    Only the reference and spread runs were made with it, each at the settings its command
    shows; schema1_keys names their models as the scripts name them today. This can go once
    `make spread` has made figures/spread/ anew."""
    if record.get("schema", 1) >= 2:
        return record
    labels = list(record["histories"])
    keys = schema1_keys(record)
    if len(keys) != len(labels):
        raise ValueError(f"{record['script']}: a schema 1 record with models {labels}, "
                         f"expected {len(keys)}")
    key_of = dict(zip(labels, keys))

    def by_key(mapping):
        return {key_of.get(name, name): value for name, value in mapping.items()}

    notes = {name: by_key(value) if isinstance(value, dict) and value
             and set(value) <= set(labels) else value
             for name, value in record["notes"].items()}
    return {"schema": 2, **record, "models": {key: label for label, key in key_of.items()},
            "histories": by_key(record["histories"]), "results": by_key(record["results"]),
            "notes": notes}


def schema1_keys(record):
    """Today's keys of a schema 1 record's models, in their order (each script's loop)."""
    settings = record["settings"]
    number = record["script"].removeprefix("l303-example-")
    return {
        "01": lambda: ["mse"],
        "01a": lambda: ["baseline", "tricks"],
        "02": lambda: ["bad", "different"],
        "02a": lambda: ["mean_squared_error", "binary_crossentropy"],
        "03": lambda: ["softmax", "sigmoid"][:len(record["histories"])],
        "04": lambda: ["plain"],
        "04a": lambda: ["none", settings["regularizer"]],
        "04b": lambda: ["none", "dropout"],
        "04c": lambda: ["early_stopping"],
        "04d": lambda: ["sigmoid", "batch_normalization"],
        "05": lambda: ["original", "expanded"],
        "06": lambda: [f"lr_{rate:g}" for rate in settings["learning_rates"]],
        "06a": lambda: ["sgd", "momentum"],
        "06b": lambda: [f"batch_{size}" for size in settings["batch_sizes"]],
        "06c": lambda: list(settings["optimizers"]),
        "06d": lambda: ["sigmoid", "relu"],
        "06e": lambda: ["relu", "leaky_relu"] + (["prelu"] if settings.get("prelu") else []),
        "07": lambda: ["relu_dropout"],
        "07a": lambda: [f"depth_{depth}" for depth in settings["depths"]],
        "08": lambda: ["cnn"],
        "08a": lambda: ["cnn"],
        "l303-pictures": lambda: [],
    }[number]()
