"""The course page: a static, offline site built from the catalogue, the rendered clips and the core.

media/site/ holds

- ``index.html``: the roadmap, its four steps and the lessons in each, with how many of a lesson's
  clips this browser has watched (kept in localStorage);
- ``<lesson>.html``: the lesson's clips (mp4 and webm sources, poster, captions track), a chapter
  list that seeks the video, what each clip teaches, its transcript, a snippet to embed it elsewhere,
  presenter mode (``#present`` for the lesson, ``#present=Scene`` for one clip: the clip stops at the
  end of each beat, the beat's narration as speaker notes), and the lesson's explorers;
- ``data/<lesson>-<explorer>.json``: what an explorer looks up, computed by ``calcviz.explorers`` when
  the site is built (the page's script draws it and computes nothing), and the same JSON as a
  ``.js`` file for a page opened straight from the disk, where browsers refuse to fetch;
- ``static/``: the page's stylesheet and scripts, copied from studio/static.

The pages are made from the Jinja2 templates in studio/templates, autoescaped. No CDN, no build step.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from scenes.catalogue import LESSONS
from scenes.kit.style import (BACKGROUND, CONSTRAINT, DATA, FIT, FUNCTION, INK, MUTED, NUDGE, PANEL, SLOPE, STEP,
                              height_color)

ROADMAP = ("Nudges", "Navigating mountains in the dark", "The guts of a neural network", "Fitting real data")
HERE = Path(__file__).resolve().parent
TEMPLATES, STATIC = HERE / "templates", HERE / "static"
CORE = HERE.parent / "calcviz"

# the course's colours by meaning (scenes/kit/style.py), for the stylesheet and the explorers
PALETTE = {"background": BACKGROUND, "panel": PANEL, "ink": INK, "muted": MUTED, "function": FUNCTION,
           "slope": SLOPE, "step": STEP, "data": DATA, "fit": FIT, "constraint": CONSTRAINT, "nudge": NUDGE}


def pretty(scene: str) -> str:
    """SecantToTangent → Secant to tangent."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", scene)
    return " ".join([words[0], *(w.lower() if len(w) > 1 and not w.isupper() else w for w in words[1:])])


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def number(value: float) -> str:
    """A number as the page prints it, with a true minus sign: −2.5."""
    return f"{value:g}".replace("-", "−")


def embed_snippet(base: str) -> str:
    """The clip for another page. Its URLs are relative to the course page here; the page's script
    rewrites them to absolute ones for wherever the page is served, so the snippet works anywhere."""
    return (f'<video controls preload="metadata" poster="{base}.poster.png" width="854">\n'
            f'  <source src="{base}.mp4" type="video/mp4">\n'
            f'  <track kind="captions" srclang="en" label="English" src="{base}.vtt" default>\n'
            f'  <track kind="chapters" srclang="en" src="{base}.chapters.vtt">\n'
            f'</video>')


def narration(vtt: Path) -> list[str]:
    """The text of each caption cue, in order: the clip's transcript."""
    if not vtt.exists():
        return []
    return [" ".join(cue.splitlines()[1:]) for cue in vtt.read_text().split("\n\n") if "-->" in cue]


def speaker_notes(meta: dict) -> list[list[str]]:
    """For each beat (chapter), the narration lines whose start falls in it: the presenter's notes.
    A line starting a hair before its beat (float round-off) counts as the beat's."""
    chapters, lines = meta.get("chapters", []), meta.get("narration") or []
    notes = [[] for _ in chapters]
    for line in lines:
        k = sum(1 for c in chapters[1:] if line["start"] >= c["start"] - 1e-6)
        if notes:
            notes[k].append(line["text"])
    return notes


VOICE_CREDITS = {  # the voices setup installs, credited as their licences ask
    "en_US-joe-medium": "the Piper voice en_US-joe-medium (CC0, public domain: NabuCasa's voice dataset, "
                        "fine-tuned from the lessac voice), spoken offline by Piper",
}


def credits(voices: list[dict | None]) -> list[str]:
    """Who speaks the clips: each voice used once, and the author when their recordings were used."""
    lines = []
    for voice in filter(None, voices):
        piper = VOICE_CREDITS.get(voice["name"], f"the Piper voice {voice['name']}, spoken offline by Piper")
        line = (f"Narration recorded by the course author; lines without a recording: {piper}."
                if voice["kind"] == "recordings" else f"Narration: {piper}.")
        if line not in lines:
            lines.append(line)
    return lines or ["These clips are silent: their captions carry the narration."]


# --- explorers: which lesson page gets which, on which landscape --------------------------------------
@dataclass(frozen=True)
class SandpitExplorer:
    """The sandpit on ``landscape``: ``probes`` probes on an n×n grid, then the reveal with the path
    gradient descent (learning rate ``lr``, at most ``steps`` steps) walked from the first probe."""

    landscape: str = "mountains"
    probes: int = 8
    n: int = 41
    lr: float = 0.5
    steps: int = 300
    slug = "sandpit"
    title = "The sandpit"

    def compute(self) -> dict:
        from calcviz.explorers import sandpit
        return sandpit(self.landscape, self.probes, n=self.n, lr=self.lr, steps=self.steps).to_json()


@dataclass(frozen=True)
class StepSizeExplorer:
    """“How big a step?”: gradient descent on ``landscape`` from ``start`` at each of ``rates``."""

    landscape: str = "bowl"
    rates: tuple[float, ...] = (0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.09, 0.1, 0.11, 0.13, 0.15, 0.17,
                                0.18, 0.19, 0.195, 0.2, 0.205, 0.21, 0.22, 0.25)
    start: tuple[float, float] = (-2.5, 1.0)
    steps: int = 150
    slug = "step-size"
    title = "How big a step?"

    def compute(self) -> dict:
        from calcviz.explorers import step_sizes
        return step_sizes(self.landscape, list(self.rates), start=self.start, steps=self.steps).to_json()


# the descent lesson plays in the dark (the mountains) and on the valley of its LearningRateRegimes clip
EXPLORERS: dict[str, tuple] = {"descent": (SandpitExplorer("mountains", probes=8), StepSizeExplorer("bowl"))}


def _core_digest() -> str:
    """What the explorers' numbers depend on: the core's source."""
    digest = hashlib.sha256()
    for path in sorted(CORE.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def explorer_data(explorer, path: Path, core: str) -> dict:
    """The explorer's table, from ``path`` if it was computed by this core with these settings,
    else computed now and written there (as .json and as .js for pages opened from the disk)."""
    key = hashlib.sha256(f"{type(explorer).__name__}{asdict(explorer)}{core}".encode()).hexdigest()[:20]
    if path.exists():
        try:
            data = json.loads(path.read_text())
            if data.get("build_key") == key:
                return data
        except (OSError, ValueError):
            pass
    data = {**explorer.compute(), "build_key": key}
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    _write(path, text)
    _write(path.with_suffix(".js"), f"(window.calcvizData = window.calcvizData || {{}})[{json.dumps(path.stem)}] = "
                                    f"{text};\n")
    return data


def _explorer_view(explorer, data: dict, lesson: str) -> dict:
    """What the template needs: the file names, the colours each band or level is drawn in."""
    levels = len(data["levels"])
    return {"kind": data["kind"], "slug": explorer.slug, "title": explorer.title, "data": data,
            "key": f"{lesson}-{explorer.slug}",
            "band_colors": [height_color(k / max(levels, 1)).to_hex() for k in range(levels + 1)],
            # viridis' darkest purple vanishes on the background: lines start a little up the scale
            "level_colors": [height_color(0.15 + 0.85 * k / max(levels - 1, 1)).to_hex() for k in range(levels)]}


# --- the pages ---------------------------------------------------------------------------------------
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(clock=clock, pretty=pretty, number=number)
    return env


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _clip(lesson, entry, course: Path, quality: str) -> dict:
    """One clip as the lesson page shows it, or as missing."""
    meta_path = course / lesson.slug / f"{entry.name}.json"
    clip = {"scene": entry.name, "title": pretty(entry.name), "teaches": entry.teaches,
            "id": f"{lesson.slug}/{entry.name}", "rendered": meta_path.exists()}
    if not clip["rendered"]:
        return clip
    meta = json.loads(meta_path.read_text())
    base = f"../course/{quality}/{lesson.slug}/{entry.name}"
    notes = speaker_notes(meta)
    clip.update(base=base, meta=meta, duration=meta["duration"], webm="webm" in meta.get("formats", []),
                chapters=meta["chapters"], transcript=narration(meta_path.with_suffix(".vtt")),
                embed=embed_snippet(base), voice=meta.get("voice"),
                present={"scene": entry.name, "title": pretty(entry.name), "id": clip["id"], "base": base,
                         "webm": "webm" in meta.get("formats", []), "duration": meta["duration"],
                         "chapters": [{**c, "notes": n} for c, n in zip(meta["chapters"], notes)]})
    return clip


def build_site(media: Path, quality: str, lessons=LESSONS, explorers: dict | None = None) -> Path:
    """Write media/site/ (index.html, a page per lesson, the explorers' data, static files) for the
    clips rendered at ``quality`` (e.g. "720p30"); returns the index's path. ``explorers`` maps a
    lesson's slug to the explorers on its page (default: :data:`EXPLORERS`)."""
    explorers = EXPLORERS if explorers is None else explorers
    site = media / "site"
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "static").mkdir(exist_ok=True)
    for source in STATIC.iterdir():
        if source.is_file():
            shutil.copyfile(source, site / "static" / source.name)
    course, env, core = media / "course" / quality, environment(), _core_digest()
    palette = {name: color.to_hex() for name, color in PALETTE.items()}
    pages, voices = [], []
    for lesson in lessons:
        clips = [_clip(lesson, entry, course, quality) for entry in lesson.scenes]
        voices += [c["voice"] for c in clips if c["rendered"]]
        views = []
        for explorer in explorers.get(lesson.slug, ()):
            data = explorer_data(explorer, site / "data" / f"{lesson.slug}-{explorer.slug}.json", core)
            views.append(_explorer_view(explorer, data, lesson.slug))
        pages.append({"lesson": lesson, "clips": clips, "explorers": views})
    common = {"palette": palette, "quality": quality, "credits": credits(voices),
              "roadmap": _roadmap(pages)}
    for page in pages:
        lesson = page["lesson"]
        _write(site / f"{lesson.slug}.html", env.get_template("lesson.html").render(
            **common, **page, page_title=lesson.title,
            present=[c["present"] for c in page["clips"] if c["rendered"]]))
    index = site / "index.html"
    _write(index, env.get_template("index.html").render(**common, page_title="Lesson videos"))
    return index


def _roadmap(pages: list[dict]) -> list[dict]:
    """The four steps, each with its lessons (and the introduction before them, as step 0)."""
    steps = [{"n": 0, "name": "Start here", "lessons": []}]
    steps += [{"n": n, "name": name, "lessons": []} for n, name in enumerate(ROADMAP, 1)]
    for page in pages:
        lesson = page["lesson"]
        if 0 <= lesson.step < len(steps):
            steps[lesson.step]["lessons"].append({
                "slug": lesson.slug, "title": lesson.title, "summary": lesson.summary,
                "clips": [{"id": c["id"], "title": c["title"], "rendered": c["rendered"]} for c in page["clips"]],
                "explorers": [{"slug": e["slug"], "title": e["title"]} for e in page["explorers"]]})
    return steps


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with byte ranges (206 Partial Content): a browser seeks in a video by asking for
    the bytes at that time, and Python's own http.server answers with the whole file instead, so
    the video jumps back to 0:00."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt",
                      ".js": "text/javascript", ".json": "application/json", ".webm": "video/webm"}

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):
        self.remaining = None
        wanted = self.headers.get("Range")
        path = self.translate_path(self.path)
        if not wanted or not os.path.isfile(path):
            return super().send_head()
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", wanted.strip())
        size = os.path.getsize(path)
        if match and match[1]:
            start, end = int(match[1]), min(int(match[2]) if match[2] else size - 1, size - 1)
        elif match and match[2]:  # the last N bytes
            start, end = max(0, size - int(match[2])), size - 1
        else:
            start, end = 1, 0
        if start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        file = open(path, "rb")  # noqa: SIM115 — do_GET copies from it and closes it
        file.seek(start)
        self.remaining = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self.remaining))
        self.end_headers()
        return file

    def copyfile(self, source, outputfile) -> None:
        if self.remaining is None:
            return super().copyfile(source, outputfile)
        while self.remaining > 0 and (chunk := source.read(min(1 << 16, self.remaining))):
            outputfile.write(chunk)
            self.remaining -= len(chunk)


def course_server(media: Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A server for media/ (the page is at /site/), with the byte ranges videos need to seek."""
    return http.server.ThreadingHTTPServer((host, port), partial(RangeRequestHandler, directory=str(media)))
