"""What an attacker, a slow or greedy client and a broken plugin can do to the
service (issue 16): deadlines, nesting, cross-site requests, host names, paths
in the model card, the log, non-finite numbers and the development server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from stance.service import create_app

ROOT = Path(__file__).resolve().parent.parent


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}
    return body["error"]


# ---- a work deadline per request ----------------------------------------------------


def test_work_past_the_deadline_is_a_json_503(service_config):
    client = create_app({**service_config, "DEADLINE": 0.05, "MAX_BYTES": 5_000_000,
                         "MAX_PARAGRAPHS": 100_000}).test_client()
    text = "A paragraph of running text about the alliance and its members.\n\n" * 15_000
    started = time.monotonic()
    response = client.post("/v1/classify", json={"text": text})
    assert response.status_code == 503
    assert error_of(response)["code"] == "deadline_exceeded"
    assert "STANCE_DEADLINE" in error_of(response)["message"]
    assert response.headers["Retry-After"] == "1"
    assert time.monotonic() - started < 20
    batch = client.post("/v1/classify/batch", json={"documents": [{"text": text[:200_000]}] * 4})
    assert batch.status_code == 503 and error_of(batch)["code"] == "deadline_exceeded"


# ---- deeply nested JSON --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/classify", "/v1/classify/batch"])
@pytest.mark.parametrize("field", ["text", "options", "id", "documents"])
def test_deeply_nested_json_is_400_invalid_json(client, path, field):
    body = '{"%s": %s%s}' % (field, "[" * 10_000, "]" * 10_000)
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


# ---- cross-site browser requests and host names ---------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://localhost:9999"},
        {"Origin": "null"},
    ],
)
@pytest.mark.parametrize("path", ["/v1/classify", "/v1/classify/batch"])
def test_cross_site_browser_posts_are_refused(client, headers, path):
    response = client.post(path, data="The CSTO failed.", content_type="text/plain", headers=headers)
    assert response.status_code == 403
    assert error_of(response)["code"] == "cross_site_request"


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, servers
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},  # the page
        {"Sec-Fetch-Site": "none"},  # typed by the user
        {"Origin": "http://localhost"},  # a browser without Sec-Fetch-Site, same origin
    ],
)
def test_same_origin_and_non_browser_posts_are_served(client, headers):
    response = client.post("/v1/classify", json={"text": "The CSTO failed."}, headers=headers)
    assert response.status_code == 200


def test_cross_site_reads_of_the_page_and_probes_still_work(client):
    for path in ("/", "/healthz", "/v1/model"):
        assert client.get(path, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200


def test_untrusted_host_is_a_json_400_and_trusted_hosts_are_configurable(service_config, monkeypatch):
    client = create_app(service_config).test_client()
    assert client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    rebound = client.post("/v1/classify", json={"text": "x"}, headers={"Host": "attacker.example"})
    assert rebound.status_code == 400 and "error" in rebound.get_json()
    monkeypatch.setenv("STANCE_TRUSTED_HOSTS", "stance.example.org, .newsroom.example")
    configured = create_app(service_config).test_client()
    assert configured.get("/healthz", headers={"Host": "stance.example.org"}).status_code == 200
    assert configured.get("/healthz", headers={"Host": "api.newsroom.example"}).status_code == 200
    assert configured.get("/healthz", headers={"Host": "localhost"}).status_code == 400
    monkeypatch.setenv("STANCE_TRUSTED_HOSTS", "*")
    assert create_app(service_config).test_client().get(
        "/healthz", headers={"Host": "anything.example"}).status_code == 200


# ---- what the answers show -------------------------------------------------------------


def test_the_model_card_shows_no_server_paths(client, app):
    card = app.extensions["stance"].require().classifier.card
    assert card["training_data"]["path"].startswith("/")
    shown = client.get("/v1/model").get_json()
    assert shown["training_data"]["path"] == Path(card["training_data"]["path"]).name
    assert not re.search(r'"/(?:tmp|home|root|work|usr|app)/', json.dumps(shown))


def test_control_characters_in_paths_are_escaped_in_the_text_log(service_config, capsys):
    client = create_app(service_config).test_client()
    capsys.readouterr()
    client.get("/v1/%1b[31mforged%0a2024-01-01T00:00:00Z%20INFO%20request")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "\x1b" not in lines[0]
    assert 'path="/v1/\\u001b[31mforged\\n2024-01-01T00:00:00Z INFO request"' in lines[0]


NAN_AT_PREDICT = '''
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from stance.hookspecs import hookimpl


class Poisoned(TransformerMixin, BaseEstimator):
    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        return np.array([[np.nan if "poison" in text else float(len(text))] for text in texts])

    def get_feature_names_out(self, input_features=None):
        return np.array(["length"], dtype=object)


@hookimpl
def register_extractors(register):
    register("poisoned", Poisoned, version="1")
'''


def test_non_finite_features_never_reach_a_json_answer(service_config, tmp_path, monkeypatch):
    from conftest import TINY_LABELS
    from stance.plugins import reset_plugins
    from stance.training import train

    folder = tmp_path / "nanplugins"
    folder.mkdir()
    (folder / "poisoned.py").write_text(NAN_AT_PREDICT, encoding="utf-8")
    train(TINY_LABELS, extractors=["lexicon", "poisoned"], output_dir=tmp_path / "model", plugins_dir=folder,
          folds=2)
    reset_plugins()
    client = create_app({**service_config, "MODEL_DIR": str(tmp_path / "model"),
                         "PLUGINS_DIR": str(folder)}).test_client()
    assert client.post("/v1/classify", json={"text": "The CSTO failed."}).status_code == 200
    response = client.post("/v1/classify", json={"text": "The poison of the alliance."})
    assert response.status_code == 500
    json.loads(response.data, parse_constant=lambda constant: pytest.fail(f"{constant} in the answer"))
    error = error_of(response)
    assert error["code"] == "plugin_error"
    assert "extractor 'poisoned' of plugin 'poisoned' returned NaN or infinite values" in error["message"]


def test_the_json_provider_never_writes_nan(app):
    with app.app_context():
        text = app.json.dumps({"score": float("nan"), "other": float("inf")})
    json.loads(text, parse_constant=lambda constant: pytest.fail(f"{constant} written"))


# ---- the development server ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


@pytest.fixture
def dev_server(tiny_model_dir, tmp_path):
    """``stance serve`` on a free loopback port, started from a folder whose
    ``.env`` and environment ask for Flask's debugger and reloader."""
    port = _free_port()
    (tmp_path / ".env").write_text("FLASK_DEBUG=1\nSTANCE_MAX_BYTES=10\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCE_")}
    env.update(FLASK_DEBUG="1", FLASK_RUN_FROM_CLI="false", STANCE_PLUGINS="", STANCE_PLUGINS_DIR="")
    command = [sys.executable, "-c", "from stance.cli import main; main()", "serve", "--port", str(port),
               "--model", str(tiny_model_dir)]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while _get(base + "/readyz")[0] != 200:
            assert server.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "stance serve did not start"
            time.sleep(0.1)
        yield base, port, tmp_path / "serve.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_stance_serve_never_enables_the_debugger_nor_reads_dotenv(dev_server):
    base, _, log_path = dev_server
    status, body = _get(base + "/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert b"debugger" not in body.lower() or b"<!doctype html>" in body.lower()
    request = urllib.request.Request(base + "/v1/classify", data=b"The CSTO failed us again.",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=30) as response:  # STANCE_MAX_BYTES=10 in .env is not read
        assert response.status == 200
    log = log_path.read_text(errors="replace")
    assert "Debugger is active" not in log and "Restarting with" not in log


def test_stance_serve_closes_the_socket_on_an_oversized_body(dev_server):
    _, port, _ = dev_server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: 500000000\r\n\r\n" + b"x" * 65536)
        head = connection.recv(65536)
        assert head.startswith(b"HTTP/1.1 413")
        chunk, sent, started = b"y" * 65536, 0, time.monotonic()
        with pytest.raises(OSError):  # reset or broken pipe once the server has closed the socket
            while time.monotonic() - started < 15:
                connection.sendall(chunk)
                sent += len(chunk)
        assert sent < 200_000_000, "the server kept reading the oversized body"
