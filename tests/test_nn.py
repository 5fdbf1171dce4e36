"""Scalar neural networks: TLU, Neuron, Layer, MLP (structure, labels, gradients, save/load)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_nn import Value, gradcheck, no_grad
from autograd_nn.nn import MLP, TLU, Layer, Module, Neuron, TLUNetwork
from autograd_nn.nn.scalar import ACTIVATIONS

SMOOTH = ["linear", "sigmoid", "tanh", "relu"]


def _reference_forward(layers, acts, x):
    """An independent forward pass on floats: layers = [[(weights, bias), ...], ...]."""
    f = {
        "linear": lambda s: s,
        "sigmoid": lambda s: 1.0 / (1.0 + math.exp(-s)),
        "tanh": math.tanh,
        "relu": lambda s: max(0.0, s),
        "step": lambda s: 1.0 if s >= 0 else 0.0,
    }
    h = list(x)
    for layer, act in zip(layers, acts):
        h = [f[act](sum(w * v for w, v in zip(ws, h)) + b) for ws, b in layer]
    return h


def _weights(model):
    return [[([w.data for w in n.w], n.b.data) for n in layer.neurons] for layer in model.layers]


# -- TLU ---------------------------------------------------------------------------------------


def test_tlu_threshold_is_inclusive_and_output_is_value():
    unit = TLU([1.0, 1.0], 2.0)
    out = unit([1.0, 1.0])
    assert isinstance(out, Value) and out.data == 1.0  # s == theta fires
    assert unit([1.0, 0.999]).data == 0.0
    assert [name for name, _ in unit.named_parameters()] == ["w.0", "w.1", "threshold"]


def test_tlu_network_returns_list():
    net = TLUNetwork([[TLU([1.0], 0.5)], [TLU([1.0], 0.5), TLU([-1.0], -0.5)]])
    out = net([1.0])
    assert isinstance(out, list) and [v.data for v in out] == [1.0, 0.0]


def test_tlu_bad_input():
    with pytest.raises(ValueError, match="expects 2 inputs, received 3"):
        TLU([1, 1], 1)([1, 1, 1])
    with pytest.raises(TypeError):
        TLU("ab", 1)
    with pytest.raises(TypeError, match="sequence"):
        TLU([1, 1], 1)(Value(1.0))


# -- Neuron --------------------------------------------------------------------------------------


def test_neuron_default_is_one_weighted_sum_node():
    n = Neuron(3, "tanh", weights=[0.5, -1.0, 2.0], bias=0.25, name="N")
    x = [Value(1.0), 2.0, Value(-0.5)]
    y = n(x)
    s = y.parents[0]
    assert y.op == "tanh" and s.op == "wsum"
    # Parents: the weights, then the inputs that are Values (h2 is a plain number: no edge), bias.
    assert s.parents == (n.w[0], n.w[1], n.w[2], x[0], x[2], n.b)
    assert s.local == (1.0, 2.0, -0.5, 0.5, 2.0, 1.0)
    assert s.data == pytest.approx(0.5 * 1 - 1.0 * 2 + 2.0 * -0.5 + 0.25)
    assert y.data == pytest.approx(math.tanh(s.data))


def test_neuron_labels_and_groups():
    n = Neuron(2, "sigmoid", weights=[1.0, 2.0], bias=0.0, name="D", output_symbol="h")
    assert [p.label for p in n.parameters()] == ["D.w0", "D.w1", "D.b"]
    assert all(getattr(p, "group", None) == "D" for p in n.parameters())
    y = n([1.0, 1.0])
    assert (y.label, y.parents[0].label) == ("h_D", "s_D")
    assert getattr(y, "group", None) == "D" and getattr(y.parents[0], "group", None) == "D"
    # A linear unit's single node is its output.
    lin = Neuron(1, "linear", weights=[2.0], bias=1.0, name="G")
    assert lin([3.0]).label == "y_G"
    anon = Neuron(1, "relu", weights=[1.0], bias=0.0)
    assert anon([1.0]).label == "y" and getattr(anon([1.0]), "group", None) is None


@pytest.mark.parametrize("activation", SMOOTH + ["step"])
def test_expanded_neuron_matches_weighted_sum(activation):
    kw = dict(weights=[0.3, -0.7, 1.1], bias=-0.2, name="N")
    compact, expanded = Neuron(3, activation, **kw), Neuron(3, activation, expanded=True, **kw)
    x = [0.9, -0.4, 0.35]
    yc, ye = compact(x), expanded(x)
    assert yc.data == pytest.approx(ye.data, abs=1e-15)
    yc.backward()
    ye.backward()
    for pc, pe in zip(compact.parameters(), expanded.parameters()):
        assert pc.grad == pytest.approx(pe.grad, abs=1e-15)
    # Expanded: one node per * and per +, all grouped under the neuron.
    from autograd_nn.graph import topological_order

    ops = [v.op for v in topological_order(ye) if v.op]
    assert ops.count("*") == 3 and ops.count("+") == 3 and "wsum" not in ops
    inner = [v for v in topological_order(ye) if v.op in ("*", "+")]
    assert all(getattr(v, "group", None) == "N" for v in inner)


def test_neuron_seeded_init_and_bounds():
    a, b, c = Neuron(16, seed=3), Neuron(16, seed=3), Neuron(16, seed=4)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]
    assert all(abs(p.data) <= 1 / math.sqrt(16) for p in a.parameters())
    rng = np.random.default_rng(0)
    assert Neuron(2, rng=rng).w[0].data != Neuron(2, rng=rng).w[0].data  # the rng advances


def test_neuron_bad_input():
    with pytest.raises(ValueError, match=r"Neuron 'D' expects 2 inputs, received 3"):
        Neuron(2, name="D")([1, 2, 3])
    with pytest.raises(ValueError, match="step, linear, sigmoid, tanh, relu"):
        Neuron(2, activation="softmax")
    with pytest.raises(ValueError, match="expected 2 weights, received 3"):
        Neuron(2, weights=[1, 2, 3], bias=0)
    with pytest.raises(TypeError, match="weight must be a real number"):
        Neuron(2, weights=["a", 1], bias=0)
    with pytest.raises(ValueError, match="nin"):
        Neuron(0)
    with pytest.raises(ValueError, match="either seed= or rng="):
        Neuron(2, seed=1, rng=np.random.default_rng(1))


# -- Layer and MLP -----------------------------------------------------------------------------


def test_layer_and_mlp_always_return_lists():
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), list)
    out = MLP(2, [3, 1], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)
    assert len(MLP(2, [3, 4], seed=0)([1.0, 2.0])) == 4


def test_mlp_matches_reference_forward():
    model = MLP(3, [4, 4, 2], activation="tanh", output_activation="linear", seed=7)
    x = [0.5, -1.5, 2.0]
    ref = _reference_forward(_weights(model), ["tanh", "tanh", "linear"], x)
    assert [y.data for y in model(x)] == pytest.approx(ref, abs=1e-14)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "linear"]
    # output_activation=None: every layer has the hidden activation.
    assert [layer.activation for layer in MLP(2, [2, 1], "relu", seed=0).layers] == ["relu", "relu"]


def test_mlp_named_parameters_and_labels():
    model = MLP(3, [2, 2, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert len(names) == (3 + 1) * 2 + (2 + 1) * 2 + (2 + 1) * 1
    assert names[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.w.2",
                         "layers.0.neurons.0.b"]
    assert "layers.1.neurons.0.w.1" in names and names[-1] == "layers.2.neurons.0.b"
    params = dict(model.named_parameters())
    assert params["layers.1.neurons.0.w.1"].label == "L1.N0.w1"
    out = model([1.0, 2.0, 3.0])[0]
    assert out.label == "y_L2.N0" and out.parents[0].label == "s_L2.N0"
    s_out = out.parents[0]
    hidden = s_out.parents[len(model.layers[2].neurons[0].w)]  # after the weights: the first input
    assert hidden.label == "h_L1.N0" and getattr(hidden, "group", None) == "L1.N0"


def test_mlp_seeded():
    a, b = MLP(2, [3, 1], seed=11), MLP(2, [3, 1], seed=11)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in MLP(2, [3, 1], seed=12).parameters()]


@pytest.mark.parametrize("expanded", [False, True])
@pytest.mark.parametrize("activation", SMOOTH)
def test_gradcheck_mlp_parameters(activation, expanded):
    model = MLP(3, [3, 2], activation=activation, seed=5, expanded=expanded)
    x = [0.7, -1.3, 0.4]

    def loss(*_params):
        return Value.sum([y * y for y in model(x)])

    assert gradcheck(loss, model.parameters())


@pytest.mark.parametrize("activation", SMOOTH)
def test_gradcheck_mlp_inputs(activation):
    model = MLP(2, [3, 1], activation=activation, seed=2)
    xs = [Value(0.3), Value(-0.8)]
    assert gradcheck(lambda a, b: model([a, b])[0], xs)


def test_step_activation_has_zero_gradient():
    model = MLP(2, [2, 1], activation="step", seed=0)
    y = model([0.5, 0.5])[0]
    y.backward()
    assert y.data in (0.0, 1.0) and all(p.grad == 0.0 for p in model.parameters())
    assert "step" in ACTIVATIONS


@pytest.mark.parametrize("activation", SMOOTH)
def test_mlp_against_torch(activation):
    torch = pytest.importorskip("torch")
    model = MLP(3, [4, 2], activation=activation, seed=9)
    x = [0.2, -0.6, 1.4]
    out = model(x)
    Value.sum(out).backward()

    f = {"linear": lambda t: t, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    h = torch.tensor(x, dtype=torch.float64)
    tensors = []
    for layer in model.layers:
        f64 = dict(dtype=torch.float64, requires_grad=True)
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], **f64)
        b = torch.tensor([n.b.data for n in layer.neurons], **f64)
        tensors.append((W, b))
        h = f(W @ h + b)
    h.sum().backward()
    assert [y.data for y in out] == pytest.approx(h.tolist(), abs=1e-12)
    for layer, (W, b) in zip(model.layers, tensors):
        for j, n in enumerate(layer.neurons):
            assert [w.grad for w in n.w] == pytest.approx(W.grad[j].tolist(), abs=1e-12)
            assert n.b.grad == pytest.approx(b.grad[j].item(), abs=1e-12)


def test_mlp_bad_input_names_layer_and_lengths():
    model = MLP(3, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"Layer 'L0' expects 3 inputs, received 2"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Layer 'L1' expects 2 inputs, received 3"):
        model.layers[1]([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="valid activations are step, linear, sigmoid, tanh, relu"):
        MLP(2, [1], activation="gelu")
    with pytest.raises(ValueError, match="valid activations"):
        MLP(2, [1], output_activation="softmax")
    with pytest.raises(ValueError, match="sizes"):
        MLP(2, [])
    with pytest.raises(TypeError, match="sequence"):
        model(3.0)


def test_mlp_no_grad_forward_records_nothing():
    model = MLP(2, [2, 1], seed=0)
    with no_grad():
        y = model([1.0, 0.0])[0]
    assert y.parents == () and y.data == pytest.approx(model([1.0, 0.0])[0].data)


# -- from_weights --------------------------------------------------------------------------------


def test_from_weights_rebuilds_a_network():
    layers = [[([1.0, -2.0], 0.5), ([0.25, 0.75], -1.0)], [([2.0, 3.0], 0.1)]]
    model = MLP.from_weights(layers, activation=["tanh", "linear"])
    assert _weights(model) == layers
    expected = _reference_forward(layers, ["tanh", "linear"], [0.3, 0.9])[0]
    assert model([0.3, 0.9])[0].data == pytest.approx(expected)
    assert [n for n, _ in model.named_parameters()][0] == "layers.0.neurons.0.w.0"
    assert MLP.from_weights(layers, "tanh", output_activation="relu").layers[1].activation == "relu"


def test_from_weights_slide_names():
    model = MLP.from_weights(
        [[([3.7, 3.7], -1.5), ([2.9, 2.9], -4.5)], [([4.5, -5.2], -2.0)]],
        names=[["D", "E"], ["G"]], input_names=["A", "B"], bias_names=["C", "F"],
    )
    assert [n for n, _ in model.named_parameters()] == [
        "w_DA", "w_DB", "w_DC", "w_EA", "w_EB", "w_EC", "w_GD", "w_GE", "w_GF"]
    assert all(n == p.label for n, p in model.named_parameters())


def test_from_weights_bad_input():
    with pytest.raises(ValueError, match="layer 1 neuron 0 has 3 weights, expected 2"):
        MLP.from_weights([[([1, 2], 0), ([1, 2], 0)], [([1, 2, 3], 0)]])
    with pytest.raises(ValueError, match=r"\(weights, bias\) pair"):
        MLP.from_weights([[[1, 2, 3]]])
    with pytest.raises(ValueError, match="2 activations for 1 layers"):
        MLP.from_weights([[([1], 0)]], activation=["tanh", "relu"])
    with pytest.raises(ValueError, match="valid activations"):
        MLP.from_weights([[([1], 0)]], activation="swish")
    with pytest.raises(ValueError, match="1 neurons but 2 names"):
        MLP.from_weights([[([1], 0)]], names=[["A", "B"]])


# -- save / load -----------------------------------------------------------------------------------


def test_save_load_round_trip(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    path = tmp_path / "m.npz"
    model.save(path)
    other = MLP(2, [3, 1], seed=1)
    other.load(path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert other([0.5, 0.5])[0].data == model([0.5, 0.5])[0].data


def test_layer_and_tlu_network_name_the_wrong_part():
    with pytest.raises(ValueError, match="neuron 1 must be a Neuron with 2 inputs, got a Neuron with 3"):
        Layer(2, 2, neurons=[Neuron(2), Neuron(3)])
    with pytest.raises(TypeError, match="layer 0, unit 1 must be a TLU, got int"):
        TLUNetwork([[TLU([1, 1], 1), 3]])


def test_save_writes_exactly_the_given_path_and_load_reads_it(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    model.save(tmp_path / "model")  # no suffix added: the same path loads back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    other = MLP(2, [2, 1], seed=3)
    other.load(tmp_path / "model")
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]


def test_load_refuses_pickles_and_names_the_file(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, **{"layers.0.neurons.0.w.0": np.array([object()], dtype=object)})
    model = MLP(1, [1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="evil.npz.*pickled objects"):
        model.load(path)
    assert [p.data for p in model.parameters()] == before


def test_load_mismatch_changes_nothing(tmp_path):
    path = tmp_path / "m.npz"
    MLP(2, [3, 1], seed=0).save(path)
    wrong = MLP(2, [4, 1], seed=1)
    before = [p.data for p in wrong.parameters()]
    with pytest.raises(KeyError, match="layers.0.neurons.3"):
        wrong.load(path)
    assert [p.data for p in wrong.parameters()] == before
    state = MLP(2, [3, 1], seed=0).state_dict()
    state["layers.1.neurons.0.b"] = np.zeros(2)
    target = MLP(2, [3, 1], seed=1)
    before = [p.data for p in target.parameters()]
    with pytest.raises(ValueError, match=r"layers.1.neurons.0.b"):
        target.load_state_dict(state)
    assert [p.data for p in target.parameters()] == before


def test_slide_named_state_dict_round_trip(tmp_path):
    from autograd_nn.lecture import xor_network

    net = xor_network()
    assert list(net.state_dict())[:2] == ["w_DA", "w_DB"]
    path = tmp_path / "xor.npz"
    net.save(path)
    other = xor_network()
    for p in other.parameters():
        p.data = 0.0
    other.load(path)
    assert [p.data for p in other.parameters()] == [p.data for p in net.parameters()]


def test_zero_grad_and_module_base():
    model = MLP(2, [2, 1], seed=0)
    model([1.0, 1.0])[0].backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert isinstance(model, Module) and "MLP(nin=2, sizes=[2, 1]" in repr(model)


def test_to_tensor_delegates_to_convert():
    convert = pytest.importorskip("autograd_nn.nn.convert")
    if not hasattr(convert, "mlp_to_tensor"):
        pytest.skip("autograd_nn.nn.convert.mlp_to_tensor not written yet")
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    back = MLP.from_tensor(model.to_tensor())
    expected = [p.data for p in model.parameters()]
    assert [p.data for p in back.parameters()] == pytest.approx(expected, abs=1e-15)


def test_mlp_wraps_plain_inputs_as_labelled_leaves():
    model = MLP(2, [2, 1], seed=0)
    y = model([1.0, 0.0])[0]
    s_hidden = y.parents[0].parents[2].parents[0]  # s_G's parents: 2 weights, then h_1
    leaves = [p for p in s_hidden.parents if p.label in ("x1", "x2")]
    assert [v.label for v in leaves] == ["x1", "x2"] and [v.data for v in leaves] == [1.0, 0.0]
    given = [Value(0.5, label="a"), Value(0.25)]
    model(given)[0].backward()
    assert given[0].grad != 0.0  # Values passed in are used as they are
