"""The JSON API: classification, the model card, plugins, probes and the
OpenAPI document. Handlers only read the request, call ``stance.api`` and
shape the answer; errors are raised as ``ApiError`` and answered centrally."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath

from flask import Blueprint, Response, current_app

from ..api import Classifier
from ..deadline import work_deadline
from ..results import ArticleResult
from .loading import LoadedModel
from .openapi import openapi_document
from .payloads import Document, read_batch_request, read_classify_request
from .tracing import count_paragraphs

bp = Blueprint("api", __name__)


@bp.post("/v1/classify")
def classify() -> Response:
    """Classify one article (text or paragraphs)."""
    model = _model()
    with _deadline():
        document, options = read_classify_request()
        result = _classify(model.classifier, document, options)
    count_paragraphs(len(result.paragraphs))
    return current_app.json.response(result)


@bp.post("/v1/classify/batch")
def classify_batch() -> Response:
    """Classify several articles; each answer carries its document's ``id``."""
    model = _model()
    with _deadline():
        documents, options = read_batch_request()
        results = _classify_all(model.classifier, documents, options)
    count_paragraphs(sum(len(result.paragraphs) for result in results))
    return current_app.json.response({"results": results})


@bp.get("/v1/model")
def model_card() -> dict:
    """The loaded model's card, without the server's file system paths."""
    return _without_paths(_model().classifier.card)


@bp.get("/v1/plugins")
def plugins() -> dict:
    """The plugins loaded with the model and the extractors they register."""
    return {"plugins": _model().plugins}


@bp.get("/healthz")
def healthz() -> dict:
    """The process is up (whether or not the model is loaded)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> dict:
    """The model is loaded; 503 until then."""
    return {"status": "ready", "model": asdict(_model().classifier.info)}


@bp.get("/openapi.json")
def openapi() -> dict:
    """The OpenAPI document of this API."""
    return openapi_document()


def _without_paths(value):
    """``value`` with every ``"path"`` entry (a training or test file) reduced to
    its file name: where files lie on the server is not the clients' business."""
    if isinstance(value, dict):
        return {
            key: PurePath(item).name if key == "path" and isinstance(item, str) else _without_paths(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_paths(item) for item in value]
    return value


def _deadline():
    """The request's work deadline (``STANCE_DEADLINE``)."""
    return work_deadline(current_app.config.get("DEADLINE"))


def _model() -> LoadedModel:
    return current_app.extensions["stance"].require()


def _classify(classifier: Classifier, document: Document, options: dict) -> ArticleResult:
    """One document's result; evidence is only computed when ``options`` ask for it."""
    if document.paragraphs is not None:
        return classifier.classify_paragraphs(list(document.paragraphs), id=document.id, evidence=options["evidence"])
    return classifier.classify_text(document.text, id=document.id, evidence=options["evidence"])


def _classify_all(classifier: Classifier, documents: list[Document], options: dict) -> list[ArticleResult]:
    """Every document's result, in order; whole texts share the model's batches."""
    texts = iter(classifier.classify_batch(
        [(d.id, d.text) for d in documents if d.paragraphs is None], evidence=options["evidence"]
    ))
    return [
        next(texts) if document.paragraphs is None else _classify(classifier, document, options)
        for document in documents
    ]

