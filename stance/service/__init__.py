"""The HTTP service: a Flask app factory and its JSON API over ``stance.api``.

``create_app(config=None)`` builds the app (for gunicorn:
``gunicorn -c python:stance.service.gunicorn_conf 'stance.service:create_app()'``);
``serve(...)`` runs it on Flask's development server for ``stance serve``.
"""

from .app import create_app
from .dev_server import serve

__all__ = ["create_app", "serve"]
