"""Screenings of the synthetic sample clips built from their ground truth, without MediaPipe.

`screening_from_truth(name)` reads `sample_videos/<name>_joints.csv` (projected joint
centres, image pixels, y down, 17 of MediaPipe's 33 landmarks), places the other
landmarks near their neighbours (eyes, ears and mouth around the nose, fingers beyond
the wrist), flips y to y-up and runs `pipeline.screen` on the result: every stage after
pose estimation, in well under a second.
"""

from __future__ import annotations

import csv
import functools
import json
import os
from pathlib import Path

import numpy as np

from movement_screen import outdir, pipeline, video
from movement_screen.core import AthleteChoice, Pose, Track
from movement_screen.landmarks import INDEX, N_LANDMARKS
from movement_screen.screening import Screening

SAMPLES = Path(__file__).parents[1] / "sample_videos"


def sample_path(name: str) -> Path:
    """The sample clip `sample_videos/<name>.mp4`."""
    return SAMPLES / f"{name}.mp4"


def read_joints(name: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(time (T,) s, {landmark: (T, 2) image pixels, y down}) from `<name>_joints.csv`."""
    with open(SAMPLES / f"{name}_joints.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    time = np.array([float(r["time_s"]) for r in rows])
    names = [c[:-2] for c in rows[0] if c.endswith("_x")]
    joints = {n: np.array([[float(r[f"{n}_x"]), float(r[f"{n}_y"])] for r in rows]) for n in names}
    return time, joints


def _head_and_hands(joints: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The landmarks the CSV lacks, near the ones it has (image pixels, y down)."""
    nose = joints["nose"]
    # Half the foot's horizontal length points backward: the ears sit behind the nose
    # in a side view and beside it in a front view (where the foot points at the camera).
    foot = (joints["left_foot_index"] - joints["left_heel"]) + (
        joints["right_foot_index"] - joints["right_heel"]
    )
    back = np.stack([-0.25 * foot[:, 0], np.zeros(len(nose))], axis=1)
    lateral = (joints["left_shoulder"] - joints["right_shoulder"]) * 0.25
    lateral[:, 1] = 0.0
    up = np.array([0.0, -6.0])
    out = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        out[f"{side}_eye"] = nose + 0.3 * back + 0.4 * sign * lateral + up
        out[f"{side}_eye_inner"] = nose + 0.3 * back + 0.2 * sign * lateral + up
        out[f"{side}_eye_outer"] = nose + 0.3 * back + 0.6 * sign * lateral + up
        out[f"{side}_ear"] = nose + back + sign * lateral
        out[f"mouth_{side}"] = nose + 0.2 * back + 0.3 * sign * lateral + np.array([0.0, 8.0])
        wrist, elbow = joints[f"{side}_wrist"], joints[f"{side}_elbow"]
        hand = wrist - elbow
        for finger, reach in (("index", 0.3), ("pinky", 0.25), ("thumb", 0.18)):
            out[f"{side}_{finger}"] = wrist + reach * hand
    return out


def track_from_truth(name: str, height: int, width: int) -> Track:
    """A Track of the sample's true joint positions: found everywhere, visibility 1, y up."""
    time, joints = read_joints(name)
    everything = {**joints, **_head_and_hands(joints)}
    xy = np.full((len(time), N_LANDMARKS, 2), np.nan)
    for landmark, points in everything.items():
        xy[:, INDEX[landmark]] = points
    xy[..., 1] = height - xy[..., 1]
    if np.isnan(xy).any():
        raise ValueError(f"{name}: some landmarks were not placed")
    pose = Pose(time, xy, np.ones((len(time), N_LANDMARKS)))
    hip = joints["left_hip"][0]
    choice = AthleteChoice(
        "given", float(time[0]), float(hip[0]), float(hip[1]), 0, 1, "ground truth of the sample"
    )
    return Track(pose, np.ones(len(time), dtype=bool), choice, (width, height))


@functools.cache
def screening_from_truth(name: str) -> Screening:
    """The full screening of a sample clip from its ground truth (cached: Screening is frozen)."""
    info = video.probe(str(sample_path(name)))
    track = track_from_truth(name, info.height, info.width)
    if len(track.pose) != info.frame_count:
        raise ValueError(f"{name}: {len(track.pose)} truth rows for {info.frame_count} frames")
    return pipeline.screen(info, track)


def slow_motion_clip(path: Path, name: str = "lunge_side_clean", repeat: int = 8) -> Path:
    """The sample clip `name` with each frame written `repeat` times at 30 x `repeat` fps:
    its movement at its own pace, filmed in slow motion (H.264)."""
    import av

    source = video.probe(str(sample_path(name)))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30 * repeat)
        stream.width, stream.height, stream.pix_fmt = source.width, source.height, "yuv420p"
        for _, _, rgb in video.frames(source.path):
            for _ in range(repeat):
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def blank_moments(path: str, plans: list[list[int]], ready, *, most: int | None = None) -> None:
    """A stand-in for `tracking._decode_moments` without a clip: each plan's frames (index,
    time at 30 fps, a blank (8, 8, 3) picture) handed to `ready` in turn, the first `most`
    plans only if given."""
    for plan in plans[:most]:
        ready([(i, i / 30.0, np.zeros((8, 8, 3), np.uint8)) for i in plan])


def fake_done(job) -> None:
    """A batch job's folder as a finished screen leaves it: the marker and a report.json."""
    Path(job.out_dir).mkdir(parents=True)
    marker = {"tool": "movement-screen", "clip": os.path.realpath(job.clip)}
    (Path(job.out_dir) / outdir.MARKER).write_text(json.dumps(marker))
    report = {
        "movement": {"value": "lunge"},
        "view": {"value": "side"},
        "video": {"frame_count": 10},
        "quality": {"found_share": 1.0},
        "cues": [{"id": "all_clear"}],
        "measurements": [
            {"kind": "median", "metric": "trunk_lean_bottom", "side": "left", "value": 2.0}
        ],
    }
    (Path(job.out_dir) / "report.json").write_text(json.dumps(report))
