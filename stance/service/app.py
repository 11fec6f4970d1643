"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from .config import load_settings
from .encoding import OrjsonProvider
from .crosssite import init_cross_site_checks
from .errors import register_error_handlers
from .loading import ModelSlot
from .logs import configure_logging
from .routes import bp as api_blueprint
from .tracing import init_tracing
from ..web import bp as web_page


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the service from ``STANCE_*`` settings overridden by ``config``.

    The model and plugins are loaded once, here (``LOAD_MODEL="eager"``, the
    default: a broken plugin or model raises, so the service refuses to start),
    or in a background thread (``"background"``: ``/readyz`` answers 503 until
    loaded). They live in ``app.extensions["stance"]``, a ``ModelSlot``.
    """
    settings = load_settings(config)
    configure_logging(settings["LOG_FORMAT"], settings["LOG_LEVEL"])

    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_BYTES"] + 1  # see payloads._read_body
    app.config["TRUSTED_HOSTS"] = settings["TRUSTED_HOSTS"]

    init_tracing(app)
    init_cross_site_checks(app)
    register_error_handlers(app)
    app.register_blueprint(api_blueprint)
    app.register_blueprint(web_page)

    slot = ModelSlot(settings["MODEL_DIR"], settings["PLUGINS_DIR"])
    app.extensions["stance"] = slot
    if settings["LOAD_MODEL"] == "eager":
        slot.load()
    else:
        slot.load_in_background()
    return app


