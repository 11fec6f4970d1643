"""A work deadline for one request: long work checks it between steps and
stops with ``DeadlineExceeded`` once it has passed.

Python cannot interrupt a running thread, so the deadline is cooperative:
``segment`` checks it between paragraphs and ``Classifier`` between model
batches, steps whose cost is bounded (every segmentation pattern is linear in
a paragraph's length). The HTTP service sets one per classification request
(``STANCE_DEADLINE``) and answers a JSON 503 when it passes, well before
gunicorn would kill the worker; for a step that overruns it, the gunicorn
worker's own loop answers (``stance.service.worker``). Without
``work_deadline`` nothing is checked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import StanceError

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("stance_deadline", default=None)


class DeadlineExceeded(StanceError):
    """The work took longer than its deadline and was abandoned."""


@contextmanager
def work_deadline(seconds: float | None) -> Iterator[None]:
    """Within this block, ``check_deadline()`` raises once ``seconds`` have passed
    (``None``: no deadline)."""
    if seconds is None:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_deadline() -> None:
    """Raise ``DeadlineExceeded`` if the current deadline has passed."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise DeadlineExceeded(f"the work took longer than its {current[1]:g} s deadline and was stopped")
