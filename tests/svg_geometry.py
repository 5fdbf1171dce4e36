"""Geometry of a diagram as Graphviz rendered it, read from its SVG: text boxes, node boxes, edge curves.

The tests of the diagrams check what a reader sees on a slide: no text on top of another text
or a node, every edge label nearest its own edge, no text smaller than 12 px when the picture
is scaled into a 1920 x 1080 slide.  Graphviz writes every text's anchor point, anchor and font
size but not its width, so a text's width is estimated from Helvetica's character widths, a little
generously (``viz._style.text_width``, which the diagrams use to place labels).

All coordinates are in the SVG's user units after the graph group's transform (points for
Graphviz), y pointing down as in SVG.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from viz._style import text_width

SVG = "{http://www.w3.org/2000/svg}"

@dataclass
class Box:
    """An axis-aligned box: left, top, right, bottom (y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box, slack: float = 0.0) -> float:
        """The area the two boxes share after shrinking each side by ``slack`` (0 when apart)."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0) - 2 * slack
        h = min(self.y1, other.y1) - max(self.y0, other.y0) - 2 * slack
        return w * h if w > 0 and h > 0 else 0.0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass
class Text:
    text: str
    box: Box
    size: float  # font size in user units, after the graph transform
    owner: str  # id of the <g> (node, edge or graph) it is drawn in
    kind: str  # "node", "edge" or "graph"
    classes: tuple[str, ...] = ()


def parse(svg) -> ET.Element:
    return ET.fromstring(svg if isinstance(svg, bytes) else svg.encode("utf-8"))


def _transform(root: ET.Element) -> tuple[float, float, float]:
    """(scale, tx, ty) of Graphviz's top group ``scale(s s) rotate(0) translate(tx ty)``."""
    g = root.find(f"{SVG}g")
    t = g.get("transform", "") if g is not None else ""
    s = re.search(r"scale\(([-\d.e]+)(?:[ ,]([-\d.e]+))?\)", t)
    tr = re.search(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)", t)
    scale = float(s.group(1)) if s else 1.0
    tx, ty = (float(tr.group(1)), float(tr.group(2))) if tr else (0.0, 0.0)
    return scale, tx, ty


def viewbox(root: ET.Element) -> tuple[float, float]:
    """Width and height of the SVG's viewBox."""
    _, _, w, h = (float(v) for v in root.get("viewBox").replace(",", " ").split())
    return w, h


def _groups(root: ET.Element):
    for g in root.iter(f"{SVG}g"):
        classes = tuple((g.get("class") or "").split())
        if classes and classes[0] in ("node", "edge", "graph", "cluster"):
            yield g, classes


def _bold(el: ET.Element) -> bool:
    return el.get("font-weight") == "bold"


def texts(root: ET.Element) -> list[Text]:
    """Every text drawn, with its estimated box in user units (after the graph transform)."""
    scale, tx, ty = _transform(root)
    out = []
    for g, classes in _groups(root):
        for t in g.findall(f"{SVG}text"):
            content = "".join(t.itertext())
            if not content.strip():
                continue
            size = float(t.get("font-size", "14")) * scale
            x = (float(t.get("x")) + tx) * scale
            y = (float(t.get("y")) + ty) * scale
            w = text_width(content, size, _bold(t) or any(_bold(c) for c in t))
            anchor = t.get("text-anchor", "start")
            x0 = x - w / 2 if anchor == "middle" else (x - w if anchor == "end" else x)
            box = Box(x0, y - 0.75 * size, x0 + w, y + 0.22 * size)
            out.append(Text(content, box, size, g.get("id", ""), classes[0], classes))
    return out


def _points(el: ET.Element) -> list[tuple[float, float]]:
    tag = el.tag.replace(SVG, "")
    if tag == "ellipse":
        cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
        return [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    if tag in ("polygon", "polyline"):
        nums = [float(v) for v in re.findall(r"[-\d.e]+", el.get("points", ""))]
        return list(zip(nums[::2], nums[1::2]))
    if tag == "path":
        return path_points(el.get("d", ""))
    return []


def node_boxes(root: ET.Element, labels: bool = True) -> dict[str, Box]:
    """The box of each node's drawn shapes (not its texts), by the node group's id.

    ``labels=False`` leaves out the edge labels, which pinned diagrams draw as nodes.
    """
    scale, tx, ty = _transform(root)
    out = {}
    for g, classes in _groups(root):
        if classes[0] != "node" or (not labels and "edge-label" in classes):
            continue
        pts = [p for el in g.iter() if el is not g for p in _points(el)]
        if not pts:
            continue
        xs = [(x + tx) * scale for x, _ in pts]
        ys = [(y + ty) * scale for _, y in pts]
        out[g.get("id", "")] = Box(min(xs), min(ys), max(xs), max(ys))
    return out


def node_centres(root) -> dict[str, tuple[float, float]]:
    """The centre of each node of the graph (edge labels left out), from SVG text or a parsed SVG."""
    root = parse(root) if isinstance(root, (bytes, str)) else root
    return {name: box.centre for name, box in node_boxes(root, labels=False).items()}


def path_points(d: str, per_segment: int = 12) -> list[tuple[float, float]]:
    """Points along an SVG path of M and C commands (as Graphviz writes edges)."""
    nums = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", d)]
    pts = list(zip(nums[::2], nums[1::2]))
    if not pts:
        return []
    out = [pts[0]]
    for k in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[k - 1], pts[k], pts[k + 1], pts[k + 2]
        for i in range(1, per_segment + 1):
            t = i / per_segment
            a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append(tuple(a * p0[j] + b * p1[j] + c * p2[j] + e * p3[j] for j in (0, 1)))
    return out


def edge_curves(root: ET.Element) -> dict[str, list[tuple[float, float]]]:
    """Points along each edge's drawn curve (its <path>s, arrow heads left out), by edge id."""
    scale, tx, ty = _transform(root)
    out = {}
    for g, classes in _groups(root):
        if classes[0] != "edge":
            continue
        pts = [p for path in g.findall(f"{SVG}path") for p in path_points(path.get("d", ""))]
        if pts:
            out[g.get("id", "")] = [((x + tx) * scale, (y + ty) * scale) for x, y in pts]
    return out


def distance(point, curve) -> float:
    """Distance from ``point`` to a curve given as points (linear between them)."""
    px, py = point
    best = math.inf
    for (ax, ay), (bx, by) in zip(curve, curve[1:] or curve):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        best = min(best, math.hypot(ax + t * dx - px, ay + t * dy - py))
    return best


def smallest_text_px(root: ET.Element, width: int = 1920, height: int = 1080) -> tuple[float, str]:
    """The smallest font size in pixels, and its text, with the SVG scaled to fit ``width`` x ``height``."""
    w, h = viewbox(root)
    px = min(width / w, height / h)
    smallest = min(texts(root), key=lambda t: t.size)
    return smallest.size * px, smallest.text


def overlapping_texts(root: ET.Element, slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap, and texts that overlap a node other than their own."""
    found = []
    all_texts = texts(root)
    for i, a in enumerate(all_texts):
        for b in all_texts[i + 1 :]:
            if a.box.overlap(b.box, slack) > 0:
                found.append((a.text, b.text))
    for name, box in node_boxes(root).items():
        for t in all_texts:
            if t.owner != name and t.box.overlap(box, slack) > 0:
                found.append((t.text, f"node {name}"))
    return found
