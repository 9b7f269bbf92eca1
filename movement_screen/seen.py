"""What a clip looks like when it is not what the screens assume.

A clip that is none of the movements screened is still described: walking, standing still,
a squat on both feet or balancing on one leg (or nothing the tool knows), so the report
says what it saw rather than only what it did not. A run screened as a sprint at a jogging
rhythm is told that the sprint thresholds assume sprinting speed.

Each activity is scored 0-1 from the recogniser's clip features (`classify.features`),
like the movements' own scores. The ranges were chosen on the `train` clips
(`benchmarks/recognition_features.py`) and are judged on `holdout`:

| feature | walking | standing | squat on both feet | balancing on one leg |
| --- | --- | --- | --- | --- |
| `hip_rhythm` (hip bobs per stride) | 2.0-2.2 | 0.4-1.0 | 0.2-0.4 (front) | 1.0-1.5 |
| `hip_drop` (leg lengths) | 0.09 | 0.013-0.020 | 0.42-0.57 | 0.016-0.022 |
| `one_foot_up` (leg lengths) | 0 | 0 | 0 | 0.12-0.31 |
| `foot_lift` (leg lengths; front) | 0.17-0.31 | 0.015-0.022 | 0.018-0.019 | 0.22-0.28 |
| `knee_gap` (leg lengths, deepest frames) | 0.01-0.05 | 0.02 | 0.007-0.009 (front) | 0.05-0.30 |

Lunges, the nearest screened movement to several of these, bob the hips once per rep
(`hip_rhythm` 1.0-1.25), drop them 0.23-0.52 leg lengths and hold the knees 0.06-0.51
apart at the bottom or one foot a stride behind the other in MediaPipe's depth
(`feet_split` over `classify.FEET_SPLIT`; squats 0.05-0.50). A squat or standing still
needs both feet planted: the real single-leg balance-and-reach clips (one foot lifted
0.3-0.9 leg lengths, the hips sinking 0.24-0.43) read as a squat without that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from movement_screen.classify import (
    feet_planted,
    one_foot_behind,
    ramp,
    running_knees,
    running_rhythm,
    swinging,
)
from movement_screen.core import View

# Strides a second below this, a run is a jog or an easy run rather than a sprint. Sprinters
# take about 4-5 steps a second (2-2.5 strides), easy running 2.6-3 (1.3-1.5 strides); the
# train sprints ran 1.75-2.28 strides a second, the train jogs 1.38-1.50.
EASY_RUN_CADENCE = 1.65

Features = dict[str, float]


def _walking_rhythm(f: Features) -> float:
    """The hips bob twice per stride (once on each foot), as in walking and running."""
    return ramp(f["hip_rhythm"], 1.5, 1.8)


def _still(f: Features) -> float:
    """The hips keep their height and the trunk its lean."""
    return (1 - ramp(f["hip_drop"], 0.03, 0.05)) * (1 - ramp(f["trunk_range"], 15, 30))


def walking_side(f: Features) -> float:
    """Legs swinging in turn, hips bobbing twice per stride, knees bending less than a run's
    (not a run: that is screened; not a run played slowly, `slow_run`)."""
    return swinging(f, 15, 25) * _walking_rhythm(f) * (1 - running_knees(f))


def slow_run(f: Features) -> float:
    """A run's legs (a wide swing in turn, the knees bending as far as a run's) at a walking
    rhythm or slower: a run played back slower than it was filmed (a sample sprint written
    at half its frame rate read as walking before this was told)."""
    return swinging(f, 30, 60) * running_knees(f) * (1 - running_rhythm(f))


def walking_front(f: Features) -> float:
    """Hips bobbing a little (0.04-0.2 leg lengths), twice per stride, both feet in turn."""
    bob = ramp(f["hip_drop"], 0.04, 0.07) * (1 - ramp(f["hip_drop"], 0.15, 0.25))
    return bob * _walking_rhythm(f) * (1 - ramp(f["one_foot_up"], 0.05, 0.08))


def standing(f: Features) -> float:
    """Nothing moves much, both feet planted."""
    return _still(f) * (1 - ramp(f["thigh_range"], 10, 20)) * feet_planted(f)


def squat(f: Features) -> float:
    """Hips going far down and up, knees level and feet side by side at the bottom, both
    feet planted."""
    level = (1 - ramp(f["knee_gap"], 0.1, 0.15)) * (1 - one_foot_behind(f))
    return ramp(f["hip_drop"], 0.2, 0.3) * level * feet_planted(f)


def balancing(f: Features) -> float:
    """One foot held up the whole clip, the hips keeping their height."""
    return ramp(f["one_foot_up"], 0.05, 0.08) * (1 - ramp(f["hip_drop"], 0.06, 0.1))


@dataclass(frozen=True)
class Activity:
    """Something the tool can name but does not screen."""

    noun: str  # in a sentence: "it looks like walking"
    scores: dict[View, Callable[[Features], float]]
    hint: str = ""  # what to do instead, said after why nothing was screened
    screened: bool = False  # it is one of the movements screened, seen as it cannot be


_ANY_VIEW = (View.SIDE, View.FRONT)
ACTIVITIES = {  # keyed as in report.json
    "walking": Activity(
        "walking",
        {View.SIDE: walking_side, View.FRONT: walking_front},
        "to screen the gait anyway, choose a sprint or run (its thresholds assume running speed)",
    ),
    "standing": Activity("standing still", dict.fromkeys(_ANY_VIEW, standing)),
    "squat": Activity(
        "a squat on both feet",
        dict.fromkeys(_ANY_VIEW, squat),
        "a squat on one leg is screened as a single-leg squat: choose that if it is one",
    ),
    "balancing": Activity("balancing on one leg", dict.fromkeys(_ANY_VIEW, balancing)),
    "slow_run": Activity(
        "a run in slow motion (a run's legs and knees at a walk's rhythm)",
        {View.SIDE: slow_run},
        "if the clip is slow motion, save it at the speed it was filmed and screen that; or "
        "choose a sprint or run to screen it as it is (its rhythm and timing will read slow)",
        screened=True,
    ),
}


def scores(view: View) -> dict[str, Callable[[Features], float]]:
    """Each activity's score for a view (as `movements.scores` for the movements screened)."""
    return {key: a.scores[view] for key, a in ACTIVITIES.items() if view in a.scores}


def easy_run(features: Features) -> bool:
    """Is the clip's stride rhythm that of a jog or an easy run rather than a sprint?"""
    cadence = features.get("cadence", float("nan"))
    return bool(cadence < EASY_RUN_CADENCE)
