"""The records database: every SQL statement of movement-screen lives in this module.

An SQLite file with a WAL journal (readers never wait for the writer), foreign
keys on and a 30 s busy timeout. Every write is one `BEGIN IMMEDIATE`
transaction, all or nothing, retried while SQLite reports the file busy. The
schema version is recorded in `schema_migrations`; `MIGRATIONS` lists the steps
and an older file is copied to `<file>.v<N>-<time>.bak` before it is upgraded.
A club server database later would replace this module only.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from movement_screen.core import InputError
from movement_screen.records.model import now_iso

T = TypeVar("T")
BUSY_TIMEOUT_S = 30.0  # how long one statement waits for another writer
WRITE_ATTEMPTS = 5  # whole transactions retried if SQLite still reports busy
SQLITE_BUSY, SQLITE_LOCKED = 5, 6

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        """CREATE TABLE athletes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            sport TEXT,
            dominant_side TEXT CHECK (dominant_side IN ('left', 'right')),
            notes TEXT,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            recorded_at TEXT NOT NULL,
            movement TEXT,
            view TEXT,
            clip_file TEXT,
            clip_sha256 TEXT,
            pain_before REAL CHECK (pain_before BETWEEN 0 AND 10),
            pain_after REAL CHECK (pain_after BETWEEN 0 AND 10),
            rpe REAL CHECK (rpe BETWEEN 0 AND 10),
            notes TEXT,
            is_baseline INTEGER NOT NULL DEFAULT 0 CHECK (is_baseline IN (0, 1)),
            report_json TEXT NOT NULL)""",
        """CREATE TABLE measurements (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            side TEXT,
            rep INTEGER,
            kind TEXT NOT NULL,
            value REAL,
            unit TEXT)""",
    ),
    2: (
        # report.json's own schema_version, so later report formats can be told apart
        "ALTER TABLE sessions ADD COLUMN report_schema INTEGER",
        "UPDATE sessions SET report_schema = 1",  # v1 stores only ever held report schema 1
        "CREATE INDEX sessions_by_athlete ON sessions (athlete_id, movement, recorded_at)",
        "CREATE INDEX measurements_by_session ON measurements (session_id)",
        "CREATE INDEX measurements_by_metric ON measurements (metric, kind, side)",
        "CREATE UNIQUE INDEX one_baseline ON sessions (athlete_id, movement) WHERE is_baseline = 1",
    ),
    3: (
        # one baseline per movement AND view: a front-view and a side-view lunge measure
        # different things and are compared only with their own kind
        "DROP INDEX one_baseline",
        "CREATE UNIQUE INDEX one_baseline_per_view ON sessions "
        "(athlete_id, movement, ifnull(view, '')) WHERE is_baseline = 1",
    ),
    4: (
        # the clips screened together (a front and a side clip of one visit) share an id
        "ALTER TABLE sessions ADD COLUMN visit TEXT",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
# fmt: off
SESSION_FIELDS = (
    "uuid", "athlete_id", "recorded_at", "movement", "view", "clip_file", "clip_sha256",
    "pain_before", "pain_after", "rpe", "notes", "is_baseline", "report_schema", "report_json",
    "visit",
)
# fmt: on
ATHLETE_FIELDS = "a.id, a.name, a.sport, a.dominant_side, a.notes, a.created_at"


@contextmanager
def opened(path: str, *, create: bool, write: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection to an up-to-date records database.

    `create` makes the file and its folder; `write` False (history, athletes, export)
    opens a file the user cannot write read-only rather than refusing it. A file that
    is not a movement-screen database is refused before anything in it is changed.
    """
    with closing(_connect(path, create=create, write=write)) as conn:
        yield conn


def _connect(path: str, *, create: bool, write: bool = True) -> sqlite3.Connection:
    if not create and not os.path.isfile(path):
        raise InputError(f"{path}: no records database here (store a screen with --athlete first)")
    if create:
        _make_folder(path)
    writable = write or _can_write(path)
    conn = _sqlite(path, "rwc" if create else "rw" if writable else "ro")
    try:
        _prepare(conn, path, writable=writable)
    except sqlite3.OperationalError as error:
        conn.close()
        if writable or "unable to open" not in str(error):
            raise InputError(f"{path}: cannot read the records database ({error})") from None
        # a WAL file in a folder we cannot write: nobody can change it, so read it as is
        conn = _sqlite(path, "ro&immutable=1")
        _prepare(conn, path, writable=False)
    except BaseException:
        conn.close()
        raise
    return conn


def _can_write(path: str) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _sqlite(path: str, mode: str) -> sqlite3.Connection:
    uri = f"{Path(path).absolute().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise InputError(f"{path}: cannot open the records database ({error})") from error
    conn.row_factory = sqlite3.Row
    return conn


def _make_folder(path: str) -> None:
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as error:
        raise InputError(f"{path}: cannot create its folder ({error.strerror})") from error


def _prepare(conn: sqlite3.Connection, path: str, *, writable: bool) -> None:
    """Check the file is ours (changing nothing), then WAL mode and migrations if writable."""
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        version = _version(conn, path)
        if not writable:
            if version != SCHEMA_VERSION:
                raise InputError(
                    f"{path}: records database schema v{version} needs an upgrade, "
                    "and the file is read-only"
                )
            return
        _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        if version != SCHEMA_VERSION:
            write(conn, lambda c: _upgrade(c, path))
    except sqlite3.OperationalError as error:
        if _is_busy(error) or "unable to open" in str(error):
            raise
        raise InputError(f"{path}: not a usable SQLite records database ({error})") from error
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path}: not a usable SQLite records database ({error})") from error


def _version(conn: sqlite3.Connection, path: str) -> int:
    """The file's schema version: 0 for an empty file; InputError for foreign or newer files."""
    names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    tables = {row[0] for row in names if not row[0].startswith("sqlite_")}
    if "schema_migrations" not in tables:
        if tables:
            found = ", ".join(sorted(tables))
            raise InputError(f"{path}: not a movement-screen records database (tables: {found})")
        return 0
    version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{path}: records database schema v{version} is newer than this movement-screen "
            f"reads (v{SCHEMA_VERSION}); upgrade movement-screen"
        )
    return version


def _upgrade(conn: sqlite3.Connection, path: str) -> None:
    """Apply the missing migrations, inside the caller's write transaction."""
    version = _version(conn, path)  # again: another process may have upgraded meanwhile
    if version and version < SCHEMA_VERSION:
        backup(path, version)
    for step in range(version + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[step]:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (step, now_iso())
        )


def backup(path: str, version: int) -> str:
    """Copy the database (a consistent snapshot, WAL included) to `<path>.v<N>-<time>.bak`."""
    target = f"{path}.v{version}-{datetime.now():%Y%m%dT%H%M%S%f}.bak"
    try:
        with (
            closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
    except (sqlite3.Error, OSError) as error:
        raise InputError(
            f"{path}: cannot write the backup {target} ({error}); not upgraded"
        ) from error
    return target


def write(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` in one BEGIN IMMEDIATE transaction: committed whole or rolled back."""
    try:
        return _retry_busy(lambda: _transaction(conn, work))
    except sqlite3.OperationalError as error:
        if _is_busy(error):
            raise
        file = conn.execute("PRAGMA database_list").fetchone()[2]
        raise InputError(f"{file}: cannot write the records database ({error})") from None


def _transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def _retry_busy(step: Callable[[], T]) -> T:
    """Run `step`, again after a short pause while SQLite still reports the file busy."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return step()
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


# Athletes


def find_athlete(conn: sqlite3.Connection, key: str) -> dict | None:
    row = conn.execute(f"SELECT {ATHLETE_FIELDS} FROM athletes a WHERE a.name_key = ?", (key,))
    found = row.fetchone()
    return dict(found) if found else None


def add_athlete(conn: sqlite3.Connection, *, name: str, key: str, **fields) -> int:
    row = {k: fields.get(k) for k in ("sport", "dominant_side", "notes")}
    row |= {"name": name, "key": key, "created_at": fields.get("created_at") or now_iso()}
    cursor = conn.execute(
        "INSERT INTO athletes (name, name_key, sport, dominant_side, notes, created_at) "
        "VALUES (:name, :key, :sport, :dominant_side, :notes, :created_at)",
        row,
    )
    return cursor.lastrowid


def update_athlete(conn: sqlite3.Connection, athlete_id: int, *, sport, dominant_side, notes):
    """Set the given fields; None leaves a field as it is."""
    conn.execute(
        "UPDATE athletes SET sport = COALESCE(?, sport), "
        "dominant_side = COALESCE(?, dominant_side), notes = COALESCE(?, notes) WHERE id = ?",
        (sport, dominant_side, notes, athlete_id),
    )


def list_athletes(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        f"SELECT {ATHLETE_FIELDS}, COUNT(s.id) AS sessions, MAX(s.recorded_at) AS last_at "
        "FROM athletes a LEFT JOIN sessions s ON s.athlete_id = a.id "
        "GROUP BY a.id ORDER BY a.name_key"
    )
    return [dict(row) for row in rows]


# Sessions and measurements


def has_session(conn: sqlite3.Connection, uuid: str) -> bool:
    return conn.execute("SELECT 1 FROM sessions WHERE uuid = ?", (uuid,)).fetchone() is not None


# A baseline is per movement and view: a front-view lunge (pelvis, knee) and a side-view
# lunge (hip, trunk) measure different things and are compared only with their own kind.
_SAME_KIND = "athlete_id = ? AND movement = ? AND view IS ?"


def has_baseline(
    conn: sqlite3.Connection, athlete_id: int, movement: str, view: str | None
) -> bool:
    query = f"SELECT 1 FROM sessions WHERE {_SAME_KIND} AND is_baseline = 1"
    return conn.execute(query, (athlete_id, movement, view)).fetchone() is not None


def clear_baseline(
    conn: sqlite3.Connection, athlete_id: int, movement: str, view: str | None
) -> None:
    conn.execute(
        f"UPDATE sessions SET is_baseline = 0 WHERE {_SAME_KIND}", (athlete_id, movement, view)
    )


def set_baseline(conn: sqlite3.Connection, uuid: str) -> bool:
    """Make one session its athlete's baseline for its movement and view; False if none."""
    row = conn.execute("SELECT athlete_id, movement, view FROM sessions WHERE uuid = ?", (uuid,))
    found = row.fetchone()
    if found is None or found["movement"] is None:
        return False
    clear_baseline(conn, found["athlete_id"], found["movement"], found["view"])
    conn.execute("UPDATE sessions SET is_baseline = 1 WHERE uuid = ?", (uuid,))
    return True


def delete_session(conn: sqlite3.Connection, uuid: str) -> dict | None:
    """Delete one session and its measurements; the deleted row (None if there was none)."""
    found = conn.execute(
        "SELECT s.id, s.movement, s.is_baseline, s.recorded_at, a.name FROM sessions s "
        "JOIN athletes a ON a.id = s.athlete_id WHERE s.uuid = ?",
        (uuid,),
    ).fetchone()
    if found is None:
        return None
    conn.execute("DELETE FROM measurements WHERE session_id = ?", (found["id"],))
    conn.execute("DELETE FROM sessions WHERE id = ?", (found["id"],))
    return dict(found)


def insert_session(conn: sqlite3.Connection, session: dict, measurements: list[tuple]) -> int:
    """One session row and its measurements (metric, side, rep, kind, value, unit)."""
    columns = ", ".join(SESSION_FIELDS)
    marks = ", ".join(f":{name}" for name in SESSION_FIELDS)
    cursor = conn.execute(f"INSERT INTO sessions ({columns}) VALUES ({marks})", session)
    conn.executemany(
        "INSERT INTO measurements (session_id, metric, side, rep, kind, value, unit) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(cursor.lastrowid, *row) for row in measurements],
    )
    return cursor.lastrowid


def sessions(conn: sqlite3.Connection, athlete_id: int, movement: str | None = None) -> list[dict]:
    """An athlete's sessions, oldest first, with the stored report as JSON text."""
    rows = conn.execute(
        f"SELECT id, {', '.join(SESSION_FIELDS)} FROM sessions "
        "WHERE athlete_id = ? AND (? IS NULL OR movement = ?) ORDER BY recorded_at, id",
        (athlete_id, movement, movement),
    )
    return [dict(row) for row in rows]


def medians(conn: sqlite3.Connection, athlete_id: int, movement: str | None = None) -> list[dict]:
    """Per-side medians (session_id, metric, side, value, unit) of an athlete's sessions."""
    rows = conn.execute(
        "SELECT m.session_id, m.metric, m.side, m.value, m.unit FROM measurements m "
        "JOIN sessions s ON s.id = m.session_id WHERE s.athlete_id = ? "
        "AND (? IS NULL OR s.movement = ?) AND m.kind = 'median' AND m.value IS NOT NULL "
        "ORDER BY s.recorded_at, s.id, m.id",
        (athlete_id, movement, movement),
    )
    return [dict(row) for row in rows]


def all_measurements(conn: sqlite3.Connection) -> list[tuple]:
    """Every measurement as (session uuid, metric, side, rep, kind, value, unit), sorted."""
    rows = conn.execute(
        "SELECT s.uuid, m.metric, m.side, m.rep, m.kind, m.value, m.unit FROM measurements m "
        "JOIN sessions s ON s.id = m.session_id ORDER BY s.uuid, m.id"
    )
    return [tuple(row) for row in rows]


def measurement_counts(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(uuid, report JSON, measurements stored) per session: to audit completeness."""
    rows = conn.execute(
        "SELECT s.uuid, s.report_json, COUNT(m.id) FROM sessions s "
        "LEFT JOIN measurements m ON m.session_id = s.id GROUP BY s.id ORDER BY s.id"
    )
    return [tuple(row) for row in rows]


def integrity(conn: sqlite3.Connection) -> str:
    """'ok', or SQLite's description of the damage."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows)


def foreign_key_problems(conn: sqlite3.Connection) -> int:
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())
