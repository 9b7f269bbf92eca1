"""The figure's shape: round cones and ellipsoids placed on one frame of joint centres."""

from __future__ import annotations

import numpy as np

from .render import Cone, Ellipsoid
from .skeleton import SIDES, Build

WAISTBAND = (0.93, 0.93, 0.9)
PALETTES = {
    "red_black": {
        "shirt": (0.78, 0.12, 0.12),
        "shorts": (0.08, 0.08, 0.1),
        "shoe": (0.92, 0.92, 0.9),
    },
    "navy_grey": {"shirt": (0.12, 0.2, 0.5), "shorts": (0.45, 0.45, 0.47), "shoe": (0.1, 0.1, 0.1)},
    "green_navy": {"shirt": (0.1, 0.55, 0.3), "shorts": (0.08, 0.1, 0.3), "shoe": (0.95, 0.5, 0.1)},
    "yellow_black": {
        "shirt": (0.92, 0.75, 0.1),
        "shorts": (0.1, 0.1, 0.1),
        "shoe": (0.2, 0.4, 0.9),
    },
    "white_blue": {"shirt": (0.9, 0.9, 0.88), "shorts": (0.1, 0.25, 0.65), "shoe": (0.8, 0.1, 0.1)},
    "orange_grey": {
        "shirt": (0.95, 0.45, 0.1),
        "shorts": (0.3, 0.3, 0.32),
        "shoe": (0.9, 0.9, 0.9),
    },
}
SKINS = {
    "light": (0.93, 0.75, 0.62),
    "medium": (0.78, 0.56, 0.4),
    "tan": (0.68, 0.47, 0.32),
    "dark": (0.45, 0.3, 0.2),
}
HAIR = (0.12, 0.09, 0.07)
SOCK = (0.95, 0.95, 0.95)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _frame(lateral: np.ndarray, up: np.ndarray) -> np.ndarray:
    """(3, 3) orthonormal axes as columns: lateral, up (orthogonalised), their cross product."""
    x = _unit(lateral)
    y = _unit(up - (up @ x) * x)
    return np.stack([x, y, np.cross(x, y)], axis=1)


def _torso(j: dict, b: Build, col: dict) -> list:
    s, w = b.height / 1.75, b.width
    t = j["trunk_dir"]
    hips = _frame(j["left_hip"] - j["right_hip"], t)
    chest = _frame(j["left_shoulder"] - j["right_shoulder"], t)
    head_c = j["head"]
    back = -j["trunk_fwd"]
    return [
        Ellipsoid(
            j["pelvis"] + 0.03 * s * t,
            hips,
            np.array([0.175 * w, 0.13, 0.13 * w]) * s,
            col["shorts"],
        ),
        # A waistband in a contrasting colour: real shorts show pelvic tilt at the belt line.
        # A loose top hangs from the shoulders over it, level whatever the pelvis does.
        Ellipsoid(
            j["pelvis"] + 0.1 * s * t,
            hips,
            np.array([0.18 * w, 0.025, 0.135 * w]) * s,
            WAISTBAND,
        )
        if col.get("top") != "loose"
        else Ellipsoid(
            j["pelvis"] + 0.06 * s * t,
            _frame(j["left_shoulder"] - j["right_shoulder"], t),
            np.array([0.2 * w, 0.16, 0.15 * w]) * s,
            col["shirt"],
        ),
        Ellipsoid(
            j["pelvis"] + 0.22 * b.trunk * t + 0.05 * s * t,
            hips,
            np.array([0.15 * w, 0.17, 0.125 * w]) * s,
            col["shirt"],
        ),
        Ellipsoid(
            j["shoulder_mid"] - 0.17 * s * t,
            chest,
            np.array([0.17 * w, 0.2, 0.13 * w]) * s,
            col["shirt"],
        ),
        Cone(
            j["shoulder_mid"] - 0.03 * s * t,
            head_c,
            b.radius("neck"),
            0.9 * b.radius("neck"),
            [(1.0, col["skin"])],
        ),
        Ellipsoid(head_c, chest, np.array([0.078, 0.11, 0.095]) * s, col["skin"]),
        Ellipsoid(
            head_c + 0.02 * s * t + 0.02 * s * back, chest, np.array([0.082, 0.1, 0.09]) * s, HAIR
        ),
    ]


def _face(j: dict, b: Build, skin) -> list:
    """Eyes, nose and mouth on the front of the head (helps tell front from back)."""
    s = b.height / 1.75
    t, f = j["trunk_dir"], j["trunk_fwd"]
    lat = _unit(j["left_shoulder"] - j["right_shoulder"])
    axes = _frame(lat, t)
    c = j["head"]
    dark, lips = (0.08, 0.06, 0.06), (0.45, 0.18, 0.18)
    eye = np.full(3, 0.012 * s)
    prims = [
        Ellipsoid(c + s * (0.03 * e * lat + 0.02 * t + 0.08 * f), axes, eye, dark) for e in (-1, 1)
    ]
    prims.append(
        Ellipsoid(j["nose"] - 0.012 * s * f, axes, np.array([0.012, 0.02, 0.015]) * s, skin)
    )
    prims.append(
        Ellipsoid(c + s * (-0.045 * t + 0.083 * f), axes, np.array([0.022, 0.006, 0.008]) * s, lips)
    )
    return prims


def _limbs(j: dict, b: Build, side: str, col: dict, shade: float) -> list:
    lg = b.lengths
    p = {k[len(side) + 1 :]: v for k, v in j.items() if k.startswith(side + "_")}
    skin = col["skin"]
    sock = (0.15, 0.15, 0.17) if np.mean(col["shoe"]) > 0.7 else SOCK
    return [
        Cone(
            p["shoulder"],
            p["elbow"],
            b.radius("arm0"),
            b.radius("arm1"),
            [(0.4, col["shirt"]), (1.0, skin)],
            shade,
        ),
        Cone(p["elbow"], p["wrist"], b.radius("arm1"), b.radius("fore1"), [(1.0, skin)], shade),
        Ellipsoid(p["hand"], np.eye(3), np.full(3, b.radius("hand")), skin, shade),
        Cone(
            p["hip"],
            p["knee"],
            b.radius("thigh0"),
            b.radius("thigh1"),
            [(0.5, col["shorts"]), (1.0, skin)],
            shade,
        ),
        Cone(
            p["knee"],
            p["ankle"],
            b.radius("shank0"),
            b.radius("shank1"),
            [(0.8, skin), (1.0, sock)],
            shade,
        ),
        Cone(p["heel_c"], p["toe_c"], lg["heel_r"], lg["toe_r"], [(1.0, col["shoe"])], shade),
        _shoe(p["heel_c"], p["toe_c"], j["left_hip"] - j["right_hip"], b, col["shoe"], shade),
    ]


def _shoe(heel_c, toe_c, lateral, b: Build, rgb, shade: float) -> Ellipsoid:
    """The shoe's wide sole part: a flat ellipsoid from heel to toe, as wide as a real shoe."""
    lg = b.lengths
    along = toe_c - heel_c
    half = np.linalg.norm(along) / 2.0 + 0.5 * (lg["heel_r"] + lg["toe_r"])
    axes = _frame(lateral, np.cross(along, lateral))
    axes = np.stack([axes[:, 2], axes[:, 1], axes[:, 0]], axis=1)  # along, up, lateral
    if axes[:, 0] @ along < 0:
        axes[:, 0] *= -1.0
    if axes[1, 1] < 0:
        axes[:, 1] *= -1.0
    radii = np.array([half, 0.85 * lg["toe_r"], 0.048 * b.height / 1.75])
    centre = 0.5 * (heel_c + toe_c) - (0.5 * (lg["heel_r"] + lg["toe_r"]) - radii[1]) * axes[:, 1]
    return Ellipsoid(centre, axes, radii, rgb, shade)


def figure(j: dict[str, np.ndarray], build: Build, colours: dict, far_side: str | None) -> list:
    """Primitives for one frame of world joints {name: (3,)}; ``colours`` has skin, shirt,
    shorts, shoe, and optionally ``top`` = "loose" (a top hiding the waist). The limbs on
    ``far_side`` (side view) are shaded darker."""
    prims = _torso(j, build, colours) + _face(j, build, colours["skin"])
    for side in SIDES:
        prims += _limbs(j, build, side, colours, 0.78 if side == far_side else 1.0)
    return prims


def shadow_points(j: dict[str, np.ndarray], build: Build) -> tuple[np.ndarray, np.ndarray]:
    """Points (K, 3) and girth radii (K,) that cast the floor shadow."""
    pts, rad = [j["pelvis"], j["shoulder_mid"], j["head"]], [0.15, 0.16, 0.09]
    for side in SIDES:
        for a, c, r in (("hip", "knee", 0.07), ("knee", "ankle", 0.05), ("heel_c", "toe_c", 0.04)):
            pa, pc = j[f"{side}_{a}"], j[f"{side}_{c}"]
            pts += [pa, 0.5 * (pa + pc), pc]
            rad += [r, r, r]
        pts += [j[f"{side}_elbow"], j[f"{side}_hand"]]
        rad += [0.04, 0.04]
    return np.array(pts), np.array(rad) * build.height / 1.75
