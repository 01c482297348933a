"""Every scene in the catalogue, rendered for real (small and fast) and run through the gate."""
import json

import numpy as np
import pytest

from scenes.catalogue import LESSONS, all_scenes, scene_class
from scenes.kit.pronounce import speakable, unspeakable
from studio.gate import check_scene
from tests.rendering import frames, is_blank, probe, render

SCENES = [pytest.param(lesson, entry, id=entry.name) for lesson, entry in all_scenes()]


@pytest.mark.parametrize("lesson, entry", SCENES)
def test_scene_renders_a_real_clip(lesson, entry, tmp_path):
    scene, video = render(scene_class(lesson, entry), tmp_path)
    info = probe(video)
    assert info["codec_name"] == "h264"
    assert 20 <= info["duration"] <= 60, f"{entry.name} runs {info['duration']:.1f} s (want 20–60 s)"
    clip = frames(video)
    blank = [is_blank(f) for f in clip]
    assert not any(blank[len(blank) // 4: 3 * len(blank) // 4]), "blank frames in the middle of the clip"
    assert sum(blank) <= 0.1 * len(blank), f"{sum(blank)} of {len(blank)} frames are blank"
    assert not np.array_equal(clip[0], clip[-1]), "the last frame equals the first"
    # narrated, with chapters
    srt = video.with_suffix(".srt")
    assert srt.exists() and srt.read_text().count("-->") >= 3, "fewer than 3 subcaptions"
    sections = json.loads(next(tmp_path.rglob(f"sections/{entry.name}.json")).read_text())
    assert len(sections) >= 2 and all(s["name"] != "autocreated" for s in sections)


@pytest.mark.parametrize("lesson, entry", SCENES)
def test_scene_passes_the_quality_gate(lesson, entry):
    report = check_scene(scene_class(lesson, entry))
    assert report.ok, report.summary()
    assert report.plays >= 5
    # every line the voice is given must be words it can say (tests/test_pronounce.py: the rules)
    mangled = {line: unspeakable(speakable(line)) for line in report.subcaptions}
    assert {line: chars for line, chars in mangled.items() if chars} == {}


@pytest.mark.parametrize("lesson, entry", SCENES)
def test_the_indonesian_edition_passes_the_quality_gate(lesson, entry, monkeypatch):
    """Indonesian runs longer than English: labels and captions must still fit, and no English is left
    on screen, in a caption or a chapter name (the gate's language rule)."""
    monkeypatch.setenv("CALCVIZ_LANG", "id")
    report = check_scene(scene_class(lesson, entry))
    assert report.ok, report.summary()
    mangled = {line: unspeakable(speakable(line, "id"), "id") for line in report.subcaptions}
    assert {line: chars for line, chars in mangled.items() if chars} == {}


def test_catalogue_is_ordered_and_complete():
    assert [lesson.step for lesson in LESSONS] == sorted(lesson.step for lesson in LESSONS)
    names = [entry.name for _, entry in all_scenes()]
    assert len(names) == len(set(names))
    for lesson in LESSONS:
        assert lesson.path.exists()
        for entry in lesson.scenes:
            cls = scene_class(lesson, entry)
            assert cls.__doc__ and f"scenes/{lesson.slug}.py {entry.name}" in cls.__doc__, \
                f"{entry.name}'s docstring should give its render command"


def test_readme_lists_every_scene_with_its_lesson():
    readme = (LESSONS[0].path.parent.parent / "README.md").read_text()
    for lesson, entry in all_scenes():
        assert f"`{entry.name}`" in readme, f"README's scene table lacks {entry.name}"
        assert f"scenes/{lesson.slug}.py" in readme
