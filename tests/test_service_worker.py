"""The service's gunicorn worker, run for real on 127.0.0.1 (issue 16): a health
probe is answered while every thread is busy, even when its bytes come after
the connection; a request stuck past its deadline in work the deadline cannot
interrupt, and one in flight when gunicorn stops the worker for its timeout,
both get a JSON answer instead of silence or a dropped connection."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import threading
import time

import pytest

from test_service_memory import _get, _gunicorn, _stop, _workers

STALL_SECONDS = 8

STALLING_PLUGIN = f'''
"""An extractor that stalls on paragraphs mentioning "stall": one model batch
that no deadline check can interrupt (time.sleep, like a slow C call)."""
import time

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from stance.hookspecs import hookimpl


class Stall(TransformerMixin, BaseEstimator):
    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        if any("stall" in text for text in texts):
            time.sleep({STALL_SECONDS})
        return np.array([[float(len(text))] for text in texts])

    def get_feature_names_out(self, input_features=None):
        return np.array(["length"], dtype=object)


@hookimpl
def register_extractors(register):
    register("stall", Stall, version="1")
'''


@pytest.fixture(scope="module")
def stalling_model(tmp_path_factory):
    """A model whose extractors include ``stall``, and its plugins folder."""
    from conftest import TINY_LABELS
    from stance.plugins import reset_plugins
    from stance.training import train

    root = tmp_path_factory.mktemp("stalling")
    (root / "plugins").mkdir()
    (root / "plugins" / "stall.py").write_text(STALLING_PLUGIN, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_PLUGINS", "")
        reset_plugins()
        train(TINY_LABELS, extractors=["lexicon", "stall"], output_dir=root / "model",
              plugins_dir=root / "plugins", folds=2)
        reset_plugins()
    return root / "model", root / "plugins"


def _classify(port: int, text: str, timeout: float) -> tuple[int, dict, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("POST", "/v1/classify", body=json.dumps({"text": text}),
                       headers={"Content-Type": "application/json", "X-Request-ID": "stuck-1"})
    response = connection.getresponse()
    assert response.headers["Content-Type"] == "application/json"
    return response.status, json.loads(response.read()), time.monotonic() - started


def test_a_probe_that_writes_after_connecting_is_answered_while_every_thread_is_busy(tiny_model_dir, tmp_path):
    server, port, _ = _gunicorn(tiny_model_dir, tmp_path, STANCE_WORKERS="1", STANCE_THREADS="1",
                                STANCE_DEADLINE="60")
    busy = threading.Thread(target=_classify, args=(port, "The CSTO failed. " * 58_000, 120))  # seconds of work
    try:
        busy.start()
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as probe:
            time.sleep(0.3)  # the worker accepts the connection before its request arrives
            started = time.monotonic()
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while not answer.endswith(b'{"status":"ok"}\n') and (chunk := probe.recv(4096)):
                answer += chunk
            waited = time.monotonic() - started
        assert busy.is_alive(), "the busy request ended before the probe: make it longer"
        assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b'{"status":"ok"}\n')
        assert waited < 1.0
    finally:
        busy.join(timeout=120)
        _stop(server)


def test_a_request_stuck_past_its_deadline_gets_a_json_503_on_time(stalling_model, tmp_path):
    model, plugins = stalling_model
    server, port, log_path = _gunicorn(model, tmp_path, STANCE_WORKERS="1", STANCE_PLUGINS_DIR=str(plugins),
                                       STANCE_DEADLINE="0.5")
    try:
        status, body, waited = _classify(port, "The CSTO will stall.", timeout=STALL_SECONDS - 2)
        assert status == 503
        assert body["error"]["code"] == "deadline_exceeded"
        assert body["error"]["request_id"] == "stuck-1"
        assert waited < STALL_SECONDS - 3  # 0.5 s deadline + 0.5 s grace + one turn of the worker's loop
        # the worker still serves others meanwhile, and its stalled thread ends quietly
        assert _classify(port, "The CSTO failed.", timeout=30)[0] == 200
        time.sleep(STALL_SECONDS)
        assert _get(port, "/readyz") == 200
    finally:
        _stop(server)
    log = log_path.read_text(errors="replace")
    assert "Traceback" not in log and "Error handling request" not in log, log


def test_requests_in_flight_when_gunicorn_stops_a_worker_for_its_timeout_get_json(stalling_model, tmp_path):
    """gunicorn stops a worker whose loop was silent for ``STANCE_TIMEOUT`` with
    ``SIGABRT``; the test sends it the same signal, at a known moment."""
    model, plugins = stalling_model
    server, port, _ = _gunicorn(model, tmp_path, STANCE_WORKERS="1", STANCE_PLUGINS_DIR=str(plugins),
                                STANCE_DEADLINE="60")
    outcome = {}
    stuck = threading.Thread(target=lambda: outcome.update(answer=_classify(port, "The CSTO will stall.", 30)))
    try:
        (worker,) = _workers(server.pid)
        stuck.start()
        time.sleep(1.5)
        assert stuck.is_alive()
        os.kill(worker, signal.SIGABRT)
        stuck.join(timeout=30)
        status, body, waited = outcome["answer"]
        assert status == 503
        assert body["error"]["code"] == "worker_timeout"
        assert body["error"]["request_id"] == "stuck-1"
        assert waited < STALL_SECONDS - 4  # answered at the signal (1.5 s in), not when the stall ends
    finally:
        stuck.join(timeout=30)
        _stop(server)


def test_a_worker_is_not_replaced_while_no_other_worker_accepts_connections(stalling_model, tmp_path):
    """With ``max_requests`` 1, the worker that takes a stalled request stops
    accepting and is replaced only when that request ends; the other worker,
    reaching its own count meanwhile, serves on instead of stopping too."""
    model, plugins = stalling_model
    server, port, log_path = _gunicorn(model, tmp_path, STANCE_WORKERS="2", STANCE_PLUGINS_DIR=str(plugins),
                                       STANCE_DEADLINE="60", STANCE_MAX_REQUESTS="1",
                                       STANCE_MAX_REQUESTS_JITTER="0")
    stuck = threading.Thread(target=_classify, args=(port, "The CSTO will stall.", 30))
    try:
        deadline = time.monotonic() + 30  # the start-up's /readyz was one worker's only request: replaced
        while len(_workers(server.pid)) < 2 or _get(port, "/healthz") != 200:  # probes are not counted
            assert time.monotonic() < deadline, "the replaced worker did not come back"
            time.sleep(0.1)
        time.sleep(2)
        restarts = log_path.read_text(errors="replace").count("Autorestarting worker")
        workers = set(_workers(server.pid))
        stuck.start()
        time.sleep(1.5)  # the stalled worker's loop has stopped accepting
        assert _classify(port, "The CSTO failed.", timeout=30)[0] == 200
        time.sleep(0.5)
        assert stuck.is_alive()
        assert log_path.read_text(errors="replace").count("Autorestarting worker") == restarts + 1
        assert set(_workers(server.pid)) == workers
        assert _get(port, "/healthz") == 200
    finally:
        stuck.join(timeout=30)
        _stop(server)
