"""``calcviz lab …``: write the notebooks, open them in JupyterLab, grade a folder of them.

    calcviz lab open [--lang id]          # copy the learner's notebooks to my-labs/<lang>/ once, open JupyterLab
    calcviz lab build -o DIR [--teacher]  # the learner's (or, with solutions, the teacher's) copies into DIR
    calcviz lab grade FOLDER [--json F]   # a score per exercise and in total for each notebook in FOLDER
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from labs.catalogue import LABS
from labs.grade import CELL_SECONDS, MEMORY_MB, NOTEBOOK_SECONDS, grade_folder, sandbox_note, table
from labs.notebooks import build

ROOT = Path(__file__).resolve().parents[1]
MINE = ROOT / "my-labs"


def site_url(port: int, lang: str) -> str:
    return f"http://127.0.0.1:{port}/site" + ("" if lang == "en" else f"/{lang}")


def open_labs(lang: str, folder: Path | None, port: int, browser: bool) -> int:
    """Copy the learner's notebooks out once (work already there is never overwritten), serve the course page
    so the labs' links to their clips work, and run JupyterLab on the copies until Ctrl-C."""
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists() or subprocess.run([sys.executable, "-c", "import jupyterlab"],
                                              capture_output=True).returncode != 0:
        print("calcviz: JupyterLab is not installed: run ./course lab (it installs it)", file=sys.stderr)
        return 2
    folder = folder or MINE / lang
    new = build(folder, lang, site=site_url(port, lang), overwrite=False)
    kept = len(LABS) - len(new)
    print(f"labs: {folder}" + (f" ({len(new)} new" if new else " (") + (f", {kept} with your work kept)" if kept else ")"))
    server = _serve_course(port)
    command = jupyter_command(jupyter, folder, browser)
    # the course's JupyterLab settings (labs/jupyter/): no "news?" prompt for a course that works offline
    env = {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(filter(None, [
        str(ROOT / "labs" / "jupyter"), os.environ.get("JUPYTER_CONFIG_PATH", "")]))}
    try:
        return subprocess.run(command, env=env).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.shutdown()


def jupyter_command(jupyter: Path, folder: Path, browser: bool) -> list[str]:
    """JupyterLab on ``folder`` only (the masters, with the solutions, stay out of its file browser), on this
    machine's loopback; as root (a fresh machine's only user) it must be told that is meant."""
    command = [str(jupyter), "lab", f"--ServerApp.root_dir={folder}", "--ServerApp.ip=127.0.0.1",
               # the course works offline: no news feed, no update check
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    if not browser:
        command.append("--no-browser")
    return command


def _serve_course(port: int):
    from studio.site import course_server
    try:
        server = course_server(ROOT / "media", port)
    except OSError as error:
        print(f"labs: the course page is not served on port {port} ({error.strerror or error}); "
              "the labs' links to their clips need `calcviz serve` running", file=sys.stderr)
        return None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"course page: http://127.0.0.1:{port}/site/")
    return server


def build_labs(dest: Path, lang: str, teacher: bool, site: str | None) -> int:
    for path in build(dest, lang, solutions=teacher, site=site):
        print(path)
    return 0


def grade_labs(path: Path, out: Path | None, jobs: int, seconds: int, cell_seconds: int, memory_mb: int) -> int:
    if not path.exists():
        print(f"calcviz: no such file or folder: {path}", file=sys.stderr)
        return 2
    note = sandbox_note()
    if note:
        print(f"calcviz: {note}", file=sys.stderr)
    results = grade_folder(path, jobs=jobs, seconds=seconds, cell_seconds=cell_seconds, memory_mb=memory_mb)
    if not results:
        print(f"calcviz: no notebooks (*.ipynb) in {path}", file=sys.stderr)
        return 2
    print(table(results))
    if out is not None:
        partial = out.with_name(f".{out.name}.tmp")
        partial.write_text(json.dumps([r.to_json() for r in results], indent=1, ensure_ascii=False) + "\n")
        partial.replace(out)
        print(f"grades: {out}")
    return 0


def add_parser(sub, whole_number, folder) -> None:
    from scenes.kit.i18n import LANGUAGES
    lab = sub.add_parser("lab", help="the labs: open them in JupyterLab, write their notebooks, grade a folder")
    actions = lab.add_subparsers(dest="action", required=True)
    o = actions.add_parser("open", help="copy the learner's notebooks to my-labs/<lang>/ (once) and open JupyterLab")
    o.add_argument("--dir", type=folder, help="where your copies live (default: my-labs/<lang>/ in this repository)")
    o.add_argument("--port", type=whole_number(1, 65535, wants="a port from 1 to 65535"), default=8000,
                   help="where the course page is served for the labs' links (default 8000)")
    o.add_argument("--no-browser", action="store_true", help="do not open a browser (print JupyterLab's address)")
    b = actions.add_parser("build", help="write the learner's (or the teacher's) notebooks into a folder")
    b.add_argument("-o", "--out", type=folder, required=True, help="the folder to write them into")
    b.add_argument("--teacher", action="store_true", help="with the reference solutions")
    b.add_argument("--site", help="where the course page's lessons are, seen from the notebooks (a URL or path)")
    g = actions.add_parser("grade", help="grade each notebook of a folder (or one notebook): a table, and JSON")
    g.add_argument("path", type=Path, help="a folder of submitted notebooks, or one notebook")
    g.add_argument("--json", type=Path, dest="out", help="also write the grades and feedback as JSON here")
    g.add_argument("-j", "--jobs", type=whole_number(1, wants="a whole number of jobs ≥ 1"), default=1)
    g.add_argument("--seconds", type=whole_number(10, wants="seconds ≥ 10"), default=NOTEBOOK_SECONDS,
                   help=f"time limit of one notebook (default {NOTEBOOK_SECONDS})")
    g.add_argument("--cell-seconds", type=whole_number(1, wants="seconds ≥ 1"), default=CELL_SECONDS,
                   help=f"time limit of one cell: it is interrupted, the rest still run (default {CELL_SECONDS})")
    g.add_argument("--memory", type=whole_number(1024, wants="megabytes ≥ 1024"), default=MEMORY_MB,
                   help=f"memory limit of one notebook in MB (default {MEMORY_MB})")
    for parser in (o, b):
        parser.add_argument("--lang", choices=list(LANGUAGES), default="en", help="the labs' language")


def run(args) -> int:
    if args.action == "open":
        return open_labs(args.lang, args.dir, args.port, not args.no_browser)
    if args.action == "build":
        return build_labs(args.out, args.lang, args.teacher, args.site)
    return grade_labs(args.path, args.out, args.jobs, args.seconds, args.cell_seconds, args.memory)

