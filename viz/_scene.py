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

from ._layout import Layout, natural_key, pin_layout
from ._style import FONT, op_attrs, value_attrs
from ._util import (
    IdMaker,
    check_choice,
    check_fit,
    check_rankdir,
    esc,
    fmt,
    id_part,
    op_word,
    operand_partner,
)
from .naming import Naming
from .notation import DeltaNotation, check_learning_rate, check_notation, derivative


@dataclass
class ValueNode:
    """One node of the engine's graph and how the diagram names it."""

    node: object
    id: str
    op_id: str  # "" for a leaf
    role: str
    group: str | None
    name: str = ""  # what the diagram writes for it ("" for nothing), see viz.naming
    note: str = ""  # a last row under data and grad (the lecture's δ or Δw, see viz.notation)


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
    #: nodes of one rank and one cluster that the layout must stack in this order
    chains: list[list[str]] = field(default_factory=list)
    #: (id(child), index) -> the edge drawn for it, where that is not its own (``loss="node"``)
    aliases: dict[tuple[int, int], str] = field(default_factory=dict)
    #: the pinned layout every view is drawn at (None: dot was missing, views are laid out freely)
    layout: Layout | None = None
    #: the page the picture is scaled to, (width, height) in inches; None: its natural size
    fit: tuple[float, float] | None = None

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
        """The id of the edge drawn for ``child.parents[index]`` ("" where none is: inside a loss node)."""
        alias = self.aliases.get((id(child), index))
        if alias is not None:
            return alias
        return f"e_{self.by_key[id(child)].id}_{index}"


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
    root, tensor: bool, decimals: int, is_param, symbols: bool, topo=None, naming=None, pin: bool = True,
    *, rankdir: str = "LR", fit=None, loss: str = "ops", notes=None,
) -> Scene:
    """The full computation graph of ``root`` as a scene, styled as ``draw_graph`` shows it.

    ``naming`` (:func:`viz.naming.graph_naming`) gives every node's display name and group;
    its ``group_order`` (the model's neurons) is the top-down order of the clusters of one
    layer, and groups it does not list are sorted naturally (N2 before N10).  With ``pin`` the
    scene is laid out at once (if Graphviz's dot is installed).  ``rankdir``, ``fit`` and
    ``loss`` are :func:`viz.draw_graph`'s (checked by :func:`view_options`); ``notes`` maps
    ``id(node)`` to a last row for its value node (:meth:`viz.notation.DeltaNotation.labels`).
    """
    topo = topo if topo is not None else topological_order(root)
    naming = naming if naming is not None else Naming()
    inside = loss_part(root, naming) if loss == "node" else set()
    full_topo, topo = topo, [n for n in topo if id(n) not in inside]
    ids = IdMaker()
    values: list[ValueNode] = []
    by_key: dict[int, ValueNode] = {}
    # Where the error and a unit share a letter (the lecture's hidden unit E), the picture tells
    # them apart: "unit E" on every cluster, "E (error)" on the error.
    clash = bool(naming.name(root)) and naming.name(root) in {naming.group(n) for n in topo}
    for n, vid in zip(topo, node_ids(topo, ids, naming.name)):
        if n is root:
            role = "loss"
        elif n.parents:
            role = "intermediate"
        else:
            role = "parameter" if is_param(n) else "input"
        shown = f"{naming.name(n)} (error)" if clash and n is root else naming.name(n)
        vn = ValueNode(n, vid, "", role, naming.group(n), shown, (notes or {}).get(id(n), ""))
        values.append(vn)
        by_key[id(n)] = vn
    for n in full_topo:
        if id(n) in inside:
            by_key[id(n)] = by_key[id(root)]
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
                    "label": f"<<B>{esc(('unit ' if clash else '') + vn.group)}</B>>",
                    "style": "rounded,dashed",
                    "labelloc": "t",
                    "color": "#6c8ebf",
                    "fontname": FONT,
                }
        if vn.op_id:
            node_attrs[vn.op_id] = op_attrs(vn.node, vn.op_id)
            node_cluster[vn.op_id] = cid
            if inside and vn.node is root:
                node_attrs[vn.op_id]["label"] = f"<{esc(loss_formula(root, naming))}>"
                node_attrs[vn.op_id]["shape"] = "box"
                node_attrs[vn.op_id]["style"] = "filled,rounded"
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
        # (a parent inside a loss node has no depth of its own: it is drawn as part of the root)
        depth[id(vn.node)] = 1 + max((depth.get(id(p), 0) for p in vn.node.parents), default=-1)
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
    chains: list[list[str]] = []
    inputs = [vn for vn in values if vn.role == "input"]
    if all(vn.name for vn in inputs):
        inputs.sort(key=lambda vn: natural_key(vn.name))
    if len(inputs) > 1:
        orders.append([vn.id for vn in inputs])
        chains.append([vn.id for vn in inputs])
    # A neuron's parameters read top-down in operand order (w_DA, w_DB, then the bias), as the
    # slides write Σ w·h + b; the layout puts them so, since dot stacks them in any order.
    for vn in values:
        leaves = [by_key[id(p)] for p in vn.node.parents if not p.parents]
        own = list(dict.fromkeys(p.id for p in leaves if p.role == "parameter" and p.group == vn.group))
        if len(own) > 1:
            chains.append(own)

    # Labels of two lines where width is short: on a page, and top to bottom (the edges into a sum
    # then fan out sideways, where one-line labels would run into each other).
    compact = fit is not None or rankdir == "TB"
    edges: list[EdgeItem] = []
    aliases: dict[tuple[int, int], str] = {}
    for vn in values:
        n = vn.node
        if not n.parents:
            continue
        if inside and n is root:
            edges += _loss_edges(root, inside, full_topo, vn, by_key, decimals, symbols, naming, compact,
                                 aliases)
            edges.append(EdgeItem(f"e_{vn.id}_out", vn.op_id, vn.id, n, -1, {"id": f"e_{vn.id}_out"}))
            continue
        for i, parent in enumerate(n.parents):
            eid = f"e_{vn.id}_{i}"
            attrs = {"id": eid}
            if not tensor:
                attrs["label"] = edge_label(n, i, decimals, symbols, naming.name, two_lines=compact)
            edges.append(EdgeItem(eid, by_key[id(parent)].id, vn.op_id, n, i, attrs))
        out_id = f"e_{vn.id}_out"
        edges.append(EdgeItem(out_id, vn.op_id, vn.id, n, -1, {"id": out_id}))
    graph_attrs = {
        "rankdir": rankdir,
        "fontname": FONT,
        # A picture that must fit a wide page packs its columns closer (the labels keep their room)
        # and spreads its rows, whose room a 16:9 page has to spare.
        "nodesep": "0.25" if fit is None else "0.3",
        "ranksep": "0.45" if fit is None or rankdir == "TB" else "0.12",
        "labelloc": "b",
    }
    scene = Scene(
        root, tensor, decimals, values, by_key, node_attrs, node_cluster, cluster_attrs, edges, graph_attrs,
        naming,
    )
    scene.orders = orders + [c for c in chains if c not in orders]
    scene.aliases = aliases
    scene.chains = chains
    scene.fit = fit
    if pin:
        scene.layout = pin_layout(scene)
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
    text = derivative(child, parent)
    other = operand_partner(node, i)
    if other is not None and name(other):
        text += f" = {name(other)}"
    return text


def edge_label(node, i: int, decimals: int, symbols: bool, name=None, two_lines: bool = False) -> str:
    """The HTML label of the edge into ``node`` from ``node.parents[i]``: its derivative and value.

    ``two_lines`` puts the number under the symbols, for pictures that must fit a page: the
    labels set how far apart the columns of a left-to-right graph are.

    Example:
        >>> from autograd_nn import Value
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = w * x; y.label = "y"
        >>> edge_label(y, 0, 2, True), edge_label(y, 0, 2, True, two_lines=True)
        ('<∂y/∂w = x = 3.00>', '<∂y/∂w = x<BR/>= 3.00>')
    """
    number = fmt(node.local[i], decimals)
    symbol = edge_symbol(node, i, name) if symbols else ""
    if not symbol:
        return f"<{esc(number)}>"
    return f"<{esc(symbol)}{'<BR/>' if two_lines else ' '}= {esc(number)}>"


#: How the error is drawn: each op of it ("ops") or one node E = ½(t − y)² ("node").
LOSS_FORMS = ("ops", "node")


def view_options(where: str, rankdir="LR", fit=None, loss="ops") -> dict:
    """The checked ``rankdir``, ``fit`` and ``loss`` of a view, as :func:`build_scene` takes them.

    Example:
        >>> view_options("draw_graph", fit="slide")
        {'rankdir': 'LR', 'fit': (13.33, 7.5), 'loss': 'ops'}
    """
    loss = check_choice("loss", loss, LOSS_FORMS, where)
    return {"rankdir": check_rankdir(rankdir, where), "fit": check_fit(fit, where), "loss": loss}


def delta_notation(notation, learning_rate, where, root, model, names, params, topo, naming, replay=None):
    """The :class:`~viz.notation.DeltaNotation` a view writes with for ``notation="delta"``, else None.

    Checks ``notation`` and ``learning_rate``; the lecture's δ belong to a model's neurons, so
    "delta" without ``model`` is a ``ValueError``.

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> from autograd_nn.graph import topological_order
        >>> from viz.naming import graph_naming
        >>> ex = worked_example(); topo = topological_order(ex.error)
        >>> naming = graph_naming(topo, ex.model, ex.names)
        >>> delta = delta_notation("delta", 10, "x", ex.error, ex.model, ex.names, None, topo, naming)
        >>> delta.labels()[id(ex.weights["w_GD"])]
        'Δw_GD = 0.3816'
    """
    learning_rate = check_learning_rate(learning_rate)
    if check_notation(notation, where) == "grad":
        return None
    if model is None:
        raise ValueError(f"{where}: notation='delta' writes each neuron's δ: pass the model (model=...)")
    return DeltaNotation(
        root, model, names, learning_rate=learning_rate, params=params, topo=topo, naming=naming,
        replay=replay,
    )


def loss_part(root, naming) -> set[int]:
    """The nodes (by id) that compute the error from the model's output, the root left out.

    Everything the root is computed from that is no leaf and belongs to no neuron: for
    E = ½(t − y)², the nodes t − y and (t − y)².  ``loss="node"`` draws them as one node.

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> from autograd_nn.graph import topological_order
        >>> from viz.naming import graph_naming
        >>> ex = worked_example()
        >>> naming = graph_naming(topological_order(ex.error), ex.model, ex.names)
        >>> len(loss_part(ex.error, naming))
        2
    """
    if not naming.has_groups:
        raise ValueError(
            "loss='node' draws the error as one node after the model's output: pass the model "
            "(model=...), so the diagram knows where the model ends"
        )
    found: set[int] = set()
    stack = [root]
    while stack:
        for p in stack.pop().parents:
            if p.parents and naming.group(p) is None and id(p) not in found:
                found.add(id(p))
                stack.append(p)
    return found


def _is_l2(root) -> bool:
    """Whether ``root`` is ½(c − y)², as :func:`autograd_nn.losses.l2` builds it."""
    sq = root.parents[0] if root.op == "*" and getattr(root, "const", None) == 0.5 else None
    diff = sq.parents[0] if sq is not None and sq.op == "**" and getattr(sq, "const", None) == 2 else None
    return diff is not None and diff.parents != () and len(diff.parents) == 1


def loss_formula(root, naming) -> str:
    """What the error node of ``loss="node"`` writes: ``E = ½(t − y)²`` for the lecture's error.

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> from viz.naming import Naming
        >>> loss_formula(worked_example().error, Naming())
        'E = ½(t − y)²'
    """
    name = naming.name(root) or "E"
    return f"{name} = ½(t − y)²" if _is_l2(root) else f"{name} = loss"


def _loss_edges(root, inside, topo, vn, by_key, decimals, symbols, naming, compact, aliases) -> list:
    """The edges into the one error node: from each node the loss part reads, with d root / d node."""
    order = [n for n in reversed(topo) if n is root or id(n) in inside]
    grads = {id(root): 1.0}
    outside = []
    for n in order:
        g = grads.get(id(n), 0.0)
        for i, p in enumerate(n.parents):
            grads[id(p)] = grads.get(id(p), 0.0) + n.local[i] * g
            if id(p) not in inside:
                if p not in outside:
                    outside.append(p)
                aliases[(id(n), i)] = f"e_{vn.id}_{outside.index(p)}"
            else:
                aliases[(id(n), i)] = ""
    edges = []
    l2 = _is_l2(root)
    for k, p in enumerate(outside):
        eid = f"e_{vn.id}_{k}"
        number = fmt(grads[id(p)], decimals)
        symbol = ""
        if symbols and naming.name(p):
            symbol = f"∂{naming.name(root) or 'E'}/∂{naming.name(p)}" + (" = −(t − y)" if l2 else "")
        text = f"{esc(symbol)}{'<BR/>' if compact else ' '}= {number}" if symbol else number
        edges.append(EdgeItem(eid, by_key[id(p)].id, vn.op_id, root, k, {"id": eid, "label": f"<{text}>"}))
    return edges

