"""Pinhole camera: projection to pixels and per-pixel viewing rays.

Pixel coordinates are continuous: x right, y down, (0, 0) = top-left corner of the frame, so
the centre of pixel (row i, column j) is (j + 0.5, i + 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class Camera:
    """A pinhole camera. ``position`` (3,) metres; ``rot`` (3, 3) rows = right, up, forward
    unit vectors in world coordinates; ``focal`` in pixels; ``principal`` point in pixels
    (None = the frame centre; an offset principal point is a level camera's off-centre crop)."""

    position: tuple[float, float, float]
    rot: tuple[tuple[float, float, float], ...]
    focal: float
    width: int
    height: int
    principal: tuple[float, float] | None = None

    @staticmethod
    def look_at(position, target, focal: float, width: int, height: int) -> Camera:
        """Camera at ``position`` looking at ``target`` with world +y as up."""
        pos = np.asarray(position, dtype=float)
        fwd = np.asarray(target, dtype=float) - pos
        fwd /= np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, fwd)
        rot = tuple(tuple(float(x) for x in v) for v in (right, up, fwd))
        return Camera(tuple(float(x) for x in pos), rot, float(focal), width, height)

    @property
    def centre(self) -> tuple[float, float]:
        """The principal point (pixels)."""
        if self.principal is not None:
            return self.principal
        return self.width / 2.0, self.height / 2.0

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) world -> (..., 3) camera coordinates (right, up, depth)."""
        return (np.asarray(points, dtype=float) - np.asarray(self.position)) @ np.array(self.rot).T

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> (..., 2) pixel coordinates (x right, y down)."""
        c = self.to_camera(points)
        cx, cy = self.centre
        x = cx + self.focal * c[..., 0] / c[..., 2]
        y = cy - self.focal * c[..., 1] / c[..., 2]
        return np.stack([x, y], axis=-1)

    def rays(self, rows: slice = slice(None), cols: slice = slice(None)) -> np.ndarray:
        """Unit viewing directions (h, w, 3) in world coordinates for pixel centres."""
        cx, cy = self.centre
        v = (np.arange(self.height, dtype=float)[rows] + 0.5 - cy) / self.focal
        u = (np.arange(self.width, dtype=float)[cols] + 0.5 - cx) / self.focal
        right, up, fwd = (np.array(r) for r in self.rot)
        d = fwd + u[None, :, None] * right - v[:, None, None] * up
        return d / np.linalg.norm(d, axis=-1, keepdims=True)

    def as_dict(self) -> dict:
        return {
            "position_m": list(self.position),
            "rotation_rows_right_up_forward": [list(r) for r in self.rot],
            "focal_px": self.focal,
            "principal_point_px": list(self.centre),
            "width": self.width,
            "height": self.height,
        }


def frame_camera(
    points: np.ndarray,
    width: int,
    height: int,
    fill: float,
    cam_height: float = 1.0,
    vfov_deg: float = 50.0,
    roll_deg: float = 0.0,
) -> Camera:
    """A camera on the +z side, optical axis along -z, that frames ``points`` (N, 3).

    The figure's vertical extent fills ``fill`` of the frame height (and at most 90 % of the
    width). The camera stays at ``cam_height``, its image plane vertical and square to the
    motion, turned ``roll_deg`` about its optical axis (+: the picture turned clockwise, its
    level lines running down to the right, as `movement_screen.level` reads it); the
    principal point is shifted so the points' bounding box is centred.
    """
    focal = height / 2.0 / np.tan(np.radians(vfov_deg) / 2.0)
    lo, hi = points.min(axis=0), points.max(axis=0)
    ext_y = hi[1] - max(lo[1], 0.0) + 0.05
    ext_x = hi[0] - lo[0] + 0.2
    dist = max(ext_y * focal / (fill * height), ext_x * focal / (0.9 * width))
    target = np.array([(lo[0] + hi[0]) / 2.0, (ext_y - 0.05) / 2.0 + 0.02, (lo[2] + hi[2]) / 2.0])
    pos = (target[0], cam_height, hi[2] + dist)
    cam = rolled(
        Camera.look_at(pos, (target[0], cam_height, pos[2] - 1.0), focal, width, height), roll_deg
    )
    c = cam.to_camera(target)
    shift = (width / 2.0 - focal * c[0] / c[2], height / 2.0 + focal * c[1] / c[2])
    return replace(cam, principal=(float(shift[0]), float(shift[1])))


def rolled(cam: Camera, roll_deg: float) -> Camera:
    """`cam` turned `roll_deg` about its optical axis (+: the picture turns clockwise)."""
    if not roll_deg:
        return cam
    right, up, fwd = (np.array(r) for r in cam.rot)
    a = -np.radians(roll_deg)
    turned = (np.cos(a) * right - np.sin(a) * up, np.sin(a) * right + np.cos(a) * up, fwd)
    return replace(cam, rot=tuple(tuple(float(x) for x in v) for v in turned))
