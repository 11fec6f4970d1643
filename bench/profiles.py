"""The two profiles side by side (issue 12): ``default`` (word and character
TF-IDF, lexicon, text encoder) and ``fast`` (the same without the encoder).

Sections (all by default, or name some with ``--only``):

* ``accuracy``: grouped 5-fold cross-validation on the labeled file (the
  folds of ``stance evaluate``), both profiles fitted on the same folds:
  macro-F1 per target, rhetoric micro-F1, 95% bootstrap intervals over
  documents, and the paired interval of the encoder's gain over ``fast``.
  These are written-data figures: easier than real news.
* ``training``: the default model fitted on the full labeled file in a fresh
  process (as ``stance train`` does, without cross-validation), with a cold cache (empty disk cache, bundled embeddings off), with
  the bundled embeddings only (a fresh install), and with a warm disk cache;
  and the fast model: wall and CPU time, peak memory (max RSS).
* ``speed``: paragraphs/s of both profiles in one process on 1,000
  paragraphs that no cache has seen (variants of the labeled paragraphs:
  sentences rotated and a numbered source line appended, so each text is new
  to the encoder) and on 10,000 (those 1,000 repeated ten times: for the
  default profile their embeddings then come from the cache, so the 10,000
  figure is the warm rate and the 1,000 figure the cold one; embedding 10,000
  new paragraphs costs ten times the 1,000's embedding time), the encoder's
  share of the default profile's time, and the embedding cache's speed-up
  (disk cache hit and in-process hit against computing).

Every figure is printed with the command that made it. Run from the repository
root: ``python bench/profiles.py [--data FILE] [--only accuracy,training,speed]
[--large 10000]``. The CPU is shared: ``nice`` it on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def accuracy(data: Path, folds: int) -> dict:
    import numpy as np

    from stance.dataset import load_records
    from stance.evaluation import grouped_folds, tag_scores
    from stance.fitting import check_labels, content_records, fit_model, resolve_extractors
    from stance.intervals import document_weights, interval, micro_f1_replicates, stance_intervals
    from stance.labels import STANCE_LABELS, TARGETS
    from stance.model import tags_to_matrix
    from sklearn.metrics import f1_score

    records = check_labels(content_records(load_records(data)))
    profiles = {name: resolve_extractors(profile=name) for name in ("default", "fast")}
    predicted = {name: [None] * len(records) for name in profiles}
    seconds = {name: 0.0 for name in profiles}
    for train, test in grouped_folds(records, folds):
        for name, specs in profiles.items():
            started = time.process_time()
            model = fit_model([records[i] for i in train], specs)
            for index, prediction in zip(test, model.predict([records[i].text for i in test])):
                predicted[name][index] = prediction
            seconds[name] += time.process_time() - started
    groups = [record.doc for record in records]
    report = {"paragraphs": len(records), "documents": len(set(groups)), "folds": folds, "cpu_seconds": seconds}
    for target in TARGETS:
        truth = [record.label(target) for record in records]
        systems = {"model": [p.stances[target].label for p in predicted["default"]],
                   "fast": [p.stances[target].label for p in predicted["fast"]]}
        intervals = stance_intervals(truth, systems, STANCE_LABELS, groups)
        report[target] = {
            "default": f1_score(truth, systems["model"], labels=list(STANCE_LABELS), average="macro"),
            "fast": f1_score(truth, systems["fast"], labels=list(STANCE_LABELS), average="macro"),
            "default_interval": intervals["macro_f1"]["model"],
            "fast_interval": intervals["macro_f1"]["fast"],
            "gain_interval": intervals["model_minus"]["fast"],
        }
    truth = tags_to_matrix([record.rhetoric for record in records])
    weights, document = document_weights(groups)
    replicates, rhetoric = {}, {}
    for name in profiles:
        tags = tags_to_matrix([[tag.tag for tag in p.rhetoric] for p in predicted[name]])
        rhetoric[name] = tag_scores([r.rhetoric for r in records], [[t.tag for t in p.rhetoric] for p in predicted[name]])["micro_f1"]
        replicates[name] = micro_f1_replicates(truth, tags, weights, document)
        rhetoric[f"{name}_interval"] = interval(replicates[name])
    rhetoric["gain_interval"] = interval(replicates["default"] - replicates["fast"])
    report["rhetoric"] = rhetoric
    return report


def train_once(data: Path, profile: str, output: Path, bundle: bool) -> dict:
    """Train in this process (called in a fresh one by ``training``)."""
    if not bundle:
        from stance.embedding import bundle as bundled

        bundled._loaded[bundled.BUNDLE_PATH] = None
    from stance.training import train

    wall, cpu = time.perf_counter(), time.process_time()
    train(data, output_dir=output, profile=profile, cv=False)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu + children.ru_utime,
            "max_rss_mb": usage.ru_maxrss / 1024}


def training(data: Path) -> dict:
    runs = {}
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as scratch:
        cache = Path(scratch) / "cache"
        plan = [("default, cold cache (no disk cache, no bundle)", "default", cache, False),
                ("default, warm disk cache", "default", cache, False),
                ("default, bundled embeddings only (fresh install)", "default", Path(scratch) / "empty", True),
                ("fast", "fast", Path(scratch) / "unused", True)]
        for label, profile, cache_dir, bundle in plan:
            environment = {**os.environ, "STANCE_CACHE_DIR": str(cache_dir), "STANCE_PROGRESS": "0"}
            command = [sys.executable, __file__, "--train-once", profile, "--data", str(data),
                       "--output", str(Path(scratch) / f"model-{profile}")] + ([] if bundle else ["--no-bundle"])
            answer = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
            runs[label] = json.loads(answer.stdout.strip().splitlines()[-1])
            print(f"  {label}: {runs[label]}", file=sys.stderr)
    return runs


def variants(texts: list[str], count: int) -> list[str]:
    """``count`` texts no cache has seen: paragraph ``i % len(texts)`` with its
    sentences rotated by its round and a numbered source line appended."""
    import re

    made = []
    for number in range(count):
        text = texts[number % len(texts)]
        sentences = re.split(r"(?<=[.!?])\s+", text)
        turn = (number // len(texts)) % len(sentences)
        made.append(" ".join(sentences[turn:] + sentences[:turn]) + f" (Source {os.getpid()}-{number}.)")
    return made


def speed(data: Path, large: int) -> dict:
    from stance.dataset import load_records
    from stance.default_plugins import encoder as encoder_module
    from stance.embedding.embedder import reset_embedders
    from stance.fitting import content_records
    from stance.api import Classifier
    from stance.training import train

    spent = {"encoder": 0.0}
    transform = encoder_module.EncoderExtractor.transform

    def timed(self, texts):
        started = time.perf_counter()
        try:
            return transform(self, texts)
        finally:
            spent["encoder"] += time.perf_counter() - started

    encoder_module.EncoderExtractor.transform = timed
    texts = [record.text for record in content_records(load_records(data))]
    report = {}
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as scratch:
        os.environ["STANCE_PROGRESS"] = "0"
        os.environ["STANCE_CACHE_DIR"] = str(Path(scratch) / "cache")
        models = {}
        for profile in ("fast", "default"):
            output = Path(scratch) / profile
            train(data, output_dir=output, profile=profile, cv=False)
            models[profile] = Classifier.load(output)
        fresh = variants(texts, 1000)
        for size in (1000, large):
            corpus = (fresh * (size // len(fresh) + 1))[:size]
            for profile, classifier in models.items():
                reset_embedders()
                spent["encoder"] = 0.0
                wall, cpu = time.perf_counter(), time.process_time()
                classifier.classify_paragraphs(corpus)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                entry = {"paragraphs_per_s": size / wall, "wall_s": wall, "cpu_s": cpu}
                if profile == "default":
                    entry["encoder_share"] = spent["encoder"] / wall
                    reset_embedders()  # empty the in-process memo: the next run reads the disk cache
                    started = time.perf_counter()
                    classifier.classify_paragraphs(corpus)
                    disk = time.perf_counter() - started
                    started = time.perf_counter()
                    classifier.classify_paragraphs(corpus)
                    memo = time.perf_counter() - started
                    entry.update(warm_disk_paragraphs_per_s=size / disk, warm_memory_paragraphs_per_s=size / memo)
                report[f"{profile} {size}"] = entry
                print(f"  {profile} on {size}: {entry}", file=sys.stderr)
        corpus = variants(texts, 1300)[1000:]
        extractor = encoder_module.EncoderExtractor()
        reset_embedders()
        started = time.perf_counter()
        extractor.embed(corpus)
        computed = time.perf_counter() - started
        reset_embedders()
        started = time.perf_counter()
        extractor.embed(corpus)
        disk = time.perf_counter() - started
        started = time.perf_counter()
        extractor.embed(corpus)
        memo = time.perf_counter() - started
        report["cache"] = {"computed_ms_per_paragraph": computed / 3, "disk_hit_speedup": computed / disk,
                           "memory_hit_speedup": computed / memo}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "seeds" / "labels.jsonl")
    parser.add_argument("--only", default="accuracy,training,speed")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--train-once", choices=("default", "fast"), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-bundle", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.train_once:
        print(json.dumps(train_once(options.data, options.train_once, options.output, not options.no_bundle)))
        return
    sections = {"accuracy": lambda: accuracy(options.data, options.folds), "training": lambda: training(options.data),
                "speed": lambda: speed(options.data, options.large)}
    command = "python bench/profiles.py " + " ".join(sys.argv[1:])
    for name in options.only.split(","):
        print(f"== {name} ({command})", file=sys.stderr)
        result = sections[name]()
        print(json.dumps({name: result}, indent=2))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
