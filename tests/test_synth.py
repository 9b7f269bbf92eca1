"""Tests of the synthetic athlete generator (movement_screen.synth): small and exact."""

from __future__ import annotations

import csv
from dataclasses import replace

import av
import numpy as np
import pytest

from movement_screen.synth.angles import ANGLE_COLUMNS, truth_2d, truth_3d
from movement_screen.synth.camera import Camera
from movement_screen.synth.clips import CATALOGUE, CUES, SAMPLES, ClipSpec
from movement_screen.synth.generate import build_scene, make_clip, render_frame, truth_tables
from movement_screen.synth.motions import make_pose
from movement_screen.synth.render import Cone, _cone_hits
from movement_screen.synth.scene import finish
from movement_screen.synth.skeleton import LANDMARKS, Build, Facing, Pose, forward_kinematics

BUILD = Build(1.8, leg=1.02, width=1.05)


def _pose(n, **kw) -> Pose:
    base = {k: np.zeros((n, 2)) for k in ("thigh", "knee", "foot", "shoulder", "elbow")}
    base["trunk"] = np.zeros(n)
    base.update(kw)
    return Pose(**base)


@pytest.mark.parametrize("facing", ["right", "left", "camera"])
def test_sagittal_round_trip(facing):
    rng = np.random.default_rng(0)
    n = 12
    thigh = rng.uniform(-30, 110, (n, 2))
    knee = rng.uniform(0, 130, (n, 2))
    trunk = rng.uniform(-10, 60, n)
    adduct = rng.uniform(-8, 8, (n, 2))  # frontal tilt must not disturb sagittal angles
    pose = _pose(n, thigh=thigh, knee=knee, trunk=trunk, hip_add=adduct)
    world = forward_kinematics(pose, BUILD, Facing.named(facing), origin=(0.3, 0.0, -0.2))
    got = truth_3d(world, Facing.named(facing), "side")
    np.testing.assert_allclose(got["trunk_lean"], trunk, atol=1e-9)
    for i, s in enumerate(("left", "right")):
        np.testing.assert_allclose(got[f"thigh_angle_{s}"], thigh[:, i], atol=1e-9)
        np.testing.assert_allclose(got[f"knee_flexion_{s}"], knee[:, i], atol=1e-9)
        np.testing.assert_allclose(got[f"hip_flexion_{s}"], thigh[:, i] + trunk, atol=1e-9)
        rise = -np.cos(np.radians(thigh[:, i])) * np.cos(np.radians(adduct[:, i])) * BUILD.thigh
        assert np.allclose(got[f"knee_height_{s}"] * (BUILD.thigh + BUILD.shank), rise, atol=0.02)
    assert np.all(np.isnan(got["pelvic_obliquity"]))


@pytest.mark.parametrize("facing", ["camera", "right"])
def test_frontal_round_trip(facing):
    n = 5
    roll = np.linspace(-10, 10, n)
    side = np.linspace(8, -6, n)
    add = np.stack([np.linspace(0, 10, n), np.linspace(-4, 6, n)], axis=1)
    valgus = np.stack([np.linspace(-5, 20, n), np.linspace(12, 0, n)], axis=1)
    pose = _pose(n, pelvis_roll=roll, trunk_side=side, hip_add=add, knee_valgus=valgus)
    world = forward_kinematics(pose, BUILD, Facing.named(facing))
    got = truth_3d(world, Facing.named(facing), "front")
    np.testing.assert_allclose(got["pelvic_obliquity"], roll, atol=1e-9)
    np.testing.assert_allclose(got["trunk_lean_frontal"], side, atol=1e-9)
    np.testing.assert_allclose(got["knee_fppa_left"], valgus[:, 0], atol=1e-9)
    np.testing.assert_allclose(got["knee_fppa_right"], valgus[:, 1], atol=1e-9)
    # left hip higher for + roll, in world coordinates
    assert np.all(np.sign(world["left_hip"][:, 1] - world["right_hip"][:, 1]) == np.sign(roll))


def test_projection_of_known_points():
    cam = Camera.look_at((0.0, 1.0, 5.0), (0.0, 1.0, 0.0), focal=100.0, width=200, height=100)
    pts = np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 2.0, 0.0], [-0.5, 0.5, 2.5]])
    want = np.array([[100.0, 50.0], [120.0, 50.0], [100.0, 30.0], [80.0, 70.0]])
    np.testing.assert_allclose(cam.project(pts), want, atol=1e-9)
    rays = cam.rays()
    assert rays.shape == (100, 200, 3)
    back = cam.project(np.asarray(cam.position) + 3.0 * rays[[0, 99, 40], [0, 199, 7]])
    np.testing.assert_allclose(back, [[0.5, 0.5], [199.5, 99.5], [7.5, 40.5]], atol=1e-9)


def test_round_cone_hits_lie_on_surface():
    cone = Cone(np.array([0.0, 0.0, 0.0]), np.array([0.0, 0.5, 0.1]), 0.1, 0.04, [(1.0, (1, 1, 1))])
    rng = np.random.default_rng(1)
    ro = np.array([0.3, 0.2, 2.0])
    target = rng.uniform([-0.15, -0.15, -0.1], [0.15, 0.6, 0.2], (400, 3))
    rd = target - ro
    rd /= np.linalg.norm(rd, axis=1, keepdims=True)
    t, _ = _cone_hits(ro, rd, cone)
    assert np.isfinite(t).sum() > 100
    p = ro + t[np.isfinite(t), None] * rd[np.isfinite(t)]
    s = np.linspace(0, 1, 2001)
    axis = cone.a + s[:, None] * (cone.b - cone.a)
    r = cone.ra + s * (cone.rb - cone.ra)
    sdf = np.min(np.linalg.norm(p[:, None] - axis[None], axis=2) - r[None], axis=1)
    assert np.max(np.abs(sdf)) < 1e-3


def _tiny(name="sprint_side_clean", **kw) -> ClipSpec:
    kw = {"width": 160, "height": 90, "fps": 10, "duration": 0.2, **kw}
    return replace(CATALOGUE[name], **kw)


def test_mirrored_clip_keeps_signs():
    spec = _tiny(duration=1.0)
    right = truth_tables(build_scene(replace(spec, facing="right")))
    left = truth_tables(build_scene(replace(spec, facing="left")))
    for col in ("trunk_lean", "thigh_angle_left", "knee_flexion_right", "hip_flexion_left"):
        np.testing.assert_allclose(right["truth"][col], left["truth"][col], atol=1e-9)
        np.testing.assert_allclose(right["truth2d"][col], left["truth2d"][col], atol=1.0)
    assert np.all(right["truth"]["trunk_lean"] > 0) and np.all(right["truth2d"]["trunk_lean"] > 0)
    xl, xr = left["joints"]["nose_x"], right["joints"]["nose_x"]
    assert np.all(xl < left["joints"]["left_hip_x"]) and np.all(xr > right["joints"]["left_hip_x"])


def test_front_lunge_fault_signs():
    t = np.linspace(0.0, 1.4, 15)
    for lead, sign in (("left", 1.0), ("right", -1.0)):
        pose = make_pose("lunge", "valgus", t, BUILD, lead=lead)
        world = forward_kinematics(pose, BUILD, Facing.named("camera"))
        got = truth_3d(world, Facing.named("camera"), "front")
        bottom = 7
        assert 8 <= sign * got["pelvic_obliquity"][bottom] <= 10  # trail hip drops
        assert 7 <= sign * got["trunk_lean_frontal"][bottom] <= 9
        assert 20 <= got[f"knee_fppa_{lead}"][bottom] <= 25
        for s in ("left", "right"):  # planted feet do not slide
            assert np.ptp(world[f"{s}_toe_c"], axis=0).max() < 0.005


def test_tiny_render_covers_the_body():
    scene = build_scene(_tiny())
    img = render_frame(scene, 1)
    assert img.shape == (90, 160, 3) and img.dtype == np.uint8
    bg = finish(scene.backdrop.image).astype(int)
    diff = np.abs(img.astype(int) - bg).sum(axis=2)
    for joint in ("left_hip", "right_knee", "head", "left_shoulder"):
        x, y = scene.camera.project(scene.world[joint][1]).astype(int)
        assert diff[y, x] > 40, joint
    assert diff[:5, :5].max() < 25  # far from the figure: backdrop only


def test_written_files_follow_the_convention(tmp_path):
    meta = make_clip(_tiny("lunge_front_valgus"), tmp_path)
    with open(tmp_path / "lunge_front_valgus_truth.csv") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["frame", "time_s", *ANGLE_COLUMNS]
    assert len(rows) == 3 and rows[2][:2] == ["1", "0.100000"]
    head = dict(zip(rows[0], rows[1], strict=True))
    assert head["trunk_lean"] == "" and head["pelvic_obliquity"] != ""
    with open(tmp_path / "lunge_front_valgus_truth2d.csv") as fh:
        assert next(csv.reader(fh)) == rows[0]
    with open(tmp_path / "lunge_front_valgus_joints.csv") as fh:
        cols = next(csv.reader(fh))
    assert cols == ["frame", "time_s"] + [f"{j}_{a}" for j in LANDMARKS for a in "xy"]
    with av.open(str(tmp_path / "lunge_front_valgus.mp4")) as box:
        stream = box.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.format.name == "yuv420p"
        assert len(list(box.decode(video=0))) == 2
    assert meta["expected_cues"] == ["keep_pelvis_level", "knee_over_foot", "stay_tall"]


def test_catalogue():
    assert 6 <= len(SAMPLES) <= 10  # one or two per movement and fault: the repo stays small
    assert len({c.name for c in CATALOGUE.values()}) == len(CATALOGUE)
    for c in CATALOGUE.values():
        assert set(c.expected_cues) <= set(CUES)
        assert (c.fault == "none") == (not c.expected_cues)
        assert (c.view == "front") == (c.facing == "camera")
    assert {c.facing for c in SAMPLES if c.view == "side"} == {"left", "right"}


def test_truth_2d_matches_3d_for_far_camera():
    spec = _tiny("hinge_side_squat", duration=1.6)
    scene = build_scene(spec)
    world = scene.world
    far = Camera.look_at((0.3, 0.6, 400.0), (0.3, 0.6, 0.0), focal=40000.0, width=960, height=540)
    px = {k: far.project(world[k]) for k in LANDMARKS}
    two = truth_2d(px, spec.facing, "side")
    three = truth_3d(world, Facing.named(spec.facing), "side")
    for col in ("trunk_lean", "thigh_angle_left", "knee_flexion_left", "hip_flexion_right"):
        np.testing.assert_allclose(two[col], three[col], atol=0.2)
