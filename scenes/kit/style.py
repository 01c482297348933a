"""The course's visual language: colours named by meaning, fonts, sizes, layout, text helpers.

Colours are named for what they *mean* (docs/VISUAL.md): a scene says ``SLOPE``, never
``YELLOW``, so a learner sees one meaning per colour across the course.
"""
from __future__ import annotations

import numpy as np
from manim import LEFT, UP, Code, ManimColor, MathTex, Text, interpolate_color

# --- colour means one thing, everywhere (Okabe–Ito, safe for colour-vision deficiencies) ---
FUNCTION = ManimColor("#56B4E9")    # the function / surface / model being studied
SLOPE = ManimColor("#F0E442")       # derivative, slope, tangent, gradient arrow
STEP = ManimColor("#D55E00")        # a step taken, descent path, the hiker
DATA = ManimColor("#D9D9D9")        # data points, measurements
FIT = ManimColor("#009E73")         # the fitted curve / the answer found
CONSTRAINT = ManimColor("#CC79A7")  # a constraint, a second object of comparison
NUDGE = ManimColor("#E69F00")       # the nudge dx, small changes, error
INK = ManimColor("#EDEDED")         # ordinary text
MUTED = ManimColor("#8C939E")       # axes, grids, secondary text
BACKGROUND = ManimColor("#14171C")  # also set in manim.cfg, for the CLI
PANEL = ManimColor("#1E232B")       # a box behind a readout or legend
# Signed values (weights, decision scores): blue – white – red (ColorBrewer RdBu ends). Not orange:
# orange already means the nudge / error, and a weight is neither.
SIGNED_COLORS = [ManimColor("#2166AC"), ManimColor("#F7F7F7"), ManimColor("#B2182B")]  # − 0 +
# Heights of a landscape: viridis (perceptually uniform, colour-blind safe), low = dark purple.
HEIGHT_COLORS = [ManimColor(h) for h in ("#440154", "#482878", "#3E4A89", "#31688E", "#26828E",
                                         "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725")]

# --- text: readable at 480p ----------------------------------------------------------------
FONT = "DejaVu Sans"
MONO_FONT = "DejaVu Sans Mono"  # code on screen
TITLE_SIZE = 40
TEXT_SIZE = 28        # Text labels
SMALL_SIZE = 24       # the smallest Text allowed
FORMULA_SIZE = 40     # MathTex formulas that matter
LABEL_SIZE = 36       # MathTex labels and readouts (MathTex glyphs are smaller than Text's)
TICK_SIZE = 24        # axis numbers

# --- layout and time ----------------------------------------------------------------------------
SAFE_MARGIN = 0.3     # every mobject stays this far inside the 14.2 × 8 frame
# Side-by-side views (contour map | surface, landscape | data) split the frame the same way
# in every lesson: two square views below the title row.
VIEW_SIDE = 6.0
LEFT_VIEW = np.array([-3.45, -0.5, 0.0])
RIGHT_VIEW = np.array([3.45, -0.5, 0.0])
MIN_CAP_HEIGHT_PX = 10.0  # smallest capital-letter height allowed, in pixels at 854×480


def text(s: str, size: float = TEXT_SIZE, color=INK, **kw) -> Text:
    # str(): a translated Message is a str subclass, and manimpango accepts only an exact str
    return Text(str(s), font=FONT, font_size=size, color=color, **kw)


def tex(s: str, size: float = LABEL_SIZE, color=INK, **kw) -> MathTex:
    return MathTex(s, font_size=size, color=color, **kw)


def code_listing(source: str, size: float = SMALL_SIZE, language: str = "python") -> Code:
    """Code on screen: manim's ``Code`` in the one monospace font, on a panel.

    It records the size it was set in, so the quality gate can check the text stays
    readable however the listing is scaled later.
    """
    code = Code(code_string=source, language=language, formatter_style="github-dark", add_line_numbers=False,
                background_config={"fill_color": PANEL, "stroke_color": MUTED, "stroke_width": 1.5, "buff": 0.25},
                paragraph_config={"font": MONO_FONT, "font_size": size, "line_spacing": 0.6})
    code.gate_font = (float(size), code.width)
    return code


def title(s: str) -> Text:
    """A lesson-beat title in the top-left corner."""
    return text(s, TITLE_SIZE).to_corner(UP + LEFT, buff=0.45)



def height_color(t: float) -> ManimColor:
    """The viridis colour at ``t`` ∈ [0, 1] (0 = lowest)."""
    t = float(np.clip(t, 0, 1)) * (len(HEIGHT_COLORS) - 1)
    k = min(int(t), len(HEIGHT_COLORS) - 2)
    return interpolate_color(HEIGHT_COLORS[k], HEIGHT_COLORS[k + 1], t - k)

