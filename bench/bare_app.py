"""The ceiling for ``http_load.py``: a minimal Flask app that loads the same
model directory (with ``stance.persistence.load_model``, so the same checks and
the same unpickled objects) and calls its scikit-learn parts directly (the feature union, then
every head's ``predict_proba``), with none of stance's segmentation, evidence,
spans, summary or checks.

    BARE_MODEL_DIR=models/default gunicorn --pythonpath bench 'bare_app:create_app()'
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request

from stance.persistence import load_model


def create_app() -> Flask:
    """The bare app over the model in ``$BARE_MODEL_DIR``."""
    model, _ = load_model(Path(os.environ["BARE_MODEL_DIR"]))
    heads = {**model.stance_heads_, **model.tag_heads_}
    app = Flask(__name__)

    @app.get("/readyz")
    def readyz() -> dict:
        return {"status": "ready"}

    @app.post("/v1/classify")
    def classify() -> dict:
        text = request.get_json()["text"] if request.is_json else request.get_data(as_text=True)
        paragraphs = [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
        features = model.union_.transform(paragraphs)
        return {name: head.predict_proba(features).tolist() for name, head in heads.items()}

    return app
