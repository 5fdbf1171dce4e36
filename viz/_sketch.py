"""A diagram as plain data (ids, labels, attributes), separate from the Digraph that shows it.

Every view of one computation graph (the full graph, the gradient paths of a leaf, each frame of
the backward pass) starts from the same :class:`Sketch`, so node ids and declaration order are
identical, and a view only changes attributes.  The sketch is laid out once by ``dot`` (see
:mod:`viz._layout`) and every view is drawn at those pinned positions, so nothing moves between
views however its labels change.  ``to_digraph`` is the one place that turns a sketch into a
``graphviz.Digraph``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import graphviz
import numpy as np

from autograd_nn.graph import topological_order

from ._layout import (
    PINNED_NOTE,
    UNPINNED_NOTE,
    Layout,
    PinnedDigraph,
    ambiguous_labels,
    dot_layout,
    natural_key,
    order_score,
)
from ._util import IdMaker, esc, fmt, id_part, is_tensor_node, op_text, op_word, operand_partner
from .naming import Naming

ROLE_COLOURS = {
    "input": "#d5e8d4",
    "parameter": "#fff2cc",
    "intermediate": "#f5f5f5",
    "loss": "#f8cecc",
}
ROLE_BORDERS = {
    "input": "#82b366",
    "parameter": "#d6b656",
    "intermediate": "#999999",
    "loss": "#b85450",
}
FONT = "Helvetica"
EDGE_FONTSIZE = 10


@dataclass
class ValueNode:
    """One node of the engine's graph and how the diagram names it."""

    node: object
    id: str
    op_id: str  # "" for a leaf
    role: str
    group: str | None
    name: str = ""  # what the diagram writes for it ("" for nothing), see viz.naming


@dataclass
class EdgeItem:
    """The edge from ``child.parents[index]`` into the op node of ``child``."""

    id: str
    tail: str
    head: str
    child: object
    index: int
    attrs: dict = field(default_factory=dict)


@dataclass
class Sketch:
    root: object
    tensor: bool
    decimals: int
    values: list[ValueNode]
    by_key: dict[int, ValueNode]
    node_attrs: dict[str, dict]  # every diagram node id -> attributes (label included)
    node_cluster: dict[str, str | None]
    cluster_attrs: dict[str, dict]
    edges: list[EdgeItem]
    graph_attrs: dict
    #: the display names and groups every view of this graph writes
    naming: Naming = field(default_factory=Naming)
    #: names (node or cluster ids) that should read top-down in this order, one list per column
    orders: list[list[str]] = field(default_factory=list)
    #: the pinned layout every view is drawn at (None: dot was missing, views are laid out freely)
    layout: Layout | None = None

    def copy(self) -> Sketch:
        """A copy whose attribute dicts can be restyled without touching this one."""
        new = copy.copy(self)
        new.node_attrs = {k: dict(v) for k, v in self.node_attrs.items()}
        new.cluster_attrs = {k: dict(v) for k, v in self.cluster_attrs.items()}
        new.edges = [copy.copy(e) for e in self.edges]
        for e in new.edges:
            e.attrs = dict(e.attrs)
        new.graph_attrs = dict(self.graph_attrs)
        return new

    def edge_key(self, child, index: int) -> str:
        return f"e_{self.by_key[id(child)].id}_{index}"


def parameter_rule(model=None, params=None):
    """Which leaves are parameters: a model's parameters, a given set, or the labelling rule.

    Without either, a Tensor is a parameter when it requires a gradient and a Value when its
    label reads like a weight (``w_...``, ``b_...``).
    """
    if model is not None:
        keys = {id(p) for p in model.parameters()}
        return lambda n: id(n) in keys
    if params is not None:
        keys = {id(p) for p in params}
        return lambda n: id(n) in keys

    def rule(n) -> bool:
        requires_grad = getattr(n, "requires_grad", None)
        if isinstance(requires_grad, bool) and is_tensor_node(n):
            return requires_grad
        label = getattr(n, "label", "") or ""
        return label.startswith(("w_", "b_"))

    return rule


def node_ids(topo, ids: IdMaker | None = None, name=None) -> list[str]:
    """Stable ids of the nodes of ``topo``: the name when unique, else name or op plus position.

    ``name(node)`` is the node's display name (:meth:`viz.naming.Naming.name`; its label by
    default).

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.graph import topological_order
        >>> a = Value(1.0, label="a"); b = (a * 2).tanh()
        >>> node_ids(topological_order(b))
        ['a', 'op_1', 'tanh_2']
    """
    ids = ids if ids is not None else IdMaker()
    name = name or Naming().name
    labels = [name(n) for n in topo]
    counts: dict[str, int] = {}
    for lab in labels:
        part = id_part(lab)
        counts[part] = counts.get(part, 0) + 1
    # Labels are reserved first, so a label "mul_3" never loses its name to a generated id.
    preferred = []
    for lab in labels:
        part = id_part(lab)
        preferred.append(ids.take(part) if part and counts[part] == 1 else None)
    out = []
    for pos, (n, vid) in enumerate(zip(topo, preferred)):
        if vid is None:
            part = id_part(labels[pos])
            vid = ids.take(f"{part or (op_word(n.op) if n.op else 'leaf')}_{pos}")
        out.append(vid)
    return out


def build_sketch(
    root, tensor: bool, decimals: int, is_param, symbols: bool, topo=None, naming=None, pin: bool = True
) -> Sketch:
    """The full computation graph of ``root`` as a sketch, styled as ``draw_graph`` shows it.

    ``naming`` (:func:`viz.naming.graph_naming`) gives every node's display name and group;
    its ``group_order`` (the model's neurons) is the top-down order of the clusters of one
    layer, and groups it does not list are sorted naturally (N2 before N10).  With ``pin`` the
    sketch is laid out at once (if Graphviz's dot is installed).
    """
    topo = topo if topo is not None else topological_order(root)
    naming = naming if naming is not None else Naming()
    ids = IdMaker()
    values: list[ValueNode] = []
    by_key: dict[int, ValueNode] = {}
    for n, vid in zip(topo, node_ids(topo, ids, naming.name)):
        if n is root:
            role = "loss"
        elif n.parents:
            role = "intermediate"
        else:
            role = "parameter" if is_param(n) else "input"
        vn = ValueNode(n, vid, "", role, naming.group(n), naming.name(n))
        values.append(vn)
        by_key[id(n)] = vn
    for vn in values:
        if vn.node.parents:
            vn.op_id = ids.take(f"{vn.id}__op")

    cluster_ids: dict[str, str] = {}
    cluster_attrs: dict[str, dict] = {}
    node_cluster: dict[str, str | None] = {}
    node_attrs: dict[str, dict] = {}
    for vn in values:
        cid = None
        if vn.group is not None:
            cid = cluster_ids.get(vn.group)
            if cid is None:
                cid = ids.take("cluster_" + (id_part(vn.group) or str(len(cluster_ids))))
                cluster_ids[vn.group] = cid
                cluster_attrs[cid] = {
                    "id": cid,
                    "label": f"<<B>{esc(vn.group)}</B>>",
                    "style": "rounded,dashed",
                    "labelloc": "t",
                    "color": "#6c8ebf",
                    "fontname": FONT,
                }
        if vn.op_id:
            node_attrs[vn.op_id] = op_attrs(vn.node, vn.op_id)
            node_cluster[vn.op_id] = cid
        node_attrs[vn.id] = value_attrs(vn, tensor, decimals)
        node_cluster[vn.id] = cid

    # Clusters declared in the model's neuron order (D, E, G; L0.N0, L0.N1, ...), and within each
    # column of the picture (neurons at the same depth) they should read top-down in that order,
    # like the slides; the depth-first search meets them in no useful order.
    group_of = {cid: g for g, cid in cluster_ids.items()}
    rank = {g: k for k, g in enumerate(naming.group_order)}

    def group_key(cid: str):
        g = group_of[cid]
        return (0, rank[g], []) if g in rank else (1, 0, natural_key(g))

    cluster_attrs = {c: cluster_attrs[c] for c in sorted(cluster_attrs, key=group_key)}
    depth: dict[int, int] = {}
    for vn in values:
        depth[id(vn.node)] = 1 + max((depth[id(p)] for p in vn.node.parents), default=-1)
    column: dict[str, int] = {}
    for vn in values:
        cid = node_cluster[vn.id]
        if cid is not None:
            column[cid] = max(column.get(cid, 0), depth[id(vn.node)])
    orders: list[list[str]] = []
    for d in sorted(set(column.values())):
        same = [c for c in cluster_attrs if column[c] == d]
        if len(same) > 1:
            orders.append(same)
    inputs = [vn for vn in values if vn.role == "input"]
    if all(vn.name for vn in inputs):
        inputs.sort(key=lambda vn: natural_key(vn.name))
    if len(inputs) > 1:
        orders.append([vn.id for vn in inputs])

    edges: list[EdgeItem] = []
    for vn in values:
        n = vn.node
        if not n.parents:
            continue
        for i, parent in enumerate(n.parents):
            eid = f"e_{vn.id}_{i}"
            attrs = {"id": eid}
            if not tensor:
                attrs["label"] = f"<{esc(edge_text(n, i, decimals, symbols, naming.name))}>"
            edges.append(EdgeItem(eid, by_key[id(parent)].id, vn.op_id, n, i, attrs))
        out_id = f"e_{vn.id}_out"
        edges.append(EdgeItem(out_id, vn.op_id, vn.id, n, -1, {"id": out_id}))
    graph_attrs = {
        "rankdir": "LR",
        "fontname": FONT,
        "nodesep": "0.25",
        "ranksep": "0.45",
        "labelloc": "b",
    }
    sketch = Sketch(
        root, tensor, decimals, values, by_key, node_attrs, node_cluster, cluster_attrs, edges, graph_attrs,
        naming,
    )
    sketch.orders = orders
    if pin:
        sketch.layout = pin_layout(sketch)
        if sketch.layout is not None:
            ambiguous = ambiguous_labels(sketch.layout, [e.id for e in sketch.edges if e.attrs.get("label")])
            for e in sketch.edges:
                if e.id in ambiguous:
                    # a line from the label to its own edge: the label was placed nearer another one
                    e.attrs["decorate"] = "true"
    return sketch


def layout_source(sketch: Sketch, reverse_clusters: bool = False) -> str:
    """The DOT text that is laid out for every view: labels at the largest size any view gives them.

    Edge labels are bold (as on a highlighted path) and there is no caption; node sizes do not
    matter for the pinned centres, only for the room around them.
    """
    lay = sketch.copy()
    lay.layout = None
    lay.graph_attrs.pop("label", None)
    for e in lay.edges:
        label = e.attrs.get("label")
        if label and not label.startswith("<<B>"):
            e.attrs["label"] = f"<<B>{label[1:-1]}</B>>"
    if reverse_clusters:
        lay.cluster_attrs = dict(reversed(list(lay.cluster_attrs.items())))
    return to_digraph(lay, name="layout").source


def pin_layout(sketch: Sketch) -> Layout | None:
    """Lay the sketch out with dot, choosing among a few equally valid layouts the one whose
    clusters and inputs best read top-down in order (see ``Sketch.orders``); None without dot.
    """
    candidates = []
    for reverse in (False, True) if len(sketch.cluster_attrs) > 1 else (False,):
        lay = dot_layout(layout_source(sketch, reverse))
        if lay is None or not _complete(lay, sketch):
            break
        candidates += [lay, lay.mirrored()]
    if not candidates:
        return None
    # max keeps the first of equal scores: dot's own layout unless another reads better
    return max(candidates, key=lambda lay: order_score(lay, sketch.orders))


def _complete(layout: Layout, sketch: Sketch) -> bool:
    return all(n in layout.nodes for n in sketch.node_attrs) and all(
        e.id in layout.edges and "pos" in layout.edges[e.id] for e in sketch.edges
    )


def op_attrs(node, op_id: str) -> dict:
    return {
        "id": op_id,
        "label": f"<{esc(op_text(node))}>",
        "shape": "circle" if len(op_text(node)) <= 2 else "ellipse",
        "style": "filled",
        "fillcolor": "#dae8fc",
        "color": "#6c8ebf",
        "fontsize": "11",
        "margin": "0.02",
        "width": "0.35",
        "height": "0.35",
    }


def value_attrs(vn: ValueNode, tensor: bool, decimals: int, grad_text=None, fill=None, **extra) -> dict:
    attrs = {
        "id": vn.id,
        "shape": "plain",
        "label": value_label(vn, tensor, decimals, grad_text=grad_text, fill=fill, **extra),
    }
    return attrs


def value_label(
    vn: ValueNode,
    tensor: bool,
    decimals: int,
    grad_text=None,
    fill=None,
    border=None,
    border_width: int = 1,
    grey: bool = False,
    text_colour: str | None = None,
) -> str:
    """The HTML table of a value node: name, then data and grad (or shape and dtype)."""
    n = vn.node
    fill = fill or ROLE_COLOURS[vn.role]
    border = border or ROLE_BORDERS[vn.role]
    font = ' COLOR="#999999"' if grey else (f' COLOR="{text_colour}"' if text_colour else "")
    rows = []
    if vn.name:
        rows.append(f"<B>{esc(vn.name)}</B>")
    if tensor:
        rows.append(f"{esc(n.op or 'leaf')} {esc(tuple(np.shape(n.data)))}")
        rows.append(esc(str(np.asarray(n.data).dtype)))
    else:
        rows.append(f"data {fmt(n.data, decimals)}")
        if grad_text is None:
            grad_text = fmt(n.grad, decimals)
        rows.append(f"grad {grad_text}")
    cells = "".join(f"<TR><TD>{f'<FONT{font}>{r}</FONT>' if font else r}</TD></TR>" for r in rows)
    return (
        f'<<TABLE BORDER="{border_width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
        f'BGCOLOR="{fill}" COLOR="{border}" STYLE="rounded">{cells}</TABLE>>'
    )


def edge_symbol(node, i: int, name=None) -> str:
    """``∂s_D/∂w_DA = x1``: the derivative an edge carries, named from the display names.

    The partner of a factor (``x1`` for ``w_DA`` in a weighted sum or a product) is the
    derivative itself; "" when the child or the parent has no name.

    Example:
        >>> from autograd_nn import Value
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = w * x; y.label = "y"
        >>> edge_symbol(y, 0), edge_symbol(y + 1, 0)
        ('∂y/∂w = x', '')
    """
    name = name or Naming().name
    child, parent = name(node), name(node.parents[i])
    if not (child and parent):
        return ""
    text = f"∂{child}/∂{parent}"
    other = operand_partner(node, i)
    if other is not None and name(other):
        text += f" = {name(other)}"
    return text


def edge_text(node, i: int, decimals: int, symbols: bool, name=None) -> str:
    number = fmt(node.local[i], decimals)
    symbol = edge_symbol(node, i, name) if symbols else ""
    return f"{symbol} = {number}" if symbol else number


def grad_colour(g: float, biggest: float) -> str:
    """Blue for a positive gradient, red for a negative one, deeper for a larger magnitude."""
    if not math.isfinite(g):
        return "#ff00ff"
    if biggest <= 0.0 or g == 0.0:
        return "#ffffff"
    # The square root keeps small but nonzero gradients visible next to a large one.
    t = min(1.0, math.sqrt(abs(g) / biggest))
    r0, g0, b0 = (0x2B, 0x6C, 0xB0) if g > 0 else (0xC0, 0x39, 0x2B)
    mix = [round(255 + (c - 255) * (0.15 + 0.85 * t)) for c in (r0, g0, b0)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2), from 0 (black) to 1 (white).

    Example:
        >>> luminance("#ffffff"), luminance("#000000")
        (1.0, 0.0)
    """
    channels = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; 4.5 is the minimum for normal text).

    Example:
        >>> round(contrast("#000000", "#ffffff"), 1)
        21.0
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (always at least 4.5:1).

    Example:
        >>> text_on("#ffffff"), text_on("#2b6cb0")
        ('#000000', '#ffffff')
    """
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def to_digraph(sketch: Sketch, name: str = "computation_graph") -> graphviz.Digraph:
    """The one place a sketch becomes a ``graphviz.Digraph``.

    With a pinned layout every node, edge and cluster carries its position and the diagram is a
    :class:`~viz._layout.PinnedDigraph` (rendered by ``neato -n2``); without one (dot was
    missing when the sketch was built) it is a plain ``dot`` diagram with a note saying so.
    """
    lay = sketch.layout
    graph_attrs = dict(sketch.graph_attrs)
    if "label" in graph_attrs:
        # A caption hangs below the picture from its left edge, so however long it is, it moves
        # nothing above it (views differ only in their captions).
        graph_attrs.setdefault("labelloc", "b")
        graph_attrs.setdefault("labeljust", "l")
    common = dict(
        name=name,
        graph_attr=graph_attrs,
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"fontname": FONT, "fontsize": str(EDGE_FONTSIZE), "arrowsize": "0.6"},
    )
    if lay is None:
        g = graphviz.Digraph(comment=UNPINNED_NOTE if name != "layout" else None, **common)
    else:
        g = PinnedDigraph(comment=PINNED_NOTE, engine="neato", **common)

    def node_attrs(nid: str) -> dict:
        attrs = sketch.node_attrs[nid]
        if lay is None:
            return attrs
        x, y = lay.nodes[nid]
        return {**attrs, "pos": f"{x:.2f},{y:.2f}!"}

    members: dict[str | None, list[str]] = {}
    for nid, cid in sketch.node_cluster.items():
        members.setdefault(cid, []).append(nid)
    for cid, attrs in sketch.cluster_attrs.items():
        with g.subgraph(name=cid) as sub:
            sub.attr(**attrs, **(lay.clusters.get(cid, {}) if lay is not None else {}))
            for nid in members.get(cid, []):
                sub.node(nid, **node_attrs(nid))
    for nid in members.get(None, []):
        g.node(nid, **node_attrs(nid))
    for e in sketch.edges:
        attrs = e.attrs if lay is None else {**e.attrs, **lay.edges[e.id]}
        g.edge(e.tail, e.head, **attrs)
    return g
