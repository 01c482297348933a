"""Scenes speak the shared visual language: colour by meaning, never raw colour constants."""
import re
from pathlib import Path

import manim.utils.color.manim_colors as manim_colors
import pytest

SCENES_DIR = Path(__file__).resolve().parent.parent / "scenes"
RAW_NAMES = sorted((n for n in dir(manim_colors) if n.isupper() and not n.startswith("_")), key=len, reverse=True)
RAW = re.compile(r"\b(" + "|".join(RAW_NAMES) + r")\b|#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b|\brgb_to_color\b")
# every lesson and every kit module but style.py, where the colours are named
LESSON_MODULES = [p for p in sorted([*SCENES_DIR.glob("*.py"), *SCENES_DIR.glob("kit/*.py")])
                  if p.name not in ("style.py", "__init__.py")]


def raw_colours(source: str) -> list[str]:
    code = "\n".join(line.split("#", 1)[0] if not re.search(r"#[0-9A-Fa-f]{3,6}\b", line) else line
                     for line in source.splitlines())
    return [m.group(0) for m in RAW.finditer(code)]


@pytest.mark.parametrize("path", LESSON_MODULES, ids=lambda p: p.name)
def test_scene_module_uses_only_shared_colour_names(path):
    assert raw_colours(path.read_text()) == [], f"{path.name}: use the colour names in scenes/kit/style.py"


def test_the_check_catches_raw_colours():
    assert raw_colours("dot = Dot(color=YELLOW)") == ["YELLOW"]
    assert raw_colours("line.set_color('#F0E442')") == ["#F0E442"]
    assert raw_colours("dot = Dot(color=SLOPE)  # the slope, yellow") == []
