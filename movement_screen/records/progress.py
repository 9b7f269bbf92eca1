"""An athlete's history as plain data: sessions, change from baseline, series, symmetry.

Pure functions of stored rows (`store.sessions`, `store.medians`); the result is
JSON-ready and is what `movement-screen history --json` prints.
"""

from __future__ import annotations

import json

from movement_screen.records import change, model

UNSAVED = "unsaved"  # session id of a report that is not stored (yet)
VOLATILE = ("created", "generated_by")  # report keys that differ between two renderings


def build(athlete: dict, rows: list[dict], medians: list[dict], *, movement: str | None) -> dict:
    by_session = medians_by_session(medians)
    return {
        "athlete": athlete,
        "movement": movement,
        "sessions": [session_summary(row) for row in rows],
        "changes": [changes(group, by_session) for group in by_movement(rows)],
        "series": series(rows, by_session),
        "symmetry": {
            "reference": change.LSI_REFERENCE,
            "note": change.LSI_NOTE,
            "rows": symmetry_rows(rows, by_session),
        },
    }


def session_summary(row: dict) -> dict:
    report = json.loads(row["report_json"])
    cues = [c for c in report.get("cues") or [] if isinstance(c, dict)]
    return {
        "uuid": row["uuid"],
        "recorded_at": row["recorded_at"],
        "date": model.local_date(row["recorded_at"]),
        "time": model.local_time(row["recorded_at"]),
        "movement": row["movement"],
        "view": row["view"],
        "pain_before": row["pain_before"],
        "pain_after": row["pain_after"],
        "rpe": row["rpe"],
        "baseline": bool(row["is_baseline"]),
        "notes": row["notes"],
        "clip_file": row["clip_file"],
        "clip_sha256": row["clip_sha256"],
        "visit": row["visit"],
        "cues": [{k: c.get(k) for k in ("id", "severity", "text")} for c in cues],
    }


def medians_by_session(medians: list[dict]) -> dict[object, change.Medians]:
    out: dict[object, change.Medians] = {}
    for m in medians:
        out.setdefault(m["session_id"], {})[(m["metric"], m["side"])] = (m["value"], m["unit"])
    return out


def by_movement(rows: list[dict]) -> list[list[dict]]:
    """Sessions grouped by movement and view (recognised ones only: like with like), in
    order of first session."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["movement"] is not None:
            groups.setdefault((row["movement"], row["view"]), []).append(row)
    return list(groups.values())


def changes(group: list[dict], by_session: dict) -> dict:
    """Latest session of one movement against its baseline (rows empty if it is the baseline)."""
    latest = group[-1]
    base = next((r for r in group if r["is_baseline"]), None)
    out = {"movement": latest["movement"], "view": latest["view"]}
    out["latest_date"] = model.local_date(latest["recorded_at"])
    out |= {"latest_uuid": latest["uuid"], "baseline_date": None, "baseline_uuid": None, "rows": []}
    if base is None:
        return out
    out |= {"baseline_date": model.local_date(base["recorded_at"]), "baseline_uuid": base["uuid"]}
    if base["id"] != latest["id"]:
        rules = change.rules_of(json.loads(latest["report_json"]))
        rules += change.rules_of(json.loads(base["report_json"]))
        current, baseline = by_session.get(latest["id"], {}), by_session.get(base["id"], {})
        out["rows"] = change.compare(baseline, current, rules=rules)
    return out


def series(rows: list[dict], by_session: dict) -> list[dict]:
    """Per movement, metric and side: the medians session by session, baseline marked."""
    out: dict[tuple, dict] = {}
    for row in rows:
        for (metric, side), (value, unit) in by_session.get(row["id"], {}).items():
            key = (row["movement"], metric, side)
            entry = out.setdefault(
                key,
                {"movement": key[0], "metric": metric, "side": side, "unit": unit, "points": []},
            )
            entry["points"].append(_point(row, value))
    return sorted(out.values(), key=_series_order)


def _point(row: dict, value: float) -> dict:
    return {
        "uuid": row["uuid"],
        "recorded_at": row["recorded_at"],
        "date": model.local_date(row["recorded_at"]),
        "value": value,
        "baseline": bool(row["is_baseline"]),
    }


def _series_order(entry: dict) -> tuple:
    side = change.SIDE_ORDER.get(entry["side"], 3)
    return (entry["movement"] or "", entry["metric"], side)


def symmetry_rows(rows: list[dict], by_session: dict) -> list[dict]:
    """Limb symmetry index per session and eligible metric."""
    out = []
    for row in rows:
        for entry in change.symmetry(by_session.get(row["id"], {})):
            out.append(
                {
                    "movement": row["movement"],
                    "date": model.local_date(row["recorded_at"]),
                    "uuid": row["uuid"],
                    **entry,
                }
            )
    return out


def matching_session(rows: list[dict], report: dict) -> dict | None:
    """The stored session whose report is this one (ignoring when it was generated), if any."""
    wanted = _content(report)
    return next((r for r in rows if _content(json.loads(r["report_json"])) == wanted), None)


def _content(report: dict) -> dict:
    """A report without its generation stamp: `to_dict` twice on one screening gives the same."""
    return {k: v for k, v in report.items() if k not in VOLATILE}


def unsaved_session(report: dict) -> dict:
    """A session-like row for a report that is not stored, dated by its `created` time."""
    created = report.get("created")
    try:
        recorded = model.utc_iso(created) if isinstance(created, str) else model.now_iso()
    except ValueError:
        recorded = model.now_iso()
    return {
        "id": UNSAVED,
        "uuid": UNSAVED,
        "recorded_at": recorded,
        "movement": model.report_value(report, "movement"),
        "is_baseline": 0,
    }


def unsaved_medians(report: dict) -> list[dict]:
    return [
        {"session_id": UNSAVED, "metric": metric, "side": side, "value": value, "unit": unit}
        for (metric, side), (value, unit) in change.medians(report["measurements"]).items()
    ]
