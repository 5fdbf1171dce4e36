"""The reductions and shape ops of issue #10: edge cases, errors and properties.

``logsumexp``, ``prod``, ``var``, ``std``, ``cumsum``, ``argmin``, ``squeeze``, ``unsqueeze``,
``flatten``, ``expand``, ``broadcast_to``, ``flip``, ``pad``, ``repeat``, ``tile`` and ``gather``.
Their plain gradients are checked in ``test_tensor_grad.py`` and ``test_tensor_autodiff.py``;
here are the inputs that need care (zeros in a product, infinities in a logsumexp, equal values
in a std), the errors, and hypothesis properties against numpy and PyTorch.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import Tensor, grad, gradcheck

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="compares with PyTorch")
AxisError = np.exceptions.AxisError


def _backward(f, xs, as_weight):
    """f(*xs), after backward of Σ w·f(*xs) for a fixed random w (``as_weight`` makes w a tensor)."""
    out = f(*xs)
    w = np.random.default_rng(7).normal(size=tuple(out.shape))
    (out * as_weight(w)).sum().backward()
    return out


def _same_as_torch(f, *arrays, torch_f=None):
    """f (ours) against torch_f (default: f) in torch: value and gradients, nan in the same places."""
    if torch is None:
        return
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = _backward(f, xs, lambda w: w)
    tout = _backward(torch_f or f, ts, torch.tensor)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def _hvp(f, arrays, vs):
    """The Hessian of Σ w·f times ``vs`` through grad(create_graph=True), ours."""
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = f(*xs)
    w = np.random.default_rng(7).normal(size=out.shape)
    gs = grad((out * w).sum(), xs, create_graph=True)
    return [h.data for h in grad(sum((g * v).sum() for g, v in zip(gs, vs)), xs)]


def _torch_hvp(f, arrays, vs):
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = f(*ts)
    w = torch.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)))
    gs = torch.autograd.grad((out * w).sum(), ts, create_graph=True)
    s = sum((g * torch.tensor(v)).sum() for g, v in zip(gs, vs))
    return [h.numpy() for h in torch.autograd.grad(s, ts)]


# -- prod ------------------------------------------------------------------------------------------

ZEROS = {
    "none": np.array([[2.0, -1.5, 3.0], [0.5, 4.0, -2.0]]),
    "one": np.array([[2.0, 0.0, 3.0], [0.5, 4.0, -2.0]]),
    "one-per-row": np.array([[0.0, -1.5, 3.0], [0.5, 4.0, 0.0]]),
    "two": np.array([[0.0, 0.0, 3.0], [0.5, 4.0, -2.0]]),
    "all": np.zeros((2, 3)),
}


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("case", sorted(ZEROS))
def test_prod_gradient_with_zeros(case, axis):
    a = ZEROS[case]
    assert gradcheck(lambda x: x.prod(axis=axis), [Tensor(a.copy(), requires_grad=True)])
    if axis is None:
        _same_as_torch(lambda x: x.prod(), a)
    else:
        _same_as_torch(lambda x: x.prod(axis=axis), a, torch_f=lambda x: x.prod(dim=axis))


def test_prod_gradient_is_the_product_of_the_others():
    x = Tensor([2.0, 0.0, 5.0, 3.0], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 30.0, 0.0, 0.0]  # only the zero's own entry: 2·5·3
    y = Tensor([0.0, 7.0, 0.0], requires_grad=True)
    y.prod().backward()
    assert y.grad.tolist() == [0.0, 0.0, 0.0]  # two zeros: every product of the others is 0


@needs_torch
@pytest.mark.parametrize("case", ["none", "one", "one-per-row", "two"])
def test_prod_second_derivative_with_zeros(case):
    a = ZEROS[case]
    v = np.random.default_rng(5).normal(size=a.shape)
    for ours, theirs in [
        (lambda x: x.prod(axis=1), lambda x: x.prod(dim=1)),
        (lambda x: x.prod(), lambda x: x.prod()),
    ]:
        np.testing.assert_allclose(_hvp(ours, [a], [v])[0], _torch_hvp(theirs, [a], [v])[0], atol=1e-12)


# -- logsumexp -------------------------------------------------------------------------------------


def test_logsumexp_is_stable_and_takes_infinities_as_torch():
    big = Tensor([1e308, 1e308, -1e308], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning
        out = big.logsumexp()
        out.backward()
    assert out.item() == pytest.approx(1e308) and big.grad.tolist() == [0.5, 0.5, 0.0]
    inf = np.inf
    a = np.array([[-inf, -inf, -inf], [1.0, -inf, 2.0], [inf, 0.0, 1.0]])
    x = Tensor(a, requires_grad=True)
    y = x.logsumexp(axis=1)
    assert y.data[0] == -inf and y.data[2] == inf
    assert y.data[1] == pytest.approx(np.log(np.exp(1.0) + np.exp(2.0)))
    y.backward(np.ones(3))
    assert x.grad[1].tolist() == pytest.approx([1 / (1 + np.e), 0.0, np.e / (1 + np.e)])  # -inf adds nothing
    assert np.isnan(x.grad[0]).all() and np.isnan(x.grad[2, 0]) and x.grad[2, 1:].tolist() == [0.0, 0.0]
    with np.errstate(invalid="ignore"):  # the projection of -inf and inf onto a weight sums to nan
        _same_as_torch(lambda t: t.logsumexp(axis=1), a, torch_f=lambda t: t.logsumexp(dim=1))


def test_logsumexp_of_empty_and_integer_tensors():
    assert Tensor(np.zeros((0, 3))).logsumexp(axis=0).data.tolist() == [-np.inf] * 3
    out = Tensor([0, 0]).logsumexp()
    assert out.dtype == np.float64 and out.item() == pytest.approx(np.log(2.0))
    assert Tensor(np.ones(3, dtype=np.float32)).logsumexp().dtype == np.float32


@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                 elements=st.floats(-30, 30)),
    keepdims=st.booleans(),
    data=st.data(),
)
def test_logsumexp_equals_the_naive_formula_where_it_is_safe(a, keepdims, data):
    axis = data.draw(st.sampled_from([None, *range(-a.ndim, a.ndim)]))
    naive = np.log(np.exp(a).sum(axis=axis, keepdims=keepdims))
    ours = Tensor(a).logsumexp(axis=axis, keepdims=keepdims).data
    np.testing.assert_allclose(ours, naive, rtol=1e-12, atol=1e-12)
    if torch is not None and axis is not None:
        expected = torch.logsumexp(torch.tensor(a), dim=axis, keepdim=keepdims).numpy()
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-15)


# -- var and std -----------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=3, max_side=4),
                 elements=st.floats(-100, 100)),
    correction=st.sampled_from([0, 1, 2, 0.5]),
    keepdims=st.booleans(),
    data=st.data(),
)
def test_var_and_std_equal_numpy_with_ddof(a, correction, keepdims, data):
    axis = data.draw(st.sampled_from([None, *range(-a.ndim, a.ndim)]))
    x = Tensor(a)
    expected = np.var(a, axis=axis, ddof=correction, keepdims=keepdims)
    np.testing.assert_allclose(x.var(axis, correction, keepdims).data, expected, rtol=1e-10, atol=1e-10)
    expected = np.std(a, axis=axis, ddof=correction, keepdims=keepdims)
    np.testing.assert_allclose(x.std(axis, correction, keepdims).data, expected, rtol=1e-10, atol=1e-10)


def test_std_gradient_at_zero_spread_is_zero_as_torch():
    a = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])
    x = Tensor(a, requires_grad=True)
    x.std(axis=1).sum().backward()
    assert x.grad[0].tolist() == [0.0, 0.0, 0.0] and np.isfinite(x.grad).all()
    _same_as_torch(lambda t: t.std(axis=1), a, torch_f=lambda t: t.std(dim=1))
    # Through create_graph too: the gradient is 0 there, not nan.
    (g,) = grad(x.std(axis=1).sum(), x, create_graph=True)
    assert g.data[0].tolist() == [0.0, 0.0, 0.0]
    assert gradcheck(lambda t: t.std(axis=1), [Tensor(a[1:].copy(), requires_grad=True)])


def test_var_needs_more_values_than_its_correction():
    x = Tensor([[1.0, 2.0]], requires_grad=True)
    with pytest.raises(ValueError, match=r"var: correction=1 leaves 1 - 1 = 0 degrees of freedom"):
        x.var(axis=0)
    with pytest.raises(ValueError, match=r"std: correction=3 leaves 2 - 3 = -1 degrees"):
        x.std(correction=3)
    with pytest.raises(ValueError, match="degrees of freedom"):
        Tensor(np.zeros((0, 2))).var(axis=0)
    with pytest.raises(TypeError, match="correction must be a number.*got bool"):
        x.var(correction=True)
    with pytest.raises(AxisError, match=r"var: .*\(the tensor has shape \(1, 2\)\)"):
        x.var(axis=2)
    assert x.grad is None
    assert x.var(axis=0, correction=0).data.tolist() == [0.0, 0.0]


def test_var_dtypes():
    assert Tensor([1, 2, 4]).var().dtype == np.float64  # integers give float64, as numpy
    x = Tensor(np.array([1.0, 2.0, 4.0], dtype=np.float32), requires_grad=True)
    x.std().backward()
    assert x.std().dtype == np.float32 and x.grad.dtype == np.float32


# -- cumsum and argmin -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.floats(-10, 10)), data=st.data())
def test_cumsum_equals_numpy_and_its_gradient_torch(a, data):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    np.testing.assert_allclose(Tensor(a).cumsum(axis).data, np.cumsum(a, axis=axis))
    _same_as_torch(lambda t: t.cumsum(axis), a)


def test_cumsum_needs_one_axis():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError):
        x.cumsum()
    with pytest.raises(TypeError, match="cumsum: axis must be one int, got tuple"):
        x.cumsum((0, 1))
    with pytest.raises(TypeError, match="cumsum: an axis must be an int, got NoneType"):
        x.cumsum(None)
    with pytest.raises(AxisError, match=r"cumsum: axis 2 is out of range for shape \(2, 3\)"):
        x.cumsum(2)


def test_argmin_mirrors_argmax():
    a = np.array([[3.0, 1.0, 2.0], [0.0, 5.0, -1.0]])
    x = Tensor(a, requires_grad=True)
    for axis in (None, 0, 1, -1):
        out = x.argmin(axis=axis)
        assert np.array_equal(out.data, np.argmin(a, axis=axis))
        assert out.dtype == x.argmax(axis=axis).dtype and not out.requires_grad and out.is_leaf


# -- squeeze, unsqueeze, flatten -------------------------------------------------------------------

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, data=st.data())
def test_unsqueeze_then_squeeze_is_the_identity(shape, data):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    x = Tensor(np.arange(float(np.prod(shape))).reshape(shape), requires_grad=True)
    y = x.unsqueeze(axis)
    assert y.shape == np.expand_dims(x.data, axis).shape
    back = y.squeeze(axis)
    assert back.shape == shape and np.array_equal(back.data, x.data)
    assert x.squeeze().shape == np.squeeze(x.data).shape
    if torch is not None:
        t = torch.tensor(x.data)
        assert tuple(t.unsqueeze(axis).shape) == y.shape and tuple(t.squeeze().shape) == x.squeeze().shape


@settings(max_examples=40, deadline=None)
@given(shape=shapes, data=st.data())
def test_flatten_then_reshape_is_the_identity(shape, data):
    n = max(len(shape), 1)
    start = data.draw(st.integers(-n, n - 1))
    end = data.draw(st.integers(start % n, n - 1))
    x = Tensor(np.arange(float(np.prod(shape))).reshape(shape), requires_grad=True)
    flat = x.flatten(start, end)
    assert np.array_equal(flat.reshape(shape).data, x.data)
    flat.sum().backward()
    assert x.grad.shape == shape
    if torch is not None:
        assert tuple(torch.tensor(x.data).flatten(start, end).shape) == flat.shape


def test_squeeze_follows_torch():
    x = Tensor(np.zeros((2, 1, 3)))
    assert x.squeeze(0).shape == (2, 1, 3)  # not length 1: left as it is (numpy raises)
    assert x.squeeze((0, 1)).shape == (2, 3) and x.squeeze([-2]).shape == (2, 3)
    assert Tensor(5.0).squeeze(0).shape == () and Tensor(5.0).unsqueeze(0).shape == (1,)
    assert Tensor(5.0).flatten().shape == (1,)
    with pytest.raises(AxisError, match=r"squeeze: axis 3 is out of range for shape \(2, 1, 3\)"):
        x.squeeze(3)
    with pytest.raises(ValueError, match="squeeze: axis \\(1, -2\\) names an axis twice"):
        x.squeeze((1, -2))
    with pytest.raises(AxisError, match=r"unsqueeze: axis 4 is out of range .*\(axes -4 to 3\)"):
        x.unsqueeze(4)
    with pytest.raises(TypeError, match="unsqueeze: an axis must be an int, got float"):
        x.unsqueeze(1.0)
    with pytest.raises(ValueError, match="flatten: start_axis 2 comes after end_axis 1"):
        x.flatten(2, 1)


# -- expand and broadcast_to -----------------------------------------------------------------------


def test_expand_follows_torch():
    x = Tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    assert x.expand(2, -1, 4).shape == (2, 3, 4) and x.expand((3, 0)).shape == (3, 0)
    assert x.broadcast_to((2, 3, 5)).shape == (2, 3, 5) and x.broadcast_to((-1, 2)).shape == (3, 2)
    y = x.expand(3, 4)
    assert not np.shares_memory(y.data, x.data)  # a copy: it may become a gradient someone holds
    with pytest.raises(ValueError, match=r"expand: the sizes \(4,\) are fewer than the axes of shape"):
        x.expand(4)
    with pytest.raises(ValueError, match=r"expand: shape \(3, 1\) cannot be expanded to \(2, 4\)"):
        x.expand(2, 4)
    with pytest.raises(ValueError, match="a new axis takes no -1"):
        x.expand(-1, 3, 4)
    with pytest.raises(ValueError, match=r"broadcast_to: shape \(3, 1\) cannot be expanded to \(3, -2\)"):
        x.broadcast_to((3, -2))
    with pytest.raises(TypeError, match="expand: a size must be an int, got float"):
        x.expand(3.0, 4)
    assert x.grad is None


@settings(max_examples=30, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=1, min_dims=0, max_dims=3, max_side=3))
def test_broadcast_to_equals_numpy(shapes):
    (shape,), target = shapes.input_shapes, shapes.result_shape
    a = np.random.default_rng(0).normal(size=shape)
    np.testing.assert_array_equal(Tensor(a).broadcast_to(target).data, np.broadcast_to(a, target))
    _same_as_torch(lambda t: t.broadcast_to(target), a)


# -- flip, pad, repeat, tile -----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.floats(-10, 10)), data=st.data())
def test_flip_equals_numpy_and_twice_is_the_identity(a, data):
    axes = data.draw(st.lists(st.integers(0, a.ndim - 1), min_size=1, max_size=a.ndim, unique=True))
    axes = tuple(axes)
    x = Tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.flip(axes).data, np.flip(a, axes))
    np.testing.assert_array_equal(x.flip(axes).flip(axes).data, a)
    _same_as_torch(lambda t: t.flip(axes), a)


def test_flip_needs_its_axes():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError):
        x.flip()
    with pytest.raises(ValueError, match=r"flip: axis \(0, 0\) names an axis twice"):
        x.flip((0, 0))
    with pytest.raises(AxisError, match="flip: axis -3 is out of range"):
        x.flip(-3)


def _torch_pad(pairs):
    """numpy's (before, after) pairs as F.pad's flat list, last axis first."""
    return tuple(w for before, after in reversed(pairs) for w in (before, after))


@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=3), elements=st.floats(-5, 5)),
    value=st.floats(-2, 2),
    data=st.data(),
)
def test_pad_equals_numpy_and_torch(a, value, data):
    pairs = tuple(data.draw(st.tuples(st.integers(0, 2), st.integers(0, 2))) for _ in range(a.ndim))
    x = Tensor(a, requires_grad=True)
    out = x.pad(pairs, value=value)
    np.testing.assert_array_equal(out.data, np.pad(a, pairs, constant_values=value))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones_like(a))  # the padding has no gradient
    if torch is not None:
        pad = _torch_pad(pairs)
        _same_as_torch(lambda t: t.pad(pairs, value), a,
                       torch_f=lambda t: torch.nn.functional.pad(t, pad, value=value))


def test_pad_widths_as_numpy_takes_them():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    assert x.pad(1).shape == (4, 5) and x.pad((1, 2)).shape == (5, 6) and x.pad([[0, 1]]).shape == (3, 4)
    assert Tensor([1, 2]).pad(1, value=7).data.tolist() == [7, 1, 2, 7]
    with pytest.raises(ValueError, match=r"pad: pad_width \(\(1, 1\),.*\) does not fit shape \(2, 3\)"):
        x.pad(((1, 1), (1, 1), (1, 1)))
    with pytest.raises(ValueError, match="pad: pad_width -1 has a negative width"):
        x.pad(-1)
    with pytest.raises(TypeError, match="pad: pad_width must hold ints, got 1.5"):
        x.pad(1.5)
    with pytest.raises(TypeError, match="pad: value must be a number, got str"):
        x.pad(1, value="0")
    assert x.grad is None


@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=st.floats(-5, 5)),
    data=st.data(),
)
def test_tile_and_repeat_equal_numpy_tile_and_torch(a, data):
    reps = tuple(data.draw(st.lists(st.integers(0, 3), min_size=0, max_size=4)))
    x = Tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.tile(reps).data, np.tile(a, reps))
    if np.prod(reps):  # (gradcheck needs an output with elements)
        assert gradcheck(lambda t: t.tile(reps) * 1.0, [Tensor(a.copy(), requires_grad=True)])
    _same_as_torch(lambda t: t.tile(reps), a)
    if len(reps) >= a.ndim:
        np.testing.assert_array_equal(x.repeat(*reps).data, np.tile(a, reps))
        _same_as_torch(lambda t: t.repeat(reps), a)


def test_repeat_needs_a_count_per_axis():
    x = Tensor(np.ones((2, 3)))
    assert x.tile(2).shape == (2, 6) and x.repeat((2, 1, 1)).shape == (2, 2, 3)
    with pytest.raises(ValueError, match=r"repeat: 1 counts \(2,\) for shape \(2, 3\)"):
        x.repeat(2)
    with pytest.raises(ValueError, match="tile: the numbers of copies .* must not be negative"):
        x.repeat(2, -1)
    with pytest.raises(TypeError, match="tile: a number of copies must be an int, got float"):
        x.tile(2.0)


# -- gather ----------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), data=st.data())
def test_gather_equals_take_along_axis_and_torch(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = data.draw(st.integers(0, 5))
    index_shape = shape[: axis % len(shape)] + (n,) + shape[axis % len(shape) + 1 :]
    index = data.draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[axis] - 1)))
    a = np.random.default_rng(1).normal(size=shape)
    x = Tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.gather(axis, index).data, np.take_along_axis(a, index, axis))
    assert gradcheck(lambda t: t.gather(axis, index) * 1.0, [Tensor(a.copy(), requires_grad=True)])
    if torch is not None:
        _same_as_torch(lambda t: t.gather(axis, index), a,
                       torch_f=lambda t: t.gather(axis, torch.tensor(index)))


def test_gather_repeated_indices_accumulate_and_smaller_indices_work():
    x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    index = Tensor(np.array([[2, 2, 2, 0]]))  # longer along axis 1, shorter along axis 0: as torch
    y = x.gather(1, index)
    assert y.data.tolist() == [[3.0, 3.0, 3.0, 1.0]]
    y.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 3.0], [0.0, 0.0, 0.0]]
    (g,) = grad((x.gather(0, np.array([[1, 1, 0]])) ** 2).sum(), x, create_graph=True)
    assert g.data.tolist() == [[0.0, 0.0, 6.0], [8.0, 10.0, 0.0]] and g.requires_grad


def test_gather_checks_its_index():
    x = Tensor(np.zeros((3, 2)), requires_grad=True)
    with pytest.raises(TypeError, match="gather: index must hold integers, got dtype float64"):
        x.gather(0, np.array([[0.0, 1.0]]))
    with pytest.raises(TypeError, match="got dtype bool"):
        x.gather(0, np.array([[True, False]]))
    with pytest.raises(ValueError, match=r"gather: index of shape \(2,\) does not fit .* shape \(3, 2\)"):
        x.gather(0, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"index of shape \(1, 3\) does not fit"):
        x.gather(0, np.array([[0, 0, 0]]))
    with pytest.raises(IndexError, match=r"gather: index 3 at \(0, 1\) is out of bounds for axis 0 of size"):
        x.gather(0, np.array([[0, 3]]))
    with pytest.raises(IndexError, match="index -1 at"):
        x.gather(0, np.array([[-1, 0]]))
    with pytest.raises(AxisError, match="gather: axis 2 is out of range"):
        x.gather(2, np.array([[0, 0]]))
    assert x.grad is None



def test_gather_of_a_zero_d_tensor_takes_its_one_value_as_torch():
    """PyTorch's 0-d tensor has one axis (dim 0 or -1) of length 1, so index 0 is its one value."""
    x = Tensor(np.array(2.5), requires_grad=True)
    for axis in (0, -1):
        y = x.gather(axis, np.array(0))
        assert y.shape == () and y.item() == 2.5
    (y * 3.0).backward()
    assert x.grad.shape == () and x.grad.item() == 3.0
    with pytest.raises(IndexError, match=r"gather: index 1 at \(\) is out of bounds for axis 0 of size 1"):
        x.gather(0, np.array(1))
    with pytest.raises(AxisError, match=r"gather: axis 1 is out of range for shape \(\)"):
        x.gather(1, np.array(0))
    # PyTorch also takes a 1-d index for a 0-d tensor (as if it had shape (1,)); here it needs as
    # many axes as the tensor, as for any other shape.
    with pytest.raises(ValueError, match=r"index of shape \(1,\) does not fit the tensor's shape \(\)"):
        x.gather(0, np.array([0]))
    assert x.grad.item() == 3.0


@pytest.mark.parametrize("axis", [0, -1, (0,), (-1,)])
def test_cumsum_and_flip_of_a_zero_d_tensor_give_it_back(axis):
    x = Tensor(np.array(2.5), requires_grad=True)
    y = x.flip(axis)
    if not isinstance(axis, tuple):
        y = y.cumsum(axis)
    assert type(y.data) is np.ndarray and y.shape == () and y.item() == 2.5
    (y * 3.0).backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad.item() == 3.0


# -- dtypes ----------------------------------------------------------------------------------------

FLOAT32_OPS = [
    lambda t: t.logsumexp(axis=0),
    lambda t: t.prod(axis=1),
    lambda t: t.var(axis=0),
    lambda t: t.std(),
    lambda t: t.cumsum(1),
    lambda t: t.squeeze().unsqueeze(0).flatten(),
    lambda t: t.expand(2, -1, -1),
    lambda t: t.flip(0),
    lambda t: t.pad(1, value=2.0),
    lambda t: t.repeat(2, 1),
    lambda t: t.gather(1, np.array([[0, 0], [1, 1]])),
]


@pytest.mark.parametrize("f", FLOAT32_OPS)
def test_float32_stays_float32(f):
    x = Tensor(np.array([[1.0, 2.0], [3.0, 5.0]], dtype=np.float32), requires_grad=True)
    out = f(x)
    out.sum().backward()
    assert out.dtype == np.float32 and x.grad.dtype == np.float32
    (g,) = grad(f(x).sum(), x, create_graph=True)
    assert g.dtype == np.float32
