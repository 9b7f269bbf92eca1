"""What the CLI, the report and the app call: store a screen, list, history, compare.

`db_path` None means the default file (`--db`, then $MOVEMENT_SCREEN_DB, then
`$XDG_DATA_HOME/movement-screen/records.sqlite3`, see `model.resolve_db_path`).
"""

from __future__ import annotations

import json
import os
import uuid as uuidlib
from datetime import datetime

from movement_screen.core import InputError, Movement
from movement_screen.records import change, clips, model, progress, store
from movement_screen.report import names


def store_screening(
    db_path: str | os.PathLike | None,
    report: dict,
    *,
    athlete: str,
    pain_before: float | None = None,
    pain_after: float | None = None,
    rpe: float | None = None,
    baseline: bool = False,
    notes: str | None = None,
    clip_path: str | None = None,
    when: datetime | str | None = None,
    visit: str | None = None,
    review_clip: str | None = None,
) -> int:
    """Store one screen (report.json content) for an athlete, in one transaction; its id.

    The athlete is created when new. The first session of an athlete, movement and view
    is the baseline unless `baseline` marks this one (which unmarks the old one). Clips
    screened together (a front and a side clip) pass the same `visit` id. `review_clip`
    (the screen's annotated.mp4) is kept beside the records, for reviewing a later screen
    beside this one.
    """
    name = model.clean_name(athlete)
    session = _new_session(
        model.check_report(report),
        pain_before=model.check_scale("pain before", pain_before),
        pain_after=model.check_scale("pain after", pain_after),
        rpe=model.check_scale("session RPE", rpe),
        notes=_check_notes(notes),
        clip_path=clip_path,
        when=when,
        visit=visit,
    )
    rows = model.measurement_rows(report)
    path = model.resolve_db_path(db_path)
    with store.opened(path, create=True) as conn:
        kept = clips.keep(path, session["uuid"], review_clip) if review_clip else None
        try:
            return store.write(conn, lambda c: _insert(c, name, session, rows, baseline=baseline))
        except BaseException:
            if kept:
                clips.forget(path, session["uuid"])
            raise


def new_visit() -> str:
    """A fresh id for the clips of one screen, stored with each of them."""
    return str(uuidlib.uuid4())


def check_store(db_path: str | os.PathLike | None) -> None:
    """Before an analysis: the records file is ours and writable, or can be made (nothing made)."""
    path = model.resolve_db_path(db_path)
    if os.path.lexists(path):
        with store.opened(path, create=False):
            return
    folder = os.path.dirname(path)
    while not os.path.isdir(folder):
        if os.path.lexists(folder) or folder == os.path.dirname(folder):
            raise InputError(f"{path}: cannot create the records database (no folder {folder})")
        folder = os.path.dirname(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{path}: cannot create the records database ({folder} is not writable)")


def _new_session(report: dict, *, clip_path: str | None, when, **fields) -> dict:
    """The session row, checksum included: computed before any transaction starts."""
    video = report.get("video") if isinstance(report.get("video"), dict) else {}
    clip = clip_path or video.get("path")
    checksum = model.file_sha256(clip) if clip_path or (clip and os.path.isfile(clip)) else None
    created = report.get("created") if isinstance(report.get("created"), str) else None
    return {
        "uuid": str(uuidlib.uuid4()),
        "recorded_at": model.utc_iso(when) if when else _created_or_now(created),
        "movement": model.report_value(report, "movement"),
        "view": model.report_value(report, "view"),
        "clip_file": os.path.basename(clip_path) if clip_path else video.get("file"),
        "clip_sha256": checksum,
        "report_schema": report.get("schema_version"),
        "report_json": json.dumps(report, ensure_ascii=False),
        **fields,
    }


def _created_or_now(created: str | None) -> str:
    try:
        return model.utc_iso(created) if created else model.now_iso()
    except InputError:
        return model.now_iso()


def _check_notes(notes: object) -> str | None:
    if notes is not None and not isinstance(notes, str):
        raise InputError(f"notes must be text, got {notes!r}")
    return notes or None


def _insert(conn, name: str, session: dict, rows: list[tuple], *, baseline: bool) -> int:
    athlete_id = athlete_id_for(conn, name)
    kind = (session["movement"], session["view"])
    flag = baseline_flag(conn, athlete_id, *kind, requested=baseline, importing=False)
    return store.insert_session(
        conn, {**session, "athlete_id": athlete_id, "is_baseline": flag}, rows
    )


def athlete_id_for(conn, name: str, **fields) -> int:
    """The athlete's id, created when new; given fields fill in or replace stored ones."""
    found = store.find_athlete(conn, model.name_key(name))
    if found is None:
        return store.add_athlete(
            conn, name=model.clean_name(name), key=model.name_key(name), **fields
        )
    if any(fields.get(k) is not None for k in ("sport", "dominant_side", "notes")):
        store.update_athlete(
            conn,
            found["id"],
            sport=fields.get("sport"),
            dominant_side=fields.get("dominant_side"),
            notes=fields.get("notes"),
        )
    return found["id"]


def baseline_flag(
    conn,
    athlete_id: int,
    movement: str | None,
    view: str | None,
    *,
    requested: bool,
    importing: bool,
) -> int:
    """1 if the new session is its athlete's baseline for the movement and view, else 0.

    A new screen is the baseline when marked (the old one is unmarked) or when it is the
    first of its movement and view. An imported session keeps its mark unless the store
    already has a baseline. A session whose movement was not recognised never is one.
    """
    if movement is None:
        return 0
    if requested and not importing:
        store.clear_baseline(conn, athlete_id, movement, view)
        return 1
    if requested or not importing:
        return int(not store.has_baseline(conn, athlete_id, movement, view))
    return 0


def add_athlete(
    db_path: str | os.PathLike | None,
    name: str,
    *,
    sport: str | None = None,
    dominant_side: str | None = None,
    notes: str | None = None,
) -> int:
    """Create an athlete, or update the given fields of an existing one; the id."""
    fields = {
        "sport": sport or None,
        "dominant_side": model.check_side(dominant_side),
        "notes": _check_notes(notes),
    }
    model.clean_name(name)
    with store.opened(model.resolve_db_path(db_path), create=True) as conn:
        return store.write(conn, lambda c: athlete_id_for(c, name, **fields))


def athletes(db_path: str | os.PathLike | None) -> list[dict]:
    """Every athlete with the number of sessions and the last session's date."""
    with store.opened(model.resolve_db_path(db_path), create=False, write=False) as conn:
        found = store.list_athletes(conn)
    for athlete in found:
        last = athlete.pop("last_at")
        athlete["last_date"] = model.local_date(last) if last else None
        athlete.pop("id")
    return found


def mark_baseline(db_path: str | os.PathLike | None, session_uuid: str) -> None:
    """Make a stored session the baseline of its athlete, movement and view."""
    path = model.resolve_db_path(db_path)
    with store.opened(path, create=False) as conn:
        if not store.write(conn, lambda c: store.set_baseline(c, session_uuid)):
            raise InputError(f"{path}: no session {session_uuid} with a recognised movement")


def remove_session(db_path: str | os.PathLike | None, session_uuid: str) -> str:
    """Delete one stored session (a screen saved by mistake); what was removed, in words.
    A removed baseline leaves the movement without one until another is marked."""
    path = model.resolve_db_path(db_path)
    with store.opened(path, create=False) as conn:
        gone = store.write(conn, lambda c: store.delete_session(c, session_uuid))
    if gone is None:
        raise InputError(f"{path}: no session {session_uuid}")
    clips.forget(path, session_uuid)
    movement = names.movement_word(gone["movement"]).lower() if gone["movement"] else "unrecognised"
    said = f"removed the {movement} screen of {gone['name']} "
    said += f"from {model.local_date(gone['recorded_at'])}"
    if gone["is_baseline"]:
        said += "; it was the baseline: mark another session as the baseline to compare with"
    return said


def history(db_path: str | os.PathLike | None, name: str, movement: str | None = None) -> dict:
    """Sessions, change of each metric from the baseline, and limb symmetry over time."""
    _check_movement(movement)
    path = model.resolve_db_path(db_path)
    with store.opened(path, create=False, write=False) as conn:
        athlete = _athlete_or_error(conn, name, path)
        rows = store.sessions(conn, athlete["id"], movement)
        medians = store.medians(conn, athlete["id"], movement)
    athlete = {k: athlete[k] for k in ("name", "sport", "dominant_side", "notes")}
    return {"database": path, **progress.build(athlete, rows, medians, movement=movement)}


def _check_movement(movement: str | None) -> None:
    if movement is not None and movement not in {m.value for m in Movement}:
        known = ", ".join(m.value for m in Movement)
        raise InputError(f"movement must be one of {known}, got {movement!r}")


def _athlete_or_error(conn, name: str, path: str) -> dict:
    found = store.find_athlete(conn, model.name_key(name))
    if found is None:
        raise InputError(
            f"{path}: no athlete named {model.clean_name(name)!r} "
            "(`movement-screen athletes` lists them)"
        )
    return found


def comparison_for(db_path: str | os.PathLike | None, athlete: str, report: dict) -> dict | None:
    """This report against the athlete's baseline for its movement and view (like with
    like), for the report page.

    {"baseline_date": "YYYY-MM-DD", "rows": [{metric, side, baseline, current, change,
    unit, noise, verdict}], "trend_png": PNG bytes or None, "beside": `baseline_for`'s
    answer}; None when there is no database, athlete or baseline yet, or this report is
    the baseline itself.
    """
    found = _like_sessions(db_path, athlete, report)
    compared = _compare_with(*found, report) if found else None
    if compared is not None:
        compared["beside"] = baseline_for(db_path, athlete, report)
    return compared


def baseline_for(db_path: str | os.PathLike | None, athlete: str, report: dict) -> dict | None:
    """The athlete's baseline screen for this report's movement and view, for reviewing the
    two side by side: {"date", "report" (its report.json), "clip" (its kept annotated clip,
    or None)}; None when there is none, or this report is the baseline itself."""
    found = _like_sessions(db_path, athlete, report)
    base = next((r for r in found[0] if r["is_baseline"]), None) if found else None
    current = progress.matching_session(found[0], report) if found else None
    if base is None or (current is not None and current["id"] == base["id"]):
        return None
    return {
        "date": model.local_date(base["recorded_at"]),
        "report": json.loads(base["report_json"]),
        "clip": clips.find(model.resolve_db_path(db_path), base["uuid"]),
    }


def _like_sessions(db_path, athlete: str, report: dict) -> tuple[list, list] | None:
    """The athlete's sessions of this report's movement and view, and their medians."""
    movement = model.report_value(model.check_report(report), "movement")
    path = model.resolve_db_path(db_path)
    if movement is None or not os.path.isfile(path):
        return None
    with store.opened(path, create=False, write=False) as conn:
        found = store.find_athlete(conn, model.name_key(athlete))
        if found is None:
            return None
        view = model.report_value(report, "view")
        rows = [r for r in store.sessions(conn, found["id"], movement) if r["view"] == view]
        return rows, store.medians(conn, found["id"], movement)


def _compare_with(rows: list[dict], medians: list[dict], report: dict) -> dict | None:
    base = next((r for r in rows if r["is_baseline"]), None)
    current = progress.matching_session(rows, report)
    if base is None or (current is not None and current["id"] == base["id"]):
        return None
    if current is None:  # not stored (yet): the report is the latest point
        rows = [*rows, progress.unsaved_session(report)]
        medians = [*medians, *progress.unsaved_medians(report)]
    by_session = progress.medians_by_session(medians)
    compared = change.compare(
        by_session.get(base["id"], {}),
        change.medians(report["measurements"]),
        rules=change.rules_of(report) + change.rules_of(json.loads(base["report_json"])),
    )
    return {
        "baseline_date": model.local_date(base["recorded_at"]),
        "rows": compared,
        "trend_png": _trend_png(rows, by_session, compared),
    }


def _trend_png(rows: list[dict], by_session: dict, compared: list[dict]) -> bytes | None:
    if not compared:
        return None
    from movement_screen.records import plots  # matplotlib only when a plot is drawn

    series = progress.series(rows, by_session)
    wanted = {row["metric"] for row in compared}
    noise = {row["metric"]: row["noise"] for row in compared}
    return plots.trend_png([s for s in series if s["metric"] in wanted], noise=noise)
