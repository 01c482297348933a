"""Grading a folder of submitted lab notebooks: a score per exercise and in total, as a table and as JSON.

Grading runs learners' code, so each notebook runs alone: its own worker process and Jupyter kernel, in a
scratch folder holding only a copy of it, under a memory limit (``RLIMIT_AS``), a time limit per cell (a cell
that runs over is interrupted and the rest still run) and one for the whole notebook (the worker's process
group is killed). As root the worker also gets a mount namespace of its own in which the masters (the
reference solutions) and the submissions folder are hidden under empty file systems, every other mount is
read-only but the scratch folder's own, and the notebook runs with no capabilities left (it cannot mount
anything back): a notebook that deletes files can delete only its own scratch copy. As another user the
same is done in a user namespace, where the kernel allows one; where not, the grader says so.

After the learner's cells (outputs dropped, run afresh), the worker appends one cell that runs every
exercise's check on what the namespace holds (:func:`labs.lab.grade`) and reads back its one line,
marked with a nonce that only the worker knows. This keeps a runaway, a crash or an accident to its own
grade; like other notebook graders it does not stop a learner set on rewriting the checks in their kernel.
"""
from __future__ import annotations

import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from labs.catalogue import LABS, MASTERS, lab_entry
from labs.lab import GRADE_MARK
from scenes.kit.i18n import check_language, translations

CELL_SECONDS = 30       # one cell of a notebook: interrupted after this
NOTEBOOK_SECONDS = 180  # a whole notebook, kernel start included: its worker is killed after this
MEMORY_MB = 3072        # the worker's and kernel's address space (numpy, scipy and matplotlib need ~1.5 GB of it)
RESULT = "calcviz-grade-result:"
_FILE_NAME = re.compile(r"lab(\d+)-([a-z]+)")


@dataclass
class Graded:
    """One notebook's grade: the feedback per exercise, or the one line saying why it could not be graded."""

    file: str
    lab: str = ""
    lang: str = "en"
    exercises: list[dict] = field(default_factory=list)
    problem: str = ""

    @property
    def points(self) -> float:
        return sum(e["points"] for e in self.exercises)

    @property
    def out_of(self) -> float:
        if self.lab:
            return sum(e.points for e in lab_entry(self.lab).exercises())
        return 0.0

    def to_json(self) -> dict:
        return {"file": self.file, "lab": self.lab, "lang": self.lang, "points": self.points,
                "out_of": self.out_of, "problem": self.problem or None, "exercises": self.exercises}


# --- what a file is --------------------------------------------------------------------------------
def identify(path: Path) -> tuple[Graded, object | None]:
    """The notebook read and its lab named, or a Graded with the one-line problem."""
    import nbformat
    graded = Graded(path.name)
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except (OSError, UnicodeDecodeError) as error:
        graded.problem = f"cannot be read: {error.__class__.__name__}: {error}"
        return graded, None
    except Exception as error:  # noqa: BLE001 — nbformat raises JSON, schema and reader errors of many kinds
        reason = " ".join(str(error).split())[:120]
        graded.problem = f"not a notebook ({error.__class__.__name__}: {reason})"
        return graded, None
    meta = nb.metadata.get("calcviz", {}) if isinstance(nb.metadata.get("calcviz"), dict) else {}
    slug = meta.get("lab")
    if slug is None and (match := _FILE_NAME.search(path.name)):
        slug = match.group(2)
    if slug not in {e.slug for e in LABS}:
        graded.problem = "not a calcviz lab (no lab named in its metadata or file name)"
        return graded, None
    graded.lab = slug
    try:
        graded.lang = check_language(str(meta.get("lang", "en")))
    except ValueError:
        graded.lang = "en"
    return graded, nb


def graded_notebook(nb, slug: str, lang: str, nonce: str):
    """The learner's code cells, outputs dropped, and the grading cell after them."""
    import nbformat
    cells = [nbformat.v4.new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"]
    cells.append(nbformat.v4.new_code_cell(
        f"from labs.lab import grade as _calcviz_grade\n_calcviz_grade(globals(), {slug!r}, {lang!r}, {nonce!r})"))
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return out


# --- the worker: one notebook, inside its limits -------------------------------------------------------
_KEEP_WRITABLE = ("/proc", "/sys", "/dev")


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def isolate(notebook: Path, hide: list[str], then: list[str]) -> None:
    """Inside a fresh mount namespace: hide ``hide`` under empty file systems, give the scratch folder a file
    system of its own, make every other mount read-only, then run ``then`` with no capabilities left (so
    nothing can be mounted back)."""
    scratch, text = notebook.parent, notebook.read_bytes()
    done = [folder for folder in hide if Path(folder).is_dir()
            and _mount("-t", "tmpfs", "-o", "size=64k,mode=000", "calcviz-hidden", folder)]
    if _mount("-t", "tmpfs", "-o", "size=256m,mode=700", "calcviz-scratch", str(scratch)):
        notebook.write_bytes(text)
        mounts = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
        for point in mounts:
            if point != str(scratch) and point not in done and not point.startswith(_KEEP_WRITABLE):
                _mount("-o", "remount,bind,ro", point)
    os.environ["CALCVIZ_GRADE_SANDBOX"] = json.dumps({"hidden": done, "read_only": True})
    setpriv = shutil.which("setpriv")
    if setpriv:
        os.execv(setpriv, [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", *then])
    os.execv(then[0], then)


def worker(notebook: Path, slug: str, lang: str, cell_seconds: int, memory_mb: int) -> None:
    """Run one notebook and print its result line (the nonce comes on standard input)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    nonce = sys.stdin.readline().strip()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    scratch = notebook.parent
    os.environ.update({"HOME": str(scratch), "IPYTHONDIR": str(scratch / ".ipython"), "MPLBACKEND": "Agg",
                       "MPLCONFIGDIR": str(scratch / ".matplotlib"), "JUPYTER_RUNTIME_DIR": str(scratch / ".runtime"),
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    nb = graded_notebook(nbformat.read(str(notebook), as_version=4), slug, lang, nonce)
    client = NotebookClient(nb, timeout=cell_seconds, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, resources={"metadata": {"path": str(scratch)}})
    result: dict = {"sandbox": json.loads(os.environ.get("CALCVIZ_GRADE_SANDBOX", "{}"))}
    try:
        client.execute()
    except DeadKernelError:
        result["problem"] = "its kernel died (out of memory, or the process was killed)"
    except Exception as error:  # noqa: BLE001 — whatever the notebook did, the worker reports it in one line
        result["problem"] = f"could not be run: {error.__class__.__name__}: {' '.join(str(error).split())[:120]}"
    stopped = sum(any(o.get("ename") == "KeyboardInterrupt" for o in c.get("outputs", [])) for c in nb.cells[:-1])
    memory = sum(any(o.get("ename") == "MemoryError" for o in c.get("outputs", [])) for c in nb.cells[:-1])
    notes = ([f"{stopped} cell(s) stopped after {cell_seconds} s"] if stopped else []) + \
        ([f"{memory} cell(s) ran out of memory"] if memory else [])
    if notes:
        result["notes"] = notes
    last = nb.cells[-1]
    mark = f"{GRADE_MARK}{nonce}:"
    for output in last.get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(mark):
                result["exercises"] = json.loads(line[len(mark):])
    if "exercises" not in result and "problem" not in result:
        errors = [o for o in last.get("outputs", []) if o.get("output_type") == "error"]
        why = f"{errors[0]['ename']}: {errors[0]['evalue']}"[:120] if errors else "no output"
        result["problem"] = f"the grading cell did not finish ({why})"
    print(f"{RESULT}{nonce}:{json.dumps(result)}", flush=True)


# --- the teacher's side ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _sandbox() -> tuple[list[str], str]:
    """(command prefix, note): how a worker is isolated on this machine (asked once per run)."""
    if shutil.which("unshare"):
        if os.geteuid() == 0:
            return ["unshare", "--mount", "--propagation", "private"], ""
        user = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
        if subprocess.run([*user, "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return user, ""
    return [], ("grading without a sandbox (no mount namespace here): the notebooks run with your rights and "
                "can reach your files; the time and memory limits still hold")


def grade_one(path: Path, folder: Path, *, seconds: int = NOTEBOOK_SECONDS, cell_seconds: int = CELL_SECONDS,
              memory_mb: int = MEMORY_MB) -> Graded:
    graded, nb = identify(path)
    if nb is None:
        return graded
    translations(graded.lang)  # compiled here: inside the sandbox the catalogue's folder is read-only
    prefix, _ = _sandbox()
    scratch = Path(tempfile.mkdtemp(prefix="calcviz-grade-"))
    try:
        copy = scratch / "submission.ipynb"
        shutil.copyfile(path, copy)
        run = [sys.executable, "-m", "labs.grade", "--worker", str(copy), graded.lab, graded.lang,
               str(cell_seconds), str(memory_mb)]
        hide = [str(MASTERS), str(folder.resolve())]
        command = ([*prefix, sys.executable, "-m", "labs.grade", "--isolate", str(copy), json.dumps(hide), *run]
                   if prefix else run)
        nonce = secrets.token_hex(16)
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   cwd=scratch, start_new_session=True, text=True)
        try:
            out, err = process.communicate(nonce + "\n", timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            graded.problem = f"stopped after {seconds} s: it runs too long"
            return graded
        except KeyboardInterrupt:  # the worker has a session of its own: Ctrl-C reaches only us
            os.killpg(process.pid, signal.SIGKILL)
            raise
        mark = f"{RESULT}{nonce}:"
        found = [line[len(mark):] for line in out.splitlines() if line.startswith(mark)]
        if not found:
            tail = " ".join(err.split())[-160:] if err else f"exit code {process.returncode}"
            graded.problem = f"its grading run failed ({tail})"
            return graded
        result = json.loads(found[-1])
        graded.exercises = result.get("exercises", [])
        graded.problem = "; ".join(filter(None, [result.get("problem", ""), *result.get("notes", [])]))
        return graded
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def grade_folder(folder: Path, *, jobs: int = 1, **limits) -> list[Graded]:
    """Every ``*.ipynb`` in ``folder`` (or the one file), each in its own sandboxed worker."""
    folder = Path(folder)
    files = [folder] if folder.is_file() else sorted(folder.glob("*.ipynb"))
    where = folder.parent if folder.is_file() else folder
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: grade_one(p, where, **limits), files))


def sandbox_note() -> str:
    return _sandbox()[1]


def table(results: list[Graded]) -> str:
    """One row per notebook: a mark per exercise (✔ passed, ✘ not yet), the points, and any problem."""
    rows = []
    width = max([len(r.file) for r in results] + [8])
    for r in results:
        if r.exercises:
            marks = " ".join("✔" if e["passed"] else "✘" for e in r.exercises)
            rows.append(f"{r.file:<{width}}  {r.lab:<8}  {marks}  {r.points:g}/{r.out_of:g}"
                        + (f"  ({r.problem})" if r.problem else ""))
        else:
            score = f"0/{r.out_of:g}  " if r.lab else ""
            rows.append(f"{r.file:<{width}}  {r.lab or '-':<8}  {score}{r.problem}")
    return "\n".join(rows)


if __name__ == "__main__" and sys.argv[1:2] == ["--isolate"]:
    isolate(Path(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4:])
elif __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _, _, nb_path, slug_, lang_, cell_s, mem = sys.argv
    worker(Path(nb_path), slug_, lang_, int(cell_s), int(mem))
