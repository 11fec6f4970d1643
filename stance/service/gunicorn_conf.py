"""Gunicorn settings from ``STANCE_*`` environment variables, for production::

    gunicorn -c python:stance.service.gunicorn_conf 'stance.service:create_app()'

Workers are ``gthread`` workers (``stance.service.worker``, which also answers
``/healthz`` probes without waiting for a thread): each request runs in one of ``STANCE_THREADS``
threads, a connection whose request has not arrived yet waits in the worker's
poller, not in a thread, so slow clients cannot starve ``/healthz``; and the
worker answers JSON for a request it gives up on (past its deadline, or cut
by ``STANCE_TIMEOUT``). In front of
it, a proxy that buffers whole requests (``deploy/nginx.conf``) is still the
first line against slow clients. A worker is replaced after
``STANCE_MAX_REQUESTS`` requests (plus up to ``STANCE_MAX_REQUESTS_JITTER``),
which bounds the memory a worker can accumulate.

The master loads the model once before forking (``STANCE_PRELOAD``, the
default): the workers share its memory, and a worker replaced after
``STANCE_MAX_REQUESTS`` serves again within milliseconds, instead of loading a
model for seconds while its sibling may be restarting too (both stopped at once
left nothing to answer ``/healthz``). With ``STANCE_PRELOAD=false`` each worker
loads its own.
When ``STANCE_MODEL_DIR`` is unset, the master first builds the default model
if it is missing, so that the workers do not each train one.
"""

import gc
import os

from stance.service.config import ConfigError, load_server_settings, load_settings

_server = load_server_settings()

bind = _server["BIND"]
workers = _server["WORKERS"]
worker_class = "stance.service.worker.HealthAwareThreadWorker"  # gthread, /healthz answered without a thread
threads = _server["THREADS"]
timeout = _server["TIMEOUT"]
max_requests = _server["MAX_REQUESTS"]
max_requests_jitter = _server["MAX_REQUESTS_JITTER"]
preload_app = _server["PRELOAD"]

if preload_app and load_settings()["LOAD_MODEL"] == "background":
    if "STANCE_PRELOAD" in os.environ:
        raise ConfigError(
            "STANCE_PRELOAD=true loads the model in the master before forking; "
            "it cannot be combined with STANCE_LOAD_MODEL=background"
        )
    preload_app = False  # the default gives way: each worker loads its model in the background


def on_starting(server) -> None:
    """Build the default model once, in the master, when no model directory is configured."""
    settings = load_settings()
    if settings["MODEL_DIR"] is None:
        from stance.api import ensure_default_model

        ensure_default_model(plugins_dir=settings["PLUGINS_DIR"])


def pre_fork(server, worker) -> None:
    """With the model preloaded (``STANCE_PRELOAD``, the default), move every
    object alive in the master out of the garbage collector's reach
    (``gc.freeze``) before forking: a worker's collections then never write to
    the pages of the model it shares with the master."""
    if server.cfg.preload_app:
        gc.collect()
        gc.freeze()


def post_worker_init(worker) -> None:
    """Once the worker has its model (loaded here, or inherited from the master,
    already frozen): move every object alive now out of the garbage collector's
    reach (``gc.freeze``). The model's hundreds of thousands of objects are then
    no longer traversed by each full collection while requests allocate results
    (about a fifth of a large batch's time)."""
    if not worker.cfg.preload_app:
        gc.collect()
    gc.freeze()
