"""From a tracked, cleaned clip to a screening: movement, events, measurements, findings, cues."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from movement_screen import both_sides, cues, legs, metrics, movements, rules, seen
from movement_screen.classify import MovementEstimate
from movement_screen.core import (
    Angles,
    AthleteChoice,
    CleanPose,
    Event,
    InputError,
    Measurement,
    Movement,
    VideoInfo,
    View,
)
from movement_screen.cues import Cue
from movement_screen.pelvis import PelvisLine
from movement_screen.quality import Quality
from movement_screen.report import names
from movement_screen.rules import Finding, Protocol
from movement_screen.view import ViewEstimate


@dataclass(frozen=True)
class Screening:
    """Everything a report needs, nothing it has to recompute."""

    info: VideoInfo
    athlete: AthleteChoice
    view: View
    view_estimate: ViewEstimate
    view_given: bool
    movement: Movement | None
    movement_estimate: MovementEstimate
    movement_given: bool
    protocol: Protocol | None
    clean: CleanPose
    angles: Angles
    events: list[Event]
    measurements: list[Measurement]
    findings: list[Finding]
    cues: list[Cue]
    quality: Quality
    notes: list[str]  # plain statements of what could not be measured, and why
    pelvis: PelvisLine | None = None  # the waistband line (front views)
    corrections: tuple[Correction, ...] = ()  # values a person set by hand, in order


@dataclass(frozen=True)
class Correction:
    """One stride's or rep's value of a metric, checked by hand on `frame` and set to `value`
    (the tool had read `tool`)."""

    metric: str
    side: str | None
    rep: int
    frame: int
    tool: float
    value: float


def correct(screening: Screening, fix: Correction) -> Screening:
    """The screening with one event's value set by hand: its medians, differences, drift,
    findings and cues worked out again from the corrected values; `fix` is kept with it."""
    key = (fix.metric, fix.side, fix.rep)
    values = [m for m in screening.measurements if m.kind == "value"]
    if key not in {(m.metric, m.side, m.rep) for m in values} or screening.protocol is None:
        raise InputError(f"no {fix.metric} of {fix.side or 'both legs'} rep {fix.rep} to correct")
    earlier = [c for c in screening.corrections if (c.metric, c.side, c.rep) == key]
    fix = replace(fix, tool=earlier[0].tool) if earlier else fix  # what the tool first read
    values = [replace(m, value=fix.value) if (m.metric, m.side, m.rep) == key else m
              for m in values]  # fmt: skip
    protocol = screening.protocol
    drift = metrics.span_s(screening.angles, screening.events) >= protocol.drift_min_s
    measured = values + metrics.summarise(values, drift=drift)
    findings = rules.judge(protocol, measured)
    before = one_side_note(screening.findings, screening.view, screening.angles.facing)
    notes = [n for n in screening.notes if n not in before]
    return replace(
        screening,
        measurements=measured,
        findings=findings,
        notes=notes + one_side_note(findings, screening.view, screening.angles.facing),
        cues=cues.cues_for(protocol, findings),
        corrections=(*[c for c in screening.corrections if c not in earlier], fix),
    )


def one_side_note(findings: list[Finding], view: View, facing: np.ndarray) -> list[str]:
    """Where a left-right difference is past a line in a side view, that it was read with
    one leg nearer the camera, and how to take the camera's side out (`both_sides`);
    `facing` (T,) +1 where the athlete faces image-right, -1 image-left."""
    near = both_sides.near_leg(view, facing)
    past = any(f.kind == "asymmetry" and f.severity in cues.RANK for f in findings)
    if near is None or not past:
        return []
    return [
        f"the left-right difference was read from one side, with the {near} leg nearer the "
        "camera, which alone can add up to 8°: film the other side too and screen both clips "
        "as one session"
    ]


def not_measured(protocol: Protocol, angles: Angles, found: list[Event]) -> list[str]:
    """Statements for rules whose metric this clip cannot give."""
    notes = []
    spec = movements.get(protocol.movement)
    table = spec.table(angles.view)
    missing = sorted({r.metric for r in protocol.rules if r.metric not in table})
    if missing:
        other = "front" if angles.view is View.SIDE else "side"
        words = [names.metric_name(m).lower() for m in missing]
        notes.append(
            f"not measured in a {angles.view.value} view (needs a {other} view): "
            + ", ".join(words)
        )
    unit = spec.unit
    if not found:
        seconds = float(angles.time[-1] - angles.time[0]) if len(angles.time) else 0.0
        notes.append(f"no complete {unit} of {spec.noun} was found in the {seconds:.1f} s clip")
    elif len(found) == 1:
        notes.append(f"the screen rests on one {unit}: film several to see what is typical")
    seconds = metrics.span_s(angles, found)
    if found and seconds < protocol.drift_min_s and any(r.kind == "drift" for r in protocol.rules):
        notes.append(
            f"fatigue is not judged: the {unit}s span {seconds:.0f} s, and a change of form "
            f"over a set shows only over {protocol.drift_min_s:g} s or more"
        )
    return notes


def unread_notes(
    protocol: Protocol,
    table: dict,
    measured: list[Measurement],
    why_all: str | None = None,
    reasons: dict[str, str] | None = None,
) -> list[str]:
    """Statements for judged metrics this view gives but no rep or stride could be read on,
    where the angle they are read from says why (`reasons` of this clip, else
    `names.UNREAD`), or else `why_all` does (a reason that holds for every event, as
    `passed_at_every`)."""
    reasons = names.UNREAD | (reasons or {})
    judged = dict.fromkeys(r.metric for r in protocol.rules if r.metric in table)
    notes = []
    for metric in judged:
        values = [m.value for m in measured if m.metric == metric and m.kind == "value"]
        why = reasons.get(table[metric].angle or "") or why_all
        if values and why and not any(math.isfinite(v) for v in values):
            unit = movements.get(protocol.movement).unit
            notes.append(f"{names.metric_name(metric).lower()} is not read at any {unit}: {why}")
    return notes


def passed_at_every(found: list[Event], left_out: np.ndarray | None, unit: str) -> str | None:
    """Why no event could be read, when someone passed close at every key moment of every
    event (`left_out` (T,): the frames not measured for it); None otherwise."""
    moments = [frame for event in found for frame in event.moments.values()]
    if left_out is None or not moments or not all(left_out[f] for f in moments):
        return None
    return f"someone passed close to the athlete at every {unit}, and nothing is measured there"


def far_leg_note(clean: CleanPose, view: View) -> list[str]:
    """A statement when a side view's far leg is hidden nearly throughout (`legs`)."""
    hidden = legs.hidden_far_leg(clean.pose.xy, clean.pose.visibility)
    if view is not View.SIDE or hidden is None:
        return []
    near = metrics.other(hidden)
    return [
        f"the {hidden} leg, the far one, is hidden behind the {near} leg in most of the clip: "
        f"only the {near} leg is measured"
    ]


def movement_notes(
    estimate: MovementEstimate, movement: Movement | None, given: bool, guessed: Movement | None
) -> list[str]:
    if guessed is not None:
        return [no_complete(guessed)]
    if movement is None and estimate.too_little:
        return [
            f"the athlete was tracked for only {estimate.tracked_s:.1f} s, too little to tell "
            "the movement, so nothing was screened: film a longer stretch, or choose the movement"
        ]
    if movement is None:
        return [not_screened(estimate.seen)]
    if not given and estimate.unsure:
        score, looks = estimate.scores[movement], movements.get(movement).noun
        return [
            f"it looks like {looks}, but not clearly (a match of {score:.0%}): "
            "if it is something else, choose the movement"
        ]
    gait = movement is Movement.SPRINT and estimate.seen == "walking"  # said by its pace
    if given and estimate.movement != movement and not estimate.too_little and not gait:
        return [_chosen_otherwise(estimate, movement)]
    if easy_pace(estimate, movement):
        return [slow_strides(estimate.features["cadence"])]
    return []


def _chosen_otherwise(estimate: MovementEstimate, movement: Movement) -> str:
    """A movement chosen for a clip that looked like another, or like none of them: what
    it looked like."""
    chosen = movements.get(movement).noun
    if estimate.movement is None and estimate.seen is None:
        score = estimate.scores.get(movement.value, 0.0)
        return (
            f"screened as {chosen}, as chosen, but the clip does not look like one "
            f"(a match of {score:.0%}): read the findings with that in mind"
        )
    if estimate.movement is not None:
        looks = movements.get(estimate.movement).noun
    else:
        looks = seen.ACTIVITIES[estimate.seen].noun
    return f"screened as {chosen}, as chosen, but the clip looks like {looks}"


def easy_pace(estimate: MovementEstimate, movement: Movement | None) -> bool:
    """Screened as a sprint, at the stride rhythm of a jog or an easy run (`seen`)."""
    return movement is Movement.SPRINT and seen.easy_run(estimate.features)


def no_complete(guessed: Movement) -> str:
    """Why nothing was screened in a clip recognised as `guessed` with no stride or rep."""
    spec = movements.get(guessed)
    unit = spec.unit
    return (
        f"it looks most like {spec.noun}, but the clip holds no complete {unit}, so "
        f"nothing was screened: film at least one whole {unit}, or choose the movement"
    )


def not_screened(looks: str | None) -> str:
    """Why nothing was screened, naming what the clip looks like where the tool can tell
    (`seen`)."""
    screened, choose = movements.one_of(), "choose the movement if it is one of them"
    if looks is None:
        return (
            f"not one of the movements screened here ({screened}): nothing was screened; {choose}"
        )
    activity = seen.ACTIVITIES[looks]
    unlike = "" if activity.screened else f", not one of the movements screened here ({screened})"
    what = activity.hint or choose
    return f"it looks like {activity.noun}{unlike}, so nothing was screened; {what}"


def slow_strides(cadence: float) -> str:
    """A run screened with sprint thresholds at a jogging (or walking) rhythm."""
    return (
        f"the strides come about {cadence:.1f} a second, slower than a sprint's (about 2 "
        "to 2.5): the thresholds assume sprinting speed, and knee drive and hip extension "
        "are smaller at an easier pace, so read those findings as running form at this pace"
    )
