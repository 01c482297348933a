"""One master per lab, the learner's copy and the teacher's made from it — so the two cannot drift.

A master is a Jupyter notebook kept as text in jupytext's percent format (``labs/masters/N-slug.py``:
``# %% [markdown]`` and ``# %%`` cells), reviewable in git. It holds the reference solutions, marked as
otter-grader marks them::

    def forward_difference(f, x, h):
        \"\"\"(f(x + h) − f(x)) / h\"\"\"
        # BEGIN SOLUTION
        return (f(x + h) - f(x)) / h
        # END SOLUTION

    best_h = 1e-8  # SOLUTION

The learner's copy replaces each marked block by ``...`` (a function that returns nothing yet) and each
``# SOLUTION`` line's value by ``...``; the teacher's copy keeps them. Both come in each language of the
course: every markdown paragraph, code comment and docstring is a message of the catalogue (extracted by
:func:`extract_lab`, see ``babel.cfg``), and ``Lab("slug", lang="en")`` speaks the copy's language.
"""
from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path
from typing import Callable, Iterator

import jupytext
import nbformat
from babel.messages.extract import extract_python

from labs.catalogue import LABS, LabEntry
from scenes.catalogue import find
from scenes.kit.i18n import check_language, format_message, translations

BEGIN, END, LINE = "# BEGIN SOLUTION", "# END SOLUTION", "# SOLUTION"
MARKERS = (BEGIN, END, LINE)
BLANK_COMMENT = "your code here"   # the comment on a blank, translated
_LANG = re.compile(r'lang="en"')
_PARAGRAPH = re.compile(r"\n\s*\n")


# --- reading a master --------------------------------------------------------------------------------
def read_master(entry: LabEntry) -> nbformat.NotebookNode:
    return jupytext.read(entry.master, fmt="py:percent")


def _paragraphs(text: str) -> list[str]:
    """A markdown cell's paragraphs (blocks between blank lines), each a message for the translators."""
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def _is_marker(comment: str) -> bool:
    return comment.strip().startswith(MARKERS)


def _code_messages(source: str) -> Iterator[tuple[int, tuple[int, int], tuple[int, int], str, str]]:
    """(line, start, end, kind, text) of each comment and docstring in a code cell: what a learner reads."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return
    for tok in tokens:
        if tok.type == tokenize.COMMENT and not _is_marker(tok.string):
            text = tok.string.lstrip("#").strip()
            if text and not text.startswith(("noqa", "type:", "%")):
                yield tok.start[0], tok.start, tok.end, "comment", text
        elif tok.type == tokenize.STRING and tok.string.startswith(('"""', "'''")):
            yield tok.start[0], tok.start, tok.end, "docstring", tok.string[3:-3].strip()


def _replace_spans(source: str, spans: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    out = source
    for (r0, c0), (r1, c1), new in sorted(spans, reverse=True):
        a, b = offsets[r0 - 1] + c0, offsets[r1 - 1] + c1
        out = out[:a] + new + out[b:]
    return out


# --- making a copy -----------------------------------------------------------------------------------
def _translate_markdown(text: str, gettext: Callable[[str], str]) -> str:
    return "\n\n".join(gettext(p) for p in _paragraphs(text))


def _translate_code(source: str, gettext: Callable[[str], str]) -> str:
    spans = []
    for _, start, end, kind, text in _code_messages(source):
        said = gettext(text)
        if said == text:
            continue
        if kind == "comment":
            spans.append((start, end, f"# {said}"))
        else:
            indent = " " * start[1]
            body = said if "\n" not in said else said.replace("\n", "\n" + indent)
            spans.append((start, end, f'"""{body}"""'))
    return _replace_spans(source, spans)


def blank_solutions(source: str, gettext: Callable[[str], str] = str) -> str:
    """The learner's version of a code cell: marked solution blocks become ``...`` with a comment, and
    ``name = value  # SOLUTION`` becomes ``name = ...``."""
    out, skipping = [], False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}...  # {gettext(BLANK_COMMENT)}")
            skipping = True
        elif stripped.startswith(END):
            skipping = False
        elif skipping:
            continue
        elif line.rstrip().endswith(LINE) and "=" in line:
            target = line.split("=", 1)[0].rstrip()
            out.append(f"{target} = ...  # {gettext(BLANK_COMMENT)}")
        else:
            out.append(line)
    if skipping:
        raise ValueError(f"a {BEGIN} without its {END}")
    return "\n".join(out)


def keep_solutions(source: str) -> str:
    """The teacher's version of a code cell: the solutions, without their markers."""
    lines = [line for line in source.split("\n") if not line.strip().startswith((BEGIN, END))]
    return "\n".join(re.sub(r"\s*# SOLUTION\s*$", "", line) for line in lines)


def _links(entry: LabEntry, lang: str, site: str | None, gettext: Callable[[str], str]) -> str:
    """The cell under the title: the clips this lab practises, with a link to each on the course page."""
    rows = []
    for clip in entry.clips:
        page = f"{clip.lesson}.html#{clip.scene}"
        href = f"{site.rstrip('/')}/{page}" if site else page
        title = gettext(find(clip.scene)[1].title)
        rows.append("- " + format_message(gettext("[{clip}]({href}) — watch the beat “{beat}”"),
                                          {"clip": title, "href": href, "beat": gettext(clip.beat)}, lang))
    return gettext("This lab follows these clips of the course:") + "\n\n" + "\n".join(rows)


def make_notebook(entry: LabEntry, lang: str = "en", *, solutions: bool = False,
                  site: str | None = None) -> nbformat.NotebookNode:
    """The learner's copy of ``entry`` (or, with ``solutions``, the teacher's) in ``lang``; ``site`` is where
    the course page's lessons are, as seen from the notebook (a relative path or a URL)."""
    lang = check_language(lang)
    gettext = translations(lang).gettext
    nb = read_master(entry)
    cells = []
    for i, cell in enumerate(nb.cells):
        source = cell.source
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(_translate_markdown(source, gettext))
        else:
            source = keep_solutions(source) if solutions else blank_solutions(source, gettext)
            source = _LANG.sub(f'lang="{lang}"', _translate_code(source, gettext))
            new = nbformat.v4.new_code_cell(source)
            tags = cell.metadata.get("tags", [])
            if tags:
                new.metadata["tags"] = list(tags)
        new.id = f"{entry.slug}-{i}"
        cells.append(new)
        if i == 0 and cell.cell_type == "markdown":
            link = nbformat.v4.new_markdown_cell(_links(entry, lang, site, gettext))
            link.id = f"{entry.slug}-clips"
            cells.append(link)
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "calcviz": {"lab": entry.slug, "lang": lang, "copy": "teacher" if solutions else "learner"},
    }
    nbformat.validate(out)
    return out


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> Path:
    """Written whole or not at all (a scratch file moved into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    nbformat.write(nb, str(partial))
    os.replace(partial, path)
    return path


def build(dest: Path, lang: str = "en", *, solutions: bool = False, site: str | None = None,
          overwrite: bool = True) -> list[Path]:
    """Every lab's copy into ``dest``; with ``overwrite=False`` a notebook already there is left as it is
    (the learner's work)."""
    written = []
    for entry in LABS:
        path = dest / entry.notebook
        if path.exists() and not overwrite:
            continue
        written.append(write_notebook(make_notebook(entry, lang, solutions=solutions, site=site), path))
    return written


# --- the catalogue ---------------------------------------------------------------------------------
def extract_lab(fileobj, keywords, comment_tags, options):
    """Babel extractor for a lab master: each markdown paragraph, code comment and docstring is a message."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    nb = jupytext.reads(text, fmt="py:percent")
    yield 0, None, BLANK_COMMENT, ["the comment on a blank the learner fills in"]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for paragraph in _paragraphs(cell.source):
                yield 0, None, paragraph, ["lab text (Markdown)"]
        else:
            for line, _, _, kind, said in _code_messages(cell.source):
                yield 0, None, said, [f"lab code {kind}"]
            # What the code prints or labels goes through lab.t(...), as in any module of the course.
            source = io.BytesIO(cell.source.encode("utf-8"))
            for line, funcname, message, comments in extract_python(source, keywords, comment_tags, options):
                yield line, funcname, message, comments
