"""Server CPU per request: the service's ``POST /v1/classify`` against the bare
app (``bare_app.py``: the same segmentation and model, probabilities only), for
one paragraph (JSON) and for one whole article (``text/plain``), on text the
model has not seen (issue 17).

Both apps run in this process behind Flask's test client (the WSGI stack
without sockets or gunicorn: what a worker spends on a request, less the
network). Every request carries a text no earlier request carried: the
paragraphs and the documents of ``heldout/labels.jsonl`` and
``seeds/labels.jsonl`` in turn, each used once per app. Times are this
process's CPU time; the apps alternate in slices; medians of the per-request
times are reported with their ratio. The process is pinned to one CPU with
one BLAS thread. Run from the repository root:
``python bench/server_cpu.py [--model DIR] [--requests 300]``.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELED = (ROOT / "heldout" / "labels.jsonl", ROOT / "seeds" / "labels.jsonl")
SLICES = 6


def texts() -> tuple[list[str], list[str]]:
    """Every labeled content paragraph, and every labeled document (paragraphs joined by blank lines)."""
    paragraphs, documents = [], {}
    for path in LABELED:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                documents.setdefault((path, record["doc"]), []).append(record["text"])
                if not record["boilerplate"]:
                    paragraphs.append(record["text"])
    return paragraphs, ["\n\n".join(parts) for parts in documents.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: the default model)")
    parser.add_argument("--requests", type=int, default=300, help="requests per app and kind (at most the texts)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bare_app import create_app as create_bare

    from stance.default_model import ensure_default_model
    from stance.service import create_app

    model_dir = args.model or str(ensure_default_model())
    os.environ["BARE_MODEL_DIR"] = model_dir
    service = create_app({"MODEL_DIR": model_dir, "TESTING": True}).test_client()
    bare = create_bare().test_client()
    paragraphs, documents = texts()
    kinds = {
        "one paragraph (JSON)": [("json", text) for text in paragraphs],
        "one article (text/plain)": [("plain", text) for text in documents],
    }

    def send(client, kind: str, text: str) -> float:
        start = time.process_time()
        if kind == "json":
            response = client.post("/v1/classify", json={"text": text})
        else:
            response = client.post("/v1/classify", data=text.encode(), content_type="text/plain; charset=utf-8")
        spent = time.process_time() - start
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)[:200]}")
        return spent

    print(f"CPU per request on unseen text, Flask test client in one process pinned to one CPU; "
          f"load {os.getloadavg()[0]:.2f}")
    for name, requests in kinds.items():
        count = min(args.requests, len(requests) // 2)
        pools = {"service": requests[:count], "bare": requests[count : 2 * count]}  # distinct texts per app
        for app, client in (("service", service), ("bare", bare)):  # warm-up on texts never measured
            for kind, text in requests[2 * count : 2 * count + 5] or requests[:2]:
                send(client, kind, text)
        spent = {"service": [], "bare": []}
        size = max(1, count // SLICES)
        for first in range(0, count, size):
            for app, client in (("bare", bare), ("service", service)):
                spent[app].extend(send(client, kind, text) for kind, text in pools[app][first : first + size])
        service_ms = statistics.median(spent["service"]) * 1000
        bare_ms = statistics.median(spent["bare"]) * 1000
        print(f"  {name:<26} service {service_ms:6.2f} ms  bare {bare_ms:6.2f} ms  "
              f"ratio {service_ms / bare_ms:4.2f}x  ({count} requests each)")


if __name__ == "__main__":
    main()
