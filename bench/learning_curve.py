"""Learning curve: how the default model's grouped cross-validated scores, and
its gain over the word TF-IDF + logistic regression baseline, change with the
amount of written training data.

Every seed paragraph is kept; a random share of the written documents (whole
documents, drawn with ``--seed``) is added, and the same grouped 5-fold
cross-validation as ``stance evaluate`` scores the model and the baselines on
that subset. A gain that shrinks as data grows, or a rhetoric micro-F1 that
flattens, says what more hand-written data can and cannot buy.

Run from the repository root:
``python bench/learning_curve.py [--fractions 0.5,0.75,1] [--seed 1] [--folds 5]``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from stance.dataset import load_records
from stance.evaluation import cross_validate
from stance.fitting import check_labels, content_records, resolve_extractors

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "seeds" / "labels.jsonl"


def subset(records, fraction: float, seed: int):
    """The seed records plus ``fraction`` of the written documents, drawn at random."""
    written = sorted({record.doc for record in records if record.source == "written"})
    kept = set(random.Random(seed).sample(written, round(len(written) * fraction)))
    return [record for record in records if record.source != "written" or record.doc in kept]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fractions", default="0.5,0.75,1", help="shares of the written documents to train on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    records = check_labels(content_records(load_records(args.data)))
    specs = resolve_extractors(None)
    print(f"grouped {args.folds}-fold cross-validation on {args.data}; seed documents always kept")
    print(
        f"{'written':>8} {'paragraphs':>10} {'documents':>9}  "
        f"{'csto':>5} {'tfidf':>5} {'gain':>6}  {'west':>5} {'tfidf':>5} {'gain':>6}  "
        f"{'tags micro-F1 (95% interval)':>28}  {'time':>5}"
    )
    for fraction in (float(value) for value in args.fractions.split(",")):
        chosen = subset(records, fraction, args.seed)
        start = time.perf_counter()
        report = cross_validate(chosen, specs, folds=args.folds)
        row = [f"{fraction:>8.0%} {len(chosen):>10} {len({r.doc for r in chosen}):>9} "]
        for target in ("csto", "west"):
            model = report["targets"][target]["model"]["macro_f1"]
            baseline = report["targets"][target]["tfidf_lr"]["macro_f1"]
            row.append(f" {model:>5.3f} {baseline:>5.3f} {model - baseline:>+6.3f} ")
        low, high = report["intervals"]["rhetoric"]["micro_f1"]
        micro = report["rhetoric"]["model"]["micro_f1"]
        row.append(f" {micro:>8.3f} ({low:.3f} to {high:.3f})      {time.perf_counter() - start:>4.0f}s")
        print("".join(row))


if __name__ == "__main__":
    main()
