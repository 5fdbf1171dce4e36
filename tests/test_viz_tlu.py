"""The first half of the lecture drawn: a TLU, networks of TLUs, a linear model, read from DOT and SVG.

DOT tests read the pinned positions (points, y up) and the weight labels (nodes ``<edge>_label``);
SVG tests check what a reader sees (``svg_geometry``): no text on another text or a node, every
weight label nearer its own arrow than any other.
"""

from __future__ import annotations

import re

import pytest
from svg_geometry import distance, edge_curves, overlapping_texts, parse, texts

import viz
from autograd_nn import Value
from autograd_nn.graph import topological_order
from autograd_nn.lecture import (
    BICONDITIONAL_NAMES,
    XOR_NAMES,
    biconditional_network,
    conjunction_tlu,
    implication_tlu,
    three_input_tlu,
    xor_network,
)
from autograd_nn.nn import MLP, TLU, Layer, Neuron, TLUNetwork

NODE = re.compile(r'^\t+(\S+) \[(.*)\]$', re.M)
EDGE = re.compile(r"^\t+(\S+) -> (\S+) \[(.*)\]$", re.M)


def nodes(source) -> dict[str, str]:
    """{node id: its attribute text}."""
    return {m.group(1): m.group(2) for m in NODE.finditer(source) if "->" not in m.group(0)}


def arrows(source) -> dict[str, tuple[str, str]]:
    """{edge id: (tail, head)}."""
    return {re.search(r"\bid=(\S+?)[\s\]]", a + "]").group(1): (t, h) for t, h, a in EDGE.findall(source)}


def pos(source, nid) -> tuple[float, float]:
    m = re.search(r'pos="(-?[\d.]+),(-?[\d.]+)!"', nodes(source)[nid])
    return float(m.group(1)), float(m.group(2))


def weight_labels(source) -> dict[str, str]:
    """{edge id: the text of its weight label}."""
    return {
        nid.removesuffix("_label"): re.match(r"label=<(.*?)> ", attrs).group(1)
        for nid, attrs in nodes(source).items()
        if nid.endswith("_label")
    }


def check_readable(diagram, where: str) -> int:
    """No text on another text or a node; each weight label nearest its own arrow. Returns the labels."""
    root = parse(diagram.pipe(format="svg"))
    assert overlapping_texts(root) == [], where
    curves = edge_curves(root)
    labels = [t for t in texts(root) if "edge-label" in t.classes]
    for t in labels:
        edge = t.owner.removesuffix("_label")
        own = distance(t.box.centre, curves[edge])
        nearest = min(distance(t.box.centre, c) for k, c in curves.items() if k != edge)
        assert own < nearest, (where, t.text, own, nearest)
    return len(labels)


# -- draw_tlu ---------------------------------------------------------------------------------------


def test_tlu_picture_has_inputs_weights_on_arrows_sum_threshold_and_output():
    dot = viz.draw_tlu(conjunction_tlu())
    source = dot.source
    assert arrows(source) == {
        "w1": ("x1", "sum"), "w2": ("x2", "sum"), "s": ("sum", "threshold"), "out_y": ("threshold", "y"),
    }
    assert weight_labels(source) == {"w1": "3", "w2": "2"}  # the lecture's 3 x1 + 2 x2 >= 4
    assert "Σ" in nodes(source)["sum"] and "≥ θ" in nodes(source)["threshold"]
    assert "θ = 4" in nodes(source)["threshold"]
    (x1, y1), (x2, y2) = pos(source, "x1"), pos(source, "x2")
    assert x1 == x2 and y1 > y2  # x1 above x2
    assert x1 < pos(source, "sum")[0] < pos(source, "threshold")[0] < pos(source, "y")[0]
    assert dot.graph_attr["label"] == "<y = 1 if 3 x1 + 2 x2 ≥ 4, else 0>"
    assert dot.engine == "neato"


def test_tlu_picture_writes_negative_weights_in_red_and_takes_input_names():
    source = viz.draw_tlu(implication_tlu(), input_names=["rain", "wet"]).source
    assert weight_labels(source) == {"w1": "2", "w2": "-2"}
    assert 'fontcolor="#b85450"' in nodes(source)["w2_label"] and "#b85450" not in nodes(source)["w1_label"]
    assert "<B>rain</B>" in nodes(source)["x1"] and "x1" in nodes(source)["x1"]
    assert "2 rain - 2 wet ≥ -1" in source
    source = viz.draw_tlu(TLU([0.125, 2.0], 1.5), decimals=2).source
    assert weight_labels(source) == {"w1": "0.12", "w2": "2"} and "θ = 1.5" in source


def test_tlu_picture_top_to_bottom():
    source = viz.draw_tlu(three_input_tlu(), rankdir="TB").source
    xs = [pos(source, f"x{k}") for k in (1, 2, 3)]
    assert xs[0][0] < xs[1][0] < xs[2][0] and xs[0][1] == xs[1][1] == xs[2][1]  # x1 left, one row
    assert xs[0][1] > pos(source, "sum")[1] > pos(source, "threshold")[1] > pos(source, "y")[1]
    assert "rankdir=TB" in source


def test_tlu_bad_input_is_named():
    with pytest.raises(TypeError, match="draw_tlu: expected an autograd_nn.nn.TLU, got str"):
        viz.draw_tlu("unit")
    with pytest.raises(TypeError, match="got MLP"):
        viz.draw_tlu(xor_network())
    with pytest.raises(TypeError, match="TLUNetwork.*draw_network"):
        viz.draw_tlu(biconditional_network())
    with pytest.raises(ValueError, match="3 input_names for 2 inputs"):
        viz.draw_tlu(conjunction_tlu(), input_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"rankdir must be one of \('LR', 'TB'\), got 'BT'"):
        viz.draw_tlu(conjunction_tlu(), rankdir="BT")
    with pytest.raises(ValueError, match="fit must be one of"):
        viz.draw_tlu(conjunction_tlu(), fit="poster")


# -- draw_network of TLUs ---------------------------------------------------------------------------


def test_biconditional_network_shows_each_units_threshold_and_weights():
    net = biconditional_network()
    source = viz.draw_network(net, names=BICONDITIONAL_NAMES).source
    units = {"layers.0.0": "y1", "layers.0.1": "y2", "layers.1.0": "y"}
    found = nodes(source)
    for (path, name), unit in zip(units.items(), [*net.layers[0], *net.layers[1]]):
        assert f"<B>{name}</B>" in found[name] and f"θ = {unit.threshold.data:g}" in found[name], path
    edges, labels = arrows(source), weight_labels(source)
    wiring = [("y1", ("x1", "x2")), ("y2", ("x1", "x2")), ("y", ("y1", "y2"))]
    for unit, (name, sources) in zip([*net.layers[0], *net.layers[1]], wiring):
        for k, (w, tail) in enumerate(zip(unit.w, sources)):
            eid = f"{name}_w{k}"
            assert edges[eid] == (tail, name) and labels[eid] == f"{w.data:g}"
    assert not any(nid.startswith("bias") for nid in found)  # thresholds, not bias units
    assert pos(source, "y1")[1] > pos(source, "y2")[1] and pos(source, "y1")[0] < pos(source, "y")[0]
    names = {**BICONDITIONAL_NAMES, "layers.1.0.w.0": "v1"}
    named = viz.draw_network(net, names=names, weights="name").source
    assert weight_labels(named)["v1"] == "v1" and weight_labels(named)["y_w1"] == "y.w1"


def test_a_single_tlu_and_default_names_and_bad_tlu_networks():
    source = viz.draw_network(conjunction_tlu()).source
    assert arrows(source)["TLU_w0"] == ("x1", "TLU") and "θ = 4" in nodes(source)["TLU"]
    assert "<B>L1.0</B>" in viz.draw_network(biconditional_network()).source
    with pytest.raises(ValueError, match="TLU 0 of layer 1 has 3 weights but its layer receives 2"):
        viz.draw_network(TLUNetwork([[TLU([1, 1], 1), TLU([1, 1], 1)], [TLU([1, 1, 1], 1)]]))
    with pytest.raises(ValueError, match="empty layer"):
        viz.draw_network(TLUNetwork([[TLU([1, 1], 1)], []]))
    with pytest.raises(ValueError, match="layers.9.0"):
        viz.draw_network(biconditional_network(), names={"layers.9.0": "z"})


# -- a linear model ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [Neuron(3, "linear", seed=0), Layer(3, 2, "linear", seed=0), MLP(2, [3, 1], activation="linear", seed=0)],
    ids=["neuron", "layer", "mlp"],
)
def test_a_linear_model_reads_as_one(model):
    dot = viz.draw_network(model)
    units = [attrs for nid, attrs in nodes(dot.source).items() if "#dae8fc" in attrs]
    assert units and all(">linear<" in attrs for attrs in units)
    assert "linear model" in dot.graph_attr["label"] and "no activation" in dot.graph_attr["label"]
    weights = [p for p in model.parameters()]
    assert sorted(map(float, weight_labels(dot.source).values())) == sorted(round(p.data, 2) for p in weights)


def test_a_nonlinear_model_has_no_linear_caption():
    assert "label" not in viz.draw_network(xor_network()).graph_attr
    assert "linear model" not in viz.draw_network(MLP(2, [3, 1], output_activation="linear", seed=0)).source


# -- rankdir, fit, bad input ------------------------------------------------------------------------


def test_network_top_to_bottom_puts_layers_in_rows():
    source = viz.draw_network(xor_network(), names=XOR_NAMES, rankdir="TB").source
    (x1, r1), (x2, r2) = pos(source, "x1"), pos(source, "x2")
    (d, rd), (e, re_), (_, rg) = pos(source, "D"), pos(source, "E"), pos(source, "G")
    assert r1 == r2 > rd == re_ > rg  # inputs on top, then D and E, then G
    assert x1 < x2 and d < e  # x1 left of x2, D left of E
    assert pos(source, "bias1")[1] == r1 and pos(source, "bias1")[0] > x2  # the bias unit ends the row
    assert "rankdir=TB" in source


def test_network_fit_scales_to_the_page():
    assert viz.draw_network(xor_network(), fit="slide").graph_attr["size"] == "13.33,7.5!"
    assert viz.draw_network(biconditional_network(), fit=(6, 4)).graph_attr["size"] == "6,4!"


def test_network_bad_input_is_named():
    with pytest.raises(TypeError, match="got float"):
        viz.draw_network(3.0)
    with pytest.raises(TypeError, match="draw_graph"):
        viz.draw_network(Value(1.0))
    with pytest.raises(ValueError, match=r"rankdir must be one of \('LR', 'TB'\)"):
        viz.draw_network(xor_network(), rankdir="RL")
    with pytest.raises(ValueError, match="fit must be one of"):
        viz.draw_network(conjunction_tlu(), fit=(0, 3))
    with pytest.raises(ValueError, match="3 input_names for 2 inputs"):
        viz.draw_network(biconditional_network(), input_names=["a", "b", "c"])


# -- a TLU's computation graph keeps its inputs -----------------------------------------------------


def test_a_tlu_called_on_floats_has_its_inputs_in_the_graph():
    unit = conjunction_tlu()
    y = unit([1.0, 0.0])
    s = y.parents[0].parents[0]  # step(s - θ)
    assert s.op == "wsum" and len(s.parents) == 4  # two weights and two inputs
    params = {id(p) for p in unit.parameters()}
    inputs = [n for n in topological_order(y) if not n.parents and id(n) not in params]
    assert sorted(x.data for x in inputs) == [0.0, 1.0]
    y.backward()
    assert all(x.grad == 0.0 for x in inputs)  # the step's derivative is 0
    source = viz.draw_graph(y).source
    wsum = next(t for t, h in arrows(source).values() if h.endswith("__op") and t.startswith("wsum"))
    assert sum(h == f"{wsum}__op" for _, h in arrows(source).values()) == 4


def test_a_tlu_network_reads_each_input_once():
    y = biconditional_network()([1, 0])[0]
    first = [n for n in topological_order(y) if n.op == "wsum" and not any(p.parents for p in n.parents)]
    assert len(first) == 2 and all(len(s.parents) == 4 for s in first)  # two weights, two inputs each
    # both first-layer units read the same two input nodes, besides their own two weights each
    assert len({id(p) for s in first for p in s.parents}) == 2 + 2 + 2
    with pytest.raises(TypeError, match="TLUNetwork takes a sequence"):
        biconditional_network()(1.0)


# -- what a reader sees: the rendered SVG -----------------------------------------------------------


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_labels_are_readable_and_on_their_arrows(needs_dot, rankdir):
    drawings = {
        "xor": viz.draw_network(xor_network(), names=XOR_NAMES, rankdir=rankdir),
        "3-4-2": viz.draw_network(MLP(3, [4, 2], seed=0), rankdir=rankdir),
        "bicond": viz.draw_network(biconditional_network(), names=BICONDITIONAL_NAMES, rankdir=rankdir),
        "tlu": viz.draw_tlu(three_input_tlu(), rankdir=rankdir),
    }
    counts = {name: check_readable(d, f"{name} {rankdir}") for name, d in drawings.items()}
    assert counts == {"xor": 9, "3-4-2": 3 * 4 + 4 + 4 * 2 + 2, "bicond": 6, "tlu": 3}


def test_weight_labels_in_the_svg_are_the_weights(needs_dot):
    net = xor_network()
    root = parse(viz.draw_network(net, names=XOR_NAMES).pipe(format="svg"))
    shown = {t.owner.removesuffix("_label"): t.text for t in texts(root) if "edge-label" in t.classes}
    names = {key: XOR_NAMES[key] for key, _ in net.named_parameters()}
    assert shown == {names[key]: f"{p.data:.2f}" for key, p in net.named_parameters()}
