"""The OpenAPI 3.1 document of the JSON API, served at ``/openapi.json``.

Label names come from ``stance.labels``, so the schemas list exactly the
codebook's labels; the result schemas follow ``ArticleResult.to_dict()``.
"""

from __future__ import annotations

from .. import __version__
from ..labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .payloads import OPTION_DEFAULTS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, *, required: tuple[str, ...] | None = None) -> dict:
    """A closed object whose properties are all required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def _per_label(value_schema: dict, labels: tuple[str, ...]) -> dict:
    return _object({label: value_schema for label in labels})


_NON_BLANK = {"type": "string", "pattern": r"\S", "description": "not empty nor only white space"}


def _article(extra: dict) -> dict:
    """An article as its whole text (segmented as the CLI does) or as paragraphs already split."""
    identifier = {"type": ["string", "null"], "description": "echoed back in the result"}
    paragraphs = {"type": "array", "minItems": 1, "items": _NON_BLANK}
    return {
        "oneOf": [
            _object({"id": identifier, "text": _NON_BLANK, **extra}, required=("text",)),
            _object({"id": identifier, "paragraphs": paragraphs, **extra}, required=("paragraphs",)),
        ]
    }


_INTEGER = {"type": "integer", "minimum": 0}
_SCORE = {"type": "number", "minimum": 0, "maximum": 1}
_STANCE_LABEL = {"type": "string", "enum": list(STANCE_LABELS)}

_SCHEMAS = {
    "Span": _object({"start": _INTEGER, "end": _INTEGER, "text": {"type": "string"}}),
    "Evidence": _object({
        "feature": {"type": "string", "description": "extractor__feature"},
        "extractor": {"type": "string"},
        "weight": {"type": "number", "description": "signed contribution toward the chosen label"},
        "spans": {"type": "array", "items": _ref("Span")},
    }),
    "Example": _object({
        "id": {"type": "string", "description": "the training paragraph's record id"},
        "label": _STANCE_LABEL,
        "similarity": {"type": "number", "minimum": -1, "maximum": 1,
                       "description": "cosine similarity to the paragraph (encoder embeddings, else features)"},
        "opening": {"type": "string", "description": "the training paragraph's first words"},
    }),
    "TargetResult": _object({
        "label": _STANCE_LABEL,
        "scores": _per_label(_SCORE, STANCE_LABELS),
        "evidence": {"type": "array", "items": _ref("Evidence"),
                     "description": "readable features (never embedding dimensions) that pushed the call"},
        "examples": {"type": "array", "items": _ref("Example"),
                     "description": "the most similar training paragraphs with the called label"},
    }),
    "TagResult": _object({
        "tag": {"type": "string", "enum": list(RHETORIC_TAGS)},
        "score": _SCORE,
        "spans": {"type": "array", "items": _ref("Span")},
    }),
    "ParagraphResult": _object({
        "index": _INTEGER,
        "text": {"type": "string"},
        "start": _INTEGER,
        "end": _INTEGER,
        "boilerplate": {"type": "boolean"},
        "boilerplate_reason": {"type": ["string", "null"]},
        "stances": _object({target: _ref("TargetResult") for target in TARGETS}, required=()),
        "rhetoric": {"type": "array", "items": _ref("TagResult")},
        "language": {"type": ["string", "null"], "description": "detected ISO 639-1 code; null: boilerplate or not clear"},
        "unsupported_language": {"type": "boolean",
                                 "description": "true: a language the model was not trained on; no stances, no tags"},
    }),
    "ArticleSummary": _object({
        "paragraphs": _INTEGER,
        "classified": _INTEGER,
        "boilerplate": _INTEGER,
        "counts": _per_label(_per_label(_INTEGER, STANCE_LABELS), TARGETS),
        "overall": _per_label(_STANCE_LABEL, TARGETS),
        "tags": {
            "type": "object",
            "propertyNames": {"enum": list(RHETORIC_TAGS)},
            "additionalProperties": _INTEGER,
        },
        "unsupported_language": _INTEGER,
    }),
    "ModelInfo": _object({"name": {"type": "string"}, "version": {"type": "string"}}),
    "ArticleResult": _object({
        "id": {"type": ["string", "null"]},
        "paragraphs": {"type": "array", "items": _ref("ParagraphResult")},
        "summary": _ref("ArticleSummary"),
        "model": _ref("ModelInfo"),
    }),
    "BatchResult": _object({"results": {"type": "array", "items": _ref("ArticleResult")}}),
    "Options": _object(
        {"evidence": {"type": "boolean", "default": OPTION_DEFAULTS["evidence"],
                      "description": "false: leave out every paragraph's evidence and similar training paragraphs"}},
        required=(),
    ),
    "Document": _article({}),
    "ClassifyRequest": _article({"options": _ref("Options")}),
    "BatchRequest": _object(
        {"documents": {"type": "array", "minItems": 1, "items": _ref("Document")}, "options": _ref("Options")},
        required=("documents",),
    ),
    "ModelCard": {
        "type": "object",
        "description": "The model card written at training time (see stance train).",
    },
    "Plugin": _object({
        "name": {"type": "string"},
        "source": {"type": "string", "enum": ["builtin", "entrypoint", "folder"]},
        "version": {"type": ["string", "null"]},
        "extractors": {"type": "array", "items": {"type": "string"}},
        "hooks": {"type": "array", "items": {"type": "string"}},
    }),
    "PluginList": _object({"plugins": {"type": "array", "items": _ref("Plugin")}}),
    "Health": _object({"status": {"const": "ok"}}),
    "Ready": _object({"status": {"const": "ready"}, "model": _ref("ModelInfo")}),
    "Error": _object({
        "error": _object(
            {
                "code": {"type": "string", "description": "stable, for programs (invalid_json, not_ready, ...)"},
                "message": {"type": "string", "description": "one sentence, for people"},
                "request_id": {"type": "string", "description": "also in the X-Request-ID header"},
            }
        ),
    }),
}

_ERROR_DESCRIPTIONS = {
    "400": "Bad JSON, or a missing, unknown or wrongly typed field, or an empty text",
    "413": "Body over STANCE_MAX_BYTES, or too many paragraphs or documents",
    "415": "Unsupported content type",
    "503": "The model is not loaded (yet)",
    "default": "Any other error (404, 405, 500), with the request id",
}

_REQUEST_ID_HEADER = {
    "X-Request-ID": {
        "description": "The client's X-Request-ID when it sent a sane one, else a new id.",
        "schema": {"type": "string"},
    }
}


def _json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "headers": _REQUEST_ID_HEADER,
        "content": {"application/json": {"schema": _ref(schema)}},
    }


def _operation(summary: str, ok: dict, errors: tuple[str, ...], request_body: dict | None = None) -> dict:
    responses = {"200": ok}
    for status in (*errors, "default"):
        responses[status] = _json_response(_ERROR_DESCRIPTIONS[status], "Error")
    operation = {"summary": summary, "responses": responses}
    if request_body is not None:
        operation["requestBody"] = request_body
    return operation


_PATHS = {
    "/v1/classify": {
        "post": _operation(
            "Classify one article: every paragraph's stances, scores, evidence and rhetoric, and a summary",
            _json_response("The article's result", "ArticleResult"),
            ("400", "413", "415", "503"),
            {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("ClassifyRequest")},
                    "text/plain": {"schema": {**_NON_BLANK, "description": "the article as UTF-8 text"}},
                },
            },
        )
    },
    "/v1/classify/batch": {
        "post": _operation(
            "Classify several articles; each result echoes its document's id",
            _json_response("One result per document, in order", "BatchResult"),
            ("400", "413", "415", "503"),
            {"required": True, "content": {"application/json": {"schema": _ref("BatchRequest")}}},
        )
    },
    "/v1/model": {"get": _operation("The model card", _json_response("The model card", "ModelCard"), ("503",))},
    "/v1/plugins": {
        "get": _operation(
            "The loaded plugins and the extractors they register",
            _json_response("Loaded plugins", "PluginList"),
            ("503",),
        )
    },
    "/healthz": {"get": _operation("The process is up", _json_response("Up", "Health"), ())},
    "/readyz": {"get": _operation("The model is loaded", _json_response("Ready", "Ready"), ("503",))},
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {
                "200": {"description": "The OpenAPI document", "headers": _REQUEST_ID_HEADER,
                        "content": {"application/json": {"schema": {"type": "object"}}}},
            },
        }
    },
}


def openapi_document() -> dict:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "stance",
            "version": __version__,
            "description": "Paragraph-level stance (csto, west) and rhetoric classification of news articles.",
        },
        "paths": _PATHS,
        "components": {"schemas": _SCHEMAS},
    }
