"""``draw_network``: the lecture's picture of a multi-layer perceptron, positions pinned."""

from __future__ import annotations

import graphviz

from ._sketch import FONT
from ._util import (
    ACTIVATION_NAMES,
    DEFAULT_MAX_NODES,
    IdMaker,
    check_decimals,
    check_limit,
    describe,
    esc,
    fmt,
    id_part,
)

__all__ = ["WEIGHT_MODES", "X_STEP", "Y_STEP", "draw_network"]

X_STEP = 2.6  # inches between layers
Y_STEP = 1.25  # inches between units of a layer
WEIGHT_MODES = ("value", "name", "both", "none")


def _check_model(model) -> list:
    from autograd_nn import Value

    if isinstance(model, Value) or hasattr(model, "parents"):
        raise TypeError(
            f"draw_network: got a graph node ({describe(model)}); draw_network draws a model "
            f"(an MLP), viz.draw_graph(node) draws a computation graph"
        )
    layers = getattr(model, "layers", None)
    ok = isinstance(layers, (list, tuple)) and len(layers) > 0
    if ok:
        for layer in layers:
            neurons = getattr(layer, "neurons", None)
            if not isinstance(neurons, (list, tuple)) or not neurons:
                ok = False
                break
            if not all(isinstance(getattr(n, "w", None), (list, tuple)) for n in neurons):
                ok = False
                break
    if not ok:
        raise TypeError(
            f"draw_network: expected a scalar MLP (model.layers[i].neurons[j] with .w and .b, as "
            f"autograd_nn.nn.MLP), got {describe(model)}"
        )
    return list(layers)


def _label(v) -> str:
    return getattr(v, "label", "") or ""


def _sources(neurons, count: int, prefix_of) -> tuple[list[str] | None, str | None]:
    """Names of a layer's inputs and bias unit read from weight labels ``w_<neuron><source>``.

    The lecture names weights after the two units they join (w_DA joins A to D), so the input
    units A, B and bias unit C can be read back from the labels when every neuron agrees.
    """
    names: list[set[str]] = [set() for _ in range(count)]
    bias: set[str] = set()
    for n in neurons:
        prefix = prefix_of(n)
        if not prefix:
            return None, None
        for k, w in enumerate(n.w):
            lab = _label(w)
            names[k].add(lab[len(prefix) :] if lab.startswith(prefix) else "")
        b = getattr(n, "b", None)
        if b is not None:
            lab = _label(b)
            bias.add(lab[len(prefix) :] if lab.startswith(prefix) else "")
    inputs = [next(iter(s)) for s in names] if all(len(s) == 1 and "" not in s for s in names) else None
    bias_name = next(iter(bias)) if len(bias) == 1 and "" not in bias else None
    return inputs, bias_name


def draw_network(
    model,
    *,
    input_names=None,
    weights: str = "value",
    decimals: int = 2,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    """The network as the lecture draws it: inputs left, neurons as circles, weights on arrows.

    Inputs ``x1, x2, ...`` are on the left (x1 above x2), each layer is a column of circles named
    after its neurons with the activation written inside, each layer's bias unit sits below the
    units feeding it, and every weight is written on its arrow near the arrow head
    (``weights="value"``, ``"name"``, ``"both"`` or ``"none"``), so crossing arrows stay readable.
    Unit names follow the weight labels when they read ``w_<to><from>`` (the slides' A, B, bias
    C, D, E, bias F, G), else ``input_names`` or x1, x2, ... .  Positions are pinned (Graphviz's
    ``neato`` engine), so the picture is the same every time.

    Node ids: ``x1``... for inputs, the neuron name (``D``) for neurons, ``bias1``... for bias
    units, ``y1``... for outputs; edge ids are the weight labels (``w_DA``).

    Example:
        >>> from autograd_nn import Value
        >>> from types import SimpleNamespace as NS
        >>> n = NS(w=[Value(1.0, label="w_DA")], b=Value(0.5, label="w_DC"), activation="sigmoid", name="D")
        >>> dot = draw_network(NS(layers=[NS(neurons=[n])]))
        >>> dot.engine, 'headlabel=<1.00>' in dot.source
        ('neato', True)
    """
    layers = _check_model(model)
    decimals = check_decimals(decimals)
    if weights not in WEIGHT_MODES:
        raise ValueError(f"draw_network: weights must be one of {WEIGHT_MODES}, got {weights!r}")
    nin = len(layers[0].neurons[0].w)
    units = nin + sum(len(layer.neurons) + 1 for layer in layers)
    check_limit(units, max_nodes, "draw_network", collapsible=False)
    for li, layer in enumerate(layers):
        expected = nin if li == 0 else len(layers[li - 1].neurons)
        for j, n in enumerate(layer.neurons):
            if len(n.w) != expected:
                raise ValueError(
                    f"draw_network: neuron {j} of layer {li} has {len(n.w)} weights but its layer "
                    f"receives {expected} inputs"
                )

    ids = IdMaker()
    neuron_names: list[list[str]] = []
    neuron_ids: list[list[str]] = []
    for li, layer in enumerate(layers):
        names, nids = [], []
        for j, n in enumerate(layer.neurons):
            name = str(getattr(n, "name", "") or f"h{li + 1}_{j + 1}")
            names.append(name)
            nids.append(ids.take(id_part(name) or f"n{li + 1}_{j + 1}"))
        neuron_names.append(names)
        neuron_ids.append(nids)

    inferred, _ = _sources(
        layers[0].neurons,
        nin,
        lambda n: f"w_{getattr(n, 'name', '') or ''}" if getattr(n, "name", "") else "",
    )
    if input_names is not None:
        input_names = [str(s) for s in input_names]
        if len(input_names) != nin:
            raise ValueError(f"draw_network: {len(input_names)} input_names for {nin} inputs")
    input_ids = [ids.take(f"x{k + 1}") for k in range(nin)]

    g = graphviz.Digraph(
        name="network",
        engine="neato",
        graph_attr={"splines": "false", "outputorder": "edgesfirst", "fontname": FONT, "overlap": "true"},
        node_attr={
            "fontname": FONT,
            "fontsize": "14",
            "shape": "circle",
            "fixedsize": "true",
            "width": "0.85",
        },
        edge_attr={"fontname": FONT, "arrowsize": "0.7", "labelfontsize": "10", "labeldistance": "2.6"},
    )

    def column_y(count: int, k: int) -> float:
        return (count - 1) / 2 * Y_STEP - k * Y_STEP

    def pos(col: int, y: float) -> str:
        return f"{col * X_STEP:.3f},{y:.3f}!"

    # inputs, top to bottom: x1 above x2
    for k in range(nin):
        given = input_names[k] if input_names is not None else (inferred[k] if inferred else "")
        sub = f"x{k + 1}"
        label = (
            f"<<B>{esc(given)}</B><BR/><FONT POINT-SIZE='10'>{sub}</FONT>>"
            if given and given != sub
            else f"<<B>{sub}</B>>"
        )
        g.node(
            input_ids[k],
            id=input_ids[k],
            label=label,
            style="filled",
            fillcolor="#d5e8d4",
            color="#82b366",
            pos=pos(0, column_y(nin, k)),
        )

    prev_ids = input_ids
    for li, layer in enumerate(layers):
        count_prev = len(prev_ids)
        prefix = {id(n): f"w_{name}" for n, name in zip(layer.neurons, neuron_names[li])}
        _, bias_name = _sources(layer.neurons, len(prev_ids), lambda n, prefix=prefix: prefix[id(n)])
        has_bias = any(getattr(n, "b", None) is not None for n in layer.neurons)
        bias_id = None
        if has_bias:
            bias_id = ids.take(f"bias{li + 1}")
            label = (
                f"<<B>{esc(bias_name)}</B><BR/><FONT POINT-SIZE='10'>1</FONT>>" if bias_name else "<<B>1</B>>"
            )
            g.node(
                bias_id,
                id=bias_id,
                label=label,
                style="filled,dashed",
                fillcolor="#f5f5f5",
                color="#999999",
                pos=pos(li, column_y(count_prev, count_prev - 1) - Y_STEP),
            )
        count = len(layer.neurons)
        for j, n in enumerate(layer.neurons):
            nid = neuron_ids[li][j]
            act = ACTIVATION_NAMES.get(getattr(n, "activation", None), str(getattr(n, "activation", "")))
            g.node(
                nid,
                id=nid,
                label=f"<<B>{esc(neuron_names[li][j])}</B><BR/><FONT POINT-SIZE='9'>{esc(act)}</FONT>>",
                style="filled",
                fillcolor="#dae8fc",
                color="#6c8ebf",
                pos=pos(li + 1, column_y(count, j)),
            )
            sources = list(zip(prev_ids, n.w))
            if getattr(n, "b", None) is not None:
                sources.append((bias_id, n.b))
            for k, (tail, w) in enumerate(sources):
                lab = _label(w)
                eid = ids.take(id_part(lab) or f"w_{nid}_{k}")
                attrs = {"id": eid}
                text = {"value": fmt(w.data, decimals), "name": lab or f"w{k}", "none": ""}.get(weights)
                if weights == "both":
                    text = f"{lab} = {fmt(w.data, decimals)}" if lab else fmt(w.data, decimals)
                if text:
                    attrs["headlabel"] = f"<{esc(text)}>"
                    # Negative weights in red, as a lecturer would underline them.
                    attrs["labelfontcolor"] = "#b85450" if w.data < 0 else "#1f4e79"
                if tail == bias_id:
                    attrs["style"] = "dashed"
                g.edge(tail, nid, **attrs)
        prev_ids = neuron_ids[li]

    last = len(layers)
    for j, nid in enumerate(prev_ids):
        oid = ids.take(f"y{j + 1}")
        g.node(
            oid,
            id=oid,
            label=f"y{j + 1}" if len(prev_ids) > 1 else "y",
            shape="plaintext",
            pos=pos(last + 0.6, column_y(len(prev_ids), j)),
        )
        g.edge(nid, oid, id=f"out_{oid}")
    return g
