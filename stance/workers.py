"""How training spreads independent work (cross-validation folds) over the
cores, and keeps the numerical libraries to one thread each.

Fitting is many small sparse solves: BLAS and OpenMP pools only add spinning
threads that fight each other (and other processes) for the cores, so fitting
runs under ``single_threaded()``. Independent folds instead run in threads
(joblib's threading backend), as many as ``fold_workers`` allows:
``$STANCE_JOBS`` if set, else the CPUs this process may use. Threads, not
processes: the solvers' sparse products and NumPy's array work release the
GIL, and threads share the process's memory (worker processes each loaded the
libraries again and copied the data: 3 processes took 576 MB where one takes
under 300 MB) and need nothing pickled (extractors from a plugins folder
cannot be rebuilt in another process).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

JOBS_ENV = "STANCE_JOBS"


def fold_workers(tasks: int) -> int:
    """How many threads should run ``tasks`` independent folds: at most one
    per task and per usable CPU (or ``$STANCE_JOBS``)."""
    configured = os.environ.get(JOBS_ENV, "").strip()
    if configured:
        try:
            limit = int(configured)
        except ValueError:
            from .errors import DataError

            raise DataError(f"{JOBS_ENV}={configured!r} is not a whole number of workers") from None
    else:
        limit = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(tasks, limit))


def run_folds(function: Callable[..., Any], arguments: Iterable[tuple], tasks: int) -> list:
    """``[function(*args) for args in arguments]``, in order, spread over ``fold_workers(tasks)`` threads."""
    arguments = list(arguments)
    workers = fold_workers(tasks)
    if workers == 1:
        return [function(*args) for args in arguments]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=workers, backend="threading")(delayed(function)(*args) for args in arguments)


def single_threaded():
    """A context in which BLAS and OpenMP use one thread (``threadpoolctl``)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)
