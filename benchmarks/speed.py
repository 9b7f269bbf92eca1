"""Speed and memory benchmark: the plain decode+pose loop against the full `analyze`.

Prints, side by side in one run, each with its target and PASS or MISS:
- frames/s of a plain loop (OpenCV decode + MediaPipe's Pose solution, video mode,
  nothing else; and, for information, the loop with the engine's own runner of the same
  model) and of the full analysis with every output (report HTML/PDF, annotated
  video, CSV, TRC), and their ratio, on the real walk clip (target 1.0x), a
  120 fps clip and a 60 s 60 fps clip (1.5x);
- wall time of the full analysis of a 10 s 30 fps 1080p clip (10 s) and of a
  30 s 240 fps clip (60 s);
- the app's scan for people on the walk clip: its first boxes to pick from (2 s), and
  its best guess (the whole scan);
- peak memory (RSS) of `movement-screen analyze` on a 10 s and a 5 min clip;
- a batch of clips screened serially against 2 workers.
The clips other than the walk are a sample clip looped, at the frame rate and size
asked for. The machine is shared and noisy: the figures move by 10-20 % between runs.

    python benchmarks/speed.py [--clip PATH] [--long-s 300] [--batch 8] [--skip ...]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from movement_screen import pipeline, pose, video  # noqa: E402
from movement_screen.report import worker  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real" / "walk_side_two_people_sports2d.mp4"
SAMPLE = ROOT / "sample_videos" / "lunge_side_clean.mp4"
SPRINT = ROOT / "sample_videos" / "sprint_side_clean.mp4"
TARGETS = {
    "fps_ratio": 1.5,  # full analyze / plain loop, on 120 fps and 60 fps clips
    "walk_ratio": 1.0,  # the same on the 230-frame walk clip
    "hd_s": 10.0,  # wall seconds for a 10 s, 30 fps, 1080p clip
    "slowmo_s": 60.0,  # wall seconds for a 30 s, 240 fps clip
    "picker_s": 2.0,  # the app's scan for people on the walk clip: its first boxes
    "peak_rss_gb": 1.5,
    "rss_growth": 0.10,
    "batch_ratio": 1.5,
}


def plain_loop_fps(path: str) -> float:
    """Decode every frame and run MediaPipe Pose on it (its own legacy solution, video
    mode, the model bundled in the wheel, as anyone would write the loop), nothing else;
    the model is built in the time, as a command-line run builds its own."""
    mp = pose._import_mediapipe()
    started, count = time.perf_counter(), 0
    with mp.solutions.pose.Pose(model_complexity=1, smooth_landmarks=False) as model:
        for _, _, rgb in video.frames(path):
            model.process(rgb)
            count += 1
    return count / (time.perf_counter() - started)


def engine_loop_fps(path: str) -> float:
    """The plain loop with the engine's own pose runner (`landmarker`: the same model
    through LiteRT) in place of MediaPipe's solution: what the runner alone gains."""
    pose.release_idle()
    started, count = time.perf_counter(), 0
    with pose.open_detector(static=False) as detect:
        for _, t, rgb in video.frames(path):
            detect(rgb, t)
            count += 1
    return count / (time.perf_counter() - started)


def full_analyze_fps(path: str) -> tuple[float, float]:
    """Frames/s and seconds of analyze + every output file, as `movement-screen analyze`
    runs them (the report's process started with the analysis, pose models built anew)."""
    pose.release_idle()
    out = tempfile.mkdtemp(prefix="speed-")
    huge = video.huge_pages(False)  # as `movement-screen` sets it
    try:
        started = time.perf_counter()
        worker.start()
        result = pipeline.analyze(path)
        pipeline.write_outputs(result, os.path.join(out, "screen"))
        seconds = time.perf_counter() - started
    finally:
        video.huge_pages(huge)
        shutil.rmtree(out, ignore_errors=True)
    return len(result.angles.time) / seconds, seconds


def looped_clip(
    source: str, seconds: float, path: str, *, fps: float | None = None, size=None
) -> str:
    """Write `source`'s frames over and over until `seconds` long (H.264), at `fps` (the
    source's by default: a higher rate plays the movement slower, as slow motion films it)
    and `size` (width, height; the source's by default)."""
    import av
    import cv2

    info = video.probe(source)
    rate = round(fps or info.fps)
    width, height = size or (info.width, info.height)
    frames_needed = int(seconds * rate)
    with av.open(path, "w") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        written = 0
        while written < frames_needed:
            for _, _, rgb in video.frames(source):
                if written >= frames_needed:
                    break
                if (width, height) != (info.width, info.height):
                    rgb = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_LINEAR)
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    out.mux(packet)
                written += 1
        for packet in stream.encode():
            out.mux(packet)
    return path


def peak_rss_mb(clip: str) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of `movement-screen analyze CLIP` in a fresh process."""
    out = tempfile.mkdtemp(prefix="rss-")
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [
        sys.executable,
        "-m",
        "movement_screen.cli",
        "analyze",
        clip,
        "--out",
        os.path.join(out, "s"),
    ]
    started = time.perf_counter()
    try:
        kb = subprocess.run(
            [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return int(kb.stdout.strip()) / 1024, time.perf_counter() - started


def batch_rate(clips: list[str], workers: int) -> float:
    """Clips per second of `movement-screen batch` with `workers`."""
    folder = tempfile.mkdtemp(prefix="batch-")
    try:
        for i, clip in enumerate(clips):
            shutil.copy(clip, os.path.join(folder, f"clip{i:02d}.mp4"))
        out = os.path.join(folder, "out")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "movement_screen.cli",
                "batch",
                folder,
                "--out",
                out,
                "--workers",
                str(workers),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return len(clips) / (time.perf_counter() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def target(label: str, value: str, goal: str, ok: bool) -> None:
    print(f"  {label:24s}: {value:>8s}  target {goal:10s} {'PASS' if ok else 'MISS'}")


def speed_section(clip: str, name: str, goal: float) -> None:
    """Full analyze against the plain loop on one clip: their ratio against `goal`."""
    plain = plain_loop_fps(clip)
    runner = engine_loop_fps(clip)
    full, seconds = full_analyze_fps(clip)
    ratio = full / plain
    info = video.probe(clip)
    print(f"\n{name}: {info.frame_count} frames, {info.fps:g} fps, {info.width}x{info.height}")
    print(f"  plain decode+pose loop  : {plain:8.1f} frames/s")
    print(f"  ... with the engine's runner: {runner:4.1f} frames/s (information)")
    print(f"  full analyze + outputs  : {full:8.1f} frames/s ({seconds:.1f} s)")
    target("ratio full/plain", f"{ratio:.2f}", f">= {goal:g}", ratio >= goal)


def wall_section(clip: str, name: str, goal_s: float) -> None:
    """Wall time of the full analysis with every output against `goal_s`."""
    _, seconds = full_analyze_fps(clip)
    info = video.probe(clip)
    print(f"\n{name}: {info.frame_count} frames, {info.fps:g} fps, {info.width}x{info.height}")
    target("full analyze, wall", f"{seconds:.1f} s", f"<= {goal_s:g} s", seconds <= goal_s)


def picker_section(clip: str) -> None:
    """The app's scan for people: when its first boxes are there to pick from (the first
    moment with several people) and when its best guess is (the whole scan). In a fresh
    process that has imported the app's modules but nothing of MediaPipe (a clip dropped as
    the app opens, before its warm-up is done), then in this one with the models kept warm
    from a scan (every clip after the first, and the first once the app has warmed up)."""
    print(f"\nthe app's scan for people on {os.path.basename(clip)}:")
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]); "
        "from benchmarks import speed; print(*speed._scan_seconds(sys.argv[1]))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code, clip, str(ROOT)], capture_output=True, text=True, check=True
    )
    _picker_rows("fresh process", *map(float, fresh.stdout.strip().splitlines()[-1].split()))
    pose.release_idle()
    _scan_seconds(clip)  # the models built and kept
    _picker_rows("models warm", *_scan_seconds(clip))


def _picker_rows(when: str, boxes: float, guess: float) -> None:
    goal = TARGETS["picker_s"]
    if math.isnan(boxes):  # one person in view: the app shows no picker, there is no target
        print(f"  {'boxes, ' + when:24s}:   none    (one person in view: nothing to pick)")
    else:
        target(f"boxes, {when}", f"{boxes:.1f} s", f"<= {goal:g} s", boxes <= goal)
    print(f"  {'guess, ' + when:24s}: {guess:>6.1f} s  (the whole scan: no target)")


def _scan_seconds(clip: str) -> tuple[float, float]:
    """Seconds to the scan's first boxes (nan if no moment held several people) and to its
    end, in this process."""
    from movement_screen import webapp

    workspace = webapp.Workspace()
    shown: list[float] = []
    try:
        started = time.perf_counter()
        webapp.scan_people(
            webapp.Clip(clip, os.path.basename(clip), workspace),
            report=_quiet,
            show=lambda people: shown.append(time.perf_counter() - started),
        )
        whole = time.perf_counter() - started
        return (shown[0] if shown else float("nan")), whole
    finally:
        workspace.remove()


def _quiet(stage: str, share: float) -> None:
    return None


def memory_section(short_s: float, long_s: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        short = looped_clip(str(SAMPLE), short_s, os.path.join(tmp, "short.mp4"))
        long = looped_clip(str(SAMPLE), long_s, os.path.join(tmp, "long.mp4"))
        short_mb, short_t = peak_rss_mb(short)
        long_mb, long_t = peak_rss_mb(long)
    growth = long_mb / short_mb - 1
    print("\npeak memory (RSS) of `movement-screen analyze`, every output:")
    print(f"  {short_s:5.0f} s clip: {short_mb:7.0f} MB ({short_t:.0f} s to screen)")
    print(f"  {long_s:5.0f} s clip: {long_mb:7.0f} MB ({long_t:.0f} s to screen)")
    peak = max(short_mb, long_mb) / 1024
    target(
        "peak RSS",
        f"{peak:.2f} GB",
        f"< {TARGETS['peak_rss_gb']} GB",
        peak < TARGETS["peak_rss_gb"],
    )
    ok = abs(growth) <= TARGETS["rss_growth"]
    target("long/short - 1", f"{growth:+.1%}", f"<= {TARGETS['rss_growth']:.0%}", ok)


def batch_section(count: int) -> None:
    clips = sorted(str(p) for p in (ROOT / "sample_videos").glob("*.mp4"))
    clips = (clips * count)[:count]
    serial, parallel = batch_rate(clips, 1), batch_rate(clips, 2)
    print(f"\nbatch of {len(clips)} sample clips, every output:")
    print(f"  1 worker                : {serial:8.3f} clips/s")
    print(f"  2 workers               : {parallel:8.3f} clips/s")
    ratio = parallel / serial
    target(
        "ratio 2 workers/1",
        f"{ratio:.2f}",
        f">= {TARGETS['batch_ratio']}",
        ratio >= TARGETS["batch_ratio"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", default=str(REAL if REAL.exists() else SAMPLE))
    parser.add_argument("--long-s", type=float, default=300.0, help="long clip length, s")
    parser.add_argument("--short-s", type=float, default=10.0, help="short clip length, s")
    parser.add_argument("--speed-s", type=float, default=60.0, help="looped clip for frames/s, s")
    parser.add_argument("--batch", type=int, default=8, help="clips in the batch test")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["speed", "slowmo", "memory", "batch"]
    )
    args = parser.parse_args()
    machine = f"{os.cpu_count()} cores, {platform.machine()}"
    print(f"movement-screen speed benchmark, {date.today()}, {machine}", flush=True)
    if not REAL.exists() and args.clip == str(SAMPLE):
        print(f"(no {REAL}: the walk clip's rows are on {SAMPLE.name}, one person in view)")
    if "speed" not in args.skip:
        plain_loop_fps(str(SAMPLE))  # warm-up: MediaPipe's first import (~1 s) is not timed
        speed_section(args.clip, os.path.basename(args.clip), TARGETS["walk_ratio"])
        picker_section(args.clip)
        with tempfile.TemporaryDirectory() as tmp:
            fast = looped_clip(str(SPRINT), 10.0, os.path.join(tmp, "fast.mp4"), fps=120)
            speed_section(fast, "a 10 s clip at 120 fps", TARGETS["fps_ratio"])
            long = looped_clip(str(SAMPLE), args.speed_s, os.path.join(tmp, "long.mp4"), fps=60)
            speed_section(long, f"a {args.speed_s:g} s clip at 60 fps", TARGETS["fps_ratio"])
            hd = looped_clip(str(SAMPLE), 10.0, os.path.join(tmp, "hd.mp4"), size=(1920, 1080))
            wall_section(hd, "a 10 s clip at 30 fps, 1080p", TARGETS["hd_s"])
    if "slowmo" not in args.skip:
        with tempfile.TemporaryDirectory() as tmp:
            slow = looped_clip(str(SPRINT), 30.0, os.path.join(tmp, "slow.mp4"), fps=240)
            wall_section(slow, "a 30 s clip at 240 fps", TARGETS["slowmo_s"])
    if "memory" not in args.skip:
        memory_section(args.short_s, args.long_s)
    if "batch" not in args.skip:
        batch_section(args.batch)


if __name__ == "__main__":
    main()
