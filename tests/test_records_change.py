"""Change from baseline against noise, limb symmetry, history and comparison for the report."""

import pytest

from movement_screen import records
from movement_screen.records import change
from tests.records_helpers.reports import SPRINT_RULES, make_report

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "direction, baseline, current, expected",
    [
        ("above", 80.0, 76.0, "improved"),  # lower is better
        ("above", 80.0, 84.0, "declined"),
        ("above", 80.0, 82.99, "within noise"),
        ("above", 80.0, 83.0, "declined"),  # exactly the noise is a real change
        ("above", 80.0, 77.01, "within noise"),
        ("below", 10.0, 14.0, "improved"),  # higher is better
        ("below", 10.0, 6.0, "declined"),
        ("either", -6.0, 2.0, "improved"),  # closer to 0 is better
        ("either", 2.0, -6.0, "declined"),
        ("either", 5.0, -5.0, "changed"),  # as far from 0 on the other side
        (None, 10.0, 20.0, "changed"),  # no rule: no direction
        (None, 10.0, 11.0, "within noise"),
    ],
)
def test_verdicts(direction, baseline, current, expected):
    got = change.verdict(baseline=baseline, current=current, noise=3.0, direction=direction)
    assert got == expected


def test_float_rounding_does_not_push_a_change_of_exactly_the_noise_inside_it():
    assert change.verdict(baseline=0.1, current=3.1, noise=3.0, direction="above") == "declined"


def test_compare_takes_noise_and_direction_from_the_median_rule():
    rules = [
        *SPRINT_RULES,
        {"metric": "trunk_lean_mean", "kind": "drift", "direction": "above", "noise": 4.0},
    ]
    base = {
        ("peak_thigh_angle", "left"): (70.0, "deg"),
        ("trunk_lean_mean", "left"): (5.0, "deg"),
        ("peak_knee_height", "right"): (-0.16, "ratio"),
        ("hip_extension_toe_off", "right"): (20.0, "deg"),
    }
    now = {
        ("peak_thigh_angle", "left"): (75.0, "deg"),
        ("trunk_lean_mean", "left"): (8.5, "deg"),
        ("peak_knee_height", "right"): (-0.12, "ratio"),
        ("hip_extension_toe_off", "right"): (22.5, "deg"),
        ("peak_thigh_angle", "right"): (1.0, "deg"),
    }
    rows = {(r["metric"], r["side"]): r for r in change.compare(base, now, rules=rules)}
    assert set(rows) == set(base)  # only what both sessions measured
    assert rows[("peak_thigh_angle", "left")] == {
        "metric": "peak_thigh_angle",
        "side": "left",
        "baseline": 70.0,
        "current": 75.0,
        "change": 5.0,
        "unit": "deg",
        "noise": 3.0,
        "verdict": "declined",
    }
    # a drift rule gives the noise (4 deg) but no direction for the median: "changed" beyond it
    assert rows[("trunk_lean_mean", "left")]["noise"] == 4.0
    assert rows[("trunk_lean_mean", "left")]["verdict"] == "within noise"
    assert rows[("peak_knee_height", "right")]["noise"] == change.DEFAULT_NOISE["ratio"]
    assert rows[("peak_knee_height", "right")]["verdict"] == "changed"
    assert rows[("peak_knee_height", "right")]["change"] == 0.04
    assert rows[("hip_extension_toe_off", "right")]["verdict"] == "within noise"


def test_default_noise_is_3_deg_without_a_rule():
    assert change.noise_for([], "anything", "deg") == 3.0
    assert change.noise_for([], "anything", None) == 3.0


@pytest.mark.parametrize(
    "left, right, expected",
    [
        (80.0, 100.0, 80.0),
        (100.0, 80.0, 80.0),
        (90.0, 90.0, 100.0),
        (-5.0, 10.0, None),
        (0.0, 10.0, None),
        (None, 10.0, None),
    ],
)
def test_limb_symmetry_index(left, right, expected):
    assert change.lsi(left, right) == expected


def test_symmetry_only_for_range_metrics_with_both_sides():
    values = {
        ("peak_thigh_angle", "left"): (72.0, "deg"),
        ("peak_thigh_angle", "right"): (80.0, "deg"),
        ("trunk_lean_mean", "left"): (5.0, "deg"),
        ("trunk_lean_mean", "right"): (6.0, "deg"),
        ("hip_extension_toe_off", "left"): (15.0, "deg"),
    }
    assert change.symmetry(values) == [
        {"metric": "peak_thigh_angle", "left": 72.0, "right": 80.0, "lsi": 90.0}
    ]


def _thigh(left, right):
    return {
        ("peak_thigh_angle", "left"): left,
        ("peak_thigh_angle", "right"): right,
        ("hip_extension_toe_off", "left"): 18.0,
    }


def test_history_changes_series_and_symmetry(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    for day, (left, right) in enumerate([(70.0, 80.0), (71.0, 79.0), (82.0, 78.0)], start=1):
        when = f"2024-05-0{day}T09:00:00+00:00"
        records.store_screening(db, make_report(_thigh(left, right)), athlete="A", when=when)
    records.store_screening(
        db, make_report(movement="lunge"), athlete="A", when="2024-05-04T09:00:00+00:00"
    )
    result = records.history(db, "A")
    sprint, lunge = result["changes"]
    assert (sprint["baseline_date"], sprint["latest_date"]) == ("2024-05-01", "2024-05-03")
    verdicts = {(r["metric"], r["side"]): (r["change"], r["verdict"]) for r in sprint["rows"]}
    assert verdicts == {
        ("hip_extension_toe_off", "left"): (0.0, "within noise"),
        ("peak_thigh_angle", "left"): (12.0, "declined"),
        ("peak_thigh_angle", "right"): (-2.0, "within noise"),
    }
    assert lunge["rows"] == [] and lunge["baseline_date"] == "2024-05-04"
    keys = {(s["movement"], s["metric"], s["side"]): s for s in result["series"]}
    left = keys[("sprint", "peak_thigh_angle", "left")]
    assert [p["value"] for p in left["points"]] == [70.0, 71.0, 82.0]
    assert [p["baseline"] for p in left["points"]] == [True, False, False]
    lsi = [(r["date"], r["lsi"]) for r in result["symmetry"]["rows"] if r["movement"] == "sprint"]
    assert lsi == [("2024-05-01", 87.5), ("2024-05-02", 89.9), ("2024-05-03", 95.1)]
    assert result["symmetry"]["reference"] == 90.0
    assert records.history(db, "a", movement="lunge")["sessions"][0]["movement"] == "lunge"


def test_comparison_for_the_report(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    first = make_report(_thigh(70.0, 80.0), created="2024-05-01T09:00:00+00:00")
    assert records.comparison_for(db, "A", first) is None  # no database yet
    records.store_screening(db, first, athlete="A")
    assert records.comparison_for(db, "A", first) is None  # the report is the baseline
    assert records.comparison_for(db, "Nobody", first) is None
    second = make_report(_thigh(74.0, 80.5), created="2024-06-01T09:00:00+00:00")
    unsaved = records.comparison_for(db, "a", second)
    records.store_screening(db, second, athlete="A")
    stored = records.comparison_for(db, "A", second)
    for result in (unsaved, stored):
        assert result["baseline_date"] == "2024-05-01"
        rows = {(r["metric"], r["side"]): r["verdict"] for r in result["rows"]}
        assert rows[("peak_thigh_angle", "left")] == "declined"
        assert rows[("peak_thigh_angle", "right")] == "within noise"
        assert result["trend_png"].startswith(PNG)
    assert records.comparison_for(db, "A", make_report(movement=None)) is None
    # the same screening rendered again (new `created` stamp) is the stored session, not a new one
    assert records.comparison_for(db, "A", {**first, "created": "2030-01-01T00:00:00Z"}) is None
