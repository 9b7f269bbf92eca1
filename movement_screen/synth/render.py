"""Analytic ray casting of round cones and ellipsoids with a z-buffer and Lambert shading.

All rays start at the camera centre, so each primitive only touches the pixels of its projected
bounding box. Colours are float RGB in [0, 1]; arrays are (rows, cols, ...) images.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .camera import Camera

KEY_LIGHT = np.array([-0.4, 0.8, 0.5]) / np.linalg.norm([-0.4, 0.8, 0.5])
FILL_LIGHT = np.array([0.6, 0.2, 0.4]) / np.linalg.norm([0.6, 0.2, 0.4])


@dataclass
class Cone:
    """Round cone (tapered capsule) from ``a`` (radius ``ra``) to ``b`` (radius ``rb``), metres.

    ``bands`` colours it along its axis: [(h_max, rgb), ...] with h in [0, 1] from a to b.
    """

    a: np.ndarray
    b: np.ndarray
    ra: float
    rb: float
    bands: list[tuple[float, tuple[float, float, float]]]
    shade: float = 1.0


@dataclass
class Ellipsoid:
    """Ellipsoid: ``centre`` (3,), ``axes`` (3, 3) with unit local axes as columns, ``radii``."""

    centre: np.ndarray
    axes: np.ndarray
    radii: np.ndarray
    rgb: tuple[float, float, float]
    shade: float = 1.0


def _cone_hits(ro: np.ndarray, rd: np.ndarray, c: Cone) -> tuple[np.ndarray, np.ndarray]:
    """Nearest hit distance (N,) (inf = miss) and unit normals (N, 3) for rays ro + t rd."""
    ba, oa, ob = c.b - c.a, ro - c.a, ro - c.b
    rr = c.ra - c.rb
    m0, m1, m5, m7 = ba @ ba, ba @ oa, oa @ oa, ob @ ob
    m2, m3, m6 = rd @ ba, rd @ oa, rd @ ob
    d2 = m0 - rr * rr
    k2 = d2 - m2 * m2
    k1 = d2 * m3 - m1 * m2 + m2 * rr * c.ra
    k0 = d2 * m5 - m1 * m1 + 2.0 * m1 * rr * c.ra - m0 * c.ra**2
    h = k1 * k1 - k0 * k2
    with np.errstate(invalid="ignore", divide="ignore"):
        tb = (-np.sqrt(h) - k1) / k2
        y = m1 - c.ra * rr + tb * m2
        body = (h >= 0) & (y > 0) & (y < d2) & (tb > 0)
        h1, h2 = m3 * m3 - m5 + c.ra**2, m6 * m6 - m7 + c.rb**2
        t1 = np.where(h1 > 0, -m3 - np.sqrt(h1), np.inf)
        t2 = np.where(h2 > 0, -m6 - np.sqrt(h2), np.inf)
    t1 = np.where(t1 > 0, t1, np.inf)
    t2 = np.where(t2 > 0, t2, np.inf)
    cap = np.minimum(t1, t2)
    t = np.where(body, tb, cap)
    p = ro + np.where(np.isfinite(t), t, 0.0)[:, None] * rd
    n_body = d2 * (p - c.a) - np.outer(y, ba)
    n_cap = np.where((t1 <= t2)[:, None], (p - c.a) / c.ra, (p - c.b) / c.rb)
    n = np.where(body[:, None], n_body, n_cap)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    return t, n


def _ellipsoid_hits(ro: np.ndarray, rd: np.ndarray, e: Ellipsoid):
    """Nearest hit distance (N,) (inf = miss) and unit normals (N, 3)."""
    o = (e.axes.T @ (ro - e.centre)) / e.radii
    d = (rd @ e.axes) / e.radii
    a = np.sum(d * d, axis=1)
    b = d @ o
    disc = b * b - a * (o @ o - 1.0)
    with np.errstate(invalid="ignore"):
        t = (-b - np.sqrt(disc)) / a
    t = np.where((disc >= 0) & (t > 0), t, np.inf)
    local = o + np.where(np.isfinite(t), t, 0.0)[:, None] * d
    n = (local / e.radii) @ e.axes.T
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    return t, n


def _bbox(cam: Camera, centres: np.ndarray, radius: float) -> tuple[slice, slice] | None:
    """Pixel rows/cols slices covering spheres of ``radius`` around ``centres`` (K, 3)."""
    depth = cam.to_camera(centres)[:, 2]
    if np.any(depth <= radius):
        return None
    px = cam.project(centres)
    pad = 1.3 * cam.focal * radius / depth + 3.0
    x0, y0 = np.floor(np.min(px - pad[:, None], axis=0)).astype(int)
    x1, y1 = np.ceil(np.max(px + pad[:, None], axis=0)).astype(int)
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, cam.width), min(y1, cam.height)
    if x0 >= x1 or y0 >= y1:
        return None
    return slice(y0, y1), slice(x0, x1)


def _albedo(prim, ro, rd, t) -> np.ndarray:
    if isinstance(prim, Ellipsoid):
        return np.broadcast_to(np.array(prim.rgb), (len(t), 3))
    p = ro + np.where(np.isfinite(t), t, 0.0)[:, None] * rd
    ba = prim.b - prim.a
    h = np.clip((p - prim.a) @ ba / (ba @ ba), 0.0, 1.0)
    out = np.empty((len(t), 3))
    out[:] = prim.bands[-1][1]
    for h_max, rgb in reversed(prim.bands[:-1]):
        out[h <= h_max] = rgb
    return out


def render_figure(cam: Camera, rays: np.ndarray, prims: list) -> tuple[np.ndarray, np.ndarray]:
    """Shaded figure (H, W, 3) and its coverage mask (H, W) from a list of primitives."""
    depth = np.full((cam.height, cam.width), np.inf)
    colour = np.zeros((cam.height, cam.width, 3))
    ro = np.asarray(cam.position)
    for prim in prims:
        if isinstance(prim, Cone):
            box = _bbox(cam, np.stack([prim.a, prim.b]), max(prim.ra, prim.rb))
        else:
            box = _bbox(cam, prim.centre[None], float(prim.radii.max()))
        if box is None:
            continue
        rd = rays[box].reshape(-1, 3)
        hit = _cone_hits if isinstance(prim, Cone) else _ellipsoid_hits
        t, n = hit(ro, rd, prim)
        zb = depth[box].reshape(-1)
        win = t < zb
        if not np.any(win):
            continue
        rgb = _albedo(prim, ro, rd[win], t[win]) * _light(n[win])[:, None] * prim.shade
        zb[win] = t[win]
        cb = colour[box].reshape(-1, 3)
        cb[win] = rgb
        depth[box], colour[box] = zb.reshape(depth[box].shape), cb.reshape(colour[box].shape)
    return colour, np.isfinite(depth)


def _light(n: np.ndarray) -> np.ndarray:
    """Hemisphere ambient + key + fill Lambert terms for unit normals (N, 3)."""
    amb = 0.3 + 0.12 * n[:, 1]
    key = 0.72 * np.clip(n @ KEY_LIGHT, 0.0, None)
    fill = 0.22 * np.clip(n @ FILL_LIGHT, 0.0, None)
    return amb + key + fill
