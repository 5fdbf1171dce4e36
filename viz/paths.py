"""``draw_gradient_paths``: the chain rule drawn, every path from the root to one node."""

from __future__ import annotations

import math

import graphviz

from autograd_nn.graph import DEFAULT_MAX_PATHS, all_paths, topological_order

from ._emit import to_digraph
from ._scene import build_scene, delta_notation, view_options
from ._style import value_label
from ._util import (
    DEFAULT_MAX_NODES,
    check_decimals,
    check_limit,
    check_root,
    describe,
    esc,
    factor,
    fmt,
)
from .naming import graph_naming, parameter_rule

__all__ = ["CAPTION_PATHS", "GREY", "PATH_COLOURS", "draw_gradient_paths", "path_products"]

#: One colour per path (cycled when there are more paths than colours).
PATH_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
GREY = "#c8c8c8"
#: At most this many paths are written out in the caption (all are drawn and summed).
CAPTION_PATHS = 12


def path_products(root, leaf, max_paths: int = DEFAULT_MAX_PATHS) -> list[tuple[list, float]]:
    """Each path from ``root`` to ``leaf`` (edges ``(node, parent_index)``) with its product.

    The product of the local derivatives along a path is that path's share of
    d root / d leaf; the sum over all paths is the derivative itself (the chain rule).

    The paths are counted first: their number can grow exponentially with depth, so more than
    ``max_paths`` raise a ``ValueError`` that gives the count and how to raise the limit.

    Example:
        >>> from autograd_nn import Value
        >>> from viz.paths import path_products
        >>> a = Value(3.0); b = a * a
        >>> [p for _, p in path_products(b, a)]
        [3.0, 3.0]
        >>> x = a
        >>> for _ in range(40):
        ...     x = x * x
        >>> path_products(x, a)
        Traceback (most recent call last):
        ...
        ValueError: path_products: there are 1099511627776 paths (about 1.1e+12), more than ...
    """
    paths = all_paths(root, leaf, max_paths, where="path_products")
    return [(path, math.prod(n.local[i] for n, i in path)) for path in paths]


def draw_gradient_paths(
    root,
    leaf,
    *,
    decimals: int = 4,
    symbols: bool = True,
    model=None,
    names=None,
    params=None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_paths: int = DEFAULT_MAX_PATHS,
    rankdir: str = "LR",
    fit=None,
    loss: str = "ops",
    notation: str = "grad",
    learning_rate=None,
) -> graphviz.Digraph:
    """The graph of :func:`viz.draw_graph` with every path from ``root`` to ``leaf`` highlighted.

    Same node ids, edges and pinned positions as ``draw_graph`` (so nothing moves between
    slides); only the styling changes.  Edges on a path are drawn thick in the colour
    of their path (an edge shared by several paths in all their colours) and carry the class
    ``gradient-path`` plus ``path-<k>`` for each path through them (classes appear in SVG);
    every other edge and node is greyed.  The caption writes each path's product of local
    derivatives and, for several paths, their sum, which is d root / d leaf, i.e. ``leaf.grad``
    after ``root.backward()``.  A ``leaf`` outside the graph of ``root`` raises ``ValueError``,
    and so do more than ``max_paths`` paths (their number, counted first, can grow
    exponentially with depth).  ``model`` and ``names`` name and group the nodes, and
    ``rankdir``, ``fit``, ``loss``, ``notation`` and ``learning_rate`` work, as in
    :func:`viz.draw_graph`.

    Example:
        >>> from autograd_nn import Value
        >>> import viz
        >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"; y.backward()
        >>> dot = viz.draw_gradient_paths(y, x)
        >>> dot.source.count('class="gradient-path'), "sum = 4.0000" in dot.source
        (2, True)
    """
    where = "draw_gradient_paths"
    tensor = check_root(root, where)
    if not (isinstance(getattr(leaf, "parents", None), tuple) and hasattr(leaf, "op")):
        raise TypeError(
            f"{where}: leaf must be a node of the graph (a Value or Tensor), got {describe(leaf)}"
        )
    decimals = check_decimals(decimals)
    view = view_options(where, rankdir, fit, loss)
    topo = topological_order(root)
    naming = graph_naming(topo, model, names)
    if not any(n is leaf for n in topo):
        raise ValueError(
            f"{where}: the node {naming.name(leaf) or describe(leaf)!r} is not in the graph of the root "
            f"{naming.name(root) or root.op or 'node'!r}; pass a node that the root was computed from"
        )
    check_limit(len(topo), max_nodes, where, collapsible=False)
    paths = all_paths(root, leaf, max_paths, where=where)
    is_param = parameter_rule(model, params)
    delta = delta_notation(notation, learning_rate, where, root, model, names, params, topo, naming)
    notes = delta.labels(decimals) if delta is not None else None
    scene = build_scene(root, tensor, decimals, is_param, symbols, topo, naming, notes=notes, **view)
    count = len(paths)
    products = [math.prod(n.local[i] for n, i in p) for p in paths] if not tensor else []
    total = None if tensor else math.fsum(products)
    edge_paths: dict[str, list[int]] = {}
    node_on_path: set[str] = {scene.by_key[id(leaf)].id, scene.by_key[id(root)].id}
    for k, path in enumerate(paths):
        for n, i in path:
            edge_paths.setdefault(scene.edge_key(n, i), []).append(k)
            vn = scene.by_key[id(n)]
            node_on_path.update((vn.id, vn.op_id, scene.by_key[id(n.parents[i])].id))
    single = count == 1

    for e in scene.edges:
        ks = edge_paths.get(e.id)
        if e.index < 0:
            # op -> value edge: on a path when its value node is
            on = e.tail in node_on_path and e.head in node_on_path
            ks = None
            e.attrs.update(
                {"color": "#444444", "penwidth": "2"} if on else {"color": GREY, "fontcolor": GREY}
            )
            continue
        if ks:
            colours = ["#d62728"] if single else [PATH_COLOURS[k % len(PATH_COLOURS)] for k in ks]
            e.attrs.update(
                {
                    "color": ":".join(colours),
                    "penwidth": "2.5",
                    "fontcolor": colours[0] if len(set(colours)) == 1 else "#000000",
                    "class": "gradient-path " + " ".join(f"path-{k}" for k in ks),
                }
            )
            if "label" in e.attrs:
                e.attrs["label"] = f"<<B>{e.attrs['label'][1:-1]}</B>>"
        else:
            e.attrs.update({"color": GREY, "fontcolor": GREY})
    for vn in scene.values:
        grey = vn.id not in node_on_path
        target = vn.node is leaf
        scene.node_attrs[vn.id]["label"] = value_label(
            vn,
            tensor,
            decimals,
            grey=grey,
            fill="#ffffff" if grey else None,
            border="#d62728" if target else ("#cccccc" if grey else None),
            border_width=3 if target else 1,
        )
        if vn.op_id and vn.op_id not in node_on_path:
            scene.node_attrs[vn.op_id].update(
                {"fillcolor": "#f7f7f7", "color": GREY, "fontcolor": "#999999"}
            )
    r, lf = scene.naming.name(root) or "·", scene.naming.name(leaf) or "·"
    scene.graph_attrs["label"] = _caption(r, lf, paths, products, total, decimals)
    return to_digraph(scene, name="gradient_paths")


def _caption(r: str, lf: str, paths, products, total, decimals) -> str:
    """The caption: each path's product of local derivatives and their sum, ∂r/∂lf."""
    count = len(paths)
    lines = [f"<B>{esc(f'∂{r}/∂{lf}: {count} path' + ('s' if count != 1 else ''))}</B>"]
    if total is None:  # a Tensor graph: the paths carry vector-Jacobian products, not numbers
        return "<" + lines[0] + ">"
    many = count > 1
    for k, (path, prod) in enumerate(zip(paths, products)):
        if k == CAPTION_PATHS:
            lines.append(esc(f"... and {len(paths) - CAPTION_PATHS} more paths"))
            break
        factors = " × ".join(factor(n.local[i], decimals) for n, i in path) or "1"
        text = f"{factors} = {fmt(prod, decimals)}"
        colour = PATH_COLOURS[k % len(PATH_COLOURS)] if many else "#d62728"
        lines.append(f'<FONT COLOR="{colour}">{esc(f"path {k + 1}: {text}" if many else text)}</FONT>')
    if many:
        lines.append(f"<B>{esc(f'sum = {fmt(total, decimals)} = ∂{r}/∂{lf}')}</B>")
    else:
        lines.append(f"<B>{esc(f'∂{r}/∂{lf} = {fmt(total, decimals)}')}</B>")
    return "<" + '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>>'
