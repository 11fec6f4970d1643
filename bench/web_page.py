"""The analysts' page in headless Chromium: time from submit to rendered results
for a seed article, and the page's transfer size.

Serves the app on a free loopback port, loads the page in Debian's Chromium
(``apt-get install chromium``) through Playwright, then for each run pastes the
seed article, presses Classify and waits for the results. Reports the median
of the page's own measure (``performance`` marks from submit to the results in
the DOM) and of the wall time seen by the driver, the bytes of the page load
and of one answer, and fails if any request left 127.0.0.1.

Targets (issue 7): page under 100 KB, no external request. Run from the
repository root: ``python bench/web_page.py [--runs 9] [--model DIR] [--seed FILE]``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Request, sync_playwright
from werkzeug.serving import make_server

from stance.service import create_app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "003_26dae961d9fa5e46.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = "127.0.0.1"
PAGE_BUDGET_BYTES = 100_000


def transferred(requests: list[Request]) -> int:
    """Bytes of the responses to ``requests``, headers and bodies, as Chromium counted them."""
    sizes = [request.sizes() for request in requests]
    return sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes)


def measure(url: str, article: str, runs: int) -> dict:
    """Load the page and classify ``article`` ``runs`` times, after one unmeasured warm-up."""
    page_ms, wall_ms, page_bytes, answer_bytes, hosts = [], [], 0, 0, set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(runs + 1):
            page = browser.new_page()
            finished: list[Request] = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(url, wait_until="networkidle")
            page_bytes = transferred(finished)
            page.fill("#article-text", article)
            loaded = len(finished)
            started = time.perf_counter()
            page.click("#classify-button")
            page.wait_for_selector("#results:not([hidden])")
            if run:
                wall_ms.append((time.perf_counter() - started) * 1000)
                page_ms.append(page.evaluate("performance.getEntriesByName('classify').at(-1).duration"))
            answer_bytes = transferred(finished[loaded:])
            hosts |= {urlsplit(request.url).hostname for request in finished}
            page.close()
        browser.close()
    return {"page_ms": statistics.median(page_ms), "wall_ms": statistics.median(wall_ms),
            "page_bytes": page_bytes, "answer_bytes": answer_bytes, "hosts": hosts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--model", help="model directory (default: models/default)")
    parser.add_argument("--seed", type=Path, default=SEED, help="article to classify")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request on the terminal
    app = create_app({"LOG_LEVEL": "WARNING", **({"MODEL_DIR": args.model} if args.model else {})})
    server = make_server(LOOPBACK, 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        figures = measure(f"http://{LOOPBACK}:{server.server_port}/", args.seed.read_text(encoding="utf-8"), args.runs)
    finally:
        server.shutdown()

    print(f"submit to rendered, in the page   {figures['page_ms']:8.0f} ms  (median of {args.runs}, {args.seed.name})")
    print(f"submit to rendered, driver's view {figures['wall_ms']:8.0f} ms  (median of {args.runs})")
    print(f"page load transfer                {figures['page_bytes'] / 1024:8.1f} KB  (target < {PAGE_BUDGET_BYTES / 1000:.0f} KB)")
    print(f"one answer for the seed           {figures['answer_bytes'] / 1024:8.1f} KB")
    print(f"hosts contacted                   {', '.join(sorted(figures['hosts']))}")
    if figures["hosts"] != {LOOPBACK} or figures["page_bytes"] >= PAGE_BUDGET_BYTES:
        raise SystemExit("the page contacted another host or exceeds its budget")


if __name__ == "__main__":
    main()
