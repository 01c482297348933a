"""Render the course: scenes in parallel, cached, failures isolated, outputs published atomically.

A ``Task`` is one scene at one quality; ``plan`` makes tasks with their cache keys, ``render_scene``
renders one in a scratch folder and moves the finished files into place, and an executor (local
processes or a Dask cluster) runs many. The command line is ``studio.cli``.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from scenes.catalogue import ROOT, Lesson, SceneEntry
from studio.publish import publishable, run

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


def source_fingerprint(paths: Iterable[Path], root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


PROJECT_PACKAGES = ("calcviz", "scenes", "studio")


def _module_file(name: str, root: Path) -> Path | None:
    """The file that ``import name`` runs, if it is one of the project's own modules."""
    parts = name.split(".")
    if parts[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path: Path) -> set[str]:
    """Every module named by an import anywhere in ``path`` (also inside functions), with its parents:
    ``from scenes.kit import style`` runs scenes/__init__, scenes/kit/__init__ and scenes/kit/style."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in found:
            parts = name.split(".")
            names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return names


def dependencies(module_path: Path, root: Path = ROOT) -> list[Path]:
    """The project files a scene module's pixels can depend on: itself, every project module it
    imports (followed through their imports), the data files of the packages those live in, and
    manim.cfg. Found from the source, so a kit module that a scene does not import is not in it."""
    seen: set[Path] = set()
    todo = [Path(module_path)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo += [f for name in _imported_modules(path) if (f := _module_file(name, root)) is not None]
    data = {f for p in seen if p.is_relative_to(root) and p.name == "__init__.py"
            for f in p.parent.glob("data/*") if f.is_file()}
    config = {root / "manim.cfg"} if (root / "manim.cfg").exists() else set()
    return sorted(seen | data | config)


def settings_fingerprint(env: dict[str, str]) -> str:
    parts = [f"{k}={env.get(k, '')}" for k in SETTINGS_ENV]
    config_file = env.get("CALCVIZ_CONFIG")
    if config_file and Path(config_file).exists():
        parts.append(Path(config_file).read_text())
    return "\n".join(parts)


def cache_key(module_path: Path, scene: str, quality: str, formats, manim_args, env: dict[str, str],
              root: Path = ROOT) -> str:
    import manim
    text = "\n".join([PIPELINE_VERSION, manim.__version__, scene, quality, ",".join(formats),
                      " ".join(manim_args), settings_fingerprint(env),
                      source_fingerprint(dependencies(module_path, root), root)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def plan(chosen: list[tuple[Lesson | str, SceneEntry | str]], quality: str, formats, media: Path,
         root: Path = ROOT, manim_args=(), env: dict[str, str] | None = None, force: bool = False) -> list[Task]:
    """Tasks for (lesson, scene) pairs; a lesson may also be given as a path to its module."""
    env = dict(os.environ if env is None else env)
    tasks = []
    for lesson, entry in chosen:
        module = lesson.path if isinstance(lesson, Lesson) else Path(lesson)
        slug = lesson.slug if isinstance(lesson, Lesson) else module.stem
        name = entry.name if isinstance(entry, SceneEntry) else entry
        key = cache_key(module, name, quality, formats, manim_args, env, root)
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
            finished, duration, chapters = publishable(task.scene, task.formats, scratch, log)
            finished["meta"] = write_meta(task, scratch, duration, chapters)
            for kind, path in outputs(task).items():
                if kind != "meta":
                    os.replace(finished[kind], path)
            os.replace(finished["meta"], outputs(task)["meta"])  # last: marks the set complete
        except Exception as e:  # noqa: BLE001 — one scene's failure must not stop the others
            log.write(traceback.format_exc())
            return Outcome(task.scene, False, seconds=time.perf_counter() - start, log=str(log_path),
                           error=f"{type(e).__name__}: {e}".splitlines()[0], started=started)
    return Outcome(task.scene, True, seconds=time.perf_counter() - start, log=str(log_path), started=started)


def write_meta(task: Task, scratch: Path, duration: float, chapters: list[dict]) -> Path:
    """Scene.json: what the page reads, and the cache key that says the set is current."""
    meta = {"scene": task.scene, "lesson": task.lesson, "quality": QUALITIES[task.quality], "key": task.key,
            "duration": duration, "chapters": chapters, "formats": list(task.formats),
            "rendered": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = scratch / "meta.json"
    path.write_text(json.dumps(meta, indent=2))
    return path


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

