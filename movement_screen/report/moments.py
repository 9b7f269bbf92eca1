"""Key moments of a screening: where a reviewer jumps to, in time order, said in words.

Each stride's or rep's key moments (push-off, peak knee drive, landing; a rep's bottom or
deepest point) with the values read there, and each finding at the stride or rep that is
typical of it (the one nearest the median), at the moment its metric is read. `key`
names a moment the same way in every clip of the same movement ("rep:left:1:bottom",
"finding:peak_thigh_angle:left"), so a follow-up can be paired with its baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from movement_screen import movements
from movement_screen.core import Event, Measurement
from movement_screen.report import names
from movement_screen.rules import Finding
from movement_screen.screening import Screening


@dataclass(frozen=True)
class KeyMoment:
    """One frame worth looking at: `frame` indexes the clip, `time_s` is its time."""

    frame: int
    time_s: float
    key: str  # the same moment in another clip of the movement has the same key
    label: str  # in words, with the value read there
    kind: str  # "moment" (of a stride or rep) or "finding"
    severity: str | None = None  # findings: "ok", "watch" or "flag"
    metric: str | None = None  # findings: the metric judged
    side: str | None = None  # findings: the side judged (None: both legs)
    value: float | None = None  # findings: the value judged (the median over the events)
    unit: str | None = None


def key_moments(screening: Screening) -> list[KeyMoment]:
    """Every event's key moments, then every median finding's typical moment, by frame."""
    values = _event_values(screening.measurements)
    found = [m for e in screening.events for m in _event_moments(screening, e, values)]
    found += [m for f in screening.findings if (m := _finding_moment(screening, f, values))]
    return sorted(found, key=lambda m: (m.frame, m.kind != "finding", m.key))


def _event_values(measurements: list[Measurement]) -> dict[tuple, float]:
    """(metric, side, event number) -> the event's own value, where it was measured."""
    return {(m.metric, m.side, m.rep): m.value for m in measurements
            if m.kind == "value" and math.isfinite(m.value)}  # fmt: skip


def _moment_metrics(screening: Screening, moment: str) -> list[str]:
    """The metrics of this screening read at `moment`, in the movement's own order."""
    spec = movements.get(screening.movement) if screening.movement else None
    table = spec.table(screening.view) if spec else {}
    return [name for name, metric in table.items() if metric.moment == moment]


def _event_moments(screening: Screening, event: Event, values: dict) -> list[KeyMoment]:
    where = _event_name(screening, event)
    out = []
    for moment, frame in sorted(event.moments.items(), key=lambda p: p[1]):
        read = [
            f"{names.metric_name(m)} {names.metric_value(m, values[key], _unit(m))}"
            for m in _moment_metrics(screening, moment)
            if (key := (m, event.side, event.number)) in values
        ]
        label = f"{where}: {names.moment_word(moment)}" + (f" ({'; '.join(read)})" if read else "")
        key = f"{event.kind}:{event.side}:{event.number}:{moment}"
        out.append(KeyMoment(int(frame), _time(screening, frame), key, label, "moment"))
    return out


def _event_name(screening: Screening, event: Event) -> str:
    """'Stride 2, left leg', 'Rep 1, left leg in front', 'Rep 3'."""
    word = names.event_word(screening.movement).capitalize()
    if event.side is None:
        return f"{word} {event.number}"
    return f"{word} {event.number}, {names.side_word(screening.movement, event.side)}"


def _finding_moment(screening: Screening, f: Finding, values: dict) -> KeyMoment | None:
    """A median finding at its typical event's moment (None: other kinds, or no event)."""
    if f.kind != "median":
        return None
    own = [(e, values[(f.metric, e.side, e.number)]) for e in screening.events
           if e.side == f.side and (f.metric, e.side, e.number) in values]  # fmt: skip
    if not own:
        return None
    event, value = min(own, key=lambda p: (abs(p[1] - f.value), p[0].start))
    frame = typical_frame(event, f.metric)
    typical, shown = (names.metric_value(f.metric, v, f.unit) for v in (f.value, value))
    label = (
        f"{names.STATUS[f.severity.value]}: {names.metric_name(f.metric)}, "
        f"{names.side_word(screening.movement, f.side)}: {typical} typical; "
        f"{_event_name(screening, event).lower()} shown ({shown})"
    )
    key = f"finding:{f.metric}:{f.side}"
    return KeyMoment(frame, _time(screening, frame), key, label, "finding",
                     f.severity.value, f.metric, f.side, float(f.value), f.unit)  # fmt: skip


def typical_frame(event: Event, metric: str) -> int:
    """The frame a metric is read at in `event`: its key moment, else the event's middle."""
    found = movements.metric(metric)
    moment = event.moments.get((found.moment if found else None) or "")
    return int(moment) if moment is not None else (event.start + event.end) // 2


def _unit(metric: str) -> str:
    found = movements.metric(metric)
    return found.unit if found else "deg"


def _time(screening: Screening, frame: int) -> float:
    return round(float(screening.angles.time[frame]), 4)


def to_dicts(found: list[KeyMoment]) -> list[dict]:
    """report.json's "key_moments": the fields that are set."""
    return [{k: v for k, v in vars(m).items() if v is not None} for m in found]
