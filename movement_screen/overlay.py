"""Annotated video: the athlete's skeleton, measured angles, stride or rep, and findings.

Frames are streamed: decoded by `video.frames`, drawn with OpenCV, encoded with PyAV,
never all held. The output is H.264 (libx264) in yuv420p in an MP4 with the index at
the front, which every browser plays; OpenCV's own writer ('mp4v', MPEG-4 Part 2)
does not play in browsers. Each frame keeps the decoder's timestamp (variable frame
rates stay in time). A slow-motion clip is drawn on every n-th frame, at most DRAWN_RATE
a second (`drawn_every`): drawing and encoding each of a 240 fps clip's frames cost as
much as posing them. Colours are RGB: frames are RGB arrays.

`draw(frame, screening, i)` is the per-frame picture, reused for the report's key frames.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import cv2
import numpy as np

from movement_screen import metrics, movements, video
from movement_screen.landmarks import INDEX, SIDES, SKELETON
from movement_screen.report import names
from movement_screen.screening import Screening

SIDE_COLOUR = {  # RGB frames; light grey for no side, to read on any video
    **{side: names.rgb(c) for side, c in names.SIDE_COLOURS.items() if side},
    None: (235, 235, 235),
}
SEVERITY_COLOUR = {"watch": (255, 190, 0), "flag": (235, 45, 45)}
DARK = (20, 20, 20)
CROP_MARGIN = 0.15  # key frames: room around the athlete, in body heights ...
LABEL_ROOM = 110.0  # ... plus this many pixels (at scale 1: `_scale`) sideways, for labels
HOLD_S = 0.4  # a finding stays marked this long either side of its moment ...
HOLD_SHARE = 0.25  # ... but no longer than this share of its stride or rep
TIME_BASE = Fraction(1, 90000)  # output timestamps: 90 kHz, exact for 24/25/30/50/60 fps
MAX_SIDE = 1280  # the annotated clip is at most this wide or tall: quick to encode and to stream
ENCODER = {"crf": "23", "preset": "ultrafast"}  # the encoder is the slow part of the video
DRAWN_RATE = 60.0  # frames a second at most in the annotated clip
LABELS_KEPT = 64  # text boxes kept drawn (`_label`): a frame's labels are mostly the last's
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Mark:
    """A finding shown on frames `start`..`end` (inclusive), with a ring on `joint`."""

    start: int
    end: int
    text: str
    severity: str
    joint: tuple[str, str | None]  # (angle base name, side) whose anchor is ringed


@dataclass(frozen=True)
class Plan:
    """What to draw, worked out once per screening."""

    labels: tuple[tuple[str, str, str | None], ...]  # (angle column, base name, side)
    marks: tuple[Mark, ...]
    title: str


def plan(screening: Screening) -> Plan:
    """The angle labels and finding marks for a screening."""
    movement = screening.movement.value if screening.movement else None
    labels = tuple(
        (column, base, _side_of(column))
        for base in names.panels(movement, screening.view.value)
        for column in names.columns(base)
    )
    estimate = screening.movement_estimate
    word = names.movement_word(
        movement, estimate.seen, estimate.movement and estimate.movement.value
    )
    title = f"{word} - {screening.view.value} view"
    return Plan(labels, tuple(_marks(screening)), title)


def _side_of(column: str) -> str | None:
    return next((s for s in ("left", "right") if column.endswith(f"_{s}")), None)


def _crossed(value: float, line: float, direction: str) -> bool:
    if direction == "below":
        return value <= line
    return (abs(value) if direction == "either" else value) >= line


def _marks(screening: Screening) -> list[Mark]:
    """A mark at the key moment of every event whose own value crosses a finding's line."""
    values = {
        (m.metric, m.side, m.rep): m.value for m in screening.measurements if m.kind == "value"
    }
    out = []
    for f in screening.findings:
        if f.kind != "median" or f.severity.value == "ok":
            continue
        for event in screening.events:
            value = values.get((f.metric, event.side, event.number))
            if event.side == f.side and value is not None and _crossed(value, f.watch, f.direction):
                out.append(_mark(screening, f, event, value))
    return out


def _mark(screening: Screening, f, event, value: float) -> Mark:
    movement = screening.movement.value if screening.movement else None
    severity = "flag" if _crossed(value, f.flag, f.direction) else "watch"
    found = movements.metric(f.metric)
    moment = event.moments.get((found.moment if found else None) or "")
    hold = round(min(HOLD_S * screening.info.fps, HOLD_SHARE * (event.end - event.start)))
    start, end = (moment - hold, moment + hold) if moment is not None else (event.start, event.end)
    side = metrics.other(event.side) if found and found.leg == "other" else event.side
    text = (
        f"{names.STATUS[severity].upper()}: {names.metric_name(f.metric)} "
        f"{names.metric_value(f.metric, value, f.unit)} ({names.side_word(movement, event.side)})"
    ).replace("°", " deg")
    angle = (found.angle if found else None) or ""
    return Mark(int(start), int(end), text, severity, (angle, side))


def _anchor(xy: np.ndarray, base: str, side: str | None) -> np.ndarray:
    """(2,) image pixels (y down already applied to `xy`) where an angle is written."""
    where = names.ANCHOR.get(base, "hips")
    if where in ("shoulders", "hips"):
        part = where[:-1]
        return (xy[INDEX[f"left_{part}"]] + xy[INDEX[f"right_{part}"]]) / 2
    return xy[INDEX[f"{side}_{where}"]]


def _scale(shape: tuple[int, ...]) -> float:
    """How big the drawing is (1 on a 540 px landscape frame): by the frame's shorter side,
    so a portrait clip's panel fits its width as a landscape clip's does."""
    return max(min(shape[:2]) / 540.0, 0.5)


def _text(frame, text, org, colour, s, *, right_align: bool = False) -> None:
    """Text on a dark box at `org` (its left end, or right end if `right_align`), moved in
    where it would run off the picture sideways (`_label`)."""
    patch, (ox, oy) = _label(text, colour, s)
    w = patch.shape[1] - 2 * ox - 1  # the text's width, its ring included
    left = int(org[0] - (w if right_align else 0)) - ox
    left = max(0, min(left, frame.shape[1] - patch.shape[1] + 1))  # kept inside the picture
    _paste(frame, patch, left, int(org[1]) - oy)


@functools.lru_cache(maxsize=LABELS_KEPT)
def _label(text: str, colour: tuple[int, int, int], s: float):
    """The dark box with `text` on it, an (h, w, 3) picture drawn once, and where the text
    starts in it (x, y of its baseline's left end); a trailing degree sign is drawn as a
    small ring (OpenCV's fonts have no such glyph). The box is opaque: pasting it gives
    the pixels that drawing the box and the text onto the frame gives."""
    degree = text.endswith("°")
    text = text.rstrip("°")
    font, size, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.5 * s, max(int(round(1.3 * s)), 1)
    (w, h), base = cv2.getTextSize(text, font, size, thick)
    ring = int(round(3 * s)) if degree else 0
    pad = int(3 * s)
    patch = np.empty((h + base + 2 * pad + 1, w + 3 * ring + 2 * pad + 1, 3), np.uint8)
    patch[:] = DARK
    cv2.putText(patch, text, (pad, pad + h), font, size, colour, thick, cv2.LINE_AA)
    if degree:
        cv2.circle(patch, (pad + w + 2 * ring, pad + ring), ring, colour, max(thick - 1, 1))
    patch.flags.writeable = False  # shared by every frame that shows this label
    return patch, (pad, pad + h)


def _paste(frame: np.ndarray, patch: np.ndarray, x: int, y: int) -> None:
    """`patch` onto `frame` with its top left corner at (x, y), cut where it runs off."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + patch.shape[1], frame.shape[1]), min(y + patch.shape[0], frame.shape[0])
    if x0 < x1 and y0 < y1:
        frame[y0:y1, x0:x1] = patch[y0 - y : y1 - y, x0 - x : x1 - x]


def _skeleton(frame: np.ndarray, xy: np.ndarray, s: float, *, sided: bool = True) -> None:
    """The skeleton, each side in its colour (`sided`), else all of it in the no-side grey."""
    colours = SIDE_COLOUR if sided else dict.fromkeys(SIDE_COLOUR, SIDE_COLOUR[None])
    thick = max(int(round(3 * s)), 1)
    for a, b in SKELETON:
        p, q = xy[INDEX[a]], xy[INDEX[b]]
        if np.isfinite(p).all() and np.isfinite(q).all():
            side = a.split("_")[0] if a.split("_")[0] == b.split("_")[0] else None
            cv2.line(frame, _pt(p), _pt(q), colours[side], thick, cv2.LINE_AA)
    # in the skeleton's order (a set's order changes from run to run, and so would which
    # of two overlapping dots is on top)
    for name in dict.fromkeys(("nose", *(n for pair in SKELETON for n in pair))):
        p = xy[INDEX[name]]
        if np.isfinite(p).all():
            colour = colours[_side_of(name) or (name.split("_")[0] if "_" in name else None)]
            cv2.circle(frame, _pt(p), max(int(4 * s), 2), colour, -1, cv2.LINE_AA)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(p[0])), int(round(p[1]))


def _event_leg(screening: Screening, i: int) -> str | None:
    """The leg of the event at frame i (a lunge rep's front leg), else None."""
    return next((e.side for e in screening.events if e.start <= i <= e.end), None)


# Where an angle's label sits from its joint (pixels at scale 1: `_scale`): beside it, on the
# outer side of the two legs in the picture, and the two sides' labels a box's height apart.
LABEL_ASIDE = 16
LABEL_DROP = {"left": -8, "right": 14, None: -12}


def _labels(frame, xy, screening: Screening, i: int, labels, s: float) -> None:
    own = _event_leg(screening, i)
    movement = screening.movement.value if screening.movement else None
    only = names.event_leg_only(movement)
    for column, base, side in labels:
        if base in only and own and side != own:
            continue
        value = screening.angles.values[column][i]
        where = _anchor(xy, base, side)
        if not (np.isfinite(value) and np.isfinite(where).all()):
            continue
        leftward = side is not None and _outer_is_left(xy, base, side, where)
        shift = np.array([-LABEL_ASIDE if leftward else LABEL_ASIDE, LABEL_DROP[side]]) * s
        text = names.video_label(base, value)
        _text(frame, text, where + shift, SIDE_COLOUR[side], s, right_align=leftward)


def _outer_is_left(xy: np.ndarray, base: str, side: str, where: np.ndarray) -> bool:
    """Is this side's joint the left one of the pair in the picture (so its label goes
    left)? Seen from the front the athlete's left leg is on the picture's right."""
    other = _anchor(xy, base, metrics.other(side))
    if not np.isfinite(other).all() or abs(where[0] - other[0]) < 1:
        return side == "left"
    return bool(where[0] < other[0])


def _events_now(screening: Screening, i: int) -> str:
    """'strides R1 L1', 'rep 2 (left leg in front)', 'between reps' ..."""
    movement = screening.movement.value if screening.movement else None
    word = names.event_word(movement)
    now = [e for e in screening.events if e.start <= i <= e.end]
    if not now:
        return f"between {word}s" if screening.events else f"no {word} found"
    if word == "stride":
        return "strides " + "  ".join(f"{(e.side or '?')[0].upper()}{e.number}" for e in now)
    e = now[-1]
    return f"rep {e.number}" + (f" ({names.side_word(movement, e.side)})" if e.side else "")


def _hud(frame, screening: Screening, i: int, plan_: Plan, tracked: bool, s: float) -> None:
    time_s = screening.angles.time[i] if i < len(screening.angles.time) else float("nan")
    lines = [(f"{plan_.title}   t {time_s:.2f} s", (255, 255, 255))]
    if screening.movement is not None:  # nothing screened: no strides or reps to count
        lines.append((_events_now(screening, i), (255, 255, 255)))
    if _passing(screening, i):
        lines.append(("someone passing close: not measured here", (200, 200, 200)))
    elif not tracked:
        lines.append(("athlete not tracked in this frame", (200, 200, 200)))
    elif screening.clean.legs_in_doubt[i]:
        lines.append(("left and right legs not told apart here", (200, 200, 200)))
    elif not screening.clean.far_leg_trusted[i]:
        lines.append(("far leg uncertain in this frame", (200, 200, 200)))
    shown = {m.text: m.severity for m in plan_.marks if m.start <= i <= m.end}
    lines += [(text, SEVERITY_COLOUR[severity]) for text, severity in shown.items()]
    lines.append(("L = left (orange)  R = right (blue)", (200, 200, 200)))
    for k, (text, colour) in enumerate(lines):
        _text(frame, text, (10 * s, (24 + 24 * k) * s), colour, s)


def _passing(screening: Screening, i: int) -> bool:
    """Did someone pass close over the athlete at frame i (nothing measured there)?"""
    return screening.clean.passing is not None and bool(screening.clean.passing[i])


def _rings(frame, xy, i: int, plan_: Plan, s: float) -> None:
    """A ring on the joint of every finding marked at frame i (both legs if it has no side)."""
    for m in plan_.marks:
        if not (m.start <= i <= m.end and m.joint[0]):
            continue
        base, side = m.joint
        for where in (_anchor(xy, base, one) for one in ((side,) if side else SIDES)):
            if np.isfinite(where).all():
                colour = SEVERITY_COLOUR[m.severity]
                cv2.circle(frame, _pt(where), int(18 * s), colour, max(int(3 * s), 2), cv2.LINE_AA)


def draw(
    frame_rgb: np.ndarray,
    screening: Screening,
    frame_index: int,
    *,
    plan_: Plan | None = None,
    hud: bool = True,
) -> np.ndarray:
    """A copy of the frame with the skeleton, angles, stride/rep and findings drawn on it
    (`hud`: the text panel at the top left). The frame may be the clip's own or resized
    (the landmarks, in the clip's pixels, are scaled to it)."""
    plan_ = plan_ or plan(screening)
    out = np.ascontiguousarray(frame_rgb).copy()
    s = _scale(out.shape)
    i = frame_index
    if not 0 <= i < len(screening.clean.pose):
        return out
    info = screening.info
    xy = screening.clean.pose.xy[i].copy()
    xy[:, 1] = info.height - xy[:, 1]
    xy *= (out.shape[1] / info.width, out.shape[0] / info.height)
    tracked = bool(np.isfinite(xy).all(axis=1).any())
    if tracked:  # where someone passes close nothing is measured: no side is vouched for
        _skeleton(out, xy, s, sided=not _passing(screening, i))
        _rings(out, xy, i, plan_, s)
        _labels(out, xy, screening, i, plan_.labels, s)
    if hud:
        _hud(out, screening, i, plan_, tracked, s)
    return out


def _athlete_box(screening: Screening, i: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    """Rows and columns of the frame around the athlete at frame i, with room for labels."""
    xy = screening.clean.pose.xy[i]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return slice(None), slice(None)
    x0, x1 = xy[:, 0].min(), xy[:, 0].max()
    y0, y1 = shape[0] - xy[:, 1].max(), shape[0] - xy[:, 1].min()
    s = _scale(shape)
    margin = max(CROP_MARGIN * (y1 - y0), 40.0 * s)
    side = margin + LABEL_ROOM * s  # angle labels sit beside the joints
    rows = slice(max(int(y0 - margin), 0), min(int(y1 + margin), shape[0]))
    cols = slice(max(int(x0 - side), 0), min(int(x1 + side), shape[1]))
    return rows, cols


def still(screening: Screening, frame_index: int, *, crop: bool = True) -> np.ndarray | None:
    """One frame decoded and drawn on, without the text panel, cropped around the athlete
    (`crop`); None if the clip has no such frame. For the report's key frames."""
    return stills(screening, [frame_index], crop=crop).get(frame_index)


def stills(screening: Screening, indices, *, crop: bool = True) -> dict[int, np.ndarray]:
    """`still` of each frame of `indices` the clip has, decoded in one pass: two key frames
    of a clip whose key frames lie 250 apart decode from the one before them once."""
    out = {}
    for index, _, rgb in video.frames_at(screening.info.path, indices):
        drawn = draw(rgb, screening, index, hud=False)
        if crop and 0 <= index < len(screening.clean.pose):
            rows, cols = _athlete_box(screening, index, drawn.shape)
            drawn = np.ascontiguousarray(drawn[rows, cols])
        out[index] = drawn
    return out


def output_size(width: int, height: int) -> tuple[int, int]:
    """The annotated clip's size: at most MAX_SIDE pixels on the long side, both even."""
    scale = min(1.0, MAX_SIDE / max(width, height))
    w, h = int(round(width * scale)), int(round(height * scale))
    return w + w % 2, h + h % 2


def drawn_every(fps: float) -> int:
    """The annotated clip of a clip filmed at `fps` holds every n-th of its frames."""
    return video.every_nth(fps, DRAWN_RATE)


def _yuv(rgb: np.ndarray) -> np.ndarray:
    """The encoder's picture (yuv420p, BT.601 video range as FFmpeg's own conversion gives
    it): OpenCV converts in a third of the time the encoder's scaler takes."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420)


def write_annotated(screening: Screening, path: str, *, progress: Progress | None = None) -> None:
    """Write the annotated clip to `path` (.mp4, H.264, yuv420p), one frame at a time."""
    import av  # PyAV: imported here so importing the package stays light

    info = screening.info
    plan_ = plan(screening)
    total = len(screening.angles.time)
    every = drawn_every(info.fps)
    with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
        rate = Fraction(info.fps / every).limit_denominator(1001)
        stream = out.add_stream("libx264", rate=rate)
        size = output_size(info.width, info.height)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = dict(ENCODER)
        stream.codec_context.thread_type = "AUTO"  # frame and slice threads: both cores
        stream.codec_context.time_base = TIME_BASE
        first, last = None, -1
        frames = video.frames(info.path, step=every, size=size)  # drawn and encoded smaller
        for i, time_s, frame in video.prefetched(frames):
            first = time_s if first is None else first
            last = max(int(round((time_s - first) / TIME_BASE)), last + 1)
            yuv = _yuv(draw(frame, screening, i, plan_=plan_))
            picture = av.VideoFrame.from_ndarray(yuv, "yuv420p")
            picture.pts, picture.time_base = last, TIME_BASE
            out.mux(stream.encode(picture))
            if progress is not None:
                progress(i + 1, total)
        out.mux(stream.encode(None))
