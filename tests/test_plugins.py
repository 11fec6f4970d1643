"""Plugin loading: built-in, entry-point and folder plugins, and how broken ones are reported."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import TINY_LABELS
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


# ---- broken plugins through the command line and the service ------------------------

BROKEN = {
    "import": ("import not_a_module_anywhere\n", "failed to import: ModuleNotFoundError"),
    "hook": (GOOD_PLUGIN.replace('register("questions"', 'raise RuntimeError("no config")\n    register("questions"'),
             "raised in register_extractors: RuntimeError: no config"),
    "duplicate": (GOOD_PLUGIN.replace('register("questions"', 'register("lexicon"'),
                  "extractor 'lexicon' is already registered by built-in plugin"),
    "nottransformer": (GOOD_PLUGIN.replace("QuestionCounter, version", "lambda: object(), version"),
                       "extractor 'questions' is not a scikit-learn transformer (object lacks fit"),
    "exits": ("import sys\nsys.exit(3)\n", "failed to import: it called sys.exit(3)"),
    "exitsinhook": (GOOD_PLUGIN.replace('register("questions"', 'raise SystemExit(2)\n    register("questions"'),
                    "raised in register_extractors: it called sys.exit(2)"),
    "unmarked": (GOOD_PLUGIN.replace("@hookimpl\n", ""),
                 "defines register_extractors without @hookimpl, so it would never be called"),
}
"""A broken folder plugin per kind of breakage: its source and what the message says."""

WRONG_ROWS = GOOD_PLUGIN.replace(
    'return np.array([[text.count("?") * self.scale] for text in texts])', "return np.zeros((1, 1))"
).replace('"questions"', '"rows"')


@pytest.fixture
def cli():
    from click.testing import CliRunner

    from stance.cli import main

    runner = CliRunner()
    return lambda *args: runner.invoke(main, [str(arg) for arg in args])


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_plugins_command_names_a_broken_plugin_and_lists_the_others(isolated_plugins, tmp_path, cli, kind):
    source, problem = BROKEN[kind]
    folder = write_plugin(tmp_path / "plugins", kind, source)
    write_plugin(folder, "zgood", GOOD_PLUGIN.replace('"questions"', '"good"'))
    result = cli("plugins", "--plugins-dir", folder)
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert rows["zgood"] == ["folder", "2.1", "good"]
    assert rows.get(kind, ["-"])[-1] == "-"
    loading, warning = result.stderr.splitlines()[:2]
    assert loading == f"stance: loading plugins from {folder.resolve()}"
    assert warning.startswith(f"Warning: folder plugin '{kind}' (")
    assert problem in result.stderr


def test_plugins_command_prints_a_table_by_default_and_json_on_request(isolated_plugins, cli):
    table = cli("plugins").stdout.splitlines()
    assert table[0].split() == ["plugin", "source", "version", "extractors"]
    assert table[3].split() == ["stance.default_plugins.lexicon", "built-in", "0.1.0", "lexicon"]
    listing = json.loads(cli("plugins", "--format", "json").stdout)
    assert [entry["extractors"] for entry in listing] == [["word_tfidf"], ["char_tfidf"], ["lexicon"], ["encoder"]]


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_the_service_refuses_to_start_with_the_message(service_config, tmp_path, kind):
    from stance.service import create_app

    source, problem = BROKEN[kind]
    folder = write_plugin(tmp_path / "plugins", kind, source)
    with pytest.warns(UserWarning), pytest.raises(PluginError, match=re.escape(problem)) as raised:
        create_app({**service_config, "PLUGINS_DIR": str(folder)})
    assert f"folder plugin '{kind}'" in str(raised.value)


def test_training_with_an_extractor_returning_wrong_rows_names_it_and_others_still_train(
    isolated_plugins, tmp_path, cli
):
    folder = write_plugin(tmp_path / "plugins", "rows", WRONG_ROWS)
    failed = cli("train", "--data", TINY_LABELS, "--extractors", "lexicon,rows", "--plugins-dir", folder,
                 "--output", tmp_path / "model")
    assert failed.exit_code == 1
    message = r"Error: extractor 'rows' of plugin 'rows' returned 1 rows for \d+ paragraphs"
    assert f"stance: loading plugins from {folder.resolve()}" in failed.stderr.splitlines()
    errors = [line for line in failed.output.splitlines() if not line.startswith("stance: ")]  # stages
    assert len(errors) == 1 and re.fullmatch(message, errors[0])
    assert not (tmp_path / "model").exists()
    trained = cli("train", "--data", TINY_LABELS, "--extractors", "lexicon", "--plugins-dir", folder,
                  "--output", tmp_path / "model")
    assert trained.exit_code == 0, trained.output


def test_train_with_an_unknown_extractor_is_a_one_line_error_listing_the_known(example_plugins, cli):
    result = cli("train", "--data", TINY_LABELS, "--extractors", "lexicon,hedgin", "--plugins-dir", example_plugins)
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown extractor 'hedgin'; known extractors: word_tfidf, char_tfidf, lexicon, encoder, hedging, quotation\n"
    )


def test_a_model_warns_what_changed_in_its_folder_plugin_and_names_a_missing_one(isolated_plugins, tmp_path):
    from stance.persistence import load_model
    from stance.training import train

    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    card = train(TINY_LABELS, extractors=["lexicon", "questions"], output_dir=tmp_path / "model", plugins_dir=folder,
                 folds=2)
    assert card["extractors"][1] == {"name": "questions", "plugin": "questions", "version": "2.1",
                                     "source": "folder", "plugin_version": "2.1"}
    write_plugin(folder, "questions", GOOD_PLUGIN.replace('__version__ = "2.1"', '__version__ = "2.2"'))
    reset_plugins()
    with pytest.warns(UserWarning, match=r"'questions' 2\.1 from plugin 'questions' 2\.1, now provided as 2\.1 by "
                                         r"plugin 'questions' 2\.2 \(plugin version changed\)"):
        load_model(tmp_path / "model", plugins_dir=folder)
    reset_plugins()
    with pytest.raises(PluginError, match="needs extractor 'questions' from folder plugin 'questions'.*--plugins-dir"):
        load_model(tmp_path / "model")


def test_the_default_folder_is_not_added_once_plugins_are_loaded(isolated_plugins, tmp_path, monkeypatch):
    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    empty = tmp_path / "empty"
    empty.mkdir()
    load_plugins(empty)
    monkeypatch.setenv("STANCE_PLUGINS_DIR", str(folder))
    assert [entry["name"] for entry in list_plugins()][-1] == "stance.default_plugins.encoder"
    assert "questions" not in get_registry()


MARKING_PLUGIN = """
from pathlib import Path
Path(__file__).with_name("ran.txt").write_text("imported")
"""


def test_a_plugins_folder_in_the_working_directory_is_never_loaded_unnamed(isolated_plugins, tmp_path, monkeypatch,
                                                                            cli):
    folder = write_plugin(tmp_path / "plugins", "questions", GOOD_PLUGIN)
    write_plugin(folder, "marker", MARKING_PLUGIN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STANCE_PLUGINS_DIR")
    result = cli("plugins")
    assert result.exit_code == 0
    assert "questions" not in result.stdout and "loading plugins" not in result.stderr
    assert not (folder / "ran.txt").exists()
    reset_plugins()
    named = cli("plugins", "--plugins-dir", "plugins")
    assert "questions" in named.stdout
    assert f"stance: loading plugins from {folder.resolve()}" in named.stderr
    assert (folder / "ran.txt").read_text() == "imported"


def test_a_plugin_calling_sys_exit_leaves_the_command_alive_and_reported(isolated_plugins, tmp_path):
    folder = write_plugin(tmp_path / "plugins", "quitter", "import sys\nsys.exit(3)\n")
    write_plugin(folder, "questions", GOOD_PLUGIN)
    command = [sys.executable, "-c", "from stance.cli import main; main()", "plugins", "--plugins-dir", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "STANCE_PLUGINS": ""})
    assert done.returncode == 0, done.stderr
    assert "questions" in done.stdout
    assert "folder plugin 'quitter'" in done.stderr and "it called sys.exit(3)" in done.stderr


NAN_PLUGIN = GOOD_PLUGIN.replace(
    'return np.array([[text.count("?") * self.scale] for text in texts])',
    'return np.array([[np.nan if "?" in text else 1.0] for text in texts])',
).replace('"questions"', '"nans"')


def test_training_with_an_extractor_returning_nan_is_a_one_line_error_naming_it(isolated_plugins, tmp_path, cli):
    folder = write_plugin(tmp_path / "plugins", "nans", NAN_PLUGIN)
    failed = cli("train", "--data", TINY_LABELS, "--extractors", "lexicon,nans", "--plugins-dir", folder,
                 "--output", tmp_path / "model")
    assert failed.exit_code == 1
    last = failed.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"Error: extractor 'nans' of plugin 'nans' returned NaN or infinite values for \d+ of \d+ "
                        r"paragraphs; features must be finite numbers", last), failed.stderr
    assert "Traceback" not in failed.output


def test_the_contract_check_refuses_non_finite_features(isolated_plugins, tmp_path):
    from stance.contract import check_extractor

    load_plugins(write_plugin(tmp_path / "plugins", "nans", NAN_PLUGIN))
    with pytest.raises(AssertionError, match="NaN or infinite"):
        check_extractor(get_registry().get("nans").create(), ["Is it?", "It is."])
