"""Export to JSON/CSV and import: round trip, no duplicates, bad files refused."""

import csv
import json

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import exchange, store
from tests.records_helpers.reports import make_report

NOTE = 'Robert\'); DROP TABLE athletes;-- "quoted", ✓'


@pytest.fixture
def filled(tmp_path):
    db = str(tmp_path / "a.sqlite3")
    records.add_athlete(db, "Zoë", sport="sprint", dominant_side="right", notes=NOTE)
    for day, movement in enumerate(["sprint", "lunge", "sprint", "sprint"], start=1):
        report = make_report(movement=movement, created=f"2024-05-0{day}T09:00:00+00:00")
        records.store_screening(
            db, report, athlete="Zoë", pain_before=day, rpe=day + 0.5, notes=NOTE, baseline=day == 3
        )
    records.store_screening(db, make_report(), athlete="O'Brien", pain_after=0)
    return db


def _dump(db):
    """Everything a round trip must keep, keyed so that ids and order do not matter."""
    athletes = records.athletes(db)
    for a in athletes:
        a.pop("created_at")
    sessions = {}
    for a in athletes:
        with store.opened(db, create=False) as conn:
            athlete_id = store.find_athlete(conn, a["name"].casefold())["id"]
            for s in store.sessions(conn, athlete_id):
                s.pop("id"), s.pop("athlete_id")
                s["report_json"] = json.loads(s["report_json"])
                sessions[s["uuid"]] = (a["name"], s)
    with store.opened(db, create=False) as conn:
        measurements = sorted(store.all_measurements(conn), key=repr)
    return athletes, sessions, measurements


def test_json_round_trip_into_an_empty_db_and_no_duplicates(filled, tmp_path):
    out = str(tmp_path / "export.json")
    assert exchange.export_records(filled, out) == {"athletes": 2, "sessions": 5}
    copy = str(tmp_path / "b.sqlite3")
    first = exchange.import_records(copy, out)
    assert first == {"athletes_added": 2, "sessions_added": 5, "sessions_skipped": 0}
    assert _dump(copy) == _dump(filled)
    again = exchange.import_records(copy, out)
    assert again == {"athletes_added": 0, "sessions_added": 0, "sessions_skipped": 5}
    assert _dump(copy) == _dump(filled)
    (zoe,) = [a for a in records.athletes(copy) if a["name"] == "Zoë"]
    assert (zoe["sport"], zoe["dominant_side"], zoe["notes"]) == ("sprint", "right", NOTE)


def test_import_keeps_the_existing_baseline(filled, tmp_path):
    out = str(tmp_path / "zoe.json")
    assert exchange.export_records(filled, out, name="ZOË") == {"athletes": 1, "sessions": 4}
    other = str(tmp_path / "c.sqlite3")
    records.store_screening(other, make_report(created="2023-01-01T00:00:00+00:00"), athlete="zoë")
    exchange.import_records(other, out)
    sessions = records.history(other, "Zoë")["sessions"]
    assert len(sessions) == 5
    baselines = [(s["date"], s["movement"]) for s in sessions if s["baseline"]]
    assert baselines == [("2023-01-01", "sprint"), ("2024-05-02", "lunge")]


def test_csv_export_one_row_per_summary_measurement(filled, tmp_path):
    out = tmp_path / "export.csv"
    exchange.export_records(filled, str(out), name="Zoë")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 4 * 9  # 6 medians + 3 asymmetries per session
    assert {r["notes"] for r in rows} == {NOTE}
    assert {r["kind"] for r in rows} == {"median", "asymmetry"}
    baseline = [r for r in rows if r["baseline"] == "1"]
    assert {r["date"] for r in baseline} == {"2024-05-02", "2024-05-03"}


@pytest.mark.parametrize(
    "content, words",
    [
        ("not json", "not a JSON file"),
        ('{"format": "something-else"}', "not a movement-screen records export"),
        ('{"format": "movement-screen-records", "version": 9, "athletes": []}', "newer"),
    ],
)
def test_bad_import_files(tmp_path, content, words):
    source = tmp_path / "in.json"
    source.write_text(content)
    with pytest.raises(InputError, match=words) as error:
        exchange.import_records(str(tmp_path / "db.sqlite3"), str(source))
    assert str(error.value).startswith(str(source)) and "\n" not in str(error.value)


def test_invalid_session_refuses_the_whole_import(filled, tmp_path):
    out = tmp_path / "export.json"
    exchange.export_records(filled, str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    document["athletes"][-1]["sessions"][-1]["pain_before"] = 12
    out.write_text(json.dumps(document), encoding="utf-8")
    target = str(tmp_path / "d.sqlite3")
    with pytest.raises(InputError, match="pain before must be from 0 to 10, got 12"):
        exchange.import_records(target, str(out))
    records.store_screening(target, make_report(), athlete="Someone")
    assert [a["name"] for a in records.athletes(target)] == ["Someone"]


def test_export_refuses_unknown_suffix_athlete_and_csv_import(filled, tmp_path):
    with pytest.raises(InputError, match="writes .json or .csv"):
        exchange.export_records(filled, str(tmp_path / "x.txt"))
    with pytest.raises(InputError, match="no athlete named 'Nobody'"):
        exchange.export_records(filled, str(tmp_path / "x.json"), name="Nobody")
    with pytest.raises(InputError, match="import reads the JSON export"):
        exchange.import_records(filled, str(tmp_path / "x.csv"))
