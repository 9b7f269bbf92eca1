"""The person detector's decoding on constructed model outputs (no model run)."""

import numpy as np
import pytest

from movement_screen import bodies


def test_anchors_tile_the_input_square_as_the_model_expects():
    anchors = bodies.anchors()
    assert anchors.shape == (2254, 2)
    assert np.allclose(anchors[0], [0.5 / 28, 0.5 / 28]) and np.allclose(anchors[1], anchors[0])
    assert np.allclose(anchors[-1], [6.5 / 7, 6.5 / 7])


def _outputs(rows: dict[int, tuple[float, list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    """Model outputs where only the given anchors score: {anchor: (logit, 12 values)}."""
    raw, logits = np.zeros((2254, 12)), np.full(2254, -20.0)
    for i, (logit, values) in rows.items():
        raw[i], logits[i] = values, logit
    return raw, logits


def test_a_body_is_placed_in_frame_pixels_from_its_anchor():
    anchor = 1568 + 2 * (14 * 5 + 9)  # stride 16, row 5, column 9: centre (152, 88) input px
    # box centre (+4, -8), 40 x 100; mid-hip (+2, +10); body circle top (+2, -50); shoulders
    values = [4, -8, 40, 100, 2, 10, 2, -50, 0, -30, 0, -60]
    raw, logits = _outputs({anchor: (3.0, values)})
    scores, boxes, points = bodies.candidates(raw, logits, 0.5, (-10.0, 20.0))
    assert scores == pytest.approx([1 / (1 + np.exp(-3.0))])
    assert boxes[0] == pytest.approx([(156 - 20) * 2 - 10, (80 - 50) * 2 + 20,
                                      (156 + 20) * 2 - 10, (80 + 50) * 2 + 20])  # fmt: skip
    (found,) = bodies._merge(scores, boxes, points)
    assert found.hips == pytest.approx((154 * 2 - 10, 98 * 2 + 20))
    half = bodies.ROI_SCALE * 60 * 2 / 2  # the circle's radius is 60 input px, 120 frame px
    assert found.region == pytest.approx((298 - half, 216 - half, 298 + half, 216 + half))


def test_overlapping_boxes_are_one_body_and_low_scores_are_dropped():
    near = [0, 0, 60, 120, 0, 20, 0, -40, 0, -30, 0, -60]
    moved = [3, 0, 60, 120, 3, 20, 3, -40, 3, -30, 3, -60]
    raw, logits = _outputs({100: (2.0, near), 101: (2.0, moved), 2000: (-1.0, near)})
    found = bodies._merge(*bodies.candidates(raw, logits, 1.0, (0.0, 0.0)))
    assert len(found) == 1
    centre = bodies.anchors()[100] * bodies.SIZE
    assert found[0].hips == pytest.approx((centre[0] + 1.5, centre[1] + 20))  # equal weights


def test_a_wide_frame_is_also_searched_in_squares_along_it():
    assert bodies.tiles((1080, 1920)) == [
        (0, 0, 1920, 1080), (0.0, 0, 1080.0, 1080), (420.0, 0, 1500.0, 1080),
        (840.0, 0, 1920.0, 1080),
    ]  # fmt: skip
    assert bodies.tiles((1000, 1100)) == [(0, 0, 1100, 1000)]
    assert bodies.tiles((1920, 1080))[1:] == [(0, 0.0, 1080, 1080.0), (0, 420.0, 1080, 1500.0),
                                              (0, 840.0, 1080, 1920.0)]  # fmt: skip


def test_letterboxing_keeps_the_aspect_and_says_where_the_square_sits():
    square, scale, corner = bodies.letterbox(np.full((100, 200, 3), 255, np.uint8))
    assert square.shape == (224, 224, 3) and scale == pytest.approx(224 / 200)
    assert corner == pytest.approx((0.0, -56 / scale))
    assert square[56:168].min() == pytest.approx(1.0) and square[:56].max() == 0.0
