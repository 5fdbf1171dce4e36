"""The tutorials: Jupyter notebooks that teach the lecture, and ``python -m tutorials.build``."""
