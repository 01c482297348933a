"""The ``calcviz`` command: argparse only; each subcommand calls one function.

    calcviz render                      # the whole course at medium quality (720p30), then the page
    calcviz render nudges               # one lesson
    calcviz render SecantToTangent -q h # chosen scenes, at manim's quality presets l m h p k
    calcviz render drafts/new.py:MyScene --media /tmp/media   # a scene not in the catalogue yet
    calcviz render --lang id             # the Indonesian edition, beside the English one
    calcviz render --format mp4 webm gif
    calcviz render --scheduler tcp://host:8786   # on a Dask cluster (workers share this folder)
    calcviz list                        # lessons and scenes, in order
    calcviz settings HikerInTheDark     # what a scene lets you change without editing code
    calcviz check [Scene ...]           # the quality gate (also path/to/file.py[:Scene])
    calcviz site                        # rebuild the course page from what is rendered
    calcviz serve                       # look at it: http://127.0.0.1:8000/site/ (videos can seek)
    calcviz lab open | build | grade    # the labs: in JupyterLab, as notebooks, graded (see labs/commands.py)
    calcviz clean                       # what the caches hold; --kind voice|mix|explorers|clips|all removes

Each clip lands in media/course/<quality>/<lesson>/ as Scene.mp4 (H.264, yuv420p, index
at the front), optional .webm / .gif, Scene.poster.png, Scene.vtt (captions),
Scene.chapters.vtt and Scene.json (duration, chapters, and the cache key).

A mistake on the command line is one line and exit status 2, before any work. Ctrl-C stops a render
at once (exit status 130), keeping what was there before.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

from calcviz.errors import CalcvizError
from scenes.catalogue import LESSONS, ROOT, Lesson
from scenes.kit.i18n import LANG_ENV, LANGUAGES, language
from scenes.kit.voice import RATE_ENV, VOICE_ENV, voice_from_environment
from studio.render import (
    FORMATS, QUALITIES, DaskExecutor, LocalExecutor, UsageError, load_scene, outputs, plan, render_all, select,
)

NAMES_HELP = "lesson slugs, scene names, or path/to/file.py[:Scene] for a scene not in the catalogue yet"


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake told in one line (argparse prints the whole usage first), exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def whole_number(lo: int, hi: int | None = None, wants: str = "a whole number"):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < lo or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(f"wants {wants}, got {text!r}")
        return value
    return parse


def folder(text: str) -> Path:
    path = Path(text).expanduser()
    # a new folder only inside an existing one: a mistyped path should not grow a tree of folders
    if not text or not path.is_dir() and (path.exists() or not path.parent.is_dir()):
        raise argparse.ArgumentTypeError(f"wants a folder, or a new one inside an existing folder; got {text!r}")
    return path.resolve()


def choose_language(lang: str | None) -> None:
    """Set the edition for this run (workers and scenes read ``CALCVIZ_LANG``), and check one given
    by the environment, before any work."""
    if lang is not None:
        os.environ[LANG_ENV] = lang
    try:
        language()
    except CalcvizError as e:
        raise UsageError(f"{LANG_ENV}: {e}") from None


def choose_voice(voice: str | None, rate: str | None) -> None:
    """Set the voice for this run (the workers and the scenes read it from the environment), and check
    it — and one given by the environment or the settings file — before any work."""
    if voice is not None:
        os.environ[VOICE_ENV] = voice
    if rate is not None:
        os.environ[RATE_ENV] = rate
    try:
        voice_from_environment()
    except CalcvizError as e:
        raise UsageError(str(e)) from None


def fallbacks(tasks) -> list[str]:
    """The lines of this run that had no recording of the author's and used the default voice."""
    found = []
    for task in tasks:
        meta = outputs(task)["meta"]
        if meta.exists():
            about = json.loads(meta.read_text())
            if (about.get("voice") or {}).get("kind") == "recordings":
                found += about.get("fallbacks", [])
    return found


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as e:
        print(f"calcviz: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # outside a render (during one, render_all stops it and says what finished)
        print("calcviz: interrupted", file=sys.stderr)
        return 130


def run(argv: list[str] | None) -> int:
    parser = Parser(prog="calcviz", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="render lessons or scenes (default: the whole course) and the page")
    r.add_argument("names", nargs="*", help=NAMES_HELP)
    r.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    r.add_argument("--format", nargs="+", choices=FORMATS, default=["mp4"], dest="formats")
    r.add_argument("-j", "--jobs", type=whole_number(1, wants="a whole number of jobs ≥ 1"),
                   default=os.cpu_count() or 1, help="scenes rendered at once (default: one per core)")
    r.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                                       "(reached within 3 s, or calcviz stops)")
    r.add_argument("--force", action="store_true", help="render even what is up to date")
    r.add_argument("--no-site", action="store_true", help="do not rebuild the course page")
    sub.add_parser("list", help="list lessons and scenes in course order")
    se = sub.add_parser("settings", help="what each scene lets you change (CALCVIZ_SET / CALCVIZ_CONFIG)")
    se.add_argument("names", nargs="*", help=NAMES_HELP + " (default: all)")
    c = sub.add_parser("check", help="run the quality gate")
    c.add_argument("names", nargs="*", help=NAMES_HELP + " (default: all)")
    s = sub.add_parser("site", help="rebuild the course page from rendered clips")
    s.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    sv = sub.add_parser("serve", help="serve media/ on this machine to look at the course page")
    sv.add_argument("--port", type=whole_number(0, 65535, wants="a port from 1 to 65535 (0: any free port)"),
                    default=8000)
    st = sub.add_parser("stills", help="write media/readme/<lesson>.png (committed) from rendered posters")
    st.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    sc = sub.add_parser("script", help="the recording script: each narrated line's ID, words and time (Markdown)")
    sc.add_argument("names", nargs="*", help=NAMES_HELP + " (default: all)")
    sc.add_argument("-o", "--out", type=Path, help="write it to this file instead of printing it")
    for command in (r, c, sc):
        command.add_argument("--voice", metavar="VOICE",
                             help="joe (the English default: Piper's en_US-joe-medium), none (silent: captions only, "
                                  "the default of another edition), path/to/voice.onnx (a Piper voice), "
                                  "espeak[:VOICE] (espeak-ng), or recordings:DIR (DIR/<line ID>.wav, joe elsewhere)")
        command.add_argument("--rate", metavar="R", help="speaking rate, 0.5–2.0 (1.0: the voice's own pace)")
        command.add_argument("--lang", choices=list(LANGUAGES),
                             help="the edition: " + ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
                                  + "; default en, or CALCVIZ_LANG. Another edition's clips go to "
                                    "media/course/<quality>/<lang>/<lesson>/")
    cl = sub.add_parser("clean", help="remove caches by kind (without --kind: say what they hold)")
    cl.add_argument("--kind", action="append", choices=["voice", "mix", "explorers", "clips", "all"],
                    help="voice: spoken lines (Piper never says one the same way twice: a clean voice cache "
                         "speaks every line anew); mix: narration mixes; explorers: the page's explorer data; "
                         "clips: everything under media/course/; all. Repeat for more than one")
    cl.add_argument("--dry-run", action="store_true", help="say what would be removed, remove nothing")
    for command in (r, s, sv, st, cl):
        command.add_argument("--media", metavar="DIR", type=folder, default=ROOT / "media",
                             help="the media folder to read and write (default: media/ in this repository); "
                                  "clips go to DIR/course/<quality>/<lesson>/, logs to DIR/logs/")
    from labs.commands import add_parser as add_lab_parser
    add_lab_parser(sub, whole_number, folder)
    args = parser.parse_args(argv)
    if args.command == "lab":
        from labs.commands import run as lab
        return lab(args)
    if args.command in ("render", "check", "script"):
        choose_language(args.lang)  # first: an edition's default voice depends on its language
        choose_voice(args.voice, args.rate)

    if args.command == "list":
        for lesson in LESSONS:
            print(f"{lesson.step}. {lesson.title}  (scenes/{lesson.slug}.py)")
            for entry in lesson.scenes:
                print(f"     {entry.name:24} {entry.teaches}")
        return 0
    if args.command == "settings":
        for lesson, entry in select(args.names):
            spec = load_scene(lesson, entry).SETTINGS
            if isinstance(lesson, Lesson):
                print(f"{entry.name}  (scenes/{lesson.slug}.py)")
            else:
                print(f"{entry}  ({lesson})")
            for name, setting in spec.items():
                print(f"    {name:14} default {setting.default!s:24} {setting.help}")
            if not spec:
                print("    (no settings)")
        return 0
    if args.command == "script":
        from studio.script import recording_script
        chosen = [(lesson.title if isinstance(lesson, Lesson) else str(lesson), load_scene(lesson, entry))
                  for lesson, entry in select(args.names)]
        script = recording_script(chosen)
        if args.out:
            args.out.write_text(script)
            print(f"recording script: {args.out}")
        else:
            print(script)
        return 0
    if args.command == "check":
        from studio.gate import main as gate
        return gate(args.names)
    media = args.media
    if args.command == "site":
        from studio.site import build_site
        print(build_site(media, QUALITIES[args.quality]))
        return 0
    if args.command == "serve":
        from studio.site import course_server
        try:
            server = course_server(media, args.port)
        except OSError as e:
            raise UsageError(f"cannot serve on port {args.port}: {e.strerror or e}") from None
        with server:
            print(f"course page: http://127.0.0.1:{server.server_port}/site/  (Ctrl-C to stop)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
        return 0
    if args.command == "clean":
        from studio.caches import clean
        clean(args.kind, media, args.dry_run)
        return 0
    if args.command == "stills":
        from studio.publish import write_stills
        for path in write_stills(media, QUALITIES[args.quality]):
            print(path)
        return 0

    formats = list(dict.fromkeys(["mp4", *args.formats]))  # mp4 always: the page's first source
    chosen = select(args.names)
    # the scheduler is reached before any planning: a wrong address fails in seconds, not after the work
    executor = DaskExecutor(args.scheduler).connect() if args.scheduler is not None else LocalExecutor(args.jobs)
    tasks = plan(chosen, args.quality, formats, media, force=args.force)
    progress = render_all(tasks, executor)
    if progress.interrupted:
        ready = progress.done - len(progress.failed)
        print(f"calcviz: interrupted after {time.perf_counter() - progress.started:.0f} s: {ready} of "
              f"{progress.total} scenes ready ({progress.cached} up to date), {len(progress.failed)} failed, "
              f"{progress.total - progress.done} stopped (their previous files kept)", file=sys.stderr)
        gc.freeze()  # exit now: a last collection of all that manim allocated here takes most of a second
        return 128 + progress.interrupted
    print(f"{progress.total - len(progress.failed)} of {progress.total} scenes ready "
          f"({progress.cached} up to date) in {time.perf_counter() - progress.started:.0f} s "
          f"→ {Path(tasks[0].out_dir).parent if tasks else media / 'course' / QUALITIES[args.quality]}")
    for failure in progress.failed:
        print(f"FAILED {failure.scene}: {failure.error} (log: {failure.log})")
    fell_back = fallbacks(tasks)
    if fell_back:
        print(f"{len(fell_back)} lines had no recording and were spoken by the default voice: {', '.join(fell_back)}")
    if not args.no_site:
        from studio.site import build_site
        print(f"course page: {build_site(media, QUALITIES[args.quality])}")
    return 1 if progress.failed else 0


if __name__ == "__main__":
    sys.exit(main())

