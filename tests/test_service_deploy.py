"""The deployment files (Docker cannot run here, so they are read, not run) and
the gunicorn settings module."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

from stance.service.config import APP_SETTINGS, ENV_PREFIX, SERVER_SETTINGS, ConfigError

ROOT = Path(__file__).resolve().parent.parent
KNOWN_VARIABLES = {ENV_PREFIX + setting.name for setting in APP_SETTINGS + SERVER_SETTINGS}


@pytest.fixture
def compose_service() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["stance"]


def dockerfile_instruction(name: str) -> str:
    """The (last) instruction ``name`` of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    values = re.findall(rf"^{name}\s+(.*)$", text, re.MULTILINE)
    assert values, f"Dockerfile has no {name}"
    return values[-1]


def dockerfile_text() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")


def test_compose_builds_runs_gunicorn_and_mounts_only_plugins_read_only(compose_service):
    assert compose_service["build"] == "."
    command = compose_service["command"]
    assert command[0] == "gunicorn"
    assert "python:stance.service.gunicorn_conf" in command and command[-1] == "stance.service:create_app()"
    assert compose_service["volumes"] == ["./plugins:/app/plugins:ro"]  # no models volume: the image has its model
    assert compose_service["read_only"] is True
    assert "ports" not in compose_service, "only the proxy is published"
    assert compose_service["expose"] == ["8000"]


def test_compose_settings_are_known_stance_variables(compose_service):
    environment = compose_service["environment"]
    assert set(environment) <= KNOWN_VARIABLES
    assert environment["STANCE_BIND"] == "0.0.0.0:8000"
    assert environment["STANCE_PLUGINS_DIR"] == "/app/plugins"
    assert environment["STANCE_MODEL_DIR"] == "${STANCE_MODEL_DIR:-/opt/stance/models/default}"


def test_compose_healthcheck_waits_for_the_model(compose_service):
    healthcheck = compose_service["healthcheck"]
    assert healthcheck["test"][0] == "CMD"
    assert "http://127.0.0.1:8000/readyz" in " ".join(healthcheck["test"])
    assert {"interval", "timeout", "retries", "start_period"} <= set(healthcheck)


def test_dockerfile_builds_the_default_model_into_the_image_before_dropping_root(compose_service):
    text = dockerfile_text()
    assert dockerfile_instruction("FROM") == "python:3.11-slim"
    assert 'pip install ".[serve]"' in text and "pip install -e" not in text
    # the packaged data links to seeds/ and heldout/, which must be in place before the install
    assert text.index("COPY seeds") < text.index('pip install ".[serve]"')
    assert text.index("COPY heldout") < text.index('pip install ".[serve]"')
    model_dir = compose_service["environment"]["STANCE_MODEL_DIR"].split(":-")[1].rstrip("}")
    build = re.search(r"^RUN stance train --output (\S+)", text, re.MULTILINE)
    assert build and build.group(1) == model_dir
    assert "--cv" not in build.group(0)
    assert f"STANCE_MODEL_DIR={model_dir}" in text
    assert text.index("RUN stance train") < text.index("\nUSER ")
    assert dockerfile_instruction("USER") not in ("root", "0")
    assert json.loads(dockerfile_instruction("CMD")) == compose_service["command"]
    healthcheck = dockerfile_instruction("HEALTHCHECK")
    assert "/readyz" in healthcheck
    assert int(re.search(r"--start-period=(\d+)s", healthcheck).group(1)) >= 10
    assert dockerfile_instruction("EXPOSE") == "8000"


def test_dockerfile_variables_are_known():
    variables = set(re.findall(r"\b(STANCE_[A-Z_]+)=", dockerfile_text()))
    assert variables and variables <= KNOWN_VARIABLES | {"STANCE_HOME", "STANCE_CACHE_DIR"}


def load_gunicorn_settings(monkeypatch, **environment):
    for setting in APP_SETTINGS + SERVER_SETTINGS:
        monkeypatch.delenv(ENV_PREFIX + setting.name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import stance.service.gunicorn_conf as module

    return importlib.reload(module)


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    defaults = load_gunicorn_settings(monkeypatch)
    assert (defaults.bind, defaults.workers, defaults.threads, defaults.preload_app) == ("127.0.0.1:8000", 2, 4, True)
    assert defaults.worker_class == "stance.service.worker.HealthAwareThreadWorker"
    assert (defaults.max_requests, defaults.max_requests_jitter) == (1000, 100)
    custom = load_gunicorn_settings(monkeypatch, STANCE_BIND="0.0.0.0:9000", STANCE_WORKERS="4",
                                    STANCE_THREADS="2", STANCE_TIMEOUT="60", STANCE_PRELOAD="false")
    assert (custom.bind, custom.workers, custom.threads, custom.timeout, custom.preload_app) == (
        "0.0.0.0:9000", 4, 2, 60, False)


def test_gunicorn_refuses_preload_with_background_loading(monkeypatch):
    with pytest.raises(ConfigError, match="STANCE_PRELOAD"):
        load_gunicorn_settings(monkeypatch, STANCE_PRELOAD="1", STANCE_LOAD_MODEL="background")
    assert load_gunicorn_settings(monkeypatch, STANCE_LOAD_MODEL="background").preload_app is False


def test_gunicorn_master_builds_a_missing_default_model_once(monkeypatch, tmp_path, isolated_plugins):
    import stance.default_model

    model_dir = tmp_path / "default"
    monkeypatch.setenv("STANCE_MODEL_DIR", "")
    monkeypatch.setattr(stance.default_model, "default_model_dir", lambda: model_dir)
    monkeypatch.setattr(stance.default_model, "TRAINING_DATA", ROOT / "tests" / "data" / "tiny_labels.jsonl")
    conf = load_gunicorn_settings(monkeypatch, STANCE_PLUGINS_DIR="")
    conf.on_starting(server=None)
    assert (model_dir / "card.json").is_file()
    built = (model_dir / "card.json").stat().st_mtime_ns
    conf.on_starting(server=None)
    assert (model_dir / "card.json").stat().st_mtime_ns == built


# ---- the proxy in front (deploy/nginx.conf) ----------------------------------------


def nginx_directives() -> dict[str, list[str]]:
    """Each directive of deploy/nginx.conf (comments and JSON bodies aside) -> its values, in order."""
    text = re.sub(r"#[^\n]*", "", (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8"))
    directives: dict[str, list[str]] = {}
    for statement in re.findall(r"([a-z_]+)\s+((?:'[^']*'|[^;{}'])*);", text):
        name, value = statement
        directives.setdefault(name, []).append(" ".join(value.split()))
    return directives


def test_compose_puts_nginx_in_front_with_the_repository_config():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    proxy = compose["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert any(port.endswith(":8000") for port in proxy["ports"])
    assert "stance" in proxy["depends_on"]
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert text.count("{") == text.count("}")


def test_nginx_buffers_whole_requests_with_time_and_size_limits():
    directives = nginx_directives()
    assert directives["proxy_pass"] == ["http://stance"]
    assert "stance:8000" in directives["server"]
    assert directives["proxy_request_buffering"] == ["on"]
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout", "proxy_read_timeout"):
        (value,) = directives[name]
        assert value.endswith("s") and int(value[:-1]) <= 60, name
    (body_limit,) = directives["client_max_body_size"]
    max_bytes = next(setting.default for setting in APP_SETTINGS if setting.name == "MAX_BYTES")
    assert max_bytes < int(body_limit.rstrip("k")) * 1024 < 2 * max_bytes
    (read_timeout,) = directives["proxy_read_timeout"]
    deadline = next(setting.default for setting in APP_SETTINGS if setting.name == "DEADLINE")
    assert int(read_timeout[:-1]) > deadline
    assert directives["limit_conn"] and directives["limit_req"]


def test_nginx_answers_its_own_errors_as_json_in_the_service_shape():
    directives = nginx_directives()
    pages = {code for value in directives["error_page"] for code in value.split()[:-2]}
    assert {"413", "429", "502", "503", "504"} <= pages
    bodies = [value.split(" ", 1)[1] for value in directives["return"]]
    assert len(bodies) == 4
    for body in bodies:
        payload = json.loads(body.strip("'").replace("$request_id", "r"))
        assert set(payload["error"]) == {"code", "message", "request_id"}
    assert directives["default_type"] == ["application/json"] * 4


def test_the_embedding_cache_is_writable_in_the_read_only_container(compose_service):
    """The container user has no home directory and a read-only root: the
    encoder's disk cache must point at the tmpfs, or every request fails."""
    cache = re.search(r"\bSTANCE_CACHE_DIR=(\S+)", dockerfile_text()).group(1)
    assert any(cache == mount or cache.startswith(mount.rstrip("/") + "/") for mount in compose_service["tmpfs"])
