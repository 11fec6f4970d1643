"""Plugin loading: built-in, entry-point and folder plugins, and how broken ones are reported."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import pytest

from stance.errors import PluginError
from stance.fitting import DEFAULT_EXTRACTORS, resolve_extractors
from stance.plugins import get_registry, list_plugins, load_plugins, plugin_errors, reset_plugins

GOOD_PLUGIN = '''
"""A folder plugin counting question marks."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from stance.hookspecs import hookimpl

__version__ = "2.1"


class QuestionCounter(TransformerMixin, BaseEstimator):
    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, texts, y=None):
        self.fitted_ = True
        return self

    def transform(self, texts):
        return np.array([[text.count("?") * self.scale] for text in texts])

    def get_feature_names_out(self, input_features=None):
        return np.array(["questions"], dtype=object)


@hookimpl
def register_extractors(register):
    register("questions", QuestionCounter, version="2.1", description="question marks")
'''


def write_plugin(folder, name: str, source: str):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return folder


def error_messages() -> str:
    return "\n".join(str(error) for error in plugin_errors())


def test_built_in_extractors_are_registered_as_plugins(isolated_plugins):
    registry = get_registry()
    assert registry.names() == list(DEFAULT_EXTRACTORS)
    assert {spec.source for spec in registry} == {"builtin"}
    assert plugin_errors() == []


def test_plugin_listing_names_source_version_extractors_and_hooks(isolated_plugins):
    listing = {entry["name"]: entry for entry in list_plugins()}
    lexicon = listing["stance.default_plugins.lexicon"]
    assert lexicon["source"] == "builtin"
    assert lexicon["extractors"] == ["lexicon"]
    assert lexicon["hooks"] == ["register_extractors"]
    assert lexicon["version"]


def test_folder_plugin_loads_under_a_stable_module_name(isolated_plugins, tmp_path):
    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    load_plugins(folder)
    spec = get_registry().get("questions")
    assert (spec.plugin, spec.source, spec.version) == ("questions", "folder", "2.1")
    assert type(spec.create()).__module__ == "stance_plugins.questions"
    assert {"name": "questions", "source": "folder", "version": "2.1", "extractors": ["questions"],
            "hooks": ["register_extractors"]} in list_plugins()


def test_folder_plugin_extractor_unpickles_in_a_new_process(isolated_plugins, tmp_path):
    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    extractor = get_registry(folder).get("questions").create().fit(["Really?"])
    artifact = tmp_path / "extractor.pkl"
    artifact.write_bytes(pickle.dumps(extractor))
    script = (
        "import pickle, sys\n"
        "from stance.plugins import load_plugins\n"
        "load_plugins(sys.argv[1])\n"
        "extractor = pickle.loads(open(sys.argv[2], 'rb').read())\n"
        "print(extractor.transform(['Why? How?'])[0][0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(artifact)],
        capture_output=True, text=True, check=True, env={"STANCE_PLUGINS": "", "PATH": ""},
    )
    assert done.stdout.strip() == "2.0"


def test_broken_folder_plugin_is_reported_by_name_while_others_load(isolated_plugins, tmp_path):
    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    write_plugin(folder, "broken", "import not_a_module_anywhere\n")
    with pytest.warns(UserWarning, match="broken"):
        load_plugins(folder)
    assert "questions" in get_registry()
    assert "folder plugin 'broken'" in error_messages()
    assert "ModuleNotFoundError" in error_messages()
    with pytest.raises(PluginError, match="broken"):
        load_plugins(folder, strict=True)


def test_misspelled_hook_implementation_fails_loudly(isolated_plugins, tmp_path):
    source = GOOD_PLUGIN.replace("def register_extractors(", "def register_extractor(")
    folder = write_plugin(tmp_path / "plugins", "typo", source)
    with pytest.warns(UserWarning, match="register_extractor"):
        load_plugins(folder)
    assert "folder plugin 'typo'" in error_messages()
    assert "unknown hook(s) register_extractor" in error_messages()
    with pytest.raises(PluginError, match="typo"):
        load_plugins(folder, strict=True)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('raise RuntimeError("no config")', "raised in register_extractors: RuntimeError: no config"),
        ('register("lexicon", QuestionCounter, version="1")', "already registered by built-in plugin"),
        ('register("odd", lambda: object(), version="1")', "is not a scikit-learn transformer"),
        ('register("failing", lambda: 1 / 0, version="1")', "the factory of extractor 'failing' raised ZeroDivisionError"),
        ('register("a__b", QuestionCounter, version="1")', "contains '__'"),
    ],
)
def test_bad_registrations_name_the_plugin(isolated_plugins, tmp_path, body, problem):
    source = GOOD_PLUGIN.replace('register("questions", QuestionCounter, version="2.1", description="question marks")', body)
    folder = write_plugin(tmp_path / "plugins", "bad", source)
    with pytest.warns(UserWarning):
        load_plugins(folder)
    assert "folder plugin 'bad'" in error_messages()
    assert problem in error_messages()
    assert get_registry().names() == list(DEFAULT_EXTRACTORS)


def test_unknown_extractor_lists_the_known_ones(isolated_plugins):
    with pytest.raises(PluginError, match="unknown extractor 'nope'; known extractors: word_tfidf, char_tfidf, lexicon"):
        resolve_extractors(["nope"])


def test_missing_plugins_folder_is_an_error(isolated_plugins, tmp_path):
    with pytest.raises(PluginError, match="does not exist"):
        load_plugins(tmp_path / "absent")


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A distribution ``stance-questions`` with a ``stance`` entry point, importable from ``tmp_path``."""
    (tmp_path / "stance_questions.py").write_text(textwrap.dedent(GOOD_PLUGIN), encoding="utf-8")
    info = tmp_path / "stance_questions-2.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stance-questions\nVersion: 2.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[stance]\nquestions = stance_questions\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    sys.modules.pop("stance_questions", None)


@pytest.mark.parametrize(("selection", "loaded"), [(None, True), ("", False), ("stance-questions", True), ("questions", True)])
def test_stance_plugins_chooses_installed_plugins(isolated_plugins, installed_plugin, monkeypatch, selection, loaded):
    if selection is None:
        monkeypatch.delenv("STANCE_PLUGINS")
    else:
        monkeypatch.setenv("STANCE_PLUGINS", selection)
    reset_plugins()
    assert ("questions" in get_registry()) is loaded
    if loaded:
        spec = get_registry().get("questions")
        assert (spec.plugin, spec.source) == ("questions", "entrypoint")


def test_stance_plugins_naming_an_absent_plugin_is_reported(isolated_plugins, monkeypatch):
    monkeypatch.setenv("STANCE_PLUGINS", "stance-nothing")
    reset_plugins()
    with pytest.warns(UserWarning), pytest.raises(PluginError, match="STANCE_PLUGINS names 'stance-nothing'"):
        load_plugins(strict=True)
