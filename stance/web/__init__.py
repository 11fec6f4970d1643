"""The analysts' page: paste or upload an article, read back each paragraph's
stances, rhetoric tags and highlighted evidence.

``bp`` serves the page at ``/`` and its files under ``/web/static/``. The page
is plain HTML, CSS and JavaScript with no build step; it classifies through the
JSON API (``POST v1/classify``) like any other client, and requests nothing
from any other host (its Content-Security-Policy forbids it).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from ..labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
))
"""Only this origin's scripts, styles and API; no inline code, no other host."""

bp = Blueprint(
    "web",
    __name__,
    static_folder="static",
    static_url_path="/web/static",
    template_folder="templates",
)


@bp.get("/")
def page() -> str:
    """The page, given the codebook's vocabulary and the largest body the API accepts."""
    return render_template(
        "index.html",
        targets=TARGETS,
        stance_labels=STANCE_LABELS,
        rhetoric_tags=RHETORIC_TAGS,
        max_bytes=current_app.config.get("MAX_BYTES"),
    )


@bp.after_request
def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
