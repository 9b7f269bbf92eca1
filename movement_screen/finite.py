"""Statistics over the values that are there (not NaN), that never warn.

NumPy's nan-functions warn through `warnings` on a slice that holds no value. The usual
silencer, `warnings.catch_warnings`, swaps the whole process's filters and is not
thread-safe: the person scan and tracking run in several threads at once, and one
thread leaving the block while another is inside it turns the other's silence off (or
leaves the filter in place for the rest of the process). These return NaN for an empty
slice instead, and the nan-function's own result everywhere else.
"""

from __future__ import annotations

import numpy as np

NAN = float("nan")


def mean(x: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """`np.nanmean`, NaN where a slice holds no value."""
    return _reduce(np.nanmean, x, axis)


def median(x: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """`np.nanmedian`, NaN where a slice holds no value."""
    return _reduce(np.nanmedian, x, axis)


def percentile(x: np.ndarray, q: float, axis: int | None = None) -> float | np.ndarray:
    """`np.nanpercentile` at `q`, NaN where a slice holds no value."""
    return _reduce(lambda v, axis: np.nanpercentile(v, q, axis=axis), x, axis)


def maximum(x: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """`np.nanmax`, NaN where a slice holds no value."""
    return _reduce(np.nanmax, x, axis)


def minimum(x: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """`np.nanmin`, NaN where a slice holds no value."""
    return _reduce(np.nanmin, x, axis)


def _reduce(func, x: np.ndarray, axis: int | None) -> float | np.ndarray:
    """`func(x, axis=axis)` with each slice that holds no value filled with zeros first
    (so `func` has nothing to warn about) and NaN in its place in the result."""
    x = np.asarray(x, dtype=float)
    empty = np.isnan(x).all(axis=axis, keepdims=axis is not None)
    if axis is None:
        return NAN if empty else float(func(x, axis=None))  # an empty array has no value
    out = func(np.where(empty, 0.0, x), axis=axis)
    return np.where(np.squeeze(empty, axis=axis), np.nan, out)
