"""The OpenAPI document is valid, lists exactly the API's routes, and real
requests and responses of every endpoint and every error match its schemas."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from stance.api import Classifier
from stance.service import create_app
from stance.service.openapi import openapi_document

from test_service import BAD_JSON_REQUESTS

SEED_TEXT = (Path(__file__).resolve().parent.parent / "seeds" / "000_3f0b3d69d48b213d.txt").read_text("utf-8")
DOCUMENT = openapi_document()

VALID_REQUESTS = [
    ("/v1/classify", {"text": SEED_TEXT, "id": "seed"}),
    ("/v1/classify", {"text": SEED_TEXT, "options": {"evidence": False}}),
    ("/v1/classify", {"paragraphs": ["The CSTO is effective.", "NATO interferes."], "id": None}),
    ("/v1/classify/batch", {"documents": [{"id": "a", "text": SEED_TEXT}, {"paragraphs": ["The CSTO failed."]}]}),
    ("/v1/classify/batch", {"documents": [{"text": "One."}], "options": {"evidence": True}}),
]


def schema_validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


def response_schema(path: str, method: str, status: int) -> dict:
    """The schema of a response; routing errors (unknown path or method) answer ``Error``."""
    operation = DOCUMENT["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return {"$ref": "#/components/schemas/Error"}
    responses = operation["responses"]
    declared = responses.get(str(status), responses.get("default"))
    assert declared is not None, f"{method} {path} answered undeclared status {status}"
    assert "X-Request-ID" in declared["headers"]
    return declared["content"]["application/json"]["schema"]


def check_response(response, path: str, method: str) -> None:
    assert response.headers["X-Request-ID"]
    assert response.mimetype == "application/json"
    schema_validator(response_schema(path, method, response.status_code)).validate(response.get_json())


def request_schema(path: str, content_type: str = "application/json") -> dict:
    return DOCUMENT["paths"][path]["post"]["requestBody"]["content"][content_type]["schema"]


def test_document_is_valid_openapi(client):
    served = client.get("/openapi.json").get_json()
    assert served == json.loads(json.dumps(DOCUMENT))
    validate(served)


def test_document_lists_exactly_the_api_routes(app):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            routes.setdefault(rule.rule, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    assert routes == {path: set(operations) for path, operations in DOCUMENT["paths"].items()}


@pytest.mark.parametrize(("path", "body"), VALID_REQUESTS)
def test_valid_requests_match_the_request_schema_and_get_a_valid_result(client, path, body):
    schema_validator(request_schema(path)).validate(body)
    response = client.post(path, json=body)
    assert response.status_code == 200
    check_response(response, path, "POST")


@pytest.mark.parametrize(("path", "body", "code"), [case for case in BAD_JSON_REQUESTS if case[2] != "invalid_json"])
def test_requests_the_service_refuses_are_outside_the_request_schema(client, path, body, code):
    assert not schema_validator(request_schema(path)).is_valid(json.loads(body))
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    check_response(response, path, "POST")


def test_plain_text_request_and_its_errors_match(client):
    assert schema_validator(request_schema("/v1/classify", "text/plain")).is_valid(SEED_TEXT)
    check_response(client.post("/v1/classify", data=SEED_TEXT, content_type="text/plain"), "/v1/classify", "POST")
    check_response(client.post("/v1/classify", data=b"\xff\xfe\x00", content_type="text/plain"), "/v1/classify", "POST")


@pytest.mark.parametrize("path", ["/v1/model", "/v1/plugins", "/healthz", "/readyz", "/openapi.json"])
def test_get_endpoints_match(client, path):
    response = client.get(path)
    assert response.status_code == 200
    check_response(response, path, "GET")


def test_limit_and_content_type_errors_match(service_config):
    client = create_app({**service_config, "MAX_BYTES": 2000, "MAX_PARAGRAPHS": 2, "MAX_DOCUMENTS": 1}).test_client()
    cases = [
        ("/v1/classify", {"data": "x" * 2001, "content_type": "text/plain"}, 413),
        ("/v1/classify", {"json": {"paragraphs": ["a", "b", "c"]}}, 413),
        ("/v1/classify/batch", {"json": {"documents": [{"text": "a"}, {"text": "b"}]}}, 413),
        ("/v1/classify", {"data": "a=b", "content_type": "application/x-www-form-urlencoded"}, 415),
        ("/v1/classify/batch", {"data": "text", "content_type": "text/plain"}, 415),
    ]
    for path, kwargs, status in cases:
        response = client.post(path, **kwargs)
        assert response.status_code == status
        check_response(response, path, "POST")


def test_routing_errors_match(client):
    for method, path, status in [("GET", "/v1/nothing", 404), ("GET", "/v1/classify", 405),
                                 ("DELETE", "/v1/model", 405)]:
        response = client.open(path, method=method)
        assert response.status_code == status
        check_response(response, path, method)


def test_internal_error_matches(client, monkeypatch):
    monkeypatch.setattr(Classifier, "classify_paragraphs", lambda self, paragraphs, *, id=None: None.boom)
    response = client.post("/v1/classify", json={"paragraphs": ["a"]})
    assert response.status_code == 500
    check_response(response, "/v1/classify", "POST")


def test_not_ready_errors_match(service_config, monkeypatch):
    gate = threading.Event()
    real_load = Classifier.load.__func__
    monkeypatch.setattr(Classifier, "load", classmethod(lambda cls, *a, **k: gate.wait(30) and real_load(cls, *a, **k)))
    client = create_app({**service_config, "LOAD_MODEL": "background"}).test_client()
    try:
        for method, path, kwargs in [("POST", "/v1/classify", {"json": {"text": "a"}}),
                                     ("POST", "/v1/classify/batch", {"json": {"documents": [{"text": "a"}]}}),
                                     ("GET", "/v1/model", {}), ("GET", "/v1/plugins", {}), ("GET", "/readyz", {})]:
            response = client.open(path, method=method, **kwargs)
            assert response.status_code == 503
            check_response(response, path, method)
        check_response(client.get("/healthz"), "/healthz", "GET")
    finally:
        gate.set()
    deadline = time.monotonic() + 30
    while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.02)
