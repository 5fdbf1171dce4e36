"""The Tensor engine: values of every op, dtypes, the backward contract, layers, losses, bad input."""

import warnings

import numpy as np
import pytest

from autograd_nn import AnomalyError, Tensor, Value, concatenate, detect_anomaly, losses, no_grad, stack
from autograd_nn.graph import topological_order
from autograd_nn.nn import Identity, Linear, ReLU, Sequential, Sigmoid, Step, Tanh
from autograd_nn.optim import SGD, Adam
from autograd_nn.tensor import _arrays, linear, sum_to
from autograd_nn.tensor._arrays import scratch
from autograd_nn.tensor.functions import AddOp, ExpOp, LinearOp, MulOp, TanhOp
from autograd_nn.tensor_losses import cross_entropy

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

rng = np.random.default_rng(0)


def leaf(*shape, dtype=np.float64):
    return Tensor(rng.normal(size=shape).astype(dtype), requires_grad=True)


# -- construction and the record -------------------------------------------------------------


def test_construction_keeps_dtype_and_shares_arrays():
    a = np.ones((2, 3), dtype=np.float32)
    t = Tensor(a)
    assert t.data is a and t.dtype == np.float32
    assert Tensor([1.0, 2.0]).dtype == np.float64
    assert Tensor([1, 2]).dtype == np.int64
    assert Tensor(3.0).shape == () and Tensor(3.0).ndim == 0
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert Tensor(t).data is a


def test_node_record():
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    y = x * 2
    assert x.op == "" and x.parents == () and x.grad is None and x.label == "x"
    assert y.op == "*" and y.parents[0] is x and y.label == ""
    assert y.parents[1].requires_grad is False  # the constant 2 is a leaf
    z = x * x
    assert z.parents == (x, x)
    assert [n is x for n in topological_order(z)] == [True, False]
    # Presentation is not the engine's: no group slot; the op that made a node is its grad_fn.
    with pytest.raises(AttributeError):
        y.group = "G"
    assert x.grad_fn is None and y.grad_fn is MulOp and x.tanh().grad_fn is TanhOp
    with no_grad():
        assert (x * 2).grad_fn is None and (x * 2).op == "*"


def test_array_protocol_copies_when_asked():
    t = Tensor([1.0, 2.0])
    assert np.shares_memory(np.asarray(t), t.data)  # copy=None: no copy needed
    copied = np.array(t)  # copy=True
    assert not np.shares_memory(copied, t.data)
    copied[0] = 9.0
    assert t.data[0] == 1.0
    assert np.array(t, dtype=np.float32).dtype == np.float32
    assert np.shares_memory(np.array(t, copy=False), t.data)
    with pytest.raises(ValueError, match="needs a copy"):
        np.array(t, dtype=np.float32, copy=False)


def test_repr_len_item_numpy_detach():
    x = Tensor(np.array([[1.0, 2.0]], dtype=np.float32), requires_grad=True, label="x")
    assert repr(x) == "Tensor([[1., 2.]], dtype=float32, requires_grad=True, label='x')"
    assert len(x) == 1 and x.numpy() is x.data
    assert Tensor([[2.5]]).item() == 2.5 and float(Tensor(1.5)) == 1.5
    with pytest.raises(ValueError, match=r"one-element .* shape \(1, 2\)"):
        x.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    d = (x * 2).detach()
    assert d.requires_grad is False and d.parents == ()
    assert np.asarray(x).dtype == np.float32
    assert [t.item() for t in Tensor([1.0, 2.0])] == [1.0, 2.0]


def test_bad_construction():
    with pytest.raises(TypeError, match="floating-point.*int64"):
        Tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="floating-point"):
        Tensor([1, 2]).requires_grad_()
    with pytest.raises(TypeError, match="complex128"):
        Tensor([1 + 2j])
    with pytest.raises(TypeError, match="got a Value"):
        Tensor(Value(1.0))
    with pytest.raises(TypeError, match="Values inside a list"):
        Tensor([Value(1.0), Value(2.0)])
    with pytest.raises(TypeError, match="dtype <U1"):
        Tensor(["a"])


# -- forward values of the ops ----------------------------------------------------------------


def test_arithmetic_with_numbers_arrays_and_broadcasting():
    a = np.arange(6.0).reshape(2, 3)
    b = np.array([1.0, 2.0, 4.0])
    ta, tb = Tensor(a), Tensor(b)
    np.testing.assert_array_equal((ta + tb).data, a + b)
    np.testing.assert_array_equal((ta - 1).data, a - 1)
    np.testing.assert_array_equal((1 - ta).data, 1 - a)
    np.testing.assert_array_equal((2 * ta).data, 2 * a)
    np.testing.assert_array_equal((ta / tb).data, a / b)
    np.testing.assert_array_equal((1 / tb).data, 1 / b)
    np.testing.assert_array_equal((ta**2).data, a**2)
    np.testing.assert_array_equal((2**tb).data, 2**b)
    np.testing.assert_array_equal((tb**tb).data, b**b)
    np.testing.assert_array_equal((-ta).data, -a)
    np.testing.assert_array_equal((a @ tb).data, a @ b)


def test_arithmetic_dunders_name_their_op_and_keep_the_operand_order():
    x = Tensor([4.0], requires_grad=True)
    for name, op, value in (("__add__", "+", x + 2), ("__radd__", "+", 2 + x), ("__sub__", "-", x - 2),
                            ("__rsub__", "-", 2 - x), ("__mul__", "*", x * 2), ("__rmul__", "*", 2 * x),
                            ("__truediv__", "/", x / 2), ("__rtruediv__", "/", 2 / x)):
        method = getattr(Tensor, name)
        assert method.__name__ == name and method.__qualname__ == f"Tensor.{name}"
        assert value.op == op
        assert value.parents[0 if name.startswith("__r") else 1].data.item() == 2.0
    assert [(2 - x).item(), (2 / x).item(), ([1.0] - x).item()] == [-2.0, 0.5, -3.0]
    assert Tensor.__add__(x, "a") is NotImplemented and Tensor.__rsub__(x, object()) is NotImplemented


def test_ndarray_on_the_left_dispatches_to_tensor():
    a = np.ones(3)
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for y in (a * x, a + x, a - x, a / x, a @ x):
        assert isinstance(y, Tensor)
    (a * x).sum().backward()
    np.testing.assert_array_equal(x.grad, a)


def test_python_lists_take_the_tensors_float_dtype():
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    for y in (x + [1.0, 2.0], [1, 2] * x, x - (0.5, 1.5), [2.0, 3.0] / x):
        assert y.dtype == np.float32, y.op
    (x * [1.0, 2.0]).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [1.0, 2.0]
    assert (Tensor([1, 2]) + [0.5, 1.0]).dtype == np.float64  # an integer tensor promotes, as numpy
    assert (x + np.array([1.0, 2.0])).dtype == np.float64  # an ndarray keeps its dtype, as numpy


def test_dtype_is_kept_through_ops():
    x = Tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True)
    for y in (x * 2.0, x + np.float64(1.0), 1.5 - x, x / 3, x**2, x.exp(), x.tanh(), x.sigmoid(),
              x.softmax(), x.log_softmax(), x.mean(), x @ x):
        assert y.dtype == np.float32, y.op
    assert (Tensor([1, 2]) * 0.5).dtype == np.float64
    assert (Tensor([1, 2]) * 2).dtype == np.int64


def test_reductions_shapes_and_indexing():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(a)
    np.testing.assert_array_equal(t.sum(axis=(0, 2)).data, a.sum(axis=(0, 2)))
    assert t.mean(axis=1, keepdims=True).shape == (2, 1, 4)
    np.testing.assert_array_equal(t.max(axis=-1).data, a.max(axis=-1))
    np.testing.assert_array_equal(t.min(axis=0, keepdims=True).data, a.min(axis=0, keepdims=True))
    assert t.reshape(6, 4).shape == (6, 4) and t.reshape((4, -1)).shape == (4, 6)
    assert t.transpose(2, 0, 1).shape == (4, 2, 3) and t.T.shape == (4, 3, 2)
    np.testing.assert_array_equal(t[1, ::2, [0, 3]].data, a[1, ::2, [0, 3]])
    np.testing.assert_array_equal(t[Tensor(np.array([1, 1]))].data, a[[1, 1]])
    np.testing.assert_array_equal(t[a > 10].data, a[a > 10])
    np.testing.assert_array_equal(concatenate([t, t], axis=1).data, np.concatenate([a, a], axis=1))
    np.testing.assert_array_equal(stack([t, t], axis=-1).data, np.stack([a, a], axis=-1))
    np.testing.assert_array_equal(Tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(axis=1).data, [1, 0])


def test_elementwise_functions():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    t = Tensor(x)
    np.testing.assert_allclose(t.exp().data, np.exp(x))
    np.testing.assert_allclose(t.abs().data, np.abs(x))
    np.testing.assert_allclose(t.abs().sqrt().data, np.sqrt(np.abs(x)))
    np.testing.assert_allclose(t.exp().log().data, x)
    np.testing.assert_allclose(t.clip(-1.0, 1.0).data, np.clip(x, -1, 1))
    np.testing.assert_allclose(t.clip(low=0.0).data, np.maximum(x, 0))
    np.testing.assert_allclose(t.tanh().data, np.tanh(x))
    np.testing.assert_allclose(t.sigmoid().data, 1 / (1 + np.exp(-x)), rtol=1e-15)
    np.testing.assert_array_equal(t.relu().data, np.maximum(x, 0))
    np.testing.assert_array_equal(t.step().data, (x >= 0).astype(float))


def test_numerics_at_extremes_raise_no_warning():
    big = Tensor([-1000.0, 1000.0, -1e4, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = big.sigmoid().data
        assert s.tolist() == [0.0, 1.0, 0.0, 1.0]
        assert big.tanh().data.tolist() == [-1.0, 1.0, -1.0, 1.0]
        logits = Tensor([[1e4, 0.0, -1e4]], requires_grad=True)
        ls = logits.log_softmax(axis=1)
        np.testing.assert_allclose(ls.data, [[0.0, -1e4, -2e4]])
        np.testing.assert_allclose(logits.softmax(axis=1).data, [[1.0, 0.0, 0.0]])
        ls.sum().backward()
        assert np.isfinite(logits.grad).all()
        loss = cross_entropy(Tensor([[1e4, 0.0], [0.0, 1e4]]), [1, 1])
        assert loss.item() == pytest.approx(5e3)
        assert Tensor([0.0]).log().data[0] == -np.inf


def test_sigmoid_is_accurate_far_in_the_tails():
    x = np.array([-40.0, -20.0, 20.0])
    expected = np.exp(x) / (1 + np.exp(x))
    np.testing.assert_allclose(Tensor(x).sigmoid().data, expected, rtol=1e-13)


@pytest.mark.skipif(torch is None, reason="torch not installed")
def test_sigmoid_within_two_ulp_of_torch_and_its_gradient_exact_at_extremes():
    x = np.linspace(-700.0, 700.0, 20001)
    np.testing.assert_allclose(Tensor(x).sigmoid().data, torch.sigmoid(torch.tensor(x)).numpy(),
                               rtol=4.5e-16, atol=0)
    z = Tensor([-1000.0, -30.0, 0.0, 30.0, 1000.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = z.sigmoid()
        s.sum().backward()
        tz = torch.tensor(z.data, requires_grad=True)
        torch.sigmoid(tz).sum().backward()
        np.testing.assert_allclose(z.grad, tz.grad.numpy(), rtol=1e-15, atol=0)
        w = Tensor(z.data.copy(), requires_grad=True)
        losses.binary_cross_entropy_with_logits(w, [1.0, 0.0, 1.0, 0.0, 1.0]).backward()
        expected = [-0.2, s.data[1] / 5, -0.1, s.data[3] / 5, 0.0]
        np.testing.assert_allclose(w.grad, expected, rtol=1e-15, atol=0)
        assert w.grad[[0, 2, 4]].tolist() == [-0.2, -0.1, 0.0]  # exact at the extremes


def test_sum_to_reverses_broadcasting():
    g = np.ones((5, 2, 3, 4))
    assert sum_to(g, (3, 1)).shape == (3, 1) and sum_to(g, (3, 1))[0, 0] == 40
    assert sum_to(g, ()).item() == 120
    assert sum_to(g, (2, 1, 1)).tolist() == [[[60.0]], [[60.0]]]
    assert sum_to(g, g.shape) is g


# -- the backward contract ----------------------------------------------------------------------


def test_seed_and_grad_argument():
    x = leaf(3)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
    y = x * 3
    with pytest.raises(RuntimeError, match=r"shape \(3,\).*pass backward\(grad\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(2,\), but the tensor has shape \(3,\)"):
        y.backward(np.ones(2))
    x.grad = None
    y.backward(np.array([1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 6.0])
    one = Tensor([[2.0]], requires_grad=True)
    (one * 4).backward()
    assert one.grad.tolist() == [[4.0]]
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_accumulation_and_which_nodes_keep_their_grad():
    x = leaf(2, 3)
    h = x.tanh()
    u = h * 3
    loss = (h * h).sum() + u.sum()
    loss.backward(retain_graph=True)
    g1 = x.grad.copy()
    assert h.grad is None and u.grad is None and loss.grad is None  # as in PyTorch: leaves only
    loss.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad, 2 * g1)  # accumulated
    h.retain_grad()
    loss.backward(retain_graph=True)
    np.testing.assert_allclose(h.grad, 2 * h.data + 3)
    assert u.grad is None
    loss.zero_grad()
    assert x.grad is None and h.grad is None
    loss.backward(retain_grads=True)  # every node, e.g. for a diagram of all gradients
    assert loss.grad.item() == 1.0
    np.testing.assert_array_equal(u.grad, np.ones((2, 3)))
    np.testing.assert_allclose(h.grad, 2 * h.data + 3)


def test_retained_gradients_are_never_one_array_shared_by_two_nodes():
    a = Tensor([1.0, 2.0], requires_grad=True)
    h = a * 3
    k = h + 1.0  # + passes its gradient through: h's gradient is k's array
    s = (k * 2).sum()  # sum's gradient is a broadcast view
    s.backward(retain_grads=True)
    assert h.grad is not k.grad and not np.shares_memory(h.grad, k.grad)
    k.grad += 1.0  # one node's gradient changed in place leaves every other as it was
    assert h.grad.tolist() == [2.0, 2.0] and a.grad.tolist() == [6.0, 6.0]
    m = Tensor([1.0, 2.0], requires_grad=True) * 2
    m.retain_grad()
    m.sum().backward()
    assert m.grad.flags.writeable and m.grad.base is None  # not sum's read-only broadcast view


def test_second_backward_without_retain_graph_raises():
    x = leaf(3)
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_backward_through_a_freed_shared_subgraph_accumulates_nothing():
    w = leaf(3)
    v = leaf(3)
    shared = (w * 2).tanh()
    loss1 = shared.sum()
    loss2 = (shared * v).sum()  # v's gradient comes before the freed part is reached
    loss1.backward()
    before_w = w.grad.copy()
    with pytest.raises(RuntimeError, match="already used by a backward pass"):
        loss2.backward()
    assert v.grad is None  # not half-applied
    np.testing.assert_array_equal(w.grad, before_w)


def test_seed_is_copied_and_cast_to_the_output_dtype():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seed = np.ones(2)
    x.backward(seed)
    assert x.grad is not seed and not np.shares_memory(x.grad, seed)
    x.grad += 1.0
    assert seed.tolist() == [1.0, 1.0]
    y = x * 1.0
    y.backward(seed, retain_grads=True)
    assert y.grad is not seed and not np.shares_memory(y.grad, seed)
    f = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    h = (f * 2).tanh()
    h.backward(Tensor(np.ones(2)), retain_grads=True)  # a float64 seed for a float32 output
    assert h.grad.dtype == np.float32 and f.grad.dtype == np.float32
    h2 = (f * 2).tanh()
    h2.backward([1, 1])  # a list of ints
    assert f.grad.dtype == np.float32


def test_requires_grad_of_a_non_leaf_cannot_be_switched_off():
    y = Tensor([1.0], requires_grad=True) * 2
    assert y.requires_grad_() is y and y.requires_grad  # already true: nothing to change
    with pytest.raises(RuntimeError, match="only a leaf's requires_grad.*detach"):
        y.requires_grad_(False)
    assert y.requires_grad


def test_reused_node_and_leaf_grads_are_not_shared():
    a, b = leaf(3), leaf(3)
    (a + b).sum().backward()
    assert a.grad is not b.grad
    a.grad += 1.0  # an optimiser may update in place: b must not change
    np.testing.assert_array_equal(b.grad, np.ones(3))
    x = leaf(2)
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    w = leaf(4)
    w.reshape(2, 2).sum().backward()
    assert w.grad.flags.owndata and w.grad.flags.writeable


def test_sum_to_gives_a_fresh_array_that_a_leaf_keeps_without_copying():
    back = sum_to(np.ones((4, 2, 3)), (2, 1))
    assert back.base is None and back.flags.owndata and back.tolist() == [[12.0], [12.0]]
    b = leaf(3)
    (leaf(4, 3) + b).sum().backward()
    assert b.grad.base is None and b.grad.tolist() == [4.0, 4.0, 4.0]


def test_in_place_vjps_never_touch_a_gradient_someone_else_holds():
    """A freeing backward reuses gradient buffers in place; kept and shared ones stay intact."""
    data = 0.3 * rng.normal(size=(3, 4))

    def f(x):
        h = x * 2.0
        s = h.exp() + h.relu() + (-h) + h.tanh() + h.sigmoid()  # one g feeds five in-place vjps
        return (s * s).tanh().sum(), h

    x1 = Tensor(data.copy(), requires_grad=True)
    loss, _ = f(x1)
    loss.backward()  # frees the graph: the in-place vjps run
    x2 = Tensor(data.copy(), requires_grad=True)
    loss, _ = f(x2)
    loss.backward(retain_graph=True)  # keeps it: the ordinary vjps run
    np.testing.assert_allclose(x1.grad, x2.grad, rtol=1e-14)
    if torch is not None:
        t = torch.tensor(data, requires_grad=True)
        h = t * 2.0
        s = h.exp() + h.relu() + (-h) + h.tanh() + h.sigmoid()
        (s * s).tanh().sum().backward()
        np.testing.assert_allclose(x1.grad, t.grad.numpy(), rtol=1e-10, atol=1e-13)
    # A node whose gradient is kept must not have it overwritten by its own in-place vjp.
    x = Tensor(data.copy(), requires_grad=True)
    t = (x * 2.0).tanh()
    t.retain_grad()
    (t * 3.0).sum().backward()
    assert (t.grad == 3.0).all()
    e = x.exp()
    u = e.tanh()
    u.sum().backward(retain_grads=True)
    assert (u.grad == 1.0).all()
    np.testing.assert_allclose(e.grad, 1 - u.data**2)


def test_zero_dimensional_chains_give_array_gradients():
    # ufuncs on 0-d arrays return numpy scalars: the engine must neither write into one nor
    # leave one as a leaf's .grad.
    x = Tensor(2.0, requires_grad=True)
    y = (-(x * 3.0)).exp().relu().tanh().sigmoid() * Tensor(2.0)
    y.backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == ()
    assert all(type(n.data) is np.ndarray for n in topological_order(y))
    if torch is not None:
        t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
        (torch.sigmoid(torch.tanh(torch.relu(torch.exp(-(t * 3.0))))) * 2.0).backward()
        assert x.grad.item() == pytest.approx(t.grad.item(), rel=1e-12)
    w = Tensor(1.0, requires_grad=True)
    (w * Tensor(3.0)).backward()
    assert type(w.grad) is np.ndarray and w.grad.item() == 3.0
    for f in (lambda t: t.tanh(), lambda t: t.exp(), lambda t: t.sqrt(), lambda t: t.sigmoid()):
        v = Tensor(0.5, requires_grad=True)
        f(v).backward()  # (a 0-d tanh raised TypeError before)
        assert type(v.grad) is np.ndarray and np.isfinite(v.grad)
    u = Tensor(1.0, requires_grad=True)
    h = u * 2.0
    (h.exp() + h.exp()).backward()  # two 0-d gradients accumulate into one pending entry
    assert u.grad.item() == pytest.approx(4 * np.exp(2.0))


def test_scratch_arrays_are_reused_but_never_huge():
    small = np.ones((32, 128), dtype=np.float32)
    assert scratch(small) is scratch(small) and scratch(small).shape == (32, 128)
    huge = np.broadcast_to(np.float32(0), (5_000_000,))  # 20 MB described, none allocated
    assert scratch(huge) is not scratch(huge)


def test_cross_entropy_twice_with_retain_graph_gives_the_same_gradient():
    z = leaf(4, 3)
    loss = cross_entropy(z, [0, 2, 1, 1])
    loss.backward(retain_graph=True)
    first = z.grad.copy()
    loss.backward()  # the saved probabilities must have survived the first pass
    np.testing.assert_allclose(z.grad, 2 * first, rtol=1e-15)


def test_grad_dtype_follows_the_leaf():
    w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (w * np.full(3, 2.0)).sum().backward()  # the float64 constant promotes the result
    assert w.grad.dtype == np.float32


def test_no_grad_records_nothing():
    x = leaf(3)
    with no_grad():
        y = x * 2
    assert y.parents == () and not y.requires_grad and y.is_leaf
    z = Tensor([1.0]) * 2  # no input requires grad: nothing to record either
    assert z.parents == ()


def test_deep_chain_is_iterative():
    x = Tensor(np.ones(2), requires_grad=True)
    y = x
    for _ in range(20000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_detect_anomaly_names_forward_op():
    x = Tensor([1.0, 0.0], requires_grad=True)
    y = (x * 0.0 + 1.0).log() * x  # fine so far
    with np.errstate(over="ignore"):
        z = (x.exp() * 1e308 * 10).sum()  # overflows in the '*' forward
    y.sum().backward()
    message = r"forward of the op '\*' produced inf at index \(0,\)"
    with detect_anomaly(), pytest.raises(AnomalyError, match=message):
        z.backward()


def test_detect_anomaly_names_backward_op():
    x = Tensor([0.0, 4.0], requires_grad=True)
    y = x.sqrt().sum()  # value finite, derivative at 0 infinite
    message = r"backward of the op 'sqrt' .*inf at index \(0,\)"
    with detect_anomaly(), pytest.raises(AnomalyError, match=message):
        y.backward()
    x2 = Tensor([0.0, 4.0], requires_grad=True)
    x2.sqrt().sum().backward()  # outside anomaly mode inf propagates silently
    assert x2.grad[0] == np.inf


# -- a failed backward changes nothing ------------------------------------------------------------


def _snapshot(*nodes):
    return [None if n.grad is None else n.grad.copy() for n in nodes]


def _assert_unchanged(nodes, before):
    for node, old in zip(nodes, before):
        if old is None:
            assert node.grad is None
        else:
            np.testing.assert_array_equal(node.grad, old)


def test_an_anomaly_in_backward_leaves_every_gradient_as_it_was():
    # The case: p's gradient is computed before a's log fails, and must not be written.
    a, p = Tensor([1e-300], requires_grad=True), Tensor([2.0], requires_grad=True)
    c = (a.log() * 1e10 + p * 3).sum()
    p.grad = np.array([7.0])
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"backward of the op 'log'"):
        c.backward()
    assert p.grad.tolist() == [7.0] and a.grad is None
    a.grad = np.array([1.0])
    with detect_anomaly(), pytest.raises(AnomalyError):
        (a.log() * 1e10 + p * 3).sum().backward()
    assert a.grad.tolist() == [1.0] and p.grad.tolist() == [7.0]


@pytest.mark.parametrize("retain_graph", [False, True])
def test_a_vjp_with_a_shape_bug_leaves_leaves_and_retained_gradients_as_they_were(monkeypatch, retain_graph):
    def graph():
        x = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
        w = Tensor(rng.normal(size=(2, 2)), requires_grad=True)
        h = x @ w
        h.retain_grad()
        return x, w, h, (h.tanh() * w.sum()).sum()

    x, w, h, loss = graph()
    loss.backward(retain_graph=True)  # every node now holds a gradient
    before = _snapshot(x, w, h)

    def wrong(out, g, needs, *rest):
        return (g[:1],)  # the planted bug: a gradient of the wrong shape

    monkeypatch.setattr(TanhOp, "vjp", staticmethod(wrong))
    monkeypatch.setattr(TanhOp, "vjp_into", staticmethod(wrong))
    message = r"backward of 'tanh': the gradient for operand 0 has shape \(1, 2\)"
    with pytest.raises(RuntimeError, match=message):
        loss.backward(retain_graph=retain_graph)
    _assert_unchanged((x, w, h), before)
    x2, w2, h2, loss2 = graph()  # all gradients None: still None
    with pytest.raises(RuntimeError, match="a bug in the op's vjp"):
        loss2.backward(retain_grads=True)
    assert x2.grad is None and w2.grad is None and h2.grad is None and loss2.grad is None


def test_any_exception_in_a_vjp_or_in_the_final_sums_changes_no_gradient(monkeypatch):
    x = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    x.grad = np.array([1.0, 1.0])

    def broken(*args):
        raise KeyError("a bug")

    loss = (x * b).exp().sum()
    monkeypatch.setattr(ExpOp, "vjp", staticmethod(broken))
    monkeypatch.setattr(ExpOp, "vjp_into", staticmethod(broken))
    with pytest.raises(KeyError):
        loss.backward()
    assert x.grad.tolist() == [1.0, 1.0] and b.grad is None
    monkeypatch.undo()
    # A .grad of the wrong shape, set by hand: its sum fails, and nothing is written at all.
    x.grad = np.ones(5)
    with pytest.raises(ValueError):
        (x * b).sum().backward()
    assert x.grad.tolist() == [1.0] * 5 and b.grad is None


# -- buffers reused across backward passes --------------------------------------------------------------


def test_spare_gradient_buffers_are_reused_across_steps_and_never_leak_into_a_grad():
    """A freeing backward recycles the activation-sized gradients it is done with; the next
    backward writes into them.  No .grad, kept gradient or live array may ever be one of them."""
    batch = 512  # 512 x 128 float32: large enough to be recycled
    data = rng.normal(size=(batch, 64)).astype(np.float32)
    model = Sequential(Linear(64, 128, seed=0), Tanh(), Linear(128, 128, seed=1), Tanh(),
                       Linear(128, 10, seed=2))
    targets = rng.integers(0, 10, batch)

    def step():
        x = Tensor(data.copy(), requires_grad=True)  # a leaf that wants the recycled-shape gradient
        h = model.layers[1](model.layers[0](x))
        h.retain_grad()
        loss = cross_entropy(model.layers[4](model.layers[3](model.layers[2](h))), targets)
        model.zero_grad()
        loss.backward()
        return x, h, [p.grad.copy() for p in model.parameters()]

    x1, h1, grads1 = step()
    x1_grad, h1_grad = x1.grad.copy(), h1.grad.copy()
    spare = _arrays._BUFFERS.spare
    assert any(shape == (batch, 128) for shape, _ in spare)  # something was recycled
    for _ in range(3):
        x2, h2, grads2 = step()
        for a, b in zip(grads1, grads2):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(x1.grad, x1_grad)  # the earlier step's gradients are untouched
    np.testing.assert_array_equal(h1.grad, h1_grad)
    live = [x1.grad, h1.grad, x2.grad, h2.grad] + [p.grad for p in model.parameters()]
    for arrays in spare.values():
        for array in arrays:
            assert not any(np.shares_memory(array, g) for g in live)
    # And the same gradients as a backward that keeps the graph (no in-place vjps, no recycling).
    x3 = Tensor(data.copy(), requires_grad=True)
    model.zero_grad()
    cross_entropy(model(x3), targets).backward(retain_graph=True)
    np.testing.assert_allclose(x3.grad, x1_grad, rtol=1e-5, atol=1e-7)


def test_spare_buffers_stay_bounded():
    for n in range(40):
        _arrays.give_back(np.empty((n + 1, 1 << 14), dtype=np.float32))  # 64 KB .. 2.6 MB each
    assert _arrays._BUFFERS.spare_bytes <= _arrays.SPARE_MAX_BYTES
    assert sum(a.nbytes for s in _arrays._BUFFERS.spare.values() for a in s) == _arrays._BUFFERS.spare_bytes
    _arrays.give_back(np.empty(_arrays.BUFFER_MAX_BYTES // 4 + 1, dtype=np.float32))  # too big: dropped
    assert all(a.nbytes <= _arrays.BUFFER_MAX_BYTES for s in _arrays._BUFFERS.spare.values() for a in s)


# -- bad input ----------------------------------------------------------------------------------


def test_shape_errors_name_the_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: \(32, 64\) @ \(128, 10\)"):
        Tensor(np.ones((32, 64))) @ Tensor(np.ones((128, 10)))
    with pytest.raises(ValueError, match=r"\+: shapes \(2, 3\) and \(4,\) do not broadcast"):
        Tensor(np.ones((2, 3))) + Tensor(np.ones(4))
    with pytest.raises(ValueError, match=r"\*: shapes \(2,\) and \(3,\)"):
        Tensor(np.ones(2)) * np.ones(3)
    with pytest.raises(ValueError, match=r"reshape: cannot reshape shape \(2, 3\)"):
        Tensor(np.ones((2, 3))).reshape(4)
    with pytest.raises(ValueError, match=r"concatenate: shapes \(2, 3\), \(2, 4\)"):
        concatenate([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match=r"linear: \(5, 3\) @ \(4, 2\)"):
        linear(np.ones((5, 3)), np.ones((4, 2)))
    with pytest.raises(IndexError, match="getitem"):
        Tensor(np.ones(3))[5]
    batch = r"matmul: \(2, 3, 4\) @ \(3, 4, 5\): the batch shapes \(2,\) and \(3,\) .* do not broadcast"
    with pytest.raises(ValueError, match=batch):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((3, 4, 5)))
    with pytest.raises(ValueError, match=r"matmul: \(3,\) @ \(4, 2\): the inner dimensions 3 and 4"):
        Tensor(np.ones(3)) @ Tensor(np.ones((4, 2)))


def test_an_error_that_is_not_about_shapes_does_not_blame_broadcasting():
    # Integers to negative integer powers: numpy refuses, so PowOp computes in float64, as PowConstOp.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = Tensor([2, 3]) ** Tensor([-1, 2])
        assert y.dtype == np.float64 and y.data.tolist() == [0.5, 9.0]
        assert (Tensor([0]) ** Tensor([-1])).item() == np.inf
    assert (Tensor([2, 3]) ** Tensor([1, 2])).data.tolist() == [2, 9]  # stays integer where it can



def test_a_binary_forward_error_blames_broadcasting_only_when_the_shapes_do_not_broadcast(monkeypatch):
    def refuses(a, b):
        raise ValueError("no such value")

    monkeypatch.setattr(AddOp, "forward", staticmethod(refuses))
    with pytest.raises(ValueError, match=r"^\+: no such value$"):
        Tensor([1.0, 2.0]) + Tensor([3.0, 4.0])
    with pytest.raises(ValueError, match=r"^\+: shapes \(2,\) and \(3,\) do not broadcast together"):
        Tensor([1.0, 2.0]) + Tensor([3.0, 4.0, 5.0])


@pytest.mark.parametrize(
    "op, call",
    [
        ("sum", lambda t: t.sum(axis=2)),
        ("mean", lambda t: t.mean(axis=(0, -3))),
        ("max", lambda t: t.max(axis=5)),
        ("min", lambda t: t.min(axis=-4, keepdims=True)),
        ("softmax", lambda t: t.softmax(axis=3)),
        ("log_softmax", lambda t: t.log_softmax(axis=-3)),
        ("transpose", lambda t: t.transpose(0, 2)),
        ("concatenate", lambda t: concatenate([t, t], axis=2)),
        ("stack", lambda t: stack([t, t], axis=4)),
    ],
)
def test_a_bad_axis_names_the_op(op, call):
    with pytest.raises((ValueError, IndexError), match=rf"^{op}: .*axis"):
        call(Tensor(np.ones((2, 3))))


def test_mixing_value_and_tensor_is_a_type_error():
    t = Tensor([1.0])
    v = Value(1.0)
    for op in (lambda: t + v, lambda: v * t, lambda: t @ v, lambda: v - t):
        with pytest.raises(TypeError, match="cannot mix a Value and a Tensor"):
            op()
    with pytest.raises(TypeError):
        t + "a"


def test_domain_errors():
    with pytest.raises(ValueError, match=r"log: the input is negative at index \(1,\)"):
        Tensor([1.0, -1.0]).log()
    with pytest.raises(ValueError, match="sqrt: the input is negative"):
        Tensor([-1.0]).sqrt()
    with pytest.raises(ValueError, match="negative base, fractional exponent"):
        Tensor([-1.0]) ** 0.5
    with pytest.raises(ValueError, match="positive base"):
        Tensor([-1.0]) ** Tensor([2.0], requires_grad=True)
    with pytest.raises(ValueError, match="clip: give at least one"):
        Tensor([1.0]).clip()
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.ones((0,))).max()


def test_division_by_zero_gives_inf_as_numpy_and_torch():
    x = Tensor([1.0, 0.0, -2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = x / Tensor([0.0, 0.0, 1.0])
        assert y.data[0] == np.inf and np.isnan(y.data[1]) and y.data[2] == -2.0
        assert (1 / Tensor([0.0])).item() == np.inf
        assert (Tensor([0.0]) ** -1).item() == np.inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward of the op '/' produced inf"):
        y.sum().backward()


def test_pow_by_inf_nan_and_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = Tensor([0.5, 2.0]) ** float("inf")
        assert y.data.tolist() == [0.0, np.inf] and y.op == "**"  # the exponent is in the context
        assert np.isnan((Tensor([2.0]) ** float("nan")).item())
        assert (Tensor([2.0]) ** np.float64(np.inf)).item() == np.inf
        x = Tensor([0.0, 3.0], requires_grad=True)
        z = x**0
        assert z.op == "**" and z.parents == (x,) and z.data.tolist() == [1.0, 1.0]
        z.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]  # a constant: 0, not NaN, at 0 too (as torch)


def test_integer_logits_are_cast_to_float():
    np.testing.assert_allclose(Tensor([1, 2]).softmax().data, Tensor([1.0, 2.0]).softmax().data)
    expected = [[-np.log1p(np.e), -np.log1p(1 / np.e)]]
    np.testing.assert_allclose(Tensor([[1, 2]]).log_softmax(axis=1).data, expected)
    loss = cross_entropy(Tensor(np.array([[0, 0], [3, 1]])), [1, 0])
    assert loss.dtype == np.float64
    assert loss.item() == pytest.approx(cross_entropy(Tensor([[0.0, 0.0], [3.0, 1.0]]), [1, 0]).item())


def test_integer_outputs_give_a_float_binary_cross_entropy():
    # The loss was cast back to the outputs' integer dtype: log 2 truncated to 0.
    bce = losses.binary_cross_entropy_with_logits(Tensor([0, 0]), [0.5, 0.5])
    assert bce.dtype == np.float64 and bce.item() == pytest.approx(np.log(2))
    assert losses.binary_cross_entropy_with_logits(Tensor([0, 0]), [1, 0]).item() == pytest.approx(np.log(2))
    bce = losses.binary_cross_entropy(Tensor([1, 0]), [0.5, 0.5])
    assert bce.dtype == np.float64 and bce.item() == pytest.approx(50.0)
    assert losses.binary_cross_entropy(Tensor([1, 0]), [1, 0]).item() == 0.0
    # Plain targets still take float outputs' dtype: float32 stays float32, its gradient too.
    z = Tensor(np.zeros(2, dtype=np.float32), requires_grad=True)
    bce = losses.binary_cross_entropy_with_logits(z, np.array([1.0, 0.0]))
    bce.backward()
    assert bce.dtype == np.float32 and z.grad.dtype == np.float32


# -- losses ---------------------------------------------------------------------------------------


def test_cross_entropy_matches_log_softmax_and_its_gradient():
    z = leaf(5, 4)
    t = np.array([0, 3, 1, 1, 2])
    loss = cross_entropy(z, t)
    assert loss.op == "cross_entropy" and loss.parents == (z,)  # one fused node
    ref = -z.log_softmax(axis=1)[np.arange(5), t].mean()
    assert loss.item() == pytest.approx(ref.item(), abs=1e-12)
    loss.backward()
    p = np.exp(z.data) / np.exp(z.data).sum(axis=1, keepdims=True)
    p[np.arange(5), t] -= 1
    np.testing.assert_allclose(z.grad, p / 5, atol=1e-14)
    single = cross_entropy(Tensor([1.0, 2.0, 3.0]), 2)
    assert single.item() == pytest.approx(-np.log(np.exp(3) / np.exp([1, 2, 3]).sum()))


def test_cross_entropy_bad_targets():
    z = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="target 1 is 4, outside the classes 0 .. 3"):
        cross_entropy(z, [0, 4, 1])
    with pytest.raises(ValueError, match="target 2 is -1"):
        cross_entropy(z, [0, 1, -1])
    with pytest.raises(ValueError, match=r"3 rows of logits but targets of shape \(2,\)"):
        cross_entropy(z, [0, 1])
    with pytest.raises(TypeError, match="integer class indices"):
        cross_entropy(z, [0.0, 1.0, 2.0])


def test_losses_through_the_shared_module():
    y = Tensor([[0.5], [1.0]], requires_grad=True)
    t = np.array([[1.0], [0.0]])
    assert losses.mse(y, t).item() == pytest.approx(0.625)
    assert losses.l2(y, t).item() == pytest.approx(0.625)
    assert losses.hinge(Tensor([2.0, 0.5, 0.3]), [1, 1, -1]).item() == pytest.approx(0.6)
    bce = losses.binary_cross_entropy(Tensor([0.9, 0.2]), [1.0, 0.0])
    assert bce.item() == pytest.approx(0.164252, abs=1e-6)
    assert losses.binary_cross_entropy(Tensor([0.0]), [1.0]).item() == pytest.approx(100.0)
    z = Tensor([0.3, -2.0, 1000.0], requires_grad=True)
    bce = losses.binary_cross_entropy_with_logits(z, [1.0, 0.0, 0.0])
    ref = -(np.log(1 / (1 + np.exp(-0.3))) + np.log(1 - 1 / (1 + np.exp(2.0))) - 1000.0) / 3
    assert bce.item() == pytest.approx(ref, rel=1e-12)
    bce.backward()
    np.testing.assert_allclose(z.grad, (z.sigmoid().data - [1.0, 0.0, 0.0]) / 3)
    assert losses.cross_entropy(Tensor([[0.0, 0.0]]), [1]).item() == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match=r"outputs have shape \(2, 1\) but targets \(2,\)"):
        losses.mse(y, [1.0, 0.0])
    with pytest.raises(ValueError, match="probabilities in"):
        losses.binary_cross_entropy(Tensor([1.5]), [1.0])
    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        losses.hinge(Tensor([1.0, 2.0]), [1, 0])
    assert losses.mse(Tensor(np.ones(2, dtype=np.float32)), [0.0, 0.0]).dtype == np.float32


def test_the_log_floor_of_the_binary_cross_entropy_is_torchs():
    from autograd_nn.tensor_losses import _LOG_FLOOR  # the scalar losses import it from here

    assert _LOG_FLOOR == -100.0
    assert losses.binary_cross_entropy(Tensor([0.0, 1.0]), [1.0, 0.0]).item() == -_LOG_FLOOR


def test_loss_input_errors_name_the_first_bad_element_as_a_plain_number():
    with pytest.raises(ValueError, match=r"got 1\.5 at index \(\) "):
        losses.binary_cross_entropy(Tensor(1.5), 1.0)
    with pytest.raises(ValueError, match=r"got nan at index \(0, 1\) "):
        losses.binary_cross_entropy(Tensor([[0.5, np.nan, -1.0]]), [[1.0, 1.0, 1.0]])
    with pytest.raises(ValueError, match=r"target \(0, 1\) is 0\.0$"):
        losses.hinge(Tensor([[1.0, 2.0, 3.0]]), [[1, 0, 2]])
    with pytest.raises(ValueError, match=r"target \(0,\) is 0\.0$"):
        losses.hinge(Tensor(1.0), 0)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"holds inf at index \(1, 0\)"):
        (Tensor([[1.0], [np.inf]], requires_grad=True) * 2).sum().backward()
    with pytest.raises(ValueError, match=r"the base is -1\.0 at index \(2,\)"):  # 0 ** y is defined
        Tensor([1.0, 0.0, -1.0]) ** Tensor([2.0, 2.0, 2.0], requires_grad=True)


# -- layers and optimisers ------------------------------------------------------------------------


def test_linear_layer_layout_init_and_state():
    layer = Linear(3, 2, seed=0)
    assert layer.weight.shape == (3, 2) and layer.bias.shape == (2,) and layer.weight.dtype == np.float32
    assert np.abs(layer.weight.data).max() <= 1 / np.sqrt(3)
    np.testing.assert_array_equal(Linear(3, 2, seed=0).weight.data, layer.weight.data)
    x = np.ones((4, 3), dtype=np.float32)
    y = layer(x)
    assert y.op == "linear" and y.parents[1] is layer.weight
    np.testing.assert_allclose(y.data, x @ layer.weight.data + layer.bias.data)
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]
    no_bias = Linear(3, 2, bias=False).parameters()
    assert len(no_bias) == 1 and no_bias[0].shape == (3, 2)
    with pytest.raises(ValueError, match=r"input has shape \(4, 5\); its last axis must be nin = 3"):
        layer(np.ones((4, 5), dtype=np.float32))
    with pytest.raises(ValueError, match="nin must be a positive int"):
        Linear(0, 2)
    with pytest.raises(TypeError, match="floating-point"):
        Linear(2, 2, dtype=np.int32)


class _CountsReductions(np.ndarray):
    """An array that counts the reductions (``np.add.reduce``, ``.sum``) made from it."""

    reductions = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "reduce":
            type(self).reductions += 1
        inputs = tuple(i.view(np.ndarray) if isinstance(i, _CountsReductions) else i for i in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)


@pytest.mark.parametrize("x_shape", [(3,), (2, 3), (2, 4, 3)])
@pytest.mark.parametrize("bias", ["none", "constant", "trained"])
def test_linear_backward_sums_the_bias_gradient_only_when_it_is_wanted(x_shape, bias):
    x = Tensor(np.ones(x_shape), requires_grad=True)
    w = Tensor(np.ones((3, 2)), requires_grad=True)
    parents = (x, w) if bias == "none" else (x, w, Tensor(np.ones(2), requires_grad=bias == "trained"))
    g = np.ones(x_shape[:-1] + (2,)).view(_CountsReductions)
    _CountsReductions.reductions = 0
    needs = tuple(p.requires_grad for p in parents)
    grads = LinearOp.vjp((x.data, w.data), g, needs)
    assert len(grads) == len(parents)
    wanted = bias == "trained" and len(x_shape) > 1  # a 1-D input's bias gradient is g itself
    assert _CountsReductions.reductions == wanted
    if bias != "none":
        assert (grads[2] is not None) == (bias == "trained")


@pytest.mark.parametrize("bias", [True, False])
def test_the_linear_layer_and_the_linear_function_record_the_same_node(bias):
    layer = Linear(3, 2, bias=bias, seed=0, dtype=np.float64)
    x = np.arange(6.0).reshape(2, 3)
    y = layer(x)
    z = linear(x, layer.weight, layer.bias)
    assert y.op == z.op == "linear" and len(y.parents) == len(z.parents) == 2 + bias
    assert y.parents[1:] == z.parents[1:]
    np.testing.assert_array_equal(y.data, z.data)
    with pytest.raises(ValueError, match=r"^linear: \(2, 4\) @ \(3, 2\)"):
        linear(np.ones((2, 4)), layer.weight, layer.bias)
    with pytest.raises(ValueError, match=r"^Linear\(nin=3, .*its last axis must be nin = 3"):
        layer(np.ones((2, 4)))


def test_linear_computes_in_the_weights_dtype():
    layer = Linear(3, 2, seed=0)  # float32
    y = layer(np.ones((4, 3)))  # float64 data
    assert y.dtype == np.float32
    assert layer(np.ones((4, 3), dtype=np.int64)).dtype == np.float32
    assert layer([[1, 2, 3]]).dtype == np.float32
    x = Tensor(np.ones((4, 3)), requires_grad=True)
    out = layer(x)
    assert out.dtype == np.float32 and out.parents[0].op == "astype"
    out.sum().backward()
    assert x.grad.dtype == np.float64 and layer.weight.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, np.tile(layer.weight.data.sum(axis=1), (4, 1)), rtol=1e-6)


def test_linear_batched_and_single_inputs_match():
    layer = Linear(3, 2, seed=1, dtype=np.float64)
    x = rng.normal(size=(2, 5, 3))
    out = layer(x)
    assert out.shape == (2, 5, 2)
    out.sum().backward()
    g_batched = layer.weight.grad.copy()
    layer.zero_grad()
    layer(x.reshape(10, 3)).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, g_batched)
    layer.zero_grad()
    layer(x[0, 0]).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, np.outer(x[0, 0], np.ones(2)))


def test_sequential_and_activation_layers(tmp_path):
    model = Sequential(Linear(4, 8, seed=0), Tanh(), Linear(8, 8, seed=1), ReLU(), Linear(8, 3, seed=2),
                       Sigmoid(), Identity())
    names = [n for n, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    x = rng.normal(size=(5, 4)).astype(np.float32)
    y = model(x)
    assert y.shape == (5, 3) and ((y.data > 0) & (y.data < 1)).all()
    assert Step()(np.array([-1.0, 1.0])).data.tolist() == [0.0, 1.0]
    path = tmp_path / "m.npz"
    model.save(path)
    other = Sequential(Linear(4, 8, seed=9), Tanh(), Linear(8, 8, seed=9), ReLU(), Linear(8, 3, seed=9),
                       Sigmoid(), Identity())
    other.load(path)
    np.testing.assert_array_equal(other(x).data, y.data)
    with pytest.raises(TypeError, match="layer 1 must be a Module"):
        Sequential(Linear(2, 2), np.tanh)
    assert "Linear(nin=4, nout=8" in repr(model)


@pytest.mark.parametrize("optimizer", [lambda p: SGD(p, lr=0.5, momentum=0.9), lambda p: Adam(p, lr=0.05)])
def test_training_a_small_classifier(optimizer):
    x = rng.normal(size=(64, 2))
    t = (x[:, 0] * x[:, 1] > 0).astype(np.int64)  # XOR of the signs
    model = Sequential(Linear(2, 16, seed=0, dtype=np.float64), Tanh(), Linear(16, 2, dtype=np.float64))
    opt = optimizer(model.parameters())
    first = None
    for _ in range(200):
        opt.zero_grad()
        loss = losses.cross_entropy(model(x), t)
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.5 * first
    accuracy = (model(x).data.argmax(axis=1) == t).mean()
    assert accuracy > 0.9
