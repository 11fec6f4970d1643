"""What serving costs: evidence computed only when asked for, and the same
answers either way (the CLI, the Python API and the HTTP service)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import stance.model as model_module
from stance.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_3f0b3d69d48b213d.txt"


@pytest.fixture
def no_evidence_search(monkeypatch):
    """Make looking for evidence fail, so that a test proves it is not done."""

    def refuse(*args, **kwargs):
        raise AssertionError("evidence was computed although it was not asked for")

    monkeypatch.setattr(model_module, "top_contributions", refuse)


def _without_evidence(result: dict) -> dict:
    """The result less what evidence=False leaves out: the features and the similar training paragraphs."""
    for paragraph in result["paragraphs"]:
        for stance in paragraph["stances"].values():
            stance["evidence"] = ()
            stance["examples"] = ()
    return result


def test_without_evidence_the_answer_is_the_same_less_the_evidence(tiny_classifier, monkeypatch):
    text = SEED.read_text(encoding="utf-8")
    full = tiny_classifier.classify_text(text, id="a").to_dict()
    assert any(s["evidence"] for p in full["paragraphs"] for s in p["stances"].values())
    monkeypatch.setattr(model_module, "top_contributions", None)  # calling it would fail
    bare = tiny_classifier.classify_text(text, id="a", evidence=False).to_dict()
    assert bare == _without_evidence(full)
    assert tiny_classifier.classify_batch([("a", text)], evidence=False)[0].to_dict() == bare


def test_the_service_skips_evidence_when_options_say_so(client, no_evidence_search):
    text = SEED.read_text(encoding="utf-8")
    answer = client.post("/v1/classify", json={"text": text, "options": {"evidence": False}})
    assert answer.status_code == 200
    assert all(s["evidence"] == [] for p in answer.get_json()["paragraphs"] for s in p["stances"].values())
    batch = client.post("/v1/classify/batch", json={
        "documents": [{"text": text}, {"paragraphs": ["The CSTO failed Armenia."]}], "options": {"evidence": False},
    })
    assert batch.status_code == 200 and len(batch.get_json()["results"]) == 2


def test_classify_no_evidence_flag(cli_model_dir, no_evidence_search):
    result = CliRunner().invoke(main, ["classify", "--model", str(cli_model_dir), str(SEED), "--format", "json",
                                       "--no-evidence"])
    assert result.exit_code == 0, result.output
    paragraphs = json.loads(result.output)[0]["paragraphs"]
    assert any(p["stances"] for p in paragraphs)
    assert all(s["evidence"] == [] for p in paragraphs for s in p["stances"].values())


# ---- fast TF-IDF transforms -------------------------------------------------------


@pytest.mark.parametrize("factory", ["word_tfidf", "char_tfidf"])
def test_fast_tfidf_transforms_give_the_stock_matrix(factory):
    import importlib

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    make = getattr(importlib.import_module(f"stance.default_plugins.{factory}"), factory)
    root = Path(__file__).resolve().parent.parent
    lines = (root / "seeds" / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    train, unseen = texts[:300], texts[300:500] + ["", "!!", "ОДКБ"]
    fast, stock = make().fit(train), TfidfVectorizer(**make().get_params()).fit(train)
    for batch in (unseen, unseen[:1]):
        mine, theirs = fast.transform(batch), stock.transform(batch)
        assert mine.shape == theirs.shape and np.allclose(mine.toarray(), theirs.toarray(), atol=1e-12)


def test_json_output_is_the_documents_of_to_dict(tiny_classifier):
    from stance.render import render

    text = SEED.read_text(encoding="utf-8")
    results = tiny_classifier.classify_batch([("a", text), ("b", "")])
    assert json.loads("".join(render(results, "json", as_list=True))) == [
        json.loads(json.dumps(result.to_dict())) for result in results
    ]
    lines = "".join(render(results, "jsonl")).splitlines()
    assert [json.loads(line) for line in lines] == [
        json.loads(json.dumps({"article": result.id, **paragraph}))
        for result in results for paragraph in result.to_dict()["paragraphs"]
    ]


def test_non_finite_features_are_refused_not_written_as_null(tiny_classifier, monkeypatch):
    import numpy as np

    from stance.errors import ModelError

    model = tiny_classifier._model
    real_transform = model.transform

    def poisoned(texts):
        matrix = real_transform(texts).astype(float)
        matrix.data[:1] = np.nan
        return matrix

    monkeypatch.setattr(model, "transform", poisoned)
    with pytest.raises(ModelError, match="non-finite"):
        tiny_classifier.classify_text("The CSTO failed Armenia.")
