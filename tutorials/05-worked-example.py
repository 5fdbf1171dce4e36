# ---
# jupyter:
#   lecture:
#   - General structure of a multi-layer perceptron
#   - Example
#   - Backpropagation in Training
#   - Final Layer Update
#   - Multiple Output Nodes
#   - Hidden Layer Update
#   - Our Example
#   - Hidden Layer Updates
# ---

# %% [markdown]
# # 5. The worked example: forward and backward through the lecture's network
#
# The lecture trains its XOR network on one example and computes every number by hand. We redo it with
# the engine and compare with the slides.
#
# The network: inputs $A = x_1$ and $B = x_2$; hidden sigmoid units $D$ and $E$, each with a bias fed by
# a constant unit $C = 1$; the sigmoid output $G$ with its bias unit $F = 1$. The weight from unit $k$ into
# unit $j$ is written $w_{jk}$:
#
# | into | from A | from B | bias |
# |---|---|---|---|
# | D | $w_{DA} = 3.7$ | $w_{DB} = 3.7$ | $w_{DC} = -1.5$ |
# | E | $w_{EA} = 2.9$ | $w_{EB} = 2.9$ | $w_{EC} = -4.5$ |
#
# | into | from D | from E | bias |
# |---|---|---|---|
# | G | $w_{GD} = 4.5$ | $w_{GE} = -5.2$ | $w_{GF} = -2.0$ |
#
# The example: input $(x_1, x_2) = (1, 0)$, target $t = 1$, learning rate $\mu = 10$, error
# $E = \frac12 (t - y)^2$.
#
# The lecture uses the letter $E$ twice: for the hidden unit $E$ and for the error $E$. The code keeps
# them apart: the unit's sum and output are `s_E` and `h_E`, the error is `ex.error`.
#
# The network itself is a plain `MLP`: its parameters are named by where they sit
# (`layers.0.neurons.0.w.0`, as `named_parameters()` says), and the slides' names are data,
# `ex.names` (`{"layers.0.neurons.0.w.0": "w_DA", ..., "layers.1.neurons.0": "G"}`), which we hand to
# the tables and diagrams.

# %%
from extras import require

require("graphviz")

# %%
# ruff: noqa: N816 - the lecture's names (h_D, delta_G, y_prime_E) are kept as they are
import math

from IPython.display import display

import viz
from autograd_nn import losses
from autograd_nn.lecture import delta_rule, delta_table, slide_names, slide_numbers, worked_example
from autograd_nn.nn import MLP
from viz.paths import path_products

# %% [markdown]
# ## Forward pass
#
# Each unit computes its weighted sum $s = \sum_k w_k h_k$ (bias included) and then $h = \text{sigmoid}(s)$.
# `worked_example()` builds the network, runs the example forward, computes the error and calls
# `backward()`.

# %%
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

# %% [markdown]
# The slide writes $s_G = 1.17$ because it multiplies the *rounded* hidden values
# ($.90 \times 4.5 + .17 \times -5.2 - 2.0 = 1.166$); at full precision $s_G = 1.1776$ and $y_G = .7645$.
# Small rounding like this runs through all the slide's numbers, so below we compare with the slide
# twice: the exact value, and the slide's own arithmetic on its rounded inputs.
#
# ## Backward pass: the output unit
#
# The chain rule splits the derivative of the error with respect to a weight $w_k$ of the output unit
# into three factors, each simple:
#
# $$\frac{dE}{dw_k} = \frac{dE}{dy}\,\frac{dy}{ds}\,\frac{ds}{dw_k} = -(t - y)\;\; y(1-y)\;\; h_k .$$
#
# The lecture calls the first two factors together (with the sign flipped) the node's **error term**
# $\delta$, and writes $y' = y(1-y)$:
#
# $$\delta_G = (t - y)\,y', \qquad \Delta w_{Gk} = \mu\,\delta_G\,h_k = -\mu\frac{dE}{dw_{Gk}} .$$
#
# The engine stores the gradient of every node, so $\delta_G$ is simply $-\,dE/ds_G$, read off the
# sum node.

# %%
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

# %% [markdown]
# ## Backward pass: the hidden units
#
# A hidden unit has no target. Its error term collects the error terms of the units it feeds, weighted
# by the connecting weights, times its own slope:
#
# $$\delta_i = \Big(\sum_j w_{j \leftarrow i}\,\delta_j\Big)\, y'_i,
# \qquad \Delta w_{ik} = \mu\,\delta_i\,h_k .$$
#
# For $D$ there is one unit downstream, $G$: $\delta_D = w_{GD}\,\delta_G\,y'_D$ with
# $y'_D = h_D(1 - h_D)$. Autograd computes the same thing by pushing gradients backwards through the
# graph; we read $\delta_D = -\,dE/ds_D$ again.

# %%
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

# %% [markdown]
# ## The slide erratum: $y'_E$
#
# For $E$ the slide computes $\delta_E = w_{GE}\,\delta_G\,y'_E = -5.2 \times .0434 \times 0.2055 = -.0464$.
# But $y'_E$ is the slope of $E$'s sigmoid at its own output, $y'_E = h_E(1 - h_E)$, and with
# $h_E = .168$ that is $.168 \times .832 = .1398$, not $.2055$ (nor is .2055 equal to $h(1-h)$ for the
# rounded $h_E = .17$). With the correct slope:
#
# * slide arithmetic, corrected: $\delta_E = -5.2 \times .0434 \times .1398 = -.0316$,
#   so $\Delta w_{EA} = -.316$;
# * exact: $\delta_E = -.0308$ and $\Delta w_{EA} = -.308$.
#
# The engine never makes this mistake: it takes $y'_E$ from the sigmoid node that computed $h_E$.

# %%
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

# %% [markdown]
# ## The slides' figures, reproduced
#
# `slide_numbers()` redoes the example the way the slides do, rounding every intermediate ($h$ to two
# decimals, $s_G = 1.17$, $y' = .181$, ...). It reproduces every figure of the slides, and next to the
# slide's $\delta_E$ and $\Delta w_{EA}$ (made with the wrong $y'_E = .2055$) it gives the corrected ones.

# %%
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

# %% [markdown]
# ## The whole table
#
# `delta_table` prints the slide-style table for any small network, input, target and learning rate,
# with every $\delta$ read from autograd as $-dE/ds$.

# %%
fresh = worked_example()
table = delta_table(fresh.model, [1.0, 0.0], [1.0], 10.0, names=fresh.names)
print(table)
assert "w_GD" in table and "w_EA" in table


# %% [markdown]
# ## More than one output unit
#
# Our example has one output unit; networks usually have several. The lecture's slide "Multiple Output
# Nodes" sums the error over all output units $j$ and adjusts each weight according to the unit it points
# to:
#
# $$E = \sum_j \tfrac12 (t_j - y_j)^2, \qquad \Delta w_{j \leftarrow k} = \mu\,(t_j - y_j)\,y'_j\,h_k
# = \mu\,\delta_j\,h_k .$$
#
# A hidden unit now feeds two output units, so its error term collects both:
# $\delta_D = (w_{GD}\,\delta_G + w_{HD}\,\delta_H)\,y'_D$. Below, the slides' hidden layer feeds two
# sigmoid output units, $G$ (as before) and a new $H$ with target $0$; `delta_table` lists all twelve
# updates, and each equals $-\mu\,dE/dw$ from a separate `backward()`.

# %%
two_out = MLP.from_weights(
    [[((3.7, 3.7), -1.5), ((2.9, 2.9), -4.5)],      # D and E, as on the slides
     [((4.5, -5.2), -2.0), ((-3.0, 2.0), 1.0)]],    # G as on the slides, and a new output unit H
    activation="sigmoid",
)
names2 = slide_names([["D", "E"], ["G", "H"]], ["A", "B"], ["C", "F"])
x_in, targets = [1.0, 0.0], [1.0, 0.0]
table2 = delta_table(two_out, x_in, targets, mu, names=names2)
print(table2)

lines = table2.splitlines()[2:]
shown_updates = {line.split()[-3]: float(line.split()[-1]) for line in lines}
shown_deltas = {line.split()[0]: float(line.split()[1]) for line in lines if not line.startswith(" ")}
assert list(shown_deltas) == ["G", "H", "D", "E"]                 # the output layer first

# The same network, its error over both outputs, and the engine's backward():
ys = two_out(x_in)
error2 = losses.l2(ys, targets)
error2.backward()
assert abs(error2.data - sum(0.5 * (tj - yj.data) ** 2 for tj, yj in zip(targets, ys))) < 1e-15
params2 = {names2[path]: p for path, p in two_out.named_parameters()}
assert len(shown_updates) == 12 and set(shown_updates) == set(params2)
for name, p in params2.items():
    assert abs(shown_updates[name] - (-mu * p.grad)) < 5e-7, name     # the table prints 6 decimals

# Each output unit's weights by the slide's rule, mu (t_j - y_j) y'_j h_k:
h2 = [v.data for v in two_out.layers[0](x_in)] + [1.0]              # h_D, h_E and the bias unit F
for j, unit in enumerate("GH"):
    y_j = ys[j].data
    for k, source in enumerate("DEF"):
        rule_update = mu * (targets[j] - y_j) * y_j * (1 - y_j) * h2[k]
        assert abs(-mu * params2[f"w_{unit}{source}"].grad - rule_update) < 1e-12
# ... and the hidden unit D's error term collects both output units' error terms:
d = {unit: shown_deltas[unit] for unit in "GHDE"}
exact_D = (4.5 * d["G"] + (-3.0) * d["H"]) * h2[0] * (1 - h2[0])
assert abs(d["D"] - exact_D) < 1e-6
print(f"delta_D = (w_GD delta_G + w_HD delta_H) y'_D = (4.5 x {d['G']:.4f} + (-3.0) x ({d['H']:.4f})) x "
      f"{h2[0] * (1 - h2[0]):.4f} = {d['D']:.4f}")


# %% [markdown]
# ## The delta rule by hand agrees with autograd
#
# The lecture's rule written out with plain floats (no engine) gives the same nine updates to the last
# few bits:

# %%
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

# %% [markdown]
# ## The same network in PyTorch
#
# PyTorch computes gradients the same way. We build the worked example there, with the weights of each
# layer as a matrix (row $j$ holds the weights into unit $j$, so `Ws[0][0, 1]` is $w_{DB}$) and the biases
# as a vector, all `torch.tensor`s with `requires_grad=True` in float64; the forward pass is `sigmoid`
# twice and $E = \frac12 (t - y)^2$. After `E.backward()` every weight's `.grad` equals the engine's to
# within $10^{-12}$, and so do the error terms $\delta = -dE/ds$ (read with `retain_grad()`).
#
# PyTorch is not needed for the rest of the notebook: without it this cell says how to install it
# (`pip install torch`) and the notebook goes on.

# %%
try:
    import torch
except ImportError:
    torch = None

if torch is None:
    print("PyTorch is not installed, so this section is skipped. To run it:  pip install torch")
else:
    def leaf(values):
        return torch.tensor(values, dtype=torch.float64, requires_grad=True)

    # Layer by layer: the weights into each unit as a row, the biases as a vector.
    Ws = [leaf([[wk.data for wk in unit.w] for unit in layer.neurons]) for layer in net.layers]
    bs = [leaf([unit.b.data for unit in layer.neurons]) for layer in net.layers]
    assert Ws[0][0, 1].item() == w["w_DB"].data and bs[1][0].item() == w["w_GF"].data
    h_torch = torch.tensor([x1, x2], dtype=torch.float64)
    sums = []
    for W_i, b_i in zip(Ws, bs):
        s_i = W_i @ h_torch + b_i
        s_i.retain_grad()                       # keep dE/ds, to read the error terms delta = -dE/ds
        sums.append(s_i)
        h_torch = torch.sigmoid(s_i)
    E_torch = 0.5 * ((t - h_torch) ** 2).sum()
    E_torch.backward()

    print(f"E: engine {ex.error.data:.10f}   PyTorch {E_torch.item():.10f}")
    assert abs(E_torch.item() - ex.error.data) < 1e-15
    largest = 0.0
    for path, p in net.named_parameters():      # layers.i.neurons.j.w.k or layers.i.neurons.j.b
        parts = path.split(".")
        i, j = int(parts[1]), int(parts[3])
        torch_grad = (Ws[i].grad[j, int(parts[5])] if parts[4] == "w" else bs[i].grad[j]).item() + 0.0
        largest = max(largest, abs(torch_grad - p.grad))
        print(f"dE/d{ex.names[path]}: engine {p.grad:+.10f}   PyTorch {torch_grad:+.10f}")
    assert largest < 1e-12
    torch_deltas = (-sums[0].grad).tolist() + (-sums[1].grad).tolist()
    assert max(abs(a - b) for a, b in zip(torch_deltas, (delta_D, delta_E, delta_G))) < 1e-12
    print(f"PyTorch gives the engine's gradients and error terms (largest difference {largest:.1e})")

# %% [markdown]
# ## Pictures
#
# The network as the lecture draws it (weights on the arrows):

# %% alt="The lecture's network: inputs A, B and bias C feed sigmoid units D, E; they and bias F feed G"
display(viz.draw_network(net, names=ex.names))

# %% [markdown]
# The computation graph the engine recorded: every value with its data and gradient, every operation,
# and on each edge the local derivative the chain rule multiplies along it. Given the model and the
# slides' names, the diagram groups the nodes each neuron computes in a box named after it.

# %% alt="Computation graph: weights and inputs through s_D, h_D, s_E, h_E to s_G, y_G and the error E"
slides = dict(model=net, names=ex.names)         # the same two keywords for every diagram below
display(viz.draw_graph(ex.error, **slides))

# %% [markdown]
# ## The backward pass step by step, in the lecture's notation
#
# `viz.backward_steps` replays the backward pass one node at a time, in the lecture's order: the error,
# then the output unit $G$ with its $\delta_G$ and the updates of its three weights, then $D$, then $E$,
# the inputs last. With `notation="delta"` each step's caption is written as the slides write it:
# $\delta_G = (t - y)\,y'_G$, $\Delta w_{GD} = \mu\,\delta_G\,h_D$, $\delta_D = (w_{GD}\,\delta_G)\,y'_D$.
# (In Jupyter, a cell ending in `steps` shows all 20 steps as a page with previous and next buttons:
# `steps.html()`.)

# %%
steps = viz.backward_steps(ex.error, notation="delta", learning_rate=mu, **slides)
assert len(steps) == 20


def caption_parts(caption):
    """'step 5/20: δ_G = (t - y)·y'_G = 0.2355 × 0.1800 = 0.0424' -> ('δ_G', [0.2355, 0.18], 0.0424)."""
    name, *_, factors, value = caption.split(": ", 1)[1].split(" = ")
    return name, [float(f.strip("()")) for f in factors.split(" × ")], float(value)


shown = {}                                          # delta and Delta-w steps: name -> (step, factors, value)
for k, caption in enumerate(steps.captions):
    name = caption.split(": ", 1)[1].split(" = ")[0]
    if name.startswith(("δ_", "Δw_")):
        print(caption)
        shown[name] = (k, *caption_parts(caption)[1:])
# The output unit first, each error term followed by the updates of its unit's weights, the inputs last:
assert list(shown) == ["δ_G", "Δw_GD", "Δw_GE", "Δw_GF", "δ_D", "Δw_DA", "Δw_DB", "Δw_DC",
                       "δ_E", "Δw_EA", "Δw_EB", "Δw_EC"]
assert [c.split(": ", 1)[1].split(" = ")[0] for c in steps.captions[-2:]] == ["−∂E/∂x1", "−∂E/∂x2"]
for unit, delta in (("G", delta_G), ("D", delta_D), ("E", delta_E)):     # the engine's -dE/ds
    assert abs(shown[f"δ_{unit}"][2] - delta) < 5e-5
for name, (_, _, value) in shown.items():
    if name.startswith("Δw_"):
        assert abs(value - updates[name[1:]]) < 5e-5

# %% [markdown]
# The steps show the exact numbers, so they differ from the slides' in the way we saw above: the slides
# round $y$ to $.76$, which makes $t - y = .24$ instead of $.2355$, and every nonzero $\delta$ and
# $\Delta w$ of `slide_numbers()` comes out 2 to 4% larger than the exact one. Step 5, $\delta_G$: $.0424$
# against the slide's $.0434$.

# %% alt="Backward step 5 of 20: the sum s_G outlined in orange; caption delta_G = 0.2355 x 0.1800 = 0.0424"
k, factors, value = shown["δ_G"]
display(steps.frame(k))
assert k == 4 and n.y == 0.76 and round(t - n.y, 2) == 0.24 and (value, n.delta_G) == (0.0424, 0.0434)
assert factors == [round(t - y_G.data, 4), round(y_prime_G, 4)] == [0.2355, 0.18] and value == 0.0424
for name, slide in (("δ_G", n.delta_G), ("Δw_GD", n.dw_GD), ("Δw_GE", n.dw_GE), ("Δw_GF", n.dw_GF),
                    ("δ_D", n.delta_D), ("Δw_DA", n.dw_DA), ("Δw_DC", n.dw_DC)):
    assert 0.02 < slide / shown[name][2] - 1 < 0.04, name       # the slides' rounding: 2 to 4% larger

# %% [markdown]
# Step 10, $\delta_D = (w_{GD}\,\delta_G)\,y'_D$: the slope $y'_D = .0898$ is the slides' own figure.

# %% alt="Backward step 10 of 20: the sum s_D outlined in orange; caption delta_D = 0.1908 x 0.0898 = 0.0171"
k, factors, value = shown["δ_D"]
display(steps.frame(k))
assert k == 9
assert factors[1] == n.y_prime_D == 0.0898 and value == round(delta_D, 4) == 0.0171

# %% [markdown]
# Step 15, $\delta_E = (w_{GE}\,\delta_G)\,y'_E$, is where the slide went wrong: the stepper takes
# $y'_E = .1398$, the corrected slope of `slide_numbers()`, not the slide's $.2055$, so its
# $\delta_E = -.0308$ is the corrected $-.0316$ up to the same rounding, while the slide's $-.0464$ is
# half as large again.

# %% alt="Backward step 15 of 20: the sum s_E outlined; caption delta_E = (-0.2204) x 0.1398 = -0.0308"
k, factors, value = shown["δ_E"]
display(steps.frame(k))
assert k == 14
assert factors[1] == n.y_prime_E == 0.1398 and factors[1] != n.y_prime_E_slide
assert value == round(delta_E, 4) == -0.0308
assert 0.02 < n.delta_E / value - 1 < 0.04 and 0.02 < n.dw_EA / shown["Δw_EA"][2] - 1 < 0.04
assert 0.4 < n.delta_E_slide / value - 1 < 0.6                      # the slide's: half as large again


# %% [markdown]
# ## Gradient paths
#
# The gradient of $E$ with respect to a weight is the sum, over every path from $E$ down to that weight,
# of the product of the local derivatives along the path. An output weight such as $w_{GD}$ has one path;
# $dE/dw_{GD} = \frac{dE}{dy}\frac{dy}{ds}\frac{ds}{dw}$ is exactly that path's product.

# %% alt="The graph with the one path from E back to w_GD highlighted; its product is dE/dw_GD = -0.0382"
products = [p for _, p in path_products(ex.error, w["w_GD"])]
print("paths to w_GD:", len(products), " product:", round(products[0], 6))
print("w_GD.grad:", round(w["w_GD"].grad, 6))
assert len(products) == 1 and abs(products[0] - w["w_GD"].grad) < 1e-15
assert abs(products[0] - (-(t - y_G.data)) * y_prime_G * h_D.data) < 1e-15
display(viz.draw_gradient_paths(ex.error, w["w_GD"], **slides))

# %% [markdown]
# A hidden weight such as $w_{DA}$ sits one layer further back: its path runs through $G$ and $D$, and
# its product has the extra factors $w_{GD}$ and $y'_D$, the very terms of the delta rule.

# %% alt="The graph with the one path from E back to w_DA, via s_G, h_D and s_D, highlighted; product -0.0171"
products = [p for _, p in path_products(ex.error, w["w_DA"])]
print("paths to w_DA:", len(products), " sum of products:", round(sum(products), 6))
print("w_DA.grad:", round(w["w_DA"].grad, 6))
assert abs(sum(products) - w["w_DA"].grad) < 1e-15
display(viz.draw_gradient_paths(ex.error, w["w_DA"], **slides))

# %% [markdown]
# The input $x_1$ reaches the error through both hidden units, so two paths meet at it and its gradient
# is the sum of two products. The diagram gives each path its own colour.

# %% alt="Two paths from E back to x1 in two colours, via D (-0.0634) and via E (0.0894); sum 0.0260"
x1_value = ex.inputs[0]
products = [p for _, p in path_products(ex.error, x1_value)]
assert len(products) == 2 and abs(sum(products) - x1_value.grad) < 1e-15
print("two paths to x1:", [round(p, 6) for p in products], "sum =", round(x1_value.grad, 6))
display(viz.draw_gradient_paths(ex.error, x1_value, **slides))
