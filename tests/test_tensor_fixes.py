"""Wrong results and crashes of the tensor engine (issues #10 and #13), each checked against PyTorch.

* indexing: a tuple of indices (``x[(1, 1), (0, 0)]``) is advanced indexing, so a repeated
  element gets the sum of its shares, in ``backward`` and in ``grad(..., create_graph=True)``;
* every op taking an axis (reductions, softmax, cumsum, flip, gather, argmax) accepts ``axis`` 0
  and -1 of a 0-d tensor, as PyTorch's ``dim``, and refuses any other with an ``AxisError``;
* ``0 ** y`` with a differentiable exponent is 0, with gradient 0 for the exponent where y >= 0;
* a negative base to a fractional Tensor or array exponent raises as it does for a number;
* a bad axis of ``stack`` and ``concatenate`` is an ``AxisError``; ``sum_to`` refuses a shape it
  cannot reduce to;
* indexing keeps its own copy of a list or array index: changing it after the forward changes
  nothing in the backward;
* ``gradcheck`` of a function with an empty output checks that the gradients are zero;
* a backward seed (``backward(grad)``, ``grad_outputs``) must be real numbers: TypeError otherwise.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import GradcheckError, Tensor, Value, concatenate, grad, gradcheck, stack
from autograd_nn.tensor import sum_to
from autograd_nn.tensor.shapes import GetItemOp

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

AxisError = np.exceptions.AxisError
needs_torch = pytest.mark.skipif(torch is None, reason="compares with PyTorch")


def _torch_index(index):
    """``index`` as PyTorch takes it: its arrays and lists as tensors (the rest as is).

    (PyTorch reads a nested list as a tuple of indices, numpy as one array of indices.)
    """
    items = index if type(index) is tuple else (index,)
    converted = tuple(torch.tensor(np.asarray(i)) if isinstance(i, (np.ndarray, list)) else i for i in items)
    return converted if type(index) is tuple else converted[0]


def _first_and_second(f, x, w, v, create_graph_engine):
    """d/dx Σ w·f(x), and the Hessian-vector product with v, in our engine or in torch's."""
    if create_graph_engine == "torch":
        t = torch.tensor(x, requires_grad=True)
        (g,) = torch.autograd.grad((f(t) * torch.tensor(w)).sum(), t, create_graph=True)
        if not g.requires_grad:
            return g.detach().numpy(), np.zeros_like(x)
        (hv,) = torch.autograd.grad((g * torch.tensor(v)).sum(), t, allow_unused=True, materialize_grads=True)
        return g.detach().numpy(), hv.numpy()
    t = Tensor(x.copy(), requires_grad=True)
    (g,) = grad((f(t) * w).sum(), t, create_graph=True)
    if not g.requires_grad:  # a gradient that does not depend on x (a sum's): no second derivative
        return g.data, np.zeros_like(x)
    (hv,) = grad((g * v).sum(), t, allow_unused=True)
    return g.data, (np.zeros_like(x) if hv is None else hv.data)


# -- indexing: repeated elements add up --------------------------------------------------------------

INDICES = [
    ("list", [0, 0, 2]),
    ("array", np.array([1, 1, 1, 3])),
    ("tuple-of-tuples", ((1, 1), (0, 0))),
    ("one-tuple-in-a-tuple", ((0, 0),)),
    ("lists-in-a-tuple", ([2, 2, 0], [1, 1, 1])),
    ("nested-list", [[0, 0], [3, 3]]),
    ("slice-and-array", (slice(None), np.array([0, 0, 1]))),
    ("array-and-slice", (np.array([3, 3]), slice(1, None))),
    ("ellipsis-and-tuple", (Ellipsis, (1, 1))),
    ("none-and-list", (None, [1, 1])),
    ("bool-mask", np.array([True, False, True, True])),
    ("bool-mask-and-tuple", (np.array([True, False, True, False]), (1, 1))),
    ("basic", (slice(1, 3), 0)),
    ("int", 2),
]


@needs_torch
@pytest.mark.parametrize("index", [i for _, i in INDICES], ids=[name for name, _ in INDICES])
def test_indexing_gradients_match_torch(index):
    x = np.random.default_rng(0).normal(size=(4, 3))
    ours = Tensor(x.copy(), requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    out, tout = ours[index], theirs[_torch_index(index)]
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    w = np.random.default_rng(1).normal(size=out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12)


@needs_torch
@pytest.mark.parametrize("index", [i for _, i in INDICES], ids=[name for name, _ in INDICES])
def test_indexing_second_derivatives_match_torch(index):
    """The vjp of indexing as a Tensor op (scatter), for ``create_graph=True``, adds up repeats too."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3))
    w = rng.normal(size=np.zeros((4, 3))[index].shape)
    v = rng.normal(size=x.shape)
    ours = _first_and_second(lambda t: t[index] ** 3, x, w, v, "ours")
    theirs = _first_and_second(lambda t: t[_torch_index(index)] ** 3, x, w, v, "torch")
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


MUTABLE_INDICES = [
    ("list", lambda: [0, 0, 2], lambda i: i.__setitem__(slice(None), [1, 1, 1])),
    ("nested-list", lambda: [[0, 0], [2, 3]], lambda i: i[0].__setitem__(0, 3)),
    ("array", lambda: np.array([0, 0, 2]), lambda i: i.fill(1)),
    ("tensor", lambda: Tensor(np.array([0, 0, 2])), lambda i: i.data.fill(1)),
    ("bool-mask", lambda: np.array([True, False, True, False]), lambda i: i.fill(True)),
    ("list-in-a-tuple", lambda: ([3, 3, 0], slice(1, None)), lambda i: i[0].reverse()),
    ("array-in-a-tuple", lambda: (slice(None), np.array([1, 1])), lambda i: i[1].fill(0)),
]


@pytest.mark.parametrize(
    "make, mutate", [c[1:] for c in MUTABLE_INDICES], ids=[c[0] for c in MUTABLE_INDICES]
)
@pytest.mark.parametrize("create_graph", [False, True])
def test_an_index_changed_after_the_forward_changes_nothing(make, mutate, create_graph):
    a = np.random.default_rng(3).normal(size=(4, 3))
    index = make()
    y = Tensor(a, requires_grad=True)[make()]  # the expected gradient, from an untouched index
    x = Tensor(a.copy(), requires_grad=True)
    out = x[index]
    mutate(index)
    w = np.random.default_rng(4).normal(size=out.shape)
    (expected,) = grad((y * w).sum(), y.parents[0])
    (got,) = grad((out * w).sum(), x, create_graph=create_graph)
    np.testing.assert_array_equal(got.data, expected.data)


def test_a_basic_index_is_kept_as_it_is():
    """Ints and slices cannot change: indexing keeps them without a copy (``x[0]`` costs nothing more)."""
    a = np.zeros((2, 3))
    for index in (0, slice(1, None), (slice(None), 1), (Ellipsis, None, 0)):
        assert GetItemOp.forward(a, index)[1][0] is index
    index = [0, 1]
    assert GetItemOp.forward(a, index)[1][0] is not index


def test_the_issue_examples():
    x = Tensor(np.zeros((2, 2)), requires_grad=True)
    x[(1, 1), (0, 0)].sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [2.0, 0.0]]
    x = Tensor(np.zeros((2, 2)), requires_grad=True)
    x[((0, 0),)].sum().backward()
    assert x.grad.tolist() == [[2.0, 2.0], [0.0, 0.0]]


_ONE_AXIS_INDEX = st.one_of(
    st.integers(-3, 2),
    st.builds(
        slice, st.none() | st.integers(-3, 3), st.none() | st.integers(-3, 3), st.sampled_from([None, 2, -1])
    ),
    st.lists(st.integers(-3, 2), min_size=1, max_size=5),
    st.lists(st.integers(-3, 2), min_size=1, max_size=5).map(tuple),
    hnp.arrays(np.int64, st.integers(1, 5), elements=st.integers(-3, 2)),
)


@settings(max_examples=60, deadline=None)
@given(index=st.lists(_ONE_AXIS_INDEX, min_size=1, max_size=3).map(tuple), seed=st.integers(0, 2**16))
def test_random_indices_match_finite_differences_and_torch(index, seed):
    """Ints, slices, lists, tuples and arrays (repeats likely) on each axis of a (3, 3, 3) tensor."""
    x = Tensor(np.random.default_rng(seed).normal(size=(3, 3, 3)), requires_grad=True)
    # A list or tuple of indices on one axis next to others must broadcast with them, as numpy says.
    try:
        np.broadcast_shapes(*[np.shape(i) for i in index if not isinstance(i, (int, slice))])
    except ValueError:
        return
    w = np.random.default_rng(seed + 1).normal(size=x.data[index].shape)
    assert gradcheck(lambda t: t[index] * w, [x])
    if torch is None:
        return
    if any(isinstance(i, slice) and i.step is not None and i.step < 0 for i in index):
        return  # torch has no negative steps
    t = torch.tensor(x.data, requires_grad=True)
    picked = t[_torch_index(index)]
    if picked.shape != w.shape:
        return  # x[0, :, [0]]: numpy puts the advanced axes first, torch does not
    (picked * torch.tensor(w)).sum().backward()
    x.grad = None
    (x[index] * w).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)


# -- 0-d tensors: every op taking an axis accepts dim 0 or -1 ------------------------------------------

_ZERO = np.array(0)  # the one index of a 0-d tensor, for gather

ZERO_D = [
    ("sum-0", lambda t: t.sum(0), lambda t: t.sum(0)),
    ("sum--1", lambda t: t.sum(-1), lambda t: t.sum(-1)),
    ("sum-(0,)", lambda t: t.sum((0,)), lambda t: t.sum((0,))),
    ("sum-keepdims", lambda t: t.sum(0, keepdims=True), lambda t: t.sum(0, keepdim=True)),
    ("mean-0", lambda t: t.mean(0), lambda t: t.mean(0)),
    ("mean--1", lambda t: t.mean(-1), lambda t: t.mean(-1)),
    ("mean-(-1,)-keepdims", lambda t: t.mean((-1,), keepdims=True), lambda t: t.mean((-1,), keepdim=True)),
    ("max-0", lambda t: t.max(0), lambda t: t.max(0).values),
    ("max-(0,)-keepdims", lambda t: t.max((0,), keepdims=True), lambda t: t.amax((0,), keepdim=True)),
    ("min--1", lambda t: t.min(-1), lambda t: t.min(-1).values),
    ("min-(-1,)", lambda t: t.min((-1,)), lambda t: t.amin((-1,))),
    ("softmax", lambda t: t.softmax(), lambda t: t.softmax(-1)),
    ("softmax-0", lambda t: t.softmax(0), lambda t: t.softmax(0)),
    ("log_softmax-0", lambda t: t.log_softmax(0), lambda t: t.log_softmax(0)),
    ("log_softmax--1", lambda t: t.log_softmax(-1), lambda t: t.log_softmax(-1)),
    ("softmax-times", lambda t: (t * 3.0).softmax(-1) * t, lambda t: (t * 3.0).softmax(-1) * t),
    ("logsumexp-0", lambda t: t.logsumexp(0), lambda t: t.logsumexp(0)),
    ("logsumexp-(-1,)-keepdims", lambda t: t.logsumexp((-1,), keepdims=True),
     lambda t: t.logsumexp((-1,), keepdim=True)),
    ("prod-0", lambda t: t.prod(0) * t, lambda t: t.prod(0) * t),
    ("prod-(-1,)-keepdims", lambda t: t.prod((-1,), keepdims=True), lambda t: t.prod(-1, keepdim=True)),
    ("var-0", lambda t: t.var(0, correction=0) + t, lambda t: t.var(0, correction=0) + t),
    ("var-(-1,)", lambda t: t.var((-1,), correction=0), lambda t: t.var((-1,), correction=0)),
    ("std-0", lambda t: t.std(0, correction=0), lambda t: t.std(0, correction=0)),
    ("cumsum-0", lambda t: t.cumsum(0) ** 2, lambda t: t.cumsum(0) ** 2),
    ("cumsum--1", lambda t: t.cumsum(-1), lambda t: t.cumsum(-1)),
    ("flip-0", lambda t: t.flip(0) ** 2, lambda t: t.flip(0) ** 2),
    ("flip-(-1,)", lambda t: t.flip((-1,)), lambda t: t.flip((-1,))),
    ("gather-0", lambda t: t.gather(0, _ZERO) ** 2, lambda t: t.gather(0, torch.tensor(_ZERO)) ** 2),
    ("gather--1", lambda t: t.gather(-1, Tensor(_ZERO)), lambda t: t.gather(-1, torch.tensor(_ZERO))),
]


@pytest.mark.parametrize("ours, theirs", [c[1:] for c in ZERO_D], ids=[c[0] for c in ZERO_D])
def test_zero_d_axis_ops_follow_torch(ours, theirs):
    x = Tensor(np.array(1.5), requires_grad=True)
    out = ours(x)
    assert out.shape == ()
    out.backward()
    assert x.grad.shape == ()
    (again,) = grad(ours(x), x, create_graph=True)
    assert again.item() == x.grad.item()
    if torch is None:
        return
    t = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tout = theirs(t)
    assert tout.shape == ()
    tout.backward()
    assert out.item() == pytest.approx(tout.item(), rel=1e-12)
    assert x.grad.item() == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)
    v = np.array(0.7)
    ours2 = _first_and_second(ours, x.data, np.array(1.0), v, "ours")
    theirs2 = _first_and_second(theirs, x.data, np.array(1.0), v, "torch")
    np.testing.assert_allclose(ours2, theirs2, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [0, -1])
def test_zero_d_argmax_and_argmin_follow_torch(name, axis):
    out = getattr(Tensor(np.array(1.5)), name)(axis)
    assert out.shape == () and out.item() == 0 and not out.requires_grad
    if torch is not None:
        assert getattr(torch.tensor(1.5), name)(axis).item() == out.item()


ZERO_D_BAD_AXES = [
    ("sum", lambda t: t.sum(1)),
    ("sum", lambda t: t.sum(-2)),
    ("sum", lambda t: t.sum((0, 1))),
    ("mean", lambda t: t.mean(1)),
    ("mean", lambda t: t.mean((0, -1))),
    ("max", lambda t: t.max(1)),
    ("max", lambda t: t.max((1,))),
    ("min", lambda t: t.min(-2)),
    ("softmax", lambda t: t.softmax(1)),
    ("log_softmax", lambda t: t.log_softmax(-2)),
    ("log_softmax", lambda t: t.log_softmax(1)),
    ("logsumexp", lambda t: t.logsumexp(1)),
    ("prod", lambda t: t.prod(-2)),
    ("var", lambda t: t.var(1, correction=0)),
    ("std", lambda t: t.std((0, 1), correction=0)),
    ("cumsum", lambda t: t.cumsum(1)),
    ("cumsum", lambda t: t.cumsum(-2)),
    ("flip", lambda t: t.flip(1)),
    ("flip", lambda t: t.flip((0, 2))),
    ("gather", lambda t: t.gather(1, _ZERO)),
    ("argmax", lambda t: t.argmax(1)),
    ("argmin", lambda t: t.argmin(-2)),
]


@pytest.mark.parametrize(
    "op, call", ZERO_D_BAD_AXES, ids=[f"{op}-{i}" for i, (op, _) in enumerate(ZERO_D_BAD_AXES)]
)
def test_other_axes_of_a_zero_d_tensor_are_an_axis_error(op, call):
    x = Tensor(np.array(1.5), requires_grad=True)
    with pytest.raises(AxisError, match=rf"^{op}: axis .*shape \(\)"):
        call(x)
    assert x.grad is None


def test_a_bool_is_no_axis_of_a_zero_d_tensor():
    """(False == 0 in Python; PyTorch's ``sum(False)`` is a TypeError, numpy's too.)"""
    with pytest.raises(TypeError):
        Tensor(np.array(1.5)).sum(False)


# -- powers --------------------------------------------------------------------------------------------


@needs_torch
@pytest.mark.parametrize(
    "base, exponent",
    [
        ([0.0, 0.0, 2.0], [1.5, 2.0, 0.5]),
        ([0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.5, 3.0]),
        ([0.0, 3.0], 2.0),
        ([[0.0], [1.5]], [0.0, 2.5]),
    ],
    ids=["mixed", "zero-bases", "scalar-exponent", "broadcast"],
)
def test_zero_to_a_differentiable_power_follows_torch(base, exponent):
    a = Tensor(np.array(base), requires_grad=True)
    b = Tensor(np.array(exponent), requires_grad=True)
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(exponent, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = a**b
        out.sum().backward()
    tout = ta**tb
    tout.sum().backward()
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad, tb.grad.numpy(), rtol=1e-12)
    ga, gb = grad((a**b).sum(), [a, b], create_graph=True)
    np.testing.assert_allclose(ga.data, ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gb.data, tb.grad.numpy(), rtol=1e-12)


def test_zero_to_a_differentiable_power_as_in_the_issue():
    y = Tensor([2.0, 0.5], requires_grad=True)
    z = Tensor([0.0, 0.0]) ** y
    z.sum().backward()
    assert z.data.tolist() == [0.0, 0.0] and y.grad.tolist() == [0.0, 0.0]


def test_a_negative_base_still_has_no_gradient_for_the_exponent():
    with pytest.raises(ValueError, match="positive base or 0"):
        Tensor([-2.0, 0.0]) ** Tensor([2.0, 1.0], requires_grad=True)


@pytest.mark.parametrize(
    "exponent",
    [Tensor(0.5), Tensor([0.5]), np.array(0.5), np.array([0.5]), [0.5], Tensor(0.5, requires_grad=True)],
    ids=["tensor-0d", "tensor", "array-0d", "array", "list", "tensor-requiring-grad"],
)
def test_a_negative_base_to_a_fractional_tensor_exponent_raises_as_for_a_number(exponent):
    base = Tensor([-8.0], requires_grad=True)
    with pytest.raises(ValueError) as by_number:
        base**0.5
    with pytest.raises(ValueError) as by_tensor:
        base**exponent
    assert str(by_tensor.value) == str(by_number.value)
    assert "no real value" in str(by_tensor.value)


def test_a_negative_base_raises_only_where_the_exponent_is_fractional():
    y = Tensor([-2.0, 4.0, -3.0]) ** Tensor([2.0, 0.5, np.inf])  # -3 ** inf follows numpy: inf
    assert y.data.tolist() == [4.0, 2.0, np.inf]
    with pytest.raises(ValueError, match=r"pow: -3\.0 \*\* 1\.5 at index \(2,\) has no real value"):
        Tensor([-2.0, 4.0, -3.0]) ** Tensor([2.0, 0.5, 1.5])
    with pytest.raises(ValueError, match=r"pow: -1\.0 \*\* 0\.5 at index \(1, 0\)"):
        Tensor([[2.0], [-1.0]]) ** np.array([0.5, 2.0])  # the index is the broadcast result's
    with pytest.raises(ValueError, match="no real value"):
        Tensor([-8]) ** Tensor(0.5)  # an integer base too
    with pytest.raises(ValueError, match="no real value"):
        Tensor([-8]) ** 0.5


@settings(max_examples=40, deadline=None)
@given(
    base=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
                    elements=st.sampled_from([-2.0, -0.5, 0.0, 0.5, 3.0])),
    exponent=st.sampled_from([0.0, 1.0, 2.0, -1.0, 0.5, -1.5, 3.0]),
)
def test_array_and_number_exponents_agree(base, exponent):
    """Any base and one exponent: ``x ** k`` and ``x ** Tensor(k)`` raise alike or give the same values."""
    outcomes = []
    for k in (exponent, Tensor(exponent)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # 0 ** -1 = inf, as numpy
                outcomes.append(("value", (Tensor(base) ** k).data.tolist()))
        except ValueError as error:
            outcomes.append(("error", str(error)))
    assert outcomes[0] == outcomes[1]


# -- stack and sum_to: the kind of error ---------------------------------------------------------------


def test_a_bad_stack_axis_is_an_axis_error():
    with pytest.raises(AxisError, match=r"^stack: axis 77 is out of bounds"):
        stack([Tensor([1.0]), Tensor([2.0])], axis=77)
    with pytest.raises(AxisError, match=r"^stack: axis -3 is out of bounds"):
        stack([Tensor([1.0]), Tensor([2.0])], axis=-3)
    with pytest.raises(ValueError, match=r"stack: shapes \(1,\), \(2,\) must all be equal") as unequal:
        stack([Tensor([1.0]), Tensor([2.0, 3.0])], axis=0)
    assert not isinstance(unequal.value, AxisError)


def test_a_bad_concatenate_axis_is_an_axis_error_naming_the_shapes():
    a, b = Tensor(np.ones((1, 2)), requires_grad=True), Tensor(np.ones((3, 2)))
    shapes = r"\(1, 2\), \(3, 2\)"
    for axis in (2, -3):
        bad = rf"^concatenate: axis {axis} is out of bounds .*have shapes {shapes}\)"
        with pytest.raises(AxisError, match=bad):
            concatenate([a, b], axis=axis)
    with pytest.raises(ValueError, match=rf"^concatenate: shapes {shapes} do not join along axis 1") as error:
        concatenate([a, b], axis=1)
    assert not isinstance(error.value, AxisError)
    assert concatenate([a, b], axis=-2).shape == (4, 2)
    if torch is not None:  # torch's IndexError: an AxisError is one
        with pytest.raises(IndexError):
            torch.cat([torch.ones(1, 2), torch.ones(3, 2)], dim=2)

@pytest.mark.parametrize(
    "g_shape, shape",
    [((), (1,)), ((1,), (1, 1)), ((3,), (2,)), ((2, 3), (3, 3)), ((4,), (2, 4)), ((2, 3), (2,))],
)
def test_sum_to_only_reduces(g_shape, shape):
    escaped = [str(s).replace("(", r"\(").replace(")", r"\)") for s in (g_shape, shape)]
    with pytest.raises(ValueError, match=rf"sum_to: .*{escaped[0]}.*{escaped[1]}"):
        sum_to(np.ones(g_shape), shape)


# -- gradcheck of an empty output --------------------------------------------------------------------

EMPTY_OUTPUTS = [
    ("slice", lambda x: x[:0]),
    ("columns", lambda x: (x[:, 1:1] * 2.0).exp()),
    ("empty-index", lambda x: x[[]]),
    ("matmul", lambda x: Tensor(np.ones((0, 2))) @ x),
    ("gather", lambda x: x.gather(1, np.zeros((2, 0), dtype=np.int64))),
]


@pytest.mark.parametrize("f", [c[1] for c in EMPTY_OUTPUTS], ids=[c[0] for c in EMPTY_OUTPUTS])
def test_gradcheck_of_an_empty_output_passes(f):
    """An empty output has an empty Jacobian: its backward must give zero gradients, nothing else."""
    x = Tensor(np.random.default_rng(5).normal(size=(2, 3)), requires_grad=True)
    x.grad = np.full((2, 3), 7.0)
    assert f(x).data.size == 0
    assert gradcheck(f, [x])
    assert x.grad.tolist() == [[7.0] * 3] * 2  # left as it was
    empty = Tensor(np.ones((0, 3)), requires_grad=True)
    assert gradcheck(lambda t: t * 2.0, [empty])


def test_gradcheck_of_an_empty_output_catches_a_gradient_that_is_not_zero(monkeypatch):
    monkeypatch.setattr(GetItemOp, "vjp", staticmethod(lambda ctx, g, needs: (np.ones(ctx[1]),)))
    x = Tensor(np.zeros(3), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"the empty output .* analytic 1\.0, numeric 0\.0"):
        gradcheck(lambda t: t[:0], [x])


# -- the seed of a backward pass ----------------------------------------------------------------------

BAD_SEEDS = [
    ("x", "str"),
    (object(), "object"),
    (1 + 1j, "complex"),
    (np.complex128(1.0), "complex128"),
    (np.array([1 + 1j, 1.0]), "complex128"),
    (["a", "b"], "list"),
    ([[1.0], [1.0, 2.0]], "list"),  # ragged
    ({"a": 1.0}, "dict"),
]


@pytest.mark.parametrize("seed, type_name", BAD_SEEDS, ids=[t for _, t in BAD_SEEDS])
def test_a_seed_that_is_not_real_numbers_is_a_type_error_naming_its_type(seed, type_name):
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: the imaginary part is never dropped
        with pytest.raises(TypeError, match=rf"^backward: grad .*{type_name}"):
            y.backward(seed)
        assert x.grad is None
        for create_graph in (False, True):
            with pytest.raises(TypeError, match=rf"^grad: grad_outputs\[0\] .*{type_name}"):
                grad(y, x, grad_outputs=[seed], retain_graph=True, create_graph=create_graph)
    y.backward(np.ones(2))  # nothing was freed by the failed calls
    assert x.grad.tolist() == [3.0, 3.0]


def test_real_seeds_of_any_real_dtype_work_as_in_torch():
    seeds = [[True, False], np.array([1, 0]), [1.0, 0.0], Tensor([1.0, 0.0]), np.array([1, 0], np.float32)]
    for seed in seeds:
        x = Tensor([1.0, 2.0], requires_grad=True)
        (x * 3.0).backward(seed)
        assert x.grad.tolist() == [3.0, 0.0]
        (g,) = grad(x * 3.0, x, grad_outputs=[seed])
        assert g.data.tolist() == [3.0, 0.0]
    with pytest.raises(TypeError, match="is a Value"):
        (Tensor([1.0], requires_grad=True) * 2.0).backward(Value(1.0))


@pytest.mark.parametrize(
    "seed", ["x", 1j, np.complex128(1.0), object()], ids=["str", "complex", "np-complex", "object"]
)
def test_the_scalar_engine_refuses_the_same_seeds(seed):
    x = Value(2.0)
    y = x * x
    with pytest.raises(TypeError, match="real number"):
        y.backward(seed)
    with pytest.raises(TypeError, match="real number"):
        grad(y, x, grad_outputs=[seed])
    assert x.grad == 0.0
    y.backward(True)  # a bool is a real number (as a bool seed is to torch)
    assert x.grad == 4.0
