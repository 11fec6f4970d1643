"""In-process throughput on one core: paragraphs per second through ``stance``
against a bare scikit-learn pipeline doing the same prediction (issue 3), and
the cost of rhetoric tagging against classifying stance alone (issue 6).

The corpus is every content paragraph of ``seeds/labels.jsonl`` (the seed
articles' paragraphs and the written ones). The process is pinned to one CPU
and the BLAS/OpenMP pools to one thread before numpy is imported.

* ``stance``: ``Classifier.classify_paragraphs(corpus)``, the public API, which
  returns typed results with calibrated scores, evidence with spans, rhetoric
  tags with spans and the article summary.
* ``bare``: the same fitted scikit-learn parts called directly on the same
  corpus, ``union_.transform(corpus)`` then every head's ``predict_proba``, as
  ``bench/bare_app.py`` does: no results, evidence, spans or checks. It runs on
  its own, separately loaded copy of the model, so that neither side warms a
  cache (the character n-gram extractor remembers the columns of words it has
  seen) for the other.
* rhetoric: on the same extracted features, the stance heads with their
  evidence (``_predict_target`` for both targets), against the stance heads
  plus the rhetoric heads and their spans (``_predict_tags``), the split
  ``StanceModel.predict`` makes; each also with the feature extraction added,
  which is the paragraph-per-second cost a user sees.

Times are this process's CPU time (``--clock cpu``, the default: a busy
machine stretches wall time but much less the CPU time of a single-threaded,
pinned process) or elapsed time (``--clock wall``). Each measurement
alternates the two sides for ``--rounds`` rounds and reports the median; ratios are medians of the per-round ratios. One unmeasured warm-up
pass precedes them; the first pass of a freshly loaded model (word memory
empty, after a third copy has run once in the process) is reported on its own,
the median of five fresh pairs.

Targets: at least 2,000 paragraphs/s, stance at most 1.3x the bare pipeline's
time, stance+rhetoric at most 1.5x stance alone. Run from the repository root:
``python bench/throughput.py [--rounds 15] [--model DIR] [--cpu N] [--clock cpu|wall]``.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from pairing import paired_medians  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "seeds" / "labels.jsonl"
PARAGRAPHS_TARGET = 2000
OVERHEAD_TARGET = 1.3
RHETORIC_TARGET = 1.5
FIRST_PASSES = 5


def corpus() -> list[str]:
    """The content paragraphs of the labeled seed data, in file order."""
    records = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [record["text"] for record in records if not record["boilerplate"]]


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def seconds(call) -> float:
    start = clock()
    call()
    return clock() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--model", help="model directory (default: models/default)")
    parser.add_argument("--cpu", type=int, help="CPU to pin to (default: the last one allowed)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (steadier on a shared machine); wall: elapsed time")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})

    from stance import model as stance_model
    from stance.api import Classifier
    from stance.labels import TARGETS

    texts = corpus()
    n = len(texts)
    classifier = Classifier.load(args.model)
    bare_model = Classifier.load(args.model)._model  # its own copy: no shared word memory
    model = classifier._model
    heads = [*bare_model.stance_heads_.values(), *bare_model.tag_heads_.values()]

    def stance_api():
        classifier.classify_paragraphs(texts)

    def bare():
        features = bare_model.union_.transform(texts)
        for head in heads:
            head.predict_proba(features)

    # The first pass of freshly loaded models: the character n-gram word memory is
    # empty. A third copy classifies first, so that neither side pays the
    # process's own first-call costs.
    Classifier.load(args.model).classify_paragraphs(texts)
    firsts = []
    for _ in range(FIRST_PASSES):
        fresh_bare = Classifier.load(args.model)._model
        fresh_heads = [*fresh_bare.stance_heads_.values(), *fresh_bare.tag_heads_.values()]
        fresh_stance = Classifier.load(args.model)

        def first_bare_pass():
            features = fresh_bare.union_.transform(texts)
            for head in fresh_heads:
                head.predict_proba(features)

        firsts.append((seconds(first_bare_pass), seconds(lambda: fresh_stance.classify_paragraphs(texts))))
    first_bare = statistics.median(b for b, _ in firsts)
    first_stance = statistics.median(s for _, s in firsts)
    first_ratio = statistics.median(s / b for b, s in firsts)
    bare_s, stance_s, overhead = paired_medians(seconds, bare, stance_api, args.rounds)

    # Issue 6: split StanceModel.predict into its stance part and its rhetoric part.
    X = model.transform(texts)

    def stance_heads():
        spans = stance_model._SpanFinder(model, texts)
        for target in TARGETS:
            model._predict_target(target, X, spans)

    def stance_and_rhetoric():
        spans = stance_model._SpanFinder(model, texts)
        for target in TARGETS:
            model._predict_target(target, X, spans)
        model._predict_tags(X, spans)

    def transform_and_stance():
        features = model.transform(texts)
        spans = stance_model._SpanFinder(model, texts)
        for target in TARGETS:
            model._predict_target(target, features, spans)

    def full_predict():
        model.predict(texts)

    def bare_heads():
        for head in heads:
            head.predict_proba(X)

    _check_split(model, texts, X, stance_model, TARGETS)
    bare_heads_s, _, _ = paired_medians(seconds, bare_heads, stance_heads, args.rounds)
    heads_only_s, heads_rhetoric_s, heads_ratio = paired_medians(seconds, stance_heads, stance_and_rhetoric, args.rounds)
    stance_only_s, predict_s, predict_ratio = paired_medians(seconds, transform_and_stance, full_predict, args.rounds)

    print(f"{n} content paragraphs of {LABELS.relative_to(ROOT)} per pass; pinned to CPU {cpu} of "
          f"{os.cpu_count()}; {args.clock} time; median of {args.rounds} alternating rounds")
    print()
    print("issue 3: stance against the bare scikit-learn pipeline")
    print(f"  bare pipeline (union.transform + {len(heads)} heads' predict_proba)"
          f"  {bare_s * 1000:8.1f} ms/pass  {n / bare_s:8.0f} paragraphs/s")
    print(f"  stance Classifier.classify_paragraphs            "
          f"  {stance_s * 1000:8.1f} ms/pass  {n / stance_s:8.0f} paragraphs/s"
          f"  ({_verdict(n / stance_s >= PARAGRAPHS_TARGET)} >= {PARAGRAPHS_TARGET})")
    print(f"  overhead of stance over bare                      {overhead:8.2f}x"
          f"  ({_verdict(overhead <= OVERHEAD_TARGET)} <= {OVERHEAD_TARGET}x)")
    print(f"  first pass of freshly loaded models (median of {FIRST_PASSES}): bare {n / first_bare:.0f} paragraphs/s, "
          f"stance {n / first_stance:.0f} paragraphs/s ({first_ratio:.2f}x)")
    print(f"  on the same extracted features: the bare pipeline's {len(heads)} predict_proba "
          f"{bare_heads_s * 1000:.1f} ms; stance's 2 targets with evidence and spans {heads_only_s * 1000:.1f} ms, "
          f"plus rhetoric tags with spans {heads_rhetoric_s * 1000:.1f} ms")
    print()
    print("issue 6: rhetoric tagging against stance alone, on the same paragraphs")
    print(f"  heads on extracted features: stance {heads_only_s * 1000:.1f} ms, "
          f"stance+rhetoric+spans {heads_rhetoric_s * 1000:.1f} ms  ({heads_ratio:.2f}x)")
    print(f"  with feature extraction:     stance {stance_only_s * 1000:.1f} ms "
          f"({n / stance_only_s:.0f} paragraphs/s), full predict {predict_s * 1000:.1f} ms "
          f"({n / predict_s:.0f} paragraphs/s)  {predict_ratio:.2f}x"
          f"  ({_verdict(predict_ratio <= RHETORIC_TARGET)} <= {RHETORIC_TARGET}x)")


def _check_split(model, texts, X, stance_model, targets) -> None:
    """The split above must be what ``predict`` does: same stances, same tags."""
    spans = stance_model._SpanFinder(model, texts)
    stances = {target: model._predict_target(target, X, spans) for target in targets}
    tags = model._predict_tags(X, spans)
    whole = model.predict(texts)
    for row, prediction in enumerate(whole):
        if prediction.rhetoric != tags[row] or any(prediction.stances[t] != stances[t][row] for t in targets):
            raise SystemExit("StanceModel.predict no longer splits into _predict_target and _predict_tags; "
                             "update bench/throughput.py")


def _verdict(met: bool) -> str:
    return "meets" if met else "misses"


if __name__ == "__main__":
    main()
