"""The service's JSON: Flask's JSON provider with ``orjson``, which writes
the results' frozen dataclasses directly (no ``to_dict`` copy) and several times
faster than the standard library, for the same documents.

``orjson`` would write NaN and infinity as ``null``; none reach it: the model
refuses non-finite scores (``stance.model``)."""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


class OrjsonProvider(JSONProvider):
    """``app.json``: ``dumps``, ``loads`` and ``response`` through ``orjson``; key order kept."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text."""
        return orjson.dumps(obj, default=_fallback, option=_OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """The value of the JSON text ``s``."""
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any):
        """A ``application/json`` response of the value given (as ``flask.jsonify`` takes it)."""
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_fallback, option=_OPTIONS) + b"\n"
        return self._app.response_class(body, mimetype="application/json")


def _fallback(value: Any) -> Any:
    """What the standard provider also accepts: sets, dates and ``__html__`` objects as text, ``bytes`` decoded."""
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode()
    if hasattr(value, "__html__"):
        return str(value.__html__())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
