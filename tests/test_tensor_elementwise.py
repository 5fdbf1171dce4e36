"""Comparisons, maximum/minimum/where, sign, square, sin, cos, erf and the activations of Tensor.

The gradients of every op are checked in tests/test_tensor_grad.py and their second derivatives
in tests/test_tensor_autodiff.py; here: PyTorch's rules at ties, kinks and bounds, extremes
(±1000, with RuntimeWarning an error), bad input, comparisons outside the graph, and property
tests against PyTorch.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import Tensor, Value, grad, gradcheck, maximum, minimum, ops, where
from autograd_nn.tensor.elementwise import erf

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")
F = torch.nn.functional if torch is not None else None


def _grads_like_torch(ours, theirs, arrays, rtol=1e-12, atol=1e-14):
    """Value and the gradient of Σ out·w (w a fixed random weight) against PyTorch's, for each input."""
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=rtol, atol=atol)
    w = np.random.default_rng(5).normal(size=out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=rtol, atol=atol)


# -- comparisons ----------------------------------------------------------------------------------

COMPARISONS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@pytest.mark.parametrize("sym", sorted(COMPARISONS))
def test_comparisons_are_boolean_constants_outside_the_graph(sym):
    compare = COMPARISONS[sym]
    x = Tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = Tensor([[2.0], [3.0]], requires_grad=True)
    for other, plain in ((y, y.data), (2.0, 2.0), (np.array([3.0, 2.0, 1.0]), np.array([3.0, 2.0, 1.0]))):
        out = compare(x, other)
        assert out.dtype == np.bool_ and not out.requires_grad and out.is_leaf
        assert out.parents == () and out.op == "" and out.grad_fn is None
        np.testing.assert_array_equal(out.data, compare(x.data, plain))
    # a number or an array on the left: Python and numpy hand the comparison to the Tensor
    np.testing.assert_array_equal(compare(2.0, x).data, compare(2.0, x.data))
    np.testing.assert_array_equal(compare(np.float64(2.0), x).data, compare(2.0, x.data))
    row = np.array([3.0, 2.0, 1.0])
    np.testing.assert_array_equal(compare(row, x).data, compare(row, x.data))
    if torch is not None:
        t = torch.tensor(x.data)
        assert np.array_equal(compare(x, y).data, compare(t, torch.tensor(y.data)).numpy())


def test_comparisons_follow_the_tensor_dtype_and_shapes_must_broadcast():
    x32 = Tensor(np.array([0.1], dtype=np.float32))
    assert not (x32 < 0.1).item()  # 0.1 is rounded to float32 first, as in numpy and PyTorch
    assert (Tensor([1, 2]) < 1.5).data.tolist() == [True, False]
    assert (Tensor(2.0) == 2).data.ndim == 0
    with pytest.raises(ValueError, match=r"<: shapes \(2,\) and \(3,\) do not broadcast together"):
        _ = Tensor([1.0, 2.0]) < Tensor([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"==: shapes \(2,\) and \(3,\) do not broadcast together"):
        _ = Tensor([1.0, 2.0]) == [1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match="cannot mix a Value and a Tensor"):
        _ = Tensor([1.0]) < Value(1.0)
    with pytest.raises(TypeError):
        _ = Tensor([1.0]) < "a"
    # Equality with something a Tensor cannot hold is plain False (True for !=), as in PyTorch.
    assert (Tensor([1.0]) == None) is False  # noqa: E711
    assert (Tensor([1.0]) != "a") is True


def test_elementwise_equality_keeps_nodes_usable_in_sets_dicts_and_retain_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    same = Tensor([1.0, 2.0], requires_grad=True)
    assert hash(x) != hash(same) and len({x, same}) == 2
    assert {x: 1, same: 2}[same] == 2
    h = x * 2
    h.retain_grad()
    k = same * 3
    k.retain_grad()
    (h * k).sum().backward()
    assert h.grad.tolist() == [3.0, 6.0] and k.grad.tolist() == [2.0, 4.0]
    gx, gs = grad((x * same).sum(), [x, same])
    assert gx.data.tolist() == [1.0, 2.0] and gs.data.tolist() == [1.0, 2.0]


def test_the_truth_value_of_a_tensor_is_that_of_its_one_element():
    assert bool(Tensor([2.0])) and not bool(Tensor(0.0))
    assert Tensor([[1.0]]) == 1.0  # a one-element comparison reads as a bool, as in PyTorch
    with pytest.raises(RuntimeError, match=r"truth value of a tensor of shape \(2,\) is ambiguous"):
        bool(Tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"shape \(0,\)"):
        bool(Tensor(np.zeros(0)))
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 2.0])
    assert a in [a]  # found by identity, before any comparison
    with pytest.raises(RuntimeError, match="ambiguous"):
        _ = a in [b, a]  # b == a is elementwise: without the check, silently True (a length)


# -- maximum, minimum, where ----------------------------------------------------------------------


def test_maximum_and_minimum_split_ties_half_and_half_as_pytorch():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([3.0, 2.0, 1.0], requires_grad=True)
    (maximum(a, b) * np.array([1.0, 10.0, 100.0])).sum().backward()
    assert a.grad.tolist() == [0.0, 5.0, 100.0] and b.grad.tolist() == [1.0, 5.0, 0.0]
    a.grad = b.grad = None
    minimum(a, b).sum().backward()
    assert a.grad.tolist() == [1.0, 0.5, 0.0] and b.grad.tolist() == [0.0, 0.5, 1.0]
    if torch is not None:
        ties = [np.array([[1.0, 2.0], [2.0, 0.0]]), np.array([2.0, 2.0])]
        _grads_like_torch(lambda a, b: maximum(a, b), torch.maximum, ties)
        _grads_like_torch(lambda a, b: minimum(a, b), torch.minimum, ties)


@needs_torch
def test_maximum_with_nan_gives_nan_and_both_operands_the_gradient_as_pytorch():
    arrays = [np.array([np.nan, 1.0, 2.0]), np.array([1.0, np.nan, 2.0])]
    _grads_like_torch(lambda a, b: maximum(a, b), torch.maximum, arrays)
    _grads_like_torch(lambda a, b: minimum(a, b), torch.minimum, arrays)


def test_maximum_accepts_numbers_and_arrays_on_either_side_with_the_tensor_dtype():
    x = Tensor(np.array([-1.0, 2.0], dtype=np.float32), requires_grad=True)
    for out in (maximum(x, 0.5), maximum(0.5, x), x.maximum(0.5), minimum([0.0, 0.0], x)):
        assert out.dtype == np.float32 and out.requires_grad
    assert maximum(x, 0.5).data.tolist() == [0.5, 2.0]
    assert maximum(1.0, 2.0).item() == 2.0 and not maximum(1.0, 2.0).requires_grad
    with pytest.raises(TypeError, match="cannot mix a Value and a Tensor"):
        maximum(x, Value(1.0))
    with pytest.raises(TypeError, match="maximum: the operands must be Tensors, numbers or arrays, got str"):
        maximum(x, "1")
    with pytest.raises(ValueError, match=r"maximum: shapes \(2,\) and \(3,\) do not broadcast together"):
        maximum(x, Tensor([1.0, 2.0, 3.0]))
    assert x.grad is None


def test_where_takes_the_gradient_to_the_operand_chosen_and_none_to_the_condition():
    x = Tensor([-1.0, 2.0, -3.0], requires_grad=True)
    y = Tensor([10.0], requires_grad=True)
    condition = x > 0  # a constant: comparisons are outside the graph
    out = where(condition, x * x, y)
    assert out.data.tolist() == [10.0, 4.0, 10.0] and out.parents[1] is y
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, 0.0] and y.grad.tolist() == [2.0]
    assert condition.grad is None
    # the condition as a list or an array, numbers as operands
    assert where([True, False], 1.0, 0.0).data.tolist() == [1.0, 0.0]
    assert where(np.array([[True], [False]]), Tensor([1.0, 2.0]), 0.0).shape == (2, 2)


def test_where_refuses_a_condition_that_is_not_boolean_naming_its_dtype():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="where: the condition must be boolean, got dtype int64"):
        where(np.array([1, 0]), x, 0.0)
    with pytest.raises(TypeError, match="got dtype float64"):
        where(Tensor([1.0, 0.0]), x, 0.0)
    with pytest.raises(TypeError, match=r"where\(condition\) got a Value"):
        where(Value(1.0), x, 0.0)
    with pytest.raises(
        ValueError,
        match=r"where: the condition's shape \(3,\) and the operands' shapes \(2,\) and \(\) do not",
    ):
        where(np.array([True, False, True]), x, 0.0)
    with pytest.raises(TypeError, match="cannot mix a Value and a Tensor"):
        where(np.array([True, False]), x, Value(0.0))
    assert x.grad is None


@settings(max_examples=25, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3),
    which=st.sampled_from(["maximum", "minimum", "where"]),
    seed=st.integers(0, 2**16),
)
def test_maximum_minimum_where_broadcast_in_every_direction(shapes, which, seed):
    rng = np.random.default_rng(seed)
    c_shape, a_shape, b_shape = shapes.input_shapes
    # Values drawn from a few integers, so ties are common (each side then gets half).
    a, b = rng.integers(-2, 3, size=a_shape) * 1.0, rng.integers(-2, 3, size=b_shape) * 1.0
    condition = rng.random(c_shape) > 0.5
    ours = {
        "maximum": lambda x, y: maximum(x, y),
        "minimum": lambda x, y: minimum(x, y),
        "where": lambda x, y: where(condition, x, y),
    }[which]
    out = ours(Tensor(a), Tensor(b))
    assert out.shape == np.broadcast_shapes(a_shape, b_shape, c_shape if which == "where" else ())
    if which == "where":  # smooth everywhere: finite differences apply
        assert gradcheck(ours, [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)])
    if torch is not None:
        theirs = {
            "maximum": torch.maximum,
            "minimum": torch.minimum,
            "where": lambda x, y: torch.where(torch.tensor(condition), x, y),
        }[which]
        _grads_like_torch(ours, theirs, [a, b])


# -- elementwise math -----------------------------------------------------------------------------


def test_sign_has_a_zero_gradient_and_square_is_a_power():
    x = Tensor([-2.0, 0.0, 3.0], requires_grad=True)
    s = x.sign()
    assert s.data.tolist() == [-1.0, 0.0, 1.0] and s.requires_grad and s.op == "sign"
    s.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    q = x.square()
    assert q.op == "**" and q.data.tolist() == [4.0, 0.0, 9.0]
    assert Tensor([-2, 3]).sign().dtype == np.int64


@needs_torch
def test_sin_cos_erf_match_pytorch_over_a_wide_range():
    x = np.concatenate([np.linspace(-8, 8, 41), [-1000.0, 1000.0, 0.0]])
    for ours, theirs in ((Tensor.sin, torch.sin), (Tensor.cos, torch.cos), (Tensor.erf, torch.erf)):
        _grads_like_torch(ours, theirs, [x])


@pytest.mark.parametrize("method", ["sin", "cos"])
def test_sin_and_cos_of_infinity_raise_as_for_values(method):
    """A domain error, as Value.sin(inf) and log of a negative number (PyTorch gives NaN)."""
    x = Tensor([0.0, -np.inf], requires_grad=True)
    with pytest.raises(ValueError, match=rf"{method}: the input is infinite at index \(1,\) \(-inf\)"):
        getattr(x, method)()
    with pytest.raises(ValueError, match="undefined"):
        getattr(Value(np.inf), method)()


def test_erf_keeps_float32_and_makes_integers_float():
    assert erf(np.array([0.5], dtype=np.float32)).dtype == np.float32
    assert Tensor([0, 1]).erf().dtype == np.float64
    assert Tensor(np.float32(0.5)).erf().shape == ()


# -- activations ----------------------------------------------------------------------------------

ACTIVATIONS = {
    "softplus": (lambda t: t.softplus(), lambda t: F.softplus(t)),
    "softplus-beta": (lambda t: t.softplus(beta=0.5, threshold=3.0), lambda t: F.softplus(t, 0.5, 3.0)),
    "softplus-neg-beta": (lambda t: t.softplus(beta=-2.0), lambda t: F.softplus(t, beta=-2.0)),
    "logsigmoid": (lambda t: t.logsigmoid(), lambda t: F.logsigmoid(t)),
    "leaky_relu": (lambda t: t.leaky_relu(), lambda t: F.leaky_relu(t)),
    "leaky_relu-0.3": (lambda t: t.leaky_relu(0.3), lambda t: F.leaky_relu(t, 0.3)),
    "elu": (lambda t: t.elu(), lambda t: F.elu(t)),
    "elu-2": (lambda t: t.elu(alpha=2.0), lambda t: F.elu(t, alpha=2.0)),
    "gelu": (lambda t: t.gelu(), lambda t: F.gelu(t)),
    "gelu-tanh": (lambda t: t.gelu(approximate="tanh"), lambda t: F.gelu(t, approximate="tanh")),
    "silu": (lambda t: t.silu(), lambda t: F.silu(t)),
    "hardtanh": (lambda t: t.hardtanh(), lambda t: F.hardtanh(t)),
    "hardtanh-0-6": (lambda t: t.hardtanh(0.0, 6.0), lambda t: F.hardtanh(t, 0.0, 6.0)),
    "softmin": (lambda t: t.softmin(axis=0), lambda t: F.softmin(t, dim=0)),
}
# the extremes, the kinks and bounds (0, ±1, 6), and softplus's threshold (20, and βx = 3)
SPECIAL = np.array([-1000.0, -50.0, -1.0, -0.0, 0.0, 1.0, 6.0, 20.0, 20.5, 50.0, 1000.0, 6.0, -6.0])


@needs_torch
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_match_pytorch_at_extremes_kinks_and_bounds_without_warnings(name):
    ours, theirs = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arrays = [SPECIAL] if name != "softmin" else [SPECIAL[2:-3] / 10]
        _grads_like_torch(ours, theirs, arrays)


@needs_torch
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_keep_float32(name):
    ours, theirs = ACTIVATIONS[name]
    x = Tensor(np.array([-1000.0, -0.5, 0.25, 1000.0], dtype=np.float32), requires_grad=True)
    out = ours(x)
    out.sum().backward()
    assert out.dtype == np.float32 and x.grad.dtype == np.float32
    t = torch.tensor(x.data, requires_grad=True)
    theirs(t).sum().backward()
    np.testing.assert_allclose(out.data, theirs(torch.tensor(x.data)).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_activations_of_integers_are_float64():
    for name, (ours, _) in ACTIVATIONS.items():
        assert ours(Tensor([-2, 0, 3])).dtype == np.float64, name


def test_the_rules_at_kinks_and_bounds_are_pytorchs():
    x = Tensor([0.0], requires_grad=True)
    x.leaky_relu(0.2).sum().backward()
    assert x.grad.tolist() == [0.2]  # the left derivative at 0
    x.grad = None
    x.elu(alpha=3.0).sum().backward()
    assert x.grad.tolist() == [3.0]
    b = Tensor([-1.0, 1.0, 0.5, np.nan], requires_grad=True)
    b.hardtanh().sum().backward()
    assert b.grad[:3].tolist() == [0.0, 0.0, 1.0] and b.grad[3] == 1.0  # 0 at the bounds, unlike clip
    c = Tensor([-1.0, 1.0], requires_grad=True)
    c.clip(-1.0, 1.0).sum().backward()
    assert c.grad.tolist() == [1.0, 1.0]


def test_softplus_is_linear_past_its_threshold_and_exact_below():
    x = Tensor([20.0, 20.5, -1000.0, 1000.0])
    y = x.softplus()
    assert y.data[1] == 20.5 and y.data[3] == 1000.0 and y.data[2] == 0.0
    assert y.data[0] == np.log1p(np.exp(20.0))
    assert Tensor([-40.0]).softplus().item() == pytest.approx(np.exp(-40.0), rel=1e-14)
    assert Tensor([1000.0, -1000.0]).logsigmoid().data.tolist() == [-0.0, -1000.0]
    assert Tensor([-40.0]).logsigmoid().item() == -40.0 - np.log1p(np.exp(-40.0))


def test_gelu_at_huge_inputs_is_the_identity_or_zero():
    for approximate in ("none", "tanh"):
        y = Tensor([1e200, -1e200, 1e100]).gelu(approximate=approximate)
        assert y.data.tolist() == [1e200, -0.0, 1e100]


def test_softmin_is_softmax_of_minus_x():
    x = Tensor([[1.0, 2.0], [3.0, 0.5]], requires_grad=True)
    s = x.softmin()
    np.testing.assert_allclose(s.data, (-x).softmax().data)
    assert s.op == "softmax" and s.parents[0].op == "neg"
    with pytest.raises(np.exceptions.AxisError, match=r"softmax: .* \(the tensor has shape \(2, 2\)\)"):
        x.softmin(axis=2)


def test_bad_parameters_raise_naming_them_and_change_nothing():
    x = Tensor([0.5, -0.5], requires_grad=True)
    real = "must be a real number, got"
    cases = [
        (lambda: x.softplus(beta=0), ValueError, "softplus: beta must be nonzero"),
        (lambda: x.softplus(beta="2"), TypeError, f"softplus: beta {real} str"),
        (lambda: x.softplus(threshold=None), TypeError, f"softplus: threshold {real} NoneType"),
        (lambda: x.leaky_relu([0.1]), TypeError, f"leaky_relu: negative_slope {real} list"),
        (lambda: x.elu(alpha=Value(1.0)), TypeError, f"elu: alpha {real} Value"),
        (lambda: x.gelu(approximate="erf"), ValueError, "gelu: approximate must be 'none' or 'tanh', got"),
        (lambda: x.hardtanh(1.0, -1.0), ValueError, r"hardtanh: min_val \(1.0\) cannot be greater than max"),
        (lambda: x.hardtanh("a"), TypeError, f"hardtanh: min_val {real} str"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert x.grad is None


def test_the_tensor_ops_share_the_scalar_engines_table_entries():
    for name in ("softplus", "leaky_relu", "elu", "gelu", "silu", "sin", "cos", "erf"):
        out = getattr(Tensor([0.5]), name)()
        assert out.op == name == getattr(Value(0.5), name)().op and ops.get(name).scalar
    for name in ("logsigmoid", "hardtanh", "sign"):
        assert getattr(Tensor([0.5]), name)().op == name and not ops.get(name).scalar
    for op in ("maximum", "minimum", "where"):
        assert not ops.get(op).scalar


@needs_torch
@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(ACTIVATIONS)),
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=4),
        elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
    ),
)
def test_activations_match_pytorch_on_random_arrays(name, x):
    ours, theirs = ACTIVATIONS[name]
    _grads_like_torch(ours, theirs, [x], rtol=1e-11, atol=1e-13)


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(n for n in ACTIVATIONS if not n.startswith(("hardtanh", "leaky_relu")))),
    seed=st.integers(0, 2**16),
)
def test_smooth_activations_pass_gradcheck_on_random_arrays(name, seed):
    x = np.random.default_rng(seed).normal(scale=3.0, size=(3, 4))
    x = np.where(np.abs(x) < 1e-3, 0.5, x)  # away from elu's kink
    assert gradcheck(ACTIVATIONS[name][0], [Tensor(x, requires_grad=True)])
