"""The course page in a real browser (Debian's chromium, driven by Selenium)."""
import json
import threading
import urllib.error
import urllib.request

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


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    media, plan = rendered_media(tmp_path_factory)
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
