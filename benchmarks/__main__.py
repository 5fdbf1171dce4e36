"""Run every benchmark: ``python -m benchmarks`` (from the repository root), or ``make bench``.

Each ``benchmarks/bench_*.py`` module's ``main()`` runs in turn and prints its tables; a module
that fails (a peer library missing, say) is reported and the others still run.  Pass module
names to run only those: ``python -m benchmarks scalar``.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import time
import traceback
from pathlib import Path


def discover() -> list[str]:
    """The benchmark modules, ``bench_*.py`` next to this file, in name order."""
    return sorted(p.stem for p in Path(__file__).resolve().parent.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    names = discover()
    if argv:
        wanted = [a if a.startswith("bench_") else f"bench_{a}" for a in argv]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            print(f"unknown benchmark(s) {unknown}; available: {names}", file=sys.stderr)
            return 2
        names = wanted
    failed = []
    for name in names:
        print(f"== {name} " + "=" * max(0, 70 - len(name)), flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            run = module.main
            # Modules with an argparse main(argv) get no arguments: their defaults.
            run([]) if inspect.signature(run).parameters else run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"({name}: {time.perf_counter() - start:.0f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
