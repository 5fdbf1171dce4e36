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

require("matplotlib")

# %%
import numpy as np

from autograd_nn.data import XOR
from autograd_nn.lecture import xor_network
from autograd_nn.nn import MLP
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
# Three out of four is the best possible: every line leaves at least one point on the wrong side (the
# proof in notebook 2 for the biconditional works for XOR too: XOR is its negation, the same two
# diagonals with the labels swapped). The plot shows the best of our random lines and the point it gets
# wrong.

# %%
best_score = lambda P: P @ lambdas[best, :2] + lambdas[best, 2]   # noqa: E731
ax = plot_decision_boundary(best_score, X, y, engine="numpy", threshold=0.0,
                            title="best linear score: one XOR point is always wrong")

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
# ## Add a non-linearity
#
# What breaks the collapse is a non-linear function applied to each hidden node's sum. The lecture's
# network (built by `autograd_nn.lecture.xor_network()`) has two sigmoid hidden nodes $D$ and $E$ and a
# sigmoid output $G$. Its output is above $0.5$ exactly for the two inputs that differ: it computes XOR.

# %%
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
