"""One layout shared by every view of a graph: laid out once by ``dot``, then pinned.

Graphviz lays a graph out again for every render, and any change of a label's size (bold text,
a thicker border, "?" instead of a number, a caption) can move every node.  Slides that step
from the plain graph to a gradient path or through the backward pass must not jump, so the
views of one graph share a layout: ``dot -Tjson0`` lays out a layout-only version of the graph
once (cached by its DOT text), and every view is written with the node positions (``pos``),
edge splines (``pos``) and label positions (``lp``) of that layout and rendered by
``neato -n2``, which draws exactly the given geometry (a pinned :class:`viz._backend.Diagram`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

import numpy as np

from ._backend import GraphvizError, GraphvizNotFoundError, Program, check_graphviz, run_graphviz
from ._emit import to_digraph
from ._style import EDGE_FONTSIZE, label_size


@dataclass
class Layout:
    """Positions in points (Graphviz's y axis points up) of one laid-out graph.

    ``sizes`` holds each node's width and height in points; ``rankdir`` the direction the graph
    flows ("LR": left to right, so "across" is top-down; "TB": top to bottom, across is left-right).
    """

    nodes: dict[str, tuple[float, float]]
    edges: dict[str, dict[str, str]]  # edge id -> {"pos": spline, "lp": "x,y", ...}
    clusters: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {"bb": ..., "lp": ...}
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)
    rankdir: str = "LR"
    #: edge id -> where its label's centre goes (see :func:`place_edge_labels`)
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: edge id -> (tail, head) node names
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)

    def across(self, name: str) -> float | None:
        """Where a node (or a cluster's centre) lies across the flow: smaller reads first.

        Top-down in a left-to-right graph, left to right in a top-to-bottom one.
        """
        if name in self.nodes:
            x, y = self.nodes[name]
        else:
            c = self.clusters.get(name)
            if not (c and "bb" in c):
                return None
            x0, y0, x1, y1 = _floats(c["bb"])
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
        return x if self.rankdir == "TB" else -y

    def put_in_order(self, names: list[str]) -> None:
        """Give the nodes ``names`` (one column) their places in this order, top-down (or left-right).

        dot stacks a column in whatever order crosses fewest edges and ignores hints inside
        clusters, so the places it chose are handed out again in the wanted order and the edges
        out of the moved nodes are drawn anew (a plain curve to the same head).
        """
        axis = 0 if self.rankdir == "TB" else 1
        if len({round(self.nodes[n][1 - axis]) for n in names}) > 1:
            return  # not one column: their places are not interchangeable
        places = sorted((self.nodes[n] for n in names), key=lambda p: p[axis], reverse=axis == 1)
        moved = {n: p for n, p in zip(names, places) if p != self.nodes[n]}
        if not moved:
            return
        self.nodes.update(moved)
        for eid, (tail, head) in self.ends.items():
            if tail in moved and head in self.nodes and "pos" in self.edges.get(eid, {}):
                self.edges[eid] = {"pos": self._curve(tail, head)}

    def _curve(self, tail: str, head: str) -> str:
        """A spline from the side of ``tail`` to the side of ``head``, in Graphviz's ``e,x,y p0 p1 p2 p3``."""
        (tx, ty), (hx, hy) = self.nodes[tail], self.nodes[head]
        (tw, th), (hw, hh) = self.sizes.get(tail, (0, 0)), self.sizes.get(head, (0, 0))
        if self.rankdir == "TB":  # y points up: the flow goes down
            start, end = (tx, ty - th / 2), (hx, hy + hh / 2)
            arrow = (hx, end[1] + 6)
            mid = (start[1] + arrow[1]) / 2
            pts = [start, (tx, mid), (hx, mid), arrow]
        else:
            start, end = (tx + tw / 2, ty), (hx - hw / 2, hy)
            arrow = (end[0] - 6, hy)
            mid = (start[0] + arrow[0]) / 2
            pts = [start, (mid, ty), (mid, hy), arrow]
        return f"e,{_num(end[0])},{_num(end[1])} " + " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)

    def free_title(self, cluster: str, w: float, h: float) -> tuple[float, float, float, float]:
        """Move a cluster's title along the cluster's top to where no node covers it; its box.

        dot centres the title at the top of the cluster's box, where a node of the cluster can
        sit over it.  The title keeps its height and moves sideways to the nearest free place
        (staying in its cluster); with none, it stays where dot put it.
        """
        attrs = self.clusters[cluster]
        x0, _, x1, _ = _floats(attrs["bb"])
        lx, ly = _floats(attrs["lp"])
        nodes = [(x, y, sw / 2, sh / 2) for name, (x, y) in self.nodes.items()
                 for sw, sh in [self.sizes.get(name, (0.0, 0.0))]]
        places = sorted(np.arange(x0 + w / 2 + 4, x1 - w / 2 - 4, 4.0), key=lambda x: abs(x - lx))
        for x in [lx, *places]:
            box = (float(x), ly, w / 2, h / 2)
            if not any(_box_hits(box, n, 2.0) for n in nodes):
                attrs["lp"] = f"{_num(x)},{_num(ly)}"
                return box
        return (lx, ly, w / 2, h / 2)

    def mirrored(self) -> Layout:
        """The same layout mirrored across the flow (the flow's direction unchanged).

        Upside down for a left-to-right graph, left-right for a top-to-bottom one: another valid
        drawing, which may read the clusters in a better order.
        """
        axis = 0 if self.rankdir == "TB" else 1
        x0, y0, x1, y1 = self.bb
        far = (x0 + x1, y0 + y1)[axis]

        def flip(point: tuple[float, float]) -> tuple[float, float]:
            p = list(point)
            p[axis] = far - p[axis]
            return p[0], p[1]

        def flip_text(text: str) -> str:
            parts = text.split(",")
            head, xy = parts[:-2], flip((float(parts[-2]), float(parts[-1])))
            return ",".join([*head, _num(xy[0]), _num(xy[1])])

        nodes = {k: flip(p) for k, p in self.nodes.items()}
        edges = {}
        for eid, attrs in self.edges.items():
            edges[eid] = {
                key: " ".join(flip_text(p) for p in value.split()) if key == "pos" else flip_text(value)
                for key, value in attrs.items()
            }
        clusters = {}
        for cid, attrs in self.clusters.items():
            c = _floats(attrs["bb"])
            lo, hi = flip((c[0], c[1])), flip((c[2], c[3]))
            new = {"bb": ",".join(_num(v) for v in (min(lo[0], hi[0]), min(lo[1], hi[1]),
                                                    max(lo[0], hi[0]), max(lo[1], hi[1])))}
            if "lp" in attrs:
                lx, ly = _floats(attrs["lp"])
                # a cluster's title stays at the cluster's top
                if axis == 0:
                    new["lp"] = f"{_num(far - lx)},{_num(ly)}"
                else:
                    new["lp"] = f"{_num(lx)},{_num(far - c[1] - (c[3] - ly))}"
            clusters[cid] = new
        return Layout(nodes, edges, clusters, self.bb, dict(self.sizes), self.rankdir, ends=dict(self.ends))


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


_EDGE_KEYS = ("pos", "lp", "head_lp", "tail_lp")


@functools.lru_cache(maxsize=32)
def _dot_json(source: str, program: Program) -> str | None:
    """``dot -Tjson0`` of ``source`` (cached: every view of one graph lays out the same text).

    The program is part of the cache key: the system's dot and graphviz-pure may differ.
    """
    try:
        return run_graphviz(source, "json0", program=program).decode("utf-8")
    except GraphvizError:
        return None


def dot_layout(source: str) -> Layout | None:
    """The layout ``dot`` gives the DOT text ``source``, or None if no Graphviz is found or it fails.

    The system's ``dot``, else ``graphviz-pure -Kdot`` (:func:`viz._backend.check_graphviz`).

    Example:
        >>> lay = dot_layout('digraph { a -> b [id=ab] }')
        >>> lay is None or (lay.nodes["a"][1] > lay.nodes["b"][1] and "pos" in lay.edges["ab"])
        True
    """
    try:
        program = check_graphviz("dot", "json0")
    except GraphvizNotFoundError:
        return None
    text = _dot_json(source, program)
    if text is None:
        return None
    data = json.loads(text)
    nodes: dict[str, tuple[float, float]] = {}
    clusters: dict[str, dict[str, str]] = {}
    names: dict[int, str] = {}
    sizes: dict[str, tuple[float, float]] = {}
    for obj in data.get("objects", []):
        if "nodes" in obj or "subgraphs" in obj or "bb" in obj:
            if obj.get("name", "").startswith("cluster") and "bb" in obj:
                clusters[obj["name"]] = {k: obj[k] for k in ("bb", "lp") if k in obj}
            continue
        names[obj["_gvid"]] = obj["name"]
        if "pos" in obj:
            x, y = _floats(obj["pos"])[:2]
            nodes[obj["name"]] = (x, y)
            sizes[obj["name"]] = (float(obj.get("width", 0)) * 72, float(obj.get("height", 0)) * 72)
    edges: dict[str, dict[str, str]] = {}
    ends: dict[str, tuple[str, str]] = {}
    for e in data.get("edges", []):
        eid = e.get("id")
        if eid:
            edges[eid] = {k: e[k] for k in _EDGE_KEYS if k in e}
            ends[eid] = (names.get(e["tail"], ""), names.get(e["head"], ""))
    bb = tuple(_floats(data["bb"])) if "bb" in data else (0.0, 0.0, 0.0, 0.0)
    rankdir = "LR" if data.get("rankdir") == "LR" else "TB"
    return Layout(nodes, edges, clusters, bb, sizes, rankdir, ends=ends)


def order_score(layout: Layout, orders) -> int:
    """Pairs of names in the wanted top-down order minus pairs the other way round.

    Example:
        >>> lay = Layout({"a": (0, 10), "b": (0, 5), "c": (0, 7)}, {})
        >>> order_score(lay, [["a", "b", "c"]])
        1
    """
    score = 0
    for names in orders:
        ys = [layout.across(n) for n in names]
        ys = [y for y in ys if y is not None]
        for i in range(len(ys)):
            for j in range(i + 1, len(ys)):
                score += (ys[i] < ys[j]) - (ys[i] > ys[j])
    return score


def natural_key(text: str):
    """Sort key that puts "N2" before "N10".

    Example:
        >>> sorted(["L0.N10", "L0.N2", "L0.N1"], key=natural_key)
        ['L0.N1', 'L0.N2', 'L0.N10']
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


def spline_points(pos: str, per_segment: int = 8) -> list[tuple[float, float]]:
    """Points along an edge's spline as Graphviz writes it (``e,x,y p0 p1 p2 p3 ...``).

    Example:
        >>> spline_points("e,10,0 0,0 3,0 6,0 9,0", per_segment=3)
        [(0.0, 0.0), (3.0, 0.0), (6.0, 0.0), (9.0, 0.0), (10.0, 0.0)]
    """
    pts, ends = [], []
    for part in pos.split():
        xy = part.split(",")
        if xy[0] in ("e", "s"):
            ends.append((float(xy[1]), float(xy[2])))
        else:
            pts.append((float(xy[0]), float(xy[1])))
    out = [pts[0]] if pts else []
    for k in range(0, len(pts) - 3, 3):
        p0, p1, p2, p3 = pts[k : k + 4]
        for i in range(1, per_segment + 1):
            t = i / per_segment
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append(
                (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])
            )
    return out + ends


def layout_source(scene, reverse_clusters: bool = False) -> str:
    """The DOT text that is laid out for every view: labels at the largest size any view gives them.

    Edge labels are bold (as on a highlighted path) and there is no caption; node sizes do not
    matter for the pinned centres, only for the room around them.
    """
    lay = scene.copy()
    lay.layout = None
    lay.graph_attrs.pop("label", None)
    for e in lay.edges:
        label = e.attrs.get("label")
        if label and not label.startswith("<<B>"):
            e.attrs["label"] = f"<<B>{label[1:-1]}</B>>"
    if reverse_clusters:
        lay.cluster_attrs = dict(reversed(list(lay.cluster_attrs.items())))
    return to_digraph(lay, name="layout").source


def pin_layout(scene) -> Layout | None:
    """Lay the scene out with dot, choosing among a few equally valid layouts the one whose
    clusters and inputs best read top-down in order (see ``Scene.orders``); None without dot.
    """
    candidates = []
    for reverse in (False, True) if len(scene.cluster_attrs) > 1 else (False,):
        lay = dot_layout(layout_source(scene, reverse))
        if lay is None or not _complete(lay, scene):
            break
        candidates += [lay, lay.mirrored()]
    if not candidates:
        return None
    # max keeps the first of equal scores: dot's own layout unless another reads better
    best = max(candidates, key=lambda lay: order_score(lay, scene.orders))
    for chain in scene.chains:
        best.put_in_order(chain)
    # cluster titles are texts too: each goes where no node covers it, and no label may cover one
    titles = []
    for cid, attrs in scene.cluster_attrs.items():
        if attrs.get("label") and "lp" in best.clusters.get(cid, {}):
            w, h = label_size(attrs["label"], float(attrs.get("fontsize", 14)))
            titles.append(best.free_title(cid, w, h))
    labelled = [e for e in scene.edges if e.attrs.get("label")]
    sizes = {e.id: label_size(e.attrs["label"], EDGE_FONTSIZE, bold=True) for e in labelled}
    best.labels = place_edge_labels(best, sizes, titles)
    return best


def _complete(layout: Layout, scene) -> bool:
    return all(n in layout.nodes for n in scene.node_attrs) and all(
        e.id in layout.edges and "pos" in layout.edges[e.id] for e in scene.edges
    )


def _box_hits(box, other, gap: float) -> bool:
    """Whether two (cx, cy, half width, half height) boxes come closer than ``gap``."""
    dx, dy = abs(box[0] - other[0]), abs(box[1] - other[1])
    return dx < box[2] + other[2] + gap and dy < box[3] + other[3] + gap


def place_edge_labels(layout: Layout, labels: dict[str, tuple[float, float]], obstacles=()) -> dict:
    """Where each edge label's centre goes (points): on its own edge, clear of nodes and labels.

    ``labels`` maps an edge id to its label's width and height; ``obstacles`` are further
    ``(cx, cy, half width, half height)`` boxes to keep clear of (cluster titles).  Each label is
    centred on a point of its own edge's spline (so no reader takes it for another edge's
    derivative) or, where edges crowd, just beside it while still nearer its own edge than any
    other.  Of those places it takes, in order of preference, one that covers no node, no label
    placed before it and no obstacle; where no other edge passes under it; on the edge rather
    than beside it; nearest the middle of its edge.  Each label looks only at what lies near
    its own edge, so a graph of hundreds of edges is placed in well under a second.

    Example:
        >>> lay = Layout({"a": (0, 0), "b": (100, 0)}, {"ab": {"pos": "e,90,0 10,0 40,0 60,0 90,0"}},
        ...              sizes={"a": (20, 20), "b": (20, 20)})
        >>> place_edge_labels(lay, {"ab": (30, 12)})
        {'ab': (50.0, 0.0)}
    """
    curves = {eid: np.array(spline_points(a["pos"], 8)) for eid, a in layout.edges.items() if "pos" in a}
    ids = list(curves)
    points = np.concatenate([curves[e] for e in ids]) if ids else np.zeros((0, 2))
    owner = np.concatenate([np.full(len(curves[e]), k) for k, e in enumerate(ids)]) if ids else np.zeros(0)
    index = {e: k for k, e in enumerate(ids)}
    boxes = [(x, y, w / 2, h / 2) for name, (x, y) in layout.nodes.items()
             for w, h in [layout.sizes.get(name, (0.0, 0.0))]]
    boxes = np.array(boxes + list(obstacles), dtype=float).reshape(-1, 4)
    placed: dict[str, tuple[float, float]] = {}
    for eid, (w, h) in labels.items():
        curve = curves.get(eid)
        if curve is None or len(curve) == 0:
            continue
        # every other sample point is place enough to try
        spots = curve[::2]
        n = len(spots)
        # On the edge first; where edges crowd, just beside it: moved across the edge's direction
        # there until the label's box clears the line.
        tangent = np.gradient(curve, axis=0)[::2] if len(curve) > 1 else np.array([[1.0, 0.0]])
        normal = np.stack([-tangent[:, 1], tangent[:, 0]], axis=1)
        normal /= np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-9)[:, None]
        clear = np.abs(normal[:, 0]) * w / 2 + np.abs(normal[:, 1]) * h / 2 + 3
        side = normal * clear[:, None]
        shift = np.repeat([0.0, 1.0, -1.0], n)
        cand = np.tile(spots, (3, 1)) + shift[:, None] * np.tile(side, (3, 1))
        along = np.abs(np.tile(np.arange(n), 3) - (n - 1) / 2)
        # only what lies near this edge can collide with its label
        reach = np.array([w, h]) + 10.0
        lo, hi = cand.min(axis=0) - reach, cand.max(axis=0) + reach
        near_pts = (owner != index[eid]) & np.all((points >= lo) & (points <= hi), axis=1)
        others = points[near_pts]
        centres, halves = boxes[:, :2], boxes[:, 2:]
        near = boxes[np.all((centres >= lo - halves) & (centres <= hi + halves), axis=1)]
        dx = np.abs(cand[:, None, 0] - near[None, :, 0])
        dy = np.abs(cand[:, None, 1] - near[None, :, 1])
        # a few points of room: Graphviz's text is a little narrower or wider than estimated
        hard = np.count_nonzero((dx < near[:, 2] + w / 2 + 4) & (dy < near[:, 3] + h / 2 + 4), axis=1)
        own = np.hypot(cand[:, None, 0] - curve[None, :, 0], cand[:, None, 1] - curve[None, :, 1]).min(axis=1)
        if len(others):
            ox, oy = cand[:, None, 0] - others[None, :, 0], cand[:, None, 1] - others[None, :, 1]
            nearest = np.hypot(ox, oy).min(axis=1)
            # another edge under the label would be hidden by it and read as labelled by it
            under = np.count_nonzero((np.abs(ox) < w / 2 + 2) & (np.abs(oy) < h / 2 + 2), axis=1)
        else:
            nearest, under = np.full(len(cand), np.inf), np.zeros(len(cand))
        hard = hard + (nearest < own + 4.0)
        best = np.lexsort((along, shift != 0, under, hard))[0]
        x, y = float(cand[best, 0]), float(cand[best, 1])
        boxes = np.vstack([boxes, [x, y, w / 2, h / 2]])
        placed[eid] = (round(x, 2), round(y, 2))
    return placed
