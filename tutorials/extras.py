"""The first cell of every tutorial: stop with one clear message when an optional package is missing.

A notebook opens with::

    from extras import require

    require("matplotlib", "graphviz")

and, when one of them cannot be imported, stops right there with a single line saying what to
install, instead of a traceback halfway through the notebook.
"""

from __future__ import annotations

import importlib.util

INSTALL = 'pip install "autograd_nn[tutorials]"'


class MissingExtraError(ImportError):
    """A package a tutorial needs is not installed.

    IPython shows only the message (``_render_traceback_``): no traceback and no "To exit: use
    'exit'" warning as ``SystemExit`` would give, while the kernel still reports an error, so "Run
    all" and nbclient stop at the first cell.

    Example:
        >>> print(MissingExtraError("This notebook needs graphviz."))
        This notebook needs graphviz.
    """

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def missing(*modules: str) -> list[str]:
    """The names among ``modules`` that cannot be imported here.

    Example:
        >>> missing("math", "no_such_module_here")
        ['no_such_module_here']
    """
    gone = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module blocked with sys.modules[name] = None
            found = False
        if not found:
            gone.append(name)
    return gone


def require(*modules: str, optional: dict[str, str] | None = None) -> None:
    """Stop the notebook with one message if any of ``modules`` is missing.

    ``optional`` maps a package the notebook can do without to what is lost without it; a missing
    one is reported and the notebook goes on.  When matplotlib is required its figures are drawn
    inline.

    Example:
        >>> require("math")
        >>> try:
        ...     require("no_such_module_here")
        ... except MissingExtraError as error:
        ...     print(str(error).replace(INSTALL, "..."))
        This notebook needs no_such_module_here. Install the tutorials extra:  ...
    """
    gone = missing(*modules)
    if gone:
        needs = ", ".join(gone)
        raise MissingExtraError(f"This notebook needs {needs}. Install the tutorials extra:  {INSTALL}")
    for name, without in (optional or {}).items():
        if missing(name):
            print(f"{name} is not installed: {without}.")
            print(f"For it:  {INSTALL}")
    if "matplotlib" in modules:
        _matplotlib_inline()


def _matplotlib_inline() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to set up
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
