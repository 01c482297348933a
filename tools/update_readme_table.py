"""Rewrite the README's table of scenes from scenes/catalogue.py (between the two markers)."""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scenes.catalogue import LESSONS, ROOT  # noqa: E402

START, END = "<!-- scene table: tools/update_readme_table.py -->", "<!-- end of scene table -->"


def table() -> str:
    rows = ["| step | lesson | scene | what it teaches | render it alone |", "|---|---|---|---|---|"]
    for lesson in LESSONS:
        for e in lesson.scenes:
            rows.append(f"| {lesson.step} | {lesson.title} | `{e.name}` | {e.teaches} | "
                        f"`manim -qm scenes/{lesson.slug}.py {e.name}` |")
    stills = [f"![{lesson.title}](media/readme/{lesson.slug}.png)" for lesson in LESSONS
              if (ROOT / "media" / "readme" / f"{lesson.slug}.png").exists()]
    return "\n".join([START, *rows, "", *stills, END])


if __name__ == "__main__":
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: table(), text, flags=re.S)
    readme.write_text(new)
    print("README table:", "updated" if new != text else "unchanged")
