"""Small report.json documents built in code, shaped like `report.data.to_dict`."""

from __future__ import annotations

SPRINT_RULES = [
    {
        "id": "knee_drive_high",
        "metric": "peak_thigh_angle",
        "kind": "median",
        "direction": "above",
        "watch": 80.0,
        "flag": 90.0,
        "noise": 3.0,
    },
    {
        "id": "hip_extension_low",
        "metric": "hip_extension_toe_off",
        "kind": "median",
        "direction": "below",
        "watch": 10.0,
        "flag": 5.0,
        "noise": 3.0,
    },
    {
        "id": "knee_drive_asymmetry",
        "metric": "peak_thigh_angle",
        "kind": "asymmetry",
        "direction": "either",
        "watch": 8.0,
        "flag": 12.0,
        "noise": 3.0,
    },
]
SPRINT_MEDIANS = {
    ("peak_thigh_angle", "left"): 70.0,
    ("peak_thigh_angle", "right"): 72.0,
    ("hip_extension_toe_off", "left"): 18.0,
    ("hip_extension_toe_off", "right"): 20.0,
    ("peak_knee_height", "left"): -0.15,
    ("peak_knee_height", "right"): -0.16,
}


def make_report(
    medians: dict | None = None,
    *,
    movement: str | None = "sprint",
    view: str = "side",
    created: str = "2024-05-01T09:00:00+00:00",
    rules: list | None = None,
    cues: tuple[str, ...] = ("all_clear",),
) -> dict:
    """A report with two per-rep values around each median, the medians and asymmetries."""
    medians = SPRINT_MEDIANS if medians is None else medians
    measurements = []
    for (metric, side), value in medians.items():
        unit = "ratio" if "height" in metric else "deg"
        for rep, offset in ((1, -0.5), (2, 0.5)):
            measurements.append(_m(metric, side, rep, "value", value + offset, unit))
        measurements.append(_m(metric, side, None, "median", value, unit))
    for (metric, side), value in medians.items():
        if side == "left" and (metric, "right") in medians:
            asym = round(value - medians[(metric, "right")], 4)
            measurements.append(_m(metric, "left-right", None, "asymmetry", asym, "deg"))
    return {
        "schema_version": 1,
        "created": created,
        "video": {"path": "/nowhere/clip.mp4", "file": "clip.mp4", "fps": 60.0},
        "movement": {"value": movement, "source": "detected"},
        "view": {"value": view, "source": "detected"},
        "measurements": measurements,
        "findings": [],
        "cues": [{"id": c, "text": f"cue {c}", "severity": "ok", "findings": []} for c in cues],
        "protocol": {
            "path": "sprint.toml",
            "movement": movement,
            "note": "",
            "rules": SPRINT_RULES if rules is None else rules,
        },
        "notes": [],
        "limitations": [],
    }


def _m(metric, side, rep, kind, value, unit) -> dict:
    return {"metric": metric, "side": side, "rep": rep, "kind": kind, "value": value, "unit": unit}
