"""The labeling loop, simulated: which paragraphs to label first.

A set of documents of ``seeds/labels.jsonl`` plays the user's own sources
(default: the written families ``wj`` and ``wk``, written in the register
of real news). Their documents are split at random into a *pool* (the articles the
user labels from) and a *test* part (the rest of those sources, never
labeled). The starting model is trained on everything else. Each strategy
then labels the pool in rounds (50, then 50 more, then 100 more: 50, 100 and
200 labels), choosing each round with the model retrained after the last one,
exactly as ``stance data suggest`` does (the held labels play the user), and
the model's macro-F1 on the test documents is printed after each round, with
``random`` repeated over several seeds. Every strategy starts from the same
model and is scored on the same test paragraphs, so the differences are
paired.

Run from the repository root:
``python bench/labeling_loop.py [--rounds 50,100,200] [--random-seeds 3] [--first-seed 0] [--splits 1]
[--extractors word_tfidf,char_tfidf,lexicon] [--strategies diverse,uncertainty]
[--c-grid 0.25,4,64]``. A smaller ``--c-grid`` makes each fit several times
faster on a busy machine; the strategies are compared on the same model either way.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from stance.api import Classifier
from stance.dataset import load_records
from stance.fitting import check_labels, content_records, resolve_extractors
from stance.labeling.suggest import Candidate, select
from stance.labels import STANCE_LABELS, TARGETS
from stance.model import C_GRID, StanceModel

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "seeds" / "labels.jsonl"
USER_FAMILIES = ("wj", "wk")


def fit(records, specs, grid):
    """The product's model (``stance.fitting.fit_model``), with ``grid`` as the C values its inner CV chooses from."""
    model = StanceModel([(spec.name, spec.create()) for spec in specs], [spec.provenance() for spec in specs], C_grid=grid)
    return model.fit(
        [r.text for r in records],
        {target: [r.label(target) for r in records] for target in TARGETS},
        [r.rhetoric for r in records],
        [r.doc for r in records],
    )


def split(records, families, pool_share: float, seed: int):
    """(training, pool, test): the user's documents (``families``) split by document at random."""
    user_docs = sorted({r.doc for r in records if r.source == "written" and r.doc[:2] in families})
    rng = random.Random(seed)
    rng.shuffle(user_docs)
    pool_docs = set(user_docs[: round(len(user_docs) * pool_share)])
    user = set(user_docs)
    training = [r for r in records if r.doc not in user]
    pool = [r for r in records if r.doc in pool_docs]
    test = [r for r in records if r.doc in user and r.doc not in pool_docs]
    return training, pool, test


def scores(model, test) -> dict[str, float]:
    """Macro-F1 per target of ``model`` on ``test``, and their mean."""
    predictions = model.predict([r.text for r in test])
    values = {
        target: float(
            f1_score([r.label(target) for r in test], [p.stances[target].label for p in predictions],
                     labels=list(STANCE_LABELS), average="macro", zero_division=0)
        )
        for target in TARGETS
    }
    values["mean"] = (values["csto"] + values["west"]) / 2
    return values


def candidates(model, pool, labeled_ids) -> tuple[list[Candidate], object]:
    """The pool's unlabeled paragraphs as ``stance data suggest`` sees them, and their features."""
    classifier = Classifier(model, {"name": "bench", "version": "0"})
    by_doc = defaultdict(list)
    for record in pool:
        if record.id not in labeled_ids:
            by_doc[record.doc].append(record)
    found = []
    for doc, records in by_doc.items():
        result = classifier.classify_paragraphs([r.text for r in records], id=doc)
        found += [Candidate(r.id, doc, r.text, "bench", p) for r, p in zip(records, result.paragraphs)]
    return found, classifier.features([c.text for c in found])


def run(strategy: str, seed: int, training, pool, test, specs, rounds, base_model, measure: str, grid) -> list[dict]:
    """Scores after each round of ``strategy``."""
    by_id = {r.id: r for r in pool}
    labeled: list[str] = []
    model = base_model
    results = []
    for size in rounds:
        found, features = candidates(model, pool, set(labeled))
        picked = select(found, size - len(labeled), strategy=strategy, features=features, measure=measure, seed=seed)
        labeled += [candidate.id for candidate, _ in picked]
        model = fit(training + [by_id[i] for i in labeled], specs, grid)
        results.append({"labels": len(labeled), "documents": len({by_id[i].doc for i in labeled}), **scores(model, test)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", default="50,100,200", help="labels after each round")
    parser.add_argument("--strategies", default="diverse,uncertainty", help="strategies besides random")
    parser.add_argument("--random-seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0, help="first random seed (to run seeds in separate processes)")
    parser.add_argument("--splits", type=int, default=1, help="pool/test splits of the user's documents")
    parser.add_argument("--pool-share", type=float, default=0.6, help="share of the user's documents in the pool")
    parser.add_argument("--families", default=",".join(USER_FAMILIES), help="written document families of the user")
    parser.add_argument("--extractors", default=None, help="default: the model's default extractors")
    parser.add_argument("--measure", default="margin")
    parser.add_argument(
        "--c-grid", default=None, help="C values the model's inner CV chooses from (default: the model's own, stance.model.C_GRID)"
    )
    args = parser.parse_args()
    rounds = [int(value) for value in args.rounds.split(",")]
    grid = tuple(float(value) for value in args.c_grid.split(",")) if args.c_grid else C_GRID
    records = check_labels(content_records(load_records(DATA)))
    specs = resolve_extractors(args.extractors.split(",") if args.extractors else None)
    seeds = range(args.first_seed, args.first_seed + args.random_seeds)
    systems = [(name, 0) for name in args.strategies.split(",") if name] + [("random", seed) for seed in seeds]
    table: dict[str, list[list[dict]]] = defaultdict(list)
    print(f"extractors: {', '.join(spec.name for spec in specs)}; C grid {', '.join(f'{c:g}' for c in grid)}; "
          f"uncertainty by {args.measure}")
    for split_seed in range(args.splits):
        training, pool, test = split(records, tuple(args.families.split(",")), args.pool_share, split_seed)
        start = time.perf_counter()
        base_model = fit(training, specs, grid)
        base = scores(base_model, test)
        print(
            f"split {split_seed}: start from {len(training)} paragraphs; pool {len(pool)} paragraphs in "
            f"{len({r.doc for r in pool})} documents; test {len(test)} paragraphs in {len({r.doc for r in test})} "
            f"documents; start csto {base['csto']:.3f} west {base['west']:.3f} ({time.perf_counter() - start:.0f}s a fit)"
        )
        table["start"].append([{"labels": 0, "documents": 0, **base}])
        for name, seed in systems:
            start = time.perf_counter()
            results = run(name, seed, training, pool, test, specs, rounds, base_model, args.measure, grid)
            table[name].append(results)
            shown = "  ".join(f"{r['labels']}: {r['csto']:.3f}/{r['west']:.3f} ({r['documents']} docs)" for r in results)
            print(f"  {name:<11} seed {seed}  {shown}  [{time.perf_counter() - start:.0f}s]", flush=True)
    print("\nmean macro-F1 (csto/west, mean of both) over splits" + (" and random seeds" if args.random_seeds > 1 else ""))
    print(f"{'strategy':<12}" + "".join(f"{size:>24}" for size in rounds))
    random_means = None
    for name in [n for n, _ in systems if n != "random"] + ["random"]:
        runs = table[name]
        cells = []
        means = []
        for position in range(len(rounds)):
            csto = np.mean([run[position]["csto"] for run in runs])
            west = np.mean([run[position]["west"] for run in runs])
            means.append((csto + west) / 2)
            cells.append(f"{csto:.3f}/{west:.3f} ({(csto + west) / 2:.3f})")
        print(f"{name:<12}" + "".join(f"{cell:>24}" for cell in cells))
        if name == "random":
            random_means = means
        table[f"{name}-means"] = means
    print("\ngain over random in mean macro-F1:")
    for name in [n for n, _ in systems if n != "random"]:
        print(f"  {name:<11}" + "".join(f"{size:>6}: {m - r:+.3f}" for size, m, r in zip(rounds, table[f'{name}-means'], random_means)))


if __name__ == "__main__":
    main()
