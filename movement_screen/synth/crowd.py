"""Other people in a clip: standing near the camera, walking past behind the athlete or in
front of them (hiding them for a moment), warming up behind.

A bystander is a motion, a build and clothes, a facing, and a place in the world
(metres: x along the image, z toward the camera, from the athlete) that may move at
a constant speed along x. Their joints are only drawn: the truth tables are the
athlete's alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .motions import make_pose
from .skeleton import Build, Facing, forward_kinematics

ROLES = ("close", "passing", "warming_up", "in_front")
DIRECTIONS = ("trunk_dir", "trunk_fwd")  # vectors, not places: not moved with the body


@dataclass(frozen=True)
class Bystander:
    motion: str  # a motion of `motions` or `others` ("stand", "walk", "jog", ...)
    build: Build
    palette: str
    skin: str
    facing: str  # "left", "right" or "camera"
    x: float  # metres along the image's horizontal, from the athlete
    z: float  # metres toward the camera (+) or away (-), from the athlete
    speed: float = 0.0  # metres per second along x (someone walking past)
    motion_args: tuple[tuple[str, object], ...] = ()


def world_joints(person: Bystander, t: np.ndarray) -> dict[str, np.ndarray]:
    """{name: (T, 3)} world points of a bystander over (T,) seconds."""
    pose = make_pose(person.motion, "none", t, person.build, **dict(person.motion_args))
    joints = forward_kinematics(pose, person.build, Facing.named(person.facing))
    shift = np.stack([person.x + person.speed * t, np.zeros_like(t), np.full_like(t, person.z)], 1)
    return {k: v if k in DIRECTIONS else v + shift for k, v in joints.items()}


def draw_bystander(rng: np.random.Generator, role: str, look: dict) -> Bystander:
    """One bystander in `role`, dressed and built from `look` (palette, skin, build)."""
    side = float(rng.choice([-1.0, 1.0]))
    if role == "close":  # standing near the camera, to one side
        place = {"x": side * float(rng.uniform(0.9, 1.4)), "z": float(rng.uniform(1.2, 2.0))}
        return Bystander("stand", facing="camera", **look, **place)
    if role in ("passing", "in_front"):  # walking across behind the athlete, or in front
        depth = -float(rng.uniform(1.5, 3.0)) if role == "passing" else float(rng.uniform(0.7, 1.3))
        place = {"x": side * 3.0, "z": depth}
        speed = -side * float(rng.uniform(1.0, 1.4))
        facing = "right" if speed > 0 else "left"
        return Bystander("walk", facing=facing, speed=speed, **look, **place)
    place = {"x": side * float(rng.uniform(1.5, 2.5)), "z": -float(rng.uniform(2.0, 4.0))}
    args = (("stride_hz", float(rng.uniform(1.2, 1.5))), ("peak_thigh", 35.0))
    return Bystander("jog", facing="camera", motion_args=args, **look, **place)
