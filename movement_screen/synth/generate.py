"""Render catalogue clips: video, ground truth (3D and projected 2D), joints and metadata."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .angles import truth_2d, truth_3d
from .body import PALETTES, SKINS, figure, shadow_points
from .camera import Camera, frame_camera
from .clips import ClipSpec
from .crowd import world_joints
from .motions import make_pose
from .render import render_figure
from .scene import Backdrop, finish, make_backdrop, shadow_factor
from .skeleton import LANDMARKS, Facing, forward_kinematics
from .write import VideoWriter, joint_columns, write_json, write_table


@dataclass
class Scene:
    """Everything fixed for one clip: joints over time {name: (T, 3)}, camera and backdrop."""

    spec: ClipSpec
    world: dict[str, np.ndarray]
    camera: Camera
    rays: np.ndarray
    backdrop: Backdrop
    colours: dict
    others: list = field(default_factory=list)  # (world joints, build, colours) per bystander


def build_scene(spec: ClipSpec) -> Scene:
    """Pose, skeleton, camera framing and backdrop for a clip (no rendering of the figure)."""
    t = np.arange(spec.n_frames) / spec.fps
    pose = make_pose(spec.motion, spec.fault, t, spec.build, **dict(spec.motion_args))
    world = forward_kinematics(pose, spec.build, Facing.named(spec.facing).turned(spec.yaw))
    top = world["head"] + np.array([0.0, spec.build.lengths["head_r"], 0.0])
    pts = np.concatenate([world[k] for k in (*LANDMARKS, "head")] + [top])
    cam = frame_camera(
        pts, spec.width, spec.height, spec.fill, spec.cam_height, spec.vfov, spec.roll
    )
    rays = cam.rays()
    backdrop = make_backdrop(cam, rays, np.random.default_rng(spec.seed), spec.wall, spec.floor)
    colours = dict(PALETTES[spec.palette], skin=SKINS[spec.skin], top=spec.top)
    others = [
        (world_joints(b, t), b.build, dict(PALETTES[b.palette], skin=SKINS[b.skin]))
        for b in spec.others
    ]
    return Scene(spec, world, cam, rays, backdrop, colours, others)


def _shadow_box(cam: Camera, ground: np.ndarray) -> tuple[slice, slice]:
    lo, hi = ground.min(axis=0) - 0.6, ground.max(axis=0) + 0.6
    corners = np.array([[x, 0.0, z] for x in (lo[0], hi[0]) for z in (lo[2], hi[2])])
    px = cam.project(corners)
    x0, y0 = np.clip(np.floor(px.min(axis=0)).astype(int), 0, [cam.width, cam.height])
    x1, y1 = np.clip(np.ceil(px.max(axis=0)).astype(int), 0, [cam.width, cam.height])
    return slice(y0, y1), slice(x0, x1)


def render_frame(scene: Scene, i: int) -> np.ndarray:
    """Frame ``i`` as (H, W, 3) uint8 RGB."""
    j = {k: v[i] for k, v in scene.world.items()}
    cam, build = scene.camera, scene.spec.build
    far = None
    if scene.spec.view == "side":
        dist = {s: np.linalg.norm(j[f"{s}_hip"] - cam.position) for s in ("left", "right")}
        far = max(dist, key=dist.get)
    prims = figure(j, build, scene.colours, far)
    shadows = [shadow_points(j, build)]
    for world, other, colours in scene.others:
        jo = {k: v[i] for k, v in world.items()}
        prims += figure(jo, other, colours, None)
        shadows.append(shadow_points(jo, other))
    colour, mask = render_figure(cam, scene.rays, prims)
    img = scene.backdrop.image.copy()
    for pts, rad in shadows:
        box = _shadow_box(cam, pts)
        img[box] *= shadow_factor(scene.backdrop, pts, rad, box)[..., None]
    img[mask] = colour[mask]
    return finish(img)


def truth_tables(scene: Scene) -> dict[str, dict[str, np.ndarray]]:
    """The three per-frame tables: 3D truth, 2D (projected) truth, projected joints."""
    spec = scene.spec
    px = {k: scene.camera.project(scene.world[k]) for k in LANDMARKS}
    return {
        "truth": truth_3d(scene.world, Facing.named(spec.facing).turned(spec.yaw), spec.view),
        "truth2d": truth_2d(px, spec.facing, spec.view),
        "joints": joint_columns(px, LANDMARKS),
    }


def metadata(scene: Scene) -> dict:
    spec = scene.spec
    d = spec.as_dict()
    d["build"] = {**d["build"], "thigh_m": spec.build.thigh, "shank_m": spec.build.shank}
    d["camera"] = scene.camera.as_dict()
    d["files"] = {k: f"{spec.name}{s}" for k, s in FILE_SUFFIXES.items()}
    return d


FILE_SUFFIXES = {
    "video": ".mp4",
    "truth": "_truth.csv",
    "truth2d": "_truth2d.csv",
    "joints": "_joints.csv",
    "meta": ".json",
}


def make_clip(spec: ClipSpec, out_dir: Path) -> dict:
    """Render one clip into ``out_dir``; returns its metadata plus timing."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    scene = build_scene(spec)
    for key, cols in truth_tables(scene).items():
        digits = 2 if key == "joints" else 3
        write_table(out_dir / f"{spec.name}{FILE_SUFFIXES[key]}", spec.fps, cols, digits)
    with VideoWriter(out_dir / f"{spec.name}.mp4", spec.fps, spec.width, spec.height) as vw:
        for i in range(spec.n_frames):
            vw.write(render_frame(scene, i))
    meta = metadata(scene)
    write_json(out_dir / f"{spec.name}.json", meta)
    meta["render_s_per_frame"] = (time.perf_counter() - start) / spec.n_frames
    return meta


def make_clips(specs, out_dir: Path, workers: int = 2, log=print) -> list[dict]:
    """Render clips in a process pool (``workers`` = 1 renders in this process)."""
    if workers <= 1:
        results = []
        for s in specs:
            results.append(make_clip(s, out_dir))
            log(_summary(results[-1]))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(make_clip, s, out_dir) for s in specs]
        results = []
        for f in futures:
            results.append(f.result())
            log(_summary(results[-1]))
    return results


def _summary(meta: dict) -> str:
    return (
        f"{meta['name']}: {meta['n_frames']} frames, "
        f"{meta['render_s_per_frame']:.3f} s/frame, cues {meta['expected_cues']}"
    )
