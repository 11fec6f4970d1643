"""The model card's schema, and the check ``read_card`` applies before a card is used.

``CARD_SCHEMA`` is a JSON Schema (the subset ``validate`` reads: ``type``,
``required``, ``properties``, ``additionalProperties``, ``items``, ``enum``,
``pattern``, ``minimum``). A card is a small document read on every load;
checking it by hand keeps ``jsonschema`` and its dependencies out of the
required packages (``tests/test_persistence.py`` checks that ``jsonschema``
agrees). Every field a loader reads has its type fixed here, so a card with a
wrong type is one sentence naming the field, not a ``TypeError`` deep inside.
"""

from __future__ import annotations

import re

from .card import REQUIRED_FIELDS

_STRING = {"type": "string"}
_OPTIONAL_OBJECT = {"type": ["object", "null"]}

CARD_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "stance model card",
    "type": "object",
    "required": list(REQUIRED_FIELDS),
    "properties": {
        "name": _STRING,
        "version": _STRING,
        "created": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"},
        "format": {"type": "integer", "minimum": 1},
        "libraries": {"type": "object", "additionalProperties": _STRING},
        "extractors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "plugin", "version", "source"],
                "properties": {
                    "name": _STRING,
                    "plugin": _STRING,
                    "version": _STRING,
                    "source": {"enum": ["builtin", "entrypoint", "folder"]},
                    "plugin_version": {"type": ["string", "null"]},
                },
            },
        },
        "targets": {"type": "object", "additionalProperties": {"type": "array", "items": _STRING}},
        "rhetoric": {
            "type": "object",
            "required": ["tags", "thresholds"],
            "properties": {
                "tags": {"type": "array", "items": _STRING},
                "thresholds": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
            },
        },
        "model_file": {
            "type": "object",
            "required": ["name", "sha256"],
            "properties": {"name": _STRING, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
        },
        "training_data": _OPTIONAL_OBJECT,
        "metrics": _OPTIONAL_OBJECT,
        "test_metrics": _OPTIONAL_OBJECT,
    },
}
"""What a saved model's ``card.json`` must look like."""

_TYPES = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def card_problem(card: object) -> str | None:
    """The first way ``card`` breaks ``CARD_SCHEMA``, in words, or ``None``."""
    return _problem(card, CARD_SCHEMA, "the card")


def _problem(value: object, schema: dict, where: str) -> str | None:
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[kind](value) for kind in kinds):
            return f"{where} must be {' or '.join(kinds)}, not {_kind(value)}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where} must be one of {', '.join(map(str, schema['enum']))}, not {value!r}"
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        return f"{where} ({value[:80]!r}) is not in the expected form"
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        return f"{where} must be at least {schema['minimum']}"
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                return f"{where} lacks {name}"
        for name, item in value.items():
            inner = schema.get("properties", {}).get(name, schema.get("additionalProperties"))
            if isinstance(inner, dict):
                problem = _problem(item, inner, f"{name}" if where == "the card" else f"{where}.{name}")
                if problem:
                    return problem
    if isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            problem = _problem(item, schema["items"], f"{where}[{number}]")
            if problem:
                return problem
    return None


def _kind(value: object) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__
