"""Records store: athletes, sessions, baselines, bad input, schema versions, atomic writes."""

import glob
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import exchange, model, store
from tests.records_helpers.reports import make_report

NAMES = ["O'Brien", "Zoë", "Robert'); DROP TABLE athletes;--", 'Ana "the rocket" Ruiz']


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "club" / "records.sqlite3")


def _sessions(db_path, name):
    return records.history(db_path, name)["sessions"]


def test_store_creates_folder_wal_and_schema(db):
    session_id = records.store_screening(db, make_report(), athlete="Zoë")
    assert session_id == 1 and os.path.isfile(db)
    with store.opened(db, create=False) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.integrity(conn) == "ok"
        ((uuid, report_json, stored),) = store.measurement_counts(conn)
    assert stored == len(json.loads(report_json)["measurements"]) == 21


def test_names_and_notes_are_stored_as_given_never_spliced(db):
    for i, name in enumerate(NAMES):
        note = f'{name} said: \'; DELETE FROM sessions; -- "quoted" ✓'
        records.store_screening(db, make_report(), athlete=name, notes=note, rpe=i)
    assert [a["name"] for a in records.athletes(db)] == sorted(NAMES, key=str.casefold)
    for name in NAMES:
        (session,) = _sessions(db, name)
        assert session["notes"] == f'{name} said: \'; DELETE FROM sessions; -- "quoted" ✓'


def test_names_are_unique_case_insensitively_and_trimmed(db):
    records.store_screening(db, make_report(), athlete="  Zoë O'Brien ")
    records.store_screening(db, make_report(), athlete="ZOË O'BRIEN")
    records.store_screening(db, make_report(), athlete="zoe\u0308 o'brien")  # decomposed ë
    (athlete,) = records.athletes(db)
    assert athlete["name"] == "Zoë O'Brien" and athlete["sessions"] == 3


def test_session_fields_and_default_time_from_report(db, tmp_path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not really a video")
    records.store_screening(
        db,
        make_report(created="2024-03-02T10:00:00+00:00"),
        athlete="A",
        pain_before=2,
        pain_after=3.5,
        rpe=7,
        notes="felt tight",
        clip_path=str(clip),
    )
    (s,) = _sessions(db, "A")
    assert s["recorded_at"] == "2024-03-02T10:00:00+00:00"
    assert (s["pain_before"], s["pain_after"], s["rpe"]) == (2, 3.5, 7)
    assert s["clip_file"] == "clip.mp4" and s["clip_sha256"] == model.file_sha256(str(clip))
    assert s["movement"] == "sprint" and s["view"] == "side" and s["baseline"]


def test_first_session_per_movement_is_baseline_until_another_is_marked(db):
    def store_at(day, movement="sprint", **kw):
        when = f"2024-05-{day:02d}T09:00:00+00:00"
        records.store_screening(db, make_report(movement=movement), athlete="A", when=when, **kw)

    store_at(1)
    store_at(2)
    store_at(3, "lunge")
    store_at(4, baseline=True)
    store_at(5)
    flags = [(s["movement"], s["baseline"]) for s in _sessions(db, "A")]
    assert flags == [
        ("sprint", False),
        ("sprint", False),
        ("lunge", True),
        ("sprint", True),
        ("sprint", False),
    ]
    first = _sessions(db, "A")[0]["uuid"]
    records.mark_baseline(db, first)
    assert [s["baseline"] for s in _sessions(db, "A")] == [True, False, True, False, False]


def test_a_baseline_is_per_movement_and_view_and_compared_like_with_like(db):
    """A front-view and a side-view lunge measure different things: each has its baseline,
    and a new side-view lunge is compared with the side-view one only."""
    knee = {("knee_fppa", "right"): 12.0}
    hip = {("trail_hip_extension_bottom", "right"): 8.0}

    def lunge(view, medians, day):
        when = f"2024-05-{day:02d}T09:00:00+00:00"
        report = make_report(medians, movement="lunge", view=view, created=when)
        records.store_screening(db, report, athlete="A", when=when)
        return report

    lunge("front", knee, 1)
    lunge("side", hip, 2)
    assert [(s["view"], s["baseline"]) for s in _sessions(db, "A")] == [
        ("front", True), ("side", True),
    ]  # fmt: skip
    later = make_report({("trail_hip_extension_bottom", "right"): 14.0}, movement="lunge",
                        view="side", created="2024-06-01T09:00:00+00:00")  # fmt: skip
    compared = records.comparison_for(db, "A", later)
    assert compared["baseline_date"] == "2024-05-02"
    assert [(r["metric"], r["baseline"], r["current"]) for r in compared["rows"]] == [
        ("trail_hip_extension_bottom", 8.0, 14.0)
    ]
    changes = {(c["movement"], c["view"]) for c in records.history(db, "A")["changes"]}
    assert changes == {("lunge", "front"), ("lunge", "side")}


def test_unrecognised_movement_is_stored_without_baseline(db):
    records.store_screening(db, make_report(movement=None), athlete="A")
    (s,) = _sessions(db, "A")
    assert s["movement"] is None and not s["baseline"]


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("pain_before", 11, "pain before must be from 0 to 10, got 11"),
        ("pain_before", -1, "pain before must be from 0 to 10, got -1"),
        ("pain_after", float("nan"), "pain after must be a number from 0 to 10"),
        ("rpe", 10.5, "session RPE must be from 0 to 10, got 10.5"),
        ("rpe", "7", "session RPE must be a number from 0 to 10, got '7'"),
        ("rpe", True, "session RPE must be a number"),
    ],
)
def test_scores_outside_0_to_10_are_refused_before_the_db_is_touched(db, option, value, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(")) as error:
        records.store_screening(db, make_report(), athlete="A", **{option: value})
    assert "\n" not in str(error.value)
    assert not os.path.exists(os.path.dirname(db))


def test_bad_name_and_report_are_refused(db):
    with pytest.raises(InputError, match="athlete name"):
        records.store_screening(db, make_report(), athlete="   ")
    with pytest.raises(InputError, match="report.json"):
        records.store_screening(db, {"schema_version": 1}, athlete="A")


def test_unknown_athlete_and_missing_db(db):
    with pytest.raises(InputError, match="no records database") as error:
        records.history(db, "A")
    assert db in str(error.value) and not os.path.exists(os.path.dirname(db))
    records.store_screening(db, make_report(), athlete="A")
    with pytest.raises(InputError, match="no athlete named 'Nobody'") as error:
        records.history(db, "Nobody")
    assert db in str(error.value)


@pytest.mark.parametrize(
    "content", [b"this is not an SQLite file\n" * 40, b"SQLite format 3\x00" + b"\xff" * 2000]
)
def test_corrupt_file_is_refused_with_one_line(tmp_path, content):
    path = tmp_path / "records.sqlite3"
    path.write_bytes(content)
    for call in (
        lambda: records.store_screening(str(path), make_report(), athlete="A"),
        lambda: records.history(str(path), "A"),
        lambda: records.athletes(str(path)),
    ):
        with pytest.raises(InputError) as error:
            call()
        message = str(error.value)
        assert message.startswith(f"{path}: not a usable SQLite records database")
        assert "\n" not in message
    assert path.read_bytes() == content


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = str(tmp_path / "other.db")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(
        InputError, match="not a movement-screen records database .tables: invoices"
    ):
        records.store_screening(path, make_report(), athlete="A")


def test_newer_schema_is_refused(db):
    records.store_screening(db, make_report(), athlete="A")
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00+00:00')")
    with pytest.raises(InputError) as error:
        records.history(db, "A")
    assert str(error.value) == (
        f"{db}: records database schema v99 is newer than this movement-screen reads "
        f"(v{store.SCHEMA_VERSION}); upgrade movement-screen"
    )


V1_SCHEMA = """
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE athletes (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
  sport TEXT, dominant_side TEXT, notes TEXT, created_at TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
  athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
  recorded_at TEXT NOT NULL, movement TEXT, view TEXT, clip_file TEXT, clip_sha256 TEXT,
  pain_before REAL, pain_after REAL, rpe REAL, notes TEXT,
  is_baseline INTEGER NOT NULL DEFAULT 0, report_json TEXT NOT NULL);
CREATE TABLE measurements (id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  metric TEXT NOT NULL, side TEXT, rep INTEGER, kind TEXT NOT NULL, value REAL, unit TEXT);
INSERT INTO schema_migrations VALUES (1, '2024-01-01T00:00:00+00:00');
"""


def _v1_database(path):
    """A version-1 file written by hand: one athlete, one session with two medians."""
    report = make_report({("peak_thigh_angle", "left"): 70.0})
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(V1_SCHEMA)
        conn.execute(
            "INSERT INTO athletes VALUES (1, 'Zoë', 'zoë', 'sprint', 'left', NULL, "
            "'2024-01-01T00:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO sessions VALUES (1, 'u-1', 1, '2024-01-02T09:00:00+00:00', 'sprint', "
            "'side', 'clip.mp4', NULL, 2, NULL, 6, 'old', 1, ?)",
            (json.dumps(report),),
        )
        conn.executemany(
            "INSERT INTO measurements (session_id, metric, side, rep, kind, value, unit) "
            "VALUES (1, ?, ?, ?, ?, ?, ?)",
            model.measurement_rows(report),
        )


def test_older_schema_is_backed_up_then_migrated(tmp_path):
    path = str(tmp_path / "records.sqlite3")
    _v1_database(path)
    result = records.history(path, "zoë")
    (backup,) = glob.glob(f"{path}.v1-*.bak")
    assert [s["uuid"] for s in result["sessions"]] == ["u-1"]
    assert result["sessions"][0]["notes"] == "old" and result["sessions"][0]["baseline"]
    assert result["athlete"] == {
        "name": "Zoë",
        "sport": "sprint",
        "dominant_side": "left",
        "notes": None,
    }
    with closing(sqlite3.connect(backup)) as old:
        assert old.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (1,)
        assert old.execute("SELECT COUNT(*) FROM measurements").fetchone() == (3,)
    with store.opened(path, create=False) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
        assert versions == list(range(1, store.SCHEMA_VERSION + 1))
        assert store.integrity(conn) == "ok"
        assert [r[2] for r in store.measurement_counts(conn)] == [3]
    records.store_screening(path, make_report(), athlete="ZOË")  # the migrated file takes writes
    assert len(records.history(path, "Zoë")["sessions"]) == 2
    assert len(glob.glob(f"{path}.v1-*.bak")) == 1  # no second backup once up to date


def test_failed_store_leaves_nothing_behind(db, monkeypatch):
    records.store_screening(db, make_report(), athlete="A")
    original = store.insert_session

    def broken(conn, session, measurements):
        original(conn, session, measurements[:3])
        raise RuntimeError("crash in the middle")

    monkeypatch.setattr(store, "insert_session", broken)
    with pytest.raises(RuntimeError):
        records.store_screening(db, make_report(), athlete="New athlete")
    monkeypatch.undo()
    assert [a["name"] for a in records.athletes(db)] == ["A"]
    with store.opened(db, create=False) as conn:
        assert len(store.measurement_counts(conn)) == 1
        assert len(store.all_measurements(conn)) == 21


def test_one_baseline_per_athlete_movement_and_view_is_enforced_by_the_schema(db):
    records.store_screening(db, make_report(), athlete="A")  # a side-view sprint: baseline
    row = {name: None for name in store.SESSION_FIELDS}
    row |= {"athlete_id": 1, "recorded_at": "2024-01-01T00:00:00+00:00", "movement": "sprint",
            "is_baseline": 1, "report_json": "{}"}  # fmt: skip
    with store.opened(db, create=False) as conn:
        store.write(
            conn, lambda c: store.insert_session(c, row | {"uuid": "f", "view": "front"}, [])
        )
        with pytest.raises(sqlite3.IntegrityError):
            store.write(
                conn, lambda c: store.insert_session(c, row | {"uuid": "s", "view": "side"}, [])
            )


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv(model.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert model.resolve_db_path() == str(tmp_path / "xdg" / "movement-screen" / "records.sqlite3")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "movement-screen" / "records.sqlite3"
    assert model.resolve_db_path() == str(expected)
    monkeypatch.setenv(model.ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert model.resolve_db_path() == str(tmp_path / "env.sqlite3")
    assert model.resolve_db_path(tmp_path / "given.sqlite3") == str(tmp_path / "given.sqlite3")


def test_import_creates_nothing_and_env_var_is_used(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    env.pop(model.ENV_VAR, None)
    code = "import movement_screen.records, movement_screen.records.commands"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    assert os.listdir(tmp_path) == []
    env[model.ENV_VAR] = str(tmp_path / "env" / "r.sqlite3")
    code = (
        "from movement_screen import records; from tests.records_helpers.reports import "
        "make_report; records.store_screening(None, make_report(), athlete='A')"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=root)
    assert sorted(os.listdir(tmp_path)) == ["env"]
    assert os.path.isfile(tmp_path / "env" / "r.sqlite3")


def test_the_clips_of_one_screen_share_a_visit_through_export_and_import(db, tmp_path):
    visit = records.new_visit()
    for view, day in (("front", 1), ("side", 1), ("side", 8)):
        report = make_report(movement="lunge", view=view, created=f"2024-05-0{day}T09:00:00+00:00")
        records.store_screening(db, report, athlete="A", visit=visit if day == 1 else None)
    sessions = _sessions(db, "A")
    assert [s["visit"] for s in sessions] == [visit, visit, None]
    out = str(tmp_path / "a.json")
    exchange.export_records(db, out, name="A")
    other = str(tmp_path / "other.sqlite3")
    exchange.import_records(other, out)
    assert [s["visit"] for s in _sessions(other, "A")] == [visit, visit, None]
