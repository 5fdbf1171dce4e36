"""One model in two engines: the scalar MLP and its tensor conversion agree to 1e-12 in float64."""

import numpy as np
import pytest

from autograd_nn import Tensor, Value
from autograd_nn.losses import l2
from autograd_nn.nn import MLP, Identity, Linear, ReLU, Sequential, Sigmoid, Tanh
from autograd_nn.nn.convert import mlp_to_tensor, tensor_to_mlp

ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "step"]
X = np.array([[0.3, -1.2, 0.8], [1.5, 0.2, -0.4], [-0.7, -0.1, 0.05], [0.0, 2.0, -2.0]])
T = np.array([[0.2, -0.5], [1.0, 0.3], [-0.4, 0.8], [0.1, 0.0]])


def scalar_pass(mlp):
    """Outputs and parameter gradients of the scalar model for E = ½ Σ over samples and outputs."""
    for p in mlp.parameters():
        p.grad = 0.0
    outputs = [mlp([Value(v) for v in row]) for row in X]
    loss = l2(outputs, T.ravel().tolist())
    loss.backward()
    ys = np.array([[y.data for y in out] for out in outputs])
    grads = [[[w.grad for w in n.w] + [n.b.grad] for n in layer.neurons] for layer in mlp.layers]
    return ys, loss.data, grads


def tensor_pass(seq):
    seq.zero_grad()
    y = seq(Tensor(X))
    loss = l2(y, T)
    loss.backward()
    grads = []
    for layer in seq:
        if isinstance(layer, Linear):
            g = np.vstack([layer.weight.grad, layer.bias.grad[None, :]])  # (nin + 1, nout)
            grads.append(g.T.tolist())  # per neuron: its weights' grads, then its bias's
    return y.data, loss.item(), grads


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_outputs_and_gradients(activation):
    output = "tanh" if activation != "step" else "linear"
    mlp = MLP(3, [4, 3, 2], activation=activation, output_activation=output, seed=7)
    seq = mlp.to_tensor()
    assert seq[0].weight.dtype == np.float64
    ys, loss_s, grads_s = scalar_pass(mlp)
    yt, loss_t, grads_t = tensor_pass(seq)
    np.testing.assert_allclose(yt, ys, rtol=0, atol=1e-12)
    assert abs(loss_s - loss_t) < 1e-12
    for gs, gt in zip(grads_s, grads_t):
        np.testing.assert_allclose(np.array(gt), np.array(gs), rtol=0, atol=1e-12)
    assert any(np.abs(np.array(g)).max() > 0 for g in grads_t)
    if activation == "step":
        # The step unit's derivative is 0: every layer below a step gets exactly zero gradient in
        # both engines; only the linear output layer learns.
        for gs, gt in zip(grads_s[:-1], grads_t[:-1]):
            assert not np.any(gs) and not np.any(gt)
        assert np.any(grads_s[-1]) and np.any(grads_t[-1])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_round_trip(activation):
    mlp = MLP(3, [4, 2], activation=activation, seed=3)
    back = MLP.from_tensor(mlp.to_tensor())
    assert [layer.activation for layer in back.layers] == [layer.activation for layer in mlp.layers]
    for a, b in zip(mlp.parameters(), back.parameters()):
        assert a.data == b.data
    x = [0.1, -0.2, 0.3]
    assert [v.data for v in back(x)] == [v.data for v in mlp(x)]


def test_weight_layout_is_the_lecture_w_jk():
    mlp = MLP.from_weights([[([3.7, 3.7], -1.5), ([2.9, 2.9], -4.5)], [([4.5, -5.2], -2.0)]])
    seq = mlp_to_tensor(mlp)
    np.testing.assert_array_equal(seq[0].weight.data, [[3.7, 2.9], [3.7, 2.9]])
    np.testing.assert_array_equal(seq[0].bias.data, [-1.5, -4.5])
    np.testing.assert_array_equal(seq[2].weight.data, [[4.5], [-5.2]])
    # The worked example of the lecture: output 0.7645 at input (1, 0) in both engines.
    assert round(seq(Tensor([[1.0, 0.0]])).item(), 4) == 0.7645 == round(mlp([1.0, 0.0])[0].data, 4)


def test_conversion_copies_the_weights():
    mlp = MLP(2, [2], seed=0)
    seq = mlp.to_tensor()
    seq[0].weight.data[...] = 0.0
    assert mlp.layers[0].neurons[0].w[0].data != 0.0


def test_float32_conversion_and_linear_without_activation():
    seq = mlp_to_tensor(MLP(2, [3, 1], seed=0), dtype=np.float32)
    assert seq[0].weight.dtype == np.float32
    mlp = tensor_to_mlp(Sequential(Linear(2, 3, seed=0), Linear(3, 1, bias=False, seed=1), Sigmoid()))
    assert [layer.activation for layer in mlp.layers] == ["linear", "sigmoid"]
    assert all(n.b.data == 0.0 for n in mlp.layers[1].neurons)


def test_bad_models():
    with pytest.raises(TypeError, match="layer 1 is a Sequential"):
        tensor_to_mlp(Sequential(Linear(2, 2), Sequential()))
    with pytest.raises(TypeError, match="must follow a Linear"):
        tensor_to_mlp(Sequential(Tanh(), Linear(2, 2)))
    with pytest.raises(TypeError, match="must follow a Linear"):
        tensor_to_mlp(Sequential(Linear(2, 2), ReLU(), Identity()))
    with pytest.raises(TypeError, match="no Linear"):
        tensor_to_mlp(Sequential())
    # An activation layer is taken only directly after a Linear: first, or after another, it is refused.
    message = r"^tensor_to_mlp: layer {} \({}\) must follow a Linear layer directly$"
    with pytest.raises(TypeError, match=message.format(0, "Tanh")):
        tensor_to_mlp(Tanh())
    with pytest.raises(TypeError, match=message.format(2, "Sigmoid")):
        tensor_to_mlp(Sequential(Linear(2, 2), Tanh(), Sigmoid(), Linear(2, 1)))
    mlp = tensor_to_mlp(Sequential(Linear(2, 2), Identity(), Linear(2, 1), Sigmoid()))
    assert [layer.activation for layer in mlp.layers] == ["linear", "sigmoid"]
    mlp = MLP(2, [2], activation="tanh", seed=0)
    mlp.layers[0].neurons[1].activation = "relu"
    with pytest.raises(ValueError, match="mixes the activations"):
        mlp_to_tensor(mlp)
