"""Plugins: start-up cost of loading the example folder plugins, and the
macro-F1 effect of each example extractor.

Load cost: a new Python process imports ``stance.plugins`` and runs
``load_plugins(folder)`` with an empty folder (built-in plugins only) and with
``plugins/`` (built-ins + ``hedging`` + ``quotation``), alternating the two,
median of ``--runs`` each; printed as the time inside the process (import and
load), the process's wall time, and their ratios. Then the same loads again
inside one process, imports cached: the part the examples add, without the
noise of process start-up. Installed plugins are off (``STANCE_PLUGINS=""``).

Effect: ``stance.evaluation.evaluate`` (cross-validation grouped by document)
on ``seeds/labels.jsonl`` with the built-in extractors, then the built-ins plus
each example, then plus both: macro-F1 per stance target and rhetoric
micro/macro-F1, with the change against the built-ins.

Run from the repository root: ``python bench/plugins.py [--runs 7] [--folds 5] [--skip-f1]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
DATA = ROOT / "seeds" / "labels.jsonl"
EXAMPLES = ("hedging", "quotation")
CHILD = (
    "import sys, time\n"
    "start = time.perf_counter()\n"
    "from stance.plugins import get_registry\n"
    "names = get_registry(sys.argv[1], strict=True).names()\n"
    "print(time.perf_counter() - start, ','.join(names))\n"
)


def load_once(folder: Path) -> tuple[float, float, str]:
    """In-process load time, process wall time, and the extractors registered, for one new process."""
    env = {**os.environ, "STANCE_PLUGINS": ""}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder)], check=True, capture_output=True, text=True,
                          env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    inside, names = done.stdout.split()
    return float(inside), wall, names


def load_cost(runs: int) -> None:
    with tempfile.TemporaryDirectory() as empty:
        folders = {"built-ins only": Path(empty), "built-ins + examples": PLUGINS}
        for folder in folders.values():
            load_once(folder)
        samples = {label: [] for label in folders}
        for _ in range(runs):
            for label, folder in folders.items():
                samples[label].append(load_once(folder))
        reloads = {label: reload_seconds(folder, runs * 10) for label, folder in folders.items()}
    print(f"plugin loading at start-up, median of {runs} new processes each (alternating)")
    print(f"{'plugins':<22} {'import+load':>12} {'process wall':>13}  extractors")
    medians = {}
    for label, runs_of in samples.items():
        inside = statistics.median(sample[0] for sample in runs_of)
        wall = statistics.median(sample[1] for sample in runs_of)
        medians[label] = (inside, wall)
        print(f"{label:<22} {inside * 1000:9.0f} ms {wall * 1000:10.0f} ms  {runs_of[0][2]}")
    (base_in, base_wall), (ex_in, ex_wall) = medians.values()
    print(f"{'ratio':<22} {ex_in / base_in:11.3f}x {ex_wall / base_wall:12.3f}x")
    base, examples = reloads.values()
    print(f"loading again in one process (imports cached), median of {runs * 10}: "
          f"{base * 1000:.1f} ms without, {examples * 1000:.1f} ms with the examples, ratio {examples / base:.2f}x")


def reload_seconds(folder: Path, runs: int) -> float:
    """Median time of ``reset_plugins()`` then ``load_plugins(folder)`` in this process: the
    built-in modules stay imported, the folder's modules are executed again, every hook is called."""
    from stance.plugins import load_plugins, reset_plugins

    os.environ["STANCE_PLUGINS"] = ""
    samples = []
    for _ in range(runs + 1):
        reset_plugins()
        start = time.perf_counter()
        load_plugins(folder, strict=True)
        samples.append(time.perf_counter() - start)
    reset_plugins()
    return statistics.median(samples[1:])


def f1_effect(folds: int) -> None:
    from stance.evaluation import evaluate
    from stance.fitting import DEFAULT_EXTRACTORS

    os.environ["STANCE_PLUGINS"] = ""
    variants = {"built-ins": list(DEFAULT_EXTRACTORS)}
    variants.update({f"+ {name}": [*DEFAULT_EXTRACTORS, name] for name in EXAMPLES})
    variants["+ both"] = [*DEFAULT_EXTRACTORS, *EXAMPLES]
    print(f"\ngrouped {folds}-fold cross-validation on {DATA.relative_to(ROOT)}")
    header = f"{'extractors':<14} {'csto F1':>8} {'west F1':>8} {'rhet micro':>11} {'rhet macro':>11}"
    print(header + "   change (csto, west)")
    base = None
    for label, extractors in variants.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = evaluate(DATA, extractors=extractors, plugins_dir=PLUGINS, folds=folds)
        scores = (
            report["targets"]["csto"]["model"]["macro_f1"],
            report["targets"]["west"]["model"]["macro_f1"],
            report["rhetoric"]["model"]["micro_f1"],
            report["rhetoric"]["model"]["macro_f1"],
        )
        base = base or scores
        change = f"{scores[0] - base[0]:+.3f}, {scores[1] - base[1]:+.3f}"
        print(f"{label:<14} {scores[0]:8.3f} {scores[1]:8.3f} {scores[2]:11.3f} {scores[3]:11.3f}   {change}"
              f"   ({time.perf_counter() - start:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-f1", action="store_true", help="only measure the load cost")
    args = parser.parse_args()
    load_cost(args.runs)
    if not args.skip_f1:
        f1_effect(args.folds)


if __name__ == "__main__":
    main()
