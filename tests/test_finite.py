"""NaN-skipping statistics that never warn (`movement_screen.finite`)."""

import threading
import warnings

import numpy as np
import pytest

from movement_screen import finite

RNG = np.random.default_rng(7)
DATA = RNG.normal(size=(40, 8))
DATA[RNG.random(DATA.shape) < 0.3] = np.nan
DATA[:, 3] = np.nan  # a column with no value


@pytest.mark.parametrize(
    ("ours", "numpy"),
    [
        (finite.median, np.nanmedian),
        (
            lambda x, axis=None: finite.percentile(x, 35, axis),
            lambda x, axis=None: np.nanpercentile(x, 35, axis=axis),
        ),
        (finite.maximum, np.nanmax),
        (finite.minimum, np.nanmin),
    ],
)
def test_each_is_numpys_own_where_there_are_values_and_nan_without_a_warning_where_none(
    ours, numpy
):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = [numpy(DATA, axis=0), numpy(DATA, axis=1), numpy(DATA[:, 0])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        got = [ours(DATA, axis=0), ours(DATA, axis=1), ours(DATA[:, 0])]
        assert np.isnan(ours(DATA[:, 3])) and np.isnan(ours(np.array([])))
    assert np.array_equal(got[0], expected[0], equal_nan=True) and np.isnan(got[0][3])
    assert np.array_equal(got[1], expected[1], equal_nan=True)
    assert got[2] == expected[2] and isinstance(got[2], float)


def test_threads_leave_the_process_s_warning_filters_as_they_were():
    before = list(warnings.filters)

    def work():
        for _ in range(200):
            finite.percentile(DATA, 90, axis=0)
            finite.median(DATA[:, 3])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert warnings.filters == before
