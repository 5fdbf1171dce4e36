"""One layout shared by every view of a graph: laid out once by ``dot``, then pinned.

Graphviz lays a graph out again for every render, and any change of a label's size (bold text,
a thicker border, "?" instead of a number, a caption) can move every node.  Slides that step
from the plain graph to a gradient path or through the backward pass must not jump, so the
views of one graph share a layout: ``dot -Tjson0`` lays out a layout-only version of the graph
once (cached by its DOT text), and every view is written with the node positions (``pos``),
edge splines (``pos``) and label positions (``lp``) of that layout and rendered by
``neato -n2``, which draws exactly the given geometry (:class:`viz._emit.PinnedDigraph`).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field


@dataclass
class Layout:
    """Positions in points (Graphviz's y axis points up) of one laid-out graph."""

    nodes: dict[str, tuple[float, float]]
    edges: dict[str, dict[str, str]]  # edge id -> {"pos": spline, "lp": "x,y", ...}
    clusters: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {"bb": ..., "lp": ...}
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def y_of(self, name: str) -> float | None:
        """The y of a node, or of a cluster's centre."""
        if name in self.nodes:
            return self.nodes[name][1]
        c = self.clusters.get(name)
        if c and "bb" in c:
            _, y0, _, y1 = _floats(c["bb"])
            return (y0 + y1) / 2
        return None

    def mirrored(self) -> Layout:
        """The same layout upside down (left-to-right flow unchanged), to fix a top-down order."""
        x0, y0, x1, y1 = self.bb
        top = y0 + y1

        def point(text: str) -> str:
            parts = text.split(",")
            parts[-1] = _num(top - float(parts[-1]))
            return ",".join(parts)

        nodes = {k: (x, top - y) for k, (x, y) in self.nodes.items()}
        edges = {}
        for eid, attrs in self.edges.items():
            new = {}
            for key, value in attrs.items():
                if key == "pos":
                    new[key] = " ".join(point(p) for p in value.split())
                else:
                    new[key] = point(value)
            edges[eid] = new
        clusters = {}
        for cid, attrs in self.clusters.items():
            cx0, cy0, cx1, cy1 = _floats(attrs["bb"])
            new = {"bb": ",".join(_num(v) for v in (cx0, top - cy1, cx1, top - cy0))}
            if "lp" in attrs:
                # the cluster's label stays at the cluster's top
                lx, ly = _floats(attrs["lp"])
                new["lp"] = f"{_num(lx)},{_num(top - cy0 - (cy1 - ly))}"
            clusters[cid] = new
        return Layout(nodes, edges, clusters, self.bb)


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


_EDGE_KEYS = ("pos", "lp", "head_lp", "tail_lp")


@functools.lru_cache(maxsize=32)
def _dot_json(source: str) -> str | None:
    """``dot -Tjson0`` of ``source`` (cached: every view of one graph lays out the same text)."""
    try:
        run = subprocess.run(
            ["dot", "-Tjson0"], input=source.encode("utf-8"), capture_output=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return run.stdout.decode("utf-8")


def dot_layout(source: str) -> Layout | None:
    """The layout ``dot`` gives the DOT text ``source``, or None if ``dot`` is missing or fails.

    Example:
        >>> lay = dot_layout('digraph { a -> b [id=ab] }')
        >>> lay is None or (lay.nodes["a"][1] > lay.nodes["b"][1] and "pos" in lay.edges["ab"])
        True
    """
    if shutil.which("dot") is None:
        return None
    text = _dot_json(source)
    if text is None:
        return None
    data = json.loads(text)
    nodes: dict[str, tuple[float, float]] = {}
    clusters: dict[str, dict[str, str]] = {}
    names: dict[int, str] = {}
    for obj in data.get("objects", []):
        if "nodes" in obj or "subgraphs" in obj or "bb" in obj:
            if obj.get("name", "").startswith("cluster") and "bb" in obj:
                clusters[obj["name"]] = {k: obj[k] for k in ("bb", "lp") if k in obj}
            continue
        names[obj["_gvid"]] = obj["name"]
        if "pos" in obj:
            x, y = _floats(obj["pos"])[:2]
            nodes[obj["name"]] = (x, y)
    edges: dict[str, dict[str, str]] = {}
    for e in data.get("edges", []):
        eid = e.get("id")
        if eid:
            edges[eid] = {k: e[k] for k in _EDGE_KEYS if k in e}
    bb = tuple(_floats(data["bb"])) if "bb" in data else (0.0, 0.0, 0.0, 0.0)
    return Layout(nodes, edges, clusters, bb)


def order_score(layout: Layout, orders) -> int:
    """Pairs of names in the wanted top-down order minus pairs the other way round.

    Example:
        >>> lay = Layout({"a": (0, 10), "b": (0, 5), "c": (0, 7)}, {})
        >>> order_score(lay, [["a", "b", "c"]])
        1
    """
    score = 0
    for names in orders:
        ys = [layout.y_of(n) for n in names]
        ys = [y for y in ys if y is not None]
        for i in range(len(ys)):
            for j in range(i + 1, len(ys)):
                score += (ys[i] > ys[j]) - (ys[i] < ys[j])  # y points up: above means larger
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


def ambiguous_labels(layout: Layout, labelled) -> set[str]:
    """Ids of the edges in ``labelled`` whose label's centre is as near another edge as its own.

    A reader takes a label for the line nearest to it; such a label gets a line to its own
    edge (``decorate``), so nobody reads it as another edge's derivative.

    Example:
        >>> lay = Layout({}, {"a": {"pos": "0,0 10,0 20,0 30,0", "lp": "15,8"},
        ...                   "b": {"pos": "0,12 10,12 20,12 30,12", "lp": "15,30"}})
        >>> sorted(ambiguous_labels(lay, ["a", "b"]))
        ['a']
    """
    curves = {eid: spline_points(a["pos"], 16) for eid, a in layout.edges.items() if "pos" in a}
    found = set()
    for eid in labelled:
        attrs = layout.edges.get(eid, {})
        if "lp" not in attrs or eid not in curves:
            continue
        x, y = _floats(attrs["lp"])[:2]

        def dist(points, x=x, y=y):
            return min(((px - x) ** 2 + (py - y) ** 2) ** 0.5 for px, py in points)

        own = dist(curves[eid])
        if any(dist(pts) <= own + 6.0 for k, pts in curves.items() if k != eid):
            found.add(eid)
    return found


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
    from ._emit import to_digraph  # emit draws scenes; the layout is laid out from one

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
    return max(candidates, key=lambda lay: order_score(lay, scene.orders))


def _complete(layout: Layout, scene) -> bool:
    return all(n in layout.nodes for n in scene.node_attrs) and all(
        e.id in layout.edges and "pos" in layout.edges[e.id] for e in scene.edges
    )
