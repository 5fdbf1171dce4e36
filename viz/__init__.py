"""viz: slide-ready diagrams of computation graphs, gradient paths, networks and the backward pass.

Every diagram is a ``graphviz.Digraph`` built from the engine's node record (``parents``,
``local``, ``data``, ``grad``); building never needs Graphviz's ``dot`` program, rendering to
SVG/PNG/PDF does (:func:`render`).  In Jupyter a diagram displays inline.

Example:
    >>> from autograd_nn import Value
    >>> import viz
    >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"; y.backward()
    >>> dot = viz.draw_graph(y)
    >>> "x [" in dot.source and "cluster" not in dot.source
    True
"""

from .graph import draw_graph
from .network import draw_network
from .paths import draw_gradient_paths, path_products
from .render import SUPPORTED_FORMATS, GraphvizNotFoundError, render
from .steps import BackwardSteps, backward_steps

__all__ = [
    "SUPPORTED_FORMATS",
    "BackwardSteps",
    "GraphvizNotFoundError",
    "backward_steps",
    "draw_gradient_paths",
    "draw_graph",
    "draw_network",
    "path_products",
    "render",
]

# --- viz.plots (matplotlib figures, written by the tutorials helper) --------------------------
# Not imported here, so that `import viz` stays light and never needs matplotlib; its public
# names are reachable as attributes (viz.<name>) on first use, and always as viz.plots.<name>.


def __getattr__(name: str):
    if name == "plots":
        import importlib

        return importlib.import_module(".plots", __name__)
    if not name.startswith("_"):
        import importlib

        try:
            plots = importlib.import_module(".plots", __name__)
        except ImportError:
            plots = None
        if plots is not None and name in getattr(plots, "__all__", ()):
            return getattr(plots, name)
    raise AttributeError(f"module 'viz' has no attribute {name!r}")


def __dir__():
    names = set(globals()) | {"plots"}
    try:
        from . import plots

        names |= set(getattr(plots, "__all__", ()))
    except ImportError:
        pass
    return sorted(names)
