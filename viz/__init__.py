"""viz: slide-ready diagrams of computation graphs, gradient paths, networks and the backward pass.

Every diagram is a ``graphviz.Digraph`` built from the engine's node record (``parents``,
``local``, ``data``, ``grad``); building never needs a Graphviz program, rendering to SVG/PNG/PDF
does (:func:`render`): the system Graphviz when installed, else graphviz-pure, which the ``viz``
extra installs (SVG and PNG on any machine; PDF needs the system Graphviz).  In Jupyter a diagram
displays inline.

The diagram modules need the ``graphviz`` Python package and the plots in :mod:`viz.plots` need
matplotlib; both are imported only on first use (``pip install "autograd_nn[viz]"`` brings
both, and graphviz-pure), so a notebook that only plots never needs graphviz.

Example:
    >>> from autograd_nn import Value
    >>> import viz
    >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"; y.backward()
    >>> dot = viz.draw_graph(y)
    >>> "x [" in dot.source and "cluster" not in dot.source
    True
"""

import importlib

#: Public names of the graphviz-based modules, each with the module that defines it.
_DIAGRAM_NAMES = {
    "draw_graph": "graph",
    "draw_network": "network",
    "draw_gradient_paths": "paths",
    "path_products": "paths",
    "SUPPORTED_FORMATS": "rendering",
    "GraphvizError": "rendering",
    "GraphvizNotFoundError": "rendering",
    "render": "rendering",
    "BackwardSteps": "steps",
    "backward_steps": "steps",
    "draw_tlu": "tlu",
}

__all__ = sorted(_DIAGRAM_NAMES)

INSTALL_HINT = 'pip install "autograd_nn[viz]"'


class GraphvizNotFoundError(RuntimeError):
    """No Graphviz program that can draw the diagram: neither the system's nor graphviz-pure.

    Building diagrams and writing ``.dot`` files work without one; rendering to SVG or PNG needs
    the system Graphviz or graphviz-pure, PDF needs the system Graphviz.

    Example:
        >>> issubclass(GraphvizNotFoundError, RuntimeError)
        True
    """


class GraphvizError(RuntimeError):
    """A Graphviz program ran and failed (or ran out of time); ``stderr`` holds what it said.

    Example:
        >>> err = GraphvizError("dot failed", "Error: syntax error in line 1")
        >>> err.stderr
        'Error: syntax error in line 1'
    """

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


def _load_diagram_name(name: str):
    """Import the graphviz-based module that defines ``name``; bind ``name`` on the package."""
    try:
        module = importlib.import_module(f".{_DIAGRAM_NAMES[name]}", __name__)
    except ImportError as err:
        if getattr(err, "name", None) == "graphviz" or "graphviz" in str(err):
            raise ImportError(
                f"viz's diagrams need the graphviz Python package: {INSTALL_HINT} (it brings "
                f"graphviz-pure too, which draws them without a system Graphviz)"
            ) from err
        raise
    globals()[name] = value = getattr(module, name)
    return value


#: Submodules reachable as attributes before anything imported them (``viz.paths.PATH_COLOURS``).
_SUBMODULES = ("graph", "naming", "network", "notation", "paths", "rendering", "steps", "tlu", "plots")


# --- viz.plots (matplotlib figures, written by the tutorials helper) --------------------------
# Neither the diagrams nor the plots are imported here, so `import viz` and `import viz.plots`
# need neither graphviz nor matplotlib; their public names resolve on first use (viz.<name>).


def __getattr__(name: str):
    if name in _DIAGRAM_NAMES:
        return _load_diagram_name(name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if not name.startswith("_"):
        try:
            plots = importlib.import_module(".plots", __name__)
        except ImportError:
            plots = None
        if plots is not None and name in getattr(plots, "__all__", ()):
            return getattr(plots, name)
    raise AttributeError(f"module 'viz' has no attribute {name!r}")


def __dir__():
    names = set(globals()) | {"plots"} | set(_DIAGRAM_NAMES)
    try:
        from . import plots

        names |= set(getattr(plots, "__all__", ()))
    except ImportError:
        pass
    return sorted(names)
