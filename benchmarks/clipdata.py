"""Read a synthetic clip's files: catalogue entry, ground-truth angles and joint centres.

Files per clip (see `sample_videos/README.md`): `<clip>.mp4`, `<clip>.json`,
`<clip>_truth.csv` (3D truth), `<clip>_truth2d.csv` (projected 2D truth) and
`<clip>_joints.csv` (joint centres, image pixels, y down). Returned positions are
flipped once to the engine's y-up pixels (y_up = height - y_image).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import MISSING, fields
from pathlib import Path

import numpy as np

from movement_screen.core import Angles, Pose, View
from movement_screen.kinematics import COLUMNS
from movement_screen.landmarks import INDEX, N_LANDMARKS

SUFFIXES = (".mp4", ".json", "_truth.csv", "_truth2d.csv", "_joints.csv")


def missing_files(folder: Path, name: str) -> list[str]:
    """The clip's files that are not in `folder`."""
    return [f"{name}{s}" for s in SUFFIXES if not (Path(folder) / f"{name}{s}").is_file()]


def renders(meta: dict, spec: dict) -> bool:
    """Does a cached clip's stored description still match the spec drawn for its name?
    A field the stored one lacks was added to the generator after it was rendered, with
    the old behaviour as its default: it matches where the spec keeps that default."""
    defaults = _defaults()
    return all(
        _same(value, meta[key]) if key in meta else _same(value, defaults.get(key, value))
        for key, value in spec.items()
    )


def _defaults() -> dict:
    """{field: default} of `ClipSpec`, for the fields that have one."""
    from movement_screen.synth.clips import ClipSpec

    return {f.name: f.default for f in fields(ClipSpec) if f.default is not MISSING}


def _same(want, got) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _same(v, got[k]) for k, v in want.items())
    if isinstance(want, list | tuple):
        return (
            isinstance(got, list | tuple)
            and len(want) == len(got)
            and all(_same(w, g) for w, g in zip(want, got, strict=True))
        )
    if isinstance(want, float) or isinstance(got, float):
        return isinstance(got, int | float) and abs(float(want) - float(got)) <= 1e-6
    return want == got


def stale(folder: Path, specs: Iterable) -> list:
    """The `ClipSpec`s whose clip is missing from `folder` (a cache of generated clips) or
    was rendered from an older draw of the same name (the generator changed since)."""
    return [
        s for s in specs
        if missing_files(folder, s.name) or not renders(read_meta(folder, s.name), s.as_dict())
    ]  # fmt: skip


def clips_in(folder: Path) -> list[str]:
    """Names of the complete clips in `folder`, sorted."""
    names = sorted(p.stem for p in Path(folder).glob("*.mp4"))
    return [n for n in names if not missing_files(folder, n)]


def read_meta(folder: Path, name: str) -> dict:
    """The clip's catalogue entry (`<clip>.json`)."""
    return json.loads((Path(folder) / f"{name}.json").read_text())


def read_table(path: Path) -> dict[str, np.ndarray]:
    """{column: (T,) float array} of a CSV; empty cells are NaN."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{path}: expected a header and at least one row, got none")
    return {c: np.array([float(r[c]) if r[c] else np.nan for r in rows]) for c in rows[0]}


def facing_sign(meta: dict) -> float:
    """+1 for an athlete facing image-right, -1 facing left; +1 for front views."""
    return -1.0 if meta["facing"] == "left" else 1.0


def truth_angles(table: dict[str, np.ndarray], meta: dict) -> Angles:
    """An engine `Angles` of a truth table: every engine column, NaN where the table has none."""
    time = table["time_s"]
    blank = np.full(len(time), np.nan)
    values = {name: table.get(name, blank).copy() for name in COLUMNS}
    facing = np.full(len(time), facing_sign(meta))
    return Angles(time=time, values=values, view=View(meta["view"]), facing=facing)


def joint_xy(joints: dict[str, np.ndarray], name: str, height: int) -> np.ndarray:
    """(T, 2) pixels, y up, of one joint of a `_joints.csv` table."""
    return np.stack([joints[f"{name}_x"], height - joints[f"{name}_y"]], axis=1)


def joints_pose(joints: dict[str, np.ndarray], height: int) -> Pose:
    """A `Pose` of the projected joint centres (the CSV's landmarks; the rest NaN)."""
    time = joints["time_s"]
    xy = np.full((len(time), N_LANDMARKS, 2), np.nan)
    visibility = np.zeros((len(time), N_LANDMARKS))
    for name in INDEX:
        if f"{name}_x" in joints:
            xy[:, INDEX[name]] = joint_xy(joints, name, height)
            visibility[:, INDEX[name]] = 1.0
    return Pose(time, xy, visibility)


def others_xy(meta: dict) -> list[dict[str, np.ndarray]]:
    """Each bystander's joints {name: (T, 2) pixels, y up}, as drawn: rebuilt from the
    clip's catalogue entry (their motion, build and place, and the camera), since only the
    athlete's are written."""
    from movement_screen.synth.camera import Camera
    from movement_screen.synth.crowd import Bystander, world_joints
    from movement_screen.synth.skeleton import LANDMARKS, Build

    if not meta.get("others"):
        return []
    c = meta["camera"]
    turn = tuple(map(tuple, c["rotation_rows_right_up_forward"]))
    centre = tuple(c["principal_point_px"])
    camera = Camera(tuple(c["position_m"]), turn, c["focal_px"], c["width"], c["height"], centre)
    t = np.arange(meta["n_frames"]) / meta["fps"]
    people = []
    for entry in meta["others"]:
        args = tuple(tuple(pair) for pair in entry["motion_args"])
        person = Bystander(**{**entry, "build": Build(**entry["build"]), "motion_args": args})
        world = world_joints(person, t)
        drawn = {name: camera.project(world[name]) for name in LANDMARKS}
        people.append({name: xy * [1, -1] + [0, c["height"]] for name, xy in drawn.items()})
    return people


def thigh_length_px(joints: dict[str, np.ndarray]) -> float:
    """Median projected left thigh length, pixels."""
    dx = joints["left_hip_x"] - joints["left_knee_x"]
    dy = joints["left_hip_y"] - joints["left_knee_y"]
    return float(np.nanmedian(np.hypot(dx, dy)))
