"""Render the course: scenes in parallel, cached, failures isolated, outputs published atomically.

A ``Task`` is one scene at one quality; ``plan`` makes tasks with their cache keys, ``render_scene``
renders one in a scratch folder and moves the finished files into place, and an executor (local
processes or a Dask cluster) runs many. The command line is ``studio.cli``.

Ctrl-C (or SIGTERM) during ``render_all`` stops every render it started, removes their scratch folders
and leaves the previous outputs as they were: a set of outputs is replaced whole or not at all.

A set of outputs answers for its key only when every file is as it was written: Scene.json carries its
own checksum and each other file's size and sha256 (``clip_state``). A damaged set is reported in one
line and rendered again.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from scenes.catalogue import LESSONS, ROOT, Lesson, SceneEntry, all_scenes, scene_class
from scenes.kit.i18n import LANG_ENV, LANGUAGES, SOURCE_LANG, catalogue_paths, language
from scenes.kit.voice import MIX_ENV, voice_from_environment
from studio.caches import damage, file_problem, record, seal_of, seal_problem, sealed, unsealed_problem
from studio.publish import publishable, run, translated_captions

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
FORMATS = ("mp4", "webm", "gif")
PIPELINE_VERSION = "2"  # bump when what this module does to a render changes
SETTINGS_ENV = ("CALCVIZ_SET", "CALCVIZ_CONFIG")
VOICE_ENV = ("CALCVIZ_VOICE", "CALCVIZ_VOICE_RATE")  # what would be heard: the key's voice, exactly
EDITION_ENV = (*VOICE_ENV, LANG_ENV)                 # ... and read: passed on, "" meaning unset
CACHE_ENV = ("CALCVIZ_VOICE_CACHE",)                   # where lines are kept: passed on when given


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
    repairs: tuple[str, ...] = ()  # one line for each damaged cache entry (the clip, a line, a mix) made again


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


def edition_fingerprint(lang: str) -> str:
    """What an edition's words depend on: its language and, for a translation, its catalogue. (The
    English clips' other-language captions are made when the page is built, so a translation's edit
    re-renders only its own edition.)"""
    if lang == SOURCE_LANG:
        return lang
    po, _ = catalogue_paths(lang)
    return f"{lang}\n{hashlib.sha256(po.read_bytes()).hexdigest() if po.exists() else ''}"


def cache_key(module_path: Path, scene: str, quality: str, formats, manim_args, env: dict[str, str],
              root: Path = ROOT, voice: str = "", lang: str = SOURCE_LANG) -> str:
    # manim's version without importing manim (two seconds): the parent only plans and waits
    text = "\n".join([PIPELINE_VERSION, importlib.metadata.version("manim"), scene, quality, ",".join(formats),
                      " ".join(manim_args), settings_fingerprint(env), voice,
                      source_fingerprint(dependencies(module_path, root), root)]
                     + ([] if lang == SOURCE_LANG else [edition_fingerprint(lang)]))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class UsageError(Exception):
    """A name or option the command line cannot use: reported in one line, exit status 2."""


def select(names: list[str]) -> list[tuple[Lesson | str, SceneEntry | str]]:
    """The scenes ``names`` pick: lesson slugs, scene names, or ``path/to/file.py:Scene`` (or every
    lesson scene in ``path/to/file.py``) for a scene that is not in the catalogue yet. None: the course."""
    chosen = all_scenes()
    if not names:
        return chosen
    files = [n for n in names if n.endswith(".py") or ".py:" in n]
    known = {lesson.slug for lesson in LESSONS} | {entry.name for _, entry in chosen}
    unknown = [n for n in names if n not in known and n not in files]
    if unknown:
        raise UsageError(f"unknown lesson or scene {unknown[0]!r}; see `calcviz list`")
    return [(lesson, entry) for lesson, entry in chosen if lesson.slug in names or entry.name in names] + \
        [pair for spec in files for pair in scenes_in_file(spec)]


def scenes_in_file(spec: str) -> list[tuple[str, str]]:
    """(file, scene) for ``path/to/file.py:Scene``, or for each lesson scene ``path/to/file.py`` defines."""
    # imports manim: only when a file is named
    from scenes.kit.lesson import LessonMixin
    path, _, name = (spec, "", "") if spec.endswith(".py") else spec.rpartition(":")
    if ":" in spec and not name:
        raise UsageError(f"{spec!r} names no scene after the ':'")
    module = load_scene_file(path)
    if name:
        cls = getattr(module, name, None)
        if cls is None:
            raise UsageError(f"{path} has no scene {name!r}")
        if not (isinstance(cls, type) and issubclass(cls, LessonMixin)):
            raise UsageError(f"{path}:{name} is not a LessonScene (scenes/kit/lesson.py)")
        return [(module.__file__, name)]
    found = [n for n, c in vars(module).items() if isinstance(c, type) and issubclass(c, LessonMixin)
             and c.__module__ == module.__name__]  # defined here, not imported
    if not found:
        raise UsageError(f"{path} defines no LessonScene")
    return [(module.__file__, n) for n in found]


@functools.cache
def load_scene_file(path: str):
    """Import a scene module from its file (it need not be in a package or the catalogue)."""
    file = Path(path).resolve()
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    # a name of its own, so that a file called e.g. json.py shadows nothing
    name = f"calcviz_file_{hashlib.sha256(str(file).encode()).hexdigest()[:8]}_{file.stem}"
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # classes look their module up by name (dataclasses, pickle)
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001 — whatever the file does wrong, say it in one line
        del sys.modules[name]
        raise UsageError(f"cannot load {path}: {type(e).__name__}: {e}".splitlines()[0]) from None
    return module


def load_scene(lesson: Lesson | str, entry: SceneEntry | str) -> type:
    """The scene class of a pair from ``select``."""
    if isinstance(lesson, Lesson):
        return scene_class(lesson, entry)
    return getattr(load_scene_file(lesson), entry)


def plan(chosen: list[tuple[Lesson | str, SceneEntry | str]], quality: str, formats, media: Path,
         root: Path = ROOT, manim_args=(), env: dict[str, str] | None = None, force: bool = False,
         history: Iterable[Path] = ()) -> list[Task]:
    """Tasks for (lesson, scene) pairs; a lesson may also be given as a path to its module.

    The longest renders come first (``longest_first``), so that a parallel run does not end with one
    long scene rendering alone: what each scene took last time at this quality is read from its
    Scene.json in ``media``, else in the media folders of ``history``."""
    env = dict(os.environ if env is None else env)
    voice = voice_from_environment(env).identity  # what would be heard is part of the key
    lang = language(env)                          # ... and what would be read
    edition = media / "course" / QUALITIES[quality] / ("" if lang == SOURCE_LANG else lang)
    tasks = []
    for lesson, entry in chosen:
        module = lesson.path if isinstance(lesson, Lesson) else Path(lesson)
        slug = lesson.slug if isinstance(lesson, Lesson) else module.stem
        name = entry.name if isinstance(entry, SceneEntry) else entry
        key = cache_key(module, name, quality, formats, manim_args, env, root, voice, lang)
        tasks.append(Task(slug, name, str(module), quality, tuple(formats), str(root),
                          str(edition / slug), key, tuple(manim_args),
                          tuple((k, v) for k, v in env.items() if k in SETTINGS_ENV)
                          + tuple((k, env.get(k, "")) for k in EDITION_ENV)
                          + tuple((k, env[k]) for k in CACHE_ENV if env.get(k)), force))
    return longest_first(tasks, Path(media), [Path(h) for h in history])


def recorded_seconds(task: Task, media: Path, history: Iterable[Path] = ()) -> float | None:
    """How long this scene's last render at this quality took (``render_seconds`` in its Scene.json in
    ``media``, the task's media folder, else in the first folder of ``history`` that has one); None when
    none has."""
    relative = outputs(task)["meta"].relative_to(media)  # course/<quality>/[<edition>/]<lesson>/<Scene>.json
    for folder in (media, *history):
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            seconds = json.loads((folder / relative).read_text()).get("render_seconds")
            if isinstance(seconds, (int, float)) and seconds > 0:
                return float(seconds)
    return None


def longest_first(tasks: list[Task], media: Path, history: Iterable[Path] = ()) -> list[Task]:
    """Scenes never timed first (they may be long; in the order given), then the rest by their last
    render time, longest first: the longest-processing-time rule, which keeps every worker busy to
    the end instead of leaving the slowest scene to run alone."""
    seconds = {id(t): recorded_seconds(t, media, history) for t in tasks}
    return sorted(tasks, key=lambda t: (seconds[id(t)] is not None, -(seconds[id(t)] or 0.0)))


# --- rendering one scene (runs in a worker) ------------------------------------------------------
def outputs(task: Task) -> dict[str, Path]:
    out = Path(task.out_dir)
    files = {fmt: out / f"{task.scene}.{fmt}" for fmt in task.formats}
    files |= {"poster": out / f"{task.scene}.poster.png", "captions": out / f"{task.scene}.vtt",
              "chapters": out / f"{task.scene}.chapters.vtt", "meta": out / f"{task.scene}.json"}
    return files


def clip_state(task: Task) -> tuple[bool, str | None]:
    """(whether the outputs answer for the task's key, why they are damaged or None). They answer when
    Scene.json is whole (its own checksum), was written for this key, and every file it lists has the
    size and sha256 it records. Outputs of another key, or from before checksums, are stale, not damaged."""
    files = outputs(task)
    try:
        text = files["meta"].read_text()
    except FileNotFoundError:
        return False, None
    except (OSError, UnicodeDecodeError) as e:
        return False, f"{files['meta'].name} cannot be read: {e}"
    if seal_of(text) is None:  # from before checksums: stale, unless it is not even JSON
        return False, unsealed_problem(files["meta"], text)
    problem = seal_problem(text)
    if problem:
        return False, f"{files['meta'].name}: {problem}"
    meta = json.loads(text)
    if meta.get("key") != task.key:
        return False, None  # another render's: stale
    kept = meta.get("files") or {}
    for kind, path in files.items():
        if kind != "meta":
            problem = file_problem(path, kept.get(path.name))
            if problem:
                return False, problem
    return True, None


def is_current(task: Task) -> bool:
    return clip_state(task)[0]


def render_scene(task: Task) -> Outcome:
    """Render one scene into a scratch folder, post-process, then move the results into place."""
    start, started = time.perf_counter(), time.time()
    repairs: list[str] = []
    if not task.force:
        current, damaged = clip_state(task)
        if current:
            return Outcome(task.scene, True, cached=True, started=started)
        if damaged:
            repairs.append(damage("clip", Path(task.out_dir) / task.scene, damaged))
    out = Path(task.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    logs = media_of(out) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{task.scene}.log"
    # scratch space beside the outputs, so the final os.replace is a rename on one file system
    with tempfile.TemporaryDirectory(dir=out, prefix=scratch_prefix(task)) as tmp, log_path.open("w") as log:
        try:
            scratch = Path(tmp)
            # the voice the key was made for: an empty value means "unset", whatever this process has
            env = {k: v for k, v in (os.environ | dict(task.env)).items() if not (k in EDITION_ENV and v == "")}
            env[MIX_ENV] = "publish"  # the sound is mixed once, in publishing, not by manim
            # manim's play cache could never be reused in a fresh scratch folder, and hashing every
            # play for it costs about a quarter of the render
            run([sys.executable, "-m", "manim", "render", f"-q{task.quality}", "--save_sections",
                 "--disable_caching", "--media_dir", str(scratch / "media"), *task.manim_args,
                 task.module_path, task.scene],
                log, cwd=task.root, env=env)
            for line in repairs:
                log.write(f"# {line}\n")
            finished, about = publishable(task.scene, task.formats, scratch, log)
            repairs += about.pop("repairs", [])
            finished["meta"] = write_meta(task, scratch, about, time.perf_counter() - start,
                                          {outputs(task)[kind].name: record(path) for kind, path in finished.items()})
            with signals_held():  # the whole set or none of it: a stop waits for these renames
                for kind, path in outputs(task).items():
                    if kind != "meta":
                        os.replace(finished[kind], path)
                os.replace(finished["meta"], outputs(task)["meta"])  # last: marks the set complete
            for other in LANGUAGES:  # an English clip's captions in the other languages (remade with the page)
                if other != SOURCE_LANG:
                    translated_captions(outputs(task)["meta"], other)
        except Exception as e:  # noqa: BLE001 — one scene's failure must not stop the others
            log.write(traceback.format_exc())
            return Outcome(task.scene, False, seconds=time.perf_counter() - start, log=str(log_path),
                           error=f"{type(e).__name__}: {e}".splitlines()[0], started=started,
                           repairs=tuple(repairs))
    return Outcome(task.scene, True, seconds=time.perf_counter() - start, log=str(log_path), started=started,
                   repairs=tuple(repairs))


def media_of(out_dir: Path) -> Path:
    """The media folder of a clip folder: <media>/course/<quality>[/<lang>]/<lesson> → <media>."""
    course = next((p for p in Path(out_dir).parents if p.name == "course"), None)
    return course.parent if course is not None else Path(out_dir).parents[2]


def scratch_prefix(task: Task) -> str:
    """A scratch folder's name starts with this (in the task's out_dir), so a stopped render's is found."""
    return f".{task.scene}-"


def sweep_scratch(tasks: Iterable[Task]) -> None:
    """Remove the scratch folders of these tasks: a worker that was killed cannot remove its own."""
    for task in tasks:
        for folder in Path(task.out_dir).glob(f"{scratch_prefix(task)}*"):
            shutil.rmtree(folder, ignore_errors=True)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def signals_held():
    """Hold Ctrl-C and SIGTERM until the block is done (they are delivered then)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def write_meta(task: Task, scratch: Path, about: dict, seconds: float | None = None,
               files: dict[str, dict] | None = None) -> Path:
    """Scene.json: what the page reads (duration, chapters, narration), the cache key that says
    the set is current, how long the render took (``plan`` starts the longest first), and each other
    file's size and sha256 (``files``); sealed with the checksum of its own text."""
    meta = {"scene": task.scene, "lesson": task.lesson, "quality": QUALITIES[task.quality], "key": task.key,
            **about, "formats": list(task.formats), "rendered": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if seconds is not None:
        meta["render_seconds"] = round(seconds, 2)
    if files is not None:
        meta["files"] = files
    path = scratch / "meta.json"
    path.write_text(sealed(json.dumps(meta, indent=2)))
    return path


# --- executors: the local pool and a Dask cluster, one interface ---------------------------------
def _start_worker() -> None:
    """A pool worker leaves stopping to the parent: Ctrl-C reaches the terminal's whole foreground
    process group, and a worker would turn it into an exception and carry on with the next scene.
    It leads a process group of its own, so that one killpg stops it and every manim and ffmpeg it
    started."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # manim and ffmpeg inherit this
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, forked with it: end at once
    os.setpgid(0, 0)
    # outside the terminal's foreground group, reading the terminal stops a process (ffmpeg reads stdin)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _stop_workers(pool: ProcessPoolExecutor, grace: float = 0.5) -> None:
    """Stop a pool now: its workers and all they started, whatever they are doing."""
    workers = list(pool._processes.values())  # private, but the only handle on the pool's processes
    pool.shutdown(wait=False, cancel_futures=True)
    for sig in (signal.SIGTERM, signal.SIGKILL):  # SIGTERM first: a worker renaming outputs finishes
        for worker in workers:
            try:
                os.killpg(worker.pid, sig)
            except ProcessLookupError:  # not leading its group yet, or already gone
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, sig)
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))


class LocalExecutor:
    """Scenes in parallel processes on this machine."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)

    def map_unordered(self, fn: Callable[[Task], Outcome], tasks: list[Task]) -> Iterator[Outcome]:
        # one job runs in a worker process too: Ctrl-C then stops every render the same way
        pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker)
        try:
            futures = [pool.submit(fn, t) for t in tasks]
            for future in as_completed(futures):
                yield future.result()
        except BaseException:  # Ctrl-C, or the caller stopped early (GeneratorExit)
            _stop_workers(pool)
            raise
        pool.shutdown()


def _stop_renders_here(scratch: list[str]) -> int:
    """On a Dask worker: kill the processes (manim, ffmpeg) working in these scratch folders, and
    theirs. A task's thread cannot be killed, but without its processes it fails at once and removes
    its scratch folder itself."""
    import psutil  # a dependency of dask.distributed
    killed = 0
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any(folder in arg for arg in process.cmdline() for folder in scratch):
                for p in [process, *process.children(recursive=True)]:
                    p.kill()
                killed += 1
    return killed


class DaskExecutor:
    """Scenes on a Dask distributed cluster; its workers must see this folder at the same path."""

    def __init__(self, address: str, timeout: float = 3.0):
        self.address, self.timeout, self.client = address, timeout, None

    def connect(self) -> DaskExecutor:
        """Reach the scheduler now, so that a wrong address is a one-line error before any work."""
        try:
            from dask.distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install 'calcviz[cluster]'") from None
        try:
            self.client = Client(self.address, timeout=self.timeout)
        except (OSError, ValueError, TypeError) as e:
            raise UsageError(f"cannot reach the Dask scheduler at {self.address!r}: "
                             f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        return self

    def map_unordered(self, fn: Callable[[Task], Outcome], tasks: list[Task]) -> Iterator[Outcome]:
        from dask.distributed import as_completed as dask_completed
        client = self.client or self.connect().client
        futures = client.map(fn, tasks, pure=False, key=[f"render-{t.scene}-{t.key}" for t in tasks])
        try:
            for future in dask_completed(futures):
                yield future.result()
        except BaseException:  # Ctrl-C, or the caller stopped early (GeneratorExit)
            scratch = [str(Path(t.out_dir) / scratch_prefix(t)) for t in tasks]
            with contextlib.suppress(Exception):  # a cluster that no longer answers has stopped too
                client.cancel(futures, force=True)  # what has not started never will
                client.run(_stop_renders_here, scratch, on_error="ignore", callback_timeout=self.timeout)
            raise
        finally:
            client.close()
            self.client = None


@dataclass
class Progress:
    total: int
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    cached: int = 0
    failed: list[Outcome] = field(default_factory=list)
    jobs: int = 1
    stream: object = sys.stdout
    interrupted: int = 0  # the signal (Ctrl-C: SIGINT) that stopped the run, if one did
    outcomes: list[Outcome] = field(default_factory=list)

    def update(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        for line in outcome.repairs:  # a damaged cache entry, made again: one line each, on stderr
            print(line, file=sys.stderr, flush=True)
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


@contextlib.contextmanager
def stop_on_signals(progress: Progress):
    """Ctrl-C or SIGTERM raise KeyboardInterrupt once; then both are ignored, so that pressing Ctrl-C
    again cannot cut the clean-up short."""
    def stop(signum, frame):
        for s in STOP_SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        progress.interrupted = signum
        raise KeyboardInterrupt
    if threading.current_thread() is not threading.main_thread():  # only it may handle signals
        yield
        return
    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def render_all(tasks: list[Task], executor, stream=sys.stdout) -> Progress:
    """Run the tasks on the executor. Ctrl-C stops all of it: the executor stops what it started,
    the scratch folders are swept, and the progress comes back with ``interrupted`` set."""
    progress = Progress(len(tasks), jobs=getattr(executor, "jobs", len(tasks)), stream=stream)
    with stop_on_signals(progress):
        outcomes = executor.map_unordered(render_scene, tasks)
        try:
            for outcome in outcomes:
                progress.update(outcome)
        except KeyboardInterrupt:
            progress.interrupted = progress.interrupted or signal.SIGINT
            outcomes.close()  # when the signal came between two outcomes, the executor stops here
            sweep_scratch(tasks)
    return progress

