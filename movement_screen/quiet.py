"""Keep native libraries' start-up chatter (MediaPipe, FFmpeg) off the user's terminal."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "saved": -1}


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Send what C/C++ code prints to file descriptor 2 to /dev/null for a moment.

    Threads may overlap: the first to enter redirects, the last to leave restores.
    """
    with _lock:
        if _state["depth"] == 0:
            _redirect()  # if stderr cannot be duplicated, it is left alone
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["saved"] >= 0:
                os.dup2(_state["saved"], 2)
                os.close(_state["saved"])
                _state["saved"] = -1


def _redirect() -> None:
    try:
        saved = os.dup(2)
    except OSError:
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _state["saved"] = saved


def to_terminal(text: str) -> None:
    """Print the line `text` on stderr even while another thread sends file descriptor 2 to
    /dev/null: sys.stderr writes there too, and an interrupted analyze, under load, once
    said nothing at all (its worker threads were opening a video or a pose model)."""
    with _lock:
        quieted = os.dup(2) if _state["saved"] >= 0 else -1
        if quieted >= 0:
            os.dup2(_state["saved"], 2)
        try:
            print(text, file=sys.stderr, flush=True)
        finally:
            if quieted >= 0:
                os.dup2(quieted, 2)
                os.close(quieted)
