"""Clips drawn from seeds: reproducible, every recipe in every set, train and holdout apart."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from movement_screen.synth import draw
from movement_screen.synth.generate import build_scene, truth_tables
from movement_screen.synth.motions import make_pose
from movement_screen.synth.skeleton import Build, Facing, forward_kinematics


def test_a_seed_draws_the_same_clip_every_time_and_another_seed_another():
    recipe = ("sprint", "none", "side")
    assert draw.draw(7, recipe) == draw.draw(7, recipe)
    assert draw.draw(7, recipe) != draw.draw(8, recipe)


def test_sets_hold_every_recipe_and_share_no_seed():
    train, holdout = draw.drawn_set("train"), draw.drawn_set("holdout")
    assert len(train) == 40 + 48 and len(holdout) == 60 + 20
    for clips in (train, holdout):
        assert {(c.motion, c.fault, c.view) for c in clips} == set(draw.RECIPES)
        crowds = [c for c in clips if c.others]
        assert crowds and all(1 <= len(c.others) <= 3 for c in crowds)
    assert not {c.seed for c in train} & {c.seed for c in holdout}
    assert not {c.name for c in train} & {c.name for c in holdout}


def test_more_train_crowd_clips_follow_the_sets_own_and_share_no_seed_with_holdout():
    train, more = draw.drawn_set("train"), draw.train_crowd()
    holdout = draw.drawn_set("holdout")
    assert len(more) == draw.TRAIN_CROWD and all(1 <= len(c.others) <= 3 for c in more)
    assert {(c.motion, c.fault, c.view) for c in more} == set(draw.CROWD_RECIPES)
    assert max(c.seed for c in train) + 1 == min(c.seed for c in more)
    assert not {c.seed for c in more} & ({c.seed for c in holdout} | {c.seed for c in train})


def test_train_front_clips_are_front_and_back_views_from_seeds_of_their_own():
    front = draw.train_front()
    others = draw.drawn_set("train") + draw.train_crowd() + draw.drawn_set("holdout")
    assert len(front) == draw.TRAIN_FRONT
    assert {(c.motion, c.fault, c.view) for c in front} == set(draw.FRONT_RECIPES)
    assert {c.facing for c in front} == {"camera", "away"}
    assert not {c.seed for c in front} & {c.seed for c in others}


def test_expectations_follow_the_recipe():
    by = {(c.motion, c.fault, c.view): c for c in draw.drawn_set("holdout")}
    assert by[("jog", "none", "side")].expected_movement == "sprint"
    assert by[("walk", "none", "side")].expected_movement is None
    assert by[("sprint", "asymmetry", "side")].expected_cues == ("even_sides",)
    assert by[("sprint", "drift", "side")].expected_cues == ("hold_form_when_tired",)
    assert by[("sprint", "drift", "side")].duration >= 12.5  # long enough to judge fatigue
    sides = dict(by[("sprint", "asymmetry", "side")].motion_args)
    assert abs(sides["asym"]) >= 10  # a real side difference, beyond the 8-degree watch level


def _pose(motion: str, **args):
    t = np.arange(0, 4.0, 1 / 30)
    return t, make_pose(motion, "none", t, Build(), **args)


def test_walking_swings_the_legs_in_turn_with_little_knee_bend():
    _, pose = _pose("walk")
    left, right = pose.thigh[:, 0], pose.thigh[:, 1]
    assert np.corrcoef(left, right)[0, 1] < -0.9
    assert 55 < pose.knee.max() < 70 and np.ptp(left) < 45


def test_standing_is_still_and_a_single_leg_balance_keeps_one_foot_up():
    _, still = _pose("stand")
    assert np.ptp(still.thigh) < 5 and np.ptp(still.trunk) < 6
    _, one = _pose("single_leg", stance="right")
    world = forward_kinematics(one, Build(), Facing.named("camera"))
    lift = world["left_ankle"][:, 1] - world["right_ankle"][:, 1]
    assert lift.min() > 0.15  # metres: the free (left) foot never touches down


def test_an_off_square_camera_turns_the_athlete_not_the_angles():
    spec = draw.draw(11, ("hinge", "none", "side"))
    turned = build_scene(spec.__class__(**{**spec.__dict__, "yaw": 25.0}))
    square = build_scene(spec.__class__(**{**spec.__dict__, "yaw": 0.0}))
    for name in ("trunk_lean", "thigh_angle_left"):
        a = truth_tables(turned)["truth"][name]
        b = truth_tables(square)["truth"][name]
        assert np.allclose(a, b, atol=1e-6)  # body angles do not depend on the camera
    assert not np.allclose(turned.world["left_hip"], square.world["left_hip"])


def test_a_rolled_camera_turns_the_picture_not_the_truth():
    """+ roll: the picture turned clockwise, a level line running down to the right (y down),
    as `movement_screen.level` reads it; the 3D truth stays, the picture's truth turns."""
    spec = draw.draw(11, ("hinge", "none", "side"))
    rolled, level = (build_scene(replace(spec, roll=r)) for r in (3.0, 0.0))
    (x0, y0), (x1, y1) = rolled.camera.project(np.array([[-1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]))
    assert np.degrees(np.arctan2(y1 - y0, x1 - x0)) == pytest.approx(3.0)
    a, b = truth_tables(rolled), truth_tables(level)
    assert np.allclose(a["truth"]["trunk_lean"], b["truth"]["trunk_lean"], atol=1e-9)
    turned = np.nanmedian(a["truth2d"]["trunk_lean"] - b["truth2d"]["trunk_lean"])
    assert abs(abs(turned) - 3.0) < 0.5  # the picture's trunk is turned by the roll
    assert all(abs(s.roll) <= draw.ROLL for s in draw.drawn_set("holdout"))
    assert len({s.roll for s in draw.drawn_set("train")}) > 30  # drawn, not one value


def test_a_third_of_the_short_runs_are_filmed_in_slow_motion_and_nothing_else_moves(
    monkeypatch,
):
    short = [
        s for s in draw.drawn_set("train")
        if s.motion in draw.RUNS and s.duration <= draw.SLOW_MOTION_LONGEST_S
    ]  # fmt: skip
    slow = [s for s in short if s.fps in draw.SLOW_MOTION]
    assert 0 < len(slow) < len(short)
    monkeypatch.setattr(draw, "_filmed_rate", lambda seed, motion, duration, fps: fps)
    for spec in slow:
        again = draw.draw(spec.seed, (spec.motion, spec.fault, spec.view), crowd=bool(spec.others))
        assert again.fps not in draw.SLOW_MOTION and replace(again, fps=spec.fps) == spec


def test_bystanders_are_drawn_but_the_truth_is_the_athletes_alone():
    from dataclasses import replace

    from movement_screen.synth.generate import render_frame

    crowded = draw.draw(77, ("sprint", "none", "side"), crowd=True)
    alone = replace(crowded, others=())
    scenes = [build_scene(spec) for spec in (crowded, alone)]
    truth = [truth_tables(scene) for scene in scenes]
    for table in ("truth", "joints"):
        for column, values in truth[0][table].items():
            assert np.array_equal(values, truth[1][table][column], equal_nan=True)
    frames = [render_frame(scene, 5).astype(int) for scene in scenes]
    assert np.abs(frames[0] - frames[1]).sum(axis=2).astype(bool).mean() > 0.01  # someone else
