"""The lecture's examples: TLU truth tables, the worked example's every number, the delta rule,
the slides' rounded figures and their erratum, and XOR training."""

from __future__ import annotations

import math

import pytest

from autograd_nn import Value, data, gradcheck, lecture
from autograd_nn.nn import MLP

# -- TLUs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, table",
    [
        (lecture.conjunction_tlu, data.AND),
        (lecture.implication_tlu, data.IMPLIES),
        (lecture.three_input_tlu, data.THREE_INPUT),
    ],
)
def test_tlu_truth_tables(make, table):
    unit = make()
    assert [unit(list(x)).data for x in table.inputs] == list(table.targets)


def test_tlu_weights_are_the_slides():
    conj, imp, three = lecture.conjunction_tlu(), lecture.implication_tlu(), lecture.three_input_tlu()
    assert [w.data for w in conj.w] == [3.0, 2.0] and conj.threshold.data == 4.0
    assert [w.data for w in imp.w] == [2.0, -2.0] and imp.threshold.data == -1.0
    assert [w.data for w in three.w] == [2.0, -2.0, 2.0] and three.threshold.data == 1.0
    # The slides' column: 3x1 + 2x2 = 0, 3, 2, 5 and 2x1 - 2x2 = 0, 2, -2, 0.
    assert [Value.dot(conj.w, list(x)).data for x in data.AND.inputs] == [0.0, 3.0, 2.0, 5.0]
    assert [Value.dot(imp.w, list(x)).data for x in data.AND.inputs] == [0.0, 2.0, -2.0, 0.0]


def test_biconditional_network():
    net = lecture.biconditional_network()
    assert [net(list(x))[0].data for x in data.BICONDITIONAL.inputs] == list(data.BICONDITIONAL.targets)
    y1, y2 = net.layers[0]
    for x in data.AND.inputs:
        x1, x2 = x
        assert y1(list(x)).data == float((not x1) or x2)  # x1 -> x2
        assert y2(list(x)).data == float((not x2) or x1)  # x2 -> x1


def test_no_single_tlu_computes_the_biconditional():
    # A coarse search over integer weights: none separates x1 <-> x2 (it is not linearly separable).
    from autograd_nn.nn import TLU

    rng = range(-3, 4)
    for w1 in rng:
        for w2 in rng:
            for theta in [t / 2 for t in range(-7, 8)]:
                unit = TLU([w1, w2], theta)
                outs = [unit(list(x)).data for x in data.BICONDITIONAL.inputs]
                assert outs != list(data.BICONDITIONAL.targets)


# -- the worked example ------------------------------------------------------------------------


def sig(s):
    return 1.0 / (1.0 + math.exp(-s))


# Independent full-precision numbers of the slides' example (input (1, 0), target 1, mu = 10).
HD, HE = sig(3.7 - 1.5), sig(2.9 - 4.5)
SG = 4.5 * HD - 5.2 * HE - 2.0
Y = sig(SG)
DELTA_G = (1 - Y) * Y * (1 - Y)
DELTA_D = 4.5 * DELTA_G * HD * (1 - HD)
DELTA_E = -5.2 * DELTA_G * HE * (1 - HE)
EXACT_UPDATES = {
    "w_DA": 10 * DELTA_D, "w_DB": 0.0, "w_DC": 10 * DELTA_D,
    "w_EA": 10 * DELTA_E, "w_EB": 0.0, "w_EC": 10 * DELTA_E,
    "w_GD": 10 * DELTA_G * HD, "w_GE": 10 * DELTA_G * HE, "w_GF": 10 * DELTA_G,
}


def test_xor_network_contract():
    net = lecture.xor_network()
    assert type(net) is MLP
    names = lecture.XOR_NAMES
    assert [names[n] for n, _ in net.named_parameters()] == list(EXACT_UPDATES)
    values = {names[n]: p for n, p in net.named_parameters()}
    assert {k: v.data for k, v in values.items()} == {
        "w_DA": 3.7, "w_DB": 3.7, "w_DC": -1.5, "w_EA": 2.9, "w_EB": 2.9, "w_EC": -4.5,
        "w_GD": 4.5, "w_GE": -5.2, "w_GF": -2.0}
    assert all(p.label == "" for p in values.values())  # a plain model: names are data
    assert [names[n] for n, m in net.named_modules() if type(m).__name__ == "Neuron"] == ["D", "E", "G"]
    assert all(n.activation == "sigmoid" for layer in net.layers for n in layer.neurons)


def test_the_slides_names_are_data_keyed_by_structural_name():
    names = lecture.XOR_NAMES
    assert {k: v for k, v in names.items() if "neurons.0." not in k and "neurons.1." not in k} == {
        "inputs.0": "x1", "inputs.1": "x2",
        "layers.0.neurons.0": "D", "layers.0.neurons.1": "E", "layers.1.neurons.0": "G"}
    # Every key names a module, parameter or input of the network, and every parameter has a name.
    net = lecture.xor_network()
    structural = {n for n, _ in net.named_modules()} | {n for n, _ in net.named_parameters()}
    assert set(names) - structural == {"inputs.0", "inputs.1"}
    assert {n for n, _ in net.named_parameters()} <= set(names)
    assert lecture.slide_names([["H"]], ["P", "Q", "R"], ["Z"]) == {
        "inputs.0": "x1", "inputs.1": "x2", "inputs.2": "x3", "layers.0.neurons.0": "H",
        "layers.0.neurons.0.w.0": "w_HP", "layers.0.neurons.0.w.1": "w_HQ", "layers.0.neurons.0.w.2": "w_HR",
        "layers.0.neurons.0.b": "w_HZ"}
    with pytest.raises(ValueError, match="1 bias units for 2 layers"):
        lecture.slide_names([["D"], ["G"]], ["A"], ["C"])
    net2 = lecture.biconditional_network()
    assert set(lecture.BICONDITIONAL_NAMES) <= {n for n, _ in net2.named_modules()}
    assert all(p.label == "" for p in net2.parameters())


def test_xor_network_computes_xor():
    outs = lecture.xor_outputs()
    assert [x for x, _ in outs] == list(data.XOR.inputs)
    assert [float(y > 0.5) for _, y in outs] == list(data.XOR.targets)


def test_worked_example_contract_and_forward():
    ex = lecture.worked_example()
    assert isinstance(ex, lecture.WorkedExample)
    assert [x.label for x in ex.inputs] == ["x1", "x2"] and [x.data for x in ex.inputs] == [1.0, 0.0]
    assert (ex.target, ex.learning_rate) == (1.0, 10.0)
    h_d, h_e = ex.hidden
    assert (h_d.label, h_e.label, ex.output.label, ex.error.label) == ("", "", "", "E")
    assert [h_d.op, h_e.op, ex.output.op] == ["sigmoid"] * 3
    assert [h_d.parents[0].op, h_e.parents[0].op, ex.output.parents[0].op] == ["wsum"] * 3
    assert ex.names == lecture.XOR_NAMES and ex.names is not lecture.XOR_NAMES
    assert list(ex.weights) == list(EXACT_UPDATES)
    assert ex.weights["w_GE"] is ex.model.layers[1].neurons[0].w[1]
    assert h_d.data == pytest.approx(HD, abs=1e-15) and round(h_d.data, 2) == 0.90
    assert h_e.data == pytest.approx(HE, abs=1e-15) and round(h_e.data, 2) == 0.17
    assert ex.output.data == pytest.approx(Y, abs=1e-15) and round(ex.output.data, 4) == 0.7645
    assert ex.error.data == pytest.approx(0.5 * (1 - Y) ** 2, abs=1e-15)
    # The error's graph reaches the inputs and every parameter.
    assert ex.inputs[0].grad != 0.0


def test_worked_example_deltas_and_updates():
    ex = lecture.worked_example()
    deltas = ex.deltas()
    assert deltas["G"] == pytest.approx(DELTA_G, abs=1e-15)
    assert deltas["D"] == pytest.approx(DELTA_D, abs=1e-15)
    assert deltas["E"] == pytest.approx(DELTA_E, abs=1e-15)
    assert (round(deltas["G"], 4), round(deltas["D"], 4), round(deltas["E"], 4)) == (0.0424, 0.0171, -0.0308)
    updates = ex.updates()
    for name, expected in EXACT_UPDATES.items():
        assert updates[name] == pytest.approx(expected, abs=1e-14), name
    # Every gradient agrees with finite differences.
    params = ex.model.parameters()
    assert gradcheck(lambda *_: 0.5 * (1.0 - ex.model([1.0, 0.0])[0]) ** 2, params)


def test_worked_example_expanded_gives_same_numbers():
    a, b = lecture.worked_example(), lecture.worked_example(expanded=True)
    assert a.output.data == b.output.data
    assert a.updates() == pytest.approx(b.updates(), abs=1e-15)
    assert a.deltas() == pytest.approx(b.deltas(), abs=1e-15)


def test_slide_rounded_numbers():
    n = lecture.slide_numbers()
    assert (n.h_D, n.h_E, n.s_G, n.y, n.y_prime_G) == (0.90, 0.17, 1.17, 0.76, 0.181)
    assert (n.delta_G, n.dw_GD, n.dw_GE, n.dw_GF) == (0.0434, 0.391, 0.074, 0.434)
    assert (n.y_prime_D, n.delta_D, n.dw_DA, n.dw_DB, n.dw_DC) == (0.0898, 0.0175, 0.175, 0.0, 0.175)
    # The slide's figure for E, reproduced with its y'_E = .2055 ...
    assert (n.y_prime_E_slide, n.delta_E_slide, n.dw_EA_slide) == (0.2055, -0.0464, -0.464)
    # ... and corrected: with h_E = .168, y'_E = h_E (1 - h_E) = .1398.
    assert round(HE, 3) == 0.168 and round(HE * (1 - HE), 4) == 0.1398
    assert (n.y_prime_E, n.delta_E, n.dw_EA) == (0.1398, -0.0316, -0.316)


def test_delta_rule_equals_autograd():
    ex = lecture.worked_example()
    rule = lecture.delta_rule(ex.model, [1.0, 0.0], [1.0], learning_rate=10.0)
    assert rule.activations[1] == pytest.approx([HD, HE], abs=1e-15)
    assert rule.deltas[0] == pytest.approx([ex.deltas()["D"], ex.deltas()["E"]], abs=1e-12)
    assert rule.deltas[1] == pytest.approx([ex.deltas()["G"]], abs=1e-12)
    neurons = [n for layer in ex.model.layers for n in layer.neurons]
    flat = [u for layer in rule.updates for ws, b in layer for u in (*ws, b)]
    autograd = [-10.0 * p.grad for n in neurons for p in (*n.w, n.b)]
    assert flat == pytest.approx(autograd, abs=1e-12)
    # The weights-only form (all sigmoid) gives the same.
    w = lecture.XOR_WEIGHTS
    again = lecture.delta_rule([[w["D"], w["E"]], [w["G"]]], [1.0, 0.0], 1.0, 10.0)
    assert again.deltas == rule.deltas


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_delta_rule_equals_autograd_on_other_networks(activation):
    from autograd_nn import losses

    model = MLP(3, [4, 3, 2], activation=activation, seed=4)
    x, t = [0.3, -0.7, 1.1], [0.5, -0.25]
    rule = lecture.delta_rule(model, x, t, learning_rate=0.1)
    losses.l2(model(x), t).backward()
    flat = [u for layer in rule.updates for ws, b in layer for u in (*ws, b)]
    assert flat == pytest.approx([-0.1 * p.grad for p in model.parameters()], abs=1e-12)


def test_delta_table():
    net = lecture.xor_network()
    table = lecture.delta_table(net, [1.0, 0.0], 1.0, 10.0, lecture.XOR_NAMES)
    lines = table.splitlines()
    assert "mu = 10" in lines[0]
    rows = {line.split()[-3]: line.split() for line in lines[2:]}
    assert list(rows) == ["w_GD", "w_GE", "w_GF", "w_DA", "w_DB", "w_DC", "w_EA", "w_EB", "w_EC"]
    for name, row in rows.items():
        assert float(row[-1]) == pytest.approx(EXACT_UPDATES[name], abs=1e-6)
    assert float(rows["w_GD"][1]) == pytest.approx(DELTA_G, abs=1e-6)
    assert float(rows["w_EA"][1]) == pytest.approx(DELTA_E, abs=1e-6)
    assert [line.split()[0] for line in lines[2:] if not line.startswith(" ")] == ["G", "D", "E"]
    # No side effect on the parameters' gradients.
    assert all(p.grad == 0.0 for p in net.parameters())
    with pytest.raises(TypeError, match="takes an MLP"):
        lecture.delta_table(lecture.biconditional_network(), [1, 0], 1, 1)


def test_delta_table_any_network():
    model = MLP(2, [3, 2], activation="tanh", seed=1)
    table = lecture.delta_table(model, [0.5, -0.5], [1.0, 0.0], 0.5)
    assert table.count("\n") == 1 + 2 * 4 + 3 * 3
    assert "L1.N1.b" in table and "L0.N2.w1" in table  # no names: units by their position


def test_delta_table_several_output_units():
    """The slide "Multiple Output Nodes": E = Σ_j ½ (t_j − y_j)², Δw_{j←k} = μ (t_j − y_j) y'_j h_k;
    every Δw of the table is −μ dE/dw from the engine."""
    from autograd_nn import losses

    model = MLP(2, [2, 2], activation="sigmoid", seed=3)
    names = lecture.slide_names([["D", "E"], ["G", "H"]], ["A", "B"], ["C", "F"])
    x, t, mu = [1.0, 0.5], [1.0, 0.0], 2.0
    lines = lecture.delta_table(model, x, t, mu, names).splitlines()
    assert [line.split()[0] for line in lines[2:] if not line.startswith(" ")] == ["G", "H", "D", "E"]
    rows = {line.split()[-3]: line.split() for line in lines[2:]}
    assert all(p.grad == 0.0 for p in model.parameters())  # the table leaves no gradients behind

    y = model(x)
    error = losses.l2(y, t)
    error.backward()
    assert float(lines[0].split()[-1]) == pytest.approx(error.data, abs=1e-6)
    assert error.data == pytest.approx(sum(0.5 * (tj - yj.data) ** 2 for tj, yj in zip(t, y)))
    engine = {names[path]: p for path, p in model.named_parameters()}
    assert sorted(rows) == sorted(engine) and len(rows) == 12
    for name, p in engine.items():
        assert float(rows[name][-1]) == pytest.approx(-mu * p.grad, abs=1e-6), name
    # Each output unit j has its own δ_j = (t_j − y_j) y'_j, and the rule of the slide holds.
    h = [v.data for v in model.layers[0](x)] + [1.0]
    for j, unit in enumerate("GH"):
        yj = y[j].data
        delta = (t[j] - yj) * yj * (1 - yj)
        assert float(rows[f"w_{unit}D"][1]) == pytest.approx(delta, abs=1e-6)
        for k, source in enumerate("DEF"):
            assert -mu * engine[f"w_{unit}{source}"].grad == pytest.approx(mu * delta * h[k], abs=1e-12)

    grads = [p.grad for p in model.parameters()]
    with pytest.raises(ValueError, match="the model has 2 output units but 1 target was given"):
        lecture.delta_table(model, x, [1.0], mu)
    with pytest.raises(ValueError, match="the model has 2 output units but 3 targets were given"):
        lecture.delta_table(model, x, [1.0, 0.0, 1.0], mu)
    with pytest.raises(ValueError, match="the model has 2 inputs but 3 inputs were given"):
        lecture.delta_table(model, [1.0, 0.5, 0.0], t, mu)
    assert [p.grad for p in model.parameters()] == grads  # a refused call changes nothing


def test_train_xor_converges():
    model, history = lecture.train_xor()
    outs = [model(list(x))[0].data for x in data.XOR.inputs]
    assert all((y > 0.5) == bool(t) for y, t in zip(outs, data.XOR.targets)), outs
    assert history[0] > history[-1] and history[-1] < 0.01
    again, _ = lecture.train_xor()
    assert [p.data for p in again.parameters()] == [p.data for p in model.parameters()]
