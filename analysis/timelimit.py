"""A wall-clock limit for work that hostile input can make run away (one corpus file, one pattern).

:func:`time_limit` arms ``SIGALRM``; its handler raises :class:`TimeLimitExceeded` in whatever
Python code or regular-expression match is running (CPython's ``re`` and the HTML/PDF parsers
check for signals as they go), so a stalled file or pattern is stopped, not waited for.
Signals reach only the main thread of a process: elsewhere (a thread pool) the block runs
unguarded and the context manager yields ``False``. Limits do not nest: inside an armed limit,
an inner one is left to the outer.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The block ran longer than its limit (``seconds``). A BaseException, like KeyboardInterrupt,
    so that no library's ``except Exception`` on the way swallows it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def can_interrupt() -> bool:
    """True where a limit can stop running code: the main thread, on a system with SIGALRM."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`TimeLimitExceeded` inside the block once it has run ``seconds`` (wall clock).

    Yields whether the limit is armed (False for no limit, off the main thread, or nested).
    """
    if not seconds or seconds <= 0 or not can_interrupt() or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield False
        return
    armed = {"on": True}

    def on_alarm(signum, frame):  # noqa: ARG001 -- the signal handler's signature
        if armed["on"]:
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        armed["on"] = False  # an alarm arriving now must not break the clean-up
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
