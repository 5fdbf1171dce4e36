"""``draw_gradient_paths``: the chain rule drawn, every path from the root to one node."""

from __future__ import annotations

import math

import graphviz

from autograd_nn.graph import all_paths, topological_order

from ._sketch import build_sketch, node_name, parameter_rule, to_digraph, value_label
from ._util import DEFAULT_MAX_NODES, check_decimals, check_limit, check_root, describe, esc, factor, fmt

__all__ = ["CAPTION_PATHS", "GREY", "MAX_LISTED_PATHS", "PATH_COLOURS"]
__all__ += ["count_paths", "draw_gradient_paths", "path_products"]

#: One colour per path (cycled when there are more paths than colours).
PATH_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
GREY = "#c8c8c8"
#: At most this many paths are written out in the caption (all are drawn and summed).
CAPTION_PATHS = 12
#: Above this many paths they are not listed one by one (their number grows exponentially with depth).
MAX_LISTED_PATHS = 1000


def path_products(root, leaf) -> list[tuple[list[tuple[object, int]], float]]:
    """Each path from ``root`` to ``leaf`` (edges ``(node, parent_index)``) with its product.

    The product of the local derivatives along a path is that path's share of
    d root / d leaf; the sum over all paths is the derivative itself (the chain rule).

    Example:
        >>> from autograd_nn import Value
        >>> from viz.paths import path_products
        >>> a = Value(3.0); b = a * a
        >>> [p for _, p in path_products(b, a)]
        [3.0, 3.0]
    """
    return [(path, math.prod(n.local[i] for n, i in path)) for path in all_paths(root, leaf)]


def draw_gradient_paths(
    root,
    leaf,
    *,
    decimals: int = 4,
    symbols: bool = True,
    model=None,
    params=None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    """The graph of :func:`viz.draw_graph` with every path from ``root`` to ``leaf`` highlighted.

    Same node ids, edges and pinned positions as ``draw_graph`` (so nothing moves between
    slides); only the styling changes.  Edges on a path are drawn thick in the colour
    of their path (an edge shared by several paths in all their colours) and carry the class
    ``gradient-path`` plus ``path-<k>`` for each path through them (classes appear in SVG);
    every other edge and node is greyed.  The caption writes each path's product of local
    derivatives and, for several paths, their sum, which is d root / d leaf, i.e. ``leaf.grad``
    after ``root.backward()``.  A ``leaf`` outside the graph of ``root`` raises ``ValueError``.

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
    topo = topological_order(root)
    if not any(n is leaf for n in topo):
        raise ValueError(
            f"{where}: the node {node_name(leaf) or describe(leaf)!r} is not in the graph of the root "
            f"{node_name(root) or root.op or 'node'!r}; pass a node that the root was computed from"
        )
    check_limit(len(topo), max_nodes, where, collapsible=False)
    sketch = build_sketch(root, tensor, decimals, parameter_rule(model, params), symbols, topo=topo)
    count = count_paths(topo, root, leaf)
    edge_paths: dict[str, list[int]] = {}
    node_on_path: set[str] = {sketch.by_key[id(leaf)].id, sketch.by_key[id(root)].id}
    if count <= MAX_LISTED_PATHS:
        paths = all_paths(root, leaf)
        products = [math.prod(n.local[i] for n, i in p) for p in paths] if not tensor else []
        total = math.fsum(products)
        for k, path in enumerate(paths):
            for n, i in path:
                edge_paths.setdefault(sketch.edge_key(n, i), []).append(k)
                vn = sketch.by_key[id(n)]
                node_on_path.update((vn.id, vn.op_id, sketch.by_key[id(n.parents[i])].id))
    else:
        # Paths multiply layer by layer; past a limit, mark the edges on any path in linear time
        # and take the sum from a replay of the backward loop instead of listing every product.
        from .steps import replay_backward

        paths, products = [], []
        total = None if tensor else replay_backward(root, topo)[1][id(leaf)]
        reach = {id(leaf)}
        for n in topo:
            if any(id(p) in reach for p in n.parents):
                reach.add(id(n))
        for n in topo:
            for i, parent in enumerate(n.parents):
                if id(parent) in reach and id(n) in reach:
                    edge_paths[sketch.edge_key(n, i)] = [0]
                    vn = sketch.by_key[id(n)]
                    node_on_path.update((vn.id, vn.op_id, sketch.by_key[id(parent)].id))
    single = count == 1 or not paths

    for e in sketch.edges:
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
    for vn in sketch.values:
        grey = vn.id not in node_on_path
        target = vn.node is leaf
        sketch.node_attrs[vn.id]["label"] = value_label(
            vn,
            tensor,
            decimals,
            grey=grey,
            fill="#ffffff" if grey else None,
            border="#d62728" if target else ("#cccccc" if grey else None),
            border_width=3 if target else 1,
        )
        if vn.op_id and vn.op_id not in node_on_path:
            sketch.node_attrs[vn.op_id].update(
                {"fillcolor": "#f7f7f7", "color": GREY, "fontcolor": "#999999"}
            )
    sketch.graph_attrs["label"] = _caption(root, leaf, count, paths, products, total, decimals)
    return to_digraph(sketch, name="gradient_paths")


def _derivative_name(node) -> str:
    return node_name(node) or "·"


def count_paths(topo, root, leaf) -> int:
    """How many paths lead from ``root`` down to ``leaf`` (without listing them).

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.graph import topological_order
        >>> a = Value(3.0); b = a * a; c = b * b
        >>> count_paths(topological_order(c), c, a)
        4
    """
    ways = {id(root): 1}
    for node in reversed(topo):
        w = ways.get(id(node), 0)
        if w:
            for parent in node.parents:
                ways[id(parent)] = ways.get(id(parent), 0) + w
    return ways.get(id(leaf), 0)


def _caption(root, leaf, count, paths, products, total, decimals) -> str:
    r, lf = _derivative_name(root), _derivative_name(leaf)
    lines = [f"<B>{esc(f'∂{r}/∂{lf}: {count} path' + ('s' if count != 1 else ''))}</B>"]
    if total is None:  # a Tensor graph: the paths carry vector-Jacobian products, not numbers
        return "<" + lines[0] + ">"
    if not paths:
        lines.append(esc(f"too many paths to list (more than {MAX_LISTED_PATHS}); their sum is the gradient"))
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
