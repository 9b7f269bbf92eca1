"""report.html: one self-contained page (pictures as data URIs) a coach or athlete can read.

The same HTML is printed to report.pdf by `pdf.write_pdf`, so both hold the same content.
Everything that is not our own markup (athlete name, notes, file names, protocol and
cue text, comparison rows) goes through `escape`. Sections, in order: who/what/when,
cues, findings, comparison with a baseline (when given), key frames, angles over time,
left against right, drift across reps, data quality, what the numbers can and cannot say.
"""

from __future__ import annotations

import base64
from datetime import datetime
from html import escape

from movement_screen.report import names, plots, view
from movement_screen.report.data import LIMITATIONS, to_dict
from movement_screen.screening import Screening

RANK = names.RANK
VALUES = ("baseline", "current", "change", "noise")  # numeric cells of a comparison row
# Phone first (one column, max-width), then print: A4 on two pages (the screen's
# results, then the plots and the fine print), a footer with the athlete, date and page.
CSS = """
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;
 max-width:52rem;margin:0 auto;padding:1rem;line-height:1.45;font-size:16px}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;border-bottom:2px solid #d0d7de;
 padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem}
img{max-width:100%;height:auto;display:block}figure{margin:1rem 0}
figcaption{font-size:.85rem;color:#57606a;margin-top:.3rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{font-weight:bold;color:#57606a}dl.facts dd{margin:0}
.notes{white-space:pre-wrap;background:#f6f8fa;padding:.5rem .7rem;border-radius:6px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa}small{color:#57606a}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:4px;color:#fff;font-weight:bold;
 font-size:.85rem;border:1px solid #0000}
.badge.ok{background:#1a7f37}.badge.watch{background:#9a6700}.badge.flag{background:#cf222e}
ol.cues{padding-left:1.4rem}ol.cues li{margin:.5rem 0}
.caveat{border-left:4px solid #9a6700;background:#fff8c5;padding:.3rem .6rem}
.verdict{font-weight:bold}.verdict.improved{color:#1a7f37}.verdict.declined{color:#cf222e}
.verdict.changed{color:#9a6700}.verdict.within-noise{color:#57606a}
.frames{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
.frames h3{margin:.2rem 0}.legend{font-size:.85rem}
@media (max-width:40rem){body{font-size:15px;padding:.6rem}
 dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.3rem}
 thead{display:none}table,tbody,tr,td{display:block}tr{border-bottom:1px solid #d0d7de;
 padding:.3rem 0}td{border:0;padding:.1rem .3rem}
 td::before{content:attr(data-label) ": ";font-weight:bold;color:#57606a}
 td:first-child::before{content:none}}
.runner,.notes-box{display:none}
@media print{@page{size:A4;margin:11mm 12mm 15mm;
  @bottom-left{content:string(runner);font:7.5pt "DejaVu Sans",sans-serif;color:#57606a}
  @bottom-right{content:"Page " counter(page) " of " counter(pages);
   font:7.5pt "DejaVu Sans",sans-serif;color:#57606a}}
 body{max-width:none;padding:0;font-size:8.5pt;line-height:1.3}
 h1{font-size:14pt;margin:0 0 .3rem}h2{font-size:10.5pt;margin:.55rem 0 .25rem}h3{font-size:9pt}
 .runner{display:block;string-set:runner content();height:0;overflow:hidden;margin:0}
 dl.facts{grid-template-columns:max-content 1fr max-content 1fr;gap:.05rem .8rem}
 table{font-size:8pt}th,td{padding:.12rem .35rem}figure{margin:.3rem 0}figcaption{font-size:7.5pt}
 figure img{max-height:62mm;width:auto;max-width:100%;margin:0 auto}
 #key-frames img{max-height:44mm}#angles img{max-height:52mm}#left-right img{max-height:28mm}
 #drift img{max-height:38mm}.explain,.screen-only{display:none}
 #limits ul{columns:2;column-gap:1.2rem;margin:0;padding-left:1rem}#limits li{break-inside:avoid}
 .legend{font-size:7.5pt}.frames h3{margin:0}ol.cues li{margin:.25rem 0}
 section.page{break-before:page}
 figure,tr,li,.frames>div{break-inside:avoid}h2,h3{break-after:avoid}
 .badge{border-color:#000;font-size:7.5pt}.scroll{overflow:visible}
 .frames{grid-template-columns:1fr 1fr}
 .notes-box{display:block;border:1px solid #8c959f;border-radius:4px;min-height:12mm;
  padding:.3rem .5rem;color:#57606a;break-inside:avoid;margin-top:.6rem}}
"""


def render(
    screening: Screening,
    *,
    athlete: str | None = None,
    notes: str | None = None,
    comparison: dict | None = None,
    created: datetime | None = None,
    clinician: str | None = None,
    clip_name: str | None = None,
    facts: tuple[tuple[str, str], ...] = (),
) -> str:
    """The whole report as one HTML document (str): `clip_name` names the clip as the user
    knows it, `facts` are more (label, words) rows for the header."""
    doc = to_dict(screening)
    if clip_name:
        doc["video"]["file"] = clip_name
    when = (created or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    runner = f"{athlete or doc['video']['file']} · {when} · movement-screen"
    body = "".join(
        (
            f'<p class="runner">{escape(runner)}</p>\n',
            _about(doc, athlete, notes, when, (*_clinician(clinician), *facts)),
            _cues(doc),
            _findings(doc),
            _comparison(comparison, screening, doc) if comparison else "",
            _key_frames(screening),
            '<div class="notes-box">Notes</div>\n',  # printed: the end of the first page
            _angles(screening),
            _left_right(screening, doc),
            _drift(screening, doc),
            _quality(doc),
            _limits(screening),
        )
    )
    return document(f"Movement screen: {athlete or doc['video']['file']}", body)


def document(title: str, body: str) -> str:
    """A whole self-contained HTML page around `body` (HTML already)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{body}</body></html>\n"
    )


def section(key: str, title: str, inner: str, *, page: bool = False) -> str:
    """One report section; `page` starts it on a new printed page."""
    cls = ' class="page"' if page else ""
    return f'<section id="{key}"{cls}>\n<h2>{escape(title)}</h2>\n{inner}</section>\n'


def image(png: bytes, alt: str, caption: str = "", mime: str = "image/png") -> str:
    data = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:{mime};base64,{data}" alt="{escape(alt)}">{cap}</figure>\n'


def badge(status: str, extra: str = "") -> str:
    label = names.STATUS.get(status, status)
    return f'<span class="badge {escape(status)}">{escape(label)}</span>{escape(extra)}'


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A table; cells are HTML already (escape text before)."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    labels = [f' data-label="{escape(h)}"' for h in head]  # the column names on a phone
    cells = ("".join(f"<td{k}>{c}</td>" for k, c in zip(labels, row, strict=True)) for row in rows)
    body = "".join(f"<tr>{c}</tr>\n" for c in cells)
    head_row = f"<thead><tr>{th}</tr></thead>"
    return f'<div class="scroll"><table>{head_row}<tbody>\n{body}</tbody></table></div>\n'


def _movement(screening: Screening) -> str | None:
    return screening.movement.value if screening.movement else None


def _clinician(name: str | None) -> tuple[tuple[str, str], ...]:
    return (("Clinician", name),) if name else ()


def _about(doc: dict, athlete, notes, when: str, extra) -> str:
    facts = [("Athlete", athlete or "not given"), *extra, ("Date", when), *view.clip_facts(doc)]
    return header("Movement screen", facts, notes)


def header(title: str, facts: list[tuple[str, str]], notes: str | None) -> str:
    """The page's title, its (label, words) facts and the notes, all escaped."""
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    note = f'<p class="notes"><strong>Notes:</strong> {escape(notes)}</p>' if notes else ""
    return (
        f'<header id="about"><h1>{escape(title)}</h1><dl class="facts">{rows}</dl>{note}</header>\n'
    )


def _cues(report: dict) -> str:
    caveat = view.movement_caveat(report)
    return cues_section(report["cues"], "in this clip (see Data quality)", caveat)


def cues_section(cues: list[dict], where: str, caveat: str | None = None) -> str:
    """'What to work on': each cue (report.json form) with its status, the clips it came
    from when several were screened (`from`), its plan, and why the limits are what they
    are; or that nothing could be judged `where`. `caveat`: a line above them."""
    first = f'<p class="caveat">{escape(caveat)}</p>\n' if caveat else ""
    if not cues:
        inner = f"<p>No cues: nothing could be judged {escape(where)}.</p>"
        return section("cues", "What to work on", first + inner)
    items = "".join(
        f'<li class="{c["severity"]}">{badge(c["severity"])} {escape(c["text"])}'
        + (f"<br><small>From: {escape('; '.join(c['from']))}</small>" if c.get("from") else "")
        + "".join(f"<br><small>{escape(line)}</small>" for line in names.plan_items(c))
        + "</li>"
        for c in cues
    )
    why = f'<p class="why"><small>{escape(names.WHY_LIMITS)}</small></p>'
    return section("cues", "What to work on", f'{first}<ol class="cues">{items}</ol>\n{why}\n')


def _one_line(value: str) -> str:
    """A finding's value ('7.0° forward') kept on one line; the hand mark may wrap."""
    number, mark, rest = value.partition(view.HAND_MARK)
    return escape(number).replace(" ", "&nbsp;") + escape(mark + rest)


def _finding_cells(row: view.FindingRow) -> tuple[str, ...]:
    what = f"<strong>{escape(row.measure)}</strong> ({escape(row.kind)})"
    if row.explain:
        what += f'<br><small class="explain">{escape(row.explain)}</small>'
    note = " (within noise)" if row.within_noise else ""
    return (
        what,
        escape(row.side),
        _one_line(row.value),
        escape(row.limits),
        badge(row.severity, note),
    )


def _findings(doc: dict) -> str:
    return section("findings", "Findings", findings_inner(doc))


def findings_inner(doc: dict) -> str:
    """The findings table (worst first) with its legend, or why there is none."""
    if not doc["findings"]:
        return "".join(f"<p>{escape(line)}</p>" for line in view.no_findings(doc))
    rows = [_finding_cells(row) for row in view.finding_rows(doc)]
    legend = " · ".join(
        f"{badge(s)} {escape(names.STATUS_MEANING[s])}" for s in ("ok", "watch", "flag")
    )
    head = ("Measure", "Side", "Value", "Limits", "Status")
    return table(head, rows) + f'<p class="legend">{legend}</p>\n' + _hand(doc)


def _hand(doc: dict) -> str:
    """The values a person set by hand, if any (the annotated video keeps the tool's own)."""
    lines = view.hand_lines(doc)
    if not lines:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return (
        f"<p><strong>Set by hand</strong> (checked on the frame with a protractor; the "
        f"findings above use these values, the video shows the tool's own):</p><ul>{items}</ul>\n"
    )


def comparison_row(r: dict) -> tuple[str, ...]:
    unit, verdict = str(r.get("unit", "")), str(r.get("verdict", ""))
    cls = verdict.replace(" ", "-") if verdict in names.VERDICTS else "other"
    number = {k: v if isinstance(v, int | float) else None for k, v in r.items()}
    metric = str(r.get("metric", ""))
    cells = [
        names.metric_value(metric, number.get(k), unit)
        if k in ("baseline", "current")
        else names.value_text(number.get(k), unit, signed=k == "change")
        for k in VALUES
    ]
    side = names.side_word(None, r.get("side")) if r.get("side") else "both legs"
    texts = [names.metric_name(metric), side, *cells[:3], f"± {cells[3]}"]
    return (*(escape(t) for t in texts), f'<span class="verdict {cls}">{escape(verdict)}</span>')


def _comparison(comparison: dict, screening: Screening, doc: dict) -> str:
    date = str(comparison.get("baseline_date", "an earlier date"))
    rows = [comparison_row(r) for r in comparison.get("rows", [])]
    head = ("Measure", "Side", "Baseline", "Now", "Change", "Noise", "Verdict")
    inner = table(head, rows)
    if comparison.get("trend_png"):
        inner += image(comparison["trend_png"], "trend across screenings", "Across screenings")
    inner += _beside(comparison.get("beside"), screening, doc, date)
    return section("comparison", f"Compared with baseline on {date}", inner)


def _beside(beside: dict | None, screening: Screening, doc: dict, date: str) -> str:
    """The findings that changed beyond noise, as the baseline's frame beside today's."""
    if not beside:
        return ""
    if not beside.get("clip"):
        return "<p>The baseline's clip was not kept (saved by an earlier version), so no " \
               "frames are paired.</p>\n"  # fmt: skip
    pairs = plots.beside_baseline(screening, doc, beside)
    if not pairs:
        return "<p>No finding changed beyond its noise, so no frames are paired.</p>\n"
    cells = "".join(
        f'<p><strong>{escape(p.caption)}</strong></p><div class="frames">'
        f"<div>{image(p.baseline, 'baseline frame', f'Baseline, {date}', 'image/jpeg')}</div>"
        f"<div>{image(p.today, 'frame today', 'Today', 'image/jpeg')}</div></div>\n"
        for p in pairs
    )
    return f"<h3>Beside the baseline</h3>\n{cells}"


def _key_frames(screening: Screening) -> str:
    return section("key-frames", "Key frames", frames_inner(screening))


def frames_inner(screening: Screening) -> str:
    """The worst and the typical stride or rep, side by side, or why there is none."""
    shots = plots.key_frames(screening)
    if not shots:
        return f"<p>{escape(view.no_key_frames(_movement(screening)))}</p>"
    cells = "".join(
        f"<div><h3>{escape(k.title)}</h3>"
        + image(k.jpeg, f"{k.title}, frame {k.frame}", k.caption, "image/jpeg")
        + "</div>"
        for k in shots
    )
    return f'<div class="frames">{cells}</div>\n'


def _angles(screening: Screening) -> str:
    png = plots.angle_series(screening)
    if png is None:
        return section(
            "angles", "Angles over time", "<p>No angle could be measured.</p>", page=True
        )
    caption = (
        "Orange = left, blue = right. Amber band = watch zone, red band = flag zone of the "
        "protocol; grey shading = each stride or rep (L/R = leg)."
    )
    hidden = names.event_leg_only(_movement(screening))
    if hidden and any(
        base in hidden for base in names.panels(_movement(screening), screening.view.value)
    ):
        caption += " The other leg's knee angle is hidden during each rep: in 2D it means nothing."
    return section("angles", "Angles over time", image(png, "angles over time", caption), page=True)


def _summary_cells(doc: dict, kind: str) -> list[tuple[str, ...]]:
    return [
        (
            escape(row.measure), escape(row.side), escape(row.value),
            badge(row.severity, " (within noise)" if row.within_noise else "")
            if row.severity else "not judged",
        )
        for row in view.summary_rows(doc, kind)
    ]  # fmt: skip


def _left_right(screening: Screening, doc: dict) -> str:
    rows = _summary_cells(doc, "asymmetry")
    png = plots.left_right(screening)
    if not rows and png is None:
        return section("left-right", "Left against right", f"<p>{escape(view.no_pairs(doc))}</p>")
    inner = (
        image(png, "left against right", "Bars: each side's median; dots: each stride or rep.")
        if png
        else ""
    )
    inner += table(("Measure", "Sides", "Difference", "Status"), rows)
    return section("left-right", "Left against right", inner)


def _drift(screening: Screening, doc: dict) -> str:
    rows = _summary_cells(doc, "drift")
    png = plots.drift(screening)
    inner = (
        image(png, "each stride or rep in order", "Each stride or rep, in order.") if png else ""
    )
    if png and not rows:  # not judged: the plot stays on screen, not on the printed page
        inner = f'<div class="screen-only">{inner}</div>'
    if rows:
        inner += "<p>Drift = the last third of the strides or reps minus the first third.</p>"
        inner += table(("Measure", "Side", "Last minus first", "Status"), rows)
    else:
        inner += f"<p>{escape(view.no_drift(doc))}</p>"
    words = (
        f"{names.event_word(_movement(screening))}s" if screening.movement else "strides or reps"
    )
    return section("drift", f"Drift across {words}", inner)


def _quality(doc: dict) -> str:
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in view.quality_facts(doc))
    limits = view.trust_limits(doc)
    items = "".join(f"<li>{escape(x)}</li>" for x in limits) or "<li>Nothing to add.</li>"
    inner = f'<dl class="facts">{rows}</dl>\n<h3>What limits trust in this clip</h3>'
    return section("quality", "Data quality", f"{inner}<ul>{items}</ul>\n")


def _limits(screening: Screening) -> str:
    return limits_section([screening.protocol.note if screening.protocol else ""])


def limits_section(notes) -> str:
    """What the numbers can and cannot say: the fixed list, then each protocol's note."""
    items = [*LIMITATIONS]
    for note in notes:
        if note and note not in items:
            items.append(note)
    inner = "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>\n"
    return section("limits", "What the numbers can and cannot say", inner)
