# ---
# jupyter:
#   lecture:
#   - Networks of Neurons
# ---

# %% [markdown]
# # 2. Networks of TLUs
#
# The **biconditional** $x_1 \leftrightarrow x_2$ ("$x_1$ if and only if $x_2$") is 1 when both inputs
# are equal. Its 1-inputs, $(0,0)$ and $(1,1)$, sit on one diagonal of the square and its 0-inputs on
# the other. No single straight line separates the two diagonals, so no single TLU computes it.
# We first check that claim, then build the biconditional from three TLUs, as the lecture does.

# %%
from extras import require

require("matplotlib", "graphviz")

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from svg_text import drawn, text, weight_labels

import viz
from autograd_nn.data import AND, BICONDITIONAL
from autograd_nn.lecture import biconditional_network
from autograd_nn.nn import TLU, TLUNetwork
from viz.plots import plot_tlu_line

rows = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]

# %% [markdown]
# ## Why one TLU cannot do it
#
# Suppose $w_1 x_1 + w_2 x_2 \ge \theta$ held exactly for the equal inputs. Then
#
# * $(0,0) \mapsto 1$: $\;0 \ge \theta$
# * $(1,1) \mapsto 1$: $\;w_1 + w_2 \ge \theta$
# * $(1,0) \mapsto 0$: $\;w_1 < \theta$
# * $(0,1) \mapsto 0$: $\;w_2 < \theta$
#
# Adding the last two gives $w_1 + w_2 < 2\theta$, and with the second, $\theta \le w_1 + w_2 < 2\theta$,
# so $\theta > 0$, contradicting the first line. No weights and threshold work.
#
# A proof is best backed by an experiment: try a grid of weights and thresholds and count how many TLUs
# compute each function. Many compute the conjunction; none computes the biconditional.

# %%
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

# %% [markdown]
# ## Logical decomposition
#
# The biconditional is the conjunction of two implications:
#
# $$x_1 \leftrightarrow x_2 \;\equiv\; (x_1 \rightarrow x_2) \wedge (x_2 \rightarrow x_1).$$
#
# Each implication is linearly separable (notebook 1), and so is the conjunction. So we wire two TLUs
# into a **hidden layer**, one per implication, and feed their outputs $h_1, h_2$ into a third TLU for
# the conjunction:
#
# * $h_1 = [\,-2x_1 + 2x_2 \ge -1\,]$ computes $x_1 \rightarrow x_2$,
# * $h_2 = [\,2x_1 - 2x_2 \ge -1\,]$ computes $x_2 \rightarrow x_1$,
# * $y = [\,2h_1 + 2h_2 \ge 3\,]$ fires only when both do.

# %%
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

# %% [markdown]
# The lecture draws this network with the inputs on the left, the two hidden TLUs in a column and the
# output TLU on the right; each unit shows its threshold $\theta$ and each arrow its weight.
# `viz.draw_network` draws the library's copy, `biconditional_network()`, that way (the slides call the
# hidden units $y_1, y_2$; here they are named $h_1, h_2$, as above). A TLU has a threshold instead of a
# bias, so there are no bias units. Read along the arrows: $h_1$ gets $-2$ from $x_1$ and $2$ from $x_2$,
# $h_2$ the opposite, and $y$ gets $2$ from each hidden unit and fires at $\theta = 3$.

# %% alt="x1, x2 feed TLUs h1 (weights -2, 2; θ = -1) and h2 (2, -2; θ = -1); both feed y (2, 2; θ = 3)"
picture = viz.draw_network(biconditional_network(),
                           names={"layers.0.0": "h1", "layers.0.1": "h2", "layers.1.0": "y"})
shown = drawn(picture)
assert weight_labels(shown) == {"x1->h1": "-2", "x2->h1": "2", "x1->h2": "2", "x2->h2": "-2",
                                "h1->y": "2", "h2->y": "2"}
assert [text(shown[unit]) for unit in ("h1", "h2", "y")] == ["h1 θ = -1", "h2 θ = -1", "y θ = 3"]
assert not [key for key in shown if key.startswith("bias")]           # thresholds, no bias units
# The drawn weights are those of the network computed above.
assert [[(u.w[0].data, u.w[1].data, u.threshold.data) for u in layer] for layer in network.layers] == [
    [(-2, 2, -1), (2, -2, -1)], [(2, 2, 3)]]
display(picture)

# %% [markdown]
# ## What the hidden layer did
#
# Each hidden unit draws one line through the input square. Together they map the four inputs to new
# coordinates $(h_1, h_2)$: both equal inputs land on $(1, 1)$, the two unequal ones on $(0,1)$ and
# $(1,0)$. In these coordinates one line separates the classes, and the output unit draws it. A network
# solves a non-separable problem by changing the representation until it is separable.
#
# In every panel the shading shows where *that unit* fires, while the markers show the biconditional's
# value for each input (filled: $x_1 \leftrightarrow x_2 = 1$). Each hidden unit fires on three inputs,
# one of them an unequal pair, so neither alone computes the biconditional; in the third panel the two
# equal inputs sit on top of each other at $(1, 1)$, the only point on the output unit's firing side.

# %% alt="Three panels: h1 fires on all but (1,0), h2 on all but (0,1); in (h1,h2) space y fires at (1,1)"
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

# %% [markdown]
# The weights here were found by reasoning about logic. For larger problems nobody can do that by hand:
# we need the network to **learn** its weights from examples. TLUs make that hard, because their output
# jumps from 0 to 1 and a small change of a weight usually changes nothing. The next notebooks replace
# the step with smooth functions, so that every weight gets a useful gradient.
