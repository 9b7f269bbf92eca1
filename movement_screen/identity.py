"""Where the track may have left the athlete: hips do not jump across the picture.

The landmark model follows whichever body its region holds, and where someone passes
close to the athlete it can move onto them. The athlete's hips move smoothly across the
picture: on the one-person `train` clips (24-100 frames a second) their midpoint lands
at most 0.04 body heights to the side of where the pace of the two frames before puts
it, on the project's samples 0.03, on the real clips 0.085 (a walk filmed outdoors). Up
and down it is not judged: a sprinter's hips land on each stride, and the landmark model
places them up to 0.16 body heights off that pace there on the samples.

So, outward from the frame the athlete was chosen on, the track stops at the first frame
whose hips land more than JUMP body heights to the side of that pace, unless within
GLITCH frames they land back on it (a landmark glitch, not another person: only those
frames go). What follows may be someone else, and a frame on someone else is a confident
wrong number, where a missing frame is only a gap. No pace is read across a missing frame.

On the 48 `train` crowd clips this left 91 of the 368 frames tracked on someone else
(27 clips with none, was 24) and 144 of the 175 mixing two people, for 5 % of the
frames on the athlete; on the 40 one-person `train` clips, the samples and the real
clips it drops nothing.

Where the athlete is lost (hidden behind someone passing), the detector may still find a
body for a frame or two: most often the person passing. So a run of at most ISLAND
frames found with the athlete lost on both sides of it goes too (its pace cannot be read).
On the 131 saved `train` tracks (72 crowd clips) such runs held 32 frames on someone else
and 24 on the athlete, all in crowd clips; without them, the frames the screen measured on
someone else fell from 195 to 123 (clips with any: 21 -> 13), and a crowded lunge whose
hips bobbed to the passers' rhythm was named a lunge again.

Past a stop the athlete is often back: the person passing has gone, and the landmark
model, looking again, finds them where they train. An athlete filmed where they train
stays at their place (the choice of athlete assumes it too), so from SETTLE_S past a
stop the frames whose hips are back within PLACE body heights of where they were just
before it, on a body of the athlete's size (`stature.SAME`, against their bones before
the stop), for BACK_S seconds in a row or more, are kept. Someone walking past crosses
that place in less time; someone nearer the camera is bigger. Chosen on 39 `train` crowd
clips tracked with their raw detections kept (the 15 of the 72 crowd clips that have a
stop, and 24 more crowded lunges drawn from train seeds, 3 of them with a stop): frames
tracked on the athlete 3,836 -> 4,050, on someone else 182 -> 182. On the first 15, with
0.1 times the athlete's size more allowed, 31 frames on someone else came back too.
Taken at once from the stop (SETTLE_S 0), 83 more frames came back, but 21 of the 297
held a knee or ankle more than half a thigh off the athlete (the person passing still
overlapping them), and a crowded sprint's thigh error went from 3.0 to 6.1 degrees; from
0.5 s on, 3 of 214 (a hinge's hidden far leg). The pass a stop came from often stays
with the person passing and never looks at the athlete's place again; a fresh pass from
there (`tracking.look_again`) gives bodies judged by the same rule (`found_again`) and by
the rules below (`checked`), leaving what was kept or dropped before as it was.

An athlete who trains in place keeps to a strip of the picture: across the stretch of
frames around the one they were chosen on (seen STRIP_S or more in a row), their hips stay
within IN_PLACE body heights side to side. Past a loss, the landmark model looking again
finds whoever is near, often someone walking through: a found frame outside that stretch
whose hips lie more than PLACE body heights outside the strip is someone else, and goes.
An athlete running across the picture covers a body height or more in a second: their
strip is wider, and they are left to the rules above. A walking lunge (a step of about half
a body height) may read as in place; past a loss it then loses frames beyond its strip (left
empty, never measured off someone else). On the 136 saved `train` tracks (the 88 of the set
and 48 more crowded ones drawn from train seeds) 292 frames on someone else went and none
on the athlete (a margin of 0.15-0.4 body heights alike; at 0.1, 5 on the athlete), among
them a sprinter's 178 frames on a walker passing in front, and a hinge's 55 on someone
standing 0.6 body heights away. The strips were 0.02-0.38 body heights wide, and 0.76 and
0.92 in two crowded lunges whose stretch held a slide onto someone walking past (a slide
within the stretch is not judged here: the synthetic athletes all train in place, and a
strip read near the chosen frame alone would cut a walking lunge).

A slide within the stretch is judged where someone was seen passing close
(`Detection.passing`): there the skeleton can move onto the person passing without a jump,
the two bodies overlapping, and follow them away. So for an athlete in place (their strip
between the first frames someone passed on each side of the chosen one STRIP_S long or
more and at most IN_PLACE wide), a found run from such a frame outward that leaves the
strip by more than PLACE body heights is the person passing's from that frame on, and goes
(a walking lunge that moved on while someone passed loses that run: a gap, not a number
off someone else). On the 48 crowd clips of `train`, tracked frames on someone else 104 ->
38 (a lunge's 48 on a walker passing in front and a sprint's 18), frames on the athlete
7,122 -> 7,079 (those while the person passed, which are not measured anyway). An athlete
chosen at a frame where someone passed close has no frames between passes there: their
strip is then read beside that pass, on the side with more of them (`_beside_passes`). A
crowded `train` lunge (`150013`) was chosen at the last frame of a walker passing in
front, and the track went on with the walker for 16 frames, 11 of them measured; on the
48 crowd clips of `train`, frames on someone else 29 -> 17, measured off them 23 -> 12,
and no other clip changed.

Where others are in view, the choice of athlete has already seen where an athlete in
place stands (`choose.place_of`: the bodies at their place at three quarters of the
moments looked at or more): a found frame whose hips lie more than AT_PLACE of their
height outside the columns seen there is someone else's, and the track stops there as at
a jump (the skeleton that comes back from someone else is often drawn across the two).
It needs no stretch of track: a walker passing behind at the very moment the athlete was
chosen took the track of a lunge drawn from train seeds (`150089`) from that frame, out
of the picture. On the 96 crowd clips drawn from train seeds (the set's 48 and 48 more)
tracked frames on someone else 161 -> 68, frames on the athlete 14,018 -> 13,953. Only
dropping the frames outside (not stopping there) left 88, and on a crowded train sprint
(`150012`) the skeleton drawn across two people just past them was then measured (thigh
MAE 1.5 -> 12.8 degrees).

A skeleton turned over is not the athlete either: where someone passes close, the landmark
model can draw a body with its shoulders below its hips for a few frames, and its trunk
then reads 140-175 degrees of lean (a crowded `train` sprint read so was not recognised).
Frames whose trunk (hips to shoulders) points more than TURNED_DEG from its mean direction
over the clip go. On the saved `train` tracks (136 clips: the 88 of the set and 48 more
crowded ones drawn from train seeds) no frame whose trunk was within 45 degrees of the
athlete's own lay more than 60 degrees from that mean (a hinge's deepest lean included),
while 17 frames turned over in four crowded clips lay 60-180 degrees from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from movement_screen.choose import Place
from movement_screen.core import runs, sampling_rate
from movement_screen.landmarks import INDEX
from movement_screen.pose import Detection
from movement_screen.stature import MEMORY_S, SAME, Stature

JUMP = 0.15  # body heights per frame, across the picture (the real clips: at most 0.085)
GLITCH = 2  # frames within which hips that land back on the pace were a glitch
ISLAND = 3  # frames: a run this short with the athlete lost on both sides is not trusted
PLACE = 0.2  # body heights across: past a stop, hips this near where they were are at their place
BACK_S = 0.3  # seconds at their place and size in a row: the athlete found again past a stop
SETTLE_S = 0.5  # seconds past a stop before that: the person passing is still close until then
ANCHOR = 5  # frames kept before a stop that tell where the athlete's place is
STRIP_S = 1.0  # seconds seen in a row around the chosen frame: the athlete's strip is known
IN_PLACE = 0.6  # body heights: a strip this narrow or less is an athlete training in place
TURNED_DEG = 90.0  # a trunk this far from its mean direction over the clip is turned over
AT_PLACE = 0.15  # body heights: hips this far outside where the choice saw the athlete: not them
_HIPS = [INDEX["left_hip"], INDEX["right_hip"]]
_SHOULDERS = [INDEX["left_shoulder"], INDEX["right_shoulder"]]


@dataclass(frozen=True)
class Kept:
    """What `keep_one_body` keeps: positions are in the detections' list."""

    detections: list[Detection | None]  # None where not found or not trusted
    jumps: list[int]  # the first jump on each side of the seed: the track stops there
    again: list[int]  # past a jump, where the athlete was found again at their place


def keep_one_body(
    detections: list[Detection | None], seed: int, times: np.ndarray, place: Place | None = None
) -> Kept:
    """The detections without those past the first jump on each side of `seed` (a
    position in the list, frames in order, one pose interval apart) unless the athlete is
    back at their place (`_found_again`), on a glitch, turned over (`turned_over`),
    outside the strip of an athlete in place (`off_strip`), on a run that followed someone
    passing away (`past_passing`) or on an island (`islands`). A frame outside the `place`
    the choice saw them at (`off_place`) is a jump, and is never kept. `times` (n,)
    seconds of each position."""
    across, heights = _hips_across(detections)
    outside = off_place(across, place, seed)
    kept, jumps, again = list(detections), [], []
    for order in (list(range(seed, len(detections))), list(range(seed, -1, -1))):
        dropped, jump = _walk(across, heights, order, outside)
        for i in dropped:
            kept[i] = None
        if jump is None:
            continue
        jumps.append(jump)
        past = order.index(jump)
        before = [i for i in order[:past] if kept[i] is not None]
        for run in _found_again(detections, across, heights, order[past:], before, times):
            again.append(run[0])
            for i in run:
                kept[i] = detections[i]
    return Kept(_checked(kept, across, heights, seed, times, outside), sorted(jumps), sorted(again))


def checked(
    detections: list[Detection | None], seed: int, times: np.ndarray, place: Place | None
) -> list[Detection | None]:
    """`detections` without the frames `keep_one_body` drops whatever the pace: outside
    the `place`, past someone passing, turned over, off the strip, or on an island."""
    across, heights = _hips_across(detections)
    return _checked(detections, across, heights, seed, times, off_place(across, place, seed))


def _checked(
    kept: list[Detection | None],
    across: np.ndarray,
    heights: np.ndarray,
    seed: int,
    times: np.ndarray,
    outside: np.ndarray,
) -> list[Detection | None]:
    kept = _without(kept, past_passing(across, heights, kept, seed, times) | outside)
    strip = off_strip(across, heights, found_mask(kept), seed, times)
    kept = _without(kept, turned_over(kept) | strip)
    return _without(kept, islands(found_mask(kept), seed))


def _hips_across(detections: list[Detection | None]) -> tuple[np.ndarray, np.ndarray]:
    """(n,) pixels across of the hips' midpoint and (n,) body heights; NaN where none."""
    across = np.full(len(detections), np.nan)
    heights = np.full(len(detections), np.nan)
    for i, found in enumerate(detections):
        if found is not None:
            across[i] = found.xy[_HIPS, 0].mean()
            heights[i] = np.ptp(found.xy[:, 1])
    return across, heights


def found_again(
    detections: list[Detection | None], past: list[int], before: list[int], times: np.ndarray
) -> list[list[int]]:
    """Runs of the positions `past` (a stop, then outward) where the athlete is back at
    the place the positions `before` it (kept, from the seed toward it) had them: as past a
    stop within a track (`keep_one_body`), for a body a fresh look found there."""
    across, heights = _hips_across(detections)
    return _found_again(detections, across, heights, past, before, times)


def _without(detections: list[Detection | None], drop: np.ndarray) -> list[Detection | None]:
    """The detections with None where `drop` (n,) is True."""
    return [None if out else found for found, out in zip(detections, drop, strict=True)]


def found_mask(detections: list[Detection | None]) -> np.ndarray:
    """(n,) True where a detection was kept."""
    return np.array([d is not None for d in detections], dtype=bool)


def passing_mask(detections: list[Detection | None]) -> np.ndarray:
    """(n,) True where someone passed close to the body found (`Detection.passing`)."""
    return np.array([d is not None and d.passing for d in detections], dtype=bool)


def off_strip(
    across: np.ndarray, heights: np.ndarray, found: np.ndarray, seed: int, times: np.ndarray
) -> np.ndarray:
    """(n,) True on found frames outside the stretch holding `seed` whose hips (`across`,
    pixels) lie more than PLACE body heights (`heights`) outside the strip they kept to
    over that stretch, when it is STRIP_S long or more and at most IN_PLACE wide."""
    out = np.zeros(len(found), dtype=bool)
    stretch = next(((a, b) for a, b in runs(found) if a <= seed < b), None)
    if stretch is None or times[stretch[1] - 1] - times[stretch[0]] < STRIP_S:
        return out
    inside = slice(*stretch)
    strip = _strip(across, heights, inside)
    if strip is None:
        return out
    out = found & _outside(across, strip, PLACE)
    out[inside] = False
    return out


def off_place(across: np.ndarray, place: Place | None, seed: int) -> np.ndarray:
    """(n,) True where the hips (`across`, pixels, NaN where not found) lie more than
    AT_PLACE of the athlete's height outside the columns of their `place` (None: nowhere),
    but at `seed`, where the athlete was chosen (the walk starts there)."""
    if place is None:
        return np.zeros(len(across), dtype=bool)
    out = _outside(across, place, AT_PLACE)
    out[seed] = False
    return out


def _strip(across: np.ndarray, heights: np.ndarray, frames) -> Place | None:
    """The columns the hips (`across`) kept to over `frames` (positions or a slice) and the
    median body height (`heights`) there, when at most IN_PLACE of it wide; else None."""
    height = np.median(heights[frames])
    lo, hi = np.min(across[frames]), np.max(across[frames])
    return Place(lo, hi, height) if hi - lo <= IN_PLACE * height else None


def _outside(across: np.ndarray, place: Place, margin: float) -> np.ndarray:
    """(n,) True where the hips lie more than `margin` of the body height outside `place`."""
    reach = margin * place.height
    with np.errstate(invalid="ignore"):  # NaN where not found: not outside
        return (across < place.lo - reach) | (across > place.hi + reach)


def past_passing(
    across: np.ndarray,
    heights: np.ndarray,
    detections: list[Detection | None],
    seed: int,
    times: np.ndarray,
) -> np.ndarray:
    """(n,) True from the first frame someone passed close (`Detection.passing`) on each
    side of `seed` outward to the end of the found run holding it, where that run leaves the
    place an athlete in place kept between those frames (hips, `across`, more than PLACE
    body heights, `heights`, outside their strip; the strip STRIP_S long or more and at most
    IN_PLACE wide): the track followed the person passing away. Where someone passed at
    `seed` itself, the strip is read beside that pass (`_beside_passes`)."""
    out = np.zeros(len(detections), dtype=bool)
    found = found_mask(detections)
    sides = _beside_passes(found, passing_mask(detections), seed, times)
    strips = ((_strip(across, heights, inside), starts) for inside, starts in sides)
    strip, starts = next(((s, starts) for s, starts in strips if s is not None), (None, ()))
    for start, step in starts:
        run = []
        for i in range(start, -1 if step < 0 else len(out), step):
            if not found[i]:
                break
            run.append(i)
        if _outside(across[run], strip, PLACE).any():
            out[run] = True
    return out


def _beside_passes(
    found: np.ndarray, passing: np.ndarray, seed: int, times: np.ndarray
) -> list[tuple[np.ndarray, tuple[tuple[int, int], tuple[int, int]]]]:
    """Where `past_passing` reads the athlete's strip (the found positions between passes,
    STRIP_S long or more) and where the runs it judges start, outward from it ((position,
    step) on each side): between the first passes on each side of `seed`, from them on; or,
    where someone passed close at `seed` itself, beside that pass (the longer side first),
    the runs starting next to `seed` on the pass's side and at the pass beyond the strip on
    the other (a crowded `train` lunge, `150013`, was chosen at the last frame of a walker
    passing in front, and the track went on with the walker)."""
    passed = np.flatnonzero(passing)
    if not passing[seed]:
        before, after = passed[passed <= seed], passed[passed >= seed]
        first = (before.max() if len(before) else -1, after.min() if len(after) else len(found))
        sides = [(first, ((first[0], -1), (first[1], 1)))]
    else:
        start, stop = next((a, b) for a, b in runs(passing) if a <= seed < b)
        earlier, later = passed[passed < start], passed[passed >= stop]
        prev = earlier.max() if len(earlier) else -1
        nxt = later.min() if len(later) else len(found)
        sides = [
            ((prev, start), ((prev, -1), (seed + 1, 1))),
            ((stop - 1, nxt), ((seed - 1, -1), (nxt, 1))),
        ]
    out = []
    for (lo, hi), starts in sides:
        inside = np.flatnonzero(found[lo + 1 : hi]) + lo + 1
        if len(inside) and times[inside[-1]] - times[inside[0]] >= STRIP_S:
            out.append((inside, starts))
    return sorted(out, key=lambda side: -len(side[0]))


def turned_over(detections: list[Detection | None]) -> np.ndarray:
    """(n,) True where the trunk (hips to shoulders) points more than TURNED_DEG from its
    mean direction over the found frames: a body drawn upside down, not the athlete."""
    out = np.zeros(len(detections), dtype=bool)
    found = [i for i, d in enumerate(detections) if d is not None]
    if not found:
        return out
    trunk = np.array(
        [detections[i].xy[_SHOULDERS].mean(axis=0) - detections[i].xy[_HIPS].mean(axis=0)
         for i in found]
    )  # fmt: skip
    direction = np.arctan2(trunk[:, 1], trunk[:, 0])
    mean = np.angle(np.exp(1j * direction).mean())
    apart = np.abs(np.angle(np.exp(1j * (direction - mean))))
    out[found] = apart > np.radians(TURNED_DEG)
    return out


def _found_again(
    detections: list[Detection | None],
    across: np.ndarray,
    heights: np.ndarray,
    past: list[int],
    before: list[int],
    times: np.ndarray,
) -> list[list[int]]:
    """Runs of the positions `past` (the jump, then outward) where the athlete is back:
    from SETTLE_S after the jump, hips (`across`, NaN where not found) within PLACE body
    heights (`heights`) of where the last ANCHOR frames `before` it put them and a body of
    the athlete's size as their bones before it tell, for BACK_S or more in a row."""
    if not before or len(past) < 2:
        return []
    place, reach = _anchor(across, heights, before)
    size = stature_before(detections, before, times)
    back = np.array(  # a position not found has NaN across: not back
        [abs(across[i] - place) <= reach and size.ratio(detections[i].xy) <= SAME for i in past]
    )
    back &= np.abs(times[past] - times[past[0]]) >= SETTLE_S  # the person passing has gone
    need = max(ISLAND + 1, math.ceil(BACK_S * sampling_rate(times) - 1e-6))
    return [past[a:b] for a, b in runs(back) if b - a >= need]


def first_away(
    detections: list[Detection | None], positions: list[int], before: list[int]
) -> int | None:
    """The first of `positions` whose body's hips lie more than PLACE body heights from
    where the last ANCHOR positions `before` put them (as `found_again` judges); None if
    none does."""
    across, heights = _hips_across(detections)
    place, reach = _anchor(across, heights, before)
    return next((i for i in positions if abs(across[i] - place) > reach), None)


def _anchor(across: np.ndarray, heights: np.ndarray, before: list[int]) -> tuple[float, float]:
    """Where the last ANCHOR positions `before` a stop put the hips (pixels across) and how
    far from there (PLACE of their body height) the athlete is still at their place."""
    anchor = before[-ANCHOR:]
    return float(np.median(across[anchor])), PLACE * float(np.median(heights[anchor]))


def stature_before(
    detections: list[Detection | None], before: list[int], times: np.ndarray
) -> Stature:
    """The athlete's size from their bodies at the positions `before` (kept, in order
    toward a stop) over the MEMORY_S up to the last of them."""
    recent = [i for i in before if abs(times[i] - times[before[-1]]) <= MEMORY_S]
    size = Stature(detections[recent[0]].xy)
    for i in recent[1:]:
        size.add(detections[i].xy, float(times[i]))
    return size


def islands(found: np.ndarray, seed: int) -> np.ndarray:
    """(n,) True on runs of at most ISLAND found frames with a missing frame on each side
    (not the run holding `seed`, where the athlete was chosen)."""
    out = np.zeros(len(found), dtype=bool)
    for start, stop in runs(found):
        inside = start > 0 and stop < len(found)
        if inside and stop - start <= ISLAND and not start <= seed < stop:
            out[start:stop] = True
    return out


def _walk(
    across: np.ndarray, heights: np.ndarray, order: list[int], outside: np.ndarray
) -> tuple[list[int], int | None]:
    """Positions of `order` to drop (glitches, and all from the first jump on) and the
    first jump's position (None: no jump); a frame `outside` (n,) the athlete's place is a
    jump too."""
    dropped: list[int] = []
    paced: list[int] = []  # the last two steps along `order` kept, found in a row
    t = 0
    while t < len(order):
        if not np.isfinite(across[order[t]]):
            paced, t = [], t + 1  # no pace across a missing frame
            continue
        if outside[order[t]]:
            return dropped + order[t:], order[t]
        if len(paced) == 2 and _off(across, heights, order, paced, t) > 1:
            back = next(
                (k for k in range(1, GLITCH + 1) if t + k < len(order)
                 and _off(across, heights, order, paced, t + k) <= 1),
                None,
            )  # fmt: skip
            if back is None:
                return dropped + order[t:], order[t]
            dropped += order[t : t + back]
            t += back
        paced = [*paced, t][-2:]
        t += 1
    return dropped, None


def _off(
    across: np.ndarray, heights: np.ndarray, order: list[int], paced: list[int], t: int
) -> float:
    """How far the hips at step `t` of `order` land to the side of where the pace of the
    steps `paced` puts them, in JUMP body heights (NaN where they are missing)."""
    a, b = (order[i] for i in paced)
    expected = across[b] + (across[b] - across[a]) * (t - paced[1]) / (paced[1] - paced[0])
    return float(abs(across[order[t]] - expected) / (JUMP * heights[b]))
