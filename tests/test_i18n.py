"""The translation helpers: one number formatter, messages with placeholders, the catalogue, editions."""
import gettext
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from babel.messages.pofile import read_po

from scenes.kit import i18n
from scenes.kit.i18n import Message, message_from_json, number, t, tex_number
from studio import translations
from studio.translations import english_words, placeholders

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "calcviz.po"


# --- numbers: the same digits in both editions, the locale's symbols -------------------------------
@pytest.mark.parametrize("value, spec, en, id_", [
    (0.72, ".2f", "0.72", "0,72"),
    (-1.5, ".1f", "-1.5", "-1,5"),
    (-0.04, ".3f", "-0.040", "-0,040"),
    (2.675, ".2f", "2.67", "2,67"),            # binary 2.67499…: both editions round alike
    (1202, ",", "1,202", "1.202"),
    (1202, "d", "1202", "1202"),               # no grouping unless the spec asks: years stay 1958
    (1234567.891, ",.2f", "1,234,567.89", "1.234.567,89"),
    (0.00123, ".2e", "1.23e-03", "1,23e-03"),
    (1e-8, "g", "1e-08", "1e-08"),
    (2.5, "g", "2.5", "2,5"),
    (0.5, "+.2f", "+0.50", "+0,50"),
    (np.float64(62.0), ".0f", "62", "62"),
])
def test_number_table_in_both_locales(value, spec, en, id_):
    assert number(value, spec, "en") == en
    assert number(value, spec, "id") == id_


def test_a_decimal_comma_in_tex_is_braced_so_no_space_follows_it():
    assert tex_number(0.72, ".2f", "id") == "0{,}72"
    assert tex_number(1202.5, ",.1f", "id") == "1.202{,}5"
    assert tex_number(0.72, ".2f", "en") == "0.72"


def test_draws_core_numbers_as_tex_in_the_edition(monkeypatch):
    from scenes.kit.draw import number_tex
    assert number_tex(-0.0004, 2) == r"-4.0\times 10^{-4}"
    monkeypatch.setenv("CALCVIZ_LANG", "id")
    assert number_tex(-0.0004, 2) == r"-4{,}0\times 10^{-4}"
    assert number_tex(3.14159, 2) == "3{,}14"


def test_an_unknown_language_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("CALCVIZ_LANG", "fr")
    with pytest.raises(i18n.CalcvizError, match="unknown language 'fr'"):
        i18n.language()


# --- messages -----------------------------------------------------------------------------------
def test_a_message_fills_its_placeholders_with_the_locales_numbers():
    m = Message("After {n:,} steps, f = {f:.2f} ({word})", {"n": 1202, "f": 0.7234, "word": "x"}, "en")
    assert m == "After 1,202 steps, f = 0.72 (x)"
    assert "1.202" in m.in_language("id") and "0,72" in m.in_language("id")


def test_t_uses_the_editions_catalogue(monkeypatch):
    assert t("Backpropagation") == "Backpropagation"
    monkeypatch.setenv("CALCVIZ_LANG", "id")
    assert t("Backpropagation") == "Propagasi balik"


def test_a_message_survives_json_with_numpy_values_and_nested_messages():
    inner = Message("converged", {}, "en")
    m = Message("{what} after {n} steps at {x:.1f}", {"what": inner, "n": np.int64(7), "x": np.float64(2.25)}, "en")
    data = json.loads(json.dumps(m.to_json()))
    assert message_from_json(data, "en") == "converged after 7 steps at 2.2"
    assert message_from_json(data, "id") == m.in_language("id")
    assert message_from_json(data, "id").startswith("konvergen")


def test_manims_numbers_follow_the_edition():
    code = ("from manim import DecimalNumber\n"
            "from scenes.kit.i18n import use_locale_numbers\n"
            "use_locale_numbers()\n"
            "print(DecimalNumber(1202.5, num_decimal_places=1)._get_num_string(1202.5))\n")
    for lang, want in (("en", "1,202.5"), ("id", "1.202,5")):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                             env={**__import__("os").environ, "CALCVIZ_LANG": lang}, check=True)
        assert out.stdout.strip() == want


# --- the catalogue --------------------------------------------------------------------------------
def _catalogue():
    with PO.open("rb") as f:
        return [m for m in read_po(f, locale="id") if m.id]


def test_the_catalogue_holds_every_marked_message(tmp_path):
    pot = tmp_path / "now.pot"
    keywords = [a for k in translations.KEYWORDS for a in ("-k", k)]
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F", "babel.cfg", *keywords,
                    "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as f:
        marked = {m.id for m in read_po(f) if m.id}
    have = {m.id for m in _catalogue()}
    assert marked - have == set(), "run tools/translations update: messages missing from the catalogue"
    assert have - marked == set(), "run tools/translations update: the catalogue has messages no code uses"


def test_every_message_is_translated_with_exactly_its_placeholders():
    messages = _catalogue()
    assert len(messages) > 300
    untranslated = [m.id for m in messages if not m.string]
    assert untranslated == []
    wrong = [(m.id, m.string) for m in messages if placeholders(m.id) != placeholders(m.string)]
    assert wrong == []


def test_no_english_word_is_left_in_a_translation():
    left = {m.id: english_words(m.string) for m in _catalogue() if english_words(m.string)}
    assert left == {}


GLOSSARY = [  # English term in a message → the Indonesian term its translation must use
    ("gradient descent", "penurunan gradien"), ("learning rate", "laju pembelajaran"),
    ("partial derivative", "turunan parsial"), ("backpropagation", "propagasi balik"),
    ("neural network", "jaringan saraf"), ("least squares", "kuadrat terkecil"),
    ("Jacobian", "Jacobi"), ("Hessian", "Hesse"), ("Newton–Raphson", "Newton–Raphson"),
    ("chain rule", "aturan rantai"), ("Galton", "Galton"), ("Mauna Loa", "Mauna Loa"), ("Adam", "Adam"),
]


@pytest.mark.parametrize("english, indonesian", GLOSSARY, ids=[g[0] for g in GLOSSARY])
def test_translations_keep_to_the_glossary(english, indonesian):
    off = [(m.id, m.string) for m in _catalogue()
           if english.lower() in m.id.lower() and indonesian.lower() not in m.string.lower()]
    assert off == []


def test_the_glossary_file_names_every_term_the_tests_enforce():
    glossary = (ROOT / "locale" / "id" / "glossary.md").read_text()
    for _, indonesian in GLOSSARY:
        assert indonesian in glossary


def test_the_compiled_catalogue_says_what_the_po_says(tmp_path, monkeypatch):
    mo = tmp_path / "calcviz.mo"
    from babel.messages.mofile import write_mo
    with PO.open("rb") as f:
        catalog = read_po(f, locale="id")
    with mo.open("wb") as f:
        write_mo(f, catalog)
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for m in _catalogue():
        if m.string:
            assert compiled.gettext(m.id) == m.string


# --- editions -------------------------------------------------------------------------------------
def _render(tmp_path, *extra):
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "calcviz"), "render", "tests/fixtures/worded_lesson.py:Worded",
                          "-q", "l", "--voice", "none", "--no-site", "--media", str(tmp_path), *extra],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def _cues(vtt: Path) -> list[tuple[str, str]]:
    cues = [c.splitlines() for c in vtt.read_text().split("\n\n") if "-->" in c]
    return [(c[0], " ".join(c[1:])) for c in cues]


def test_an_english_clip_gets_indonesian_captions_timed_from_its_render(tmp_path):
    _render(tmp_path)
    folder = tmp_path / "course" / "480p15" / "worded_lesson"
    english, indonesian = _cues(folder / "Worded.vtt"), _cues(folder / "Worded.id.vtt")
    assert [c[1] for c in english] == ["Secant to tangent", "A hiker in the dark"]
    assert [c[1] for c in indonesian] == ["Dari garis sekan ke garis singgung", "Pendaki dalam gelap"]
    assert [c[0] for c in indonesian] == [c[0] for c in english]
    # the page's build writes the track again, from the catalogue of then
    (folder / "Worded.id.vtt").unlink()
    from studio.site import build_site
    build_site(tmp_path, "480p15", lessons=(), explorers={})
    assert _cues(folder / "Worded.id.vtt") == indonesian


def test_the_indonesian_edition_renders_beside_the_english_one(tmp_path):
    out = _render(tmp_path, "--lang", "id")
    folder = tmp_path / "course" / "480p15" / "id" / "worded_lesson"
    assert str(folder.parent) in out.stdout
    meta = json.loads((folder / "Worded.json").read_text())
    assert meta["lang"] == "id" and meta["voice"] is None  # captions-only unless a voice is named
    assert [c[1] for c in _cues(folder / "Worded.vtt")] == ["Dari garis sekan ke garis singgung",
                                                            "Pendaki dalam gelap"]
    assert [c["name"] for c in meta["chapters"]] == ["Propagasi balik", "Mencocokkan data nyata"]
    assert not (tmp_path / "course" / "480p15" / "worded_lesson").exists()


def test_code_in_a_translation_is_not_english():
    # a lab's text names the learner's functions and numpy's: those stay as they are in every language
    said = "Tulis `forward_difference` lalu panggil lab.check; best_step memakai `np.argmin(errors)` dan $f(x+h)$"
    assert english_words(said) == []
    assert english_words("langkah the step forward_difference") == ["the", "step"]
