"""Export athletes' records to JSON (complete, importable) or CSV (for spreadsheets); import JSON.

The JSON export holds each session's whole report.json, so importing it rebuilds
sessions and measurements exactly. Sessions are matched by their UUID: importing
the same file twice adds nothing the second time. An import is one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile

from movement_screen.core import InputError
from movement_screen.records import api, model, store

FORMAT = "movement-screen-records"
FORMAT_VERSION = 1
SESSION_KEYS = (
    "uuid",
    "recorded_at",
    "movement",
    "view",
    "clip_file",
    "clip_sha256",
    "pain_before",
    "pain_after",
    "rpe",
    "notes",
    "visit",
)
CSV_COLUMNS = (
    "athlete",
    "session_uuid",
    "date",
    "recorded_at",
    "movement",
    "view",
    "baseline",
    "pain_before",
    "pain_after",
    "rpe",
    "clip_file",
    "notes",
    "metric",
    "side",
    "kind",
    "value",
    "unit",
)


def export_records(db_path, out: str, *, name: str | None = None) -> dict:
    """Write one athlete (or all, `name` None) to `out` (.json or .csv); counts written."""
    kind = os.path.splitext(out)[1].lower()
    if kind not in (".json", ".csv"):
        raise InputError(f"{out}: export writes .json or .csv files")
    document = collect(db_path, name=name)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _write_atomic(out, text if kind == ".json" else to_csv(document))
    sessions = sum(len(a["sessions"]) for a in document["athletes"])
    return {"athletes": len(document["athletes"]), "sessions": sessions}


def collect(db_path, *, name: str | None = None) -> dict:
    """The export document: athletes with their sessions and reports."""
    path = model.resolve_db_path(db_path)
    with store.opened(path, create=False, write=False) as conn:
        found = [
            a
            for a in store.list_athletes(conn)
            if name is None or model.name_key(a["name"]) == model.name_key(name)
        ]
        if name is not None and not found:
            raise InputError(f"{path}: no athlete named {model.clean_name(name)!r}")
        athletes = [_athlete(a, store.sessions(conn, a["id"])) for a in found]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported": model.now_iso(),
        "athletes": athletes,
    }


def _athlete(row: dict, sessions: list[dict]) -> dict:
    fields = {k: row[k] for k in ("name", "sport", "dominant_side", "notes", "created_at")}
    return {**fields, "sessions": [_session(s) for s in sessions]}


def _session(row: dict) -> dict:
    out = {k: row[k] for k in SESSION_KEYS}
    return {**out, "baseline": bool(row["is_baseline"]), "report": json.loads(row["report_json"])}


def to_csv(document: dict) -> str:
    """One row per session and summary measurement (median, asymmetry, drift)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for athlete in document["athletes"]:
        for session in athlete["sessions"]:
            writer.writerows(_csv_rows(athlete["name"], session))
    return buffer.getvalue()


def _csv_rows(name: str, session: dict) -> list[dict]:
    head = {k: session[k] for k in SESSION_KEYS if k in CSV_COLUMNS}
    head |= {"athlete": name, "session_uuid": session["uuid"], "baseline": int(session["baseline"])}
    head["date"] = model.local_date(session["recorded_at"])
    summaries = [m for m in session["report"]["measurements"] if m.get("kind") != "value"]
    rows = [
        {**head, **{k: m.get(k) for k in ("metric", "side", "kind", "value", "unit")}}
        for m in summaries
    ]
    return [{k: _spreadsheet_safe(v) for k, v in row.items()} for row in rows or [head]]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may run such a cell as a formula


def _spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _write_atomic(out: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(out))
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, delete=False, suffix=".part", newline=""
        ) as handle:
            handle.write(text)
        os.replace(handle.name, out)
    except OSError as error:
        raise InputError(f"{out}: cannot write the export ({error.strerror})") from error


def import_records(db_path, source: str) -> dict:
    """Add the athletes and sessions of a JSON export; sessions already stored are skipped."""
    document = read_export(source)
    athletes = [_checked_athlete(a, source) for a in document["athletes"]]
    with store.opened(model.resolve_db_path(db_path), create=True) as conn:
        return store.write(conn, lambda c: _import(c, athletes))


def read_export(source: str) -> dict:
    if source.lower().endswith(".csv"):
        raise InputError(f"{source}: import reads the JSON export (the CSV is for spreadsheets)")
    try:
        with open(source, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise InputError(f"{source}: cannot read ({error.strerror})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{source}: not a JSON file ({error})") from error
    except RecursionError:
        raise InputError(f"{source}: JSON nested too deep to be a records export") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"{source}: not a movement-screen records export")
    if not isinstance(document.get("version"), int) or document["version"] > FORMAT_VERSION:
        raise InputError(f"{source}: export format {document.get('version')!r} is newer than v1")
    if not isinstance(document.get("athletes"), list):
        raise InputError(f"{source}: export without an athletes list")
    return document


def _checked_athlete(athlete: object, source: str) -> dict:
    """Validate an exported athlete and its sessions; InputError names the file."""
    try:
        if not isinstance(athlete, dict) or not isinstance(athlete.get("sessions"), list):
            raise InputError("athlete without a sessions list")
        fields = {
            "name": model.clean_name(athlete.get("name")),
            "sport": athlete.get("sport") or None,
            "dominant_side": model.check_side(athlete.get("dominant_side")),
            "notes": athlete.get("notes") or None,
            "created_at": athlete.get("created_at") or None,
        }
        return {**fields, "sessions": [_checked_session(s) for s in athlete["sessions"]]}
    except InputError as error:
        raise InputError(f"{source}: {error}") from error


def _checked_session(session: object) -> dict:
    if not isinstance(session, dict) or not isinstance(session.get("uuid"), str):
        raise InputError(f"session without a uuid: {str(session)[:60]}")
    report = model.check_report(session.get("report"))
    return {
        **{k: session.get(k) for k in SESSION_KEYS},
        "recorded_at": model.utc_iso(session.get("recorded_at") or ""),
        "pain_before": model.check_scale("pain before", session.get("pain_before")),
        "pain_after": model.check_scale("pain after", session.get("pain_after")),
        "rpe": model.check_scale("session RPE", session.get("rpe")),
        "baseline": bool(session.get("baseline")),
        "visit": session["visit"] if isinstance(session.get("visit"), str) else None,
        "report": report,
    }


def _import(conn, athletes: list[dict]) -> dict:
    counts = {"athletes_added": 0, "sessions_added": 0, "sessions_skipped": 0}
    for athlete in athletes:
        known = store.find_athlete(conn, model.name_key(athlete["name"]))
        counts["athletes_added"] += known is None
        fields = {k: athlete[k] for k in ("sport", "dominant_side", "notes", "created_at")}
        # a known athlete keeps what the store has; a new one gets the exported fields
        athlete_id = known["id"] if known else api.athlete_id_for(conn, athlete["name"], **fields)
        for session in sorted(athlete["sessions"], key=lambda s: s["recorded_at"]):
            added = _import_session(conn, athlete_id, session)
            counts["sessions_added" if added else "sessions_skipped"] += 1
    return counts


def _import_session(conn, athlete_id: int, session: dict) -> bool:
    if store.has_session(conn, session["uuid"]):
        return False
    report = session["report"]
    movement = session["movement"] or model.report_value(report, "movement")
    flag = api.baseline_flag(
        conn, athlete_id, movement, session.get("view"), requested=session["baseline"],
        importing=True,
    )  # fmt: skip
    row = {k: session[k] for k in SESSION_KEYS}
    row |= {"athlete_id": athlete_id, "movement": movement, "is_baseline": flag}
    row |= {
        "report_schema": report.get("schema_version"),
        "report_json": json.dumps(report, ensure_ascii=False),
    }
    store.insert_session(conn, row, model.measurement_rows(report))
    return True
