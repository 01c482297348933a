"""Lesson 3 — The guts of a neural network: one neuron, a forward pass, and backpropagation.

Render one scene:  manim -qm scenes/network.py ForwardPass
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Circle, Create, DashedLine, DashedVMobject, DecimalNumber, Dot, FadeIn, FadeOut,
    LaggedStart, Line, Rectangle, ReplacementTransform, ShowPassingFlash, VGroup, VMobject, Write,
    interpolate_color,
)

from calcviz.contours import contour_lines
from calcviz.network import HIDDEN, MLP, Params, train
from calcviz.toy_data import make_dataset
from scenes.shared import (
    BACKGROUND, FUNCTION, INK, LABEL_SIZE, LEFT_VIEW, MUTED, NUDGE, PANEL, RIGHT_VIEW,
    SIGNED_COLORS, SLOPE, SMALL_SIZE, TICK_SIZE, LessonScene, attach, choice, function_axes, height_color, integer,
    number, path_through, plane_axes, tex, title,
)

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
        self.beat("A weighted sum")
        heading = title("One neuron")
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
        w_labels = VGroup(attach(tex(f"w_1 = {w1:g}", LABEL_SIZE, FUNCTION).next_to(wires[0].point_from_proportion(0.3), UP + RIGHT, buff=0.1), wires[0]),
                          attach(tex(f"w_2 = {w2:g}", LABEL_SIZE, FUNCTION).next_to(wires[1].point_from_proportion(0.3), DOWN + RIGHT, buff=0.1), wires[1]))
        b_label = tex(f"b = {b:g}", LABEL_SIZE, FUNCTION).next_to(neuron, UP, buff=0.25).shift(0.3 * RIGHT)
        sigma = tex(r"\Sigma", LABEL_SIZE + 12).move_to(neuron)
        out_wire = Arrow(neuron.get_right(), neuron.get_right() + 1.5 * RIGHT, buff=0.05, color=MUTED, stroke_width=4)
        out_name = attach(tex("a", LABEL_SIZE).next_to(out_wire, UP, buff=0.12), out_wire)

        sum_formula = tex("z = w_1 x_1 + w_2 x_2 + b", LABEL_SIZE + 4)
        sum_numbers = tex(rf"= {w1:g}\cdot{x1:g} + ({w2:g})\cdot{x2:g} + {b:g} = {z:.2f}", LABEL_SIZE + 4)
        formulas = VGroup(sum_formula, sum_numbers).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        formulas.move_to(RIGHT_VIEW + 2.6 * UP)
        self.play(Write(heading), run_time=0.8)
        self.say("A neuron takes two inputs, x1 and x2, and weighs each one.",
                 LaggedStart(*[FadeIn(m) for m in (*inputs, in_values, in_names)], lag_ratio=0.2),
                 *[Create(w) for w in wires], FadeIn(neuron), FadeIn(w_labels), run_time=1.5)
        self.say(f"It adds the weighted inputs and a bias b: here z = {z:.2f}.",
                 FadeIn(b_label), FadeIn(sigma), Write(formulas), run_time=1.5)

        # --- beat 2: the activation -------------------------------------------------------------
        self.beat("The activation")
        a_range = {"sigmoid": [0, 1, 0.5], "tanh": [-1, 1, 1],  # ticks clear of the curve
                   "relu": [0, max(6.0, float(np.ceil(hi))), 2]}[s["activation"]]
        axes = function_axes([-6, 6, 2], a_range, 5.6, 3.2).move_to(RIGHT_VIEW + 1.15 * DOWN)
        graph = path_through(axes, zs, curve_a, FUNCTION)
        z_name = attach(tex("z", LABEL_SIZE, MUTED).next_to(axes.x_axis.get_right(), UP, buff=0.2), axes.x_axis)
        a_name = tex(rf"a = {f_tex}(z)", LABEL_SIZE, FUNCTION).next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        drop = DashedLine(axes.c2p(z, 0), axes.c2p(z, a), color=NUDGE, stroke_width=3)
        dot = Dot(axes.c2p(z, a), radius=0.08, color=NUDGE)
        a_value = tex(rf"a = {f_tex}({z:.2f}) = {a:.2f}", LABEL_SIZE, NUDGE)
        a_value.next_to(axes, UP, buff=0.15).align_to(axes, RIGHT)
        self.say(f"Then it squashes z with an activation function, here {s['activation']}.",
                 Create(axes), FadeIn(z_name), Create(graph), FadeIn(a_name), run_time=1.5)
        self.say(f"Its output is a = {a:.2f}: the neuron's answer for this input.",
                 Create(drop), FadeIn(dot), FadeIn(a_value), FadeIn(out_wire), FadeIn(out_name), run_time=1.2)

        # --- beat 3: a function of the whole input plane -------------------------------------------
        self.beat("Over the input plane")
        plane = plane_axes(((-bounds, bounds), (-bounds, bounds)), side=5.4, center=LEFT_VIEW + 0.1 * UP,
                           numbers=False)
        image = _heat_map(plane, centres, a_grid, lo, hi)
        border = Rectangle(width=plane.x_length, height=plane.y_length, color=MUTED, stroke_width=2)
        border.move_to(plane.c2p(0, 0))
        ticks = VGroup(  # the plane's extent, written outside the picture
            tex(f"{-bounds:g}", TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, -bounds), DOWN, buff=0.15),
            tex(f"{bounds:g}", TICK_SIZE, MUTED).next_to(plane.c2p(bounds, -bounds), DOWN, buff=0.15),
            tex(f"{-bounds:g}", TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, -bounds), LEFT, buff=0.15),
            tex(f"{bounds:g}", TICK_SIZE, MUTED).next_to(plane.c2p(-bounds, bounds), LEFT, buff=0.15))
        x_names = VGroup(tex("x_1", LABEL_SIZE, MUTED).next_to(border, RIGHT, buff=0.15),
                         tex("x_2", LABEL_SIZE, MUTED).next_to(border, UP, buff=0.12))
        sample = Dot(plane.c2p(x1, x2), radius=0.09, color=NUDGE).set_stroke(BACKGROUND, width=3)
        self.play(FadeOut(VGroup(*inputs, in_values, in_names, *wires, neuron, w_labels, b_label, sigma, out_wire,
                                 out_name, formulas)), run_time=0.8)
        self.say("Now give the neuron every input in the plane at once and colour each point by its output.",
                 FadeIn(image), Create(plane), Create(border), FadeIn(ticks), FadeIn(x_names), FadeIn(sample),
                 run_time=1.5)
        # a colour bar beside the activation curve: the same heights, the same colours
        bar_lo, bar_hi = axes.c2p(6, lo)[1], axes.c2p(6, hi)[1]
        bar = VGroup(*[Rectangle(width=0.22, height=1.2 * (bar_hi - bar_lo) / cells, stroke_width=0,
                                 fill_color=height_color(k / (cells - 1)), fill_opacity=1)
                       .move_to([axes.get_right()[0] + 0.3, bar_lo + (k + 0.5) * (bar_hi - bar_lo) / cells, 0])
                       for k in range(cells)])
        self.say("Dark means a low output, bright a high one; the bar beside the curve reads the colours.",
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
                          tex(f"w = ({w1:g}, {w2:g})", LABEL_SIZE, SLOPE))
        w_legend[1].next_to(w_legend[0], RIGHT, buff=0.25)
        legends = VGroup(legend, w_legend).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        legends.next_to(a_name, UP, buff=0.6).align_to(axes, LEFT)
        self.say("On the dashed line z is zero: there the neuron switches from off to on.",
                 Create(lines), FadeIn(legend), run_time=1.5)
        self.say("The output rises across that line in the direction of the weights w.",
                 FadeIn(w_shadow), Create(w_arrow), FadeIn(w_legend), run_time=1.2)
        self.hold()


class ForwardPass(LessonScene):
    """A forward pass: one input lights up a trained 2-3-3-1 network layer by layer, z = Wa + b, a = f(z).

    manim -qm scenes/network.py ForwardPass
    """

    SETTINGS = {**NETWORK_SETTINGS, "example": integer(0, 0, 199, help="which training point to feed in")}

    def construct(self):
        s = self.settings
        network, history, data = _trained_xor(s)
        params = history.params
        x, label = data.X[s["example"]], int(data.y[s["example"]])
        fwd = network.forward(params, x)
        acts = [a[0] for a in fwd.activations]
        zs = [z[0] for z in fwd.zs]
        f_tex = ACTIVATION_TEX[s["hidden"]]

        # --- beat 1: the network -----------------------------------------------------------------
        self.beat("A small network")
        heading = title("A forward pass")
        diagram = _NetworkDiagram(params)
        names = diagram.column_labels(["x", "a^{(1)}", "a^{(2)}", "a^{(3)}"])
        legend = _weight_legend().move_to([0, -3.1, 0]).align_to([PANEL_X, 0, 0], LEFT)
        self.play(Write(heading), run_time=0.8)
        self.say(f"This network has two inputs, two hidden layers of three neurons and one output.",
                 LaggedStart(Create(diagram.edge_group), FadeIn(diagram.node_group), lag_ratio=0.3),
                 FadeIn(names), run_time=2.0)
        self.say(f"It was trained for {history.nit} steps on XOR, and gets {history.accuracy:.0%} of the points right.")
        self.say("Each line is a weight: solid for positive, dashed for negative, thicker when larger.",
                 FadeIn(legend), run_time=1.0)

        # --- beat 2: one input -----------------------------------------------------------------------
        self.beat("One input")
        given = tex(rf"x = ({x[0]:.2f},\ {x[1]:.2f})", LABEL_SIZE + 4).move_to([0, 2.6, 0]).align_to([PANEL_X, 0, 0], LEFT)
        in_numbers = diagram.values(0, acts[0])
        self.say(f"Feed in one point, x = ({x[0]:.2f}, {x[1]:.2f}).",
                 FadeIn(given), *diagram.fill(0, acts[0]), FadeIn(in_numbers), run_time=1.2)

        # --- beat 3: layer by layer ----------------------------------------------------------------
        self.beat("Layer by layer")
        rule = VGroup(tex(r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}", LABEL_SIZE + 4),
                      tex(rf"a^{{(l)}} = {f_tex}(z^{{(l)}})", LABEL_SIZE + 4))
        rule.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(given, DOWN, buff=0.55).align_to(given, LEFT)
        W, bias = params.weights[0], params.biases[0]
        one = VGroup(
            tex(rf"z^{{(1)}}_1 = {W[0, 0]:.2f}\cdot({acts[0][0]:.2f}) + {W[0, 1]:.2f}\cdot({acts[0][1]:.2f})", LABEL_SIZE),
            tex(rf"{bias[0]:+.2f} = {zs[0][0]:.2f}", LABEL_SIZE),
            tex(rf"a^{{(1)}}_1 = {f_tex}({zs[0][0]:.2f}) = {acts[1][0]:.2f}", LABEL_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(rule, DOWN, buff=0.5).align_to(rule, LEFT)
        one[1].shift(0.6 * RIGHT)
        focus = Circle(diagram.radius + 0.1, color=SLOPE, stroke_width=4).move_to(diagram.nodes[1][0])
        self.say(f"Each neuron adds up its weighted inputs and its bias, then applies {s['hidden']}.",
                 FadeIn(rule), run_time=1.0)
        self.say(f"The top neuron of the first layer gets z = {zs[0][0]:.2f}, so it outputs {acts[1][0]:.2f}.",
                 *diagram.flash(1, INK), Create(focus), FadeIn(one), run_time=1.5)
        layer_one = diagram.values(1, acts[1])
        self.play(*diagram.fill(1, acts[1]), FadeIn(layer_one), FadeOut(focus), run_time=0.8)
        self.say("The second layer does the same with the first layer's outputs.",
                 *diagram.flash(2, INK), FadeOut(one), run_time=1.2)
        layer_two = diagram.values(2, acts[2])
        self.play(*diagram.fill(2, acts[2]), FadeIn(layer_two), run_time=0.8)

        # --- beat 4: the answer -----------------------------------------------------------------------
        self.beat("The answer")
        out_rule = tex(r"a^{(3)} = \sigma(z^{(3)})", LABEL_SIZE + 4).next_to(rule, DOWN, buff=0.5).align_to(rule, LEFT)
        answer = tex(rf"P(\text{{class }} 1) = {acts[3][0]:.2f}", LABEL_SIZE + 4, FUNCTION)
        truth = tex(rf"\text{{label}}\ y = {label}", LABEL_SIZE + 4)
        result = VGroup(answer, truth).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        result.next_to(out_rule, DOWN, buff=0.5).align_to(rule, LEFT)
        self.say("The output neuron uses a sigmoid, so its value lies between 0 and 1.",
                 *diagram.flash(3, INK), FadeIn(out_rule), run_time=1.2)
        out_number = diagram.values(3, acts[3])
        self.say(f"The network says class 1 with probability {acts[3][0]:.2f}; the label is {label}.",
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
        network, history, data = _trained_xor(s)
        params = history.params
        x, label = data.X[s["example"]], int(data.y[s["example"]])
        fwd = network.forward(params, x)
        grads = network.backward(params, fwd, data.y[s["example"]: s["example"] + 1])
        out_delta = float(network.output_delta(fwd, network.targets([label]))[0, 0])
        acts = [a[0] for a in fwd.activations]
        deltas = [None] + [b for b in grads.biases]  # one example: ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁾
        f_tex = ACTIVATION_TEX[s["hidden"]]
        L = network.depth

        # --- beat 1: the error at the output -------------------------------------------------------
        self.beat("The error at the output")
        heading = title("Backpropagation")
        diagram = _NetworkDiagram(params)
        names = diagram.column_labels(["x", "a^{(1)}", "a^{(2)}", "a^{(3)}"])
        legend = _weight_legend().move_to([0, -3.1, 0]).align_to([PANEL_X, 0, 0], LEFT)
        numbers = [diagram.values(l, acts[l]) for l in range(L + 1)]
        fills = [anim for l in range(L + 1) for anim in diagram.fill(l, acts[l])]
        given = tex(rf"x = ({x[0]:.2f},\ {x[1]:.2f}),\ \ y = {label}", LABEL_SIZE + 4).move_to([0, 2.6, 0]).align_to([PANEL_X, 0, 0], LEFT)
        labels = list(names)  # each column's label is swapped on its own, a⁽ˡ⁾ → δ⁽ˡ⁾
        self.play(Write(heading), FadeIn(diagram), *[FadeIn(n) for n in labels], FadeIn(legend), run_time=1.0)
        self.say(f"Take a training point with label {label}. The forward pass answers {acts[L][0]:.2f}.",
                 *fills, *[FadeIn(n) for n in numbers], FadeIn(given), run_time=1.2)
        error = tex(rf"\delta^{{(3)}} = a^{{(3)}} - y = {acts[L][0]:.2f} - {label} = {out_delta:.2f}",
                    LABEL_SIZE, NUDGE).next_to(given, DOWN, buff=0.5).align_to(given, LEFT)
        out_node = diagram.nodes[L][0]
        out_err = diagram.values(L, [out_delta], NUDGE)

        def to_delta(l, values):
            """Neurons of layer l stop showing activations and show their errors instead."""
            new_label = tex(rf"\delta^{{({l})}}", LABEL_SIZE, NUDGE).move_to(labels[l])
            anims = [ReplacementTransform(labels[l], new_label), FadeOut(numbers[l])]
            anims += [node.animate.set_fill(PANEL, opacity=1).set_stroke(NUDGE, width=5) for node in diagram.nodes[l]]
            labels[l] = new_label
            return anims

        self.say(f"With cross-entropy, the output's error is simply δ = a − y = {out_delta:.2f}.",
                 *to_delta(L, [out_delta]), FadeIn(out_err), FadeIn(error), run_time=1.2)

        # --- beat 2: the error flows back -------------------------------------------------------------
        self.beat("The error flows back")
        back = tex(rf"\delta^{{(l)}} = \big(W^{{(l+1)\top}} \delta^{{(l+1)}}\big) \odot {f_tex}'(z^{{(l)}})",
                   LABEL_SIZE).next_to(error, DOWN, buff=0.45).align_to(error, LEFT)
        self.play(diagram.edge_group.animate.set_stroke(opacity=0.4), run_time=0.5)  # let the errors stand out
        errors = [None] * (L + 1)
        errors[L] = out_err
        captions = {L - 1: "Each neuron's error is the weighted sum of the errors it feeds, times its activation's slope.",
                    L - 2: "Layer by layer, the error flows back to the first hidden layer."}
        for l in range(L - 1, 0, -1):
            errors[l] = diagram.values(l, deltas[l], NUDGE)
            extra = [FadeIn(back)] if l == L - 1 else []
            self.say(captions[l], *diagram.flash(l + 1, NUDGE, backwards=True), *to_delta(l, deltas[l]),
                     FadeIn(errors[l]), *extra, run_time=1.6)

        # --- beat 3: the slope of every weight ----------------------------------------------------------
        self.beat("The slope of every weight")
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
            line = tex(rf"= ({deltas[l][j]:.2f})({acts[l - 1][k]:.2f}) = {grads.weights[l - 1][j, k]:.2f}",
                       LABEL_SIZE + 4, SLOPE).next_to(chain, DOWN, buff=0.3).align_to(chain, LEFT).shift(0.4 * RIGHT)
            anims = [Create(mark), FadeIn(value)]
            anims.append(FadeIn(line) if worked is None else ReplacementTransform(worked, line))
            if n == 0:
                self.say("A weight's slope is the error at its end times the activation feeding it.",
                         FadeIn(chain), *anims, run_time=1.2)
            elif n == 1:
                self.say(f"Here {deltas[l][j]:.2f} times {acts[l - 1][k]:.2f} gives {grads.weights[l - 1][j, k]:.2f}.",
                         *anims, run_time=1.0)
            else:
                self.say("One backward sweep gives the slope of the cost for every weight: the gradient.",
                         *anims, run_time=1.0)
            worked = line
        self.hold()
