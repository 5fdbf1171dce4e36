"""The backward stepper of a 2-16-16-1 network, beside drawing the same graph once.

The stepper's page is one picture plus the data of each step, so writing it should cost about as
much as drawing the graph once, whatever the number of steps (issue 11's target: the stepper of
``MLP(2, [16, 16, 1])`` on one sample, 408 steps, written in under 5 s and under 3 MB).  Each
time is a median over ``--repeats`` runs, the layout cache emptied before each, so every run lays
the graph out as a first one does.

Run: ``python -m benchmarks viz`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import viz
from autograd_nn import Value
from autograd_nn.losses import l2
from autograd_nn.nn import MLP
from viz import _layout


def network_error():
    """The error of a 2-16-16-1 sigmoid network on one sample, after backward."""
    model = MLP(2, [16, 16, 1], seed=0)
    error = l2(model([Value(0.5), Value(-1.0)])[0], 1.0)
    error.label = "E"
    error.backward()
    return model, error


def timed(job, repeats: int) -> tuple[float, object]:
    """The median seconds of ``job()`` over ``repeats`` runs (layout cache emptied first), and a result."""
    times, result = [], None
    for _ in range(repeats):
        _layout._dot_json.cache_clear()
        start = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks viz", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    model, error = network_error()
    with tempfile.TemporaryDirectory() as out:

        def stepper():
            steps = viz.backward_steps(error, model=model, max_nodes=500)
            return steps, steps.write(out)

        def graph():
            return viz.render(viz.draw_graph(error, model=model, max_nodes=500), Path(out) / "graph.svg")

        page_s, (steps, files) = timed(stepper, args.repeats)
        page_mb = sum(Path(f).stat().st_size for f in files) / 1e6
        graph_s, path = timed(graph, args.repeats)
        graph_mb = Path(path).stat().st_size / 1e6
    print(f"MLP(2, [16, 16, 1]) on one sample: {len(steps)} backward steps")
    print(f"{'':34}{'seconds':>9}{'MB':>8}")
    print(f"{'stepper page (build + write)':34}{page_s:9.2f}{page_mb:8.2f}")
    print(f"{'the graph drawn once (draw + svg)':34}{graph_s:9.2f}{graph_mb:8.2f}")
    print(f"ratio page / one drawing: {page_s / graph_s:.2f} in time, {page_mb / graph_mb:.2f} in size")
    print(f"target (issue 11): page under 5 s and 3 MB: {'met' if page_s < 5 and page_mb < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
