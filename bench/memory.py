"""Peak memory (maximum resident set size) of ``stance classify``: on all five
seed articles, next to that of ``python -c "import sklearn"``; and on one long
input (``--paragraphs``, 100,000 by default) in every output format, next to
the same command on ``--baseline-paragraphs`` (1,000) and to loading the model
alone (issue 17: a 100,000-paragraph input must stay under 300 MB).

The long input is one text file of paragraphs drawn (seeded) from the content
paragraphs of ``seeds/labels.jsonl``, each numbered (``[12345] ...``) so that
no two are the same text and no cache answers for a repeat: synthetic, for
cost only. Each command runs in a child process with its output sent to
``/dev/null``; its peak RSS is read with ``resource.getrusage(RUSAGE_CHILDREN)``
after it ends. Evidence is on (``classify``'s default) unless ``--no-evidence``.
Use a fast-profile model (``stance train --profile fast --output DIR``) for
100,000 paragraphs: the default profile's text encoder embeds every new
paragraph, which takes far longer. Run from the repository root:
``python bench/memory.py [--model DIR] [--paragraphs 100000] [--formats table,json,jsonl,csv]``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "seeds" / "labels.jsonl"
FORMATS = ("table", "json", "jsonl", "csv")
LIMIT_MB = 300
"""Issue 17's bound on the peak RSS of a 100,000-paragraph input."""


def peak_rss_mb(command: list[str]) -> float:
    """Peak RSS in MB of ``command``, run as the only child measured in a fresh interpreter."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe, *command], check=True, cwd=ROOT, capture_output=True)
    return int(output.stdout) / 1024  # ru_maxrss is in kilobytes on Linux


def write_long_input(path: Path, paragraphs: int, seed: int = 17) -> int:
    """One article of ``paragraphs`` numbered paragraphs; returns its size in bytes."""
    pool = [
        record["text"]
        for record in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())
        if not record.get("boilerplate") and len(record["text"].split()) > 16
    ]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(paragraphs):
            out.write(f"[{number}] {rng.choice(pool)}\n\n")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: the default model)")
    parser.add_argument("--paragraphs", type=int, default=100_000, help="paragraphs of the long input")
    parser.add_argument("--baseline-paragraphs", type=int, default=1_000, help="paragraphs of the baseline input")
    parser.add_argument("--formats", default=",".join(FORMATS), help="output formats to measure")
    parser.add_argument("--no-evidence", action="store_true", help="classify with --no-evidence")
    args = parser.parse_args()
    stance = [str(Path(sys.executable).with_name("stance")), "classify"]
    model = ["--model", args.model] if args.model else []

    seeds = sorted(str(path) for path in (ROOT / "seeds").glob("*.txt"))
    baseline = peak_rss_mb([sys.executable, "-c", "import sklearn"])
    classify = peak_rss_mb([*stance, *seeds, "--format", "json", *model])
    print(f"python -c 'import sklearn'            peak RSS {baseline:7.1f} MB")
    print(f"stance classify ({len(seeds)} seed articles)   peak RSS {classify:7.1f} MB")
    print(f"ratio                                 {classify / baseline:7.2f}x  (+{classify - baseline:.1f} MB)")
    if not args.paragraphs:
        return

    load = ("import sys; from stance.api import Classifier; "
            "Classifier.load(sys.argv[1] if len(sys.argv) > 1 else None)")
    alone = peak_rss_mb([sys.executable, "-c", load, *([args.model] if args.model else [])])
    with tempfile.TemporaryDirectory(prefix="stance-memory-") as work:
        small, large = Path(work) / "small.txt", Path(work) / "long.txt"
        write_long_input(small, args.baseline_paragraphs)
        size = write_long_input(large, args.paragraphs)
        options = ["--max-mb", str(size / 1024 / 1024 + 1), *model, *(["--no-evidence"] if args.no_evidence else [])]
        print(f"\none input of {args.paragraphs:,} paragraphs ({size / 1e6:.1f} MB), "
              f"{'without' if args.no_evidence else 'with'} evidence; model loaded alone: peak RSS {alone:.1f} MB")
        print(f"{'format':<7} {f'{args.baseline_paragraphs:,} p.':>12} {f'{args.paragraphs:,} p.':>12} "
              f"{'ratio':>7} {'x model alone':>14} {'wall s':>7}  under {LIMIT_MB} MB")
        for fmt in args.formats.split(","):
            command = [*stance, "--format", fmt, *options]
            first = peak_rss_mb([*command, str(small)])
            began = time.monotonic()
            peak = peak_rss_mb([*command, str(large)])
            seconds = time.monotonic() - began
            print(f"{fmt:<7} {first:9.1f} MB {peak:9.1f} MB {peak / first:6.2f}x {peak / alone:13.2f}x "
                  f"{seconds:7.0f}  {'yes' if peak < LIMIT_MB else 'NO'}")


if __name__ == "__main__":
    main()
