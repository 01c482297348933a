"""The translation catalogues: extract, update, compile and count them with Babel.

``tools/translations update`` runs ``pybabel extract`` (keywords ``t``, ``t_tex``, ``N_`` and the
templates' ``_``) into ``locale/calcviz.pot``, then ``pybabel update`` (or ``init``) for each language
and ``pybabel compile``. Translations drafted elsewhere can wait in ``locale/<lang>/parts/*.po``: an
update fills the catalogue's empty entries from them (a way to translate several lessons at once).
"""
from __future__ import annotations

import fcntl
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from scenes.kit.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, ROOT, SOURCE_LANG, catalogue_paths

POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = ("t", "t_tex", "N_", "_", "gettext", "ngettext:1,2")
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


# Common English words that are not also Indonesian words: one of them in the Indonesian edition is a
# word left untranslated. (Not here, because Indonesian uses them too: data, parameter, bias, momentum,
# minimum, optimum, neuron, model, area, total, plus, minus, per, epoch, batch — and the glossary's names.)
ENGLISH_WORDS = frozenset("""
the and of to is are was were be been being with for on at by from this that these those it its as we you they
our your their not but or if then than when where what which who how why each every all one two three four
five six seven eight nine ten first second third last next step steps slope slopes gradient gradients
derivative derivatives learning rate rates error errors loss losses weight weights training train trained
valley hill hilltop start starts end ends after before down up left right fit fits fitted fitting curve
curves line lines point points value values small smaller smallest big bigger large larger new old true
false flat tangent secant nudge nudges shrink shrinks shrinking change changes changed steep steeper
steepest descent ascent network networks layer layers input inputs output outputs forward backward pass
chain rule rules product sum square function functions surface contour contours map landscape compass
direction height heights time times year years run runs ran walk walks walking still only just too very
much more less most least here there now again same other another both into over under through along
across away back never always so yes best worst good bad stop stops stopped grows grow growing moves move
moving see look keep make makes turns turn gets get has have had does do did can will would should must
zero half twice while until against between without within shadow dark hiker optimizer
constraint multiplier activation boundary decision residual residuals measurement measurements measured
record season seasons bell mean spread guess iterate iterates converged diverged diverges fails failed
jump jumps strip strips corner rise tiny whole close closer far farther circle circles
""".split())
WORD = re.compile(r"[A-Za-z]+")
CODE = re.compile(r"`[^`]*`|\$[^$]*\$|\b\w+(?:[_.]\w+)+\b|\b\w+\(")  # code spans, math, names_like_this, calls(


def english_words(text: str) -> list[str]:
    """The common English words in ``text`` (see :data:`ENGLISH_WORDS`), in order, each once; a
    message's placeholders (``{steps}``) are names, not words."""
    words = PLACEHOLDER.sub(" ", text.replace("{{", " ").replace("}}", " "))
    words = re.sub(r"\\[A-Za-z]+", " ", words)  # TeX's commands (\left, \text) are not words
    words = CODE.sub(" ", words)  # nor is code: `forward_difference`, lab.check, best_step, $f(x+h)$
    found = [w for w in WORD.findall(words) if w.lower() in ENGLISH_WORDS]
    return list(dict.fromkeys(found))


def pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", *args], cwd=ROOT, check=True)


@contextmanager
def locked():
    """One update at a time (several people or processes may run it in one checkout)."""
    LOCALE_DIR.mkdir(exist_ok=True)
    with (LOCALE_DIR / ".lock").open("w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def placeholders(message: str) -> set[str]:
    """The named fields of a brace-format message: ``{n}``, ``{x:.2f}`` → {"n", "x"} (``{{`` is a brace)."""
    return set(PLACEHOLDER.findall(message.replace("{{", "").replace("}}", "")))


def targets() -> list[str]:
    return [lang for lang in LANGUAGES if lang != SOURCE_LANG]


def extract() -> None:
    keywords = [a for k in KEYWORDS for a in ("-k", k)]
    pybabel("extract", "-F", "babel.cfg", *keywords, "--add-comments=TRANSLATORS:", "--no-wrap",
            "--project=calcviz", "--copyright-holder=calcviz", "-o", str(POT.relative_to(ROOT)),
            ".")  # babel.cfg's patterns are matched against paths relative to the folder given


def merge(lang: str) -> None:
    po, _ = catalogue_paths(lang)
    if po.exists():
        pybabel("update", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang,
                "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap")
    else:
        pybabel("init", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang, "--no-wrap")


def fill_from_parts(lang: str) -> int:
    """Fill ``lang``'s catalogue from the drafts in ``locale/<lang>/parts/*.po`` (a draft wins: it is the
    newer word); returns how many entries changed."""
    po, _ = catalogue_paths(lang)
    drafts: dict[tuple[str, str | None], str] = {}
    for part in sorted((LOCALE_DIR / lang / "parts").glob("*.po")):
        with part.open("rb") as f:
            for m in read_po(f, locale=lang):
                if m.id and m.string:
                    drafts.setdefault((str(m.id), m.context), str(m.string))
    if not drafts:
        return 0
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    filled = 0
    for m in catalog:
        draft = drafts.get((str(m.id), m.context)) if m.id else None
        if draft and m.string != draft:
            m.string = draft
            filled += 1
    with po.open("wb") as f:
        write_po(f, catalog, width=0)
    return filled


def compile_all() -> None:
    for lang in targets():
        pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang)


def status() -> dict[str, tuple[int, int]]:
    """language -> (translated, total)."""
    out = {}
    for lang in targets():
        po, _ = catalogue_paths(lang)
        with po.open("rb") as f:
            messages = [m for m in read_po(f, locale=lang) if m.id]
        out[lang] = (sum(bool(m.string) for m in messages), len(messages))
    return out


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "update"
    if what not in ("update", "compile", "status"):
        print(f"translations: unknown command {what!r}; use update, compile or status", file=sys.stderr)
        return 2
    with locked():
        if what == "update":
            extract()
            for lang in targets():
                merge(lang)
                filled = fill_from_parts(lang)
                if filled:
                    print(f"translations: {lang}: {filled} entries taken from locale/{lang}/parts")
        if what in ("update", "compile"):
            compile_all()
    for lang, (done, total) in status().items():
        print(f"translations: {lang} ({LANGUAGES[lang]}): {done} of {total} messages translated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
