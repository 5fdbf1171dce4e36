# ---
# jupyter:
#   lecture:
#   - Key Concepts
#   - Gradient Descent
# ---

# %% [markdown]
# # 7. Gradient checking
#
# Backpropagation is exact arithmetic, but code has bugs: a wrong local derivative in one operation
# makes every gradient that flows through it wrong, and training then quietly does worse instead of
# failing. The remedy is to compare the analytic gradient with a **finite difference**, which needs
# nothing but the forward pass.

# %%
from extras import require

require("matplotlib")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import GradcheckError, Value, gradcheck, losses
from autograd_nn.gradcheck import check_local_derivatives, gradcheck_nodes
from autograd_nn.lecture import worked_example

# %% [markdown]
# ## Finite differences by hand
#
# The derivative is the limit of a difference quotient. With a small $\varepsilon$,
#
# * forward difference: $f'(x) \approx \dfrac{f(x + \varepsilon) - f(x)}{\varepsilon}$,
#   error of order $\varepsilon$;
# * central difference: $f'(x) \approx \dfrac{f(x + \varepsilon) - f(x - \varepsilon)}{2\varepsilon}$,
#   error of order $\varepsilon^2$.
#
# Smaller is not always better: for a tiny $\varepsilon$ the two function values are nearly equal
# floats, their difference keeps only a few correct digits, and the error grows again. Let us see it on
# $f(x) = x \cdot \text{sigmoid}(x)$ at $x = 0.5$ (the plot reads from large $\varepsilon$ on the left
# to tiny on the right).

# %% alt="Log-log error against ε, 0.1 down to 1e-12: central differences best near 1e-5, forward near 1e-8"
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

# %% [markdown]
# The central difference is best near $\varepsilon = 10^{-5}$ (an error of a few $10^{-12}$ here), the
# forward one near $10^{-8}$ and about a thousand times worse. Below those the rounding error of the
# subtraction, about $10^{-16}/\varepsilon$, takes over. `gradcheck` therefore uses central differences
# with $\varepsilon = 10^{-6}$.

# %% [markdown]
# ## `gradcheck`
#
# `autograd_nn.gradcheck(f, inputs)` does this for every input: it perturbs each input by $\pm\varepsilon$,
# compares the central difference with the gradient from `backward()`, and either returns `True` or raises
# a `GradcheckError` listing every input that disagrees. Here it checks the worked example's error
# with respect to all nine weights.

# %%
ex = worked_example()
model, x_in = ex.model, [v.data for v in ex.inputs]
params = model.parameters()

def error_of(*weights):                     # gradcheck perturbs the weights in place
    return losses.l2(model(x_in), [ex.target])

assert gradcheck(error_of, params)
print("gradcheck passed for", list(ex.weights))       # the nine weights, by their slide names

# %% [markdown]
# ## Catching a broken operation
#
# Now we plant a bug. Suppose tanh had been written with the derivative $1 - \tanh(x)$ instead of
# $1 - \tanh^2(x)$, an easy slip. We patch `Value.tanh` with that mistake for the next few cells (and
# restore it afterwards).

# %%
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

# %% [markdown]
# `gradcheck` says *that* the gradients are wrong, but not *why*: every input whose paths run through
# the tanh is off. The per-node check localises the bug. For every node of the graph it recomputes the
# node's own operation from its parents' values, takes a finite difference of that one operation, and
# compares it with the local derivative stored on the node. Only the broken operation disagrees.

# %%
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

# %% [markdown]
# In this library's own test suite every operation is checked both ways, and against PyTorch. When you
# add an operation of your own, check it the same way before trusting a training run.
