"""The course page: a static, offline site built from the catalogue and the rendered clips.

media/site/index.html shows the roadmap, then each lesson with its clips (mp4 and webm
sources, poster, captions track), a chapter list that seeks the video, what the clip
teaches, and a snippet to embed the clip elsewhere. No CDN, no build step.
"""
from __future__ import annotations

import html
import http.server
import json
import os
import re
from functools import partial
from pathlib import Path

from scenes.catalogue import LESSONS
from scenes.kit.style import BACKGROUND, FIT, FUNCTION, INK, MUTED, PANEL, SLOPE

ROADMAP = ("Nudges", "Navigating mountains in the dark", "The guts of a neural network", "Fitting real data")


def pretty(scene: str) -> str:
    """SecantToTangent → Secant to tangent."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", scene)
    return " ".join([words[0], *(w.lower() if len(w) > 1 and not w.isupper() else w for w in words[1:])])


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def clip_html(meta: dict, rel: str, teaches: str, video_id: str, narration: list[str]) -> str:
    base = f"{rel}/{meta['scene']}"
    sources = [f'<source src="{base}.mp4" type="video/mp4">']
    if "webm" in meta.get("formats", []):
        sources.insert(0, f'<source src="{base}.webm" type="video/webm">')
    video = (f'<video id="{video_id}" controls preload="metadata" playsinline poster="{base}.poster.png">'
             + "".join(sources)
             + f'<track kind="captions" srclang="en" label="English" src="{base}.vtt" default>'
             + f'<track kind="chapters" srclang="en" src="{base}.chapters.vtt"></video>')
    chapters = "".join(
        f'<li><button class="chapter" data-video="{video_id}" data-start="{c["start"]}">'
        f'<span class="t">{clock(c["start"])}</span> {html.escape(c["name"])}</button></li>'
        for c in meta["chapters"])
    embed = html.escape(embed_snippet(base))
    transcript = "".join(f"<p>{html.escape(line)}</p>" for line in narration)
    return f"""
    <article class="clip" id="{meta['scene']}">
      <h3>{html.escape(pretty(meta['scene']))} <span class="len">{clock(meta['duration'])}</span></h3>
      <p class="teaches">{html.escape(teaches)}</p>
      {video}
      <ol class="chapters">{chapters}</ol>
      <details class="transcript"><summary>Transcript</summary>{transcript}</details>
      <details class="embed"><summary>Embed this clip</summary><pre><code>{embed}</code></pre>
        <button class="copy">Copy snippet</button></details>
    </article>"""


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


VOICE_CREDITS = {  # the voices setup installs, credited as their licences ask
    "en_US-joe-medium": "the Piper voice en_US-joe-medium (CC0, public domain: NabuCasa's voice dataset, "
                        "fine-tuned from the lessac voice), spoken offline by Piper",
}


def credits(voices: list[dict | None]) -> str:
    """Who speaks the clips: each voice used once, and the author when their recordings were used."""
    lines = []
    for voice in filter(None, voices):
        piper = VOICE_CREDITS.get(voice["name"], f"the Piper voice {voice['name']}, spoken offline by Piper")
        line = (f"Narration recorded by the course author; lines without a recording: {piper}."
                if voice["kind"] == "recordings" else f"Narration: {piper}.")
        if line not in lines:
            lines.append(line)
    if not lines:
        return "<p>These clips are silent: their captions carry the narration.</p>"
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def build_site(media: Path, quality: str, lessons=LESSONS) -> Path:
    """Write media/site/index.html for the clips rendered at ``quality`` (e.g. "720p30")."""
    site = media / "site"
    site.mkdir(parents=True, exist_ok=True)
    course = media / "course" / quality
    lessons_html, roadmap_html, n, voices = [], [], 0, []
    for step, name in enumerate(ROADMAP, 1):
        lesson = next((l for l in lessons if l.step == step), None)
        link = f'<a href="#{lesson.slug}">{html.escape(name)}</a>' if lesson else html.escape(name)
        roadmap_html.append(f'<li class="{"ready" if lesson else "soon"}"><span class="n">{step}</span> {link}</li>')
    for lesson in lessons:
        clips = []
        for entry in lesson.scenes:
            meta_path = course / lesson.slug / f"{entry.name}.json"
            if meta_path.exists():
                n += 1
                meta = json.loads(meta_path.read_text())
                voices.append(meta.get("voice"))
                clips.append(clip_html(meta, f"../course/{quality}/{lesson.slug}",
                                       entry.teaches, f"v{n}", narration(meta_path.with_suffix(".vtt"))))
            else:
                clips.append(f'<article class="clip missing"><h3>{html.escape(pretty(entry.name))}</h3>'
                             f'<p>Not rendered yet: <code>calcviz render {entry.name}</code></p></article>')
        step = f"Step {lesson.step}" if lesson.step else "Introduction"
        lessons_html.append(f"""
  <section class="lesson" id="{lesson.slug}">
    <h2><span class="step">{step}</span> {html.escape(lesson.title)}</h2>
    <p>{html.escape(lesson.summary)}</p>
    {''.join(clips)}
  </section>""")
    page = PAGE.format(bg=BACKGROUND.to_hex(), panel=PANEL.to_hex(), ink=INK.to_hex(), muted=MUTED.to_hex(),
                       accent=FUNCTION.to_hex(), slope=SLOPE.to_hex(), fit=FIT.to_hex(), quality=quality,
                       roadmap="".join(roadmap_html), lessons="".join(lessons_html), credits=credits(voices))
    index = site / "index.html"
    tmp = index.with_suffix(".tmp")
    tmp.write_text(page)
    tmp.replace(index)
    return index


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with byte ranges (206 Partial Content): a browser seeks in a video by asking for
    the bytes at that time, and Python's own http.server answers with the whole file instead, so
    the video jumps back to 0:00."""

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


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Multivariate Calculus for Machine Learning — lesson videos</title>
<link rel="icon" href="data:,">
<style>
  body {{ background: {bg}; color: {ink}; font: 17px/1.5 "DejaVu Sans", sans-serif; margin: 0; }}
  main {{ max-width: 920px; margin: 0 auto; padding: 24px; }}
  h1 {{ font-size: 28px; margin: 8px 0 4px; }}
  h2 {{ border-top: 1px solid {muted}; padding-top: 24px; margin-top: 40px; }}
  .step {{ color: {accent}; font-size: 15px; display: block; }}
  a {{ color: {accent}; }}
  ol.roadmap {{ list-style: none; padding: 0; display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }}
  ol.roadmap li {{ background: {panel}; padding: 12px; border-radius: 8px; }}
  ol.roadmap li.soon {{ color: {muted}; }}
  ol.roadmap .n {{ color: {slope}; font-weight: bold; font-size: 20px; display: block; }}
  .clip {{ background: {panel}; border-radius: 10px; padding: 16px; margin: 20px 0; }}
  .clip h3 {{ margin: 0 0 4px; }} .len {{ color: {muted}; font-weight: normal; font-size: 14px; }}
  .teaches {{ color: {muted}; margin: 0 0 10px; }}
  video {{ width: 100%; border-radius: 6px; background: {bg}; }}
  ol.chapters {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }}
  button.chapter, button.copy {{ background: {bg}; color: {ink}; border: 1px solid {muted}; border-radius: 6px;
    padding: 4px 10px; font: inherit; font-size: 14px; cursor: pointer; }}
  button.chapter:hover {{ border-color: {slope}; }} .t {{ color: {slope}; }}
  pre {{ background: {bg}; padding: 10px; overflow-x: auto; font-size: 13px; }}
  summary {{ cursor: pointer; color: {muted}; }}
  .transcript p {{ margin: 6px 0; }}
  .missing {{ color: {muted}; }}
  footer {{ color: {muted}; font-size: 14px; border-top: 1px solid {muted}; margin-top: 40px; padding-top: 12px; }}
</style>
</head>
<body>
<main>
  <h1>Multivariate Calculus for Machine Learning</h1>
  <p>Lesson videos: every number on screen was computed by tested code. Each clip is spoken; its captions
     and transcript carry the same words, and the buttons under a clip jump to its beats. ({quality})</p>
  <ol class="roadmap">{roadmap}</ol>
  {lessons}
  <footer>{credits}</footer>
</main>
<script>
  document.querySelectorAll("button.chapter").forEach(function (b) {{
    b.addEventListener("click", function () {{
      var v = document.getElementById(b.dataset.video);
      v.currentTime = parseFloat(b.dataset.start);
      v.play().catch(function () {{}});  // autoplay may be refused; seeking still happened
    }});
  }});
  // the snippets name files relative to this page; another page needs them absolute
  document.querySelectorAll("details.embed code").forEach(function (code) {{
    code.textContent = code.textContent.replace(/(src|poster)="([^"]+)"/g, function (m, attr, url) {{
      return attr + '="' + new URL(url, document.baseURI).href + '"';
    }});
  }});
  document.querySelectorAll("button.copy").forEach(function (b) {{
    b.addEventListener("click", function () {{
      var code = b.parentElement.querySelector("code").textContent;
      if (navigator.clipboard) {{ navigator.clipboard.writeText(code).catch(function () {{}}); }}
      b.textContent = "Copied";
    }});
  }});
</script>
</body>
</html>
"""
