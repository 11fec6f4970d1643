"""The HTTP service through Flask's test client: every endpoint, every error."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from stance.api import Classifier
from stance.errors import ModelError, PluginError
from stance.labels import STANCE_LABELS, TARGETS
from stance.segment import segment
from stance.service import create_app
from stance.service.config import ConfigError, load_settings

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "000_3f0b3d69d48b213d.txt"


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "request_id"}
    assert body["error"]["request_id"] == response.headers["X-Request-ID"]
    return body["error"]


# ---- probes, model, plugins ---------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_names_the_model(app, client):
    response = client.get("/readyz")
    info = app.extensions["stance"].require().classifier.info
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "model": {"name": info.name, "version": info.version}}


def test_model_card(app, client):
    response = client.get("/v1/model")
    assert response.status_code == 200
    card = json.loads(json.dumps(app.extensions["stance"].require().classifier.card))
    card["training_data"]["path"] = Path(card["training_data"]["path"]).name  # no server paths
    for entry in card["training_data"].get("files", []):
        entry["path"] = Path(entry["path"]).name
    assert response.get_json() == card


def test_plugins_lists_the_builtin_extractors(client):
    response = client.get("/v1/plugins")
    assert response.status_code == 200
    plugins = response.get_json()["plugins"]
    extractors = {name for plugin in plugins for name in plugin["extractors"]}
    assert {"word_tfidf", "char_tfidf", "lexicon"} <= extractors
    assert {plugin["source"] for plugin in plugins} == {"builtin"}


# ---- classify -----------------------------------------------------------------


def test_classify_text_gives_every_paragraph_with_scores_and_summary(app, client):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    response = client.post("/v1/classify", json={"text": text, "id": "seed-000"})
    assert response.status_code == 200
    result = response.get_json()
    assert result["id"] == "seed-000"
    assert [p["text"] for p in result["paragraphs"]] == [s.text for s in segment(text)]
    for paragraph in result["paragraphs"]:
        assert text[paragraph["start"]:paragraph["end"]] == paragraph["text"]
        if paragraph["boilerplate"]:
            assert paragraph["stances"] == {}
            continue
        for target in TARGETS:
            stance = paragraph["stances"][target]
            assert stance["label"] in STANCE_LABELS
            assert set(stance["scores"]) == set(STANCE_LABELS)
            assert sum(stance["scores"].values()) == pytest.approx(1, abs=1e-6)
    assert result["summary"]["paragraphs"] == len(result["paragraphs"])
    assert result["model"]["name"] == app.extensions["stance"].require().classifier.info.name


def test_classify_matches_the_python_api(app, client):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    expected = app.extensions["stance"].require().classifier.classify_text(text, id="x").to_dict()
    response = client.post("/v1/classify", json={"text": text, "id": "x"})
    assert response.get_json() == json.loads(json.dumps(expected))


def test_classify_plain_text(client):
    data = SEED_ARTICLE.read_bytes()
    response = client.post("/v1/classify", data=data, content_type="text/plain; charset=utf-8")
    assert response.status_code == 200
    assert response.get_json()["id"] is None
    assert len(response.get_json()["paragraphs"]) == len(segment(data.decode("utf-8")))


def test_classify_paragraphs_keeps_them_as_given(client):
    paragraphs = ["The CSTO is an effective guarantor of security.", "NATO militarises the region."]
    response = client.post("/v1/classify", json={"paragraphs": paragraphs, "id": "p"})
    assert response.status_code == 200
    result = response.get_json()
    assert result["id"] == "p"
    assert [p["text"] for p in result["paragraphs"]] == paragraphs


def test_option_evidence_false_drops_evidence(client):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    full = client.post("/v1/classify", json={"text": text}).get_json()
    bare = client.post("/v1/classify", json={"text": text, "options": {"evidence": False}}).get_json()
    assert any(s["evidence"] for p in full["paragraphs"] for s in p["stances"].values())
    assert all(s["evidence"] == [] for p in bare["paragraphs"] for s in p["stances"].values())
    for kept, dropped in zip(full["paragraphs"], bare["paragraphs"]):
        for target, stance in kept["stances"].items():
            assert dropped["stances"][target]["scores"] == stance["scores"]


def test_batch_echoes_ids_in_order(client):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    documents = [{"id": "a", "text": text}, {"paragraphs": ["The CSTO failed Armenia."]}, {"id": "c", "text": "One."}]
    response = client.post("/v1/classify/batch", json={"documents": documents})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["a", None, "c"]
    assert len(results[0]["paragraphs"]) == len(segment(text))
    assert results[1]["paragraphs"][0]["text"] == "The CSTO failed Armenia."


# ---- errors -------------------------------------------------------------------

BAD_JSON_REQUESTS = [
    ("/v1/classify", b"{not json", "invalid_json"),
    ("/v1/classify", b"[1, 2]", "invalid_request"),
    ("/v1/classify", b"{}", "invalid_request"),
    ("/v1/classify", b'{"text": "a", "paragraphs": ["b"]}', "invalid_request"),
    ("/v1/classify", b'{"text": 3}', "invalid_request"),
    ("/v1/classify", b'{"text": "a", "id": 5}', "invalid_request"),
    ("/v1/classify", b'{"txt": "a"}', "invalid_request"),
    ("/v1/classify", b'{"text": "  \\n "}', "empty_text"),
    ("/v1/classify", b'{"paragraphs": []}', "invalid_request"),
    ("/v1/classify", b'{"paragraphs": ["ok", " "]}', "invalid_request"),
    ("/v1/classify", b'{"paragraphs": "one"}', "invalid_request"),
    ("/v1/classify", b'{"text": "a", "options": {"evidence": "no"}}', "invalid_request"),
    ("/v1/classify", b'{"text": "a", "options": {"colour": true}}', "invalid_request"),
    ("/v1/classify", b'{"text": "a", "options": []}', "invalid_request"),
    ("/v1/classify/batch", b'{"documents": []}', "invalid_request"),
    ("/v1/classify/batch", b'{"docs": []}', "invalid_request"),
    ("/v1/classify/batch", b'{"documents": ["text"]}', "invalid_request"),
    ("/v1/classify/batch", b'{"documents": [{"id": "a"}]}', "invalid_request"),
    ("/v1/classify/batch", b'{"documents": [{"text": "a", "extra": 1}]}', "invalid_request"),
]


@pytest.mark.parametrize(("path", "body", "code"), BAD_JSON_REQUESTS)
def test_bad_json_requests_are_400(client, path, body, code):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == code


@pytest.mark.parametrize(
    ("body", "fragment"),
    [(b"\x00\x01\x02binary" * 10, "binary"), (b"  \n\n ", "empty")],
)
def test_unreadable_plain_text_is_400(client, body, fragment):  # legacy encodings are read: tests/test_input.py
    response = client.post("/v1/classify", data=body, content_type="text/plain")
    assert response.status_code == 400
    assert fragment in error_of(response)["message"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/v1/classify", "application/x-www-form-urlencoded"),
        ("/v1/classify", "text/html"),
        ("/v1/classify", "text/plain; charset=latin-1"),
        ("/v1/classify/batch", "text/plain"),
        ("/v1/classify", None),
    ],
)
def test_unsupported_content_type_is_415(client, path, content_type):
    response = client.post(path, data=b"text=hello", content_type=content_type)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_body_over_max_bytes_is_413(service_config):
    client = create_app({**service_config, "MAX_BYTES": 1000}).test_client()
    for body, content_type in [(b"x" * 1001, "text/plain"), (json.dumps({"text": "y" * 1001}), "application/json")]:
        response = client.post("/v1/classify", data=body, content_type=content_type)
        assert response.status_code == 413
        assert error_of(response)["code"] == "too_large"
        assert "STANCE_MAX_BYTES" in error_of(response)["message"]


@pytest.mark.parametrize(("size", "status"), [(1000, 200), (1001, 413), (5000, 413)])
def test_streamed_body_is_held_to_max_bytes(service_config, size, status):
    """A chunked body has no Content-Length: the limit applies while reading it."""
    app = create_app({**service_config, "MAX_BYTES": 1000})
    environ = EnvironBuilder(path="/v1/classify", method="POST", data=(b"word " * size)[:size],
                             content_type="text/plain").get_environ()
    del environ["CONTENT_LENGTH"]
    environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    body, status_line, headers = run_wsgi_app(app, environ)
    assert int(status_line.split()[0]) == status
    if status == 413:
        assert json.loads(b"".join(body))["error"]["code"] == "too_large"


def test_too_many_paragraphs_is_413(service_config):
    client = create_app({**service_config, "MAX_PARAGRAPHS": 3}).test_client()
    text = "\n\n".join(f"Paragraph number {n} says something." for n in range(4))
    for path, body in [
        ("/v1/classify", {"text": text}),
        ("/v1/classify", {"paragraphs": ["a", "b", "c", "d"]}),
        ("/v1/classify/batch", {"documents": [{"paragraphs": ["a", "b"]}, {"paragraphs": ["c", "d"]}]}),
    ]:
        response = client.post(path, json=body)
        assert response.status_code == 413
        assert error_of(response)["code"] == "too_many_paragraphs"
    assert client.post("/v1/classify", json={"paragraphs": ["a", "b", "c"]}).status_code == 200
    many_lines = "\n\n".join("The first line,\nthe second line,\nand the third line." for _ in range(3))
    assert client.post("/v1/classify", json={"text": many_lines}).status_code == 200


def test_too_many_documents_is_413(service_config):
    client = create_app({**service_config, "MAX_DOCUMENTS": 2}).test_client()
    response = client.post("/v1/classify/batch", json={"documents": [{"text": "a"}] * 3})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_many_documents"


def test_unknown_path_is_json_404(client):
    response = client.get("/v2/classify")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client):
    response = client.get("/v1/classify")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_bug_is_500_with_request_id_and_no_traceback(client, monkeypatch):
    def broken(self, text, *, id=None):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(Classifier, "classify_text", broken)
    response = client.post("/v1/classify", json={"text": "The CSTO works."}, headers={"X-Request-ID": "bug-42"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error" and error["request_id"] == "bug-42"
    assert "secret" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_bug_is_logged_with_request_id_and_traceback(service_config, monkeypatch, capsys):
    monkeypatch.setattr(Classifier, "classify_text", lambda self, text, *, id=None, **options: 1 / 0)
    client = create_app(service_config).test_client()
    client.post("/v1/classify", json={"text": "The CSTO works."}, headers={"X-Request-ID": "bug-43"})
    log = capsys.readouterr().err
    assert "ZeroDivisionError" in log and "Traceback" in log
    assert "request_id=bug-43" in log


# ---- readiness and loading ----------------------------------------------------


def test_background_loading_answers_503_until_ready(service_config, monkeypatch):
    gate = threading.Event()
    real_load = Classifier.load.__func__

    def gated_load(cls, *args, **kwargs):
        gate.wait(timeout=30)
        return real_load(cls, *args, **kwargs)

    monkeypatch.setattr(Classifier, "load", classmethod(gated_load))
    app = create_app({**service_config, "LOAD_MODEL": "background"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    for response in (client.get("/readyz"), client.post("/v1/classify", json={"text": "Hi."}),
                     client.get("/v1/model"), client.get("/v1/plugins")):
        assert response.status_code == 503
        assert error_of(response)["code"] == "not_ready"
    gate.set()
    deadline = time.monotonic() + 30
    while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/classify", json={"text": "The CSTO works well."}).status_code == 200


def test_background_loading_failure_stays_503_with_the_reason(service_config, tmp_path):
    app = create_app({**service_config, "MODEL_DIR": str(tmp_path / "missing"), "LOAD_MODEL": "background"})
    client = app.test_client()
    deadline = time.monotonic() + 30
    while error_of(client.get("/readyz"))["code"] == "not_ready" and time.monotonic() < deadline:
        time.sleep(0.02)
    error = error_of(client.get("/readyz"))
    assert error["code"] == "model_load_failed"
    assert "missing" in error["message"]
    assert client.post("/v1/classify", json={"text": "Hi."}).status_code == 503


def test_background_loading_bug_stays_503_and_logs_the_traceback(service_config, monkeypatch, capsys):
    def broken_load(cls, *args, **kwargs):
        raise RuntimeError("loader bug")

    monkeypatch.setattr(Classifier, "load", classmethod(broken_load))
    client = create_app({**service_config, "LOAD_MODEL": "background"}).test_client()
    deadline = time.monotonic() + 30
    while error_of(client.get("/readyz"))["code"] == "not_ready" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert error_of(client.get("/readyz"))["message"].endswith("RuntimeError: loader bug")
    assert "Traceback" in capsys.readouterr().err


def test_missing_model_refuses_to_start(service_config, tmp_path):
    with pytest.raises(ModelError):
        create_app({**service_config, "MODEL_DIR": str(tmp_path / "missing")})


def test_broken_plugin_refuses_to_start(service_config, tmp_path):
    plugins = tmp_path / "broken-plugins"
    plugins.mkdir()
    (plugins / "halfdone.py").write_text("import no_such_module_anywhere\n", encoding="utf-8")
    with pytest.raises(PluginError, match="halfdone"), pytest.warns(UserWarning, match="halfdone"):
        create_app({**service_config, "PLUGINS_DIR": str(plugins)})


# ---- request ids and logging --------------------------------------------------


def test_request_id_is_echoed_when_sane(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123.x"}).headers["X-Request-ID"] == "abc-123.x"


@pytest.mark.parametrize("given", ["", "has space", "x" * 200, "<script>"])
def test_request_id_is_replaced_when_not_sane(client, given):
    returned = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert returned != given and len(returned) == 32


def test_text_log_has_one_line_per_request(service_config, capsys):
    client = create_app(service_config).test_client()
    capsys.readouterr()
    client.post("/v1/classify", json={"paragraphs": ["a", "b"]}, headers={"X-Request-ID": "t-1"})
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    for field in ("method=POST", "path=/v1/classify", "status=200", "paragraphs=2", "duration_ms=", "request_id=t-1"):
        assert field in lines[0]


def test_json_log_lines(service_config, capsys):
    client = create_app({**service_config, "LOG_FORMAT": "json"}).test_client()
    capsys.readouterr()
    client.get("/nowhere", headers={"X-Request-ID": "j-1"})
    (line,) = capsys.readouterr().err.splitlines()
    entry = json.loads(line)
    assert entry["method"] == "GET" and entry["path"] == "/nowhere" and entry["status"] == 404
    assert entry["request_id"] == "j-1" and entry["paragraphs"] is None and entry["duration_ms"] >= 0


# ---- settings -----------------------------------------------------------------


def test_settings_come_from_the_environment_then_the_mapping(monkeypatch):
    monkeypatch.setenv("STANCE_MAX_BYTES", "5000")
    monkeypatch.setenv("STANCE_LOG_FORMAT", "JSON")
    monkeypatch.setenv("STANCE_MAX_DOCUMENTS", "7")
    settings = load_settings({"MAX_DOCUMENTS": 3, "TESTING": True})
    assert settings["MAX_BYTES"] == 5000 and settings["LOG_FORMAT"] == "json"
    assert settings["MAX_DOCUMENTS"] == 3 and settings["TESTING"] is True
    assert settings["MAX_PARAGRAPHS"] == 2000


@pytest.mark.parametrize(
    ("variable", "value"),
    [("STANCE_MAX_BYTES", "lots"), ("STANCE_MAX_PARAGRAPHS", "0"), ("STANCE_LOG_FORMAT", "xml"),
     ("STANCE_LOAD_MODEL", "later")],
)
def test_unusable_setting_is_a_clear_error(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_max_bytes_setting_limits_the_body(service_config, monkeypatch):
    monkeypatch.setenv("STANCE_MAX_BYTES", "100")
    config = {key: value for key, value in service_config.items() if key != "MAX_BYTES"}
    assert create_app(config).test_client().post("/v1/classify", data=b"x" * 101,
                                                 content_type="text/plain").status_code == 413


def test_serve_runs_the_app_with_the_given_model(service_config, monkeypatch):
    import stance.service.dev_server as dev_server
    from stance.service import serve

    calls = []
    monkeypatch.setattr(dev_server, "run_simple", lambda *args, **kwargs: calls.append((args, kwargs)))
    serve(host="127.0.0.1", port=8123, model_dir=service_config["MODEL_DIR"],
          plugins_dir=service_config["PLUGINS_DIR"])
    ((host, port, wrapped), kwargs), = calls
    assert (host, port) == ("127.0.0.1", 8123)
    assert kwargs == {"threaded": True, "use_reloader": False, "use_debugger": False, "use_evalex": False}
    app = wrapped.app
    assert app.config["MODEL_DIR"] == service_config["MODEL_DIR"] and app.debug is False
    assert app.extensions["stance"].require().classifier.info.name
