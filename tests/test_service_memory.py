"""Worker memory under gunicorn: flat over many distinct large requests, and
workers replaced after ``STANCE_MAX_REQUESTS`` (issue 16, item 2)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.service.config import ENV_PREFIX

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = " ".join((ROOT / "seeds" / "000_3f0b3d69d48b213d.txt").read_text(encoding="utf-8").split())
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def _gunicorn(model_dir, tmp_path, **settings):
    env = {key: value for key, value in os.environ.items() if not key.startswith(ENV_PREFIX)}
    env.update(STANCE_BIND="127.0.0.1:0", STANCE_MODEL_DIR=str(model_dir), STANCE_PLUGINS="",
               STANCE_PLUGINS_DIR="", STANCE_LOG_LEVEL="WARNING")
    env.update(settings)
    log_path = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "python:stance.service.gunicorn_conf",
               "stance.service:create_app()"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        found = _LISTENING.search(log_path.read_text(errors="replace"))
        if found and _get(int(found.group(1)), "/readyz") == 200:
            return server, int(found.group(1)), log_path
        assert server.poll() is None, log_path.read_text(errors="replace")
        time.sleep(0.1)
    server.kill()
    raise AssertionError("gunicorn did not start")


def _get(port: int, path: str) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None


def _post(port: int, text: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/v1/classify", body=text.encode(), headers={"Content-Type": "text/plain"})
    response = connection.getresponse()
    response.read()
    return response.status


def _workers(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def _stop(server) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads worker memory from /proc")
def test_worker_memory_stays_flat_over_200_distinct_large_requests(tiny_model_dir, tmp_path):
    server, port, _ = _gunicorn(tiny_model_dir, tmp_path, STANCE_WORKERS="1", STANCE_MAX_REQUESTS="100000")
    try:
        (worker,) = _workers(server.pid)
        body = (SEED_TEXT + " ") * (50_000 // len(SEED_TEXT) + 1)  # one paragraph of about 50 KB
        sizes = []
        for number in range(200):
            assert _post(port, f"Request {number}. {body}") == 200
            if number in (19, 199):
                sizes.append(_rss_mb(worker))
        assert _workers(server.pid) == [worker]
    finally:
        _stop(server)
    settled, final = sizes
    assert final <= settled * 1.10, f"worker RSS grew from {settled:.0f} MB to {final:.0f} MB"


def test_workers_are_replaced_after_max_requests(tiny_model_dir, tmp_path):
    server, port, log_path = _gunicorn(tiny_model_dir, tmp_path, STANCE_WORKERS="1", STANCE_MAX_REQUESTS="10",
                                       STANCE_MAX_REQUESTS_JITTER="0")
    try:
        (first,) = _workers(server.pid)
        for number in range(12):
            assert _post(port, f"The CSTO failed, request {number}.") == 200
        deadline = time.monotonic() + 60
        while _get(port, "/readyz") != 200 or _workers(server.pid) in ([first], []):
            assert time.monotonic() < deadline, "the worker was not replaced"
            time.sleep(0.1)
    finally:
        _stop(server)
    assert "Autorestarting worker" in log_path.read_text(errors="replace")


def test_healthz_answers_while_every_thread_is_busy(tiny_model_dir, tmp_path):
    import threading

    server, port, _ = _gunicorn(tiny_model_dir, tmp_path, STANCE_WORKERS="1", STANCE_THREADS="1")
    busy = threading.Thread(target=_post, args=(port, "The CSTO failed. " * 58_000))  # about 1 MB, seconds of work
    try:
        busy.start()
        time.sleep(0.5)
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        waited = time.monotonic() - started
        assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}
        assert response.headers["X-Request-ID"] and response.headers["Content-Type"] == "application/json"
        assert busy.is_alive(), "the busy request ended before the probe: make it longer"
        assert waited < 1.0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("HEAD", "/healthz")
        assert connection.getresponse().status == 200
    finally:
        busy.join(timeout=120)
        _stop(server)
