"""Clips drawn at random from a seed, and the `train` and `holdout` sets made of them.

One seed draws a whole clip: the athlete's build, skin and clothes, the wall and floor,
the camera (distance, height, up to 25 degrees off square, up to 3 degrees off level,
either side, portrait or landscape), the frame rate (24-240 a second: a third of the short
sprints and jogs in slow motion) and the motion's own variation (cadence, depth, lean,
knee drive, small differences between the sides). A set cycles through `RECIPES`
(movement, fault, view) so that every kind of clip is in it; `train` and `holdout` draw
from disjoint seed ranges, so nothing tuned on one has seen the other.
"""

from __future__ import annotations

import numpy as np

from .body import PALETTES, SKINS
from .clips import ClipSpec
from .crowd import ROLES, Bystander, draw_bystander
from .scene import FLOORS, WALLS
from .skeleton import Build

RECIPES: tuple[tuple[str, str, str], ...] = (
    ("sprint", "none", "side"),
    ("sprint", "knee_drive", "side"),
    ("sprint", "trunk_lean", "side"),
    ("sprint", "asymmetry", "side"),
    ("sprint", "drift", "side"),
    ("jog", "none", "side"),
    ("lunge", "none", "side"),
    ("lunge", "trunk_lean", "side"),
    ("lunge", "none", "front"),
    ("lunge", "valgus", "front"),
    ("hinge", "none", "side"),
    ("hinge", "squat", "side"),
    ("walk", "none", "side"),
    ("walk", "none", "front"),
    ("stand", "none", "side"),
    ("stand", "none", "front"),
    ("squat", "none", "side"),
    ("squat", "none", "front"),
    ("single_leg", "none", "side"),
    ("single_leg", "none", "front"),
)
CROWD_RECIPES = (  # with one to three other people in view
    ("sprint", "none", "side"),
    ("lunge", "none", "side"),
    ("hinge", "none", "side"),
    ("lunge", "none", "front"),
)
PELVIS_RECIPES = (  # front and back views of lunges: the pelvic obliquity benchmark
    ("lunge", "drop", "front"),  # the trail side drops 7-12 degrees
    ("lunge", "level", "front"),
    ("lunge", "hike", "front"),  # the trail side rises 3-8 degrees
    ("lunge", "side_lean", "front"),  # the trunk sways 6-12 degrees, the pelvis stays level
    ("lunge", "valgus_level", "front"),  # the front knee caves in, the pelvis stays level
    ("lunge", "small_drop", "front"),  # 2-5 degrees
    ("single_leg_squat", "drop", "front"),  # the free side drops 7-12 degrees
    ("single_leg_squat", "level", "front"),  # a level pelvis, some lean or a caving knee
)
SEEDS = {"train": 100_000, "holdout": 900_000}  # first seed of each set: disjoint ranges
SIZES = {"train": 40, "holdout": 60}  # clips per set: 2 and 3 of every recipe
CROWDS = {"train": 48, "holdout": 20}  # clips with other people in view, on top (train:
# more crowded clips to tune the choice of athlete on; none of their seeds is in holdout)
CROWD_SEED = 50_000  # added to a set's first seed for its crowd clips
TRAIN_CROWD = 96  # `train-crowd`: more crowd clips from train seeds, past the set's own
PELVIS_SEED = 70_000  # added to a set's first seed for its pelvis clips
FRONT_SEED = 20_000  # added to the train seeds for `train-front`
TRAIN_FRONT = 48
FRONT_RECIPES = (  # `train-front`: what a lunge from the front must be told from, every
    # camera height drawn (squats twice: they are the nearest, and the sets hold two)
    ("squat", "none", "front"),
    ("lunge", "none", "front"),
    ("single_leg_squat", "level", "front"),
    ("squat", "none", "front"),
    ("lunge", "valgus", "front"),
    ("walk", "none", "front"),
    ("single_leg", "none", "front"),
    ("hinge", "none", "front"),
)
PELVIS_SIZES = {"train": 18, "holdout": 30}
ROLL = 3.0  # degrees: a camera on a tripod or held by hand, a little off level
SLOW_MOTION = (120, 240)  # frames a second: a phone's slow motion, for runs of a few seconds
SLOW_MOTION_LONGEST_S = 5.0
RUNS = ("sprint", "jog")


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 2)


def _sprint(rng, fault: str) -> tuple[dict, float, tuple[int, ...]]:
    args = {
        "peak_thigh": _u(rng, 98, 108) if fault == "knee_drive" else _u(rng, 58, 72),
        "trunk": _u(rng, 24, 30) if fault == "trunk_lean" else _u(rng, 3, 10),
        "stride_hz": _u(rng, 1.8, 2.3),
        "phase0": _u(rng, 0, 1),
    }
    if fault == "asymmetry":
        args["asym"] = _u(rng, 10, 14) * rng.choice([-1, 1])
    if fault == "drift":
        args["trunk_drift"] = _u(rng, 10, 14)
        return args, _u(rng, 12.5, 14), (50, 60)
    return args, _u(rng, 2.5, 4.0), (50, 60, 100)


def _motion(rng: np.random.Generator, motion: str, fault: str) -> tuple[dict, float, tuple]:
    """(motion keyword arguments, duration in s, frame rates to choose from)."""
    side = str(rng.choice(["left", "right"]))
    slow = (24, 25, 30)
    if motion == "sprint":
        return _sprint(rng, fault)
    if motion == "jog":
        args = {"stride_hz": _u(rng, 1.3, 1.6), "peak_thigh": _u(rng, 40, 50)}
        return args | {"trunk": _u(rng, 3, 8)}, _u(rng, 3.0, 4.5), (30, 50, 60)
    if motion == "lunge":
        trunk = _u(rng, 24, 30) if fault == "trunk_lean" else _u(rng, 0, 6)
        args = {"lead": side, "trunk": trunk, "period": _u(rng, 1.3, 1.9)}
        return args | _lunge_frontal(rng, fault), _u(rng, 4, 5.5), slow
    if motion == "single_leg_squat":
        args = {"stance": side, "knee": _u(rng, 45, 75), "trunk": _u(rng, 5, 25),
                "period": _u(rng, 1.8, 2.8), "free_thigh": _u(rng, 30, 45)}  # fmt: skip
        return args | _lunge_frontal(rng, fault), _u(rng, 6, 9), slow
    if motion == "hinge":
        if fault == "squat":
            args = {"knee": _u(rng, 75, 85), "shank": -28.0, "trunk": _u(rng, 38, 44)}
        else:
            args = {"knee": _u(rng, 10, 25), "trunk": _u(rng, 60, 78)}
        return args | {"period": _u(rng, 1.5, 2.2)}, _u(rng, 4.5, 6), slow
    return _other(rng, motion, side), _u(rng, 3.5, 5), slow


def _lunge_frontal(rng: np.random.Generator, fault: str) -> dict:
    """Frontal-plane faults of a lunge (`lunge.Frontal`) or a single-leg squat for a fault
    name: the free or trail side's pelvic drop, adduction of the standing or front hip, and
    sideways trunk lean."""
    level = {"drop": _u(rng, -0.5, 0.5), "adduction": _u(rng, 0, 2), "lean": _u(rng, -1, 1)}
    drawn = {
        "valgus": {"valgus": True},
        "drop": level | {"drop": _u(rng, 7, 12), "adduction": _u(rng, 0, 5)},
        "small_drop": level | {"drop": _u(rng, 2, 5)},
        "hike": level | {"drop": -_u(rng, 3, 8)},
        "side_lean": level | {"lean": _u(rng, 6, 12) * float(rng.choice([-1, 1]))},
        "valgus_level": level | {"adduction": _u(rng, 5, 9)},
        "level": level,
    }
    return drawn.get(fault, {})


def _other(rng: np.random.Generator, motion: str, side: str) -> dict:
    if motion == "walk":
        return {"stride_hz": _u(rng, 0.8, 1.0), "stride": _u(rng, 30, 40)}
    if motion == "stand":
        return {"sway": _u(rng, 1.0, 2.5)}
    if motion == "squat":
        return {"knee": _u(rng, 105, 125), "shank": -_u(rng, 30, 36), "trunk": _u(rng, 30, 45)}
    return {
        "stance": side,
        "free_thigh": _u(rng, 30, 55),
        "free_knee": _u(rng, 70, 95),
        "reach": _u(rng, 8, 20),
    }


def _look(rng: np.random.Generator) -> dict:
    """The athlete's build and clothes, the backdrop."""
    build = Build(_u(rng, 1.55, 1.95), leg=_u(rng, 0.95, 1.05), width=_u(rng, 0.88, 1.2))
    return {
        "build": build,
        "palette": str(rng.choice(sorted(PALETTES))),
        "skin": str(rng.choice(sorted(SKINS))),
        "wall": str(rng.choice(sorted(WALLS))),
        "floor": str(rng.choice(sorted(FLOORS))),
    }


LOOK = ("build", "palette", "skin")  # what of `_look` a bystander takes


def _camera(rng: np.random.Generator, view: str) -> dict:
    portrait = rng.uniform() < 0.25
    return {
        "facing": str(rng.choice(["left", "right"])) if view == "side" else "camera",
        "yaw": _u(rng, -25, 25) if rng.uniform() < 0.5 else _u(rng, -5, 5),
        "fill": _u(rng, 0.4, 0.85),
        "cam_height": _u(rng, 0.5, 1.5),
        "vfov": _u(rng, 35, 60),
        "width": 540 if portrait else 960,
        "height": 960 if portrait else 540,
        "roll": _u(rng, -ROLL, ROLL),  # drawn last: the draws before it are as they were
    }


def _crowd(rng: np.random.Generator) -> tuple[Bystander, ...]:
    """One to three other people, each in a role of `crowd.ROLES`, dressed and built anew."""
    roles = rng.choice(ROLES, size=int(rng.integers(1, 4)), replace=True)
    return tuple(
        draw_bystander(rng, str(role), {k: v for k, v in _look(rng).items() if k in LOOK})
        for role in roles
    )


def draw(
    seed: int,
    recipe: tuple[str, str, str],
    *,
    crowd: bool = False,
    dress: tuple[str, str] | None = None,
) -> ClipSpec:
    """One clip of `recipe` (motion, fault, view), everything else drawn from `seed`;
    `crowd` adds other people in view; `dress` = (facing, top) of a pelvis clip: "camera"
    or "away" (filmed from behind), "fitted" or "loose" (a top hiding the waistband)."""
    rng = np.random.default_rng(seed)
    motion, fault, view = recipe
    args, duration, rates = _motion(rng, motion, fault)
    others = _crowd(np.random.default_rng(seed + 1)) if crowd else ()
    label = f"crowd{len(others)}_" if crowd else ""
    extra = {"facing": dress[0], "top": dress[1]} if dress else {}
    label += f"{dress[0]}_{dress[1]}_" if dress else ""
    fps = _filmed_rate(seed, motion, duration, int(rng.choice(rates)))
    return ClipSpec(
        name=f"{motion}_{fault}_{view}_{label}{seed}",
        motion=motion,
        fault=fault,
        view=view,
        fps=fps,
        duration=duration,
        seed=seed,
        motion_args=tuple(sorted(args.items())),
        sets=("drawn",),
        others=others,
        **_look(rng),
        **(_camera(rng, view) | extra),
    )


def _filmed_rate(seed: int, motion: str, duration: float, fps: int) -> int:
    """`fps`, or for a third of the short runs a phone's slow-motion rate (SLOW_MOTION),
    drawn from a stream of the seed's own so that every other draw stays as it was."""
    rng = np.random.default_rng([seed, SLOW_MOTION[-1]])
    if motion in RUNS and duration <= SLOW_MOTION_LONGEST_S and rng.uniform() < 1 / 3:
        return int(rng.choice(SLOW_MOTION))
    return fps


def drawn_set(name: str, size: int | None = None) -> tuple[ClipSpec, ...]:
    """The `train` or `holdout` set: `size` clips cycling through RECIPES, then its crowd
    clips cycling through CROWD_RECIPES (scaled down with `size`); seeds from SEEDS."""
    first, count = SEEDS[name], size or SIZES[name]
    crowds = CROWDS[name] * count // SIZES[name]
    single = [draw(first + i, RECIPES[i % len(RECIPES)]) for i in range(count)]
    seeds = first + CROWD_SEED
    crowded = [draw(seeds + i, CROWD_RECIPES[i % len(CROWD_RECIPES)], crowd=True)
               for i in range(crowds)]  # fmt: skip
    return tuple(single + crowded)


def train_crowd(size: int | None = None) -> tuple[ClipSpec, ...]:
    """`size` more clips with others in view from train seeds (TRAIN_CROWD by default),
    after the `train` set's own, cycling on through CROWD_RECIPES: what the tracking of
    an athlete among others is tuned on beside the set's 48."""
    first = SEEDS["train"] + CROWD_SEED + CROWDS["train"]
    recipes = CROWD_RECIPES
    return tuple(
        draw(first + i, recipes[(CROWDS["train"] + i) % len(recipes)], crowd=True)
        for i in range(TRAIN_CROWD if size is None else size)
    )


def train_front(size: int | None = None) -> tuple[ClipSpec, ...]:
    """`size` one-person front and back views from train seeds (TRAIN_FRONT by default),
    cycling through FRONT_RECIPES: what the front view's recognition is tuned on beside the
    set's own few front squats and lunges."""
    first, recipes = SEEDS["train"] + FRONT_SEED, FRONT_RECIPES
    count = TRAIN_FRONT if size is None else size
    away = ("away", "fitted")  # every other round of the recipes is filmed from behind
    return tuple(
        draw(first + i, recipes[i % len(recipes)], dress=away if i // len(recipes) % 2 else None)
        for i in range(count)
    )


def pelvis_set(name: str, size: int | None = None) -> tuple[ClipSpec, ...]:
    """Front and back views of lunges with and without a pelvic drop (`PELVIS_RECIPES`),
    from the `train` or `holdout` seeds."""
    first, count = SEEDS[name] + PELVIS_SEED, size or PELVIS_SIZES[name]
    recipes = PELVIS_RECIPES
    return tuple(
        draw(first + i, recipes[i % len(recipes)], dress=_dress(i, len(recipes)))
        for i in range(count)
    )


def _dress(i: int, recipes: int) -> tuple[str, str]:
    """Clip i's (facing, top): every other clip from behind (each recipe both ways), every
    fourth in a loose top."""
    facing = "away" if (i + i // recipes) % 2 else "camera"
    return facing, "loose" if i % 4 == 3 else "fitted"
