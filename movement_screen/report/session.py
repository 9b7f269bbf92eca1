"""session.html: one report for a screen made of several clips of one athlete.

A baseline screen in a clinic is a front and a side clip (pelvis and knees from the
front; hip extension, knee drive and trunk from the side), or the left and the right
leg. Each clip keeps its own full report; this page puts them together: one header, one
list of cues (a cue several clips give is listed once, naming them), then per clip its
movement and view, findings and key frames, and where its full report is. The same
template, escaping and print rules as `html.py` (three A4 pages for two clips).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from html import escape

from movement_screen.report import html, names
from movement_screen.report.data import to_dict
from movement_screen.screening import Screening

RANK = names.RANK
FOLDER = "session"  # beside the clips' folders: the joint report


@dataclass(frozen=True)
class Part:
    """One clip of the session, made while its screening is at hand (`part_of`): its
    report.json content, the name the user knows it by, the folder (relative to the
    session report; "" where the clip's report is a download of its own) holding its full
    report, its findings and key frames as HTML, and its protocol's note."""

    report: dict
    clip_name: str
    folder: str
    body: str
    note: str = ""


def part_of(screening: Screening, clip_name: str, folder: str) -> Part:
    """A clip's part of the session report (the key frames are read from the clip now)."""
    doc = to_dict(screening)
    body = html.findings_inner(doc) + "<h3>Key frames</h3>\n" + html.frames_inner(screening)
    note = screening.protocol.note if screening.protocol else ""
    return Part(doc, clip_name, folder, body, note)


def label(part: Part) -> str:
    """'Lunge, front view (clip.mp4)': what a clip of the session is, in words."""
    doc = part.report
    movement = names.movement_word(doc["movement"]["value"]).capitalize()
    return f"{movement}, {doc['view']['value']} view ({part.clip_name})"


def merged_cues(parts: list[Part]) -> list[dict]:
    """Every clip's cues as report.json cues, a cue given by several clips once (its worst
    severity, naming the clips); 'all clear' only when no clip has anything to change."""
    merged: dict[str, dict] = {}
    for part in parts:
        for cue in part.report["cues"]:
            key = cue["text"]
            seen = merged.setdefault(key, {**cue, "from": []})
            seen["from"].append(label(part))
            if RANK[cue["severity"]] < RANK[seen["severity"]]:
                seen["severity"] = cue["severity"]
    cues = sorted(merged.values(), key=lambda c: RANK[c["severity"]])
    changes = [c for c in cues if c["id"] != "all_clear"]
    return changes or cues[:1]


def render(
    parts: list[Part],
    *,
    athlete: str | None = None,
    notes: str | None = None,
    clinician: str | None = None,
    facts: tuple[tuple[str, str], ...] = (),
    created: datetime | None = None,
) -> str:
    """The session's report as one HTML document (str)."""
    when = (created or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    rows = [
        ("Athlete", athlete or "not given"),
        *((("Clinician", clinician),) if clinician else ()),
        *facts,
        ("Date", when),
        *((f"Clip {i}", label(p)) for i, p in enumerate(parts, start=1)),
    ]
    runner = f"{athlete or 'Session'} · {when} · movement-screen"
    body = "".join(
        (
            f'<p class="runner">{escape(runner)}</p>\n',
            html.header(f"Movement screen: {len(parts)} clips", rows, notes),
            html.cues_section(merged_cues(parts), "in these clips (see each clip's report)"),
            *(_part(i, p) for i, p in enumerate(parts, start=1)),
            html.limits_section(p.note for p in parts),
            '<div class="notes-box">Notes</div>\n',
        )
    )
    return html.document(f"Movement screen: {athlete or 'session'} ({len(parts)} clips)", body)


def _part(number: int, part: Part) -> str:
    where = f"{part.folder}/report.html" if part.folder else "this clip's own report"
    inner = part.body + (
        f"<p><small>Angles over time, left against right, drift and data quality for this "
        f"clip: {escape(where)}.</small></p>\n"
    )
    return html.section(f"clip-{number}", f"Clip {number}: {label(part)}", inner, page=number > 1)


def write_json(path: str, parts: list[Part]) -> None:
    """The session's report.json: its clips (where each one's outputs are) and the cues."""
    doc = {
        "schema_version": 1,
        "clips": [
            {"file": p.clip_name, "folder": p.folder, "screen": label(p),
             "movement": p.report["movement"]["value"], "view": p.report["view"]["value"]}
            for p in parts
        ],
        "cues": merged_cues(parts),
    }  # fmt: skip
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, indent=1, ensure_ascii=False)
