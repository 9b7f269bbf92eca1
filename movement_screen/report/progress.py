"""progress.html / .pdf: one athlete's screens over time, printable for the file.

Each movement and view against its own baseline, change by change with the metric's
measurement noise (a change inside it is "within noise", never better or worse), the
trends with the noise band, limb symmetry, and pain and session RPE over time. Built from
`records.history`; the same page template and escaping as the screen report.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from movement_screen.records import plots
from movement_screen.report import html, names


def render(history: dict, *, created: datetime | None = None) -> str:
    """The athlete's progress report as one HTML document (str)."""
    who, sessions = history["athlete"], history["sessions"]
    when = (created or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    facts = [
        ("Athlete", who["name"]),
        *((("Sport", who["sport"]),) if who.get("sport") else ()),
        *((("Dominant side", who["dominant_side"]),) if who.get("dominant_side") else ()),
        ("Screens", _span(sessions)),
        ("Printed", when),
    ]
    body = "".join(
        (
            f'<p class="runner">{escape(who["name"])} · progress · {escape(when)}</p>\n',
            html.header("Progress report", facts, who.get("notes")),
            _sessions(sessions),
            *(_change(group) for group in history["changes"]),
            _pictures(history),
            html.section("limits", "How to read it", f"<p>{escape(NOISE_NOTE)}</p>\n"),
        )
    )
    return html.document(f"Progress: {who['name']}", body)


NOISE_NOTE = (
    "Each screen is compared with the baseline of the same movement and view. A change "
    "smaller than the metric's measurement noise (the shaded band in the trends) is within "
    "noise: neither better nor worse. These are 2D screening figures, not diagnoses."
)


def _span(sessions: list[dict]) -> str:
    if not sessions:
        return "none yet"
    first, last = sessions[0]["date"], sessions[-1]["date"]
    return f"{len(sessions)}, {first} to {last}" if first != last else f"{len(sessions)}, {first}"


def _sessions(sessions: list[dict]) -> str:
    rows = [
        tuple(escape(v) for v in (
            s["date"], names.movement_word(s["movement"]), s["view"] or "",
            "yes" if s["baseline"] else "", names.score_text(s["pain_before"]),
            names.score_text(s["pain_after"]), names.score_text(s["rpe"]), s["clip_file"] or "",
        ))
        for s in sessions
    ]  # fmt: skip
    head = ("Date", "Movement", "View", "Baseline", "Pain before", "Pain after", "RPE", "Clip")
    return html.section("sessions", "Screens", html.table(head, rows))


def _change(group: dict) -> str:
    kind = f"{names.movement_word(group['movement']).capitalize()}, {group['view']} view"
    if not group["rows"]:
        said = "only the baseline so far" if group["baseline_date"] else "no baseline yet"
        return html.section(f"change-{group['latest_uuid']}", kind, f"<p>{escape(said)}.</p>\n")
    title = f"{kind}: baseline {group['baseline_date']} to {group['latest_date']}"
    head = ("Measure", "Side", "Baseline", "Now", "Change", "Noise", "Verdict")
    rows = [html.comparison_row(r) for r in group["rows"]]
    return html.section(f"change-{group['latest_uuid']}", title, html.table(head, rows))


def _pictures(history: dict) -> str:
    inner = ""
    scores = plots.scores_png(history)
    if scores:
        inner += html.image(scores, "pain and effort over time")
    if len(history["sessions"]) >= 2 and history["series"]:
        noise = {r["metric"]: r["noise"] for c in history["changes"] for r in c["rows"]}
        inner += html.image(plots.trend_png(history["series"], noise=noise), "trends", plots.KEY)
    symmetry = plots.symmetry_png(history)
    if symmetry:
        inner += html.image(symmetry, "limb symmetry", history["symmetry"]["note"])
    return html.section(
        "trends", "Over time", inner or "<p>Plots start with the second screen.</p>"
    )
