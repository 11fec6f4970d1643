"""HTTP load on the service under gunicorn, against a bare Flask app that calls
the same scikit-learn pipeline directly (the ceiling).

    python bench/http_load.py [--model DIR] [--requests 600] [--seconds 20]

For 1 and 2 gunicorn workers and two kinds of request (one paragraph as JSON;
a whole article as text/plain), a bounded closed-loop load (at most --requests
requests or --seconds seconds, one client thread per worker plus one, on
127.0.0.1 only) gives requests per second and p50/p99 latency (which includes
the wait in gunicorn's queue: there is always one more client than workers);
a second run with a single client (at most --requests/2) gives the latency
of a request that does not queue. Both apps run at the same time and every
measurement is sent in four slices alternating between them, so that other
work on the machine disturbs both alike. The peak
resident memory of each worker comes from /proc/PID/status (VmHWM). Targets:
p50 under 10 ms for one paragraph, and at least 60% of the bare app's throughput.

Every request carries a different text (``texts``: the labeled paragraphs of
``seeds/`` and ``heldout/`` in a fixed shuffled order, and their documents as
articles), so no cache in either app answers a request from an earlier one.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "000_3f0b3d69d48b213d.txt"
ONE_PARAGRAPH = (
    "Kopyrkin noted that these are all very important problems requiring attention, but it is also "
    "important to note that behind these discussions the core activities of the CSTO that are "
    "conducted every day are sometimes not visible."
)
SERVICE_APP = "stance.service:create_app()"
BARE_APP = "bare_app:create_app()"
WARMUP_REQUESTS = 30
ROUNDS = 4
"""Slices of each measurement, alternating between the two apps."""
SOLO = ", 1 client"
"""Suffix of the rows measured with a single client: latency without queueing."""
P50_TARGET_MS = 10
RATIO_TARGET = 0.60
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Load:
    """One kind of request: its path, its bodies (request ``i`` sends body ``i`` modulo their number) and content type."""

    name: str
    path: str
    bodies: tuple[bytes, ...]
    content_type: str


@dataclass(frozen=True)
class Figures:
    """What a load run measured."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float


class Gunicorn:
    """A gunicorn server on a free loopback port, stopped with SIGTERM."""

    def __init__(self, app: str, workers: int, env: dict[str, str], log_path: Path) -> None:
        command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", str(workers),
                   "--pythonpath", str(Path(__file__).parent), app]
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.port = int(self._wait(lambda: _LISTENING.search(log_path.read_text(errors="replace")), "listen").group(1))
        self._wait(lambda: self.status("/readyz") == 200, "the model to load")

    def status(self, path: str) -> int | None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", path)
            return connection.getresponse().status
        except OSError:
            return None

    def worker_peak_rss_mb(self) -> list[float]:
        """VmHWM of each worker process (the children of the master), in MB."""
        peaks = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
        return sorted(peaks)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        if code != 0:
            raise RuntimeError(f"gunicorn exited with {code}; see {self.log_path}")

    def _wait(self, predicate, what: str, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited while waiting to {what}; see {self.log_path}")
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not {what} within {timeout} s; see {self.log_path}")


def run_load(port: int, load: Load, *, requests: int, seconds: float, clients: int) -> tuple[list[float], int, float]:
    """Send ``load`` from ``clients`` threads until ``requests`` are sent or
    ``seconds`` pass; the latencies, the number of errors and the elapsed time."""
    tickets = itertools.count()
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[int] = []

    def client() -> None:
        while next(tickets) < requests and time.monotonic() < deadline:
            started = time.perf_counter()
            status = _post(port, load.path, load.bodies[next(_sent) % len(load.bodies)], load.content_type)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(errors), time.perf_counter() - started


def figures_of(latencies: list[float], errors: int, elapsed: float) -> Figures:
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return Figures(len(latencies), errors, len(latencies) / elapsed, quantiles[49] * 1000, quantiles[98] * 1000)


_sent = itertools.count()
"""Requests sent in this process: which body the next one carries."""


def _post(port: int, path: str, body: bytes, content_type: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def texts() -> tuple[list[str], list[str]]:
    """The labeled paragraphs and the documents they make (paragraphs joined by
    blank lines), each in a fixed shuffled order."""
    import random

    documents: dict[str, list[str]] = {}
    for path in (ROOT / "seeds" / "labels.jsonl", ROOT / "heldout" / "labels.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                documents.setdefault(f"{path.parent.name}/{record['doc']}", []).append(record["text"])
    paragraphs = [text for texts in documents.values() for text in texts]
    articles = ["\n\n".join(texts) for texts in documents.values()]
    random.Random(0).shuffle(paragraphs)
    random.Random(1).shuffle(articles)
    return paragraphs, articles


def loads() -> list[Load]:
    paragraphs, articles = texts()
    return [
        Load("one paragraph", "/v1/classify", tuple(json.dumps({"text": text}).encode() for text in paragraphs),
             "application/json"),
        Load("article", "/v1/classify", tuple(text.encode() for text in articles), "text/plain; charset=utf-8"),
    ]


def measure(workers: int, env: dict[str, str], args, workdir: Path) -> dict[str, tuple[dict[str, Figures], list[float]]]:
    """Both apps with ``workers`` workers, up at the same time; each load is sent
    in ``ROUNDS`` slices that alternate between the two apps, so that a change
    in the machine's load during the run hits both alike."""
    servers = {}
    try:
        for name, app in (("stance", SERVICE_APP), ("bare", BARE_APP)):
            servers[name] = Gunicorn(app, workers, env, workdir / f"{name}-{workers}.log")
        figures: dict[str, dict[str, Figures]] = {name: {} for name in servers}
        for load in loads():
            for server in servers.values():
                run_load(server.port, load, requests=WARMUP_REQUESTS, seconds=args.seconds, clients=1)
            for suffix, clients, requests in (("", workers + 1, args.requests), (SOLO, 1, args.requests // 2)):
                totals = {name: ([], 0, 0.0) for name in servers}
                for round_number in range(ROUNDS):
                    order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
                    for name in order:
                        latencies, errors, elapsed = run_load(servers[name].port, load, requests=requests // ROUNDS,
                                                              seconds=args.seconds / ROUNDS, clients=clients)
                        so_far = totals[name]
                        totals[name] = (so_far[0] + latencies, so_far[1] + errors, so_far[2] + elapsed)
                for name, total in totals.items():
                    figures[name][load.name + suffix] = figures_of(*total)
        return {name: (figures[name], server.worker_peak_rss_mb()) for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: the default model, built first if missing)")
    parser.add_argument("--requests", type=int, default=600, help="most requests per measurement")
    parser.add_argument("--seconds", type=float, default=20, help="most seconds per measurement")
    parser.add_argument("--workers", default="1,2", help="worker counts to try")
    args = parser.parse_args()
    if args.model is None:
        from stance.default_model import ensure_default_model

        args.model = str(ensure_default_model())

    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCE_")}
    env.update(STANCE_MODEL_DIR=args.model, STANCE_PLUGINS="", STANCE_PLUGINS_DIR="",
               BARE_MODEL_DIR=args.model)
    rows = []
    with tempfile.TemporaryDirectory(prefix="stance-http-load-") as workdir:
        for workers in (int(n) for n in args.workers.split(",")):
            measured = measure(workers, env, args, Path(workdir))
            (service, service_rss), (bare, bare_rss) = measured["stance"], measured["bare"]
            for name in service:
                rows.append((workers, name, "stance", service[name], service[name].per_second / bare[name].per_second,
                             service_rss))
                rows.append((workers, name, "bare", bare[name], 1.0, bare_rss))
    print_table(rows, args)


def print_table(rows, args) -> None:
    print(f"gunicorn on 127.0.0.1, sync workers; closed loop with workers+1 client threads (or 1); "
          f"at most {args.requests} requests (or half) or {args.seconds:g} s per row, in {ROUNDS} slices "
          f"alternating stance and bare; {os.cpu_count()} CPUs")
    header = ("workers", "request", "app", "requests", "errors", "req/s", "p50 ms", "p99 ms", "vs bare",
              "peak RSS/worker MB")
    lines = [header]
    for workers, name, app, figures, ratio, rss in rows:
        lines.append((str(workers), name, app, str(figures.requests), str(figures.errors), f"{figures.per_second:.0f}",
                      f"{figures.p50_ms:.2f}", f"{figures.p99_ms:.2f}", f"{ratio:.0%}",
                      " ".join(f"{mb:.0f}" for mb in rss)))
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    print()
    for workers, name, app, figures, ratio, _ in rows:
        if app != "stance":
            continue
        verdicts = [f"{ratio:.0%} of bare ({_verdict(ratio >= RATIO_TARGET)} >= {RATIO_TARGET:.0%})"]
        if name.startswith("one paragraph"):
            verdicts.insert(0, f"p50 {figures.p50_ms:.2f} ms ({_verdict(figures.p50_ms < P50_TARGET_MS)} "
                               f"< {P50_TARGET_MS} ms)")
        print(f"{workers} worker(s), {name}: {', '.join(verdicts)}")


def _verdict(met: bool) -> str:
    return "meets" if met else "misses"


if __name__ == "__main__":
    main()
