"""Chunked tracking: the plan covers every frame once, seams are checked, results match."""

from contextlib import nullcontext
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from movement_screen import chunks, legs, overlay, pipeline, tracking, video
from movement_screen.core import VideoInfo
from movement_screen.follow import Counter, PassResult
from movement_screen.landmarker import GAIT, Following
from movement_screen.pose import Detection
from tests.fixtures import blank_moments, slow_motion_clip
from tests.synthetic import side_pose

SAMPLE = Path(__file__).parents[1] / "sample_videos" / "sprint_side_clean.mp4"


EVERY_30 = tuple(range(0, 7200, 30))  # key frames once a second at 30 fps


@pytest.mark.parametrize(
    "frames, seed, workers, keys",
    [(100, 0, 2, ()), (230, 60, 2, ()), (100, 99, 2, ()), (7, 3, 4, ()), (50, 25, 1, ())]
    + [(120, 72, 3, ()), (7200, 2320, 2, ()), (100, 10, 3, ()), (1000, 333, 4, ())]
    + [(300, 90, 2, (0, 250)), (7200, 2320, 2, EVERY_30), (1000, 333, 4, EVERY_30)]
    + [(1200, 360, 2, (0, 250, 500, 750, 1000)), (100, 10, 3, (0, 44, 45, 99))],
)
def test_plan_owns_every_frame_once_and_starts_at_the_seed(frames, seed, workers, keys):
    plan = chunks.plan(frames, seed, workers, keys)
    owned = sorted(i for c in plan for i in c.owned())
    assert owned == list(range(frames))
    seeded = [c for c in plan if c.seeded]
    assert {c.near for c in seeded} <= {seed, seed - 1}
    target = -(-frames // workers)
    most = target * (1 + chunks.KEY_REACH)  # a start moved onto a key frame
    assert max(len(c.owned()) for c in plan) <= most
    passes = [0] * workers  # run longest first, each on the pass that is free first
    for chunk in sorted(plan, key=lambda c: -len(c.owned())):
        passes[passes.index(min(passes))] += len(chunk.owned())
    assert max(passes) <= most  # the work is shared out evenly


def test_a_chunk_further_out_forward_starts_on_a_key_frame_near_its_place():
    """A 1080p clip's key frames 250 apart: the last 60 frames are not read from frame 0."""
    plan = chunks.plan(300, 90, 2, keys=(0, 250))
    assert [(c.near, c.far) for c in plan if c.step == 1] == [(90, 250), (250, 300)]
    far = chunks.plan(300, 90, 2, keys=(0, 200))  # 40 frames off: further than KEY_REACH
    assert [(c.near, c.far) for c in far if c.step == 1] == [(90, 240), (240, 300)]


def test_a_seed_two_thirds_in_gives_passes_of_a_half_each():
    plan = chunks.plan(7200, 4800, 2)
    assert sorted(len(c.owned()) for c in plan) == [1200, 2400, 3600]


def _det(x):
    xy = np.zeros((33, 2))
    xy[:, 0] = x
    xy[list(legs.LEFT_LEG), 0] += 10.0  # the left leg to the right of the right leg
    return Detection(xy, np.ones(33))


def test_a_pass_with_the_legs_named_the_other_way_is_swapped_back():
    flipped = Detection(_det(0).xy[legs.swap_permutation()], np.ones(33))
    result = PassResult(indices=[0, 1], times=[0.0, 0.1], detections=[flipped, None])
    chunks._align_legs(result, [_det(0), _det(0)])
    assert np.allclose(result.detections[0].xy, _det(0).xy) and result.detections[1] is None
    same = PassResult(indices=[0], times=[0.0], detections=[_det(0)])
    chunks._align_legs(same, [_det(0)])
    assert np.allclose(same.detections[0].xy, _det(0).xy)


def _box_det(x0):
    xy = np.array([[x0, 0.0], [x0 + 50, 100.0]] * 16 + [[x0, 0.0]])
    return Detection(xy, np.ones(33))


def _standing(scale: float) -> Detection:
    """A body standing upright, `scale` times the size of the one at scale 1."""
    zero = np.zeros(1)
    pose = side_pose(
        zero, trunk=zero, thigh={"left": zero, "right": zero}, knee={"left": zero, "right": zero}
    )
    return Detection(pose.xy[0] * scale, np.ones(33))


def test_a_chunk_further_out_guesses_the_athlete_on_its_own_first_frame(monkeypatch):
    """The person most like the athlete in size is guessed on the pass's first frame, read
    once: the pass then gets every frame, that one first."""
    decoded = []

    def clip():
        for i in range(4):
            decoded.append(i)
            yield i, i / 30, np.full((8, 8, 3), i, np.uint8)

    seen_on = []
    small, athlete_sized = _standing(0.5), _standing(1.1)

    def find_people(rgb, detect):
        seen_on.append(int(rgb[0, 0, 0]))
        return [small, athlete_sized]

    monkeypatch.setattr(chunks, "find_people", find_people)
    monkeypatch.setattr(chunks, "open_detector", lambda **_: nullcontext(None))
    frames, motion = chunks._guess(clip(), _standing(1.0), "models")
    assert seen_on == [0] and decoded == [0]
    assert motion.box == athlete_sized.box()
    assert [i for i, _, _ in frames] == [0, 1, 2, 3] and decoded == [0, 1, 2, 3]
    monkeypatch.setattr(chunks, "find_people", lambda rgb, detect: [])
    assert chunks._guess(clip(), _standing(1.0), "models")[1] is None


def test_seam_needs_the_same_person_in_the_overlap():
    chunk = chunks.Chunk(10, 20, 1, False)
    before = PassResult(list(range(5, 15)), [0.0] * 10, [_box_det(0)] * 10)
    same = PassResult(list(range(10, 20)), [0.0] * 10, [_box_det(2)] * 10)
    other = PassResult(list(range(10, 20)), [0.0] * 10, [_box_det(300)] * 10)
    assert chunks._seam_agrees(before, same, chunk)
    assert not chunks._seam_agrees(before, other, chunk)
    lost = PassResult(list(range(5, 15)), [0.0] * 10, [None] * 10)
    assert not chunks._seam_agrees(lost, same, chunk)  # cannot check: track it again instead


def _passes_starting_past_the_seed_go_elsewhere(monkeypatch, seed_index):
    """Fake passes: frames are (index, time, None); a pass whose first frame lies past the
    seed (the backward pass's lead-in) follows someone 300 pixels away, others the athlete."""

    def frames(info, chunk, overlap, grid, *, lead, to_end, keys):
        if chunk.step == 1:
            return ((i, i / info.fps, None) for i in range(chunk.near, info.frame_count))
        return ((i, i / info.fps, None) for i in range(chunk.near + lead, chunk.far, -1))

    def follow(frames, motion, *, models_dir, counter, checkpoint_after, near, following):
        indices = [i for i, _, _ in frames]
        x = 300 if indices[0] > seed_index else 0
        dets = [_box_det(x) for _ in indices]
        return PassResult(indices, [i / 30 for i in indices], dets, checkpoint=motion)

    monkeypatch.setattr(chunks, "_frames", frames)
    monkeypatch.setattr(chunks, "follow", follow)


def test_a_backward_pass_not_on_the_athlete_at_the_seed_starts_again_from_the_seed(monkeypatch):
    """Someone passing in front just after the seed frame: the backward pass that started
    there reaches the seed frame on them, so it starts again from the seed itself."""
    _passes_starting_past_the_seed_go_elsewhere(monkeypatch, seed_index=40)
    info = VideoInfo("clip.mp4", 30.0, 640, 480, 100, 0)
    rows, dets, _ = chunks.track_chunks(
        info, 40, _box_det(0), workers=1, models_dir="models", counter=Counter(100)
    )
    assert rows == list(range(100))
    assert all(d.box()[0] == 0 for d in dets)
    lead_in = PassResult([45, 40, 39], [0.0] * 3, [_box_det(300)] * 3)
    assert not chunks.meets_seed(lead_in, 40, _box_det(0))
    assert chunks.meets_seed(PassResult([41, 40], [0.0] * 2, [_box_det(2)] * 2), 40, _box_det(0))


@pytest.fixture(scope="module")
def runs():
    info = video.probe(str(SAMPLE))
    return {w: pipeline.screen(info, tracking.track_athlete(info, workers=w)) for w in (1, 3)}


def test_chunked_and_sequential_tracking_agree(runs):
    one, three = runs[1], runs[3]
    assert np.array_equal(one.clean.pose.time, three.clean.pose.time)
    seams = [
        c.near for c in chunks.plan(len(one.angles.time), one.athlete.frame, 3) if not c.seeded
    ]
    relock = max(chunks.MIN_OVERLAP, round(chunks.OVERLAP_S * one.info.fps))
    outside = np.ones(len(one.angles.time), dtype=bool)
    for seam in seams:
        outside[max(seam - relock, 0) : seam + relock] = False
    for name in ("trunk_lean", "thigh_angle_left", "thigh_angle_right", "knee_flexion_left"):
        diff = np.abs(one.angles.values[name] - three.angles.values[name])[outside]
        assert np.nanpercentile(diff, 95) < 3.0, name


def test_chunked_and_sequential_findings_and_cues_match(runs):
    one, three = runs[1], runs[3]
    assert [(f.rule, f.side, f.severity) for f in one.findings] == [
        (f.rule, f.side, f.severity) for f in three.findings
    ]
    assert [c.id for c in one.cues] == [c.id for c in three.cues]


def test_the_grid_of_posed_frames_is_counted_from_the_seed():
    grid = video.Grid(seed=7, every=3)
    assert [grid.up(i) for i in (0, 5, 7, 8)] == [1, 7, 7, 10]
    assert [grid.down(i) for i in (0, 6, 7, 9)] == [-2, 4, 7, 7]
    assert grid.count(range(0, 12)) == 4 and grid.count(range(12, 0, -1)) == 4  # 1, 4, 7, 10


def test_a_grid_of_five_frames_in_six_steps_one_or_two_frames():
    grid = video.Grid(seed=3, every=1.2)  # ... -3, -2, -1, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13
    assert [i for i in range(-3, 14) if grid.holds(i)] == [-3, -2, -1, 1, 2, 3, 4, 5, 7, 8, 9,
                                                           10, 11, 13]  # fmt: skip
    assert [grid.up(i) for i in (0, 6, 7)] == [1, 7, 7] and grid.down(6) == 5
    assert grid.count(range(3, 63)) == 50  # 100 poses a second of a 120 fps clip
    assert video.Grid(0, 2.4).count(range(0, 240)) == 100


@pytest.mark.parametrize("every", [1.2, 2.4])
def test_frames_backward_on_a_fractional_grid_are_the_forward_frames_reversed(every):
    grid = video.Grid(seed=20, every=every)
    forward = [i for i, _, _ in video.frames(str(SAMPLE), start=grid.up(0), stop=90, step=grid)]
    got = video.frames_backward(str(SAMPLE), start=grid.down(89), stop=-1, step=grid, block=7)
    assert (
        [i for i, _, _ in got] == forward[::-1] == [i for i in range(89, -1, -1) if grid.holds(i)]
    )


@pytest.mark.parametrize(("start", "stop", "step"), [(89, -1, 1), (89, -1, 2), (60, 10, 4)])
@pytest.mark.parametrize("keys", [(), (0,), (0, 5, 6, 30, 59, 60, 88, 89), (3, 17, 40, 71)])
def test_frames_backward_on_a_grid(start, stop, step, keys):
    """Every frame once, in order, whatever the key frames (real or made up: a block that
    starts on one only decodes less) and several blocks of 7."""
    got = video.frames_backward(str(SAMPLE), start=start, stop=stop, step=step, block=7, keys=keys)
    assert [i for i, _, _ in got] == list(range(start, stop, -step))


def test_reading_backward_each_block_starts_on_a_key_frame_where_one_is_in_reach(monkeypatch):
    """A seek decodes from the key frame before its target: blocks of 12 frames read
    backward from frame 59 start on the key frames every 10 frames (nothing decoded
    twice), and where key frames lie 25 apart, on one wherever the block holds one."""
    starts = []
    read = video.frames

    def frames(path, *, start, stop, step):
        starts.append(start)
        return read(path, start=start, stop=stop, step=step)

    monkeypatch.setattr(video, "frames", frames)
    for keys, expected in (
        (range(0, 60, 10), [50, 40, 30, 20, 10, 0]),
        ((0, 25, 50), [50, 38, 26, 25, 13, 1, 0]),
        ((), [48, 36, 24, 12, 0]),
    ):
        starts.clear()
        got = video.frames_backward(str(SAMPLE), start=59, stop=-1, block=12, keys=list(keys))
        assert [i for i, _, _ in got] == list(range(59, -1, -1))
        assert starts == expected


def test_the_key_frames_of_a_clip_are_read_from_its_packets(tmp_path):
    clip = slow_motion_clip(tmp_path / "slow.mp4")
    keys = video.key_frames(str(clip))
    assert keys and keys[0] == 0 and keys == sorted(keys)
    assert video.key_frames(str(tmp_path / "missing.mp4")) == []
    (tmp_path / "text.mp4").write_text("not a video")
    assert video.key_frames(str(tmp_path / "text.mp4")) == []


@pytest.mark.parametrize(
    ("fps", "kind", "every"),
    [(30, None, 1), (60, None, 1), (100, None, 1), (100.9, None, 1), (120, None, 1.2),
     (240, None, 2.4), (240, "walking or running", 2.4), (200, None, 2), (199, None, 2),
     (240, tracking.SLOW_KIND, 8), (60, tracking.SLOW_KIND, 2), (50, tracking.SLOW_KIND, 1),
     (29.97, tracking.SLOW_KIND, 1), (119.88, None, 1.1988), (59.94, tracking.SLOW_KIND, 2),
     (237, tracking.SLOW_KIND, 7)],
)  # fmt: skip
def test_pose_runs_as_often_as_the_movement_needs(fps, kind, every):
    """Runs at 100 poses a second (a 120 fps clip on five frames of every six), on every
    n-th frame where the clip's rate is within 1 % of n times that (a phone's 199 fps as
    200); a lunge on every n-th frame at 30 a second or a little more."""
    assert tracking.pose_every(fps, kind) == pytest.approx(every)


@pytest.mark.parametrize(
    ("in_place", "crowd", "following"),
    [(True, False, Following(turn_as_drawn=True, mirrored=True)),
     (True, True, Following(turn_as_drawn=True, mirrored=False)),
     (False, False, GAIT), (False, True, GAIT)],
)  # fmt: skip
def test_only_a_body_in_place_alone_is_looked_at_mirrored_too(in_place, crowd, following):
    assert tracking.following_for(in_place, crowd) == following


def test_a_fast_clip_is_posed_on_some_frames_and_every_frame_comes_out(tmp_path):
    """A 240 fps clip is posed 100 times a second at most (every 8th frame when the athlete
    was seen bending and rising in place); the screening still has a row for every frame."""
    import av

    path = str(slow_motion_clip(tmp_path / "lunge_240.mp4"))  # each frame 8 times, at 240 fps
    result = pipeline.analyze(path)
    assert len(result.angles.time) == 1008 and result.movement is not None
    posed = int(result.clean.posed.sum())
    assert 125 <= posed <= 127 or 419 <= posed <= 421  # 1 frame in 8, or 5 in 12
    assert result.quality.posed_share == pytest.approx(posed / 1008, abs=1e-3)
    assert np.isfinite(result.angles.values["knee_flexion_left"]).mean() > 0.9
    assert np.all(np.diff(result.angles.time) > 0)
    drawn = str(tmp_path / "annotated.mp4")  # drawn on every 4th frame, each at its own time
    overlay.write_annotated(result, drawn)
    with av.open(drawn) as clip:
        times = [float(f.time) for f in clip.decode(video=0)]
    assert len(times) == 252
    assert np.allclose(times, result.angles.time[::4] - result.angles.time[0], atol=1e-3)


@pytest.mark.parametrize(
    "fps, every", [(24, 1), (30, 1), (60, 1), (100, 1), (120, 2), (119.88, 2), (240, 4)]
)
def test_the_annotated_clip_of_slow_motion_holds_every_nth_frame(fps, every):
    assert overlay.drawn_every(fps) == every


def test_the_moments_looked_at_are_the_same_on_one_pose_instance_or_two():
    info = video.probe(str(SAMPLE))
    one, two = (tracking.moments(info, "models", workers=w) for w in (1, 2))
    assert [m.index for m in one] == [m.index for m in two] == sorted(m.index for m in one)
    assert len(one) >= 4
    for a, b in zip(one, two, strict=True):
        assert len(a.people) == len(b.people) and a.activity == b.activity
        assert all(np.array_equal(p.xy, q.xy) for p, q in zip(a.people, b.people, strict=True))


def test_the_people_of_one_moment_are_followed_by_two_pose_instances_at_once(monkeypatch):
    """Each person's follow through a moment's looks is a job of its own: with two
    instances, the two people of the clip's only moment are followed side by side (each
    follow waits at a barrier for the other; one after the other, it would time out)."""
    import contextlib
    import threading

    people = [Detection(np.full((33, 2), x), np.ones(33)) for x in (10.0, 50.0)]
    together = threading.Barrier(2, timeout=10)

    def follow(person, detect, *, frames, others):
        together.wait()
        return [person] + [None] * len(frames)

    monkeypatch.setattr(tracking, "open_detector", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(tracking, "_decode_moments", partial(blank_moments, most=1))
    monkeypatch.setattr(tracking, "find_people", lambda rgb, detect: people)
    monkeypatch.setattr(tracking, "follow_looks", follow)
    info = VideoInfo("clip.mp4", fps=30.0, width=64, height=64, frame_count=300, rotation=0)
    (moment,) = tracking.moments(info, "models", workers=2)
    assert moment.people == people and len(moment.activity) == 2
    assert moment.looks == tuple((moment.index, p) for p in people)  # the looks kept


def _split_body(x: float) -> Detection:
    """A body in a held split stance, the left leg in front (image pixels), hips at x."""
    pose = side_pose(np.zeros(1), trunk=np.zeros(1), thigh={"left": np.full(1, 50.0),
                     "right": np.full(1, -25.0)}, knee={"left": np.full(1, 40.0),
                     "right": np.full(1, 20.0)})  # fmt: skip
    return Detection(pose.xy[0] + [x, 0.0], np.ones(33))


def test_each_look_is_told_against_the_tracked_body_nearest_its_frame():
    """Track rows on every 2nd frame; looks at frames alone: the same labels (+1), the legs
    the other way round (-1), someone else (0), too far from any row or on a row where the
    athlete was not found (0); the first look at a row is the one kept."""
    body, other = _split_body(0.0), _split_body(400.0)
    mirrored = Detection(body.xy[legs.swap_permutation()], body.visibility)
    rows, found = [0, 2, 4, 6, 8], [None, body, body, body, body]
    looks = ((0, body), (2, body), (4, mirrored), (5, body), (6, other), (8, mirrored), (13, body))
    said = tracking.second_looks(looks, rows, found)
    assert said.tolist() == [0, 1, -1, 0, -1]
    assert tracking.second_looks((), rows, found).tolist() == [0] * 5


def test_a_pose_model_that_cannot_be_opened_fails_the_scan_at_once(monkeypatch):
    """Each thread opens its own instance: where none can be opened, every job fails with
    the model's one-line error instead of waiting for an instance that never comes."""
    import threading

    from movement_screen.core import InputError

    def broken(**_):
        raise InputError("models/pose_landmarker_x.task: not a usable model")

    monkeypatch.setattr(tracking, "open_detector", broken)
    monkeypatch.setattr(tracking, "_decode_moments", blank_moments)
    info = VideoInfo("clip.mp4", fps=30.0, width=64, height=64, frame_count=300, rotation=0)
    raised = []

    def scan() -> None:
        try:
            tracking.moments(info, "models", workers=2)
        except InputError as error:
            raised.append(str(error))

    thread = threading.Thread(target=scan, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the scan waits for a pose instance that never comes"
    assert raised == ["models/pose_landmarker_x.task: not a usable model"]


def test_each_moments_frames_are_handed_on_as_soon_as_they_are_decoded(monkeypatch):
    """Frames come in one pass; a plan goes as soon as its last frame is in, each frame
    once per plan; a plan cut short by the end of the clip goes with what was decoded."""
    order = []

    def frames_at(path, indices):
        assert indices == sorted(set(indices))  # one pass, in order, each frame once
        for i in indices:
            if i > 12:  # the clip ends early
                return
            order.append(i)
            yield i, i / 30, None

    monkeypatch.setattr(tracking.video, "frames_at", frames_at)
    handed = []
    plans = [[10, 11, 12, 13], [0, 2, 4], [3, 4, 4, 5]]
    tracking._decode_moments("clip.mp4", plans, lambda f: handed.append((len(order), f)))
    got = [(seen, [i for i, _, _ in frames]) for seen, frames in handed]
    assert got == [(4, [0, 2, 4]), (5, [3, 4, 5]), (8, [10, 11, 12])]


def test_each_moments_people_are_told_as_soon_as_found_before_they_are_followed(monkeypatch):
    """`seen` gets each moment's first frame and everyone in it from the search, while
    their follows have not started: the app shows them as the scan goes on."""
    import contextlib
    import threading

    people = [Detection(np.full((33, 2), x), np.ones(33)) for x in (10.0, 50.0)]
    followed = threading.Event()
    told = []

    def follow(person, detect, *, frames, others):
        followed.set()
        return [person] + [None] * len(frames)

    def seen(index, time_s, rgb, found):
        told.append((index, time_s, rgb.shape, len(found), followed.is_set()))

    monkeypatch.setattr(tracking, "open_detector", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(tracking, "_decode_moments", partial(blank_moments, most=2))
    monkeypatch.setattr(tracking, "find_people", lambda rgb, detect: people)
    monkeypatch.setattr(tracking, "follow_looks", follow)
    info = VideoInfo("clip.mp4", fps=30.0, width=64, height=64, frame_count=300, rotation=0)
    found = tracking.moments(info, "models", workers=1, seen=seen)
    assert sorted(t[:4] for t in told) == [(m.index, m.time_s, (8, 8, 3), 2) for m in found]
    assert told[0][4] is False  # the first moment's people, told before anyone was followed
