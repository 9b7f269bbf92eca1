"""The benchmark's targets, judged on the per-clip results of `engine_run.run_clip`."""

from __future__ import annotations

import math
from dataclasses import replace

from benchmarks.accuracy_lib import Target, count_target, limit_target, listing

SAGITTAL = {
    "trunk_lean": ("trunk_lean",),
    "thigh_angle": ("thigh_angle_left", "thigh_angle_right"),
    "hip_flexion": ("hip_flexion_left", "hip_flexion_right"),
    "knee_flexion": ("knee_flexion_left", "knee_flexion_right"),
}
FRONTAL = {
    "pelvic_obliquity": ("pelvic_obliquity",),
    "trunk_lean_frontal": ("trunk_lean_frontal",),
}
SAGITTAL_MAE = 3.0  # deg, per clip, leg swaps undone
FRONTAL_MAE = 2.0  # deg, per clip
PEAK_ERROR = 3.0  # deg, per stride
PEAKS = ("peak_thigh_angle", "hip_extension_toe_off")
SWAP_SLACK = 0.1  # deg: correction may cost this much MAE where there was nothing to undo


def worst_mae(clip: dict, columns: tuple[str, ...]) -> float:
    """The largest MAE among the named angle columns the engine gave values for in one clip
    (a far leg never seen has none: see `unmeasured`); NaN if it gave none of them."""
    maes = {row["angle"]: row["mae"] for row in clip["angles"]}
    values = [maes.get(c, math.nan) for c in columns]
    return max((v for v in values if math.isfinite(v)), default=math.nan)


def unmeasured(clip: dict, columns: tuple[str, ...]) -> list[str]:
    """The named angle columns without a single frame compared in one clip."""
    rows = {row["angle"]: row for row in clip["angles"]}
    return [c for c in columns if c not in rows or rows[c]["n"] == 0]


def family_targets(clips: list[dict], families: dict, *, view: str, limit: float) -> list[Target]:
    """One target per angle family: the worst clip's MAE against `limit`; columns the
    engine never gave a value for (a far leg it never saw) are named in the detail."""
    chosen = [c for c in clips if c["view"] == view]
    out = []
    for family, columns in families.items():
        target = limit_target(
            f"{family} MAE per clip ({view} view)",
            {c["clip"]: worst_mae(c, columns) for c in chosen},
            limit=limit,
        )
        missing = [f"{c['clip']} {m}" for c in chosen for m in unmeasured(c, columns)]
        if missing:
            target = replace(target, detail=f"{target.detail}; no value at all: {listing(missing)}")
        out.append(target)
    return out


def stride_error(row: dict) -> float:
    """|engine - truth| of one stride: against the true peak of the matched stride, or, for
    a stride the truth does not have (e.g. a swapped leg), the truth at the engine's frame."""
    err = row["err_truth_own"]
    return abs(err if math.isfinite(err) else row["err_truth_same"])


def peak_targets(clips: list[dict]) -> list[Target]:
    """Every sprint stride's peak knee drive and hip extension within PEAK_ERROR of truth."""
    out = []
    for metric in PEAKS:
        values = {
            f"{c['clip']} {r['side'][0].upper()}{r['rep']}": stride_error(r)
            for c in clips
            for r in c["per_event"]
            if r["metric"] == metric
        }
        missing = [c["clip"] for c in clips if c["motion"] == "sprint" and not c["per_event"]]
        values.update({f"{name} (no strides)": math.nan for name in missing})
        out.append(limit_target(f"{metric} per stride, abs. error", values, limit=PEAK_ERROR))
    return out


def found_target(clips: list[dict]) -> Target:
    """The athlete found in every frame of every clip."""
    oks = {c["clip"]: c["found"] == c["frames"] == c["decoded"] for c in clips}
    target = count_target("athlete found in every frame", oks, rule="every frame, every clip")
    found, frames = sum(c["found"] for c in clips), sum(c["frames"] for c in clips)
    return Target(
        target.name, target.limit, f"{found}/{frames} frames", target.status, target.detail
    )


def cue_targets(clips: list[dict]) -> list[Target]:
    faulty = {c["clip"]: not c["cues"]["missed"] for c in clips if c["cues"]["expected"]}
    clean = {c["clip"]: not c["cues"]["unexpected"] for c in clips if not c["cues"]["expected"]}
    return [
        count_target("fault clips get their expected cues", faulty, rule="every fault clip"),
        count_target("clean clips get no fault cue", clean, rule="every clean clip"),
    ]


def swap_target(clips: list[dict]) -> Target:
    """Extra check: undoing leg swaps never makes thigh or knee angles worse."""
    values = {}
    for c in clips:
        if c.get("swaps"):
            diffs = [a["corrected"]["mae"] - a["raw"]["mae"] for a in c["swaps"]["angles"].values()]
            measured = [d for d in diffs if math.isfinite(d)]  # angles both runs could give
            values[c["clip"]] = max(measured, default=math.nan)
    return limit_target(
        "swap correction: corrected minus raw thigh/knee MAE (extra)", values, limit=SWAP_SLACK
    )


def all_targets(clips: list[dict]) -> list[Target]:
    """Every target, in the order they are printed."""
    return [
        found_target(clips),
        *family_targets(clips, SAGITTAL, view="side", limit=SAGITTAL_MAE),
        *family_targets(clips, FRONTAL, view="front", limit=FRONTAL_MAE),
        *peak_targets([c for c in clips if c["motion"] == "sprint"]),
        *cue_targets(clips),
        swap_target(clips),
    ]
