"""Lesson 3 — The guts of a neural network: one neuron, a forward pass, and backpropagation.

Render one scene:  manim -qm scenes/network.py ForwardPass
"""
from __future__ import annotations

import cairo
import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Circle, Code, Create, DashedLine, DashedVMobject, DecimalNumber, Dot, FadeIn,
    FadeOut, LaggedStart, Line, Polygon, Rectangle, ReplacementTransform, RoundedRectangle, ShowPassingFlash, Square,
    Transform, Triangle, ValueTracker, VGroup, VMobject, Write, always_redraw, interpolate_color, linear,
)

from calcviz.contours import contour_lines, pick_levels
from calcviz.errors import CalcvizError
from calcviz.loss_landscape import pca_slice, slice_along
from calcviz.network import HIDDEN, MLP, Params, train
from calcviz.toy_data import DATASETS, make_dataset
from scenes.kit.style import (
    BACKGROUND, DATA, FORMULA_SIZE, FUNCTION, INK, LABEL_SIZE, LEFT_VIEW, MUTED, NUDGE, PANEL, RIGHT_VIEW,
    SIGNED_COLORS, SLOPE, SMALL_SIZE, STEP, TICK_SIZE, VIEW_SIDE, code_listing, height_color, tex, text,
    title,
)
from scenes.kit.draw import (
    Readout, attach, contour_map, descent_path, fitted_axes, function_axes, on_change, path_through, plane_axes,
    redraw_on_change,
)
from scenes.kit.i18n import t, t_tex, tex_number
from scenes.kit.settings import Setting, choice, integer, number
from scenes.kit.lesson import LessonScene
from scenes.kit.picture import Picture, Pictures, frame_pixels
from scenes.kit.redraw import RedrawLess

ACTIVATION_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
NETWORK_SIZES = (2, 3, 3, 1)  # the small network of ForwardPass and Backpropagation
DATA_SEED = 0                 # the XOR points it learns from
PANEL_X = 0.75                # left edge of the formulas beside the network diagram


# --- small private helpers (drawing and plumbing; every number comes from the core) ---------------
def _neuron(w1: float, w2: float, b: float) -> tuple[MLP, Params]:
    """One neuron as the core's network with a single layer: z = w·x + b comes from its forward pass."""
    return MLP((2, 1)), Params((np.array([[w1, w2]]),), (np.array([b]),))


def _neuron_on_grid(w1, w2, b, activation: str, xs: np.ndarray):
    """z and a = f(z) of one neuron at the grid points (xs[j], xs[i]) (row i is x₂ = xs[i]).

    The core's forward pass gives z; its activation function gives a. (Candidate for the
    core: a ``neuron_map`` next to ``MLP.forward``.)
    """
    net, params = _neuron(w1, w2, b)
    g1, g2 = np.meshgrid(xs, xs)
    z = net.forward(params, np.column_stack([g1.ravel(), g2.ravel()])).zs[0][:, 0].reshape(len(xs), len(xs))
    return z, HIDDEN[activation](z)


def _trained_xor(settings):
    """The small network trained on XOR with the scene's settings: (network, history, data)."""
    data = make_dataset("xor", 200, rng=DATA_SEED)
    network = MLP(NETWORK_SIZES, hidden=settings["hidden"])
    history = train(network, data, lr=settings["lr"], steps=settings["steps"], rng=settings["seed"],
                    snapshot_steps=2)
    return network, history, data


def _example(settings):
    """The trained network, its training history, the data, one example (x, label) and its forward pass."""
    network, history, data = _trained_xor(settings)
    x, label = data.X[settings["example"]], int(data.y[settings["example"]])
    return network, history, data, x, label, network.forward(history.params, x)


NETWORK_SETTINGS = {
    "hidden": choice("tanh", list(ACTIVATION_TEX), help="activation of the hidden layers"),
    "lr": number(0.01, 1e-4, 0.5, help="Adam's learning rate"),
    "steps": integer(400, 1, 5000, help="training steps before the scene starts"),
    "seed": integer(1, 0, 10_000, help="seed of the initial weights"),
}


def _signed_fill(v: float):
    """A node's fill for the value v: the diverging colour of its sign, brighter the larger |v| (≤ 1)."""
    end = SIGNED_COLORS[2] if v > 0 else SIGNED_COLORS[0]
    return interpolate_color(PANEL, end, min(abs(float(v)), 1.0))


def _heat_map(axes, xs: np.ndarray, values: np.ndarray, lo: float, hi: float) -> VGroup:
    """Viridis squares centred on the grid points (xs[j], xs[i]), coloured by values[i, j]; low = dark purple.

    (Squares rather than an ImageMobject: manim 0.22's image drawing fails with Pillow 13 here.)
    """
    side = abs(axes.c2p(xs[1], 0)[0] - axes.c2p(xs[0], 0)[0]) * 1.15  # a little overlap hides the seams
    squares = VGroup()
    for i, y in enumerate(xs):
        for j, x in enumerate(xs):
            t = (values[i, j] - lo) / max(hi - lo, 1e-12)
            squares.add(Rectangle(width=side, height=side, stroke_width=0, fill_color=height_color(t),
                                  fill_opacity=1).move_to(axes.c2p(x, y)))
    return squares


class _NetworkDiagram(VGroup):
    """Circles for neurons, lines for weights: colour by sign (diverging), width by |w|, dashed if negative.

    ``nodes[l][j]`` is neuron j of layer l (l = 0 the input); ``edges[l][j][k]`` is the weight
    W⁽ˡ⁾[j, k] from neuron k of layer l−1 to neuron j of layer l (l = 1 … L), as in the core.
    """

    def __init__(self, params: Params, width: float = 6.0, spacing: float = 1.75, radius: float = 0.46,
                 center=np.array([-3.25, -0.45, 0.0])):
        super().__init__()
        sizes = [params.weights[0].shape[1]] + [W.shape[0] for W in params.weights]
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        self.radius = radius
        self.centers = [[center + np.array([x, (n - 1) / 2 * spacing - j * spacing, 0.0]) for j in range(n)]
                        for x, n in zip(xs, sizes)]
        biggest = max(float(np.abs(W).max()) for W in params.weights)
        self.edges = [None]
        edge_group = VGroup()
        for l, W in enumerate(params.weights, start=1):
            layer = []
            for j in range(W.shape[0]):
                row = []
                for k in range(W.shape[1]):
                    w = float(W[j, k])
                    start, end = self.ends(l, j, k)
                    t = abs(w) / biggest
                    color = interpolate_color(SIGNED_COLORS[1], SIGNED_COLORS[2] if w > 0 else SIGNED_COLORS[0],
                                              0.35 + 0.65 * t)
                    width_ = 1.5 + 6 * t
                    edge = (Line(start, end, color=color, stroke_width=width_) if w >= 0 else
                            DashedLine(start, end, color=color, stroke_width=width_, dash_length=0.12))
                    row.append(edge)
                    edge_group.add(edge)
                layer.append(row)
            self.edges.append(layer)
        self.nodes = [[Circle(radius, color=FUNCTION, stroke_width=3, fill_color=PANEL, fill_opacity=1).move_to(c)
                       for c in col] for col in self.centers]
        self.edge_group = edge_group
        self.node_group = VGroup(*[n for col in self.nodes for n in col])
        self.add(edge_group, self.node_group)

    def ends(self, l: int, j: int, k: int):
        """Where the edge W⁽ˡ⁾[j, k] leaves neuron k of layer l−1 and meets neuron j of layer l."""
        a, b = self.centers[l - 1][k], self.centers[l][j]
        u = (b - a) / np.linalg.norm(b - a)
        return a + self.radius * u, b - self.radius * u

    def flash(self, l: int, color, backwards: bool = False, time_width: float = 0.6):
        """Pulses running along every edge into layer l (or out of it, backwards)."""
        pulses = []
        for j, row in enumerate(self.edges[l]):
            for k, _ in enumerate(row):
                start, end = self.ends(l, j, k)
                if backwards:
                    start, end = end, start
                pulses.append(ShowPassingFlash(Line(start, end, color=color, stroke_width=7), time_width=time_width))
        return pulses

    def values(self, l: int, values, color=None, decimals: int = 2):
        """Numbers written in the neurons of layer l (ink on dark fills, background colour on bright ones)."""
        group = VGroup()
        for node, v in zip(self.nodes[l], values):
            ink = color or INK  # both ends of the diverging map are dark enough for light text
            group.add(DecimalNumber(float(v), num_decimal_places=decimals, font_size=SMALL_SIZE, color=ink)
                      .move_to(node))
        return group

    def fill(self, l: int, values):
        """Animations lighting up the neurons of layer l by their values (diverging colour, opacity by |v|)."""
        return [node.animate.set_fill(_signed_fill(v), opacity=1) for node, v in zip(self.nodes[l], values)]

    def column_labels(self, names, color=MUTED):
        """A MathTex label under each column of neurons."""
        bottom = min(c[1] for col in self.centers for c in col) - self.radius
        return VGroup(*[tex(name, LABEL_SIZE, color).move_to([col[0][0], bottom - 0.42, 0])
                        for name, col in zip(names, self.centers)])


def _weight_legend():
    """Solid = positive, dashed = negative: the sign is carried by line style as well as colour."""
    pos = Line(ORIGIN, 0.7 * RIGHT, color=SIGNED_COLORS[2], stroke_width=5)
    neg = DashedLine(ORIGIN, 0.7 * RIGHT, color=SIGNED_COLORS[0], stroke_width=5, dash_length=0.12)
    rows = VGroup(VGroup(pos, tex("w > 0", LABEL_SIZE)), VGroup(neg, tex("w < 0", LABEL_SIZE)))
    for line, label in rows:
        label.next_to(line, RIGHT, buff=0.25)
    return rows.arrange(RIGHT, buff=0.6)




# =====================================================================================================
class NeuronAsFunction(LessonScene):
    """One neuron: a weighted sum z = w·x + b, squashed by an activation; a ramp over the input plane.

    manim -qm scenes/network.py NeuronAsFunction
    """

    SETTINGS = {
        "activation": choice("sigmoid", list(ACTIVATION_TEX), help="the neuron's activation function"),
        "w1": number(2.0, -5, 5), "w2": number(-1.0, -5, 5), "b": number(0.5, -5, 5),
        "x1": number(1.0, -2, 2, help="the example input"), "x2": number(0.5, -2, 2),
    }

    def construct(self):
        s = self.settings
        w1, w2, b, x1, x2 = s["w1"], s["w2"], s["b"], s["x1"], s["x2"]
        act = HIDDEN[s["activation"]]
        f_tex = ACTIVATION_TEX[s["activation"]]
        net, params = _neuron(w1, w2, b)
        z = float(net.forward(params, [x1, x2]).zs[0][0, 0])
        a = float(act(z))
        zs = np.linspace(-6, 6, 241)
        curve_a = act(zs)
        bounds = 2.0
        cells = 40
        centres = np.linspace(-bounds, bounds, cells + 1)[:-1] + bounds / cells  # the heat map's squares
        _, a_grid = _neuron_on_grid(w1, w2, b, s["activation"], centres)
        xs = np.linspace(-bounds, bounds, 161)  # a finer grid, edge to edge, for the switching line
        z_grid, _ = _neuron_on_grid(w1, w2, b, s["activation"], xs)
        lo, hi = float(a_grid.min()), float(a_grid.max())

        # --- beat 1: a weighted sum ---------------------------------------------------------------
        self.beat(t("A weighted sum"))
        heading = title(t("One neuron"))
        inputs = [Circle(0.46, color=FUNCTION, stroke_width=3, fill_color=PANEL, fill_opacity=1).move_to(p)
                  for p in ([-5.8, 1.1, 0], [-5.8, -2.1, 0])]
        neuron = Circle(0.7, color=FUNCTION, stroke_width=4, fill_color=PANEL, fill_opacity=1).move_to([-2.6, -0.5, 0])
        in_values = VGroup(*[DecimalNumber(v, 1, font_size=SMALL_SIZE, color=INK).move_to(c)
                             for v, c in zip((x1, x2), inputs)])
        in_names = VGroup(*[tex(n, LABEL_SIZE).next_to(c, LEFT, buff=0.2) for n, c in zip(("x_1", "x_2"), inputs)])
        wires = [Line(c.get_center(), neuron.get_center(), color=MUTED, stroke_width=4) for c in inputs]
        for wire, c in zip(wires, inputs):
            wire.put_start_and_end_on(c.get_center() + 0.46 * wire.get_unit_vector(),
                                      neuron.get_center() - 0.7 * wire.get_unit_vector())
        w_labels = VGroup(attach(tex(f"w_1 = {tex_number(w1, 'g')}", LABEL_SIZE, FUNCTION).next_to(wires[0].point_from_proportion(0.3), UP + RIGHT, buff=0.1), wires[0]),
                          attach(tex(f"w_2 = {tex_number(w2, 'g')}", LABEL_SIZE, FUNCTION).next_to(wires[1].point_from_proportion(0.3), DOWN + RIGHT, buff=0.1), wires[1]))
        b_label = tex(f"b = {tex_number(b, 'g')}", LABEL_SIZE, FUNCTION).next_to(neuron, UP, buff=0.25).shift(0.3 * RIGHT)
        sigma = tex(r"\Sigma", LABEL_SIZE + 12).move_to(neuron)
        out_wire = Arrow(neuron.get_right(), neuron.get_right() + 1.5 * RIGHT, buff=0.05, color=MUTED, stroke_width=4)
        out_name = attach(tex("a", LABEL_SIZE).next_to(out_wire, UP, buff=0.12), out_wire)

        sum_formula = tex("z = w_1 x_1 + w_2 x_2 + b", LABEL_SIZE + 4)
        sum_numbers = tex(rf"= {tex_number(w1, 'g')}\cdot{tex_number(x1, 'g')} + ({tex_number(w2, 'g')})\cdot"
                          rf"{tex_number(x2, 'g')} + {tex_number(b, 'g')} = {tex_number(z, '.2f')}", LABEL_SIZE + 4)
        formulas = VGroup(sum_formula, sum_numbers).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        formulas.move_to(RIGHT_VIEW + 2.6 * UP)
        self.play(Write(heading), run_time=0.8)
        self.say(t("A neuron takes two inputs, x1 and x2, and weighs each one."),
                 LaggedStart(*[FadeIn(m) for m in (*inputs, in_values, in_names)], lag_ratio=0.2),
                 *[Create(w) for w in wires], FadeIn(neuron), FadeIn(w_labels), run_time=1.5)
        self.say(t("It adds the weighted inputs and a bias b: here z = {z:.2f}.", z=z),
                 FadeIn(b_label), FadeIn(sigma), Write(formulas), run_time=1.5)

        # --- beat 2: the activation -------------------------------------------------------------
        self.beat(t("The activation"))
        a_range = {"sigmoid": [0, 1, 0.5], "tanh": [-1, 1, 1],  # ticks clear of the curve
                   "relu": [0, max(6.0, float(np.ceil(hi))), 2]}[s["activation"]]
        axes = function_axes([-6, 6, 2], a_range, 5.6, 3.2).move_to(RIGHT_VIEW + 1.15 * DOWN)
        graph = path_through(axes, zs, curve_a, FUNCTION)
        z_name = attach(tex("z", LABEL_SIZE, MUTED).next_to(axes.x_axis.get_right(), UP, buff=0.2), axes.x_axis)
        a_name = tex(rf"a = {f_tex}(z)", LABEL_SIZE, FUNCTION).next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        drop = DashedLine(axes.c2p(z, 0), axes.c2p(z, a), color=NUDGE, stroke_width=3)
        dot = Dot(axes.c2p(z, a), radius=0.08, color=NUDGE)
        a_value = tex(rf"a = {f_tex}({tex_number(z, '.2f')}) = {tex_number(a, '.2f')}", LABEL_SIZE, NUDGE)
        a_value.next_to(axes, UP, buff=0.15).align_to(axes, RIGHT)
        self.say(t("Then it squashes z with an activation function, here {fn}.", fn=s["activation"]),
                 Create(axes), FadeIn(z_name), Create(graph), FadeIn(a_name), run_time=1.5)
        self.say(t("Its output is a = {a:.2f}: the neuron's answer for this input.", a=a),
                 Create(drop), FadeIn(dot), FadeIn(a_value), FadeIn(out_wire), FadeIn(out_name), run_time=1.2)

        # --- beat 3: a function of the whole input plane -------------------------------------------
        self.beat(t("Over the input plane"))
        plane = plane_axes(((-bounds, bounds), (-bounds, bounds)), side=5.4, center=LEFT_VIEW + 0.1 * UP,
                           numbers=False)
        image = _heat_map(plane, centres, a_grid, lo, hi)
        border = Rectangle(width=plane.x_length, height=plane.y_length, color=MUTED, stroke_width=2)
        border.move_to(plane.c2p(0, 0))
        ticks = VGroup(  # the plane's extent, written outside the picture
            tex(tex_number(-bounds, "g"), TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, -bounds), DOWN, buff=0.15),
            tex(tex_number(bounds, "g"), TICK_SIZE, MUTED).next_to(plane.c2p(bounds, -bounds), DOWN, buff=0.15),
            tex(tex_number(-bounds, "g"), TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, -bounds), LEFT, buff=0.15),
            tex(tex_number(bounds, "g"), TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, bounds), LEFT, buff=0.15))
        x_names = VGroup(tex("x_1", LABEL_SIZE, MUTED).next_to(border, RIGHT, buff=0.15),
                         tex("x_2", LABEL_SIZE, MUTED).next_to(border, UP, buff=0.12))
        sample = Dot(plane.c2p(x1, x2), radius=0.09, color=NUDGE).set_stroke(BACKGROUND, width=3)
        self.play(FadeOut(VGroup(*inputs, in_values, in_names, *wires, neuron, w_labels, b_label, sigma, out_wire,
                                 out_name, formulas)), run_time=0.8)
        self.say(t("Now give the neuron every input in the plane at once and colour each point by its output."),
                 FadeIn(image), Create(plane), Create(border), FadeIn(ticks), FadeIn(x_names), FadeIn(sample),
                 run_time=1.5)
        # a colour bar beside the activation curve: the same heights, the same colours
        bar_lo, bar_hi = axes.c2p(6, lo)[1], axes.c2p(6, hi)[1]
        bar = VGroup(*[Rectangle(width=0.22, height=1.2 * (bar_hi - bar_lo) / cells, stroke_width=0,
                                 fill_color=height_color(k / (cells - 1)), fill_opacity=1)
                       .move_to([axes.get_right()[0] + 0.3, bar_lo + (k + 0.5) * (bar_hi - bar_lo) / cells, 0])
                       for k in range(cells)])
        self.say(t("Dark means a low output, bright a high one; the bar beside the curve reads the colours."),
                 FadeIn(bar), run_time=1.0)

        switch = contour_lines(xs, xs, z_grid, [0.0])
        lines = VGroup()
        for piece in switch.lines[0]:
            path = VMobject(stroke_color=INK, stroke_width=4)
            path.set_points_as_corners([plane.c2p(p, q) for p, q in piece])
            lines.add(DashedVMobject(path, num_dashes=24))
        legend = VGroup(DashedLine(ORIGIN, 0.7 * RIGHT, color=INK, stroke_width=4),
                        tex(r"w \cdot x + b = 0", LABEL_SIZE))
        legend[1].next_to(legend[0], RIGHT, buff=0.25)
        piece = switch.lines[0][0]
        foot = piece[len(piece) // 2]
        tip = foot + np.array([w1, w2]) / np.hypot(w1, w2)  # one unit along w, to show the direction
        w_arrow = Arrow(plane.c2p(*foot), plane.c2p(*tip), buff=0, color=SLOPE, stroke_width=5)
        w_shadow = Arrow(plane.c2p(*foot), plane.c2p(*tip), buff=0, color=BACKGROUND, stroke_width=11)
        w_shadow.set_opacity(0.8)  # a dark outline, so the arrow reads on the bright end of viridis too
        w_legend = VGroup(Arrow(ORIGIN, 0.7 * RIGHT, buff=0, color=SLOPE, stroke_width=5),
                          tex(t_tex("w = ({w1:g}, {w2:g})", w1=w1, w2=w2), LABEL_SIZE, SLOPE))
        w_legend[1].next_to(w_legend[0], RIGHT, buff=0.25)
        legends = VGroup(legend, w_legend).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        legends.next_to(a_name, UP, buff=0.6).align_to(axes, LEFT)
        self.say(t("On the dashed line z is zero: there the neuron switches from off to on."),
                 Create(lines), FadeIn(legend), run_time=1.5)
        self.say(t("The output rises across that line in the direction of the weights w."),
                 FadeIn(w_shadow), Create(w_arrow), FadeIn(w_legend), run_time=1.2)
        self.hold()


class ForwardPass(LessonScene):
    """A forward pass: one input lights up a trained 2-3-3-1 network layer by layer, z = Wa + b, a = f(z).

    manim -qm scenes/network.py ForwardPass
    """

    SETTINGS = {**NETWORK_SETTINGS, "example": integer(0, 0, 199, help="which training point to feed in")}

    def construct(self):
        s = self.settings
        network, history, data, x, label, fwd = _example(s)
        params = history.params
        acts = [a[0] for a in fwd.activations]
        zs = [z[0] for z in fwd.zs]
        f_tex = ACTIVATION_TEX[s["hidden"]]

        # --- beat 1: the network -----------------------------------------------------------------
        self.beat(t("A small network"))
        heading = title(t("A forward pass"))
        diagram = _NetworkDiagram(params)
        names = diagram.column_labels(["x", "a^{(1)}", "a^{(2)}", "a^{(3)}"])
        legend = _weight_legend().move_to([0, -3.1, 0]).align_to([PANEL_X, 0, 0], LEFT)
        self.play(Write(heading), run_time=0.8)
        self.say(t("This network has two inputs, two hidden layers of three neurons and one output."),
                 LaggedStart(Create(diagram.edge_group), FadeIn(diagram.node_group), lag_ratio=0.3),
                 FadeIn(names), run_time=2.0)
        self.say(t("It was trained for {n} steps on XOR, and gets {accuracy:.0%} of the points right.",
                   n=history.nit, accuracy=history.accuracy))
        self.say(t("Each line is a weight: solid for positive, dashed for negative, thicker when larger."),
                 FadeIn(legend), run_time=1.0)

        # --- beat 2: one input -----------------------------------------------------------------------
        self.beat(t("One input"))
        given = tex(t_tex(r"x = ({x1:.2f},\ {x2:.2f})", x1=x[0], x2=x[1]), LABEL_SIZE + 4).move_to([0, 2.6, 0]).align_to([PANEL_X, 0, 0], LEFT)
        in_numbers = diagram.values(0, acts[0])
        self.say(t("Feed in one point, x = ({x1:.2f}, {x2:.2f}).", x1=x[0], x2=x[1]),
                 FadeIn(given), *diagram.fill(0, acts[0]), FadeIn(in_numbers), run_time=1.2)

        # --- beat 3: layer by layer ----------------------------------------------------------------
        self.beat(t("Layer by layer"))
        rule = VGroup(tex(r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}", LABEL_SIZE + 4),
                      tex(rf"a^{{(l)}} = {f_tex}(z^{{(l)}})", LABEL_SIZE + 4))
        rule.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(given, DOWN, buff=0.55).align_to(given, LEFT)
        W, bias = params.weights[0], params.biases[0]
        one = VGroup(
            tex(rf"z^{{(1)}}_1 = {tex_number(W[0, 0], '.2f')}\cdot({tex_number(acts[0][0], '.2f')}) + "
                rf"{tex_number(W[0, 1], '.2f')}\cdot({tex_number(acts[0][1], '.2f')})", LABEL_SIZE),
            tex(rf"{tex_number(bias[0], '+.2f')} = {tex_number(zs[0][0], '.2f')}", LABEL_SIZE),
            tex(rf"a^{{(1)}}_1 = {f_tex}({tex_number(zs[0][0], '.2f')}) = {tex_number(acts[1][0], '.2f')}", LABEL_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(rule, DOWN, buff=0.5).align_to(rule, LEFT)
        one[1].shift(0.6 * RIGHT)
        focus = Circle(diagram.radius + 0.1, color=SLOPE, stroke_width=4).move_to(diagram.nodes[1][0])
        self.say(t("Each neuron adds up its weighted inputs and its bias, then applies {fn}.", fn=s["hidden"]),
                 FadeIn(rule), run_time=1.0)
        self.say(t("The top neuron of the first layer gets z = {z:.2f}, so it outputs {a:.2f}.", z=zs[0][0],
                   a=acts[1][0]),
                 *diagram.flash(1, INK), Create(focus), FadeIn(one), run_time=1.5)
        layer_one = diagram.values(1, acts[1])
        self.play(*diagram.fill(1, acts[1]), FadeIn(layer_one), FadeOut(focus), run_time=0.8)
        self.say(t("The second layer does the same with the first layer's outputs."),
                 *diagram.flash(2, INK), FadeOut(one), run_time=1.2)
        layer_two = diagram.values(2, acts[2])
        self.play(*diagram.fill(2, acts[2]), FadeIn(layer_two), run_time=0.8)

        # --- beat 4: the answer -----------------------------------------------------------------------
        self.beat(t("The answer"))
        out_rule = tex(r"a^{(3)} = \sigma(z^{(3)})", LABEL_SIZE + 4).next_to(rule, DOWN, buff=0.5).align_to(rule, LEFT)
        answer = tex(t_tex(r"P(\text{{class }} 1) = {p:.2f}", p=acts[3][0]), LABEL_SIZE + 4, FUNCTION)
        truth = tex(t_tex(r"\text{{label}}\ y = {label}", label=label), LABEL_SIZE + 4)
        result = VGroup(answer, truth).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        result.next_to(out_rule, DOWN, buff=0.5).align_to(rule, LEFT)
        self.say(t("The output neuron uses a sigmoid, so its value lies between 0 and 1."),
                 *diagram.flash(3, INK), FadeIn(out_rule), run_time=1.2)
        out_number = diagram.values(3, acts[3])
        self.say(t("The network says class 1 with probability {p:.2f}; the label is {label}.", p=acts[3][0],
                   label=label),
                 *diagram.fill(3, acts[3]), FadeIn(out_number), FadeIn(result), run_time=1.0)
        self.hold()


class Backpropagation(LessonScene):
    """Backpropagation: the output error δ flows back through the weights; ∂C/∂w = δ·a for every weight.

    manim -qm scenes/network.py Backpropagation
    """

    SETTINGS = {**NETWORK_SETTINGS, "example": integer(4, 0, 199, help="which training point to learn from")}
    # (layer, neuron j, input k) of the weights whose slopes are written out; the label goes above or below
    SHOWN_WEIGHTS = ((3, 0, 0, UP), (2, 2, 2, DOWN), (1, 0, 0, UP))

    def construct(self):
        s = self.settings
        network, history, data, x, label, fwd = _example(s)
        params = history.params
        grads = network.backward(params, fwd, data.y[s["example"]: s["example"] + 1])
        out_delta = float(network.output_delta(fwd, network.targets([label]))[0, 0])
        acts = [a[0] for a in fwd.activations]
        deltas = [None] + [b for b in grads.biases]  # one example: ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁾
        f_tex = ACTIVATION_TEX[s["hidden"]]
        L = network.depth

        # --- beat 1: the error at the output -------------------------------------------------------
        self.beat(t("The error at the output"))
        heading = title(t("Backpropagation"))
        diagram = _NetworkDiagram(params)
        names = diagram.column_labels(["x", "a^{(1)}", "a^{(2)}", "a^{(3)}"])
        legend = _weight_legend().move_to([0, -3.1, 0]).align_to([PANEL_X, 0, 0], LEFT)
        numbers = [diagram.values(l, acts[l]) for l in range(L + 1)]
        fills = [anim for l in range(L + 1) for anim in diagram.fill(l, acts[l])]
        given = tex(t_tex(r"x = ({x1:.2f},\ {x2:.2f}),\ \ y = {label}", x1=x[0], x2=x[1], label=label),
                    LABEL_SIZE + 4).move_to([0, 2.6, 0]).align_to([PANEL_X, 0, 0], LEFT)
        labels = list(names)  # each column's label is swapped on its own, a⁽ˡ⁾ → δ⁽ˡ⁾
        self.play(Write(heading), FadeIn(diagram), *[FadeIn(n) for n in labels], FadeIn(legend), run_time=1.0)
        self.say(t("Take a training point with label {label}. The forward pass answers {a:.2f}.", label=label,
                   a=acts[L][0]),
                 *fills, *[FadeIn(n) for n in numbers], FadeIn(given), run_time=1.2)
        error = tex(rf"\delta^{{(3)}} = a^{{(3)}} - y = {tex_number(acts[L][0], '.2f')} - {label} = "
                    rf"{tex_number(out_delta, '.2f')}",
                    LABEL_SIZE, NUDGE).next_to(given, DOWN, buff=0.5).align_to(given, LEFT)
        out_err = diagram.values(L, [out_delta], NUDGE)

        def to_delta(l, values):
            """Neurons of layer l stop showing activations and show their errors instead."""
            new_label = tex(rf"\delta^{{({l})}}", LABEL_SIZE, NUDGE).move_to(labels[l])
            anims = [ReplacementTransform(labels[l], new_label), FadeOut(numbers[l])]
            anims += [node.animate.set_fill(PANEL, opacity=1).set_stroke(NUDGE, width=5) for node in diagram.nodes[l]]
            labels[l] = new_label
            return anims

        self.say(t("With cross-entropy, the output's error is simply δ = a − y = {delta:.2f}.", delta=out_delta),
                 *to_delta(L, [out_delta]), FadeIn(out_err), FadeIn(error), run_time=1.2)

        # --- beat 2: the error flows back -------------------------------------------------------------
        self.beat(t("The error flows back"))
        back = tex(rf"\delta^{{(l)}} = \big(W^{{(l+1)\top}} \delta^{{(l+1)}}\big) \odot {f_tex}'(z^{{(l)}})",
                   LABEL_SIZE).next_to(error, DOWN, buff=0.45).align_to(error, LEFT)
        self.play(diagram.edge_group.animate.set_stroke(opacity=0.4), run_time=0.5)  # let the errors stand out
        errors = [None] * (L + 1)
        errors[L] = out_err
        captions = {L - 1: t("Each neuron's error is the weighted sum of the errors it feeds, times its activation's slope."),
                    L - 2: t("Layer by layer, the error flows back to the first hidden layer.")}
        for l in range(L - 1, 0, -1):
            errors[l] = diagram.values(l, deltas[l], NUDGE)
            extra = [FadeIn(back)] if l == L - 1 else []
            self.say(captions[l], *diagram.flash(l + 1, NUDGE, backwards=True), *to_delta(l, deltas[l]),
                     FadeIn(errors[l]), *extra, run_time=1.6)

        # --- beat 3: the slope of every weight ----------------------------------------------------------
        self.beat(t("The slope of every weight"))
        chain = tex(r"\frac{\partial C}{\partial w^{(l)}_{jk}} = \delta^{(l)}_j\, a^{(l-1)}_k", LABEL_SIZE + 4, SLOPE)
        chain.next_to(back, DOWN, buff=0.45).align_to(back, LEFT)
        worked, marks = None, []
        for n, (l, j, k, side) in enumerate(self.SHOWN_WEIGHTS):
            edge = diagram.edges[l][j][k]
            start, end = diagram.ends(l, j, k)
            mark = Line(start, end, color=SLOPE, stroke_width=7)
            value = attach(DecimalNumber(float(grads.weights[l - 1][j, k]), num_decimal_places=2,
                                         font_size=SMALL_SIZE + 2, color=SLOPE), mark)
            value.next_to(mark.get_center(), side, buff=0.18)
            attach(value, edge)
            marks.append(VGroup(mark, value))
            line = tex(rf"= ({tex_number(deltas[l][j], '.2f')})({tex_number(acts[l - 1][k], '.2f')}) = "
                       rf"{tex_number(grads.weights[l - 1][j, k], '.2f')}",
                       LABEL_SIZE + 4, SLOPE).next_to(chain, DOWN, buff=0.3).align_to(chain, LEFT).shift(0.4 * RIGHT)
            anims = [Create(mark), FadeIn(value)]
            anims.append(FadeIn(line) if worked is None else ReplacementTransform(worked, line))
            if n == 0:
                self.say(t("A weight's slope is the error at its end times the activation feeding it."),
                         FadeIn(chain), *anims, run_time=1.2)
            elif n == 1:
                self.say(t("Here {delta:.2f} times {a:.2f} gives {dw:.2f}.", delta=deltas[l][j], a=acts[l - 1][k],
                           dw=grads.weights[l - 1][j, k]),
                         *anims, run_time=1.0)
            else:
                self.say(t("One backward sweep gives the slope of the cost for every weight: the gradient."),
                         *anims, run_time=1.0)
            worked = line
        self.hold()


# =====================================================================================================
# Training, and the valley it descends
# --- settings shared by the two scenes ---------------------------------------------------------------
def _layer_sizes(default: str) -> Setting:
    """Hidden layer sizes written "8-8": one to three layers of 1 … 10 neurons (so the diagram fits)."""
    def parse(v):
        parts = str(v).replace(",", "-").split("-")
        if not all(p.strip().isdigit() for p in parts):
            raise CalcvizError(f"{v!r} is not layer sizes like 8-8")
        sizes = tuple(int(p) for p in parts)
        if not 1 <= len(sizes) <= 3 or not all(1 <= s <= 10 for s in sizes):
            raise CalcvizError(f"{v!r}: want 1 to 3 hidden layers of 1 to 10 neurons")
        return sizes
    return Setting(default, parse, "hidden layer sizes, e.g. 8-8")


_TRAINING_SETTINGS = {
    "data": choice("moons", list(DATASETS), help="the toy data set"),
    "hidden": _layer_sizes("6-6"),
    "lr": number(1.0, 1e-3, 5.0, help="learning rate of plain gradient descent"),
    "steps": integer(400, 20, 3000, help="training steps"),
    "seed": integer(1, 0, 10_000, help="seed of the data and the initial weights"),
}


def _train_run(s, snapshot_steps, grid_size: int = 2):
    """The run both scenes show: plain gradient descent (optimizer "sgd"), full batch, from the seed."""
    data = make_dataset(s["data"], 200, rng=s["seed"])
    network = MLP((2, *s["hidden"], 1))
    history = train(network, data, optimizer="sgd", lr=s["lr"], steps=s["steps"], rng=s["seed"],
                    snapshot_steps=snapshot_steps, grid_size=grid_size)
    if history.diverged:
        raise SystemExit(f"calcviz: {history.message}")
    return data, network, history


# --- drawing helpers (every number comes from the core) ----------------------------------------------
def _signed_lut() -> np.ndarray:
    """256 RGBA rows (0 … 1) of the diverging map for outputs a ∈ [0, 1] (2a − 1 signed), dimmed so points read."""
    rows = []
    for k in range(256):
        v = 2 * k / 255 - 1
        c = interpolate_color(SIGNED_COLORS[1], SIGNED_COLORS[2] if v > 0 else SIGNED_COLORS[0], abs(v))
        rows.append([*interpolate_color(BACKGROUND, c, 0.62).to_rgb(), 1.0])
    return np.array(rows)


class _HeatMap(Picture):
    """The network's output on the core's grid, drawn as one picture: row i (y = ys[i]) a band through
    the grid points of that row, linear in x between them (the colours of ``_signed_lut``).

    It looks as the hundred gradient strips it replaces did — one strip per grid row, each a
    rectangle from the first grid point to the last, (cell + 0.025) high so neighbours overlap a
    little and no seams show, the upper row painted over the lower — but is painted once per new
    output into a surface the size of the map, and only copied into the frames in between.
    """

    OVERLAP = 0.025  # how far (scene units) each row's band reaches into its neighbours'
    # It fades in with the legend and the network. (The strips it replaced did not: manim's FadeIn left their
    # gradients at full strength, so the map popped in whole on the first frame of the fade.)
    fades = True

    def __init__(self, plot, xs, ys):
        left, right = plot.c2p(xs[0], 0)[0], plot.c2p(xs[-1], 0)[0]
        h = plot.y_axis.get_unit_size() * (ys[-1] - ys[0]) / (len(ys) - 1)
        centres = np.array([plot.c2p(0, y)[1] for y in ys])  # row i is y = ys[i], as the core's outputs
        bottom, top = centres[0] - (h + self.OVERLAP) / 2, centres[-1] + (h + self.OVERLAP) / 2
        super().__init__(right - left, top - bottom)
        self.move_to([(left + right) / 2, (bottom + top) / 2, 0])
        self.lut = _signed_lut()
        self.columns = len(xs)
        # each row's band, as fractions of the map's height from its bottom edge
        self.bands = np.column_stack([centres - (h + self.OVERLAP) / 2, centres + (h + self.OVERLAP) / 2])
        self.bands = (self.bands - bottom) / (top - bottom)
        self.colours = None
        self._outputs = None
        self._rows = (None, None)

    def show(self, outputs: np.ndarray) -> "_HeatMap":
        if outputs is self._outputs or (self._outputs is not None and np.array_equal(outputs, self._outputs)):
            return self
        self._outputs = outputs
        self.colours = self.lut[np.clip(np.round(outputs * 255), 0, 255).astype(int)]
        self.changed()
        return self

    def row_weights(self, box) -> tuple[np.ndarray, np.ndarray, int]:
        """For each device pixel row the map touches: the (up to three) grid rows seen in it and their
        weights — each band's coverage of the pixel row, under the bands painted after it (as Cairo
        painted the strips); rows at the map's edges are made whole (the rectangle's edge blends them)."""
        top, bottom = int(np.floor(box[1])), int(np.ceil(box[3]))
        height = box[3] - box[1]
        edges = box[3] - self.bands * height  # device y (down) of each band's bottom and top
        r = np.arange(top, bottom, dtype=float)[:, None]
        cover = np.clip(np.minimum(r + 1, edges[None, :, 0]) - np.maximum(r, edges[None, :, 1]), 0, 1)
        under = np.ones_like(cover)  # Π (1 − coverage) of the bands painted after each one
        under[:, :-1] = np.cumprod((1 - cover)[:, :0:-1], axis=1)[:, ::-1]
        weight = cover * under
        pick = np.argsort(-weight, axis=1)[:, :3]
        w = np.take_along_axis(weight, pick, axis=1)
        total = w.sum(axis=1, keepdims=True)
        return pick, w / np.where(total > 0, total, 1), top

    def render(self, box, size):
        if self._rows[0] != box:
            self._rows = (box, self.row_weights(box))
        pick, w, top = self._rows[1]
        c = self.colours.astype(np.float32)
        rgba = sum(w[:, k, None, None] * c[pick[:, k]] for k in range(pick.shape[1]))  # opaque colours
        # device → picture: column j sits on grid point j (pixel centre j + 0.5), rows are device rows
        sx = (self.columns - 1) / (box[2] - box[0])
        return frame_pixels(rgba, premultiplied=True), cairo.Matrix(sx, 0, 0, 1, 0.5 - box[0] * sx, -top)


def _marker(point, label: int, size: float = 0.15) -> VMobject:
    """Class 0 a circle, class 1 a triangle: light fills with a dark rim, so the shape carries the class."""
    fill = interpolate_color(DATA, SIGNED_COLORS[2] if label else SIGNED_COLORS[0], 0.35)
    shape = Triangle() if label else Dot(radius=1)
    shape.set_fill(fill, 1).set_stroke(BACKGROUND, 2.2)
    return shape.scale_to_fit_height(size * (1.15 if label else 0.95)).move_to(point)


def _one_path(group: VMobject) -> VMobject:
    """A group of same-styled pieces (a DashedLine's dashes) as one VMobject of many subpaths: the camera
    draws it in one go instead of piece by piece; the pieces do not touch, so the pixels are the same."""
    pieces = group.family_members_with_points()
    path = VMobject()
    path.set_points(np.concatenate([p.points for p in pieces]))
    return path.match_style(pieces[0])


class _WeightDiagram(VGroup):
    """A small network diagram whose edges follow a Params: colour by sign, width by |w|, dashed when negative."""

    def __init__(self, sizes, width: float, height: float, center, w_max: float):
        super().__init__()
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        gap = min(0.5, height / max(sizes))
        self.radius = min(0.12, 0.26 * gap)
        self.w_max = w_max
        self.centers = [[np.array(center) + [x, (n - 1) / 2 * gap - j * gap, 0] for j in range(n)]
                        for x, n in zip(xs, sizes)]
        self.nodes = VGroup(*[Dot(c, radius=self.radius, color=DATA) for col in self.centers for c in col])

    def edge_style(self, w: float):
        """An edge's colour (by sign, stronger as |w| grows) and stroke width (by |w|)."""
        t = min(abs(w) / self.w_max, 1.0)
        color = interpolate_color(SIGNED_COLORS[1], SIGNED_COLORS[2] if w > 0 else SIGNED_COLORS[0], 0.4 + 0.6 * t)
        return color, 0.6 + 4.4 * t

    def edges(self, params) -> VGroup:
        group = VGroup()
        for l, W in enumerate(params.weights, start=1):
            for j in range(W.shape[0]):
                for k in range(W.shape[1]):
                    w = float(W[j, k])
                    color, width = self.edge_style(w)
                    a, b = self.centers[l - 1][k], self.centers[l][j]
                    kw = dict(color=color, stroke_width=width)
                    group.add(Line(a, b, **kw) if w >= 0 else DashedLine(a, b, dash_length=0.07, **kw))
        return group

    def live_edges(self, key, params) -> VGroup:
        """``edges(params())`` kept up to date: restyled in place on the frames where ``key()`` changes.

        An edge's line and dashed line never move, so each is built once; a new snapshot then costs a
        colour, a width and a choice per edge instead of new mobjects (a DashedLine takes milliseconds).
        A dashed line is one path of many pieces: drawn at once, not dash by dash."""
        shapes = [(Line(a, b), _one_path(DashedLine(a, b, dash_length=0.07)))
                  for l in range(1, len(self.centers)) for b in self.centers[l] for a in self.centers[l - 1]]
        def restyle(m: VGroup, _shown) -> None:
            chosen = []
            for (line, dashed), w in zip(shapes, (float(w) for W in params().weights for w in W.ravel())):
                color, width = self.edge_style(w)
                shape = line if w >= 0 else dashed
                chosen.append(shape.set_stroke(color, width=width).set_fill(color))
            m.submobjects = chosen
        group, follow = VGroup(), on_change(key, restyle)
        follow(group)
        return group.add_updater(follow)

    def flash(self, color, backwards: bool = False):
        """Pulses along every edge at once: forward (left to right) or backward (right to left)."""
        pulses = []
        for l in range(1, len(self.centers)):
            for a in self.centers[l - 1]:
                for b in self.centers[l]:
                    start, end = (b, a) if backwards else (a, b)
                    pulses.append(ShowPassingFlash(Line(start, end, color=color, stroke_width=2.5), time_width=0.5))
        return pulses


def _loop_code(font_size: int = SMALL_SIZE) -> Code:
    """The training loop of ``calcviz.network.train`` for optimizer="sgd", full batch, as a short rendition.

    The core's loop also flattens θ for the optimizer and checks for divergence; the four
    lines that do the work are these: forward, loss, backward, update (θ ← θ − lr ∇C).
    """
    source = ("for k in range(steps):\n"
              "    fwd = net.forward(θ, X)\n"
              "    loss = net.cost(fwd, y)\n"
              "    dC = net.backward(θ, fwd, y)\n"
              "    θ = θ - lr * dC")
    code = code_listing(source, font_size)
    return code


def _line_highlight(code: Code, first: int, last: int | None = None) -> RoundedRectangle:
    """A filled bar behind code lines first … last (no stroke, so it is not a line a label could cover)."""
    lines = code.code_lines.submobjects
    last = first if last is None else last
    top, bottom = lines[first].get_top()[1] + 0.07, lines[last].get_bottom()[1] - 0.07
    bar = RoundedRectangle(corner_radius=0.06, width=code.background.width - 0.12, height=top - bottom,
                           stroke_width=0, fill_color=MUTED, fill_opacity=0.35)
    return bar.move_to([code.background.get_center()[0], (top + bottom) / 2, 0])


def _speed_badge(factor: int) -> VGroup:
    """The "×N" marker: how much faster than one step per beat the counter runs."""
    label = tex(rf"\times {factor}", LABEL_SIZE, NUDGE)
    frame = RoundedRectangle(corner_radius=0.1, width=label.width + 0.36, height=label.height + 0.26,
                             stroke_color=NUDGE, stroke_width=2, fill_color=PANEL, fill_opacity=1)
    return VGroup(frame, label.move_to(frame))


def _speed_plan(steps: int, slow_steps: int, slow_rate: float, budget: float) -> tuple[int, float]:
    """The ×N (1, 2, 5, 10, …) that plays the steps after the slow part in at most ``budget`` seconds."""
    rest = max(steps - slow_steps, 0)
    for factor in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if rest / (slow_rate * factor) <= budget:
            return factor, rest / (slow_rate * factor)
    return 500, rest / (slow_rate * 500)


class TrainingTheNetwork(RedrawLess, Pictures, LessonScene):
    """Training is a loop — forward, loss, backward, update — and the decision boundary bends to the data.

    manim -qm scenes/network.py TrainingTheNetwork
    """

    SETTINGS = dict(_TRAINING_SETTINGS)
    CACHE_STILL_OVER = True  # RedrawLess: the data markers over the heat map come from a cached layer
    SLOW_STEPS = 20      # steps played one by one at SLOW_RATE after the first worked step
    SLOW_RATE = 5.0      # steps per second at ×1
    FAST_BUDGET = 8.0    # seconds for the rest of training, sped up by a round factor
    GRID = 100           # the boundary map's grid points per side

    def construct(self):
        s = self.settings
        steps = s["steps"]
        every = np.unique(np.round(np.linspace(0, steps, min(steps, 1000) + 1)).astype(int))
        data, network, history = _train_run(s, every, grid_size=self.GRID)
        snaps = history.snapshots
        snap_steps = history.snapshot_steps
        losses = history.losses
        w_max = max(float(np.abs(W).max()) for snap in snaps for W in snap.params.weights)

        def snap_index(t: float) -> int:
            return int(np.searchsorted(snap_steps, t + 1e-9, side="right")) - 1

        def snap_at(t: float):
            return snaps[snap_index(t)]

        def step() -> int:
            return int(k.get_value() + 1e-9)

        # --- layout: boundary plot on the left, code and loss curve on the right -----------------------
        heading = title(t("Training a network"))
        domain = (history.grid_x[0], history.grid_x[-1]), (history.grid_y[0], history.grid_y[-1])
        plot = fitted_axes(domain, 6.3, 4.6, [-3.55, -0.3, 0],
                           axis_config={"stroke_opacity": 0})  # invisible: only for coordinates
        heat = _HeatMap(plot, history.grid_x, history.grid_y).show(snaps[0].outputs[..., 0])
        frame = Square(1).stretch_to_fit_width(heat.width).stretch_to_fit_height(heat.height).move_to(heat)
        frame.set_stroke(MUTED, 1.5)
        heat.set_z_index(-1)  # always under the points
        points = VGroup(*[_marker(plot.c2p(*x), int(c)) for x, c in zip(data.X, data.y)])
        legend = VGroup(
            VGroup(_marker(ORIGIN, 0, 0.22), tex("y = 0", LABEL_SIZE)),
            VGroup(_marker(ORIGIN, 1, 0.22), tex("y = 1", LABEL_SIZE)),
        )
        for row in legend:
            row[1].next_to(row[0], RIGHT, buff=0.15)
        bar = VGroup(*[Square(0.2, stroke_width=0, fill_opacity=1).set_fill(
            interpolate_color(SIGNED_COLORS[1], SIGNED_COLORS[2] if k > 4 else SIGNED_COLORS[0], abs(k - 4) / 4))
            for k in range(9)]).arrange(RIGHT, buff=0).stretch_to_fit_height(0.22)
        bar_row = VGroup(tex("a = 0", LABEL_SIZE), bar, tex("1", LABEL_SIZE)).arrange(RIGHT, buff=0.15)
        legend.add(bar_row)
        column = (frame.get_center()[0] - 3.15, frame.get_center()[0] + 3.15)  # the left column, whatever the data's shape
        legend.arrange(RIGHT, buff=0.35).next_to(frame, DOWN, buff=0.22).set_x(column[0], LEFT)

        code = _loop_code().to_corner(UP + RIGHT, buff=0.35)
        loss_axes = function_axes([0, steps, _tick(steps)], [0, _ceil_tenth(losses.max()), _tick_y(losses.max())],
                                  3.6, 2.7)
        loss_axes.next_to(code, DOWN, buff=0.95).align_to(code, LEFT).shift(0.55 * RIGHT)
        step_word = t("step")
        step_name = text(step_word, SMALL_SIZE, MUTED).next_to(loss_axes.c2p(0, 0), DOWN + LEFT, buff=0.12)
        if step_name.get_left()[0] < legend.get_right()[0] + 0.25:  # a longer word ("langkah") would meet the legend:
            step_name.next_to(loss_axes.x_axis.numbers, DOWN, buff=0.15).set_x(loss_axes.x_axis.get_center()[0])
        diagram = _WeightDiagram(network.sizes, 1.7, 3.9, [5.72, loss_axes.get_center()[1] - 0.3, 0], w_max)

        k = ValueTracker(0.0)  # the step the picture shows (fractional between steps)

        heat.add_updater(lambda m: m.show(snap_at(k.get_value()).outputs[..., 0]))
        # the picture changes only when the step shown does: restyle the edges on those frames alone
        edges = diagram.live_edges(lambda: snap_index(k.get_value()), lambda: snap_at(k.get_value()).params)

        def loss_curve():
            curve = VMobject(stroke_color=NUDGE, stroke_width=3)
            pts = [loss_axes.c2p(j, losses[j]) for j in range(step() + 1)]
            curve.set_points_as_corners(pts if len(pts) > 1 else pts * 2)
            return curve
        curve = redraw_on_change(step, loss_curve)
        loss_dot = redraw_on_change(step, lambda: Dot(loss_axes.c2p(step(), losses[step()]), 0.06, color=NUDGE))
        counter = Readout(rf"\text{{{step_word}}}", 0, 0)
        counter.number.add_updater(lambda m: m.set_value(step()))
        loss_readout = Readout("C =", losses[0], 3, NUDGE)
        loss_readout.number.add_updater(lambda m: m.set_value(losses[step()]))
        correct_word = t("correct")
        acc_readout = Readout(rf"\text{{{correct_word}}} =", 100 * history.accuracies[0], 0)
        acc_readout.add(tex(r"\%", LABEL_SIZE).next_to(acc_readout.number, RIGHT, buff=0.08))
        acc_readout[2].add_updater(lambda m: m.next_to(acc_readout.number, RIGHT, buff=0.08))
        acc_readout.number.add_updater(lambda m: m.set_value(100 * history.accuracies[step()]))
        counter.next_to(frame, UP, buff=0.3).set_x(column[0], LEFT)
        acc_readout.next_to(frame, UP, buff=0.3).set_x(column[1], RIGHT)
        loss_readout.next_to(loss_axes, UP, buff=0.2).align_to(loss_axes, LEFT).shift(0.1 * LEFT)
        widest = Readout(rf"\text{{{step_word}}}", steps, 0).move_to(counter, aligned_edge=LEFT)
        badge = _speed_badge(1).next_to(widest, RIGHT, buff=0.35)

        # --- beat 1: the loop -------------------------------------------------------------------------
        self.beat(t("The loop"))
        self.play(Write(heading), run_time=0.8)
        self.say(t("A network learns by running one short loop, over and over."), FadeIn(code), run_time=1.0)
        self.say(t("{n} points of two classes, circles and triangles: no straight line separates them.", n=data.n),
                 Create(frame), FadeIn(points, lag_ratio=0.01), FadeIn(legend[:2]), run_time=1.5)
        self.say(t("Colour shows the untrained network's answer a, from 0 for circle to 1 for triangle."),
                 FadeIn(heat), FadeIn(legend[2]), FadeIn(diagram.nodes), FadeIn(edges), run_time=1.2)

        # --- beat 2: one step ------------------------------------------------------------------------
        self.beat(t("One step"))
        highlight = _line_highlight(code, 1).set_fill(opacity=0)
        code.submobjects.insert(1, highlight)  # between the panel and the text
        self.say(t("Forward: every point goes through the network."), highlight.animate.set_fill(opacity=0.35),
                 *diagram.flash(INK), FadeIn(counter), run_time=1.2)
        self.say(t("Loss: one number, C = {c:.2f}, says how wrong the answers are.", c=losses[0]),
                 highlight.animate.become(_line_highlight(code, 2)), Create(loss_axes),
                 FadeIn(step_name), FadeIn(loss_readout), FadeIn(loss_dot), FadeIn(acc_readout), run_time=1.0)
        self.add(curve)
        self.say(t("Backward: backpropagation gives the slope of the loss for every weight."),
                 highlight.animate.become(_line_highlight(code, 3)), *diagram.flash(NUDGE, backwards=True),
                 run_time=1.2)
        self.say(t("Update: each weight steps downhill by {lr:g} times its slope.", lr=s["lr"]),
                 highlight.animate.become(_line_highlight(code, 4)), k.animate.set_value(1), run_time=1.0)

        # --- beat 3: repeat -----------------------------------------------------------------------------
        self.beat(t("Repeat"))
        slow_end = min(1 + self.SLOW_STEPS, steps)
        self.say(t("Then repeat. Each pass through the loop is one step."),
                 highlight.animate.become(_line_highlight(code, 1, 4)), FadeIn(badge),
                 k.animate.set_value(slow_end), run_time=(slow_end - 1) / self.SLOW_RATE, rate_func=linear)
        if slow_end < steps:
            factor, seconds = _speed_plan(steps, slow_end, self.SLOW_RATE, self.FAST_BUDGET)
            fast = _speed_badge(factor).move_to(badge, aligned_edge=LEFT)
            self.play(Transform(badge, fast), run_time=0.4)
            self.say(t("Sped up {factor} times: the loss keeps falling, and the boundary bends around the data.",
                       factor=factor), k.animate.set_value(steps), run_time=seconds, rate_func=linear)

        # --- beat 4: trained ------------------------------------------------------------------------------
        self.beat(t("Trained"))
        self.say(t("After {n} steps the loss is {c:.3f}, and {accuracy:.0%} of the points are classified correctly.",
                   n=history.nit, c=history.fun, accuracy=history.accuracy),
                 FadeOut(badge), highlight.animate.set_fill(opacity=0), run_time=0.8)
        self.hold()


def _tick(steps: int) -> int:
    """A round tick spacing giving 3 to 6 ticks along 0 … steps."""
    for t in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if steps / t <= 5:
            return t
    return 1000


def _ceil_tenth(v: float) -> float:
    return float(np.ceil(v * 10) / 10)


def _tick_y(v: float) -> float:
    top = _ceil_tenth(v)
    return 0.1 if top <= 0.5 else 0.2 if top <= 1.0 else 0.5


# --- the loss on a plane ----------------------------------------------------------------------------
def _square_window(path: np.ndarray, margin: float = 0.2) -> tuple[np.ndarray, float]:
    """Centre and half-width of a square (α, β) window around the projected path and θ* = (0, 0)."""
    pts = np.vstack([path, [[0.0, 0.0]]])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    half = (1 + 2 * margin) * float(np.max(hi - lo)) / 2
    return (lo + hi) / 2, half


class _SurfaceView:
    """An orthographic picture of a height field z[j, i] over (xs[i], ys[j]), painted back to front.

    A static view costs one polygon per grid cell and is drawn once per animation (the
    Cairo camera caches still mobjects), so no 3-D scene is needed for a fixed camera.
    """

    def __init__(self, xs, ys, zs, center, side: float, azimuth: float = -20.0, elevation: float = 35.0,
                 height: float = 0.55):
        self.x0, self.y0 = (xs[0] + xs[-1]) / 2, (ys[0] + ys[-1]) / 2
        self.half = max(xs[-1] - xs[0], ys[-1] - ys[0]) / 2
        self.z_top = float(np.max(zs))
        self.az, self.el = np.radians(azimuth), np.radians(elevation)
        self.height = height
        self.scale, self.offset = 1.0, np.zeros(3)
        corners = np.array([self._raw(x, y, z) for x in (xs[0], xs[-1]) for y in (ys[0], ys[-1])
                            for z in (0.0, self.z_top)])
        lo, hi = corners.min(axis=0), corners.max(axis=0)
        self.scale = side / max(hi[0] - lo[0], hi[1] - lo[1])
        self.offset = np.asarray(center, dtype=float) - self.scale * (lo + hi) / 2

    def _raw(self, x, y, z):
        u, v = (x - self.x0) / self.half, (y - self.y0) / self.half
        across = u * np.cos(self.az) - v * np.sin(self.az)
        depth = u * np.sin(self.az) + v * np.cos(self.az)
        up = self.height * 2 * z / self.z_top * np.cos(self.el) + depth * np.sin(self.el)
        return np.array([across, up, 0.0])

    def point(self, x, y, z) -> np.ndarray:
        return self.scale * self._raw(x, y, z) + self.offset

    def depth(self, x, y) -> float:
        u, v = (x - self.x0) / self.half, (y - self.y0) / self.half
        return u * np.sin(self.az) + v * np.cos(self.az)

    def mesh(self, xs, ys, zs, levels) -> VGroup:
        """One quad per grid cell, coloured by the contour band of its mean height (as contour_map)."""
        quads = []
        for j in range(len(ys) - 1):
            for i in range(len(xs) - 1):
                corners = [(xs[i], ys[j], zs[j, i]), (xs[i + 1], ys[j], zs[j, i + 1]),
                           (xs[i + 1], ys[j + 1], zs[j + 1, i + 1]), (xs[i], ys[j + 1], zs[j + 1, i])]
                band = np.searchsorted(levels, np.mean([c[2] for c in corners])) / len(levels)
                color = height_color(band)
                quad = Polygon(*[self.point(*c) for c in corners], stroke_width=0.6, fill_color=color,
                               fill_opacity=1, stroke_color=interpolate_color(color, BACKGROUND, 0.45))
                quads.append((self.depth((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2), quad))
        quads.sort(key=lambda q: -q[0])  # farthest first
        return VGroup(*[q for _, q in quads])


class LossLandscapeSlice(LessonScene):
    """Training walks down a valley of the loss; a plane through the trained weights is a 2-D window onto it.

    manim -qm scenes/network.py LossLandscapeSlice
    """

    SETTINGS = {
        **_TRAINING_SETTINGS,
        "snapshots": integer(41, 5, 200, help="points recorded along the training path"),
        "grid": integer(41, 11, 81, help="loss evaluations per side of the slice"),
    }

    @classmethod
    def check_settings(cls, values):
        if values["snapshots"] > values["steps"] + 1:
            raise CalcvizError(f"setting snapshots: {values['snapshots']} is more than the "
                               f"{values['steps'] + 1} points a {values['steps']}-step run has")

    def construct(self):
        s = self.settings
        data, network, history = _train_run(s, s["snapshots"])
        plane = pca_slice(history, n=2)  # the plane of the path's principal directions, and the path on it
        mid, half = _square_window(plane.path)
        ticks = np.linspace(-half, half, s["grid"])
        cut = slice_along(history, plane.directions, mid[0] + ticks, mid[1] + ticks, kind="pca",
                          explained_variance=plane.explained_variance)
        levels = pick_levels(cut.losses, 12)
        contours = contour_lines(cut.alphas, cut.betas, cut.losses, levels)
        P = network.n_params
        shown = float(np.sum(cut.explained_variance))
        steps = history.snapshot_steps

        # --- beat 1: too many dimensions -----------------------------------------------------------
        self.beat(t("Too many dimensions"))
        heading = title(t("A window onto the loss"))
        whole = tex(rf"C(\theta),\quad \theta \in \mathbb{{R}}^{{{P}}}", FORMULA_SIZE + 8)
        window = tex(r"C(\theta^* + \alpha\, d_1 + \beta\, d_2)", FORMULA_SIZE + 8)
        VGroup(whole, window).arrange(DOWN, buff=0.6).move_to(0.3 * UP)
        self.play(Write(heading), run_time=0.8)
        self.say(t("This network has {p} weights and biases: its loss lives in {p} dimensions.", p=P),
                 FadeIn(whole), run_time=1.0)
        self.say(t("We can draw one slice: the plane through the trained weights along the two directions "
                   "training moved most."), FadeIn(window), run_time=1.0)

        # --- beat 2: the slice as a map ---------------------------------------------------------------
        self.beat(t("The slice as a map"))
        domain = ((cut.alphas[0], cut.alphas[-1]), (cut.betas[0], cut.betas[-1]))
        axes = plane_axes(domain, VIEW_SIDE - 0.4, LEFT_VIEW + 0.1 * LEFT, numbers=False)
        lines = contour_map(axes, contours, stroke_width=2)
        alpha_name = tex(r"\alpha", LABEL_SIZE, MUTED).next_to(axes.x_axis, RIGHT, buff=0.12)
        beta_name = tex(r"\beta", LABEL_SIZE, MUTED).next_to(axes.y_axis, UP, buff=0.1)
        star = Dot(axes.c2p(0, 0), 0.08, color=INK)
        star_name = attach(tex(r"\theta^*", LABEL_SIZE).next_to(star, DOWN + LEFT, buff=0.08), star)
        self.play(FadeOut(whole), window.animate.scale(LABEL_SIZE / (FORMULA_SIZE + 8)).to_corner(UP + RIGHT, buff=0.45),
                  run_time=0.8)
        self.say(t("On that plane the loss is a map of contour lines, with the trained network θ* at the origin."),
                 Create(axes), FadeIn(alpha_name), FadeIn(beta_name), Create(lines), FadeIn(star),
                 FadeIn(star_name), run_time=2.0)

        # --- beat 3: walking down -----------------------------------------------------------------------
        self.beat(t("Walking down"))
        k = ValueTracker(0.0)
        last = len(cut.path) - 1

        def i():
            return int(np.floor(k.get_value() + 1e-9))

        def walked():
            n = min(i() + 1, last)
            frac = k.get_value() - i()
            pts = [axes.c2p(*p) for p in cut.path[: n]]
            pts.append(axes.c2p(*(cut.path[n - 1] + frac * (cut.path[min(n, last)] - cut.path[n - 1]))))
            line = VMobject(stroke_color=STEP, stroke_width=3)
            line.set_points_as_corners(pts if len(pts) > 1 else pts * 2)
            return line
        trail = always_redraw(walked)
        hiker = always_redraw(lambda: Dot(walked().get_end(), 0.09, color=STEP))
        footprints = descent_path(axes, cut.path)[1]
        step_word = t("step")
        counter = Readout(rf"\text{{{step_word}}}", 0, 0)
        counter.number.add_updater(lambda m: m.set_value(steps[min(i(), last)]))
        loss = Readout("C =", cut.path_losses[0], 3, STEP)
        loss.number.add_updater(lambda m: m.set_value(cut.path_losses[min(i(), last)]))
        readouts = VGroup(counter, loss).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        readouts.move_to(RIGHT_VIEW + 1.8 * UP).align_to(RIGHT_VIEW + 1.2 * LEFT, LEFT)
        self.play(FadeIn(readouts), FadeIn(hiker), run_time=0.5)
        self.add(trail, hiker)
        self.say(t("Training starts high on the slope and walks down into the valley."),
                 k.animate.set_value(last), run_time=5.0, rate_func=linear)
        self.add(footprints)
        self.remove(trail, hiker)
        self.add(descent_path(axes, cut.path)[0], footprints)
        self.say(t("This plane holds {shown:.0%} of the path's movement; the rest is in the other {n} directions.",
                   shown=shown, n=P - 2))

        # --- beat 4: a valley in many dimensions ---------------------------------------------------------
        self.beat(t("A valley"))
        view = _SurfaceView(cut.alphas, cut.betas, cut.losses, RIGHT_VIEW + 0.2 * DOWN, VIEW_SIDE - 0.6)
        mesh = view.mesh(cut.alphas, cut.betas, cut.losses, levels)
        on_surface = [view.point(a, b, c) for (a, b), c in zip(cut.path, cut.path_plane_losses)]
        walk = VMobject(stroke_color=STEP, stroke_width=4)
        walk.set_points_as_corners(on_surface)
        end = Dot(on_surface[-1], 0.09, color=STEP)
        self.play(FadeOut(readouts), run_time=0.5)
        self.say(t("Lift each point by its loss, and the map becomes a landscape."), FadeIn(mesh), run_time=1.5)
        self.say(t("Training is a walk down a valley in a space of many dimensions."), Create(walk), FadeIn(end),
                 run_time=2.5)
        self.say(t("This picture is a two-dimensional window onto it."))
        self.hold()
