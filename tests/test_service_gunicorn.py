"""The production command of docker-compose.yml, run for real: gunicorn with two
workers on a free loopback port, a seed article classified over HTTP, then a
clean shutdown on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from stance.segment import segment
from stance.service.config import ENV_PREFIX

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "000_3f0b3d69d48b213d.txt"
_LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


def compose_command() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]["stance"]["command"]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_gunicorn_serves_a_seed_article_and_stops_cleanly(tiny_model_dir, tmp_path):
    command = compose_command()
    assert command[0] == "gunicorn"
    command = [sys.executable, "-m", "gunicorn", *command[1:]]
    env = {key: value for key, value in os.environ.items() if not key.startswith(ENV_PREFIX)}
    (tmp_path / "plugins").mkdir()
    env.update(
        STANCE_BIND="127.0.0.1:0",
        STANCE_WORKERS="2",
        STANCE_MODEL_DIR=str(tiny_model_dir),
        STANCE_PLUGINS="",
        STANCE_PLUGINS_DIR=str(tmp_path / "plugins"),
        STANCE_LOG_FORMAT="json",
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        listening = wait_for(lambda: _LISTENING.search(log_path.read_text(errors="replace")), 30, "gunicorn to listen")
        base = listening.group(1)
        wait_for(lambda: get_status(base + "/readyz") == 200, 60, "the model to load")

        text = SEED_ARTICLE.read_text(encoding="utf-8")
        request = urllib.request.Request(
            base + "/v1/classify",
            data=SEED_ARTICLE.read_bytes(),
            headers={"Content-Type": "text/plain; charset=utf-8", "X-Request-ID": "gunicorn-test"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"] == "gunicorn-test"
            result = json.load(response)
        assert [p["text"] for p in result["paragraphs"]] == [s.text for s in segment(text)]
        assert result["summary"]["overall"].keys() == {"csto", "west"}

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    log = log_path.read_text(errors="replace")
    assert log.count("Booting worker") == 2
    requests = [json.loads(line) for line in log.splitlines() if line.startswith("{") and '"request"' in line]
    (classified,) = [entry for entry in requests if entry["request_id"] == "gunicorn-test"]
    assert classified["path"] == "/v1/classify" and classified["paragraphs"] == len(result["paragraphs"])
    assert "Shutting down: Master" in log
