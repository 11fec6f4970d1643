"""What a tampered, forged or exposed model directory can do (nothing), and
saves that survive being killed at any step (issue 16, items 4, 10, 11)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import skops.io

from conftest import TINY_LABELS, edit_card, reseal
from stance.card_schema import CARD_SCHEMA, card_problem
from stance.errors import ModelError
from stance.persistence import (
    CARD_JSON, MODEL_FILE, MODEL_SHA256_ENV, file_sha256, load_model, read_card, save_model,
)

ROOT = Path(__file__).resolve().parent.parent




# ---- a tampered model runs no code -------------------------------------------------------


class Marker:
    """A class a forger could ship: building it writes a file."""

    def __init__(self, path):
        self.path = path

    def __setstate__(self, state):
        Path(state["path"]).write_text("code ran", encoding="utf-8")
        self.__dict__.update(state)


class PickledMarker:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "code ran"))


def test_a_tampered_artifact_with_an_edited_card_runs_no_code(model_copy, tmp_path):
    marker = tmp_path / "marker.txt"
    skops.io.dump({"model": Marker(str(marker))}, model_copy / MODEL_FILE)
    reseal(model_copy)
    with pytest.raises(ModelError, match=r"holds types that neither stance nor the model's plugins register: "
                                         r".*Marker; refusing"):
        load_model(model_copy)
    assert not marker.exists()


def test_a_pickle_in_place_of_the_artifact_runs_no_code(model_copy, tmp_path):
    import pickle

    marker = tmp_path / "marker.txt"
    (model_copy / MODEL_FILE).write_bytes(pickle.dumps(PickledMarker(str(marker))))
    reseal(model_copy)
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_model(model_copy)
    assert not marker.exists()


def test_a_forged_card_version_is_refused_not_reported(model_copy):
    edit_card(model_copy, lambda card: card.update(version="2.0-official"))
    with pytest.raises(ModelError, match=r"gives version '2.0-official', but its artifact makes it '\d{8}T\d{6}-"):
        load_model(model_copy)


def test_the_hash_pinned_outside_the_directory_is_enforced(model_copy, monkeypatch):
    digest = file_sha256(model_copy / MODEL_FILE)
    monkeypatch.setenv(MODEL_SHA256_ENV, digest.upper())
    load_model(model_copy)
    monkeypatch.setenv(MODEL_SHA256_ENV, "0" * 64)
    with pytest.raises(ModelError, match=f"not the 0{{64}} that {MODEL_SHA256_ENV} pins"):
        load_model(model_copy)


@pytest.mark.parametrize("what", [".", CARD_JSON, MODEL_FILE])
@pytest.mark.parametrize("bits", [0o020, 0o002])
def test_a_model_others_can_write_to_is_refused(model_copy, what, bits):
    path = model_copy / what
    path.chmod(path.stat().st_mode | bits)
    with pytest.raises(ModelError, match=r"is writable by other users .* refusing to load it \(chmod go-w"):
        load_model(model_copy)


def test_a_model_in_a_folder_everyone_can_write_to_is_refused(tiny_model_dir, tmp_path, isolated_plugins):
    shared = tmp_path / "shared"
    shared.mkdir()
    model = shutil.copytree(tiny_model_dir, shared / "model")
    shared.chmod(0o777)
    with pytest.raises(ModelError, match="writable by every user"):
        load_model(model)
    shared.chmod(0o1777)  # sticky, like /tmp: others cannot replace what is ours
    load_model(model)


def test_saved_models_are_not_group_writable_whatever_the_umask(tiny_model_dir, tmp_path, isolated_plugins):
    model, card = load_model(tiny_model_dir)
    previous = os.umask(0o002)
    try:
        save_model(model, card, tmp_path / "saved")
    finally:
        os.umask(previous)
    load_model(tmp_path / "saved")


# ---- the card's schema ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda card: card.update(extractors="word_tfidf"), "extractors must be array, not string"),
        (lambda card: card["extractors"][0].update(version=2), r"extractors\[0\].version must be string, not integer"),
        (lambda card: card["extractors"][1].update(source="web"), r"extractors\[1\].source must be one of"),
        (lambda card: card.update(libraries=["sklearn"]), "libraries must be object, not array"),
        (lambda card: card["model_file"].update(sha256=12), "model_file.sha256 must be string"),
        (lambda card: card["model_file"].update(sha256="abc"), "model_file.sha256 .* is not in the expected form"),
        (lambda card: card.update(format="4"), "format must be integer, not string"),
        (lambda card: card["rhetoric"]["thresholds"].update(denial="high"), "rhetoric.thresholds.denial must be"),
        (lambda card: card.pop("created"), "the card lacks created"),
    ],
)
def test_a_card_with_wrong_types_is_one_model_error_naming_the_field(model_copy, change, problem):
    edit_card(model_copy, change)
    with pytest.raises(ModelError, match=f"is not a valid model card: {problem}"):
        read_card(model_copy)


def test_jsonschema_agrees_with_the_card_check(model_copy):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(CARD_SCHEMA)
    card = read_card(model_copy)
    jsonschema.validate(card, CARD_SCHEMA)
    for broken in ({**card, "extractors": "x"}, {**card, "format": "4"},
                   {**card, "model_file": {"name": MODEL_FILE, "sha256": "abc"}}):
        assert card_problem(broken)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, CARD_SCHEMA)


def test_a_card_with_wrong_types_is_one_line_on_the_command_line(model_copy):
    edit_card(model_copy, lambda card: card["extractors"][0].update(version=2))
    done = subprocess.run(
        [sys.executable, "-c", "from stance.cli import main; main()", "classify", "--model", str(model_copy), "-"],
        input="The CSTO failed.", capture_output=True, text=True, timeout=120,
        env={**os.environ, "STANCE_PLUGINS": "", "STANCE_PLUGINS_DIR": ""},
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: {model_copy / CARD_JSON} is not a valid model card: extractors[0].version must be string, not integer"
    ]


def test_an_unreadable_model_directory_is_one_line_on_the_command_line(model_copy, monkeypatch):
    from click.testing import CliRunner

    from stance.cli import main

    if os.geteuid() == 0:  # root reads anything: make the refusal happen where the system would say it
        real_read_text = Path.read_text

        def refused(self, *args, **kwargs):
            if self.parent == model_copy:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read_text(self, *args, **kwargs)

        monkeypatch.setattr(Path, "read_text", refused)
    else:
        model_copy.chmod(0o000)
    try:
        result = CliRunner().invoke(main, ["classify", "--model", str(model_copy), "-"], input="The CSTO failed.")
    finally:
        model_copy.chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {model_copy / CARD_JSON} cannot be read: Permission denied"]


# ---- crash-safe saves --------------------------------------------------------------------

SAVE_STEPS = ("locked", "artifact_written", "staged", "switched", "retired")

KILLED_SAVE = """
import os, signal, sys
import stance.persistence as persistence
from stance.persistence import load_model, save_model

source, target, step = sys.argv[1:4]
model, card = load_model(source)

def reached(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)

persistence._reached = reached
save_model(model, {**card, "created": "2030-01-01T00:00:00+00:00"}, target)
"""


def _killed_save(source: Path, target: Path, step: str) -> int:
    env = {**os.environ, "STANCE_PLUGINS": "", "STANCE_PLUGINS_DIR": ""}
    return subprocess.run([sys.executable, "-c", KILLED_SAVE, str(source), str(target), step],
                          env=env, timeout=120, capture_output=True).returncode


@pytest.mark.parametrize("step", SAVE_STEPS)
@pytest.mark.parametrize("existing", [True, False], ids=["replacing", "first"])
def test_a_save_killed_at_any_step_leaves_the_old_or_the_new_model(tiny_model_dir, tmp_path, isolated_plugins,
                                                                   step, existing):
    target = tmp_path / "models" / "current"
    target.parent.mkdir()
    if existing:
        shutil.copytree(tiny_model_dir, target)
        before = read_card(target)["version"]
    assert _killed_save(tiny_model_dir, target, step) == -signal.SIGKILL
    if target.exists():
        model, card = load_model(target)
        assert card["version"] in ({before} if existing else set()) | {card["version"]}
        new = card["created"].startswith("2030")
        assert new == (step in ("switched", "retired")) or not existing and new
        assert model.predict(["The CSTO failed."])
    else:
        assert not existing and step in ("locked", "artifact_written", "staged")
    # the next save cleans whatever the killed one left
    model, card = load_model(tiny_model_dir)
    save_model(model, card, target)
    assert sorted(path.name for path in target.parent.iterdir()) == ["current"]
    load_model(target)


def test_two_savers_into_one_folder_take_turns(tiny_model_dir, tmp_path, isolated_plugins):
    model, card = load_model(tiny_model_dir)
    target = tmp_path / "models" / "shared"
    failures = []

    def saver(hour: int) -> None:
        try:
            for minute in range(3):
                save_model(model, {**card, "created": f"2030-01-01T{hour:02d}:{minute:02d}:00+00:00"}, target)
        except Exception as exc:  # a race shows up here
            failures.append(exc)

    threads = [threading.Thread(target=saver, args=(hour,)) for hour in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(path.name for path in target.parent.iterdir()) == ["shared"]
    assert load_model(target)[1]["created"].startswith("2030-01-01T0")
