"""``backward_steps``: the backward pass as frames, one per node in the order backward visits them."""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import graphviz

from autograd_nn.graph import topological_order

from ._emit import to_digraph
from ._scene import build_scene, parameter_rule
from ._style import value_label
from ._util import DEFAULT_MAX_NODES, check_decimals, check_limit, check_root, esc, factor, fmt
from .naming import graph_naming
from .render import GraphvizNotFoundError, _pipe, _write_atomic

__all__ = ["CURRENT", "BackwardSteps", "backward_steps", "replay_backward"]

CURRENT = "#ff7f0e"
_counter = itertools.count(1)


def replay_backward(root, topo=None, seed: float = 1.0):
    """This pass's gradients computed from the local derivatives, without touching the graph.

    Returns ``(order, grads, contributions)``: the nodes in the order backward visits them
    (reverse topological), ``grads[id(node)]`` = d root / d node, and for each node the list of
    ``(consumer, parent_index, local, consumer_grad)`` terms its gradient is the sum of.

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(3.0); y = x * x
        >>> order, grads, parts = replay_backward(y)
        >>> grads[id(x)], len(parts[id(x)])
        (6.0, 2)
    """
    topo = topo if topo is not None else topological_order(root)
    grads = {id(n): 0.0 for n in topo}
    contributions: dict[int, list] = {id(n): [] for n in topo}
    grads[id(root)] = float(seed)
    order = list(reversed(topo))
    for node in order:
        g = grads[id(node)]
        for i, (parent, d) in enumerate(zip(node.parents, node.local)):
            grads[id(parent)] += d * g
            contributions[id(parent)].append((node, i, d, g))
    return order, grads, contributions


class BackwardSteps:
    """The frames of a backward pass, as ``graphviz.Digraph`` objects plus their captions.

    ``frames[k]`` shows the graph when backward visits ``order[k]``: that node is outlined in
    orange, nodes visited before it show their gradients, the rest show "?".  All frames share
    the node ids of :func:`viz.draw_graph` and are drawn at the positions of its one pinned
    layout (laid out once by ``dot``, rendered by ``neato -n2``), so no node moves from frame to
    frame or from the graph to a frame, however labels change; without ``dot`` at build time
    the frames are plain, unpinned ``dot`` diagrams.  ``write(out_dir)`` writes numbered SVG
    files and a self-contained HTML page; in Jupyter the object shows the stepper inline.

    Example:
        >>> from autograd_nn import Value
        >>> import viz
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> steps = viz.backward_steps(y)
        >>> len(steps), steps.captions[-1]
        (2, 'step 2/2: ∂y/∂x = 3.0000 × 1.0000 + 3.0000 × 1.0000 = 6.0000')
    """

    def __init__(self, frames, captions, order) -> None:
        self.frames: list[graphviz.Digraph] = frames
        self.captions: list[str] = captions
        self.order: list = order
        self._svgs: list[str] | None = None
        self._page_svgs: list[str] | None = None

    def __len__(self) -> int:
        return len(self.frames)

    def svgs(self) -> list[str]:
        """Each frame rendered to SVG text by Graphviz, its caption below the graph (cached)."""
        if self._svgs is None:
            self._svgs = [_pipe(f, "svg").decode("utf-8") for f in self.frames]
        return self._svgs

    def page_svgs(self) -> list[str]:
        """Each frame as SVG without its caption, for the page that writes the caption above it.

        The caption hangs below the pinned picture, so leaving it out moves no node.
        """
        if self._page_svgs is None:
            bare = []
            for f in self.frames:
                f = f.copy()
                f.graph_attr.pop("label", None)
                bare.append(f)
            self._page_svgs = [_pipe(f, "svg").decode("utf-8") for f in bare]
        return self._page_svgs

    def frame_names(self) -> list[str]:
        """The file name of each frame, as :meth:`write` writes them (numbered from 1, zero-padded).

        Example:
            >>> from autograd_nn import Value
            >>> import viz
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> viz.backward_steps(y).frame_names()
            ['step_001.svg', 'step_002.svg']
        """
        width = max(3, len(str(len(self.frames))))
        return [f"step_{k + 1:0{width}d}.svg" for k in range(len(self.frames))]

    def write(self, out_dir, html_name: str = "backward.html") -> list[Path]:
        """Write ``step_001.svg``... and ``html_name`` into ``out_dir``; return the paths written.

        Everything is rendered before the first file is written, so a missing Graphviz leaves
        no partial set of frames behind.
        """
        out = Path(out_dir)
        svgs = self.svgs()
        page = self.html(title="Backward pass").encode("utf-8")
        out.mkdir(parents=True, exist_ok=True)
        # The page goes last: if writing stops half-way, no page claims a complete set of frames.
        written = []
        for name, svg in zip(self.frame_names(), svgs):
            written.append(_write_atomic(out / name, svg.encode("utf-8")))
        written.append(_write_atomic(out / html_name, page))
        return written

    def html(self, title: str = "Backward pass", standalone: bool = True) -> str:
        """The stepper: every frame's SVG inlined, previous/next buttons, arrow keys, zoom to fit.

        Keys: arrows, Page Up/Down and space step; Home/End jump; ``+``/``-`` zoom, ``0`` or
        ``f`` fits the frame to the window (the default, for a projector).  A standalone page
        listens to keys everywhere on the page; the fragment shown inline in Jupyter
        (``standalone=False``) only while the stepper has the focus (click it), so typing in a
        notebook cell never steps it.  Keys typed into inputs and editable text are left alone.
        """
        uid = f"viz-steps-{next(_counter)}"
        parts = []
        for k, (svg, caption) in enumerate(zip(self.page_svgs(), self.captions)):
            hidden = "" if k == 0 else " hidden"
            parts.append(
                f'<div class="frame" id="{uid}-frame-{k + 1}" data-step="{k + 1}"{hidden}>'
                f'<p class="caption">{html.escape(caption)}</p>'
                f'<div class="picture">{_inline_svg(svg, f"{uid}-f{k + 1}-")}</div></div>'
            )
        n = len(self.frames)
        keys_on = "document" if standalone else "root"
        body = f"""<div class="viz-steps" id="{uid}" tabindex="0">
<style>
#{uid} {{ font-family: Helvetica, Arial, sans-serif; outline: none; }}
#{uid}:focus-visible {{ box-shadow: 0 0 0 2px #6c8ebf; }}
#{uid} .controls {{ display: flex; gap: 0.5em; align-items: center; flex-wrap: wrap; margin-bottom: 0.3em; }}
#{uid} .controls button {{ font-size: 1.25em; padding: 0.15em 0.6em; }}
#{uid} .counter {{ font-size: 1.4em; min-width: 5em; text-align: center; }}
#{uid} .caption {{ font-size: 1.6em; margin: 0.2em 0 0.4em; }}
#{uid} .picture {{ overflow: auto; }}
#{uid} .picture svg {{ display: block; }}
</style>
<div class="controls">
<button type="button" class="prev" id="{uid}-prev" title="previous step (left arrow)">
&#9664; previous</button>
<span class="counter" id="{uid}-counter">1 / {n}</span>
<button type="button" class="next" id="{uid}-next" title="next step (right arrow)">next &#9654;</button>
<button type="button" class="zoom-out" id="{uid}-zoom-out" title="smaller (-)">&minus;</button>
<button type="button" class="fit" id="{uid}-fit" title="fit to the window (f)">fit</button>
<button type="button" class="zoom-in" id="{uid}-zoom-in" title="larger (+)">+</button>
</div>
{"".join(parts)}
</div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var frames = root.querySelectorAll(".frame");
  var counter = document.getElementById("{uid}-counter");
  var standalone = {"true" if standalone else "false"};
  var current = 0;
  var zoom = null;  // null: fit to the window; else a scale of the picture's natural size
  function size() {{
    var svg = frames[current].querySelector("svg");
    if (!svg) {{ return; }}
    var box = svg.viewBox.baseVal;
    if (zoom === null) {{
      var top = svg.parentNode.getBoundingClientRect().top + (standalone ? window.scrollY : 0);
      var room = standalone ? window.innerHeight - top - 16 : Math.max(300, window.innerHeight * 0.8);
      var scale = Math.min(root.clientWidth / box.width, Math.max(room, 100) / box.height);
      svg.style.width = (box.width * scale) + "px";
    }} else {{
      svg.style.width = (box.width * zoom) + "px";
    }}
    svg.style.height = "auto";
  }}
  function show(k) {{
    current = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) {{ frames[i].hidden = (i !== current); }}
    counter.textContent = (current + 1) + " / " + frames.length;
    size();
  }}
  function scaleBy(f) {{
    var svg = frames[current].querySelector("svg");
    var now = zoom === null ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : zoom;
    zoom = Math.max(0.1, Math.min(8, now * f));
    size();
  }}
  function fit() {{ zoom = null; size(); }}
  function click(name, f) {{ document.getElementById("{uid}-" + name).addEventListener("click", f); }}
  click("prev", function () {{ show(current - 1); }});
  click("next", function () {{ show(current + 1); }});
  click("zoom-in", function () {{ scaleBy(1.25); }});
  click("zoom-out", function () {{ scaleBy(0.8); }});
  click("fit", fit);
  root.addEventListener("click", function () {{ root.focus({{preventScroll: true}}); }});
  function typing(el) {{
    if (!el || el === root) {{ return false; }}
    var tag = (el.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }}
  var actions = {{
    ArrowRight: function () {{ show(current + 1); }}, ArrowDown: function () {{ show(current + 1); }},
    PageDown: function () {{ show(current + 1); }}, " ": function () {{ show(current + 1); }},
    ArrowLeft: function () {{ show(current - 1); }}, ArrowUp: function () {{ show(current - 1); }},
    PageUp: function () {{ show(current - 1); }},
    Home: function () {{ show(0); }}, End: function () {{ show(frames.length - 1); }},
    "+": function () {{ scaleBy(1.25); }}, "=": function () {{ scaleBy(1.25); }},
    "-": function () {{ scaleBy(0.8); }}, "0": fit, f: fit
  }};
  {keys_on}.addEventListener("keydown", function (ev) {{
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) {{ return; }}
    var act = actions[ev.key];
    if (!act) {{ return; }}
    act();
    ev.preventDefault();
    ev.stopPropagation();  // inline in Jupyter: the notebook must not also act on the key
  }});
  window.addEventListener("resize", function () {{ if (zoom === null) {{ size(); }} }});
  show(0);
}})();
</script>"""
        if not standalone:
            return body
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 0.6em 1em; }}
h1 {{ font-size: 1.4em; margin: 0.2em 0; }}
.hint {{ margin: 0.2em 0 0.5em; color: #555; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="hint">Step with the buttons, the arrow keys or space;
+ and &minus; zoom, f fits the picture to the window.</p>
{body}
</body>
</html>
"""

    def _repr_html_(self) -> str:
        try:
            return self.html(standalone=False)
        except GraphvizNotFoundError as err:
            # A notebook cell should say what is missing rather than show a traceback.
            return f"<pre>{html.escape(str(err))}</pre>"


_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_SVG_ID = re.compile(r'(\sid=")([^"]*)"')
_SVG_REF = re.compile(r'(\s(?:xlink:)?href="#)([^"]*)"')


def _inline_svg(svg: str, prefix: str) -> str:
    """An SVG document ready to sit inside HTML: no XML prologue, ids unique to its frame."""
    svg = _XML_PROLOGUE.sub("", svg, count=1)
    svg = _SVG_ID.sub(lambda m: f'{m.group(1)}{prefix}{m.group(2)}"', svg)
    return _SVG_REF.sub(lambda m: f'{m.group(1)}{prefix}{m.group(2)}"', svg)


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
) -> BackwardSteps:
    """The backward pass of ``root`` as frames, one per node in the order backward visits them.

    The gradients are recomputed by replaying the backward loop on the stored local derivatives
    (the graph is not modified, and what ``.grad`` holds does not matter).  In frame k the node
    being visited is outlined in orange with the edges to its parents highlighted (the class
    ``current-edge``), earlier nodes show their now final gradient, later ones "?", and the
    caption writes the sum that gives the current gradient.  With ``out_dir`` the frames are
    written at once (see :meth:`BackwardSteps.write`).  ``model`` and ``names`` name and group
    the nodes as in :func:`viz.draw_graph`.

    Example:
        >>> from autograd_nn import Value
        >>> import viz
        >>> x = Value(2.0, label="x"); y = (x * 3).tanh(); y.label = "y"
        >>> steps = viz.backward_steps(y)
        >>> [node.label or node.op for node in steps.order]
        ['y', '*', 'x']
    """
    where = "backward_steps"
    tensor = check_root(root, where)
    if tensor:
        raise TypeError(
            f"{where}: the stepper replays scalar local derivatives; a Tensor graph has none to show "
            f"(draw it with viz.draw_graph)"
        )
    decimals = check_decimals(decimals)
    topo = topological_order(root)
    naming = graph_naming(topo, model, names)
    check_limit(len(topo), max_nodes, where, collapsible=False)
    is_param = parameter_rule(model, params)
    base = build_scene(root, False, decimals, is_param, symbols, topo=topo, naming=naming)
    order, grads, contributions = replay_backward(root, topo)
    r = naming.name(root) or "root"
    frames, captions = [], []
    visited: set[int] = set()
    for k, node in enumerate(order):
        visited.add(id(node))
        scene = base.copy()
        for vn in scene.values:
            known = id(vn.node) in visited
            current = vn.node is node
            scene.node_attrs[vn.id]["label"] = value_label(
                vn,
                False,
                decimals,
                grad_text=fmt(grads[id(vn.node)], decimals) if known else "?",
                border=CURRENT if current else None,
                border_width=4 if current else 1,
                grey=not known,
            )
        for e in scene.edges:
            if e.child is node and e.index >= 0:
                e.attrs.update({"color": CURRENT, "penwidth": "2.5", "class": "current-edge"})
        name = naming.name(node) or f"({node.op or 'leaf'})"
        if node is root:
            text = (
                f"∂{r}/∂{r} = 1 (start)"
                if grads[id(node)] == 1.0
                else f"{name}: seed {fmt(grads[id(node)], decimals)}"
            )
        else:
            terms = " + ".join(
                f"{factor(d, decimals)} × {factor(g, decimals)}" for _, _, d, g in contributions[id(node)]
            )
            text = f"∂{r}/∂{name} = {terms or '0'} = {fmt(grads[id(node)], decimals)}"
        caption = f"step {k + 1}/{len(order)}: {text}"
        scene.graph_attrs["label"] = f"<<B>{esc(caption)}</B>>"
        frames.append(to_digraph(scene, name=f"backward_step_{k + 1}"))
        captions.append(caption)
    steps = BackwardSteps(frames, captions, order)
    if out_dir is not None:
        steps.write(out_dir)
    return steps
