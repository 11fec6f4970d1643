"""Progress of long work (training, evaluation, building the default model) as
one line per stage on a stream, usually stderr, with the time spent so far.

``Progress(None)`` is silent: library callers get no output unless they ask.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Writes ``stance: <message> [12.3 s]`` lines to ``stream`` (nothing when it is ``None``)."""

    def __init__(self, stream: TextIO | None = None, *, prefix: str = "stance"):
        self.stream = stream
        self.prefix = prefix
        self.started = time.perf_counter()

    @classmethod
    def to_stderr(cls) -> Progress:
        """Progress on the process's standard error."""
        return cls(sys.stderr)

    @property
    def elapsed(self) -> float:
        """Seconds since this ``Progress`` was made."""
        return time.perf_counter() - self.started

    def stage(self, message: str) -> None:
        """Announce a stage of the work."""
        self._write(message)

    def step(self, what: str, done: int, total: int, items: int, seconds: float, *, noun: str = "paragraphs") -> None:
        """Report step ``done`` of ``total`` (a fold, say) that handled ``items``
        ``noun`` in ``seconds``, with the rate and an estimate of the time left."""
        rate = items / seconds if seconds > 0 else float("inf")
        left = seconds * (total - done)
        self._write(
            f"{what} {done}/{total} done: {items} {noun} in {seconds:.1f} s ({rate:.0f}/s)"
            + (f", about {left:.0f} s left" if done < total else "")
        )

    def _write(self, message: str) -> None:
        if self.stream is None:
            return
        print(f"{self.prefix}: {message} [{self.elapsed:.1f} s]", file=self.stream, flush=True)


SILENT = Progress(None)
"""A ``Progress`` that writes nothing."""
