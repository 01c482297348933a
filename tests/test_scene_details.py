"""Golden frames, determinism, what scenes drew, and how they reject bad settings.

Golden frames are the last frame of key scenes at 320×180. After an intended visual
change, regenerate them and look at the new PNGs before committing:

    CALCVIZ_UPDATE_GOLDEN=1 ./course test tests/test_scene_details.py -k golden
"""
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import scenes.nudges
from calcviz.functions import function
from scenes.catalogue import ROOT, find, scene_class
from scenes.kit.lesson import LessonMixin
from tests.rendering import frames, render

GOLDEN_DIR = ROOT / "tests" / "golden"
GOLDEN_SCENES = ["CourseRoadmap", "SecantToTangent", "DerivativeAsFunction", "ProductRuleArea", "FiniteDifferenceError"]
UPDATE = bool(os.environ.get("CALCVIZ_UPDATE_GOLDEN"))


def last_frame(scene_cls, tmp_path) -> np.ndarray:
    _, png = render(scene_cls, tmp_path, width=320, height=180, last_frame=True)
    return np.asarray(Image.open(png).convert("RGB"))


def frame_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels whose colour moved by more than 24 levels (antialiasing noise stays below)."""
    if a.shape != b.shape:
        return 1.0
    return float((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 24).mean())


TOLERANCE = 0.002  # 0.2 % of pixels


@pytest.mark.parametrize("name", GOLDEN_SCENES)
def test_golden_last_frame(name, tmp_path):
    image = last_frame(scene_class(*find(name)), tmp_path)
    golden = GOLDEN_DIR / f"{name}.png"
    if UPDATE:
        Image.fromarray(image).save(golden)
    assert golden.exists(), f"no golden frame {golden.name}; create it with CALCVIZ_UPDATE_GOLDEN=1"
    diff = frame_difference(image, np.asarray(Image.open(golden).convert("RGB")))
    assert diff <= TOLERANCE, f"{name}: {diff:.2%} of pixels differ from {golden.name}"


def test_golden_comparison_catches_a_changed_colour(tmp_path, monkeypatch):
    monkeypatch.setattr(scenes.nudges, "SLOPE", scenes.nudges.CONSTRAINT)
    image = last_frame(scenes.nudges.SecantToTangent, tmp_path)
    golden = np.asarray(Image.open(GOLDEN_DIR / "SecantToTangent.png").convert("RGB"))
    assert frame_difference(image, golden) > TOLERANCE


def test_same_command_gives_the_same_video(tmp_path):
    _, first = render(scenes.nudges.SecantToTangent, tmp_path / "a")
    _, second = render(scenes.nudges.SecantToTangent, tmp_path / "b")
    assert np.array_equal(frames(first), frames(second))


def test_secant_scene_shows_the_core_numbers(tmp_path):
    scene, _ = render(scenes.nudges.SecantToTangent, tmp_path, last_frame=True)
    fn, x, dx = function("cubic"), 2.0, 0.5**5  # defaults: first nudge 1, halved 5 times
    expected_secant = (fn.f(x + dx) - fn.f(x)) / dx
    assert scene.slope_readout.number.get_value() == pytest.approx(expected_secant, rel=1e-12)
    assert scene.answer.number.get_value() == pytest.approx(0.75 * x**2 - 1, rel=1e-12)


@pytest.mark.parametrize("settings, message", [
    ({"function": "cosh"}, "setting function: 'cosh' is not one of: cubic, square"),
    ({"x": "nan"}, "setting x: 'nan' is not finite"),
    ({"x": 9}, "outside the domain [-3, 3] of cubic"),
    ({"halvings": 0}, "setting halvings: 0 is outside [1, 7]"),
    ({"speed": 2}, "unknown setting 'speed'; settings of SecantToTangent: function, x, dx, halvings"),
])
def test_bad_settings_stop_before_rendering(settings, message):
    with pytest.raises(SystemExit) as stop:
        scenes.nudges.SecantToTangent(settings=settings)
    assert message in str(stop.value) and "\n" not in str(stop.value)


def test_every_scene_validates_its_settings_before_rendering():
    from scenes.catalogue import all_scenes
    for lesson, entry in all_scenes():
        cls = scene_class(lesson, entry)
        assert issubclass(cls, LessonMixin)
        with pytest.raises(SystemExit, match="unknown setting 'no_such_setting'"):
            cls(settings={"no_such_setting": 1})


def test_manim_cli_reports_a_bad_setting_in_one_line(tmp_path):
    env = os.environ | {"CALCVIZ_SET": "function=cosh x=1"}
    done = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(tmp_path),
                           "scenes/nudges.py", "SecantToTangent"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines()[-1] == \
        "calcviz: SecantToTangent: setting function: 'cosh' is not one of: cubic, square, sine, exp, wave"
    assert not list(tmp_path.rglob("*.mp4"))


def test_settings_file_and_environment(tmp_path, monkeypatch):
    cfg = tmp_path / "course.toml"
    cfg.write_text('[SecantToTangent]\nfunction = "sine"\nx = 0.5\n')
    monkeypatch.setenv("CALCVIZ_CONFIG", str(cfg))
    monkeypatch.setenv("CALCVIZ_SET", "x=1.0")
    scene = scenes.nudges.SecantToTangent()
    assert dict(scene.settings) == {"function": "sine", "x": 1.0, "dx": 1.0, "halvings": 5}


def test_manim_cli_last_frame_works_from_the_repo_root(tmp_path):
    done = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-s", "--media_dir", str(tmp_path),
                           "scenes/nudges.py", "FiniteDifferenceError"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    [png] = list(tmp_path.rglob("FiniteDifferenceError*.png"))
    assert Image.open(png).size == (854, 480)


@pytest.mark.parametrize("scene, settings, message", [
    ("HikerInTheDark", {"landscape": "everest"}, "setting landscape: 'everest' is not one of: bowl, saddle"),
    ("HikerInTheDark", {"lr": "nan"}, "setting lr: 'nan' is not finite"),
    ("HikerInTheDark", {"x": 1e9}, "setting x"),
    ("LearningRateRegimes", {"lr_large": 0.05}, "the learning rates must grow"),
    ("LearningRateRegimes", {"lr_zigzag": 0.201}, "but diverging: f rose from"),  # |1 − 2.01| > 1: no zig-zag panel
    ("HikerInTheDark", {"landscape": "bowl", "x": 0, "y": 0.001, "lr": 0.205}, "climbs instead of descending"),
    ("KeelingCurveFit", {"method": "newton"}, "setting method: 'newton' is not one of"),
    ("HeightsGaussianFit", {"start": "70,0.5"}, "setting start"),
    ("TrainingTheNetwork", {"data": "mnist"}, "setting data: 'mnist' is not one of"),
    ("TrainingTheNetwork", {"steps": 0}, "setting steps: 0 is outside"),
])
def test_every_lesson_rejects_bad_settings_in_one_line(scene, settings, message):
    with pytest.raises(SystemExit) as stop:
        scene_class(*find(scene))(settings=settings)
    assert message in str(stop.value) and "\n" not in str(stop.value)
