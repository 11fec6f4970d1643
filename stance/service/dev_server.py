"""``stance serve``: the service on Werkzeug's development server, for local use.

The server is started directly (``werkzeug.serving.run_simple``), not through
``Flask.run``, so that nothing from the environment or the working directory
changes it: ``FLASK_DEBUG``, ``FLASK_RUN_FROM_CLI`` or a ``.env`` file never
turn on the debugger (which runs code sent by any client) or the reloader, and
no ``.env`` is read. Werkzeug's server reads and discards what is left of a
request body after answering (up to 10 GB); for an oversized body, answered
413 without reading it, the socket is closed instead.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator

from werkzeug.serving import run_simple

from .app import create_app


def serve(host: str = "127.0.0.1", port: int = 8000, model_dir: str | None = None,
          plugins_dir: str | None = None) -> None:
    """Load the model and serve the API on ``host:port`` until interrupted.

    Werkzeug's development server is fine on one machine; for production run
    gunicorn (see ``stance.service.gunicorn_conf``). Other settings come from
    the ``STANCE_*`` environment variables. Raises ``StanceError`` when the
    model or a plugin cannot be loaded.
    """
    given = {"MODEL_DIR": model_dir, "PLUGINS_DIR": plugins_dir}
    app = create_app({name: value for name, value in given.items() if value is not None})
    app.debug = False
    run_simple(host, port, CloseUnreadBody(app), threaded=True, use_reloader=False, use_debugger=False,
               use_evalex=False)


class CloseUnreadBody:
    """WSGI middleware for the development server: after a 413 answer, shut the
    socket's reading side, so that the server's drain loop ends at once instead
    of reading the rest of an oversized body."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        status: list[str] = []

        def recording_start_response(code: str, headers, exc_info=None):
            status.append(code)
            return start_response(code, headers, exc_info)

        return self._then_close(self.app(environ, recording_start_response), environ, status)

    @staticmethod
    def _then_close(body: Iterable[bytes], environ: dict, status: list[str]) -> Iterator[bytes]:
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()
        connection = environ.get("werkzeug.socket")
        if status and status[-1].startswith("413") and connection is not None:
            try:
                connection.shutdown(socket.SHUT_RD)
            except OSError:
                pass
