"""Scalar neural networks: TLU, Neuron, Layer, MLP (structure, names, gradients, save/load, imports)."""

from __future__ import annotations

import ast
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd_nn import Value, gradcheck, no_grad
from autograd_nn.graph import topological_order
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
    n = Neuron(3, "tanh", weights=[0.5, -1.0, 2.0], bias=0.25)
    x = [Value(1.0), 2.0, Value(-0.5)]
    y = n(x)
    s = y.parents[0]
    assert y.op == "tanh" and s.op == "wsum"
    # Parents: the weights, then the inputs that are Values (h2 is a plain number: no edge), bias.
    assert s.parents == (n.w[0], n.w[1], n.w[2], x[0], x[2], n.b)
    assert s.local == (1.0, 2.0, -0.5, 0.5, 2.0, 1.0)
    assert s.data == pytest.approx(0.5 * 1 - 1.0 * 2 + 2.0 * -0.5 + 0.25)
    assert y.data == pytest.approx(math.tanh(s.data))


@pytest.mark.parametrize("expanded", [False, True])
def test_nn_labels_nothing_and_keeps_no_group(expanded):
    # Names for people are data for the diagrams (viz.naming), not slots the engine fills.
    model = MLP(2, [2, 1], activation="tanh", seed=0, expanded=expanded)
    y = model([1.0, Value(2.0)])[0]
    nodes = topological_order(y)
    assert len(nodes) > len(model.parameters())
    assert all(n.label == "" for n in nodes)
    assert not any(hasattr(n, "group") for n in nodes)
    assert all(p.label == "" for p in TLU([1, 2], 1).parameters())


def test_no_label_only_parameters():
    with pytest.raises(TypeError, match="name"):
        Neuron(2, name="D")
    with pytest.raises(TypeError, match="param_labels"):
        Neuron(2, param_labels=["a", "b", "c"])
    with pytest.raises(TypeError, match="output_symbol"):
        Neuron(2, output_symbol="h")
    with pytest.raises(TypeError, match="name"):
        Layer(2, 2, name="L0")
    with pytest.raises(TypeError, match="name"):
        TLU([1, 1], 1, name="and")
    spec = [[([1.0, 2.0], 0.5)]]
    for keyword in ("names", "input_names", "bias_names"):
        with pytest.raises(TypeError, match=keyword):
            MLP.from_weights(spec, **{keyword: [["D"]]})


@pytest.mark.parametrize("activation", SMOOTH + ["step"])
def test_expanded_neuron_matches_weighted_sum(activation):
    kw = dict(weights=[0.3, -0.7, 1.1], bias=-0.2)
    compact, expanded = Neuron(3, activation, **kw), Neuron(3, activation, expanded=True, **kw)
    x = [0.9, -0.4, 0.35]
    yc, ye = compact(x), expanded(x)
    assert yc.data == pytest.approx(ye.data, abs=1e-15)
    yc.backward()
    ye.backward()
    for pc, pe in zip(compact.parameters(), expanded.parameters()):
        assert pc.grad == pytest.approx(pe.grad, abs=1e-15)
    # Expanded: one node per * and per +.
    ops = [v.op for v in topological_order(ye) if v.op]
    assert ops.count("*") == 3 and ops.count("+") == 3 and "wsum" not in ops


def test_neuron_seeded_init_and_bounds():
    a, b, c = Neuron(16, seed=3), Neuron(16, seed=3), Neuron(16, seed=4)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]
    assert all(abs(p.data) <= 1 / math.sqrt(16) for p in a.parameters())
    rng = np.random.default_rng(0)
    assert Neuron(2, rng=rng).w[0].data != Neuron(2, rng=rng).w[0].data  # the rng advances


def test_neuron_bad_input():
    with pytest.raises(ValueError, match=r"^Neuron expects 2 inputs, received 3$"):
        Neuron(2)([1, 2, 3])
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


def test_mlp_named_parameters_are_attribute_paths():
    model = MLP(3, [2, 2, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert len(names) == (3 + 1) * 2 + (2 + 1) * 2 + (2 + 1) * 1
    assert names[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.w.2",
                         "layers.0.neurons.0.b"]
    assert "layers.1.neurons.0.w.1" in names and names[-1] == "layers.2.neurons.0.b"
    params = dict(model.named_parameters())
    assert params["layers.1.neurons.0.w.1"] is model.layers[1].neurons[0].w[1]
    assert params["layers.2.neurons.0.b"] is model.layers[2].neurons[0].b
    assert [n for n, _ in model.named_parameters(prefix="net")][0] == "net.layers.0.neurons.0.w.0"


def test_parameter_names_and_checkpoint_keys_do_not_depend_on_labels(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    names, keys = [n for n, _ in model.named_parameters()], list(model.state_dict())
    for k, p in enumerate(model.parameters()):
        p.label = f"w_slide{k}"              # e.g. named for a slide
    model.layers[0].neurons[0].b.label = "layers.0.neurons.0.w.0"   # even a misleading label
    assert [n for n, _ in model.named_parameters()] == names
    assert list(model.state_dict()) == keys == names
    # A checkpoint written by a labelled model loads into an unlabelled one, and back.
    model.save(tmp_path / "m.npz")
    other = MLP(2, [2, 1], seed=1)
    other.load(tmp_path / "m.npz")
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    other.save(tmp_path / "back.npz")
    model.load(tmp_path / "back.npz")


def test_named_modules_walks_attributes_and_lists_in_order():
    model = MLP(2, [2, 1], seed=0)
    named = list(model.named_modules())
    assert [n for n, _ in named] == [
        "", "layers.0", "layers.0.neurons.0", "layers.0.neurons.1", "layers.1", "layers.1.neurons.0"]
    assert named[0][1] is model and named[3][1] is model.layers[0].neurons[1]
    assert [type(m).__name__ for _, m in named] == ["MLP", "Layer", "Neuron", "Neuron", "Layer", "Neuron"]
    # A module's path is the prefix of its parameters' names.
    params = [n for n, _ in model.named_parameters()]
    for path, m in named[1:]:
        own = [n for n in params if n.startswith(path + ".")]
        assert len(own) == len(m.parameters())
    # A module reached twice is yielded once, under its first path; a prefix goes in front.
    shared = Neuron(2, seed=0)
    layer = Layer(2, 2, neurons=[shared, shared])
    assert [n for n, _ in layer.named_modules("head")] == ["head", "head.neurons.0"]
    net = TLUNetwork([[TLU([1, 1], 1)], [TLU([1], 1)]])
    assert [n for n, _ in net.named_modules()] == ["", "layers.0.0", "layers.1.0"]


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
    with pytest.raises(ValueError, match=r"^MLP: layers.0 expects 3 inputs, received 2$"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^Layer expects 2 inputs, received 3$"):
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


def test_from_weights_bad_input():
    with pytest.raises(ValueError, match="layer 1 neuron 0 has 3 weights, expected 2"):
        MLP.from_weights([[([1, 2], 0), ([1, 2], 0)], [([1, 2, 3], 0)]])
    with pytest.raises(ValueError, match=r"\(weights, bias\) pair"):
        MLP.from_weights([[[1, 2, 3]]])
    with pytest.raises(ValueError, match="2 activations for 1 layers"):
        MLP.from_weights([[([1], 0)]], activation=["tanh", "relu"])
    with pytest.raises(ValueError, match="valid activations"):
        MLP.from_weights([[([1], 0)]], activation="swish")


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


def test_lecture_network_state_dict_round_trip(tmp_path):
    from autograd_nn.lecture import XOR_NAMES, xor_network

    net = xor_network()
    keys = list(net.state_dict())
    assert keys[:2] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1"]
    assert [XOR_NAMES[k] for k in keys[:3]] == ["w_DA", "w_DB", "w_DC"]   # the slides' names are data
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


def test_to_tensor_and_from_tensor_round_trip():
    from autograd_nn.nn import convert

    model = MLP(2, [3, 1], activation="tanh", seed=0)
    back = MLP.from_tensor(model.to_tensor())
    expected = [p.data for p in model.parameters()]
    assert [p.data for p in back.parameters()] == pytest.approx(expected, abs=1e-15)
    again = convert.tensor_to_mlp(convert.mlp_to_tensor(model))
    assert [p.data for p in again.parameters()] == pytest.approx(expected, abs=1e-15)


def test_mlp_wraps_plain_inputs_as_unlabelled_leaves():
    model = MLP(2, [2, 1], seed=0)
    y = model([1.0, 0.0])[0]
    s_hidden = y.parents[0].parents[2].parents[0]  # s_G's parents: 2 weights, then h_1; h_1's sum
    leaves = s_hidden.parents[2:4]  # after the 2 weights: the inputs
    assert [v.data for v in leaves] == [1.0, 0.0] and all(not v.parents and v.label == "" for v in leaves)
    given = [Value(0.5, label="a"), Value(0.25)]
    model(given)[0].backward()
    assert given[0].grad != 0.0 and given[0].label == "a"  # Values passed in are used as they are


# -- imports ------------------------------------------------------------------------------------


ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autograd_nn"


def _modules(package: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _imported(module: str, package: bool, node, modules) -> list[str]:
    """The modules of this package an import statement of ``module`` loads (a submodule, else the package)."""
    root = module.split(".")[0]
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == root]
    here = module.split(".") if package else module.split(".")[:-1]
    base = here[: len(here) - node.level + 1] if node.level else []
    target = ".".join(base + node.module.split(".") if node.module else base)
    if target.split(".")[0] != root:
        return []
    return [f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target for a in node.names]


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _imports_of(module: str, path: Path, package: bool, modules) -> tuple[set[str], list[str]]:
    """(modules imported at module level, ``file:line`` of imports inside a function or class)."""
    top: set[str] = set()
    hidden: list[str] = []
    stack = [(ast.parse(path.read_text(encoding="utf-8")), False)]
    while stack:
        node, nested = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                targets = [t for t in _imported(module, package, child, modules) if t in modules]
                if targets and nested:
                    hidden.append(f"{path.relative_to(ROOT)}:{child.lineno} imports {targets}")
                top.update(targets)
            stack.append((child, nested or isinstance(child, _SCOPES)))
    return top, hidden


@pytest.mark.parametrize("name", ["autograd_nn", "viz"])
def test_imports_go_one_way(name):
    """No import of a module of the package hides in a function, and the module imports form no cycle.

    viz's ``__init__`` is the one exception: it imports its diagram modules on first use, so that
    ``import viz`` needs neither graphviz nor matplotlib.
    """
    modules = _modules(ROOT / name)
    edges: dict[str, set[str]] = {}
    hidden: list[str] = []
    for module, (path, package) in modules.items():
        edges[module], inside = _imports_of(module, path, package, modules)
        hidden += [] if module == "viz" else inside
    assert not hidden, "imports inside functions (a hidden cycle?): " + "; ".join(hidden)
    if name == "autograd_nn":
        assert "autograd_nn.nn.scalar" in edges["autograd_nn.nn.convert"]
    state: dict[str, int] = {}

    def cycle_from(m, stack):
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                return stack[stack.index(t):] + [t]
            if t not in state and (found := cycle_from(t, stack)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(modules):
        # a submodule importing names its package defines (viz's error classes) is no cycle
        edges[m].discard(name)
        if m not in state:
            assert (found := cycle_from(m, [])) is None, "import cycle: " + " -> ".join(found)


@pytest.mark.parametrize("first", ["autograd_nn.nn.convert", "autograd_nn.nn.scalar", "autograd_nn.lecture"])
def test_each_module_imports_first_in_a_fresh_interpreter(first):
    code = f"import {first}; from autograd_nn.nn import MLP; MLP.from_tensor(MLP(1, [1], seed=0).to_tensor())"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
