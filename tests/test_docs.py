"""The docs against the code: every command and option the README shows exists,
every ``STANCE_`` variable the docs name is read by the code and every one the
code reads is documented, the codebook is in the repository, and the default
model's committed evaluation report is not stale."""

from __future__ import annotations

import hashlib
import json
import re

import click
import pytest

from conftest import ROOT
from stance import default_model
from stance.cli import main
from stance.fitting import DEFAULT_EXTRACTORS, PROFILES, resolve_extractors

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "models" / "README.md"]
        if path.name != "CODEBOOK.md"}


def readme_invocations() -> list[list[str]]:
    """Every ``stance ...`` command line in the README's bash blocks, split into words."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #")[0].replace("[", " ").replace("]", " ")
            for piece in re.split(r"&&|\||;", line):
                words = piece.split()
                if words and words[0].endswith("stance") and (len(words) == 1 or not words[1].startswith("-m")):
                    found.append(words[1:])
    return found


def test_the_readme_shows_stance_commands():
    assert len(readme_invocations()) >= 10


@pytest.mark.parametrize("words", readme_invocations(), ids=lambda words: " ".join(words)[:40])
def test_every_readme_command_and_option_exists(words):
    command, path = main, []
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        name = words.pop(0)
        assert name in command.commands, f"`stance {' '.join([*path, name])}` is not a command"
        command, path = command.commands[name], [*path, name]
    known = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]} | {"--help"}
    for word in words:
        option = word.split("=")[0]
        if option.startswith("--"):
            assert option in known, f"`stance {' '.join(path)}` has no option {option}"


def code_variables() -> set[str]:
    from stance.service.config import APP_SETTINGS, ENV_PREFIX, SERVER_SETTINGS

    found = {ENV_PREFIX + setting.name for setting in APP_SETTINGS + SERVER_SETTINGS}
    for path in (ROOT / "stance").rglob("*.py"):
        found |= set(re.findall(r"[\"'](STANCE_[A-Z0-9_]*[A-Z0-9])[\"']", path.read_text(encoding="utf-8")))
    return found


def python_constants() -> set[str]:
    """Module constants named ``STANCE_...`` (``STANCE_LABELS``): not environment variables."""
    return {name for path in (ROOT / "stance").rglob("*.py")
            for name in re.findall(r"^(STANCE_[A-Z0-9_]+)\b[^=\n]*=", path.read_text(encoding="utf-8"), re.MULTILINE)}


def test_every_documented_variable_is_read_and_every_read_variable_documented():
    documented = {name for text in DOCS.values() for name in re.findall(r"\bSTANCE_[A-Z0-9_]*[A-Z0-9]\b", text)}
    documented -= python_constants()
    read = code_variables()
    assert documented - read == set(), "documented but never read"
    assert read - set(re.findall(r"\bSTANCE_[A-Z0-9_]*[A-Z0-9]\b", README)) == set(), "read but not in the README"


def test_the_codebook_is_in_the_repository_and_the_guide_points_at_it():
    assert (ROOT / "docs" / "CODEBOOK.md").read_text(encoding="utf-8").startswith("# Annotation codebook")
    guide = (ROOT / "seeds" / "GUIDE.md").read_text(encoding="utf-8")
    assert "`docs/CODEBOOK.md`" in guide and "shared/CODEBOOK" not in guide


def test_the_packaged_data_is_the_repositorys_labeled_data():
    assert default_model.TRAINING_DATA.read_bytes() == (ROOT / "seeds" / "labels.jsonl").read_bytes()
    assert default_model.HELDOUT_DATA.read_bytes() == (ROOT / "heldout" / "labels.jsonl").read_bytes()


def test_the_committed_evaluation_report_matches_the_training_data_and_extractors():
    """Fails when seeds/labels.jsonl, heldout/labels.jsonl or the default
    extractors change: refresh the report with `python -m stance.default_model`."""
    report = json.loads(default_model.EVALUATION_REPORT.read_text(encoding="utf-8"))
    stale = "stale: run `python -m stance.default_model` and commit stance/resources/default_evaluation.json"
    assert report["data"]["sha256"] == hashlib.sha256(default_model.TRAINING_DATA.read_bytes()).hexdigest(), stale
    assert report["test"]["data"]["sha256"] == hashlib.sha256(default_model.HELDOUT_DATA.read_bytes()).hexdigest(), stale
    assert [entry["name"] for entry in report["extractors"]] == list(DEFAULT_EXTRACTORS), stale
    assert report["mode"] == "cross-validation" and report["folds"] == 5
    for profile, extractors in PROFILES.items():  # what first use (and training a profile on this file) fits with
        entry = next(entry for entry in report["settings"] if entry["profile"] == profile)
        assert entry["extractors"] == [[spec.name, spec.version] for spec in resolve_extractors(profile=profile)], stale
        assert {"csto", "west"} <= set(entry["heads"]), stale
        assert all(list(head["C"]) == list(extractors) for head in entry["heads"].values()), stale
