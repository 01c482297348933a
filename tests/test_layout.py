"""Rooms, imports pointing down only: studio → scenes → scenes.kit → calcviz; labs → calcviz (and the catalogue).

Each package's modules are imported in a fresh interpreter, and we look at which of the
other rooms came along.
"""
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scenes.catalogue import ROOT
from studio import render

ROOMS = {  # a room, and the rooms it must never pull in
    "calcviz": ("manim", "scenes", "studio"),
    "scenes.kit": ("scenes.catalogue", "studio", *(f"scenes.{p.stem}" for p in (ROOT / "scenes").glob("*.py")
                                                     if p.stem != "__init__")),
    "scenes": ("studio",),
    "studio": (),
    # the labs: the core and the catalogue's words, never manim, a lesson or the studio
    "labs": ("manim", "studio", *(f"scenes.{p.stem}" for p in (ROOT / "scenes").glob("*.py")
                                  if p.stem not in ("__init__", "catalogue"))),
}


def modules_of(package: str) -> list[str]:
    path = ROOT.joinpath(*package.split("."))
    return [m.name for m in pkgutil.iter_modules([str(path)], package + ".")]


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = ("import json, sys; " + "; ".join(f"import {m}" for m in modules)
            + "; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("room", [r for r, banned in ROOMS.items() if banned])
def test_imports_point_down_only(room):
    loaded = loaded_after_importing(modules_of(room))
    wrong = sorted(m for m in loaded for banned in ROOMS[room] if m == banned or m.startswith(banned + "."))
    assert wrong == [], f"{room} pulls in {wrong}"


def test_the_check_sees_an_upward_import(tmp_path):
    # the rule can fail: a kit module that imports the studio is caught
    assert "studio.render" in loaded_after_importing(["scenes.kit.style", "studio.render"])


def test_every_room_has_its_modules():
    assert {"cli", "render", "publish", "gate", "site"} <= {m.rsplit(".", 1)[1] for m in modules_of("studio")}
    assert {"style", "lesson", "draw", "surface"} <= {m.rsplit(".", 1)[1] for m in modules_of("scenes.kit")}


# --- the render cache follows what a scene really imports ---------------------------------------
@pytest.fixture
def project_copy(tmp_path):
    for name in ("calcviz", "scenes"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manim.cfg", tmp_path / "manim.cfg")
    return tmp_path


def keys(root: Path) -> dict[str, str]:
    chosen = [(str(root / "scenes" / "descent.py"), "HikerInTheDark"),
              (str(root / "scenes" / "nudges.py"), "SecantToTangent")]
    return {t.scene: t.key for t in render.plan(chosen, "l", ("mp4",), root / "media", root=root, env={})}


def test_touching_the_surface_re_renders_only_the_scenes_that_draw_with_it(project_copy):
    before = keys(project_copy)
    with (project_copy / "scenes" / "kit" / "surface.py").open("a") as f:
        f.write("\n# touched\n")
    after = keys(project_copy)
    assert after["HikerInTheDark"] != before["HikerInTheDark"]   # draws with the 3-D surface
    assert after["SecantToTangent"] == before["SecantToTangent"]  # does not import it


def test_touching_a_shared_kit_module_or_the_core_re_renders_both(project_copy):
    before = keys(project_copy)
    with (project_copy / "scenes" / "kit" / "style.py").open("a") as f:
        f.write("\n# touched\n")
    middle = keys(project_copy)
    assert all(middle[s] != before[s] for s in before)
    with (project_copy / "calcviz" / "data" / "galton_heights.csv").open("a") as f:
        f.write("\n")
    assert all(keys(project_copy)[s] != middle[s] for s in before)


def test_a_scene_depends_on_what_it_imports_through_other_modules():
    deps = {p.relative_to(ROOT).as_posix() for p in render.dependencies(ROOT / "scenes" / "descent.py")}
    assert {"scenes/descent.py", "scenes/kit/surface.py", "scenes/kit/lesson.py", "scenes/kit/settings.py",
            "calcviz/__init__.py", "calcviz/optimizers.py", "calcviz/data/galton_heights.csv", "manim.cfg"} <= deps
    assert not any(d.startswith("studio/") for d in deps)
    assert "scenes/kit/surface.py" not in {p.relative_to(ROOT).as_posix()
                                           for p in render.dependencies(ROOT / "scenes" / "nudges.py")}
