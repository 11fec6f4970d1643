"""Refusing cross-site browser requests that change or cost something.

A web page on another site can make a visitor's browser POST to this service
(a ``text/plain`` body needs no CORS preflight): to classify at the service's
expense, or against a service on the visitor's own machine. Browsers say where
a request comes from: ``Sec-Fetch-Site`` (every current browser) or, failing
that, ``Origin``. A POST, PUT, PATCH or DELETE whose ``Sec-Fetch-Site`` is
neither ``same-origin`` nor ``none`` (typed by the user), or, without that
header, whose ``Origin`` is not this service's own, is answered 403
``cross_site_request``. Requests without either header (curl, scripts, other
servers) are not browsers' and pass. The analysts' page is same-origin and keeps
working. ``STANCE_TRUSTED_HOSTS`` (Flask's ``TRUSTED_HOSTS``) complements this
against DNS rebinding, where the page's origin is the attacker's host name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

from .errors import ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def init_cross_site_checks(app: Flask) -> None:
    """Refuse cross-site browser requests with unsafe methods to any route of ``app``."""
    app.before_request(_refuse_cross_site)


def _refuse_cross_site() -> None:
    if request.method in SAFE_METHODS:
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site.strip().lower() not in ALLOWED_FETCH_SITES:
            raise ApiError(403, "cross_site_request",
                           f"Cross-site browser requests are refused (Sec-Fetch-Site: {site[:40]}).")
        return
    origin = request.headers.get("Origin")
    if origin is not None and not _same_origin(origin):
        raise ApiError(403, "cross_site_request", "Cross-site browser requests are refused (Origin differs).")


def _same_origin(origin: str) -> bool:
    """Whether ``origin`` (``scheme://host[:port]``) is this request's own scheme and host."""
    try:
        parts = urlsplit(origin.strip())
        given = (parts.scheme.lower(), (parts.netloc or "").lower())
    except ValueError:
        return False
    own = urlsplit(request.host_url)
    return given == (own.scheme.lower(), own.netloc.lower())
