"""Every error the service answers is JSON:
``{"error": {"code": "...", "message": "...", "request_id": "..."}}``.

Client mistakes are ``ApiError``s (or Werkzeug's HTTP errors, such as routing
404 and 405) with a 4xx status; anything else is a bug, logged with the request
id and answered as a bare 500 that carries the same id, never a traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException

from ..deadline import DeadlineExceeded
from ..errors import InputError, PluginError
from .tracing import request_id

log = logging.getLogger(__name__)

HTTP_ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    500: "internal_error",
}
"""Codes for Werkzeug's HTTP errors; other statuses use the error's own name."""


class ApiError(Exception):
    """A request the service refuses: an HTTP ``status``, a stable ``code`` for
    programs and a one-sentence ``message`` for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def to_dict(self) -> dict:
        """The JSON body of this error (without the request id)."""
        return {"error": {"code": self.code, "message": self.message}}


def register_error_handlers(app: Flask) -> None:
    """Answer every error of ``app`` as JSON."""
    app.register_error_handler(ApiError, _json_error)
    app.register_error_handler(InputError, _input_error)
    app.register_error_handler(DeadlineExceeded, _deadline_error)
    app.register_error_handler(PluginError, _plugin_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _input_error(error: InputError) -> Response:
    return _json_error(ApiError(400, "invalid_input", str(error)))


def _deadline_error(error: DeadlineExceeded) -> Response:
    limit = current_app.config.get("DEADLINE")
    response = _json_error(ApiError(
        503, "deadline_exceeded",
        f"The request needed more than the {limit:g} s of work allowed (STANCE_DEADLINE); "
        "send a shorter text or fewer documents.",
    ))
    response.headers["Retry-After"] = "1"
    return response


def _plugin_error(error: PluginError) -> Response:
    """A plugin that broke while classifying (say, it returned NaN): the server's fault, named."""
    log.error("plugin error", extra={"fields": {"request_id": request_id(), "reason": str(error)}})
    return _json_error(ApiError(500, "plugin_error", str(error)))


def _http_error(error: HTTPException) -> Response:
    code = HTTP_ERROR_CODES.get(error.code) or error.name.lower().replace(" ", "_")
    response = _json_error(ApiError(error.code, code, error.description))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected_error(error: Exception) -> Response:
    log.exception("unexpected error", extra={"fields": {"request_id": request_id()}})
    return _json_error(
        ApiError(500, "internal_error", "An unexpected error occurred; it has been logged with the request id.")
    )


def _json_error(error: ApiError) -> Response:
    body = error.to_dict()
    body["error"]["request_id"] = request_id()
    response = jsonify(body)
    response.status_code = error.status
    return response
