"""The clip catalogue: what each synthetic clip shows and which coaching cues it should raise.

``SAMPLES`` are committed to ``sample_videos/``; ``FULL`` adds variations (build, facing,
camera distance, clothing, backdrop, frame rate) for the accuracy benchmark.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from .skeleton import Build

CUES = ("reduce_knee_drive", "stay_tall", "keep_pelvis_level", "knee_over_foot", "hinge_from_hips")

EXPECTED_CUES: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("sprint", "none", "side"): (),
    ("sprint", "knee_drive", "side"): ("reduce_knee_drive",),
    ("sprint", "trunk_lean", "side"): ("stay_tall",),
    ("lunge", "none", "side"): (),
    ("lunge", "trunk_lean", "side"): ("stay_tall",),
    ("lunge", "none", "front"): (),
    ("lunge", "valgus", "front"): ("keep_pelvis_level", "knee_over_foot", "stay_tall"),
    ("hinge", "none", "side"): (),
    ("hinge", "squat", "side"): ("hinge_from_hips",),
    ("sprint", "asymmetry", "side"): ("even_sides",),
    ("sprint", "drift", "side"): ("hold_form_when_tired",),
    ("single_leg_squat", "none", "front"): (),
    ("single_leg_squat", "drop", "front"): ("keep_pelvis_level", "knee_over_foot", "stay_tall"),
}
MOVEMENT_OF = {
    "sprint": "sprint",
    "jog": "sprint",
    "lunge": "lunge",
    "hinge": "hinge",
    "single_leg_squat": "single_leg_squat",
}


@dataclass(frozen=True)
class ClipSpec:
    """One synthetic clip. ``facing``: 'right'/'left' (side view) or 'camera' (front view);
    ``fill``: fraction of the frame height the standing figure spans (sets camera distance);
    ``vfov``: vertical field of view (degrees; narrower = camera farther, less perspective);
    ``motion_args``: extra keyword arguments of the motion function (e.g. the lunge's lead leg).
    """

    name: str
    motion: str
    fault: str
    view: str
    facing: str
    build: Build = Build()
    palette: str = "red_black"
    skin: str = "light"
    wall: str = "grey"
    floor: str = "wood"
    fill: float = 0.7
    cam_height: float = 1.0
    vfov: float = 50.0
    fps: int = 30
    duration: float = 3.0
    width: int = 960
    height: int = 540
    seed: int = 0
    motion_args: tuple[tuple[str, object], ...] = ()
    sets: tuple[str, ...] = field(default=("full",))
    yaw: float = 0.0  # degrees the athlete is turned from square to the camera
    roll: float = 0.0  # degrees the camera is turned about its axis (+: picture clockwise)
    others: tuple = ()  # `crowd.Bystander`s: other people in view
    top: str = "fitted"  # "loose": a top that hides the waistband

    @property
    def expected_cues(self) -> tuple[str, ...]:
        return EXPECTED_CUES.get((self.motion, self.fault, self.view), ())

    @property
    def expected_movement(self) -> str | None:
        """The movement the engine should recognise; None: none of the screened ones."""
        return MOVEMENT_OF.get(self.motion)

    @property
    def n_frames(self) -> int:
        return int(round(self.duration * self.fps))

    def as_dict(self) -> dict:
        d = asdict(self)
        d["motion_args"] = dict(self.motion_args)
        d["expected_cues"] = list(self.expected_cues)
        d["expected_movement"] = self.expected_movement
        d["n_frames"] = self.n_frames
        return d


_S = ("samples", "full")
SAMPLES: tuple[ClipSpec, ...] = (
    ClipSpec(
        "sprint_side_clean",
        "sprint",
        "none",
        "side",
        "right",
        Build(1.78),
        "red_black",
        "light",
        fps=60,
        duration=2.0,
        seed=1,
        sets=_S,
    ),
    ClipSpec(
        "sprint_side_knee_drive",
        "sprint",
        "knee_drive",
        "side",
        "left",
        Build(1.70, width=1.05),
        "navy_grey",
        "medium",
        wall="beige",
        seed=2,
        sets=_S,
    ),
    ClipSpec(
        "sprint_side_trunk_lean",
        "sprint",
        "trunk_lean",
        "side",
        "right",
        Build(1.84, leg=1.03, width=0.95),
        "yellow_black",
        "dark",
        wall="blue",
        floor="rubber",
        seed=3,
        sets=_S,
    ),
    ClipSpec(
        "lunge_side_clean",
        "lunge",
        "none",
        "side",
        "left",
        Build(1.74),
        "green_navy",
        "tan",
        duration=4.2,
        seed=4,
        motion_args=(("lead", "left"),),
        sets=_S,
    ),
    ClipSpec(
        "lunge_side_trunk_lean",
        "lunge",
        "trunk_lean",
        "side",
        "right",
        Build(1.68, width=1.1),
        "white_blue",
        "light",
        wall="green",
        duration=4.2,
        seed=5,
        motion_args=(("lead", "right"),),
        sets=_S,
    ),
    ClipSpec(
        "lunge_front_clean",
        "lunge",
        "none",
        "front",
        "camera",
        Build(1.80),
        "orange_grey",
        "medium",
        wall="beige",
        floor="light_wood",
        fill=0.72,
        cam_height=0.75,
        vfov=40.0,
        duration=4.2,
        seed=6,
        motion_args=(("lead", "left"),),
        sets=_S,
    ),
    ClipSpec(
        "lunge_front_valgus",
        "lunge",
        "valgus",
        "front",
        "camera",
        Build(1.66, width=1.08),
        "red_black",
        "dark",
        fill=0.72,
        cam_height=0.75,
        vfov=40.0,
        duration=4.2,
        seed=7,
        motion_args=(("lead", "right"),),
        sets=_S,
    ),
    ClipSpec(
        "hinge_side_clean",
        "hinge",
        "none",
        "side",
        "right",
        Build(1.76),
        "navy_grey",
        "tan",
        wall="blue",
        duration=4.8,
        seed=8,
        sets=_S,
    ),
    ClipSpec(
        "hinge_side_squat",
        "hinge",
        "squat",
        "side",
        "left",
        Build(1.82, width=0.95),
        "green_navy",
        "light",
        floor="rubber",
        duration=4.8,
        seed=9,
        sets=_S,
    ),
    ClipSpec(
        "single_leg_squat_front_drop",
        "single_leg_squat",
        "drop",
        "front",
        "camera",
        Build(1.70, width=1.0),
        "white_blue",
        "medium",
        wall="beige",
        fill=0.72,
        cam_height=0.9,
        vfov=40.0,
        duration=7.0,
        seed=10,
        motion_args=(("stance", "left"),),
        sets=_S,
    ),
)

_BUILDS = (Build(1.62, leg=0.97, width=1.12), Build(1.90, leg=1.04, width=0.92), Build(1.72))
_PALETTES = ("yellow_black", "white_blue", "orange_grey")
_SKINS = ("dark", "light", "medium")
_WALLS = ("green", "grey", "beige")
_FLOORS = ("light_wood", "rubber", "wood")
_FILLS = (0.58, 0.66, 0.8)
_FLIP = {"right": "left", "left": "right", "camera": "camera"}


def _variant(base: ClipSpec, k: int) -> ClipSpec:
    """Variation ``k`` (0-2) of a sample clip: other build, clothes, backdrop and distance;
    side views flip facing in variants 0 and 2, lunges switch the lead leg in variant 1."""
    args = dict(base.motion_args)
    if "lead" in args and k == 1:
        args["lead"] = "right" if args["lead"] == "left" else "left"
    sprint60 = base.motion == "sprint" and k == 1
    return replace(
        base,
        name=f"{base.name}_v{k + 1}",
        facing=base.facing if k == 1 else _FLIP[base.facing],
        build=_BUILDS[k],
        palette=_PALETTES[k],
        skin=_SKINS[k],
        wall=_WALLS[k],
        floor=_FLOORS[k],
        fill=_FILLS[k],
        cam_height=(0.8, 1.0, 1.2)[k],
        fps=60 if sprint60 else 30,
        duration=2.0 if sprint60 else base.duration,
        seed=base.seed * 10 + k + 1,
        motion_args=tuple(args.items()),
        sets=("full",),
    )


FULL: tuple[ClipSpec, ...] = SAMPLES + tuple(_variant(c, k) for c in SAMPLES for k in range(3))

CATALOGUE: dict[str, ClipSpec] = {c.name: c for c in FULL}


def clip_set(name: str) -> tuple[ClipSpec, ...]:
    """'samples' or 'full'."""
    return {"samples": SAMPLES, "full": FULL}[name]
