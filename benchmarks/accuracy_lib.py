"""Pure comparison functions of the accuracy benchmark: no video, no MediaPipe, no files.

Series are (T,) arrays on the clip's frames (time axis 0) in degrees, NaN where
undefined; positions are (T, 2) pixels. Every error is engine minus truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from movement_screen.core import Event, Measurement

FAULT_CUES = (
    "reduce_knee_drive",
    "stay_tall",
    "keep_pelvis_level",
    "knee_over_foot",
    "hinge_from_hips",
    "even_sides",
    "hold_form_when_tired",
)
Key = tuple[str, str | None, int]  # (metric, side, rep) of one per-event measurement
NAN = float("nan")
LISTED = 4  # labels named in a target's detail before "and N more"


@dataclass(frozen=True)
class ErrorStats:
    """Errors over the frames where estimate and truth are both defined."""

    n: int  # frames compared
    mae: float  # mean absolute error
    bias: float  # mean signed error
    max: float  # largest absolute error
    p95: float = NAN  # 95th percentile of the absolute error

    def as_dict(self) -> dict:
        return asdict(self)


def error_stats(estimate: np.ndarray, truth: np.ndarray) -> ErrorStats:
    """MAE, bias and maximum error of (T,) `estimate` against (T,) `truth`.

    Only the first min(len) frames are compared; all NaN stats when no frame has both.
    """
    n = min(len(estimate), len(truth))
    err = np.asarray(estimate[:n], dtype=float) - np.asarray(truth[:n], dtype=float)
    err = err[np.isfinite(err)]
    if err.size == 0:
        return ErrorStats(0, NAN, NAN, NAN)
    size = np.abs(err)
    return ErrorStats(
        int(err.size),
        float(np.mean(size)),
        float(np.mean(err)),
        float(np.max(size)),
        float(np.percentile(size, 95)),
    )


def _distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), axis=1)


def swapped_labels(
    left: np.ndarray,
    right: np.ndarray,
    true_left: np.ndarray,
    true_right: np.ndarray,
    *,
    min_apart: float,
) -> np.ndarray:
    """(T,) 1.0 where a left/right pair of (T, 2) points fits the truth better exchanged.

    0.0 where the labels fit as given; NaN where the frame cannot be judged: a point is
    missing, or the true points are closer than `min_apart` pixels (legs crossing).
    """
    kept = _distance(left, true_left) + _distance(right, true_right)
    exchanged = _distance(left, true_right) + _distance(right, true_left)
    judged = (
        np.isfinite(kept) & np.isfinite(exchanged) & (_distance(true_left, true_right) >= min_apart)
    )
    flags = np.where(exchanged < kept, 1.0, 0.0)
    flags[~judged] = np.nan
    return flags


def share(flags: np.ndarray) -> tuple[float, int]:
    """(mean of the finite flags, how many were finite); NaN share when none."""
    ok = np.isfinite(flags)
    return (float(np.mean(flags[ok])) if ok.any() else NAN), int(ok.sum())


def event_distance(a: Event, b: Event) -> float:
    """Mean frame distance between the key moments two events share; inf if none or the
    events cannot be the same (other kind, or strides of different legs)."""
    if a.kind != b.kind or (a.kind == "stride" and a.side != b.side):
        return float("inf")
    shared = sorted(set(a.moments) & set(b.moments))
    if not shared:
        return float("inf")
    return float(np.mean([abs(a.moments[k] - b.moments[k]) for k in shared]))


def match_events(
    engine: Sequence[Event], truth: Sequence[Event], *, tolerance: float = 0.25
) -> dict[int, int]:
    """{engine index: truth index}, one to one, nearest pairs first.

    A pair counts only if its key moments are within `tolerance` times the engine
    event's length (frames) of each other.
    """
    pairs = []
    for i, e in enumerate(engine):
        limit = tolerance * max(e.end - e.start, 1)
        for j, t in enumerate(truth):
            d = event_distance(e, t)
            if d <= limit:
                pairs.append((d, i, j))
    matched: dict[int, int] = {}
    for _, i, j in sorted(pairs):
        if i not in matched and j not in matched.values():
            matched[i] = j
    return matched


def event_values(measurements: Iterable[Measurement]) -> dict[Key, float]:
    """{(metric, side, rep): value} of the per-event measurements (kind 'value')."""
    return {(m.metric, m.side, m.rep): m.value for m in measurements if m.kind == "value"}


def rekey(
    values: Mapping[Key, float],
    engine: Sequence[Event],
    truth: Sequence[Event],
    matched: Mapping[int, int],
) -> dict[Key, float]:
    """Truth values of matched truth events, keyed by the engine event each matched."""
    out = {}
    for i, j in matched.items():
        e, t = engine[i], truth[j]
        for (metric, side, rep), value in values.items():
            if side == t.side and rep == t.number:
                out[(metric, e.side, e.number)] = value
    return out


def join(columns: Mapping[str, Mapping[Key, float]], *, base: str = "engine") -> list[dict]:
    """One row per key of `columns[base]`: metric, side, rep and every column's value."""
    rows = []
    for key in sorted(columns[base], key=lambda k: (k[0], k[2], k[1] or "")):
        metric, side, rep = key
        row: dict = {"metric": metric, "side": side, "rep": rep}
        row.update({name: float(values.get(key, NAN)) for name, values in columns.items()})
        rows.append(row)
    return rows


def with_errors(rows: list[dict], references: Sequence[str], *, base: str = "engine") -> list[dict]:
    """Rows with `err_<reference>` = base minus reference added (NaN where either is)."""
    return [{**r, **{f"err_{ref}": r[base] - r[ref] for ref in references}} for r in rows]


@dataclass(frozen=True)
class CueCheck:
    """Which expected cues fired, which did not, and which fault cues fired unasked."""

    expected: tuple[str, ...]
    fired: tuple[str, ...]
    missed: tuple[str, ...]
    unexpected: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missed and not self.unexpected

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_cues(
    expected: Iterable[str], fired: Iterable[str], *, fault_cues: Iterable[str] = FAULT_CUES
) -> CueCheck:
    """Compare a screening's cue ids with the clip's expected cues."""
    want, got, faults = list(expected), list(fired), set(fault_cues)
    missed = tuple(c for c in want if c not in got)
    unexpected = tuple(c for c in got if c in faults and c not in want)
    return CueCheck(tuple(want), tuple(got), missed, unexpected)


def listing(labels: Sequence[str], *, most: int = LISTED) -> str:
    """The first `most` labels, comma-separated, then how many more there are."""
    shown = ", ".join(labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")


@dataclass(frozen=True)
class Target:
    """One benchmark target: PASS, MISS, or N/A when no clip could test it."""

    name: str
    limit: str
    value: str  # the measured value, as printed
    status: str
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def limit_target(
    name: str, values: Mapping[str, float], *, limit: float, unit: str = "deg"
) -> Target:
    """PASS when every labelled value is finite and at most `limit`; shows the worst
    measured value, and names the labels over the limit or not measured (NaN)."""
    rule = f"<= {limit:g} {unit}"
    if not values:
        return Target(name, rule, "-", "N/A", "no clip tests this")
    measured = {k: v for k, v in values.items() if np.isfinite(v)}
    over = sorted(k for k, v in measured.items() if v > limit)
    unmeasured = sorted(k for k in values if k not in measured)
    ok = len(values) - len(over) - len(unmeasured)
    detail = f"{ok}/{len(values)} within"
    detail += f"; over: {listing(over)}" if over else ""
    detail += f"; not measured: {listing(unmeasured)}" if unmeasured else ""
    worst = max(measured, key=measured.__getitem__, default=None)
    value = f"{measured[worst]:.2f} {unit} ({worst})" if worst is not None else "-"
    return Target(name, rule, value, "MISS" if over or unmeasured else "PASS", detail)


def count_target(name: str, oks: Mapping[str, bool], *, rule: str) -> Target:
    """PASS when every labelled check is True; the value is how many are."""
    if not oks:
        return Target(name, rule, "-", "N/A", "no clip tests this")
    failed = sorted(k for k, ok in oks.items() if not ok)
    value = f"{len(oks) - len(failed)}/{len(oks)}"
    detail = f"not met: {listing(failed)}" if failed else "all met"
    return Target(name, rule, value, "MISS" if failed else "PASS", detail)
