"""The labs as a learner and a teacher meet them: every notebook run top to bottom, the learner's copy free of
solutions, and a folder of submissions graded — complete, half done, broken, runaway — each to its own grade."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from labs.catalogue import LABS, lab_entry
from labs.check import Exercise, run_check
from labs.grade import grade_folder, table
from labs.notebooks import BEGIN, END, LINE, blank_solutions, build, make_notebook, read_master, write_notebook
from scenes.catalogue import find
from scenes.kit.i18n import N_

ROOT = Path(__file__).resolve().parents[1]


def execute(nb, where: Path):
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(where)}}).execute()
    return nb


def feedback_of(nb) -> list[str]:
    """The text of every check cell's feedback (its plain-text repr)."""
    said = []
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []):
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert len(results) == 1, cell.source
            said.append(results[0].data["text/plain"])
    return said


def errors_of(nb) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.fixture(scope="module", autouse=True)
def headless(tmp_path_factory):
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("slug", [e.slug for e in LABS])
def test_with_the_solutions_every_check_passes(slug, lang, tmp_path):
    nb = execute(make_notebook(lab_entry(slug), lang, solutions=True), tmp_path)
    said = feedback_of(nb)
    assert errors_of(nb) == []
    assert len(said) == len(lab_entry(slug).exercises())
    assert all("passed=True" in s for s in said), said


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("slug", [e.slug for e in LABS])
def test_with_the_blanks_every_check_fails_with_a_hint_and_nothing_raises(slug, lang, tmp_path):
    nb = execute(make_notebook(lab_entry(slug), lang), tmp_path)
    said = feedback_of(nb)
    assert errors_of(nb) == []
    assert len(said) == len(lab_entry(slug).exercises())
    assert all("passed=False" in s and ("kind='nothing'" in s or "kind='blank'" in s) for s in said), said
    plots = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert plots == []   # a plot waits for the code it shows


def solution_lines(slug: str) -> list[str]:
    """Every line of reference code in the master: inside the solution blocks, and the values of # SOLUTION lines."""
    lines, inside = [], False
    for cell in read_master(lab_entry(slug)).cells:
        for line in cell.source.split("\n"):
            stripped = line.strip()
            if stripped.startswith(BEGIN):
                inside = True
            elif stripped.startswith(END):
                inside = False
            elif inside and stripped and not stripped.startswith("#"):
                lines.append(stripped)
            elif stripped.endswith(LINE):
                lines.append(stripped.split("=", 1)[1].replace(LINE, "").strip())
    return lines


@pytest.mark.parametrize("slug", [e.slug for e in LABS])
def test_the_learners_copy_holds_no_solution(slug):
    reference = solution_lines(slug)
    assert len(reference) >= 3
    for lang in ("en", "id"):
        copy = nbformat.writes(make_notebook(lab_entry(slug), lang))
        found = [line for line in reference if json.dumps(line)[1:-1] in copy and len(line) > 4]
        assert found == [], f"{slug} ({lang}) shows the solution lines {found}"


def test_a_blank_keeps_the_cell_runnable():
    source = "def f(x):\n    \"\"\"Twice x.\"\"\"\n    # BEGIN SOLUTION\n    return 2 * x\n    # END SOLUTION\nh = 0.1  # SOLUTION"
    blank = blank_solutions(source)
    assert "2 * x" not in blank and "0.1" not in blank
    namespace: dict = {}
    exec(blank, namespace)  # noqa: S102
    assert namespace["f"](3) is None and namespace["h"] is Ellipsis


def test_every_lab_practises_clips_of_the_course():
    for entry in LABS:
        assert entry.master.exists() and 3 <= len(entry.exercises()) <= 6
        for clip in entry.clips:
            lesson, _ = find(clip.scene)
            assert lesson.slug == clip.lesson
            assert f'"{clip.beat}"' in lesson.path.read_text()  # the beat is one of the scene's own


def test_a_learners_work_is_never_overwritten(tmp_path):
    first = build(tmp_path, "en", overwrite=False)
    assert len(first) == len(LABS)
    mine = tmp_path / LABS[0].notebook
    mine.write_text(mine.read_text().replace("...  # your code here", "return 42"))
    again = build(tmp_path, "en", overwrite=False)
    assert again == [] and "return 42" in mine.read_text()


def test_a_check_that_breaks_still_answers_in_one_line():
    def broken_check(c, value):
        raise RuntimeError("the check's own bug")
    feedback = run_check(Exercise("x", N_("Exercise 1: the forward difference"), ("x",), broken_check), [1.0])
    assert not feedback.passed and feedback.kind == "raised" and "\n" not in feedback.text


# --- grading ---------------------------------------------------------------------------------------
def _with_cell(nb, index: int, source: str):
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A folder of lab 1 submissions, as a teacher collects them, graded once for the tests below."""
    folder = tmp_path_factory.mktemp("submissions")
    entry = lab_entry("nudges")
    teacher = make_notebook(entry, solutions=True)
    write_notebook(teacher, folder / "complete.ipynb")
    write_notebook(make_notebook(entry), folder / "blank.ipynb")
    half = make_notebook(entry)
    for mine, reference in zip(half.cells, teacher.cells):
        if "def forward_difference" in reference.source or "def central_difference" in reference.source:
            mine.source = reference.source
    write_notebook(half, folder / "half.ipynb")
    (folder / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "notes.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()), encoding="utf-8")
    write_notebook(_with_cell(make_notebook(entry, solutions=True), 6, "while True:\n    pass"),
                   folder / "loops.ipynb")
    write_notebook(_with_cell(make_notebook(entry, solutions=True), 6,
                              "import numpy as np\ndef eat():\n    hog = []\n    while True:\n        hog.append(np.empty(10**8))\neat()"), folder / "hog.ipynb")
    slow = make_notebook(entry, solutions=True)
    for cell in slow.cells:
        cell.source = cell.source.replace("    return (f(x + h) - f(x)) / h",
                                          "    while True:\n        pass")
    write_notebook(slow, folder / "slow_function.ipynb")
    victim = folder / "keep.txt"
    victim.write_text("the teacher's file")
    deleter = (f"import glob, os, shutil\n"
               f"for p in glob.glob({str(folder)!r} + '/*'):\n"
               f"    try:\n        os.remove(p)\n    except OSError:\n        pass\n"
               f"shutil.rmtree({str(ROOT / 'labs' / 'masters')!r}, ignore_errors=True)\n"
               f"for p in glob.glob('*'):\n    os.remove(p)\n"
               f"seen = os.path.exists({str(lab_entry('nudges').master)!r})")
    write_notebook(_with_cell(make_notebook(entry, solutions=True), 6, deleter), folder / "deleter.ipynb")
    results = {r.file: r for r in grade_folder(folder, jobs=2, seconds=180, cell_seconds=8)}
    return folder, results


def test_grading_scores_each_notebook(graded):
    _, results = graded
    scores = {name: (r.points, r.out_of) for name, r in results.items() if r.lab}
    said = {name: [(e["kind"], e["text"][:80]) for e in r.exercises if not e["passed"]] + [r.problem]
            for name, r in results.items() if r.lab}
    assert scores == {"complete.ipynb": (5, 5), "blank.ipynb": (0, 5), "half.ipynb": (2, 5), "loops.ipynb": (5, 5),
                      "hog.ipynb": (5, 5), "slow_function.ipynb": (4, 5), "deleter.ipynb": (5, 5)}, said


def test_a_broken_file_gets_one_line(graded):
    _, results = graded
    assert results["broken.ipynb"].problem.startswith("not a notebook")
    assert results["notes.ipynb"].problem == "not a calcviz lab (no lab named in its metadata or file name)"
    lines = table(list(results.values())).splitlines()
    assert len(lines) == len(results)


def test_runaway_cells_are_stopped_and_said(graded):
    _, results = graded
    assert "1 cell(s) stopped after 8 s" in results["loops.ipynb"].problem
    assert "1 cell(s) ran out of memory" in results["hog.ipynb"].problem
    slow = {e["exercise"]: e for e in results["slow_function.ipynb"].exercises}
    assert slow["forward_difference"]["kind"] == "timeout"


@pytest.mark.skipif(os.geteuid() != 0, reason="the full sandbox needs root (CI runs as root)")
def test_a_notebook_that_deletes_files_spoils_only_its_own_grade(graded):
    folder, results = graded
    assert (folder / "keep.txt").read_text() == "the teacher's file"
    assert {p.name for p in folder.glob("*.ipynb")} >= {"complete.ipynb", "deleter.ipynb"}
    assert lab_entry("nudges").master.exists()


def test_the_command_line_grades_a_folder_as_a_table_and_json(tmp_path):
    write_notebook(make_notebook(lab_entry("nudges"), solutions=True), tmp_path / "lab1-nudges.ipynb")
    out = tmp_path / "grades.json"
    done = subprocess.run([sys.executable, "-m", "studio.cli", "lab", "grade", str(tmp_path), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "lab1-nudges.ipynb" in done.stdout and "5/5" in done.stdout
    grades = json.loads(out.read_text())
    assert grades[0]["points"] == 5 and [e["passed"] for e in grades[0]["exercises"]] == [True] * 5


def test_grading_nothing_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "studio.cli", "lab", "grade", str(tmp_path / "missing")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_each_lesson_page_lists_its_lab_with_the_learners_notebook(tmp_path):
    from scenes.catalogue import LESSONS
    from studio.site import build_site
    from studio.translations import english_words
    lessons = [lesson for lesson in LESSONS if lesson.slug in ("nudges", "network")]
    build_site(tmp_path, "480p15", lessons=lessons, explorers={})
    site = tmp_path / "site"
    page, page_id = (site / "nudges.html").read_text(), (site / "id" / "network.html").read_text()
    assert 'href="labs/lab1-nudges.ipynb"' in page and "Lab 1 — A derivative by nudging" in page
    assert 'href="labs/lab3-backprop.ipynb"' in page_id and "Praktikum 3" in page_id
    assert 'href="nudges.html#lab-nudges"' in (site / "index.html").read_text()
    english = nbformat.read(site / "labs" / "lab1-nudges.ipynb", as_version=4)
    indonesian = nbformat.read(site / "id" / "labs" / "lab3-backprop.ipynb", as_version=4)
    assert english.metadata["calcviz"] == {"lab": "nudges", "lang": "en", "copy": "learner"}
    assert indonesian.metadata["calcviz"]["lang"] == "id"
    assert any('Lab("backprop", lang="id")' in c.source for c in indonesian.cells)
    assert "(../network.html#Backpropagation)" in indonesian.cells[1].source   # the clip, beside the page
    prose = [c.source for c in indonesian.cells if c.cell_type == "markdown"]
    assert [english_words(p) for p in prose if english_words(p)] == []
