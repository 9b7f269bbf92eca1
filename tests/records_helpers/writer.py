"""A writer process for the reliability tests: stores `count` screens, one by one.

    python -m tests.records_helpers.writer DB ATHLETE COUNT [--pause-at N --ready FILE]
        [--start FILE]

With --pause-at N, the N-th store stops inside its transaction (session row and
half its measurements written, not committed), touches FILE and sleeps: the
test then kills the process. With --start FILE it waits for FILE before writing,
so several writers start together.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from movement_screen.records import api, store
from tests.records_helpers.reports import make_report

START = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def _pause_inside_transaction(at: int, ready: str) -> None:
    original = store.insert_session
    calls = {"n": 0}

    def pausing(conn, session, measurements):
        calls["n"] += 1
        if calls["n"] == at:
            half = measurements[: len(measurements) // 2]
            session_id = original(conn, session, half)
            Path(ready).write_text(f"{os.getpid()} {session_id}\n")
            time.sleep(600)
        return original(conn, session, measurements)

    store.insert_session = pausing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("athlete")
    parser.add_argument("count", type=int)
    parser.add_argument("--pause-at", type=int)
    parser.add_argument("--ready")
    parser.add_argument("--start")
    args = parser.parse_args()
    if args.pause_at:
        _pause_inside_transaction(args.pause_at, args.ready)
    while args.start and not os.path.exists(args.start):
        time.sleep(0.005)
    for i in range(args.count):
        movement = ("sprint", "lunge")[i % 2]
        created = (START + timedelta(minutes=i)).isoformat()
        report = make_report(movement=movement, created=created)
        api.store_screening(args.db, report, athlete=args.athlete, rpe=i % 11, notes=f"{i}")
        print(i, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
