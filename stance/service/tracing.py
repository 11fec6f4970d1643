"""Request ids and the one log line per request.

Every response carries ``X-Request-ID``: the client's own when it sent a sane
one, else a new one. After each request one line is logged with the method,
path, status, number of paragraphs classified, duration and request id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")

log = logging.getLogger(__name__)


def request_id() -> str:
    """The current request's id (chosen on first use)."""
    if "request_id" not in g:
        g.request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
    return g.request_id


def sane_request_id(given: str) -> str:
    """``given`` when it is a sane request id (the client's own), else a new one."""
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def count_paragraphs(count: int) -> None:
    """Record how many paragraphs this request classified, for its log line."""
    g.paragraphs = count


def init_tracing(app: Flask) -> None:
    """Time every request of ``app``, tag its response and log it."""
    app.before_request(_start_clock)
    app.after_request(_finish)


def _start_clock() -> None:
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    duration_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "paragraphs": g.get("paragraphs"),
        "duration_ms": round(duration_ms, 2),
        "request_id": request_id(),
    }
    log.info("request", extra={"fields": fields})
    return response
