"""SIGINT and SIGTERM handled the same way everywhere: stop the work, clean up, say so.

`stop_on_signals()` turns either signal into `Interrupted` in the main thread (so
`finally` blocks remove partial output) and sets an event that `checked(progress,
event)` turns into `Interrupted` inside worker threads at their next progress call, with
the same signal (a library importing when the signal came may swallow the first raise:
seen with protobuf on a cold start, which then ended as SIGINT; or turn it into an error
of its own, "ImportError: initialization failed", which within the block is taken as the
interruption it was).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The user (SIGINT) or the system (SIGTERM) asked the work to stop."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.kept: list[str] = []  # what was finished and kept, said when stopping

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextmanager
def stop_on_signals(
    signals: tuple[int, ...] = SIGNALS, *, grace: float | None = None
) -> Iterator[threading.Event]:
    """Within the block, these signals set the event and raise Interrupted once.

    With `grace` (for worker processes, whose parent removes what they leave), the
    process is ended by the system `grace` seconds after the signal should its clean-up
    not finish by then: a thread that never stops must not keep the batch waiting.
    Outside the main thread (a Dask worker's task) no handler can be set: the event
    is returned unset and the process's own handling applies.
    """
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return

    def handle(signum, frame) -> None:
        if not event.is_set():
            event.signum = signum  # for `checked`, should this raise be swallowed on its way
            event.set()
            if grace is not None:
                _end_process_after(grace)
            raise Interrupted(signum)

    previous = {s: signal.signal(s, handle) for s in signals}
    hook = sys.unraisablehook
    sys.unraisablehook = _quiet_interrupted(hook)
    try:
        yield event
    except Exception as error:
        if event.is_set():  # a library mid-import turned the raise into its own error
            raise Interrupted(getattr(event, "signum", signal.SIGINT)) from error
        raise
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        sys.unraisablehook = hook


def _quiet_interrupted(hook: Callable) -> Callable:
    """`sys.unraisablehook` that says nothing of an Interrupted raised where it cannot
    propagate (a weakref callback or a `__del__` running when the signal came, seen in a
    batch worker given SIGTERM): the event still carries the interruption, and the work
    stops at its next progress report. Anything else goes to `hook`."""

    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            hook(unraisable)

    return quiet


def _end_process_after(seconds: float) -> None:
    """SIGALRM's default action ends the process; nothing can catch or delay it."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def checked(
    progress: Callable[[str, float], None] | None, event: threading.Event
) -> Callable[[str, float], None]:
    """A progress callback that raises Interrupted (in whichever thread) once `event` is set."""

    def report(stage: str, share: float) -> None:
        if event.is_set():
            raise Interrupted(getattr(event, "signum", signal.SIGINT))
        if progress is not None:
            progress(stage, share)

    return report


def ignore_sigint() -> None:
    """For worker processes: the parent decides what a Ctrl-C stops (it sends SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
