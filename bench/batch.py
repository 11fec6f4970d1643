"""Corpus throughput on Dask (issue 13): ``stance batch`` with 1 and 2 local
workers against the in-process ``Classifier`` on one core, Dask's overhead,
peak memory per worker as the corpus grows, and an estimate for 10 million
paragraphs.

The corpus is synthetic: JSON Lines articles of ``--article-paragraphs``
paragraphs drawn (seeded) from the content paragraphs of ``seeds/labels.jsonl``,
``--paragraphs`` in all. Four ways to classify it, each from the model files
to the last result, in alternating rounds (``--rounds``, medians):

* ``classifier``: in this process, pinned to one CPU: ``Classifier.load``, then
  each JSON line parsed and the articles classified with
  ``Classifier.classify_batch``, ``--partition-size`` at a time (no output);
* ``tasks``: in this process, pinned to one CPU: the batch job's own task,
  ``stance.batch.worker.classify_partition``, run on every partition in turn
  (read, classify, write Parquet, mark done) after the model is bundled and
  installed: the same work as a Dask job, without Dask;
* ``dask-1``, ``dask-2``: ``classify_corpus`` on a local cluster of 1 or 2
  worker processes (one thread each), the model sent and loaded as in any
  job; each run starts its own cluster, whose start (with the workers'
  imports of stance, scikit-learn and pyarrow: a fixed cost per worker
  process, printed once on its own) and stop are not timed.

Dask's overhead is ``dask-1`` against ``tasks`` (same work, one worker);
scaling is ``dask-2`` against ``dask-1`` and against ``classifier``. Times are
wall-clock; CPU seconds (this process plus its worker processes, via psutil)
are printed beside them because a shared machine stretches wall time. The load
average is printed with every figure.

Memory: for each of ``--memory-sizes`` paragraphs, a fresh 2-worker cluster
classifies a corpus of that size; the peak RSS of each worker process
(``ru_maxrss``) is reported.

Targets (issue 13): dask-2 at least 1.8x the in-process classifier for the
default profile, overhead at most 10% at 1 worker, flat memory per worker.
Run from the repository root:
``python bench/batch.py [--model DIR] [--paragraphs 20000] [--rounds 3] [--memory-sizes 2000,20000,200000]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS = ROOT / "seeds" / "labels.jsonl"
TEN_MILLION = 10_000_000
CORE_HOUR_USD = 0.045
"""Assumed price of one cloud vCPU-hour (on-demand general-purpose instances, 2025-26 list prices)."""


def write_corpus(path: Path, paragraphs: int, per_article: int, seed: int = 13) -> int:
    """A JSON Lines corpus of ``paragraphs`` paragraphs; returns the article count."""
    pool = [
        record["text"]
        for record in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())
        if not record.get("boilerplate") and len(record["text"].split()) > 16
    ]
    rng = random.Random(seed)
    articles = 0
    with path.open("w", encoding="utf-8") as out:
        for first in range(0, paragraphs, per_article):
            count = min(per_article, paragraphs - first)
            text = "\n\n".join(rng.choice(pool) for _ in range(count))
            out.write(json.dumps({"id": f"a{articles}", "text": text}, ensure_ascii=False) + "\n")
            articles += 1
    return articles


def load() -> float:
    return os.getloadavg()[0]


class CpuClock:
    """CPU seconds of this process and all its children (the cluster's processes)."""

    def __init__(self):
        import psutil

        self.me = psutil.Process()

    def __call__(self) -> float:
        total = sum(self.me.cpu_times()[:2])
        for child in self.me.children(recursive=True):
            try:
                total += sum(child.cpu_times()[:2])
            except Exception:  # a process that just ended
                pass
        return total


def pinned(cpu: int | None):
    """Pin this process to one CPU for an in-process run; returns a function that unpins it."""
    before = os.sched_getaffinity(0)
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    return lambda: os.sched_setaffinity(0, before)


def run_classifier(model_dir: Path, corpus: Path, partition_size: int) -> int:
    from stance.api import Classifier

    classifier = Classifier.load(model_dir)
    paragraphs, chunk = 0, []
    with corpus.open("rb") as lines:
        for line in lines:
            record = json.loads(line)
            chunk.append((record["id"], record["text"]))
            if len(chunk) == partition_size:
                paragraphs += sum(len(r.paragraphs) for r in classifier.classify_batch(chunk))
                chunk = []
    if chunk:
        paragraphs += sum(len(r.paragraphs) for r in classifier.classify_batch(chunk))
    return paragraphs


def run_tasks(model_dir: Path, corpus: Path, partition_size: int, out: Path) -> int:
    from stance.batch import worker
    from stance.batch.inputs import ReadOptions, find_files, plan_partitions
    from stance.batch.output import OutputDir
    from stance.batch.runner import model_bundle

    bundle, _ = model_bundle(model_dir)
    worker.forget_bundle(bundle.key)
    worker.install_bundle(bundle, out / "model")
    target = OutputDir(str(out / "tables"))
    partitions = plan_partitions(find_files([str(corpus)]), partition_size)
    job = worker.Job(bundle.key, target, ReadOptions())
    paragraphs = sum(worker.classify_partition(partition, job)["paragraphs"] for partition in partitions)
    worker.forget_bundle(bundle.key)
    return paragraphs


def run_dask(workers: int, model_dir: Path, corpus: Path, partition_size: int, out: Path, clock) -> tuple:
    """``classify_corpus`` on a fresh local cluster of ``workers`` processes;
    only the job is timed (wall and CPU of this process and the cluster's), not
    the cluster's start and stop."""
    from stance.batch import classify_corpus

    import psutil

    cluster, client, _ = start_cluster(workers)
    try:
        processes = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
        worker_cpu = lambda: sum(sum(process.cpu_times()[:2]) for process in processes)  # noqa: E731
        cpu_before, workers_before, began = clock(), worker_cpu(), time.perf_counter()
        report = classify_corpus([str(corpus)], str(out), model_dir=model_dir, client=client,
                                 partition_size=partition_size, overwrite=True)
        wall, used, in_workers = time.perf_counter() - began, clock() - cpu_before, worker_cpu() - workers_before
        return report.paragraphs, wall, used, in_workers
    finally:
        client.close()
        cluster.close()


def start_cluster(workers: int):
    """A local cluster whose workers have imported ``stance`` (as a worker
    that has run a task has), and the seconds that took."""
    from distributed import Client, LocalCluster

    began = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=False)
    client = Client(cluster)
    client.run(_import_stance)
    return cluster, client, time.perf_counter() - began


def _import_stance() -> None:
    import stance.batch.worker  # noqa: F401  (imports stance.api, scikit-learn, pyarrow)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(args, model_dir: Path, workdir: Path) -> dict:
    from stance.batch.runner import model_bundle

    corpus = workdir / "corpus.jsonl"
    articles = write_corpus(corpus, args.paragraphs, args.article_paragraphs)
    _, card = model_bundle(model_dir)
    print(f"model {card['name']} {card['version']} ({', '.join(e['name'] for e in card['extractors'])}); "
          f"corpus {args.paragraphs:,} paragraphs in {articles:,} articles; partitions of {args.partition_size}")
    clock = CpuClock()
    for workers in (1, 2):
        cluster, client, seconds = start_cluster(workers)
        client.close()
        cluster.close()
        print(f"a local cluster of {workers} worker(s) starts in {seconds:.1f} s (load {load():.1f}); not counted below")

    def in_process(run):
        def measured():
            unpin = pinned(args.cpu)
            try:
                cpu_before, began = clock(), time.perf_counter()
                count = run()
                used = clock() - cpu_before
                return count, time.perf_counter() - began, used, used
            finally:
                unpin()
        return measured

    sides = {
        "classifier": in_process(lambda: run_classifier(model_dir, corpus, args.partition_size)),
        "tasks": in_process(lambda: run_tasks(model_dir, corpus, args.partition_size, workdir / "tasks")),
        "dask-1": lambda: run_dask(1, model_dir, corpus, args.partition_size, workdir / "out1", clock),
        "dask-2": lambda: run_dask(2, model_dir, corpus, args.partition_size, workdir / "out2", clock),
    }
    times = {name: [] for name in sides}
    cpu = {name: [] for name in sides}
    worker_cpu = {name: [] for name in sides}
    loads = []
    paragraphs = None
    for round_number in range(args.rounds + 1):
        for name, run in sides.items():
            loads.append(load())
            count, wall, used, in_workers = run()
            paragraphs = paragraphs or count
            assert count == paragraphs, (name, count, paragraphs)
            if round_number:  # the first round warms caches and imports
                times[name].append(wall)
                cpu[name].append(used)
                worker_cpu[name].append(in_workers)
            print(f"  round {round_number}{' (warm-up)' if not round_number else ''} {name:10s} "
                  f"{wall:7.2f} s wall {used:7.2f} s CPU ({in_workers:6.2f} in the classifying processes)  "
                  f"{count / wall:6.0f} paragraphs/s  load {loads[-1]:.1f}")
    median = {name: statistics.median(values) for name, values in times.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    median_worker_cpu = {name: statistics.median(values) for name, values in worker_cpu.items()}
    rate = {name: paragraphs / seconds for name, seconds in median.items()}
    figures = {
        "paragraphs": paragraphs,
        "rate": rate,
        "wall": median,
        "cpu": median_cpu,
        "worker_cpu": median_worker_cpu,
        "overhead_1_worker": median["dask-1"] / median["tasks"] - 1,
        "overhead_1_worker_cpu": median_cpu["dask-1"] / median_cpu["tasks"] - 1,
        "overhead_1_worker_worker_cpu": median_worker_cpu["dask-1"] / median_cpu["tasks"] - 1,
        "speedup_2_vs_classifier": median["classifier"] / median["dask-2"],
        "speedup_2_vs_1": median["dask-1"] / median["dask-2"],
        "load_median": statistics.median(loads),
    }
    print()
    print(f"medians over {args.rounds} rounds, {paragraphs:,} paragraphs, load average {min(loads):.1f}-{max(loads):.1f}:")
    for name in sides:
        print(f"  {name:10s} {median[name]:7.2f} s wall ({rate[name]:7.0f} paragraphs/s)  {median_cpu[name]:7.2f} s CPU, "
              f"{median_worker_cpu[name]:.2f} s of it in the classifying processes")
    print(f"  Dask overhead at 1 worker (dask-1 / tasks - 1): {figures['overhead_1_worker']:+.1%} wall, "
          f"{figures['overhead_1_worker_cpu']:+.1%} CPU in all, {figures['overhead_1_worker_worker_cpu']:+.1%} CPU in the "
          f"worker process (the rest: scheduler, client, nanny)   (target <= +10%)")
    print(f"  2 workers: {figures['speedup_2_vs_classifier']:.2f}x the in-process classifier, "
          f"{figures['speedup_2_vs_1']:.2f}x 1 worker (efficiency {figures['speedup_2_vs_1'] / 2:.0%})   (target >= 1.8x)")
    return figures


def memory(args, model_dir: Path, workdir: Path) -> dict:
    from stance.batch import classify_corpus

    peaks = {}
    for size in args.memory_sizes:
        corpus = workdir / f"memory-{size}.jsonl"
        write_corpus(corpus, size, args.article_paragraphs, seed=size)
        cluster, client, _ = start_cluster(2)
        try:
            began = time.perf_counter()
            report = classify_corpus([str(corpus)], str(workdir / f"memory-out-{size}"), model_dir=model_dir,
                                     client=client, partition_size=args.partition_size, overwrite=True)
            seconds = time.perf_counter() - began
            peaks[size] = sorted(client.run(peak_rss_mb).values())
        finally:
            client.close()
            cluster.close()
        corpus.unlink()
        print(f"  {size:>9,} paragraphs: peak RSS per worker {', '.join(f'{mb:.0f} MB' for mb in peaks[size])}"
              f"  ({report.paragraphs / seconds:,.0f} paragraphs/s, load {load():.1f})")
    return peaks


def estimate(figures: dict) -> None:
    """Wall time and cost of 10 million paragraphs on N cores, from the CPU
    seconds the 2-worker job used in all (workers, nannies, scheduler, client):
    on a cluster where each worker process has a core of its own, that CPU
    throughput is the wall throughput per core. The wall figures measured
    here are not used: on a shared machine they measure the other users."""
    per_core = figures["paragraphs"] / figures["cpu"]["dask-2"]
    print()
    print(f"Estimate for {TEN_MILLION:,} paragraphs: {per_core:,.0f} paragraphs per CPU-second (the 2-worker job's "
          f"CPU in all), one worker process per core with a core each, ${CORE_HOUR_USD}/vCPU-hour:")
    for cores in (2, 16, 64, 256):
        seconds = TEN_MILLION / (per_core * cores)
        cost = seconds / 3600 * cores * CORE_HOUR_USD
        print(f"  {cores:>4} cores: {seconds / 3600:7.2f} h wall, about ${cost:,.2f}")
    print("  (plus the cluster's start and one model load per worker process: seconds, measured above)")
    figures["estimate_paragraphs_per_cpu_second"] = per_core


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model directory [default: models/default]")
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--article-paragraphs", type=int, default=10)
    parser.add_argument("--partition-size", type=int, default=100, help="articles per partition")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=0, help="CPU the in-process runs are pinned to (-1: none)")
    parser.add_argument("--memory-sizes", type=lambda value: [int(v) for v in value.split(",") if v],
                        default=[2_000, 20_000, 200_000])
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    args.cpu = None if args.cpu < 0 else args.cpu
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from stance.default_model import ensure_default_model

    model_dir = args.model or ensure_default_model()
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="stance-bench-batch-") as workdir:
        if not args.skip_throughput:
            results["throughput"] = throughput(args, Path(model_dir), Path(workdir))
            estimate(results["throughput"])
        if args.memory_sizes:
            print()
            print("Peak memory per worker (2 workers):")
            results["memory"] = memory(args, Path(model_dir), Path(workdir))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
