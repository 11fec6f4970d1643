"""The service's log: ``key=value`` text lines, or one JSON object per line.

Records may carry structured ``fields`` (``extra={"fields": {...}}``); both
formats print them, so a request line reads the same in either.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

SERVICE_LOGGER = "stance.service"


class TextFormatter(logging.Formatter):
    """``2024-05-01T10:00:00.123Z INFO request method=POST path=/v1/classify ...``"""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_timestamp(record), record.levelname, record.getMessage()]
        parts += [f"{name}={_text(value)}" for name, value in getattr(record, "fields", {}).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the fields, and
    the traceback (as ``exception``) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class ServiceLogHandler(logging.StreamHandler):
    """The stderr handler the service installs (and replaces when rebuilt)."""


def configure_logging(log_format: str, level: str) -> None:
    """Send the service's log to stderr in ``log_format`` (``text``/``json``) at ``level``."""
    logger = logging.getLogger(SERVICE_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, ServiceLogHandler)]:
        logger.removeHandler(handler)
    handler = ServiceLogHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text(value: object) -> str:
    """A field's value on a text line: quoted, with control characters escaped,
    when it holds anything but printable characters other than blanks, quotes and ``=``
    (a request path can carry an ESC or a newline that would forge a log line)."""
    text = "-" if value is None else str(value)
    plain = text and all(c.isprintable() and not c.isspace() and c not in '"=' for c in text)
    return text if plain else json.dumps(text)
