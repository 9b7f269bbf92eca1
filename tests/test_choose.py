"""Choosing the athlete on constructed people followed over a second: what each body does,
the one moving like a screened movement among others, and 'unsure'."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from movement_screen import boxes, choose, cli
from movement_screen.core import AthleteChoice
from movement_screen.landmarks import INDEX
from movement_screen.pose import Detection
from movement_screen.tracking import LOST, held, lost_at_seed
from tests.synthetic import side_pose

HEIGHT, WIDTH = 720, 1280
LOOKS = np.arange(6) * 0.2  # seconds: the looks at one moment


def _person(x: float, scale: float, *, trunk=5.0, thigh=(0.0, 0.0), knee=(5.0, 5.0), lift=0.0):
    """Looks at one person (side view), from per-look angles in degrees: `thigh` and `knee`
    (left, right) and `trunk` are numbers or (6,) arrays; `lift` raises the whole body by
    that share of a leg length per look. Image pixels, y down, hips at `x`."""
    n = len(LOOKS)
    full = [np.broadcast_to(np.asarray(v, float), (n,)) for v in (trunk, *thigh, *knee)]
    pose = side_pose(LOOKS, trunk=full[0], thigh={"left": full[1], "right": full[2]},
                     knee={"left": full[3], "right": full[4]})  # fmt: skip
    xy = (pose.xy - [200.0, 300.0]) * scale
    xy[..., 1] = -xy[..., 1] - np.broadcast_to(np.asarray(lift, float), (n,))[:, None] * 87 * scale
    xy += [x, 0.6 * HEIGHT]
    return [Detection(frame, np.ones(33)) for frame in xy]


def _running(x, scale):
    swing = 35 * np.sin(2 * np.pi * 1.5 * LOOKS)
    return _person(
        x,
        scale,
        thigh=(swing, -swing),
        knee=(40 + 30 * np.cos(2 * np.pi * 1.5 * LOOKS), 40 - 30 * np.cos(2 * np.pi * 1.5 * LOOKS)),
    )


def _hinging(x, scale):
    return _person(x, scale, trunk=[10.0, 30.0, 50.0, 70.0, 50.0, 30.0])


def _jumping(x, scale):
    apart = 15 * np.abs(np.sin(2 * np.pi * LOOKS))
    return _person(x, scale, thigh=(apart, -apart), lift=0.35 * np.abs(np.sin(2 * np.pi * LOOKS)))


def _standing(x, scale):
    return _person(x, scale)


def _moment(followed: list[list[Detection]], t: float = 1.0) -> choose.Moment:
    doing = [choose.activity(looks) for looks in followed]
    people = [looks[0] for looks in followed]
    return choose.Moment(int(t * 30), t, people, doing, np.zeros((HEIGHT, WIDTH, 3), np.uint8))


def test_what_a_body_does_is_read_from_its_legs_hips_and_trunk():
    assert choose.activity(_running(600, 2.0)).kind() == "walking or running"
    assert choose.activity(_hinging(600, 2.0)).kind() == "bending and rising in place"
    assert choose.activity(_standing(600, 2.0)).kind() == "standing still"
    assert choose.activity(_jumping(600, 2.0)).kind() == "moving"  # hips rise too far for a gait
    assert choose.activity(_running(600, 2.0)[:1]).kind() == "seen once"
    hinge = choose.activity(_hinging(600, 2.0))
    assert hinge.planted and abs(hinge.trunk - 60.0) < 1e-6 and hinge.rep() == 1.0


def test_the_mover_is_chosen_over_bigger_people_standing_still():
    moment = _moment([_standing(200, 3.0), _running(640, 2.0), _standing(1100, 2.8)])
    picked = choose.choose([moment], HEIGHT)
    assert picked.chosen == 1 and not picked.unsure
    assert picked.reason == (
        "the person in the centre, walking or running; 2 others in view (2 standing still) "
        "(at 1.0 s)"
    )


def test_a_smaller_runner_beats_a_bigger_person_jumping_about():
    """As in the walk clip: a woman walks past while a man does jumping jacks on a box."""
    picked = choose.choose([_moment([_jumping(400, 2.6), _running(1000, 2.2)])], HEIGHT)
    assert picked.chosen == 1 and not picked.unsure
    assert "1 other in view (1 moving)" in picked.reason


def test_two_movers_of_a_size_make_an_unsure_choice():
    picked = choose.choose([_moment([_running(300, 2.0), _hinging(900, 1.95)])], HEIGHT)
    assert picked.unsure and picked.reason.endswith(
        "; unsure: another person moves about as much (at 1.0 s)"
    )


def test_an_unsure_choice_says_when_and_where_a_rival_seen_at_another_moment_was():
    """The hinger is in view twice, the bigger runner once, elsewhere: nobody else is in
    view at the moment judged, so the reason names the runner's moment and place."""
    moments = [_moment([_hinging(640, 1.5)], t=t) for t in (1.0, 3.0)]
    picked = choose.choose([*moments, _moment([_running(1100, 2.4)], t=2.0)], HEIGHT)
    assert picked.moment.people[picked.chosen] is moments[0].people[0] and picked.unsure
    assert picked.reason == (
        "the person in the centre, bending and rising in place; unsure: someone else, on the "
        "right at 2.0 s, moves about as much (at 1.0 s)"
    )


def test_the_command_line_names_the_pixels_of_the_others_only_when_they_are_in_view():
    unsure = AthleteChoice("auto", 1.0, 640.0, 300.0, 30, 1, "the person", unsure=True)
    (alone,) = cli._athlete_notes(unsure)
    (crowd,) = cli._athlete_notes(replace(unsure, candidates=2, others=((900, 310),)))
    assert "others at" not in alone and "at another moment" in alone and "X,Y@SECONDS" in alone
    assert "(others at pixel 900,310)" in crowd and "X,Y@1.0" in crowd


def test_a_choice_the_tracking_slipped_off_at_its_own_frame_is_said_unsure():
    """The crowded hinge `950010`: at the chosen frame the tracking was already on a walker
    passing behind the athlete; the choice is said unsure, and why, with how to choose."""
    athlete, walker = _standing(300, 2.0)[0], _standing(700, 2.0)[0]
    assert held(athlete, athlete) and not held(walker, athlete) and not held(None, athlete)
    arms_out = Detection(athlete.xy.copy(), athlete.visibility)
    arms_out.xy[INDEX["left_wrist"], 0] += 300  # the box twice as wide: the same hips
    assert held(arms_out, athlete)
    sure = AthleteChoice("auto", 1.4, 300.0, 500.0, 41, 3, "the person in the centre (at 1.4 s)")
    lost = lost_at_seed(sure)
    assert lost.unsure and lost.reason.startswith(sure.reason) and lost.reason.endswith(LOST)
    (said,) = cli._athlete_notes(lost)
    assert said.startswith(f"unsure who the athlete is: {LOST} (1.4 s)")
    assert "X,Y@SECONDS" in said and "no one passes close" in said  # not the moment it slipped
    rival = replace(sure, unsure=True, reason="...; unsure: another person moves about as much")
    assert lost_at_seed(rival) == rival  # already unsure: its own reason stays


def test_the_moment_with_the_most_people_is_the_one_judged():
    alone = _moment([_running(640, 2.0)], t=0.0)
    crowd = _moment([_standing(200, 2.0), _running(700, 2.0)], t=2.0)
    picked = choose.choose([alone, crowd], HEIGHT)
    assert picked.moment.time_s == crowd.time_s and picked.chosen == 1
    assert choose.choose([_moment([], t=0.0)], HEIGHT) is None


def test_a_moment_where_someone_covers_the_athlete_is_not_the_one_judged():
    """At 2.0 s someone passes in front of the athlete, their box over a side of the
    athlete's: the moment is the most crowded, but the one judged is the clear one."""
    athlete = _hinging(640, 2.0)
    passing = _moment([athlete, _standing(610, 2.4), _standing(1100, 2.0)], t=2.0)
    share = boxes.covered_share(passing.people[0].box(), passing.people[1].box())
    assert choose.COVERED < share < 0.5
    clear = _moment([_hinging(640, 2.0), _standing(1100, 2.0)], t=1.0)
    picked = choose.choose([clear, passing], HEIGHT)
    assert picked.moment.time_s == 1.0 and picked.chosen == 0
    assert picked.most_people == 3  # others seen: tracking looks for anyone passing close
    assert choose.choose([_moment([_hinging(640, 2.0)])], HEIGHT).most_people == 1
    assert not choose.covered(clear, 0) and choose.covered(passing, 0)
    alone = choose.choose([passing], HEIGHT)  # no clear moment: the covered one is judged
    assert alone.moment.time_s == 2.0 and alone.chosen == 0


def test_a_person_seen_once_is_judged_by_the_moments_around():
    """At 2.0 s the runner is lost after the first look; at 2.5 s they are followed."""
    crowd = _moment([_standing(200, 2.0), _running(700, 2.0)[:1]], t=2.0)
    later = _moment([_running(760, 2.0)], t=2.5)
    picked = choose.choose([crowd, later], HEIGHT)
    assert picked.moment.time_s == 2.0 and picked.chosen == 1 and not picked.unsure
    assert picked.reason.startswith("the person in the centre, walking or running")


def test_a_body_that_jumps_to_another_place_is_not_the_same_body():
    first, *_ = _standing(300, 2.0)
    there = Detection(first.xy + [200.0, 0.0], first.visibility)
    leg = choose.leg_length(first.xy[None])
    assert abs(leg - 2.0 * 87.0) < 1.0
    assert choose.same_body(first, Detection(first.xy + [20.0, 0.0], first.visibility), leg)
    assert not choose.same_body(first, there, leg)


def test_someone_walking_past_close_to_the_camera_loses_to_the_athlete_filmed_throughout():
    """The walker is bigger (nearer the camera) and in view at one moment of three."""
    moments = [
        _moment([_hinging(640, 2.0), _running(300, 3.0)], t=1.0),
        _moment([_hinging(640, 2.0)], t=2.0),
        _moment([_hinging(640, 2.0)], t=3.0),
    ]
    picked = choose.choose(moments, HEIGHT)
    assert picked.moment.people[picked.chosen].box()[0] > 500 and not picked.unsure
    walker, doing = moments[0].people[1], moments[0].activity[1]
    alone = choose.score(walker, doing, HEIGHT)
    assert abs(choose.standing_score(walker, doing, moments, HEIGHT) - alone / 3) < 1e-12


def test_a_hinge_is_one_person_whether_bent_over_or_standing():
    """Bending shrinks the box by more than SAME_SIZE; the bones do not shrink."""
    upright, *_ = _hinging(640, 2.0)
    bent, *_ = _person(650, 2.0, trunk=90.0)
    assert choose.body_height(upright) / choose.body_height(bent) > choose.SAME_SIZE
    assert abs(choose.body_size(bent) / choose.body_size(upright) - 1) < 0.01
    assert choose._same_size(upright, bent) and choose._same_size(bent, upright)
    nearer = _person(650, 2.0 * choose.SAME_SIZE * 1.05, trunk=90.0)[0]
    assert not choose._same_size(upright, nearer) and not choose._same_size(nearer, upright)


def test_a_hinge_seen_bent_over_beats_a_bigger_walker_seen_at_two_moments():
    """A `train` clip's case: at the two moments the walker, nearer the camera, is in view,
    the athlete is bent over; standing at the others. The athlete is one person at all
    five moments, not two of different sizes (the bent one their own rival: unsure)."""
    bent = [90.0, 70.0, 50.0, 30.0, 50.0, 70.0]
    moments = [
        _moment([_person(640, 2.0, trunk=bent), _running(200 + 60 * k, 3.0)], t=1.0 + 0.2 * k)
        for k in range(2)
    ]
    moments += [_moment([_hinging(640, 2.0)], t=t) for t in (0, 2, 3)]
    picked = choose.choose(moments, HEIGHT)
    assert picked.moment.people[picked.chosen].hips()[0] == 640 and not picked.unsure


def test_a_walker_crossing_the_athletes_place_does_not_take_the_athlete_over():
    """At 1.0 s someone bigger walks across right in front of the athlete: there the walker
    stands where the athlete trains, so they score alike, and that moment is not judged."""
    crossing = _moment([_hinging(640, 2.0), _running(660, 2.2)], t=1.0)
    moments = [crossing, *(_moment([_hinging(640, 2.0)], t=t) for t in (2.0, 3.0))]
    walker = crossing.people[1]
    assert choose.at_place(crossing.people[0], walker)
    picked = choose.choose(moments, HEIGHT)
    assert picked.moment.time_s != 1.0 and not picked.unsure


def test_two_people_moving_alike_each_in_their_own_place_make_an_unsure_choice():
    moments = [_moment([_running(300, 2.0), _running(1000, 2.0)], t=t) for t in (1.0, 2.0)]
    assert choose.choose(moments, HEIGHT).unsure


def test_a_moment_where_the_athlete_is_hidden_is_not_the_one_judged():
    """At 1.0 s the walker hides all but a sliver of the athlete (seen once, small)."""
    hidden = _moment([_hinging(640, 0.8)[:1], _running(600, 3.0)], t=1.0)
    clear = _moment([_hinging(640, 2.0)], t=2.0)
    picked = choose.choose([hidden, clear, _moment([_hinging(640, 2.0)], t=3.0)], HEIGHT)
    assert picked.moment.time_s in (2.0, 3.0) and picked.chosen == 0


def test_a_leg_swinging_past_a_planted_one_is_in_place_not_walking():
    """A balance and reach on one leg: the free leg reaches forward and back past the
    standing one while the trunk tips, as much a gait as a rep by the numbers; the foot
    that stays put says in place (the real lab clips were described as walking)."""
    reach = np.array([-40.0, -20.0, 0.0, 20.0, 40.0, 20.0])
    doing = choose.activity(_person(600, 2.0, trunk=reach + 50.0, thigh=(reach, 0.0)))
    assert doing.planted and doing.feet_crossed and doing.gait() == doing.rep() == 1.0
    assert doing.kind() == "bending and rising in place"


def test_a_planted_foot_is_found_whatever_the_labels_say():
    looks = _person(600, 2.0, trunk=[10.0, 30.0, 50.0, 70.0, 50.0, 30.0], thigh=(20.0, -20.0))
    swapped = []
    for i, body in enumerate(looks):  # MediaPipe swaps the feet every other look
        xy = body.xy.copy()
        if i % 2:
            for part in ("ankle", "heel", "foot_index"):
                left, right = INDEX[f"left_{part}"], INDEX[f"right_{part}"]
                xy[[left, right]] = xy[[right, left]]
        swapped.append(Detection(xy, body.visibility))
    doing = choose.activity(swapped)
    assert doing.planted and doing.kind() == "bending and rising in place"


def test_someone_moving_as_much_at_the_moment_judged_makes_an_unsure_choice():
    """The smaller runner is in view once: the athlete is chosen for being in view the whole
    clip, but at the moment shown both run, so the user is asked to check."""
    moments = [
        _moment([_running(300, 2.0), _running(1000, 1.5)], t=1.0),
        *(_moment([_running(300, 2.0)], t=t) for t in (2.0, 3.0)),
    ]
    picked = choose.choose(moments, HEIGHT)
    assert picked.moment.time_s == 1.0 and picked.chosen == 0 and picked.unsure
    walker, doing = moments[0].people[1], moments[0].activity[1]
    own = choose.score(walker, doing, HEIGHT)
    assert choose.standing_score(walker, doing, moments, HEIGHT) < 0.7 * own  # not over the clip


def test_the_choice_keeps_every_moment_s_looks_in_frame_order():
    """The looks at each moment (frames alone, static mode) are kept for the track to check
    its leg labels against (`tracking.second_looks`)."""
    runner = _running(640, 2.0)
    late = replace(_moment([runner], t=3.0), looks=((96, runner[1]), (90, runner[0])))
    early = replace(_moment([runner], t=1.0), looks=((30, runner[0]),))
    picked = choose.choose([late, early], HEIGHT)
    assert [frame for frame, _ in picked.looks] == [30, 90, 96]
    assert picked.looks[2][1] is runner[1]


def test_an_athlete_found_at_their_place_at_most_moments_has_that_place():
    columns = [630.0, 640.0, 655.0, 645.0]
    moments = [
        _moment([_hinging(x, 2.0), _running(150 + 50 * i, 2.0)], t=1.0 + i)
        for i, x in enumerate(columns)
    ]
    picked = choose.choose(moments, HEIGHT)
    hips = [m.people[0].hips()[0] for m in moments]
    assert picked.place == choose.Place(
        min(hips), max(hips), choose.body_height(moments[0].people[0])
    )
    assert np.allclose([picked.place.lo, picked.place.hi], [630.0, 655.0], atol=1.0)


def test_someone_at_their_place_at_too_few_moments_has_no_place():
    shares = []
    for present in (4, 3, 2):  # of 4 moments: seen at their place at the first `present`
        moments = [
            _moment([_hinging(640, 2.0) if i < present else _standing(100, 1.0)], t=1.0 + i)
            for i in range(4)
        ]
        shares.append(choose.place_of(moments[0].people[0], moments) is not None)
    assert shares == [True, True, False]  # IN_PLACE_SHARE: three of four moments or more


def test_the_person_picked_at_the_moment_judged_gets_their_own_place():
    from movement_screen.tracking import PersonHint, _place_picked

    moment = _moment([_hinging(400, 2.0), _running(900, 2.0)], t=2.0)
    places = (choose.Place(390, 410, 300), choose.Place(880, 920, 300))
    picked = choose.Choice(moment, 0, [1.0, 0.5], False, "", 2, (), places)
    x0, y0, x1, y1 = moment.people[1].box()
    on_runner = PersonHint((x0 + x1) / 2, (y0 + y1) / 2, 2.0)
    assert _place_picked(picked, on_runner, 30.0) == places[1]
    assert _place_picked(picked, replace(on_runner, time_s=2.5), 30.0) is None  # another moment
    assert _place_picked(picked, replace(on_runner, x=5.0), 30.0) is None  # on nobody
    assert _place_picked(None, on_runner, 30.0) is None  # nothing scanned (the command line)


def test_a_moment_where_someone_nearer_hides_the_athletes_place_does_not_count_against_them():
    """The `train-crowd` hinge `150106`'s case: a small athlete far from the camera, hidden
    at one moment behind a bigger walker passing in front, scored 0 there and lost to a
    bystander near the camera. That moment is not known, so it is left out of their mean;
    someone smaller behind the athlete hides nothing."""
    walker = _running(650, 2.5)
    moments = [_moment([_hinging(640, 1.0)], t=t) for t in (0.0, 1.0, 2.0)]
    moments.append(_moment([walker], t=3.0))
    athlete, doing = moments[0].people[0], moments[0].activity[0]
    assert choose.hidden(athlete, moments[3])
    alone = choose.score(athlete, doing, HEIGHT)
    assert abs(choose.standing_score(athlete, doing, moments, HEIGHT) - alone) < 1e-12
    behind = _moment([_running(650, 0.8)], t=3.0)
    assert not choose.hidden(athlete, behind)
    assert not choose.hidden(moments[3].people[0], _moment([_hinging(640, 1.0)], t=0.0))
