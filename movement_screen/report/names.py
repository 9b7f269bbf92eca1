"""Words and small tables the report, plots and annotated video share: data, not code.

Metric names and one-line explanations are written for a coach or an athlete;
angle columns and sign conventions are those of `movement_screen.kinematics`.
"""

from __future__ import annotations

from dataclasses import dataclass

from movement_screen import movements, seen
from movement_screen.core import Movement, View


@dataclass(frozen=True)
class MetricText:
    name: str  # plain name
    explain: str  # one line: what it is, where it is taken
    ways: tuple[str, str] = ("", "")  # which way a + and a - value point, in words (""
    # where the name says it: a pelvic drop of 6.8° needs no 'dropped', -2.1° is 'raised')


# Why an angle can be undefined at the moment a metric is read from it, in words.
UNREAD: dict[str, str] = {
    "knee_fppa": (
        "the thigh points toward the camera there, so the knee's angle in the picture says "
        "little; knee caving reads best in a shallower knee bend, filmed square on from knee "
        "height"
    ),
}

METRICS: dict[str, MetricText] = {
    # sprint (side view), per stride
    "peak_thigh_angle": MetricText(
        "Knee drive", "Thigh from straight down at the top of the knee drive; 90° = thigh level."
    ),
    "peak_knee_height": MetricText(
        "Knee height", "Highest knee point above the hip, in leg lengths; above 0 = over the hip."
    ),
    "hip_extension_toe_off": MetricText(
        "Hip extension at push-off",
        "How far the thigh is behind vertical as the foot leaves.",
        ("", "in front"),
    ),
    "trunk_lean_mean": MetricText(
        "Trunk lean",
        "Forward lean of the trunk from vertical, averaged over each stride.",
        ("forward", "back"),
    ),
    "trunk_lean_foot_strike": MetricText(
        "Trunk lean at landing",
        "Forward lean of the trunk from vertical as the foot lands.",
        ("forward", "back"),
    ),
    # lunge, side view, at the bottom of each rep
    "trunk_lean_bottom": MetricText(
        "Trunk lean at the bottom",
        "Forward lean of the trunk from vertical at the lowest point.",
        ("forward", "back"),
    ),
    "front_knee_flexion_bottom": MetricText(
        "Front knee bend", "Bend of the front knee at the lowest point; 0° = straight leg."
    ),
    "trail_hip_extension_bottom": MetricText(
        "Back hip opening",
        "Back thigh behind the trunk line at the lowest point; + = hip open.",
        ("", "flexed"),
    ),
    # lunge, front view, at the bottom of each rep
    "pelvic_drop_bottom": MetricText(
        "Pelvic drop",
        "How far the pelvis drops on the side of the back (or lifted) leg, from standing to the "
        "bottom.",
        ("", "raised"),
    ),
    "trunk_lean_frontal_bottom": MetricText(
        "Sideways trunk lean", "Trunk lean to either side at the lowest point."
    ),
    # single-leg squat, at the bottom of each rep (pelvic drop and sideways lean as above)
    "stance_knee_fppa_bottom": MetricText(
        "Standing knee caving in",
        "Knee angle seen from the front (FPPA); + = knee moving inward.",
        ("", "outward"),
    ),
    "squat_depth": MetricText(
        "Depth", "How far the hips go down from standing to the bottom, in leg lengths."
    ),
    "stance_knee_flexion_bottom": MetricText(
        "Standing knee bend", "Bend of the standing knee at the lowest point; 0° = straight leg."
    ),
    # hip hinge (side view), at the deepest point of each rep
    "peak_hip_flexion": MetricText(
        "Hip bend", "Thigh against the trunk line at the deepest point (mean of both legs)."
    ),
    "trunk_lean_deepest": MetricText(
        "Trunk tilt", "Trunk from vertical at the deepest point; 90° = trunk level."
    ),
    "knee_flexion_deepest": MetricText(
        "Knee bend", "Knee bend at the deepest point (mean of both legs); 0° = straight."
    ),
}

# Angle columns (kinematics.COLUMNS) -> a plain name, and a short tag for the video.
ANGLES: dict[str, tuple[str, str]] = {
    "trunk_lean": ("Trunk lean (+ forward)", "trunk"),
    "thigh_angle": ("Thigh angle (+ in front of the hip)", "thigh"),
    "hip_flexion": ("Hip flexion", "hip"),
    "knee_flexion": ("Knee flexion", "knee"),
    "knee_height": ("Knee height (leg lengths)", "knee ht"),
    "pelvic_obliquity": ("Pelvic obliquity (+ left hip higher)", "pelvis"),
    "trunk_lean_frontal": ("Sideways trunk lean (+ to the left)", "trunk"),
    "knee_fppa": ("Knee angle from the front (+ caving in)", "knee"),
}

# Which way a signed angle points, for the video's short labels: (positive, negative).
WAYS = {
    "trunk_lean": ("forward", "back"),
    "thigh_angle": ("in front", "behind"),
    "hip_flexion": ("flexed", "extended"),
    "pelvic_obliquity": ("left up", "right up"),
    "trunk_lean_frontal": ("to the left", "to the right"),
    "knee_fppa": ("inward", "outward"),
}

# An event's key moments (`core.Event.moments`), in words.
MOMENTS = {
    "toe_off": "push-off",
    "peak_knee_drive": "peak knee drive",
    "foot_strike": "landing",
    "bottom": "bottom",
    "deepest": "deepest point",
}
KINDS = {"median": "typical", "asymmetry": "left minus right", "drift": "last minus first"}
STATUS = {"ok": "OK", "watch": "Watch", "flag": "Flag"}
RANK = {"flag": 0, "watch": 1, "ok": 2}  # severities, worst first
AREAS = {"mobility": "Mobility", "strength": "Strength", "load": "Load", "technique": "Technique"}
WHY_LIMITS = (
    "Why these limits: they come from guidance for athletes managing hip-flexor (iliopsoas) "
    "pain, and flag what loads the hip flexors: a knee driven high, a hip that does not open "
    "behind, a pelvis that drops, a trunk that folds. For an athlete without hip pain they "
    "are a cautious screen, not a rule. Each limit names its source in the protocol; the "
    "cues and the plan are screening advice to agree with a coach or clinician, not a "
    "diagnosis."
)


def score_text(value: float | None) -> str:
    """A 0-10 score (pain, RPE) as people write it ('3', '6.5'); empty when not given."""
    return "" if value is None else f"{value:g}"


def plan_items(cue: dict) -> list[str]:
    """'Mobility: ...' lines of the plan behind one cue of report.json."""
    return [f"{AREAS.get(w['area'], w['area'])}: {w['text']}" for w in cue.get("work_on", [])]


STATUS_MEANING = {
    "ok": "inside the screening limits",
    "watch": "past the watch line: keep an eye on it",
    "flag": "past the flag line: work on it",
}
# Data quality lines: label, then a format of report.json's "quality" fields.
QUALITY_FACTS = (
    ("Athlete found in", "{found_share:.0%} of frames"),
    ("Frames with a short gap filled", "{filled_share:.0%} of tracked frames"),
    ("Leg swaps undone", "{leg_swap_frames} frames"),
    ("Spikes removed", "{spikes_removed}"),
    ("Far leg trusted", "{far_leg_trusted_share:.0%} of tracked frames"),
    ("Athlete's height", "{athlete_height_share:.0%} of the frame"),
    ("Smoothing", "{cutoff_hz:g} Hz low-pass"),
)
VERDICTS = ("within noise", "improved", "declined", "changed")

# The colour of each side, everywhere (report, history plots, video): left orange, right blue;
# None (both legs, or no side) is dark grey on paper.
SIDE_COLOURS: dict[str | None, str] = {"left": "#e8820c", "right": "#1f8fd6", None: "#333333"}


def rgb(colour: str) -> tuple[int, int, int]:
    """'#e8820c' -> (232, 130, 12)."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


# Where an angle is written on the video: at a joint of its side, or a body midpoint.
ANCHOR: dict[str, str] = {
    "thigh_angle": "knee",
    "knee_flexion": "knee",
    "knee_fppa": "knee",
    "knee_height": "knee",
    "hip_flexion": "hip",
    "trunk_lean": "shoulders",
    "trunk_lean_frontal": "shoulders",
    "pelvic_obliquity": "hips",
}

# The angles plotted and written on the video when no movement was recognised, per view
# (a movement's own are in its definition, `movements`).
DEFAULT_PANELS: dict[str, tuple[str, ...]] = {
    "side": ("trunk_lean", "knee_flexion", "hip_flexion"),
    "front": ("pelvic_obliquity", "knee_fppa", "trunk_lean_frontal"),
}
SIDED = {"thigh_angle", "hip_flexion", "knee_flexion", "knee_height", "knee_fppa"}


def _spec(movement: str | None) -> movements.MovementSpec | None:
    return movements.get(Movement(movement)) if movement else None


def panels(movement: str | None, view: str) -> tuple[str, ...]:
    """The angle base names shown for a movement in a view (the view's defaults if unknown)."""
    spec = _spec(movement)
    return (spec.panels.get(View(view)) if spec else None) or DEFAULT_PANELS[view]


def counted(n: int, noun: str) -> str:
    """'1 frame', '12 frames'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def quality_facts(quality: dict) -> list[tuple[str, str]]:
    """(what, value) rows of data quality, in words, from report.json's `quality`."""
    facts = [(k, v.format(**quality)) for k, v in QUALITY_FACTS]
    doubt = quality.get("legs_in_doubt_frames", 0)
    if doubt:
        unmeasured = f"{counted(doubt, 'frame')}, not measured"
        facts.append(("Left and right legs not told apart", unmeasured))
    passing = quality.get("passing_s", 0.0)
    if passing:
        facts.append(("Someone passing close", f"{passing:.1f} s, not measured"))
    posed = quality.get("posed_share", 1.0)
    if posed < 1.0:  # a fast clip: pose on every few frames, as often as the movement needs
        facts.append(("Pose run on", f"{posed:.0%} of frames; the others filled in by the filter"))
    pelvis = quality.get("pelvis")
    if pelvis:
        seen = f"the waistband line seen in {pelvis['seen_share']:.0%} of frames"
        facts.append(("Pelvis", seen + ("" if pelvis["measured"] else ": too few, not measured")))
    return facts


def movement_word(
    movement: str | None, looks: str | None = None, guessed: str | None = None
) -> str:
    """'Single-leg squat', 'Sprint' ...; 'not recognised' for none, or what it looks like
    instead ('not screened: looks like walking'; `looks` a `seen` activity's key), or the
    movement recognised in a clip with no stride or rep of it (`guessed`)."""
    spec, guess = _spec(movement), _spec(guessed)
    if spec:
        return spec.button
    if looks:
        return f"not screened: looks like {seen.ACTIVITIES[looks].noun}"
    if guess:
        return f"not screened: looks like {guess.noun}, with no complete {guess.unit}"
    return "not recognised"


def event_word(movement: str | None) -> str:
    """'stride' or 'rep'."""
    spec = _spec(movement)
    return spec.unit if spec else "rep"


def event_leg_only(movement: str | None) -> frozenset[str]:
    """Angle base names shown for each event's own leg only."""
    spec = _spec(movement)
    return spec.event_leg_only if spec else frozenset()


def columns(base: str) -> tuple[str, ...]:
    """The angle columns of one base name: (`x_left`, `x_right`) or (`x`,)."""
    return (f"{base}_left", f"{base}_right") if base in SIDED else (base,)


def metric_name(metric: str) -> str:
    return METRICS[metric].name if metric in METRICS else metric.replace("_", " ")


def metric_explain(metric: str) -> str:
    return METRICS[metric].explain if metric in METRICS else ""


def angle_name(base: str) -> str:
    return ANGLES.get(base, (base.replace("_", " "), base))[0]


def angle_tag(base: str) -> str:
    return ANGLES.get(base, (base, base.replace("_", " ")))[1]


def video_label(base: str, value: float) -> str:
    """'trunk forward 12°', 'thigh behind 8°', 'knee 40°', 'knee ht 0.45': a joint's label
    on the video, a signed angle said by which way it points (the degree sign last: the
    video draws it)."""
    if base == "knee_height":
        return f"{angle_tag(base)} {value:.2f}"
    shown = round(value)
    way = WAYS.get(base, ("", ""))[0 if shown > 0 else 1] if shown else ""
    number = f"{abs(shown) if base in WAYS else shown}°"
    return " ".join(part for part in (angle_tag(base), way, number) if part)


def side_word(movement: str | None, side: str | None) -> str:
    """'left leg', 'right leg in front', 'both legs', 'left minus right' ..."""
    if side == "left-right":
        return "left minus right"
    if side is None:
        return "both legs"
    spec = _spec(movement)
    return spec.sides.get(side, side) if spec else side


def moment_word(moment: str) -> str:
    return MOMENTS.get(moment, moment.replace("_", " "))


def metric_value(metric: str, value: float | None, unit: str) -> str:
    """A metric's own value (not a difference), a signed one said by which way it points:
    '4.3° back', '2.1° raised', '6.8°' (a pelvic drop), '102.6°'."""
    ways = METRICS[metric].ways if metric in METRICS else ("", "")
    shown = value_text(value, unit)
    if shown in ("–", value_text(0.0, unit)):
        return shown
    way = ways[0 if value > 0 else 1]
    return f"{value_text(abs(value), unit)} {way}" if way else shown


def value_text(value: float | None, unit: str, *, signed: bool = False, short: bool = False) -> str:
    """'102.6°', '+3.1°', '0.12 leg lengths' ('80°' if `short`); '–' when not measured."""
    if value is None or value != value:
        return "–"
    value = round(value, 2 if unit == "ratio" else 1) + 0.0  # no "-0.0"
    digits = "g" if short else (".2f" if unit == "ratio" else ".1f")
    number = f"{value:{'+' if signed else ''}{digits}}"
    return {"deg": f"{number}°", "ratio": f"{number} leg lengths"}.get(unit, f"{number} {unit}")
