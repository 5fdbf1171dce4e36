"""Execute the tutorial notebooks and write HTML copies with their outputs.

Usage::

    python -m tutorials.build --html tutorials/_build          # all notebooks (make tutorials)
    python -m tutorials.build --html out 05 08                   # only those whose name starts so

The committed notebooks stay clean (no outputs); the executed copies go to the build folder
(``NN-name.html``, ``NN-name.ipynb`` and an ``index.html``).  A notebook that raises stops
there, is still written (so its error can be read in the HTML), and makes the command exit 1.

The pages work offline and with a screen reader: equations are MathML, progress bars static HTML,
and each image carries the alt text from its code cell's ``alt`` metadata (a string, or a list
with one entry per image).  A page that would load anything from the network, or an image without
alt text, is reported and makes the command exit 1 too (see ``check_page``).

The kernel is this Python (``sys.executable``): when the ``python3`` kernelspec found by
Jupyter points elsewhere (a fresh CI machine, a system Jupyter), a private kernelspec for this
interpreter is written into a temporary folder that is put on ``JUPYTER_PATH``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .pages import Page, check_page, index_page, title_of, to_html

HERE = Path(__file__).resolve().parent
DEFAULT_TIMEOUT = 180  # seconds per notebook; every notebook runs in well under a minute
KERNEL_NAME = "autograd-nn-python"


def notebooks(selection=()) -> list[Path]:
    """The tutorial notebooks in order, optionally only those whose name starts with a selection.

    Example:
        >>> [p.name for p in notebooks(["01"])]
        ['01-threshold-logic-units.ipynb']
    """
    found = sorted(p for p in HERE.glob("[0-9][0-9]-*.ipynb"))
    if selection:
        found = [p for p in found if any(p.name.startswith(s) for s in selection)]
    return found


def _spec_runs_this_python(argv0: str) -> bool:
    """Whether a kernelspec's argv[0] starts this interpreter (jupyter_client maps bare names)."""
    bare = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    if argv0 in bare:
        return True
    try:
        return os.path.samefile(argv0, sys.executable)
    except OSError:
        return False


def kernel_for_this_python(workdir: str | os.PathLike | None = None) -> str:
    """A kernel name whose kernel runs ``sys.executable`` (the venv that has autograd_nn).

    Returns ``"python3"`` when that kernelspec already does; otherwise writes a kernelspec for
    this interpreter into ``workdir`` (a new temporary folder if None), prepends it to
    ``JUPYTER_PATH`` and returns its name.

    Example:
        >>> kernel_for_this_python() in ("python3", "autograd-nn-python")
        True
    """
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec("python3")
            if spec.argv and _spec_runs_this_python(spec.argv[0]):
                return "python3"
        except NoSuchKernel:
            pass
    except ImportError:  # pragma: no cover - jupyter_client comes with nbclient
        pass
    root = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="autograd-nn-kernel-"))
    kdir = root / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({sys.executable})",
        "language": "python",
    }
    (kdir / "kernel.json").write_text(json.dumps(spec, indent=1))
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(root) + (os.pathsep + previous if previous else "")
    return KERNEL_NAME


def checkout_on_path() -> None:
    """Put this checkout first on the kernels' ``PYTHONPATH``, so the notebooks run the code beside
    them even when the installed package is older (or was installed before ``viz`` existed)."""
    root = str(HERE.parent)
    previous = os.environ.get("PYTHONPATH")
    if previous is None or root not in previous.split(os.pathsep):
        os.environ["PYTHONPATH"] = root + (os.pathsep + previous if previous else "")


def execute(path: Path, timeout: int = DEFAULT_TIMEOUT, kernel_name: str | None = None):
    """Run one notebook top to bottom in its own folder; return (notebook, error or None, seconds).

    The error is the ``nbclient`` exception of the first failing cell; the notebook returned
    holds every output up to it.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name or kernel_for_this_python(),
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 - any failure is reported with the notebook's outputs
        error = exc
    return nb, error, time.perf_counter() - start


def main(argv=None) -> int:
    """Command-line entry point; returns the exit status (1 if any notebook failed or any page has a
    problem that check_page or label_images reports, 2 for a usage error)."""
    parser = argparse.ArgumentParser(prog="python -m tutorials.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", metavar="DIR", help="write executed .html and .ipynb copies here")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per notebook")
    parser.add_argument("select", nargs="*", help="notebook name prefixes, e.g. 05 (default: all)")
    args = parser.parse_args(argv)
    html_needs = ("nbconvert", "latex2mathml") if args.html else ()
    for module in ("nbformat", "nbclient", "ipykernel", *html_needs):
        try:
            __import__(module)
        except ImportError:
            print(f"tutorials.build needs {module}: pip install \"autograd_nn[tutorials]\"", file=sys.stderr)
            return 2
    paths = notebooks(args.select)
    if not paths:
        print(f"no notebook matches {args.select}", file=sys.stderr)
        return 2
    out = Path(args.html) if args.html else None
    staging = None
    if out is not None:
        # Build into a fresh folder beside the target, then swap it in, so a stopped run leaves
        # no half-built copy looking complete (and the finally below leaves no stray folder).
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-partial-", dir=out.parent))
    kernel = kernel_for_this_python()
    checkout_on_path()
    pages: list[Page] = []
    failed = flawed = 0
    try:
        for path in paths:
            nb, error, seconds = execute(path, args.timeout, kernel)
            status = "ok" if error is None else "FAILED"
            failed += error is not None
            lecture = list(nb.metadata.get("lecture", []))
            pages.append(Page(path.stem, title_of(nb, path.stem), status, seconds, lecture))
            print(f"{status:6} {seconds:6.1f} s  {path.name}", flush=True)
            if error is not None:
                print(str(error)[-3000:], file=sys.stderr)
            if staging is not None:
                import nbformat

                nbformat.write(nb, staging / path.name)
                page, problems = to_html(nb, path.stem)
                (staging / f"{path.stem}.html").write_text(page, encoding="utf-8")
                for problem in problems:
                    print(problem, file=sys.stderr)
                flawed += bool(problems)
        if staging is not None:
            index = index_page(pages)
            for problem in check_page(index):
                print(f"index.html {problem}", file=sys.stderr)
            (staging / "index.html").write_text(index, encoding="utf-8")
            if out.exists() and args.select:
                # A partial build updates the existing folder, notebook by notebook.
                for f in staging.iterdir():
                    if f.name != "index.html":
                        os.replace(f, out / f.name)
            else:
                if out.exists():
                    shutil.rmtree(out)
                staging.rename(out)
            print(f"HTML written to {out}/index.html")
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging)
    print(f"{len(paths) - failed}/{len(paths)} notebooks ran without error")
    if flawed:
        print(f"{flawed} page(s) would not work offline or lack alt text: see above", file=sys.stderr)
    return 1 if failed or flawed else 0


if __name__ == "__main__":
    sys.exit(main())
