"""The analysts' page as the Flask app serves it: the page, its files, their
size, and that nothing in them points at another host. ``client`` is the
service's test client (tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

from stance.labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from stance.service import create_app

STATIC = Path(__file__).resolve().parent.parent / "stance" / "web" / "static"
PAGE_BUDGET_BYTES = 100_000
JAVASCRIPT_TYPES = {"text/javascript", "application/javascript"}

_LINKED_FILE = re.compile(r'(?:href|src)="(/web/static/[^"]+)"')
_JS_IMPORT = re.compile(r'^import .* from "\./([\w.-]+\.js)";$', re.MULTILINE)
_ANY_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'`)]*", re.IGNORECASE)


def served_files(client) -> dict[str, bytes]:
    """The page and every file it loads, by URL path: linked from the HTML,
    then imported by the scripts, transitively."""
    page = client.get("/")
    files = {"/": page.data}
    pending = _LINKED_FILE.findall(page.get_data(as_text=True))
    while pending:
        path = pending.pop()
        if path in files:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        files[path] = response.data
        if path.endswith(".js"):
            pending += [f"/web/static/{name}" for name in _JS_IMPORT.findall(response.get_data(as_text=True))]
    return files


def test_page_is_served_with_its_controls(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for control in ('<label for="article-text">', '<label for="article-file">', '<label for="filter">',
                    'id="classify-button"', 'role="alert"', 'role="status"', "<main", "<header", "<footer"):
        assert control in html


def test_page_carries_the_codebook_vocabulary(client):
    html = client.get("/").get_data(as_text=True)

    assert f'data-targets="{" ".join(TARGETS)}"' in html
    assert f'data-stance-labels="{" ".join(STANCE_LABELS)}"' in html
    assert f'data-rhetoric-tags="{" ".join(RHETORIC_TAGS)}"' in html
    assert 'data-max-bytes="1000000"' in html


def test_page_forbids_other_hosts_and_inline_code(client):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_static_files_are_served_with_their_types(client):
    assert client.get("/web/static/app.css").mimetype == "text/css"
    assert client.get("/web/static/app.js").mimetype in JAVASCRIPT_TYPES


def test_every_static_file_is_used_by_the_page(client):
    reached = {path.removeprefix("/web/static/") for path in served_files(client) if path != "/"}

    assert reached == {path.name for path in STATIC.iterdir()}


def test_nothing_refers_to_another_host(client):
    for path, body in served_files(client).items():
        urls = _ANY_URL.findall(body.decode("utf-8"))
        assert urls == [], f"{path} refers to {urls}"


def test_page_and_its_files_weigh_under_the_budget(client):
    total = sum(len(body) for body in served_files(client).values())

    assert total < PAGE_BUDGET_BYTES


def test_page_is_served_while_the_model_is_not_ready(service_config, tmp_path):
    config = {**service_config, "LOAD_MODEL": "background", "MODEL_DIR": str(tmp_path / "no-model")}
    client = create_app(config).test_client()

    assert client.get("/").status_code == 200
    response = client.post("/v1/classify", json={"text": "The CSTO is effective."})

    assert response.status_code == 503
    assert set(response.get_json()["error"]) >= {"code", "message"}
