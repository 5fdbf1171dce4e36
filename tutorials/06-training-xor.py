# ---
# jupyter:
#   lecture:
#   - Error
#   - Gradient Descent
#   - Putting it All Together
# ---

# %% [markdown]
# # 6. Training XOR with autograd
#
# The worked example made one update. Training repeats it: run the examples forward, measure the error,
# let `backward()` compute every $dE/dw$, and move each weight a step against its gradient,
# $w \leftarrow w - \mu\,\frac{dE}{dw}$ (gradient descent). First the rule on an error of one weight, to
# see what the learning rate $\mu$ does; then a freshly initialised 2-2-1 sigmoid network learns XOR from
# its four examples.

# %%
from extras import require

require("matplotlib", "graphviz")

# %%
import math

import matplotlib.pyplot as plt
from IPython.display import display

import viz
from autograd_nn import losses
from autograd_nn.data import XOR
from autograd_nn.nn import MLP
from autograd_nn.optim import SGD
from autograd_nn.train import fit
from viz.plots import gradient_descent_path, plot_decision_boundary, plot_gradient_descent, plot_loss_curve

# %% [markdown]
# ## Gradient descent and the learning rate $\mu$
#
# The error is a function of the weights. Its gradient points uphill, so each step moves every weight a
# little way downhill, $w \leftarrow w - \mu\,\frac{dE}{dw}$, and the learning rate $\mu$ says how far.
# On the simplest error, $E(w) = w^2$ with $\frac{dE}{dw} = 2w$, a step multiplies the weight by
# $1 - 2\mu$. Four learning rates, 12 steps each from $w = 2$:

# %% alt="Parabola E(w) = w², 12 steps from w = 2: μ 0.05 creeps, 0.4 reaches 0, 0.9 zigzags in, 1.05 out"
def E_of(w):
    return w ** 2

rates = {"too small": 0.05, "good": 0.4, "large": 0.9, "too large": 1.05}
plot_gradient_descent(E_of, start=2.0, rates=tuple(rates.values()), steps=12)
plt.show()

def descend(mu, steps=12):
    points, errors = gradient_descent_path(E_of, [2.0], mu, steps)
    return points[:, 0], errors

paths = {name: descend(mu) for name, mu in rates.items()}
for name, (w, errors) in paths.items():
    print(f"{name:>9}  μ = {rates[name]:<4}  w after 12 steps: {w[-1]:9.3g}   error: {errors[-1]:.3g}")
    assert all(math.isclose(b, (1 - 2 * rates[name]) * a) for a, b in zip(w, w[1:]))   # w <- (1 - 2μ) w

def flips_sign(w):
    return all((a > 0) != (b > 0) for a, b in zip(w, w[1:]))

def rises(errors):
    return all(b > a for a, b in zip(errors, errors[1:]))

(small, small_errors), (good, _), (large, _), (too_large, too_large_errors) = paths.values()
assert all(small > 0) and rises(small_errors[::-1])                  # one side, always downhill ...
assert small[-1] > 0.5                                               # ... and still far
assert abs(good[-1]) < 1e-6                                          # at the minimum
assert flips_sign(large) and abs(large[-1]) < abs(large[0])          # side to side, closing in
assert flips_sign(too_large) and rises(too_large_errors)             # side to side, ever higher
assert all(abs(descend(mu)[0][-1]) > 2 for mu in (1.01, 2, 5))      # any μ above 1 diverges

# %% [markdown]
# * **Too small** ($\mu = 0.05$): every step goes downhill, but each covers only a tenth of the way, and
#   after 12 steps the weight is still above $0.5$.
# * **Good** ($\mu = 0.4$): each step removes four fifths of the distance; after 12 steps the weight is
#   within $10^{-6}$ of the minimum.
# * **Large** ($\mu = 0.9$): each step overshoots the minimum and lands on the other side, a little closer.
#   It still converges, by zigzagging.
# * **Too large** ($\mu = 1.05$, anything above $1$ here): each step overshoots so far that it lands higher
#   up on the other side; the weight flips sign and grows at every step, and the error grows with it.
#
# What counts as too large depends on the shape of the error: the XOR network below trains well with the
# lecture's $\mu = 10$.
#
# ## A network for XOR

# %%
X, y = XOR.arrays()
inputs = [list(x) for x in X]
targets = list(y)

model = MLP(2, [2, 1], activation="sigmoid", seed=0)   # seeded: the same numbers every run
before = [model(x)[0].data for x in inputs]
print("outputs before training:", [round(o, 3) for o in before])
assert all(0.56 < o < 0.59 for o in before)            # all above 0.5: every input is called 1

# %% [markdown]
# The random initial weights are small, so the untrained network answers much the same, between 0.56
# and 0.59, for every input: it calls all four inputs 1.
#
# ## The training loop
#
# One step, written out, is exactly what the lecture describes. `optimizer.zero_grad()` clears the
# gradients of the previous step (they accumulate otherwise), the error over all four examples is
# $E = \sum \frac12 (t - y)^2$ (`losses.l2`), and `SGD.step()` applies $\Delta w = -\mu\,dE/dw$.
# We use the lecture's learning rate $\mu = 10$.

# %%
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

# %% [markdown]
# After 80 steps the network has learned to answer 0 for $(0, 0)$, but it still answers about $2/3$ for
# the other three inputs, (1, 1) included. That is the best a network can do while it cannot tell those
# three apart: for targets 1, 1 and 0 the error $\frac12 (t - y)^2$ summed over them is smallest at
# $y = 2/3$, where it is $1/3$. The network has to find a new feature before the error can fall further.
#
# `autograd_nn.train.fit` is the same loop with a progress bar; it returns the error of every epoch
# (one epoch = one step over all four examples here). 920 more steps:

# %% alt="XOR points on shaded scores: before training all on the 1 side; after, the 1s form a diagonal band"
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

# %% [markdown]
# Before training the whole square is on the 1 side (the shading shows how weakly the network leans);
# afterwards the 1-region is a band between two nearly straight, nearly parallel lines, much like the
# lecture's network in notebook 3, and for the same reason: each trained hidden unit weighs $x_1$ and
# $x_2$ almost equally, so each draws a line close to $x_1 + x_2 = $ constant.

# %% alt="Error per step, log scale: near 0.5 then 1/3, spikes near step 110, a steep drop, slow fall to 3e-4"
ax = plot_loss_curve(history, logy=True, xlabel="step", ylabel="error $E$ (log scale)",
                     title="error during training, $\\mu = 10$")
rises = sum(b > a for a, b in zip(history, history[1:]))
print(f"the error rose in {rises} of the {len(history) - 1} steps")
assert rises > 0

# %% [markdown]
# The curve falls in steps. For about 50 steps the network answers much the same for every input; then
# one hidden unit learns to pick out $(0, 0)$ and the error settles near $1/3$ (the three inputs the
# network cannot yet tell apart); around step 100 the other hidden unit learns to switch off for
# $(1, 1)$, and the error drops a hundredfold within a few dozen steps. Gradient descent does not always
# go downhill: the spikes come from the large step $\mu = 10$, where a step overshoots and the next one
# corrects it.
#
# What did the hidden units learn? The table shows what each computes after training: each has become a
# logic gate of its own, $h_1$ close to NAND and $h_2$ close to NOR (every output within $0.1$ of the
# gate's). The output unit weighs $h_1$ positively and $h_2$ negatively, so it fires when $h_1$ is on and
# $h_2$ off: NAND and not NOR, which is XOR.

# %%
hidden_layer = model.layers[0]
NAND, NOR = [1, 1, 1, 0], [1, 0, 0, 0]
print(" x1 x2 | h_1   h_2  | y")
h = []
for x in inputs:
    h.append([v.data for v in hidden_layer(x)])
    print(f" {x[0]:2.0f} {x[1]:2.0f} | {h[-1][0]:.2f}  {h[-1][1]:.2f} | {model(x)[0].data:.2f}")

assert all(abs(row[0] - gate) < 0.1 for row, gate in zip(h, NAND))     # h_1 is nearly NAND
assert all(abs(row[1] - gate) < 0.1 for row, gate in zip(h, NOR))      # h_2 is nearly NOR
w_G1, w_G2 = (w.data for w in model.layers[1].neurons[0].w)  # noqa: N816 - the lecture's names
print(f"output weights: {w_G1:.2f} on h_1, {w_G2:.2f} on h_2")
assert w_G1 > 0 > w_G2
assert [int(a and not b) for a, b in zip(NAND, NOR)] == [int(t) for t in targets]   # NAND and not NOR

# %% [markdown]
# ## A start that fails
#
# Not every start succeeds. From `seed=1`, after the same 1000 steps two inputs still get answers of
# about $0.5$:

# %%
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


# %% [markdown]
# The inputs $(1, 0)$ (target 1) and $(1, 1)$ (target 0) switch both hidden units off, so the output unit
# sees the same thing for both and the best it can answer is $0.5$ for each. Is this a *local minimum*?
# Not quite. Let us train on and watch the error, the length of the gradient and the size of the weights:

# %%
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


# %% [markdown]
# The error keeps falling, ever more slowly, towards $0.25$: two inputs answered perfectly and two with
# exactly $0.5$ ($2 \times \frac12 \times 0.5^2$). The gradient keeps shrinking and the weights keep
# growing, because the sigmoids reach 0 and 1 exactly only at infinitely large weights. So this is not a
# local minimum (nowhere along this path is the gradient zero); it is a **plateau** whose lowest error,
# $0.25$, lies infinitely far away. Gradient descent creeps along it for ever and never finds the way out
# to the solutions that tell $(1, 0)$ from $(1, 1)$.
#
# The usual remedies are to restart from other random weights, or to give the network more hidden units
# than the bare minimum. Ten starts of each, each given the same 1000 steps at most: a start counts as
# learning XOR once it answers all four inputs right (we look every 50 steps and stop there).

# %%
def learns_xor(hidden_units, seed):
    net = MLP(2, [hidden_units, 1], activation="sigmoid", seed=seed)
    optimizer = SGD(net.parameters(), lr=10.0)
    for _ in range(20):                                    # 20 x 50 = 1000 steps at most
        fit(net, inputs, targets, losses.l2, optimizer, epochs=50, progress=False)
        if all((net(x)[0].data >= 0.5) == (t == 1.0) for x, t in zip(inputs, targets)):
            return True
    return False

successes = {n: sum(learns_xor(n, seed) for seed in range(10)) for n in (2, 4)}
print("starts (of 10) that learn XOR, by number of hidden units:", successes)
assert successes[2] < 10 and successes[4] == 10

# %% [markdown]
# ## The trained network
#
# The network diagram shows the learned weights:

# %% alt="The trained 2-2-1 network: x1 and x2 feed two hidden units, both feed y; each arrow has its weight"
display(viz.draw_network(model))

# %% [markdown]
# The computation graph of the error on one example, $(1, 0)$, shows every value, gradient and local
# derivative after training. **Gradients accumulate**: `fit` leaves the last training step's gradients on
# the weights and `backward()` adds to whatever is there, so we clear them with `model.zero_grad()` first.
# Without it the graph would show the left-overs added to this example's gradients: the weights from $x_2$,
# for one, would not show the exact 0 that this example, with $x_2 = 0$, gives them.

# %% alt="Graph of the error on (1, 0): each unit's weights, sum and sigmoid with data and grad; x2's grads 0"
x, t = inputs[1], targets[1]
from_x2 = [neuron.w[1] for neuron in model.layers[0].neurons]     # the weights from x2
left_over = [w.grad for w in from_x2]
model.zero_grad()
E = losses.l2(model(x), [t])
E.backward()
print("gradients of the weights from x2, left over:", [f"{g:.1e}" for g in left_over],
      " after zero_grad and backward:", [w.grad for w in from_x2])
assert x[1] == 0 and all(left_over) and all(w.grad == 0 for w in from_x2)
display(viz.draw_graph(E, model=model))
