"""The report (HTML and PDF) made in a process of its own, beside the annotated video.

Drawing the video and making the report both hold the GIL for most of their time
(the overlay's drawing, matplotlib's layout, WeasyPrint), so in two threads they
took longer than one after the other; in two processes they take as long as the
longer of the two. The report's process imports matplotlib and WeasyPrint and
prints a first page when it starts (3 s of CPU), so `start()` at the beginning of
an analysis moves that off the outputs' path; the analysis beside it slows by
about as much on two busy cores (fast120: 19.7 -> 18.2 s in one set of runs, 21.2
-> 21.5 s in another). The process stays for the next clip (the app, a batch run
in one process).

One report at a time goes to the process; a second caller meanwhile, a process
that may not have children (a worker of a batch pool), or a report process that
died, makes its report in the calling thread instead: the same files either way.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import pickle
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

NICE = 10  # below the analysis it warms up beside (fast120: nice 10 and 19 timed alike)
_lock = threading.Lock()  # guards _worker
_worker: _Worker | None = None


def start() -> None:
    """Start the report's process now (if this process may have one), so it is warm later."""
    _get()


def make(result, folder: str, *, html: bool, pdf: bool, **render) -> Pending:
    """Start writing `report.html` and/or `report.pdf` of the screening `result` into
    `folder` (`render`: the keywords of `html.render`); wait on what is returned."""
    job = (result, folder, html, pdf, render)
    worker = _get()
    if worker is not None and worker.busy.acquire(blocking=False):
        try:
            data = pickle.dumps(job)
        except Exception:  # noqa: BLE001 (what cannot be sent is made here)
            worker.busy.release()
        else:
            # sent from a thread: the process reads it only once warm, and a screening is
            # more than a socket holds (1.2 MB for 1200 frames)
            sending = threading.Thread(target=_send, args=(worker, data), daemon=True)
            sending.start()
            return Pending(job, worker, sending)
    _make(*job)
    return Pending(job, None, None)


def _send(worker: _Worker, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the process is gone: the caller makes it instead
        worker.conn.send_bytes(data)


@dataclass
class Pending:
    """A report being made; `result()` waits for it and raises what making it raised."""

    job: tuple
    worker: _Worker | None
    sending: threading.Thread | None
    done: bool = field(default=False)

    def result(self) -> None:
        if self.done or self.worker is None:
            return
        self.done = True
        try:
            self.sending.join()
            error = self.worker.conn.recv()
        except (EOFError, OSError):  # the process died (killed, out of memory): make it here
            _forget(self.worker)
            _make(*self.job)
            return
        except BaseException:  # stopped while waiting: its answer would be read by the next
            _forget(self.worker, end=True)
            raise
        finally:
            self.worker.busy.release()
        if error is not None:
            raise error

    def settle(self) -> None:
        """Wait for the process to finish with the folder, raising nothing (used when the
        caller is already failing or stopping, before its folder is removed)."""
        with contextlib.suppress(BaseException):  # the caller's own exception is raised
            self.result()


def _make(result, folder: str, html: bool, pdf: bool, render: dict) -> None:
    from movement_screen.report import html as html_page
    from movement_screen.report import pdf as pdf_file

    page = html_page.render(result, **render)
    pdf_file.write_page(page, folder, "report", html=html, pdf=pdf)


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    busy: threading.Lock = field(default_factory=threading.Lock)


def _get() -> _Worker | None:
    global _worker
    with _lock:
        if _worker is None and not multiprocessing.current_process().daemon:
            _worker = _launch()
        return _worker


def _launch() -> _Worker:
    """`python -m movement_screen.report.worker` on one end of a socket pair. Not
    multiprocessing's spawn: that runs the caller's main script again in the child, which
    a script without a `__main__` guard does not survive; not fork: this process runs
    MediaPipe's and the decoder's threads."""
    ours, theirs = socket.socketpair()
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", __name__, str(theirs.fileno())],
        pass_fds=[theirs.fileno()],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # a Ctrl-C at the terminal is for the caller, who stops this
    )
    theirs.close()
    worker = _Worker(process, Connection(ours.detach()))
    atexit.register(_forget, worker, end=True)
    return worker


def _forget(worker: _Worker, *, end: bool = False) -> None:
    """The next report gets a fresh process; `end` stops this one (it may be writing)."""
    global _worker
    with _lock:
        if _worker is worker:
            _worker = None
    if end and worker.process.poll() is None:
        worker.conn.close()
        worker.process.terminate()
        worker.process.wait(timeout=5)


def _serve(conn: Connection) -> None:
    """The report process: warm up, then make each report sent, answering None or the
    exception raised; ends when the caller's end of `conn` closes."""
    os.nice(NICE)
    import matplotlib.figure  # noqa: F401 (imported now, not on the first report)

    from movement_screen.report import html, pdf  # noqa: F401

    pdf.warm()
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the caller has gone
            return
        try:
            _make(*job)
            conn.send(None)
        except Exception as error:  # noqa: BLE001 (sent to the caller, who raises it)
            conn.send(error)


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
