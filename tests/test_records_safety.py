"""User text and records files: nothing a spreadsheet runs, a terminal obeys, or a file loses."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import exchange, model, store
from tests.records_helpers.reports import make_report

ROOT = Path(__file__).resolve().parents[1]
ESCAPE = "\x1b[31mred\x1b]0;title\x07"


def _cli(*args: str, shell_tail: str = "") -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "movement_screen.cli", *args]
    if shell_tail:
        line = " ".join(f"'{a}'" for a in command) + shell_tail
        return subprocess.run(
            ["bash", "-c", line], capture_output=True, text=True, timeout=120, cwd=ROOT
        )
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def _one_line_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("movement-screen: error:")
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "records.sqlite3")
    report = make_report({("peak_thigh_angle", "left"): 70.0}, created="2024-05-01T09:00:00+00:00")
    records.store_screening(path, report, athlete='=HYPERLINK("x")', notes=f"-2 {ESCAPE}")
    records.add_athlete(path, "@Sam", sport="+sprint", notes=ESCAPE)
    return path


def test_csv_export_neutralises_formulas_but_keeps_numbers(db, tmp_path):
    out = tmp_path / "export.csv"
    exchange.export_records(db, str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["athlete"] == '\'=HYPERLINK("x")'
    assert rows[0]["notes"].startswith("'-2 ")
    for row in rows:
        for key, cell in row.items():
            assert not cell.startswith(exchange.FORMULA_START) or key == "value", (key, cell)


def test_terminal_output_shows_escape_sequences_instead_of_obeying_them(db):
    for args in (("athletes",), ("history", "@Sam"), ("history", '=HYPERLINK("x")')):
        done = _cli(*args, "--db", db)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "\\x1b[31mred\\x1b]0;title\\x07" in _cli("athletes", "--db", db).stdout


@pytest.mark.parametrize("name", ["Ann\nBob", "Ann\x1b[2J", "tab\there", "line\u2028sep"])
def test_names_with_control_characters_are_refused_at_the_door(tmp_path, name):
    with pytest.raises(InputError, match="without control characters"):
        model.clean_name(name)
    done = _cli("athletes", "--add", name, "--db", str(tmp_path / "r.sqlite3"))
    _one_line_error(done, "control characters")
    assert not (tmp_path / "r.sqlite3").exists()


def test_analyze_refuses_a_bad_name_before_any_analysis(tmp_path):
    done = _cli("analyze", "no-such-clip.mp4", "--athlete", "Ann\nBob", "--db", str(tmp_path / "r"))
    _one_line_error(done, "control characters")  # the name, not the missing clip, is reported


def _foreign_database(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('someone')")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_programs_database_is_refused_and_left_exactly_as_it_was(tmp_path):
    path = tmp_path / "contacts.db"
    digest = _foreign_database(path)
    for args in (("athletes",), ("history", "x"), ("import", str(tmp_path / "none.json"))):
        done = _cli(*args, "--db", str(path))
        assert done.returncode == 2
    done = _cli("athletes", "--add", "Ann", "--db", str(path))
    _one_line_error(done, "not a movement-screen records database")
    done = _cli("analyze", "no-such-clip.mp4", "--athlete", "Ann", "--db", str(path))
    _one_line_error(done, "not a movement-screen records database")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert path.read_bytes()[18:20] == b"\x01\x01"  # still a rollback-journal file, not WAL
    assert sorted(os.listdir(tmp_path)) == ["contacts.db"]


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only mount needs root (unshare -m)")
def test_a_read_only_records_file_can_still_be_read(db, tmp_path_factory):
    folder = Path(db).parent
    export = tmp_path_factory.mktemp("elsewhere") / "all.json"
    commands = [("athletes",), ("history", "@Sam"), ("export", "--out", str(export))]
    for args in commands:
        line = " ".join(f"'{a}'" for a in (sys.executable, "-m", "movement_screen.cli", *args))
        script = (
            f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
            f"cd {ROOT} && {line} --db {db}"
        )
        done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
        assert done.returncode == 0, (args, done.stderr)
        assert "@Sam" in done.stdout or "2 athlete(s)" in done.stdout
    assert "@Sam" in export.read_text()


def test_athletes_into_a_closed_pipe_is_one_line(tmp_path):
    path = str(tmp_path / "r.sqlite3")
    with store.opened(path, create=True) as conn:
        store.write(
            conn,
            lambda c: [
                store.add_athlete(c, name=f"Athlete {i:05d}", key=f"athlete {i:05d}")
                for i in range(4000)
            ],
        )
    done = _cli("athletes", "--db", path, shell_tail=" | head -n 1; exit ${PIPESTATUS[0]}")
    assert done.stdout.startswith("name")
    _one_line_error(done, "broken pipe")


def test_records_disk_full_is_one_line(tmp_path):
    path = str(tmp_path / "r.sqlite3")
    report = make_report({("peak_thigh_angle", "left"): 70.0}, created="2024-05-01T09:00:00+00:00")
    records.store_screening(path, report, athlete="Ann")
    with store.opened(path, create=False) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
        with pytest.raises(InputError, match="cannot write the records database .database or"):
            store.write(conn, lambda c: c.execute("CREATE TABLE big (x)"))


def test_imports_nested_too_deep_or_out_of_range_are_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    _one_line_error(_cli("import", str(deep), "--db", str(tmp_path / "r")), "nested too deep")
    report = make_report({("peak_thigh_angle", "left"): 70.0}, created="2024-05-01T09:00:00+00:00")
    session = {"uuid": "u1", "recorded_at": "9999-12-31T23:59:59-12:00", "report": report}
    document = {
        "format": exchange.FORMAT,
        "version": 1,
        "athletes": [{"name": "Ann", "sessions": [session]}],
    }
    late = tmp_path / "late.json"
    late.write_text(json.dumps(document))
    _one_line_error(_cli("import", str(late), "--db", str(tmp_path / "r")), "out of range")
    assert not (tmp_path / "r").exists()
