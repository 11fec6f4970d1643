"""Shared fixtures. Each section belongs to one part of the project; append, don't reorder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"


# ---- the text encoder's embedding cache -------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def embedding_cache_dir(tmp_path_factory):
    """The embedding cache the tests use: ``STANCE_CACHE_DIR`` when set (a
    developer's warm cache), else a directory of the session, never the user's."""
    import os

    configured = os.environ.get("STANCE_CACHE_DIR")
    if configured:
        yield Path(configured)
        return
    directory = tmp_path_factory.mktemp("embedding-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_CACHE_DIR", str(directory))
        yield directory


# ---- the HTTP service (stance.service) ----------------------------------------


@pytest.fixture
def service_config(tiny_model_dir, isolated_plugins, tmp_path, monkeypatch):
    """Settings for ``create_app``: the tiny model, only the built-in plugins
    (an empty plugins folder), no ``STANCE_*`` service variables from the environment."""
    from stance.service.config import APP_SETTINGS, ENV_PREFIX

    for setting in APP_SETTINGS:
        monkeypatch.delenv(ENV_PREFIX + setting.name, raising=False)
    plugins_dir = tmp_path / "no-plugins"
    plugins_dir.mkdir()
    return {"TESTING": True, "MODEL_DIR": str(tiny_model_dir), "PLUGINS_DIR": str(plugins_dir)}


@pytest.fixture
def app(service_config):
    """The service with its model loaded."""
    from stance.service import create_app

    return create_app(service_config)


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


# ---- the command line (stance.cli) ----------------------------------------------


@pytest.fixture(scope="session")
def small_labels(tmp_path_factory) -> Path:
    """A small labeled file: the seed articles and every other written document
    of ``seeds/labels.jsonl``, whole documents so that grouped folds still work."""
    import json

    lines = (SEEDS_DIR / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    records = [(line, json.loads(line)) for line in lines if line.strip()]
    written_docs = sorted({r["doc"] for _, r in records if r["source"] == "written"})
    kept = [line for line, r in records if r["source"] == "seed" or r["doc"] in written_docs[::2]]
    path = tmp_path_factory.mktemp("cli-data") / "small.jsonl"
    path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    return path


CLI_EXTRACTORS = ("word_tfidf", "lexicon")
"""Extractors of the command-line tests' models: quick to fit (character n-grams are slow)."""


@pytest.fixture(scope="session")
def cli_model_dir(small_labels, tmp_path_factory) -> Path:
    """A model trained once per test session on ``small_labels`` with ``CLI_EXTRACTORS``."""
    from stance.training import train

    output = tmp_path_factory.mktemp("cli-model") / "model"
    train(small_labels, extractors=list(CLI_EXTRACTORS), output_dir=output)
    return output


# ---- plugins, extractors, model, persistence, evaluation --------------------------

TINY_LABELS = ROOT / "tests" / "data" / "tiny_labels.jsonl"
"""36 hand-written content paragraphs in 9 documents (English and Russian) and 2 boilerplate lines."""


@pytest.fixture
def isolated_plugins(monkeypatch):
    """Only the built-in plugins: no installed ones (``STANCE_PLUGINS=""``), no
    plugins folder (``STANCE_PLUGINS_DIR=""``), loaded afresh before and after."""
    from stance.plugins import reset_plugins

    monkeypatch.setenv("STANCE_PLUGINS", "")
    monkeypatch.setenv("STANCE_PLUGINS_DIR", "")
    reset_plugins()
    yield
    reset_plugins()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A model trained once per test session on ``TINY_LABELS`` with the fast profile's extractors."""
    from stance.plugins import reset_plugins
    from stance.training import train

    output = tmp_path_factory.mktemp("tiny-model") / "model"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_PLUGINS", "")
        patch.setenv("STANCE_PLUGINS_DIR", "")
        reset_plugins()
        train(TINY_LABELS, output_dir=output, folds=3, profile="fast")
        reset_plugins()
    return output


@pytest.fixture
def tiny_classifier(tiny_model_dir, isolated_plugins):
    """The ``tiny_model_dir`` model, loaded."""
    from stance.api import Classifier

    return Classifier.load(tiny_model_dir)


# ---- plugin author's kit: example plugins, docs, a third-party package ------------

EXAMPLE_PLUGINS = ROOT / "plugins"
"""The example folder plugins (``hedging``, ``quotation``)."""


@pytest.fixture
def example_plugins(isolated_plugins):
    """The built-in plugins and the example folder plugins, loaded afresh; returns their folder."""
    from stance.plugins import load_plugins

    load_plugins(EXAMPLE_PLUGINS, strict=True)
    return EXAMPLE_PLUGINS


# ---- damaging a model on purpose (persistence and trust tests) --------------------


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path, isolated_plugins):
    """A copy of the tiny model that a test may damage."""
    import shutil

    return shutil.copytree(tiny_model_dir, tmp_path / "model")


def edit_card(model_dir, change):
    """Apply ``change`` to the model directory's card.json in place."""
    import json

    from stance.persistence import CARD_JSON

    card = json.loads((model_dir / CARD_JSON).read_text(encoding="utf-8"))
    change(card)
    (model_dir / CARD_JSON).write_text(json.dumps(card), encoding="utf-8")


def reseal(model_dir):
    """Make the card match the artifact again (its SHA-256 and the version derived from it), as a forger would."""
    from stance.persistence import MODEL_FILE, file_sha256, model_version

    digest = file_sha256(model_dir / MODEL_FILE)
    edit_card(model_dir, lambda card: card.update(
        version=model_version(card["created"], digest), model_file={**card["model_file"], "sha256": digest}))
