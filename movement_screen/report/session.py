"""session.html: one report for a screen made of several clips of one athlete.

A baseline screen in a clinic is a front and a side clip (pelvis and knees from the
front; hip extension, knee drive and trunk from the side), or the left and the right
leg. Each clip keeps its own full report; this page puts them together: one header, one
list of cues (a cue several clips give is listed once, naming them), then per clip its
movement and view, findings and key frames, and where its full report is. The same
template, escaping and print rules as `html.py` (three A4 pages for two clips).

Clips of one movement filmed from both sides are also read together (`both_sides`): their
left-right differences without the camera's side, judged by the protocol's asymmetry
rules, stand in the list of cues for what each clip read from its one side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from html import escape

from movement_screen import both_sides, cues
from movement_screen.core import Measurement
from movement_screen.report import html, names, view
from movement_screen.report.data import cue_dict, to_dict
from movement_screen.rules import Protocol
from movement_screen.screening import Screening

RANK = names.RANK
FOLDER = "session"  # beside the clips' folders: the joint report
LEGS = ("left", "right")


@dataclass(frozen=True)
class Part:
    """One clip of the session, made while its screening is at hand (`part_of`): its
    report.json content, the name the user knows it by, the folder (relative to the
    session report; "" where the clip's report is a download of its own) holding its full
    report, its findings and key frames as HTML, its protocol's note, and for a side view
    the leg nearer the camera with the protocol and the per-event values (`both_sides`)."""

    report: dict
    clip_name: str
    folder: str
    body: str
    note: str = ""
    near_leg: str | None = None
    protocol: Protocol | None = None
    values: tuple[Measurement, ...] = ()


@dataclass(frozen=True)
class BothSides:
    """One movement filmed from both sides in the session: its clips, and each asymmetry
    rule read from the two sides together."""

    movement: str
    parts: tuple[Part, ...]
    readings: tuple[both_sides.Reading, ...]


def part_of(screening: Screening, clip_name: str, folder: str) -> Part:
    """A clip's part of the session report (the key frames are read from the clip now)."""
    doc = to_dict(screening)
    body = html.findings_inner(doc) + "<h3>Key frames</h3>\n" + html.frames_inner(screening)
    protocol = screening.protocol
    note = protocol.note if protocol else ""
    values = tuple(m for m in screening.measurements if m.kind == "value")
    return Part(doc, clip_name, folder, body, note, doc["view"]["near_leg"], protocol, values)


def both_sides_of(parts: list[Part]) -> list[BothSides]:
    """Each movement with side-view clips from both sides, read together (the clips with
    the same leg near pooled)."""
    groups: dict[str, list[Part]] = {}
    for part in parts:
        if part.near_leg and part.protocol:
            groups.setdefault(part.report["movement"]["value"], []).append(part)
    found = []
    for movement, group in groups.items():
        near = [[m for p in group if p.near_leg == leg for m in p.values] for leg in LEGS]
        readings = both_sides.read(group[0].protocol, *near) if all(near) else []
        if readings:
            found.append(BothSides(movement, tuple(group), tuple(readings)))
    return found


def label(part: Part) -> str:
    """'Lunge, front view (clip.mp4)': what a clip of the session is, in words."""
    doc = part.report
    move = doc["movement"]
    movement = names.movement_word(move["value"], move.get("seen")).capitalize()
    return f"{movement}, {doc['view']['value']} view ({part.clip_name})"


def both_label(group: BothSides) -> str:
    """'Sprint, side view from both sides (a.mp4, b.mp4)'."""
    movement = names.movement_word(group.movement).capitalize()
    clips = ", ".join(p.clip_name for p in group.parts)
    return f"{movement}, side view from both sides ({clips})"


def merged_cues(parts: list[Part]) -> list[dict]:
    """Every clip's cues as report.json cues, a cue given by several clips once (its worst
    severity, naming the clips); where a movement was filmed from both sides, the cues of
    the left-right differences read together instead of each clip's own (a cue of nothing
    else); 'all clear' only when no clip has anything to change, then each clip's own (a
    lunge's and a hinge's say different things)."""
    sides = both_sides_of(parts)
    given = [(cue, label(part)) for part in parts for cue in _own_cues(part, sides)]
    for group in sides:
        said = cues.cues_for(group.parts[0].protocol, [r.finding for r in group.readings])
        given += [(cue_dict(c), both_label(group)) for c in said]
    merged: dict[str, dict] = {}
    for cue, source in given:
        seen = merged.setdefault(cue["text"], {**cue, "from": []})
        seen["from"].append(source)
        if RANK[cue["severity"]] < RANK[seen["severity"]]:
            seen["severity"] = cue["severity"]
    ranked = sorted(merged.values(), key=lambda c: RANK[c["severity"]])
    changes = [c for c in ranked if c["id"] != "all_clear"]
    return changes or ranked


def _own_cues(part: Part, sides: list[BothSides]) -> list[dict]:
    """The clip's cues but those raised only by rules read from both sides."""
    read = {
        r.finding.rule
        for group in sides if any(p is part for p in group.parts)
        for r in group.readings
    }  # fmt: skip
    return [
        cue for cue in part.report["cues"]
        if not cue["findings"] or any(f.split(":")[0] not in read for f in cue["findings"])
    ]  # fmt: skip


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
            *(_both_sides(group) for group in both_sides_of(parts)),
            *(_part(i, p) for i, p in enumerate(parts, start=1)),
            html.limits_section(p.note for p in parts),
            '<div class="notes-box">Notes</div>\n',
        )
    )
    return html.document(f"Movement screen: {athlete or 'session'} ({len(parts)} clips)", body)


BOTH_SIDES_HEAD = (
    "Measure (left minus right)", "Left leg nearer", "Right leg nearer", "Both sides",
    "The camera's side", "Status",
)  # fmt: skip


def _both_sides(group: BothSides) -> str:
    """A movement filmed from both sides: each difference from each side, together, and
    what the camera's side added."""
    near = {leg: ", ".join(p.clip_name for p in group.parts if p.near_leg == leg) for leg in LEGS}
    intro = (
        f"{names.movement_word(group.movement).capitalize()} filmed from both sides: the "
        f"left leg was nearer the camera in {near['left']}, the right leg in {near['right']}. "
        "One camera does not draw the near and far leg alike, so each clip's left-right "
        "difference holds the camera's side as well as the athlete's; the mean of the two "
        "is the athlete's own, and it stands for both clips' in the cues above."
    )
    rows = [_reading_cells(r) for r in group.readings]
    inner = f"<p>{escape(intro)}</p>\n" + html.table(BOTH_SIDES_HEAD, rows)
    return html.section(
        f"both-sides-{group.movement}", "Left against right, from both sides", inner
    )


def reading_words(r: both_sides.Reading) -> str:
    """One reading in a line: 'Hip extension at push-off, left minus right: +8.0° with the
    left leg nearer the camera, -3.1° with the right, +2.5° from both sides (the camera's
    side 5.6°): OK (within noise)'."""
    f, said = r.finding, lambda v: names.value_text(v, r.unit, signed=True)
    status = view.status_text(f.severity.value, f.within_noise)
    return (
        f"{names.metric_name(r.metric)}, left minus right: {said(r.left_near)} with the left "
        f"leg nearer the camera, {said(r.right_near)} with the right, {said(r.value)} from "
        f"both sides (the camera's side {names.value_text(abs(r.camera), r.unit)}): {status}"
    )


def _reading_cells(r: both_sides.Reading) -> tuple[str, ...]:
    f = r.finding
    return (
        escape(names.metric_name(r.metric)),
        *(
            escape(names.value_text(v, r.unit, signed=True))
            for v in (r.left_near, r.right_near, r.value)
        ),
        escape(names.value_text(abs(r.camera), r.unit)),
        html.badge(f.severity.value, " (within noise)" if f.within_noise else ""),
    )


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
        "both_sides": [
            {"movement": g.movement, "clips": [p.clip_name for p in g.parts],
             "readings": [_reading_dict(r) for r in g.readings]}
            for g in both_sides_of(parts)
        ],
        "cues": merged_cues(parts),
    }  # fmt: skip
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, indent=1, ensure_ascii=False)


def _reading_dict(r: both_sides.Reading) -> dict:
    f = r.finding
    return {
        "metric": r.metric, "unit": r.unit, "rule": f.rule,
        "left_near": round(r.left_near, 2), "right_near": round(r.right_near, 2),
        "value": round(r.value, 2), "camera": round(r.camera, 2),
        "severity": f.severity.value, "within_noise": f.within_noise,
    }  # fmt: skip
