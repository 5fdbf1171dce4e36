"""``autograd_nn.grad`` for Tensors: first derivatives, second derivatives, Hessian-vector products.

Second derivatives are checked the way ``gradcheck`` checks first ones: for each op f, with a
fixed random output weight w and direction v, the Hessian-vector product of L = Σ w·f(x) taken
through ``grad(..., create_graph=True)`` twice must match the central difference of the first
derivative, (∇L(x + εv) − ∇L(x − εv)) / 2ε, in float64, and PyTorch's double backward.
"""

import threading

import numpy as np
import pytest

from autograd_nn import Tensor, Value, concatenate, detect_anomaly, grad, losses, no_grad, stack, where
from autograd_nn.graph import AnomalyError, topological_order
from autograd_nn.nn import Linear, Sequential, Tanh
from autograd_nn.tensor import Function, linear
from autograd_nn.tensor.functions import ExpOp
from autograd_nn.tensor.shapes import BroadcastToOp, ScatterOp
from autograd_nn.tensor_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None


def data(shape, domain: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    if domain == "positive":
        return 0.5 + np.abs(x)
    if domain == "unit":
        return 0.2 + 0.6 * rng.uniform(size=shape)
    if domain == "smooth":  # away from the kinks of abs, relu, clip and step, and from ties of max
        return np.sign(x) * (0.3 + np.abs(x)) + 0.01 * np.arange(x.size).reshape(shape)
    return x


T = torch
TARGETS = np.array([1, 0, 3])
BINARY = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])

# (id, ours, torch's (None: the same expression), input shapes, domain)
OPS = [
    ("add", lambda a, b: a + b, None, [(3, 4), (4,)], "any"),
    ("sub", lambda a, b: a - b, None, [(3, 1), (4,)], "any"),
    ("mul", lambda a, b: a * b, None, [(3, 4), (3, 1)], "any"),
    ("mul-same", lambda a: a * a * a, None, [(3,)], "any"),
    ("div", lambda a, b: a / b, None, [(3, 4), (4,)], "positive"),
    ("rdiv", lambda a: 2.0 / a, None, [(3,)], "positive"),
    ("pow2", lambda a: a**2, None, [(3, 2)], "any"),
    ("pow3", lambda a: a**3, None, [(3, 2)], "any"),
    ("pow-half", lambda a: a**0.5, None, [(4,)], "positive"),
    ("pow-neg", lambda a: a**-1.5, None, [(4,)], "positive"),
    ("pow0", lambda a: a**0 * a, None, [(3,)], "any"),
    ("pow-tensor", lambda a, b: a**b, None, [(3, 2), (2,)], "positive"),
    ("rpow", lambda a: 2.0**a, None, [(4,)], "any"),
    ("neg", lambda a: -a * a, None, [(2, 3)], "any"),
    ("exp", lambda a: a.exp(), None, [(3, 2)], "any"),
    ("log", lambda a: a.log(), None, [(3, 2)], "positive"),
    ("sqrt", lambda a: a.sqrt(), None, [(3, 2)], "positive"),
    ("abs", lambda a: a.abs() * a, None, [(3, 2)], "smooth"),
    ("clip", lambda a: a.clip(-0.5, 0.5) * a, None, [(4, 3)], "smooth"),
    ("matmul-2d", lambda a, b: a @ b, None, [(3, 4), (4, 5)], "any"),
    ("matmul-1d-2d", lambda a, b: a @ b, None, [(4,), (4, 5)], "any"),
    ("matmul-2d-1d", lambda a, b: a @ b, None, [(3, 4), (4,)], "any"),
    ("matmul-batched", lambda a, b: a @ b, None, [(2, 3, 4), (4, 2)], "any"),
    ("linear", lambda x, w, b: linear(x, w, b), lambda x, w, b: x @ w + b, [(5, 3), (3, 2), (2,)], "any"),
    ("linear-1d", lambda x, w, b: linear(x, w, b), lambda x, w, b: x @ w + b, [(3,), (3, 2), (2,)], "any"),
    ("linear-3d", lambda x, w: linear(x, w), lambda x, w: x @ w, [(2, 4, 3), (3, 2)], "any"),
    ("sum", lambda a: a.sum(axis=0) * a.sum(), lambda a: a.sum(dim=0) * a.sum(), [(3, 4)], "any"),
    (
        "sum-keepdims",
        lambda a: a.sum(axis=(0, 2), keepdims=True) * a,
        lambda a: a.sum(dim=(0, 2), keepdim=True) * a,
        [(2, 3, 4)],
        "any",
    ),
    ("mean", lambda a: a.mean(axis=-1) ** 2, lambda a: a.mean(dim=-1) ** 2, [(3, 4)], "any"),
    ("max", lambda a: a.max(axis=1) ** 2, lambda a: a.max(dim=1).values ** 2, [(3, 4)], "smooth"),
    ("min", lambda a: a.min() * a, lambda a: a.min() * a, [(3, 4)], "smooth"),
    ("reshape", lambda a: a.reshape(4, 3) ** 2, None, [(3, 4)], "any"),
    ("transpose", lambda a: a.transpose(2, 0, 1) ** 3, lambda a: a.permute(2, 0, 1) ** 3, [(2, 3, 4)], "any"),
    ("T", lambda a: a.T @ a, None, [(3, 2)], "any"),
    ("astype", lambda a: a.astype(np.float64) ** 3, lambda a: a.to(T.float64) ** 3, [(3,)], "any"),
    ("slice", lambda a: a[1:, ::2] ** 2, None, [(3, 4)], "any"),
    (
        "repeated-indices",
        lambda a: a[np.array([0, 2, 0])] ** 3,
        lambda a: a[T.tensor([0, 2, 0])] ** 3,
        [(3, 2)],
        "any",
    ),
    (
        "concatenate",
        lambda a, b: concatenate([a, b * a[:, :1]], axis=1) ** 2,
        lambda a, b: T.cat([a, b * a[:, :1]], dim=1) ** 2,
        [(2, 3), (2, 1)],
        "any",
    ),
    ("stack", lambda a, b: stack([a * b, b], axis=-1) ** 2, lambda a, b: T.stack([a * b, b], dim=-1) ** 2,
     [(2, 3), (2, 3)], "any"),
    ("tanh", lambda a: a.tanh(), None, [(3, 2)], "any"),
    ("sigmoid", lambda a: a.sigmoid(), None, [(3, 2)], "any"),
    ("relu", lambda a: a.relu() * a, None, [(3, 2)], "smooth"),
    ("step", lambda a: a.step() * a * a, lambda a: (a >= 0).to(a.dtype) * a * a, [(3, 2)], "smooth"),
    ("softmax", lambda a: a.softmax(axis=1), lambda a: a.softmax(dim=1), [(3, 4)], "any"),
    ("log_softmax", lambda a: a.log_softmax(axis=0), lambda a: a.log_softmax(dim=0), [(3, 4)], "any"),
    (
        "cross_entropy",
        lambda z: cross_entropy(z, TARGETS),
        lambda z: T.nn.functional.cross_entropy(z, T.tensor(TARGETS)),
        [(3, 4)],
        "any",
    ),
    (
        "bce",
        lambda p: binary_cross_entropy(p, BINARY),
        lambda p: T.nn.functional.binary_cross_entropy(p, T.tensor(BINARY)),
        [(3, 2)],
        "unit",
    ),
    (
        "bce-logits",
        lambda z: binary_cross_entropy_with_logits(z, BINARY),
        lambda z: T.nn.functional.binary_cross_entropy_with_logits(z, T.tensor(BINARY)),
        [(3, 2)],
        "any",
    ),
    (
        "mse",
        lambda y: losses.mse(y, BINARY),
        lambda y: T.nn.functional.mse_loss(y, T.tensor(BINARY)),
        [(3, 2)],
        "any",
    ),
    (
        "broadcast_to",
        lambda a: BroadcastToOp.apply(a, shape=(2, 3, 4)) ** 2,
        lambda a: a.broadcast_to((2, 3, 4)) ** 2,
        [(3, 1)],
        "any",
    ),
    (
        "scatter",
        lambda a: ScatterOp.apply(a * a, index=np.array([2, 0, 2]), shape=(4, 2)) ** 2,
        lambda a: T.zeros(4, 2, dtype=T.float64).index_add(0, T.tensor([2, 0, 2]), a * a) ** 2,
        [(3, 2)],
        "any",
    ),
    # comparisons and elementwise math
    ("maximum", lambda a, b: a.maximum(b) * a, lambda a, b: T.maximum(a, b) * a, [(3, 4), (4,)], "smooth"),
    ("minimum", lambda a, b: a.minimum(b) ** 2, lambda a, b: T.minimum(a, b) ** 2, [(3, 1), (4,)], "smooth"),
    (
        "where",
        lambda a, b: where(a > 0, a * a, b.exp()) * b,
        lambda a, b: T.where(a > 0, a * a, b.exp()) * b,
        [(3, 4), (4,)],
        "smooth",
    ),
    ("sign", lambda a: a.sign() * a * a, None, [(3, 2)], "smooth"),
    ("square", lambda a: a.square() * a, None, [(3, 2)], "any"),
    ("sin", lambda a: a.sin(), None, [(3, 2)], "any"),
    ("cos", lambda a: a.cos(), None, [(3, 2)], "any"),
    ("erf", lambda a: a.erf(), None, [(3, 2)], "any"),
    # activations
    ("softplus", lambda a: a.softplus(), lambda a: T.nn.functional.softplus(a), [(3, 4)], "any"),
    (
        "softplus-threshold",
        lambda a: a.softplus(beta=2.0, threshold=1.0) * a,
        lambda a: T.nn.functional.softplus(a, beta=2.0, threshold=1.0) * a,
        [(3, 4)],
        "smooth",
    ),
    ("logsigmoid", lambda a: a.logsigmoid(), lambda a: T.nn.functional.logsigmoid(a), [(3, 4)], "any"),
    (
        "leaky-relu",
        lambda a: a.leaky_relu(0.1) * a,
        lambda a: T.nn.functional.leaky_relu(a, 0.1) * a,
        [(3, 4)],
        "smooth",
    ),
    ("elu", lambda a: a.elu(alpha=1.5), lambda a: T.nn.functional.elu(a, alpha=1.5), [(3, 4)], "smooth"),
    ("gelu", lambda a: a.gelu(), lambda a: T.nn.functional.gelu(a), [(3, 4)], "any"),
    (
        "gelu-tanh",
        lambda a: a.gelu(approximate="tanh"),
        lambda a: T.nn.functional.gelu(a, approximate="tanh"),
        [(3, 4)],
        "any",
    ),
    ("silu", lambda a: a.silu(), lambda a: T.nn.functional.silu(a), [(3, 4)], "any"),
    (
        "hardtanh",
        lambda a: a.hardtanh(-0.5, 0.5) * a,
        lambda a: T.nn.functional.hardtanh(a, -0.5, 0.5) * a,
        [(3, 4)],
        "smooth",
    ),
    ("softmin", lambda a: a.softmin(axis=0), lambda a: T.nn.functional.softmin(a, dim=0), [(3, 4)], "any"),
    # more reductions
    ("logsumexp", lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1), [(3, 4)], "any"),
    ("prod", lambda a: a.prod(axis=1), lambda a: a.prod(dim=1), [(3, 4)], "any"),
    ("var", lambda a: a.var(axis=0), lambda a: a.var(dim=0), [(3, 4)], "any"),
    (
        "std",
        lambda a: a.std(axis=-1, correction=0),
        lambda a: a.std(dim=-1, correction=0),
        [(3, 4)],
        "any",
    ),
    ("cumsum", lambda a: a.cumsum(axis=0) ** 2, lambda a: a.cumsum(dim=0) ** 2, [(3, 4)], "any"),
    # more shapes
    (
        "squeeze-unsqueeze-flatten",
        lambda a: a.unsqueeze(0).flatten(1, 2).squeeze() ** 3,
        None,
        [(3, 1, 2)],
        "any",
    ),
    ("expand", lambda a: a.expand(2, -1, 3) ** 2, None, [(3, 1)], "any"),
    ("flip", lambda a: a.flip(1) * a, None, [(3, 4)], "any"),
    (
        "pad",
        lambda a: a.pad(((1, 1), (0, 2)), value=1.0) ** 3,
        lambda a: T.nn.functional.pad(a, (0, 2, 1, 1), value=1.0) ** 3,
        [(3, 4)],
        "any",
    ),
    ("repeat", lambda a: a.repeat(2, 1) ** 3, None, [(3, 2)], "any"),
    (
        "gather",
        lambda a: a.gather(0, np.array([[2, 0], [2, 2]])) ** 3,
        lambda a: a.gather(0, T.tensor([[2, 0], [2, 2]])) ** 3,
        [(3, 4)],
        "any",
    ),
    # losses
    (
        "bce-targets-weight",
        lambda p, t: binary_cross_entropy(p, t, weight=[0.5, 2.0], reduction="sum"),
        lambda p, t: T.nn.functional.binary_cross_entropy(p, t, weight=T.tensor([0.5, 2.0]), reduction="sum"),
        [(3, 2), (3, 2)],
        "unit",
    ),
    (
        "bce-logits-targets-pos_weight",
        lambda z, t: binary_cross_entropy_with_logits(z, t, reduction="none", pos_weight=[3.0, 0.5]),
        lambda z, t: T.nn.functional.binary_cross_entropy_with_logits(
            z, t, reduction="none", pos_weight=T.tensor([3.0, 0.5])
        ),
        [(3, 2), (3, 2)],
        "any",
    ),
    (
        "bce-logits-targets",
        lambda z, t: binary_cross_entropy_with_logits(z, t),
        lambda z, t: T.nn.functional.binary_cross_entropy_with_logits(z, t),
        [(3, 2), (3, 2)],
        "any",
    ),
    (
        "cross_entropy-smoothing-ignore_index",
        lambda z: cross_entropy(z, np.array([1, -100, 3]), label_smoothing=0.2, reduction="none"),
        lambda z: T.nn.functional.cross_entropy(
            z, T.tensor([1, -100, 3]), label_smoothing=0.2, reduction="none"
        ),
        [(3, 4)],
        "any",
    ),
    (
        "cross_entropy-probabilities",
        lambda z, y: cross_entropy(z, y, label_smoothing=0.1),
        lambda z, y: T.nn.functional.cross_entropy(z, y, label_smoothing=0.1),
        [(3, 4), (3, 4)],
        "unit",
    ),
    (
        "nll_loss",
        lambda x: nll_loss(x.log_softmax(axis=1), np.array([1, -100, 3]), reduction="sum"),
        lambda x: T.nn.functional.nll_loss(x.log_softmax(dim=1), T.tensor([1, -100, 3]), reduction="sum"),
        [(3, 4)],
        "any",
    ),
]


def _setup(shapes, domain, seed=0):
    arrays = [data(shape, domain, seed + i) for i, shape in enumerate(shapes)]
    rng = np.random.default_rng(seed + 100)
    return arrays, [rng.normal(size=a.shape) for a in arrays]


def _first(f, arrays, weight=None):
    """∇ Σ w·f(x) at ``arrays``, as plain arrays (no graph)."""
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = f(*xs)
    w = np.random.default_rng(7).normal(size=out.shape) if weight is None else weight
    return [g.data for g in grad((out * w).sum(), xs)]


def _hvp(f, arrays, vs):
    """The Hessian of Σ w·f(x) times ``vs``, through grad(create_graph=True) twice."""
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = f(*xs)
    w = np.random.default_rng(7).normal(size=out.shape)
    gs = grad((out * w).sum(), xs, create_graph=True)
    s = sum((g * v).sum() for g, v in zip(gs, vs))
    if not s.requires_grad:  # the first derivative is constant: every second derivative is 0
        return [None] * len(xs)
    return [None if h is None else h.data for h in grad(s, xs, allow_unused=True)]


@pytest.mark.parametrize("name, ours, theirs, shapes, domain", OPS, ids=[c[0] for c in OPS])
def test_second_derivative_against_finite_differences_and_torch(name, ours, theirs, shapes, domain):
    arrays, vs = _setup(shapes, domain)
    hv = _hvp(ours, arrays, vs)
    eps = 1e-6
    plus = _first(ours, [a + eps * v for a, v in zip(arrays, vs)])
    minus = _first(ours, [a - eps * v for a, v in zip(arrays, vs)])
    for i, (h, p, m) in enumerate(zip(hv, plus, minus)):
        h = np.zeros_like(arrays[i]) if h is None else h
        np.testing.assert_allclose(h, (p - m) / (2 * eps), rtol=1e-4, atol=1e-5, err_msg=f"input {i}")
    if torch is None:
        return
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tout = (theirs or ours)(*ts)
    w = torch.tensor(np.random.default_rng(7).normal(size=tuple(tout.shape)))
    tg = torch.autograd.grad((tout * w).sum(), ts, create_graph=True)
    ts_ = sum((g * torch.tensor(v)).sum() for g, v in zip(tg, vs))
    th = torch.autograd.grad(ts_, ts, allow_unused=True) if ts_.requires_grad else [None] * len(ts)
    for i, (h, t) in enumerate(zip(hv, th)):
        t = np.zeros_like(arrays[i]) if t is None else t.numpy()
        h = np.zeros_like(arrays[i]) if h is None else h
        np.testing.assert_allclose(h, t, rtol=1e-9, atol=1e-10, err_msg=f"input {i}")


def function_classes() -> set:
    """Every op class of the engine (the losses' fused ops included), abstract bases left out."""
    found, todo = set(), [Function]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("autograd_nn.") and sub.name:
                found.add(sub)
    return found


def test_every_op_has_a_second_derivative_case():
    classes = function_classes()
    assert all(cls.vjp_tensor is not None for cls in classes), "every op is twice differentiable"
    used = set()
    for _, ours, _, shapes, domain in OPS:
        arrays, _ = _setup(shapes, domain)
        out = ours(*[Tensor(a, requires_grad=True) for a in arrays])
        used.update(node.grad_fn for node in topological_order(out))
    missing = classes - used
    assert not missing, f"ops without a second-derivative case: {sorted(c.__name__ for c in missing)}"


# -- first derivatives and the contract of grad() ------------------------------------------------------


@pytest.mark.parametrize("name, ours, theirs, shapes, domain", OPS[::3], ids=[c[0] for c in OPS[::3]])
def test_first_derivatives_equal_backwards_and_no_grad_is_touched(name, ours, theirs, shapes, domain):
    arrays, _ = _setup(shapes, domain)
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = ours(*xs)
    w = np.random.default_rng(3).normal(size=out.shape)
    loss = (out * w).sum()
    for create_graph in (False, True):
        gs = grad(loss, xs, retain_graph=True, create_graph=create_graph)
        assert all(x.grad is None for x in xs) and loss.grad is None
        assert all(g.shape == x.shape and g.dtype == x.dtype for g, x in zip(gs, xs))
        if not create_graph:
            assert all(g.is_leaf and not g.requires_grad for g in gs)
        loss.backward(retain_graph=True)
        for g, x in zip(gs, xs):
            np.testing.assert_allclose(g.data, x.grad, rtol=1e-12, atol=1e-14)
            x.grad = None


def test_grad_gives_fresh_arrays_and_keeps_existing_grads():
    x = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    x.grad = np.array([5.0, 5.0])
    h = x * 2
    h.retain_grad()
    gx, gb = grad((h + b).sum(), [x, b], retain_graph=True)
    assert x.grad.tolist() == [5.0, 5.0] and b.grad is None and h.grad is None
    assert gx.data.tolist() == [2.0, 2.0] and gb.data.tolist() == [1.0, 1.0]
    assert not np.shares_memory(gx.data, gb.data)
    # d/dh of an intermediate node, and the output itself as an input
    y = (h * h).sum()
    gh, gy = grad(y, [h, y])
    assert gh.data.tolist() == [4.0, 8.0] and gy.item() == 1.0


def test_unused_inputs_and_inputs_that_do_not_require_grad():
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    z = Tensor([3.0], requires_grad=True, label="zed")
    c = Tensor([2.0, 2.0], label="c")
    y = (x * c).sum()
    message = r"input 1 \(the leaf 'zed'\) is not in the graph.*allow_unused=True"
    with pytest.raises(ValueError, match=message):
        grad(y, [x, z], retain_graph=True)
    gx, gz = grad(y, [x, z], allow_unused=True, retain_graph=True)
    assert gx.data.tolist() == [2.0, 2.0] and gz is None
    with pytest.raises(ValueError, match=r"input 0 \(the leaf 'c'\) does not require grad"):
        grad(y, c)
    with pytest.raises(RuntimeError, match="output 0 does not require grad"):
        grad(c.sum(), x)


def test_a_non_scalar_output_needs_grad_outputs_naming_its_shape():
    x = Tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = x * x
    with pytest.raises(ValueError, match=r"output 0 has shape \(1, 3\).*grad_outputs"):
        grad(y, x)
    with pytest.raises(ValueError, match=r"grad_outputs\[0\] has shape \(3,\), output 0 has shape \(1, 3\)"):
        grad(y, x, grad_outputs=[np.ones(3)])
    v = np.array([[1.0, 0.0, -1.0]])
    (g,) = grad(y, x, grad_outputs=v, retain_graph=True)
    assert g.data.tolist() == [[2.0, 0.0, -6.0]]
    (g,) = grad(y, x, grad_outputs=Tensor(v))
    assert g.data.tolist() == [[2.0, 0.0, -6.0]]
    with pytest.raises(TypeError, match="one engine"):
        grad(x.sum(), Value(1.0))
    with pytest.raises(TypeError, match="is a Value"):
        grad(x.sum() * 1.0, x, grad_outputs=[Value(1.0)])


def test_several_outputs_add_up_each_weighted_by_its_grad_output():
    x = Tensor([1.0, 2.0], requires_grad=True)
    a, b = (x * x).sum(), (x * 3).sum()
    (g,) = grad([a, b], x, grad_outputs=[1.0, 2.0])
    assert g.data.tolist() == [8.0, 10.0]


def test_retain_graph_defaults_to_create_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    grad(y, x)
    with pytest.raises(RuntimeError, match="already used by a backward pass"):
        grad(y, x)
    y = (x.exp() * x).sum()
    g1 = grad(y, x, create_graph=True)[0]
    g2 = grad(y, x)[0]  # the graph was kept by create_graph
    np.testing.assert_allclose(g1.data, g2.data)


def test_third_derivative_and_a_gradient_that_depends_on_its_seed():
    x = Tensor([2.0], requires_grad=True)
    (d1,) = grad((x**4).sum(), x, create_graph=True)  # 4x³ = 32
    (d2,) = grad(d1.sum(), x, create_graph=True)  # 12x² = 48
    (d3,) = grad(d2.sum(), x)  # 24x = 48
    assert (d1.item(), d2.item(), d3.item()) == (32.0, 48.0, 48.0)
    # With a seed that requires grad, the vector-Jacobian product is a graph in the seed too.
    w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    u = Tensor([1.0, -1.0], requires_grad=True)
    v = Tensor([0.5, 2.0], requires_grad=True)
    (vjp,) = grad(w @ u, u, grad_outputs=v, create_graph=True)  # wᵀ v
    np.testing.assert_allclose(vjp.data, w.data.T @ v.data)
    (dv,) = grad((vjp * vjp).sum(), v)  # 2 w wᵀ v
    np.testing.assert_allclose(dv.data, 2 * w.data @ w.data.T @ v.data)


def test_create_graph_works_inside_no_grad_and_leaves_the_mode_alone():
    x = Tensor([0.3, -0.7], requires_grad=True)
    y = x.sigmoid().sum()
    with no_grad():
        (g,) = grad(y, x, create_graph=True)
        assert g.requires_grad and not (x * 2).requires_grad
    (h,) = grad(g.sum(), x)
    s = 1 / (1 + np.exp(-x.data))
    np.testing.assert_allclose(h.data, s * (1 - s) * (1 - 2 * s))


def test_an_op_without_a_differentiable_vjp_is_named(monkeypatch):
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    monkeypatch.setattr(ExpOp, "vjp_tensor", None)
    message = r"create_graph=True\): the op 'exp' \(ExpOp\) has no differentiable vjp"
    with pytest.raises(RuntimeError, match=message):
        grad(y, x, create_graph=True)
    (g,) = grad(y, x)  # the first derivative alone needs none
    np.testing.assert_allclose(g.data, np.exp(x.data) * (1 + x.data))
    # An op off the path to the inputs is never asked for one.
    z = Tensor([1.0], requires_grad=True)
    (gz,) = grad((Tensor([1.0], requires_grad=True).exp() * z).sum(), z, create_graph=True)
    assert gz.item() == pytest.approx(np.e)


def test_anomaly_in_grad():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"backward of the op 'sqrt'"):
        grad(x.sqrt().sum(), x)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"backward of the op 'sqrt'"):
        grad(x.sqrt().sum(), x, create_graph=True)
    assert x.grad is None


# -- Hessian-vector products of a network's loss --------------------------------------------------------


def _mlp_loss(params, x, t, loss):
    w1, b1, w2, b2 = params
    out = linear(linear(x, w1, b1).tanh(), w2, b2)
    return losses.mse(out, t) if loss == "mse" else cross_entropy(out, t)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_hessian_vector_product_of_an_mlp_loss(loss):
    rng = np.random.default_rng(11)
    x = Tensor(rng.normal(size=(6, 3)))
    t = rng.normal(size=(6, 2)) if loss == "mse" else rng.integers(0, 2, 6)
    arrays = [rng.normal(size=s) * 0.7 for s in [(3, 4), (4,), (4, 2), (2,)]]
    vs = [rng.normal(size=a.shape) for a in arrays]

    def gradient(arrays):
        params = [Tensor(a, requires_grad=True) for a in arrays]
        return [g.data for g in grad(_mlp_loss(params, x, t, loss), params)]

    params = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    gs = grad(_mlp_loss(params, x, t, loss), params, create_graph=True)
    hv = grad(sum((g * v).sum() for g, v in zip(gs, vs)), params)
    eps = 1e-6
    plus = gradient([a + eps * v for a, v in zip(arrays, vs)])
    minus = gradient([a - eps * v for a, v in zip(arrays, vs)])
    for h, p, m in zip(hv, plus, minus):
        np.testing.assert_allclose(h.data, (p - m) / (2 * eps), rtol=1e-5, atol=1e-7)
    assert all(p.grad is None for p in params)


def test_hessian_vector_product_through_nn_layers_in_float32():
    model = Sequential(Linear(3, 5, seed=0), Tanh(), Linear(5, 2, seed=1))
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    params = model.parameters()
    gs = grad(cross_entropy(model(x), [0, 1, 1, 0]), params, create_graph=True)
    hv = grad(sum((g * g).sum() for g in gs), params)  # ∇(|∇L|²) = 2 H ∇L
    assert all(h.dtype == np.float32 and h.shape == p.shape for h, p in zip(hv, params))
    assert all(p.grad is None for p in params)


def test_no_grad_in_one_thread_does_not_stop_another_from_differentiating():
    """Modes are per thread: a no_grad held in one thread while another records, backpropagates
    and differentiates twice."""
    entered, done = threading.Event(), threading.Event()
    seen = {}

    def holder():
        with no_grad():
            entered.set()
            done.wait(5)
            seen["holder"] = (Tensor([1.0], requires_grad=True) * 2).requires_grad

    def worker():
        entered.wait(5)
        try:
            w = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
            x = Tensor(np.array([[1.0, -1.0]]))
            loss = (x @ w).tanh().sum()
            (g,) = grad(loss, w, retain_graph=True)
            loss.backward()
            u = Tensor([0.5, 1.5], requires_grad=True)
            (d,) = grad((u**3).sum(), u, create_graph=True)
            seen["worker"] = (loss.requires_grad, g.data, w.grad, grad(d.sum(), u)[0].data)
        finally:
            done.set()

    threads = [threading.Thread(target=holder), threading.Thread(target=worker)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    recorded, g, wgrad, second = seen["worker"]
    assert recorded and seen["holder"] is False
    expected = np.outer([1.0, -1.0], 1 - np.tanh(np.array([1.0, -1.0]) @ [[1.0, 2.0], [3.0, 4.0]]) ** 2)
    np.testing.assert_allclose(g, expected)
    np.testing.assert_allclose(wgrad, expected)
    np.testing.assert_allclose(second, [3.0, 9.0])
    assert (Tensor([1.0], requires_grad=True) * 2).requires_grad  # and this thread records too
