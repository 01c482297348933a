"""The ``calcviz`` command: argparse only; each subcommand calls one function.

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
import os
import sys
import time

from scenes.catalogue import LESSONS, ROOT, all_scenes
from studio.render import FORMATS, QUALITIES, DaskExecutor, LocalExecutor, plan, render_all


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
        from studio.gate import main as gate
        return gate(args.names)
    media = ROOT / "media"
    if args.command == "site":
        from studio.site import build_site
        print(build_site(media, QUALITIES[args.quality]))
        return 0
    if args.command == "serve":
        from studio.site import course_server
        with course_server(media, args.port) as server:
            print(f"course page: http://127.0.0.1:{server.server_port}/site/  (Ctrl-C to stop)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
        return 0
    if args.command == "stills":
        from studio.publish import write_stills
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
        from studio.site import build_site
        print(f"course page: {build_site(media, QUALITIES[args.quality])}")
    return 1 if progress.failed else 0


if __name__ == "__main__":
    sys.exit(main())

