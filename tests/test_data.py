"""Truth tables and the seeded two-moons and spirals generators."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_nn import data

TWO = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]


@pytest.mark.parametrize(
    "table, expected",
    [
        (data.AND, [0, 0, 0, 1]),
        (data.OR, [0, 1, 1, 1]),
        (data.NAND, [1, 1, 1, 0]),
        (data.IMPLIES, [1, 1, 0, 1]),  # x2 -> x1, the lecture's table
        (data.BICONDITIONAL, [1, 0, 0, 1]),
        (data.XOR, [0, 1, 1, 0]),
    ],
)
def test_two_input_tables(table, expected):
    assert list(table.inputs) == TWO
    assert list(table.targets) == [float(e) for e in expected]
    X, y = table.arrays()
    assert X.shape == (4, 2) and y.tolist() == expected


def test_three_input_table():
    t = data.THREE_INPUT
    assert len(t) == 8 and t.nin == 3 and len(set(t.inputs)) == 8
    assert t.inputs[:2] == ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0))  # x1 changes fastest
    for (x1, x2, x3), target in t:
        a, b, c = bool(x1), bool(x2), bool(x3)
        assert target == float((a and not b) or (a and c) or (not b and c))
    assert sum(t.targets) == 4


def test_registry():
    assert set(data.TRUTH_TABLES) == {"AND", "OR", "NAND", "IMPLIES", "BICONDITIONAL", "XOR", "THREE_INPUT"}


def test_moons_geometry_and_seed():
    X, y = data.make_moons(101, noise=0.0, seed=1)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert (y == 0).sum() == 50 and (y == 1).sum() == 51
    outer, inner = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)
    assert np.allclose(np.hypot(inner[:, 0] - 1.0, inner[:, 1] - 0.5), 1.0)
    a, b = data.make_moons(50, 0.1, seed=3), data.make_moons(50, 0.1, seed=3)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], data.make_moons(50, 0.1, seed=4)[0])


def test_moons_like_sklearn():
    sklearn = pytest.importorskip("sklearn.datasets")
    X, y = data.make_moons(40, noise=0.0)
    Xs, ys = sklearn.make_moons(40, noise=0.0, shuffle=False)
    ours = sorted(map(tuple, np.round(np.column_stack([X, y]), 12)))
    theirs = sorted(map(tuple, np.round(np.column_stack([Xs, ys]), 12)))
    assert ours == theirs


def test_spirals():
    X, y = data.make_spirals(301, classes=3, noise=0.0, seed=0)
    assert X.shape == (301, 2) and [int((y == k).sum()) for k in range(3)] == [101, 100, 100]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)
    assert np.array_equal(data.make_spirals(30, seed=5)[0], data.make_spirals(30, seed=5)[0])


def test_bad_input():
    with pytest.raises(ValueError, match="n must be an int >= 2"):
        data.make_moons(1)
    with pytest.raises(ValueError, match="noise"):
        data.make_moons(10, noise=-1)
    with pytest.raises(ValueError, match="classes must be an int >= 2"):
        data.make_spirals(10, classes=1)
    with pytest.raises(ValueError, match="cannot fill"):
        data.make_spirals(2, classes=3)
