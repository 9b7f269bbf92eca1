"""Choosing the athlete automatically: one rule for the command line and the app.

A few moments spread through the clip are looked at; the moment with the most people
in view is the one shown and judged (so the app's picker and the command line see the
same people), and in it each person is scored by how prominent they are and how much
their body moves 0.2 s later. The best score is the athlete; when the runner-up scores
nearly as much, the choice is `unsure` and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from movement_screen.boxes import centre
from movement_screen.pose import Detection

EDGE = 0.01  # share of the frame height: a body reaching this close to the edge is cut off
CUT = 0.3  # what a cut-off body's score counts (chosen on the train clips with bystanders)
UNSURE_RATIO = 0.7  # the runner-up scoring at least this share of the best: unsure
NEAR_S = 1.0  # seconds: other moments that may tell how a person moves
BOX_JITTER = 0.1  # body heights two separate detections of someone standing still differ by
# (the man on the box in the walk clip: 0.12 between 2.0 s and 2.5 s; the walker moves 0.32)
MATCH_HEIGHTS = 0.5  # a later body this close (median landmark shift) is the same person
STILL = 0.02  # median landmark motion in 0.2 s, in body heights, below which one stands still


@dataclass(frozen=True)
class Moment:
    """Everyone seen in one frame: `index`, `time_s`, people, their motion (body heights
    moved in 0.2 s; NaN where not seen again) and the frame's (H, W, 3) RGB picture."""

    index: int
    time_s: float
    people: list[Detection]
    motion: list[float]
    rgb: np.ndarray


@dataclass(frozen=True)
class Choice:
    moment: Moment
    chosen: int  # index into moment.people
    scores: list[float]
    unsure: bool
    reason: str  # in words: where the athlete is, what they do, what the others do


def motion(person: Detection, later: list[Detection]) -> float:
    """How far the body moved by the next look, in body heights (NaN: not seen again; a
    body more than MATCH_HEIGHTS away is someone else)."""
    x0, y0, x1, y1 = person.box()
    moved = [np.nanmedian(np.hypot(*(p.xy - person.xy).T)) / max(y1 - y0, 1.0) for p in later]
    near = [m for m in moved if m <= MATCH_HEIGHTS]
    return float(min(near)) if near else float("nan")


def score(person: Detection, moved: float, frame_height: int) -> float:
    """Body height (share of the frame) weighted by how much the body moves; a body cut
    off by the top or bottom of the frame (someone close to the camera) counts CUT as much:
    an athlete is filmed whole."""
    x0, y0, x1, y1 = person.box()
    height = (y1 - y0) / frame_height
    edge = EDGE * frame_height
    whole = CUT if y0 < edge or y1 > frame_height - edge else 1.0
    if not np.isfinite(moved):
        return whole * height * 0.1
    return whole * height * (0.1 + min(moved / 0.05, 1.0))


def across(moment: Moment, others: list[Moment]) -> Moment:
    """The moment with each unknown motion (not seen again 0.2 s later) taken from the
    nearest moment within NEAR_S where a body of the same size is found close by."""
    motion = list(moment.motion)
    for i, person in enumerate(moment.people):
        if motion[i] == motion[i]:
            continue
        moves = [_shift(person, o.people, abs(o.time_s - moment.time_s)) for o in others
                 if 0 < abs(o.time_s - moment.time_s) <= NEAR_S]  # fmt: skip
        moves = [m for m in moves if m == m]
        motion[i] = min(moves) if moves else float("nan")
    return Moment(moment.index, moment.time_s, moment.people, motion, moment.rgb)


def _shift(person: Detection, seen: list[Detection], dt: float) -> float:
    """Body heights moved per 0.2 s to the nearest same-sized body `dt` seconds away."""
    x0, y0, x1, y1 = person.box()
    height, (cx, cy) = y1 - y0, centre(person.box())
    best = float("nan")
    for other in seen:
        ox0, oy0, ox1, oy1 = other.box()
        if not 0.7 <= (oy1 - oy0) / max(height, 1.0) <= 1.4:
            continue
        ocx, ocy = centre(other.box())
        shift = max(np.hypot(ocx - cx, ocy - cy) / max(height, 1.0) - BOX_JITTER, 0.0)
        per_step = shift * (0.2 / dt)
        if per_step <= MATCH_HEIGHTS and not per_step >= best:
            best = float(per_step)
    return best


def choose(moments: list[Moment], frame_height: int) -> Choice | None:
    """The best-scoring person at the moment with the most people (None: nobody seen)."""
    seen = [across(m, moments) for m in moments if m.people]
    if not seen:
        return None
    best_of = {id(m): max(_scores(m, frame_height)) for m in seen}
    moment = max(seen, key=lambda m: (len(m.people), best_of[id(m)]))
    scores = _scores(moment, frame_height)
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    unsure = len(order) > 1 and scores[order[1]] >= UNSURE_RATIO * scores[order[0]]
    return Choice(moment, order[0], scores, unsure, _reason(moment, order[0], unsure))


def _scores(moment: Moment, frame_height: int) -> list[float]:
    return [score(p, m, frame_height) for p, m in zip(moment.people, moment.motion, strict=True)]


def where(x: float, width: float) -> str:
    """Where a pixel column lies in the frame, in words."""
    share = x / width
    return "on the left" if share < 1 / 3 else "on the right" if share > 2 / 3 else "in the centre"


def _reason(moment: Moment, chosen: int, unsure: bool) -> str:
    place = where(centre(moment.people[chosen].box())[0], moment.rgb.shape[1])
    moved = moment.motion[chosen]
    doing = "moving" if moved >= STILL else "standing still" if moved < STILL else "seen once"
    said = f"the person {place}, {doing}"
    others = len(moment.people) - 1
    if others:
        still = sum(1 for i, m in enumerate(moment.motion) if i != chosen and m < STILL)
        said += f"; {others} other{'s' if others > 1 else ''} in view"
        said += f" ({still} standing still)" if still else ""
    if unsure:
        said += "; unsure: another person moves about as much"
    return f"{said} (at {moment.time_s:.1f} s)"
