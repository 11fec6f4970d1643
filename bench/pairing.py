"""Alternating paired measurements, shared by the benchmarks."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import TypeVar

Subject = TypeVar("Subject")


def paired_medians(
    measure: Callable[[Subject], float], first: Subject, second: Subject, rounds: int
) -> tuple[float, float, float]:
    """Median seconds of ``first`` and ``second`` (as ``measure`` times one run
    of each) over ``rounds`` alternating runs, so that a change in the machine's
    load hits both alike, after one unmeasured warm-up of each; and the median
    of the per-pair ratios second/first."""
    measure(first), measure(second)
    pairs = [(measure(first), measure(second)) for _ in range(rounds)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(b / a for a, b in pairs))
