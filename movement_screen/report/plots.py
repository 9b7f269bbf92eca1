"""Report pictures: angles over time, left against right, drift over reps (PNG), key frames (JPEG).

Figures are `matplotlib.figure.Figure` objects rendered by the Agg canvas: no pyplot,
no global backend switch, nothing happens at import. Each function returns None when
the screening has nothing to show for it. Left is orange and right is blue, as in the
annotated video.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from movement_screen import movements
from movement_screen.report import moments, names
from movement_screen.screening import Screening

DPI = 110
RANK = names.RANK
WIDTH_IN = 8.0
MIN_DRIFT_SPAN = 10.0  # degrees: a flat series is drawn flat, not zoomed into its rounding
SIDE_COLOUR = names.SIDE_COLOURS
BAND = {"watch": "#f0a400", "flag": "#d32f2f"}
SHADE = {True: ("#d4d4d4", "#ebebeb"), False: ("#e6e6e6", "#f4f4f4")}  # strips, full height


def _figure(height_in: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _movement(screening: Screening) -> str | None:
    return screening.movement.value if screening.movement else None


def _series(screening: Screening, column: str) -> np.ndarray:
    """The angle column, with a lunge's trail-leg values blanked where they mean nothing."""
    values = screening.angles.values[column].copy()
    base, _, side = column.rpartition("_")
    if base in names.event_leg_only(_movement(screening)):
        for e in screening.events:
            if e.side and e.side != side:
                values[e.start : e.end + 1] = np.nan
    return values


def _band_rules(screening: Screening, base: str) -> list:
    rules = screening.protocol.rules if screening.protocol else ()
    return [r for r in rules if r.kind == "median" and _banded(r.metric) == base]


def _banded(metric: str) -> str | None:
    """The angle a metric's thresholds can be drawn on, if it is that angle itself."""
    found = movements.metric(metric)
    return found.angle if found and found.band else None


def _symmetric(rule) -> bool:
    found = movements.metric(rule.metric)
    return rule.direction == "either" or bool(found and found.both_ways)


def _zones(rule) -> list[tuple[str, float, float]]:
    """(severity, low, high) ranges of the angle that a rule judges watch or flag."""
    inf = np.inf
    if rule.direction == "below":
        return [("watch", rule.flag, rule.watch), ("flag", -inf, rule.flag)]
    zones = [("watch", rule.watch, rule.flag), ("flag", rule.flag, inf)]
    if _symmetric(rule):
        zones += [("watch", -rule.flag, -rule.watch), ("flag", -inf, -rule.flag)]
    return zones


def _draw_bands(ax, rules: list, low: float, high: float, *, room: tuple[float, float]) -> None:
    """Shade the watch and flag zones; the y range grows to show both lines, and by
    `room` (shares of the range, below and above) for the stride or rep labels."""
    lines = [v for r in rules for z in _zones(r) for v in z[1:] if np.isfinite(v)]
    low, high = min([low, *lines]), max([high, *lines])
    span = max(high - low, 10.0)
    low, high = low - room[0] * span, high + room[1] * span
    ax.set_ylim(low, high)
    for rule in rules:
        for severity, a, b in _zones(rule):
            ax.axhspan(max(a, low), min(b, high), color=BAND[severity], alpha=0.16, lw=0)
        for severity, value in (("watch", rule.watch), ("flag", rule.flag)):
            for v in (value, -value) if _symmetric(rule) else (value,):
                ax.axhline(v, color=BAND[severity], lw=1, ls="--")
                ax.annotate(
                    f"{severity} {v:g}°", (1.0, v), xycoords=("axes fraction", "data"),
                    xytext=(-4, 2), textcoords="offset points", ha="right", fontsize=7,
                    color=BAND[severity],
                )  # fmt: skip


def _overlapping(events) -> bool:
    spans = sorted((e.start, e.end) for e in events)
    return any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))


def _shade_events(ax, screening: Screening, strips: bool) -> None:
    """Each stride or rep shaded on the time axis and numbered: full height, or (where
    strides of the two legs overlap) in two strips along the bottom, left above right."""
    time = screening.angles.time
    count: dict[str | None, int] = {}
    for e in screening.events:
        k = count[e.side] = count.get(e.side, -1) + 1
        y0, y1 = (0.0, 1.0) if not strips else ((0.075, 0.14) if e.side == "left" else (0, 0.065))
        ax.axvspan(time[e.start], time[e.end], y0, y1, color=SHADE[strips][k % 2], lw=0, zorder=0.5)
        label = f"{(e.side or ' ')[0].upper()}{e.number}".strip()
        ax.text(
            (time[e.start] + time[e.end]) / 2, (y0 + y1) / 2 if strips else 0.97, label,
            transform=ax.get_xaxis_transform(), ha="center", va="center" if strips else "top",
            fontsize=6.5, color=SIDE_COLOUR.get(e.side, "#333333"),
        )  # fmt: skip


def _panel(ax, screening: Screening, base: str) -> None:
    time = screening.angles.time
    finite = []
    for column in names.columns(base):
        values = _series(screening, column)
        side = column.rpartition("_")[2] if base in names.SIDED else None
        ax.plot(time, values, color=SIDE_COLOUR[side], lw=1.4, label=side or base)
        finite.extend(values[np.isfinite(values)])
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    strips = _overlapping(screening.events)
    room = (0.22, 0.06) if strips else (0.06, 0.14)
    _draw_bands(ax, _band_rules(screening, base), low, high, room=room)
    _shade_events(ax, screening, strips)
    ax.set_title(names.angle_name(base), loc="left", fontsize=9)
    ax.set_ylabel("ratio" if base == "knee_height" else "degrees", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, lw=0.5)
    if base in names.SIDED:
        ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)


def angle_series(screening: Screening) -> bytes | None:
    """The movement's main angles over time, protocol bands shaded, strides or reps marked."""
    bases = [
        b
        for b in names.panels(_movement(screening), screening.view.value)
        if any(np.isfinite(screening.angles.values[c]).any() for c in names.columns(b))
    ]
    if not bases:
        return None
    fig = _figure(0.4 + 2.0 * len(bases))
    axes = fig.subplots(len(bases), 1, sharex=True, squeeze=False)[:, 0]
    for ax, base in zip(axes, bases, strict=True):
        _panel(ax, screening, base)
    axes[-1].set_xlabel("time (s)", fontsize=8)
    return _png(fig)


def _values(screening: Screening, metric: str, side: str | None) -> list[tuple[int, float]]:
    """(rep or stride number, value) of one metric on one side, finite only."""
    return [
        (m.rep, m.value)
        for m in screening.measurements
        if m.kind == "value" and m.metric == metric and m.side == side and np.isfinite(m.value)
    ]


def paired_metrics(screening: Screening) -> list[str]:
    """Degree metrics measured on both the left and the right."""
    medians = [m for m in screening.measurements if m.kind == "median" and m.unit == "deg"]
    sides = {(m.metric, m.side) for m in medians}
    return [
        metric
        for metric in dict.fromkeys(m.metric for m in medians)
        if (metric, "left") in sides and (metric, "right") in sides
    ]


def left_right(screening: Screening) -> bytes | None:
    """Per-side medians as bars, each stride or rep as a dot, for every paired metric."""
    metrics = paired_metrics(screening)
    if not metrics:
        return None
    fig = _figure(0.8 + 0.55 * len(metrics))
    ax = fig.subplots()
    for row, metric in enumerate(metrics):
        for k, side in enumerate(("left", "right")):
            y = row + (k - 0.5) * 0.38
            points = [v for _, v in _values(screening, metric, side)]
            median = float(np.median(points)) if points else np.nan
            ax.barh(y, median, height=0.34, color=SIDE_COLOUR[side], alpha=0.45)
            ax.plot(points, [y] * len(points), "o", ms=3.5, color=SIDE_COLOUR[side])
            ax.annotate(f"{median:.1f}°", (median, y), xytext=(4, -3), textcoords="offset points",
                        fontsize=7)  # fmt: skip
    ax.set_yticks(range(len(metrics)), [names.metric_name(m) for m in metrics], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlabel("degrees (bar: median; dots: each stride or rep)", fontsize=8)
    ax.tick_params(labelsize=7)
    from matplotlib.patches import Patch

    handles = [Patch(color=SIDE_COLOUR[s], alpha=0.6, label=s) for s in ("left", "right")]
    ax.legend(handles=handles, fontsize=7, loc="lower right")
    low, high = ax.get_xlim()
    ax.set_xlim(min(low, 0.0), high + 0.1 * (high - min(low, 0.0)))
    ax.grid(axis="x", alpha=0.3, lw=0.5)
    return _png(fig)


def drift_metrics(screening: Screening) -> list[str]:
    """Degree metrics with at least two strides or reps on some side."""
    sides = {m.side for m in screening.measurements if m.kind == "value"}
    medians = dict.fromkeys(
        m.metric for m in screening.measurements if m.kind == "median" and m.unit == "deg"
    )
    return [m for m in medians if any(len(_values(screening, m, s)) >= 2 for s in sides)]


def _drift_panel(ax, screening: Screening, metric: str) -> None:
    everything = []
    for side in ("left", "right", None):
        points = _values(screening, metric, side)
        if points:
            x, y = zip(*points, strict=True)
            label = side or "both legs"
            ax.plot(x, y, "o-", ms=4, lw=1.2, color=SIDE_COLOUR[side], label=label)
            everything += y
    middle = (min(everything) + max(everything)) / 2
    half = max(max(everything) - min(everything), MIN_DRIFT_SPAN) * 0.6
    ax.set_ylim(middle - half, middle + half)
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.set_title(names.metric_name(metric), loc="left", fontsize=9)
    ax.set_ylabel("degrees", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)


def drift(screening: Screening) -> bytes | None:
    """Each metric over the strides or reps, per side: does form change as the set goes on?"""
    metrics = drift_metrics(screening)
    if not metrics:
        return None
    cols = 2 if len(metrics) > 1 else 1
    rows = -(-len(metrics) // cols)
    fig = _figure(0.4 + 2.0 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    word = names.event_word(_movement(screening))
    for ax, metric in zip(axes, metrics, strict=False):
        _drift_panel(ax, screening, metric)
        ax.set_xlabel(f"{word} number", fontsize=8)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    return _png(fig)


@dataclass(frozen=True)
class KeyFrame:
    """One frame of the clip with the skeleton and angles drawn (JPEG), and what it shows."""

    title: str  # 'Worst stride', 'Typical rep', ...
    caption: str
    frame: int
    jpeg: bytes


def key_events(screening: Screening) -> tuple[object, list[tuple[str, object, float]]]:
    """(lead finding, [('worst', event, value), ('typical', ...)] or one 'only', or []).

    The lead is the worst median finding (rule order breaks ties); its per-event values
    rank the events on its side, worst first; typical is the one nearest the median."""
    medians = [f for f in screening.findings if f.kind == "median"]
    lead = min(medians, key=lambda f: RANK[f.severity.value], default=None)
    if lead is None:
        return None, []
    values = {(m.side, m.rep): m.value for m in screening.measurements if m.kind == "value"
              and m.metric == lead.metric and np.isfinite(m.value)}  # fmt: skip
    ranked = [(e, values[(e.side, e.number)]) for e in screening.events
              if lead.side in (None, e.side) and (e.side, e.number) in values]  # fmt: skip
    sign = -1.0 if lead.direction == "below" else 1.0
    ranked.sort(key=lambda p: abs(p[1]) if lead.direction == "either" else sign * p[1])
    ranked.reverse()
    if len(ranked) < 2:
        return lead, [("only", *p) for p in ranked]
    typical = min(ranked[1:], key=lambda p: abs(p[1] - lead.value))
    return lead, [("worst", *ranked[0]), ("typical", *typical)]


def key_frames(screening: Screening) -> list[KeyFrame]:
    """The worst and the typical stride or rep for the lead finding, at its key moment."""

    from movement_screen import overlay

    movement = _movement(screening)
    word = names.event_word(movement)
    lead, chosen = key_events(screening)
    at = [moments.typical_frame(event, lead.metric) for _, event, _ in chosen]
    drawn = overlay.stills(screening, at)
    out = []
    for (which, event, value), frame in zip(chosen, at, strict=True):
        still = drawn.get(frame)
        if still is None:
            continue
        where = f"{names.side_word(movement, event.side)}, " if event.side else ""
        caption = (
            f"{where}{word} {event.number}, at {screening.angles.time[frame]:.2f} s: "
            f"{names.metric_name(lead.metric)} {names.metric_value(lead.metric, value, lead.unit)} "
            f"(median {names.metric_value(lead.metric, lead.value, lead.unit)})"
        )
        out.append(
            KeyFrame(
                f"{which.capitalize()} {word}",
                caption[0].upper() + caption[1:],
                frame,
                _jpeg(still),
            )
        )
    return out


@dataclass(frozen=True)
class PairStill:
    """One finding that changed beyond its noise: the baseline's frame and today's (JPEG)."""

    caption: str
    baseline: bytes
    today: bytes


def beside_baseline(screening: Screening, doc: dict, beside: dict | None) -> list[PairStill]:
    """For each finding whose median changed beyond its noise since the baseline, its typical
    moment in the baseline's kept clip and in this one, at the same height."""
    from movement_screen import overlay, review, video

    if not beside or not beside.get("clip"):
        return []
    out = []
    for pair in review.pairs(beside["report"], doc):
        if pair.kind != "finding" or not pair.beyond_noise:
            continue
        then, now = pair.frames
        base = next(video.frames(beside["clip"], start=then, stop=then + 1), None)
        today = overlay.still(screening, now, crop=False)
        if base is None or today is None:
            continue
        today = _same_height(today, base[2].shape[0])
        out.append(PairStill(f"{pair.finding}: {pair.change}", _jpeg(base[2]), _jpeg(today)))
    return out


def _same_height(rgb: np.ndarray, height: int) -> np.ndarray:
    import cv2

    width = round(rgb.shape[1] * height / rgb.shape[0])
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)


def _jpeg(rgb: np.ndarray) -> bytes:
    import cv2

    return cv2.imencode(".jpg", rgb[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()
