"""Run the engine on one synthetic clip and compare everything it measured with the truth.

MediaPipe runs once per clip (`tracking.track_athlete`); the track is then screened
twice with `pipeline.screen`: as shipped, and (side views) with leg-swap correction
off, to show what undoing swaps is worth. Results are plain dicts, ready for JSON.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import clipdata
from benchmarks.accuracy_lib import (
    check_cues,
    error_stats,
    event_distance,
    event_values,
    join,
    match_events,
    rekey,
    share,
    swapped_labels,
    with_errors,
)
from movement_screen import metrics, movements, pipeline, screening, tracking, video
from movement_screen.core import Angles, InputError, Movement, Pose, Track
from movement_screen.filtering import CleanOptions
from movement_screen.screening import Screening
from movement_screen.synth.clips import MOVEMENT_OF

SIDE_ANGLES = (
    "trunk_lean",
    "thigh_angle_left",
    "thigh_angle_right",
    "hip_flexion_left",
    "hip_flexion_right",
    "knee_flexion_left",
    "knee_flexion_right",
)
FRONT_ANGLES = ("pelvic_obliquity", "trunk_lean_frontal", "knee_fppa_left", "knee_fppa_right")
SWAP_ANGLES = ("thigh_angle_left", "thigh_angle_right", "knee_flexion_left", "knee_flexion_right")
SIDES = ("left", "right")
KNEES_APART = 0.2  # thigh lengths: frames with the true knees closer are not judged for swaps
RAW = pipeline.Options(cleaning=CleanOptions(undo_leg_swaps=False))
REFERENCES = ("truth", "truth2d")  # 3D truth (primary) and projected 2D truth


@dataclass(frozen=True)
class Truth:
    """A clip's ground truth: catalogue entry, 3D and 2D truth angles, joint centres."""

    meta: dict
    angles: dict[str, Angles]  # by reference: "truth" (3D), "truth2d"
    pose: Pose  # projected joint centres, y up
    joints: dict[str, np.ndarray]  # `_joints.csv` columns, image pixels, y down


def load_truth(folder: Path, name: str) -> Truth:
    meta = clipdata.read_meta(folder, name)
    angles = {
        ref: clipdata.truth_angles(clipdata.read_table(Path(folder) / f"{name}_{ref}.csv"), meta)
        for ref in REFERENCES
    }
    joints = clipdata.read_table(Path(folder) / f"{name}_joints.csv")
    return Truth(meta, angles, clipdata.joints_pose(joints, meta["height"]), joints)


def screen_clip(folder: Path, truth: Truth) -> tuple[Track, Screening, Screening | None]:
    """MediaPipe once, then the screening as shipped and (side views) without swap correction."""
    info = video.probe(str(Path(folder) / f"{truth.meta['name']}.mp4"))
    track = tracking.track_athlete(info)
    corrected = pipeline.screen(info, track)
    raw = pipeline.screen(info, track, RAW) if truth.meta["view"] == "side" else None
    return track, corrected, raw


def run_clip(folder: Path, name: str) -> dict:
    """Track once, screen (twice for side views) and compare with the truth."""
    truth = load_truth(folder, name)
    start = time.perf_counter()
    try:
        track, corrected, raw = screen_clip(folder, truth)
    except InputError as exc:
        return failed(truth, str(exc), time.perf_counter() - start)
    result = compare(truth, track, corrected, raw)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def failed(truth: Truth, message: str, seconds: float) -> dict:
    """The result of a clip the engine could not screen at all."""
    meta = truth.meta
    return {
        **_identity(meta),
        "frames": meta["n_frames"],
        "decoded": 0,
        "found": 0,
        "error": message,
        "angles": [],
        "events": {},
        "per_event": [],
        "cues": check_cues(meta["expected_cues"], []).as_dict(),
        "swaps": None,
        "seconds": round(seconds, 2),
    }


def _identity(meta: dict) -> dict:
    keys = ("name", "motion", "fault", "view", "facing", "fps")
    lead = meta.get("motion_args", {}).get("lead")  # a lunge's front leg
    expected = meta.get("expected_movement", MOVEMENT_OF.get(meta["motion"]))
    return {
        **{("clip" if k == "name" else k): meta[k] for k in keys},
        "lead": lead,
        "expected_movement": expected,
        "yaw": meta.get("yaw", 0.0),
    }


def compare(truth: Truth, track: Track, corrected: Screening, raw: Screening | None) -> dict:
    """Every comparison of one clip, as a plain dict."""
    fired = [c.id for c in corrected.cues]
    return {
        **_identity(truth.meta),
        "frames": truth.meta["n_frames"],
        "decoded": int(len(track.found)),
        "found": int(track.found.sum()),
        "engine_view": corrected.view.value,
        "engine_movement": corrected.movement.value if corrected.movement else None,
        "engine_confidence": corrected.movement_estimate.confidence,
        "engine_seen": corrected.movement_estimate.seen,
        "engine_easy_pace": screening.easy_pace(corrected.movement_estimate, corrected.movement),
        "angles": angle_rows(corrected.angles, truth),
        **per_event(corrected, truth),
        "cues": check_cues(truth.meta["expected_cues"], fired).as_dict(),
        "swaps": swap_summary(track, corrected, raw, truth) if raw is not None else None,
        "athlete": athlete_summary(track, corrected, truth),
        "level": {  # the camera's roll, degrees: drawn, and read where trusted (else None)
            "drawn": truth.meta.get("roll", 0.0),
            "read": corrected.quality.camera_tilt_deg,
        },
    }


def athlete_summary(track: Track, screening: Screening, truth: Truth) -> dict:
    """Was the athlete chosen (not a bystander), was the choice called unsure, how many
    tracked frames sit on someone else (hips more than half a thigh from the athlete's),
    how many mix two people or slip (`_parts_off`), and on how many the screen measured
    someone else (`_measured_off`)."""
    height = truth.meta["height"]
    thigh = clipdata.thigh_length_px(truth.joints)
    pose, rows = _track_rows(track, truth)
    true_hips = sum(clipdata.joint_xy(truth.joints, f"{s}_hip", height) for s in SIDES) / 2
    off = np.linalg.norm(pose.mid("left_hip", "right_hip") - true_hips[rows], axis=1)
    seen = np.isfinite(off)
    on_athlete = seen & (off <= 0.5 * thigh)
    return {
        "others": len(truth.meta.get("others", [])),
        "right": _chosen_right(rows, seen, on_athlete, screening.athlete.frame),
        "unsure": screening.athlete.unsure,
        "frames_tracked": int(seen.sum()),
        "frames_on_other": int((seen & ~on_athlete).sum()),
        **_parts_off(pose, truth, rows, on_athlete, thigh),
        "frames_measured_off": int(_measured_off(screening, truth, thigh).sum()),
    }


def _measured_off(screening: Screening, truth: Truth, thigh: float) -> np.ndarray:
    """(n,) True on frames whose measures the user reads were taken off someone else: an
    angle was measured there with the cleaned hips more than half a thigh from the
    athlete's, or a leg's angle with its knee or ankle more than a thigh from the athlete's
    (nearer true) own. What reaches the output, after cleaning dropped what it doubted and
    filled short gaps."""
    height = truth.meta["height"]
    pose, values = screening.clean.pose, screening.angles.values
    n = min(len(truth.joints["time_s"]), len(pose.time))
    true = {
        part: [clipdata.joint_xy(truth.joints, f"{s}_{part}", height)[:n] for s in SIDES]
        for part in ("hip", "knee", "ankle")
    }
    hips_off = np.linalg.norm(pose.mid("left_hip", "right_hip")[:n] - sum(true["hip"]) / 2, axis=1)
    off = measured_frames(screening)[:n] & (hips_off > 0.5 * thigh)
    for side in SIDES:
        leg = np.any([np.isfinite(v[:n]) for k, v in values.items() if k.endswith(side)], axis=0)
        for part in ("knee", "ankle"):
            tracked = pose.point(f"{side}_{part}")[:n]
            nearest = np.minimum(*(np.linalg.norm(tracked - t, axis=1) for t in true[part]))
            off |= leg & (nearest > thigh)
    return off


def _chosen_right(rows: np.ndarray, seen: np.ndarray, on: np.ndarray, seed: int) -> bool:
    """Was the athlete chosen: is the track on them at the tracked frame nearest the seed
    frame (the seed frame itself may hold no landmarks: the detector, run afresh on the
    window there, can miss a body the choice found)?"""
    tracked = np.flatnonzero(seen)
    if not len(tracked):
        return False
    return bool(on[tracked[np.argmin(np.abs(rows[tracked] - seed))]])


def _track_rows(track: Track, truth: Truth) -> tuple[Pose, np.ndarray]:
    """The raw track's pose and the clip frames its rows are (pose may have run on every
    few frames of a fast clip), up to the truth's last frame."""
    rows = track.rows if track.rows is not None else np.arange(len(track.pose))
    keep = rows < len(truth.joints["time_s"])
    pose = track.pose
    return Pose(pose.time[keep], pose.xy[keep], pose.visibility[keep]), rows[keep]


PARTS = ("nose", "left_ankle", "right_ankle")  # what a skeleton across two bodies shows


def _parts_off(
    pose: Pose, truth: Truth, rows: np.ndarray, on_athlete: np.ndarray, thigh: float
) -> dict:
    """Frames with the hips on the athlete but the nose or an ankle more than a thigh from
    the athlete's own: drawn within a thigh of someone else's (`frames_mixed`: two people
    in one skeleton), or on no one (`frames_slipped`: the model's own slip, such as a
    hidden far ankle)."""
    athlete = {name: clipdata.joint_xy(truth.joints, name, truth.meta["height"]) for name in PARTS}
    off = _distances(pose, athlete, rows) > thigh
    near = np.zeros_like(off)
    for person in clipdata.others_xy(truth.meta):
        near |= _distances(pose, person, rows) <= thigh
    mixed = on_athlete & (off & near).any(axis=1)
    slipped = on_athlete & off.any(axis=1) & ~mixed
    return {"frames_mixed": int(mixed.sum()), "frames_slipped": int(slipped.sum())}


def _distances(pose: Pose, person: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """(n, 3) pixels from the tracked nose and ankles to a person's own (each ankle to the
    nearer of theirs, so that a leg swap does not count); NaN where not tracked."""
    ankles = [person[f"{side}_ankle"][rows] for side in SIDES]
    out = [np.linalg.norm(pose.point("nose") - person["nose"][rows], axis=1)]
    for side in SIDES:
        tracked = pose.point(f"{side}_ankle")
        out.append(np.minimum(*(np.linalg.norm(tracked - a, axis=1) for a in ankles)))
    return np.stack(out, axis=1)


def angle_rows(angles: Angles, truth: Truth) -> list[dict]:
    """Per angle of the clip's view: errors against 3D truth, 2D truth, and 2D vs 3D."""
    names = SIDE_ANGLES if truth.meta["view"] == "side" else FRONT_ANGLES
    rows = []
    for name in names:
        t3, t2 = truth.angles["truth"].values[name], truth.angles["truth2d"].values[name]
        main = error_stats(angles.values[name], t3)
        flat = error_stats(angles.values[name], t2)
        gap = error_stats(t2, t3)
        rows.append(
            {"angle": name, **main.as_dict(), "mae_2d": flat.mae, "bias_2d": flat.bias,
             "max_2d": flat.max, "perspective_mae": gap.mae, "perspective_max": gap.max}
        )  # fmt: skip
    return rows


def per_event(screening: Screening, truth: Truth) -> dict:
    """Per-stride/per-rep measurements: engine against truth at the engine's own event
    frames (`*_same`) and against truth on the truth's own events, matched (`*_own`)."""
    movement = screening.movement
    summary: dict = {"engine": len(screening.events)}
    if movement is None or movement.value != MOVEMENT_OF.get(truth.meta["motion"]):
        summary["note"] = f"the engine saw {movement.value if movement else 'no movement'}"
        return {"events": summary, "per_event": []}
    columns = {"engine": event_values(screening.measurements)}
    for ref in REFERENCES:
        same, own, stats = _truth_measures(movement, screening, truth, ref)
        columns[f"{ref}_same"], columns[f"{ref}_own"] = same, own
        summary.update({f"{ref}_{k}": v for k, v in stats.items()})
    rows = with_errors(join(columns), [c for c in columns if c != "engine"])
    return {"events": summary, "per_event": rows}


def _truth_measures(
    movement: Movement, screening: Screening, truth: Truth, ref: str
) -> tuple[dict, dict, dict]:
    """Truth per-event values at the engine's events and on the truth's own (matched) ones."""
    angles, engine_events = truth.angles[ref], screening.events
    spec = movements.get(movement)
    table = spec.table(angles.view)
    own_events = spec.find_events(angles, truth.pose)
    matched = match_events(engine_events, own_events)
    same = event_values(metrics.measure(table, angles, truth.pose, engine_events))
    own = event_values(metrics.measure(table, angles, truth.pose, own_events))
    offsets = [event_distance(engine_events[i], own_events[j]) for i, j in matched.items()]
    stats = {
        "events": len(own_events),
        "matched": len(matched),
        "timing_ms": round(1000 * float(np.median(offsets)) / truth.meta["fps"], 1)
        if offsets
        else None,
    }
    return same, rekey(own, engine_events, own_events, matched), stats


def wrong_on_shared(raw: np.ndarray, corrected: np.ndarray) -> dict:
    """Wrong-leg frames of raw MediaPipe and of the correction, (T,) flags of the same
    frames (`swapped_labels`), counted on the frames both can be judged on: a share over
    each run's own judged frames sets the same wrong frames above raw's where the cleaning
    dropped a far leg it doubted elsewhere."""
    both = np.isfinite(raw) & np.isfinite(corrected)
    return {
        "frames": int(both.sum()),
        "raw": int(raw[both].sum()),
        "corrected": int(corrected[both].sum()),
    }


def measured_frames(screening: Screening) -> np.ndarray:
    """(T,) True on the frames where any angle is measured: what the user reads numbers
    from (not where someone passed close over the athlete, `pipeline.left_out`)."""
    values = np.column_stack(list(screening.angles.values.values()))
    return np.isfinite(values).any(axis=1)


def swap_summary(track: Track, corrected: Screening, raw: Screening, truth: Truth) -> dict:
    """Knee labels swapped against the truth (raw MediaPipe, after correction), and the
    thigh and knee errors with swap correction off and on."""
    height = truth.meta["height"]
    true_knees = [clipdata.joint_xy(truth.joints, f"{s}_knee", height) for s in ("left", "right")]
    apart = KNEES_APART * clipdata.thigh_length_px(truth.joints)
    shares, judged, flags = {}, {}, {}
    raw_pose, rows = _track_rows(track, truth)
    every = np.arange(min(len(corrected.clean.pose), len(true_knees[0])))
    posed = rows[rows < len(every)]  # the frames raw MediaPipe labelled
    corrected_knees = [corrected.clean.pose.point(f"{s}_knee") for s in ("left", "right")]
    for label, knees, at in (
        ("raw", [raw_pose.point(f"{s}_knee") for s in ("left", "right")], rows),
        ("corrected", [k[every] for k in corrected_knees], every),
        ("corrected_posed", [k[posed] for k in corrected_knees], posed),
    ):
        flags[label] = swapped_labels(*knees, *(k[at] for k in true_knees), min_apart=apart)
        shares[label], judged[label] = share(flags[label])
    raw_posed = flags["raw"][: len(posed)]
    measured = measured_frames(corrected)[posed]
    errors = {
        name: {
            label: error_stats(s.angles.values[name], truth.angles["truth"].values[name]).as_dict()
            for label, s in (("raw", raw), ("corrected", corrected))
        }
        for name in SWAP_ANGLES
    }
    return {
        "frames_judged": judged["raw"],
        "frames_judged_corrected": judged["corrected"],  # fewer where a leg was dropped
        "raw_swapped_share": shares["raw"],
        "corrected_swapped_share": shares["corrected"],
        # on the frames raw MediaPipe labelled (fast clips are posed every few frames; the
        # corrected pose has every frame, those between drawn on the line between them)
        "corrected_posed_swapped_share": shares["corrected_posed"],
        "frames_judged_corrected_posed": judged["corrected_posed"],
        "wrong_on_shared": wrong_on_shared(raw_posed, flags["corrected_posed"]),
        # where an angle reaches the output (not where someone passed close, `left_out`)
        "wrong_on_measured": wrong_on_shared(
            np.where(measured, raw_posed, np.nan), flags["corrected_posed"]
        ),
        "engine_relabelled_frames": int(corrected.clean.swapped.sum()),
        "angles": errors,
    }
