"""MediaPipe's pose landmark model run through LiteRT: the region, the cut-out, the heatmap
refinement, the detector's picture and the region's smoothing, exact on constructed
inputs; the whole against MediaPipe's own Pose solution on a sample clip."""

import math
from pathlib import Path

import numpy as np
import pytest

from movement_screen import bodies, landmarker, video
from movement_screen.landmarker import SIZE, Landmarker, Region, cut_out, refined
from movement_screen.landmarks import LEFT_LEG, RIGHT_LEG

CLIP = Path(__file__).resolve().parents[1] / "sample_videos" / "sprint_side_clean.mp4"
SHAPE = (200, 400, 3)  # height, width


def test_the_region_is_centred_on_the_hips_and_turned_so_the_body_points_up():
    upright = Region.around((100.0, 150.0), (100.0, 50.0), SHAPE)  # circle straight above
    assert upright.rotation == 0.0
    assert upright.in_pixels(SHAPE) == (100.0, 150.0, 250.0, 0.0)  # side 2 x 1.25 x 100
    assert (upright.x, upright.y) == (0.25, 0.75)  # kept in shares of the picture
    lying = Region.around((100.0, 150.0), (180.0, 150.0), SHAPE)  # head to the right
    assert lying.rotation == pytest.approx(math.pi / 2)
    assert lying.in_pixels(SHAPE)[2] == pytest.approx(200.0)
    assert Region.around((0, 0), (-1, 0), SHAPE).rotation == pytest.approx(-math.pi / 2)


def test_a_region_carries_over_to_a_picture_of_another_size_in_shares():
    region = Region.around((100.0, 150.0), (100.0, 50.0), SHAPE)
    assert region.in_pixels((100, 200, 3)) == (50.0, 75.0, 125.0, 0.0)


@pytest.mark.parametrize("turn", [0.0, math.pi / 2, -0.3])
def test_the_cut_out_and_the_way_back_agree(turn):
    region = Region(0.25, 0.5, 100 / 400, 100 / 200, turn)
    uv = np.array([[0.75, 0.5], [0.3, 0.8]])
    spots = landmarker._to_picture(uv, region, SHAPE)
    if turn == math.pi / 2:  # a quarter turn clockwise: the square's right is the picture's down
        np.testing.assert_allclose(spots[0], [100.0, 125.0], atol=1e-9)
    rgb = np.zeros(SHAPE, np.uint8)
    for x, y in spots:
        rgb[round(y) - 1 : round(y) + 2, round(x) - 1 : round(x) + 2] = 255
    square = cut_out(rgb, region)[0, :, :, 0]
    assert square.shape == (SIZE, SIZE) and square.max() <= 1.0
    for u, v in uv:
        row, col = round(v * SIZE), round(u * SIZE)
        assert square[row - 2 : row + 3, col - 2 : col + 3].max() > 0.5


def test_the_heatmap_moves_a_landmark_to_its_weighted_centre_only_where_it_is_sure():
    heatmap = np.full((64, 64, 2), -20.0)
    heatmap[20, 10:12, 0] = 20.0  # two sure cells side by side, near landmark 0
    heatmap[40, 40, 1] = -0.5  # unsure (sigmoid 0.38): landmark 1 stays
    uv = np.array([[10.2 / 64, 21.5 / 64], [40.3 / 64, 40.3 / 64]])
    out = refined(uv, heatmap)
    np.testing.assert_allclose(out[0], [10.5 / 64, 20 / 64], atol=1e-6)
    np.testing.assert_array_equal(out[1], uv[1])
    outside = np.array([[-0.1, 0.5], [0.5, 1.2]])
    np.testing.assert_array_equal(refined(outside, heatmap), outside)
    heatmap[0, 0:2, 1] = 20.0  # at the map's corner: cells past its edge count as nothing
    corner = refined(np.array([[0.3 / 64, 0.2 / 64], [1.2 / 64, 0.9 / 64]]), heatmap)
    np.testing.assert_allclose(corner[1], [0.5 / 64, 0.0], atol=1e-6)


@pytest.fixture(scope="module")
def frames():
    return [rgb for _, _, rgb in video.frames(str(CLIP), start=0, stop=20)]


def test_it_follows_the_athlete_and_a_blank_picture_loses_them(frames):
    model = Landmarker()
    found = [model(rgb, 0.5) for rgb in frames]
    assert all(f is not None and f.flag > 0.9 for f in found)
    hips = [(f.xy[23] + f.xy[24]) / 2 for f in found]
    steps = np.linalg.norm(np.diff(hips, axis=0), axis=1)
    assert steps.max() < 0.05 * frames[0].shape[0]  # one body, moving smoothly
    assert model(np.zeros((64, 64, 3), np.uint8), 0.5) is None
    assert model._last is None  # the next frame searches afresh


def _apart_from_the_solution(frames, *, static: bool) -> np.ndarray:
    """(frames, 33) pixels between the runner's landmarks and MediaPipe's own Pose
    solution's, frame by frame, in video mode or each picture on its own (static)."""
    from movement_screen import pose

    mp = pose._import_mediapipe()
    ours, apart = Landmarker(), []
    options = {"static_image_mode": static, "model_complexity": 1, "smooth_landmarks": False}
    with mp.solutions.pose.Pose(**options) as theirs:
        for rgb in frames:
            if static:
                ours.forget()
            found, result = ours(rgb, 0.5), theirs.process(rgb)
            height, width = rgb.shape[:2]
            xy = [(p.x * width, p.y * height) for p in result.pose_landmarks.landmark]
            apart.append(np.linalg.norm(found.xy[:33] - xy, axis=1))
    return np.array(apart)


def test_it_finds_what_mediapipe_s_own_pose_solution_finds(frames):
    """The same person, the same regions, the same landmarks: 0.06 px median on the sample
    sprint followed through 20 frames (single landmarks can differ more where the heatmap
    is unsure, as the two builds' arithmetic differs in the last digits)."""
    apart = _apart_from_the_solution(frames, static=False)
    assert np.median(apart) < 0.2
    assert np.percentile(apart, 95) < 1.0


def test_a_single_picture_is_found_as_the_solution_finds_it(frames):
    """Static mode: the person detector on the picture as the graph shrinks it, the region,
    the landmarks (0.01 px median on the sample sprint)."""
    apart = _apart_from_the_solution(frames[:8], static=True)
    assert np.median(apart) < 0.05
    assert np.percentile(apart, 95) < 0.2


def test_the_detector_s_picture_is_shrunk_and_bordered_as_the_graph_does_it():
    white = np.full((100, 200, 3), 255, np.uint8)
    square, scale, corner = bodies.letterbox_as_graph(white)
    assert square.shape == (bodies.SIZE, bodies.SIZE, 3) and scale == bodies.SIZE / 200
    assert corner == (0.0, -50.0)  # the square's top-left corner, in the picture's pixels
    assert (square[:50] == -1.0).all() and (square[-50:] == -1.0).all()  # black borders
    assert (square[60:164, :220] == 1.0).all()  # the picture in the middle 112 rows


def test_a_region_turned_as_drawn_keeps_its_smoothed_size():
    drawn = np.array([[10.0, 20.0], [13.0, 24.0]])  # 5 px apart, 3 across and 4 down
    np.testing.assert_allclose(landmarker.turned_as(drawn, 10.0), [6.0, 8.0])
    np.testing.assert_array_equal(landmarker.turned_as(drawn[[0, 0]], 10.0), [0.0, 0.0])


def test_the_region_s_points_are_smoothed_by_how_far_they_are_apart_not_their_box():
    """The filter's speed is in body circles a second (twice the two points' distance):
    the same step down is smoothed alike with the body upright or leaning, where the
    points' box (its width and height) would differ."""

    def followed(turn: float) -> float:
        along = np.array([math.sin(turn), -math.cos(turn)])
        steady = landmarker.Steady()
        for step in range(5):
            centre = np.array([200.0, 300.0 + 3.0 * step])
            kept = steady(np.stack([centre, centre + 100.0 * along]))
        return float(kept[0, 1] - 300.0)

    upright = followed(0.0)
    assert 0.0 < upright < 12.0  # smoothed: behind the 12 px it moved
    assert followed(math.radians(40)) == pytest.approx(upright, rel=1e-9)


def _look(uv: np.ndarray) -> landmarker.Look:
    n = len(uv)
    return landmarker.Look(uv, np.linspace(-0.1, 0.1, n), np.linspace(0.5, 1.0, n), 0.9)


def _as_mirrored(look: landmarker.Look) -> landmarker.Look:
    """What a model would answer on the mirror image of the square `look` was drawn on."""
    order = landmarker.MIRRORED
    uv = look.uv[order] * [-1.0, 1.0] + [1.0, 0.0]
    return landmarker.Look(uv, look.z[order], look.visibility[order], 0.5)


def test_two_looks_that_agree_give_the_first_back():
    rng = np.random.default_rng(3)
    first = _look(rng.uniform(0.2, 0.8, (landmarker.N_OUT, 2)))
    mean = landmarker.mirrored_mean(first, _as_mirrored(first))
    np.testing.assert_allclose(mean.uv, first.uv, atol=1e-12)
    np.testing.assert_allclose(mean.z, first.z, atol=1e-12)
    np.testing.assert_allclose(mean.visibility, first.visibility, atol=1e-12)
    assert mean.flag == 0.9


def test_the_mirrored_look_moves_a_landmark_half_way_unless_it_is_far_off():
    rng = np.random.default_rng(4)
    first = _look(rng.uniform(0.2, 0.8, (landmarker.N_OUT, 2)))
    moved = first.uv.copy()
    knee, ankle = landmarker.INDEX["left_knee"], landmarker.INDEX["right_ankle"]
    moved[knee] += [0.02, 0.0]  # within AGREE: half of it is taken
    moved[ankle] += [0.0, 0.05]  # further: one of the two is wrong, the first is kept
    mean = landmarker.mirrored_mean(first, _as_mirrored(_look(moved)))
    np.testing.assert_allclose(mean.uv[knee], first.uv[knee] + [0.01, 0.0], atol=1e-12)
    np.testing.assert_allclose(mean.uv[ankle], first.uv[ankle], atol=1e-12)


def test_legs_the_mirrored_look_drew_the_other_way_round_keep_the_first_look_s_labels():
    rng = np.random.default_rng(5)
    first = _look(rng.uniform(0.2, 0.8, (landmarker.N_OUT, 2)))
    crossed = first.uv.copy()
    left, right = np.array(LEFT_LEG), np.array(RIGHT_LEG)
    crossed[left], crossed[right] = first.uv[right] + 0.004, first.uv[left] + 0.004
    mean = landmarker.mirrored_mean(first, _as_mirrored(_look(crossed)))
    expected = first.uv.copy()
    expected[np.r_[left, right]] += 0.002  # each leg met its own, not the other
    np.testing.assert_allclose(mean.uv, expected, atol=1e-12)


def _following_mirrored(answers: list) -> Landmarker:
    """A model that looks mirrored too, its mirrored looks taken from `answers` (the model
    itself is not run): what each was asked is counted in `answers`' place."""
    model = object.__new__(Landmarker)
    model._steady = landmarker.Steady()
    model.following = landmarker.Following(turn_as_drawn=True, mirrored=True)
    model.forget()
    model._look = lambda square: answers.pop(0)
    return model


def test_every_second_frame_is_looked_at_mirrored_and_the_frame_between_takes_its_shift():
    rng = np.random.default_rng(6)
    first = _look(rng.uniform(0.2, 0.8, (landmarker.N_OUT, 2)))
    moved = _as_mirrored(_look(first.uv + [0.02, 0.0]))  # half of it is taken: +0.01
    answers = [moved, moved]
    model = _following_mirrored(answers)
    square = np.zeros((SIZE, SIZE, 3), np.float32)
    assert landmarker.MIRROR_EVERY == 2
    later = _look(first.uv + [0.0, 0.003])  # the next frame: the body moved a little
    looks = [model._with_mirror(look, square) for look in (first, later, first)]
    assert answers == []  # looked at mirrored on the first and third frames only
    np.testing.assert_allclose(looks[0].uv, first.uv + [0.01, 0.0], atol=1e-9)
    np.testing.assert_allclose(looks[1].uv, later.uv + [0.01, 0.0], atol=1e-9)
    np.testing.assert_allclose(looks[1].visibility, later.visibility)
    answers.append(moved)
    model.forget()  # a body searched afresh: no shift held from before
    model._with_mirror(later, square)
    assert answers == []
