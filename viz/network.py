"""``draw_network``: the lecture's pictures of networks (an MLP, a linear model, TLUs), positions fixed.

A network picture is not laid out by Graphviz: its places are the lecture's.  Inputs make the
first column (x1 above x2), each layer a column of circles, each layer's bias unit sits below
the units feeding it and the outputs come last; ``rankdir="TB"`` turns the same picture so the
layers read top to bottom (x1 left of x2).  A :class:`Picture` collects the nodes, arrows and
weights, puts every weight label on its own arrow (:func:`place_weight_labels`) and becomes a
:class:`~viz._scene.Scene` with a pinned :class:`~viz._layout.Layout`, which
:func:`viz._emit.to_digraph` draws like every other diagram.  Arrows carry no spline, so
``neato -n2`` draws each one straight from circle to circle.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import graphviz
import numpy as np

from autograd_nn import Value
from autograd_nn.nn import MLP, TLU, Layer, Linear, Neuron, Sequential, TLUNetwork
from autograd_nn.nn.convert import tensor_to_mlp

from ._emit import to_digraph
from ._layout import Layout
from ._scene import EdgeItem, Scene
from ._style import EDGE_FONTSIZE, FONT, label_size
from ._util import (
    DEFAULT_MAX_NODES,
    IdMaker,
    activation_text,
    check_choice,
    check_decimals,
    check_fit,
    check_limit,
    check_rankdir,
    describe,
    esc,
    fmt,
    id_part,
)
from .naming import NeuronNames, default_name, model_names

__all__ = ["LABEL_FONTSIZE", "UNIT_WIDTH", "WEIGHT_MODES", "X_STEP", "Y_STEP", "Picture", "draw_network"]
__all__ += ["place_weight_labels"]

X_STEP = 2.6  # inches between layers
UNIT_WIDTH = 0.85  # inches, the diameter of a unit
LABEL_FONTSIZE = EDGE_FONTSIZE  # a weight label is an edge label, drawn as every diagram draws those
Y_STEP = 1.25  # inches between units of a layer
WEIGHT_MODES = ("value", "name", "both", "none")

POINTS = 72.0  # points per inch: places are in points, as Graphviz's
INPUT_COLOURS = {"fillcolor": "#d5e8d4", "color": "#82b366"}
_UNIT = {"fillcolor": "#dae8fc", "color": "#6c8ebf"}
_BIAS = {"fillcolor": "#f5f5f5", "color": "#999999"}
# Negative weights in red, as a lecturer would underline them.
_POSITIVE, _NEGATIVE = "#1f4e79", "#b85450"


def circle(label: str, colours: dict | None = None, dashed: bool = False) -> dict:
    """The attributes of a unit's circle (``UNIT_WIDTH`` across) with the HTML ``label`` inside.

    Example:
        >>> attrs = circle("<<B>D</B>>")
        >>> attrs["shape"], attrs["width"], attrs["label"]
        ('circle', '0.85', '<<B>D</B>>')
    """
    return {
        "label": label,
        "shape": "circle",
        "fixedsize": "true",
        "width": f"{UNIT_WIDTH:g}",
        "fontsize": "14",
        "style": "filled,dashed" if dashed else "filled",
        **(colours or _UNIT),
    }


def two_lines(name: str, small: str = "", size: int = 9) -> str:
    """An HTML label: ``name`` in bold, ``small`` under it in a smaller font (if any).

    Example:
        >>> two_lines("D", "σ sigmoid")
        "<<B>D</B><BR/><FONT POINT-SIZE='9'>σ sigmoid</FONT>>"
    """
    if not small:
        return f"<<B>{esc(name)}</B>>"
    return f"<<B>{esc(name)}</B><BR/><FONT POINT-SIZE='{size}'>{esc(small)}</FONT>>"


def weight_colour(w: float) -> str:
    """The colour of a weight's label: dark blue, or red for a negative weight.

    Example:
        >>> weight_colour(3.7), weight_colour(-5.2)
        ('#1f4e79', '#b85450')
    """
    return _NEGATIVE if w < 0 else _POSITIVE


def column_y(count: int, k: int) -> float:
    """The y (points, up) of unit ``k`` of a column of ``count``: centred on 0, the first on top.

    Example:
        >>> column_y(2, 0), column_y(2, 1), column_y(1, 0)
        (45.0, -45.0, 0.0)
    """
    return ((count - 1) / 2 - k) * Y_STEP * POINTS


class Picture:
    """A network picture being built: nodes at fixed places, arrows, weights written on the arrows.

    Places are in points in the left-to-right picture (x to the right, y up).  :meth:`scene`
    turns the picture for ``rankdir="TB"``, puts each weight label on its own arrow and returns
    the :class:`~viz._scene.Scene` that :func:`viz._emit.to_digraph` draws.  A weight label is
    the arrow's label (``label``, ``fontcolor``) pinned at its place, so it is drawn as every
    diagram draws edge labels: a white-backed node ``<edge id>_label`` on the arrow.

    Example:
        >>> from viz._emit import to_digraph
        >>> pic = Picture()
        >>> a = pic.node("a", (0, 0), circle("<a>"))
        >>> b = pic.node("b", (X_STEP * 72, 0), circle("<b>"))
        >>> e = pic.arrow(a, b, "w_ba", text="0.50")
        >>> scene = pic.scene(rankdir="TB")
        >>> scene.layout.nodes[b][1] < scene.layout.nodes[a][1], scene.layout.labels[e][0]
        (True, 0.0)
        >>> "w_ba_label [label=<0.50>" in to_digraph(scene).source
        True
    """

    def __init__(self) -> None:
        self.ids = IdMaker()
        self.attrs: dict[str, dict] = {}
        self.at: dict[str, tuple[float, float]] = {}
        self.sizes: dict[str, tuple[float, float]] = {}
        self.circles: list[str] = []  # the nodes a weight label must keep clear of
        self.edges: list[EdgeItem] = []
        self.labelled: list[EdgeItem] = []

    def node(self, name: str, at: tuple[float, float], attrs: dict) -> str:
        """Add a node at ``at`` (points); its id is ``name`` made unique.  Returns the id.

        A circle (``shape="circle"``) is one a weight label must not touch; any other node is
        text (``shape="plaintext"``), sized by its label.

        Example:
            >>> pic = Picture()
            >>> pic.node("x1", (0, 0), circle("<x1>")), pic.node("x1", (0, -90), circle("<x1>"))
            ('x1', 'x1_2')
        """
        nid = self.ids.take(name)
        self.attrs[nid] = {"id": nid, **attrs}
        self.at[nid] = (float(at[0]), float(at[1]))
        if attrs.get("shape") == "circle":
            self.circles.append(nid)
            self.sizes[nid] = (UNIT_WIDTH * POINTS, UNIT_WIDTH * POINTS)
        else:
            self.sizes[nid] = label_size(attrs["label"], float(attrs.get("fontsize", 14)))
        return nid

    def arrow(self, tail: str, head: str, name: str, text: str = "", colour: str = _POSITIVE,
              dashed: bool = False) -> str:
        """Add an arrow ``tail -> head`` with id ``name`` (made unique), ``text`` written on it.

        Example:
            >>> pic = Picture()
            >>> a, b = pic.node("a", (0, 0), circle("<a>")), pic.node("b", (180, 0), circle("<b>"))
            >>> pic.arrow(a, b, "w_ba", "3.70"), pic.edges[0].attrs["label"]
            ('w_ba', '<3.70>')
        """
        eid = self.ids.take(id_part(name) or f"{tail}_{head}")
        self.ids.take(f"{eid}_label")  # the label's node, which emit adds, keeps its id
        attrs: dict = {"id": eid}
        if dashed:
            attrs["style"] = "dashed"
        item = EdgeItem(eid, tail, head, None, len(self.edges), attrs)
        if text:
            attrs["label"] = f"<{esc(text)}>"
            attrs["fontcolor"] = colour
            self.labelled.append(item)
        self.edges.append(item)
        return eid

    def scene(self, rankdir: str = "LR", fit=None, caption: str = "", decimals: int = 2) -> Scene:
        """The picture as a pinned scene: turned for ``rankdir``, weights placed on their arrows.

        ``fit`` is the page (inches, see :func:`viz._util.check_fit`) and ``caption`` a line of
        text under the picture.

        Example:
            >>> pic = Picture()
            >>> a = pic.node("a", (0, 45), circle("<a>"))
            >>> scene = pic.scene(rankdir="TB", fit=(4.0, 3.0), caption="one unit")
            >>> scene.layout.nodes[a], scene.fit, scene.graph_attrs["label"]
            ((-45.0, 0.0), (4.0, 3.0), '<one unit>')
        """
        if rankdir == "TB":
            # Layers become rows, first row on top; what read top-down now reads left to right.
            at = {nid: (0.0 - y, 0.0 - x) for nid, (x, y) in self.at.items()}  # 0.0 - : no -0.0
        else:
            at = dict(self.at)
        labels = [
            {"tail": e.tail, "head": e.head, "size": label_size(e.attrs["label"], LABEL_FONTSIZE)}
            for e in self.labelled
        ]
        centre = {nid: at[nid] for nid in self.circles}
        placed = dict(zip((e.id for e in self.labelled), place_weight_labels(labels, centre)))
        boxes = [(x, y, *self.sizes[nid]) for nid, (x, y) in at.items()]
        boxes += [(x, y, *it["size"]) for it, (x, y) in zip(labels, placed.values())]
        bb = (
            min(x - w / 2 for x, _, w, _ in boxes),
            min(y - h / 2 for _, y, _, h in boxes),
            max(x + w / 2 for x, _, w, _ in boxes),
            max(y + h / 2 for _, y, _, h in boxes),
        )
        layout = Layout(at, {}, bb=bb, sizes=dict(self.sizes), rankdir=rankdir, labels=placed)
        graph_attrs = {"rankdir": rankdir, "fontname": FONT, "splines": "false"}
        if caption:
            graph_attrs.update(label=f"<{esc(caption)}>", fontsize="12")
        scene = Scene(
            None, False, decimals, [], {}, self.attrs, dict.fromkeys(self.attrs), {}, self.edges, graph_attrs,
        )
        scene.layout = layout
        scene.fit = fit
        return scene


def place_weight_labels(labels, centre) -> list[tuple[float, float]]:
    """Where each weight label's centre goes (points): on its arrow, clear of units and labels.

    ``labels`` are dicts with the arrow's ``tail`` and ``head`` (keys of ``centre``, the units'
    centres) and the label's ``size`` (width, height).  Labels are placed one after another,
    each at a point of its own arrow, from just behind the arrow head back towards the tail.
    It takes, in order of preference, a point where it overlaps no label placed so far and no
    unit (the square around its circle); where no other arrow passes within half a label's
    height of its centre, so it reads as its own arrow's; where it covers the fewest other
    arrows; and nearest the head.  Labels of the arrows into one unit so end up staggered along
    their arrows instead of piled up at the unit.

    Example:
        >>> centre = {"a": (0.0, 0.0), "b": (0.0, -72.0), "n": (187.2, 0.0)}
        >>> size = (28, 14)  # width, height
        >>> labels = [{"tail": "a", "head": "n", "size": size}, {"tail": "b", "head": "n", "size": size}]
        >>> [(round(x), round(y)) for x, y in place_weight_labels(labels, centre)]
        [(131, 0), (133, -21)]
    """
    radius = UNIT_WIDTH * POINTS / 2
    step = 3.6  # points between the places tried along an arrow (at least)
    gap = 1.5  # points between a label and anything it must not touch
    units = np.array(list(centre.values()), dtype=float).reshape(-1, 2)
    tails = np.array([centre[it["tail"]] for it in labels], dtype=float).reshape(-1, 2)
    heads = np.array([centre[it["head"]] for it in labels], dtype=float).reshape(-1, 2)
    circles = np.column_stack([units, np.full((len(units), 2), radius)])  # each unit's square
    placed = np.zeros((0, 4))  # (cx, cy, half width, half height) of the labels placed so far
    out = []
    for k, item in enumerate(labels):
        (tx, ty), (hx, hy) = tails[k], heads[k]
        length = max(math.hypot(tx - hx, ty - hy), 1e-9)
        ux, uy = (tx - hx) / length, (ty - hy) / length  # from the head back towards the tail
        hw, hh = item["size"][0] / 2, item["size"][1] / 2
        along = hw * abs(ux) + hh * abs(uy)  # the label's half extent along its arrow
        # clear of the arrow head (about 11.5 points) at one end, of the tail's circle at the other
        start, stop = radius + 11.5 + along, length - radius - along
        # every 3.6 points, or 96 places along a long arrow
        spacing = max(step, (stop - start) / 96)
        d = start + spacing * np.arange(max(1, int((stop - start) / spacing) + 1))
        cx, cy = hx + ux * d, hy + uy * d
        need = hh + 2.0  # the clearance from other arrows a reader needs
        # Only arrows that come near this one can touch its label.
        reach = hw + hh + need
        lo, hi = np.minimum(tails, heads), np.maximum(tails, heads)
        near = (lo[:, 0] <= max(tx, hx) + reach) & (hi[:, 0] >= min(tx, hx) - reach)
        near &= (lo[:, 1] <= max(ty, hy) + reach) & (hi[:, 1] >= min(ty, hy) - reach)
        near[k] = False
        a, b = tails[near], heads[near]
        keys = []
        # Places nearest the head first, a few at a time: the first perfect one is the best one.
        for part in np.array_split(np.arange(len(d)), max(1, len(d) // 32)):
            x, y = cx[part], cy[part]
            hard = _boxes_hit(x, y, hw, hh, placed, gap) + _boxes_hit(x, y, hw, hh, circles, gap)
            clear = np.minimum(_distance_to_segments(x, y, a, b), need)
            keys.append(np.column_stack([hard, -clear, _segments_through_box(x, y, hw, hh, a, b), part]))
            if np.any((hard == 0) & (clear >= need) & (keys[-1][:, 2] == 0)):
                break
        keys = np.concatenate(keys)
        # lexicographic: no collision, then clearance, then fewest arrows covered, then nearest the head
        best = int(keys[np.lexsort(keys.T[::-1])[0], 3])
        placed = np.vstack([placed, [cx[best], cy[best], hw, hh]])
        out.append((round(float(cx[best]), 2), round(float(cy[best]), 2)))
    return out


def _boxes_hit(cx, cy, hw, hh, boxes, gap: float):
    """How many of ``boxes`` (rows cx, cy, half width, half height) each box at (cx, cy) touches."""
    if len(boxes) == 0:
        return np.zeros(len(cx), dtype=int)
    near_x = np.abs(cx[:, None] - boxes[None, :, 0]) < hw + boxes[None, :, 2] + gap
    near_y = np.abs(cy[:, None] - boxes[None, :, 1]) < hh + boxes[None, :, 3] + gap
    return np.count_nonzero(near_x & near_y, axis=1)


def _distance_to_segments(cx, cy, a, b):
    """The distance from each point (cx, cy) to the nearest of the segments a[j]-b[j] (inf if none)."""
    if len(a) == 0:
        return np.full(len(cx), np.inf)
    x, y = cx[:, None], cy[:, None]
    dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
    t = np.clip(((x - a[:, 0]) * dx + (y - a[:, 1]) * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
    ex, ey = a[:, 0] + t * dx - x, a[:, 1] + t * dy - y
    return np.sqrt((ex * ex + ey * ey).min(axis=1))


def _segments_through_box(cx, cy, hw, hh, a, b):
    """How many of the segments a[j]-b[j] pass through each box centred at (cx, cy).

    A segment meets a box when their bounding boxes overlap and the box's corners are not all
    on one side of the segment's line.
    """
    if len(a) == 0:
        return np.zeros(len(cx), dtype=int)
    x, y = cx[:, None], cy[:, None]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    overlap = (lo[:, 0] <= x + hw) & (hi[:, 0] >= x - hw) & (lo[:, 1] <= y + hh) & (hi[:, 1] >= y - hh)
    dx, dy = (b - a)[:, 0], (b - a)[:, 1]
    sides = np.stack(
        [dx * (y + sy * hh - a[:, 1]) - dy * (x + sx * hw - a[:, 0]) for sx in (-1, 1) for sy in (-1, 1)]
    )
    split = (sides.max(axis=0) > 0) & (sides.min(axis=0) < 0)
    return np.count_nonzero(overlap & split, axis=1)


# -- the networks a picture is drawn from ----------------------------------------------------------


@dataclass
class _Unit:
    """One unit as the picture shows it: its name, the small line under it and its weights."""

    name: str
    inner: str  # the activation ("σ sigmoid", "linear") or the threshold ("θ = -1")
    weights: list[tuple[float, str]]  # (value, display name) from each unit of the layer before
    bias: tuple[float, str] | None = None  # from the layer's bias unit


@dataclass
class _Net:
    """What a network picture shows, whatever the model: inputs, layers of units, bias units."""

    inputs: list[tuple[str, str]]  # (name given to the input unit or "", the input's x_k)
    layers: list[list[_Unit]]
    bias_names: list[str] = field(default_factory=list)  # per layer ("" for a plain "1")
    number: Callable[[float, int], str] = fmt
    caption: str = ""


def _mlp_net(model, names) -> _Net:
    """The picture of an MLP, a layer or a neuron (a tensor model through its scalar MLP)."""
    if isinstance(model, Value) or hasattr(model, "parents"):
        raise TypeError(
            f"draw_network: got a graph node ({describe(model)}); draw_network draws a model "
            f"(an MLP), viz.draw_graph(node) draws a computation graph"
        )
    model = _scalar_model(model)
    if not isinstance(model, (MLP, Layer, Neuron)):
        raise TypeError(
            f"draw_network: expected a scalar MLP, Layer or Neuron (autograd_nn.nn), a TLU or TLUNetwork, "
            f"or a tensor Sequential of Linear and activation layers, got {describe(model)}"
        )
    info = model_names(model, names)
    nin = len(info.layers[0][0].neuron.w)
    for li, layer in enumerate(info.layers):
        expected = nin if li == 0 else len(info.layers[li - 1])
        for j, n in enumerate(layer):
            if len(n.neuron.w) != expected:
                raise ValueError(
                    f"draw_network: neuron {j} of layer {li} has {len(n.neuron.w)} weights but its layer "
                    f"receives {expected} inputs"
                )
    layers, bias_names, inputs = [], [], [""] * nin
    for li, layer in enumerate(info.layers):
        sources, bias_name = _sources(layer, nin if li == 0 else len(info.layers[li - 1]))
        if li == 0 and sources:
            inputs = sources
        bias_names.append(bias_name or "")
        units = []
        for n in layer:
            w = [(p.data, lab) for p, lab in zip(n.neuron.w, n.params)]
            b = getattr(n.neuron, "b", None)
            bias = (b.data, n.params[-1]) if b is not None else None
            units.append(_Unit(n.name, activation_text(n.neuron.activation), w, bias))
        layers.append(units)
    linear = all(n.neuron.activation == "linear" for n in info.neurons)
    # Without an activation every unit is a weighted sum, and so is the whole network: say so.
    caption = "a linear model: every unit outputs its weighted sum Σ w·h + b, no activation" if linear else ""
    return _Net(list(zip(inputs, info.inputs)), layers, bias_names, caption=caption)


def _scalar_model(model):
    """A tensor model (``Sequential`` of ``Linear`` and activation layers, or one ``Linear``) as
    the scalar MLP with its weights, which the diagram reads neuron by neuron; anything else as it is.
    """
    if not isinstance(model, (Sequential, Linear)):
        return model
    try:
        return tensor_to_mlp(model)
    except TypeError as err:
        raise TypeError(
            f"draw_network: the tensor model {type(model).__name__} has no scalar MLP counterpart to "
            f"draw ({err}); draw_network draws Linear layers each followed by at most one activation"
        ) from err


def _sources(neurons: list[NeuronNames], count: int) -> tuple[list[str] | None, str | None]:
    """Names of a layer's inputs and bias unit read from weight names ``w_<neuron><source>``.

    The lecture names weights after the two units they join (w_DA joins A to D), so the input
    units A, B and bias unit C can be read back from the names when every neuron agrees.
    """
    names: list[set[str]] = [set() for _ in range(count)]
    bias: set[str] = set()
    for n in neurons:
        prefix = f"w_{n.name}"
        for k, lab in enumerate(n.params):
            source = lab[len(prefix) :] if lab.startswith(prefix) else ""
            (names[k] if k < count else bias).add(source)
    inputs = [next(iter(s)) for s in names] if all(len(s) == 1 and "" not in s for s in names) else None
    bias_name = next(iter(bias)) if len(bias) == 1 and "" not in bias else None
    return inputs, bias_name


def short_number(x: float, decimals: int = 2) -> str:
    """A number as a TLU's picture writes it: ``decimals`` at most, no trailing zeros (3, -1.5).

    Example:
        >>> short_number(3.0), short_number(-1.5), short_number(2 / 3)
        ('3', '-1.5', '0.67')
    """
    text = fmt(x, decimals)
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _tlu_net(model, names=None) -> _Net:
    """The picture of a :class:`~autograd_nn.nn.TLU` or :class:`~autograd_nn.nn.TLUNetwork`.

    Each unit shows its name (``names`` maps ``layers.<i>.<j>`` to one, as
    :data:`autograd_nn.lecture.BICONDITIONAL_NAMES` does; a single TLU is "TLU") and its
    threshold θ; weights are named ``layers.<i>.<j>.w.<k>``.  TLUs have no bias unit.

    Example:
        >>> from autograd_nn.lecture import BICONDITIONAL_NAMES, biconditional_network
        >>> net = _tlu_net(biconditional_network(), BICONDITIONAL_NAMES)
        >>> [(u.name, u.inner) for layer in net.layers for u in layer]
        [('y1', 'θ = -1'), ('y2', 'θ = -1'), ('y', 'θ = 3')]
    """
    model_names(model, names)  # the names must name parts of this model
    names = names or {}
    grid = [[("", model)]] if isinstance(model, TLU) else [
        [(f"layers.{i}.{j}", unit) for j, unit in enumerate(layer)] for i, layer in enumerate(model.layers)
    ]
    if not grid or not all(grid):
        raise ValueError(f"draw_network: the TLUNetwork has an empty layer or no layers: {model!r}")
    nin = grid[0][0][1].nin
    layers = []
    for i, layer in enumerate(grid):
        expected = nin if i == 0 else len(grid[i - 1])
        units = []
        for j, (path, unit) in enumerate(layer):
            if unit.nin != expected:
                raise ValueError(
                    f"draw_network: TLU {j} of layer {i} has {unit.nin} weights but its layer receives "
                    f"{expected} inputs"
                )
            name = names.get(path) or (default_name(path) if path else "TLU")
            prefix = f"{path}." if path else ""
            w = [(p.data, names.get(f"{prefix}w.{k}") or f"{name}.w{k}") for k, p in enumerate(unit.w)]
            units.append(_Unit(name, f"θ = {short_number(unit.threshold.data)}", w))
        layers.append(units)
    inputs = [("", names.get(f"inputs.{k}") or f"x{k + 1}") for k in range(nin)]
    return _Net(inputs, layers, [], short_number)


def draw_network(
    model,
    *,
    names=None,
    input_names=None,
    weights: str = "value",
    decimals: int = 2,
    max_nodes: int = DEFAULT_MAX_NODES,
    rankdir: str = "LR",
    fit=None,
) -> graphviz.Digraph:
    """The network as the lecture draws it: inputs left, units as circles, weights on arrows.

    Inputs ``x1, x2, ...`` are on the left (x1 above x2), each layer is a column of circles named
    after its units with the activation written inside, each layer's bias unit sits below the
    units feeding it, and every weight is written on its arrow near the arrow head
    (``weights="value"``, ``"name"``, ``"both"`` or ``"none"``), so crossing arrows stay readable:
    each label is a small white-backed node pinned on its arrow (id ``<edge id>_label``), as near
    the head as it fits without touching another label or a unit (see
    :func:`place_weight_labels`).  Positions are fixed, so the picture is the same every time;
    ``rankdir="TB"`` draws the layers top to bottom, ``fit`` scales the picture to a page
    (``"slide"``, ``(width, height)`` in inches).

    ``model`` is

    - a scalar :class:`~autograd_nn.nn.MLP`, :class:`~autograd_nn.nn.Layer` or
      :class:`~autograd_nn.nn.Neuron`, or a tensor ``Sequential`` of ``Linear`` and activation
      layers (drawn through ``MLP.from_tensor``, with the same weights).  A model without any
      activation is the lecture's linear model: its units read "linear" and a caption says so;
    - a :class:`~autograd_nn.nn.TLU` or :class:`~autograd_nn.nn.TLUNetwork` (the lecture's
      biconditional network): each unit shows its threshold θ and there are no bias units.

    Names: ``names`` maps structural names to display names, as for :func:`viz.draw_graph`
    (:mod:`viz.naming`; neurons default to ``L{i}.N{j}``, weights to ``L{i}.N{j}.w{k}``).
    When the weights' names read ``w_<to><from>`` (the slides' w_DA), the input units and bias
    units are named after them (the slides' A, B, bias C, bias F); ``input_names`` names the
    input units instead.

    Node ids: ``x1``... for inputs, the unit's name (``D``, ``L0_N1``) for units, ``bias1``...
    for bias units, ``y1``... for outputs; edge ids are the weights' names (``w_DA``).

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, xor_network
        >>> dot = draw_network(xor_network(), names=XOR_NAMES)
        >>> dot.engine, "w_DA_label [label=<3.70>" in dot.source, "<B>A</B>" in dot.source
        ('neato', True, True)
        >>> from autograd_nn.lecture import BICONDITIONAL_NAMES, biconditional_network
        >>> "θ = 3" in draw_network(biconditional_network(), names=BICONDITIONAL_NAMES).source
        True
    """
    rankdir = check_rankdir(rankdir, "draw_network")
    fit = check_fit(fit, "draw_network")
    decimals = check_decimals(decimals)
    check_choice("weights", weights, WEIGHT_MODES, "draw_network")
    net = _tlu_net(model, names) if isinstance(model, (TLU, TLUNetwork)) else _mlp_net(model, names)
    nin = len(net.inputs)
    units = nin + sum(len(layer) + 1 for layer in net.layers)
    check_limit(units, max_nodes, "draw_network", collapsible=False)
    if input_names is not None:
        input_names = [str(s) for s in input_names]
        if len(input_names) != nin:
            raise ValueError(f"draw_network: {len(input_names)} input_names for {nin} inputs")
        net.inputs = [(given, x) for given, (_, x) in zip(input_names, net.inputs)]
    scene = _picture(net, weights, decimals).scene(rankdir, fit, net.caption, decimals)
    return to_digraph(scene, name="network")


def _picture(net: _Net, weights: str, decimals: int) -> Picture:
    pic = Picture()
    step = X_STEP * POINTS
    prev = []
    for k, (given, x) in enumerate(net.inputs):
        label = two_lines(given, x, 10) if given and given != x else two_lines(x)
        prev.append(pic.node(f"x{k + 1}", (0, column_y(len(net.inputs), k)), circle(label, INPUT_COLOURS)))
    for li, layer in enumerate(net.layers):
        bias_id = None
        if any(u.bias is not None for u in layer):
            name = net.bias_names[li]
            at = (li * step, column_y(len(prev), len(prev) - 1) - Y_STEP * POINTS)
            bias_id = pic.node(f"bias{li + 1}", at, circle(two_lines(name, "1", 10) if name else "<<B>1</B>>",
                                                            _BIAS, dashed=True))
        ids = []
        for j, unit in enumerate(layer):
            at = ((li + 1) * step, column_y(len(layer), j))
            label = two_lines(unit.name, unit.inner)
            nid = pic.node(id_part(unit.name) or f"n{li + 1}_{j + 1}", at, circle(label))
            ids.append(nid)
            sources = list(zip(prev, unit.weights))
            if unit.bias is not None:
                sources.append((bias_id, unit.bias))
            for tail, (w, lab) in sources:
                text = {"value": net.number(w, decimals), "name": lab, "none": "",
                        "both": f"{lab} = {net.number(w, decimals)}"}[weights]
                pic.arrow(tail, nid, lab, text, weight_colour(w), dashed=tail == bias_id)
        prev = ids
    last = len(net.layers) + 0.6
    for j, nid in enumerate(prev):
        label = f"y{j + 1}" if len(prev) > 1 else "y"
        out = pic.node(f"y{j + 1}", (last * step, column_y(len(prev), j)),
                       {"label": label, "shape": "plaintext", "fontsize": "14"})
        pic.arrow(nid, out, f"out_{out}")
    return pic
