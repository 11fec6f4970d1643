"""Read and check the bodies of classification requests.

``POST /v1/classify`` takes JSON (``{"text": ...}`` or ``{"paragraphs": [...]}``,
with an optional ``id`` and ``options``) or a ``text/plain`` article;
``POST /v1/classify/batch`` takes ``{"documents": [...], "options": {...}}``.
Anything else is an ``ApiError`` that says what is wrong and where.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app, request

from ..reading import read_article
from ..segment import segment
from .errors import ApiError

DOCUMENT_FIELDS = ("id", "text", "paragraphs")
OPTION_DEFAULTS = {"evidence": True}
"""``evidence``: false drops every paragraph's evidence, for smaller answers."""


@dataclass(frozen=True)
class Document:
    """One article to classify: a whole ``text`` to segment, or ``paragraphs`` already split."""

    id: str | None
    text: str | None = None
    paragraphs: tuple[str, ...] | None = None

    def paragraph_count(self) -> int:
        """How many paragraphs the article has (segmenting its text if need be)."""
        return len(self.paragraphs) if self.paragraphs is not None else len(segment(self.text))

    def most_paragraphs(self) -> int:
        """A cheap upper bound of ``paragraph_count()``: a text has at most one paragraph per line."""
        return len(self.paragraphs) if self.paragraphs is not None else self.text.count("\n") + 1


def read_classify_request() -> tuple[Document, dict]:
    """The document and options of a ``POST /v1/classify`` request."""
    if request.mimetype == "text/plain":
        document, options = _plain_text_document(), dict(OPTION_DEFAULTS)
    else:
        body = _json_object(("application/json", "text/plain"))
        _reject_unknown(body, (*DOCUMENT_FIELDS, "options"), "Request")
        document, options = _document(body, "Request"), _options(body.get("options"))
    _check_paragraph_limit([document])
    return document, options


def read_batch_request() -> tuple[list[Document], dict]:
    """The documents and options of a ``POST /v1/classify/batch`` request."""
    body = _json_object(("application/json",))
    _reject_unknown(body, ("documents", "options"), "Request")
    documents = body.get("documents")
    if not isinstance(documents, list) or not documents:
        raise ApiError(400, "invalid_request", '"documents" must be a non-empty list of documents.')
    limit = current_app.config["MAX_DOCUMENTS"]
    if len(documents) > limit:
        raise ApiError(413, "too_many_documents",
                       f"{len(documents)} documents; at most {limit} are accepted per request (STANCE_MAX_DOCUMENTS).")
    checked = []
    for number, raw in enumerate(documents):
        where = f"documents[{number}]"
        if not isinstance(raw, dict):
            raise ApiError(400, "invalid_request", f"{where} must be an object.")
        _reject_unknown(raw, DOCUMENT_FIELDS, where)
        checked.append(_document(raw, where))
    _check_paragraph_limit(checked)
    return checked, _options(body.get("options"))


def _plain_text_document() -> Document:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8", "us-ascii"):
        raise ApiError(415, "unsupported_media_type", f"Charset {charset} is not accepted; send UTF-8 text.")
    text = read_article(_read_body(), name="Request body", max_bytes=_max_bytes())
    return _checked_text_document(None, text, "Request body")


def _json_object(accepted: tuple[str, ...]) -> dict:
    if not request.is_json:
        given = request.mimetype or "no content type"
        raise ApiError(415, "unsupported_media_type", f"{given} is not accepted; send {' or '.join(accepted)}.")
    data = _read_body()
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise ApiError(400, "invalid_json", f"The body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "The body is not acceptable JSON: it is nested too deeply.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "The body must be a JSON object.")
    return body


def _document(raw: dict, where: str) -> Document:
    identifier = raw.get("id")
    if identifier is not None and not isinstance(identifier, str):
        raise ApiError(400, "invalid_request", f'{where}: "id" must be a string.')
    if "text" not in raw and "paragraphs" not in raw:
        raise ApiError(400, "invalid_request",
                       f'{where} has no "text" (the article) and no "paragraphs" (a list of strings): send one of them.')
    if "text" in raw and "paragraphs" in raw:
        raise ApiError(400, "invalid_request", f'{where} has both "text" and "paragraphs": send only one of them.')
    if "text" in raw:
        if not isinstance(raw["text"], str):
            raise ApiError(400, "invalid_request", f'{where}: "text" must be a string.')
        return _checked_text_document(identifier, raw["text"], where)
    paragraphs = raw["paragraphs"]
    if not isinstance(paragraphs, list) or not paragraphs:
        raise ApiError(400, "invalid_request", f'{where}: "paragraphs" must be a non-empty list of strings.')
    for number, paragraph in enumerate(paragraphs):
        if not isinstance(paragraph, str) or not paragraph.strip():
            raise ApiError(400, "invalid_request", f"{where}: paragraphs[{number}] must be a non-blank string.")
    return Document(identifier, paragraphs=tuple(paragraphs))


def _checked_text_document(identifier: str | None, text: str, where: str) -> Document:
    if not text.strip():
        raise ApiError(400, "empty_text", f"{where}: the text is empty.")
    return Document(identifier, text=text)


def _options(raw: object) -> dict:
    if raw is None:
        return dict(OPTION_DEFAULTS)
    if not isinstance(raw, dict):
        raise ApiError(400, "invalid_request", '"options" must be an object.')
    _reject_unknown(raw, tuple(OPTION_DEFAULTS), '"options"')
    for name, value in raw.items():
        if not isinstance(value, bool):
            raise ApiError(400, "invalid_request", f'Option "{name}" must be true or false.')
    return {**OPTION_DEFAULTS, **raw}


def _reject_unknown(raw: dict, known: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ApiError(400, "invalid_request",
                       f"{where} has unknown field(s) {', '.join(unknown)}; known: {', '.join(known)}.")


def _max_bytes() -> int:
    return current_app.config["MAX_BYTES"]


def _read_body() -> bytes:
    """The body, or a 413 ``ApiError`` when it has more than ``MAX_BYTES``. (The
    app's ``MAX_CONTENT_LENGTH`` is one byte more, so that Werkzeug, which stops
    reading a body of unknown length there, leaves a too long one detectable.)"""
    limit = _max_bytes()
    if request.content_length is None or request.content_length <= limit:
        data = request.get_data()
        if len(data) <= limit:
            return data
    raise ApiError(413, "too_large", f"The body is larger than the {limit} bytes accepted (STANCE_MAX_BYTES).")


def _check_paragraph_limit(documents: list[Document]) -> None:
    limit = current_app.config["MAX_PARAGRAPHS"]
    if sum(document.most_paragraphs() for document in documents) <= limit:
        return
    count = sum(document.paragraph_count() for document in documents)
    if count > limit:
        raise ApiError(413, "too_many_paragraphs",
                       f"{count} paragraphs; at most {limit} are accepted per request (STANCE_MAX_PARAGRAPHS).")
