"""Captions are shown, speech is heard: turn a caption's math into the words a teacher would say.

``speakable(caption)`` runs the caption through one ordered table of rules (regular expression →
words), so "|∇f| = 2.2" is spoken "the length of the gradient of f equals 2.2", "χ²" "chi squared",
"1e-08" "ten to the minus 8" and "dC/dw" "d C by d w". Order matters: whole notations (a norm, a
derivative, a power of ten) are read before the single symbols inside them.

``unspeakable(text)`` lists what would still reach the voice and be mangled or skipped: anything
but plain letters, digits and ordinary punctuation, a prime left on a letter, a sign glued to a
number. The neural voice (Piper, through espeak-ng) drops ∇ and bars silently, reads "χ²" as "chai
two", "1e-3" as "one e three" and "(-0.6" without its sign, so ``speakable`` must leave none.

One table per language; ``lang="id"`` reads the same notation in Indonesian, as Indonesian textbooks
say it: "∇f = 0,72" is "gradien f sama dengan 0 koma 7 2", "χ²" "khi kuadrat", "f'(x)" "f aksen x",
"dC/dw" "d C per d w". Whole numbers stay digits (every voice that speaks Indonesian — espeak-ng's ``id``,
and Piper's Indonesian voices, which phonemize through it — reads "41" as "empat puluh satu"); the
grouping dot of "1.202" is dropped so that no voice can take it for a decimal point.
"""
from __future__ import annotations

import re
from collections.abc import Callable

Replacement = str | Callable[[re.Match], str]
Rules = tuple[tuple[str, Replacement], ...]

GREEK_EN = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "Δ": "Delta", "ε": "epsilon",
            "η": "eta", "θ": "theta", "λ": "lambda", "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma",
            "Σ": "Sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega"}
# the names Indonesian textbooks spell (alfa, teta, fi, khi); ρ is written "rho" but said "ro"
GREEK_ID = GREEK_EN | {"α": "alfa", "θ": "teta", "ρ": "ro", "φ": "fi", "χ": "khi"}

SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
LETTER = r"[A-Za-z]"
ONE_LETTER = rf"(?<![A-Za-z']){LETTER}(?![A-Za-z])"     # a variable: a letter standing alone
OPERATOR = "=−+·×"


def _scientific(times: str, ten_to: str, minus: str) -> Callable[[re.Match], str]:
    """3.2e-05 → "3.2 times ten to the minus 5"; a mantissa of 1 is left unsaid."""
    def read(m: re.Match) -> str:
        mantissa, sign, exponent = m.group(1), m.group(2), m.group(3).lstrip("0") or "0"
        power = f"{ten_to} {minus} {exponent}" if sign == "-" else f"{ten_to} {exponent}"
        return power if float(mantissa.replace(",", ".")) == 1 else f"{mantissa} {times} {power}"
    return read


def _power(ten_to: str, minus: str) -> Callable[[re.Match], str]:
    """10^-8 and 10⁻⁸ → "ten to the minus 8"."""
    def read(m: re.Match) -> str:
        exponent = m.group(1).translate(SUPERSCRIPT_DIGITS).strip("{}")
        return f"{ten_to} {minus} {exponent[1:]}" if exponent.startswith("-") else f"{ten_to} {exponent}"
    return read


def _decimal_comma(m: re.Match) -> str:
    """0,72 → "0 koma 7 2": after the comma each digit is said on its own, as Indonesian teachers read
    a decimal ("nol koma tujuh dua", not "nol koma tujuh puluh dua")."""
    return f"{m.group(1)} koma {' '.join(m.group(2))}"


def _greek(names: dict[str, str]) -> Rules:
    return tuple((letter, f" {name} ") for letter, name in names.items())


EN: Rules = (
    # -- typography: the voice wants plain punctuation
    ("…", "..."),
    (r"\s*—\s*", ", "),
    (r"(?<=\d)\s*–\s*(?=\d)", " to "),                  # a range, 1958–2023
    ("–", "-"),                                         # a double name, Levenberg–Marquardt
    ("[‘’]", "'"),
    ("[“”]", '"'),
    # -- numbers a voice spells letter by letter
    (r"(?<![\w.])(\d+(?:\.\d+)?)e([+-]?)(\d+)\b", _scientific("times", "ten to the", "minus")),
    (r"\b10\^(\{?-?\d+\}?)", _power("ten to the", "minus")),
    (r"\b10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", _power("ten to the", "minus")),
    (r"\bCO[2₂]\b", "C O two"),                          # the gas, not "co two"
    # -- calculus: the length of the gradient, then the gradient
    (r"\|∇(\w)\|", r"the length of the gradient of \1"),
    (r"\|([^|]+)\|", r"the size of \1"),
    (r"(\w)∇", r"\1 times ∇"),                           # λ∇g: a multiple of the gradient
    (r"∇(\w)·(\w)", r"the gradient of \1 dotted with \2"),
    (r"∇(\w)", r"the gradient of \1"),
    # -- derivatives as fractions and primes: "dy/dx" is "d y by d x", never "slash"
    (r"∂(\w)/∂(\w)", r"partial \1 by partial \2"),
    (r"\bd(\w)/d(\w)\b", r"d \1 by d \2"),
    ("∂", " partial "),
    (rf"({ONE_LETTER})''\(([^()]*)\)", r"\1 double prime of \2"),
    (rf"({ONE_LETTER})'\(([^()]*)\)", r"\1 prime of \2"),
    (rf"({ONE_LETTER})''(?![a-z])", r"\1 double prime"),
    (rf"({ONE_LETTER})'(?![a-z])", r"\1 prime"),          # f' but not the possessive f's
    (rf"({ONE_LETTER})\(([^()]*)\)", r"\1 of \2"),        # g(x): a letter glued to its bracket
    # -- powers and indices
    (r"(\w)ᵀ(\w)", r"\1 transpose \2"),
    ("ᵀ", " transpose"),
    ("²", " squared"),
    ("³", " cubed"),
    ("ᵏ", " to the k"),
    (r"[⁰¹⁴-⁹]+", lambda m: f" to the power {m.group(0).translate(SUPERSCRIPT_DIGITS)}"),
    (r"[₀-₉]+", lambda m: m.group(0).translate(SUBSCRIPTS)),  # x₁ is "x 1", as Piper reads x1
    (r"(\w)\^\{?(-?\w+)\}?", r"\1 to the \2"),
    # the variable a, beside an operator or before punctuation (the article never is): Piper reads
    # a lone "a" as the article, "uh"
    (rf"(?:(?<=[{OPERATOR}])|(?<=[{OPERATOR}] ))a\b|\ba(?= ?[{OPERATOR}])|\ba(?=[.,;:!?)]|$)", "eh"),
    # -- products: a juxtaposed differential is read as written, "2 x d x"; others are "times"
    (r"·(?=d[A-Za-z]\b)", " "),
    ("·", " times "),
    (r"(?<![\w.])(\d+)([A-Za-z])\b", r"\1 \2"),           # 2x → 2 x
    (r"\bd(?![io]\b)([A-Za-z])\b", r"d \1"),              # dx, dg, dC (but not "do", nor "di")
    (r"\bdet\b", "the determinant of"),
    (r"(\S)\*", r"\1 star"),                              # θ*: the trained point
    # -- relations and operators
    ("±", " plus or minus "),
    ("∓", " minus or plus "),
    ("−", " minus "),
    (r"(?<=\s)-(?=\s)", " minus "),
    (r"(?<![\w.)])-(?=\.?\d)", "minus "),               # Piper drops the sign after "(" or "="
    ("×", " times "),
    ("÷", " divided by "),
    ("≈", " is about "),
    ("≠", " is not "),
    ("≤", " is at most "),
    ("≥", " is at least "),
    ("<", " is less than "),
    (">", " is greater than "),
    ("→", " goes to "),
    ("↦", " maps to "),
    ("←", " becomes "),
    ("∈", " in "),
    ("⊂", " inside "),
    ("∞", " infinity "),
    ("=", " equals "),
    (r"\+", " plus "),
    ("%", " percent"),
    (r"(?<=\d)\s*°", " degrees"),
    ("/", " over "),
    ("&", " and "),
    # -- abbreviations the voice spells out
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\bppm\b", "parts per million"),
    (r"\bXOR\b", "ex or"),
    (r"\btanh\b", "tanch"),
) + _greek(GREEK_EN)


ID: Rules = (
    ("…", "..."),
    (r"\s*—\s*", ", "),
    (r"(?<=\d)\s*–\s*(?=\d)", " sampai "),
    ("–", "-"),
    ("[‘’]", "'"),
    ("[“”]", '"'),
    (r"(?<![\w,])(\d+(?:,\d+)?)e([+-]?)(\d+)\b", _scientific("kali", "sepuluh pangkat", "minus")),
    (r"\b10\^(\{?-?\d+\}?)", _power("sepuluh pangkat", "minus")),
    (r"\b10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", _power("sepuluh pangkat", "minus")),
    (r"\bCO[2₂]\b", "C O dua"),
    (r"\|∇(\w)\|", r"panjang gradien \1"),
    (r"\|([^|]+)\|", r"besar \1"),
    (r"(\w)∇", r"\1 kali ∇"),
    (r"∇(\w)·(\w)", r"gradien \1 titik \2"),
    (r"∇(\w)", r"gradien \1"),
    (r"∂(\w)/∂(\w)", r"parsial \1 per parsial \2"),
    (r"\bd(\w)/d(\w)\b", r"d \1 per d \2"),
    ("∂", " parsial "),
    (rf"({ONE_LETTER})''\(([^()]*)\)", r"\1 dua aksen \2"),          # f''(x): "f dua aksen x"
    (rf"({ONE_LETTER})'\(([^()]*)\)", r"\1 aksen \2"),
    (rf"({ONE_LETTER})''(?![a-z])", r"\1 dua aksen"),
    (rf"({ONE_LETTER})'(?![a-z])", r"\1 aksen"),
    (rf"({ONE_LETTER})\(([^()]*)\)", r"\1 \2"),          # f(x) is read "f x" in Indonesian
    (r"(\w)ᵀ(\w)", r"\1 transpos \2"),
    ("ᵀ", " transpos"),
    ("²", " kuadrat"),
    ("³", " pangkat tiga"),
    ("ᵏ", " pangkat k"),
    (r"[⁰¹⁴-⁹]+", lambda m: f" pangkat {m.group(0).translate(SUPERSCRIPT_DIGITS)}"),
    (r"[₀-₉]+", lambda m: m.group(0).translate(SUBSCRIPTS)),
    (r"(\w)\^\{?(-?\w+)\}?", r"\1 pangkat \2"),
    (r"·(?=d[A-Za-z]\b)", " "),
    ("·", " kali "),
    # -- numbers the Indonesian way: 1.202,5 is "1202 koma 5"
    (r"(?<=\d)\.(?=\d{3}(?!\d))", ""),                    # the grouping dot
    (r"(?<![\w,])(\d+),(\d+)", _decimal_comma),              # the decimal comma
    (r"(?<![\w,])(\d+)([A-Za-z])\b", r"\1 \2"),
    (r"\bd(?![io]\b)([A-Za-z])\b", r"d \1"),            # "di" is a word: at, in
    (r"\bdet\b", "determinan"),
    (r"(\S)\*", r"\1 bintang"),
    ("±", " plus minus "),
    ("∓", " minus plus "),
    ("−", " minus "),
    (r"(?<=\s)-(?=\s)", " minus "),
    (r"(?<![\w.)])-(?=\.?\d)", "minus "),
    ("×", " kali "),
    ("÷", " dibagi "),
    ("≈", " kira-kira "),
    ("≠", " tidak sama dengan "),
    ("≤", " kurang dari atau sama dengan "),
    ("≥", " lebih dari atau sama dengan "),
    ("<", " kurang dari "),
    (">", " lebih dari "),
    ("→", " menuju "),
    ("↦", " dipetakan ke "),
    ("←", " menjadi "),
    ("∈", " anggota "),
    ("⊂", " himpunan bagian dari "),
    ("∞", " tak hingga "),
    ("=", " sama dengan "),
    (r"\+", " plus "),
    ("%", " persen"),
    (r"(?<=\d)\s*°", " derajat"),
    ("/", " per "),
    ("&", " dan "),
    (r"\bvs\.?(?=\s)", "lawan"),
    (r"\bppm\b", "bagian per sejuta"),
    (r"\bXOR\b", "eks or"),
    (r"\btanh\b", "tangen hiperbolik"),
) + _greek(GREEK_ID)

RULES: dict[str, Rules] = {"en": EN, "id": ID}
_COMPILED = {lang: [(re.compile(pattern), say) for pattern, say in rules] for lang, rules in RULES.items()}

# what a voice reads as written: letters, digits, spaces and the punctuation of ordinary prose
PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:!?'\"()-")
PRIME = re.compile(rf"{ONE_LETTER}'(?![a-z])")
SIGN = re.compile(r"(?<![\w.)])-(?=\.?\d)")     # a minus sign the voice may drop: "(-0.6", "= -1"


def _rules(lang: str) -> list:
    if lang not in _COMPILED:
        raise ValueError(f"no pronunciation rules for language {lang!r} (have: {', '.join(RULES)})")
    return _COMPILED[lang]


def speakable(caption: str, lang: str = "en") -> str:
    """The words a teacher would say for ``caption``: its math read aloud, the prose untouched."""
    text = caption
    for pattern, say in _rules(lang):
        text = pattern.sub(say, text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ([.,;:!?)])", r"\1", text).replace("( ", "(").strip()


def unspeakable(text: str, lang: str = "en") -> list[str]:
    """The characters of ``text`` the voice would mangle or skip, each once, in order of appearance."""
    _rules(lang)  # the same plain alphabet serves both languages; an unknown one is still an error
    found = [c for c in text if c not in PLAIN and not c.isspace()]
    found += ["'" for _ in PRIME.finditer(text)]  # a prime is read as nothing: f'(x) is "ef ex"
    found += ["-" for _ in SIGN.finditer(text)]
    return list(dict.fromkeys(found))
