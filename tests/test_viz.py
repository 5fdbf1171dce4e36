"""viz diagrams checked from the DOT source and the builders (no Graphviz binary needed)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import viz
from autograd_nn import Tensor, Value
from autograd_nn.graph import topological_order
from autograd_nn.lecture import XOR_NAMES, worked_example
from autograd_nn.nn import MLP
from autograd_nn.ops import UnknownOpError
from viz.naming import graph_naming

PARAMS = ["w_DA", "w_DB", "w_DC", "w_EA", "w_EB", "w_EC", "w_GD", "w_GE", "w_GF"]
NUMBER = r"-?\d+\.\d+(?:e[+-]\d+)?|nan|inf|-inf"


# -- helpers written independently of viz ---------------------------------------------------------


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def xor_error(p):
    """E of the lecture's worked example from plain numbers: the reference for finite differences."""
    x1, x2 = p["x1"], p["x2"]
    h_d = sigmoid(p["w_DA"] * x1 + p["w_DB"] * x2 + p["w_DC"])
    h_e = sigmoid(p["w_EA"] * x1 + p["w_EB"] * x2 + p["w_EC"])
    y = sigmoid(p["w_GD"] * h_d + p["w_GE"] * h_e + p["w_GF"])
    return 0.5 * (1.0 - y) ** 2


def finite_difference(name, eps=1e-6):
    ex = worked_example()
    base = {n: p.data for n, p in ex.weights.items()}
    base.update({x.label: x.data for x in ex.inputs})
    up, down = dict(base), dict(base)
    up[name] += eps
    down[name] -= eps
    return (xor_error(up) - xor_error(down)) / (2 * eps)


def lecture(ex):
    """The keywords that hand the lecture's model and names to a diagram."""
    return {"model": ex.model, "names": ex.names}


def labelled_example():
    """The worked example with its nodes labelled by the user (the weights with their slide names,
    every other unlabelled node ``n<k>``), so DOT ids are all known without a model."""
    ex = worked_example()
    for name, p in ex.weights.items():
        p.label = name
    for k, n in enumerate(topological_order(ex.error)):
        if not n.label or not n.label.isidentifier():  # ids derive from identifier-like labels
            n.label = f"n{k}"
    return ex


def leaves(ex):
    """The worked example's parameters and inputs by their slide names."""
    return {**ex.weights, "x1": ex.inputs[0], "x2": ex.inputs[1]}


def nodes_by_label(root):
    return {n.label: n for n in topological_order(root)}


def search_paths(node, leaf):
    """Every path from node down to leaf, by plain recursion (a different algorithm from viz's)."""
    if node is leaf:
        return [[]]
    found = []
    for i, parent in enumerate(node.parents):
        for rest in search_paths(parent, leaf):
            found.append([(node, i)] + rest)
    return found


EDGE = re.compile(r"^\t+(\S+) -> (\S+) \[(.*)\]$", re.M)


def dot_edges(source):
    """(tail, head, attribute text) of every edge in DOT text as the graphviz package writes it."""
    return EDGE.findall(source)


def attr(text, name):
    m = re.search(rf'(?<![\w-]){name}=("(?:[^"\\]|\\.)*"|<.*?>(?= \w+=|$)|\S+)', text)
    if not m:
        return None
    v = m.group(1)
    return v[1:-1] if v.startswith('"') else v


def edge_id(attrs):
    return attr(attrs, "id")


def edge_labels(source) -> dict[str, str]:
    """Each labelled edge's label: pinned diagrams draw it as a node ``<edge id>_label`` on the edge."""
    found = {}
    for m in re.finditer(r"^\s*(\S+) \[(.*)\]$", source, re.M):
        if "edge-label" in (attr(m.group(2), "class") or ""):
            found[m.group(1).removesuffix("_label")] = attr(m.group(2), "label")
    for _, _, attrs in dot_edges(source):
        if attr(attrs, "label") is not None:
            found[edge_id(attrs)] = attr(attrs, "label")
    return found


def last_number(label):
    return float(re.findall(NUMBER, label)[-1])


# -- draw_graph -----------------------------------------------------------------------------------


def test_same_network_gives_identical_dot_text():
    ex, again = worked_example(), worked_example()
    a = viz.draw_graph(ex.error, **lecture(ex)).source
    b = viz.draw_graph(again.error, **lecture(again)).source
    assert a == b
    assert "0x" not in a  # no id() anywhere


def test_dot_text_is_identical_across_processes():
    code = (
        "import viz; from autograd_nn.lecture import worked_example; ex = worked_example(); "
        "print(viz.draw_graph(ex.error, model=ex.model, names=ex.names).source)"
    )
    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.add(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
    assert len(outs) == 1


def test_node_and_cluster_ids_are_stable_names():
    ex = worked_example()
    source = viz.draw_graph(ex.error, **lecture(ex)).source
    for name in PARAMS + ["x1", "x2", "s_D", "h_D", "s_E", "h_E", "s_G", "y_G", "E"]:
        assert re.search(rf"^\t+{name} \[", source, re.M), name
    for cluster in ("cluster_D", "cluster_E", "cluster_G"):
        assert f"subgraph {cluster} {{" in source
    # the nodes a neuron computes sit in its cluster
    block_d = source.split("subgraph cluster_D {")[1].split("}")[0]
    for name in ("w_DA", "w_DB", "w_DC", "s_D", "h_D"):
        assert re.search(rf"^\t+{name} \[", block_d, re.M)
    assert "w_GD [" not in block_d


def test_every_edge_label_is_the_engines_local_derivative():
    ex = labelled_example()
    nodes = nodes_by_label(ex.error)
    dot = viz.draw_graph(ex.error, decimals=6)
    labels = edge_labels(dot.source)
    checked = 0
    for tail, head, attrs in dot_edges(dot.source):
        eid = edge_id(attrs)
        m = re.fullmatch(r"e_(.+)_(\d+)", eid)
        if m is None:
            assert eid.endswith("_out") and eid not in labels
            continue
        child, i = nodes[m.group(1)], int(m.group(2))
        assert tail == child.parents[i].label and head == f"{child.label}__op"
        assert last_number(labels[eid]) == pytest.approx(child.local[i], abs=5e-7)
        checked += 1
    assert checked == sum(len(n.parents) for n in topological_order(ex.error))


def test_edge_symbols_name_the_derivative_and_the_matching_input():
    ex = worked_example()
    source = viz.draw_graph(ex.error, **lecture(ex)).source
    assert "∂s_G/∂w_GD = h_D = 0.9002" in source
    assert "∂s_D/∂w_DA = x1 = 1.0000" in source
    assert "∂s_G/∂h_D = w_GD = 4.5000" in source
    assert "∂s_D/∂w_DC = 1.0000" in source  # the bias: no partner
    plain = viz.draw_graph(ex.error, symbols=False, **lecture(ex)).source
    assert "∂" not in plain


def test_value_nodes_show_name_data_grad_with_chosen_decimals():
    ex = worked_example()
    source = viz.draw_graph(ex.error, **lecture(ex)).source
    h_d = ex.hidden[0]
    assert f"<B>h_D</B></TD></TR><TR><TD>data {h_d.data:.4f}" in source and f"grad {h_d.grad:.4f}" in source
    two = viz.draw_graph(ex.error, decimals=2, **lecture(ex)).source
    assert f"data {h_d.data:.2f}<" in two and "data 0.9002" not in two
    with pytest.raises(ValueError, match="decimals"):
        viz.draw_graph(ex.error, decimals=-1)


def test_op_nodes_are_small_and_show_constants():
    x = Value(2.0, label="x")
    y = ((x * 0.999 + 1) ** 2).tanh().relu()
    z = (3.0 - y).sigmoid()
    source = viz.draw_graph(z).source
    for text in ("<× 0.999>", "<+ 1>", "<·**2>", "<tanh>", "<relu>", "<3 − ·>", "<σ>"):
        assert text in source, text
    assert len(re.findall(r"^\t+\S+__op \[", source, re.M)) == 7


def fill_of(source, node_id):
    m = re.search(rf"^\t+{node_id} \[label=<<TABLE[^>]*BGCOLOR=\"(#[0-9a-f]+)\"", source, re.M)
    return m.group(1)


def test_roles_have_distinct_colours():
    ex = worked_example()
    source = viz.draw_graph(ex.error, **lecture(ex)).source  # with model= the parameters are the model's
    colours = {name: fill_of(source, name) for name in ("x1", "w_DA", "h_D", "E")}
    assert len(set(colours.values())) == 4
    assert fill_of(source, "x2") == colours["x1"] and fill_of(source, "w_GF") == colours["w_DA"]
    # without a model: leaves labelled like weights (w_...) are parameters, or those given as params=
    lab = labelled_example()
    by_label = viz.draw_graph(lab.error).source
    assert fill_of(by_label, "w_DA") == colours["w_DA"] and fill_of(by_label, "x1") == colours["x1"]
    only_x1 = viz.draw_graph(lab.error, params=[lab.inputs[0]]).source
    assert fill_of(only_x1, "x1") == colours["w_DA"] and fill_of(only_x1, "w_DA") == colours["x1"]


def test_gradient_colour_mode_shows_sign_and_magnitude():
    ex = worked_example()
    source = viz.draw_graph(ex.error, color="grad", **lecture(ex)).source
    pos, neg, zero = fill_of(source, "w_EA"), fill_of(source, "w_DA"), fill_of(source, "w_DB")
    assert zero == "#ffffff" and pos != neg

    def rgb(c):
        return [int(c[k : k + 2], 16) for k in (1, 3, 5)]

    assert rgb(pos)[2] > rgb(pos)[0] and rgb(neg)[0] > rgb(neg)[2]  # blue positive, red negative
    assert sum(rgb(fill_of(source, "E"))) < sum(rgb(fill_of(source, "w_GE")))  # larger |grad| deeper
    with pytest.raises(ValueError, match="color"):
        viz.draw_graph(ex.error, color="rainbow", **lecture(ex))


def test_user_labels_are_escaped_in_html_labels():
    a = Value(1.0, label='a<b> & "c"')
    y = a * 2
    y.label = "y<1"
    source = viz.draw_graph(y).source
    assert "a&lt;b&gt; &amp; &quot;c&quot;" in source and "y&lt;1" in source
    assert "a<b>" not in source


def test_node_limit_and_collapsed_view():
    ex = worked_example()
    n = len(topological_order(ex.error))
    with pytest.raises(ValueError, match=rf"max_nodes={n}.*collapse=True"):
        viz.draw_graph(ex.error, max_nodes=5, **lecture(ex))
    viz.draw_graph(ex.error, max_nodes=n, **lecture(ex))
    collapsed = viz.draw_graph(ex.error, max_nodes=10, collapse=True, **lecture(ex)).source
    for cluster in ("cluster_D", "cluster_E", "cluster_G"):
        assert re.search(rf"^\t+{cluster} \[", collapsed, re.M)
    assert "subgraph cluster" not in collapsed  # clusters became nodes
    edges = {(t, h) for t, h, a in dot_edges(collapsed) if "invis" not in a}
    assert {("x1", "cluster_D"), ("x2", "cluster_E"), ("cluster_D", "cluster_G")} <= edges
    assert ("cluster_E", "cluster_G") in edges and len(edges) == 9
    assert re.search(r"^\t+E \[", collapsed, re.M)  # ungrouped nodes keep their full-view ids
    assert "<B>D</B> (5 nodes)" in collapsed and "out: h_D" in collapsed  # w_DA, w_DB, w_DC, s_D, h_D


def test_bad_input_names_what_was_passed():
    with pytest.raises(TypeError, match="got float"):
        viz.draw_graph(3.0)
    with pytest.raises(TypeError, match="got list"):
        viz.draw_graph([Value(1.0)])
    with pytest.raises(TypeError, match="MLP.*draw_network"):
        viz.draw_graph(worked_example().model)
    ex = worked_example()
    with pytest.raises(TypeError, match="names must be a dict"):
        viz.draw_graph(ex.error, model=ex.model, names=["D", "E", "G"])
    with pytest.raises(ValueError, match="pass the model too"):
        viz.draw_graph(ex.error, names=ex.names)
    with pytest.raises(TypeError, match="got str"):
        viz.draw_network("net")
    with pytest.raises(TypeError, match="draw_graph"):
        viz.draw_network(Value(1.0))
    with pytest.raises(TypeError, match="got int"):
        viz.backward_steps(5)


def test_tensor_graph_shows_op_shape_and_dtype():
    x = Tensor(np.ones((4, 3), dtype=np.float32), label="X")
    w = Tensor(np.ones((3, 2), dtype=np.float32), requires_grad=True, label="W")
    loss = (x @ w).relu().sum()
    loss.label = "loss"
    loss.backward()
    source = viz.draw_graph(loss).source
    assert "leaf (4, 3)" in source and "@ (4, 2)" in source and "float32" in source
    assert "data " not in source
    assert fill_of(source, "W") != fill_of(source, "X")  # W requires grad: a parameter
    paths = viz.draw_gradient_paths(loss, w).source
    assert paths.count('class="gradient-path') == 3


# -- draw_gradient_paths --------------------------------------------------------------------------


@pytest.mark.parametrize("name", PARAMS + ["x1", "x2"])
def test_highlighted_edges_are_exactly_the_paths(name):
    ex = labelled_example()
    nodes = nodes_by_label(ex.error)
    leaf = nodes[name]
    paths = search_paths(ex.error, leaf)
    expected = {f"e_{n.label}_{i}" for path in paths for n, i in path}
    dot = viz.draw_gradient_paths(ex.error, leaf)
    highlighted = {edge_id(a) for _, _, a in dot_edges(dot.source) if 'class="gradient-path' in a}
    assert highlighted == expected
    # same ids, edges and order as draw_graph: only attributes differ
    plain = viz.draw_graph(ex.error)
    assert [(t, h, edge_id(a)) for t, h, a in dot_edges(plain.source)] == [
        (t, h, edge_id(a)) for t, h, a in dot_edges(dot.source)
    ]
    assert re.findall(r"^\t+(\S+) \[", plain.source, re.M) == re.findall(r"^\t+(\S+) \[", dot.source, re.M)
    # every other edge into an op is greyed
    for _, _, a in dot_edges(dot.source):
        if edge_id(a) not in expected and not edge_id(a).endswith("_out"):
            assert 'color="#c8c8c8"' in a


@pytest.mark.parametrize("name", PARAMS + ["x1", "x2"])
def test_path_products_sum_to_the_gradient_and_finite_differences(name):
    ex = worked_example()
    leaf = leaves(ex)[name]
    products = [math.prod(n.local[i] for n, i in p) for p in search_paths(ex.error, leaf)]
    assert [p for _, p in viz.path_products(ex.error, leaf)] == pytest.approx(products, rel=1e-12)
    assert math.fsum(products) == pytest.approx(leaf.grad, rel=1e-9, abs=1e-15)
    assert math.fsum(products) == pytest.approx(finite_difference(name), rel=1e-5, abs=1e-9)
    caption = viz.draw_gradient_paths(ex.error, leaf, decimals=6).graph_attr["label"]
    for number in products + [leaf.grad]:
        text = f"{number:.6f}"
        assert (text if float(text) != 0.0 else "0.000000") in caption


def test_inputs_have_two_coloured_paths_and_their_sum():
    ex = worked_example()
    x1 = ex.inputs[0]
    dot = viz.draw_gradient_paths(ex.error, x1, **lecture(ex))
    caption = dot.graph_attr["label"]
    assert "2 paths" in caption and "path 1:" in caption and "path 2:" in caption
    assert f"sum = {x1.grad:.4f}" in caption
    edges = [a for _, _, a in dot_edges(dot.source) if 'class="gradient-path' in a]
    own = [a for a in edges if "path-0 path-1" not in a]
    assert {attr(a, "color") for a in own} == {viz.paths.PATH_COLOURS[0], viz.paths.PATH_COLOURS[1]}
    shared = [a for a in edges if "path-0 path-1" in a]  # the edges from h/s_G up to E
    assert shared and all(":" in attr(a, "color") for a in shared)
    assert "∂E/∂x1: 2 paths" in caption and "∂s_D/∂x1 = w_DA" in dot.source


def test_a_node_used_twice_gives_two_paths():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    dot = viz.draw_gradient_paths(y, x)
    assert dot.source.count('class="gradient-path') == 2
    assert "sum = 6.0000" in dot.graph_attr["label"]


def test_leaf_not_in_graph():
    ex = worked_example()
    stranger = Value(1.0, label="stranger")
    with pytest.raises(ValueError, match="stranger.*not in the graph"):
        viz.draw_gradient_paths(ex.error, stranger)
    with pytest.raises(TypeError, match="leaf"):
        viz.draw_gradient_paths(ex.error, "w_DA")


# -- draw_network ---------------------------------------------------------------------------------


def pos_of(source, node_id):
    m = re.search(rf'^\t+{node_id} \[.*pos="(-?[\d.]+),(-?[\d.]+)!"', source, re.M)
    return float(m.group(1)), float(m.group(2))


def weight_label(source, edge):
    m = re.search(rf"^\t+{re.escape(edge)}_label \[label=<(.*?)> ", source, re.M)
    return m and m.group(1)


def label_boxes(source):
    """{edge id: (x, y, half width, half height)} of the weight labels, in points."""
    from viz._style import label_size

    boxes = {}
    for m in re.finditer(r"^\t+(\S+)_label \[label=<(.*?)> .*pos=\"(-?[\d.]+),(-?[\d.]+)!\"", source, re.M):
        w, h = label_size(f"<{m.group(2)}>", viz.network.LABEL_FONTSIZE)
        boxes[m.group(1)] = (float(m.group(3)), float(m.group(4)), w / 2, h / 2)
    return boxes


def networks():
    """(model, names) of the networks drawn."""
    from autograd_nn.lecture import train_xor

    return {
        "lecture": (worked_example().model, XOR_NAMES),
        "trained": (train_xor()[0], None),
        "3-4-4-2": (MLP(3, [4, 4, 2], seed=0), None),
    }


@pytest.mark.parametrize("name", ["lecture", "trained", "3-4-4-2"])
def test_weight_labels_sit_on_their_arrows_apart_from_each_other_and_the_units(name):
    model, names = networks()[name]
    source = viz.draw_network(model, names=names).source
    units = {}
    for m in re.finditer(r'^\t+(\S+) \[.*pos="(-?[\d.]+),(-?[\d.]+)!"', source, re.M):
        if not m.group(1).endswith("_label"):
            units[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    boxes = label_boxes(source)
    arrows = {edge_id(a): (t, h) for t, h, a in dot_edges(source) if not edge_id(a).startswith("out_")}
    assert boxes.keys() == arrows.keys()
    radius = viz.network.UNIT_WIDTH * 72 / 2  # positions are in points
    for eid, (x, y, hw, hh) in boxes.items():
        (tx, ty), (hx, hy) = units[arrows[eid][0]], units[arrows[eid][1]]
        # on the arrow: the centre is on the segment from tail to head
        cross = (hx - tx) * (y - ty) - (hy - ty) * (x - tx)
        assert abs(cross) / math.hypot(hx - tx, hy - ty) < 0.72, eid
        assert min(tx, hx) - 1e-6 <= x <= max(tx, hx) + 1e-6
        for ux, uy in units.values():  # clear of every unit circle
            dx, dy = max(abs(ux - x) - hw, 0.0), max(abs(uy - y) - hh, 0.0)
            assert math.hypot(dx, dy) >= radius, (eid, ux, uy)
    items = list(boxes.items())
    for i, (a, (x1, y1, w1, h1)) in enumerate(items):
        for b, (x2, y2, w2, h2) in items[i + 1 :]:
            assert abs(x1 - x2) >= w1 + w2 or abs(y1 - y2) >= h1 + h2, (a, b)


def test_network_diagram_is_the_lecture_picture():
    ex = worked_example()
    dot = viz.draw_network(ex.model, names=ex.names)
    source = dot.source
    assert dot.engine == "neato"
    x1, x2 = pos_of(source, "x1"), pos_of(source, "x2")
    assert x1[0] == x2[0] and x1[1] > x2[1]  # x1 above x2
    d, e, g = pos_of(source, "D"), pos_of(source, "E"), pos_of(source, "G")
    assert x1[0] < d[0] == e[0] < g[0] and d[1] > e[1]
    assert pos_of(source, "bias1")[0] == x1[0] and pos_of(source, "bias2")[0] == d[0]
    assert ">A<" in source and ">C<" in source and ">F<" in source  # names read from w_DA, w_DC, w_GF
    assert source.count("sigmoid") == 3
    edges = {edge_id(a): (t, h, a) for t, h, a in dot_edges(source)}
    for name, p in ex.weights.items():
        tail, head, a = edges[name]
        assert head == name[2] and weight_label(source, name) == f"{p.data:.2f}"
    assert edges["w_DA"][0] == "x1" and edges["w_DC"][0] == "bias1" and edges["w_GD"][0] == "D"
    named = viz.draw_network(ex.model, names=ex.names, weights="name").source
    assert weight_label(named, "w_GE") == "w_GE"
    with pytest.raises(ValueError, match="weights"):
        viz.draw_network(ex.model, weights="colour")
    # Without the names: the defaults, inputs x1 and x2, no unit letters to read from weight names.
    plain = viz.draw_network(ex.model, weights="name").source
    assert weight_label(plain, "L1_N0_w0") == "L1.N0.w0" and ">A<" not in plain
    assert re.search(r"^\t+L0_N1 \[", plain, re.M) and "<B>L0.N1</B>" in plain


def test_network_of_a_generic_mlp():
    from autograd_nn.nn import MLP

    model = MLP(3, [4, 2], seed=0)
    source = viz.draw_network(model, input_names=["a", "b", "c"]).source
    assert all(re.search(rf"^\t+x{k} \[", source, re.M) for k in (1, 2, 3))
    assert len([e for e in dot_edges(source) if edge_id(e[2]).startswith("out_")]) == 2
    # weights: 3*4 + 4 biases, 4*2 + 2 biases, then 2 output arrows
    assert len(dot_edges(source)) == 16 + 10 + 2
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw_network(model, max_nodes=3)


def _squarings(n):
    """x, then n squarings y = y * y: 2**n paths from the last y down to x."""
    x = Value(1.0001, label="x")
    y = x
    for k in range(n):
        y = y * y
        y.label = f"y{k}"
    return x, y


def test_many_paths_are_drawn_up_to_max_paths_and_refused_beyond():
    x, y = _squarings(11)  # 2**11 = 2048 paths
    y.backward()
    dot = viz.draw_gradient_paths(y, x, decimals=6)
    highlighted = [a for _, _, a in dot_edges(dot.source) if 'class="gradient-path' in a]
    assert len(highlighted) == 22  # every edge into an op: two per multiplication
    caption = dot.graph_attr["label"]
    assert "2048 paths" in caption and "... and 2036 more paths" in caption
    assert f"sum = {x.grad:.6f}" in caption
    message = r"draw_gradient_paths: there are 2048 paths .*max_paths=1000;.*max_paths=2048"
    with pytest.raises(ValueError, match=message):
        viz.draw_gradient_paths(y, x, max_paths=1000)
    assert len(viz.path_products(y, x)) == 2048
    with pytest.raises(ValueError, match=r"path_products: there are 2048 paths .*max_paths=2047"):
        viz.path_products(y, x, max_paths=2047)
    for bad in (0, -1, 2.5, True, "10"):
        with pytest.raises(ValueError, match="max_paths must be a positive int"):
            viz.path_products(y, x, max_paths=bad)


def test_exponentially_many_paths_raise_at_once():
    import time

    a = Value(1.0)
    x = a
    for _ in range(40):
        x = x * x
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"there are 1099511627776 paths .*max_paths=10000") as err:
        viz.path_products(x, a)
    assert "path_products" in str(err.value)
    with pytest.raises(ValueError, match=r"draw_gradient_paths: there are 1099511627776 paths"):
        viz.draw_gradient_paths(x, a)
    assert time.perf_counter() - start < 0.5


# -- names and groups: data given to the diagrams ---------------------------------------------------


def test_the_lectures_names_reach_every_diagram():
    ex = worked_example()
    sources = {
        "graph": viz.draw_graph(ex.error, **lecture(ex)).source,
        "paths": viz.draw_gradient_paths(ex.error, ex.weights["w_DA"], **lecture(ex)).source,
        "step": viz.backward_steps(ex.error, **lecture(ex)).frames[-1].source,
    }
    for view, source in sources.items():
        for name in PARAMS + ["x1", "x2", "s_D", "h_D", "s_E", "h_E", "s_G", "y_G"]:
            assert f"<B>{name}</B>" in source, (view, name)
        # the hidden unit E shares its letter with the error E: the clusters say "unit"
        assert "subgraph cluster_G {" in source and "<B>unit G</B>" in source, view
    network = viz.draw_network(ex.model, names=ex.names, weights="name").source
    for name in PARAMS:
        assert f"{name}_label [label=<{name}>" in network, name
    for unit in ("D", "E", "G", "A", "B", "C", "F"):
        assert f"<B>{unit}</B>" in network, unit


def test_a_model_without_names_gets_default_names_and_clusters():
    model = MLP(2, [2, 1], activation="tanh", output_activation="linear", seed=0)
    y = model([1.0, 2.0])[0]
    y.backward()
    source = viz.draw_graph(y, model=model).source
    for name in ("x1", "x2", "L0.N0.w0", "L0.N1.b", "s_L0.N0", "h_L0.N1", "L1.N0.w1", "y_L1.N0"):
        assert f"<B>{name}</B>" in source, name
    assert "s_L1.N0" not in source  # a linear output unit: its sum is its output y
    for cluster in ("cluster_L0_N0", "cluster_L0_N1", "cluster_L1_N0"):
        assert f"subgraph {cluster} {{" in source
    # Without the model nothing is named or grouped: the engine labels no node.
    bare = viz.draw_graph(y).source
    assert "subgraph" not in bare and "<B>" not in bare


def test_names_win_over_labels_which_win_over_defaults():
    model = MLP(2, [1], seed=0)
    x = [Value(1.0, label="a"), Value(2.0, label="b")]
    y = model(x)[0]
    neuron = model.layers[0].neurons[0]
    neuron.w[0].label = "mine"
    y.label = "out"
    names = {"layers.0.neurons.0": "U", "layers.0.neurons.0.w.0": "w_UA", "inputs.1": "second"}
    naming = graph_naming(topological_order(y), model=model, names=names)
    assert naming.name(neuron.w[0]) == "w_UA"  # names entry over the label "mine"
    assert naming.name(neuron.w[1]) == "U.w1" and naming.name(neuron.b) == "U.b"  # defaults after the neuron
    assert naming.name(y) == "out" and naming.name(y.parents[0]) == "s_U"  # label over the default y_U
    assert naming.name(x[0]) == "a" and naming.name(x[1]) == "second"
    assert naming.group_order == ["U"] and naming.group(y) == "U" and naming.group(x[0]) is None
    message = r"names has 2 key\(s\) that name nothing in the MLP: 'inputs.2', 'layers.0.neuron.0'"
    with pytest.raises(ValueError, match=message):
        graph_naming(topological_order(y), model=model, names={"layers.0.neuron.0": "U", "inputs.2": "z"})


@pytest.mark.parametrize("expanded", [False, True])
def test_groups_are_found_from_the_models_structure(expanded):
    model = MLP(3, [2, 2, 1], activation="sigmoid", output_activation="linear", seed=1, expanded=expanded)
    inputs = [Value(0.5), Value(-1.0), Value(2.0)]
    y = model(inputs)[0]
    topo = topological_order(y)
    naming = graph_naming(topo, model=model)
    groups: dict[str, set[int]] = {}
    for n in topo:
        if naming.group(n) is not None:
            groups.setdefault(naming.group(n), set()).add(id(n))
    assert naming.group_order == ["L0.N0", "L0.N1", "L1.N0", "L1.N1", "L2.N0"]
    assert set(groups) == set(naming.group_order)
    for i, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            members = groups[f"L{i}.N{j}"]
            own = {id(p) for p in neuron.parameters()}
            # parameters + sum (+ activation); expanded: nin products and nin - 1 inner sums more
            computed = (1 + (neuron.activation != "linear")) + (2 * neuron.nin - 1 if expanded else 0)
            assert own <= members and len(members) == len(own) + computed
    assert all(naming.group(x) is None for x in inputs) and naming.group(y) == "L2.N0"
    ops_in = {n.op for n in topo if naming.group(n) is not None and n.parents}
    assert ops_in == ({"*", "+", "sigmoid"} if expanded else {"wsum", "sigmoid"})


@pytest.mark.parametrize("expanded", [False, True])
def test_a_neuron_run_on_a_batch_groups_every_run_and_leaves_its_inputs_out(expanded):
    model = MLP(2, [1], activation="tanh", seed=0, expanded=expanded)
    a, b = Value(1.0), Value(2.0)
    s = a + b  # an input that is itself a sum: not part of the neuron
    loss = Value.sum([model([s, b])[0], model([1.0, -1.0])[0]])
    naming = graph_naming(topological_order(loss), model=model)
    outputs = loss.parents
    assert [naming.name(o) for o in outputs] == ["y_L0.N0", "y_L0.N0"]
    assert [naming.group(o) for o in outputs] == ["L0.N0", "L0.N0"]
    assert naming.group(s) is None and naming.name(s) == "x1" and naming.name(b) == "x2"
    assert naming.group(a) is None and naming.group(loss) is None
    source = viz.draw_graph(loss, model=model).source
    assert source.count("subgraph cluster_") == 1


def test_an_op_the_table_does_not_know_is_an_error():
    x = Value(2.0, label="x")
    y = x * 3.0
    y.op = "frobnicate"
    for draw in (
        lambda: viz.draw_graph(y),
        lambda: viz.draw_graph(y, collapse=True),
        lambda: viz.draw_gradient_paths(y, x),
        lambda: viz.backward_steps(y),
    ):
        with pytest.raises(UnknownOpError, match="frobnicate"):
            draw()


def test_every_scalar_op_of_the_table_is_drawn_with_its_symbol():
    from autograd_nn import ops
    from viz._util import op_text

    x, w = Value(2.0), Value(0.5)
    made = {
        "+": x + w, "-": x - w, "*": x * w, "/": x / w, "**": x ** w, "rsub": 3 - x, "rdiv": 4 / x,
        "rpow": 2 ** x, "neg": -x, "exp": x.exp(), "log": x.log(), "tanh": x.tanh(), "sigmoid": x.sigmoid(),
        "relu": x.relu(), "step": x.step(), "abs": abs(x), "sum": Value.sum([x, w], 1),
        "wsum": Value.dot([w], [x]),
        "softplus": x.softplus(), "leaky_relu": x.leaky_relu(), "elu": x.elu(), "gelu": x.gelu(),
        "silu": x.silu(), "sin": x.sin(), "cos": x.cos(), "erf": x.erf(),
    }
    assert set(made) == {name for name, op in ops.OPS.items() if op.scalar}
    for name, node in made.items():
        assert node.op == name and ops.get(name).symbol in op_text(node)
    assert [op_text(n) for n in (x - 1, 3 - x, 4 / x, x ** 2, 2 ** x, Value.sum([x], -2))] == [
        "− 1", "3 − ·", "4 ÷ ·", "·**2", "2**·", "Σ − 2"]


# -- the package without graphviz -----------------------------------------------------------------


def test_plots_import_without_graphviz_and_diagrams_say_what_to_install():
    code = """
import sys
sys.modules["graphviz"] = None  # as if the graphviz package were not installed
import viz.plots
from viz.plots import plot_loss_curve
import viz
assert "graphviz" not in [m for m in sys.modules if sys.modules[m] is not None]
try:
    viz.draw_graph
except ImportError as err:
    print("IMPORT ERROR:", err)
else:
    print("no error")
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert 'IMPORT ERROR:' in run.stdout and 'pip install "autograd_nn[viz]"' in run.stdout


def test_viz_render_is_the_function_and_viz_a_plain_module():
    import importlib
    import types

    importlib.import_module("viz.rendering")
    assert (viz.render.__module__, viz.render.__name__) == ("viz.rendering", "render")
    assert type(sys.modules["viz"]) is types.ModuleType  # no module-class swap
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("viz.render")
    assert viz.paths.PATH_COLOURS and viz.draw_graph.__module__ == "viz.graph"


def test_network_of_a_tensor_model_is_drawn_through_its_scalar_mlp():
    from autograd_nn.nn import Linear, Sequential, Tanh

    model = Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1))
    source = viz.draw_network(model).source
    first = model[0].weight.data  # (in, out): weight[i, j] joins input i to neuron j
    labels = re.findall(r"^\t+\S+_label \[label=<(.*?)> ", source, re.M)
    assert len(labels) == 3 * 3 + 4  # 2 weights + bias into 3 neurons, 3 + bias into the output
    assert f"{first[1, 2]:.2f}".replace("-0.00", "0.00") in labels
    assert source.count("tanh") == 3 and "linear" in source
    with pytest.raises(TypeError, match="draw_network.*Tanh.*Linear"):
        viz.draw_network(Sequential(Linear(2, 3, seed=0), Tanh(), Tanh()))


def test_gradient_colours_keep_text_readable_and_scale_without_the_root():
    from viz._style import contrast, grad_colour

    ex = worked_example()
    source = viz.draw_graph(ex.error, color="grad", **lecture(ex)).source
    rows = re.findall(r'BGCOLOR="(#[0-9a-f]{6})".*?<FONT COLOR="(#[0-9a-f]{6})">', source)
    assert len(rows) == len(topological_order(ex.error))
    for fill, text in rows:
        assert contrast(fill, text) >= 4.5, (fill, text)
    # the largest gradient below the root gets the deepest colour (the seed 1.0 does not set the scale)
    others = [n for n in topological_order(ex.error) if n is not ex.error]
    top = max(others, key=lambda n: abs(n.grad))
    name = graph_naming(topological_order(ex.error), **lecture(ex)).name(top)
    node = viz.draw_graph(ex.error, **lecture(ex)).source  # the id draw_graph gives that node
    node = re.search(rf"^\t+(\S+) \[label=<<TABLE[^\n]*<B>{re.escape(name)}</B>", node, re.M).group(1)
    assert fill_of(source, node) == grad_colour(top.grad, abs(top.grad)) != grad_colour(top.grad, 1.0)


def test_collapse_is_suggested_only_for_graphs_with_groups():
    x = Value(1.0, label="x")
    y = x
    for _ in range(5):
        y = y * 1.5
    with pytest.raises(ValueError, match="max_nodes") as err:
        viz.draw_graph(y, max_nodes=3)
    assert "collapse" not in str(err.value)
    ex = worked_example()
    with pytest.raises(ValueError, match="collapse=True"):
        viz.draw_graph(ex.error, max_nodes=3, **lecture(ex))
