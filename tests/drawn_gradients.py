"""Every diagram a notebook draws shows fresh gradients: what it draws equals a clean backward.

The notebook tests install this check in the kernel (an IPython startup file calls
:func:`install`); a diagram that draws a stale gradient, e.g. one that ``backward()`` added to
the gradient of an earlier pass, then fails its cell with a :class:`StaleGradientError` naming
the node, the drawn gradient and the clean one.

Where gradients are read: every viz diagram of a computation graph becomes a Graphviz object in
one place, ``viz._emit.to_digraph(scene)``, and by then each value node's label holds the text
the reader sees (``grad 0.1234``, or ``grad ?`` for a step of the backward stepper not reached
yet).  The check reads those texts there and compares each with ``viz._util.fmt`` of the clean
gradient, so it checks exactly what is drawn, however the view got its number (``.grad`` for
``draw_graph`` and ``draw_gradient_paths``, a replay for ``backward_steps``).

Which diagrams are checked: those that draw a number in a ``grad`` row.  Not checked are
pictures without one (Tensor graphs show op, shape and dtype; ``draw_network`` and ``draw_tlu``
have no value nodes; the stepper's "?"), the layout pass (it draws nothing), and a picture whose
every drawn gradient is 0, its root's included: that is the graph before any backward (viz
writes ``grad 0`` on every node then), not a stale one.  The collapsed view names no node
per box, so there every node of the graph must hold its clean gradient.

The clean gradient: every node's ``grad`` is saved, set to 0, ``root.backward()`` runs, and
every ``grad`` is put back exactly as it was, so the notebook goes on unchanged.

Example:
    >>> from autograd_nn import Value
    >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
    >>> y.backward(); clean_gradients(y)[id(x)], x.grad
    (6.0, 6.0)
    >>> y.backward(); clean_gradients(y)[id(x)], x.grad      # accumulated: 6 + 6, still clean 6
    (6.0, 12.0)
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys

#: The module whose ``to_digraph`` every diagram passes through.
EMIT = "viz._emit"

# The "grad ..." row of a value node's HTML label (its name row is bold, so a name never matches).
_GRAD_ROW = re.compile(r"(?:<TD>|<FONT[^>]*>)grad ([^<]*)</")


class StaleGradientError(AssertionError):
    """A diagram draws a gradient that a clean ``backward()`` of its root does not give."""


def clean_gradients(root) -> dict[int, float]:
    """``id(node) -> grad`` after one ``root.backward()`` from zero; every ``grad`` is restored.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(2.0); b = a * 5; a.grad = 7.0
        >>> clean_gradients(b)[id(a)], a.grad
        (5.0, 7.0)
    """
    from autograd_nn.graph import topological_order

    topo = topological_order(root)
    saved = [n.grad for n in topo]
    try:
        for n in topo:
            n.grad = 0.0
        root.backward()
        return {id(n): n.grad for n in topo}
    finally:
        for n, g in zip(topo, saved):
            n.grad = g


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "?": the stepper has not reached the node
        return None


def _who(node, shown: str = "") -> str:
    label = getattr(node, "label", "") or ""
    if shown and label and shown != label:
        return f"{shown!r} (label {label!r})"
    if shown or label:
        return repr(shown or label)
    return f"an unnamed {node.op or 'leaf'!r} node (data {node.data!r})"


def check_scene(scene, name: str = "computation_graph") -> None:
    """Raise :class:`StaleGradientError` if the diagram ``scene`` draws a gradient that is not clean.

    ``name`` is the diagram's (as ``to_digraph`` gets it); see the module's docstring for what
    is checked.

    Example:
        >>> import viz
        >>> from autograd_nn import Value
        >>> from viz._scene import build_scene
        >>> w = Value(2.0, label="w"); y = w * w; y.label = "y"
        >>> y.backward(); y.backward()                           # twice: w.grad is 8, not 4
        >>> try:
        ...     check_scene(build_scene(y, False, 4, lambda n: False, True, pin=False))
        ... except StaleGradientError as err:
        ...     print(*str(err).splitlines()[1:], sep="\\n")
          'w': drawn grad 8.0000, a fresh backward gives 4.0000
          'y': drawn grad 2.0000, a fresh backward gives 1.0000
    """
    root = getattr(scene, "root", None)
    if name == "layout" or getattr(scene, "tensor", True) or not hasattr(root, "grad"):
        return
    from viz._util import fmt

    if scene.values:
        drawn = []
        for vn in scene.values:
            rows = _GRAD_ROW.findall(scene.node_attrs.get(vn.id, {}).get("label", ""))
            if rows and _number(rows[-1]) is not None:
                drawn.append((vn.node, vn.name, rows[-1]))
    else:  # the collapsed view: a grad per box, of no node it names, so every node must be clean
        from autograd_nn.graph import topological_order

        texts = [t for attrs in scene.node_attrs.values() for t in _GRAD_ROW.findall(attrs.get("label", ""))]
        if not [t for t in texts if _number(t) is not None]:
            return
        drawn = [(n, "", fmt(n.grad, scene.decimals)) for n in topological_order(root)]
    if not drawn or all(_number(text) == 0.0 for _, _, text in drawn):
        return  # no gradient drawn, or the graph before any backward (every gradient 0)
    try:
        clean = clean_gradients(root)
    except Exception:  # noqa: BLE001 - a graph whose backward fails (an anomaly) cannot be checked
        return
    wrong = [(node, shown, text, fmt(clean[id(node)], scene.decimals)) for node, shown, text in drawn
             if text != fmt(clean[id(node)], scene.decimals)]
    if wrong:
        rows = "\n".join(f"  {_who(node, shown)}: drawn grad {text}, a fresh backward gives {fresh}"
                         for node, shown, text, fresh in wrong)
        shown = scene.by_key[id(root)].name if id(root) in scene.by_key else ""
        raise StaleGradientError(
            f"the diagram {name!r} draws gradients that a fresh backward() of its root {_who(root, shown)} "
            f"does not give (gradients accumulate over backward() calls: zero them, e.g. with "
            f"model.zero_grad(), before the backward whose gradients are drawn):\n{rows}"
        )


def _checked(to_digraph):
    def to_digraph_checked(scene, name: str = "computation_graph"):
        check_scene(scene, name)
        return to_digraph(scene, name)

    to_digraph_checked.__wrapped__ = to_digraph
    to_digraph_checked.__doc__ = to_digraph.__doc__
    return to_digraph_checked


def _patch(module) -> None:
    if not hasattr(module.to_digraph, "__wrapped__"):
        module.to_digraph = _checked(module.to_digraph)


class _PatchingLoader(importlib.abc.Loader):
    """Runs the real loader, then puts the check into the module before anyone imports from it."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        _patch(module)

    def __getattr__(self, name):  # get_source etc., for tracebacks
        return getattr(self.loader, name)


class _PatchEmit(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != EMIT:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader)
        return spec


def install() -> None:
    """Check every diagram from now on: when ``viz._emit`` is imported, its ``to_digraph`` checks.

    Called from a kernel's startup file, before the notebook imports anything, so the check is in
    place before any viz module binds ``to_digraph``.  It imports nothing itself, so a kernel whose
    notebook never uses viz (or lacks graphviz) is not changed.
    """
    if not any(isinstance(f, _PatchEmit) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchEmit())
