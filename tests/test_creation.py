"""Tensors made from a shape: zeros, ones, full, eye, arange, linspace, *_like, rand, randn."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_nn
from autograd_nn import Tensor
from autograd_nn.tensor import arange, eye, full, linspace, ones, ones_like, rand, randn, zeros, zeros_like

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

SHAPED = [zeros, ones, rand, randn]
shapes = st.lists(st.integers(0, 4), max_size=3).map(tuple)


def test_exported_from_the_package_and_the_tensor_package():
    for name in ("zeros", "ones", "full", "eye", "arange", "linspace", "zeros_like", "ones_like", "rand",
                 "randn"):
        assert getattr(autograd_nn, name) is getattr(autograd_nn.tensor, name)
        assert name in autograd_nn.__all__ and name in autograd_nn.tensor.__all__


@settings(max_examples=30, deadline=None)
@given(shape=shapes, make=st.sampled_from(SHAPED))
def test_a_shape_as_ints_or_as_one_tuple_or_list(shape, make):
    for given_as in ((shape,), (list(shape),), shape if shape else ((),)):
        t = make(*given_as, seed=0) if make in (rand, randn) else make(*given_as)
        assert type(t) is Tensor and t.shape == shape and t.dtype == np.float64
        assert t.requires_grad is False and t.is_leaf


@settings(max_examples=30, deadline=None)
@given(shape=shapes)
def test_values_as_torch(shape):
    assert (zeros(shape).data == 0).all() and (ones(shape).data == 1).all()
    assert (full(shape, 2.5).data == 2.5).all()
    if torch is not None:
        assert np.array_equal(zeros(shape).data, torch.zeros(shape, dtype=torch.float64).numpy())
        assert np.array_equal(ones(shape).data, torch.ones(shape, dtype=torch.float64).numpy())


def test_default_dtype_is_float64_as_tensor_and_dtype_is_kept():
    assert zeros(2).dtype == Tensor([1.0]).dtype == np.float64
    for make in (zeros, ones, eye):
        assert make(2, dtype=np.float32).dtype == np.float32
        assert make(2, dtype="int64").dtype == np.int64
    assert rand(2, dtype=np.float32, seed=0).dtype == randn(2, dtype="float32", seed=0).dtype == np.float32
    assert linspace(0, 1, 3, dtype=np.float32).dtype == np.float32


def test_requires_grad_makes_a_parameter_leaf_that_backpropagates():
    w = randn(3, 2, seed=0, requires_grad=True)
    assert w.requires_grad and w.is_leaf
    (w * w).sum().backward()
    assert np.allclose(w.grad, 2 * w.data)
    for make in (zeros, ones):
        assert make(2, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="floating-point"):
        arange(3, requires_grad=True)  # int64 data has no gradient


def test_full_infers_the_dtype_from_the_value():
    assert full((2,), 7).dtype == np.int64
    assert full((2,), 7.0).dtype == np.float64
    assert full((2,), True).dtype == np.bool_
    assert full((2,), 7, dtype=np.float32).dtype == np.float32
    assert full(3, 1.0).shape == (3,) and full((), 1.0).shape == ()
    with pytest.raises(TypeError, match="fill_value must be a real number, got str"):
        full((2,), "a")


def test_eye():
    assert eye(3).data.tolist() == np.eye(3).tolist()
    assert eye(2, 3).shape == (2, 3)
    if torch is not None:
        assert np.array_equal(eye(3, 2).data, torch.eye(3, 2, dtype=torch.float64).numpy())


@pytest.mark.parametrize("args", [(5,), (2, 7), (0, 1, 0.25), (1, -2, -0.5), (3, 3), (0.5, 3)])
def test_arange_as_torch(args):
    t = arange(*args)
    assert t.dtype == (np.int64 if all(isinstance(a, int) for a in args) else np.float64)
    if torch is not None:
        expected = torch.arange(*args, dtype=torch.int64 if t.dtype == np.int64 else torch.float64)
        assert np.allclose(t.data, expected.numpy()) and t.shape == tuple(expected.shape)


@pytest.mark.parametrize("args", [(0, 1, 5), (-1, 1, 1), (2, 3, 0), (1, 0, 4)])
def test_linspace_as_torch(args):
    t = linspace(*args)
    assert t.dtype == np.float64
    if torch is not None:
        assert np.allclose(t.data, torch.linspace(*args, dtype=torch.float64).numpy())


def test_like_functions_keep_shape_and_dtype():
    for like in (np.ones((2, 3), dtype=np.float32), Tensor(np.ones((2, 3), dtype=np.float32))):
        z, o = zeros_like(like), ones_like(like)
        assert z.shape == o.shape == (2, 3) and z.dtype == o.dtype == np.float32
        assert (z.data == 0).all() and (o.data == 1).all()
    assert zeros_like(Tensor([1, 2])).dtype == np.int64
    assert ones_like(zeros(2), dtype=np.float32).dtype == np.float32
    assert ones_like(zeros(2), requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="zeros_like: expected a Tensor or an ndarray, got list"):
        zeros_like([1.0, 2.0])


def test_random_numbers_are_seeded_and_their_distribution_is_right():
    assert np.array_equal(rand(4, seed=1).data, rand(4, seed=1).data)
    assert not np.array_equal(rand(4, seed=1).data, rand(4, seed=2).data)
    rng = np.random.default_rng(5)
    first, second = randn(4, seed=rng), randn(4, seed=rng)  # a Generator is drawn from: a stream
    assert not np.array_equal(first.data, second.data)
    assert np.array_equal(np.concatenate([first.data, second.data]), randn(8, seed=5).data)
    u, n = rand(20_000, seed=0).data, randn(20_000, seed=0).data
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03
    # one seed, the same numbers in every float dtype (drawn in float64, then rounded)
    assert np.array_equal(randn(5, seed=3, dtype=np.float32).data, randn(5, seed=3).data.astype(np.float32))


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("make", SHAPED)
def test_a_negative_size_is_a_value_error_naming_the_shape(make):
    message = rf"{make.__name__}: sizes must be non-negative, got the shape \(2, -1\)"
    with pytest.raises(ValueError, match=message):
        make(2, -1)
    with pytest.raises(ValueError, match=r"\(-3,\)"):
        make((-3,))


@pytest.mark.parametrize("make", SHAPED)
@pytest.mark.parametrize("size, kind", [(2.0, "float"), (True, "bool"), ("3", "str"), (None, "NoneType")])
def test_a_size_that_is_not_an_int_is_a_type_error_naming_its_type(make, size, kind):
    with pytest.raises(TypeError, match=rf"{make.__name__}: sizes must be ints, got {kind}"):
        make(2, size)
    with pytest.raises(TypeError, match=f"got {kind}"):
        make((size,))


@pytest.mark.parametrize("make", SHAPED)
def test_no_size_at_all_is_a_type_error_as_torch(make):
    with pytest.raises(TypeError, match="missing the size"):
        make()


def test_bad_arguments_of_the_other_functions():
    with pytest.raises(ValueError, match="full: sizes must be non-negative, got the shape"):
        full((2, -2), 1.0)
    with pytest.raises(ValueError, match="eye: n must be non-negative, got -1"):
        eye(-1)
    with pytest.raises(TypeError, match=r"eye: m must be an int, got float \(2.0\)"):
        eye(2, 2.0)
    with pytest.raises(ValueError, match="arange: step must be nonzero"):
        arange(0, 1, 0)
    with pytest.raises(TypeError, match="arange: end must be a real number, got str"):
        arange("3")
    with pytest.raises(ValueError, match="linspace: steps must be non-negative, got -1"):
        linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace: steps must be an int, got float"):
        linspace(0, 1, 2.0)
    for make in (rand, randn):
        message = f"{make.__name__}: dtype must be a floating-point type, got int64"
        with pytest.raises(TypeError, match=message):
            make(2, dtype=np.int64)
