# ---
# jupyter:
#   lecture:
#   - Key Concepts
#   - Gradient Descent
#   - Derivative of Sigmoid
# ---

# %% [markdown]
# # 10. Second derivatives
#
# Gradient descent uses the slope of the error: $w \leftarrow w - \mu\,\frac{dE}{dw}$. The slope says which
# way is downhill, but not how far to go; that depends on how fast the slope itself changes, the **second
# derivative** (the curvature). This notebook computes second derivatives with the engine, uses them for
# Newton's method, and measures the curvature of the XOR error.
#
# `backward()` writes gradients into `.grad` as plain numbers. `autograd_nn.grad(y, x, create_graph=True)`
# returns $dy/dx$ as a `Value` with a graph of its own (as `torch.autograd.grad` does), so it can be
# differentiated again.

# %%
from extras import require

require("matplotlib", "graphviz")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

import viz
from autograd_nn import Value, grad, losses
from autograd_nn.data import XOR
from autograd_nn.graph import topological_order
from autograd_nn.lecture import XOR_NAMES, xor_network

# %% [markdown]
# ## The second derivative of the sigmoid
#
# The lecture derives $\text{sigmoid}'(x) = \sigma(x)\,(1 - \sigma(x))$ with the quotient rule, writing
# $\sigma$ for the sigmoid. Differentiating once more with the product rule gives
#
# $$\sigma''(x) = \sigma'(x)\,(1 - \sigma(x)) - \sigma(x)\,\sigma'(x) = \sigma'(x)\,(1 - 2\sigma(x)).$$
#
# The engine gets both without being told: `grad(..., create_graph=True)` for the first derivative,
# `grad` of that for the second. We compare with the formulas and with finite differences (notebook 7):
# the central difference of $\sigma'$, and the second difference
# $\frac{\sigma(x + h) - 2\sigma(x) + \sigma(x - h)}{h^2}$ of $\sigma$ itself.

# %%
def sigma(x):
    return 1 / (1 + math.exp(-x))

def derivatives(x):
    """sigma(x), sigma'(x) and sigma''(x) from the engine."""
    x = Value(x)
    y = x.sigmoid()
    (dy,) = grad(y, x, create_graph=True)       # a Value with a graph: differentiate it again
    (d2y,) = grad(dy, x)
    return y.data, dy.data, d2y.data

eps, h = 1e-5, 1e-4
central_errors, second_errors = [], []
print("    x    sigma'(x)  sigma''(x)   |formula err|   |central diff err|  |second diff err|")
for x in [-3.0, -1.0, 0.0, 0.5, 2.0]:
    s, d1, d2 = derivatives(x)
    formula = (s * (1 - s), s * (1 - s) * (1 - 2 * s))
    central = (derivatives(x + eps)[1] - derivatives(x - eps)[1]) / (2 * eps)
    second = (sigma(x + h) - 2 * sigma(x) + sigma(x - h)) / h**2
    err = max(abs(d1 - formula[0]), abs(d2 - formula[1]))
    print(f"{x:5.1f}  {d1:9.6f}  {d2:10.6f}   {err:13.1e}   {abs(central - d2):18.1e}  "
          f"{abs(second - d2):16.1e}")
    assert err < 1e-16
    assert abs(central - d2) < 1e-10 and abs(second - d2) < 1e-7
    central_errors.append(abs(central - d2))
    second_errors.append(abs(second - d2))
assert max(second_errors) > 1000 * max(central_errors)

xs = np.linspace(-6, 6, 121)                   # the claims below, on a grid
curves = np.array([derivatives(x) for x in xs])
middle = len(xs) // 2                          # x = 0
assert xs[middle] == 0 and curves[middle, 1] == 0.25 == curves[:, 1].max() and curves[middle, 2] == 0
assert (curves[:middle, 2] > 0).all() and (curves[middle + 1:, 2] < 0).all()

# %% [markdown]
# The engine agrees with the formulas to rounding (within $10^{-16}$) and with both finite differences to
# their own accuracy (the second difference divides by $h^2$, so it keeps fewer digits). The sigmoid bends
# upwards ($\sigma'' > 0$) left of 0 and downwards right of it; $\sigma''(0) = 0$ where $\sigma'$ is largest,
# $1/4$.

# %% [markdown]
# ## The graph of $dy/dx$
#
# With `create_graph=True` the derivative is built from ordinary operations, so it is a computation graph
# like any other and `viz.draw_graph` draws it. For $y = \sigma(x)$ at $x = 0.5$:
#
# * $x$ and $y = \sigma(x)$ are the forward pass itself: the derivative **reuses** the node $y$ rather
#   than computing $\sigma$ again;
# * $1 - y$ and the product $y' = y \cdot (1 - y)$ are the two new nodes: the lecture's formula, as a
#   graph.
#
# Calling `backward()` on $y'$ then does what the second `grad` did: it differentiates the derivative.
# The grad of $y$ in the picture is $\partial y'/\partial y = 1 - 2y$, and the grad of $x$ is that times
# $\sigma'(x)$: $\sigma''(x) = \sigma'(x)(1 - 2\sigma(x))$, the formula above, read off the diagram.

# %% alt="Graph of y′ = y·(1 − y): x → σ → y; y and 1 − y into ×; x's grad −0.0576 is σ″(0.5)"
x = Value(0.5, label="x")
y = x.sigmoid()
y.label = "y"
(dy,) = grad(y, x, create_graph=True)
dy.label = "y′"
dy.parents[1].label = "1 − y"

nodes = topological_order(dy)
assert [n.op for n in nodes] == ["", "sigmoid", "rsub", "*"]      # x, y, 1 - y, y (1 - y)
assert dy.parents[0] is y and dy.parents[1].parents == (y,)        # y is shared, not recomputed
assert dy.data == y.data * (1 - y.data) and x.grad == 0.0          # grad() left .grad alone

dy.backward()
d2y = derivatives(0.5)[2]
assert abs(y.grad - (1 - 2 * y.data)) < 1e-15 and abs(x.grad - d2y) < 1e-15

diagram = viz.draw_graph(dy)
op_nodes = [line for line in diagram.body if "__op [label=" in line]      # an op is a node of its own
assert len(op_nodes) == 3 and all(f"label=<{s}>" in diagram.source for s in ("σ", "×", "1 − ·"))
display(diagram)

# %% [markdown]
# ## Newton's method beside gradient descent
#
# Near a point $x$ a function is close to its quadratic
# $f(x + d) \approx f(x) + f'(x)\,d + \frac12 f''(x)\,d^2$. Where $f'' > 0$ this parabola has its minimum at
# $d = -f'(x)/f''(x)$; **Newton's method** jumps there and repeats:
#
# $$x \leftarrow x - \frac{f'(x)}{f''(x)} \qquad\text{beside gradient descent}\qquad
#   x \leftarrow x - \mu\,f'(x).$$
#
# Newton's method is gradient descent with the step $\mu = 1/f''(x)$ chosen by the curvature at every
# step. We try both on $f(x) = x^4 - 3x^2 + x$, which has two minima (near $-1.30$ and $1.13$) and a
# maximum near $0.17$ between them, with $f' = 4x^3 - 6x + 1$ and $f'' = 12x^2 - 6$ to check the engine
# against. Gradient descent gets $\mu = 0.04$: at the start, $x_0 = 2$, the curvature is $f''(2) = 42$, and
# a step larger than $2/42 \approx 0.048$ would overshoot there.

# %%
def f(x):
    return x**4 - 3 * x**2 + x

def slope_and_curvature(x):
    x = Value(x)
    (d1,) = grad(f(x), x, create_graph=True)
    (d2,) = grad(d1, x)
    assert abs(d1.data - (4 * x.data**3 - 6 * x.data + 1)) < 1e-12
    assert abs(d2.data - (12 * x.data**2 - 6)) < 1e-12
    return d1.data, d2.data

def newton(x, steps):
    path = [x]
    for _ in range(steps):
        d1, d2 = slope_and_curvature(x)
        x = x - d1 / d2
        path.append(x)
    return path

def gradient_descent(x, steps, mu=0.04):
    path = [x]
    for _ in range(steps):
        x = x - mu * slope_and_curvature(x)[0]
        path.append(x)
    return path

def steps_to_converge(path, tol=1e-10):
    """The first step whose slope |f'(x)| is below tol."""
    return next(k for k, x in enumerate(path) if abs(slope_and_curvature(x)[0]) < tol)

assert slope_and_curvature(2.0)[1] == 42 and 0.04 < 2 / 42 < 0.048
x_newton, x_gd = newton(2.0, 8), gradient_descent(2.0, 80)
x_min = x_newton[-1]
assert abs(newton(-2.0, 8)[-1] + 1.30) < 0.01                               # the other minimum
print(" k   Newton x_k           f'(x_k)    gradient descent x_k   f'(x_k)")
for k in [0, 1, 2, 3, 4, 5, 6, 10, 20, 40, 80]:
    row = f"{k:2d}   " + (f"{x_newton[k]:.15f}  {slope_and_curvature(x_newton[k])[0]:9.1e}   "
                          if k < len(x_newton) else " " * 37)
    print(row + f"{x_gd[k]:.15f}      {slope_and_curvature(x_gd[k])[0]:9.1e}")

n_newton, n_gd = steps_to_converge(x_newton), steps_to_converge(x_gd)
print(f"steps to |f'| < 1e-10: Newton {n_newton}, gradient descent {n_gd}")
assert abs(x_min - 1.1309) < 1e-4 and slope_and_curvature(x_min)[1] > 0   # a minimum
assert n_newton <= 6 and n_gd >= 5 * n_newton
assert all(abs(slope_and_curvature(x)[0]) < abs(slope_and_curvature(prev)[0]) ** 1.5   # quadratic
           for prev, x in zip(x_newton[2:n_newton], x_newton[3:n_newton]))           # convergence
factor = abs(1 - 0.04 * slope_and_curvature(x_min)[1])
ratio = (abs(slope_and_curvature(x_gd[20])[0]) / abs(slope_and_curvature(x_gd[10])[0])) ** (1 / 10)
assert abs(factor - 0.63) < 0.005 and abs(ratio - factor) < 0.005          # a constant factor per step
assert [round(math.log10(abs(slope_and_curvature(x)[0]))) for x in x_newton[3:7]] == [-1, -3, -6, -13]
assert n_gd > 24

# %% [markdown]
# Newton's method reaches the minimum to ten digits in a handful of steps; near the end each step roughly
# squares the error (the slope column goes $10^{-1}$, $10^{-3}$, $10^{-6}$, $10^{-13}$). Gradient descent
# with a fixed $\mu$ shrinks the error by about the same factor every step, $|1 - \mu f''(x^*)| \approx
# 0.63$ here, so it needs dozens of steps.
#
# ## Where $f'' < 0$
#
# Newton's method looks for a point where $f' = 0$, and a maximum is one too. Between the two minima the
# curvature is negative ($f'' < 0$ for $|x| < 1/\sqrt2$): there the parabola opens downwards, and its
# "minimum" $x - f'/f''$ is its top. Start at $x_0 = 0.5$, where $f''(0.5) = -3$:

# %% alt="Left: f with the iterates from 2 and 0.5, Newton climbing to the top; right: log10|f′| per step"
concave_newton, concave_gd = newton(0.5, 8), gradient_descent(0.5, 80)
top = concave_newton[-1]
print(f"from x0 = 0.5: Newton ends at {top:.4f} (f = {f(top):.4f}, f'' = {slope_and_curvature(top)[1]:.2f}), "
      f"gradient descent at {concave_gd[-1]:.4f} (f = {f(concave_gd[-1]):.4f}); f(0.5) = {f(0.5):.4f}")
assert slope_and_curvature(0.5)[1] < 0
assert slope_and_curvature(-0.7)[1] < 0 < slope_and_curvature(-0.71)[1]          # f'' < 0 for |x| < 1/sqrt 2
assert slope_and_curvature(0.7)[1] < 0 < slope_and_curvature(0.71)[1]
assert abs(slope_and_curvature(top)[0]) < 1e-12 and slope_and_curvature(top)[1] < 0   # a maximum ...
assert abs(top - 0.17) < 0.01 and f(top) > f(0.5)           # ... higher than where it started
assert steps_to_converge(concave_newton) <= n_newton                         # and as fast
assert abs(concave_gd[-1] - x_min) < 1e-6 and f(concave_gd[-1]) < f(0.5)   # descent went down

grid = np.linspace(-2, 2.2, 200)
fig, (ax, ax_slope) = plt.subplots(1, 2, figsize=(10, 3.8))
ax.plot(grid, f(grid), color="black", lw=1)
for path, style, name in [(x_gd[:30], "o-", "gradient descent from 2"), (x_newton[:6], "s-", "Newton from 2"),
                          (concave_gd[:30], "o:", "gradient descent from 0.5"),
                          (concave_newton[:6], "s:", "Newton from 0.5")]:
    ax.plot(path, [f(x) for x in path], style, ms=4, alpha=0.8, label=name)
ax.axvspan(-1 / math.sqrt(2), 1 / math.sqrt(2), color="grey", alpha=0.12, label="f″ < 0")
ax.set_xlabel("x")
ax.set_ylabel("f(x)")
ax.set_ylim(-4, 6)
ax.legend(fontsize=8)
for path, name in [(x_newton, "Newton"), (x_gd, "gradient descent, μ = 0.04")]:
    slopes = [max(abs(slope_and_curvature(x)[0]), 1e-16) for x in path]     # 1e-16: log10(0) is -inf
    ax_slope.plot(np.log10(slopes), "o-", ms=3, label=name)
ax_slope.set_xlabel("step k (from x₀ = 2)")
ax_slope.set_ylabel("log₁₀ |f′(x_k)|")
ax_slope.legend(fontsize=8)
plt.tight_layout()

# %% [markdown]
# From $x_0 = 0.5$ Newton's method converges, just as fast, to the **maximum** near $0.17$ and ends higher
# than it started, while gradient descent, which only ever steps downhill, rolls into the minimum at $1.13$.
# A Newton step is only a descent step where the curvature is positive. The simplest safeguard takes the
# Newton step where $f'' > 0$ and a gradient step where it is not. From $x_0 = 0.5$ a few gradient steps
# leave the concave middle, and Newton steps then reach the minimum at $1.13$ in well under half the steps
# that gradient descent alone takes from there:

# %%
def safeguarded(x, steps, mu=0.04):
    path = [x]
    for _ in range(steps):
        d1, d2 = slope_and_curvature(x)
        x = x - d1 / d2 if d2 > 0 else x - mu * d1
        path.append(x)
    return path

x_safe = safeguarded(0.5, 40)
n_safe = steps_to_converge(x_safe)
concave_steps = sum(slope_and_curvature(x)[1] <= 0 for x in x_safe[:n_safe])
n_concave_gd = steps_to_converge(concave_gd)
print(f"from x0 = 0.5: {concave_steps} gradient steps, then Newton; |f'| < 1e-10 after {n_safe} steps "
      f"at x = {x_safe[n_safe]:.6f} (gradient descent alone: {n_concave_gd} steps)")
assert abs(x_safe[n_safe] - x_min) < 1e-9 and concave_steps <= 5 and n_safe < n_concave_gd / 2

# %% [markdown]
#
# ## The curvature of the XOR error along a direction
#
# A network has many weights $w$, and its error $E(w)$ has a matrix of second derivatives, the Hessian
# $H_{ij} = \partial^2 E / \partial w_i \partial w_j$. We rarely need all of it: the curvature along one
# direction $v$ (a unit vector) is $v^\top H v$, the second derivative of $E(w + t v)$ in $t$. And $Hv$
# itself is a gradient:
#
# $$H v = \frac{\partial}{\partial w}\big(\nabla E \cdot v\big),$$
#
# so it costs two passes: `grad(E, w, create_graph=True)` for $\nabla E$ as a graph, the dot product with
# $v$, and `grad` of that scalar again. This is a **Hessian-vector product**.
#
# We take the lecture's XOR network (notebooks 3 and 5) with its nine weights, the error
# $E = \sum \frac12 (t - y)^2$ over the four XOR examples, and $v = -\nabla E / |\nabla E|$, the direction
# gradient descent steps in.

# %%
net = xor_network()
weights = net.parameters()
names = [XOR_NAMES[path] for path, _ in net.named_parameters()]
examples = [list(x) for x in XOR.inputs]
targets = list(XOR.targets)
w0 = np.array([p.data for p in weights])

def error():
    return losses.l2([net(x) for x in examples], targets)

def set_weights(w):
    for p, value in zip(weights, w):
        p.data = float(value)

E0 = error()
gradient = grad(E0, weights, create_graph=True)         # nine Values, each with a graph
g = np.array([d.data for d in gradient])
v = -g / np.linalg.norm(g)
g_dot_v = sum(d * float(vi) for d, vi in zip(gradient, v))   # a Value: nabla E . v
Hv = np.array([d.data for d in grad(g_dot_v, weights)])
curvature = v @ Hv

def gradient_at(w):
    set_weights(w)
    result = np.array([d.data for d in grad(error(), weights)])
    set_weights(w0)
    return result

eps = 1e-5
Hv_fd = (gradient_at(w0 + eps * v) - gradient_at(w0 - eps * v)) / (2 * eps)
print(f"E = {E0.data:.4f}   |grad E| = {np.linalg.norm(g):.4f}   slope g.v = {g @ v:.4f}   "
      f"curvature v'Hv = {curvature:.4f}")
print("     ", "  ".join(f"{n:>6}" for n in names))
print("Hv   ", "  ".join(f"{x:6.3f}" for x in Hv))
print("f.d. ", "  ".join(f"{x:6.3f}" for x in Hv_fd))
print(f"largest |Hv - finite difference| = {np.abs(Hv - Hv_fd).max():.1e}")
assert np.abs(Hv - Hv_fd).max() < 1e-10
assert abs(g @ v + np.linalg.norm(g)) < 1e-15 and curvature > 0

# %% [markdown]
# The Hessian-vector product agrees with the finite difference of the gradient along $v$,
# $\frac{\nabla E(w + \varepsilon v) - \nabla E(w - \varepsilon v)}{2\varepsilon}$, to ten decimal places. The
# curvature along $v$ is positive, so along this line $E$ looks like an upward parabola: the quadratic
# model $E(w + t v) \approx E + t\,\nabla E \cdot v + \frac12 t^2\, v^\top H v$ has its minimum at
# $t^* = -\nabla E \cdot v \,/\, v^\top H v$, the Newton step along the line. A gradient-descent step with
# learning rate $\mu$ moves $t = \mu\,|\nabla E|$ along $v$: the lecture's $\mu = 10$ goes about four times
# further than $t^*$ and the error *rises*.

# %% alt="E(w + t v) along −∇E and its parabola, close near 0; t* = 0.18 at the minimum; μ = 10 step higher"
ts = np.linspace(-1.5, 2, 141)

def error_along(t):
    set_weights(w0 + t * v)
    value = error().data
    set_weights(w0)
    return value

along = np.array([error_along(t) for t in ts])
model = E0.data + ts * (g @ v) + 0.5 * ts**2 * curvature
t_star = -(g @ v) / curvature
t_mu10 = 10 * np.linalg.norm(g)

fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(ts, along, color="black", label="E(w + t v)")
ax.plot(ts, model, "--", label="E + t ∇E·v + ½ t² vᵀHv")
ax.plot([t_star], [error_along(t_star)], "o", label=f"t* = {t_star:.2f} (Newton step)")
ax.plot([t_mu10], [error_along(t_mu10)], "s", label=f"gradient descent, μ = 10: t = {t_mu10:.2f}")
ax.set_xlabel("t (distance along v = −∇E / |∇E|)")
ax.set_ylabel("error")
ax.set_ylim(0, 0.8)
ax.legend(fontsize=8)
plt.tight_layout()

t_best = ts[np.argmin(along)]
print(f"t* = {t_star:.3f}, the curve's lowest point t = {t_best:.3f}; "
      f"E(t*) = {error_along(t_star):.5f} < E(0) = {E0.data:.5f} "
      f"< E(mu = 10 step) = {error_along(t_mu10):.5f}")
assert abs(t_star - t_best) < ts[1] - ts[0] and error_along(t_star) < E0.data
assert 3.5 < t_mu10 / t_star < 4.5 and error_along(t_mu10) > E0.data
near = np.abs(ts) <= 0.4
assert np.abs(along - model)[near].max() < 0.003                  # the model is good near t = 0 ...
gap = (model - along)[ts >= 1]
assert (np.diff(gap) > 0).all() and gap[-1] > 0.2                # ... and poor far from it

# %% [markdown]
# Near $t = 0$ the parabola follows the error closely (to within 0.003 for $|t| \le 0.4$), and its minimum
# $t^*$ is within a grid step of the error's lowest point on this line. Further out they part: beyond
# $t = 1$ the error grows ever more slowly than the parabola, which ends more than 0.2 above it at $t = 2$.
#
# ## The whole Hessian, nine products later
#
# With $v$ the unit vector $e_i$ the product $He_i$ is column $i$ of the Hessian, so nine Hessian-vector
# products give all of it, here simply `grad` of each of the nine gradient Values. It is symmetric, as
# second derivatives are, and at the lecture's weights all its eigenvalues are positive: near these weights
# the error is a bowl. But it is a stretched one: the steepest and the flattest direction differ in
# curvature by a factor over 100. Gradient descent needs $\mu < 2/\lambda_{\max}$ not to overshoot along
# the steepest direction, and then crawls along the flattest; Newton's method,
# $w \leftarrow w - H^{-1}\nabla E$, takes each direction at its own scale.

# %%
H = np.array([[d.data for d in grad(gi, weights)] for gi in gradient])
eigenvalues = np.linalg.eigvalsh(H)
print("eigenvalues of H:", np.round(eigenvalues, 4))
print(f"largest / smallest = {eigenvalues[-1] / eigenvalues[0]:.0f},  "
      f"2 / largest = {2 / eigenvalues[-1]:.2f}")
assert np.abs(H - H.T).max() < 1e-15
assert abs(v @ H @ v - curvature) < 1e-14 and np.abs(H @ v - Hv).max() < 1e-14
assert eigenvalues[0] > 0 and eigenvalues[-1] / eigenvalues[0] > 100
assert 2 / eigenvalues[-1] < 10 and all(p.data == w for p, w in zip(weights, w0))   # weights restored
