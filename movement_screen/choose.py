"""Choosing the athlete automatically: one rule for the command line and the app.

A few moments spread through the clip are looked at. At each, everyone in view is found
and followed for about a second (a look every 0.2 s), and what their body did is
measured against their own leg length: did the feet change places front to back with
the thighs swinging (running or walking), did a foot stay put while the hips rose and
fell or the trunk tipped (a lunge, a hinge, a squat on one leg), or did they only move
otherwise, or stand still. A body scores by its height in the frame times how much it
moves like a screened movement. A person's score is the mean, over all the moments, of
the best score of a body of their size at their place: an athlete is filmed where they
train the whole time, while someone walking past is somewhere else at the other moments
(or gone), however close to the camera and however much they move. A moment where
someone nearer the camera stands over their place, with no body of theirs found there,
is left out: hidden is not gone. The moment judged,
among those whose best person is near the clip's best and leads the others nearly as
clearly as anywhere, is the most crowded one (so that the app's picker shows the others
too), unless another body covers part of its best person there (someone passing in front:
the landmark model may draw a skeleton across the two, and tracking would start from it):
a moment where someone walks in front of the athlete is not the one judged. When
someone elsewhere scores nearly as much as the best, or someone at the moment judged
moves as much there, the choice is `unsure` and says so.

Arrays: landmarks in image pixels (x right, y down), one row per look; time is axis 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from movement_screen import finite
from movement_screen.boxes import centre, covered_share
from movement_screen.landmarks import INDEX
from movement_screen.pose import Detection
from movement_screen.stature import standing_height

EDGE = 0.01  # share of the frame height: a body reaching this close to the edge is cut off
CUT = 0.3  # what a cut-off body's score counts (chosen on the train clips with bystanders)
UNSURE_RATIO = 0.7  # the runner-up scoring at least this share of the best: unsure
NEAR_S = 1.0  # seconds: other moments that may tell how a person moves
BOX_JITTER = 0.1  # body heights two separate detections of someone standing still differ by
MATCH = 0.5  # leg lengths: a body whose landmarks moved more than this in a look is another
REACH = 0.5  # body heights per look (0.2 s): the farthest a body at another moment may be
STILL = 0.03  # leg lengths moved per look (0.2 s), median over the body, below which one is still
CROSS = 0.1  # leg lengths: each foot this far ahead of the other at some look: the feet crossed
GAIT_THIGHS = 20.0  # degrees: range of the angle between the thighs of a running or walking gait
GAIT_HIPS = 0.25  # leg lengths: hips rising and falling more than this are jumping, not a gait
# (the body's centre rises and falls about 0.05 leg lengths in walking, 0.1 in running)
PLANTED = 0.1  # leg lengths: a foot that stays this close to where it was is planted
REP_HIPS = 0.05  # leg lengths: range of hip height of a lunge, squat or single-leg squat
REP_TRUNK = 12.0  # degrees: range of trunk angle of a hinge
FULL = {"thighs": 40.0, "hips": 0.12, "trunk": 30.0}  # ranges that count fully
OTHER = 0.3  # what moving, but not like a screened movement, counts
NEAR_BEST = 0.9  # moments whose best score is this near the clip's best may be the one judged
NEAR_LEAD = 0.7  # ... if their best leads the runner-up by this share of the clearest lead
# (train clips with bystanders: 1.0 judges a moment with the athlete alone in 13 of 24, so
# the app's picker shows nobody else; 0.7 in 7, with the athlete chosen in all 24)
COVERED = 0.1  # share of the best person's box another body's box covers: not judged there
# (48 train clips with bystanders and 48 more from train seeds: 0.05-0.2 alike; with none,
# one hinge was judged where someone passing in front made the skeleton theirs, a wrong
# pick not said unsure)
SAME_SIZE = 1.15  # bodies at other moments within this ratio of size may be one person
# (`body_size`; 96 crowd clips from train seeds: the athlete's size at a moment was within
# 1.15 of their median at 98.1 % of the moments, others' at 4.8 %; with box heights, 1.33
# kept the athlete at 98.1 % and let others match at 22 %)
PLACE = 0.3  # body heights: a body at another moment whose centre is this near is at their place
# (chosen on the 24 train clips with bystanders: 0.5 lets a walker crossing the athlete's
# place take the athlete's scores)
FLOOR = 0.1  # what standing still counts (someone in view is still a candidate)
HIDDEN = 0.5  # share of a person's box covered by someone nearer: their place is hidden
# (a first value, not tuned: on 96 train-crowd and 48 train crowd clips it mended 4 wrong
# picks and made 3 right ones unsure)
IN_PLACE_SHARE = 0.75  # of the moments: someone found at their place at as many trains in place


@dataclass(frozen=True)
class Activity:
    """What one person's body did over a short look, against their own leg length."""

    looks: int  # looks they were seen in (1: seen once, nothing is known of their motion)
    moved: float  # median landmark travel per look, leg lengths
    feet_crossed: bool  # each foot was ahead of the other at some look
    thighs: float  # degrees: range of the angle between the two thighs
    planted: bool  # at least one foot stayed put
    hips: float  # leg lengths: range of the hips' height
    trunk: float  # degrees: range of the trunk's angle from vertical

    def kind(self) -> str:
        """What they were doing, in words. Alike as a gait and as a rep, with a foot planted
        all along (a free leg swinging past the standing one, as in a balance and reach on
        one leg), they were in place: nobody walks or runs on a foot that stays put."""
        if self.looks < 2:
            return "seen once"
        gait, rep = self.gait(), self.rep()
        if max(gait, rep) > 0:
            return "walking or running" if gait > rep else "bending and rising in place"
        return "moving" if self.moved >= STILL else "standing still"

    def gait(self) -> float:
        """How much this looks like running or walking, 0-1."""
        if not self.feet_crossed or self.thighs < GAIT_THIGHS or self.hips > GAIT_HIPS:
            return 0.0
        return min(self.thighs / FULL["thighs"], 1.0)

    def rep(self) -> float:
        """How much this looks like a lunge, a hinge or a squat on one or two legs, 0-1."""
        if not self.planted or (self.hips < REP_HIPS and self.trunk < REP_TRUNK):
            return 0.0
        return max(min(self.hips / FULL["hips"], 1.0), min(self.trunk / FULL["trunk"], 1.0))

    def likeness(self) -> float:
        """How much the body moves like a screened movement, 0-1 (NaN: seen once)."""
        if self.looks < 2:
            return float("nan")
        screened = max(self.gait(), self.rep())
        other = OTHER * min(self.moved / (2 * STILL), 1.0)
        return max(screened, other)


UNSEEN = Activity(1, float("nan"), False, 0.0, False, 0.0, 0.0)


Look = tuple[int, Detection]
"""A body as the landmark model drew it in one frame on its own (static mode), with
nothing carried over from the frame before: (frame index, detection)."""


@dataclass(frozen=True)
class Moment:
    """Everyone seen in one frame: `index`, `time_s`, people, what each did over the next
    second (`activity`), the frame's (H, W, 3) RGB picture, and every body found in that
    second (`looks`)."""

    index: int
    time_s: float
    people: list[Detection]
    activity: list[Activity]
    rgb: np.ndarray
    looks: tuple[Look, ...] = ()  # everyone's looks, this frame's and the later ones


@dataclass(frozen=True)
class Place:
    """Where an athlete who trains in place stands: the columns (pixels) their hips spanned
    at the moments looked at, and their body's height (pixels) at the moment judged."""

    lo: float
    hi: float
    height: float


@dataclass(frozen=True)
class Choice:
    moment: Moment
    chosen: int  # index into moment.people
    scores: list[float]
    unsure: bool
    reason: str  # in words: where the athlete is, what they do, what the others do
    most_people: int = 1  # the most people seen at one moment
    looks: tuple[Look, ...] = ()  # every moment's looks, in frame order
    places: tuple[Place | None, ...] = ()  # each person's at the moment (`place_of`)

    @property
    def place(self) -> Place | None:
        """Where the chosen person trains (None: no one place, or not known)."""
        return self.places[self.chosen] if self.places else None


def leg_length(xy: np.ndarray) -> float:
    """Median hip-knee-ankle length over looks and sides, pixels; xy (N, 33, 2)."""
    lengths = []
    for side in ("left", "right"):
        hip, knee, ankle = (xy[:, INDEX[f"{side}_{p}"]] for p in ("hip", "knee", "ankle"))
        lengths.append(np.linalg.norm(knee - hip, axis=1) + np.linalg.norm(ankle - knee, axis=1))
    return finite.median(np.concatenate(lengths))


def same_body(before: Detection, after: Detection, leg: float) -> bool:
    """Is `after` the same body as `before`, one look later (landmarks within MATCH legs)?"""
    return bool(np.nanmedian(np.hypot(*(after.xy - before.xy).T)) <= MATCH * leg)


def activity(looks: list[Detection | None]) -> Activity:
    """What one person did over consecutive looks (None where not seen)."""
    seen = [d for d in looks if d is not None]
    if len(seen) < 2:
        return UNSEEN
    xy = np.stack([d.xy for d in seen])  # (N, 33, 2)
    leg = max(leg_length(xy), 1.0)
    steps = [np.nanmedian(np.hypot(*(b.xy - a.xy).T)) for a, b in pairwise(seen)]
    ankles = [xy[:, INDEX[f"{s}_ankle"]] for s in ("left", "right")]
    ahead = (ankles[0][:, 0] - ankles[1][:, 0]) / leg
    hips = (xy[:, INDEX["left_hip"]] + xy[:, INDEX["right_hip"]]) / 2
    shoulders = (xy[:, INDEX["left_shoulder"]] + xy[:, INDEX["right_shoulder"]]) / 2
    thighs = _angle(xy, "left_hip", "left_knee") - _angle(xy, "right_hip", "right_knee")
    return Activity(
        looks=len(seen),
        moved=float(np.median(steps)) / leg,
        feet_crossed=bool(ahead.max() >= CROSS and ahead.min() <= -CROSS),
        thighs=_range(thighs),
        planted=_planted(np.stack(ankles, axis=1), PLANTED * leg),
        hips=_range(hips[:, 1]) / leg,
        trunk=_range(
            np.degrees(np.arctan2(shoulders[:, 0] - hips[:, 0], hips[:, 1] - shoulders[:, 1]))
        ),
    )


def _angle(xy: np.ndarray, top: str, bottom: str) -> np.ndarray:
    """(N,) degrees of the segment from `top` down to `bottom`, from vertical."""
    d = xy[:, INDEX[bottom]] - xy[:, INDEX[top]]
    return np.degrees(np.arctan2(d[:, 0], d[:, 1]))


def _range(values: np.ndarray) -> float:
    return float(np.ptp(values)) if len(values) else 0.0


def _planted(ankles: np.ndarray, limit: float) -> bool:
    """Did a foot stay put: is there, from the first look on, an ankle (either label: they
    swap) within `limit` pixels of where one was at the first look? ankles (N, 2, 2)."""
    for start in ankles[0]:
        near = finite.minimum(np.linalg.norm(ankles[1:] - start, axis=-1), axis=1)
        if np.isfinite(start).all() and (near <= limit).all():
            return True
    return False


def score(person: Detection, doing: Activity, frame_height: int) -> float:
    """Body height (share of the frame) weighted by how much the body moves like a screened
    movement; a body cut off by the top or bottom of the frame (someone close to the
    camera) counts CUT as much: an athlete is filmed whole."""
    x0, y0, x1, y1 = person.box()
    height = (y1 - y0) / frame_height
    edge = EDGE * frame_height
    whole = CUT if y0 < edge or y1 > frame_height - edge else 1.0
    like = doing.likeness()
    return whole * height * (FLOOR + (0.0 if like != like else like))


def across(moment: Moment, others: list[Moment]) -> Moment:
    """The moment with each person seen only once there judged by the nearest moment within
    NEAR_S where a body of the same size is found close by."""
    doing = list(moment.activity)
    for i, person in enumerate(moment.people):
        if doing[i].looks >= 2:
            continue
        near = sorted((o for o in others if 0 < abs(o.time_s - moment.time_s) <= NEAR_S),
                      key=lambda o: abs(o.time_s - moment.time_s))  # fmt: skip
        for other in near:
            match = _same_person(person, other, abs(other.time_s - moment.time_s))
            if match is not None and other.activity[match].looks >= 2:
                doing[i] = other.activity[match]
                break
    return replace(moment, activity=doing)


def body_height(body: Detection) -> float:
    """The height of the box around the body's landmarks, pixels (at least 1)."""
    x0, y0, x1, y1 = body.box()
    return max(y1 - y0, 1.0)


def body_size(body: Detection) -> float:
    """The standing height its bones imply (`stature.standing_height`), pixels: unlike its
    box, the same whether the body stands or bends (a hinge's box was 148-239 pixels tall
    at the moments of a crowd clip from train seeds); the box's height where no bone is seen."""
    size = standing_height(body.xy)
    return size if size > 0 else body_height(body)  # NaN > 0 is False


def _same_size(a: Detection, b: Detection) -> bool:
    """Could two bodies seen at different moments be one person, by their size?"""
    return 1 / SAME_SIZE <= body_size(b) / body_size(a) <= SAME_SIZE


def _apart(person: Detection, body: Detection) -> float:
    """How far apart the two bodies' centres are, in `person`'s heights."""
    (cx, cy), (bx, by) = centre(person.box()), centre(body.box())
    return float(np.hypot(bx - cx, by - cy)) / body_height(person)


def _same_person(person: Detection, other: Moment, dt: float) -> int | None:
    """The body at the other moment of the same size nearest `person`, within reach."""
    best, best_shift = None, np.inf
    for j, body in enumerate(other.people):
        if not _same_size(person, body):
            continue
        shift = max(_apart(person, body) - BOX_JITTER, 0.0)
        if shift * (0.2 / dt) <= REACH and shift < best_shift:
            best, best_shift = j, shift
    return best


def at_place(person: Detection, body: Detection) -> bool:
    """Could `body`, seen at another moment, be `person` where they were: about their size,
    its centre within PLACE of their height from theirs?"""
    return _same_size(person, body) and _apart(person, body) <= PLACE


def standing_score(person: Detection, doing: Activity, moments: list[Moment], height: int) -> float:
    """The mean over `moments` of the best score of a body at this person's place (their own
    score at their own moment): high for someone filmed moving like a screened movement
    the whole time, low for someone passing through. A moment with no body at their place
    that is `hidden` there is left out (the `train-crowd` hinge `150106`, far from the
    camera, scored 0 where a walker passed in front and lost to a bystander near it)."""
    per = []
    for m in moments:
        own = any(b is person for b in m.people)
        bodies = [(b, d) for b, d in zip(m.people, m.activity, strict=True)
                  if ((b is person) if own else at_place(person, b))]  # fmt: skip
        if bodies or not hidden(person, m):
            per.append(max((score(b, d, height) for b, d in bodies), default=0.0))
    return float(np.mean(per)) if per else 0.0


def hidden(person: Detection, moment: Moment) -> bool:
    """Is `person`'s place hidden at `moment` by someone nearer the camera (bigger by more
    than SAME_SIZE) whose box covers HIDDEN of theirs? Not there then, but not known absent."""
    box, size = person.box(), body_size(person)
    return any(body_size(b) > SAME_SIZE * size and covered_share(box, b.box()) >= HIDDEN
               for b in moment.people)  # fmt: skip


def choose(moments: list[Moment], frame_height: int) -> Choice | None:
    """The best-standing person at the most crowded moment among those whose best is near
    the clip's best and leads the others nearly as clearly as at the clearest moment;
    None when nobody was seen."""
    seen = [across(m, moments) for m in moments if m.people]
    if not seen:
        return None
    scored = {id(m): _scores(m, frame_height, seen) for m in seen}
    top = max(max(s) for s in scored.values())
    near_top = [m for m in seen if max(scored[id(m)]) >= NEAR_BEST * top]
    clear = {id(m): _clear(m, scored[id(m)], frame_height) for m in near_top}
    clearest = max(clear.values())[0]
    plain = [m for m in near_top if clear[id(m)][0] >= NEAR_LEAD * clearest]
    free = [m for m in plain if not covered(m, int(np.argmax(scored[id(m)])))]
    moment = max(free or plain, key=lambda m: (len(m.people), clear[id(m)]))
    scores = scored[id(moment)]
    best = int(np.argmax(scores))
    rival = _rival(moment, best, seen, scored, frame_height)
    crowd = max(len(m.people) for m in seen)
    looks = tuple(sorted((look for m in moments for look in m.looks), key=lambda look: look[0]))
    reason = _reason(moment, best, rival)
    places = tuple(place_of(person, moments) for person in moment.people)
    return Choice(moment, best, scores, rival is not None, reason, crowd, looks, places)


def place_of(person: Detection, moments: list[Moment]) -> Place | None:
    """Where `person` trains, from the bodies at their place (`at_place`) at every moment;
    None unless they were there at IN_PLACE_SHARE of the moments or more (someone moving
    about, or running across the picture, has no one place)."""
    at = [[b for b in m.people if b is person or at_place(person, b)] for m in moments]
    if not at or np.mean([len(bodies) > 0 for bodies in at]) < IN_PLACE_SHARE:
        return None
    columns = [b.hips()[0] for bodies in at for b in bodies]
    return Place(float(min(columns)), float(max(columns)), body_height(person))


def covered(moment: Moment, best: int) -> bool:
    """Does another body's box cover more than COVERED of person `best`'s box?"""
    box = moment.people[best].box()
    return any(covered_share(box, p.box()) > COVERED
               for i, p in enumerate(moment.people) if i != best)  # fmt: skip


def _rival(
    moment: Moment, best: int, seen: list[Moment], scored: dict, height: int
) -> tuple[Moment, int] | None:
    """Whoever scores nearly as much as the chosen person, (their moment, their index), or
    None: over the clip, someone somewhere else, or at the moment judged, someone moving as
    much there (the choice then rests on who was in view longer). Either makes it unsure."""
    chosen = moment.people[best]
    elsewhere = [(scored[id(m)][i], m.time_s, m, i) for m in seen
                 for i, p in enumerate(m.people) if not at_place(chosen, p)]  # fmt: skip
    top = max(elsewhere, key=lambda r: r[:2], default=None)
    if top is not None and top[0] >= UNSURE_RATIO * scored[id(moment)][best]:
        return top[2], top[3]
    here = [score(p, a, height) for p, a in zip(moment.people, moment.activity, strict=True)]
    near = [i for i, s in enumerate(here) if i != best and s >= UNSURE_RATIO * here[best]]
    return (moment, near[0]) if near else None


def _clear(moment: Moment, scores: list[float], frame_height: int) -> tuple[float, float]:
    """How clearly the moment shows its best person: how far they lead the runner-up (their
    own score with nobody else), then how well they are seen there."""
    ranked = sorted(scores, reverse=True)
    lead = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    best = int(np.argmax(scores))
    return lead, score(moment.people[best], moment.activity[best], frame_height)


def _scores(moment: Moment, frame_height: int, moments: list[Moment]) -> list[float]:
    return [
        standing_score(p, a, moments, frame_height)
        for p, a in zip(moment.people, moment.activity, strict=True)
    ]


def where(x: float, width: float) -> str:
    """Where a pixel column lies in the frame, in words."""
    share = x / width
    return "on the left" if share < 1 / 3 else "on the right" if share > 2 / 3 else "in the centre"


def _reason(moment: Moment, chosen: int, rival: tuple[Moment, int] | None) -> str:
    place = where(centre(moment.people[chosen].box())[0], moment.rgb.shape[1])
    said = f"the person {place}, {moment.activity[chosen].kind()}"
    others = [a.kind() for i, a in enumerate(moment.activity) if i != chosen]
    if others:
        counts = {k: others.count(k) for k in dict.fromkeys(others)}
        what = ", ".join(f"{n} {k}" for k, n in counts.items())
        said += f"; {len(others)} other{'s' if len(others) > 1 else ''} in view ({what})"
    if rival is not None:
        said += f"; unsure: {_rival_words(moment, *rival)} moves about as much"
    return f"{said} (at {moment.time_s:.1f} s)"


def _rival_words(judged: Moment, moment: Moment, person: int) -> str:
    """Who the rival is, in words: another person in view, or where and when they were."""
    if moment is judged:
        return "another person"
    place = where(centre(moment.people[person].box())[0], moment.rgb.shape[1])
    return f"someone else, {place} at {moment.time_s:.1f} s,"
