"""Cold start: wall time of ``stance classify`` on one seed article against
``python -c "import sklearn"``, median of several runs each (alternating the
two commands), and their ratio.

Target (issue 3): at most 1.5x. Run from the repository root:
``python bench/cold_start.py [--runs 7] [--model DIR]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from pairing import paired_medians

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_3f0b3d69d48b213d.txt"


def wall_seconds(command: list[str]) -> float:
    """Wall time of one run of ``command`` (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--model", help="model directory (default: models/default)")
    args = parser.parse_args()
    stance = [str(Path(sys.executable).with_name("stance")), "classify", str(SEED)]
    if args.model:
        stance += ["--model", args.model]
    baseline, classify, ratio = paired_medians(wall_seconds, [sys.executable, "-c", "import sklearn"], stance, args.runs)
    print(f"python -c 'import sklearn'   {baseline * 1000:8.0f} ms  (median of {args.runs})")
    print(f"stance classify {SEED.name}  {classify * 1000:8.0f} ms  (median of {args.runs})")
    print(f"ratio of the medians         {classify / baseline:8.2f}x  (target <= 1.5x)")
    print(f"median of the paired ratios  {ratio:8.2f}x  (runs alternate the two commands)")

if __name__ == "__main__":
    main()
