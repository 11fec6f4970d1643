"""In-process throughput on one core, on text the model has not seen:
paragraphs per second through ``stance`` against an equal-work bare pipeline
(issues 3 and 17), and the cost of evidence and of rhetoric tagging.

The input is whole articles the model never trained on: unless ``--model``
is given, a fast-profile model is first trained (untimed) on every other
document of ``seeds/labels.jsonl`` (``train_half``), and the input is the other
documents plus ``heldout/labels.jsonl``, each document's paragraphs joined by
blank lines. Every measured pass runs on a freshly loaded copy of the model, so
that no cache (the lexicon's matches, the character n-grams' per-word columns)
holds anything from an earlier pass: every text is unseen by the model that
classifies it, as a new article is in service. Loading is not timed, and
the garbage of earlier passes is collected before each pass (a server or the
CLI loads its model once).

* ``stance``: ``Classifier.classify_batch(articles)`` and the JSON Lines the
  CLI writes (``stance.render.jsonl``): segmentation with boilerplate
  detection, features, every head, scores, tags with spans, the summary and
  the output text; with and without evidence (``evidence=False``, as
  ``classify --no-evidence`` and ``options.evidence=false``).
* ``bare``: the same segmentation (``stance.segment.segment``), the model's
  feature union called directly on the content paragraphs (batches of
  ``stance.api.BATCH_SIZE``, like ``stance``), every head's ``predict_proba``, labels by argmax and the
  tags' thresholds, and one JSON line per paragraph with its text, offsets,
  labels, every score and the tags (``orjson``, as ``stance``). Output bytes
  are printed for both sides: equal work means about the same answer.

A fixed piece of pure-Python work (``reference_work``) is timed in every
round too: on a virtual machine whose speed drifts from minute to minute (this
project's 2-core machine runs the same code up to 1.4x slower at times), it
tells a slower run of the code from a slower run of the machine.

Times are this process's CPU time (``--clock cpu``, the default, steadier on
a shared machine) or elapsed time; the process is pinned to one CPU and the
BLAS/OpenMP pools to one thread. Sides alternate for ``--rounds`` rounds,
each round starting with the next side; medians, and the median of per-round
ratios, are reported, and each side's fastest round (the least disturbed by
the machine). Targets (fast profile, on the medians): at least 5,000
paragraphs/s, at most 1.3x the bare pipeline.
Run from the repository root:
``python bench/throughput.py [--rounds 9] [--model DIR] [--cpu N] [--clock cpu|wall]``.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELED = (ROOT / "seeds" / "labels.jsonl", ROOT / "heldout" / "labels.jsonl")
PARAGRAPHS_TARGET = 5000
OVERHEAD_TARGET = 1.3
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def documents() -> dict[str, list[dict]]:
    """Every labeled document's records in file order, by ``folder/doc id``."""
    found: dict[str, list[dict]] = {}
    for path in LABELED:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found.setdefault(f"{path.parent.name}/{record['doc']}", []).append(record)
    return found


def held_out(doc: str, position: int) -> bool:
    """Whether the document at ``position`` is one ``train_half`` leaves out: every other training document, all of heldout/."""
    return not doc.startswith("seeds/") or position % 2 == 1


def articles() -> list[tuple[str, str]]:
    """``(doc id, text)`` for every document the bench model does not train on,
    its paragraphs in file order joined by blank lines."""
    return [
        (doc, "\n\n".join(record["text"] for record in records))
        for position, (doc, records) in enumerate(documents().items())
        if held_out(doc, position)
    ]


def train_half(directory: Path) -> Path:
    """A fast-profile model trained on the documents ``articles`` leaves out, saved in ``directory``."""
    from stance.training import train

    data = directory / "half.jsonl"
    with data.open("w", encoding="utf-8") as out:
        for position, (doc, records) in enumerate(documents().items()):
            if not held_out(doc, position):
                out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    train(data, output_dir=directory / "model", profile="fast", cv=False)
    return directory / "model"


def stance_pass(classifier, items, *, evidence: bool) -> tuple[int, int]:
    """Paragraphs classified and output bytes of ``stance`` on ``items``."""
    from stance.render import jsonl

    results = classifier.classify_batch(items, evidence=evidence)
    written = sum(len(jsonl(result).encode()) for result in results)
    return sum(result.summary.classified for result in results), written


def bare_pass(model, items) -> tuple[int, int]:
    """Paragraphs classified and output bytes of the bare pipeline on ``items``."""
    import numpy as np
    import orjson

    from stance.segment import segment

    segmented = [(doc, [seg for seg in segment(text) if not seg.boilerplate]) for doc, text in items]
    content = [seg.text for _, segments in segmented for seg in segments]
    heads = {**model.stance_heads_, **model.tag_heads_}
    probabilities = {name: [] for name in heads}
    from stance.api import BATCH_SIZE

    for first in range(0, len(content), BATCH_SIZE):
        features = model.union_.transform(content[first : first + BATCH_SIZE])
        for name, head in heads.items():
            probabilities[name].append(head.predict_proba(features))
    probabilities = {name: np.vstack(parts) for name, parts in probabilities.items()}
    labels = {target: np.asarray(model.stance_heads_[target].classes_)[probabilities[target].argmax(axis=1)]
              for target in model.stance_heads_}
    tags = {tag: probabilities[tag][:, 1] >= model.thresholds_[tag] for tag in model.tag_heads_}
    written, row = 0, 0
    for doc, segments in segmented:
        for seg in segments:
            line = {"article": doc, "index": seg.index, "text": seg.text, "start": seg.start, "end": seg.end}
            for target, classes in labels.items():
                line[target] = {"label": str(classes[row]), "scores": probabilities[target][row].tolist()}
            line["rhetoric"] = [[tag, float(probabilities[tag][row, 1])] for tag, found in tags.items() if found[row]]
            written += len(orjson.dumps(line)) + 1
            row += 1
    return len(content), written


def reference_work(items) -> int:
    """A fixed piece of pure-Python work that is not stance (the input's words
    counted in a dict, ten times), timed in every round beside the sides: on a
    shared or virtual machine whose speed drifts, it shows how fast the machine
    ran while the sides were measured."""
    counts: dict[str, int] = {}
    for _ in range(10):
        for _, text in items:
            for word in text.lower().split():
                counts[word] = counts.get(word, 0) + 1
    return len(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--model", help="model directory (default: a fast model trained here on the other half of the documents)")
    parser.add_argument("--cpu", type=int, help="CPU to pin to (default: the last one allowed)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    args = parser.parse_args()
    clock = CLOCKS[args.clock]
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})

    import tempfile

    from stance.api import Classifier

    items = articles()
    scratch = tempfile.TemporaryDirectory(prefix="stance-throughput-")
    model = args.model or train_half(Path(scratch.name))

    def fresh() -> Classifier:
        return Classifier.load(model)

    def timed(call):
        gc.collect()  # the garbage of earlier passes and loads is not this pass's work
        start = clock()
        out = call()
        return clock() - start, out

    fresh()  # the process's own first-call costs (imports, plugin loading), untimed
    sides = {
        "bare": lambda c: bare_pass(c._model, items),
        "stance, no evidence": lambda c: stance_pass(c, items, evidence=False),
        "stance, with evidence": lambda c: stance_pass(c, items, evidence=True),
    }
    times = {name: [] for name in sides}
    outputs = {}
    reference = []
    names = list(sides)
    for round_ in range(args.rounds):
        # alternate, each round starting with the next side (no side always follows the same one);
        # each pass on its own freshly loaded model
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            side = sides[name]
            classifier = fresh()
            seconds, outputs[name] = timed(lambda: side(classifier))
            times[name].append(seconds)
        reference.append(timed(lambda: reference_work(items))[0])
    paragraphs = outputs["bare"][0]
    counts = {name: count for name, (count, _) in outputs.items()}
    if len(set(counts.values())) > 1:  # stance flags paragraphs in languages it does not know instead of labeling them
        print(f"content paragraphs labeled per side: {counts}")
    print(f"{len(items)} articles, {paragraphs} content paragraphs per pass ("
          f"{'model ' + args.model if args.model else 'a fast model trained on the other documents'}; every pass on "
          f"a freshly loaded model: cold caches); pinned to CPU {cpu} of {os.cpu_count()}; {args.clock} time; "
          f"median of {args.rounds} alternating rounds; load {os.getloadavg()[0]:.2f}")
    bare = statistics.median(times["bare"])
    for name in sides:
        seconds = statistics.median(times[name])
        ratio = statistics.median(t / b for t, b in zip(times[name], times["bare"]))
        line = (f"  {name:<22} {seconds * 1000:8.1f} ms/pass  {paragraphs / seconds:7.0f} paragraphs/s  "
                f"{outputs[name][1] / paragraphs:6.0f} output bytes/paragraph")
        if name != "bare":
            line += f"  {ratio:4.2f}x bare"
            if name == "stance, no evidence":
                line += (f"  ({_verdict(paragraphs / seconds >= PARAGRAPHS_TARGET)} >= {PARAGRAPHS_TARGET} p/s, "
                         f"{_verdict(ratio <= OVERHEAD_TARGET)} <= {OVERHEAD_TARGET}x)")
        print(line)
    print(f"  bare: {bare * 1000:.1f} ms/pass")
    fastest = {name: min(times[name]) for name in sides}
    print("  fastest round of each side (the least disturbed by the machine; the verdicts above use the medians): "
          + ", ".join(f"{name} {seconds * 1000:.1f} ms ({paragraphs / seconds:.0f} paragraphs/s)"
                      for name, seconds in fastest.items())
          + f"; stance, no evidence {fastest['stance, no evidence'] / fastest['bare']:.2f}x bare")
    print(f"  machine speed: a fixed pure-Python reference took {statistics.median(reference) * 1000:.1f} ms "
          f"(median; {min(reference) * 1000:.1f} ms in its fastest round); compare runs by it")


def _verdict(met: bool) -> str:
    return "meets" if met else "misses"


if __name__ == "__main__":
    main()
