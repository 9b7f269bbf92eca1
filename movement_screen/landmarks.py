"""MediaPipe Pose's 33 landmark names and the index groups the engine uses.

Pure data: no MediaPipe import, so the maths modules stay light.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer", "left_ear", "right_ear",
    "mouth_left", "mouth_right", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist",
    "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee",
    "left_ankle", "right_ankle", "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)  # fmt: skip
N_LANDMARKS = len(NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
ARM_PARTS = ("shoulder", "elbow", "wrist", "pinky", "index", "thumb")
FOOT = LEG_PARTS[2:]  # what a foot cut off by the picture's edge takes with it
LEFT_LEG: tuple[int, ...] = tuple(INDEX[f"left_{p}"] for p in LEG_PARTS)
RIGHT_LEG: tuple[int, ...] = tuple(INDEX[f"right_{p}"] for p in LEG_PARTS)

SIDES = ("left", "right")
# The shoulders and hips; a list, as it indexes arrays.
TRUNK: list[int] = [INDEX[f"{s}_{p}"] for s in SIDES for p in ("shoulder", "hip")]

# Pairs drawn as the skeleton (image overlays) and used for the body's extent.
SKELETON: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
)  # fmt: skip


def swap_sides(index: int) -> int:
    """Return the index of the same landmark on the other side (the nose maps to itself)."""
    name = NAMES[index]
    if name.startswith("left_"):
        return INDEX["right_" + name[5:]]
    if name.startswith("right_"):
        return INDEX["left_" + name[6:]]
    if "_left" in name:
        return INDEX[name.replace("_left", "_right")]
    if "_right" in name:
        return INDEX[name.replace("_right", "_left")]
    return index
