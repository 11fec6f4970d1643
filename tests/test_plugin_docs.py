"""docs/plugins.md against the code: every hook with its exact signature and
arguments, and the minimal plugin and its test, run verbatim."""

from __future__ import annotations

import inspect
import re

import pytest

from conftest import ROOT, TINY_LABELS
from stance import hookspecs
from stance.extractors import ExtractorRegistry, PluginInfo

DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")


def hook_specs() -> dict[str, object]:
    return {name: function for name, function in vars(hookspecs).items() if hasattr(function, "stance_spec")}


def plain_signature(function) -> str:
    """``(a, *, b='')``: the signature as a plugin author writes the call, without annotations."""
    parameters = inspect.signature(function).parameters.values()
    return str(inspect.Signature([p.replace(annotation=inspect.Parameter.empty) for p in parameters]))


def section(heading: str) -> str:
    """The text of ``docs/plugins.md`` from ``heading`` to the next heading of the same level or higher."""
    assert heading + "\n" in DOCS, f"docs/plugins.md has no heading {heading}"
    level = heading.split(" ", 1)[0]
    start = DOCS.index(heading + "\n")
    following = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE).search(DOCS, start + len(heading))
    return DOCS[start : following.start() if following else len(DOCS)]


def fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_there_are_hooks_to_document():
    assert "register_extractors" in hook_specs()


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_is_documented_with_its_signature_and_arguments(name):
    function = hook_specs()[name]
    text = section(f"### `{name}{plain_signature(function)}`")
    for argument in inspect.signature(function).parameters:
        assert re.search(rf"^- `{argument}` \(", text, re.MULTILINE), f"argument {argument} of {name} is not documented"


def test_the_register_callback_is_documented_with_its_signature():
    register = ExtractorRegistry().registrar(PluginInfo("p", "folder", "1", "p.py"))
    text = section("### `register_extractors(register)`")
    assert f"`register{plain_signature(register)}`" in text
    for argument in inspect.signature(register).parameters:
        assert re.search(rf"^  - `{argument}` \(", text, re.MULTILINE), f"register's {argument} is not documented"


def test_the_minimal_plugin_and_its_test_run_verbatim(isolated_plugins, tmp_path, monkeypatch):
    from stance.api import Classifier
    from stance.training import train

    plugin, test = fenced(section("## A minimal plugin"), "python")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "exclamations.py").write_text(plugin, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STANCE_PLUGINS_DIR", "plugins")
    namespace: dict = {}
    exec(compile(test, "test_exclamations.py", "exec"), namespace)
    tests = [function for name, function in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0]()
    card = train(TINY_LABELS, extractors=["lexicon", "exclamations"], output_dir=tmp_path / "model", folds=2)
    assert card["extractors"][1] == {"name": "exclamations", "plugin": "exclamations", "version": "1.0",
                                     "source": "folder", "plugin_version": "1.0"}
    result = Classifier.load(tmp_path / "model").classify_text("The CSTO failed us again!")
    assert result.paragraphs[0].stances["csto"].label in {"favor", "against", "none"}


def test_the_installed_plugin_example_is_the_test_suites_package_and_depends_on_csto_stance():
    import tomllib

    (example,) = fenced(section("## An installed plugin"), "toml")
    package = (ROOT / "tests" / "thirdparty_plugin" / "pyproject.toml").read_text(encoding="utf-8")
    assert tomllib.loads(example) == tomllib.loads(package)
    assert tomllib.loads(example)["build-system"]["build-backend"] == "setuptools.build_meta"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert tomllib.loads(example)["project"]["dependencies"] == [project["name"]]


def test_the_guide_says_when_spans_show_as_a_tags_spans():
    assert "only when the feature is named after the tag" in " ".join(DOCS.split())
