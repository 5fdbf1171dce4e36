# ---
# jupyter:
#   lecture:
#   - Non-Linearity
#   - Derivative of Sigmoid
# ---

# %% [markdown]
# # 4. Non-linearities
#
# Instead of passing the linear combination on as it is, a neuron applies a non-linear function $f$:
#
# $$\text{score}(\lambda, \mathbf{d}_i) = f\Big(\sum_j \lambda_j h_j(\mathbf{d}_i)\Big).$$
#
# Popular choices are
#
# * $\tanh(x)$,
# * $\text{sigmoid}(x) = \dfrac{1}{1 + e^{-x}}$ (the *logistic* function),
# * $\text{relu}(x) = \max(0, x)$,
#
# and the TLU's step function is one too. Training will follow derivatives, so we plot each function
# with its derivative. Both curves below come from the engine: every point is a `Value` pushed through
# the function and differentiated with `backward()`.

# %%
from extras import require

require("matplotlib")

# %% alt="Sigmoid, tanh, relu, step (solid) and derivatives (dashed) over -5..5; the step's is 0 everywhere"
import math

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Value
from viz.plots import activation_and_derivative, plot_activations

axes = plot_activations(("sigmoid", "tanh", "relu", "step"))
plt.tight_layout()

# %% [markdown]
# Look at the dashed lines. The step function's derivative is 0 everywhere (and undefined at 0): a small
# change in a weight of a TLU changes nothing, so the TLU gives no hint which way to move. The other three
# have useful slopes. The sigmoid's slope peaks at $1/4$ at 0 and fades for large $|x|$; tanh is a
# rescaled sigmoid, steeper (slope 1 at 0); relu has slope 1 wherever it is active.

# %%
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

# %% [markdown]
# ## The derivative of the sigmoid
#
# With the quotient rule $\left(\frac{f}{g}\right)' = \frac{g f' - f g'}{g^2}$, for $f = 1$ and
# $g = 1 + e^{-x}$ (so $g' = -e^{-x}$):
#
# $$
# \frac{d\,\text{sigmoid}(x)}{dx}
# = \frac{0 \cdot (1 + e^{-x}) - 1 \cdot (-e^{-x})}{(1 + e^{-x})^2}
# = \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}
# = \frac{1}{1 + e^{-x}} \left(1 - \frac{1}{1 + e^{-x}}\right)
# = \text{sigmoid}(x)\,\big(1 - \text{sigmoid}(x)\big).
# $$
#
# (The slide's second line has $(1 - e^{-x})$ where $(1 + e^{-x})$ belongs; it is multiplied by 0, so the
# result is the same.)
#
# So once the forward pass has computed $y = \text{sigmoid}(s)$, the derivative costs one multiplication:
# $y' = y(1-y)$. The lecture writes it $y'$. Let us check it three ways at many points: the engine's
# `backward()`, the formula $y(1-y)$, and a central finite difference
# $\frac{\text{sigmoid}(x+\varepsilon) - \text{sigmoid}(x-\varepsilon)}{2\varepsilon}$.

# %%
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

# %% [markdown]
# The same check for tanh ($\tanh' = 1 - \tanh^2$) and relu (slope 1 for positive inputs, 0 for negative):

# %%
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

# %% [markdown]
# Keep $y' = y(1 - y)$ in mind: the worked example in the next notebook uses it at every sigmoid node.
