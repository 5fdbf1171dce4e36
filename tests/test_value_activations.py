"""The scalar engine's activations and trigonometry: values, first and second derivatives.

Each op (softplus, leaky_relu, elu, gelu, silu, sin, cos, erf) is compared with PyTorch's
double backward and with central differences, at ordinary points and at ±1000, where no
warning may be raised (the module runs with RuntimeWarning as an error).
"""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_nn import Tensor, Value, grad, ops
from autograd_nn.gradcheck import check_local_derivatives, gradcheck_nodes
from autograd_nn.graph import topological_order

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

F = torch.nn.functional if torch is not None else None

# name -> (ours on a Value, PyTorch's on a 0-d tensor)
OPS = {
    "softplus": (lambda x: x.softplus(), lambda t: F.softplus(t)),
    "softplus-beta": (
        lambda x: x.softplus(beta=2.0, threshold=5.0),
        lambda t: F.softplus(t, beta=2.0, threshold=5.0),
    ),
    "leaky_relu": (lambda x: x.leaky_relu(), lambda t: F.leaky_relu(t)),
    "leaky_relu-0.2": (lambda x: x.leaky_relu(0.2), lambda t: F.leaky_relu(t, 0.2)),
    "elu": (lambda x: x.elu(), lambda t: F.elu(t)),
    "elu-alpha": (lambda x: x.elu(alpha=0.5), lambda t: F.elu(t, alpha=0.5)),
    "gelu": (lambda x: x.gelu(), lambda t: F.gelu(t)),
    "gelu-tanh": (lambda x: x.gelu(approximate="tanh"), lambda t: F.gelu(t, approximate="tanh")),
    "silu": (lambda x: x.silu(), lambda t: F.silu(t)),
    "sin": (lambda x: x.sin(), lambda t: t.sin()),
    "cos": (lambda x: x.cos(), lambda t: t.cos()),
    "erf": (lambda x: x.erf(), lambda t: t.erf()),
}
POINTS = [-3.1, -0.7, 0.4, 1.9, 2.6]  # 2.6: softplus-beta is linear past βx = 5
EXTREMES = [-1000.0, 1000.0]


def ours(f, x0: float) -> list[float]:
    """[f, f', f''] at x0: the second by differentiating the first (create_graph=True)."""
    x = Value(x0)
    y = f(x)
    (d1,) = grad(y, x, create_graph=True)
    (d2,) = grad(d1, x, allow_unused=True)
    return [y.data, d1.data, 0.0 if d2 is None else d2.data]


def theirs(tf, x0: float) -> list[float]:
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = tf(t)
    (d1,) = torch.autograd.grad(y, t, create_graph=True)
    if not d1.requires_grad:
        return [y.item(), d1.item(), 0.0]
    (d2,) = torch.autograd.grad(d1, t)
    return [y.item(), d1.item(), d2.item()]


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("x", POINTS + EXTREMES)
def test_value_and_two_derivatives_match_pytorch(name, x):
    if torch is None:
        pytest.skip("torch is not installed")
    f, tf = OPS[name]
    assert ours(f, x) == pytest.approx(theirs(tf, x), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("x", POINTS)
def test_derivatives_match_central_differences(name, x):
    f = OPS[name][0]
    eps = 1e-6
    value = lambda v: f(Value(v)).data  # noqa: E731
    first = lambda v: ours(f, v)[1]  # noqa: E731
    _, d1, d2 = ours(f, x)
    assert d1 == pytest.approx((value(x + eps) - value(x - eps)) / (2 * eps), rel=1e-7, abs=1e-8)
    assert d2 == pytest.approx((first(x + eps) - first(x - eps)) / (2 * eps), rel=1e-6, abs=1e-7)


def test_extremes_are_exact_and_warning_free():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Value(1000.0).softplus().data == 1000.0
        assert Value(-1000.0).softplus().data == 0.0
        wide = Value(1000.0).softplus(beta=0.001).data  # βx = 1: below the threshold
        assert wide == pytest.approx(1000.0 * (1.0 + math.log1p(math.exp(-1.0))))
        assert Value(-1000.0).elu().data == -1.0 and Value(1000.0).elu().data == 1000.0
        assert Value(-1000.0).silu().data == 0.0 and Value(1000.0).silu().data == 1000.0
        assert Value(-1000.0).gelu().data == 0.0 and Value(1000.0).gelu().data == 1000.0
        assert Value(1e200).gelu(approximate="tanh").data == 1e200  # x³ is inf, tanh(inf) = 1
        for f, _ in OPS.values():
            # (Beyond |x| ~ 1e154 the tanh GELU's derivative is 0 · inf = nan, in PyTorch too.)
            for x in (-1e100, -1000.0, 1000.0, 1e100):
                y = f(Value(x))
                assert math.isfinite(y.data) and all(math.isfinite(d) for d in y.local)


def test_the_derivatives_at_the_kinks_are_pytorchs():
    # leaky_relu and elu take their left derivative at 0, as PyTorch: negative_slope and α.
    assert Value(0.0).leaky_relu(0.2).local == (0.2,)
    assert Value(0.0).elu(alpha=3.0).local == (3.0,)
    if torch is not None:
        for f, tf in (OPS["leaky_relu-0.2"], OPS["elu-alpha"]):
            assert ours(f, 0.0)[:2] == pytest.approx(theirs(tf, 0.0)[:2], rel=1e-15)


def test_every_new_op_is_in_the_table_and_drawn_with_its_symbol():
    x = Value(0.5)
    for name, (f, _) in OPS.items():
        node = f(x)
        op = ops.get(node.op)
        assert op.scalar and name.startswith(node.op) and op.symbol
    assert ops.get("leaky_relu").kink == 0.0 and ops.get("elu").kink == 0.0 and ops.get("gelu").kink is None


def test_the_parameters_are_kept_on_the_node_for_the_checks():
    y = Value(0.3).softplus(beta=2, threshold=4)
    assert y.const == (2.0, 4.0) and Value(0.3).gelu(approximate="tanh").const == ("tanh",)
    a = Value(0.6)
    expr = Value.sum([a.softplus(beta=3.0), a.elu(0.5) * (-a).elu(0.5), a.gelu("tanh"), (a * 2).silu()])
    assert check_local_derivatives(expr) == []
    assert gradcheck_nodes(expr)


def test_bad_parameters_raise_naming_them():
    x = Value(0.5)
    with pytest.raises(TypeError, match=r"Value.softplus\(beta\) accepts a real number.*str"):
        x.softplus(beta="1")
    with pytest.raises(ValueError, match="softplus: beta must be nonzero"):
        x.softplus(beta=0)
    with pytest.raises(TypeError, match=r"Value.leaky_relu\(negative_slope\).*NoneType"):
        x.leaky_relu(None)
    with pytest.raises(TypeError, match=r"Value.elu\(alpha\)"):
        x.elu(alpha=[1.0])
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh', got 'erf'"):
        x.gelu(approximate="erf")
    for f in (Value.sin, Value.cos):
        with pytest.raises(ValueError, match=r"(sin|cos)\(inf\) is undefined"):
            f(Value(math.inf))


def test_a_failed_op_makes_no_node():
    x = Value(0.5)
    y = x * 2
    with pytest.raises(ValueError):
        y.gelu(approximate="bad")
    assert [n.op for n in topological_order(y)] == ["", "*"]


# -- property tests: the two engines share one table entry, so they agree ------------------------

ENGINE_PAIRS = {
    "softplus": (lambda v: v.softplus(beta=1.5, threshold=9), lambda t: t.softplus(beta=1.5, threshold=9)),
    "leaky_relu": (lambda v: v.leaky_relu(0.05), lambda t: t.leaky_relu(0.05)),
    "elu": (lambda v: v.elu(2.0), lambda t: t.elu(2.0)),
    "gelu": (lambda v: v.gelu(), lambda t: t.gelu()),
    "gelu-tanh": (lambda v: v.gelu("tanh"), lambda t: t.gelu("tanh")),
    "silu": (lambda v: v.silu(), lambda t: t.silu()),
    "sin": (lambda v: v.sin(), lambda t: t.sin()),
    "cos": (lambda v: v.cos(), lambda t: t.cos()),
    "erf": (lambda v: v.erf(), lambda t: t.erf()),
}


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(ENGINE_PAIRS)),
    x=st.floats(-60.0, 60.0, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
)
def test_value_and_tensor_agree_on_value_and_derivatives(name, x):
    on_value, on_tensor = ENGINE_PAIRS[name]
    v = Value(x)
    y = on_value(v)
    t = Tensor([x], requires_grad=True)
    out = on_tensor(t)
    assert y.op == out.op
    assert y.data == pytest.approx(out.item(), rel=1e-12, abs=1e-300)
    (dv,) = grad(y, v, create_graph=True)
    (dt,) = grad(out.sum(), t, create_graph=True)
    assert dv.data == pytest.approx(dt.item(), rel=1e-12, abs=1e-14)
    (hv,) = grad(dv, v, allow_unused=True)
    # A derivative that does not depend on x (leaky_relu's) is a constant: no graph to go on.
    (ht,) = grad(dt.sum(), t, allow_unused=True) if dt.requires_grad else (None,)
    second = 0.0 if ht is None else ht.item()
    assert (0.0 if hv is None else hv.data) == pytest.approx(second, rel=1e-10, abs=1e-12)
