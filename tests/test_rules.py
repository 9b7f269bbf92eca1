import pytest

from movement_screen import cues, movements, rules
from movement_screen.core import InputError, Measurement, Movement, Severity


@pytest.fixture(scope="module")
def sprint():
    return rules.check_metrics(
        rules.load(rules.default_path(Movement.SPRINT)),
        movements.get(Movement.SPRINT).metric_names(),
    )


def _median(metric, value, side="left"):
    return Measurement(metric, value, "deg", side, None, "median")


@pytest.mark.parametrize(
    "value, severity",
    [(79.99, Severity.OK), (80.0, Severity.WATCH), (89.99, Severity.WATCH), (90.0, Severity.FLAG)],
)
def test_knee_drive_boundaries(sprint, value, severity):
    findings = rules.judge(sprint, [_median("peak_thigh_angle", value)])
    (finding,) = [f for f in findings if f.rule == "knee_drive_high"]
    assert finding.severity is severity
    assert finding.side == "left" and finding.value == value


@pytest.mark.parametrize(
    "value, severity",
    [(10.01, Severity.OK), (10.0, Severity.WATCH), (5.0, Severity.FLAG), (-3, Severity.FLAG)],
)
def test_below_rules_flag_small_values(sprint, value, severity):
    (finding,) = rules.judge(sprint, [_median("hip_extension_toe_off", value)])
    assert finding.severity is severity


def test_asymmetry_either_way_and_within_noise(sprint):
    m = Measurement("peak_thigh_angle", -12.5, "deg", "left-right", None, "asymmetry", 0.001)
    (finding,) = rules.judge(sprint, [m])
    assert finding.severity is Severity.FLAG
    small = Measurement("peak_thigh_angle", 2.0, "deg", "left-right", None, "asymmetry", 0.001)
    (finding,) = rules.judge(sprint, [small])
    assert finding.within_noise and finding.severity is Severity.OK


@pytest.mark.parametrize("p", [0.2, float("nan")])
def test_a_change_the_events_do_not_show_is_not_read(sprint, p):
    """A big left-right difference made by a few odd strides (or untested) is not a finding."""
    m = Measurement("peak_thigh_angle", -12.5, "deg", "left-right", None, "asymmetry", p)
    (finding,) = rules.judge(sprint, [m])
    assert finding.within_noise and finding.severity is Severity.OK


def test_every_default_protocol_loads_with_sources():
    for movement in Movement:
        protocol = rules.check_metrics(
            rules.load(rules.default_path(movement)), movements.get(movement).metric_names()
        )
        assert protocol.movement is movement and protocol.rules
        for rule in protocol.rules:
            assert rule.source and rule.basis in rules.BASES


def test_required_cue_ids_exist():
    ids = set()
    for movement in Movement:
        ids |= set(rules.load(rules.default_path(movement)).cues)
    assert {
        "reduce_knee_drive",
        "stay_tall",
        "keep_pelvis_level",
        "knee_over_foot",
        "hinge_from_hips",
    } <= ids


def test_every_cue_says_what_to_work_on_with_its_basis():
    library = rules.work_on_items()
    used = set()
    for movement in Movement:
        for cue_id, cue in rules.load(rules.default_path(movement)).cues.items():
            assert cue.work_on, f"{movement.value}: cue {cue_id} has no plan"
            for item in cue.work_on:
                assert item.area in rules.AREAS and item.basis in rules.BASES and item.text
            used |= {item.id for item in cue.work_on}
    assert used == set(library)  # no item is left unused


def test_cues_rank_flags_first_and_say_all_clear_when_clean(sprint):
    findings = rules.judge(
        sprint,
        [
            _median("peak_thigh_angle", 84.0),  # watch
            _median("trunk_lean_mean", 25.0),  # flag
        ],
    )
    ranked = cues.cues_for(sprint, findings)
    assert [c.id for c in ranked] == ["stay_tall", "reduce_knee_drive"]
    assert ranked[0].findings == ("trunk_lean_high:left",)
    clean = cues.cues_for(sprint, rules.judge(sprint, [_median("peak_thigh_angle", 60.0)]))
    assert [c.id for c in clean] == ["all_clear"] and clean[0].severity is Severity.OK
    assert cues.cues_for(sprint, []) == []  # nothing measured: no all-clear either


def test_an_all_clear_claims_only_what_was_read(sprint):
    inside = {"above": -1.0, "below": 1.0}  # a step inside each rule's watch line
    every = [_median(r.metric, r.watch + inside[r.direction]) for r in sprint.rules
             if r.kind == "median"]  # fmt: skip
    (clear,) = cues.cues_for(sprint, rules.judge(sprint, every))
    assert clear.text == sprint.cues["all_clear"].text
    (part,) = cues.cues_for(sprint, rules.judge(sprint, [_median("peak_thigh_angle", 60.0)]))
    assert part.id == "all_clear" and part.severity is Severity.OK
    assert part.text == (
        "Within the screening limits on all this clip could show (knee drive): nothing to "
        "change there."
    )


GOOD = """
schema = 1
movement = "hinge"
view = "side"
cutoff_hz = 6.0
min_fps = 24
[cues.all_clear]
text = "fine"
priority = 9
[cues.hinge_from_hips]
text = "hips back"
priority = 1
[[rules]]
id = "knees"
metric = "knee_flexion_deepest"
kind = "median"
direction = "above"
watch = 30
flag = 45
noise = 5
cue = "hinge_from_hips"
basis = "convention"
source = "test"
"""


@pytest.mark.parametrize(
    "change, message",
    [
        (("watch = 30", 'watch = "thirty"'), "'rules[0].watch' should be"),
        (("flag = 45", "flag = 20"), "'rules[0].flag' must be beyond"),
        (('cue = "hinge_from_hips"', 'cue = "nope"'), "'rules[0].cue'"),
        (('kind = "median"', 'kind = "mean"'), "'rules[0].kind' must be one of"),
        (('movement = "hinge"', 'movement = "squat"'), "'movement' must be one of"),
        (("schema = 1", ""), "missing key 'schema'"),
        (('metric = "knee_flexion_deepest"', 'metric = "knee_angle"'), "'rules[0].metric'"),
        (("[[rules]]", "[[rules]\n"), "not valid TOML"),
        (("cutoff_hz = 6.0", "cutoff_hz = nan"), "'cutoff_hz' must be a number above 0"),
        (("cutoff_hz = 6.0", "cutoff_hz = 0"), "'cutoff_hz' must be a number above 0"),
        (("noise = 5", "noise = -1"), "'rules[0].noise' must be a number at least 0"),
        (("watch = 30", "watch = inf"), "'rules[0].watch' must be a number"),
        (('text = "hips back"', 'text = "  "'), "'cues.hinge_from_hips.text' is empty"),
        (('source = "test"', 'source = ""'), "'rules[0].source' is empty"),
        (
            ("priority = 1", 'priority = 1\nwork_on = ["stretching"]'),
            "'cues.hinge_from_hips.work_on[0]' names 'stretching', which is not in work_on.toml",
        ),
        (
            ("priority = 1", 'priority = 1\nwork_on = "hinge_pattern"'),
            "'cues.hinge_from_hips.work_on' should be",
        ),
    ],
)
def test_bad_protocol_names_the_key(tmp_path, change, message):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(InputError, match="bad.toml") as error:
        rules.check_metrics(rules.load(str(path)), movements.get(Movement.HINGE).metric_names())
    assert message in str(error.value)
    assert "\n" not in str(error.value).strip()


def test_duplicate_rule_ids_and_binary_files_are_named(tmp_path):
    path = tmp_path / "bad.toml"
    rule = GOOD[GOOD.index("[[rules]]") :]
    path.write_text(GOOD + rule)
    with pytest.raises(InputError, match=r"'rules\[1\].id' 'knees' is used twice"):
        rules.load(str(path))
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="not a text file"):
        rules.load(str(path))


def test_good_custom_protocol_replaces_thresholds(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    protocol = rules.load(str(path))
    (finding,) = rules.judge(
        protocol, [Measurement("knee_flexion_deepest", 31.0, "deg", None, None, "median")]
    )
    assert finding.severity is Severity.WATCH
