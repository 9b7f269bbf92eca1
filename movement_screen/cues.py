"""Coaching cues from findings, most important first; the wording is the protocol's."""

from __future__ import annotations

from dataclasses import dataclass

from movement_screen.core import Severity
from movement_screen.rules import Finding, Protocol, WorkOn

RANK = {Severity.FLAG: 0, Severity.WATCH: 1}


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
        clear = protocol.cues["all_clear"]
        cues.append(Cue("all_clear", clear.text, Severity.OK, (), clear.work_on))
    return cues
