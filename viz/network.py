"""``draw_network``: the lecture's picture of a multi-layer perceptron, positions pinned."""

from __future__ import annotations

import math

import graphviz

from autograd_nn import Value
from autograd_nn.nn import Linear, Sequential
from autograd_nn.nn.convert import tensor_to_mlp

from ._style import FONT
from ._util import (
    DEFAULT_MAX_NODES,
    IdMaker,
    activation_text,
    check_decimals,
    check_limit,
    describe,
    esc,
    fmt,
    id_part,
)
from .naming import NeuronNames, model_names

__all__ = ["LABEL_FONTSIZE", "UNIT_WIDTH", "WEIGHT_MODES", "X_STEP", "Y_STEP", "draw_network"]
__all__ += ["place_weight_labels"]

X_STEP = 2.6  # inches between layers
UNIT_WIDTH = 0.85  # inches, the diameter of a unit
LABEL_FONTSIZE = 10
Y_STEP = 1.25  # inches between units of a layer
WEIGHT_MODES = ("value", "name", "both", "none")


def _check_model(model):
    """``model`` as a scalar MLP (a tensor model converted first), or ``TypeError`` naming it."""
    if isinstance(model, Value) or hasattr(model, "parents"):
        raise TypeError(
            f"draw_network: got a graph node ({describe(model)}); draw_network draws a model "
            f"(an MLP), viz.draw_graph(node) draws a computation graph"
        )
    model = _scalar_model(model)
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
            f"autograd_nn.nn.MLP) or a tensor Sequential of Linear and activation layers, got "
            f"{describe(model)}"
        )
    return model


def _scalar_model(model):
    """A tensor model (``Sequential`` of ``Linear`` and activation layers, or one ``Linear``) as
    the scalar MLP with its weights, which the diagram reads neuron by neuron; anything else as it is.
    """
    if not isinstance(model, (Sequential, Linear)):
        return model
    try:
        return tensor_to_mlp(model)
    except TypeError as err:
        raise TypeError(
            f"draw_network: the tensor model {type(model).__name__} has no scalar MLP counterpart to "
            f"draw ({err}); draw_network draws Linear layers each followed by at most one activation"
        ) from err


def _sources(neurons: list[NeuronNames], count: int) -> tuple[list[str] | None, str | None]:
    """Names of a layer's inputs and bias unit read from weight names ``w_<neuron><source>``.

    The lecture names weights after the two units they join (w_DA joins A to D), so the input
    units A, B and bias unit C can be read back from the names when every neuron agrees.
    """
    names: list[set[str]] = [set() for _ in range(count)]
    bias: set[str] = set()
    for n in neurons:
        prefix = f"w_{n.name}"
        for k, lab in enumerate(n.params):
            source = lab[len(prefix) :] if lab.startswith(prefix) else ""
            (names[k] if k < count else bias).add(source)
    inputs = [next(iter(s)) for s in names] if all(len(s) == 1 and "" not in s for s in names) else None
    bias_name = next(iter(bias)) if len(bias) == 1 and "" not in bias else None
    return inputs, bias_name


def draw_network(
    model,
    *,
    names=None,
    input_names=None,
    weights: str = "value",
    decimals: int = 2,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    """The network as the lecture draws it: inputs left, neurons as circles, weights on arrows.

    Inputs ``x1, x2, ...`` are on the left (x1 above x2), each layer is a column of circles named
    after its neurons with the activation written inside, each layer's bias unit sits below the
    units feeding it, and every weight is written on its arrow near the arrow head
    (``weights="value"``, ``"name"``, ``"both"`` or ``"none"``), so crossing arrows stay readable:
    each label is a small white-backed node pinned on its arrow (id ``<edge id>_label``, class
    ``weight-label``), as near the head as it fits without touching another label or a unit
    (see :func:`place_weight_labels`).  Positions are pinned (Graphviz's ``neato`` engine), so
    the picture is the same every time.

    Names: ``names`` maps structural names to display names, as for :func:`viz.draw_graph`
    (:mod:`viz.naming`; neurons default to ``L{i}.N{j}``, weights to ``L{i}.N{j}.w{k}``).
    When the weights' names read ``w_<to><from>`` (the slides' w_DA), the input units and bias
    units are named after them (the slides' A, B, bias C, bias F); ``input_names`` names the
    input units instead.

    ``model`` is a scalar :class:`~autograd_nn.nn.MLP` or a tensor ``Sequential`` of ``Linear``
    and activation layers (drawn through ``MLP.from_tensor``, with the same weights).

    Node ids: ``x1``... for inputs, the neuron's name (``D``, ``L0_N1``) for neurons, ``bias1``...
    for bias units, ``y1``... for outputs; edge ids are the weights' names (``w_DA``).

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, xor_network
        >>> dot = draw_network(xor_network(), names=XOR_NAMES)
        >>> dot.engine, "w_DA_label [label=<3.70>" in dot.source, "<B>A</B>" in dot.source
        ('neato', True, True)
    """
    model = _check_model(model)
    layers = list(model.layers)
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
    info = model_names(model, names)

    ids = IdMaker()
    neuron_ids = [[ids.take(id_part(n.name) or f"n{li + 1}_{j + 1}") for j, n in enumerate(layer)]
                  for li, layer in enumerate(info.layers)]

    inferred, _ = _sources(info.layers[0], nin)
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
            "width": str(UNIT_WIDTH),
        },
        edge_attr={"fontname": FONT, "arrowsize": "0.7"},
    )

    def column_y(count: int, k: int) -> float:
        return (count - 1) / 2 * Y_STEP - k * Y_STEP

    centre: dict[str, tuple[float, float]] = {}  # unit id -> (x, y) in inches
    labels: list[dict] = []  # weight labels, placed once every unit has its place

    def pos(col: float, y: float, unit: str | None = None) -> str:
        if unit is not None:
            centre[unit] = (col * X_STEP, y)
        return f"{col * X_STEP:.3f},{y:.3f}!"

    # inputs, top to bottom: x1 above x2
    for k in range(nin):
        given = input_names[k] if input_names is not None else (inferred[k] if inferred else "")
        sub = info.inputs[k]
        label = (
            f"<<B>{esc(given)}</B><BR/><FONT POINT-SIZE='10'>{esc(sub)}</FONT>>"
            if given and given != sub
            else f"<<B>{esc(sub)}</B>>"
        )
        g.node(
            input_ids[k],
            id=input_ids[k],
            label=label,
            style="filled",
            fillcolor="#d5e8d4",
            color="#82b366",
            pos=pos(0, column_y(nin, k), input_ids[k]),
        )

    prev_ids = input_ids
    for li, layer in enumerate(layers):
        count_prev = len(prev_ids)
        _, bias_name = _sources(info.layers[li], count_prev)
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
                pos=pos(li, column_y(count_prev, count_prev - 1) - Y_STEP, bias_id),
            )
        count = len(layer.neurons)
        for j, n in enumerate(layer.neurons):
            nid = neuron_ids[li][j]
            act = activation_text(getattr(n, "activation", None))
            g.node(
                nid,
                id=nid,
                label=f"<<B>{esc(info.layers[li][j].name)}</B><BR/><FONT POINT-SIZE='9'>{esc(act)}</FONT>>",
                style="filled",
                fillcolor="#dae8fc",
                color="#6c8ebf",
                pos=pos(li + 1, column_y(count, j), nid),
            )
            sources = list(zip(prev_ids, n.w))
            if getattr(n, "b", None) is not None:
                sources.append((bias_id, n.b))
            for k, ((tail, w), lab) in enumerate(zip(sources, info.layers[li][j].params)):
                eid = ids.take(id_part(lab) or f"w_{nid}_{k}")
                attrs = {"id": eid}
                text = {"value": fmt(w.data, decimals), "name": lab, "none": ""}.get(weights)
                if weights == "both":
                    text = f"{lab} = {fmt(w.data, decimals)}"
                if text:
                    # Negative weights in red, as a lecturer would underline them.
                    colour = "#b85450" if w.data < 0 else "#1f4e79"
                    labels.append({"edge": eid, "tail": tail, "head": nid, "text": text, "colour": colour})
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

    # Each weight is a small white-backed label pinned on its own arrow, as near the arrow head as
    # it fits without touching another label or a unit, and where possible off other arrows.
    for item, (x, y) in zip(labels, place_weight_labels(labels, centre)):
        lid = ids.take(f"{item['edge']}_label")
        g.node(
            lid,
            id=lid,
            label=f"<{esc(item['text'])}>",
            shape="box",
            style="filled",
            fillcolor="white",
            color="white",
            penwidth="0",
            fixedsize="false",
            width="0",
            height="0",
            margin="0.03,0.01",
            fontsize=str(LABEL_FONTSIZE),
            fontcolor=item["colour"],
            pos=f"{x:.3f},{y:.3f}!",
            **{"class": "weight-label"},
        )
    return g


def _label_size(text: str) -> tuple[float, float]:
    """Half width and half height in inches of a weight label (Helvetica, a little generous)."""
    return (0.58 * LABEL_FONTSIZE * len(text) / 72 + 0.08) / 2, (1.2 * LABEL_FONTSIZE / 72 + 0.03) / 2


def _segment_hits_box(p, q, box) -> bool:
    """Whether the segment p-q passes through the axis-aligned box (cx, cy, hw, hh) (Liang-Barsky)."""
    cx, cy, hw, hh = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, lo, hi, start in ((dx, cx - hw, cx + hw, p[0]), (dy, cy - hh, cy + hh, p[1])):
        if d == 0.0:
            if not lo <= start <= hi:
                return False
            continue
        a, b = (lo - start) / d, (hi - start) / d
        a, b = min(a, b), max(a, b)
        t0, t1 = max(t0, a), min(t1, b)
        if t0 > t1:
            return False
    return True


def place_weight_labels(labels, centre) -> list[tuple[float, float]]:
    """Where each weight label goes (inches): on its arrow, collision-free where possible.

    Labels are placed one after another; each tries points along its arrow from just behind
    the arrow head back towards the tail and takes the first one that overlaps no label placed
    so far and no unit, preferring points that cover no other arrow.  Labels of the arrows
    into one neuron so end up staggered along their arrows instead of piled up at the neuron.

    Example:
        >>> centre = {"a": (0.0, 0.0), "b": (0.0, -1.0), "n": (2.6, 0.0)}
        >>> labels = [{"tail": "a", "head": "n", "text": "1.00"}, {"tail": "b", "head": "n", "text": "2.00"}]
        >>> [(round(x, 2), round(y, 2)) for x, y in place_weight_labels(labels, centre)]
        [(1.81, 0.0), (1.85, -0.29)]
    """
    radius = UNIT_WIDTH / 2
    units = list(centre.values())
    segments = [(centre[it["tail"]], centre[it["head"]]) for it in labels]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for k, item in enumerate(labels):
        (tx, ty), (hx, hy) = segments[k]
        length = max(((tx - hx) ** 2 + (ty - hy) ** 2) ** 0.5, 1e-9)
        ux, uy = (tx - hx) / length, (ty - hy) / length  # from the head back towards the tail
        hw, hh = _label_size(item["text"])
        along = hw * abs(ux) + hh * abs(uy)  # the label's half extent along its arrow
        start, stop = radius + 0.16 + along, length - radius - along
        best = None
        steps = max(1, int((stop - start) / 0.05) + 1)
        for i in range(steps):
            d = start + i * 0.05
            box = (hx + ux * d, hy + uy * d, hw, hh)
            cx, cy = box[0], box[1]
            hard = sum(
                abs(cx - b[0]) < hw + b[2] + 0.02 and abs(cy - b[1]) < hh + b[3] + 0.02 for b in placed
            )
            hard += sum(
                math.hypot(max(abs(ox - cx) - hw, 0.0), max(abs(oy - cy) - hh, 0.0)) < radius + 0.03
                for ox, oy in units
            )
            crossing = sum(_segment_hits_box(p, q, box) for j, (p, q) in enumerate(segments) if j != k)
            key = (hard, crossing, i)
            if best is None or key < best[0]:
                best = (key, box)
        placed.append(best[1])
        out.append(best[1][:2])
    return out
