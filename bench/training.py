"""``stance train`` as data grows: CPU time (the process and every worker it
starts) and peak memory (the sum over the process tree, and its largest
process) at 1x, 2x and 4x the labeled data (issue 17).

The 2x and 4x files are ``seeds/labels.jsonl`` plus perturbed copies of every
document under new document ids (``<doc>-p1``, ...): in each copy about 10% of
the words outside the labeled evidence spans are dropped and 10% altered (two
inner letters swapped, or a letter added), so that the copies bring new
character n-grams and words rather than exact duplicates. They are synthetic:
they measure cost, not accuracy.

Each size runs ``stance train --data FILE --output DIR`` (the fit alone, the
default) or, with ``--cv``, ``stance train --cv`` (plus a 5-fold grouped
cross-validation), as child processes; sizes alternate over ``--rounds``
rounds and medians are reported. CPU is user+system time of the
children (``RUSAGE_CHILDREN``, which includes joblib's worker processes once
they exit); memory is sampled every 50 ms from ``/proc``. Run from
the repository root: ``python bench/training.py [--sizes 1,2,4] [--rounds 1] [--cv]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "seeds" / "labels.jsonl"
CPU_GROWTH_TARGET = 5.0
MEMORY_TARGET_MB = 500
FIT_CPU_TARGET = 60.0
_WORD = re.compile(r"\w+")


def perturbed(text: str, evidence: dict, rng: random.Random) -> str:
    """``text`` with ~10% of its words dropped and ~10% altered, outside the evidence spans."""
    protected = []
    for spans in evidence.values():
        for span in spans:
            start = text.find(span)
            if start >= 0:
                protected.append((start, start + len(span)))
    pieces, position = [], 0
    for word in _WORD.finditer(text):
        if any(start < word.end() and word.start() < end for start, end in protected):
            continue
        roll = rng.random()
        if roll < 0.1:
            replacement = ""
        elif roll < 0.2:
            letters = list(word.group())
            if len(letters) > 3:
                i = rng.randrange(1, len(letters) - 2)
                letters[i], letters[i + 1] = letters[i + 1], letters[i]
            else:
                letters.append(rng.choice("aeiouнао"))
            replacement = "".join(letters)
        else:
            continue
        pieces.append(text[position : word.start()] + replacement)
        position = word.end()
    pieces.append(text[position:])
    return re.sub(r"  +", " ", "".join(pieces)).strip() or text


def scaled_file(times: int, folder: Path) -> Path:
    """``seeds/labels.jsonl`` with ``times - 1`` perturbed copies of every document appended."""
    lines = [line for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = list(lines)
    for copy in range(1, times):
        rng = random.Random(copy)
        for line in lines:
            record = json.loads(line)
            record["id"] = f"{record['id']}-p{copy}"
            record["doc"] = f"{record['doc']}-p{copy}"
            record["text"] = perturbed(record["text"], record.get("evidence", {}), rng)
            out.append(json.dumps(record, ensure_ascii=False))
    path = folder / f"labels_{times}x.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _tree_rss_kb(root: int) -> tuple[int, int]:
    """Sum and largest of VmRSS over ``root`` and its descendants, in kB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, parent = int(entry), int(fields.get("PPid", "0").strip())
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        stack.extend(children.get(pid, ()))
    return total, largest


def run(command: list[str]) -> dict:
    """CPU seconds, wall seconds, peak single-process and whole-tree RSS (MB) of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = process_peak = 0
    while process.poll() is None:
        total, largest = _tree_rss_kb(process.pid)
        tree_peak, process_peak = max(tree_peak, total), max(process_peak, largest)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    return {
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "wall": wall,
        "process_mb": process_peak / 1024,
        "tree_mb": tree_peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,4", help="multiples of the labeled data")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cv", action="store_true", help="train with --cv (a 5-fold grouped cross-validation too)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        files = {size: scaled_file(size, Path(folder)) for size in sizes}
        records = {size: len(files[size].read_text(encoding="utf-8").splitlines()) for size in sizes}
        runs: dict[int, list[dict]] = {size: [] for size in sizes}
        for _ in range(args.rounds):
            for size in sizes:  # alternate sizes within a round
                stance = str(Path(sys.executable).with_name("stance"))
                command = [stance, "train", "--data", str(files[size]), "--output", f"{folder}/model_{size}x"]
                if args.cv:
                    command.append("--cv")
                runs[size].append(run(command))
    what = "stance train --cv (5-fold grouped cross-validation, then the fit)" if args.cv else "stance train (the fit)"
    print(f"{what}; {os.cpu_count()} CPUs; medians of {args.rounds} round(s); load {os.getloadavg()[0]:.2f}")
    base = statistics.median(r["cpu"] for r in runs[sizes[0]])
    for size in sizes:
        cpu = statistics.median(r["cpu"] for r in runs[size])
        wall = statistics.median(r["wall"] for r in runs[size])
        tree = statistics.median(r["tree_mb"] for r in runs[size])
        largest = statistics.median(r["process_mb"] for r in runs[size])
        print(f"  {size}x ({records[size]:5d} records)  CPU {cpu:7.1f} s ({cpu / base:4.2f}x of {sizes[0]}x)  "
              f"wall {wall:7.1f} s  peak RSS: process tree {tree:5.0f} MB, largest process {largest:5.0f} MB")
    if len(sizes) > 1:
        growth = statistics.median(r["cpu"] for r in runs[sizes[-1]]) / base
        ratio = sizes[-1] / sizes[0]
        if not args.cv and sizes[0] == 1:
            print(f"  the fit on today's data: {base:.1f} s CPU "
                  f"({'meets' if base <= FIT_CPU_TARGET else 'misses'} <= {FIT_CPU_TARGET:g} s)")
        print(f"  {ratio:g}x the data: {growth:.2f}x the CPU "
              f"({'meets' if growth <= CPU_GROWTH_TARGET * ratio / 4 else 'misses'} <= {CPU_GROWTH_TARGET * ratio / 4:g}x)")
    peak = max(r["tree_mb"] for size in sizes for r in runs[size])
    print(f"  largest tree peak {peak:.0f} MB ({'meets' if peak <= MEMORY_TARGET_MB else 'misses'} <= {MEMORY_TARGET_MB} MB)")


if __name__ == "__main__":
    main()
