"""Speed and memory benchmark: the plain decode+pose loop against the full `analyze`.

Prints, on the same clip in the same run: frames/s of a plain loop (OpenCV
decode + MediaPipe Pose, video mode, nothing else) and of the full analysis
with every output (report HTML/PDF, annotated video, CSV, TRC), and their
ratio; peak memory (RSS) of `movement-screen analyze` on a short and a long
clip (made by looping a sample clip); and a batch of clips screened serially
against 2 workers. Figures, not pass/fail: the machine is shared and noisy.

    python benchmarks/speed.py [--clip PATH] [--long-s 300] [--batch 8]
"""

from __future__ import annotations

import argparse
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

from movement_screen import pipeline, video  # noqa: E402
from movement_screen.pose import open_detector  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real" / "walk_side_two_people_sports2d.mp4"
SAMPLE = ROOT / "sample_videos" / "lunge_side_clean.mp4"
TARGETS = {"fps_ratio": 1.5, "peak_rss_gb": 1.5, "rss_growth": 0.10, "batch_ratio": 1.5}


def plain_loop_fps(path: str) -> float:
    """Decode every frame and run MediaPipe Pose on it (video mode), nothing else."""
    started, count = time.perf_counter(), 0
    with open_detector(static=False) as detect:
        for _, t, rgb in video.frames(path):
            detect(rgb, t)
            count += 1
    return count / (time.perf_counter() - started)


def full_analyze_fps(path: str) -> tuple[float, float]:
    """Frames/s and seconds of analyze + every output file."""
    out = tempfile.mkdtemp(prefix="speed-")
    try:
        started = time.perf_counter()
        result = pipeline.analyze(path)
        pipeline.write_outputs(result, os.path.join(out, "screen"))
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return len(result.angles.time) / seconds, seconds


def looped_clip(source: str, seconds: float, path: str) -> str:
    """Write `source` over and over until `seconds` long (H.264, the source's rate)."""
    import av

    info = video.probe(source)
    frames_needed = int(seconds * info.fps)
    with av.open(path, "w") as out:
        stream = out.add_stream("libx264", rate=round(info.fps))
        stream.width, stream.height, stream.pix_fmt = info.width, info.height, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        written = 0
        while written < frames_needed:
            for _, _, rgb in video.frames(source):
                if written >= frames_needed:
                    break
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


def speed_section(clip: str) -> None:
    plain = plain_loop_fps(clip)
    full, seconds = full_analyze_fps(clip)
    ratio = full / plain
    frames = video.probe(clip).frame_count
    print(f"\nclip: {os.path.basename(clip)} ({frames} frames)")
    print(f"  plain decode+pose loop  : {plain:8.1f} frames/s")
    print(f"  full analyze + outputs  : {full:8.1f} frames/s ({seconds:.1f} s)")
    target(
        "ratio full/plain",
        f"{ratio:.2f}",
        f">= {TARGETS['fps_ratio']}",
        ratio >= TARGETS["fps_ratio"],
    )


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
    parser.add_argument("--skip", nargs="*", default=[], choices=["speed", "memory", "batch"])
    args = parser.parse_args()
    machine = f"{os.cpu_count()} cores, {platform.machine()}"
    print(f"movement-screen speed benchmark, {date.today()}, {machine}", flush=True)
    if "speed" not in args.skip:
        plain_loop_fps(str(SAMPLE))  # warm-up: MediaPipe's first import (~4 s) is not timed
        speed_section(args.clip)
        with tempfile.TemporaryDirectory() as tmp:
            speed_section(looped_clip(str(SAMPLE), args.speed_s, os.path.join(tmp, "looped.mp4")))
    if "memory" not in args.skip:
        memory_section(args.short_s, args.long_s)
    if "batch" not in args.skip:
        batch_section(args.batch)


if __name__ == "__main__":
    main()
