"""Kinematic skeleton: body build, joint-angle pose and forward kinematics.

Body coordinates are (F, U, L): F = where the athlete faces, U = up, L = the athlete's own left
(note: this triple is left-handed, so no cross products are taken in body coordinates).
World coordinates are right-handed metres, y up; a :class:`Facing` maps body to world.

Angle conventions (degrees) match the ground-truth columns:

* ``thigh``: hip->knee from straight down, + knee in front of the hip;
* ``knee``: flexion, 0 = straight; the shank's sagittal angle is ``thigh - knee``;
* ``trunk``: hip->shoulder midpoint from vertical, + forward; ``trunk_side``: + toward the left;
* ``pelvis_roll``: + left hip higher; ``hip_add``: the leg plane tilted medially (+ adduction);
* ``knee_valgus``: the shank tilted laterally relative to that plane (+ foot outward);
* ``foot``: absolute pitch of the sole, + toe up; ``shoulder``: upper arm from straight down,
  + forward; ``elbow``: flexion, the forearm's angle is ``shoulder + elbow``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SIDES = ("left", "right")
SIDE_SIGN = {"left": 1.0, "right": -1.0}

LANDMARKS = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)


@dataclass(frozen=True)
class Build:
    """Athlete build. ``height`` in metres; ``leg`` scales leg length; ``width`` scales girths."""

    height: float = 1.75
    leg: float = 1.0
    width: float = 1.0
    arm_abduction: float = 10.0

    def _h(self, ratio: float) -> float:
        return ratio * self.height

    @property
    def thigh(self) -> float:
        return self._h(0.245) * self.leg

    @property
    def shank(self) -> float:
        return self._h(0.246) * self.leg

    @property
    def trunk(self) -> float:
        return self._h(0.29) * (2.0 - self.leg) ** 0.5

    @property
    def lengths(self) -> dict[str, float]:
        """Remaining segment lengths and offsets (metres)."""
        h = self.height
        w = self.width
        return {
            "hip_half": 0.05 * h * w**0.5,
            "shoulder_half": 0.1 * h * w**0.5,
            "neck": 0.05 * h,
            "head_r": 0.062 * h,
            "upper_arm": 0.186 * h,
            "forearm": 0.146 * h,
            "hand": 0.06 * h,
            "ankle_h": 0.039 * h,
            "heel_back": 0.04 * h,
            "toe_fwd": 0.112 * h,
            "heel_r": 0.021 * h,
            "toe_r": 0.016 * h,
        }

    def radius(self, name: str) -> float:
        """Girth radius (metres) of a named part at a height of 1.75 m and width 1."""
        base = {
            "thigh0": 0.1,
            "thigh1": 0.063,
            "shank0": 0.066,
            "shank1": 0.04,
            "arm0": 0.056,
            "arm1": 0.045,
            "fore1": 0.034,
            "hand": 0.045,
            "neck": 0.06,
        }[name]
        return base * self.height / 1.75 * self.width


@dataclass
class Pose:
    """Joint-angle state over time: axis 0 is time (T frames). Degrees unless noted.

    Per-side arrays have shape (T, 2), column 0 = left, 1 = right. ``root_fwd`` and
    ``root_lat`` (metres, (T,)) place the pelvis along F and L; its height is set by
    :func:`forward_kinematics` so that the lowest point of either shoe touches the floor.
    """

    trunk: np.ndarray
    thigh: np.ndarray
    knee: np.ndarray
    foot: np.ndarray
    shoulder: np.ndarray
    elbow: np.ndarray
    trunk_side: np.ndarray = field(default=None)  # type: ignore[assignment]
    pelvis_roll: np.ndarray = field(default=None)  # type: ignore[assignment]
    hip_add: np.ndarray = field(default=None)  # type: ignore[assignment]
    knee_valgus: np.ndarray = field(default=None)  # type: ignore[assignment]
    root_fwd: np.ndarray = field(default=None)  # type: ignore[assignment]
    root_lat: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        n = len(self.trunk)
        for name in ("trunk_side", "pelvis_roll", "root_fwd", "root_lat"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(n))
        for name in ("hip_add", "knee_valgus"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros((n, 2)))

    def __len__(self) -> int:
        return len(self.trunk)


@dataclass(frozen=True)
class Facing:
    """Body-to-world map: world = origin + F*fwd + U*up + L*left (unit world vectors)."""

    fwd: tuple[float, float, float]
    left: tuple[float, float, float]
    up: tuple[float, float, float] = (0.0, 1.0, 0.0)

    @staticmethod
    def named(name: str) -> Facing:
        """'right'/'left' = facing image right/left (side view), 'camera' = facing the camera,
        'away' = the back to the camera (a front-view screen filmed from behind)."""
        return {
            "right": Facing(fwd=(1.0, 0.0, 0.0), left=(0.0, 0.0, -1.0)),
            "left": Facing(fwd=(-1.0, 0.0, 0.0), left=(0.0, 0.0, 1.0)),
            "camera": Facing(fwd=(0.0, 0.0, 1.0), left=(1.0, 0.0, 0.0)),
            "away": Facing(fwd=(0.0, 0.0, -1.0), left=(-1.0, 0.0, 0.0)),
        }[name]

    def turned(self, yaw: float) -> Facing:
        """The same facing turned ``yaw`` degrees about the vertical (an off-square camera)."""
        a = np.radians(yaw)
        rot = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
        fwd, left = rot @ np.array(self.fwd), rot @ np.array(self.left)
        return Facing(fwd=tuple(float(v) for v in fwd), left=tuple(float(v) for v in left))

    def to_world(self, p: np.ndarray) -> np.ndarray:
        """(..., 3) body (F, U, L) -> (..., 3) world."""
        basis = np.array([self.fwd, self.up, self.left])
        return p @ basis

    def to_body(self, p: np.ndarray) -> np.ndarray:
        """(..., 3) world -> (..., 3) body (F, U, L)."""
        basis = np.array([self.fwd, self.up, self.left])
        return p @ basis.T


def _dir(sag: np.ndarray, tilt: np.ndarray, lat: np.ndarray | float, up: bool) -> np.ndarray:
    """Unit (T, 3) body vectors: sagittal angle ``sag`` (deg), lateral tilt ``tilt`` (deg).

    ``up`` selects the reference (straight up or straight down). The sagittal projection of the
    result has angle exactly ``sag``; its L component is ``lat * sin(tilt)``.
    """
    s, t = np.radians(sag), np.radians(tilt)
    vert = np.cos(t) * np.cos(s) * (1.0 if up else -1.0)
    return np.stack([np.cos(t) * np.sin(s), vert, lat * np.sin(t)], axis=-1)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _trunk_chain(pose: Pose, b: Build, out: dict[str, np.ndarray]) -> None:
    n = len(pose)
    lg = b.lengths
    pelvis = np.stack([pose.root_fwd, np.zeros(n), pose.root_lat], axis=-1)
    roll = np.radians(pose.pelvis_roll)
    hip_axis = np.stack([np.zeros(n), np.sin(roll), np.cos(roll)], axis=-1) * lg["hip_half"]
    t = _dir(pose.trunk, pose.trunk_side, 1.0, up=True)
    lat = _unit(np.array([0.0, 0.0, 1.0]) - t[:, 2:3] * t)
    fwd = _unit(np.array([1.0, 0.0, 0.0]) - t[:, 0:1] * t - (lat[:, 0:1] * lat))
    mid = pelvis + b.trunk * t
    head = mid + (lg["neck"] + 0.9 * lg["head_r"]) * t + 0.15 * lg["head_r"] * fwd
    out.update(pelvis=pelvis, shoulder_mid=mid, head=head, trunk_dir=t, trunk_fwd=fwd)
    out["neck"] = mid + lg["neck"] * t
    out["nose"] = head + 0.95 * lg["head_r"] * fwd - 0.15 * lg["head_r"] * t
    out["left_hip"], out["right_hip"] = pelvis + hip_axis, pelvis - hip_axis
    out["left_shoulder"] = mid + lg["shoulder_half"] * lat
    out["right_shoulder"] = mid - lg["shoulder_half"] * lat


def _leg(pose: Pose, b: Build, side: str, out: dict[str, np.ndarray]) -> None:
    i, s = SIDES.index(side), SIDE_SIGN[side]
    lg = b.lengths
    add, valg = pose.hip_add[:, i], pose.knee_valgus[:, i]
    d1 = _dir(pose.thigh[:, i], add, -s, up=False)
    d2 = _dir(pose.thigh[:, i] - pose.knee[:, i], add - valg, -s, up=False)
    knee = out[f"{side}_hip"] + b.thigh * d1
    ankle = knee + b.shank * d2
    p = np.radians(pose.foot[:, i])
    f = np.stack([np.cos(p), np.sin(p), np.zeros_like(p)], axis=-1)
    nrm = np.stack([-np.sin(p), np.cos(p), np.zeros_like(p)], axis=-1)
    rh, rt, ah = lg["heel_r"], lg["toe_r"], lg["ankle_h"]
    heel_c = ankle - (lg["heel_back"] - rh) * f - (ah - rh) * nrm
    toe_c = ankle + (lg["toe_fwd"] - rt) * f - (ah - rt) * nrm
    out[f"{side}_knee"], out[f"{side}_ankle"] = knee, ankle
    out[f"{side}_heel_c"], out[f"{side}_toe_c"] = heel_c, toe_c
    out[f"{side}_heel"], out[f"{side}_foot_index"] = heel_c - rh * f, toe_c + rt * f


def _arm(pose: Pose, b: Build, side: str, out: dict[str, np.ndarray]) -> None:
    i, s = SIDES.index(side), SIDE_SIGN[side]
    lg = b.lengths
    ab = np.full(len(pose), b.arm_abduction)
    d1 = _dir(pose.shoulder[:, i], ab, s, up=False)
    d2 = _dir(pose.shoulder[:, i] + pose.elbow[:, i], ab, s, up=False)
    elbow = out[f"{side}_shoulder"] + lg["upper_arm"] * d1
    wrist = elbow + lg["forearm"] * d2
    out[f"{side}_elbow"], out[f"{side}_wrist"] = elbow, wrist
    out[f"{side}_hand"] = wrist + 0.5 * lg["hand"] * d2


def body_points(pose: Pose, build: Build) -> dict[str, np.ndarray]:
    """Joint centres in body coordinates (F, U, L), each (T, 3) metres, pelvis at U = 0."""
    out: dict[str, np.ndarray] = {}
    _trunk_chain(pose, build, out)
    for side in SIDES:
        _leg(pose, build, side, out)
        _arm(pose, build, side, out)
    return out


def forward_kinematics(
    pose: Pose, build: Build, facing: Facing, origin=(0.0, 0.0, 0.0)
) -> dict[str, np.ndarray]:
    """Pose -> world points {name: (T, 3) metres}, lowest shoe point on the floor (y = 0).

    Directions (``trunk_dir``, ``trunk_fwd``) are mapped as vectors, not shifted.
    """
    pts = body_points(pose, build)
    lg = build.lengths
    lows = [pts[f"{s}_heel_c"][:, 1] - lg["heel_r"] for s in SIDES]
    lows += [pts[f"{s}_toe_c"][:, 1] - lg["toe_r"] for s in SIDES]
    lift = -np.min(np.stack(lows), axis=0)
    shift = np.stack([np.zeros_like(lift), lift, np.zeros_like(lift)], axis=-1)
    world = {}
    for name, p in pts.items():
        if name in ("trunk_dir", "trunk_fwd"):
            world[name] = facing.to_world(p)
        else:
            world[name] = facing.to_world(p + shift) + np.asarray(origin, dtype=float)
    return world
