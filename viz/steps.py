"""``backward_steps``: the backward pass as the lecture walks it, one step per node.

The lecture goes backward a layer at a time: the error, the output unit (its δ), the updates of
its weights, then each hidden unit with its weights, the inputs last.  Each step writes the sum
that gives the node's gradient, ∂E/∂n = Σ over the consumers c of ∂c/∂n × ∂E/∂c (or, with
``notation="delta"``, the lecture's δ and Δw), and highlights exactly the edges from n to those
consumers.  The page shows one picture of the graph and switches its classes and texts from step
to step; each step can also be written as a file of its own for slides.
"""

from __future__ import annotations

import functools
import heapq
import html
import importlib.resources
import itertools
import json
import re
import secrets
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz

from autograd_nn.graph import topological_order

from ._emit import to_digraph
from ._scene import build_scene, delta_notation
from ._style import value_label
from ._util import (
    DEFAULT_MAX_NODES,
    check_choice,
    check_decimals,
    check_fit,
    check_limit,
    check_rankdir,
    check_root,
    esc,
    factor,
    fmt,
    printable,
)
from .naming import graph_naming, model_names, parameter_rule
from .notation import (
    NOTATIONS,
    derivative,
    replay_backward,
    written_name,
)
from .rendering import GraphvizError, GraphvizNotFoundError, _pipe, _write_atomic

__all__ = ["CURRENT", "FRAME_FORMATS", "NOTATIONS", "BackwardSteps", "backward_steps", "replay_backward"]

#: The colour of the node being visited and of the edges its step sums over.
CURRENT = "#ff7f0e"
# The labels of those edges: the same hue, dark enough to read on white (5.5:1).
_CURRENT_TEXT = "#b34700"
#: The formats :meth:`BackwardSteps.write` can write each step in.
FRAME_FORMATS = ("svg", "png", "pdf")

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG, _XLINK = f"{{{_SVG_NS}}}", f"{{{_XLINK_NS}}}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.cache
def _static(name: str) -> str:
    """A file of the stepper page shipped with the package (``viz/static``)."""
    return importlib.resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


class BackwardSteps:
    """The steps of a backward pass: their order, captions and highlighted edges, on one scene.

    ``order[k]`` is the node visited at step k (the lecture's order, see :func:`backward_steps`),
    ``captions[k]`` the sum that gives its gradient and ``edges[k]`` the ids of the edges that sum
    uses (from the node to its consumers; none at the root).  :meth:`html` is the stepper page
    (one SVG, the steps as data); :meth:`frame` draws step k as a diagram of its own, at the
    positions of :func:`viz.draw_graph`'s pinned layout, so no node moves from step to step.
    In Jupyter the object shows the stepper inline.

    Example:
        >>> from autograd_nn import Value
        >>> import viz
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> steps = viz.backward_steps(y)
        >>> len(steps), steps.captions[-1]
        (2, 'step 2/2: ∂y/∂x = 3.0000 × 1.0000 + 3.0000 × 1.0000 = 6.0000')
        >>> steps.edges
        [[], ['e_y_0', 'e_y_1']]
    """

    def __init__(self, scene, order, grads, captions, edges) -> None:
        self.scene = scene
        self.order: list = order
        self.grads: dict[int, float] = grads
        self.captions: list[str] = captions
        self.edges: list[list[str]] = edges
        self._step_of = {id(n): k for k, n in enumerate(order)}
        self._frames: list[graphviz.Digraph] | None = None
        self._svg: str | None = None

    def __len__(self) -> int:
        return len(self.order)

    def _grad_text(self, node) -> str:
        return fmt(self.grads[id(node)], self.scene.decimals)

    def frame(self, k: int) -> graphviz.Digraph:
        """Step ``k`` (from 0) as a diagram of its own, its caption below the picture.

        The visited node is outlined in orange, the edges of its sum are orange (class
        ``current-edge``), nodes visited before show their gradients, the rest
        "?" in grey.

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * 2; y.label = "y"
            >>> "grad ?" in viz.backward_steps(y).frame(0).source
            True
        """
        if not 0 <= k < len(self):
            raise IndexError(f"BackwardSteps.frame: step {k} of {len(self)} (steps count from 0)")
        scene = self.scene.copy()
        for vn in scene.values:
            known = self._step_of[id(vn.node)] <= k
            current = vn.node is self.order[k]
            scene.node_attrs[vn.id]["label"] = value_label(
                vn,
                False,
                scene.decimals,
                grad_text=self._grad_text(vn.node) if known else "?",
                border=CURRENT if current else None,
                border_width=4 if current else 1,
                grey=not known,
            )
        marked = set(self.edges[k])
        for e in scene.edges:
            if e.id in marked:
                e.attrs.update(
                    {"color": CURRENT, "fontcolor": _CURRENT_TEXT, "penwidth": "2.5", "class": "current-edge"}
                )
        scene.graph_attrs["label"] = f"<<B>{esc(self.captions[k])}</B>>"
        return to_digraph(scene, name=f"backward_step_{k + 1}")

    @property
    def frames(self) -> list[graphviz.Digraph]:
        """Every step as a diagram (see :meth:`frame`), built on first use.

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * 2; y.label = "y"
            >>> len(viz.backward_steps(y).frames)
            2
        """
        if self._frames is None:
            self._frames = [self.frame(k) for k in range(len(self))]
        return self._frames

    def frame_names(self, format: str = "svg") -> list[str]:
        """The file name of each step, as :meth:`write` writes them (numbered from 1, zero-padded).

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> viz.backward_steps(y).frame_names("pdf")
            ['step_001.pdf', 'step_002.pdf']
        """
        width = max(3, len(str(len(self))))
        return [f"step_{k + 1:0{width}d}.{format}" for k in range(len(self))]

    def render_frames(self, format: str = "svg", dpi=None) -> list[bytes]:
        """Every step rendered by Graphviz as ``format`` ("svg", "png" or "pdf"; PNG at ``dpi``).

        One Graphviz run per step: for slides, not for the page (:meth:`html` draws the graph once).
        """
        _check_frame_format(format)
        return [_pipe(self.frame(k), format, dpi) for k in range(len(self))]

    def svg(self) -> str:
        """The page's one picture: the graph with every gradient, as Graphviz draws it (cached).

        The page greys out and hides the gradients not yet known, outlines the current node and
        highlights its edges by switching classes and texts of this picture.
        """
        if self._svg is None:
            scene = self.scene.copy()
            for vn in scene.values:
                # every gradient written, so each box is wide enough for its number (and for "?")
                scene.node_attrs[vn.id]["label"] = value_label(
                    vn, False, scene.decimals, grad_text=self._grad_text(vn.node)
                )
            self._svg = _pipe(to_digraph(scene, name="backward_steps"), "svg").decode("utf-8")
        return self._svg

    def step_data(self) -> dict:
        """What the page switches at each step, as JSON-ready data.

        ``{"steps": [{"node": id, "grad": text, "edges": [id, ...], "caption": text}, ...]}``: per
        step the diagram id of the node visited (outlined), its gradient as written, the ids of the
        highlighted edges and the caption.  At step k the gradients of the nodes of steps 0..k are
        known, the others show "?".

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * 2; y.label = "y"
            >>> step = viz.backward_steps(y).step_data()["steps"][1]
            >>> step["node"], step["grad"], step["edges"]
            ('x', '2.0000', ['e_y_0'])
            >>> step["caption"]
            'step 2/2: ∂y/∂x = 2.0000 × 1.0000 = 2.0000'
        """
        by_key = self.scene.by_key
        return {
            "steps": [
                {"node": by_key[id(n)].id, "grad": self._grad_text(n), "edges": edges, "caption": caption}
                for n, edges, caption in zip(self.order, self.edges, self.captions)
            ]
        }

    def write(
        self, out_dir, format: str | None = None, html_name: str = "backward.html", dpi=None
    ) -> list[Path]:
        """Write the stepper page ``html_name`` into ``out_dir`` and, with ``format``, every step.

        ``format`` "svg", "png" or "pdf" also writes ``step_001.<format>``, ... (see
        :meth:`frame_names`).  Everything is rendered before the first file is written, so a
        missing Graphviz leaves no partial set behind.  Returns the paths written (the page last).
        """
        if format is not None:
            _check_frame_format(format)
        out = Path(out_dir)
        frames = self.render_frames(format, dpi) if format is not None else []
        page = self.html(title="Backward pass").encode("utf-8")
        out.mkdir(parents=True, exist_ok=True)
        # The page goes last: if writing stops half-way, no page claims a complete set of frames.
        names = self.frame_names(format) if format is not None else []
        written = [_write_atomic(out / name, data) for name, data in zip(names, frames)]
        written.append(_write_atomic(out / html_name, page))
        return written

    def html(self, title: str = "Backward pass", standalone: bool = True) -> str:
        """The stepper: one SVG of the graph, the steps as data, previous/next, keys and zoom.

        Keys: arrows, Page Up/Down and space step; Home/End jump; ``+``/``-`` zoom, ``0`` or
        ``f`` fits the picture to the window (the default, for a projector).  A standalone page
        listens to keys everywhere on the page; the fragment shown inline in Jupyter
        (``standalone=False``) only while the stepper has the focus (click it), so typing in a
        notebook cell never steps it.  Keys typed into inputs and editable text are left alone.
        The page, its script and its style are the package files ``viz/static/stepper.*``.

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * 2; y.label = "y"
            >>> page = viz.backward_steps(y).html()
            >>> page.startswith("<!DOCTYPE html>"), page.count("<svg")
            (True, 1)
        """
        # One stepper per standalone page; inline, several may share a notebook (even across kernels).
        uid = "viz-steps" if standalone else f"viz-steps-{secrets.token_hex(4)}"
        data = json.dumps(self.step_data(), ensure_ascii=False).replace("</", "<\\/")
        page = string.Template(_static("stepper.html")).substitute(
            title=html.escape(printable(title)),
            uid=uid,
            current=CURRENT,
            current_text=_CURRENT_TEXT,
            css=_static("stepper.css"),
            count=len(self),
            caption=html.escape(self.captions[0]),
            svg=_page_svg(self.svg(), uid + "-", {vn.id for vn in self.scene.values}),
            data=data,
            script=_static("stepper.js"),
            standalone="true" if standalone else "false",
        )
        if standalone:
            return page
        return page.split("<!-- stepper -->\n", 1)[1].split("<!-- /stepper -->", 1)[0]

    def _repr_html_(self) -> str:
        try:
            return self.html(standalone=False)
        except (GraphvizNotFoundError, GraphvizError) as err:
            # A notebook cell should say what is missing rather than show a traceback.
            return f"<pre>{html.escape(str(err))}</pre>"


def _check_frame_format(format) -> None:
    check_choice("format", format, FRAME_FORMATS, "BackwardSteps")


def _page_svg(svg: str, prefix: str, value_ids: set[str]) -> str:
    """The SVG as the page inlines it: ids made unique to the page, each value's grad text marked.

    The "grad" text of each value node gets the class ``grad`` and is centred in its box, so the
    page can write "?" or the number into it.
    """
    root = ET.fromstring(svg.encode("utf-8"))
    for el in root.iter():
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
    for g in root.iter(f"{_SVG}g"):
        if g.get("class") != "node" or g.get("id")[len(prefix):] not in value_ids:
            continue
        box = next((el for el in g if el.tag in (f"{_SVG}path", f"{_SVG}polygon")), None)
        grad = next((t for t in g.iter(f"{_SVG}text") if "".join(t.itertext()).startswith("grad ")), None)
        if box is None or grad is None:
            continue
        xs = [float(v) for v in _NUMBER.findall(box.get("d") or box.get("points"))[0::2]]
        grad.set("class", "grad")
        grad.set("text-anchor", "middle")
        grad.set("x", f"{(min(xs) + max(xs)) / 2:.2f}")
    # Written back with plain names (HTML knows svg's namespace): no ns0: prefixes.
    for el in root.iter():
        el.tag = el.tag.rpartition("}")[2]
        for key in [k for k in el.attrib if k.startswith(_XLINK)]:
            el.set("xlink:" + key[len(_XLINK):], el.attrib.pop(key))
    root.set("xmlns", _SVG_NS)
    root.set("xmlns:xlink", _XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _lecture_order(root, topo, naming, model, names, is_param) -> list:
    """The nodes in the lecture's backward order; always a reverse topological order.

    A node is ready once all its consumers are visited; of the ready nodes the next is: the
    error's nodes (and any node of no neuron) in the order they became ready, then the neurons
    from the output layer back (each layer in the model's order): a neuron's own nodes, then its
    weights and bias in the model's order; the inputs last.  Without a model there are no
    neurons: nodes are visited as they become ready (parents in operand order), inputs last.
    """
    layers = model_names(model, names).layers if model is not None else []
    rank = {}  # neuron name -> its place going backward: output layer first
    slot = {}  # id(parameter) -> its place among its neuron's weights and bias
    for layer in reversed(layers):
        for neuron in layer:
            rank.setdefault(neuron.name, len(rank))
            for k, p in enumerate((*neuron.neuron.w, getattr(neuron.neuron, "b", None))):
                slot.setdefault(id(p), k)
    waiting = {id(n): 0 for n in topo}
    for n in topo:
        for p in n.parents:
            waiting[id(p)] += 1
    ready: list = []
    counter = itertools.count()

    def push(node) -> None:
        seq = next(counter)
        group = naming.group(node)
        if group in rank:
            leaf = not node.parents
            key = (1, rank[group], int(leaf), slot.get(id(node), 0) if leaf else 0, seq)
        else:
            key = (2 if not node.parents and not is_param(node) else 0, 0, 0, 0, seq)
        heapq.heappush(ready, (key, node))  # seq makes every key unique: nodes are never compared

    push(root)
    order = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for p in node.parents:
            waiting[id(p)] -= 1
            if waiting[id(p)] == 0:
                push(p)
    return order


def _grad_caption(node, root, parts, grads, naming, decimals: int) -> str:
    """∂E/∂n = Σ ∂c/∂n × ∂E/∂c over the consumers c, in numbers (the root: the seed)."""
    r = naming.name(root) or "root"
    if node is root:
        seed = grads[id(node)]
        return f"{derivative(r, r)} = 1 (start)" if seed == 1.0 else f"{r}: seed {fmt(seed, decimals)}"
    terms = " + ".join(f"{factor(d, decimals)} × {factor(g, decimals)}" for _, _, d, g in parts)
    return f"{derivative(r, written_name(node, naming))} = {terms or '0'} = {fmt(grads[id(node)], decimals)}"


def backward_steps(
    root,
    out_dir=None,
    *,
    decimals: int = 4,
    symbols: bool = True,
    model=None,
    names=None,
    params=None,
    max_nodes: int = DEFAULT_MAX_NODES,
    notation: str = "grad",
    learning_rate=None,
    rankdir: str = "LR",
    fit=None,
) -> BackwardSteps:
    """The backward pass of ``root`` as steps, one per node, in the order the lecture goes back.

    Order: the error's nodes, then the output layer (the output y, its sum s, whose gradient
    gives δ, then its weights and bias), then each hidden unit in the model's order with its
    weights, the inputs last; always a reverse topological order (a node comes after all its
    consumers).  Without ``model`` nodes come as they become ready, inputs last.

    The gradients are recomputed by replaying the backward loop on the stored local derivatives
    (the graph is not modified, and what ``.grad`` holds does not matter).  At step k the node
    visited is outlined in orange, earlier nodes show their now final gradient, later ones "?",
    and the caption writes the sum that gives the gradient, ∂E/∂n = Σ ∂c/∂n × ∂E/∂c over the
    consumers c of n; exactly the edges from n to those consumers are highlighted.  With
    ``notation="delta"`` the captions use the lecture's symbols where it has them (see
    :class:`viz.notation.DeltaNotation`): δ_G = (t − y)·y'_G, δ_D = (w_GD·δ_G)·y'_D and
    Δw = μ·δ·h with μ = ``learning_rate`` (None: μ stays a symbol).

    ``model`` and ``names`` name and group the nodes as in :func:`viz.draw_graph`; ``rankdir``
    ("LR" or "TB") and ``fit`` (None, "slide" or (width, height) in inches) as there.  With
    ``out_dir`` the page is written at once (see :meth:`BackwardSteps.write`).

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> import viz
        >>> ex = worked_example()
        >>> steps = viz.backward_steps(ex.error, model=ex.model, names=ex.names, notation="delta",
        ...                            learning_rate=ex.learning_rate)
        >>> steps.captions[0]
        'step 1/20: ∂E/∂E = 1 (start)'
        >>> steps.captions[4]
        "step 5/20: δ_G = (t - y)·y'_G = 0.2355 × 0.1800 = 0.0424"
        >>> steps.captions[5]
        'step 6/20: Δw_GD = μ·δ_G·h_D = 10 × 0.0424 × 0.9002 = 0.3816'
    """
    where = "backward_steps"
    tensor = check_root(root, where)
    if tensor:
        raise TypeError(
            f"{where}: the stepper replays scalar local derivatives; a Tensor graph has none to show "
            f"(draw it with viz.draw_graph)"
        )
    decimals = check_decimals(decimals)
    rankdir = check_rankdir(rankdir, where)
    fit = check_fit(fit, where)
    topo = topological_order(root)
    naming = graph_naming(topo, model, names)
    check_limit(len(topo), max_nodes, where, collapsible=False)
    is_param = parameter_rule(model, params)
    scene = build_scene(
        root, False, decimals, is_param, symbols, topo=topo, naming=naming, rankdir=rankdir, fit=fit
    )
    replay = replay_backward(root, topo)
    _, grads, contributions = replay
    order = _lecture_order(root, topo, naming, model, names, is_param)
    delta = delta_notation(notation, learning_rate, where, root, model, names, params, topo, naming, replay)
    captions, edges = [], []
    for k, node in enumerate(order):
        parts = contributions[id(node)]
        text = delta.caption(node, decimals) if delta is not None else None
        if text is None:
            text = _grad_caption(node, root, parts, grads, naming, decimals)
        # names are the user's: a control character or lone surrogate is shown, never written raw
        captions.append(printable(f"step {k + 1}/{len(order)}: {text}"))
        # the caption sums over the edges from the node into its consumers: exactly those are lit
        edges.append([scene.edge_key(c, i) for c, i, _, _ in parts])
    steps = BackwardSteps(scene, order, grads, captions, edges)
    if out_dir is not None:
        steps.write(out_dir)
    return steps
