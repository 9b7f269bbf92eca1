"""How big the athlete's body is in the picture, to tell them from someone nearer.

A person walking past between the camera and the athlete has the athlete's place in
the frame but a bigger body. Box height cannot tell (it changes as the athlete bends),
and neither can one bone (a bone pointing at the camera looks short). Each of eight bones
is measured against the athlete's own full length of it (the longest it was seen over
the last seconds of tracking), and the body's size is a low quantile of those ratios:
turning or bending only shortens bones, and a bone the athlete was first seen
foreshortened in (a thigh at the bottom of a squat filmed from the front) looks longer
later, while a nearer person is longer in all of them. And no bone's full length is
taken as much shorter than its usual share of the body, as the other bones tell it.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from movement_screen import finite
from movement_screen.landmarks import INDEX

# Each bone and its length as a share of standing height (Winter, Biomechanics and Motor
# Control of Human Movement: shoulder 0.818, greater trochanter 0.530, knee 0.285, ankle
# 0.039, elbow 0.630 of height).
SHARE_OF_HEIGHT = {
    ("shoulder", "hip"): 0.288,
    ("hip", "knee"): 0.245,
    ("knee", "ankle"): 0.246,
    ("shoulder", "elbow"): 0.188,
}
BONES = tuple(
    (f"{side}_{a}", f"{side}_{b}") for side in ("left", "right") for a, b in SHARE_OF_HEIGHT
)
_SHARES = np.array([SHARE_OF_HEIGHT[(a.split("_")[1], b.split("_")[1])] for a, b in BONES])
# A bone's full length is at least this share of what the body's other bones say it should
# be (people differ, and MediaPipe's joints are not the anatomical ones): a bone seen only
# foreshortened (a thigh at the bottom of a squat filmed from the front) is not taken as
# short, or the athlete would look too big once they stand up. The two `train` front
# squats chosen at their deepest frame kept 97/110 and 92/94 frames without it, 105 and 92
# at 0.85, 110 and 93 at 0.9; the other `train` clips are tracked as without it.
PROPORTION_FLOOR = 0.9
HEIGHT_PERCENTILE = 75  # of the heights the bones imply: most bones are not foreshortened
MEMORY_S = 4.0  # the athlete's full size is taken from the bones seen over this long
SIZE_QUANTILE = 35  # of the bones' ratios: the body's size (the median let a front-view
# squat first seen at its bottom lose 41 of 110 frames on `train` when it stood up)
SAME = 1.05  # only bodies at most this many times the athlete's size are remembered
# and at least this many: a body smaller in most bones is the athlete turned or bent (whose
# short bones add nothing to the full lengths) or someone farther away, whose bones would
# pull them down (a walker passing behind a `train` lunge, `150089`, 0.61 times its size,
# was remembered for four frames, and the lunger, found again, then read 1.1 times their
# own size). On the `train` passes (96 crowd clips drawn from train seeds, 40 one-person
# ones) 0.4 % of the athlete's bodies read below it, and 9.5 % of others'.
SMALLEST_REMEMBERED = 0.7
FULL_PERCENTILE = 90  # a bone's full length: this percentile of its lengths in memory
_A = np.array([INDEX[a] for a, _ in BONES])
_B = np.array([INDEX[b] for _, b in BONES])


def bone_lengths(xy: np.ndarray) -> np.ndarray:
    """(bones,) pixels between the (33, 2) landmarks `xy` of each bone in BONES."""
    return np.linalg.norm(xy[_B] - xy[_A], axis=1)


def standing_height(xy: np.ndarray) -> float:
    """The standing height (pixels) the bones of one body (33, 2) imply on their own
    (`implied_height`): the body's box shrinks as it bends, and this does not."""
    return implied_height(bone_lengths(xy))


def implied_height(lengths: np.ndarray) -> float:
    """The standing height the (bones,) lengths imply: the HEIGHT_PERCENTILE over bones of
    each one's length over its share of height (bending or turning only shortens bones),
    bones of no length left out; NaN when none is known."""
    return finite.percentile(np.where(lengths > 0, lengths, np.nan) / _SHARES, HEIGHT_PERCENTILE)


class Stature:
    """The athlete's bone lengths seen over the last MEMORY_S seconds (pixels)."""

    def __init__(self, xy: np.ndarray) -> None:
        self.times: deque[float | None] = deque([None])  # seconds; None: not yet placed
        self.lengths = bone_lengths(xy)[None]  # (len(times), bones) pixels, a row a time
        self._full: np.ndarray | None = None  # (bones,) full lengths, worked out when asked
        self._measured: tuple[np.ndarray, tuple[float, float]] | None = None  # the last body

    def measure(self, xy: np.ndarray) -> tuple[float, float]:
        """(size, longest) of the body `xy` against the athlete, from each bone's length over
        the athlete's full length of it: how many times bigger it is at least (a low quantile
        over bones: bones the athlete was seen foreshortened in look longer later), and its
        longest bone for its kind; NaN when no bone can be compared. The last body's answer
        is kept: tracking measures the body it accepts twice, to check it and to remember it."""
        if self._measured is not None and self._measured[0] is xy:
            return self._measured[1]
        ratios = bone_lengths(xy) / self.full()
        measured = finite.percentile(ratios, SIZE_QUANTILE), finite.maximum(ratios)
        self._measured = (xy, measured)
        return measured

    def ratio(self, xy: np.ndarray) -> float:
        """How many times bigger than the athlete the body `xy` is at least (`measure`)."""
        return self.measure(xy)[0]

    def full(self) -> np.ndarray:
        """(bones,) each bone's full length in memory (pixels), NaN where it has none."""
        if self._full is None:
            lengths = self.lengths
            if np.isnan(lengths).any():  # nanpercentile is six times slower
                full = finite.percentile(lengths, FULL_PERCENTILE, axis=0)
            else:
                full = np.percentile(lengths, FULL_PERCENTILE, axis=0)
            full = np.where(full > 0, full, np.nan)
            height = implied_height(full)
            self._full = np.fmax(full, PROPORTION_FLOOR * _SHARES * height)
        return self._full

    def add(self, xy: np.ndarray, time_s: float) -> None:
        """Remember an accepted body at `time_s` when it is the athlete's size (so a body
        growing frame by frame, as one skeleton slides onto a nearer person, does not make
        the athlete bigger, nor someone farther away smaller); forget what is older than
        MEMORY_S."""
        if not SMALLEST_REMEMBERED <= self.ratio(xy) <= SAME:
            return
        if self.times[0] is None:  # the body it started from: the pass's first frame
            self.times[0] = time_s
        self.times.append(time_s)
        old = 0
        while abs(time_s - self.times[0]) > MEMORY_S:  # a pass may run backward
            self.times.popleft()
            old += 1
        self.lengths = np.concatenate([self.lengths[old:], bone_lengths(xy)[None]])
        self._full, self._measured = None, None
