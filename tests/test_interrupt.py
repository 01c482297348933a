"""Ctrl-C stops a render: every process it started is gone (long before the render could have ended;
how long it took is printed, not asserted: a loaded machine must not fail the suite), no scratch folder
is left, the previous outputs are byte-identical, and calcviz exits 130 with a one-line summary.

A real ``calcviz render`` runs in a session of its own, as in a terminal; the test sends SIGINT to its
process group, as a terminal's Ctrl-C does, while a scene is still rendering.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scenes.catalogue import ROOT

CALCVIZ = Path(sys.executable).with_name("calcviz")
TINY = ROOT / "tests" / "fixtures" / "tiny_lesson.py"
SLOW = ROOT / "tests" / "fixtures" / "slow_lesson.py"
STOP_WAIT = 30.0  # seconds the stopped render may take to go: it had 600 s of frames left, so only a
                  # render that was not stopped takes this long, not a busy machine


def session_processes(sid: int) -> list[str]:
    """The live processes of a session, as 'pid command' (a zombie has exited; it waits to be reaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except OSError:
            continue
        state, _ppid, _pgrp, session = stat[stat.rindex(")") + 2:].split()[:4]
        if int(session) == sid and state != "Z":
            found.append(f"{entry.name} {command}")
    return found


def calcviz_render(media: Path, settings: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([str(CALCVIZ), "render", "-q", "l", "--no-site", "--media", str(media), *args],
                            cwd=ROOT, env=os.environ | {"CALCVIZ_CONFIG": str(settings)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def outputs(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_ctrl_c_stops_the_render_and_keeps_the_previous_outputs(tmp_path):
    media, settings = tmp_path / "media", tmp_path / "settings.toml"
    course = media / "course" / "480p15"
    settings.write_text("[Slow]\nseconds = 1\n")
    first = calcviz_render(media, settings, f"{SLOW}:Slow")
    assert first.wait(timeout=120) == 0, first.communicate()
    before = outputs(course / "slow_lesson")
    assert course / "slow_lesson" / "Slow.mp4" in before

    settings.write_text("[Slow]\nseconds = 600\n")  # a new cache key, and minutes of frames to render
    render = calcviz_render(media, settings, "-j", "2", f"{TINY}:Tiny", f"{SLOW}:Slow")
    try:
        deadline = time.monotonic() + 60
        # signal once the tiny scene is published and the slow one is rendering in its scratch folder
        while not ((course / "tiny_lesson" / "Tiny.json").exists()
                   and list((course / "slow_lesson").glob(".Slow-*"))):
            assert render.poll() is None, render.communicate()
            assert time.monotonic() < deadline, "the render did not get going"
            time.sleep(0.1)
        time.sleep(1.0)
        assert any("manim render" in p for p in session_processes(render.pid)), "nothing was rendering"
        os.killpg(render.pid, signal.SIGINT)
        sent = time.monotonic()
        while session_processes(render.pid) and time.monotonic() - sent < STOP_WAIT:
            time.sleep(0.02)
        stopped = time.monotonic() - sent
        left = session_processes(render.pid)
        print(f"every process gone {stopped:.2f} s after SIGINT")
        assert not left, f"{stopped:.1f} s after Ctrl-C still running: {left}"
        out, err = render.communicate(timeout=5)
    finally:
        for process in session_processes(render.pid):  # a failed test leaves nothing running
            os.kill(int(process.split()[0]), signal.SIGKILL)

    assert render.returncode == 130, (out, err)
    assert len(err.strip().splitlines()) == 1, err  # one line, no traceback
    summary = err.strip()
    assert summary.startswith("calcviz: interrupted") and "1 of 2 scenes ready" in summary, summary
    assert "done   Tiny" in out
    assert not [p for p in media.rglob(".*")], "scratch left behind"
    assert outputs(course / "slow_lesson") == before, "the previous outputs changed"
