"""Model directories: round trip, checks before unpickling, atomic saves, the default model."""

from __future__ import annotations

import json
import shutil

import pytest
import skops.io

from conftest import TINY_LABELS, edit_card, reseal
from stance import api, default_model, fitting
from stance.api import Classifier
from stance.errors import ModelError, PluginError
from stance.evaluation import evaluate
from stance.persistence import (
    CARD_JSON, CARD_MD, MODEL_FILE, file_sha256, load_model, read_card,
)
from stance.training import train

TEXTS = ["The CSTO failed Armenia.", "Nothing of the kind: the EU mission is spying."]




def test_round_trip_keeps_predictions_and_writes_a_complete_card(model_copy):
    model, card = load_model(model_copy)
    again, _ = load_model(model_copy)
    assert model.predict(TEXTS) == again.predict(TEXTS)
    assert card["model_file"]["sha256"] == file_sha256(model_copy / MODEL_FILE)
    assert card["version"].endswith(card["model_file"]["sha256"][:8])
    assert set(card["libraries"]) == {"python", "scikit-learn", "numpy", "scipy", "joblib", "stance"}
    assert [e["name"] for e in card["extractors"]] == ["word_tfidf", "char_tfidf", "lexicon"]
    assert {e["source"] for e in card["extractors"]} == {"builtin"}
    data = card["training_data"]
    assert data["sha256"] == file_sha256(TINY_LABELS) and data["boilerplate"] == 2 and data["paragraphs"] == 36
    assert data["examples"]["csto"] == {"favor": 10, "against": 7, "none": 19}
    assert set(card["metrics"]["targets"]["csto"]["baselines"]) == {"majority", "tfidf_lr"}
    assert "micro_f1" in card["metrics"]["rhetoric"]
    assert (model_copy / CARD_MD).read_text(encoding="utf-8").startswith("# Model card: model")


def test_a_changed_artifact_is_refused_before_unpickling(model_copy):
    with open(model_copy / MODEL_FILE, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(model_copy)


def test_a_corrupt_artifact_is_a_model_error_not_a_pickle_traceback(model_copy):
    (model_copy / MODEL_FILE).write_bytes(b"\x80\x04not a pickle at all")
    reseal(model_copy)
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_model(model_copy)


def test_an_artifact_name_outside_the_directory_is_refused(model_copy):
    edit_card(model_copy, lambda card: card["model_file"].update(name="../model.skops"))
    with pytest.raises(ModelError, match="names the artifact"):
        load_model(model_copy)


def test_something_else_pickled_is_refused(model_copy):
    skops.io.dump({"not": "a model"}, model_copy / MODEL_FILE)
    reseal(model_copy)
    with pytest.raises(ModelError, match="not a stance model"):
        load_model(model_copy)


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"name": "x"}'])
def test_a_bad_card_is_a_model_error(model_copy, damage):
    (model_copy / CARD_JSON).write_text(damage, encoding="utf-8")
    with pytest.raises(ModelError, match="card"):
        load_model(model_copy)


def test_a_missing_directory_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model in"):
        Classifier.load(tmp_path / "nothing")


def test_another_scikit_learn_version_is_refused(model_copy):
    edit_card(model_copy, lambda card: card["libraries"].update({"scikit-learn": "0.24.2"}))
    with pytest.raises(ModelError, match="built with scikit-learn 0.24.2 but .* is installed"):
        load_model(model_copy)


def test_a_model_in_an_older_format_is_refused(model_copy):
    edit_card(model_copy, lambda card: card.pop("format"))
    with pytest.raises(ModelError, match="model format 1, but this stance reads format"):
        load_model(model_copy)


def test_a_missing_plugin_is_named(model_copy):
    extra = {"name": "hedging", "plugin": "hedging", "version": "1.0", "source": "folder"}
    edit_card(model_copy, lambda card: card["extractors"].append(extra))
    with pytest.raises(PluginError, match="needs extractor 'hedging' from folder plugin 'hedging' 1.0.*plugins-dir"):
        load_model(model_copy)


def test_a_changed_plugin_version_is_a_warning(model_copy):
    edit_card(model_copy, lambda card: card["extractors"][2].update(version="0.9"))
    with pytest.warns(UserWarning, match=r"extractor 'lexicon' 0.9 .* now provided as 1\.1"):
        load_model(model_copy)


def test_a_failed_save_keeps_the_previous_model(model_copy, monkeypatch):
    before = read_card(model_copy)

    def broken_dumps(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(skops.io, "dumps", broken_dumps)
    with pytest.raises(OSError, match="disk full"):
        train(TINY_LABELS, extractors=["lexicon"], output_dir=model_copy, folds=2)
    assert read_card(model_copy) == before
    assert sorted(p.name for p in model_copy.parent.iterdir()) == ["model"]
    load_model(model_copy)


def test_a_save_replaces_the_model_and_leaves_no_temporary_files(model_copy):
    card = train(TINY_LABELS, extractors=["lexicon"], output_dir=model_copy, folds=2)
    assert read_card(model_copy) == card
    assert [e["name"] for e in card["extractors"]] == ["lexicon"]
    assert sorted(p.name for p in model_copy.parent.iterdir()) == ["model"]


def test_a_directory_that_is_not_a_model_is_never_replaced(tmp_path, isolated_plugins):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ModelError, match="not a model directory"):
        train(TINY_LABELS, extractors=["lexicon"], output_dir=tmp_path, folds=2)
    assert (tmp_path / "notes.txt").exists()


@pytest.fixture
def default_dir(tmp_path, monkeypatch, isolated_plugins):
    """``STANCE_MODEL_DIR`` pointing to an empty place; the default training data is the tiny file."""
    monkeypatch.setenv(api.MODEL_DIR_ENV, str(tmp_path / "default"))
    monkeypatch.setattr(default_model, "TRAINING_DATA", TINY_LABELS)
    return tmp_path / "default"


def test_a_missing_default_model_is_built_without_cross_validation_and_said_so(default_dir, capsys, monkeypatch):
    monkeypatch.setattr(default_model, "committed_report", lambda: None)
    classifier = Classifier.load()
    err = capsys.readouterr().err
    assert "building the default model" in err and "fitting the model on 36 paragraphs" in err
    assert "cross-validating" not in err
    assert classifier.info.name == "default"
    assert (default_dir / MODEL_FILE).is_file()
    assert classifier.card["metrics"] is None and "not cross-validated" in classifier.card["metrics_source"]


def test_the_default_models_card_takes_the_committed_report_only_when_it_matches(default_dir, tmp_path, monkeypatch,
                                                                                capsys):
    measured = evaluate(TINY_LABELS, extractors=["lexicon"], folds=2)
    report = {**measured, "measured": "2026-01-01T00:00:00+00:00", "command": default_model.REPORT_COMMAND}
    monkeypatch.setattr(default_model, "committed_report", lambda: report)
    monkeypatch.setattr(fitting, "DEFAULT_EXTRACTORS", ("lexicon",))
    card = read_card(default_model.ensure_default_model())
    assert card["metrics"]["targets"]["csto"]["macro_f1"] == report["targets"]["csto"]["model"]["macro_f1"]
    assert "2026-01-01" in card["metrics_source"]

    report["data"] = {**report["data"], "sha256": "0" * 64}  # the data changed since the report
    other = train(TINY_LABELS, extractors=["lexicon"], output_dir=tmp_path / "other", cv=False, measured=report)
    assert other["metrics"] is None


def test_the_default_model_is_fitted_with_the_committed_reports_settings(default_dir, tmp_path, monkeypatch, capsys):
    """First use skips the inner cross-validation (most of a fit's time) when
    the committed report holds settings for exactly this data; other data
    chooses its own."""
    from stance.model import StanceModel

    monkeypatch.setattr(fitting, "DEFAULT_EXTRACTORS", ("lexicon",))
    chosen = train(TINY_LABELS, extractors=["lexicon"], output_dir=tmp_path / "chosen", cv=False)
    settings = load_model(tmp_path / "chosen")[0].settings()
    lexicon = [["lexicon", fitting.resolve_extractors(["lexicon"])[0].version]]
    report = {**evaluate(TINY_LABELS, extractors=["lexicon"], folds=2),
              "settings": [{"profile": "other", "extractors": [["word_tfidf", "1.0"]], **settings},
                           {"profile": "lexicon", "extractors": lexicon, **settings}]}
    monkeypatch.setattr(default_model, "committed_report", lambda: report)
    inner = StanceModel._out_of_fold_logits
    runs = []
    monkeypatch.setattr(StanceModel, "_out_of_fold_logits", lambda *args: runs.append(1) or inner(*args))
    capsys.readouterr()
    built, card = load_model(default_model.ensure_default_model())
    assert "with the settings its evaluation report chose" in capsys.readouterr().err and not runs
    assert built.settings() == settings and card["rhetoric"] == chosen["rhetoric"]

    report["data"] = {**report["data"], "sha256": "0" * 64}  # the data changed since the report
    train(TINY_LABELS, extractors=["lexicon"], output_dir=tmp_path / "other", cv=False, measured=report)
    assert runs


def test_training_with_a_test_file_puts_its_scores_in_the_card(model_copy):
    card = train(TINY_LABELS, extractors=["lexicon"], output_dir=model_copy, folds=2, test_path=TINY_LABELS)
    test = card["test_metrics"]
    assert test["method"] == "held-out file"
    assert test["data"]["paragraphs"] == card["training_data"]["paragraphs"]
    assert set(test["targets"]) == {"csto", "west"}
    assert 0.0 <= test["targets"]["csto"]["macro_f1"] <= 1.0
    assert "tfidf_lr" in test["targets"]["west"]["baselines"]
    assert "## Held-out metrics" in (model_copy / "card.md").read_text(encoding="utf-8")


def test_training_without_a_test_file_has_no_held_out_scores(model_copy):
    card = train(TINY_LABELS, extractors=["lexicon"], output_dir=model_copy, folds=2)
    assert card["test_metrics"] is None
    assert "Held-out" not in (model_copy / "card.md").read_text(encoding="utf-8")


def test_a_default_model_from_another_scikit_learn_is_rebuilt(default_dir, tiny_model_dir, capsys):
    shutil.copytree(tiny_model_dir, default_dir)
    edit_card(default_dir, lambda card: card["libraries"].update({"scikit-learn": "0.24.2"}))
    Classifier.load()
    assert "built with scikit-learn 0.24.2" in capsys.readouterr().err
    assert read_card(default_dir)["libraries"]["scikit-learn"] != "0.24.2"


def test_a_default_model_in_an_older_format_is_rebuilt(default_dir, tiny_model_dir, capsys):
    shutil.copytree(tiny_model_dir, default_dir)
    edit_card(default_dir, lambda card: card.update(format=1))
    Classifier.load()
    assert "is in model format 1" in capsys.readouterr().err
    assert read_card(default_dir)["format"] != 1
