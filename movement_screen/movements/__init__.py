"""One definition per movement: its words, what it measures in each view, how its strides
or reps are found and how it is recognised. Adding a movement is one module here plus one
protocol file in `movement_screen/protocols/`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.metrics import Metric

Finder = Callable[[Angles, Pose], list[Event]]
Score = Callable[[dict[str, float]], float]


@dataclass(frozen=True)
class MovementSpec:
    """Everything that differs per movement."""

    movement: Movement
    noun: str  # "a lunge": what the clip looks like, in a sentence
    button: str  # "Lunge": the name on a button
    unit: str  # "stride" or "rep"
    sides: dict[str, str]  # what an event's side means ({} : both legs together)
    metrics: dict[View, dict[str, Metric]]
    finder: Finder
    scores: dict[View, Score]  # recognition: 0-1 from the clip's features, per view
    panels: dict[View, tuple[str, ...]]  # angle base names plotted and drawn, per view
    event_leg_only: frozenset[str] = field(default_factory=frozenset)  # angles shown for
    # the event's own leg only (the other leg's 2D value means nothing there)

    def table(self, view: View) -> dict[str, Metric]:
        """The metrics measured in `view` (empty where the view shows none)."""
        return self.metrics.get(view, {})

    def metric_names(self) -> set[str]:
        """Every metric in any view: what its protocol may name."""
        return {name for table in self.metrics.values() for name in table}

    def find_events(self, angles: Angles, pose: Pose) -> list[Event]:
        """Strides or reps, in time order."""
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN stretches: no event
            found = self.finder(angles, pose)
        return sorted(found, key=lambda e: (e.start, e.side or ""))


def _registry() -> dict[Movement, MovementSpec]:
    from movement_screen.movements import hinge, lunge, single_leg_squat, sprint

    return {m.SPEC.movement: m.SPEC for m in (sprint, lunge, hinge, single_leg_squat)}


REGISTRY: dict[Movement, MovementSpec] = _registry()


def get(movement: Movement) -> MovementSpec:
    return REGISTRY[movement]


def scores(view: View) -> dict[Movement, Score]:
    """Each movement's recognition score for a view."""
    return {m: s.scores[view] for m, s in REGISTRY.items() if view in s.scores}


def one_of() -> str:
    """'a sprint or run, a lunge, ... or a single-leg squat': the movements screened."""
    nouns = [s.noun for s in REGISTRY.values()]
    return ", ".join(nouns[:-1]) + " or " + nouns[-1]


def metric(name: str) -> Metric | None:
    """A metric's definition by id (movements sharing an id define it alike)."""
    for spec in REGISTRY.values():
        for table in spec.metrics.values():
            if name in table:
                return table[name]
    return None
