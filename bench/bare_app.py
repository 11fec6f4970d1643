"""The ceiling for ``http_load.py`` and ``server_cpu.py``: a minimal Flask app
that loads the same model directory (with ``stance.persistence.load_model``, so
the same checks and the same unpickled objects) and does the same segmentation
(``stance.segment.segment``, boilerplate set aside), then calls the model's
scikit-learn parts directly (the feature union, then every head's
``predict_proba``) and answers each content paragraph's text, offsets, labels,
every score and tags, with none of stance's evidence, spans, summary or checks.

    BARE_MODEL_DIR=models/default gunicorn --pythonpath bench 'bare_app:create_app()'
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import orjson
from flask import Flask, Response, request

from stance.persistence import load_model
from stance.segment import segment


def create_app() -> Flask:
    """The bare app over the model in ``$BARE_MODEL_DIR``."""
    model, _ = load_model(Path(os.environ["BARE_MODEL_DIR"]))
    heads = {**model.stance_heads_, **model.tag_heads_}
    app = Flask(__name__)

    @app.get("/readyz")
    def readyz() -> dict:
        return {"status": "ready"}

    @app.post("/v1/classify")
    def classify() -> Response:
        body = request.get_json() if request.is_json else {"text": request.get_data(as_text=True)}
        if "paragraphs" in body:
            segments = [(index, text, 0, len(text)) for index, text in enumerate(body["paragraphs"])]
        else:
            segments = [(s.index, s.text, s.start, s.end) for s in segment(body["text"]) if not s.boilerplate]
        features = model.union_.transform([text for _, text, _, _ in segments])
        probabilities = {name: head.predict_proba(features) for name, head in heads.items()}
        paragraphs = []
        for row, (index, text, start, end) in enumerate(segments):
            paragraph = {"index": index, "text": text, "start": start, "end": end}
            for target, head in model.stance_heads_.items():
                scores = probabilities[target][row]
                paragraph[target] = {"label": str(head.classes_[int(np.argmax(scores))]), "scores": scores.tolist()}
            paragraph["rhetoric"] = [
                [tag, float(probabilities[tag][row, 1])]
                for tag in model.tag_heads_ if probabilities[tag][row, 1] >= model.thresholds_[tag]
            ]
            paragraphs.append(paragraph)
        return Response(orjson.dumps({"paragraphs": paragraphs}), mimetype="application/json")

    return app
