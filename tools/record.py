"""Reading a run's record (<script>.json), checked against examples/record.schema.json. A tool
names a model by its key (record["models"]), never by its label or its place."""

import json
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "examples" / "record.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def problems(record):
    """What in a record disagrees with the schema, and every history or result filed under anything
    but a model's key (which JSON Schema cannot say), in words (none: [])."""
    found = [f"{'/'.join(map(str, error.absolute_path)) or 'the record'}: {error.message}"
             for error in VALIDATOR.iter_errors(record)]
    models = record.get("models")
    if not isinstance(models, dict):  # the schema's problem already says so
        return found
    return found + [f"{field}/{key}: not a model's key (the keys: {', '.join(models)})"
                    for field in ("histories", "results")
                    for key in (record.get(field) if isinstance(record.get(field), dict) else {})
                    if key not in models]


def read(path):
    """The record in path, or None where there is no such file."""
    path = Path(path)
    return json.loads(path.read_text()) if path.is_file() else None


def older_schema(record):
    """The schema version of a record older than today's, or None."""
    version = record.get("schema", 1)
    return version if isinstance(version, int) and version < SCHEMA["properties"]["schema"][
        "const"] else None
