"""Peak memory (maximum resident set size) of ``stance classify`` on all five
seed articles, next to that of ``python -c "import sklearn"``.

Each command runs in a child process; its peak RSS is read with
``resource.getrusage(RUSAGE_CHILDREN)`` after it ends. Run from the repository
root: ``python bench/memory.py [--model DIR]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb(command: list[str]) -> float:
    """Peak RSS in MB of ``command``, run as the only child measured in a fresh interpreter."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe, *command], check=True, cwd=ROOT, capture_output=True)
    return int(output.stdout) / 1024  # ru_maxrss is in kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: models/default)")
    args = parser.parse_args()
    seeds = sorted(str(path) for path in (ROOT / "seeds").glob("*.txt"))
    stance = [str(Path(sys.executable).with_name("stance")), "classify", *seeds, "--format", "json"]
    if args.model:
        stance += ["--model", args.model]
    baseline = peak_rss_mb([sys.executable, "-c", "import sklearn"])
    classify = peak_rss_mb(stance)
    print(f"python -c 'import sklearn'            peak RSS {baseline:7.1f} MB")
    print(f"stance classify ({len(seeds)} seed articles)   peak RSS {classify:7.1f} MB")
    print(f"ratio                                 {classify / baseline:7.2f}x  (+{classify - baseline:.1f} MB)")


if __name__ == "__main__":
    main()
