"""The command line: a bad input is one line on stderr and exit status 2, before any work starts;
``calcviz check`` also takes scenes that are not in the catalogue yet (path/to/file.py[:Scene])."""
import re
import socket

import pytest

from scenes.catalogue import ROOT
from studio import cli

TINY = ROOT / "tests" / "fixtures" / "tiny_lesson.py"
SLOW = ROOT / "tests" / "fixtures" / "slow_lesson.py"


@pytest.fixture(autouse=True)
def no_work(monkeypatch):
    """Planning (cache keys) or rendering is work: a rejected command line must not get there."""
    def refuse(*args, **kwargs):
        raise AssertionError("work started before the command line was validated")
    monkeypatch.setattr(cli, "plan", refuse)
    monkeypatch.setattr(cli, "render_all", refuse)


def run(argv) -> int:
    try:
        return cli.main(argv)
    except SystemExit as e:  # argparse exits; main returns
        return e.code


def one_line_error(capsys, argv) -> str:
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 2, f"calcviz {' '.join(argv)} → exit {code}; stderr: {err!r}"
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def bad(prefix, values, flag=None):
    return [[*prefix, *([flag] if flag else []), v] for v in values]


SYNTAX_ERROR = "syntax_error.py"      # written into tmp_path by the test
NOT_A_LESSON = "not_a_lesson.py"
BAD_INPUTS = {
    "render -j/--jobs": bad(["render"], ["0", "-3", "x", "1.5", "", "nan"], "-j") + [["render", "--jobs=-1"]],
    "render -q/--quality": bad(["render"], ["z", "M", "", "720p"], "-q"),
    "render --format": bad(["render"], ["mov", "MP4", ""], "--format") + [["render", "--format"]],
    "render --scheduler (malformed)": bad(["render"], ["nonsense", "tcp://", "tcp://127.0.0.1:notaport",
                                                        "http://127.0.0.1:8786", ""], "--scheduler"),
    "render --media": [["render", "--media", str(TINY)], ["render", "--media", "/no/such/folder/media"],
                       ["render", "--media", ""]],
    "render names": bad(["render"], ["NoSuchScene", "nudge", "secanttotangent", f"{TINY}:Nope", f"{TINY}:",
                                     f"{TINY}:Circle", "tests/fixtures/no_such.py", f"{TINY}x",
                                     str(ROOT / "tests" / "fixtures" / "__init__.py"), SYNTAX_ERROR,
                                     NOT_A_LESSON]),
    "check names": bad(["check"], ["NoSuchScene", "nudges.py", f"{TINY}:Nope", f"{TINY}:Circle",
                                   "tests/fixtures/no_such.py:Tiny", SYNTAX_ERROR]),
    "settings names": bad(["settings"], ["NoSuchScene", f"{SLOW}:Nope"]),
    "serve --port": bad(["serve"], ["-1", "65536", "x", "80.5", "", "99999999999"], "--port"),
    "site/stills -q": [["site", "-q", "z"], ["stills", "-q", "8k"]],
    "clean": bad(["clean"], ["pictures", "", "Voice"], "--kind") + [["clean", "--kind"], ["clean", "voice"],
                                                                   ["clean", "--media", "/no/such/folder/media"]],
    "command": [[], ["frobnicate"], ["render", "--no-such-option"]],
}


@pytest.mark.parametrize("argv", [pytest.param(a, id=" ".join(a).replace(f"{ROOT}/", "") or "(no command)")
                                  for argvs in BAD_INPUTS.values() for a in argvs])
def test_a_bad_input_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv):
    (tmp_path / SYNTAX_ERROR).write_text("class Oops(:\n")
    (tmp_path / NOT_A_LESSON).write_text("from manim import Scene\n\n\nclass Plain(Scene):\n    pass\n")
    monkeypatch.chdir(tmp_path)
    message = one_line_error(capsys, argv)
    assert message.startswith("calcviz")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "tcp://no-such-host.invalid:8786"])
def test_an_unreachable_scheduler_is_one_line_within_seconds(capsys, monkeypatch, address):
    """One attempt to reach the scheduler, given 3 s, then one line: counted, not timed (a loaded
    machine may take longer to import dask, and that is no fault of the command)."""
    from dask import distributed
    tries = []

    def client(*args, **kwargs):
        tries.append((args, kwargs))
        return real_client(*args, **kwargs)
    real_client = distributed.Client
    monkeypatch.setattr(distributed, "Client", client)
    message = one_line_error(capsys, ["render", "--scheduler", address])
    assert len(tries) == 1, tries
    (to,), options = tries[0]
    assert to == address and options.get("timeout") == 3.0
    assert address in message and "scheduler" in message


def test_a_port_in_use_is_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        message = one_line_error(capsys, ["serve", "--port", str(taken.getsockname()[1])])
    assert "port" in message


def test_unknown_names_are_named(capsys):
    assert "'NoSuchScene'" in one_line_error(capsys, ["check", "NoSuchScene"])
    assert "calcviz list" in one_line_error(capsys, ["render", "Tiny", "NoSuchScene"])
    assert "no scene 'Nope'" in one_line_error(capsys, ["check", f"{TINY}:Nope"])
    assert "not a LessonScene" in one_line_error(capsys, ["check", f"{TINY}:Circle"])


def test_check_a_scene_from_its_file(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)  # a path as a course author would type it, relative to where they are
    assert run(["check", "tests/fixtures/tiny_lesson.py:Tiny"]) == 1  # a 1.2 s clip: too short
    out = capsys.readouterr().out
    assert re.search(r"^Tiny: [1-9]\d* beats checked, 2 sections", out, re.MULTILINE) and "length" in out
    assert re.search(r"^quality gate: [1-9]\d* beats checked, 1 scenes with problems", out, re.MULTILINE)


def test_check_every_lesson_scene_in_a_file(capsys):
    assert run(["check", str(TINY)]) == 1
    out = capsys.readouterr().out
    checked = [line.split(":")[0] for line in out.splitlines() if re.match(r"\w+: ", line)]
    assert checked[:3] == ["Tiny", "TinyToo", "Broken"]  # in the file's order; manim's log lines aside
    assert "Broken: RuntimeError: this scene fails on purpose (tiny_lesson.py:" in out  # one line
    assert "Traceback" not in out and f"{len(checked)} scenes with problems" in out


def test_a_new_scene_that_passes_the_gate_passes(capsys, tmp_path):
    draft = tmp_path / "draft.py"
    draft.write_text(
        "from manim import Circle, FadeIn, Square, Triangle\n"
        "from scenes.kit.lesson import LessonScene\n\n\n"
        "class Draft(LessonScene):\n"
        "    def construct(self):\n"
        "        for name, shape in [('One', Circle), ('Two', Square), ('Three', Triangle)]:\n"
        "            self.beat(name)\n"
        "            self.play(FadeIn(shape()))\n"
        "            self.hold(6)\n")
    assert run(["check", f"{draft}:Draft"]) == 0
    assert "Draft: 6 beats checked, 3 sections, 21.0 s of video, 0 problems" in capsys.readouterr().out


def test_settings_of_a_scene_from_its_file(capsys):
    assert run(["settings", f"{SLOW}:Slow"]) == 0
    assert "seconds" in capsys.readouterr().out


def test_render_help_documents_media(capsys):
    assert run(["render", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--media DIR" in out and "file.py" in out
