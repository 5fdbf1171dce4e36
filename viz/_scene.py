"""The scene: a diagram as plain data (ids, nodes, edges, groups), before any Graphviz object exists.

Every view of one computation graph (the full graph, the gradient paths of a leaf, each frame of
the backward pass) starts from the same :class:`Scene`, so node ids and declaration order are
identical, and a view only changes attributes.  The scene is laid out once by ``dot`` (see
:mod:`viz._layout`) and every view is drawn at those pinned positions, so nothing moves between
views however its labels change.  :func:`viz._emit.to_digraph` is the one place a scene becomes a
``graphviz.Digraph``; :mod:`viz._style` holds the colours and HTML labels.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from autograd_nn.graph import topological_order

from ._layout import Layout, ambiguous_labels, natural_key, pin_layout
from ._style import FONT, op_attrs, value_attrs
from ._util import IdMaker, esc, fmt, id_part, is_tensor_node, op_word, operand_partner
from .naming import Naming


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
class Scene:
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

    def copy(self) -> Scene:
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


def build_scene(
    root, tensor: bool, decimals: int, is_param, symbols: bool, topo=None, naming=None, pin: bool = True
) -> Scene:
    """The full computation graph of ``root`` as a scene, styled as ``draw_graph`` shows it.

    ``naming`` (:func:`viz.naming.graph_naming`) gives every node's display name and group;
    its ``group_order`` (the model's neurons) is the top-down order of the clusters of one
    layer, and groups it does not list are sorted naturally (N2 before N10).  With ``pin`` the
    scene is laid out at once (if Graphviz's dot is installed).
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
    scene = Scene(
        root, tensor, decimals, values, by_key, node_attrs, node_cluster, cluster_attrs, edges, graph_attrs,
        naming,
    )
    scene.orders = orders
    if pin:
        scene.layout = pin_layout(scene)
        if scene.layout is not None:
            ambiguous = ambiguous_labels(scene.layout, [e.id for e in scene.edges if e.attrs.get("label")])
            for e in scene.edges:
                if e.id in ambiguous:
                    # a line from the label to its own edge: the label was placed nearer another one
                    e.attrs["decorate"] = "true"
    return scene


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
