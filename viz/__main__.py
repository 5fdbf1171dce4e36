"""``python -m viz xor --out DIR [--format svg|png|pdf]``: the lecture's worked example, drawn.

Builds the slides' 2-2-1 sigmoid XOR network with input (1, 0) and target 1, runs forward and
backward, prints the slide-style table of deltas and weight updates next to the slides' rounded
figures (with the slide's erratum), shows that the network computes XOR, trains a fresh 2-2-1
network to XOR with SGD, and writes into DIR:

- ``network.<fmt>``: the network as the lecture draws it
- ``trained_network.<fmt>``: the freshly trained network
- ``graph.<fmt>``: the full computation graph with data, grads and local derivatives
- ``paths/path_<name>.<fmt>``: every gradient path to each parameter (w_DA ... w_GF) and input (x1, x2)
- ``backward/backward.html``: the backward pass, step by step, in the lecture's δ notation, and
  ``backward/step_NNN.<fmt>``: each step as a file of its own, for slides

Example:
    >>> from viz.__main__ import planned_files
    >>> len(planned_files("figs", "svg", ["w_DA"], 2))
    7
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd_nn.lecture import delta_table, slide_numbers, train_xor, worked_example, xor_outputs

from ._backend import check_graphviz
from ._util import id_part
from .graph import draw_graph
from .network import draw_network
from .paths import draw_gradient_paths
from .rendering import SUPPORTED_FORMATS, GraphvizError, GraphvizNotFoundError, _pipe, _write_atomic
from .steps import backward_steps

__all__ = ["FORMATS", "main", "planned_files", "xor"]

FORMATS = tuple(f for f in SUPPORTED_FORMATS if f != "dot")


def planned_files(out, fmt: str, names, n_frames: int) -> list[Path]:
    """Every file ``xor`` writes, in the order it writes them (the CLI promises exactly these).

    ``names`` are the nodes that get a gradient-path diagram; ``n_frames`` is the number of
    backward steps.

    Example:
        >>> for path in planned_files("figs", "svg", ["w_DA"], 2):
        ...     print(path.as_posix())
        figs/network.svg
        figs/trained_network.svg
        figs/graph.svg
        figs/paths/path_w_DA.svg
        figs/backward/step_001.svg
        figs/backward/step_002.svg
        figs/backward/backward.html
    """
    out = Path(out)
    files = [out / f"network.{fmt}", out / f"trained_network.{fmt}", out / f"graph.{fmt}"]
    files += [out / "paths" / f"path_{id_part(name)}.{fmt}" for name in names]
    width = max(3, len(str(n_frames)))
    files += [out / "backward" / f"step_{k + 1:0{width}d}.{fmt}" for k in range(n_frames)]
    files.append(out / "backward" / "backward.html")
    return files


def xor(out, fmt: str = "svg", decimals: int = 4, stream=None, dpi=None, fit=None) -> list[Path]:
    """Draw the worked XOR example into ``out``; print the delta table; return the files written.

    The numbers are printed first; then everything is rendered in memory, so a missing Graphviz
    writes nothing (and raises after the numbers are out).  PNGs are
    rendered at ``dpi`` pixels per inch (default 200).  ``fit="slide"`` scales every diagram to
    a 16:9 slide (see :func:`viz.draw_graph`).  Needs
    Graphviz's ``dot`` and ``neato`` (else :class:`~viz.GraphvizNotFoundError`).

    Example:
        >>> import io, tempfile
        >>> text = io.StringIO()
        >>> with tempfile.TemporaryDirectory() as d:
        ...     files = xor(d, stream=text)
        ...     all(f.is_file() for f in files)
        True
        >>> files[0].name, files[-1].name, "delta rule" in text.getvalue()
        ('network.svg', 'backward.html', True)
    """
    stream = stream or sys.stdout
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")
    ex = worked_example()
    model, root = ex.model, ex.error
    print(
        f"The lecture's XOR network, input ({', '.join(f'{x.data:g}' for x in ex.inputs)}), "
        f"target {ex.target:g}: y = {ex.output.data:.4f}, E = {root.data:.4f}\n",
        file=stream,
    )
    table = delta_table(model, [x.data for x in ex.inputs], [ex.target], ex.learning_rate, ex.names)
    print(table, file=stream)
    _print_slide_comparison(ex, stream)
    print("\nThe slides' network computes XOR (output > 0.5 means 1):", file=stream)
    for x, y in xor_outputs(model):
        print(f"  x = ({x[0]:g}, {x[1]:g})  y = {y:.4f}  -> {int(y > 0.5)}", file=stream)
    trained, history = train_xor()
    print(
        f"\nA fresh 2-2-1 sigmoid network trained to XOR with SGD (mu = 10, {len(history)} epochs, "
        f"seed 0): E from {history[0]:.4f} to {history[-1]:.6f}",
        file=stream,
    )
    for x, y in xor_outputs(trained):
        print(f"  x = ({x[0]:g}, {x[1]:g})  y = {y:.4f}  -> {int(y > 0.5)}", file=stream)

    # The numbers above need nothing but Python; the diagrams below need Graphviz.
    check_graphviz("dot", fmt)
    check_graphviz("neato", fmt)
    # The lecture's names (w_DA, s_D, the clusters D, E, G) are data handed to every diagram.
    names = ex.names
    targets = list(ex.weights.items())
    targets += [(names[f"inputs.{k}"], x) for k, x in enumerate(ex.inputs)]
    diagrams = [
        draw_network(model, names=names, fit=fit),
        draw_network(trained, fit=fit),
        draw_graph(root, model=model, names=names, decimals=decimals, fit=fit),
    ]
    diagrams += [
        draw_gradient_paths(root, node, model=model, names=names, decimals=decimals, fit=fit)
        for _, node in targets
    ]
    steps = backward_steps(
        root, model=model, names=names, decimals=decimals, fit=fit, notation="delta",
        learning_rate=ex.learning_rate,
    )

    files = planned_files(out, fmt, [name for name, _ in targets], len(steps))
    contents = [_pipe(d, fmt, dpi) for d in diagrams]
    contents += steps.render_frames(fmt, dpi)
    contents.append(steps.html(title="Backward pass of the lecture's XOR example").encode("utf-8"))
    assert len(contents) == len(files)
    for folder in sorted({f.parent for f in files}):
        folder.mkdir(parents=True, exist_ok=True)
    for path, data in zip(files, contents):
        _write_atomic(path, data)

    r = root.label or "E"
    print(f"\nWrote {len(files)} files into {Path(out)}:", file=stream)
    print(f"  network diagram      {files[0]}", file=stream)
    print(f"  trained network      {files[1]}", file=stream)
    print(f"  computation graph    {files[2]}", file=stream)
    for (name, node), path in zip(targets, files[3:]):
        print(f"  gradient paths       {path}   (∂{r}/∂{name} = {node.grad:.4f})", file=stream)
    print(f"  backward stepper     {files[-1]}   ({len(steps)} frames beside it)", file=stream)
    return files


def _print_slide_comparison(ex, stream) -> None:
    """The slides' rounded figures beside the exact ones, and the slide's one wrong figure."""
    slide = slide_numbers(ex.learning_rate, ex.target)
    deltas, updates = ex.deltas(), ex.updates()
    rows = [("delta_G", slide.delta_G, deltas["G"]), ("delta_D", slide.delta_D, deltas["D"])]
    for n in ("GD", "GE", "GF", "DA", "DB", "DC"):
        rows.append((f"dw_{n}", getattr(slide, f"dw_{n}"), updates[f"w_{n}"]))
    print(
        "\nThe slides round every intermediate (h .90 and .17, y .76, y' .181); exact values differ:",
        file=stream,
    )
    print("  quantity   slide     exact", file=stream)
    for name, rounded, exact in rows:
        print(f"  {name:<9}  {rounded:<8.4g}  {exact:.4f}", file=stream)
    print(
        f"  Erratum: the slide uses y'_E = {slide.y_prime_E_slide} (delta_E = {slide.delta_E_slide}), but "
        f"y'_E = h_E (1 - h_E) = {slide.y_prime_E}, so delta_E = {slide.delta_E} in the slides' "
        f"rounding ({deltas['E']:.4f} exact).",
        file=stream,
    )


def main(argv=None) -> int:
    """The command line (``argv`` defaults to ``sys.argv[1:]``); returns the exit status.

    A missing Graphviz, an unwritable folder or a bad value is reported on stderr with status 1.

    Example:
        >>> import contextlib, io, tempfile
        >>> with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()):
        ...     status = main(["xor", "--out", d, "--format", "svg"])
        >>> status
        0
    """
    parser = argparse.ArgumentParser(prog="python -m viz", description="Lecture diagrams of autograd_nn.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("xor", help="the lecture's worked XOR example: table, network, graph, paths, stepper")
    p.add_argument("--out", required=True, help="folder to write the diagrams into (made if missing)")
    p.add_argument("--format", default="svg", choices=FORMATS, help="format of the diagrams (default svg)")
    p.add_argument("--decimals", type=int, default=4, help="decimals shown for numbers (default 4)")
    p.add_argument("--dpi", type=float, default=None, help="pixels per inch of PNG files (default 200)")
    p.add_argument(
        "--fit", choices=["slide"], default=None,
        help="scale every diagram to a 16:9 slide (13.33 x 7.5 in), text at least 12 px at 1920 x 1080",
    )
    args = parser.parse_args(argv)
    try:
        xor(args.out, args.format, args.decimals, dpi=args.dpi, fit=args.fit)
    except (GraphvizNotFoundError, GraphvizError, OSError, ValueError) as err:
        print(f"python -m viz {args.command}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
