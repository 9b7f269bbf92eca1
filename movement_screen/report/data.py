"""report.json: the screening as a versioned document (schema_version 1, see README)."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from movement_screen import both_sides, overlay
from movement_screen.cues import Cue
from movement_screen.report import moments
from movement_screen.screening import Screening

SCHEMA_VERSION = 1
LIMITATIONS = (
    "2D angles from one camera: motion out of the camera's plane is foreshortened (a side "
    "view up to 25 degrees off square is corrected); film square to the movement.",
    "Angles follow the background's level where it shows; elsewhere a tilted camera tilts them.",
    "Pelvic tilt is frontal only (pelvic drop, front view), read from the waistband line, not "
    "where a loose top hides it; sagittal tilt cannot be seen from these landmarks.",
    "A video saved mirrored (as some phones save the selfie camera's) swaps left and right.",
    "Screening advice, not a diagnosis: thresholds are screening defaults with their sources "
    "in the protocol.",
)


def _num(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def cue_dict(cue: Cue) -> dict:
    """One cue as report.json holds it."""
    return {
        "id": cue.id,
        "text": cue.text,
        "severity": cue.severity.value,
        "findings": list(cue.findings),
        "work_on": [{"area": w.area, "text": w.text, "basis": w.basis} for w in cue.work_on],
    }


def _moment(result: Screening, frame: int) -> dict:
    return {"frame": int(frame), "time_s": _num(result.angles.time[frame], 4)}


def _package_version() -> str:
    try:
        return version("movement-screen")
    except PackageNotFoundError:
        return "unknown"


def to_dict(result: Screening) -> dict:
    """The whole screening as plain JSON-ready data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_by": f"movement-screen {_package_version()}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "video": _video(result),
        "movement": _movement(result),
        "view": _view(result),
        "athlete": _athlete(result),
        "quality": _quality(result),
        "events": [_event(result, e) for e in result.events],
        "key_moments": moments.to_dicts(moments.key_moments(result)),
        "measurements": [_measurement(m) for m in result.measurements],
        "findings": [_finding(f) for f in result.findings],
        "corrections": [_correction(result, c) for c in result.corrections],
        "cues": [cue_dict(c) for c in result.cues],
        "protocol": _protocol(result),
        "notes": list(result.notes),
        "limitations": list(LIMITATIONS),
    }


def _video(result: Screening) -> dict:
    info = result.info
    return {
        "path": os.path.abspath(info.path),
        "file": os.path.basename(info.path),
        "fps": _num(info.fps, 3),
        "frame_count": len(result.angles.time),
        "width": info.width,
        "height": info.height,
        "rotation": info.rotation,
        "duration_s": _num(float(result.angles.time[-1] - result.angles.time[0]) + 1 / info.fps, 3),
        "annotated_every": overlay.drawn_every(info.fps),  # the annotated clip's frames
    }


def _movement(result: Screening) -> dict:
    estimate = result.movement_estimate
    return {
        "value": result.movement.value if result.movement else None,
        "source": "given" if result.movement_given else "detected",
        "confidence": estimate.confidence,
        "unsure": estimate.unsure,
        "detected": estimate.movement.value if estimate.movement else None,
        "scores": estimate.scores,
        "seen": estimate.seen,
    }


def _view(result: Screening) -> dict:
    estimate = result.view_estimate
    return {
        "value": result.view.value,
        "source": "given" if result.view_given else "detected",
        "confidence": estimate.confidence,
        "detected": estimate.view.value,
        "width_ratio": _num(estimate.width_ratio, 3),
        "oblique": estimate.oblique,
        "off_square_deg": estimate.corrected_for(result.view),
        "feet_turn_deg": _num(estimate.feet_turn, 1),
        "body_turn_deg": _num(estimate.body_turn, 1),
        "upright": estimate.upright,
        "near_leg": both_sides.near_leg(result.view, result.angles.facing),
    }


def _athlete(result: Screening) -> dict:
    choice = result.athlete
    return {
        "method": choice.method,
        "time_s": _num(choice.time_s, 3),
        "frame": choice.frame,
        "x": _num(choice.x, 1),
        "y": _num(choice.y, 1),
        "people_seen": choice.candidates,
        "unsure": choice.unsure,
        "others": [list(xy) for xy in choice.others],
        "description": choice.reason,
    }


def _quality(result: Screening) -> dict:
    out = asdict(result.quality)
    out["limits"] = list(result.quality.limits)
    out["track_stopped_s"] = list(result.quality.track_stopped_s)
    out["track_found_again_s"] = list(result.quality.track_found_again_s)
    out["pelvis"] = _pelvis(result)
    return out


def _pelvis(result: Screening) -> dict | None:
    """How the pelvis was read (front views): the share of frames where the waistband line
    was seen, and whether pelvic obliquity was measured from it or withheld."""
    line = result.pelvis
    if line is None:
        return None
    return {"method": "waistband line", "seen_share": _num(line.share, 3),
            "measured": line.trusted}  # fmt: skip


def _event(result: Screening, event) -> dict:
    return {
        "kind": event.kind,
        "number": event.number,
        "side": event.side,
        "start": _moment(result, event.start),
        "end": _moment(result, event.end),
        "moments": {name: _moment(result, frame) for name, frame in event.moments.items()},
    }


def _measurement(m) -> dict:
    return {
        "metric": m.metric,
        "side": m.side,
        "rep": m.rep,
        "kind": m.kind,
        "value": _num(m.value, 4 if m.unit == "ratio" else 2),
        "unit": m.unit,
        **({"p": _num(m.p, 4)} if m.kind in ("asymmetry", "drift") else {}),
    }


def _finding(f) -> dict:
    return {
        "rule": f.rule,
        "metric": f.metric,
        "kind": f.kind,
        "side": f.side,
        "severity": f.severity.value,
        "value": _num(f.value),
        "unit": f.unit,
        "threshold": f.threshold,
        "watch": f.watch,
        "flag": f.flag,
        "direction": f.direction,
        "within_noise": f.within_noise,
        "cue": f.cue,
    }


def _correction(result: Screening, c) -> dict:
    """A value set by hand: which event's metric, on which frame, the tool's and the person's."""
    unit = next(m.unit for m in result.measurements if m.metric == c.metric)
    return {"metric": c.metric, "side": c.side, "rep": c.rep, **_moment(result, c.frame),
            "tool": _num(c.tool), "value": _num(c.value), "unit": unit}  # fmt: skip


def _protocol(result: Screening) -> dict | None:
    protocol = result.protocol
    if protocol is None:
        return None
    rules = [
        {
            k: getattr(r, k)
            for k in (
                "id",
                "metric",
                "kind",
                "direction",
                "watch",
                "flag",
                "noise",
                "basis",
                "source",
            )
        }
        for r in protocol.rules
    ]
    return {
        "path": protocol.path,
        "movement": protocol.movement.value,
        "note": protocol.note,
        "rules": rules,
    }


def write_json(path: str, result: Screening) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_dict(result), handle, indent=2, ensure_ascii=False)
        handle.write("\n")
