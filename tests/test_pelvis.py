"""The waistband line: exact on drawn edges, withheld where it cannot be seen."""

from __future__ import annotations

import re

import numpy as np
import pytest

from movement_screen import pelvis
from movement_screen.core import Angles, Pose, View
from movement_screen.landmarks import INDEX, N_LANDMARKS

SHIRT, SHORTS = (200.0, 60.0, 20.0), (70.0, 70.0, 75.0)  # 158 RGB units apart


def band(tilt_deg: float, *, width=240, height=160, row=90.0, below=SHORTS) -> np.ndarray:
    """(H, W, 3) float picture: a shirt above a waistband line tilted `tilt_deg` (+ rising to
    the right), `below` under it; the line passes through `row` at the centre column."""
    y, x = np.mgrid[0:height, 0:width].astype(float)
    line = row - (x - width / 2) * np.tan(np.radians(tilt_deg))
    img = np.zeros((height, width, 3))
    img[y < line] = SHIRT
    img[y >= line] = below
    return img


@pytest.mark.parametrize("tilt", [-12.0, -7.5, -2.0, 0.0, 3.0, 9.0])
def test_line_tilt_reads_a_drawn_edge_within_a_fifth_of_a_degree(tilt):
    angle, agree, contrast = pelvis.line_tilt(band(tilt))  # an Edge
    assert angle == pytest.approx(tilt, abs=0.2)
    assert agree > 0.9
    assert contrast == pytest.approx(np.linalg.norm(np.subtract(SHIRT, SHORTS)), rel=0.02)


@pytest.mark.parametrize("tilt", [-26.0, -25.0, -13.7, -0.4, 0.0, 2.1, 18.0, 26.0])
def test_each_tilt_sums_the_edge_along_every_row_s_line_as_a_loop_over_columns_does(tilt):
    """The search's padded gather against the plain definition: a line through each row at
    the centre column, a column's cell counted where the line is inside the band."""
    edge = np.random.default_rng(7).random((37, 50)).astype(np.float32)
    offsets = np.arange(50) - 31.5
    got = pelvis._line_profiles(edge, offsets)(tilt)
    shift = np.round(offsets * np.tan(np.radians(tilt))).astype(int)
    profile = np.zeros(37, np.float32)
    for r in range(37):
        cells = [edge[r + s, c] for c, s in enumerate(shift) if 0 <= r + s < 37]
        profile[r] = np.sum(np.array(cells, np.float32)) if cells else 0.0
    np.testing.assert_allclose(got, profile, rtol=1e-6)


def test_line_tilt_prefers_the_long_line_over_a_short_level_seam():
    img = band(-8.0)
    img[20:24, 100:140] = (255.0, 255.0, 255.0)  # a short, level stripe higher up
    angle, _, _ = pelvis.line_tilt(img)
    assert angle == pytest.approx(-8.0, abs=0.3)


def test_line_tilt_reads_the_shorts_top_below_a_hem_that_lies_over_it():
    """A top's hem over the waistband (level, as the trunk is) and the top of the shorts below
    it (tilted 8 deg with the pelvis): the lower edge is the pelvis, though the hem's is
    the stronger step."""
    white, dark = (250.0, 250.0, 245.0), (30.0, 30.0, 35.0)
    img = band(8.0, row=100.0, below=dark)  # white band over dark shorts, tilted
    img[img[..., 0] == SHIRT[0]] = white
    img[:70] = (120.0, 120.0, 200.0)  # a blue top down to a level hem at row 70
    scores = [pelvis.line_tilt(img[a:b]).contrast for a, b in ((0, 85), (75, 160))]
    assert pelvis.MIN_CONTRAST < scores[0] < scores[1]  # the hem alone is read as an edge
    angle, agree, _ = pelvis.line_tilt(img)
    assert angle == pytest.approx(8.0, abs=0.3) and agree >= pelvis.MIN_AGREE


def test_line_tilt_passes_over_a_lower_line_that_is_not_a_waistband():
    """Below the waistband, a faint seam across the shorts (a step of 20 RGB units) is
    strong enough to be looked at, but is no waistband: the line above it is read."""
    img = band(-6.0, row=60.0)
    seam = np.mgrid[0:160, 0:240][0] >= 120
    img[seam] = np.add(SHORTS, 20.0)
    angle, _, contrast = pelvis.line_tilt(img)
    assert angle == pytest.approx(-6.0, abs=0.3) and contrast > pelvis.MIN_CONTRAST


def test_line_tilt_finds_no_line_in_a_plain_picture():
    angle, agree, contrast = pelvis.line_tilt(np.full((120, 240, 3), 128.0))
    assert np.isnan(angle) and agree == 0.0 and contrast == 0.0


def _pose(n: int, *, left_x=560.0, right_x=500.0, left_y=300.0, right_y=300.0) -> Pose:
    """A front view: hips at y 300 (y up), shoulders 200 px above; the athlete's left hip at
    `left_x` (image right when facing the camera)."""
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    for name, (x, y) in {
        "left_hip": (left_x, left_y),
        "right_hip": (right_x, right_y),
        "left_shoulder": (left_x + 10, 500.0),
        "right_shoulder": (right_x - 10, 500.0),
    }.items():
        xy[:, INDEX[name]] = (x, y)
    return Pose(np.arange(n) / 30.0, xy, np.ones((n, N_LANDMARKS)))


def _frame_with_line(tilt: float, pose: Pose, height: int = 540, below=SHORTS) -> np.ndarray:
    """A 960 x 540 RGB frame: shirt above a line tilted `tilt` deg (+ rising to the image's
    right) about 30 px above the hips, `below` under it."""
    row = height - pose.mid("left_hip", "right_hip")[0, 1] - 30.0
    return band(tilt, width=960, height=height, row=row, below=below).astype(np.uint8)


@pytest.mark.parametrize("facing_camera", [True, False])
def test_read_frame_signs_the_tilt_by_the_athletes_left(facing_camera):
    """+ is the athlete's left side higher: a line rising to the image's right is + when
    the left hip is image-right (facing the camera), - when seen from behind."""
    pose = _pose(1) if facing_camera else _pose(1, left_x=500.0, right_x=560.0)
    frame = _frame_with_line(6.0, pose)
    expected = 6.0 if facing_camera else -6.0
    assert pelvis.read_frame(frame, pose, 0) == pytest.approx(expected, abs=0.5)


def test_read_frame_follows_a_large_tilt_along_the_hip_line():
    """The band is turned to the hip line, so a pelvis tilted far (a single-leg reach) is
    still read: hips tilted 20 deg, waistband 26."""
    rise = 60.0 * np.tan(np.radians(20.0))
    pose = _pose(1, left_y=300.0 + rise)
    assert pelvis.read_frame(_frame_with_line(26.0, pose), pose, 0) == pytest.approx(26, abs=0.5)


def test_read_frame_reads_a_turned_pelvis_whose_hips_nearly_meet():
    pose = _pose(1, left_x=532.0, right_x=528.0)  # 4 px apart: the band keeps a least width
    assert pelvis.read_frame(_frame_with_line(-5.0, pose), pose, 0) == pytest.approx(-5, abs=0.5)


def test_read_frame_does_not_read_a_faint_line():
    """Shading in one colour of cloth (a loose top) is not a waistband."""
    faint = (170.0, 40.0, 10.0)  # 37 RGB units from the shirt: under MIN_CONTRAST
    pose = _pose(1)
    assert np.isnan(pelvis.read_frame(_frame_with_line(6.0, pose, below=faint), pose, 0))


def test_read_frame_does_not_read_one_colour_in_two_lights_but_reads_white_over_dark():
    """Where a loose top meets the shirt of the same colour, the crease is a step of 84 RGB
    units (over MIN_CONTRAST) that only the light makes: the same hue, 1.4 times as bright.
    White over dark grey is the same hue too, but 3 times as bright: a garment's edge."""
    pose = _pose(1)
    lit, shaded = (248.0, 120.0, 27.0), (177.0, 79.0, 11.0)  # a loose orange top (train clip)
    assert np.linalg.norm(np.subtract(lit, shaded)) > pelvis.MIN_CONTRAST
    assert pelvis.shading(np.array(shaded), np.array(lit))
    crease = band(6.0, width=960, height=540, row=210.0, below=lit)
    crease[crease[..., 0] == SHIRT[0]] = shaded
    assert np.isnan(pelvis.read_frame(crease.astype(np.uint8), pose, 0))
    white, grey = (250.0, 250.0, 245.0), (80.0, 76.0, 78.0)
    assert not pelvis.shading(np.array(white), np.array(grey))
    assert not pelvis.shading(np.array(SHIRT), np.array(SHORTS))
    frame = _frame_with_line(6.0, pose, below=grey)
    frame[frame[..., 0] == SHIRT[0]] = white
    assert pelvis.read_frame(frame, pose, 0) == pytest.approx(6.0, abs=0.5)


def test_read_frame_gives_nan_without_hips_or_without_a_line():
    pose = _pose(1)
    assert np.isnan(pelvis.read_frame(np.full((540, 960, 3), 90, np.uint8), pose, 0))
    blank = Pose(pose.time, np.full_like(pose.xy, np.nan), pose.visibility)
    assert np.isnan(pelvis.read_frame(_frame_with_line(5.0, pose), blank, 0))


def test_smooth_counts_the_share_seen_and_bridges_short_gaps():
    pose = _pose(60)
    raw = np.full(60, 4.0)
    raw[30:33] = np.nan  # 0.1 s: bridged
    line = pelvis.smooth(raw, pose)
    assert line.share == pytest.approx(57 / 60)
    assert np.allclose(line.tilt, 4.0)
    assert line.trusted


def _angles(n: int) -> Angles:
    values = {"pelvic_obliquity": np.full(n, -1.0), "trunk_lean_frontal": np.zeros(n)}
    return Angles(np.arange(n) / 30.0, values, View.FRONT)


def test_apply_uses_a_trusted_line_and_withholds_an_untrusted_one():
    n = 10
    seen = pelvis.PelvisLine(np.full(n, 7.0), np.ones(n, bool), share=0.9)
    hidden = pelvis.PelvisLine(np.full(n, 7.0), np.zeros(n, bool), share=0.3)
    assert np.allclose(pelvis.apply(_angles(n), seen).values["pelvic_obliquity"], 7.0)
    assert np.isnan(pelvis.apply(_angles(n), hidden).values["pelvic_obliquity"]).all()
    assert pelvis.apply(_angles(n), None).values["pelvic_obliquity"][0] == -1.0
    assert pelvis.note(seen) is None and pelvis.note(None) is None
    assert "30%" in pelvis.note(hidden) and "not measured" in pelvis.note(hidden)


def test_the_report_says_how_the_pelvis_was_read():
    from movement_screen.report import names

    keys = {k for _, fmt in names.QUALITY_FACTS for k in re.findall(r"{(\w+)", fmt)}
    quality = dict.fromkeys(keys, 0.5)
    read = names.quality_facts(quality | {"pelvis": {"seen_share": 0.95, "measured": True}})
    hidden = names.quality_facts(quality | {"pelvis": {"seen_share": 0.3, "measured": False}})
    assert read[-1] == ("Pelvis", "the waistband line seen in 95% of frames")
    assert hidden[-1] == (
        "Pelvis",
        "the waistband line seen in 30% of frames: too few, not measured",
    )
    assert names.quality_facts(quality | {"pelvis": None})[-1][0] != "Pelvis"  # a side view
