"""Install anywhere: ``pip install .`` (not editable) from a copy of the
checkout into a fresh virtual environment, then, from another directory,
classify a seed article with the default model, built on first use from the
packaged data into ``STANCE_HOME``; and install the third-party plugin package
beside it, its dependency ``csto-stance`` resolved without any index.

The fresh environment reuses this one's installed dependencies through a
``.pth`` line (this environment's own ``stance`` is not visible there: ``.pth``
files of an added directory are not processed), so nothing is downloaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv

import pytest

from conftest import ROOT

SEED = ROOT / "seeds" / "003_26dae961d9fa5e46.txt"
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "models", "__pycache__",
                                     ".pytest_cache", ".hypothesis", "tests", "bench")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with ``csto-stance`` installed from a copy of the checkout; its ``bin`` folder."""
    work = tmp_path_factory.mktemp("install")
    source = shutil.copytree(ROOT, work / "clone", symlinks=True, ignore=NOT_SHIPPED)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(site, "_reuse_test_env.pth"), "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--disable-pip-version-check",
           "--no-index", "--no-build-isolation"]
    done = subprocess.run([*pip, "--no-deps", str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return env_dir / "bin", pip, work


def clean_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCE_")}
    env.pop("PYTHONPATH", None)
    env.update(STANCE_PLUGINS="", **extra)
    return env


def test_an_installed_stance_classifies_a_seed_article_from_another_directory(installed, tmp_path):
    bin_dir, _, work = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = tmp_path / "home"
    version = subprocess.run([bin_dir / "stance", "--version"], capture_output=True, text=True, env=clean_env())
    assert version.returncode == 0 and "0.1.0" in version.stdout
    found = subprocess.run([bin_dir / "python", "-c", "import stance; print(stance.__file__)"],
                           capture_output=True, text=True, cwd=elsewhere, env=clean_env())
    assert str(work / "venv") in found.stdout  # the installed copy, not the checkout
    env = clean_env(STANCE_HOME=str(home))
    first = subprocess.run([bin_dir / "stance", "classify", "--format", "json", str(SEED)],
                           capture_output=True, text=True, cwd=elsewhere, env=env)
    assert first.returncode == 0, first.stderr
    assert "building the default model" in first.stderr and "default model saved" in first.stderr
    assert "Traceback" not in first.stderr
    result = json.loads(first.stdout)
    articles = result if isinstance(result, list) else [result]
    assert sum(not p["boilerplate"] for p in articles[0]["paragraphs"]) >= 5
    card = json.loads((home / "models" / "default" / "card.json").read_text(encoding="utf-8"))
    assert card["training_data"]["paragraphs"] > 500
    again = subprocess.run([bin_dir / "stance", "classify", str(SEED)], capture_output=True, text=True,
                           cwd=elsewhere, env=env)
    assert again.returncode == 0 and "building" not in again.stderr


def test_the_plugin_guides_package_installs_beside_it_with_its_dependency_resolved(installed, tmp_path):
    bin_dir, pip, _ = installed
    source = shutil.copytree(ROOT / "tests" / "thirdparty_plugin", tmp_path / "plugin")
    done = subprocess.run([*pip, str(source)], capture_output=True, text=True)  # with dependencies, no index
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([bin_dir / "stance", "plugins", "--format", "json"], capture_output=True, text=True,
                            cwd=tmp_path, env={**clean_env(), "STANCE_PLUGINS": "stance-figures"})
    assert listed.returncode == 0, listed.stderr
    assert [plugin["name"] for plugin in json.loads(listed.stdout) if plugin["source"] == "entrypoint"] == ["figures"]
