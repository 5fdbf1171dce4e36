"""``render``: write a diagram to .svg/.png/.pdf/.dot, atomically and without stray files.

The drawing is made by the system Graphviz when it is installed, else by graphviz-pure (see
:mod:`viz._backend`); PDF needs the system Graphviz.
"""

from __future__ import annotations

from pathlib import Path

from autograd_nn._files import write_atomic as _write_atomic

from . import GraphvizError, GraphvizNotFoundError
from ._backend import pipe_diagram

__all__ = ["DEFAULT_PNG_DPI", "SUPPORTED_FORMATS", "GraphvizError", "GraphvizNotFoundError"]
__all__ += ["format_of", "render"]

SUPPORTED_FORMATS = ("svg", "png", "pdf", "dot")


#: Pixels per inch of a PNG unless told otherwise: sharp on a projector and a 4K screen.
DEFAULT_PNG_DPI = 200


def _check_dpi(dpi):
    if dpi is None:
        return None
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 2400:
        raise ValueError(f"render: dpi must be a number from 10 to 2400, got {dpi!r}")
    return dpi


def _pipe(diagram, fmt: str, dpi=None) -> bytes:
    """The diagram rendered by Graphviz as bytes in format ``fmt`` (``dot`` needs no Graphviz).

    A PNG is rendered at ``dpi`` pixels per inch (default :data:`DEFAULT_PNG_DPI`); vector
    formats ignore it.
    """
    if fmt == "dot":
        return diagram.source.encode("utf-8")
    if fmt == "png":
        dpi = _check_dpi(dpi) or DEFAULT_PNG_DPI
        diagram = diagram.copy()  # the caller's diagram keeps its own attributes
        diagram.graph_attr["dpi"] = f"{dpi:g}"
    return pipe_diagram(diagram, fmt)


def format_of(path) -> str:
    """The output format named by a path's suffix, or ``ValueError`` listing the supported ones.

    Example:
        >>> format_of("fig/graph.SVG")
        'svg'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "gv":
        suffix = "dot"
    if suffix not in SUPPORTED_FORMATS:
        raise ValueError(
            f"render: cannot tell the format of {str(path)!r} from its suffix {Path(path).suffix!r}; "
            f"supported: {', '.join('.' + f for f in SUPPORTED_FORMATS)}"
        )
    return suffix


def render(diagram, path, *, dpi=None) -> Path:
    """Write ``diagram`` (a ``graphviz.Digraph``) to ``path``; the format comes from the suffix.

    Supported suffixes: ``.svg`` and ``.png`` (drawn by the system Graphviz, else by graphviz-pure),
    ``.pdf`` (needs the system Graphviz) and ``.dot`` (the DOT text, no Graphviz needed).  A
    missing program raises :class:`GraphvizNotFoundError` saying how to install one; a failing one
    :class:`GraphvizError` with its message.  A PNG is rendered at ``dpi`` pixels per inch
    (default 200, slide-ready; Graphviz's own default is 96); SVG and PDF are vector formats and
    ignore it.  Only ``path`` is written (no stray ``.gv`` file), atomically, and as ``open``
    would: through a symlink into its target, an existing file keeping its permission bits, a new
    one getting ``0o666`` less the umask.  An unknown suffix raises ``ValueError`` listing the
    supported ones; an unwritable folder raises the OS error naming the path.
    Returns the path written.

    Example:
        >>> import tempfile, os, viz
        >>> from autograd_nn import Value
        >>> y = Value(2.0, label="x") * 3; y.backward()
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = viz.render(viz.draw_graph(y), os.path.join(d, "g.dot"))
        ...     sorted(os.listdir(d))
        ['g.dot']
    """
    if not (hasattr(diagram, "source") and hasattr(diagram, "pipe")):
        raise TypeError(
            f"render: expected a graphviz diagram (as draw_graph returns), got {type(diagram).__name__}"
        )
    fmt = format_of(path)
    dpi = _check_dpi(dpi)
    data = _pipe(diagram, fmt, dpi)  # render first, so a Graphviz failure writes nothing
    return _write_atomic(path, data)
