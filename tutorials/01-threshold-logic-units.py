# ---
# jupyter:
#   lecture:
#   - An Artificial Neuron
#   - The Neuron Computation
#   - Geometric Interpretation
# ---

# %% [markdown]
# # 1. Threshold logic units
#
# A biological neuron collects signals from many others, adds them up (roughly), and fires when the
# total passes a threshold. The **threshold logic unit** (TLU) keeps only that much of the biology.
#
# A TLU has $n$ inputs $x_1, \dots, x_n$, one **weight** $w_i$ per input and a **threshold** $\theta$.
# Its output is
#
# $$y = \begin{cases} 1 & \text{if } \sum_{i=1}^n w_i x_i \ge \theta \\ 0 & \text{otherwise.}\end{cases}$$
#
# In this notebook we build the two units of the lecture (a conjunction and an implication), read
# their truth tables, and look at what a TLU does geometrically: it cuts the input space in two with
# a straight line (two inputs) or a plane (three inputs).

# %%
from extras import require

require("matplotlib", "graphviz")

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from svg_text import SVG, drawn, text

import viz
from autograd_nn import lecture
from autograd_nn.data import AND, IMPLIES, THREE_INPUT
from autograd_nn.nn import TLU
from viz.plots import plot_tlu_line, plot_tlu_plane

# %% [markdown]
# ## The conjunction $x_1 \wedge x_2$
#
# With weights $w_1 = 3$, $w_2 = 2$ and threshold $\theta = 4$, the weighted sum reaches 4 only when
# both inputs are 1 (then it is 5); either input alone gives 3 or 2, which is not enough.
# `TLU(weights, threshold)` builds such a unit; calling it on an input returns a `Value` holding 1 or 0.

# %%
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

# %% [markdown]
# The lecture draws the unit as a little network: each input $x_i$ sends an arrow labelled with its weight
# $w_i$ into a node $\Sigma$ that adds them up, and the sum goes through a step that fires at the
# threshold. `viz.draw_tlu` draws exactly that, with the unit's inequality as the caption: the arrow from
# $x_1$ carries $3$, the one from $x_2$ carries $2$, and the step is $\ge \theta$ with $\theta = 4$.

# %% alt="TLU drawn: x1 and x2 with weights 3 and 2 into Σ, then a step '≥ θ' with θ = 4, output y"
picture = viz.draw_tlu(lecture.conjunction_tlu())
shown = drawn(picture)
assert text(shown["w1_label"]) == "3" and shown["w1"].findtext(f"{SVG}title") == "x1->sum"
assert text(shown["w2_label"]) == "2" and shown["w2"].findtext(f"{SVG}title") == "x2->sum"
assert text(shown["threshold"]) == "≥ θ θ = 4"
assert text(shown["graph0"]) == "y = 1 if 3 x1 + 2 x2 ≥ 4, else 0"        # the caption
display(picture)

# %% [markdown]
# ## The implication $x_2 \rightarrow x_1$
#
# "If $x_2$ then $x_1$" is false only when $x_2 = 1$ and $x_1 = 0$. Weights $2$ and $-2$ with threshold
# $\theta = -1$ do it: the sum $2x_1 - 2x_2$ is $-2$ exactly in that one case and at least $0$ otherwise.
# A negative weight is an *inhibiting* input: $x_2 = 1$ pushes the unit away from firing.

# %%
implication = TLU([2, -2], threshold=-1)

print(" x1  x2 | 2x1 - 2x2 | y")
for x1, x2 in rows:
    print(f" {x1:2}  {x2:2} | {2 * x1 - 2 * x2:9} | {implication([x1, x2]).data:.0f}")

outputs = [implication([x1, x2]).data for x1, x2 in rows]
assert outputs == [1.0, 1.0, 0.0, 1.0]
assert outputs == list(IMPLIES.targets)
assert outputs == [lecture.implication_tlu()([x1, x2]).data for x1, x2 in rows]

# %% [markdown]
# Drawn, the implication's inhibiting weight $-2$ on the arrow from $x_2$ is written in red, and the step
# fires at $\theta = -1$: with both inputs 0 the sum is $0 \ge -1$, so the unit fires.

# %% alt="TLU drawn: x1 and x2 with weights 2 and -2 (red) into Σ, then a step '≥ θ' with θ = -1"
picture = viz.draw_tlu(lecture.implication_tlu())
shown = drawn(picture)
(w1_text,) = shown["w1_label"].findall(f"{SVG}text")
(w2_text,) = shown["w2_label"].findall(f"{SVG}text")
assert (w1_text.text, w2_text.text) == ("2", "-2")
assert (w1_text.get("fill"), w2_text.get("fill")) == ("#1f4e79", "#b85450")   # dark blue; inhibiting: red
assert text(shown["threshold"]) == "≥ θ θ = -1"
assert text(shown["graph0"]) == "y = 1 if 2 x1 - 2 x2 ≥ -1, else 0"
display(picture)

# %% [markdown]
# ## The geometric view
#
# The inputs where the unit is exactly undecided, $w_1 x_1 + w_2 x_2 = \theta$, form a straight line.
# On one side of it the weighted sum exceeds the threshold and the unit fires (shaded), on the other
# it does not. The weight vector $(w_1, w_2)$ points towards the firing side.
#
# `viz.plots.plot_tlu_line` draws the line, shades the firing side and marks each input filled
# (output 1) or open (output 0). For the conjunction the line $3x_1 + 2x_2 = 4$ crosses the axes at
# $x_1 = 4/3$ and $x_2 = 2$, and only the corner $(1, 1)$ lies beyond it.

# %% alt="Unit squares, firing side shaded: 3x1+2x2=4 leaves only (1,1) filled, 2x1-2x2=-1 only (0,1) open"
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

# %% [markdown]
# ## Three inputs: a plane through the cube
#
# With three inputs the undecided points $w_1x_1 + w_2x_2 + w_3x_3 = \theta$ form a plane, and the
# eight possible inputs are the corners of the unit cube. The lecture's example is the function
#
# $$(x_1 \wedge \bar{x}_2) \vee (x_1 \wedge x_3) \vee (\bar{x}_2 \wedge x_3),$$
#
# which a single TLU computes with weights $(2, -2, 2)$ and threshold $\theta = 1$.
#
# `viz.plots.plot_tlu_plane` draws the lecture's cube: each corner labelled with its input
# $(x_1,x_2,x_3)$, the plane $2x_1 - 2x_2 + 2x_3 = 1$ in grey, the part of the cube on the side where
# the unit fires shaded, and the corners filled where the output is 1. The filled corners are exactly
# the rows of the truth table below with $y = 1$: $(1,0,0)$, $(0,0,1)$, $(1,0,1)$ and $(1,1,1)$.

# %% alt="Cube, corners labelled, cut by a grey plane; filled (1,0,0) (0,0,1) (1,0,1) (1,1,1) on the red side"
three = TLU([2, -2, 2], threshold=1)
assert [v.data for v in three.w] == [v.data for v in lecture.three_input_tlu().w]   # the library's copy
assert three.threshold.data == lecture.three_input_tlu().threshold.data

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

# Every corner is labelled with its coordinates, beside the corner itself.
corners = list(itertools.product((0, 1), repeat=3))
labels = {t.get_text(): t.get_position_3d() for t in ax.texts if t.get_gid() == "corner_label"}
assert sorted(labels) == sorted(f"({a},{b},{c})" for a, b, c in corners)
assert all(np.linalg.norm(np.subtract(labels[f"({a},{b},{c})"], (a, b, c))) < 0.2 for a, b, c in corners)
# The filled corners (a 3-D scatter keeps its points in _offsets3d) are those with output 1, and so lie
# on the shaded side of the plane; the legend names the shading.
(filled,) = [art for art in ax.collections if art.get_gid() == "data" and art.get_label() == "y = 1"]
firing = {tuple(float(v) for v in p) for p in zip(*filled._offsets3d)}
assert firing == {x for x, target in THREE_INPUT if target == 1}
assert firing == {(1, 0, 0), (0, 0, 1), (1, 0, 1), (1, 1, 1)}
assert all(2 * x1 - 2 * x2 + 2 * x3 >= 1 for x1, x2, x3 in firing)
assert [t.get_text() for t in ax.get_legend().get_texts()] == ["unit fires", "y = 1", "y = 0"]

# %% [markdown]
# ## What a single TLU can and cannot do
#
# A TLU fires on one side of a line (or plane, or hyperplane) and stays silent on the other. So it can
# compute a Boolean function only if the inputs with output 1 can be separated from those with output 0
# by such a cut: the function must be **linearly separable**. Conjunction, implication and the
# three-input function above are. The next notebook meets a function that is not, and the way out:
# connect several TLUs into a network.
