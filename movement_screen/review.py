"""What the review player needs from a screening: frame times, key moments, the tool's
angles and joints per frame, and the pairs that put a follow-up beside its baseline.

No Streamlit here: `streamlit_app.py` hands these plain dicts to the player
(`movement_screen/player/index.html`). Pixels are the annotated clip's (y down): the
player's clicks and the joints it matches them to are in the same frame of reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from movement_screen import metrics, movements, overlay
from movement_screen.landmarks import INDEX
from movement_screen.records import change
from movement_screen.report import names
from movement_screen.screening import Correction, Screening

# A click near one of these joints is compared with the tool's own angle there (the first
# of these the view measures), read as a bend from straight: 180 degrees minus the angle
# the three points make (the knee's FPPA is signed: + inward).
BENDS = {"knee": ("knee_flexion", "knee_fppa"), "hip": ("hip_flexion",)}
PLACES = 1  # decimals of pixels and degrees handed to the player


def three_point_angle(a, b, c) -> float:
    """Degrees (0-180) at `b` between the lines to `a` and to `c`; NaN where a line has no length.

    Points are (x, y) in any one frame of reference."""
    u = np.subtract(a, b, dtype=float)
    v = np.subtract(c, b, dtype=float)
    lengths = float(np.hypot(*u) * np.hypot(*v))
    if lengths == 0.0:
        return math.nan
    cos = float(np.dot(u, v)) / lengths
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def clip_data(screening: Screening, doc: dict, url: str, label: str) -> dict:
    """One clip for the player: its video, frame times, size, key moments, joints, angles."""
    width, height = overlay.output_size(screening.info.width, screening.info.height)
    scale = width / screening.info.width
    time = screening.angles.time
    return {
        "label": label,
        "url": url,
        "fps": screening.info.fps,
        "every": overlay.drawn_every(screening.info.fps),
        "count": len(time),
        "times": _rounded(time - time[0], 4),
        "width": width,
        "height": height,
        "moments": doc.get("key_moments", []),
        "joints": _joints(screening, scale),
        "bends": _bends(screening),
    }


def stored_clip(doc: dict, url: str, label: str) -> dict:
    """A clip kept in the records (its report, its annotated video): no joints or angles,
    and frame times from its frame rate."""
    video = doc["video"]
    width, height = overlay.output_size(video["width"], video["height"])
    return {"label": label, "url": url, "fps": video["fps"], "count": video["frame_count"],
            "every": video.get("annotated_every", 1),
            "width": width, "height": height, "moments": doc.get("key_moments", []), "joints": {},
            "bends": {}}  # fmt: skip


def _rounded(values: np.ndarray, places: int = PLACES) -> list:
    """A list for JSON with NaN as None."""
    out = np.round(np.asarray(values, dtype=float), places)
    return [None if not math.isfinite(v) else float(v) for v in out.ravel()]


def _joints(screening: Screening, scale: float) -> dict[str, list]:
    """{'left_knee': [x0, y0, x1, y1, ...]} in the annotated clip's pixels, y down."""
    xy = screening.clean.pose.xy
    out = {}
    for joint in BENDS:
        for side in ("left", "right"):
            points = xy[:, INDEX[f"{side}_{joint}"]] * scale
            points = np.stack([points[:, 0], screening.info.height * scale - points[:, 1]], 1)
            out[f"{side}_{joint}"] = _rounded(points)
    return out


def _bends(screening: Screening) -> dict[str, dict]:
    """{'left_knee': {'name': 'left knee bend', 'values': [...]}} where the view has them."""
    out = {}
    values = screening.angles.values
    for joint, angles in BENDS.items():
        for side in ("left", "right"):
            angle = next((a for a in angles if _measured(values.get(f"{a}_{side}"))), None)
            if angle is not None:
                out[f"{side}_{joint}"] = {
                    "name": f"{names.angle_name(angle)}, {side} leg",
                    "values": _rounded(values[f"{angle}_{side}"]),
                }
    return out


def _measured(series: np.ndarray | None) -> bool:
    """A column this view measures (the others are all NaN)."""
    return series is not None and bool(np.isfinite(series).any())


@dataclass(frozen=True)
class Pair:
    """The same key moment in the baseline and today, with the two values where a finding
    was read there."""

    key: str
    label: str
    frames: tuple[int, int]  # (baseline, today)
    kind: str  # "moment" or "finding"
    severity: str | None = None  # today's, for findings
    change: str = ""  # findings: "92.0° then, 85.0° now (-7.0°; noise ±3.0°): improved"
    beyond_noise: bool = False
    finding: str = ""  # findings: "Knee drive, left leg"


def pairs(base: dict, today: dict) -> list[Pair]:
    """Key moments found in both reports (same key), in today's order; a finding's pair
    carries the change of its median, judged as the report's comparison judges it."""
    before = {m["key"]: m for m in base.get("key_moments", [])}
    rows = {(r["metric"], r["side"]): r for r in _compared(base, today)}
    movement = (today.get("movement") or {}).get("value")
    out = []
    for m in today.get("key_moments", []):
        old = before.get(m["key"])
        if old is None:
            continue
        row = rows.get((m.get("metric"), m.get("side"))) if m["kind"] == "finding" else None
        frames = (old["frame"], m["frame"])
        out.append(Pair(m["key"], m["label"], frames, m["kind"], m.get("severity"),
                        *_change(row), _finding_words(m, movement)))  # fmt: skip
    return out


def _finding_words(moment: dict, movement: str | None) -> str:
    """'Knee drive, left leg' for a finding's moment ('' for others)."""
    if moment["kind"] != "finding":
        return ""
    side = names.side_word(movement, moment.get("side"))
    return f"{names.metric_name(moment['metric'])}, {side}"


def _compared(base: dict, today: dict) -> list[dict]:
    """records.change's rows: each median then and now, with its noise and verdict."""
    return change.compare(
        change.medians(base.get("measurements", [])),
        change.medians(today.get("measurements", [])),
        rules=change.rules_of(today) + change.rules_of(base),
    )


def _change(row: dict | None) -> tuple[str, bool]:
    """Words for a median then and now, and whether it moved beyond the noise."""
    if row is None:
        return "", False
    unit, metric = row["unit"], row["metric"]
    words = (
        f"{names.metric_value(metric, row['baseline'], unit)} then, "
        f"{names.metric_value(metric, row['current'], unit)} now "
        f"({names.value_text(row['change'], unit, signed=True)}; "
        f"noise ±{names.value_text(row['noise'], unit)}): {row['verdict']}"
    )
    return words, row["verdict"] != change.WITHIN_NOISE


def opening(found: list[Pair]) -> int:
    """The pair the side-by-side view opens on: the first finding that changed beyond its
    noise, else the first finding, else the first moment."""
    order = [p.beyond_noise for p in found], [p.kind == "finding" for p in found]
    for flags in order:
        if any(flags):
            return flags.index(True)
    return 0


def no_pairs_text(has_clip: bool) -> str:
    """Why the side-by-side view cannot be shown."""
    if not has_clip:
        return (
            "The baseline was saved without its clip (saved by an earlier version), so it can "
            "be compared in numbers only: see the comparison in the report."
        )
    return "The baseline and this clip share no stride or rep to put side by side."


def items(doc: dict) -> list[dict]:
    """The player's list for one clip: each key moment with its one frame."""
    return [{"label": m["label"], "frames": [m["frame"]], "kind": m["kind"],
             "severity": m.get("severity")} for m in doc.get("key_moments", [])]  # fmt: skip


def pair_items(found: list[Pair]) -> list[dict]:
    """The player's list for a baseline beside today: each pair with its two frames (a
    finding named with its change: 'Flag: Knee drive, left leg: 92.0° then, ...')."""
    return [{"label": _pair_label(p), "frames": list(p.frames), "kind": p.kind,
             "severity": p.severity} for p in found]  # fmt: skip


def _pair_label(pair: Pair) -> str:
    if pair.kind != "finding" or not pair.change:
        return pair.label
    return f"{names.STATUS.get(pair.severity or '', '')}: {pair.finding}: {pair.change}"


def reading_text(kept: dict) -> str:
    """A protractor reading the user kept, in words (its angle worked out again here from
    the three points they clicked)."""
    angle = three_point_angle(*kept["points"][:3])
    text = (
        f"Your reading on frame {int(kept['frame'])} ({float(kept['time_s']):.2f} s): "
        f"{angle:.1f}° at the middle point, a bend of {180 - angle:.1f}° from straight"
    )
    tool, name = kept.get("tool"), kept.get("tool_name")
    if tool is not None and name:
        text += f"; the tool at that frame: {name}: {float(tool):.1f}°"
    return text + ". Nothing is changed by a reading."


@dataclass(frozen=True)
class Correctable:
    """A stride's or rep's value read on the frame of a kept reading, which the person may
    set by hand; `suggested` is their reading where it measures the same angle, else the
    tool's value."""

    label: str
    fix: Correction  # with the suggested value
    from_reading: bool = False  # the suggested value is the person's reading


def correctable(screening: Screening, kept: dict) -> list[Correctable]:
    """The values of this screening read on the kept reading's frame."""
    spec = movements.get(screening.movement) if screening.movement else None
    if spec is None or screening.protocol is None:
        return []
    frame = int(kept["frame"])
    values = {(m.metric, m.side, m.rep): m.value for m in screening.measurements
              if m.kind == "value" and math.isfinite(m.value)}  # fmt: skip
    bend = 180.0 - three_point_angle(*kept["points"][:3])
    out = []
    for event in screening.events:
        for name, metric in spec.table(screening.view).items():
            key = (name, event.side, event.number)
            if metric.unit != "deg" or event.moments.get(metric.moment or "") != frame:
                continue  # a protractor reads angles, on the frame the value is read at
            if key not in values:
                continue
            tool = values[key]
            same = _same_angle(metric, event.side, kept.get("joint")) and math.isfinite(bend)
            suggested = math.copysign(bend, tool) if same else tool
            words = (
                f"{names.metric_name(name)}, {names.event_word(screening.movement)} "
                f"{event.number} ({names.side_word(screening.movement, event.side)}): "
                f"the tool read {names.metric_value(name, tool, metric.unit)}"
            )
            if same:
                words += f", your reading {names.metric_value(name, suggested, metric.unit)}"
            fix = Correction(name, event.side, event.number, frame, tool, round(suggested, 1))
            out.append(Correctable(words, fix, same))
    return sorted(out, key=lambda c: not c.from_reading)


def _same_angle(metric: metrics.Metric, side: str | None, joint: str | None) -> bool:
    """The metric is the bend of the joint the reading was taken at (on the same leg)."""
    if not joint or metric.unit != "deg":
        return False
    where, _, part = joint.partition("_")
    leg = {"event": side, "other": metrics.other(side)}.get(metric.leg or "")
    bends = {a: j for j, angles in BENDS.items() for a in angles}
    return bends.get(metric.angle or "") == part and leg in (None, where)
