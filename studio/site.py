"""The course page: a static, offline site built from the catalogue, the rendered clips and the core,
in every language of the course (English, the source, and Bahasa Indonesia).

media/site/ holds the English edition and media/site/<lang>/ each other one (``id/``), each with

- ``index.html``: the roadmap, its four steps and the lessons in each, with how many of a lesson's
  clips this browser has watched (kept in localStorage);
- ``<lesson>.html``: the lesson's clips (mp4 and webm sources, poster, captions tracks), a chapter
  list that seeks the video, what each clip teaches, its transcript, a snippet to embed it elsewhere,
  presenter mode (``#present`` for the lesson, ``#present=Scene`` for one clip: the clip stops at the
  end of each beat, the beat's narration as speaker notes), and the lesson's explorers;

and, shared by the editions,

- ``data/<lesson>-<explorer>.json``: what an explorer looks up, computed by ``calcviz.explorers`` when
  the site is built (the page's script draws it and computes nothing), and the same JSON as a
  ``.js`` file for a page opened straight from the disk, where browsers refuse to fetch;
- ``static/``: the page's stylesheet and scripts, copied from studio/static.

An edition shows the clips rendered in its language (media/course/<quality>/ for English,
media/course/<quality>/<lang>/ for another); an English clip with a ``Scene.<lang>.vtt`` beside it (the
other language's captions, timed from the English render) lists it as a second captions track. Every
page links to the same page in the other edition (``hreflang``, the language's own name).

Every word goes through gettext (``locale/<lang>/LC_MESSAGES/calcviz.po``): the templates with Jinja2's
i18n extension, the words made here marked ``N_`` and translated when the page is built, and the words
the scripts show passed to them in the page (``<script id="calcviz-ui">``), numbers written with the
edition's decimal and grouping symbols. The pages are made from the Jinja2 templates in
studio/templates, autoescaped. No CDN, no build step.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from scenes.catalogue import LESSONS
from studio.caches import damage, seal_of, seal_problem, sealed, unsealed_problem
from studio.publish import translated_captions
from scenes.kit.i18n import GLOSSARY_NAMES, LANGUAGES, SOURCE_LANG, N_, check_language, localise_digits, \
    render_message, translations
from scenes.kit.style import (BACKGROUND, CONSTRAINT, DATA, FIT, FUNCTION, INK, MUTED, NUDGE, PANEL, SLOPE, STEP,
                              height_color)

COURSE = N_("Multivariate Calculus for Machine Learning")
ROADMAP = (N_("Nudges"), N_("Navigating mountains in the dark"), N_("The guts of a neural network"),
           N_("Fitting real data"))
START_HERE = N_("Start here")
# the languages named in the page's own language ("Transcript in Indonesian"); the switch and the
# captions tracks use each language's own name (i18n.LANGUAGES)
LANGUAGE_NAMES = {"en": N_("English"), "id": N_("Indonesian")}
HERE = Path(__file__).resolve().parent
TEMPLATES, STATIC = HERE / "templates", HERE / "static"
CORE = HERE.parent / "calcviz"

# the course's colours by meaning (scenes/kit/style.py), for the stylesheet and the explorers
PALETTE = {"background": BACKGROUND, "panel": PANEL, "ink": INK, "muted": MUTED, "function": FUNCTION,
           "slope": SLOPE, "step": STEP, "data": DATA, "fit": FIT, "constraint": CONSTRAINT, "nudge": NUDGE}

_NAMES = {word for name in GLOSSARY_NAMES for word in name.split()}


def pretty(scene: str) -> str:
    """A title from a class name, for a clip the catalogue gives none: SecantToTangent → Secant to
    tangent; names stay names (NewtonRaphson → Newton Raphson)."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", scene)
    return " ".join([words[0], *(w if w in _NAMES or (len(w) > 1 and w.isupper()) or len(w) == 1 else w.lower()
                                 for w in words[1:])])


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def number(value: float, lang: str = SOURCE_LANG) -> str:
    """A number as the page prints it, with the edition's symbols and a true minus sign: −2.5, −2,5."""
    return localise_digits(f"{value:g}", lang).replace("-", "−")


def symbols(lang: str) -> dict:
    """The edition's decimal and grouping symbols (CLDR's, through the one formatter), for the scripts."""
    return {"decimal": localise_digits("0.5", lang)[1], "group": localise_digits("1,000", lang)[1]}


# --- editions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edition:
    """The site in one language: its pages in ``folder`` of the site (``""`` for English, ``"id/"``),
    its clips in ``folder`` of media/course/<quality>/."""

    lang: str

    @property
    def folder(self) -> str:
        return "" if self.lang == SOURCE_LANG else f"{self.lang}/"

    @property
    def root(self) -> str:
        """From one of its pages to the site's root (the shared static/ and data/)."""
        return "../" * self.folder.count("/")

    def href(self, page: str, other: "Edition") -> str:
        """The same page in ``other`` edition, relative to a page of this one."""
        return f"{self.root}{other.folder}{page}"


def embed_snippet(base: str, tracks: list[dict]) -> str:
    """The clip for another page. Its URLs are relative to the course page here; the page's script
    rewrites them to absolute ones for wherever the page is served, so the snippet works anywhere."""
    lines = [f'<video controls preload="metadata" poster="{base}.poster.png" width="854">',
             f'  <source src="{base}.mp4" type="video/mp4">']
    for track in tracks:
        label = f' label="{track["label"]}"' if track.get("label") else ""
        lines.append(f'  <track kind="{track["kind"]}" srclang="{track["srclang"]}"{label} src="{track["src"]}"'
                     f'{" default" if track.get("default") else ""}>')
    return "\n".join([*lines, "</video>"])


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
    "en_US-joe-medium": N_("the Piper voice en_US-joe-medium (CC0, public domain: NabuCasa's voice dataset, "
                           "fine-tuned from the lessac voice), spoken offline by Piper"),
}


def _voice_words(voice: dict, lang: str) -> str:
    name = voice.get("name") or ""
    if name in VOICE_CREDITS:
        return render_message(VOICE_CREDITS[name], {}, lang)
    if voice.get("kind") == "espeak" or "espeak" in name:
        return render_message(N_("the synthetic voice {name}, spoken offline by espeak-ng"), {"name": name}, lang)
    return render_message(N_("the Piper voice {name}, spoken offline by Piper"), {"name": name}, lang)


def credits(voices: list[dict | None], lang: str = SOURCE_LANG) -> list[str]:
    """Who speaks the clips: each voice used once, the author when their recordings were used, and
    whether clips are silent (captions only). ``voices``: one entry per rendered clip."""
    lines = []
    for voice in filter(None, voices):
        if voice["kind"] == "recordings":
            line = render_message(N_("Narration recorded by the course author; lines without a recording: "
                                     "{voice}."), {"voice": _voice_words(voice, lang)}, lang)
        else:
            line = render_message(N_("Narration: {voice}."), {"voice": _voice_words(voice, lang)}, lang)
        if line not in lines:
            lines.append(line)
    if any(v is None for v in voices):
        lines.append(render_message(N_("These clips are silent: their captions carry the narration.") if not lines
                                    else N_("Some clips are silent: their captions carry the narration."), {}, lang))
    return lines


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
    title = N_("The sandpit")

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
    title = N_("How big a step?")

    def compute(self) -> dict:
        from calcviz.explorers import step_sizes
        return step_sizes(self.landscape, list(self.rates), start=self.start, steps=self.steps).to_json()


# the descent lesson plays in the dark (the mountains) and on the valley of its LearningRateRegimes clip
EXPLORERS: dict[str, tuple] = {"descent": (SandpitExplorer("mountains", probes=8), StepSizeExplorer("bowl"))}


# --- the explorers' words: the core writes them in English; the page gives them in its language -------
# The core marks its own words (landscapes' descriptions, verdicts) for the translators and hands a
# verdict over as its message and values: the page fills them in its language.
# a run's status (calcviz.result.Status), as the step-size explorer names it
STATUSES = {
    # TRANSLATORS: a run's status as the explorer's table shows it: the core's name in English
    "CONVERGED": N_("CONVERGED"), "STATIONARY": N_("STATIONARY"), "MAX_STEPS": N_("MAX_STEPS"),
    "DIVERGING": N_("DIVERGING"), "DIVERGED": N_("DIVERGED"), "OUT_OF_BOUNDS": N_("OUT_OF_BOUNDS"),
    "NONFINITE": N_("NONFINITE"),
}


def describe(data: dict, lang: str) -> str:
    """The landscape's description in ``lang``."""
    return render_message(data["description"], {}, lang)


def translate_verdict(message: list, lang: str) -> str:
    """A verdict (``[message, values]`` from :func:`calcviz.explorers.verdict_message`) in ``lang``."""
    text, values = message
    return render_message(text, values, lang)


def explorer_text(data: dict, lang: str) -> dict:
    """The words of one explorer's data in ``lang``, for its script: the landscape, and each run's
    verdict, outcome and status."""
    if data["kind"] == "sandpit":
        return {"description": describe(data, lang),
                "verdicts": [translate_verdict(m, lang) for m in data["runs"]["verdict_messages"]]}
    return {"description": describe(data, lang),
            "runs": [{"verdict": translate_verdict(r["verdict_message"], lang),
                      "outcome": render_message(r["outcome"], {}, lang),
                      "status": render_message(STATUSES.get(r["status"], r["status"]), {}, lang)}
                     for r in data["runs"]]}


def _core_digest() -> str:
    """What the explorers' numbers depend on: the core's source."""
    digest = hashlib.sha256()
    for path in sorted(CORE.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _js_twin(path: Path, text: str) -> str:
    return f"(window.calcvizData = window.calcvizData || {{}})[{json.dumps(path.stem)}] = {text};\n"


def _explorer_problem(path: Path, text: str) -> str | None:
    """Why a cached explorer's files cannot be served: the JSON's own checksum, and its .js twin holding
    exactly that JSON."""
    problem = seal_problem(text)
    if problem:
        return f"{path.name}: {problem}"
    twin = path.with_suffix(".js")
    try:
        if twin.read_text() != _js_twin(path, text):
            return f"{twin.name} does not hold {path.name}"
    except FileNotFoundError:
        return f"{twin.name} is missing"
    except (OSError, UnicodeDecodeError) as e:
        return f"{twin.name} cannot be read: {e}"
    return None


def explorer_data(explorer, path: Path, core: str) -> dict:
    """The explorer's table, from ``path`` if it was computed by this core with these settings and is
    whole, else computed now and written there (as .json and as .js for pages opened from the disk).
    The JSON carries the checksum of its own text, checked with its .js twin before either is served;
    a damaged pair is reported in one line on stderr and computed again."""
    key = hashlib.sha256(f"{type(explorer).__name__}{asdict(explorer)}{core}".encode()).hexdigest()[:20]
    try:
        text = path.read_text()
        problem = _explorer_problem(path, text) if seal_of(text) is not None else unsealed_problem(path, text)
    except FileNotFoundError:
        text = problem = None
    except (OSError, UnicodeDecodeError) as e:
        text, problem = None, f"{path.name} cannot be read: {e}"
    if problem:
        damage("explorer data", path, problem, sys.stderr)
    elif text is not None and seal_of(text) is not None:  # whole (one from before checksums is computed again)
        data = json.loads(text)
        data.pop("sha256")
        if data.get("build_key") == key:
            return data
    data = {**explorer.compute(), "build_key": key}
    text = sealed(json.dumps(data, separators=(",", ":"), allow_nan=False))
    _write(path, text)
    _write(path.with_suffix(".js"), _js_twin(path, text))
    return data


def _explorer_view(explorer, data: dict, lesson: str, lang: str = SOURCE_LANG) -> dict:
    """What the template needs: the file names, the colours each band or level is drawn in, and the
    words in the edition's language."""
    levels = len(data["levels"])
    return {"kind": data["kind"], "slug": explorer.slug, "title": render_message(explorer.title, {}, lang),
            "data": data, "key": f"{lesson}-{explorer.slug}", "text": explorer_text(data, lang),
            "band_colors": [height_color(k / max(levels, 1)).to_hex() for k in range(levels + 1)],
            # viridis' darkest purple vanishes on the background: lines start a little up the scale
            "level_colors": [height_color(0.15 + 0.85 * k / max(levels - 1, 1)).to_hex() for k in range(levels)]}


# --- what the scripts say ------------------------------------------------------------------------------
# {name} is filled by the script (text, never markup); "_one" is the form for a count of 1.
SCRIPT_TEXT = {
    # course.js
    "watched_mark": N_("✓ watched"),
    "watched_count_one": N_("{n} of {total} clip watched"),
    "watched_count": N_("{n} of {total} clips watched"),
    "watched_all": N_("You have watched {n} of {total} clips."),
    "copied": N_("Copied"),
    # presenter.js
    "beat": N_("Beat {n} of {total}: {name}"),
    "no_narration": N_("(No narration in this beat.)"),
    "next": N_("Next: {name}"),
    "next_clip": N_("Next: {clip} — {name}"),
    "ready": N_("{beat}. Space or → plays it."),
    "held": N_("{beat}: press Space again to play (the browser held the video)."),
    "playing": N_("{beat}: playing."),
    "done_next": N_("{beat}: done. Space or → plays the next beat."),
    "done_last": N_("{beat}: done. That was the last beat. Esc leaves."),
    "last_beat": N_("That was the last beat. ← replays it; Esc leaves."),
    "no_full_screen": N_("This browser would not go full screen here."),
    # explorers.js: a point of the map, then the sandpit
    # TRANSLATORS: a point (x, y); with a decimal comma, separate the coordinates with a semicolon
    "point": N_("({x}, {y})"),
    "map_out": N_("The map is out: cover it with sand again to play again."),
    "probed_already": N_("You probed {pos} already: its depth is {depth}."),
    "probe_item": N_("{pos}: depth {depth}"),
    "probe_readout": N_("Probe {k} of {n} at {pos}: depth {depth}."),
    "probes_left_one": N_("{n} probe left"),
    "probes_left": N_("{n} probes left"),
    "all_used": N_("All {n} probes used"),
    "deepest_label": N_("deepest {depth}"),
    "reveal_land": N_("The sand is gone: this is {description}. Its deepest point is at {pos}, depth {depth}."),
    "reveal_best": N_("Your deepest probe was number {k}, at {pos}: depth {depth}."),
    "reveal_descent": N_("Gradient descent from your first probe at {pos} (η = {lr}): {verdict}, ending at {endpoint}, "
                         "depth {depth}."),
    "found_deepest": N_("It found the deepest valley."),
    "not_deepest": N_("That is not the deepest valley: gradient descent finds the bottom of the valley it starts in."),
    "revealed_readout": N_("Probe {k} of {n} at {pos}: depth {depth}. The map is revealed."),
    "covered": N_("Covered again. {n} probes to find the deepest point."),
    "cross": N_("Cross at {pos}."),
    "first_readout": N_("{n} probes to find the deepest point. The cross is at {pos}."),
    # the step-size explorer
    "start_label": N_("start"),
    "steps_one": N_("{n} step"),
    "steps": N_("{n} steps"),
    "ran_away": N_("; step {k} ran away"),
    "run_head": N_("η = {lr}: {verdict}. Status {status} ({count}{runaway})."),
    "left_map": N_("It left the map at step {k}."),
    "run_end": N_("Its last point is {pos}, where f = {fx}: {outcome}. The bottom of the valley is at {minimum}."),
}


def script_text(lang: str) -> dict:
    """What the page's scripts need to speak ``lang``: their messages and the number symbols."""
    gettext = translations(lang).gettext
    return {"lang": lang, "text": {key: gettext(message) for key, message in SCRIPT_TEXT.items()},
            "number": symbols(lang)}


# --- the pages ---------------------------------------------------------------------------------------
def environment(lang: str = SOURCE_LANG) -> Environment:
    """The templates for the edition in ``lang``: ``_()`` and ``{% trans %}`` translate into it."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters.update(clock=clock, pretty=pretty, number=partial(number, lang=lang))
    return env


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _tracks(course: Path, slug: str, scene: str, base: str, lang: str) -> list[dict]:
    """The clip's text tracks: its captions (default) and chapters in its language, then the captions
    in each other language that were written beside it (``Scene.<lang>.vtt``)."""
    tracks = [{"kind": "captions", "srclang": lang, "label": LANGUAGES[lang], "src": f"{base}.vtt", "default": True}]
    for other in LANGUAGES:
        if other != lang and (course / slug / f"{scene}.{other}.vtt").exists():
            tracks.append({"kind": "captions", "srclang": other, "label": LANGUAGES[other],
                           "src": f"{base}.{other}.vtt", "default": False})
    tracks.append({"kind": "chapters", "srclang": lang, "label": "", "src": f"{base}.chapters.vtt", "default": False})
    return tracks


def _clip(lesson, entry, course: Path, quality: str, edition: Edition = Edition(SOURCE_LANG)) -> dict:
    """One clip as the lesson page shows it, or as missing."""
    lang = edition.lang
    meta_path = course / lesson.slug / f"{entry.name}.json"
    title = render_message(entry.title, {}, lang) if getattr(entry, "title", "") else pretty(entry.name)
    clip = {"scene": entry.name, "title": title, "teaches": render_message(entry.teaches, {}, lang),
            "id": f"{lesson.slug}/{entry.name}", "rendered": meta_path.exists()}
    if not clip["rendered"]:
        return clip
    meta = json.loads(meta_path.read_text())
    base = f"{edition.root}../course/{quality}/{edition.folder}{lesson.slug}/{entry.name}"
    notes = speaker_notes(meta)
    tracks = _tracks(course, lesson.slug, entry.name, base, lang)
    others = [{"lang": track["srclang"], "label": track["label"],
               "name": render_message(LANGUAGE_NAMES.get(track["srclang"], track["label"]), {}, lang),
               "lines": narration(course / lesson.slug / f"{entry.name}.{track['srclang']}.vtt")}
              for track in tracks if track["kind"] == "captions" and track["srclang"] != lang]
    clip.update(base=base, meta=meta, duration=meta["duration"], webm="webm" in meta.get("formats", []),
                chapters=meta["chapters"], transcript=narration(meta_path.with_suffix(".vtt")),
                other_transcripts=[o for o in others if o["lines"]],
                tracks=tracks, embed=embed_snippet(base, tracks), voice=meta.get("voice"),
                present={"scene": entry.name, "title": title, "id": clip["id"], "base": base,
                         "webm": "webm" in meta.get("formats", []), "duration": meta["duration"],
                         "tracks": [track for track in tracks if track["kind"] == "captions"],
                         "chapters": [{**c, "notes": n} for c, n in zip(meta["chapters"], notes)]})
    return clip


def build_site(media: Path, quality: str, lessons=LESSONS, explorers: dict | None = None,
               languages=tuple(LANGUAGES)) -> Path:
    """Write media/site/ (index.html, a page per lesson, the explorers' data, static files) for the
    clips rendered at ``quality`` (e.g. "720p30"), in each of ``languages`` (English at media/site/, the
    others at media/site/<lang>/; default: every language of the course); returns the English index's
    path (the first language's when English is not built). ``explorers`` maps a lesson's slug to the
    explorers on its page (default: :data:`EXPLORERS`)."""
    explorers = EXPLORERS if explorers is None else explorers
    editions = [Edition(check_language(lang)) for lang in languages]
    site = media / "site"
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "static").mkdir(exist_ok=True)
    for source in STATIC.iterdir():
        if source.is_file():
            shutil.copyfile(source, site / "static" / source.name)
    for meta in (media / "course" / quality).glob("*/*.json"):  # the English clips' tracks in other languages,
        for edition in editions:                                  # from the catalogue of now
            if edition.lang != SOURCE_LANG:
                translated_captions(meta, edition.lang)
    core = _core_digest()
    data = {(lesson.slug, e.slug): explorer_data(e, site / "data" / f"{lesson.slug}-{e.slug}.json", core)
            for lesson in lessons for e in explorers.get(lesson.slug, ())}  # computed once, for every edition
    indexes = [_build_edition(site, media / "course" / quality, quality, lessons, explorers, data, edition, editions)
               for edition in editions]
    return next((i for i, e in zip(indexes, editions) if e.lang == SOURCE_LANG), indexes[0])


def _build_edition(site: Path, course_root: Path, quality: str, lessons, explorers: dict, data: dict,
                   edition: Edition, editions: list[Edition]) -> Path:
    lang, folder = edition.lang, site / edition.folder
    folder.mkdir(parents=True, exist_ok=True)
    course, env = course_root / edition.folder, environment(lang)
    palette = {name: color.to_hex() for name, color in PALETTE.items()}
    pages, voices = [], []
    for lesson in lessons:
        clips = [_clip(lesson, entry, course, quality, edition) for entry in lesson.scenes]
        for clip, entry in zip(clips, lesson.scenes):  # a clip missing here may be there in the source language
            clip["source_rendered"] = (course_root / lesson.slug / f"{entry.name}.json").exists()
        voices += [c["voice"] for c in clips if c["rendered"]]
        views = [_explorer_view(e, data[(lesson.slug, e.slug)], lesson.slug, lang)
                 for e in explorers.get(lesson.slug, ())]
        pages.append({"lesson": lesson, "title": render_message(lesson.title, {}, lang),
                      "summary": render_message(lesson.summary, {}, lang), "clips": clips, "explorers": views,
                      "labs": _lab_views(lesson.slug, lang, folder)})
    common = {"palette": palette, "quality": quality, "credits": credits(voices, lang), "lang": lang,
              "voiced": any(voices) or not any(c["rendered"] for page in pages for c in page["clips"]),
              "root": edition.root, "roadmap": _roadmap(pages, lang), "ui": script_text(lang),
              "course_title": render_message(COURSE, {}, lang),
              "source_edition": lang == SOURCE_LANG, "source_lang": SOURCE_LANG}

    def switch(page: str) -> list[dict]:
        return [{"lang": e.lang, "name": LANGUAGES[e.lang], "href": edition.href(page, e)}
                for e in editions if e != edition]

    for page in pages:
        lesson = page["lesson"]
        name = lesson.slug + ".html"
        _write(folder / name, env.get_template("lesson.html").render(
            **common, **page, page_title=page["title"], alternates=switch(name),
            source_page=edition.href(name, Edition(SOURCE_LANG)),
            present=[c["present"] for c in page["clips"] if c["rendered"]]))
    index = folder / "index.html"
    _write(index, env.get_template("index.html").render(
        **common, page_title=render_message(N_("Lesson videos"), {}, lang), alternates=switch("index.html")))
    return index


def _lab_views(lesson: str, lang: str, folder: Path) -> list[dict]:
    """The labs listed on ``lesson``'s page, each with the learner's notebook written beside the page (in
    labs/, its links to the clips relative to it)."""
    from labs.catalogue import LABS
    from labs.notebooks import make_notebook, write_notebook
    views = []
    for entry in (e for e in LABS if e.lesson == lesson):
        write_notebook(make_notebook(entry, lang, site=".."), folder / "labs" / entry.notebook)
        views.append({"slug": f"lab-{entry.slug}", "title": render_message(entry.title, {}, lang),
                      "practises": render_message(entry.practises, {}, lang), "href": f"labs/{entry.notebook}",
                      "file": entry.notebook,
                      "exercises": [render_message(e.title, {}, lang) for e in entry.exercises()]})
    return views


def _roadmap(pages: list[dict], lang: str = SOURCE_LANG) -> list[dict]:
    """The four steps, each with its lessons (and the introduction before them, as step 0)."""
    steps = [{"n": 0, "name": render_message(START_HERE, {}, lang), "lessons": []}]
    steps += [{"n": n, "name": render_message(name, {}, lang), "lessons": []} for n, name in enumerate(ROADMAP, 1)]
    for page in pages:
        lesson = page["lesson"]
        if 0 <= lesson.step < len(steps):
            steps[lesson.step]["lessons"].append({
                "slug": lesson.slug, "title": page["title"], "summary": page["summary"],
                "clips": [{"id": c["id"], "title": c["title"], "rendered": c["rendered"]} for c in page["clips"]],
                "explorers": [{"slug": e["slug"], "title": e["title"]} for e in page["explorers"]],
                "labs": [{"slug": lab["slug"], "title": lab["title"]} for lab in page["labs"]]})
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
