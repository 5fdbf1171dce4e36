"""viz: slide-ready diagrams of computation graphs, gradient paths, networks and the backward pass.

Every diagram is a ``graphviz.Digraph`` built from the engine's node record (``parents``,
``local``, ``data``, ``grad``); building never needs Graphviz's ``dot`` program, rendering to
SVG/PNG/PDF does (:func:`render`).  In Jupyter a diagram displays inline.

The diagram modules need the ``graphviz`` Python package and the plots in :mod:`viz.plots` need
matplotlib; both are imported only on first use (``pip install "autograd_nn[viz]"`` brings
both), so a notebook that only plots never needs graphviz.

Example:
    >>> from autograd_nn import Value
    >>> import viz
    >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"; y.backward()
    >>> dot = viz.draw_graph(y)
    >>> "x [" in dot.source and "cluster" not in dot.source
    True
"""

import importlib
import sys
import types

#: Public names of the graphviz-based modules, each with the module that defines it.
_DIAGRAM_NAMES = {
    "draw_graph": "graph",
    "draw_network": "network",
    "draw_gradient_paths": "paths",
    "path_products": "paths",
    "SUPPORTED_FORMATS": "render",
    "GraphvizNotFoundError": "render",
    "render": "render",
    "BackwardSteps": "steps",
    "backward_steps": "steps",
}

__all__ = sorted(_DIAGRAM_NAMES)

INSTALL_HINT = 'pip install "autograd_nn[viz]"'


def _load_diagrams() -> None:
    """Import every graphviz-based module and bind its public names on the package.

    All of them at once: importing a submodule binds it on the package under its own name, and
    ``viz.render`` (the submodule) would otherwise shadow ``viz.render`` (the function).
    """
    try:
        names = sorted(set(_DIAGRAM_NAMES.values()))
        modules = {m: importlib.import_module(f".{m}", __name__) for m in names}
    except ImportError as err:
        if getattr(err, "name", None) == "graphviz" or "graphviz" in str(err):
            raise ImportError(
                f"viz's diagrams need the graphviz Python package (and Graphviz's dot program to render "
                f"them): {INSTALL_HINT}, plus `apt-get install graphviz` / `brew install graphviz` / "
                f"`conda install graphviz`"
            ) from err
        raise
    for name, module in _DIAGRAM_NAMES.items():
        globals()[name] = getattr(modules[module], name)


#: Submodules reachable as attributes before anything imported them (``viz.paths.PATH_COLOURS``).
_SUBMODULES = ("graph", "naming", "network", "paths", "render", "steps", "plots")


class _Package(types.ModuleType):
    """The ``viz`` module object: ``viz.render`` stays the function when its submodule is imported.

    Importing ``viz.render`` (the module) makes Python bind it on the package under the same
    name as the function it defines; the function is bound instead, as ``viz.render`` always was
    (the module stays reachable as ``sys.modules["viz.render"]``).
    """

    def __setattr__(self, name, value):
        if name == "render" and isinstance(value, types.ModuleType) and hasattr(value, "render"):
            value = value.render
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


# --- viz.plots (matplotlib figures, written by the tutorials helper) --------------------------
# Neither the diagrams nor the plots are imported here, so `import viz` and `import viz.plots`
# need neither graphviz nor matplotlib; their public names resolve on first use (viz.<name>).


def __getattr__(name: str):
    if name in _DIAGRAM_NAMES:
        _load_diagrams()
        return globals()[name]
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
