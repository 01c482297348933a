"""Every word a viewer sees or hears, in the edition's language: gettext catalogues and one number formatter.

The edition's language comes from ``CALCVIZ_LANG`` (``en`` when unset; ``calcviz render --lang id`` sets
it for its workers). Messages are English source strings with named placeholders, translated through the
gettext catalogue ``locale/<lang>/LC_MESSAGES/calcviz.po`` (Babel extracts, updates and compiles it;
see ``babel.cfg`` and ``calcviz translations``)::

    t("After {n} steps the ground is flat", n=run.nit)      # shown text, numbers the edition's way
    tex_number(0.72, ".2f")                                 # "0.72" / "0{,}72" inside MathTex
    N_("Gradient descent")                                  # marked for extraction, translated where shown

Numbers are formatted by Python's format spec — the same digits in every edition — and then written
with the locale's symbols from Babel's CLDR data (Indonesian: decimal comma, dot grouping). The English
edition is exactly what the plain format spec prints, so its frames do not change.
"""
from __future__ import annotations

import gettext
import os
import string
import threading
from numbers import Integral, Number
from pathlib import Path
from typing import Any, Mapping

from calcviz.errors import CalcvizError

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "locale"
DOMAIN = "calcviz"
LANG_ENV = "CALCVIZ_LANG"
SOURCE_LANG = "en"
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}   # code -> the language's own name
GLOSSARY_NAMES = ("Newton", "Raphson", "Adam", "Galton", "Mauna Loa", "Keeling", "Jacobi", "Hesse", "Taylor",
                  "Lagrange", "Gauss", "RMSprop", "Python", "NumPy", "ReLU", "sigmoid")


# --- the edition's language ----------------------------------------------------------------------
def check_language(code: str) -> str:
    code = (code or "").strip() or SOURCE_LANG
    if code not in LANGUAGES:
        raise CalcvizError(f"unknown language {code!r}; the course has: {', '.join(LANGUAGES)}")
    return code


def language(env: Mapping[str, str] = os.environ) -> str:
    """The edition being rendered: ``CALCVIZ_LANG``, else English."""
    return check_language(env.get(LANG_ENV, ""))


_CATALOGUES: dict[str, gettext.NullTranslations] = {}
_LOCK = threading.Lock()


def catalogue_paths(lang: str) -> tuple[Path, Path]:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_catalogue(lang: str) -> Path:
    """Compile ``calcviz.po`` to ``calcviz.mo`` (what ``pybabel compile`` does), written atomically."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    po, mo = catalogue_paths(lang)
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    with partial.open("wb") as f:
        write_mo(f, catalog)
    os.replace(partial, mo)
    return mo


def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (compiled from its .po first when the .mo is missing or older)."""
    lang = check_language(lang)
    with _LOCK:
        if lang not in _CATALOGUES:
            if lang == SOURCE_LANG:
                _CATALOGUES[lang] = gettext.NullTranslations()
            else:
                po, mo = catalogue_paths(lang)
                if not po.exists():
                    raise CalcvizError(f"no translation catalogue for {lang!r}: {po} is missing")
                if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                    compile_catalogue(lang)
                with mo.open("rb") as f:
                    _CATALOGUES[lang] = gettext.GNUTranslations(f)
        return _CATALOGUES[lang]


def forget_catalogues() -> None:
    """Drop loaded catalogues (tests that edit a .po)."""
    with _LOCK:
        _CATALOGUES.clear()


# --- numbers ---------------------------------------------------------------------------------------
def _symbols(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of the locale, from Babel's CLDR data."""
    if lang == SOURCE_LANG:
        return ".", ","
    from babel.numbers import get_decimal_symbol, get_group_symbol
    return get_decimal_symbol(lang), get_group_symbol(lang)


def localise_digits(formatted: str, lang: str | None = None, tex: bool = False) -> str:
    """A number already printed the Python way ("1,202.5") written with the locale's symbols ("1.202,5").

    ``tex``: inside MathTex a comma is punctuation followed by a thin space; ``{,}`` is not.
    """
    lang = language() if lang is None else check_language(lang)
    decimal, group = _symbols(lang)
    if tex and decimal == ",":
        decimal = "{,}"
    if (decimal, group) == (".", ","):
        return formatted
    return "".join(decimal if c == "." else group if c == "," else c for c in formatted)


def number(value: float, spec: str = "g", lang: str | None = None) -> str:
    """``format(value, spec)`` in the edition's locale: ``number(0.72, ".2f", "id") == "0,72"``."""
    return localise_digits(format(value, spec), lang)


def tex_number(value: float, spec: str = "g", lang: str | None = None) -> str:
    """:func:`number` for MathTex: ``tex_number(0.72, ".2f", "id") == "0{,}72"``."""
    return localise_digits(format(value, spec), lang, tex=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


class _LocaleFormatter(string.Formatter):
    """``str.format`` whose numeric fields are written with the locale's symbols."""

    def __init__(self, lang: str, tex: bool):
        super().__init__()
        self.lang, self.tex = lang, tex

    def format_field(self, value: Any, format_spec: str) -> str:
        out = super().format_field(value, format_spec)
        return localise_digits(out, self.lang, self.tex) if _is_number(value) else out


def format_message(template: str, values: Mapping[str, Any], lang: str, tex: bool = False) -> str:
    return _LocaleFormatter(lang, tex).vformat(template, (), dict(values))


# --- messages --------------------------------------------------------------------------------------
class Message(str):
    """Text shown in the edition's language that remembers its source, so the same line can be given
    in another language (the English clips carry an Indonesian captions track timed from their render)."""

    msgid: str
    values: dict[str, Any]
    tex: bool

    def __new__(cls, msgid: str, values: Mapping[str, Any], lang: str, tex: bool = False):
        self = super().__new__(cls, render_message(msgid, values, lang, tex))
        self.msgid, self.values, self.lang, self.tex = msgid, dict(values), lang, tex
        return self

    def __reduce__(self):
        """Copies and pickles (``dataclasses.asdict`` deep-copies a narrated Line) are Messages again."""
        return Message, (self.msgid, self.values, self.lang, self.tex)

    def in_language(self, lang: str) -> str:
        return render_message(self.msgid, self.values, lang, self.tex)

    def to_json(self) -> dict:
        """The message and its values as JSON, to be given in another language later (the captions
        track of another language is made from it when the page is built, with the catalogue of then)."""
        return {"msgid": self.msgid, "values": {k: _json_value(v) for k, v in self.values.items()}, "tex": self.tex}


def _json_value(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.to_json()}
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):   # numpy's integers too
        return int(value)
    return float(value) if _is_number(value) else str(value)


def message_from_json(data: dict, lang: str) -> str:
    """A message stored by :meth:`Message.to_json`, in ``lang``."""
    values = {k: message_from_json(v["message"], lang) if isinstance(v, dict) else v
              for k, v in data["values"].items()}
    return render_message(data["msgid"], values, lang, data.get("tex", False))


def render_message(msgid: str, values: Mapping[str, Any], lang: str, tex: bool = False) -> str:
    """Translate ``msgid`` into ``lang`` and fill its placeholders (values that are Messages follow)."""
    filled = {k: v.in_language(lang) if isinstance(v, Message) else v for k, v in values.items()}
    template = translations(lang).gettext(msgid)
    return format_message(template, filled, lang, tex) if values else template


def t(msgid: str, /, **values: Any) -> Message:
    """The message in the edition's language, placeholders filled, numbers the locale's way."""
    return Message(msgid, values, language())


def t_tex(msgid: str, /, **values: Any) -> Message:
    """:func:`t` for a MathTex string: a decimal comma is written ``{,}``. Braces of TeX are doubled."""
    return Message(msgid, values, language(), tex=True)


def N_(msgid: str) -> str:
    """Mark a string for translation where it is defined (a table, the catalogue); ``t`` it where shown."""
    return msgid


# --- manim's numbers -------------------------------------------------------------------------------
_PATCHED = [False]


def use_locale_numbers() -> None:
    """Make manim's DecimalNumber (readouts, axis tick numbers) write the edition's symbols.

    manim has no locale hook: every DecimalNumber formats with Python's ``{:,.2f}`` and draws each
    character. We wrap that one method, once per process, and only for a non-English edition, so the
    English frames come from manim's own code.
    """
    if _PATCHED[0] or language() == SOURCE_LANG:
        return
    from manim import DecimalNumber
    english = DecimalNumber._get_num_string

    def localised(self, number):
        return localise_digits(english(self, number))
    DecimalNumber._get_num_string = localised
    _PATCHED[0] = True
