"""``stance batch`` and ``classify_corpus`` on real Dask clusters on 127.0.0.1.

One local cluster of two worker processes serves the API tests; the command
line starts its own (killed mid-way, then resumed) and runs on a scheduler and
worker started here with Dask's own commands. Every run's rows are checked
against ``Classifier.classify_text`` on the same texts.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from stance.api import Classifier
from stance.errors import InputError
from stance.labels import STANCE_LABELS, TARGETS
from stance.reading import read_article

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 20_000
"""Size limit of the test runs: the seed articles are below it, the oversized documents above."""

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Summit in Minsk</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>CSTO leaders meet in Minsk</h1>
<p>Leaders of the Collective Security Treaty Organization met in Minsk on Thursday and agreed to expand joint exercises next year.</p>
<p>Armenia's delegation again questioned whether the alliance had honoured its obligations during the border crisis, officials said.</p>
<p>Western diplomats in the region said they would watch the exercises closely but did not comment further.</p>
</article><footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>
"""

GERMAN = (
    "Die Außenminister der Organisation trafen sich am Donnerstag in Minsk und berieten über gemeinsame Manöver.\n\n"
    "Armenien blieb dem Treffen fern und erklärte, das Bündnis habe seine Verpflichtungen nicht erfüllt."
)
"""Paragraphs in a language the model was not trained on: flagged, not labeled."""

RUSSIAN = (
    "Генеральный секретарь ОДКБ заявил, что организация выполнила все обязательства перед союзниками.\n\n"
    "В Ереване это заявление встретили с недоверием: по словам депутатов, помощи так и не последовало."
)


def _paragraph_texts() -> list[str]:
    records = [json.loads(line) for line in (ROOT / "tests" / "data" / "tiny_labels.jsonl").read_text().splitlines()]
    return [record["text"] for record in records if record.get("boilerplate") is not True]


def _write_corpus(root: Path, extra_jsonl_articles: int = 0) -> tuple[dict, set]:
    """A mixed corpus under ``root/corpus``: the documents expected as
    ``{id: (text as read, source, line)}`` and the ``(source, line)`` of every bad one."""
    corpus = root / "corpus"
    (corpus / "articles" / "nested").mkdir(parents=True)
    expected, bad = {}, set()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        (corpus / "articles" / path.name).write_bytes(path.read_bytes())
        name = f"corpus/articles/{path.name}"
        expected[name] = (path.read_text(encoding="utf-8"), name, None)
    copy = ROOT / "seeds" / "003_26dae961d9fa5e46.txt"
    (corpus / "articles" / "nested" / "copy.txt").write_bytes(copy.read_bytes().replace(b"\n", b"\r\n"))
    expected["corpus/articles/nested/copy.txt"] = (copy.read_text(encoding="utf-8"), "corpus/articles/nested/copy.txt", None)
    (corpus / "articles" / "empty.txt").write_bytes(b"")
    expected["corpus/articles/empty.txt"] = ("", "corpus/articles/empty.txt", None)
    (corpus / "articles" / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (corpus / "articles" / "huge.txt").write_text("The CSTO met again. " * 1500, encoding="utf-8")
    (corpus / "articles" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    page = corpus / "articles" / "nested" / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    expected["corpus/articles/nested/page.html"] = (read_article(page), "corpus/articles/nested/page.html", None)
    legacy = corpus / "articles" / "cp1251.txt"
    legacy.write_bytes(RUSSIAN.encode("cp1251"))
    expected["corpus/articles/cp1251.txt"] = (RUSSIAN, "corpus/articles/cp1251.txt", None)
    bad |= {("corpus/articles/binary.txt", None), ("corpus/articles/huge.txt", None)}

    texts = _paragraph_texts()
    article = lambda i: "\n\n".join(texts[(3 * i + k) % len(texts)] for k in range(3))  # noqa: E731
    lines = [
        json.dumps({"id": "j1", "text": article(0)}),
        "{not json",
        json.dumps({"id": 7, "text": article(1)}),
        "",
        json.dumps([1, 2]),
        json.dumps({"id": "j4"}),
        json.dumps({"id": "j5", "text": "x" * (MAX_BYTES + 10)}),
        json.dumps({"text": article(2)}),
        json.dumps({"id": "j9", "text": article(3).replace("\n", "\r\n")}, ensure_ascii=False),
    ]
    lines += [json.dumps({"id": f"x{i}", "text": article(i)}, ensure_ascii=False) for i in range(extra_jsonl_articles)]
    (corpus / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = "corpus/docs.jsonl"
    expected["j1"] = (article(0), source, 1)
    expected["7"] = (article(1), source, 3)
    expected[f"{source}:8"] = (article(2), source, 8)
    expected["j9"] = (article(3), source, 9)
    for i in range(extra_jsonl_articles):
        expected[f"x{i}"] = (article(i), source, 10 + i)
    bad |= {(source, 2), (source, 5), (source, 6), (source, 7)}

    table = pa.table({"id": ["p1", "p2", "p3", "p4", "p5", "p6"],
                      "text": [article(4), article(5), None, article(6), article(7), GERMAN]})
    pq.write_table(table, corpus / "news.parquet", row_group_size=2)
    for row, article_id in ((1, "p1"), (2, "p2"), (4, "p4"), (5, "p5"), (6, "p6")):
        expected[article_id] = (table.column("text")[row - 1].as_py(), "corpus/news.parquet", row)
    bad.add(("corpus/news.parquet", 3))
    return expected, bad


def _check_output(out: Path, expected: dict, bad: set, classifier: Classifier, fmt: str = "parquet") -> None:
    """Every expected article and paragraph is in ``out`` once and equals
    ``classifier.classify_text`` on the same text; every bad document is in ``errors``."""
    paragraphs, articles, errors = (_read(out / table, fmt) for table in ("paragraphs", "articles", "errors"))
    assert sorted(articles["article_id"]) == sorted(expected)
    assert not paragraphs.duplicated(["article_id", "paragraph_index"]).any()
    assert {(row.source, None if _none(row.line) is None else int(row.line)) for row in errors.itertuples()} == bad
    assert errors["reason"].str.len().min() > 10
    by_article = dict(tuple(paragraphs.groupby("article_id")))
    for article_id, (text, source, line) in expected.items():
        result = classifier.classify_text(text, id=article_id)
        row = articles[articles["article_id"] == article_id].iloc[0]
        assert (row["source"], None if _none(row["line"]) is None else int(row["line"])) == (source, line)
        assert row["paragraphs"] == result.summary.paragraphs and row["classified"] == result.summary.classified
        assert row["unsupported_language"] == result.summary.unsupported_language
        for target in TARGETS:
            assert row[f"{target}_overall"] == result.summary.overall[target]
            for label in STANCE_LABELS:
                assert row[f"{target}_count_{label}"] == result.summary.counts[target][label]
        assert {tag["tag"]: tag["count"] for tag in row["tags"]} == result.summary.tags
        if not result.paragraphs:
            assert article_id not in by_article
            continue
        rows = by_article[article_id].sort_values("paragraph_index")
        assert list(rows["paragraph_index"]) == [p.index for p in result.paragraphs]
        for (_, got), want in zip(rows.iterrows(), result.paragraphs):
            assert (got["text"], got["start"], got["end"], got["boilerplate"]) == (
                want.text, want.start, want.end, want.boilerplate)
            assert _none(got["boilerplate_reason"]) == want.boilerplate_reason
            assert (_none(got["language"]), got["unsupported_language"]) == (want.language, want.unsupported_language)
            assert (got["model_name"], got["model_version"]) == (result.model.name, result.model.version)
            for target in TARGETS:
                stance = want.stances.get(target)
                assert _none(got[f"{target}_label"]) == (stance.label if stance else None)
                for label in STANCE_LABELS:
                    if stance:
                        assert got[f"{target}_score_{label}"] == pytest.approx(stance.scores[label], abs=1e-9)
                    else:
                        assert pd.isna(got[f"{target}_score_{label}"])
            tags = [(tag["tag"], tag["score"]) for tag in got["tags"]]
            assert [t for t, _ in tags] == [tag.tag for tag in want.rhetoric]
            assert [s for _, s in tags] == pytest.approx([tag.score for tag in want.rhetoric], abs=1e-9)


def _none(value):
    """A value read back with pandas, its missing values as None."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _read(folder: Path, fmt: str) -> pd.DataFrame:
    if fmt == "parquet":
        return pd.read_parquet(folder)
    frames = [pd.read_json(path, lines=True, dtype=False) for path in sorted(folder.glob("part-*.jsonl"))
              if path.stat().st_size]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def cluster():
    """A local Dask cluster of two worker processes on 127.0.0.1, and its client."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    ) as local, distributed.Client(local) as client:
        yield client


@pytest.fixture(scope="module")
def batch_model(cli_model_dir):
    """The fast sparse model of the command-line tests, and it loaded here."""
    return cli_model_dir, Classifier.load(cli_model_dir)


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return _write_corpus(tmp_path)


def test_mixed_corpus_on_two_workers_equals_classify_text(cluster, batch_model, corpus, tmp_path):
    from stance.batch import classify_corpus

    model_dir, classifier = batch_model
    expected, bad = corpus
    report = classify_corpus(["corpus"], "out", model_dir=model_dir, client=cluster, partition_size=3,
                             max_bytes=MAX_BYTES)
    _check_output(tmp_path / "out", expected, bad, classifier)
    paragraphs = pd.read_parquet(tmp_path / "out" / "paragraphs")
    german = paragraphs[paragraphs["article_id"] == "p6"]
    assert len(german) == 2 and german["unsupported_language"].all() and german["csto_label"].isna().all()
    page = paragraphs[paragraphs["source"] == "corpus/articles/nested/page.html"]
    assert not page["text"].str.contains("<|Home|cookie", regex=True).any() and len(page) >= 3
    assert (report.articles, report.errors, report.skipped) == (len(expected), len(bad), 0)
    assert not report.ok and report.first_errors
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete with errors"
    assert manifest["counts"]["articles"] == len(expected) and manifest["counts"]["errors"] == len(bad)
    assert manifest["model"]["card_sha256"] and manifest["model"]["version"] == classifier.info.version
    assert manifest["files"] == {"text": 10, "html": 1, "jsonl": 1, "parquet": 1}
    assert manifest["partitions"]["computed"] == manifest["partitions"]["total"] > 4
    markers = [json.loads(path.read_text()) for path in (tmp_path / "out" / "_partitions").glob("*.json")]
    for pid in {marker["pid"] for marker in markers}:
        assert sum(marker["loaded_model"] for marker in markers if marker["pid"] == pid) == 1
    # the model was dropped from the workers of this cluster, which outlives the job
    from stance.batch.worker import delivered_models

    assert all(not models for models in cluster.run(delivered_models).values())
    # a rerun with the same arguments finds every partition done
    again = classify_corpus(["corpus"], "out", model_dir=model_dir, client=cluster, partition_size=3,
                            max_bytes=MAX_BYTES)
    assert (again.skipped, again.articles, again.errors) == (report.partitions, report.articles, report.errors)
    assert again.first_errors == report.first_errors and again.dashboard is None  # no cluster needed
    _check_output(tmp_path / "out", expected, bad, classifier)
    # other options are another job: refused, unless overwritten
    with pytest.raises(InputError, match="another job"):
        classify_corpus(["corpus"], "out", model_dir=model_dir, client=cluster, partition_size=2, max_bytes=MAX_BYTES)
    fresh = classify_corpus(["corpus"], "out", model_dir=model_dir, client=cluster, partition_size=50,
                            max_bytes=MAX_BYTES, overwrite=True)
    assert fresh.skipped == 0 and fresh.partitions == 3
    _check_output(tmp_path / "out", expected, bad, classifier)


def test_a_worker_killed_mid_run_is_replaced_and_its_partition_recomputed(cluster, batch_model, tmp_path, monkeypatch):
    from stance.batch import classify_corpus

    monkeypatch.chdir(tmp_path)
    expected, bad = _write_corpus(tmp_path, extra_jsonl_articles=150)
    model_dir, classifier = batch_model
    markers = tmp_path / "out" / "_partitions"
    outcome = {}

    def run():
        outcome["report"] = classify_corpus(["corpus"], "out", model_dir=model_dir, client=cluster,
                                            partition_size=2, max_bytes=MAX_BYTES)

    runner = threading.Thread(target=run)
    pids_before = set(cluster.run(os.getpid).values())
    runner.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(markers.glob("*.json"))) < 5:
        time.sleep(0.02)
    assert runner.is_alive(), "the job should still be running when a worker is killed"
    victim = sorted(pids_before)[0]
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=300)
    report = outcome["report"]
    assert report.failed_partitions == 0 and report.errors == len(bad)
    _check_output(tmp_path / "out", expected, bad, classifier)
    cluster.wait_for_workers(2, timeout=120)
    pids_after = set(cluster.run(os.getpid).values())
    assert victim not in pids_after and len(pids_after) == 2, "Dask should have replaced the dead worker"


def test_jsonl_output_on_an_existing_scheduler_and_workers(batch_model, corpus, tmp_path):
    """``stance batch --scheduler`` on a ``dask scheduler`` and a ``dask worker``
    started here, the worker in its own folder: the model reaches it as bytes."""
    model_dir, classifier = batch_model
    expected, bad = corpus
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    worker_home = tmp_path / "worker-home"
    worker_home.mkdir()
    started = [
        subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                          "--port", str(port), "--no-dashboard"], stderr=subprocess.DEVNULL, cwd=tmp_path),
        subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                          "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(worker_home)],
                         stderr=subprocess.DEVNULL, cwd=worker_home),
    ]
    try:
        with distributed.Client(address, timeout="60s") as probe_client:
            probe_client.wait_for_workers(1, timeout=120)
        result = subprocess.run(
            [sys.executable, "-c", "from stance.cli import main; main()", "batch", "corpus", "--output", "out",
             "--format", "jsonl", "--model", str(model_dir), "--scheduler", address, "--partition-size", "4",
             "--max-mb", str(MAX_BYTES / 2**20)],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    assert result.returncode == 1, result.stderr
    assert f"scheduler {address}" in result.stderr and "dashboard" in result.stderr
    assert f"Error: {len(bad)} document(s) could not be read or classified" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"{len(expected)} articles" in result.stdout
    _check_output(tmp_path / "out", expected, bad, classifier, fmt="jsonl")
    markers = [json.loads(path.read_text()) for path in (tmp_path / "out" / "_partitions").glob("*.json")]
    assert all(marker["model_path"].startswith(str(worker_home)) for marker in markers), (
        "the worker should load the model it was sent, written in its own folder"
    )


def test_killed_run_resumes_without_duplicates(batch_model, tmp_path):
    """Kill ``stance batch`` (and its local cluster) mid-way, run it again: the
    finished partitions are skipped and the output is whole, each row once."""
    model_dir, classifier = batch_model
    expected, bad = _write_corpus(tmp_path, extra_jsonl_articles=120)
    command = [sys.executable, "-c", "from stance.cli import main; main()", "batch", "corpus", "--output", "out",
               "--model", str(model_dir), "--workers", "2", "--partition-size", "2",
               "--max-mb", str(MAX_BYTES / 2**20)]
    markers = tmp_path / "out" / "_partitions"
    first = subprocess.Popen(command, cwd=tmp_path, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and len(list(markers.glob("*.json"))) < 4 and first.poll() is None:
            time.sleep(0.02)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    done_at_kill = len(list(markers.glob("*.json")))
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["status"] == "running"
    assert done_at_kill >= 4
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert second.returncode == 1, second.stderr
    assert "already done" in second.stderr and "Traceback" not in second.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["partitions"]["done_before"] >= done_at_kill
    assert manifest["partitions"]["done_before"] + manifest["partitions"]["computed"] == manifest["partitions"]["total"]
    assert not [path for path in (tmp_path / "out").rglob(".*")], "no temporary file should be left"
    _check_output(tmp_path / "out", expected, bad, classifier)


def test_bad_arguments_are_one_line_errors(batch_model, tmp_path, monkeypatch):
    from stance.cli import main

    monkeypatch.chdir(tmp_path)
    model_dir, _ = batch_model
    (tmp_path / "a.txt").write_text("The CSTO met.", encoding="utf-8")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "thesis.docx").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    cases = {
        ("missing",): "missing: no such file or folder",
        ("*.jsonl",): "*.jsonl: matches no",
        ("a.txt", "--output", "taken"): "holds files that are not stance batch output",
        ("a.txt", "--model", "nowhere"): "no model in nowhere",
        ("a.txt", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"): "cannot be used with --scheduler",
    }
    for args, message in cases.items():
        if "--output" not in args:
            args = (*args, "--output", "out")
        if "--model" not in args:
            args = (*args, "--model", str(model_dir))
        result = runner.invoke(main, ["batch", *args])
        assert result.exit_code in (1, 2), (args, result.output)
        assert message in result.output and "Traceback" not in result.output, (args, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_an_unreachable_scheduler_is_a_one_line_error(batch_model, tmp_path, monkeypatch):
    import dask

    from stance.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("The CSTO met.", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(main, ["batch", "a.txt", "--output", "out", "--model", str(batch_model[0]),
                                           "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output


def test_partitions_are_cut_the_same_way_with_exact_line_numbers(tmp_path, monkeypatch):
    from stance.batch.inputs import Document, Failure, ReadOptions, find_files, plan_partitions

    monkeypatch.chdir(tmp_path)
    expected, bad = _write_corpus(tmp_path)
    files = find_files(["corpus", "corpus/*.jsonl"])
    assert [file.name for file in files].count("corpus/docs.jsonl") == 1
    assert "corpus/articles/notes.csv" not in [file.name for file in files]
    plan = plan_partitions(files, 2)
    assert plan == plan_partitions(find_files(["corpus", "corpus/*.jsonl"]), 2)
    read = [item for partition in plan for item in partition.read(ReadOptions(max_bytes=MAX_BYTES))]
    documents = {item.id: (item.text, item.source, item.line) for item in read if isinstance(item, Document)}
    assert documents == expected
    assert {(item.source, item.line) for item in read if isinstance(item, Failure)} == bad


def test_a_bundle_written_under_a_permissive_umask_still_loads(batch_model, tmp_path):
    """Workers may run with umask 002; the model they receive must not end up
    group-writable, or loading refuses it."""
    from stance.batch.worker import ModelBundle

    model_dir, classifier = batch_model
    bundle = ModelBundle.from_directory(model_dir)
    previous = os.umask(0o002)
    try:
        folder = bundle.write_to(tmp_path / "worker")
    finally:
        os.umask(previous)
    written = folder / "model"
    assert all(not (path.stat().st_mode & 0o022) for path in [written, *written.rglob("*")])
    assert Classifier.load(written).card["version"] == classifier.card["version"]
