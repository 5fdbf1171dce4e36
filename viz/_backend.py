"""Which Graphviz program draws a diagram, and running it: the system's ``dot``/``neato``, else graphviz-pure.

A system Graphviz (``apt-get install graphviz`` ...) wins when it is on the PATH: the lecturer
installed it on purpose, and only it writes PDF.  Without one, the ``graphviz-pure`` command of
the ``viz`` extra (a self-contained port of Graphviz, ``graphviz-pure -K<engine>`` with ``dot``'s
flags) lays out and draws SVG and PNG on any machine.  :func:`run_graphviz` is the one place
a Graphviz program runs: for the layout (``-Tjson0``) and for every rendering; it raises
:class:`GraphvizNotFoundError` or :class:`GraphvizError`, never a raw subprocess error.

Example:
    >>> run_graphviz("digraph { a -> b }", "svg").startswith(b"<?xml")
    True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import graphviz

from autograd_nn._files import write_atomic

from . import GraphvizError, GraphvizNotFoundError

#: The command the graphviz-pure wheel installs (it never installs ``dot``, so never shadows one).
PURE = "graphviz-pure"
#: What graphviz-pure writes (``-T``); PDF and PostScript need the system Graphviz.
PURE_FORMATS = frozenset(
    "svg png jpeg jpg jpe json json0 dot_json xdot_json dot gv xdot xdot1.2 xdot1.4 plain plain-ext "
    "canon".split()
)
#: Seconds a Graphviz run may take; the largest diagram viz allows takes a few.
TIMEOUT = 120

INSTALL_HINT = (
    'pip install graphviz-pure (it comes with pip install "autograd_nn[viz]"), or install the system '
    "Graphviz: `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`"
)
SYSTEM_HINT = (
    "install the system Graphviz: `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS) or `conda install graphviz`"
)


@dataclass(frozen=True)
class Program:
    """A Graphviz command line for one layout engine: ``argv`` comes before the ``-T`` flag.

    Example:
        >>> p = Program(("/usr/bin/graphviz-pure", "-Kneato"), pure=True)
        >>> p.name, p.pure
        ('graphviz-pure -Kneato', True)
    """

    argv: tuple[str, ...]
    pure: bool

    @property
    def name(self) -> str:
        """The command as a person would type it (no folder)."""
        return " ".join([Path(self.argv[0]).name, *self.argv[1:]])


def _script_dirs() -> list[str]:
    """Where pip put this environment's commands.

    A virtual environment's python run by its full path (an IDE, a Jupyter kernel, ``make``) does
    not have the environment's ``bin`` folder on the PATH, yet graphviz-pure was installed there.
    """
    dirs = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    return [d for k, d in enumerate(dirs) if d and d not in dirs[:k]]


def find_pure() -> str | None:
    """The path of the ``graphviz-pure`` command: on the PATH, else beside this Python; or None.

    Example:
        >>> path = find_pure()
        >>> path is None or path.endswith(("graphviz-pure", "graphviz-pure.exe"))
        True
    """
    found = shutil.which(PURE)
    for folder in _script_dirs():
        found = found or shutil.which(PURE, path=folder)
    return found


def check_graphviz(engine: str = "dot", fmt: str | None = None) -> Program:
    """The program that draws with ``engine`` (into format ``fmt``), or :class:`GraphvizNotFoundError`.

    The system's ``engine`` command if it is on the PATH, else ``graphviz-pure -K<engine>``.  The
    error names the programs looked for and how to install one; with only graphviz-pure, a
    format it cannot write (PDF) is an error that says the system Graphviz is needed.

    Example:
        >>> check_graphviz("neato", "svg").name in ("neato", "graphviz-pure -Kneato")
        True
    """
    system = shutil.which(engine)
    if system is not None:
        return Program((system,), pure=False)
    pure = find_pure()
    if pure is None:
        raise GraphvizNotFoundError(
            f"no Graphviz program to draw the diagram: neither Graphviz's {engine} nor {PURE} was found "
            f"on the PATH (nor beside {sys.executable}); building diagrams and writing .dot text work "
            f"without one; {INSTALL_HINT}"
        )
    base = (fmt or "svg").split(":")[0].lower()
    if base not in PURE_FORMATS:
        raise GraphvizNotFoundError(
            f"{base.upper()} output needs the system Graphviz: Graphviz's {engine} was not found on the "
            f"PATH, and {PURE}, found instead, writes SVG and PNG but not {base.upper()}; {SYSTEM_HINT}"
        )
    return Program((pure, f"-K{engine}"), pure=True)


def run_graphviz(
    source: str,
    fmt: str,
    engine: str = "dot",
    *,
    no_op: bool | int | None = None,
    program: Program | None = None,
    timeout: float = TIMEOUT,
) -> bytes:
    """The DOT text ``source`` drawn by Graphviz in format ``fmt`` (``svg``, ``png``, ``json0`` ...).

    ``engine`` is the layout engine; ``no_op`` is ``neato``'s ``-n`` flag (2: draw the positions
    given, as for a pinned diagram); ``program`` defaults to :func:`check_graphviz`'s choice.
    A missing program raises :class:`GraphvizNotFoundError`; a failure, or no answer within
    ``timeout`` seconds, raises :class:`GraphvizError` with Graphviz's message.  Graphviz's
    warnings of a successful run are dropped (graphviz-pure warns about font metrics).

    Example:
        >>> run_graphviz("digraph { a -> b }", "json0")[:1]
        b'{'
        >>> run_graphviz("digraph { a -> }", "svg")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.GraphvizError: ... failed to draw the diagram (svg, exit status 1): ...syntax error...
    """
    program = program or check_graphviz(engine, fmt)
    argv = [*program.argv, f"-T{fmt}"]
    if no_op:
        argv.append("-n" if no_op is True else f"-n{int(no_op)}")
    try:
        run = subprocess.run(argv, input=source.encode("utf-8"), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise GraphvizError(
            f"{program.name} did not finish drawing the diagram ({fmt}) within {timeout:g} s", ""
        ) from err
    except OSError as err:
        raise GraphvizNotFoundError(f"{program.name} could not be run ({err}); {INSTALL_HINT}") from err
    if run.returncode != 0:
        stderr = run.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(
            f"{program.name} failed to draw the diagram ({fmt}, exit status {run.returncode}): "
            f"{stderr or 'no message'}",
            stderr,
        )
    return run.stdout


def pipe_diagram(diagram, fmt: str) -> bytes:
    """Any graphviz diagram or source drawn in format ``fmt`` by :func:`run_graphviz`.

    A :class:`Diagram` knows whether it is pinned; a plain ``graphviz.Digraph`` is drawn by its
    engine.

    Example:
        >>> pipe_diagram(graphviz.Digraph(), "svg")[:5]
        b'<?xml'
    """
    if isinstance(diagram, Diagram):
        return diagram.pipe(format=fmt)
    return run_graphviz(diagram.source, fmt, getattr(diagram, "engine", None) or "dot")


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` that this machine's Graphviz draws: the system's, else graphviz-pure.

    ``pipe``, ``render``, ``view`` and Jupyter's inline display all go through :func:`run_graphviz`.
    A ``pinned`` diagram carries the position of every node, edge and label and is drawn by
    ``neato -n2``, which draws exactly those positions (no layout at all).

    Example:
        >>> g = Diagram(engine="neato", pinned=True)
        >>> g.node("a", pos="10,20!")
        >>> isinstance(g, graphviz.Digraph), g.engine, g.copy().pinned
        (True, 'neato', True)
    """

    def __init__(self, *args, pinned: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pinned = pinned

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """Jupyter's inline display; with no Graphviz program at all, what to install instead.

        A notebook cell then says what is missing rather than showing a traceback.

        Example:
            >>> "image/svg+xml" in Diagram()._repr_mimebundle_()
            True
        """
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotFoundError as err:
            return {"text/plain": f"(the diagram is not drawn: {err})"}

    def _copy_kwargs(self, **kwargs):
        # copy() and subgraph() build a new instance from these: it stays pinned
        return {**super()._copy_kwargs(**kwargs), "pinned": self.pinned}

    def pipe(
        self,
        format=None,
        renderer=None,
        formatter=None,
        neato_no_op=None,
        quiet=False,
        *,
        engine=None,
        encoding=None,
    ):
        """Like ``graphviz.Digraph.pipe``; a pinned diagram is drawn with ``-n2`` unless told otherwise.

        Example:
            >>> Diagram().pipe(format="svg")[:5]
            b'<?xml'
        """
        fmt = ":".join(part for part in (format or self.format, renderer, formatter) if part)
        if neato_no_op is None and self.pinned:
            neato_no_op = 2
        data = run_graphviz(self.source, fmt, engine or self.engine, no_op=neato_no_op)
        return data if encoding is None else data.decode(encoding)

    def render(
        self,
        filename=None,
        directory=None,
        view=False,
        cleanup=False,
        format=None,
        renderer=None,
        formatter=None,
        neato_no_op=None,
        quiet=False,
        quiet_view=False,
        *,
        outfile=None,
        engine=None,
        raise_if_result_exists=False,
        overwrite_source=False,
    ) -> str:
        """Like ``graphviz.Digraph.render``: save the DOT source, draw it beside it; return that path.

        The format is ``format``, else ``outfile``'s suffix, else the diagram's own.  The drawing is
        made before anything is written, so a failure leaves no file.  (:func:`viz.render`
        writes only the drawing.)

        Example:
            >>> import os, tempfile
            >>> with tempfile.TemporaryDirectory() as d:
            ...     path = Diagram(name="g").render(directory=d, format="svg")
            ...     sorted(os.listdir(d))
            ['g.gv', 'g.gv.svg']
        """
        fmt = format or (Path(outfile).suffix[1:] if outfile is not None else "") or self.format
        data = self.pipe(fmt, renderer, formatter, neato_no_op, engine=engine)
        target = None
        if outfile is not None:
            target = Path(directory if directory is not None else self.directory, outfile)
            if filename is None:
                filename, directory = target.with_suffix(".gv").name, target.parent
        source = Path(self.save(filename, directory=directory))
        target = target or Path(f"{source}.{fmt}")
        if raise_if_result_exists and target.exists():
            raise graphviz.FileExistsError(f"output file exists: {os.fspath(target)!r}")
        if target.resolve() == source.resolve() and not overwrite_source:
            raise ValueError(
                f"outfile {os.fspath(target)!r} is the DOT source file; pass overwrite_source=True"
            )
        write_atomic(target, data)
        if cleanup:
            source.unlink()
        if view or quiet_view:
            graphviz.view(target, quiet=quiet_view)
        return os.fspath(target)
