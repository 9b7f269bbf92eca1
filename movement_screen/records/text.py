"""Plain-text tables for `history` and `athletes`, in words: no logic beyond layout."""

from __future__ import annotations

from movement_screen.records import change, model
from movement_screen.report import names

SESSION_HEADERS = ("date", "time", "movement", "view", "pain", "after", "RPE", "baseline", "cues")
CHANGE_HEADERS = ("metric", "side", "baseline", "latest", "change", "noise", "unit", "verdict")
ATHLETE_HEADERS = ("name", "sport", "dominant", "sessions", "last", "notes")


def table(headers: tuple[str, ...], rows: list[tuple]) -> list[str]:
    """Left-aligned columns two spaces apart."""
    cells = [tuple(headers)] + [tuple(_cell(v) for v in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return safe(" ".join(str(value).split()))  # one line per row, whatever the notes hold


def safe(text: str) -> str:
    """Text fit for a terminal: control characters (escape sequences) shown as \\xNN."""
    return "".join(f"\\x{ord(c):02x}" if model.is_control(c) else c for c in text)


def _signed(value: float) -> str:
    return f"{value:+g}"


def history(result: dict) -> str:
    athlete = result["athlete"]
    about = ", ".join(v for v in (athlete["sport"], _dominant(athlete)) if v)
    sessions = result["sessions"]
    title = _cell(athlete["name"]) + (f" ({_cell(about)})" if about else "")
    lines = [f"{title}: {len(sessions)} session(s)"]
    lines += table(SESSION_HEADERS, [_session_row(s) for s in sessions])
    for entry in result["changes"]:
        lines += ["", *_changes(entry)]
    if result["symmetry"]["rows"]:
        lines += ["", *_symmetry(result["symmetry"])]
    return "\n".join(lines)


def _movement(movement: str | None) -> str:
    """'sprint', 'single-leg squat', 'not recognised': a stored movement in words."""
    return names.movement_word(movement).lower()


def _dominant(athlete: dict) -> str | None:
    return f"{athlete['dominant_side']}-side dominant" if athlete["dominant_side"] else None


def _session_row(s: dict) -> tuple:
    cues = ", ".join(c["id"] for c in s["cues"] if c.get("id")) or None
    return (
        s["date"],
        s["time"],
        _movement(s["movement"]),
        s["view"],
        s["pain_before"],
        s["pain_after"],
        s["rpe"],
        "*" if s["baseline"] else "",
        cues,
    )


def _changes(entry: dict) -> list[str]:
    view = entry.get("view")
    movement = _movement(entry["movement"])
    movement = f"{movement}, {view} view" if view else movement
    if entry["baseline_date"] is None:
        return [f"{movement}: no baseline session"]
    if not entry["rows"]:
        return [f"{movement}: only the baseline ({entry['baseline_date']}) so far"]
    head = f"{movement}: baseline {entry['baseline_date']} -> latest {entry['latest_date']}"
    rows = [
        (
            names.metric_name(r["metric"]),
            r["side"],
            r["baseline"],
            r["current"],
            _signed(r["change"]),
            r["noise"],
            r["unit"],
            r["verdict"],
        )
        for r in entry["rows"]
    ]
    note = f"  ('{change.WITHIN_NOISE}': the change is smaller than the metric's measurement noise)"
    return [head, *table(CHANGE_HEADERS, rows), note]


def _symmetry(symmetry: dict) -> list[str]:
    rows = [
        (
            r["date"],
            _movement(r["movement"]),
            names.metric_name(r["metric"]),
            r["left"],
            r["right"],
            f"{r['lsi']:.1f} %",
        )
        for r in symmetry["rows"]
    ]
    head = f"Limb symmetry index ({symmetry['note']})"
    return [head, *table(("date", "movement", "metric", "left", "right", "LSI"), rows)]


def athletes(rows: list[dict]) -> str:
    body = [
        (a["name"], a["sport"], a["dominant_side"], a["sessions"], a["last_date"], a["notes"])
        for a in rows
    ]
    return "\n".join(table(ATHLETE_HEADERS, body))
