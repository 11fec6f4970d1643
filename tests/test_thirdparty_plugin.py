"""The entry-point path end to end: install ``tests/thirdparty_plugin`` (the
distribution ``stance-figures``) offline with pip into a folder, list it, train
a model with its extractor, classify with that model in a new process, and
refuse the model with a clear message where the plugin is not loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT, TINY_LABELS
from stance.cli import main
from stance.plugins import reset_plugins

PACKAGE = ROOT / "tests" / "thirdparty_plugin"
STANCE = [sys.executable, "-c", "from stance.cli import main; main()"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder with ``stance-figures`` installed in it (from a copy, so the build leaves nothing in ``tests/``)."""
    work = tmp_path_factory.mktemp("thirdparty")
    source = shutil.copytree(PACKAGE, work / "source")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
         "--no-deps", "--no-build-isolation", "--target", str(target), str(source)],
        check=True, capture_output=True, text=True,
    )
    return target


@pytest.fixture
def on_path(site, isolated_plugins, monkeypatch):
    """``site`` importable in this process, ``stance-figures`` chosen by ``STANCE_PLUGINS``."""
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("STANCE_PLUGINS", "stance-figures")
    reset_plugins()
    yield
    sys.modules.pop("stance_figures", None)


def test_an_installed_plugin_lists_trains_classifies_and_reloads(site, on_path, tmp_path, monkeypatch):
    runner = CliRunner()
    listed = runner.invoke(main, ["plugins", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert {"name": "figures", "source": "entrypoint", "version": "0.3.0", "extractors": ["figures"],
            "hooks": ["register_extractors"]} in json.loads(listed.output)

    model = tmp_path / "model"
    trained = runner.invoke(main, ["train", "--data", str(TINY_LABELS), "--extractors", "lexicon,figures",
                                   "--output", str(model)])
    assert trained.exit_code == 0, trained.output
    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    assert card["extractors"][1] == {"name": "figures", "plugin": "figures", "version": "1.0",
                                     "source": "entrypoint", "plugin_version": "0.3.0"}

    article = tmp_path / "article.txt"
    article.write_text("Almost 100% of the decisions were agreed, Zas said.\n\nThe EU mission is spying.\n",
                       encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCE_")}
    path = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    env.update(STANCE_PLUGINS="figures", STANCE_PLUGINS_DIR="", PYTHONPATH=path)
    classified = subprocess.run([*STANCE, "classify", "--model", str(model), "--format", "json", str(article)],
                                cwd=tmp_path, env=env, capture_output=True, text=True)
    assert classified.returncode == 0, classified.stderr
    evidence = [e["extractor"] for p in json.loads(classified.stdout)[0]["paragraphs"]
                for target in p["stances"].values() for e in target["evidence"]]
    assert evidence and set(evidence) <= {"lexicon", "figures"}

    monkeypatch.setenv("STANCE_PLUGINS", "")
    reset_plugins()
    refused = runner.invoke(main, ["classify", "--model", str(model), str(article)])
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        "Error: model 'model' needs extractor 'figures' from entrypoint plugin 'figures' 1.0, which is not "
        "loaded; install it and check STANCE_PLUGINS"
    )
