"""The work deadline (``stance.deadline``) is checked inside every long step it
can interrupt: the text encoder's batches and language detection, besides
segmentation (tests/test_segment.py) and model batches."""

from __future__ import annotations

import time

import numpy as np
import pytest

from stance.deadline import DeadlineExceeded, work_deadline
from stance.embedding.cache import EmbeddingCache, text_hash
from stance.embedding.embedder import Embedder
from stance.language import detect_languages


class SlowBackend:
    """Each batch takes 0.2 s (like a batch of long paragraphs for the encoder)."""

    space = "slow:test"

    def __init__(self) -> None:
        self.batches = 0

    def embed(self, texts):
        self.batches += 1
        time.sleep(0.2)
        return np.ones((len(texts), 8), dtype=np.float32)


def test_the_encoder_stops_between_batches_past_the_deadline_and_keeps_what_it_computed(tmp_path):
    backend = SlowBackend()
    embedder = Embedder(backend, cache=EmbeddingCache(tmp_path), batch_size=2)
    texts = [f"paragraph {n}" for n in range(40)]  # 20 batches, 4 s
    with work_deadline(0.3), pytest.raises(DeadlineExceeded):
        embedder.embed(texts)
    assert 1 <= backend.batches <= 5
    kept = EmbeddingCache(tmp_path).get_many(backend.space, [text_hash(text) for text in texts])
    assert len(kept) == 2 * backend.batches


def test_language_detection_stops_between_paragraphs_past_the_deadline():
    with work_deadline(0.0001), pytest.raises(DeadlineExceeded):
        time.sleep(0.001)
        detect_languages(["Die OVKS hat Armenien im Stich gelassen, sagte der Außenminister."] * 3)
