"""Write the tutorial notebooks from the cells below (outputs cleared, stable cell ids).

Run ``python tutorials/_make_notebooks.py`` after editing a cell here; commit the .ipynb files.
Keeping the source in one Python file makes the notebooks' text reviewable and their diffs small.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
INSTALL = 'pip install "autograd_nn[tutorials]"'


def setup(*modules: str, optional: dict[str, str] | None = None) -> str:
    """The first code cell: stop with one clear message when a required extra is missing.

    The stop raises ``MissingExtraError``, whose ``_render_traceback_`` makes IPython show just the
    message (no traceback, no "To exit: use 'exit'" warning as ``SystemExit`` would), while the
    kernel still reports an error, so "Run all" and nbclient stop at this cell.
    """
    needed = ", ".join(f'"{m}"' for m in modules) + ("," if len(modules) == 1 else "")
    lines = [
        "# This notebook needs the optional packages below; a missing one stops here with one clear",
        "# message, not a traceback halfway through.",
        "import importlib.util",
        "",
        "",
        "class MissingExtraError(ImportError):",
        "    def _render_traceback_(self):      # IPython shows only the message",
        "        return [str(self)]",
        "",
        "",
        f"needed = ({needed})",
        "missing = [m for m in needed if importlib.util.find_spec(m) is None]",
        "if missing:",
        "    raise MissingExtraError(",
        "        f\"This notebook needs {', '.join(missing)}. Install the tutorials extra:  \"",
        f"        '{INSTALL}'",
        "    )",
    ]
    for module, why in (optional or {}).items():
        lines += [
            f'if importlib.util.find_spec("{module}") is None:',
            f'    print("{module} is not installed: {why}.")',
            f"    print('For it:  {INSTALL}')",
        ]
    if "matplotlib" in modules:
        lines += ["%matplotlib inline"]
    return "\n".join(lines)


SHOW = '''\
from IPython.display import display


def show(diagram):
    """Display a diagram inline (with no Graphviz program at all, it says what to install)."""
    display(diagram)'''


def md(text: str) -> tuple[str, str]:
    return ("markdown", text.strip("\n"))


def code(text: str) -> tuple[str, str]:
    return ("code", text.strip("\n"))


NOTEBOOKS: dict[str, list[tuple[str, str]]] = {}

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["01-threshold-logic-units"] = [
    md(r"""
# 1. Threshold logic units

A biological neuron collects signals from many others, adds them up (roughly), and fires when the
total passes a threshold. The **threshold logic unit** (TLU) keeps only that much of the biology.

A TLU has $n$ inputs $x_1, \dots, x_n$, one **weight** $w_i$ per input and a **threshold** $\theta$.
Its output is

$$y = \begin{cases} 1 & \text{if } \sum_{i=1}^n w_i x_i \ge \theta \\ 0 & \text{otherwise.}\end{cases}$$

In this notebook we build the two units of the lecture (a conjunction and an implication), read
their truth tables, and look at what a TLU does geometrically: it cuts the input space in two with
a straight line (two inputs) or a plane (three inputs).
"""),
    code(setup("matplotlib")),
    code(r"""
import itertools

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import lecture
from autograd_nn.data import AND, IMPLIES, THREE_INPUT
from autograd_nn.nn import TLU
from viz.plots import plot_tlu_line, plot_tlu_plane
"""),
    md(r"""
## The conjunction $x_1 \wedge x_2$

With weights $w_1 = 3$, $w_2 = 2$ and threshold $\theta = 4$, the weighted sum reaches 4 only when
both inputs are 1 (then it is 5); either input alone gives 3 or 2, which is not enough.
`TLU(weights, threshold)` builds such a unit; calling it on an input returns a `Value` holding 1 or 0.
"""),
    code(r"""
conjunction = TLU([3, 2], threshold=4)

print(" x1  x2 | 3x1 + 2x2 | y")
rows = [(0, 0), (1, 0), (0, 1), (1, 1)]          # the lecture's row order: x1 changes fastest
for x1, x2 in rows:
    s = 3 * x1 + 2 * x2
    print(f" {x1:2}  {x2:2} | {s:9} | {conjunction([x1, x2]).data:.0f}")

outputs = [conjunction([x1, x2]).data for x1, x2 in rows]
assert outputs == [0.0, 0.0, 0.0, 1.0]
assert outputs == list(AND.targets)                # the truth table of x1 AND x2
assert outputs == [lecture.conjunction_tlu()([x1, x2]).data for x1, x2 in rows]   # the library's copy
"""),
    md(r"""
## The implication $x_2 \rightarrow x_1$

"If $x_2$ then $x_1$" is false only when $x_2 = 1$ and $x_1 = 0$. Weights $2$ and $-2$ with threshold
$\theta = -1$ do it: the sum $2x_1 - 2x_2$ is $-2$ exactly in that one case and at least $0$ otherwise.
A negative weight is an *inhibiting* input: $x_2 = 1$ pushes the unit away from firing.
"""),
    code(r"""
implication = TLU([2, -2], threshold=-1)

print(" x1  x2 | 2x1 - 2x2 | y")
for x1, x2 in rows:
    print(f" {x1:2}  {x2:2} | {2 * x1 - 2 * x2:9} | {implication([x1, x2]).data:.0f}")

outputs = [implication([x1, x2]).data for x1, x2 in rows]
assert outputs == [1.0, 1.0, 0.0, 1.0]
assert outputs == list(IMPLIES.targets)
assert outputs == [lecture.implication_tlu()([x1, x2]).data for x1, x2 in rows]
"""),
    md(r"""
## The geometric view

The inputs where the unit is exactly undecided, $w_1 x_1 + w_2 x_2 = \theta$, form a straight line.
On one side of it the weighted sum exceeds the threshold and the unit fires (shaded), on the other
it does not. The weight vector $(w_1, w_2)$ points towards the firing side.

`viz.plots.plot_tlu_line` draws the line, shades the firing side and marks each input filled
(output 1) or open (output 0). For the conjunction the line $3x_1 + 2x_2 = 4$ crosses the axes at
$x_1 = 4/3$ and $x_2 = 2$, and only the corner $(1, 1)$ lies beyond it.
"""),
    code(r"""
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
plot_tlu_line(conjunction, ax=axes[0])
plot_tlu_line(implication, ax=axes[1])
axes[0].set_title("conjunction  $3x_1 + 2x_2 \\geq 4$")
axes[1].set_title("implication  $2x_1 - 2x_2 \\geq -1$")
plt.tight_layout()

# The drawn line is the conjunction's undecided set 3 x1 + 2 x2 = 4 (it crosses the axes at
# x1 = 4/3 and x2 = 2).
(line,) = [art for art in axes[0].lines if art.get_gid() == "tlu_line"]
assert np.allclose(np.column_stack(line.get_data()) @ [3, 2], 4)
# Every corner lies on the side its output says: signed distance to the line >= 0 <=> y = 1.
for unit in (conjunction, implication):
    w = np.array([v.data for v in unit.w])
    theta = unit.threshold.data
    for x in rows:
        side = (w @ np.array(x) - theta) / np.linalg.norm(w)
        assert (side >= 0) == (unit(list(x)).data == 1.0)
"""),
    md(r"""
## Three inputs: a plane through the cube

With three inputs the undecided points $w_1x_1 + w_2x_2 + w_3x_3 = \theta$ form a plane, and the
eight possible inputs are the corners of the unit cube. The lecture's example is the function

$$(x_1 \wedge \bar{x}_2) \vee (x_1 \wedge x_3) \vee (\bar{x}_2 \wedge x_3),$$

which a single TLU computes with weights $(2, -2, 2)$ and threshold $\theta = 1$.
"""),
    code(r"""
three = TLU([2, -2, 2], threshold=1)

print(" x1 x2 x3 | 2x1 - 2x2 + 2x3 | y | formula")
for x, target in THREE_INPUT:
    s = 2 * x[0] - 2 * x[1] + 2 * x[2]
    y = three(list(x)).data
    print(f" {x[0]:2.0f} {x[1]:2.0f} {x[2]:2.0f} | {s:15.0f} | {y:.0f} | {target:.0f}")
    assert y == target

# The formula itself, written out, agrees with the library's truth table.
for x1, x2, x3 in itertools.product((0, 1), repeat=3):
    formula = (x1 and not x2) or (x1 and x3) or (not x2 and x3)
    assert three([x1, x2, x3]).data == float(bool(formula))

ax = plot_tlu_plane(three)
ax.view_init(elev=20, azim=-60)
"""),
    md(r"""
## What a single TLU can and cannot do

A TLU fires on one side of a line (or plane, or hyperplane) and stays silent on the other. So it can
compute a Boolean function only if the inputs with output 1 can be separated from those with output 0
by such a cut: the function must be **linearly separable**. Conjunction, implication and the
three-input function above are. The next notebook meets a function that is not, and the way out:
connect several TLUs into a network.
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["02-networks-of-tlus"] = [
    md(r"""
# 2. Networks of TLUs

The **biconditional** $x_1 \leftrightarrow x_2$ ("$x_1$ if and only if $x_2$") is 1 when both inputs
are equal. Its 1-inputs, $(0,0)$ and $(1,1)$, sit on one diagonal of the square and its 0-inputs on
the other. No single straight line separates the two diagonals, so no single TLU computes it.
We first check that claim, then build the biconditional from three TLUs, as the lecture does.
"""),
    code(setup("matplotlib")),
    code(r"""
import itertools

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn.data import AND, BICONDITIONAL
from autograd_nn.lecture import biconditional_network
from autograd_nn.nn import TLU, TLUNetwork
from viz.plots import plot_tlu_line

rows = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
"""),
    md(r"""
## Why one TLU cannot do it

Suppose $w_1 x_1 + w_2 x_2 \ge \theta$ held exactly for the equal inputs. Then

* $(0,0) \mapsto 1$: $\;0 \ge \theta$
* $(1,1) \mapsto 1$: $\;w_1 + w_2 \ge \theta$
* $(1,0) \mapsto 0$: $\;w_1 < \theta$
* $(0,1) \mapsto 0$: $\;w_2 < \theta$

Adding the last two gives $w_1 + w_2 < 2\theta$, and with the second, $\theta \le w_1 + w_2 < 2\theta$,
so $\theta > 0$, contradicting the first line. No weights and threshold work.

A proof is best backed by an experiment: try a grid of weights and thresholds and count how many TLUs
compute each function. Many compute the conjunction; none computes the biconditional.
"""),
    code(r"""
grid = np.arange(-3.0, 3.01, 0.5)
found = {"AND": 0, "BICONDITIONAL": 0}
for w1, w2, theta in itertools.product(grid, grid, grid):
    unit = TLU([w1, w2], theta)
    outputs = tuple(unit(list(x)).data for x in rows)
    found["AND"] += outputs == AND.targets
    found["BICONDITIONAL"] += outputs == BICONDITIONAL.targets
print(f"tried {len(grid) ** 3} TLUs:", found)
assert found["AND"] > 0
assert found["BICONDITIONAL"] == 0
"""),
    md(r"""
## Logical decomposition

The biconditional is the conjunction of two implications:

$$x_1 \leftrightarrow x_2 \;\equiv\; (x_1 \rightarrow x_2) \wedge (x_2 \rightarrow x_1).$$

Each implication is linearly separable (notebook 1), and so is the conjunction. So we wire two TLUs
into a **hidden layer**, one per implication, and feed their outputs $h_1, h_2$ into a third TLU for
the conjunction:

* $h_1 = [\,-2x_1 + 2x_2 \ge -1\,]$ computes $x_1 \rightarrow x_2$,
* $h_2 = [\,2x_1 - 2x_2 \ge -1\,]$ computes $x_2 \rightarrow x_1$,
* $y = [\,2h_1 + 2h_2 \ge 3\,]$ fires only when both do.
"""),
    code(r"""
h1_unit = TLU([-2, 2], -1)
h2_unit = TLU([2, -2], -1)
y_unit = TLU([2, 2], 3)
network = TLUNetwork([[h1_unit, h2_unit], [y_unit]])

print(" x1 x2 | h1 h2 | y")
hidden = []
for x in rows:
    h = (h1_unit(list(x)).data, h2_unit(list(x)).data)
    y = network(list(x))[0].data
    hidden.append(h)
    print(f" {x[0]:2.0f} {x[1]:2.0f} | {h[0]:2.0f} {h[1]:2.0f} | {y:.0f}")

assert [network(list(x))[0].data for x in rows] == list(BICONDITIONAL.targets)
assert [biconditional_network()(list(x))[0].data for x in rows] == list(BICONDITIONAL.targets)
"""),
    md(r"""
## What the hidden layer did

Each hidden unit draws one line through the input square. Together they map the four inputs to new
coordinates $(h_1, h_2)$: both equal inputs land on $(1, 1)$, the two unequal ones on $(0,1)$ and
$(1,0)$. In these coordinates one line separates the classes, and the output unit draws it. A network
solves a non-separable problem by changing the representation until it is separable.

In every panel the shading shows where *that unit* fires, while the markers show the biconditional's
value for each input (filled: $x_1 \leftrightarrow x_2 = 1$). Each hidden unit fires on three inputs,
one of them an unequal pair, so neither alone computes the biconditional; in the third panel the two
equal inputs sit on top of each other at $(1, 1)$, the only point on the output unit's firing side.
"""),
    code(r"""
X = np.array(rows)
labels = np.array(BICONDITIONAL.targets)
H = np.array(hidden)
target = "$x_1 \\leftrightarrow x_2$"          # the markers show the network's target, not the unit's output

fig, axes = plt.subplots(1, 3, figsize=(13, 4))
plot_tlu_line(h1_unit, X=X, y=labels, ax=axes[0], y_name=target)
axes[0].set_title("hidden unit $h_1$: $x_1 \\to x_2$")
plot_tlu_line(h2_unit, X=X, y=labels, ax=axes[1], y_name=target)
axes[1].set_title("hidden unit $h_2$: $x_2 \\to x_1$")
plot_tlu_line(y_unit, X=H, y=labels, ax=axes[2], y_name=target)
axes[2].set_xlabel("$h_1$")
axes[2].set_ylabel("$h_2$")
axes[2].set_title("output unit in $(h_1, h_2)$ space")
plt.tight_layout()

assert set(map(tuple, H[labels == 1])) == {(1.0, 1.0)}
assert set(map(tuple, H[labels == 0])) == {(0.0, 1.0), (1.0, 0.0)}
assert H.sum(axis=0).tolist() == [3.0, 3.0]          # each hidden unit fires on three of the four inputs
"""),
    md(r"""
The weights here were found by reasoning about logic. For larger problems nobody can do that by hand:
we need the network to **learn** its weights from examples. TLUs make that hard, because their output
jumps from 0 to 1 and a small change of a weight usually changes nothing. The next notebooks replace
the step with smooth functions, so that every weight gets a useful gradient.
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["03-linear-models-and-xor"] = [
    md(r"""
# 3. Linear models and XOR

Many classic learners are **linear models**: they weigh feature values $h_j(\mathbf{d}_i)$ of an
example $\mathbf{d}_i$ with weights $\lambda_j$ and add them up,

$$\text{score}(\lambda, \mathbf{d}_i) = \sum_j \lambda_j h_j(\mathbf{d}_i).$$

Drawn as a network, this is a layer of input nodes connected by weighted arrows to one output node.
Here we show that such a model cannot represent XOR (1 exactly when the inputs differ), that adding
a hidden layer alone does not help either, and that a hidden layer with a non-linearity does.
"""),
    code(setup("matplotlib")),
    code(r"""
import matplotlib.pyplot as plt
import numpy as np

from autograd_nn.data import XOR
from autograd_nn.lecture import xor_network
from autograd_nn.nn import MLP
from viz.plots import plot_decision_boundary

X, y = XOR.arrays()
print(X, y)
"""),
    md(r"""
## Trying a linear score

A linear classifier says "1" when $\lambda_1 x_1 + \lambda_2 x_2 + \lambda_0 \ge 0$. Let us search:
draw 20,000 random weight vectors and record the best accuracy any of them reaches on the four XOR
points.
"""),
    code(r"""
rng = np.random.default_rng(0)
lambdas = rng.normal(size=(20_000, 3))                 # (lambda_1, lambda_2, lambda_0)
scores = X @ lambdas[:, :2].T + lambdas[:, 2]          # (4, 20000): every model on every point
accuracy = ((scores >= 0) == (y[:, None] == 1)).mean(axis=0)
best = int(accuracy.argmax())
print(f"best accuracy of 20,000 linear scores: {accuracy.max():.2f}; weights {lambdas[best].round(2)}")
assert accuracy.max() == 0.75                          # never all four
"""),
    md(r"""
Three out of four is the best possible: every line leaves at least one point on the wrong side (the
proof in notebook 2 for the biconditional works for XOR too: XOR is its negation, the same two
diagonals with the labels swapped). The plot shows the best of our random lines and the point it gets
wrong.
"""),
    code(r"""
best_score = lambda P: P @ lambdas[best, :2] + lambdas[best, 2]   # noqa: E731
ax = plot_decision_boundary(best_score, X, y, engine="numpy", threshold=0.0,
                            title="best linear score: one XOR point is always wrong")
"""),
    md(r"""
## Does a hidden layer help by itself?

Put a layer of hidden nodes between the inputs and the output, each hidden node again a weighted
sum. The network looks deeper, but it is not more powerful: a weighted sum of weighted sums is still
a weighted sum. `MLP(2, [2, 1], activation="linear")` builds that network with the engine; we multiply
its weight matrices out and get one linear model that computes exactly the same outputs.
"""),
    code(r"""
linear_net = MLP(2, [2, 1], activation="linear", seed=1)
hidden_layer, out_layer = linear_net.layers
W1 = np.array([[w.data for w in n.w] for n in hidden_layer.neurons])
b1 = np.array([n.b.data for n in hidden_layer.neurons])
W2 = np.array([[w.data for w in n.w] for n in out_layer.neurons])
b2 = np.array([n.b.data for n in out_layer.neurons])
W, b = W2 @ W1, W2 @ b1 + b2                           # the collapsed single-layer model
for x in X:
    deep = linear_net(list(x))[0].data
    flat = (W @ x + b)[0]
    assert abs(deep - flat) < 1e-12
print("two linear layers = one linear layer with weights", W.round(3), "and bias", b.round(3))
"""),
    md(r"""
## Add a non-linearity

What breaks the collapse is a non-linear function applied to each hidden node's sum. The lecture's
network (built by `autograd_nn.lecture.xor_network()`) has two sigmoid hidden nodes $D$ and $E$ and a
sigmoid output $G$. Its output is above $0.5$ exactly for the two inputs that differ: it computes XOR.
"""),
    code(r"""
net = xor_network()
print(" x1  x2 | y_G")
for x, t in zip(X, y):
    out = net(list(x))[0].data
    print(f" {x[0]:3.0f} {x[1]:3.0f} | {out:.4f}")
    assert (out >= 0.5) == (t == 1.0)

ax = plot_decision_boundary(net, X, y, title="the lecture's 2-2-1 sigmoid network on XOR")

# Both hidden units weigh x1 and x2 equally, so the output depends on the sum x1 + x2 alone ...
for total in (0.2, 1.0, 1.8):
    outs = [net([a, total - a])[0].data for a in (-0.5, 0.3, 1.1)]
    assert max(outs) - min(outs) < 1e-12
# ... and crosses 0.5 where x1 + x2 is about 0.39 and about 1.51: two parallel lines.
y_on_sum = lambda total: net([total / 2, total / 2])[0].data   # noqa: E731
assert y_on_sum(0.38) < 0.5 < y_on_sum(0.39) and y_on_sum(1.50) > 0.5 > y_on_sum(1.51)
"""),
    md(r"""
The boundary is no longer one line: the region where the network says 1 is a band between two
parallel lines, $x_1 + x_2 \approx 0.39$ and $x_1 + x_2 \approx 1.51$. They are straight because both
hidden units weigh $x_1$ and $x_2$ equally ($3.7$ and $3.7$, $2.9$ and $2.9$), so the output depends on
$x_1 + x_2$ alone. Each lies close to the line where one hidden unit switches over (its sum is 0):
$x_1 + x_2 = 1.5/3.7 \approx 0.41$ for $D$ and $4.5/2.9 \approx 1.55$ for $E$. So each hidden unit
draws one soft line, and the output unit fires between them: $D$ on and $E$ off. The next notebook looks
at the non-linear functions themselves and at their derivatives, which is what learning will need.
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["04-non-linearities"] = [
    md(r"""
# 4. Non-linearities

Instead of passing the linear combination on as it is, a neuron applies a non-linear function $f$:

$$\text{score}(\lambda, \mathbf{d}_i) = f\Big(\sum_j \lambda_j h_j(\mathbf{d}_i)\Big).$$

Popular choices are

* $\tanh(x)$,
* $\text{sigmoid}(x) = \dfrac{1}{1 + e^{-x}}$ (the *logistic* function),
* $\text{relu}(x) = \max(0, x)$,

and the TLU's step function is one too. Training will follow derivatives, so we plot each function
with its derivative. Both curves below come from the engine: every point is a `Value` pushed through
the function and differentiated with `backward()`.
"""),
    code(setup("matplotlib")),
    code(r"""
import math

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Value
from viz.plots import activation_and_derivative, plot_activations

axes = plot_activations(("sigmoid", "tanh", "relu", "step"))
plt.tight_layout()
"""),
    md(r"""
Look at the dashed lines. The step function's derivative is 0 everywhere (and undefined at 0): a small
change in a weight of a TLU changes nothing, so the TLU gives no hint which way to move. The other three
have useful slopes. The sigmoid's slope peaks at $1/4$ at 0 and fades for large $|x|$; tanh is a
rescaled sigmoid, steeper (slope 1 at 0); relu has slope 1 wherever it is active.
"""),
    code(r"""
xs = np.linspace(-5, 5, 401)
_, d_sigmoid = activation_and_derivative("sigmoid", xs)
_, d_tanh = activation_and_derivative("tanh", xs)
_, d_step = activation_and_derivative("step", xs)
assert abs(d_sigmoid.max() - 0.25) < 1e-12 and xs[d_sigmoid.argmax()] == 0.0
assert abs(d_tanh.max() - 1.0) < 1e-12
assert not d_step.any()
# tanh is a rescaled, shifted sigmoid: tanh(x) = 2 sigmoid(2x) - 1
for x in (-2.0, 0.3, 4.0):
    assert abs(math.tanh(x) - (2 * Value(2 * x).sigmoid().data - 1)) < 1e-12
"""),
    md(r"""
## The derivative of the sigmoid

With the quotient rule $\left(\frac{f}{g}\right)' = \frac{g f' - f g'}{g^2}$, for $f = 1$ and
$g = 1 + e^{-x}$ (so $g' = -e^{-x}$):

$$
\frac{d\,\text{sigmoid}(x)}{dx}
= \frac{0 \cdot (1 + e^{-x}) - 1 \cdot (-e^{-x})}{(1 + e^{-x})^2}
= \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}
= \frac{1}{1 + e^{-x}} \left(1 - \frac{1}{1 + e^{-x}}\right)
= \text{sigmoid}(x)\,\big(1 - \text{sigmoid}(x)\big).
$$

(The slide's second line has $(1 - e^{-x})$ where $(1 + e^{-x})$ belongs; it is multiplied by 0, so the
result is the same.)

So once the forward pass has computed $y = \text{sigmoid}(s)$, the derivative costs one multiplication:
$y' = y(1-y)$. The lecture writes it $y'$. Let us check it three ways at many points: the engine's
`backward()`, the formula $y(1-y)$, and a central finite difference
$\frac{\text{sigmoid}(x+\varepsilon) - \text{sigmoid}(x-\varepsilon)}{2\varepsilon}$.
"""),
    code(r"""
eps = 1e-6
worst_formula = worst_numeric = 0.0
for x in np.linspace(-8, 8, 161):
    v = Value(float(x))
    y = v.sigmoid()
    y.backward()                                   # v.grad = d sigmoid / dx at x
    formula = y.data * (1 - y.data)
    numeric = (Value(x + eps).sigmoid().data - Value(x - eps).sigmoid().data) / (2 * eps)
    worst_formula = max(worst_formula, abs(v.grad - formula))
    worst_numeric = max(worst_numeric, abs(v.grad - numeric))
print(f"largest |engine - y(1-y)|      = {worst_formula:.1e}")
print(f"largest |engine - finite diff| = {worst_numeric:.1e}")
assert worst_formula < 1e-15
assert worst_numeric < 1e-9
"""),
    md(r"""
The same check for tanh ($\tanh' = 1 - \tanh^2$) and relu (slope 1 for positive inputs, 0 for negative):
"""),
    code(r"""
for x in (-3.0, -0.5, 0.25, 2.0):
    v = Value(x)
    t = v.tanh()
    t.backward()
    assert abs(v.grad - (1 - t.data ** 2)) < 1e-15
    r = Value(x)
    out = r.relu()
    out.backward()
    assert r.grad == (1.0 if x > 0 else 0.0)

# The worked example's output unit: the slide takes y' at s = 1.17, where y = .7631 and
# y' = y (1 - y) = .1808, printed as .181.  (From the rounded y = .76 it would be .1824.)
y = Value(1.17).sigmoid()
print(f"y = {y.data:.4f}, y' = {y.data * (1 - y.data):.4f}")
assert round(y.data * (1 - y.data), 3) == 0.181
"""),
    md(r"""
Keep $y' = y(1 - y)$ in mind: the worked example in the next notebook uses it at every sigmoid node.
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["05-worked-example"] = [
    md(r"""
# 5. The worked example: forward and backward through the lecture's network

The lecture trains its XOR network on one example and computes every number by hand. We redo it with
the engine and compare with the slides.

The network: inputs $A = x_1$ and $B = x_2$; hidden sigmoid units $D$ and $E$, each with a bias fed by
a constant unit $C = 1$; the sigmoid output $G$ with its bias unit $F = 1$. The weight from unit $k$ into
unit $j$ is written $w_{jk}$:

| into | from A | from B | bias |
|---|---|---|---|
| D | $w_{DA} = 3.7$ | $w_{DB} = 3.7$ | $w_{DC} = -1.5$ |
| E | $w_{EA} = 2.9$ | $w_{EB} = 2.9$ | $w_{EC} = -4.5$ |

| into | from D | from E | bias |
|---|---|---|---|
| G | $w_{GD} = 4.5$ | $w_{GE} = -5.2$ | $w_{GF} = -2.0$ |

The example: input $(x_1, x_2) = (1, 0)$, target $t = 1$, learning rate $\mu = 10$, error
$E = \frac12 (t - y)^2$.

The lecture uses the letter $E$ twice: for the hidden unit $E$ and for the error $E$. The code keeps
them apart: the unit's sum and output are `s_E` and `h_E`, the error is `ex.error`.

The network itself is a plain `MLP`: its parameters are named by where they sit
(`layers.0.neurons.0.w.0`, as `named_parameters()` says), and the slides' names are data,
`ex.names` (`{"layers.0.neurons.0.w.0": "w_DA", ..., "layers.1.neurons.0": "G"}`), which we hand to
the tables and diagrams.
"""),
    code(setup("graphviz")),
    code(r"""
# ruff: noqa: N816 - the lecture's names (h_D, delta_G, y_prime_E) are kept as they are
import math

import viz
from autograd_nn import Value
from autograd_nn.lecture import delta_rule, delta_table, slide_numbers, worked_example
from viz.paths import path_products
"""
    + "\n" + SHOW),
    md(r"""
## Forward pass

Each unit computes its weighted sum $s = \sum_k w_k h_k$ (bias included) and then $h = \text{sigmoid}(s)$.
`worked_example()` builds the network, runs the example forward, computes the error and calls
`backward()`.
"""),
    code(r"""
ex = worked_example()
net = ex.model
w = ex.weights                                   # {"w_DA": Value, ..., "w_GF": Value}
assert w["w_DA"] is dict(net.named_parameters())["layers.0.neurons.0.w.0"]
h_D, h_E = ex.hidden
y_G = ex.output
s_D, s_E, s_G = h_D.parents[0], h_E.parents[0], y_G.parents[0]
assert h_D.op == h_E.op == y_G.op == "sigmoid"

print(f"s_D = {s_D.data:.4f}   h_D = sigmoid(s_D) = {h_D.data:.4f}   (slide: sigmoid(2.2) = .90)")
print(f"s_E = {s_E.data:.4f}   h_E = sigmoid(s_E) = {h_E.data:.4f}   (slide: sigmoid(-1.6) = .17)")
print(f"s_G = {s_G.data:.4f}   y_G = sigmoid(s_G) = {y_G.data:.4f}   (slide: sigmoid(1.17) = .76)")
print(f"E = 1/2 (t - y)^2 = {ex.error.data:.5f}")

assert abs(s_D.data - 2.2) < 1e-12 and abs(s_E.data - (-1.6)) < 1e-12
assert round(h_D.data, 2) == 0.90 and round(h_E.data, 2) == 0.17 and round(y_G.data, 2) == 0.76
# The values printed above to four decimals (within 5e-5, half a unit in the last printed digit):
assert abs(s_G.data - 1.1776) < 5e-5
assert abs(h_D.data - 0.9002) < 5e-5 and abs(h_E.data - 0.1680) < 5e-5 and abs(y_G.data - 0.7645) < 5e-5
"""),
    md(r"""
The slide writes $s_G = 1.17$ because it multiplies the *rounded* hidden values
($.90 \times 4.5 + .17 \times -5.2 - 2.0 = 1.166$); at full precision $s_G = 1.1776$ and $y_G = .7645$.
Small rounding like this runs through all the slide's numbers, so below we compare with the slide
twice: the exact value, and the slide's own arithmetic on its rounded inputs.

## Backward pass: the output unit

The chain rule splits the derivative of the error with respect to a weight $w_k$ of the output unit
into three factors, each simple:

$$\frac{dE}{dw_k} = \frac{dE}{dy}\,\frac{dy}{ds}\,\frac{ds}{dw_k} = -(t - y)\;\; y(1-y)\;\; h_k .$$

The lecture calls the first two factors together (with the sign flipped) the node's **error term**
$\delta$, and writes $y' = y(1-y)$:

$$\delta_G = (t - y)\,y', \qquad \Delta w_{Gk} = \mu\,\delta_G\,h_k = -\mu\frac{dE}{dw_{Gk}} .$$

The engine stores the gradient of every node, so $\delta_G$ is simply $-\,dE/ds_G$, read off the
sum node.
"""),
    code(r"""
mu = ex.learning_rate
t = ex.target
delta_G = -s_G.grad
y_prime_G = y_G.data * (1 - y_G.data)
print(f"y'_G = {y_prime_G:.4f}   delta_G = (t - y) y' = {delta_G:.4f}   (slide: (1 - .76) .181 = .0434)")

assert abs(delta_G - (t - y_G.data) * y_prime_G) < 1e-15
assert abs(y_prime_G - 0.1800) < 5e-5 and abs(delta_G - 0.0424) < 5e-5   # exact, as printed
slide_delta_G = (1 - 0.76) * 0.181                        # the slide's arithmetic on rounded values
assert abs(slide_delta_G - 0.0434) < 5e-4

updates = {name: -mu * p.grad + 0.0 for name, p in w.items()}   # Delta w = -mu dE/dw (+0.0: no "-0")
for name, h_k, slide in (("w_GD", h_D.data, 0.391), ("w_GE", h_E.data, 0.074), ("w_GF", 1.0, 0.434)):
    assert abs(updates[name] - mu * delta_G * h_k) < 1e-12     # Delta w_Gk = mu delta_G h_k
    print(f"Delta {name} = mu delta_G h = {updates[name]:.4f}   (slide {slide})")
assert abs(updates["w_GD"] - 0.3816) < 5e-5 and abs(10 * 0.0434 * 0.90 - 0.391) < 5e-4
assert abs(updates["w_GE"] - 0.0712) < 5e-5 and abs(10 * 0.0434 * 0.17 - 0.074) < 5e-4
assert abs(updates["w_GF"] - 0.4239) < 5e-5 and abs(10 * 0.0434 * 1.0 - 0.434) < 5e-4
"""),
    md(r"""
## Backward pass: the hidden units

A hidden unit has no target. Its error term collects the error terms of the units it feeds, weighted
by the connecting weights, times its own slope:

$$\delta_i = \Big(\sum_j w_{j \leftarrow i}\,\delta_j\Big)\, y'_i,
\qquad \Delta w_{ik} = \mu\,\delta_i\,h_k .$$

For $D$ there is one unit downstream, $G$: $\delta_D = w_{GD}\,\delta_G\,y'_D$ with
$y'_D = h_D(1 - h_D)$. Autograd computes the same thing by pushing gradients backwards through the
graph; we read $\delta_D = -\,dE/ds_D$ again.
"""),
    code(r"""
y_prime_D = h_D.data * (1 - h_D.data)
delta_D = -s_D.grad
print(f"y'_D = {y_prime_D:.4f}   delta_D = w_GD delta_G y'_D = {delta_D:.4f}")
print("(slide: 4.5 x .0434 x .0898 = .0175)")
assert abs(delta_D - 4.5 * delta_G * y_prime_D) < 1e-15
assert abs(delta_D - 0.0171) < 5e-5                                  # exact
assert abs(4.5 * 0.0434 * 0.0898 - 0.0175) < 5e-4                    # slide arithmetic
assert abs(y_prime_D - 0.0898) < 5e-5

x1, x2 = (v.data for v in ex.inputs)
for name, h_k, slide in (("w_DA", x1, 0.175), ("w_DB", x2, 0.0), ("w_DC", 1.0, 0.175)):
    assert abs(updates[name] - mu * delta_D * h_k) < 1e-12
    print(f"Delta {name} = {updates[name]:.4f}   (slide {slide})")
assert abs(updates["w_DA"] - 0.1713) < 5e-5 and updates["w_DB"] == 0.0
"""),
    md(r"""
## The slide erratum: $y'_E$

For $E$ the slide computes $\delta_E = w_{GE}\,\delta_G\,y'_E = -5.2 \times .0434 \times 0.2055 = -.0464$.
But $y'_E$ is the slope of $E$'s sigmoid at its own output, $y'_E = h_E(1 - h_E)$, and with
$h_E = .168$ that is $.168 \times .832 = .1398$, not $.2055$ (nor is .2055 equal to $h(1-h)$ for the
rounded $h_E = .17$). With the correct slope:

* slide arithmetic, corrected: $\delta_E = -5.2 \times .0434 \times .1398 = -.0316$,
  so $\Delta w_{EA} = -.316$;
* exact: $\delta_E = -.0308$ and $\Delta w_{EA} = -.308$.

The engine never makes this mistake: it takes $y'_E$ from the sigmoid node that computed $h_E$.
"""),
    code(r"""
y_prime_E = h_E.data * (1 - h_E.data)
delta_E = -s_E.grad
print(f"h_E = {h_E.data:.4f}   y'_E = h_E (1 - h_E) = {y_prime_E:.4f}   (the slide uses 0.2055)")
print(f"delta_E = w_GE delta_G y'_E = {delta_E:.4f}   (slide -.0464)")
print(f"Delta w_EA = mu delta_E x1 = {updates['w_EA']:.4f}   (slide -.464)")

assert abs(y_prime_E - 0.1398) < 5e-5                          # the correct slope
assert abs(y_prime_E - 0.2055) > 0.06                          # ... is not the slide's
assert abs(-5.2 * 0.0434 * 0.2055 - (-0.0464)) < 5e-4          # the slide's arithmetic itself is right
assert abs(-5.2 * 0.0434 * 0.1398 - (-0.0316)) < 5e-4          # corrected, slide rounding
assert abs(delta_E - (-5.2) * delta_G * y_prime_E) < 1e-15
assert abs(delta_E - (-0.0308)) < 5e-5                         # exact
assert abs(updates["w_EA"] - (-0.3081)) < 5e-5 and abs(updates["w_EA"] - mu * delta_E * x1) < 1e-12
"""),
    md(r"""
## The slides' figures, reproduced

`slide_numbers()` redoes the example the way the slides do, rounding every intermediate ($h$ to two
decimals, $s_G = 1.17$, $y' = .181$, ...). It reproduces every figure of the slides, and next to the
slide's $\delta_E$ and $\Delta w_{EA}$ (made with the wrong $y'_E = .2055$) it gives the corrected ones.
"""),
    code(r"""
n = slide_numbers()
print(f"slides: delta_G = {n.delta_G}, Delta w_GD, w_GE, w_GF = {n.dw_GD}, {n.dw_GE}, {n.dw_GF}")
print(f"slides: delta_D = {n.delta_D}, Delta w_DA, w_DB, w_DC = {n.dw_DA}, {n.dw_DB}, {n.dw_DC}")
print(f"slides (y'_E = {n.y_prime_E_slide}): delta_E = {n.delta_E_slide}, Delta w_EA = {n.dw_EA_slide}")
print(f"corrected (y'_E = {n.y_prime_E}): delta_E = {n.delta_E}, Delta w_EA = {n.dw_EA}")
assert (n.h_D, n.h_E, n.s_G, n.y, n.y_prime_G) == (0.90, 0.17, 1.17, 0.76, 0.181)
assert (n.delta_G, n.dw_GD, n.dw_GE, n.dw_GF) == (0.0434, 0.391, 0.074, 0.434)
assert (n.delta_D, n.dw_DA, n.dw_DB, n.dw_DC) == (0.0175, 0.175, 0.0, 0.175)
assert (n.delta_E_slide, n.dw_EA_slide) == (-0.0464, -0.464)
assert (n.y_prime_E, n.delta_E, n.dw_EA) == (0.1398, -0.0316, -0.316)
"""),
    md(r"""
## The whole table

`delta_table` prints the slide-style table for any small network, input, target and learning rate,
with every $\delta$ read from autograd as $-dE/ds$.
"""),
    code(r"""
fresh = worked_example()
table = delta_table(fresh.model, [1.0, 0.0], [1.0], 10.0, names=fresh.names)
print(table)
assert "w_GD" in table and "w_EA" in table
"""),
    md(r"""
## The delta rule by hand agrees with autograd

The lecture's rule written out with plain floats (no engine) gives the same nine updates to the last
few bits:
"""),
    code(r"""
def sig(s):
    return 1 / (1 + math.exp(-s))

W = {name: p.data for name, p in w.items()}
hD = sig(W["w_DA"] * x1 + W["w_DB"] * x2 + W["w_DC"])
hE = sig(W["w_EA"] * x1 + W["w_EB"] * x2 + W["w_EC"])
yG = sig(W["w_GD"] * hD + W["w_GE"] * hE + W["w_GF"])
dG = (t - yG) * yG * (1 - yG)
dD = W["w_GD"] * dG * hD * (1 - hD)
dE = W["w_GE"] * dG * hE * (1 - hE)
by_hand = {
    "w_DA": mu * dD * x1, "w_DB": mu * dD * x2, "w_DC": mu * dD,
    "w_EA": mu * dE * x1, "w_EB": mu * dE * x2, "w_EC": mu * dE,
    "w_GD": mu * dG * hD, "w_GE": mu * dG * hE, "w_GF": mu * dG,
}
for name in by_hand:
    assert abs(by_hand[name] - updates[name]) < 1e-12, name
print("delta rule by hand == autograd for all nine weights")

# The library's own hand-written delta rule (autograd_nn.lecture.delta_rule) agrees as well.
rule = delta_rule(net, [x1, x2], [t], learning_rate=mu)
assert abs(rule.deltas[1][0] - delta_G) < 1e-12
assert abs(rule.deltas[0][0] - delta_D) < 1e-12 and abs(rule.deltas[0][1] - delta_E) < 1e-12
"""),
    md(r"""
## Pictures

The network as the lecture draws it (weights on the arrows):
"""),
    code(r"""
show(viz.draw_network(net, names=ex.names))
"""),
    md(r"""
The computation graph the engine recorded: every value with its data and gradient, every operation,
and on each edge the local derivative the chain rule multiplies along it. Given the model and the
slides' names, the diagram groups the nodes each neuron computes in a box named after it.
"""),
    code(r"""
slides = dict(model=net, names=ex.names)         # the same two keywords for every diagram below
show(viz.draw_graph(ex.error, **slides))
"""),
    md(r"""
## Gradient paths

The gradient of $E$ with respect to a weight is the sum, over every path from $E$ down to that weight,
of the product of the local derivatives along the path. An output weight such as $w_{GD}$ has one path;
$dE/dw_{GD} = \frac{dE}{dy}\frac{dy}{ds}\frac{ds}{dw}$ is exactly that path's product.
"""),
    code(r"""
products = [p for _, p in path_products(ex.error, w["w_GD"])]
print("paths to w_GD:", len(products), " product:", round(products[0], 6))
print("w_GD.grad:", round(w["w_GD"].grad, 6))
assert len(products) == 1 and abs(products[0] - w["w_GD"].grad) < 1e-15
assert abs(products[0] - (-(t - y_G.data)) * y_prime_G * h_D.data) < 1e-15
show(viz.draw_gradient_paths(ex.error, w["w_GD"], **slides))
"""),
    md(r"""
A hidden weight such as $w_{DA}$ sits one layer further back: its path runs through $G$ and $D$, and
its product has the extra factors $w_{GD}$ and $y'_D$, the very terms of the delta rule.
"""),
    code(r"""
products = [p for _, p in path_products(ex.error, w["w_DA"])]
print("paths to w_DA:", len(products), " sum of products:", round(sum(products), 6))
print("w_DA.grad:", round(w["w_DA"].grad, 6))
assert abs(sum(products) - w["w_DA"].grad) < 1e-15
show(viz.draw_gradient_paths(ex.error, w["w_DA"], **slides))
"""),
    md(r"""
The input $x_1$ reaches the error through both hidden units, so two paths meet at it and its gradient
is the sum of two products. The diagram gives each path its own colour.
"""),
    code(r"""
x1_value = ex.inputs[0]
products = [p for _, p in path_products(ex.error, x1_value)]
assert len(products) == 2 and abs(sum(products) - x1_value.grad) < 1e-15
print("two paths to x1:", [round(p, 6) for p in products], "sum =", round(x1_value.grad, 6))
show(viz.draw_gradient_paths(ex.error, x1_value, **slides))
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["06-training-xor"] = [
    md(r"""
# 6. Training XOR with autograd

The worked example made one update. Training repeats it: run the examples forward, measure the error,
let `backward()` compute every $dE/dw$, and move each weight a step against its gradient,
$w \leftarrow w - \mu\,\frac{dE}{dw}$ (gradient descent). Here a freshly initialised 2-2-1 sigmoid
network learns XOR from its four examples.
"""),
    code(setup("matplotlib", "graphviz")),
    code(r"""
import math

import matplotlib.pyplot as plt

import viz
from autograd_nn import losses
from autograd_nn.data import XOR
from autograd_nn.nn import MLP
from autograd_nn.optim import SGD
from autograd_nn.train import fit
from viz.plots import plot_decision_boundary, plot_loss_curve
"""
    + "\n" + SHOW),
    code(r"""
X, y = XOR.arrays()
inputs = [list(x) for x in X]
targets = list(y)

model = MLP(2, [2, 1], activation="sigmoid", seed=0)   # seeded: the same numbers every run
before = [model(x)[0].data for x in inputs]
print("outputs before training:", [round(o, 3) for o in before])
assert all(0.56 < o < 0.59 for o in before)            # all above 0.5: every input is called 1
"""),
    md(r"""
The random initial weights are small, so the untrained network answers much the same, between 0.56
and 0.59, for every input: it calls all four inputs 1.

## The training loop

One step, written out, is exactly what the lecture describes. `optimizer.zero_grad()` clears the
gradients of the previous step (they accumulate otherwise), the error over all four examples is
$E = \sum \frac12 (t - y)^2$ (`losses.l2`), and `SGD.step()` applies $\Delta w = -\mu\,dE/dw$.
We use the lecture's learning rate $\mu = 10$.
"""),
    code(r"""
optimizer = SGD(model.parameters(), lr=10.0)

def train_step():
    optimizer.zero_grad()
    E = losses.l2([model(x) for x in inputs], targets)
    E.backward()
    optimizer.step()
    return E.data

history = [train_step() for _ in range(80)]
outputs = [model(x)[0].data for x in inputs]
print("outputs after 80 steps:", [round(o, 2) for o in outputs], f" error: {history[-1]:.3f}")
assert outputs[0] < 0.5 <= min(outputs[1:])     # (0, 0) is right now; (1, 1) still gets a 1
assert abs(history[-1] - 1 / 3) < 0.01
"""),
    md(r"""
After 80 steps the network has learned to answer 0 for $(0, 0)$, but it still answers about $2/3$ for
the other three inputs, (1, 1) included. That is the best a network can do while it cannot tell those
three apart: for targets 1, 1 and 0 the error $\frac12 (t - y)^2$ summed over them is smallest at
$y = 2/3$, where it is $1/3$. The network has to find a new feature before the error can fall further.

`autograd_nn.train.fit` is the same loop with a progress bar; it returns the error of every epoch
(one epoch = one step over all four examples here). 920 more steps:
"""),
    code(r"""
history += fit(model, inputs, targets, losses.l2, optimizer, epochs=920)
after = [model(x)[0].data for x in inputs]
print("outputs after 1000 steps:", [round(o, 3) for o in after], " error:", round(history[-1], 5))

for out, t in zip(after, targets):
    assert (out >= 0.5) == (t == 1.0)
assert history[-1] < 0.001 < history[0]

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
untrained = MLP(2, [2, 1], activation="sigmoid", seed=0)   # the same seed: the starting point again
plot_decision_boundary(untrained, X, y, ax=axes[0], scores=True, title="before training")
plot_decision_boundary(model, X, y, ax=axes[1], scores=True, title="after 1000 steps")
plt.tight_layout()

for neuron in model.layers[0].neurons:                 # each hidden unit weighs x1 and x2 almost equally
    w_1, w_2 = (v.data for v in neuron.w)
    assert abs(w_1 - w_2) < 0.02 * abs(w_1)
"""),
    md(r"""
Before training the whole square is on the 1 side (the shading shows how weakly the network leans);
afterwards the 1-region is a band between two nearly straight, nearly parallel lines, much like the
lecture's network in notebook 3, and for the same reason: each trained hidden unit weighs $x_1$ and
$x_2$ almost equally, so each draws a line close to $x_1 + x_2 = $ constant.
"""),
    code(r"""
ax = plot_loss_curve(history, logy=True, xlabel="step", ylabel="error $E$ (log scale)",
                     title="error during training, $\\mu = 10$")
rises = sum(b > a for a, b in zip(history, history[1:]))
print(f"the error rose in {rises} of the {len(history) - 1} steps")
assert rises > 0
"""),
    md(r"""
The curve falls in steps. For about 50 steps the network answers much the same for every input; then
one hidden unit learns to pick out $(0, 0)$ and the error settles near $1/3$ (the three inputs the
network cannot yet tell apart); around step 100 the other hidden unit learns to switch off for
$(1, 1)$, and the error drops a hundredfold within a few dozen steps. Gradient descent does not always
go downhill: the spikes come from the large step $\mu = 10$, where a step overshoots and the next one
corrects it.

What did the hidden units learn? The table shows what each computes after training: each has become a
logic gate of its own, $h_1$ close to NAND and $h_2$ close to NOR (every output within $0.1$ of the
gate's). The output unit weighs $h_1$ positively and $h_2$ negatively, so it fires when $h_1$ is on and
$h_2$ off: NAND and not NOR, which is XOR.
"""),
    code(r"""
hidden_layer = model.layers[0]
NAND, NOR = [1, 1, 1, 0], [1, 0, 0, 0]
print(" x1 x2 | h_1   h_2  | y")
h = []
for x in inputs:
    h.append([v.data for v in hidden_layer(x)])
    print(f" {x[0]:2.0f} {x[1]:2.0f} | {h[-1][0]:.2f}  {h[-1][1]:.2f} | {model(x)[0].data:.2f}")

assert all(abs(row[0] - gate) < 0.1 for row, gate in zip(h, NAND))     # h_1 is nearly NAND
assert all(abs(row[1] - gate) < 0.1 for row, gate in zip(h, NOR))      # h_2 is nearly NOR
w_G1, w_G2 = (w.data for w in model.layers[1].neurons[0].w)
print(f"output weights: {w_G1:.2f} on h_1, {w_G2:.2f} on h_2")
assert w_G1 > 0 > w_G2
assert [int(a and not b) for a, b in zip(NAND, NOR)] == [int(t) for t in targets]   # NAND and not NOR
"""),
    md(r"""
## A start that fails

Not every start succeeds. From `seed=1`, after the same 1000 steps two inputs still get answers of
about $0.5$:
"""),
    code(r"""
stuck = MLP(2, [2, 1], activation="sigmoid", seed=1)
stuck_optimizer = SGD(stuck.parameters(), lr=10.0)
stuck_history = fit(stuck, inputs, targets, losses.l2, stuck_optimizer, epochs=1000, progress=False)
outputs = [stuck(x)[0].data for x in inputs]
print("seed=1 after 1000 steps:", [round(o, 3) for o in outputs], " error:", round(stuck_history[-1], 4))
assert not all((o >= 0.5) == (t == 1.0) for o, t in zip(outputs, targets))
assert abs(outputs[1] - 0.5) < 0.01 and abs(outputs[3] - 0.5) < 0.01

# Both hidden units are off for (1, 0) and for (1, 1), so the output unit cannot tell them apart.
hidden = [[v.data for v in stuck.layers[0](x)] for x in inputs]
print("hidden outputs:", [[round(v, 3) for v in row] for row in hidden])
assert max(hidden[1] + hidden[3]) < 0.03
"""),
    md(r"""
The inputs $(1, 0)$ (target 1) and $(1, 1)$ (target 0) switch both hidden units off, so the output unit
sees the same thing for both and the best it can answer is $0.5$ for each. Is this a *local minimum*?
Not quite. Let us train on and watch the error, the length of the gradient and the size of the weights:
"""),
    code(r"""
def gradient_and_weights(net):
    net.zero_grad()
    losses.l2([net(x) for x in inputs], targets).backward()
    grad = math.sqrt(sum(p.grad ** 2 for p in net.parameters()))
    size = math.sqrt(sum(p.data ** 2 for p in net.parameters()))
    return grad, size

grad_1000, size_1000 = gradient_and_weights(stuck)
stuck_history += fit(stuck, inputs, targets, losses.l2, stuck_optimizer, epochs=1000, progress=False)
grad_2000, size_2000 = gradient_and_weights(stuck)
print(f"step 1000: error {stuck_history[999]:.5f}, |gradient| {grad_1000:.1e}, |weights| {size_1000:.1f}")
print(f"step 2000: error {stuck_history[-1]:.5f}, |gradient| {grad_2000:.1e}, |weights| {size_2000:.1f}")

assert 0.25 < stuck_history[-1] < stuck_history[999]      # still falling, towards 0.25 ...
assert grad_2000 < 0.6 * grad_1000                         # ... ever more slowly ...
assert size_2000 > size_1000 + 1                           # ... while the weights keep growing
"""),
    md(r"""
The error keeps falling, ever more slowly, towards $0.25$: two inputs answered perfectly and two with
exactly $0.5$ ($2 \times \frac12 \times 0.5^2$). The gradient keeps shrinking and the weights keep
growing, because the sigmoids reach 0 and 1 exactly only at infinitely large weights. So this is not a
local minimum (nowhere along this path is the gradient zero); it is a **plateau** whose lowest error,
$0.25$, lies infinitely far away. Gradient descent creeps along it for ever and never finds the way out
to the solutions that tell $(1, 0)$ from $(1, 1)$.

The usual remedies are to restart from other random weights, or to give the network more hidden units
than the bare minimum. Ten starts of each:
"""),
    code(r"""
def learns_xor(hidden_units, seed):
    net = MLP(2, [hidden_units, 1], activation="sigmoid", seed=seed)
    fit(net, inputs, targets, losses.l2, SGD(net.parameters(), lr=10.0), epochs=1000, progress=False)
    return all((net(x)[0].data >= 0.5) == (t == 1.0) for x, t in zip(inputs, targets))

successes = {n: sum(learns_xor(n, seed) for seed in range(10)) for n in (2, 4)}
print("starts (of 10) that learn XOR, by number of hidden units:", successes)
assert successes[2] < 10 and successes[4] == 10
"""),
    md(r"""
## The trained network

The network diagram shows the learned weights; the computation graph of the error on one example
shows every value, gradient and local derivative after training.
"""),
    code(r"""
show(viz.draw_network(model))
E = losses.l2(model(inputs[1]), [targets[1]])
E.backward()
show(viz.draw_graph(E, model=model))
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["07-gradient-checking"] = [
    md(r"""
# 7. Gradient checking

Backpropagation is exact arithmetic, but code has bugs: a wrong local derivative in one operation
makes every gradient that flows through it wrong, and training then quietly does worse instead of
failing. The remedy is to compare the analytic gradient with a **finite difference**, which needs
nothing but the forward pass.
"""),
    code(setup("matplotlib")),
    code(r"""
import math

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import GradcheckError, Value, gradcheck, losses
from autograd_nn.gradcheck import check_local_derivatives, gradcheck_nodes
from autograd_nn.lecture import worked_example
"""),
    md(r"""
## Finite differences by hand

The derivative is the limit of a difference quotient. With a small $\varepsilon$,

* forward difference: $f'(x) \approx \dfrac{f(x + \varepsilon) - f(x)}{\varepsilon}$,
  error of order $\varepsilon$;
* central difference: $f'(x) \approx \dfrac{f(x + \varepsilon) - f(x - \varepsilon)}{2\varepsilon}$,
  error of order $\varepsilon^2$.

Smaller is not always better: for a tiny $\varepsilon$ the two function values are nearly equal
floats, their difference keeps only a few correct digits, and the error grows again. Let us see it on
$f(x) = x \cdot \text{sigmoid}(x)$ at $x = 0.5$ (the plot reads from large $\varepsilon$ on the left
to tiny on the right).
"""),
    code(r"""
def f(x):
    return x * x.sigmoid() if isinstance(x, Value) else x / (1 + math.exp(-x))

x = Value(0.5)
f(x).backward()
exact = x.grad
print(f"autograd: {exact:.15f}")

epsilons = np.logspace(-1, -12, 12)
forward_err = [abs((f(0.5 + e) - f(0.5)) / e - exact) for e in epsilons]
central_err = [abs((f(0.5 + e) - f(0.5 - e)) / (2 * e) - exact) for e in epsilons]
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.loglog(epsilons, forward_err, "o-", label="forward difference")
ax.loglog(epsilons, central_err, "s-", label="central difference")
ax.set_xlabel("$\\varepsilon$")
ax.set_ylabel("|error|")
ax.legend()
ax.invert_xaxis()

best = min(central_err)
best_eps = {"forward": epsilons[np.argmin(forward_err)], "central": epsilons[np.argmin(central_err)]}
print("most accurate epsilon:", {k: f"{v:.0e}" for k, v in best_eps.items()})
assert best < 1e-10                                    # central differences get ~10 digits right
assert min(forward_err) > 100 * best                   # ... and beat forward differences
assert central_err[0] > 1e-4                           # eps = 0.1 is too coarse
assert 1e-7 <= best_eps["central"] <= 1e-4 and 1e-10 <= best_eps["forward"] <= 1e-6
assert central_err[-1] > 1000 * best                   # eps = 1e-12 is far too small
"""),
    md(r"""
The central difference is best near $\varepsilon = 10^{-5}$ (an error of a few $10^{-12}$ here), the
forward one near $10^{-8}$ and about a thousand times worse. Below those the rounding error of the
subtraction, about $10^{-16}/\varepsilon$, takes over. `gradcheck` therefore uses central differences
with $\varepsilon = 10^{-6}$.
"""),
    md(r"""
## `gradcheck`

`autograd_nn.gradcheck(f, inputs)` does this for every input: it perturbs each input by $\pm\varepsilon$,
compares the central difference with the gradient from `backward()`, and either returns `True` or raises
a `GradcheckError` listing every input that disagrees. Here it checks the worked example's error
with respect to all nine weights.
"""),
    code(r"""
ex = worked_example()
model, x_in = ex.model, [v.data for v in ex.inputs]
params = model.parameters()

def error_of(*weights):                     # gradcheck perturbs the weights in place
    return losses.l2(model(x_in), [ex.target])

assert gradcheck(error_of, params)
print("gradcheck passed for", list(ex.weights))       # the nine weights, by their slide names
"""),
    md(r"""
## Catching a broken operation

Now we plant a bug. Suppose tanh had been written with the derivative $1 - \tanh(x)$ instead of
$1 - \tanh^2(x)$, an easy slip. We patch `Value.tanh` with that mistake for the next few cells (and
restore it afterwards).
"""),
    code(r"""
correct_tanh = Value.tanh

def broken_tanh(self):
    out = correct_tanh(self)                    # the right value ...
    out.local = (1.0 - out.data,)              # ... with the wrong local derivative
    return out

def expression(a, b):
    return (a * b + 1).tanh() * a + b.sigmoid()

a, b = Value(0.7, label="a"), Value(-0.4, label="b")
assert gradcheck(expression, [a, b])           # correct engine: passes

Value.tanh = broken_tanh
try:
    try:
        gradcheck(expression, [a, b])
        raise AssertionError("gradcheck missed the broken tanh")
    except GradcheckError as err:
        message = str(err)
    print(message)
finally:
    Value.tanh = correct_tanh
assert "'a'" in message and "'b'" in message   # both inputs flow through the tanh
"""),
    md(r"""
`gradcheck` says *that* the gradients are wrong, but not *why*: every input whose paths run through
the tanh is off. The per-node check localises the bug. For every node of the graph it recomputes the
node's own operation from its parents' values, takes a finite difference of that one operation, and
compares it with the local derivative stored on the node. Only the broken operation disagrees.
"""),
    code(r"""
Value.tanh = broken_tanh
try:
    out = expression(Value(0.7), Value(-0.4))
finally:
    Value.tanh = correct_tanh

mismatches = check_local_derivatives(out)
for m in mismatches:
    print(m)
assert [m.op for m in mismatches] == ["tanh"]

try:
    gradcheck_nodes(out)
    raise AssertionError("gradcheck_nodes missed the broken tanh")
except GradcheckError as err:
    print(err)
    assert "tanh" in str(err)

good = expression(Value(0.7), Value(-0.4))     # rebuilt with the real tanh
assert check_local_derivatives(good) == [] and gradcheck_nodes(good)
"""),
    md(r"""
In this library's own test suite every operation is checked both ways, and against PyTorch. When you
add an operation of your own, check it the same way before trusting a training run.
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["08-vectorised-tensors"] = [
    md(r"""
# 8. Vectorised tensors

The scalar engine makes one graph node per number. That is ideal for seeing every step, and hopeless
for real data: a layer of 200 units on a batch of 100 examples needs $200 \times 200 \times 100$ = 4 million
multiplications, each one done by the Python interpreter.
`autograd_nn.Tensor` records whole arrays instead: one node per *operation on an array*, with numpy
doing the arithmetic. The graph protocol is the same, so backward, gradient checking and the diagrams
work for both.

First we show that the two engines compute the same network, then we train a tensor network on real
data.
"""),
    code(setup("matplotlib", optional={"sklearn": "the digits data need scikit-learn; using two moons"})),
    code(r"""
import importlib.util

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Tensor, losses
from autograd_nn.nn import MLP
from autograd_nn.optim import Adam
from autograd_nn.train import fit
from viz.plots import plot_confusion_matrix, plot_decision_boundary, plot_loss_curve
"""),
    md(r"""
## One model, two engines

`MLP.to_tensor()` turns a scalar MLP into the equivalent tensor model with the same weights. We feed
both the same batch: the scalar MLP one example at a time, the tensor model the whole batch at once,
and compare outputs and the gradients of every parameter.
"""),
    code(r"""
rng = np.random.default_rng(0)
batch = rng.normal(size=(5, 3))
targets = rng.normal(size=(5, 2))

scalar = MLP(3, [4, 2], activation="tanh", output_activation="linear", seed=0)
tensor = scalar.to_tensor()
print(tensor)

E_scalar = losses.l2([scalar(list(x)) for x in batch], targets.tolist())
E_scalar.backward()
E_tensor = losses.l2(tensor(Tensor(batch)), targets)
E_tensor.backward()

out_scalar = np.array([[v.data for v in scalar(list(x))] for x in batch])
out_tensor = tensor(Tensor(batch)).data
print("largest output difference:", np.abs(out_scalar - out_tensor).max())
assert np.abs(out_scalar - out_tensor).max() < 1e-12
assert abs(E_scalar.data - float(E_tensor.data)) < 1e-12

# Carry the scalar gradients over with the same converter, then compare parameter by parameter.
for layer in scalar.layers:
    for neuron in layer.neurons:
        for p in (*neuron.w, neuron.b):
            p.data = p.grad
grads_as_tensor = scalar.to_tensor()
for (name, p), (_, g) in zip(tensor.named_parameters(), grads_as_tensor.named_parameters()):
    assert np.abs(p.grad - g.data).max() < 1e-12, name
print("same outputs, same error, same gradients for", [n for n, _ in tensor.named_parameters()])
"""),
    md(r"""
## Training on real data

With scikit-learn installed we use its *digits*: 1797 images of 8 x 8 pixels, ten classes. Without it
we fall back to the two-moons data from `autograd_nn.data`. The network is a tensor MLP trained with
Adam on mini-batches and the softmax cross-entropy loss; `fit` shows a progress bar.
"""),
    code(r"""
if importlib.util.find_spec("sklearn") is not None:
    from sklearn.datasets import load_digits

    digits = load_digits()
    X_all, y_all = digits.data / 16.0, digits.target
    name, sizes = "digits", [32, 10]
else:
    from autograd_nn.data import make_moons

    X_all, y_all = make_moons(600, noise=0.15, seed=0)
    name, sizes = "two moons", [16, 2]

order = np.random.default_rng(0).permutation(len(X_all))
split = int(0.8 * len(X_all))
train_idx, test_idx = order[:split], order[split:]
X_train, y_train = X_all[train_idx], y_all[train_idx].astype(int)
X_test, y_test = X_all[test_idx], y_all[test_idx].astype(int)
print(f"{name}: {len(X_train)} training and {len(X_test)} test examples, {X_all.shape[1]} features")

model = MLP(X_all.shape[1], sizes, activation="tanh", output_activation="linear", seed=0).to_tensor()
optimizer = Adam(model.parameters(), lr=0.01)
history = fit(model, X_train, y_train, losses.cross_entropy, optimizer, epochs=30, batch_size=32)
"""),
    code(r"""
def predict(model, X):
    return model(Tensor(X)).data.argmax(axis=1)

train_acc = (predict(model, X_train) == y_train).mean()
test_acc = (predict(model, X_test) == y_test).mean()
print(f"accuracy: train {train_acc:.3f}, test {test_acc:.3f}")
assert test_acc > 0.9

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
plot_loss_curve(history, ax=axes[0], ylabel="cross-entropy (mean per example)",
                title="training loss per epoch")
plot_confusion_matrix(y_test, predict(model, X_test), ax=axes[1], title=f"{name}: test set")
plt.tight_layout()
"""),
    code(r"""
if name == "digits":
    fig, axes = plt.subplots(2, 8, figsize=(11, 3.2))
    guesses = predict(model, X_test[:16])
    for ax, image, guess, truth in zip(axes.ravel(), X_test[:16], guesses, y_test[:16]):
        ax.imshow(image.reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{guess}" + ("" if guess == truth else f" (is {truth})"),
                     color="black" if guess == truth else "red", fontsize=9)
        ax.axis("off")
else:
    plot_decision_boundary(model, X_test, y_test, title="two moons: test set")
"""),
]

# ------------------------------------------------------------------------------------------------
NOTEBOOKS["09-why-gpus"] = [
    md(r"""
# 9. Why GPUs

A layer of 200 units that reads 200 inputs computes $W\vec{h}$ with a $200 \times 200$ weight matrix:
$200 \times 200 = 40{,}000$ multiplications for one example, and as many again for every further example
in a batch. All of them are independent, which is exactly the kind of work graphics cards were built for
(rendering is matrix and vector arithmetic too): thousands of lean cores (the lecture's NVIDIA Tesla
K20c has 2496) doing the same operation on different numbers, programmed through extensions of C such
as CUDA.

We cannot assume a GPU here, but we can see the same effect on a CPU: the scalar engine does one
multiplication per Python object, the tensor engine hands the whole matrix product to numpy's
optimised (vectorised, multi-threaded) BLAS.
"""),
    code(setup("matplotlib")),
    code(r"""
import gc
import time
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Tensor, Value, no_grad
from autograd_nn.graph import topological_order
from autograd_nn.nn import MLP
"""),
    md(r"""
## Counting the multiplications

Built with `expanded=True`, the scalar layer records one graph node per multiplication, so we can count
them in the graph of one forward pass.
"""),
    code(r"""
layer = MLP(200, [200], activation="linear", seed=0, expanded=True)
x = list(np.random.default_rng(0).normal(size=200))
outputs = layer(x)
graph = topological_order(Value.sum(outputs))
multiplications = sum(node.op == "*" for node in graph)
print(f"{multiplications:,} multiplications, {len(graph):,} graph nodes for ONE example")
assert multiplications == 200 * 200 == 40_000
"""),
    md(r"""
## Timing both engines as the batch grows

The same layer (the compact form now, one weighted-sum node per neuron) in both engines, forward and
backward, for growing batches. The scalar engine's time grows with the batch, every example adding
its 40,000 multiplications one Python object at a time; the tensor engine's barely moves until the
matrices get large. We keep the scalar batches small so this runs in
seconds.
"""),
    code(r"""
scalar = MLP(200, [200], activation="tanh", seed=0)
tensor = scalar.to_tensor()
rng = np.random.default_rng(1)

def timed(step, repeat):
    # Best of `repeat` runs, with the garbage collector paused so it does not land in one run.
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best

# One forward and backward pass; gradients just accumulate, the timing does not care.
def scalar_step(batch):
    total = Value.sum(Value.sum(scalar(list(x))) for x in batch)
    total.backward()

def tensor_step(batch):
    out = tensor(Tensor(batch)).sum()
    out.backward()

scalar_sizes = [1, 2, 4, 8]
tensor_sizes = [1, 2, 4, 8, 32, 128, 512, 2048]
scalar_times = [timed(partial(scalar_step, rng.normal(size=(n, 200))), repeat=2) for n in scalar_sizes]
tensor_times = [timed(partial(tensor_step, rng.normal(size=(n, 200))), repeat=20) for n in tensor_sizes]
for engine, sizes, times in (("scalar", scalar_sizes, scalar_times), ("tensor", tensor_sizes, tensor_times)):
    for n, t in zip(sizes, times):
        print(f"{engine} batch {n:5}: {t * 1e3:9.3f} ms, {t / n * 1e3:8.4f} ms per example")
"""),
    code(r"""
# The two engines agree on the numbers before we compare their speed.
batch = rng.normal(size=(4, 200))
with no_grad():
    a = np.array([[v.data for v in scalar(list(x))] for x in batch])
    b = tensor(Tensor(batch)).data
assert np.abs(a - b).max() < 1e-12

per_example_scalar = scalar_times[-1] / scalar_sizes[-1]
per_example_tensor = tensor_times[-1] / tensor_sizes[-1]
speedup = per_example_scalar / per_example_tensor
print(f"per example: scalar {per_example_scalar * 1e3:.2f} ms, tensor {per_example_tensor * 1e6:.2f} us "
      f"-> {speedup:,.0f}x")
assert speedup > 10          # in practice hundreds to thousands of times

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for ax, per_example in zip(axes, (False, True)):
    scale_s = np.array(scalar_sizes) if per_example else 1
    scale_t = np.array(tensor_sizes) if per_example else 1
    ax.loglog(scalar_sizes, np.array(scalar_times) / scale_s * 1e3, "o-", label="scalar engine (Value)")
    ax.loglog(tensor_sizes, np.array(tensor_times) / scale_t * 1e3, "s-",
              label="tensor engine (Tensor, numpy)")
    ax.set_xlabel("batch size")
    ax.set_ylabel("ms per example" if per_example else "ms per forward + backward")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
axes[0].set_title("one 200 x 200 layer: 40,000 multiplications per example")
axes[1].set_title("time per example")
plt.tight_layout()
"""),
    md(r"""
The gap has two causes. The scalar engine pays the Python interpreter's overhead (a new object and a
few bytecodes) for each of the 40,000 multiplications; the tensor engine pays it once per
*operation* and leaves the arithmetic to compiled code that uses the CPU's vector units and several
cores. A GPU pushes the second idea much further: thousands of cores working on one matrix product.
This is why deep learning toolkits (Theano, TensorFlow, PyTorch, MXNet, DyNet) are built around
tensors, and why this library has both engines: the scalar one to see every step, the tensor one to
train.
"""),
]


def build_notebook(name: str, cells: list[tuple[str, str]]):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(cells):
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = new(source)
        cell.id = f"{name[:2]}-{i:02d}"          # stable ids: regenerating leaves no diff
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        path = HERE / f"{name}.ipynb"
        nbformat.write(build_notebook(name, cells), path)
        print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
