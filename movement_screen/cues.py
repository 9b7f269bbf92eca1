"""Coaching cues from findings, most important first; the wording is the protocol's."""

from __future__ import annotations

from dataclasses import dataclass

from movement_screen.core import Severity
from movement_screen.report import names
from movement_screen.rules import Finding, Protocol, WorkOn

RANK = {Severity.FLAG: 0, Severity.WATCH: 1}
# In place of the protocol's all-clear where a rule it speaks for was not read (the other
# view's, or one this clip could not show): it names only what was read.
READ_CLEAR = (
    "Within the screening limits on all this clip could show ({}): nothing to change there."
)


@dataclass(frozen=True)
class Cue:
    id: str
    text: str
    severity: Severity  # the worst finding behind it; OK for the all-clear summary
    findings: tuple[str, ...]  # "rule_id" or "rule_id:side" of the findings that triggered it
    work_on: tuple[WorkOn, ...] = ()  # the parts of the plan that go with it


def _label(finding: Finding) -> str:
    return f"{finding.rule}:{finding.side}" if finding.side else finding.rule


def cues_for(protocol: Protocol, findings: list[Finding]) -> list[Cue]:
    """A cue for every id with a watch or flag finding, most important first.

    The all-clear summary comes only when something was judged and all was ok:
    a clip with nothing measured gets no cue at all.
    """
    triggered: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity in RANK:
            triggered.setdefault(finding.cue, []).append(finding)
    cues = []
    for cue_id, group in triggered.items():
        worst = min((f.severity for f in group), key=RANK.__getitem__)
        said = protocol.cues[cue_id]
        cues.append(Cue(cue_id, said.text, worst, tuple(_label(f) for f in group), said.work_on))
    cues.sort(key=lambda c: (RANK[c.severity], protocol.cues[c.id].priority, c.id))
    if findings and not cues:
        cues.append(_all_clear(protocol, findings))
    return cues


def _all_clear(protocol: Protocol, findings: list[Finding]) -> Cue:
    """The protocol's all-clear where every rule on a metric's median was read, else one
    that names what was."""
    clear = protocol.cues["all_clear"]
    read = dict.fromkeys(f.metric for f in findings)
    if any(r.kind == "median" and r.metric not in read for r in protocol.rules):
        text = READ_CLEAR.format(", ".join(names.metric_name(m).lower() for m in read))
    else:
        text = clear.text
    return Cue("all_clear", text, Severity.OK, (), clear.work_on)
