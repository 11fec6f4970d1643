"""``stance serve``: the service on Flask's development server, for local use."""

from __future__ import annotations

from .app import create_app


def serve(host: str = "127.0.0.1", port: int = 8000, model_dir: str | None = None,
          plugins_dir: str | None = None) -> None:
    """Load the model and serve the API on ``host:port`` until interrupted.

    Flask's development server is fine on one machine; for production run
    gunicorn (see ``stance.service.gunicorn_conf``). Other settings come from
    the ``STANCE_*`` environment variables. Raises ``StanceError`` when the
    model or a plugin cannot be loaded.
    """
    given = {"MODEL_DIR": model_dir, "PLUGINS_DIR": plugins_dir}
    app = create_app({name: value for name, value in given.items() if value is not None})
    app.run(host=host, port=port)
