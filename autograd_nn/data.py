"""Small data sets: the lecture's truth tables, and seeded two-moons and spirals (numpy only).

Truth tables list the rows in the lecture's order: for two inputs (x1, x2) = (0, 0), (1, 0),
(0, 1), (1, 1), i.e. x1 changes fastest; for three inputs x1 fastest, then x2, then x3.

Example:
    >>> from autograd_nn import data
    >>> data.XOR.targets
    (0.0, 1.0, 1.0, 0.0)
    >>> [(x, t) for x, t in data.IMPLIES][2]      # x2 -> x1 is false only for x1=0, x2=1
    ((0.0, 1.0), 0.0)
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TruthTable:
    """A Boolean function as rows of inputs (floats 0.0/1.0) and targets.

    Iterating yields ``(inputs, target)`` pairs; :meth:`arrays` gives numpy arrays.

    Example:
        >>> from autograd_nn.data import AND
        >>> len(AND), AND.inputs[3], AND.targets[3]
        (4, (1.0, 1.0), 1.0)
        >>> X, y = AND.arrays(); X.shape, y.dtype
        ((4, 2), dtype('float64'))
    """

    name: str
    formula: str
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[float, ...]

    def __iter__(self) -> Iterator[tuple[tuple[float, ...], float]]:
        return iter(zip(self.inputs, self.targets))

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def nin(self) -> int:
        """Number of inputs."""
        return len(self.inputs[0])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X, y)``: inputs of shape (rows, nin) and targets of shape (rows,), float64."""
        return np.array(self.inputs, dtype=np.float64), np.array(self.targets, dtype=np.float64)


def _table(name: str, formula: str, nin: int, f: Callable[..., bool]) -> TruthTable:
    # itertools.product varies its last factor fastest; reverse each row so x1 is the fastest.
    rows = [tuple(float(b) for b in reversed(bits)) for bits in itertools.product((0, 1), repeat=nin)]
    targets = tuple(float(bool(f(*(r == 1.0 for r in row)))) for row in rows)
    return TruthTable(name, formula, tuple(rows), targets)


AND = _table("AND", "x1 ∧ x2", 2, lambda a, b: a and b)
OR = _table("OR", "x1 ∨ x2", 2, lambda a, b: a or b)
NAND = _table("NAND", "¬(x1 ∧ x2)", 2, lambda a, b: not (a and b))
#: The lecture's implication x2 → x1 (not x1 → x2): false only when x2 = 1 and x1 = 0.
IMPLIES = _table("IMPLIES", "x2 → x1", 2, lambda a, b: a or not b)
BICONDITIONAL = _table("BICONDITIONAL", "x1 ↔ x2", 2, lambda a, b: a == b)
XOR = _table("XOR", "x1 ⊕ x2", 2, lambda a, b: a != b)
#: The lecture's 3-input function (x1 ∧ ¬x2) ∨ (x1 ∧ x3) ∨ (¬x2 ∧ x3), which one TLU computes.
THREE_INPUT = _table(
    "THREE_INPUT",
    "(x1 ∧ ¬x2) ∨ (x1 ∧ x3) ∨ (¬x2 ∧ x3)",
    3,
    lambda a, b, c: (a and not b) or (a and c) or (not b and c),
)

TRUTH_TABLES = {t.name: t for t in (AND, OR, NAND, IMPLIES, BICONDITIONAL, XOR, THREE_INPUT)}


def _check_n(n, name: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {n!r}")
    return int(n)


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not noise >= 0.0:
        raise ValueError(f"noise must be a real number >= 0, got {noise!r}")
    return float(noise)


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, as scikit-learn's ``make_moons`` (same geometry).

    Returns ``(X, y)``: points of shape (n, 2), float64, and labels 0/1 of shape (n,), int64,
    shuffled.  Gaussian noise of standard deviation ``noise`` is added; the same ``seed`` gives
    the same data (``seed=None``: fresh randomness).  For labels ±1 (hinge loss) use ``2 * y - 1``.

    Example:
        >>> from autograd_nn.data import make_moons
        >>> X, y = make_moons(100, noise=0.1, seed=0)
        >>> X.shape, sorted(set(y.tolist())), int(y.sum())
        ((100, 2), [0, 1], 50)
    """
    n = _check_n(n, "make_moons: n", 2)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    outer = np.linspace(0.0, np.pi, n_out)
    inner = np.linspace(0.0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(outer), np.sin(outer)], axis=1),
            np.stack([1.0 - np.cos(inner), 0.5 - np.sin(inner)], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    if noise > 0.0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_spirals(
    n: int = 300, classes: int = 3, noise: float = 0.2, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (the CS231n data set), ``n`` points in total.

    Arm j has radius going from 0 to 1 while the angle runs over [4j, 4(j+1)] radians, plus
    Gaussian angle noise of standard deviation ``noise``.  Returns ``(X, y)``: (n, 2) float64
    and labels 0..classes-1 (int64), shuffled; the same ``seed`` gives the same data.

    Example:
        >>> from autograd_nn.data import make_spirals
        >>> X, y = make_spirals(300, classes=3, seed=0)
        >>> X.shape, [int((y == k).sum()) for k in range(3)]
        ((300, 2), [100, 100, 100])
    """
    n = _check_n(n, "make_spirals: n")
    classes = _check_n(classes, "make_spirals: classes", 2)
    noise = _check_noise(noise)
    if n < classes:
        raise ValueError(f"make_spirals: n = {n} points cannot fill {classes} classes")
    rng = np.random.default_rng(seed)
    counts = [n // classes + (1 if j < n % classes else 0) for j in range(classes)]
    points, labels = [], []
    for j, m in enumerate(counts):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), m) + rng.normal(0.0, noise, m)
        points.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        labels.append(np.full(m, j, dtype=np.int64))
    X = np.concatenate(points)
    y = np.concatenate(labels)
    order = rng.permutation(n)
    return X[order], y[order]
