"""Records store under kills and concurrent writers: whole sessions or nothing, no lost writes."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import store
from tests.records_helpers.reports import make_report

ROOT = Path(__file__).resolve().parents[1]


def _writer(db, athlete, count, *extra):
    command = [sys.executable, "-m", "tests.records_helpers.writer", db, athlete, str(count)]
    return subprocess.Popen(
        [*command, *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(path, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if process.poll() is not None:
            pytest.fail(f"writer ended early: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("writer never reached the pause")
        time.sleep(0.01)


def _audit(db):
    """Integrity, foreign keys, and (uuid, expected, stored) measurement counts per session."""
    with store.opened(db, create=False) as conn:
        assert store.integrity(conn) == "ok"
        assert store.foreign_key_problems(conn) == 0
        rows = store.measurement_counts(conn)
    return [
        (uuid, len(json.loads(report)["measurements"]), stored) for uuid, report, stored in rows
    ]


def test_kill_inside_a_transaction_leaves_only_whole_sessions(tmp_path):
    db = str(tmp_path / "records.sqlite3")
    ready = str(tmp_path / "paused")
    writer = _writer(db, "Zoë", 10, "--pause-at", "4", "--ready", ready)
    _wait_for(ready, writer)
    paused_session_id = int(Path(ready).read_text().split()[1])
    # The 4th session row and half its measurements are written, not committed.
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    counts = _audit(db)
    assert paused_session_id == 4 and len(counts) == 3
    assert all(expected == stored == 21 for _, expected, stored in counts)
    records.store_screening(db, make_report(), athlete="Zoë")  # the lock died with the writer
    assert len(_audit(db)) == 4


def test_kills_at_random_moments_never_leave_half_sessions(tmp_path):
    db = str(tmp_path / "records.sqlite3")
    stored = 0
    for delay in (0.8, 1.1, 1.4):
        writer = _writer(db, "Zoë", 100_000)
        writer.stdout.readline()  # started writing
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        counts = _audit(db)
        assert all(expected == got for _, expected, got in counts)
        assert len(counts) > stored
        stored = len(counts)


@pytest.mark.parametrize("writers, per_writer", [(4, 25)])
def test_concurrent_writers_lose_nothing(tmp_path, writers, per_writer):
    db = str(tmp_path / "fresh" / "records.sqlite3")  # created and migrated by the race itself
    start = str(tmp_path / "go")
    processes = [
        _writer(db, ("Zoë", "O'Brien")[i % 2], per_writer, "--start", start) for i in range(writers)
    ]
    time.sleep(1.0)  # let every interpreter start and wait at the line
    began = time.monotonic()
    Path(start).touch()
    reads = 0
    while any(p.poll() is None for p in processes):
        if os.path.exists(db):  # a reader (the app) while the writers write
            try:
                records.athletes(db)
                reads += 1
            except InputError:
                pass
        time.sleep(0.01)
    elapsed = time.monotonic() - began
    for p in processes:
        out, err = p.communicate(timeout=30)
        assert p.returncode == 0, err
        assert err == "" and len(out.split()) == per_writer
    counts = _audit(db)
    assert len(counts) == writers * per_writer
    assert all(expected == got for _, expected, got in counts)
    per_athlete = {a["name"]: a["sessions"] for a in records.athletes(db)}
    assert per_athlete == {"O'Brien": writers // 2 * per_writer, "Zoë": writers // 2 * per_writer}
    for name in per_athlete:
        baselines = Counter(
            s["movement"] for s in records.history(db, name)["sessions"] if s["baseline"]
        )
        assert baselines == {"sprint": 1, "lunge": 1}
    print(f"{writers} writers x {per_writer} sessions in {elapsed:.2f} s; {reads} reads meanwhile")
