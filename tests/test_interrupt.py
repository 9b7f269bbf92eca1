"""SIGINT and SIGTERM: the work stops, partial output goes, the summary says what finished."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from movement_screen import batch, interrupt, outdir
from tests.fixtures import blank_moments, fake_done, sample_path
from tests.real_data import WALK

ROOT = Path(__file__).resolve().parents[1]
LONG_CLIP = WALK if WALK.exists() else sample_path("sprint_side_clean")
# Moments to interrupt at, well inside the run: tracking, then writing the outputs.
DELAYS = (2.5, 6.0) if WALK.exists() else (1.5, 3.0)
CLIPS = ("lunge_side_clean", "hinge_side_squat", "sprint_side_clean", "lunge_front_clean")


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "movement_screen.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _alive_with(marker: str) -> list[int]:
    """Processes whose command line mentions `marker` (workers left behind)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(pid))
    return found


def _hidden(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob(".movement-screen-partial-*")]


@pytest.mark.parametrize("delay", DELAYS)
def test_sigterm_during_analyze_leaves_nothing(tmp_path, delay):
    process = _start("analyze", str(LONG_CLIP), "--out", str(tmp_path / "out"), cwd=ROOT)
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert err == "movement-screen: interrupted (SIGTERM); nothing was written\n"
    assert os.listdir(tmp_path) == []


def test_a_signal_a_library_turned_into_its_own_error_still_stops_the_work():
    """A C extension importing when the signal came reports it as its own ImportError."""
    with pytest.raises(interrupt.Interrupted) as stopped, interrupt.stop_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises here
        except interrupt.Interrupted as error:
            raise ImportError("initialization failed") from error
    assert stopped.value.signum == signal.SIGTERM and stopped.value.exit_code == 143
    with pytest.raises(ImportError), interrupt.stop_on_signals():
        raise ImportError("a missing module, no signal: not an interruption")


class _RaisesWhenDropped:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __del__(self) -> None:
        raise self.error


def test_an_interruption_raised_where_it_cannot_propagate_is_not_printed(monkeypatch):
    """A signal that comes while a `__del__` or a weakref callback runs raises there, and
    Python can only print it (a batch worker given SIGTERM wrote "Exception ignored ...
    Traceback"). Within the block such an Interrupted is dropped silently (the event
    carries it); any other unraisable error is still reported, and the hook is put back."""
    told = []
    monkeypatch.setattr(sys, "unraisablehook", told.append)
    with interrupt.stop_on_signals():
        _RaisesWhenDropped(interrupt.Interrupted(signal.SIGTERM))
        _RaisesWhenDropped(ValueError("a real bug"))
    assert [type(u.exc_value) for u in told] == [ValueError]
    assert sys.unraisablehook == told.append


@pytest.fixture
def clips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in CLIPS:
        shutil.copy(sample_path(name), folder / f"{name}.mp4")
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_batch_stops_its_workers_and_writes_what_finished(tmp_path, clips, signum):
    out = tmp_path / "out"
    args = ("batch", str(clips), "--out", str(out), "--workers", "2", "--no-video", "--no-pdf")
    process = _start(*args, cwd=ROOT)
    time.sleep(5.0)
    process.send_signal(signum)
    started = time.monotonic()
    _, err = process.communicate(timeout=120)
    assert time.monotonic() - started < 30, "the batch went on after the signal"
    assert process.returncode == 128 + signum, err
    name = signal.Signals(signum).name
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"movement-screen: interrupted ({name}); ") and "summary:" in last
    assert "Traceback" not in err
    time.sleep(1.0)
    assert _alive_with(str(out)) == [], "worker processes outlived the batch"
    rows = list(csv.DictReader((out / batch.SUMMARY).open()))
    assert len(rows) == len(CLIPS)
    finished = [r for r in rows if r["status"] == "ok"]
    assert any(r["status"] == batch.NOT_RUN for r in rows)
    assert f"{len(finished)} of {len(CLIPS)} clips screened" in last
    assert _hidden(out) == []
    for row in finished:  # what finished is complete and is this clip's
        assert outdir.belongs_to(row["folder"], row["clip"])
    for row in rows:
        if row["status"] == batch.NOT_RUN:
            assert not os.path.exists(row["folder"]) or os.listdir(row["folder"]) == []


def test_run_batch_reports_what_finished_when_interrupted(tmp_path):
    jobs = batch.plan([str(tmp_path / f"{n}.mp4") for n in "abc"], str(tmp_path / "out"))

    def runner(todo, workers, done):
        done({"clip": todo[0].clip, "folder": todo[0].out_dir, "status": "error", "error": "x"})
        os.makedirs(os.path.join(todo[1].out_dir, outdir.PARTIAL_PREFIX + "1"))
        raise interrupt.Interrupted(signal.SIGTERM)

    outcome = batch.run_batch(jobs, workers=2, runner=runner)
    assert isinstance(outcome.stopped, interrupt.Interrupted)
    assert [r["status"] for r in outcome.rows] == ["error", batch.NOT_RUN, batch.NOT_RUN]
    assert _hidden(tmp_path) == []


def test_a_clip_committed_just_before_the_stop_is_listed_as_finished(tmp_path):
    """A worker can write a clip's outputs and be stopped before its row reaches the batch
    (a CI run caught it): the summary must not call complete outputs "not run"."""
    jobs = batch.plan([str(tmp_path / f"{n}.mp4") for n in "ab"], str(tmp_path / "out"))

    def runner(todo, workers, done):
        fake_done(todo[0])  # committed, and no row came back
        raise interrupt.Interrupted(signal.SIGTERM)

    outcome = batch.run_batch(jobs, workers=2, runner=runner)
    assert [r["status"] for r in outcome.rows] == ["ok", batch.NOT_RUN]
    assert outcome.rows[0]["movement"] == "lunge" and outcome.rows[0]["cues"] == "all_clear"


def test_a_signal_reaches_worker_threads_at_their_next_progress_call():
    previous = signal.getsignal(signal.SIGTERM)
    with interrupt.stop_on_signals() as stop:
        report = interrupt.checked(None, stop)
        report("tracking", 0.1)  # no signal yet: nothing happens
        with pytest.raises(interrupt.Interrupted) as raised:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1.0)
        assert raised.value.exit_code == 128 + signal.SIGTERM
        with pytest.raises(interrupt.Interrupted) as later:
            report("tracking", 0.2)
        # the same signal, even where the first raise was swallowed (an import catching it)
        assert later.value.exit_code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is previous


STUCK_CLEAN_UP = """
import os, signal, sys, time
from movement_screen import interrupt
try:
    with interrupt.stop_on_signals((signal.SIGTERM,), grace=float(sys.argv[1])):
        print("ready", flush=True)
        time.sleep(30)
finally:
    time.sleep(30)  # a clean-up that never ends (a thread that never stopped)
"""


def test_a_worker_whose_clean_up_is_stuck_is_ended_after_its_grace():
    process = subprocess.Popen(
        [sys.executable, "-c", STUCK_CLEAN_UP, "1.0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "ready\n"
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    process.wait(timeout=20)
    assert process.returncode == -signal.SIGALRM
    assert 0.9 < time.monotonic() - started < 10


def test_the_scan_stops_its_threads_when_interrupted_as_it_hands_out_work(monkeypatch):
    """A signal while the scan hands a moment to its pose threads must stop the scan, with
    no thread left waiting for work and no later moment started."""
    from movement_screen import tracking
    from movement_screen.core import VideoInfo

    class Starting(tracking.ThreadPoolExecutor):
        def submit(self, *args, **kwargs):
            super().submit(*args, **kwargs)  # the job is in
            raise interrupt.Interrupted(signal.SIGTERM)

    searched = []

    monkeypatch.setattr(tracking, "ThreadPoolExecutor", Starting)
    monkeypatch.setattr(tracking, "open_detector", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(tracking, "_decode_moments", blank_moments)
    monkeypatch.setattr(tracking, "find_people", lambda rgb, detect: searched.append(1) or [])
    info = VideoInfo("clip.mp4", fps=30.0, width=64, height=64, frame_count=300, rotation=0)
    raised = []

    def scan() -> None:
        try:
            tracking.moments(info, "models", workers=2)
        except interrupt.Interrupted as error:
            raised.append(error)

    thread = threading.Thread(target=scan, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the scan waits for a thread that was never told to stop"
    assert len(searched) <= 1  # no moment after the one handed out was started
    assert [e.signum for e in raised] == [signal.SIGTERM]
