"""Protocols (thresholds and cue wording as data, one TOML file per movement) and findings.

A protocol file is validated on loading: a bad one fails with one message
naming the file and the key.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from movement_screen.core import InputError, Measurement, Movement, Severity

KINDS = ("median", "asymmetry", "drift")
DIRECTIONS = ("above", "below", "either")
BASES = ("guidance", "published", "convention")
VIEWS = ("side", "front", "either")
AREAS = ("mobility", "strength", "load", "technique")
CHANGE_P = 0.05  # a left-right difference or a drift is read only if the events show it this
# clearly (p below 5 %, the usual convention): a difference made by a few odd strides is not


@dataclass(frozen=True)
class Rule:
    id: str
    metric: str
    kind: str
    direction: str
    watch: float
    flag: float
    noise: float
    cue: str
    basis: str
    source: str


@dataclass(frozen=True)
class WorkOn:
    """One part of the plan behind a cue (`protocols/work_on.toml`)."""

    id: str
    area: str  # one of AREAS
    text: str
    basis: str  # one of BASES


@dataclass(frozen=True)
class CueText:
    text: str
    priority: int
    work_on: tuple[WorkOn, ...] = ()


@dataclass(frozen=True)
class Protocol:
    path: str
    movement: Movement
    view: str
    cutoff_hz: float
    min_fps: float
    note: str
    drift_min_s: float  # events must span this long before drift is measured
    rules: tuple[Rule, ...]
    cues: dict[str, CueText]


@dataclass(frozen=True)
class Finding:
    """A rule judged on one measurement; `threshold` is the one crossed (or watch when ok)."""

    rule: str
    metric: str
    kind: str
    side: str | None
    severity: Severity
    value: float
    unit: str
    threshold: float
    watch: float
    flag: float
    direction: str
    within_noise: bool
    cue: str


def default_path(movement: Movement) -> str:
    return str(resources.files("movement_screen.protocols") / f"{movement.value}.toml")


def load(path: str) -> Protocol:
    """Read and check a protocol file; then `check_metrics` against the movement's metrics."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise InputError(f"protocol {path}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"protocol {path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise InputError(f"protocol {path}: not a text file (a protocol is TOML text)") from None
    return _parse(path, data)


def check_metrics(protocol: Protocol, known: set[str]) -> Protocol:
    """Fail, naming the key, if a rule names a metric the movement does not have."""
    for i, rule in enumerate(protocol.rules):
        if rule.metric not in known:
            raise InputError(
                f"protocol {protocol.path}: 'rules[{i}].metric' {rule.metric!r} is not a "
                f"{protocol.movement.value} metric (known: {', '.join(sorted(known))})"
            )
    return protocol


def _get(path: str, table: dict, key: str, kind: type | tuple[type, ...], where: str = ""):
    name = f"{where}{key}"
    if key not in table:
        raise InputError(f"protocol {path}: missing key '{name}'")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise InputError(f"protocol {path}: '{name}' should be {expected}, got {value!r}")
    return value


def _number(path: str, table: dict, key: str, where: str = "", *, low: float, strict: bool):
    """A finite number above `low` (at or above it when not `strict`)."""
    value = float(_get(path, table, key, (int, float), where))
    if not math.isfinite(value) or value < low or (strict and value == low):
        bound = f"{'above' if strict else 'at least'} {low:g}"
        raise InputError(f"protocol {path}: '{where}{key}' must be a number {bound}, got {value:g}")
    return value


def _finite(path: str, table: dict, key: str, where: str = "") -> float:
    return _number(path, table, key, where, low=-math.inf, strict=True)


def _text(path: str, table: dict, key: str, where: str = "") -> str:
    value = _get(path, table, key, str, where)
    if not value.strip():
        raise InputError(f"protocol {path}: '{where}{key}' is empty")
    return value


def _choice(path: str, table: dict, key: str, options: tuple[str, ...], where: str = "") -> str:
    value = _get(path, table, key, str, where)
    if value not in options:
        raise InputError(
            f"protocol {path}: '{where}{key}' must be one of {', '.join(options)}, got {value!r}"
        )
    return value


def _parse(path: str, data: dict) -> Protocol:
    if _get(path, data, "schema", int) != 1:
        raise InputError(
            f"protocol {path}: 'schema' {data['schema']} is not supported (expected 1)"
        )
    movement = _choice(path, data, "movement", tuple(m.value for m in Movement))
    library = work_on_items()
    cues = {
        cue_id: CueText(
            _text(path, body, "text", f"cues.{cue_id}."),
            _get(path, body, "priority", int, f"cues.{cue_id}."),
            _work_on(path, body, f"cues.{cue_id}.", library),
        )
        for cue_id, body in _get(path, data, "cues", dict).items()
    }
    if "all_clear" not in cues:
        raise InputError(f"protocol {path}: missing key 'cues.all_clear'")
    rules = tuple(
        _rule(path, body, f"rules[{i}].", cues)
        for i, body in enumerate(_get(path, data, "rules", list))
    )
    ids = [rule.id for rule in rules]
    for i, rule_id in enumerate(ids):
        if rule_id in ids[:i]:
            raise InputError(f"protocol {path}: 'rules[{i}].id' {rule_id!r} is used twice")
    return Protocol(
        path=path,
        movement=Movement(movement),
        view=_choice(path, data, "view", VIEWS),
        cutoff_hz=_number(path, data, "cutoff_hz", low=0.0, strict=True),
        min_fps=_number(path, data, "min_fps", low=0.0, strict=False),
        drift_min_s=_number(
            path, {"drift_min_s": 0.0} | data, "drift_min_s", low=0.0, strict=False
        ),
        note=str(data.get("note", "")),
        rules=rules,
        cues=cues,
    )


def _work_on(path: str, body: dict, where: str, library: dict[str, WorkOn]) -> tuple[WorkOn, ...]:
    """The plan items a cue names (optional), each one of `work_on.toml`."""
    ids = _get(path, {"work_on": []} | body, "work_on", list, where)
    for i, item in enumerate(ids):
        if item not in library:
            raise InputError(
                f"protocol {path}: '{where}work_on[{i}]' names {item!r}, which is not in "
                f"work_on.toml (known: {', '.join(library)})"
            )
    return tuple(library[item] for item in ids)


def work_on_items() -> dict[str, WorkOn]:
    """Every plan item of the packaged `work_on.toml`, by id."""
    path = str(resources.files("movement_screen.protocols") / "work_on.toml")
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return {
        item_id: WorkOn(
            item_id,
            _choice(path, body, "area", AREAS, f"items.{item_id}."),
            _text(path, body, "text", f"items.{item_id}."),
            _choice(path, body, "basis", BASES, f"items.{item_id}."),
        )
        for item_id, body in _get(path, data, "items", dict).items()
    }


def _rule(path: str, body: dict, where: str, cues: dict) -> Rule:
    if not isinstance(body, dict):
        raise InputError(f"protocol {path}: '{where[:-1]}' should be a table")
    rule = Rule(
        id=_text(path, body, "id", where),
        metric=_get(path, body, "metric", str, where),
        kind=_choice(path, body, "kind", KINDS, where),
        direction=_choice(path, body, "direction", DIRECTIONS, where),
        watch=_finite(path, body, "watch", where),
        flag=_finite(path, body, "flag", where),
        noise=_number(path, body, "noise", where, low=0.0, strict=False),
        cue=_get(path, body, "cue", str, where),
        basis=_choice(path, body, "basis", BASES, where),
        source=_text(path, body, "source", where),
    )
    if rule.cue not in cues:
        raise InputError(
            f"protocol {path}: '{where}cue' names {rule.cue!r}, which has no [cues.{rule.cue}]"
        )
    worse = rule.flag < rule.watch if rule.direction == "below" else rule.flag > rule.watch
    if not worse:
        raise InputError(
            f"protocol {path}: '{where}flag' must be beyond 'watch' in direction {rule.direction!r}"
        )
    return rule


def _severity(rule: Rule, value: float) -> tuple[Severity, float]:
    x = abs(value) if rule.direction == "either" else value
    if rule.direction == "below":
        hits = [
            (Severity.FLAG, rule.flag, x <= rule.flag),
            (Severity.WATCH, rule.watch, x <= rule.watch),
        ]
    else:
        hits = [
            (Severity.FLAG, rule.flag, x >= rule.flag),
            (Severity.WATCH, rule.watch, x >= rule.watch),
        ]
    for severity, threshold, hit in hits:
        if hit:
            return severity, threshold
    return Severity.OK, rule.watch


def judge(protocol: Protocol, measurements: list[Measurement]) -> list[Finding]:
    """Every rule against every matching summary measurement (median per side, asymmetry, drift)."""
    findings = []
    for rule in protocol.rules:
        for m in measurements:
            if m.metric != rule.metric or m.kind != rule.kind or not np.isfinite(m.value):
                continue
            severity, threshold = _severity(rule, m.value)
            # Asymmetry and drift are changes: within the metric's noise, or not shown
            # consistently by the strides or reps, they are not read.
            within_noise = rule.kind != "median" and (
                abs(m.value) < rule.noise or not m.p < CHANGE_P
            )
            if within_noise:
                severity, threshold = Severity.OK, rule.watch
            findings.append(
                Finding(
                    rule.id, m.metric, m.kind, m.side, severity, m.value, m.unit, threshold,
                    rule.watch, rule.flag, rule.direction, within_noise, rule.cue,
                )
            )  # fmt: skip
    return findings
