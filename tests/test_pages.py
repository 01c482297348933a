"""The lesson page's presenter mode and explorers in a real browser, and axe-core on every page.

Set CALCVIZ_SCREENSHOTS=DIR to keep a screenshot of each state to look at."""
import os
from pathlib import Path

import numpy as np
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import calcviz as cv
from studio import render as r
from tests.test_site import TINY_EXPLORERS, browser, served_site  # noqa: F401 — the fixtures

SANDPIT, STEPS = TINY_EXPLORERS["tiny_lesson"]
ONE_FRAME = 1 / 30  # a frame of the course's 30 fps clips (the tiny ones run at 5 fps: 0.2 s)


def shot(driver, tmp_path, name):
    folder = Path(os.environ.get("CALCVIZ_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}.png"))
    assert (folder / f"{name}.png").stat().st_size > 5_000


@pytest.fixture(autouse=True)
def fresh_log(browser):
    browser.get_log("browser")  # what earlier tests left there


def severe(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def presenter(driver):
    return driver.execute_script(
        "var p = document.getElementById('presenter'), v = document.getElementById('presenter-video');"
        "return {beat: +p.dataset.beat, phase: p.dataset.phase, time: v.currentTime, paused: v.paused,"
        "        src: v.currentSrc, hidden: p.hidden}")


def wait_beat(driver, beat, phase="done", timeout=15):
    WebDriverWait(driver, timeout).until(
        lambda d: (lambda s: s["beat"] == beat and s["phase"] == phase)(presenter(d)))
    return presenter(driver)


def keys(driver, *pressed):
    ActionChains(driver).send_keys(*pressed).perform()


def test_presenter_stops_at_each_beat_and_steps_back_and_forth(served_site, browser, tmp_path):
    site, media, plan = served_site
    meta = [__import__("json").loads(r.outputs(task)["meta"].read_text()) for task in plan]
    tiny, tiny_too = meta
    browser.get(site + "tiny_lesson.html")
    browser.execute_script("localStorage.clear()")
    browser.find_element(By.CSS_SELECTOR, ".lesson-head button.present").click()  # the whole lesson
    WebDriverWait(browser, 15).until(lambda d: d.execute_script(
        "return document.getElementById('presenter-video').readyState >= 1"))
    assert browser.current_url.endswith("#present") and presenter(browser)["phase"] == "ready"
    assert browser.find_element(By.ID, "presenter-beat").text == "Beat 1 of 4: Circle"
    shot(browser, tmp_path, "presenter-ready")

    keys(browser, Keys.SPACE)  # play beat 1: it stops within a frame of its end
    state = wait_beat(browser, 0)
    assert state["paused"] and abs(state["time"] - tiny["chapters"][0]["end"]) <= ONE_FRAME
    assert "done" in browser.find_element(By.ID, "presenter-status").text

    keys(browser, "n")  # the speaker notes: the narration of the beat
    notes = browser.find_element(By.ID, "presenter-notes")
    assert notes.is_displayed() and "A circle appears." in notes.text and "Next: Square" in notes.text
    shot(browser, tmp_path, "presenter-notes")

    keys(browser, Keys.ARROW_RIGHT)  # beat 2, the clip's last
    state = wait_beat(browser, 1)
    assert state["paused"] and abs(state["time"] - tiny["chapters"][1]["end"]) <= ONE_FRAME
    assert "Now a square." in notes.text
    keys(browser, Keys.ARROW_RIGHT)  # on into the next clip
    state = wait_beat(browser, 2)
    assert "TinyToo" in state["src"] and abs(state["time"] - tiny_too["chapters"][0]["end"]) <= ONE_FRAME
    keys(browser, Keys.ARROW_LEFT)  # ← replays the previous beat: back in the first clip
    WebDriverWait(browser, 10).until(lambda d: presenter(d)["beat"] == 1)
    state = wait_beat(browser, 1)
    assert "/Tiny." in state["src"] and abs(state["time"] - tiny["chapters"][1]["end"]) <= ONE_FRAME
    assert browser.find_element(By.ID, "presenter-beat").text == "Beat 2 of 4: Square"

    keys(browser, Keys.ESCAPE)
    assert presenter(browser)["hidden"] and not browser.current_url.endswith("#present")
    watched = browser.execute_script("return JSON.parse(localStorage.getItem('calcviz.watched'))")
    assert watched == {"tiny_lesson/Tiny": True}  # its last beat was played through
    assert severe(browser) == []

    # one clip alone, from its own button
    browser.find_element(By.CSS_SELECTOR, "#TinyToo button.present").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("#present=TinyToo"))
    assert browser.find_element(By.ID, "presenter-beat").text == "Beat 1 of 2: Circle"
    keys(browser, Keys.ESCAPE)
    assert severe(browser) == []


def node_offset(driver, svg, i, j, n):
    """Where grid node (x[j], y[i]) is drawn, as an offset from the picture's centre."""
    w, h = driver.execute_script("var b = arguments[0].getBoundingClientRect(); return [b.width, b.height]", svg)
    return j / (n - 1) * w - w / 2, (1 - i / (n - 1)) * h - h / 2


def test_sandpit_probes_show_the_core_depths_and_the_reveal_its_descent(served_site, browser, tmp_path):
    site, _, _ = served_site
    land, n = cv.landscape(SANDPIT.landscape), SANDPIT.n
    (x0, x1), (y0, y1) = land.domain
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    browser.get(site + "tiny_lesson.html#sandpit")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.getElementById('sandpit').dataset.ready === 'true'"))
    svg = browser.find_element(By.CSS_SELECTOR, "#sandpit svg.map")
    readout = browser.find_element(By.CSS_SELECTOR, "#sandpit [data-readout]")
    shot(browser, tmp_path, "sandpit-covered")

    # by keyboard: the cross starts in the middle; three right, two up, Enter
    svg.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_UP, Keys.ARROW_UP)
    assert readout.text == f"Cross at ({x[13]:.2f}, {y[12]:.2f})."
    svg.send_keys(Keys.ENTER)
    depth = land.value((x[13], y[12]))
    assert readout.text == f"Probe 1 of 3 at ({x[13]:.2f}, {y[12]:.2f}): depth {depth:.3f}.".replace("-", "−")
    first = browser.find_element(By.CSS_SELECTOR, "#sandpit [data-probes] li")
    assert float(first.get_attribute("data-depth")) == depth  # the core's number, not a rounded copy
    assert browser.find_element(By.CSS_SELECTOR, "#sandpit [data-counter]").text == "2 probes left"

    # by mouse, near two more nodes: each snaps to its node
    for k, (i, j) in enumerate([(3, 4), (16, 17)], start=2):
        dx, dy = node_offset(browser, svg, i, j, n)
        ActionChains(browser).move_to_element_with_offset(svg, dx + 2, dy - 2).click().perform()
        item = browser.find_elements(By.CSS_SELECTOR, "#sandpit [data-probes] li")[-1]
        assert item.get_attribute("data-node") == f"{i},{j}"
        assert float(item.get_attribute("data-depth")) == land.value((x[j], y[i]))
        if k == 2:
            shot(browser, tmp_path, "sandpit-probed")

    # the reveal: the path gradient descent took from the first probe, as the core computed it
    run = cv.minimize(land, "gradient_descent", (x[13], y[12]), steps=SANDPIT.steps, tol=1e-3, lr=SANDPIT.lr)
    path = browser.find_element(By.CSS_SELECTOR, "#sandpit polyline[data-path]")
    assert path.get_attribute("data-path") == str(12 * n + 13)
    w, h = (float(v) for v in svg.get_dom_attribute("viewBox").split()[2:])
    drawn = np.array([[float(c) for c in p.split(",")] for p in path.get_attribute("points").split()])
    drawn = np.column_stack([x0 + drawn[:, 0] / w * (x1 - x0), y1 - drawn[:, 1] / h * (y1 - y0)])
    assert drawn.shape == run.points.shape and np.allclose(drawn, run.points, atol=0.01)
    words = browser.find_element(By.CSS_SELECTOR, "#sandpit .path-words").text
    assert cv.verdict(run)[1] in words and f"depth {run.fun:.3f}".replace("-", "−") in words
    assert ("It found the deepest valley." in words) == land.reached_deepest_valley(run.x)
    assert browser.find_element(By.CSS_SELECTOR, "#sandpit [data-legend]").is_displayed()
    shot(browser, tmp_path, "sandpit-revealed")

    browser.find_element(By.CSS_SELECTOR, '#sandpit [data-action="reset"]').click()
    assert browser.find_elements(By.CSS_SELECTOR, "#sandpit [data-probes] li") == []
    assert severe(browser) == []


def test_the_step_size_slider_shows_what_minimize_returned_at_each_rate(served_site, browser, tmp_path):
    site, _, _ = served_site
    browser.get(site + "tiny_lesson.html#step-size")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.getElementById('step-size').dataset.ready === 'true'"))
    slider = browser.find_element(By.CSS_SELECTOR, "#step-size input.rate")
    verdict = browser.find_element(By.CSS_SELECTOR, "#step-size [data-verdict]")
    slider.send_keys(Keys.HOME)
    seen = set()
    for k, lr in enumerate(STEPS.rates):
        if k:
            slider.send_keys(Keys.ARROW_RIGHT)
        run = cv.minimize(STEPS.landscape, "gradient_descent", STEPS.start, steps=STEPS.steps, lr=lr)
        assert browser.find_element(By.CSS_SELECTOR, "#step-size [data-eta]").text == f"η = {lr:g}"
        assert (verdict.get_attribute("data-status"), int(verdict.get_attribute("data-nit"))) == (run.status.name, run.nit)
        assert verdict.text == cv.verdict(run)[1]
        assert slider.get_attribute("aria-valuetext") == f"η = {lr:g}: {cv.verdict(run)[1]}"
        words = browser.find_element(By.CSS_SELECTOR, "#step-size [data-words]").text
        assert f"Status {run.status.name} ({run.nit} step" in words
        (x0, x1), (y0, y1) = cv.landscape(STEPS.landscape).domain
        on_map = next((k for k, (x, y) in enumerate(run.points) if not (x0 <= x <= x1 and y0 <= y <= y1)), None)
        dots = browser.find_elements(By.CSS_SELECTOR, "#step-size svg g circle")
        assert len(dots) == (run.nit if on_map is None else on_map - 1)  # a footprint for every step on the map
        assert (f"It left the map at step {on_map}." in words) == (on_map is not None)
        regime = cv.verdict(run)[0]
        if regime not in seen:
            shot(browser, tmp_path, f"step-size-{regime}")
        seen.add(regime)
    assert {"crawls", "converged", "zig-zags", "diverged"} <= seen
    assert severe(browser) == []


def serious(driver):
    axe = Axe(driver)
    axe.inject()
    found = axe.run()["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            if v["impact"] in ("serious", "critical")]


def test_axe_finds_nothing_serious_on_the_index_a_lesson_and_presenter_mode(served_site, browser, tmp_path):
    site, _, _ = served_site
    browser.get(site + "index.html")
    assert serious(browser) == []
    browser.get(site + "tiny_lesson.html")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.querySelectorAll('section.explorer[data-ready]').length === 2"))
    assert serious(browser) == []
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, tmp_path, "lesson")
    browser.get(site + "tiny_lesson.html#present=Tiny")
    WebDriverWait(browser, 10).until(lambda d: not presenter(d)["hidden"])
    assert serious(browser) == []
    assert severe(browser) == []


# --- the two editions ----------------------------------------------------------------------------------
def lang_of(driver):
    return driver.execute_script("return document.documentElement.lang")


def wait_tracks(driver, selector, timeout=20):
    """The text tracks of the video, each {language, label, kind, mode, first cue} once its cues load."""
    script = ("var v = document.querySelector(arguments[0]);"
              "return Array.from(v.textTracks).map(t => ({language: t.language, label: t.label, kind: t.kind,"
              " mode: t.mode, cue: t.cues && t.cues.length ? t.cues[0].text : null}))")
    driver.execute_script("Array.from(document.querySelector(arguments[0]).textTracks)"
                          ".forEach(t => { if (t.mode === 'disabled') t.mode = 'hidden'; })", selector)
    WebDriverWait(driver, timeout).until(lambda d: all(t["cue"] for t in d.execute_script(script, selector)))
    return driver.execute_script(script, selector)


def test_the_language_switch_leads_to_the_indonesian_edition_and_back(served_site, browser, tmp_path):
    from tests.test_site import ENGLISH_UI, LESSON
    site, _, _ = served_site
    browser.get(site + "index.html")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    assert lang_of(browser) == "en"
    shot(browser, tmp_path, "en-index")
    # the switch by keyboard: the skip link, then the switch
    ActionChains(browser).send_keys(Keys.TAB, Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert (focused.text, focused.get_attribute("hreflang"), focused.get_attribute("lang")) == ("⇄ Bahasa Indonesia", "id", "id")
    assert focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/site/id/index.html"))
    assert lang_of(browser) == "id"
    assert browser.title == "Video pelajaran — Kalkulus Multivariabel untuk Pembelajaran Mesin"
    steps = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "ol.roadmap h2")]
    assert steps[0] == "1 Geseran kecil" and len(steps) == 4
    card = browser.find_element(By.CSS_SELECTOR, '[data-lesson="tiny_lesson"]')
    assert "0 dari 3 klip sudah ditonton" in card.text
    assert [a.text for a in card.find_elements(By.CSS_SELECTOR, ".explore a")] == ["Bak pasir", "Seberapa besar langkahnya?"]
    shot(browser, tmp_path, "id-index")
    assert severe(browser) == []

    # the Indonesian lesson: its clip with Indonesian captions (default), chapters, the explorers' words
    card.find_element(By.LINK_TEXT, LESSON.title).click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/site/id/tiny_lesson.html"))
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelectorAll('section.explorer[data-ready]').length === 2 "
        "&& document.getElementById('v1').readyState >= 1"))
    tracks = wait_tracks(browser, "#Tiny video")
    assert [(t["language"], t["label"], t["kind"]) for t in tracks] == [("id", "Bahasa Indonesia", "captions"),
                                                                        ("id", "", "chapters")]
    assert tracks[0]["mode"] == "showing" and tracks[0]["cue"] == "Sebuah lingkaran muncul." and tracks[1]["cue"] == "Lingkaran"
    assert [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#Tiny button.chapter")] == ["0:00 Lingkaran", "0:01 Persegi"]
    assert browser.find_elements(By.CSS_SELECTOR, "#TinyToo video") == []  # rendered in English only
    assert browser.find_element(By.CSS_SELECTOR, "#TinyToo a[hreflang=en]").get_attribute("href").endswith(
        "/site/tiny_lesson.html#TinyToo")
    # the sandpit speaks Indonesian and writes numbers with a decimal comma
    land, n = cv.landscape(SANDPIT.landscape), SANDPIT.n
    (x0, x1), (y0, y1) = land.domain
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    svg = browser.find_element(By.CSS_SELECTOR, "#sandpit svg.map")
    svg.send_keys(Keys.ARROW_RIGHT)

    def id_number(v):
        return f"{v:.2f}".replace(".", ",").replace("-", "−")
    assert browser.find_element(By.CSS_SELECTOR, "#sandpit [data-readout]").text == \
        f"Tanda silang di ({id_number(x[11])}; {id_number(y[10])})."
    svg.send_keys(Keys.ENTER)
    assert browser.find_element(By.CSS_SELECTOR, "#sandpit [data-counter]").text == "Sisa 2 tusukan"
    slider = browser.find_element(By.CSS_SELECTOR, "#step-size input.rate")
    slider.send_keys(Keys.END)
    run = cv.minimize(STEPS.landscape, "gradient_descent", STEPS.start, steps=STEPS.steps, lr=STEPS.rates[-1])
    assert browser.find_element(By.CSS_SELECTOR, "#step-size [data-eta]").text == "η = 0,25"
    from studio.site import translate_verdict
    assert browser.find_element(By.CSS_SELECTOR, "#step-size [data-verdict]").text == translate_verdict(list(cv.verdict_message(run)[1:]), "id")
    words = browser.find_element(By.CSS_SELECTOR, "#step-size [data-words]").text
    assert words.startswith(f"η = 0,25: divergen setelah {run.nit} langkah: langkah ke-{run.stopped_at} melampaui batas. "
                            "Status DIVERGEN (")
    browser.execute_script("document.getElementById('sandpit').scrollIntoView()")
    shot(browser, tmp_path, "id-sandpit")
    browser.execute_script("document.getElementById('step-size').scrollIntoView()")
    shot(browser, tmp_path, "id-step-size")
    # no English word of the page's own, once its scripts have written theirs
    text = browser.find_element(By.TAG_NAME, "body").text
    for words in (LESSON.title, LESSON.summary, *(e.teaches for e in LESSON.scenes), "Tiny too", "Never rendered",
                  "Tiny", "English"):
        text = text.replace(words, " ")
    assert [w for w in ENGLISH_UI if __import__("re").search(rf"\b{w.strip()}\b", text)] == []
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, tmp_path, "id-lesson")
    # presenter mode in Indonesian
    browser.find_element(By.CSS_SELECTOR, '#Tiny button[data-present="Tiny"]').click()
    WebDriverWait(browser, 10).until(lambda d: not presenter(d)["hidden"])
    assert browser.find_element(By.ID, "presenter-beat").text == "Bagian 1 dari 2: Lingkaran"
    WebDriverWait(browser, 10).until(lambda d: "Spasi atau → memutarnya." in d.find_element(By.ID, "presenter-status").text)
    shot(browser, tmp_path, "id-presenter")
    keys(browser, Keys.ESCAPE)
    assert severe(browser) == []

    # back to English by the switch, at the same place on the page
    browser.get(site + "id/tiny_lesson.html#sandpit")
    switch = browser.find_element(By.CSS_SELECTOR, "a[data-switch]")
    assert switch.get_attribute("href") == site + "tiny_lesson.html#sandpit"
    switch.click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url == site + "tiny_lesson.html#sandpit")
    assert lang_of(browser) == "en"
    tracks = wait_tracks(browser, "#Tiny video")
    assert [(t["language"], t["label"], t["kind"]) for t in tracks] == [
        ("en", "English", "captions"), ("id", "Bahasa Indonesia", "captions"), ("en", "", "chapters")]
    assert tracks[0]["mode"] == "showing" and tracks[1]["cue"] == "Sebuah lingkaran muncul."
    too = browser.execute_script("return Array.from(document.querySelector('#TinyToo video').textTracks).map(t => t.language)")
    assert too == ["en", "en"]  # no TinyToo.id.vtt: no Indonesian track
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, tmp_path, "en-lesson")
    assert severe(browser) == []


def test_axe_finds_nothing_serious_in_the_indonesian_edition(served_site, browser):
    site, _, _ = served_site
    browser.get(site + "id/index.html")
    assert serious(browser) == []
    browser.get(site + "id/tiny_lesson.html")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.querySelectorAll('section.explorer[data-ready]').length === 2"))
    assert serious(browser) == []
    assert severe(browser) == []
