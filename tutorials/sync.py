"""Generate the tutorial notebooks from their plain sources, or check that each pair agrees.

Usage::

    python -m tutorials.sync            # rewrite every NN-name.ipynb from its NN-name.py
    python -m tutorials.sync --check    # exit 1, naming each pair that disagrees

The ``.py`` files (jupytext's percent format) are the source: editors, linters and reviewers read
them as Python.  The ``.ipynb`` files are generated from them, without outputs, so that a student
can open one directly.  A cell's id is derived from its content, so inserting a cell leaves every
other id (and the diff) alone.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# What Jupyter needs to open the notebook with a Python kernel; jupytext's own header stays out.
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def sources(selection=()) -> list[Path]:
    """The tutorials' plain sources in order, optionally only those whose name starts with a selection.

    Example:
        >>> [p.name for p in sources(["01"])]
        ['01-threshold-logic-units.py']
    """
    found = sorted(HERE.glob("[0-9][0-9]-*.py"))
    return [p for p in found if not selection or any(p.name.startswith(s) for s in selection)]


def cell_id(cell_type: str, source: str, taken: set[str]) -> str:
    """A stable id from the cell's content; a repeated cell gets ``-2``, ``-3``, ... appended.

    Example:
        >>> taken = set()
        >>> a, b = cell_id("code", "x = 1", taken), cell_id("code", "x = 1", taken)
        >>> len(a), b == a + "-2"
        (12, True)
    """
    base = hashlib.sha1(f"{cell_type}\n{source}".encode()).hexdigest()[:12]
    new, n = base, 1
    while new in taken:
        n += 1
        new = f"{base}-{n}"
    taken.add(new)
    return new


def notebook(source: Path):
    """The notebook generated from one plain source: no outputs, stable ids, minimal metadata."""
    import jupytext
    import nbformat

    read = jupytext.read(source, fmt="py:percent")
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    if "lecture" in read.metadata:
        nb.metadata["lecture"] = list(read.metadata["lecture"])
    taken: set[str] = set()
    for cell in read.cells:
        make = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        new = make(cell.source, metadata={k: v for k, v in cell.metadata.items() if k == "alt"})
        new.id = cell_id(cell.cell_type, cell.source, taken)
        nb.cells.append(new)
    nbformat.validate(nb)
    return nb


def generated_text(source: Path) -> str:
    """The exact text of the ``.ipynb`` that belongs to ``source``."""
    import nbformat

    return nbformat.writes(notebook(source)) + "\n"


def disagreements(selection=()) -> list[str]:
    """One line per notebook that is missing, stale, or has no source (empty when all agree).

    Example:
        >>> disagreements()
        []
    """
    problems = []
    for source in sources(selection):
        target = source.with_suffix(".ipynb")
        if not target.exists():
            problems.append(f"{target.name} is missing: run python -m tutorials.sync")
        elif target.read_text(encoding="utf-8") != generated_text(source):
            problems.append(f"{target.name} differs from {source.name}: run python -m tutorials.sync")
    if not selection:
        for orphan in sorted(HERE.glob("[0-9][0-9]-*.ipynb")):
            if not orphan.with_suffix(".py").exists():
                problems.append(f"{orphan.name} has no plain source {orphan.with_suffix('.py').name}")
    return problems


def main(argv=None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tutorials.sync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if a pair disagrees")
    parser.add_argument("select", nargs="*", help="notebook name prefixes, e.g. 05 (default: all)")
    args = parser.parse_args(argv)
    if args.check:
        problems = disagreements(args.select)
        for line in problems:
            print(line, file=sys.stderr)
        return 1 if problems else 0
    for source in sources(args.select):
        target = source.with_suffix(".ipynb")
        text = generated_text(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print("wrote", target.relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
