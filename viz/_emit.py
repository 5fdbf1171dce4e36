"""Emit: the one place a scene becomes a ``graphviz.Digraph``, pinned or laid out freely."""

from __future__ import annotations

import graphviz

from ._backend import Diagram
from ._style import EDGE_FONTSIZE, FONT

#: The note written into a diagram whose layout could not be pinned.
UNPINNED_NOTE = (
    "positions not pinned: Graphviz's dot program was not found when this diagram was built, so "
    "different views of the same graph may be laid out differently"
)
PINNED_NOTE = "positions pinned (laid out once by dot); render with neato -n2, as viz.render does"


def to_digraph(scene, name: str = "computation_graph") -> graphviz.Digraph:
    """The one place a scene becomes a ``graphviz.Digraph``.

    With a pinned layout every node, edge and cluster carries its position and the diagram is a
    pinned :class:`viz._backend.Diagram` (rendered by ``neato -n2``); without one (dot was
    missing when the scene was built) it is a plain ``dot`` diagram with a note saying so.
    """
    lay = scene.layout
    graph_attrs = dict(scene.graph_attrs)
    if lay is not None:
        # edges first, so a label's white box hides the line it sits on, not the other way round
        graph_attrs.setdefault("outputorder", "edgesfirst")
    if getattr(scene, "fit", None) is not None:
        # scaled, up or down, to the page: a slide shows the picture as large as it fits
        graph_attrs["size"] = "{:g},{:g}!".format(*scene.fit)
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
        g = Diagram(comment=UNPINNED_NOTE if name != "layout" else None, **common)
    else:
        g = Diagram(comment=PINNED_NOTE, engine="neato", pinned=True, **common)

    def node_attrs(nid: str) -> dict:
        attrs = scene.node_attrs[nid]
        if lay is None:
            return attrs
        x, y = lay.nodes[nid]
        return {**attrs, "pos": f"{x:.2f},{y:.2f}!"}

    members: dict[str | None, list[str]] = {}
    for nid, cid in scene.node_cluster.items():
        members.setdefault(cid, []).append(nid)
    for cid, attrs in scene.cluster_attrs.items():
        with g.subgraph(name=cid) as sub:
            sub.attr(**attrs, **(lay.clusters.get(cid, {}) if lay is not None else {}))
            for nid in members.get(cid, []):
                sub.node(nid, **node_attrs(nid))
    for nid in members.get(None, []):
        g.node(nid, **node_attrs(nid))
    for e in scene.edges:
        attrs = e.attrs if lay is None else {**e.attrs, **lay.edges.get(e.id, {})}
        if lay is not None and e.id in lay.labels and "label" in attrs:
            attrs = dict(attrs)
            _label_node(g, e.id, attrs.pop("label"), attrs, lay.labels[e.id])
            attrs.pop("lp", None)
        g.edge(e.tail, e.head, **attrs)
    return g


def _label_node(g, edge_id: str, label: str, edge_attrs: dict, at: tuple[float, float]) -> None:
    """An edge's label as a small white-backed node pinned on the edge itself.

    A Graphviz edge label floats beside its edge, where it can end up nearer another edge; on
    the edge, with the line hidden behind it, it can only be read as that edge's.  Its id is the
    edge's plus ``_label``, and it carries the edge's classes after ``edge-label``.
    """
    classes = " ".join(["edge-label", *edge_attrs.get("class", "").split()])
    g.node(
        f"{edge_id}_label",
        id=f"{edge_id}_label",
        label=label,
        shape="box",
        style="filled",
        fillcolor="white",
        color="white",
        penwidth="0",
        width="0",
        height="0",
        margin="0.02,0.01",
        fontsize=str(EDGE_FONTSIZE),
        fontcolor=edge_attrs.get("fontcolor", "black"),
        pos=f"{at[0]:.2f},{at[1]:.2f}!",
        **{"class": classes},
    )
