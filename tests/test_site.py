"""The course page in a real browser (Debian's chromium, driven by Selenium)."""
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from studio import render as r
from scenes.catalogue import Lesson, SceneEntry
from studio.site import SandpitExplorer, StepSizeExplorer, build_site, course_server
from tests.test_render import FIXTURE, TINY_ARGS

LESSON = Lesson("tiny_lesson", "Tiny shapes", 1, "Two shapes, to test the page.",
                (SceneEntry("Tiny", "A circle, then a square."), SceneEntry("TinyToo", "The same again."),
                 SceneEntry("NeverRendered", "Shows as not rendered yet.")))


# the explorers of the tiny lesson: small, so the site builds in a moment
TINY_EXPLORERS = {"tiny_lesson": (SandpitExplorer("mountains", probes=3, n=21),
                                  StepSizeExplorer("bowl", rates=(0.005, 0.1, 0.15, 0.18, 0.19, 0.2, 0.22, 0.25)))}


def rendered_media(tmp_path_factory):
    """The two tiny clips, rendered once for every page test in the session."""
    media = tmp_path_factory.getbasetemp() / "site-media"
    plan = r.plan([(str(FIXTURE), "Tiny"), (str(FIXTURE), "TinyToo")], "l", ("mp4", "webm"), media,
                  manim_args=TINY_ARGS, env={"CALCVIZ_VOICE": "none"})
    if not all(r.outputs(task)["meta"].exists() for task in plan):
        assert all(o.ok for o in r.LocalExecutor(2).map_unordered(r.render_scene, plan))
    return media, plan


# the tiny clips' lines and beats in Indonesian (the fixture's words are not in the catalogue)
INDONESIAN = {"A circle appears.": "Sebuah lingkaran muncul.", "Now a square.": "Sekarang sebuah persegi.",
              "Circle": "Lingkaran", "Square": "Persegi"}


def _in_indonesian(text: str) -> str:
    return "\n".join(INDONESIAN.get(line, line) for line in text.split("\n"))


def indonesian_edition(course: Path, scenes=("Tiny",), captions=("Tiny",), voice=None) -> None:
    """What `calcviz render --lang id` and an English render of translated lines leave beside the
    English clips, without rendering: ``Scene.id.vtt`` beside the English ``captions`` clips, and the
    Indonesian edition of ``scenes`` under id/ (the English picture, Indonesian captions, chapters and
    metadata, ``voice`` None for captions only)."""
    english = course / "tiny_lesson"
    for scene in captions:
        (english / f"{scene}.id.vtt").write_text(_in_indonesian((english / f"{scene}.vtt").read_text()))
    folder = course / "id" / "tiny_lesson"
    folder.mkdir(parents=True, exist_ok=True)
    for scene in scenes:
        for suffix in (".mp4", ".webm", ".poster.png"):
            if (english / f"{scene}{suffix}").exists():
                shutil.copyfile(english / f"{scene}{suffix}", folder / f"{scene}{suffix}")
        for suffix in (".vtt", ".chapters.vtt"):
            (folder / f"{scene}{suffix}").write_text(_in_indonesian((english / f"{scene}{suffix}").read_text()))
        meta = json.loads((english / f"{scene}.json").read_text())
        meta.update(lang="id", voice=voice,
                    chapters=[{**c, "name": INDONESIAN.get(c["name"], c["name"])} for c in meta["chapters"]],
                    narration=[{**line, "text": INDONESIAN.get(line["text"], line["text"]), "lang": "id"}
                               for line in meta.get("narration") or []])
        (folder / f"{scene}.json").write_text(json.dumps(meta))


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    media, plan = rendered_media(tmp_path_factory)
    indonesian_edition(media / "course" / "480p15")
    index = build_site(media, "480p15", lessons=[LESSON], explorers=TINY_EXPLORERS)
    server = course_server(media, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/site/", media, plan
    assert index.name == "index.html"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1400"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def test_page_loads_videos_with_captions_and_chapters(served_site, browser, tmp_path):
    site, media, plan = served_site
    browser.get(site + "tiny_lesson.html")
    videos = browser.find_elements(By.CSS_SELECTOR, "article.clip video")
    assert len(videos) == 2
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('article.clip video')).every(v => v.readyState >= 1)"))
    for video, task in zip(videos, plan):
        meta = json.loads(r.outputs(task)["meta"].read_text())
        duration = browser.execute_script("return arguments[0].duration", video)
        assert duration == pytest.approx(meta["duration"], abs=0.25)
        kinds = browser.execute_script("return Array.from(arguments[0].textTracks).map(t => t.kind)", video)
        assert "captions" in kinds and "chapters" in kinds
    # a chapter button seeks its video
    second = browser.find_elements(By.CSS_SELECTOR, "button.chapter")[1]
    start = float(second.get_attribute("data-start"))
    assert start > 0
    second.click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return Math.abs(document.getElementById('v1').currentTime - arguments[0]) < 0.6", start))
    assert "Not rendered yet" in browser.page_source and "Embed this clip" in browser.page_source
    assert "These clips are silent" in browser.find_element(By.TAG_NAME, "footer").text  # the voice credit
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    browser.save_screenshot(str(tmp_path / "page.png"))
    assert (tmp_path / "page.png").stat().st_size > 10_000


def test_transcript_and_a_snippet_that_plays_in_another_page(served_site, browser):
    site, media, plan = served_site
    url = site + "tiny_lesson.html"
    browser.get(url)
    transcript = browser.find_element(By.CSS_SELECTOR, "#Tiny details.transcript")
    assert "A circle appears." in transcript.get_attribute("textContent")
    assert "Now a square." in transcript.get_attribute("textContent")
    # what "Copy snippet" copies, pasted into a page in another folder of the same server
    snippet = browser.execute_script("return document.querySelector('#Tiny details.embed code').textContent")
    origin = url.split("/site/")[0]
    assert f'src="{origin}/course/480p15/tiny_lesson/Tiny.mp4"' in snippet
    other = media / "elsewhere"
    other.mkdir()
    (other / "page.html").write_text(f"<!doctype html><title>another page</title>{snippet}")
    browser.get(f"{origin}/elsewhere/page.html")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "var v = document.querySelector('video'); return v.readyState >= 1 && v.textTracks[0].cues "
        "&& v.textTracks[0].cues.length > 0"))
    duration = browser.execute_script("return document.querySelector('video').duration")
    assert duration == pytest.approx(json.loads(r.outputs(plan[0])["meta"].read_text())["duration"], abs=0.25)
    first_cue = browser.execute_script("return document.querySelector('video').textTracks[0].cues[0].text")
    assert first_cue == "A circle appears."


def fetch(url, byte_range=None):
    request = urllib.request.Request(url, headers={"Range": byte_range} if byte_range else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, b""


def test_the_server_answers_byte_ranges_so_videos_can_seek(served_site):
    site, media, plan = served_site
    mp4 = r.outputs(plan[0])["mp4"]
    data, clip = mp4.read_bytes(), site.replace("/site/", "/course/480p15/tiny_lesson/Tiny.mp4")
    status, headers, body = fetch(clip)
    assert (status, body, headers["Accept-Ranges"]) == (200, data, "bytes")
    status, headers, body = fetch(clip, "bytes=100-199")
    assert (status, body, headers["Content-Range"]) == (206, data[100:200], f"bytes 100-199/{len(data)}")
    assert fetch(clip, "bytes=-10")[2] == data[-10:]
    assert fetch(clip, f"bytes={len(data) - 5}-")[2] == data[-5:]
    assert fetch(clip, f"bytes={len(data)}-")[0] == 416
    assert fetch(clip, "bytes=abc")[0] == 416


def test_the_roadmap_links_each_lesson_page_and_shows_the_clips_watched(served_site, browser, tmp_path):
    site, media, plan = served_site
    browser.get_log("browser")  # what earlier tests left there
    browser.get(site + "index.html")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    steps = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "ol.roadmap h2")]
    assert steps == ["1 Nudges", "2 Navigating mountains in the dark", "3 The guts of a neural network",
                     "4 Fitting real data"]
    card = browser.find_element(By.CSS_SELECTOR, '[data-lesson="tiny_lesson"]')
    assert "0 of 3 clips watched" in card.text
    card.find_element(By.LINK_TEXT, "Tiny shapes").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/site/tiny_lesson.html"))
    toggle = browser.find_element(By.CSS_SELECTOR, '#TinyToo button.toggle-watched')
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "1 of 3 clips watched" in browser.find_element(By.CSS_SELECTOR, ".lesson-head [data-watched-count]").text
    browser.find_element(By.LINK_TEXT, "← All lessons").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/site/index.html"))
    card = browser.find_element(By.CSS_SELECTOR, '[data-lesson="tiny_lesson"]')
    assert "1 of 3 clips watched" in card.text
    assert card.find_element(By.CSS_SELECTOR, '[data-clip="tiny_lesson/TinyToo"]').text == "Tiny too ✓ watched"
    assert card.find_element(By.CSS_SELECTOR, '[data-clip="tiny_lesson/Tiny"]').text == "Tiny"
    assert "You have watched 1 of 3 clips." in browser.page_source
    # the links from the roadmap to the explorers on the lesson page
    assert [a.text for a in card.find_elements(By.CSS_SELECTOR, ".explore a")] == ["The sandpit", "How big a step?"]
    browser.save_screenshot(str(tmp_path / "index.png"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_pages_are_escaped_templates(tmp_path):
    # a lesson whose words look like markup shows them as text
    media = tmp_path / "media"
    odd = Lesson("odd", "<b>Bold</b> & co", 2, "x < y > z", (SceneEntry("Tiny", "<script>alert(1)</script>"),))
    build_site(media, "480p15", lessons=[odd], explorers={})
    page = (media / "site" / "odd.html").read_text()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page and "x &lt; y &gt; z" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (media / "site" / "static" / "course.css").exists()


def test_speaker_notes_are_the_lines_that_start_in_each_beat():
    from studio.site import speaker_notes
    meta = {"chapters": [{"name": "A", "start": 0.0, "end": 1.8}, {"name": "B", "start": 1.8, "end": 4.0},
                         {"name": "C", "start": 4.0, "end": 5.0}],
            "narration": [{"text": "one", "start": 0.0}, {"text": "two", "start": 1.0},
                          {"text": "three", "start": 1.7999999999}, {"text": "four", "start": 1.8000000000000003}]}
    assert speaker_notes(meta) == [["one", "two"], ["three", "four"], []]
    assert speaker_notes({"chapters": meta["chapters"], "narration": None}) == [[], [], []]


def test_explorer_data_is_computed_once_per_core_and_settings(tmp_path, monkeypatch):
    from studio import site
    explorer = StepSizeExplorer("bowl", rates=(0.1, 0.25), steps=50)
    path = tmp_path / "step-size.json"
    first = site.explorer_data(explorer, path, "core-a")
    assert [run["status"] for run in first["runs"]] == ["MAX_STEPS", "DIVERGED"]
    assert path.with_suffix(".js").read_text().startswith('(window.calcvizData = window.calcvizData || {})["step-size"] = ')
    monkeypatch.setattr(StepSizeExplorer, "compute", lambda self: pytest.fail("computed again"))
    assert site.explorer_data(explorer, path, "core-a") == first
    monkeypatch.setattr(StepSizeExplorer, "compute", lambda self: {"kind": "step_sizes", "runs": []})
    assert site.explorer_data(explorer, path, "core-b")["runs"] == []  # the core changed: computed anew


# --- two editions ------------------------------------------------------------------------------------
def fake_english(course: Path) -> None:
    """The English tiny clips' metadata and captions, as a render leaves them (no video: the page
    does not read it)."""
    folder = course / "tiny_lesson"
    folder.mkdir(parents=True, exist_ok=True)
    for scene in ("Tiny", "TinyToo"):
        chapters = [{"name": "Circle", "start": 0.0, "end": 1.8}, {"name": "Square", "start": 1.8, "end": 3.6}]
        lines = [{"text": "A circle appears.", "start": 0.0}, {"text": "Now a square.", "start": 1.8}]
        (folder / f"{scene}.json").write_text(json.dumps({"scene": scene, "duration": 3.6, "lang": "en", "voice": None,
                                                          "chapters": chapters, "narration": lines,
                                                          "formats": ["mp4"]}))
        (folder / f"{scene}.vtt").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.800\nA circle appears.\n\n"
                                             "00:00:01.800 --> 00:00:03.800\nNow a square.\n")
        (folder / f"{scene}.chapters.vtt").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.800\nCircle\n\n"
                                                      "00:00:01.800 --> 00:00:03.600\nSquare\n")


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    media = tmp_path_factory.mktemp("editions")
    fake_english(media / "course" / "480p15")
    indonesian_edition(media / "course" / "480p15", scenes=("Tiny",), captions=("Tiny",),
                       voice={"kind": "espeak", "name": "espeak-ng 1.51 (id)", "rate": 1.0, "identity": "x"})
    index = build_site(media, "480p15", lessons=[LESSON], explorers=TINY_EXPLORERS)
    return media, index


def _tracks(page: str, scene: str) -> list[str]:
    video = re.search(rf'<video[^>]*data-clip="tiny_lesson/{scene}".*?</video>', page, re.S)
    return re.findall(r"<track [^>]*>", video[0]) if video else []


def test_both_editions_are_written_in_their_language_and_link_each_other(two_editions):
    media, index = two_editions
    site = media / "site"
    assert index == site / "index.html"  # the English index, as the CLI prints it
    for page in ("index.html", "tiny_lesson.html"):
        english, indonesian = (site / page).read_text(), (site / "id" / page).read_text()
        assert english.startswith('<!doctype html>\n<html lang="en">')
        assert indonesian.startswith('<!doctype html>\n<html lang="id">')
        # the switch: the same page in the other edition, named in its own language
        switch = re.search(r'<nav class="languages"[^>]*>.*?</nav>', english, re.S)[0]
        assert f'<a href="id/{page}" hreflang="id" lang="id" data-switch>' in switch and "Bahasa Indonesia" in switch
        switch = re.search(r'<nav class="languages"[^>]*>.*?</nav>', indonesian, re.S)[0]
        assert f'<a href="../{page}" hreflang="en" lang="en" data-switch>' in switch and "English" in switch
        assert '<link rel="stylesheet" href="../static/course.css">' in indonesian
    assert (site / "static" / "course.css").exists() and not (site / "id" / "static").exists()
    # one copy of the explorers' data, which both editions' pages name
    assert sorted(p.name for p in (site / "data").glob("*.json")) == ["tiny_lesson-sandpit.json",
                                                                       "tiny_lesson-step-size.json"]
    assert not (site / "id" / "data").exists()
    assert '"src": "../data/tiny_lesson-sandpit.json"' in (site / "id" / "tiny_lesson.html").read_text()


def test_english_clips_list_the_indonesian_captions_where_they_were_written(two_editions):
    media, _ = two_editions
    page = (media / "site" / "tiny_lesson.html").read_text()
    tiny, too = _tracks(page, "Tiny"), _tracks(page, "TinyToo")
    base = "../course/480p15/tiny_lesson"
    assert tiny[0] == f'<track kind="captions" srclang="en" label="English" src="{base}/Tiny.vtt" default>'
    assert f'<track kind="captions" srclang="id" label="Bahasa Indonesia" src="{base}/Tiny.id.vtt">' in tiny
    assert not any('srclang="id"' in t for t in too)  # TinyToo has no Tiny.id.vtt: no track
    # the snippet to embed carries it too, and the Indonesian transcript is on the page
    assert "srclang=&#34;id&#34; label=&#34;Bahasa Indonesia&#34; src=&#34;../course/480p15/tiny_lesson/Tiny.id.vtt&#34;" \
           in page.replace("&quot;", "&#34;")
    assert '<div lang="id">' in page and "Sebuah lingkaran muncul." in page
    present = json.loads(re.search(r'<script type="application/json" id="presenter-clips">(.*?)</script>', page, re.S)[1])
    assert [t["srclang"] for t in present[0]["tracks"]] == ["en", "id"] and present[1]["tracks"][0]["default"]


def test_the_indonesian_edition_shows_its_clips_captions_and_voice(two_editions):
    media, _ = two_editions
    page = (media / "site" / "id" / "tiny_lesson.html").read_text()
    base = "../../course/480p15/id/tiny_lesson"
    assert _tracks(page, "Tiny") == [
        f'<track kind="captions" srclang="id" label="Bahasa Indonesia" src="{base}/Tiny.vtt" default>',
        f'<track kind="chapters" srclang="id" src="{base}/Tiny.chapters.vtt">']
    assert (media / "site" / "id" / f"{base}/Tiny.vtt").resolve().exists()
    assert "Lingkaran</button>" in page and "Sebuah lingkaran muncul." in page
    # TinyToo is rendered in English only: the page says so and links to it
    too = re.search(r'<article class="clip missing" id="TinyToo".*?</article>', page, re.S)[0]
    assert "calcviz render --lang id TinyToo" in too and 'href="../tiny_lesson.html#TinyToo" hreflang="en"' in too
    never = re.search(r'<article class="clip missing" id="NeverRendered".*?</article>', page, re.S)[0]
    assert "../tiny_lesson.html" not in never  # not rendered in English either: nothing to link to
    footer = re.search(r"<footer>.*?</footer>", page, re.S)[0]
    assert "Narasi: suara sintetis espeak-ng 1.51 (id), diucapkan secara luring oleh espeak-ng." in footer
    # numbers the Indonesian way: the sandpit's learning rate, the step-size start
    assert "(η = 0,5)" in page and "(−2,5; 1)" in page


ENGLISH_UI = ("Transcript", "Embed", "Copy snippet", "Present", "Watched", "watched", "Not rendered", "All lessons",
              "Try it yourself", "probes", "Probe", "Learning rate", "Every learning rate", "Speaker notes", "Beat",
              "Previous", "Full screen", "Leave", "Skip to", "Coming soon", "clips", "Step ", "Introduction",
              "Narration", "silent", "computed", "sand", "gradient descent", "Roadmap", "Lesson videos", "Multivariate")


def visible_text(html: str) -> str:
    """The words of a page a reader meets: its text and its labels, not its markup, scripts or code."""
    html = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|aria-valuetext|title|label)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + labels


def test_the_indonesian_pages_have_no_english_words_of_their_own(two_editions):
    from studio.site import SCRIPT_TEXT, script_text
    from studio.translations import english_words
    media, _ = two_editions
    fixture = [LESSON.title, LESSON.summary, *(e.teaches for e in LESSON.scenes), "Tiny too", "Never rendered", "Tiny"]
    for page in ("index.html", "tiny_lesson.html"):
        text = visible_text((media / "site" / "id" / page).read_text())
        for words in fixture:  # the test lesson's own words are not in the catalogue
            text = text.replace(words, " ")
        text = text.replace("English", " ")  # the switch names English in English
        assert [w for w in ENGLISH_UI if re.search(rf"\b{re.escape(w.strip())}\b", text)] == [], page
        assert english_words(text) == [], page
    # and what the scripts will say: every message translated, no English word left
    said = script_text("id")
    assert said["number"] == {"decimal": ",", "group": "."}
    for key, message in said["text"].items():
        assert english_words(re.sub(r"\{\w+\}", "", message)) == [], key
    assert said["text"]["point"] == "({x}; {y})" and set(said["text"]) == set(SCRIPT_TEXT)


def test_the_explorers_words_in_indonesian():
    from calcviz.explorers import VERDICTS
    from calcviz.landscapes import LANDSCAPES
    from studio.site import describe, explorer_text, translate_verdict
    from studio.translations import english_words
    for land in LANDSCAPES.values():  # the core's own words, translated
        said = describe({"description": land.description}, "id")
        assert said != land.description and english_words(said) == []
    sample = {"k": 33, "next": 34, "more": 7, "r": 1.1}
    for message in VERDICTS.values():
        values = {name: value for name, value in sample.items() if "{" + name in message}
        said = translate_verdict([message, values], "id")
        assert said != message.format(**values) and english_words(said) == []
        assert re.findall(r"\d+", said) == re.findall(r"\d+", message.format(**values))
        assert translate_verdict([message, values], "en") == message.format(**values)
    data = StepSizeExplorer("bowl", rates=(0.1, 0.25), steps=50).compute()
    text = explorer_text(data, "id")
    # η = 0.1: |∇f| = 2.5·0.9ᵏ reaches 1e-6 at k = 140, 90 steps after the limit; η = 0.25: step 33 overflows
    assert [r["verdict"] for r in text["runs"]] == [
        "masih merayap setelah 50 langkah: dengan kecepatan ini kira-kira 90 langkah lagi",
        "divergen setelah 32 langkah: langkah ke-33 melampaui batas"]
    assert [r["status"] for r in text["runs"]] == ["BATAS_LANGKAH", "DIVERGEN"]
    assert explorer_text(data, "en")["runs"][1] == {"verdict": "diverged after 32 steps: step 33 went off the scale",
                                                    "status": "DIVERGED", "outcome": data["runs"][1]["outcome"]}
    growing = explorer_text(StepSizeExplorer("bowl", rates=(0.205,), steps=150).compute(), "id")["runs"][0]
    assert growing["verdict"] == "sedang divergen: f tumbuh sekitar ×1,1 per langkah, masih naik setelah 150 langkah"
    assert growing["status"] == "SEDANG_DIVERGEN" and english_words(growing["outcome"]) == []


def test_titles_credits_and_numbers():
    from studio.site import credits, number, pretty
    assert pretty("NewtonRaphson") == "Newton Raphson" and pretty("SecantToTangent") == "Secant to tangent"
    assert pretty("GaussNewtonFit") == "Gauss Newton fit" and pretty("ChainRuleNudges") == "Chain rule nudges"
    assert number(-2.5) == "−2.5" and number(-2.5, "id") == "−2,5" and number(0.005, "id") == "0,005"
    assert credits([None]) == ["These clips are silent: their captions carry the narration."]
    assert credits([None], "id") == ["Klip-klip ini tanpa suara: seluruh narasinya dibawakan oleh teks."]
    assert credits([]) == []
    piper = {"kind": "piper", "name": "id_ID-news_tts-medium"}
    assert credits([piper, None], "id") == ["Narasi: suara Piper id_ID-news_tts-medium, diucapkan secara luring oleh Piper.",
                                            "Sebagian klip tanpa suara: narasinya dibawakan oleh teks."]


def test_the_catalogue_gives_each_clip_its_title():
    from scenes.catalogue import LESSONS
    from studio.site import _clip
    entries = [(lesson, e) for lesson in LESSONS for e in lesson.scenes]
    titles = {e.name: _clip(lesson, e, Path("/nonexistent"), "480p15")["title"] for lesson, e in entries}
    assert all(titles.values()) and "Newton raphson" not in titles.values()
