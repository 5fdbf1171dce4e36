"""Emit: the one place a scene becomes a ``graphviz.Digraph``, pinned or laid out freely."""

from __future__ import annotations

import graphviz

from ._style import EDGE_FONTSIZE, FONT

#: The note written into a diagram whose layout could not be pinned.
UNPINNED_NOTE = (
    "positions not pinned: Graphviz's dot program was not found when this diagram was built, so "
    "different views of the same graph may be laid out differently"
)
PINNED_NOTE = "positions pinned (laid out once by dot); render with neato -n2, as viz.render does"


class PinnedDigraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose nodes and edges carry their positions: rendered by ``neato -n2``.

    ``neato -n2`` does no layout at all; it draws the positions given in points.  ``pipe`` and
    ``render`` (and so Jupyter's inline display and :func:`viz.render`) pass ``-n2`` unless told
    otherwise.

    Example:
        >>> g = PinnedDigraph(engine="neato")
        >>> g.node("a", pos="10,20!")
        >>> isinstance(g, graphviz.Digraph), g.engine
        (True, 'neato')
    """

    def pipe(self, *args, **kwargs):
        """Like ``graphviz.Digraph.pipe``, with ``neato_no_op=2`` by default."""
        if len(args) < 4:
            kwargs.setdefault("neato_no_op", 2)
        return super().pipe(*args, **kwargs)

    def render(self, *args, **kwargs):
        """Like ``graphviz.Digraph.render``, with ``neato_no_op=2`` by default."""
        kwargs.setdefault("neato_no_op", 2)
        return super().render(*args, **kwargs)


def to_digraph(scene, name: str = "computation_graph") -> graphviz.Digraph:
    """The one place a scene becomes a ``graphviz.Digraph``.

    With a pinned layout every node, edge and cluster carries its position and the diagram is a
    :class:`PinnedDigraph` (rendered by ``neato -n2``); without one (dot was
    missing when the scene was built) it is a plain ``dot`` diagram with a note saying so.
    """
    lay = scene.layout
    graph_attrs = dict(scene.graph_attrs)
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
        attrs = e.attrs if lay is None else {**e.attrs, **lay.edges[e.id]}
        g.edge(e.tail, e.head, **attrs)
    return g
