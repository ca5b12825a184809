"""Time and memory budgets for one check (a probe, a claim check, a repository check).

A check runs in a daemon thread of the audit's own process (probes share the snapshot's
caches, so a process per probe would re-read the repository each time). While it runs, the
caller polls the thread: past its time budget, or once the process's resident memory has
grown by more than the memory budget since the check started, the check is stopped by
raising :class:`CheckStopped` inside its thread (``PyThreadState_SetAsyncExc``).

The exception arrives at the thread's next Python instruction: a check stuck inside one long
C call (a regex, a parser) stops only when that call returns; for time, the caller stops
waiting at once and the audit goes on without it. Memory is the process's resident set read
from ``/proc/self/statm`` (Linux); where that file does not exist the memory budget is not
enforced. Memory a check's first call adds to shared caches (the AST index of every Python
file, parsed YAML) is charged to that check, so the budget is set well above what those
caches need for a large course repository (see benchmarks/README.md).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_SECONDS = 20.0
DEFAULT_MEMORY_MB = 1024.0
#: How often a running check is looked at, in seconds.
POLL_S = 0.01
#: How long a stopped check gets to unwind before the caller stops waiting for it.
UNWIND_S = 1.0

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_STATM = "/proc/self/statm"


class CheckStopped(BaseException):
    """Raised inside a check's thread to stop it (a BaseException: no ``except Exception``
    in a check can swallow it)."""


@dataclass(frozen=True)
class Budget:
    seconds: float = DEFAULT_SECONDS
    #: Growth of the process's resident memory allowed while the check runs; None: no limit.
    memory_mb: float | None = DEFAULT_MEMORY_MB


def rss_bytes() -> int | None:
    """The process's resident set size now, or None where it cannot be read cheaply."""

    try:
        with open(_STATM, "rb") as fh:
            fields = fh.read().split()
        return int(fields[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def stop_thread(thread: threading.Thread) -> bool:
    """Ask ``thread`` to raise :class:`CheckStopped`; False when it is already gone."""

    ident = thread.ident
    # Not ``thread.is_alive()``: after a join interrupted by a signal, CPython 3.11 may mark a
    # running thread as stopped. An ident whose thread is gone is simply not found.
    if ident is None:
        return False
    changed = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(CheckStopped)
    )
    return bool(changed == 1)


@dataclass
class Outcome:
    value: object = None
    error: str | None = None
    elapsed_ms: float = 0.0
    #: Largest growth of the resident set seen while the check ran, in bytes.
    peak_growth: int = 0


def run_within(
    label: str, func: Callable[..., object], args: tuple[object, ...], budget: Budget
) -> Outcome:
    """Call ``func(*args)`` in a daemon thread within ``budget``; never raises."""

    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = func(*args)
        except BaseException as exc:  # a check must never stop the audit
            box["exc"] = exc

    base = rss_bytes() if budget.memory_mb is not None else None
    limit = None if base is None or budget.memory_mb is None else budget.memory_mb * 1024 * 1024
    start = time.perf_counter()
    worker = threading.Thread(target=target, name=label, daemon=True)
    worker.start()
    outcome = Outcome()
    try:
        over = _watch(worker, outcome, budget, base, limit, start, label)
    except BaseException:
        # The caller itself is interrupted (a batch's per-repository alarm, Ctrl-C): the
        # check must not run on into the next repository's audit.
        stop_thread(worker)
        raise
    if over is not None:
        _stop_and_wait(worker)
        box.clear()  # drop whatever it built before it was stopped
    outcome.elapsed_ms = (time.perf_counter() - start) * 1000
    if over is not None:
        outcome.error = over
    elif "exc" in box:
        exc = box["exc"]
        outcome.error = f"{label} failed: {type(exc).__name__}: {exc}"
    else:
        outcome.value = box.get("value")
    return outcome


def _stop_and_wait(worker: threading.Thread, attempts: int = 5) -> None:
    """Stop ``worker``, again if needed: an exception that lands in a garbage-collector
    callback or a ``__del__`` is swallowed there ("Exception ignored in ..."), and the
    check would run on."""

    for _ in range(attempts):
        stop_thread(worker)
        worker.join(UNWIND_S / attempts)
        if not worker.is_alive():
            return


def _watch(
    worker: threading.Thread,
    outcome: Outcome,
    budget: Budget,
    base: int | None,
    limit: float | None,
    start: float,
    label: str,
) -> str | None:
    """Wait for ``worker``; the reason to stop it, or None when it finished in time."""

    while True:
        worker.join(POLL_S)
        if not worker.is_alive():
            return None
        if base is not None and limit is not None:
            now = rss_bytes()
            if now is not None:
                outcome.peak_growth = max(outcome.peak_growth, now - base)
                if now - base > limit:
                    return (
                        f"{label} exceeded its memory budget of {budget.memory_mb:g} MB"
                        f" (the process grew by {(now - base) / 1048576:.0f} MB)"
                    )
        if time.perf_counter() - start > budget.seconds:
            return f"{label} exceeded its budget of {budget.seconds:g} s"
