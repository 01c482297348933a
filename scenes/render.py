"""Render the course: scenes in parallel, cached, failures isolated, outputs published atomically.

    calcviz render                      # the whole course at medium quality (720p30), then the page
    calcviz render nudges               # one lesson
    calcviz render SecantToTangent -q h # chosen scenes, at manim's quality presets l m h p k
    calcviz render --format mp4 webm gif
    calcviz render --scheduler tcp://host:8786   # on a Dask cluster (workers share this folder)
    calcviz list                        # lessons and scenes, in order
    calcviz settings HikerInTheDark     # what a scene lets you change without editing code
    calcviz check [Scene ...]           # the quality gate
    calcviz site                        # rebuild the course page from what is rendered
    calcviz serve                       # look at it: http://127.0.0.1:8000/site/ (videos can seek)

Each clip lands in media/course/<quality>/<lesson>/ as Scene.mp4 (H.264, yuv420p, index
at the front), optional .webm / .gif, Scene.poster.png, Scene.vtt (captions),
Scene.chapters.vtt and Scene.json (duration, chapters, and the cache key).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from scenes.catalogue import LESSONS, ROOT, Lesson, SceneEntry, all_scenes

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
FORMATS = ("mp4", "webm", "gif")
PIPELINE_VERSION = "1"  # bump when what this module does to a render changes
SETTINGS_ENV = ("CALCVIZ_SET", "CALCVIZ_CONFIG")


# --- what to render -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """One scene to render; plain data, so it can travel to a process or a Dask worker."""

    lesson: str
    scene: str
    module_path: str      # the scene's file, relative to root
    quality: str          # l m h p k
    formats: tuple[str, ...]
    root: str
    out_dir: str          # where the finished files go
    key: str              # the cache key: the render is redone only when it changes
    manim_args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    force: bool = False   # render even when the outputs are current (they stay until replaced)


@dataclass(frozen=True)
class Outcome:
    scene: str
    ok: bool
    cached: bool = False
    seconds: float = 0.0
    log: str = ""
    error: str = ""
    started: float = 0.0  # wall clock (time.time()), to see which renders ran at once


def source_fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def core_files(root: Path) -> list[Path]:
    """Everything a scene's pixels can depend on besides its own module."""
    files = [p for p in (root / "calcviz").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [root / "scenes" / "shared.py", root / "manim.cfg"]
    return [p for p in files if p.exists()]


def settings_fingerprint(env: dict[str, str]) -> str:
    parts = [f"{k}={env.get(k, '')}" for k in SETTINGS_ENV]
    config_file = env.get("CALCVIZ_CONFIG")
    if config_file and Path(config_file).exists():
        parts.append(Path(config_file).read_text())
    return "\n".join(parts)


def cache_key(module_path: Path, scene: str, quality: str, formats, manim_args, env: dict[str, str],
              core: str) -> str:
    import manim
    text = "\n".join([PIPELINE_VERSION, manim.__version__, scene, quality, ",".join(formats),
                      " ".join(manim_args), settings_fingerprint(env), core,
                      source_fingerprint([module_path])])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def plan(chosen: list[tuple[Lesson | str, SceneEntry | str]], quality: str, formats, media: Path,
         root: Path = ROOT, manim_args=(), env: dict[str, str] | None = None, force: bool = False) -> list[Task]:
    """Tasks for (lesson, scene) pairs; a lesson may also be given as a path to its module."""
    env = dict(os.environ if env is None else env)
    core = source_fingerprint(core_files(root))
    tasks = []
    for lesson, entry in chosen:
        module = lesson.path if isinstance(lesson, Lesson) else Path(lesson)
        slug = lesson.slug if isinstance(lesson, Lesson) else module.stem
        name = entry.name if isinstance(entry, SceneEntry) else entry
        key = cache_key(module, name, quality, formats, manim_args, env, core)
        tasks.append(Task(slug, name, str(module), quality, tuple(formats), str(root),
                          str(media / "course" / QUALITIES[quality] / slug), key, tuple(manim_args),
                          tuple((k, v) for k, v in env.items() if k in SETTINGS_ENV), force))
    return tasks


# --- rendering one scene (runs in a worker) ------------------------------------------------------
def outputs(task: Task) -> dict[str, Path]:
    out = Path(task.out_dir)
    files = {fmt: out / f"{task.scene}.{fmt}" for fmt in task.formats}
    files |= {"poster": out / f"{task.scene}.poster.png", "captions": out / f"{task.scene}.vtt",
              "chapters": out / f"{task.scene}.chapters.vtt", "meta": out / f"{task.scene}.json"}
    return files


def is_current(task: Task) -> bool:
    files = outputs(task)
    if not all(p.exists() for p in files.values()):
        return False
    try:
        return json.loads(files["meta"].read_text()).get("key") == task.key
    except (OSError, ValueError):
        return False


def run(cmd: list[str], log, **kw) -> None:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=True, **kw)


def render_scene(task: Task) -> Outcome:
    """Render one scene into a scratch folder, post-process, then move the results into place."""
    start, started = time.perf_counter(), time.time()
    if not task.force and is_current(task):
        return Outcome(task.scene, True, cached=True, started=started)
    out = Path(task.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    logs = Path(task.root) / "media" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{task.scene}.log"
    # scratch space beside the outputs, so the final os.replace is a rename on one file system
    with tempfile.TemporaryDirectory(dir=out, prefix=f".{task.scene}-") as tmp, log_path.open("w") as log:
        try:
            scratch = Path(tmp)
            env = os.environ | dict(task.env)
            # manim's play cache could never be reused in a fresh scratch folder, and hashing every
            # play for it costs about a quarter of the render
            run([sys.executable, "-m", "manim", "render", f"-q{task.quality}", "--save_sections",
                 "--disable_caching", "--media_dir", str(scratch / "media"), *task.manim_args,
                 task.module_path, task.scene],
                log, cwd=task.root, env=env)
            finished = publishable(task, scratch, log)
            for kind, path in outputs(task).items():
                if kind != "meta":
                    os.replace(finished[kind], path)
            os.replace(finished["meta"], outputs(task)["meta"])  # last: marks the set complete
        except Exception as e:  # noqa: BLE001 — one scene's failure must not stop the others
            log.write(traceback.format_exc())
            return Outcome(task.scene, False, seconds=time.perf_counter() - start, log=str(log_path),
                           error=f"{type(e).__name__}: {e}".splitlines()[0], started=started)
    return Outcome(task.scene, True, seconds=time.perf_counter() - start, log=str(log_path), started=started)


def publishable(task: Task, scratch: Path, log) -> dict[str, Path]:
    """Turn manim's output into the web-ready set of files, all still in ``scratch``."""
    media = scratch / "media"
    [video] = [p for p in media.rglob(f"{task.scene}.mp4") if "sections" not in p.parts
               and "partial_movie_files" not in p.parts]
    ready = {}
    ready["mp4"] = scratch / "out.mp4"
    run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-c", "copy", "-movflags", "+faststart",
         str(ready["mp4"])], log)
    duration = probe_duration(ready["mp4"])
    if "webm" in task.formats:
        ready["webm"] = scratch / "out.webm"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "38",
             "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-an", str(ready["webm"])], log)
    if "gif" in task.formats:
        ready["gif"] = scratch / "out.gif"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vf",
             "fps=10,scale=480:-2:flags=lanczos,split[a][b];[a]palettegen=max_colors=64[p];[b][p]paletteuse",
             str(ready["gif"])], log)
    ready["poster"] = scratch / "poster.png"
    run(["ffmpeg", "-v", "error", "-y", "-ss", f"{max(0.0, duration - 0.6):.2f}", "-i", str(video),
         "-frames:v", "1", str(ready["poster"])], log)
    srt = video.with_suffix(".srt")
    ready["captions"] = scratch / "captions.vtt"
    ready["captions"].write_text(srt_to_vtt(srt.read_text() if srt.exists() else ""))
    sections = next(media.rglob(f"sections/{task.scene}.json"), None)
    chapters = chapters_from_sections(json.loads(sections.read_text()) if sections else [], duration)
    ready["chapters"] = scratch / "chapters.vtt"
    ready["chapters"].write_text(chapters_vtt(chapters))
    meta = {"scene": task.scene, "lesson": task.lesson, "quality": QUALITIES[task.quality], "key": task.key,
            "duration": duration, "chapters": chapters, "formats": list(task.formats),
            "rendered": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    ready["meta"] = scratch / "meta.json"
    ready["meta"].write_text(json.dumps(meta, indent=2))
    return ready


def probe_duration(video: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(video)], capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def srt_to_vtt(srt: str) -> str:
    """WebVTT is SRT with a header, dots for decimal commas and no cue numbers."""
    cues = []
    for block in srt.strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 2 and "-->" in lines[1]:
            cues.append(lines[1].replace(",", ".") + "\n" + "\n".join(lines[2:]))
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")


def chapters_from_sections(sections: list[dict], duration: float) -> list[dict]:
    """Start and end times of each beat: manim's section index lists durations only."""
    chapters, t = [], 0.0
    for s in sections:
        length = float(s.get("duration", 0))
        if length > 0:
            chapters.append({"name": s["name"], "start": round(t, 3), "end": round(t + length, 3)})
        t += length
    if chapters:
        chapters[-1]["end"] = round(max(chapters[-1]["end"], duration), 3)
    return chapters


def timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def chapters_vtt(chapters: list[dict]) -> str:
    cues = [f"{timestamp(c['start'])} --> {timestamp(c['end'])}\n{c['name']}" for c in chapters]
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")


# --- executors: the local pool and a Dask cluster, one interface ---------------------------------
class LocalExecutor:
    """Scenes in parallel processes on this machine."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)

    def map_unordered(self, fn: Callable[[Task], Outcome], tasks: list[Task]) -> Iterator[Outcome]:
        if self.jobs == 1:
            yield from (fn(t) for t in tasks)
            return
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(fn, t) for t in tasks]
            for future in as_completed(futures):
                yield future.result()


class DaskExecutor:
    """Scenes on a Dask distributed cluster; its workers must see this folder at the same path."""

    def __init__(self, address: str):
        self.address = address

    def map_unordered(self, fn: Callable[[Task], Outcome], tasks: list[Task]) -> Iterator[Outcome]:
        from dask.distributed import Client, as_completed as dask_completed
        with Client(self.address) as client:
            futures = client.map(fn, tasks, pure=False, key=[f"render-{t.scene}-{t.key}" for t in tasks])
            for future in dask_completed(futures):
                yield future.result()


@dataclass
class Progress:
    total: int
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    cached: int = 0
    failed: list[Outcome] = field(default_factory=list)
    jobs: int = 1
    stream: object = sys.stdout

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.cached += outcome.cached
        if not outcome.ok:
            self.failed.append(outcome)
        running = min(self.jobs, self.total - self.done)
        status = "cached" if outcome.cached else ("done  " if outcome.ok else "FAILED")
        extra = f" ({outcome.seconds:.1f} s)" if not outcome.cached else ""
        if not outcome.ok:
            extra += f" — {outcome.error} — log: {outcome.log}"
        print(f"[{self.done}/{self.total} · {len(self.failed)} failed · {running} running · "
              f"{time.perf_counter() - self.started:.0f} s] {status} {outcome.scene}{extra}",
              file=self.stream, flush=True)


def render_all(tasks: list[Task], executor, stream=sys.stdout) -> Progress:
    progress = Progress(len(tasks), jobs=getattr(executor, "jobs", len(tasks)), stream=stream)
    for outcome in executor.map_unordered(render_scene, tasks):
        progress.update(outcome)
    return progress


def write_stills(media: Path, quality: str, width: int = 640) -> list[Path]:
    """One small still per lesson for the README: the poster of the lesson's first rendered scene."""
    written = []
    (media / "readme").mkdir(parents=True, exist_ok=True)
    for lesson in LESSONS:
        poster = next((p for e in lesson.scenes
                       if (p := media / "course" / quality / lesson.slug / f"{e.name}.poster.png").exists()), None)
        if poster is None:
            continue
        still = media / "readme" / f"{lesson.slug}.png"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(poster), "-vf", f"scale={width}:-2",
                        str(still)], check=True)
        written.append(still)
    return written


# --- the command line ----------------------------------------------------------------------------
def select(names: list[str]):
    chosen = all_scenes()
    if not names:
        return chosen
    known = {lesson.slug for lesson in LESSONS} | {entry.name for _, entry in chosen}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"calcviz: unknown lesson or scene {unknown[0]!r}; see `calcviz list`")
    return [(lesson, entry) for lesson, entry in chosen if lesson.slug in names or entry.name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calcviz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="render lessons or scenes (default: the whole course) and the page")
    r.add_argument("names", nargs="*", help="lesson slugs or scene names")
    r.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    r.add_argument("--format", nargs="+", choices=FORMATS, default=["mp4"], dest="formats")
    r.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    r.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--force", action="store_true", help="render even what is up to date")
    r.add_argument("--no-site", action="store_true", help="do not rebuild the course page")
    sub.add_parser("list", help="list lessons and scenes in course order")
    se = sub.add_parser("settings", help="what each scene lets you change (CALCVIZ_SET / CALCVIZ_CONFIG)")
    se.add_argument("names", nargs="*", help="lesson slugs or scene names (default: all)")
    c = sub.add_parser("check", help="run the quality gate")
    c.add_argument("names", nargs="*")
    s = sub.add_parser("site", help="rebuild the course page from rendered clips")
    s.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    sv = sub.add_parser("serve", help="serve media/ on this machine to look at the course page")
    sv.add_argument("--port", type=int, default=8000)
    st = sub.add_parser("stills", help="write media/readme/<lesson>.png (committed) from rendered posters")
    st.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    args = parser.parse_args(argv)

    if args.command == "list":
        for lesson in LESSONS:
            print(f"{lesson.step}. {lesson.title}  (scenes/{lesson.slug}.py)")
            for entry in lesson.scenes:
                print(f"     {entry.name:24} {entry.teaches}")
        return 0
    if args.command == "settings":
        from scenes.catalogue import scene_class
        for lesson, entry in select(args.names):
            spec = scene_class(lesson, entry).SETTINGS
            print(f"{entry.name}  (scenes/{lesson.slug}.py)")
            for name, setting in spec.items():
                print(f"    {name:14} default {setting.default!s:24} {setting.help}")
            if not spec:
                print("    (no settings)")
        return 0
    if args.command == "check":
        from scenes.quality import main as gate
        return gate(args.names)
    media = ROOT / "media"
    if args.command == "site":
        from scenes.site import build_site
        print(build_site(media, QUALITIES[args.quality]))
        return 0
    if args.command == "serve":
        from scenes.site import course_server
        with course_server(media, args.port) as server:
            print(f"course page: http://127.0.0.1:{server.server_port}/site/  (Ctrl-C to stop)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
        return 0
    if args.command == "stills":
        for path in write_stills(media, QUALITIES[args.quality]):
            print(path)
        return 0

    formats = list(dict.fromkeys(["mp4", *args.formats]))  # mp4 always: the page's first source
    tasks = plan(select(args.names), args.quality, formats, media, force=args.force)
    executor = DaskExecutor(args.scheduler) if args.scheduler else LocalExecutor(args.jobs)
    progress = render_all(tasks, executor)
    print(f"{progress.total - len(progress.failed)} of {progress.total} scenes ready "
          f"({progress.cached} up to date) in {time.perf_counter() - progress.started:.0f} s "
          f"→ {media / 'course' / QUALITIES[args.quality]}")
    for failure in progress.failed:
        print(f"FAILED {failure.scene}: {failure.error} (log: {failure.log})")
    if not args.no_site:
        from scenes.site import build_site
        print(f"course page: {build_site(media, QUALITIES[args.quality])}")
    return 1 if progress.failed else 0


if __name__ == "__main__":
    sys.exit(main())
