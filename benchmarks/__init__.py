"""Benchmarks against peer libraries: ``python -m benchmarks`` runs every ``bench_*.py``."""
