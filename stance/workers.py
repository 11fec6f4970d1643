"""How training spreads independent work (cross-validation folds) over
processes, and keeps each process's numerical libraries to one thread.

Fitting is many small sparse solves: BLAS and OpenMP pools only add spinning
threads that fight each other (and other processes) for the cores, so every fit
runs under ``single_threaded()``. Independent folds instead run in separate
processes (joblib's loky backend), as many as ``fold_workers`` allows:
``$STANCE_JOBS`` if set, else the CPUs this process may use; never more than
one inside a worker, so that nested cross-validation does not multiply processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

JOBS_ENV = "STANCE_JOBS"


def fold_workers(tasks: int) -> int:
    """How many processes should run ``tasks`` independent folds: at most one
    per task and per usable CPU (or ``$STANCE_JOBS``), and 1 inside a worker."""
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    if getattr(backend, "nesting_level", 0) or tasks < 2:
        return 1
    configured = os.environ.get(JOBS_ENV, "").strip()
    if configured:
        try:
            limit = int(configured)
        except ValueError:
            from .errors import DataError

            raise DataError(f"{JOBS_ENV}={configured!r} is not a whole number of processes") from None
    else:
        limit = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(tasks, limit))


def run_folds(function: Callable[..., Any], arguments: Iterable[tuple], tasks: int, *, portable: bool = True) -> list:
    """``[function(*args) for args in arguments]``, in order, spread over
    ``fold_workers(tasks)`` processes (only one unless ``portable``: the
    arguments can be rebuilt in a new process, see ``portable``); each call single-threaded."""
    arguments = list(arguments)
    workers = fold_workers(tasks) if portable else 1
    if workers == 1:
        return [_single_threaded_call(function, args) for args in arguments]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=workers, backend="loky")(delayed(_single_threaded_call)(function, args) for args in arguments)


def portable(objects: Iterable[object]) -> bool:
    """Whether a new process can unpickle ``objects``: none of them is an
    instance of a class defined in ``__main__`` or in a plugins folder (whose
    modules exist only in the process that loaded the folder)."""
    from .plugins import FOLDER_PACKAGE

    for item in objects:
        module = type(item).__module__ or ""
        if module == "__main__" or module == FOLDER_PACKAGE or module.startswith(FOLDER_PACKAGE + "."):
            return False
    return True


def single_threaded():
    """A context in which BLAS and OpenMP use one thread (``threadpoolctl``)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _single_threaded_call(function: Callable[..., Any], args: tuple):
    with single_threaded():
        return function(*args)
