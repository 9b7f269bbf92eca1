"""Change from the baseline judged against measurement noise, and limb symmetry.

Pure functions of plain report data. A change smaller than the metric's noise
(the smallest real change, from the protocol rule in the report) is "within
noise", never an improvement or a decline. Beyond it the rule's direction says
which way is better: `above` flags high values (lower is better), `below` flags
low values (higher is better), `either` flags both (closer to 0 is better).
"""

from __future__ import annotations

WITHIN_NOISE = "within noise"
IMPROVED, DECLINED, CHANGED = "improved", "declined", "changed"
# Noise when no rule names the metric: 3 deg, the upper end of the smallest real change
# of 2D joint angles the protocols cite; for the knee-height ratio (height / leg length),
# 0.03 is what 3 deg of thigh angle moves it near horizontal (thigh ~ half the leg).
DEFAULT_NOISE = {"deg": 3.0, "ratio": 0.03}
# Limb symmetry index: 100 x smaller / larger side, for range-of-motion metrics that
# are positive when healthy. 90 % is the common return-to-sport reference (a reference
# line, not a verdict on a screen).
LSI_METRICS = frozenset(
    {
        "peak_thigh_angle",
        "hip_extension_toe_off",
        "front_knee_flexion_bottom",
        "trail_hip_extension_bottom",
    }
)
LSI_REFERENCE = 90.0
LSI_NOTE = (
    "limb symmetry index = 100 x smaller side / larger side; 90 % is a common "
    "return-to-sport reference, shown for reference, not a verdict"
)
SIDE_ORDER = {"left": 0, "right": 1, None: 2}

Medians = dict[tuple[str, str | None], tuple[float, str | None]]


def medians(measurements: list[dict]) -> Medians:
    """{(metric, side): (value, unit)} of the per-side medians of report measurements."""
    out: Medians = {}
    for m in measurements:
        value = m.get("value")
        if m.get("kind") == "median" and isinstance(value, int | float):
            out[(m["metric"], m.get("side"))] = (float(value), m.get("unit"))
    return out


def rules_of(report: dict) -> list[dict]:
    """The protocol rules stored in a report ([] when it has none)."""
    protocol = report.get("protocol")
    rules = protocol.get("rules") if isinstance(protocol, dict) else None
    return [r for r in rules or [] if isinstance(r, dict)]


def rule_for(rules: list[dict], metric: str) -> dict | None:
    """The rule that judges the metric's median, else any rule on the metric."""
    named = [r for r in rules if r.get("metric") == metric]
    return next((r for r in named if r.get("kind") == "median"), named[0] if named else None)


def noise_for(rules: list[dict], metric: str, unit: str | None) -> float:
    rule = rule_for(rules, metric)
    if rule is not None and isinstance(rule.get("noise"), int | float):
        return float(rule["noise"])
    return DEFAULT_NOISE.get(unit or "deg", DEFAULT_NOISE["deg"])


def verdict(*, baseline: float, current: float, noise: float, direction: str | None) -> str:
    """'within noise', 'improved', 'declined', or 'changed' (no direction to judge by)."""
    change = round(current - baseline, 4)
    if abs(change) < noise:
        return WITHIN_NOISE
    better = {
        "above": current < baseline,
        "below": current > baseline,
        "either": abs(current) < abs(baseline),
    }
    if direction not in better or (direction == "either" and abs(current) == abs(baseline)):
        return CHANGED
    return IMPROVED if better[direction] else DECLINED


def compare(baseline: Medians, current: Medians, *, rules: list[dict]) -> list[dict]:
    """One row per metric and side measured in both: baseline, current, change, verdict."""
    keys = sorted(baseline.keys() & current.keys(), key=lambda k: (k[0], SIDE_ORDER.get(k[1], 3)))
    return [
        _row(metric, side, baseline[(metric, side)], current[(metric, side)], rules)
        for metric, side in keys
    ]


def _row(metric: str, side: str | None, base: tuple, now: tuple, rules: list[dict]) -> dict:
    unit = now[1] or base[1]
    noise = noise_for(rules, metric, unit)
    median_rule = rule_for([r for r in rules if r.get("kind") == "median"], metric)
    digits = 4 if unit == "ratio" else 2
    return {
        "metric": metric,
        "side": side,
        "baseline": base[0],
        "current": now[0],
        "change": round(now[0] - base[0], digits),
        "unit": unit,
        "noise": noise,
        "verdict": verdict(
            baseline=base[0],
            current=now[0],
            noise=noise,
            direction=median_rule.get("direction") if median_rule else None,
        ),
    }


def lsi(left: float | None, right: float | None) -> float | None:
    """100 x min / max of two positive values; None when either is missing or not positive."""
    if left is None or right is None or left <= 0 or right <= 0:
        return None
    return round(100.0 * min(left, right) / max(left, right), 1)


def symmetry(values: Medians) -> list[dict]:
    """LSI per eligible metric with both a left and a right median."""
    out = []
    for metric in sorted({m for m, _ in values} & LSI_METRICS):
        left, right = values.get((metric, "left")), values.get((metric, "right"))
        index = lsi(left and left[0], right and right[0])
        if index is not None:
            out.append({"metric": metric, "left": left[0], "right": right[0], "lsi": index})
    return out
