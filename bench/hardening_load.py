"""The service under hostile load, as deployed: gunicorn with the documented
settings (``stance.service.gunicorn_conf``, gthread workers) on 127.0.0.1.

    python bench/hardening_load.py [--model DIR] [--phase-seconds 150] [--clients 8,32]
                                   [--requests paragraph,article] [--minutes M] [--setting NAME=VALUE]

For each bounded closed-loop load (8 and 32 client threads; one paragraph as
JSON, then a whole seed article as text/plain; at most --phase-seconds each;
with --minutes, the phases repeat in turn until M minutes have passed),
at the same time:

* 2 slow clients, each sending a 1 KB body at 1 byte every --trickle seconds
  (then starting over, on a new connection, when one is answered or dropped);
* 2 adversarial clients, each posting 1 MB of text built to make the old
  boilerplate patterns backtrack ("cookie " repeated; the cookie pattern's
  ``.*`` took 23 s for 80 KB), one after the other;
* a prober asking ``/healthz`` every 0.25 s with a 2 s timeout.

Printed per phase: requests, errors (any answer but 200, or none), p50/p99
latency of the load; the adversarial requests' statuses; /healthz
availability (answered 200 within 2 s, target 100%) and why probes failed.
Over the whole run (4 x --phase-seconds, 10 minutes by default): each worker's
resident memory, sampled every 10 s from /proc. "Flat" is judged two ways
(target: within 10%): per worker, its last sample against its first one a
minute after it started (its warm-up: lazily loaded encoder and language
models, first large requests); and for the service, the largest worker in the
run's last minute against the largest in its second minute (workers replaced
by max_requests included, which is what bounds memory in production).
``--setting MAX_REQUESTS=1000000`` keeps the same workers for the whole run.
Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from http_load import ONE_PARAGRAPH, ROOT, SEED_ARTICLE  # the same requests as the plain load test

ADVERSARIAL = ("cookie " * (999_000 // 7)).encode()
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
MAX_REQUESTS_PER_CLIENT = 100_000
"""Bound of any client's loop, besides the phase's time."""


class Stop:
    def __init__(self) -> None:
        self.event = threading.Event()

    def set(self) -> None:
        self.event.set()

    def __bool__(self) -> bool:
        return self.event.is_set()


def start_gunicorn(model: str, workdir: Path, settings: dict[str, str]) -> tuple[subprocess.Popen, int, Path]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCE_") or key == "STANCE_CACHE_DIR"}
    env.update(STANCE_BIND="127.0.0.1:0", STANCE_MODEL_DIR=model, STANCE_PLUGINS="", STANCE_PLUGINS_DIR="",
               STANCE_LOG_LEVEL="WARNING")
    env.update({f"STANCE_{name}": value for name, value in settings.items()})
    log_path = workdir / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "--worker-tmp-dir", "/dev/shm", "-c",
               "python:stance.service.gunicorn_conf", "stance.service:create_app()"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = _LISTENING.search(log_path.read_text(errors="replace"))
        if found and status(int(found.group(1)), "/readyz") == 200:
            return server, int(found.group(1)), log_path
        if server.poll() is not None:
            raise SystemExit(log_path.read_text(errors="replace"))
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not become ready")


def status(port: int, path: str, timeout: float = 2.0) -> int | str:
    """The answer's status, or why there was none (``"timeout"``, ``"refused"``, ...)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path)
        code = connection.getresponse().status
        connection.close()
        return code
    except TimeoutError:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__


def post(port: int, body: bytes, content_type: str, timeout: float = 60.0) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("POST", "/v1/classify", body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status
    except OSError:
        return None


def load_client(port, body, content_type, stop, latencies, errors) -> None:
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if stop:
            return
        started = time.perf_counter()
        code = post(port, body, content_type)
        if code == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors[code] += 1


def slow_client(port, trickle, stop, served) -> None:
    body = json.dumps({"text": "The CSTO failed. " * 58}).encode()[:1000]
    while not stop:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                connection.sendall(b"POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   b"Content-Type: application/json\r\n"
                                   + f"Content-Length: {len(body)}\r\n\r\n".encode())
                for byte in body:
                    if stop:
                        return
                    connection.sendall(bytes([byte]))
                    stop.event.wait(trickle)
                served["answered" if connection.recv(64).startswith(b"HTTP/1.1") else "dropped"] += 1
        except OSError:
            served["dropped"] += 1
            stop.event.wait(1)


def adversarial_client(port, stop, statuses, durations) -> None:
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if stop:
            return
        started = time.perf_counter()
        statuses[post(port, ADVERSARIAL, "text/plain", timeout=120)] += 1
        durations.append(time.perf_counter() - started)


def prober(port, stop, outcomes) -> None:
    while not stop:
        started = time.monotonic()
        outcomes.append(status(port, "/healthz", timeout=2.0))
        stop.event.wait(max(0.0, 0.25 - (time.monotonic() - started)))


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def sampler(master, stop, samples) -> None:
    started = time.monotonic()
    while not stop:
        for pid in worker_pids(master):
            value = rss_mb(pid)
            if value is not None:
                samples[pid].append((time.monotonic() - started, value))
        stop.event.wait(10)


def run_phase(port, clients, body, content_type, seconds, trickle) -> dict:
    stop = Stop()
    latencies: list[float] = []
    errors: Counter = Counter()
    served: Counter = Counter()
    statuses: Counter = Counter()
    durations: list[float] = []
    probes: list[int | str] = []
    threads = [threading.Thread(target=load_client, args=(port, body, content_type, stop, latencies, errors))
               for _ in range(clients)]
    threads += [threading.Thread(target=slow_client, args=(port, trickle, stop, served)) for _ in range(2)]
    threads += [threading.Thread(target=adversarial_client, args=(port, stop, statuses, durations)) for _ in range(2)]
    threads += [threading.Thread(target=prober, args=(port, stop, probes))]
    for thread in threads:
        thread.daemon = True
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    latencies.sort()
    return {
        "requests": len(latencies) + sum(errors.values()),
        "errors": dict(errors),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None,
        "healthz": (probes.count(200), len(probes)),
        "healthz_failures": dict(Counter(str(outcome) for outcome in probes if outcome != 200)),
        "adversarial": dict(statuses),
        "adversarial_s": statistics.median(durations) if durations else None,
        "slow": dict(served),
    }


PAYLOADS = {
    "paragraph": ("one paragraph", json.dumps({"text": ONE_PARAGRAPH}).encode(), "application/json"),
    "article": ("whole article", SEED_ARTICLE.read_bytes(), "text/plain; charset=utf-8"),
}


def phases(clients: list[int], requests: list[str], phase_seconds: float, minutes: float | None):
    """``(clients, payload)`` per phase: each combination once, or in turn for ``minutes``."""
    combinations = [(count, PAYLOADS[name]) for count in clients for name in requests]
    total = len(combinations) if minutes is None else max(1, round(minutes * 60 / phase_seconds))
    return [combinations[index % len(combinations)] for index in range(total)]


def memory_report(samples: dict[int, list[tuple[float, float]]]) -> list[str]:
    """Lines judging worker memory: per worker after its warm-up, and the run's largest worker by minute."""
    lines = ["worker RSS (MB), per worker process: first sample a minute after it started, last, max, last/first"]
    for pid, series in samples.items():
        born = series[0][0]
        settled = [(when, value) for when, value in series if when - born >= 60]
        if len(settled) < 2:
            lines.append(f"  pid {pid}: lived {series[-1][0] - born:.0f} s, max {max(v for _, v in series):.0f}"
                         " (too short to judge)")
            continue
        first, last = settled[0][1], settled[-1][1]
        lines.append(f"  pid {pid}: {first:.0f} -> {last:.0f}, max {max(v for _, v in settled):.0f}, "
                     f"{last / first:.2f}x over {settled[-1][0] - settled[0][0]:.0f} s")
    by_minute: dict[int, float] = defaultdict(float)
    for series in samples.values():
        for when, value in series:
            by_minute[int(when // 60)] = max(by_minute[int(when // 60)], value)
    minutes = sorted(by_minute)
    lines.append("largest worker RSS (MB) per minute: "
                 + ", ".join(f"{minute + 1}: {by_minute[minute]:.0f}" for minute in minutes))
    if len(minutes) >= 3:
        second, last = by_minute[minutes[1]], by_minute[minutes[-1]]
        lines.append(f"largest worker, last minute against second: {last:.0f} / {second:.0f} = {last / second:.2f}x")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: build/use the default model)")
    parser.add_argument("--phase-seconds", type=float, default=150)
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--requests", default="paragraph,article", help="phases' requests: paragraph, article")
    parser.add_argument("--minutes", type=float, help="repeat the phases in turn for this long (memory over time)")
    parser.add_argument("--trickle", type=float, default=5.0, help="seconds between two bytes of a slow client")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a service setting for gunicorn (STANCE_NAME), e.g. MAX_REQUESTS=1000000")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.setting)
    model = args.model
    if model is None:
        from stance.default_model import ensure_default_model

        model = str(ensure_default_model())
    plan = phases([int(n) for n in args.clients.split(",")], args.requests.split(","), args.phase_seconds,
                  args.minutes)
    print(f"uptime before: {os.popen('uptime').read().strip()}")
    print(f"settings: {settings or 'documented defaults'}")
    with tempfile.TemporaryDirectory(prefix="stance-hardening-") as workdir:
        server, port, log_path = start_gunicorn(model, Path(workdir), settings)
        stop_sampling = Stop()
        samples: dict[int, list] = defaultdict(list)
        sampling = threading.Thread(target=sampler, args=(server.pid, stop_sampling, samples), daemon=True)
        sampling.start()
        rows = []
        try:
            for clients, (name, body, content_type) in plan:
                figures = run_phase(port, clients, body, content_type, args.phase_seconds, args.trickle)
                rows.append((clients, name, figures))
                print(f"{clients:>3} clients, {name}: {json.dumps(figures)}", flush=True)
        finally:
            stop_sampling.set()
            server.terminate()
            server.wait(timeout=60)
        log = log_path.read_text(errors="replace")
    print(f"uptime after: {os.popen('uptime').read().strip()}")
    print()
    print("clients  request        requests  errors  p50 ms   p99 ms   /healthz      adversarial 1 MB (median s)")
    for clients, name, f in rows:
        ok, total = f["healthz"]
        print(f"{clients:<8} {name:<14} {f['requests']:<9} {sum(f['errors'].values()):<7} "
              f"{f['p50_ms'] or 0:<8.1f} {f['p99_ms'] or 0:<8.1f} {ok}/{total} ({ok / max(total, 1):.1%})  "
              f"{f['adversarial']} ({f['adversarial_s'] or 0:.1f})")
    ok = sum(f["healthz"][0] for *_, f in rows)
    total = sum(f["healthz"][1] for *_, f in rows)
    print(f"/healthz over the run: {ok}/{total} ({ok / max(total, 1):.2%})")
    print(f"gunicorn worker timeouts: {log.count('WORKER TIMEOUT')}, workers replaced by max_requests: "
          f"{log.count('Autorestarting worker')}")
    print("\n".join(memory_report(samples)))


if __name__ == "__main__":
    main()
