"""The report's view model: the rows a person reads, in words, made once from report.json.

The HTML/PDF report and the app both render these rows (one as an HTML table with
coloured badges, the other as a table on the page), so neither holds logic of its own:
the order of the findings, the words for a metric, a side, a value and its limits, and
what counts as judged are decided here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from movement_screen import movements, rules, seen
from movement_screen.core import Movement
from movement_screen.report import names
from movement_screen.view import turned_too_far

SIDE_ORDER = ("left-right", "left", "right", None)
NOT_SCREENED = "Nothing was screened in this clip"  # no movement: no strides or reps
LYING = "not read: the athlete lies across the picture"  # the view, where not `upright`
LIMIT_WORDS = {"above": "≥ ", "below": "≤ ", "either": "beyond ±"}
HAND_MARK = " (with a value set by hand)"


@dataclass(frozen=True)
class FindingRow:
    """One finding in words. `explain` is given on a metric's first row only."""

    measure: str
    kind: str
    explain: str
    side: str
    value: str
    limits: str
    severity: str  # "ok", "watch" or "flag"
    within_noise: bool

    @property
    def status(self) -> str:
        return status_text(self.severity, self.within_noise)


@dataclass(frozen=True)
class SummaryRow:
    """A left-minus-right or a drift value in words; `severity` None: not judged."""

    measure: str
    side: str
    value: str
    severity: str | None
    within_noise: bool

    @property
    def status(self) -> str:
        if self.severity is None:
            return "not judged"
        return status_text(self.severity, self.within_noise)


def status_text(severity: str, within_noise: bool) -> str:
    """'Watch', 'OK (within noise)': a finding's status in words."""
    return names.STATUS[severity] + (" (within noise)" if within_noise else "")


def limits(f: dict) -> str:
    """'watch ≥ 80°, flag ≥ 90°' ('≤' below, 'beyond ±' either way)."""
    word = LIMIT_WORDS[f["direction"]]
    watch, flag = (names.value_text(f[k], f["unit"], short=True) for k in ("watch", "flag"))
    return f"watch {word}{watch}, flag {word}{flag}"


def finding_rows(doc: dict) -> list[FindingRow]:
    """Every finding of a report.json document, worst first."""
    movement = doc["movement"]["value"]
    ordered = sorted(doc["findings"], key=lambda f: names.RANK[f["severity"]])
    hand = {(c["metric"], c["side"]) for c in doc.get("corrections", [])}
    explained: set[str] = set()
    rows = []
    for f in ordered:
        first = f["metric"] not in explained
        explained.add(f["metric"])
        rows.append(
            FindingRow(
                measure=names.metric_name(f["metric"]),
                kind=names.KINDS[f["kind"]],
                explain=names.metric_explain(f["metric"]) if first else "",
                side=names.side_word(movement, f["side"]),
                value=_finding_value(f) + (HAND_MARK if _by_hand(f, hand) else ""),
                limits=limits(f),
                severity=f["severity"],
                within_noise=bool(f["within_noise"]),
            )
        )
    return rows


def _finding_value(f: dict) -> str:
    """A typical value said by which way it points; a difference (left minus right, last
    minus first) by its sign."""
    if f["kind"] == "median":
        return names.metric_value(f["metric"], f["value"], f["unit"])
    return names.value_text(f["value"], f["unit"], signed=True)


def _by_hand(finding: dict, hand: set[tuple[str, str | None]]) -> bool:
    """A finding worked out from a value set by hand (a left-right one from either side)."""
    sides = ("left", "right") if finding["side"] == "left-right" else (finding["side"],)
    return any((finding["metric"], side) in hand for side in sides)


def hand_lines(doc: dict) -> list[str]:
    """Each value set by hand, in words: which stride or rep, when, the tool's and the new."""
    movement = doc["movement"]["value"]
    word = names.event_word(movement)
    out = []
    for c in doc.get("corrections", []):
        tool, value = (names.metric_value(c["metric"], c[k], c["unit"]) for k in ("tool", "value"))
        out.append(
            f"{names.metric_name(c['metric'])}, {word} {c['rep']} "
            f"({names.side_word(movement, c['side'])}) at {c['time_s']:.2f} s: the tool read "
            f"{tool}, set by hand to {value}"
        )
    return out


def summary_rows(doc: dict, kind: str) -> list[SummaryRow]:
    """The asymmetry or drift measurements of a report.json document, in the order the
    metrics were measured (then left-right, left, right, both), with their status."""
    movement = doc["movement"]["value"]
    found = {(f["metric"], f["side"]): f for f in doc["findings"] if f["kind"] == kind}
    order = list(dict.fromkeys(m["metric"] for m in doc["measurements"]))
    chosen = [m for m in doc["measurements"] if m["kind"] == kind and m["side"] in SIDE_ORDER]
    rows = []
    for m in sorted(chosen, key=lambda m: (order.index(m["metric"]), SIDE_ORDER.index(m["side"]))):
        f = found.get((m["metric"], m["side"]))
        rows.append(
            SummaryRow(
                measure=names.metric_name(m["metric"]),
                side=names.side_word(movement, m["side"]),
                value=names.value_text(m["value"], m["unit"], signed=True),
                severity=f["severity"] if f else None,
                within_noise=bool(f and f["within_noise"]),
            )
        )
    return rows


def movement_fact(move: dict) -> str:
    """'Lunge (detected)', or for a movement chosen by the user that the clip does not look
    like, what it looks like: 'Lunge (given; the clip looks like walking)'."""
    word = names.movement_word(move["value"], move.get("seen"), move.get("detected"))
    said = f"{word} ({move['source']}"
    looks = _looks_instead(move)
    return f"{said}; the clip looks like {looks})" if looks else f"{said})"


def movement_caveat(doc: dict) -> str | None:
    """Above the cues, when the user chose a movement the clip does not look like."""
    move = doc["movement"]
    looks = _looks_instead(move)
    if looks is None:
        return None
    chosen = movements.get(Movement(move["value"])).noun
    return (
        f"Screened as {chosen}, as chosen, but the clip looks like {looks}: read the cues "
        "with that in mind."
    )


def _looks_instead(move: dict) -> str | None:
    """What a clip screened as a movement the user chose looks like instead (None: it
    looks like that movement, or like nothing the tool can name, or was not chosen)."""
    if move["source"] != "given" or move["value"] is None:
        return None
    detected = move.get("detected")
    if detected not in (None, move["value"]):
        return movements.get(Movement(detected)).noun
    if detected is None and move.get("seen"):
        return seen.ACTIVITIES[move["seen"]].noun
    return None


def clip_facts(doc: dict) -> list[tuple[str, str]]:
    """What was screened, in (label, words) rows: movement, view, clip, its facts, events."""
    video, move, shown = doc["video"], doc["movement"], doc["view"]
    word = names.event_word(move["value"])
    facts = (
        f"{video['duration_s']:.1f} s, {video['frame_count']} frames at {video['fps']:g} fps, "
        f"{video['width']}×{video['height']} px"
    )
    every = video.get("annotated_every", 1)
    if every > 1:  # slow motion
        rate = video["fps"] / every
        facts += f"; the annotated video shows one frame in {every} ({rate:g} a second)"
    rows = [
        ("Movement", movement_fact(move)),
        ("View", f"{shown['value']} ({shown['source']})" if shown.get("upright", True) else LYING),
        ("Clip", video["file"]),
        ("Clip facts", facts),
    ]
    if move["value"] is None:  # nothing screened: no strides or reps were looked for
        return rows
    return [*rows, (f"{word.capitalize()}s found", str(len(doc["events"])))]


def quality_facts(doc: dict) -> list[tuple[str, str]]:
    """Data quality in (label, words) rows: tracking and cleaning, the camera, whom and
    by which protocol."""
    shown, who = doc["view"], doc["athlete"]
    square = "not square to the athlete" if shown["oblique"] else "square to the athlete"
    if shown["off_square_deg"] >= 1:
        square += f", about {shown['off_square_deg']:.0f}° off: side angles corrected for it"
    turn = shown.get("feet_turn_deg")
    if shown["value"] == "front" and turn is not None and turned_too_far(turn):
        square = f"the athlete turned about {abs(turn):.0f}° from it, by the feet"
    camera = f"{shown['value']} ({shown['source']}; {square})"
    return names.quality_facts(doc["quality"]) + [
        ("Camera view", camera if shown.get("upright", True) else LYING),
        ("Athlete chosen", f"{who['method']}: {who['description']}"),
        ("Protocol", protocol_words(doc["protocol"])),
    ]


def protocol_words(protocol: dict | None) -> str:
    """'the tool's own, for a lunge', or the user's own file by its name."""
    if protocol is None:
        return "none"
    movement = Movement(protocol["movement"])
    if os.path.abspath(protocol["path"]) == os.path.abspath(rules.default_path(movement)):
        return f"the tool's own, for {movements.get(movement).noun}"
    return f"your own file {os.path.basename(protocol['path'])}"


NOTHING_MEASURED = "Nothing was measured against the protocol in this clip."


def no_findings(doc: dict) -> list[str]:
    """Why nothing was measured, as sentences: the screen's own notes (written to be
    joined into other lines, so they start in lower case)."""
    notes = [n[:1].upper() + n[1:] + ("" if n.endswith((".", "?", "!")) else ".")
             for n in doc["notes"]]  # fmt: skip
    return [NOTHING_MEASURED, *notes]


def trust_limits(doc: dict) -> list[str]:
    """What limits trust in this clip: the quality checks' and the screen's own notes."""
    return [*doc["quality"]["limits"], *doc["notes"]]


def no_key_frames(movement: str | None, what: str = "key frame") -> str:
    """Why a clip has no key frame (`what`: or key moment) to show."""
    if movement is None:
        return f"{NOT_SCREENED}, so there is no {what} to show."
    word = names.event_word(movement)
    return f"No {word} was judged in this clip, so there is no {what} to show."


def no_pairs(doc: dict) -> str:
    """Why a clip has no left-right comparison."""
    if doc["movement"]["value"] is None:
        return f"Not compared: {NOT_SCREENED.lower()}."
    spec = movements.get(Movement(doc["movement"]["value"]))
    if not spec.sides:
        return (
            f"{spec.noun.capitalize()} uses both legs together: there is no left-right comparison."
        )
    sides = {e["side"] for e in doc["events"] if e["side"]}
    if len(sides) == 1:
        side = sides.pop()
        mine, other = spec.sides[side], spec.sides["right" if side == "left" else "left"]
        return f"Only {spec.unit}s with the {mine}: film {spec.unit}s with the {other} too."
    return "Not enough strides or reps on both legs to compare them."


def no_drift(doc: dict) -> str:
    """Why a clip has no drift judged."""
    if doc["movement"]["value"] is None:
        return f"Drift is not judged: {NOT_SCREENED.lower()}."
    return (
        "Drift is not judged in this clip: it needs at least 4 strides or reps on a side, "
        "over the time the protocol asks for (see Data quality)."
    )
