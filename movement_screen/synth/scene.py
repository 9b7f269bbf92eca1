"""Static backdrop (textured wall and floor), soft floor shadow and final image finishing."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .camera import Camera

WALLS = {
    "grey": (0.72, 0.72, 0.70),
    "beige": (0.78, 0.72, 0.62),
    "blue": (0.58, 0.66, 0.74),
    "green": (0.62, 0.70, 0.62),
}
FLOORS = {
    "wood": (0.62, 0.46, 0.30),
    "rubber": (0.28, 0.29, 0.31),
    "light_wood": (0.74, 0.60, 0.42),
}


@dataclass
class Backdrop:
    """Per-clip static background: ``image`` (H, W, 3) float RGB, floor world x/z (H, W)
    (NaN where the wall is seen)."""

    image: np.ndarray
    floor_x: np.ndarray
    floor_z: np.ndarray


def _noise(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, scale: float) -> np.ndarray:
    """Cheap smooth noise in [-1, 1]: a few random plane waves of wavelength ~``scale`` m."""
    out = np.zeros_like(x)
    for _ in range(6):
        ang, ph = rng.uniform(0, np.pi), rng.uniform(0, 2 * np.pi)
        k = 2 * np.pi / (scale * rng.uniform(0.5, 1.5))
        out += np.sin(k * (np.cos(ang) * x + np.sin(ang) * y) + ph)
    return out / 6.0


def _wall_texture(rng, x, y, base) -> np.ndarray:
    """Painted block wall with mortar lines, a skirting board and gentle blotches."""
    row = np.floor(y / 0.2)
    xs = x + 0.2 * (row % 2)
    mortar = (np.mod(y, 0.2) < 0.012) | (np.mod(xs, 0.4) < 0.012)
    shade = 1.0 + 0.05 * _noise(rng, x, y, 1.5) + 0.02 * _noise(rng, x, y, 0.07)
    shade = np.where(mortar, shade * 0.86, shade)
    rgb = np.asarray(base)[None, None] * shade[..., None]
    skirting = y < 0.12
    rgb[skirting] = np.asarray(base) * 0.45
    return rgb


def _floor_texture(rng, x, z, base) -> np.ndarray:
    """Planks along x with per-plank tone, grain and seams."""
    plank = np.floor(z / 0.14)
    tone = 0.88 + 0.24 * np.mod(np.sin(plank * 12.9898) * 43758.5453, 1.0)
    seam = np.mod(z, 0.14) < 0.008
    end = np.mod(x + 0.37 * plank, 1.2) < 0.006
    grain = 1.0 + 0.06 * np.sin(x * 40.0 + 3.0 * _noise(rng, x, z, 0.5))
    shade = tone * grain * np.where(seam | end, 0.7, 1.0)
    return np.asarray(base)[None, None] * shade[..., None]


def make_backdrop(cam: Camera, rays: np.ndarray, rng, wall="grey", floor="wood", wall_z=-2.2):
    """Ray-trace the floor (y = 0) and back wall (z = ``wall_z``) once for a fixed camera."""
    ro = np.asarray(cam.position)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 1] < 0, -ro[1] / rays[..., 1], np.inf)
        t_wall = np.where(rays[..., 2] < 0, (wall_z - ro[2]) / rays[..., 2], np.inf)
    on_floor = t_floor < t_wall
    t = np.where(on_floor, t_floor, t_wall)
    p = ro + t[..., None] * rays
    wall = _wall_texture(rng, p[..., 0], p[..., 1], WALLS[wall])
    flo = _floor_texture(rng, p[..., 0], p[..., 2], FLOORS[floor])
    dist_fade = 1.0 / (1.0 + 0.04 * np.maximum(t - 3.0, 0.0))
    img = np.where(on_floor[..., None], flo, wall * (0.92 + 0.08 * np.clip(p[..., 1:2], 0, 1)))
    img = img * dist_fade[..., None]
    img += rng.normal(0.0, 0.008, img.shape)
    fx = np.where(on_floor, p[..., 0], np.nan)
    fz = np.where(on_floor, p[..., 2], np.nan)
    return Backdrop(np.clip(img, 0, 1), fx, fz)


def shadow_factor(backdrop: Backdrop, points: np.ndarray, radii: np.ndarray, box) -> np.ndarray:
    """Multiplicative floor darkening in pixel window ``box`` from body points (K, 3) with
    girth ``radii`` (K,), cast along the key light onto y = 0 as soft blobs."""
    from .render import KEY_LIGHT

    fx, fz = backdrop.floor_x[box], backdrop.floor_z[box]
    occ = np.zeros(fx.shape)
    height = np.maximum(points[:, 1], 0.0)
    ground = points - height[:, None] * KEY_LIGHT / KEY_LIGHT[1]
    sigma = radii + 0.12 * height
    weight = 0.7 * np.exp(-height / 0.9)
    for g, s, w in zip(ground, sigma, weight, strict=True):
        occ += w * np.exp(-((fx - g[0]) ** 2 + (fz - g[2]) ** 2) / (2 * s * s))
    occ = np.nan_to_num(occ, nan=0.0)
    return 1.0 - 0.55 * np.clip(occ, 0.0, 1.0)


def finish(img: np.ndarray) -> np.ndarray:
    """Float RGB -> uint8 with a slight optical blur (anti-aliasing of hard edges)."""
    out = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.7)
    return (np.clip(out, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
