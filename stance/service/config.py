"""The service's settings: defaults, overridden by ``STANCE_*`` environment
variables, overridden in turn by the mapping given to ``create_app``.

``APP_SETTINGS`` configure the Flask app; ``SERVER_SETTINGS`` configure gunicorn
(through ``stance.service.gunicorn_conf``). Both tables are the documentation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import StanceError

ENV_PREFIX = "STANCE_"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(StanceError):
    """A setting with a value the service cannot use."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name (without the prefix), default, parser and meaning."""

    name: str
    default: object
    parse: Callable[[object], object]
    meaning: str


def _directory(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _positive_int(value: object) -> int:
    text = str(value).replace("_", "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise ValueError("expected a positive integer")
    return int(text)


def _count(value: object) -> int:
    text = str(value).replace("_", "").strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError("expected a whole number, 0 or more")
    return int(text)


def _positive_seconds(value: object) -> float:
    try:
        seconds = float(str(value).strip())
    except ValueError:
        raise ValueError("expected a number of seconds") from None
    if not 0 < seconds < float("inf"):
        raise ValueError("expected a positive number of seconds")
    return seconds


def _hosts(value: object) -> list[str] | None:
    """``"a.example, b.example"`` -> the list; ``"*"`` -> ``None`` (any host)."""
    names = [name.strip() for name in str(value).split(",") if name.strip()]
    if not names:
        raise ValueError('expected a comma-separated list of host names, or "*" for any')
    return None if names == ["*"] else names


def _boolean(value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def _one_of(*choices: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        choice = str(value).strip()
        for known in choices:
            if choice.lower() == known.lower():
                return known
        raise ValueError(f"not one of {', '.join(choices)}")

    return parse


APP_SETTINGS: tuple[Setting, ...] = (
    Setting("MODEL_DIR", None, _directory,
            "model directory, which must hold a trained model; unset: the default model "
            "($STANCE_HOME/models/default), built from the packaged labels on first use"),
    Setting("PLUGINS_DIR", None, _directory,
            "folder of plugin .py files; unset: ./plugins when it exists; empty: none"),
    Setting("MAX_BYTES", 1_000_000, _positive_int, "largest request body, in bytes"),
    Setting("MAX_PARAGRAPHS", 2_000, _positive_int,
            "most paragraphs in one request (all documents of a batch together)"),
    Setting("MAX_DOCUMENTS", 100, _positive_int, "most documents in one batch request"),
    Setting("LOG_FORMAT", "text", _one_of("text", "json"), "request log lines as text or JSON"),
    Setting("LOG_LEVEL", "INFO", _one_of(*LOG_LEVELS), "level of the service's log"),
    Setting("DEADLINE", 20.0, _positive_seconds,
            "seconds of work allowed per classification request; past it, a JSON 503 (deadline_exceeded)"),
    Setting("TRUSTED_HOSTS", ["localhost", "127.0.0.1"], _hosts,
            "comma-separated host names the service answers to (Host header; .example.com: any subdomain); "
            "*: any; others get a JSON 400"),
    Setting("LOAD_MODEL", "eager", _one_of("eager", "background"),
            "eager: load before serving, fail to start on error; "
            "background: serve at once, /readyz answers 503 until loaded"),
)
"""Settings of the Flask app, read by ``create_app``."""


SERVER_SETTINGS: tuple[Setting, ...] = (
    Setting("BIND", "127.0.0.1:8000", str, "gunicorn: address to listen on (host:port)"),
    Setting("WORKERS", 2, _positive_int, "gunicorn: worker processes, each with its own model"),
    Setting("THREADS", 4, _positive_int,
            "gunicorn: threads per worker (gthread workers: a slow client holds one thread, not the worker)"),
    Setting("TIMEOUT", 30, _positive_int, "gunicorn: seconds before a silent worker is restarted"),
    Setting("MAX_REQUESTS", 1000, _positive_int,
            "gunicorn: requests a worker serves before it is replaced (memory stays bounded)"),
    Setting("MAX_REQUESTS_JITTER", 100, _count,
            "gunicorn: up to this many more requests, at random, so that workers are not replaced together"),
    Setting("PRELOAD", True, _boolean,
            "gunicorn: load the model once in the master, before forking the workers (they share it, "
            "and a replaced worker serves at once); false: each worker loads its own"),
)
"""Settings of the gunicorn server, read by ``stance.service.gunicorn_conf``."""


def load_settings(overrides: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] = os.environ) -> dict[str, object]:
    """Return the settings, typed and checked; keys of ``overrides`` that are not
    settings (``TESTING``, say) pass through unchanged for Flask.

    Raises ``ConfigError`` naming the variable and the value it cannot use.
    """
    settings = _from_environment(APP_SETTINGS, environ)
    known = {setting.name: setting for setting in APP_SETTINGS}
    for name, value in (overrides or {}).items():
        settings[name] = _parsed(known[name], value, name) if name in known else value
    return settings


def load_server_settings(environ: Mapping[str, str] = os.environ) -> dict[str, object]:
    """Return the gunicorn settings, typed and checked (``ConfigError`` otherwise)."""
    return _from_environment(SERVER_SETTINGS, environ)


def _from_environment(settings: tuple[Setting, ...], environ: Mapping[str, str]) -> dict[str, object]:
    values = {setting.name: setting.default for setting in settings}
    for setting in settings:
        variable = ENV_PREFIX + setting.name
        if variable in environ:
            values[setting.name] = _parsed(setting, environ[variable], variable)
    return values


def _parsed(setting: Setting, value: object, source: str) -> object:
    try:
        return setting.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{source}={value!r} cannot be used: {exc}") from None
