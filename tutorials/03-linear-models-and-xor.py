# ---
# jupyter:
#   lecture:
#   - Linear Models
#   - XOR
#   - Multiple Layers
# ---

# %% [markdown]
# # 3. Linear models and XOR
#
# Many classic learners are **linear models**: they weigh feature values $h_j(\mathbf{d}_i)$ of an
# example $\mathbf{d}_i$ with weights $\lambda_j$ and add them up,
#
# $$\text{score}(\lambda, \mathbf{d}_i) = \sum_j \lambda_j h_j(\mathbf{d}_i).$$
#
# Drawn as a network, this is a layer of input nodes connected by weighted arrows to one output node.
# Here we show that such a model cannot represent XOR (1 exactly when the inputs differ), that adding
# a hidden layer alone does not help either, and that a hidden layer with a non-linearity does.

# %%
from extras import require

require("matplotlib", "graphviz")

# %%

import numpy as np
from IPython.display import display
from svg_text import drawn, text, weight_labels

import viz
from autograd_nn.data import XOR
from autograd_nn.lecture import xor_network
from autograd_nn.nn import MLP, Neuron
from viz.plots import plot_decision_boundary

X, y = XOR.arrays()
print(X, y)

# %% [markdown]
# ## Trying a linear score
#
# A linear classifier says "1" when $\lambda_1 x_1 + \lambda_2 x_2 + \lambda_0 \ge 0$. Let us search:
# draw 20,000 random weight vectors and record the best accuracy any of them reaches on the four XOR
# points.

# %%
rng = np.random.default_rng(0)
lambdas = rng.normal(size=(20_000, 3))                 # (lambda_1, lambda_2, lambda_0)
scores = X @ lambdas[:, :2].T + lambdas[:, 2]          # (4, 20000): every model on every point
accuracy = ((scores >= 0) == (y[:, None] == 1)).mean(axis=0)
best = int(accuracy.argmax())
print(f"best accuracy of 20,000 linear scores: {accuracy.max():.2f}; weights {lambdas[best].round(2)}")
assert accuracy.max() == 0.75                          # never all four

# %% [markdown]
# The lecture draws such a model as a "network": one input node per feature, here $h_1 = x_1$ and
# $h_2 = x_2$, plus a constant feature $1$ for the bias, each sending an arrow with its weight $\lambda_j$
# to one output node that adds them up. The engine's `Neuron` with `activation="linear"` is exactly that
# score; `viz.draw_network` draws it with the best weights found above written on the arrows.

# %% alt="Linear model: inputs h1 = x1, h2 = x2 and a constant 1 send arrows λ1, λ2, λ0 to one node 'score'"
lambda_1, lambda_2, lambda_0 = lambdas[best]
score = Neuron(2, activation="linear", weights=[lambda_1, lambda_2], bias=lambda_0)
for x in X:                                             # the neuron is the score we searched with
    assert abs(score(list(x)).data - (x @ lambdas[best, :2] + lambdas[best, 2])) < 1e-12
picture = viz.draw_network(score, names={"": "score", "w.0": "λ1", "w.1": "λ2", "b": "λ0"},
                           input_names=["h1", "h2"], weights="both")
shown = drawn(picture)
assert weight_labels(shown) == {"x1->score": f"λ1 = {lambda_1:.2f}", "x2->score": f"λ2 = {lambda_2:.2f}",
                                "bias1->score": f"λ0 = {lambda_0:.2f}"}
assert text(shown["x1"]) == "h1 x1" and text(shown["x2"]) == "h2 x2" and text(shown["bias1"]) == "1"
assert text(shown["score"]) == "score linear"                   # a weighted sum, no activation
display(picture)

# %% [markdown]
# Three out of four is the best possible: every line leaves at least one point on the wrong side (the
# proof in notebook 2 for the biconditional works for XOR too: XOR is its negation, the same two
# diagonals with the labels swapped). The plot shows the best of our random lines and the point it gets
# wrong: here $(1, 1)$, which lands on the side of the two points labelled 1.

# %% alt="XOR's four points and the best random line: (1,1) lies on the side of (1,0) and (0,1), wrongly"
best_score = lambda P: P @ lambdas[best, :2] + lambdas[best, 2]   # noqa: E731
ax = plot_decision_boundary(best_score, X, y, engine="numpy", threshold=0.0,
                            title="best linear score: one XOR point is always wrong")
assert (best_score(X) >= 0).tolist() == [False, True, True, True] and y.tolist() == [0, 1, 1, 0]

# %% [markdown]
# ## Does a hidden layer help by itself?
#
# Put a layer of hidden nodes between the inputs and the output, each hidden node again a weighted
# sum. The network looks deeper, but it is not more powerful: a weighted sum of weighted sums is still
# a weighted sum. `MLP(2, [2, 1], activation="linear")` builds that network with the engine; we multiply
# its weight matrices out and get one linear model that computes exactly the same outputs.

# %%
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

# %% [markdown]
# Drawn, the deeper network has a column of two hidden nodes, each fed by $x_1$, $x_2$ and a bias unit,
# and "each arrow is a weight": nine arrows, nine weights, every node a plain weighted sum ("linear").

# %% alt="Linear 2-2-1 network: x1, x2, bias feed two linear hidden nodes; they and a bias feed one output"
picture = viz.draw_network(linear_net)
shown = drawn(picture)
drawn_weights = weight_labels(shown)
assert len(drawn_weights) == len(linear_net.parameters()) == 9                  # each arrow is a weight
assert sorted(map(float, drawn_weights.values())) == sorted(round(p.data, 2) for p in linear_net.parameters())
assert all(text(shown[node]).endswith("linear") for node in ("L0_N0", "L0_N1", "L1_N0"))
display(picture)

# %% [markdown]
# ## Add a non-linearity
#
# What breaks the collapse is a non-linear function applied to each hidden node's sum. The lecture's
# network (built by `autograd_nn.lecture.xor_network()`) has two sigmoid hidden nodes $D$ and $E$ and a
# sigmoid output $G$. Its output is above $0.5$ exactly for the two inputs that differ: it computes XOR.

# %% alt="XOR's points under the sigmoid network: a band between two parallel lines holds (1,0) and (0,1)"
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

# %% [markdown]
# The boundary is no longer one line: the region where the network says 1 is a band between two
# parallel lines, $x_1 + x_2 \approx 0.39$ and $x_1 + x_2 \approx 1.51$. They are straight because both
# hidden units weigh $x_1$ and $x_2$ equally ($3.7$ and $3.7$, $2.9$ and $2.9$), so the output depends on
# $x_1 + x_2$ alone. Each lies close to the line where one hidden unit switches over (its sum is 0):
# $x_1 + x_2 = 1.5/3.7 \approx 0.41$ for $D$ and $4.5/2.9 \approx 1.55$ for $E$. So each hidden unit
# draws one soft line, and the output unit fires between them: $D$ on and $E$ off. The next notebook looks
# at the non-linear functions themselves and at their derivatives, which is what learning will need.
