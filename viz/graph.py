"""``draw_graph``: the computation graph of a Value (or Tensor) with data, grads and local derivatives."""

from __future__ import annotations

import math

import graphviz
import numpy as np

from autograd_nn.graph import topological_order

from ._emit import to_digraph
from ._layout import natural_key, pin_layout
from ._scene import EdgeItem, Scene, build_scene, delta_notation, node_ids, view_options
from ._style import FONT, ROLE_BORDERS, ROLE_COLOURS, grad_colour, text_on, value_label
from ._util import (
    DEFAULT_MAX_NODES,
    IdMaker,
    check_choice,
    check_decimals,
    check_limit,
    check_root,
    esc,
    fmt,
    id_part,
)
from .naming import Naming, graph_naming, parameter_rule

__all__ = ["COLOR_MODES", "draw_graph"]

COLOR_MODES = ("role", "grad")


def draw_graph(
    root,
    *,
    decimals: int = 4,
    symbols: bool = True,
    color: str = "role",
    model=None,
    names=None,
    params=None,
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse: bool = False,
    rankdir: str = "LR",
    fit=None,
    loss: str = "ops",
    notation: str = "grad",
    learning_rate=None,
) -> graphviz.Digraph:
    """The computation graph of ``root``: values as tables, ops as small nodes, edges as derivatives.

    Each value node shows its name, ``data`` and ``grad`` (``decimals`` places; a Tensor node
    shows op, shape and dtype instead).  Each op is a small node of its own (+, ×, σ, Σw·h, ...;
    a constant operand is written in it, e.g. "× 0.5").  The edge from a value into an op is
    labelled with the local derivative the engine stored, ``node.local[i]``, and with
    ``symbols=True`` also with its name (``∂s_D/∂w_DA = x1 = 1.0000``).

    Names: a node shows its own ``label``.  With ``model`` (a scalar MLP, layer or neuron) the
    diagram also names what the model computed and groups it: each neuron's parameters, weighted
    sum and activation sit in one cluster ``cluster_<neuron>``, named ``s_<neuron>``,
    ``h_<neuron>``/``y_<neuron>``, the inputs ``x1``, ``x2``, ...; ``names`` (a dict from
    structural names such as ``layers.0.neurons.0.w.0`` to display names, e.g.
    :data:`autograd_nn.lecture.XOR_NAMES`) replaces the defaults ``L0.N0``, ``L0.N0.w0``.
    See :mod:`viz.naming`.

    Colours (``color="role"``): inputs green, parameters yellow, intermediates grey, the root
    (loss) red.  Parameters are ``model.parameters()`` if ``model`` is given, else ``params``,
    else the leaves labelled ``w_...``/``b_...``.  ``color="grad"`` colours each value by the
    sign (blue +, red −) and size of its gradient instead.

    On a slide: ``rankdir`` "LR" (left to right, the default) or "TB" (top to bottom);
    ``fit="slide"`` scales the picture to a 16:9 slide (13.33 × 7.5 in) and packs it so that,
    shown at 1920 × 1080, the lecture's XOR graph has no text under 12 px (``fit=(w, h)`` in
    inches for another page; None, the default, keeps the natural size).  ``loss="node"`` draws
    the error after the model's output as one node (E = ½(t − y)², its edge carrying
    ∂E/∂y = −(t − y)); ``collapse=True`` draws each neuron as one node.  ``notation="delta"``
    adds the lecture's δ (each neuron's sum) and Δw = μ·δ·h (each parameter, μ =
    ``learning_rate``) to the nodes and writes the delta rule under the picture.  Each edge
    label sits on its own edge; a neuron's parameters read top-down in operand order (w_DA,
    w_DB, then the bias); a unit that shares its letter with the error is "unit E", the error
    "E (error)".

    Node ids are stable names (the display name when unique, else name or op plus topological
    position), so the same network gives the same DOT text every run.  A graph of more than
    ``max_nodes`` nodes raises ``ValueError``; ``collapse=True`` draws each neuron as one node.
    Clusters of one column read top-down in the model's neuron order.  An op the op table
    (:mod:`autograd_nn.ops`) does not know raises :class:`~autograd_nn.ops.UnknownOpError`.

    Building needs no Graphviz binary; where ``dot`` is installed the graph is laid out once and
    its positions pinned, so :func:`draw_gradient_paths` and :func:`backward_steps` of the same
    graph put every node at exactly the same place (the diagram then renders with
    ``neato -n2``).  See :func:`viz.render` to write SVG/PNG/PDF.

    Example:
        >>> from autograd_nn import Value
        >>> import viz
        >>> w = Value(2.0, label="w"); x = Value(3.0, label="x")
        >>> s = w * x; s.label = "s"
        >>> y = s.sigmoid(); y.label = "y"; y.backward()
        >>> dot = viz.draw_graph(y)
        >>> "∂s/∂w = x = 3.0000" in dot.source, "subgraph" in dot.source
        (True, False)
        >>> from autograd_nn.lecture import worked_example
        >>> ex = worked_example()
        >>> dot = viz.draw_graph(ex.error, model=ex.model, names=ex.names)
        >>> "subgraph cluster_D" in dot.source, "∂s_D/∂w_DA = x1 = 1.0000" in dot.source
        (True, True)
    """
    where = "draw_graph"
    tensor = check_root(root, where)
    decimals = check_decimals(decimals)
    view = view_options(where, rankdir, fit, loss)
    check_choice("color", color, COLOR_MODES, where)
    if tensor and color == "grad":
        raise ValueError(
            f"{where}: color='grad' needs scalar gradients; a Tensor graph supports color='role'"
        )
    topo = topological_order(root)
    is_param = parameter_rule(model, params)
    naming = graph_naming(topo, model, names)
    if collapse:
        return _collapsed(root, topo, tensor, decimals, is_param, max_nodes, naming, view)
    check_limit(len(topo), max_nodes, where, collapsible=naming.has_groups)
    delta = delta_notation(notation, learning_rate, where, root, model, names, params, topo, naming)
    notes = delta.labels(decimals) if delta is not None else None
    scene = build_scene(root, tensor, decimals, is_param, symbols, topo, naming, notes=notes, **view)
    if color == "grad":
        # The root's gradient is the seed (1), usually far above every other: on its scale the
        # rest would all look pale, so the scale is set by the others (the root is clipped).
        grads = [
            abs(vn.node.grad) for vn in scene.values if vn.node is not root and math.isfinite(vn.node.grad)
        ]
        biggest = max(grads, default=0.0) or abs(root.grad)
        for vn in scene.values:
            fill = grad_colour(vn.node.grad, biggest)
            scene.node_attrs[vn.id]["label"] = value_label(
                vn, tensor, decimals, fill=fill, text_colour=text_on(fill)
            )
        scene.graph_attrs["label"] = (
            "<fill: blue = positive gradient, red = negative, deeper = larger |grad|>"
        )
    if delta is not None:
        # the delta rule written out under the picture, with the engine's numbers
        lines = [delta.caption(vn.node) for vn in scene.values if vn.note.startswith("δ")]
        lines.append("Δw = μ·δ·h for each weight w from h (μ = learning rate" +
                     (f" = {delta.learning_rate:g})" if delta.learning_rate is not None else ")"))
        scene.graph_attrs["label"] = "<" + '<BR ALIGN="LEFT"/>'.join(map(esc, lines)) + '<BR ALIGN="LEFT"/>>'
    return to_digraph(scene)


def _collapsed(root, topo, tensor, decimals, is_param, max_nodes, naming: Naming, view: dict):
    """Each group (neuron) as one node showing its last value; ungrouped nodes stay as they are."""
    where = "draw_graph"
    ids = IdMaker()
    key_to_box: dict[int, str] = {}
    boxes: dict[str, dict] = {}
    group_box: dict[str, str] = {}
    last_of_box: dict[str, object] = {}
    for n, plain_id in zip(topo, node_ids(topo, name=naming.name)):
        group = naming.group(n)
        if group is not None:
            box = group_box.get(group)
            if box is None:
                box = ids.take("cluster_" + (id_part(group) or str(len(group_box))))
                group_box[group] = box
                boxes[box] = {"group": group, "count": 0}
            boxes[box]["count"] += 1
        else:
            box = ids.take(plain_id)  # the id it has in the full view
            boxes[box] = {"group": None, "count": 1}
        key_to_box[id(n)] = box
        last_of_box[box] = n
    check_limit(len(boxes), max_nodes, where + "(collapse=True)", collapsible=False)
    node_attrs = {}
    for box, info in boxes.items():
        n = last_of_box[box]
        role = (
            "loss"
            if n is root
            else ("intermediate" if n.parents else ("parameter" if is_param(n) else "input"))
        )
        rows = []
        if info["group"] is not None:
            rows.append(f"<B>{esc(info['group'])}</B> ({info['count']} nodes)")
        label = naming.name(n)
        if label:
            rows.append(f"out: {esc(label)}" if info["group"] is not None else f"<B>{esc(label)}</B>")
        if tensor:
            rows.append(f"{esc(tuple(np.shape(n.data)))} {esc(str(np.asarray(n.data).dtype))}")
        else:
            rows.append(f"data {fmt(n.data, decimals)}")
            rows.append(f"grad {fmt(n.grad, decimals)}")
        cells = "".join(f"<TR><TD>{r}</TD></TR>" for r in rows)
        node_attrs[box] = {
            "id": box,
            "shape": "plain",
            "label": f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
            f'BGCOLOR="{ROLE_COLOURS[role]}" COLOR="{ROLE_BORDERS[role]}" STYLE="rounded">{cells}</TABLE>>',
        }
    edges, seen = [], set()
    depth = {box: 0 for box in boxes}
    for n in topo:
        head = key_to_box[id(n)]
        for p in n.parents:
            tail = key_to_box[id(p)]
            if tail != head:
                depth[head] = max(depth[head], depth[tail] + 1)
                if (tail, head) not in seen:
                    seen.add((tail, head))
                    eid = f"e_{tail}_{head}"
                    edges.append(EdgeItem(eid, tail, head, None, -1, {"id": eid}))
    # Neurons of one column read top-down in the model's order (N0, N1, ..., N15), the inputs
    # x1 above x2: the layout hands each column's places out in that order.
    rank = {name: k for k, name in enumerate(naming.group_order)}
    columns: dict[int, list[str]] = {}
    for box, info in boxes.items():
        if info["group"] is not None:
            columns.setdefault(depth[box], []).append(box)
    inputs = [b for b, info in boxes.items() if info["group"] is None and not last_of_box[b].parents
              and not is_param(last_of_box[b]) and last_of_box[b] is not root]
    if all(naming.name(last_of_box[b]) for b in inputs):
        inputs.sort(key=lambda b: natural_key(naming.name(last_of_box[b])))
    for column in columns.values():
        column.sort(key=lambda b: (0, rank[boxes[b]["group"]], []) if boxes[b]["group"] in rank
                    else (1, 0, natural_key(boxes[b]["group"])))
    chains = [c for c in [inputs, *columns.values()] if len(c) > 1]
    scene = Scene(
        root, tensor, decimals, [], {}, node_attrs, dict.fromkeys(node_attrs), {}, edges,
        {"rankdir": view["rankdir"], "fontname": FONT}, naming, orders=chains, chains=chains, fit=view["fit"],
    )
    scene.layout = pin_layout(scene)
    return to_digraph(scene, name="computation_graph_collapsed")
