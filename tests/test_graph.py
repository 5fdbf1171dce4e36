"""The engine-agnostic graph walk: topological order and the paths of the chain rule."""

import math
import time

import pytest

from autograd_nn import Value, gradcheck
from autograd_nn.graph import all_paths, count_paths, iter_edges, topological_order


def test_topological_order_puts_parents_first_once_each():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for p in node.parents:
            assert position[id(p)] < position[id(node)]
    assert order[-1] is e


def test_topological_order_of_a_deep_chain_needs_no_recursion():
    x = Value(0.0)
    for _ in range(200_000):
        x = x + 1.0
    assert len(topological_order(x)) == 200_001


def test_paths_multiply_to_the_gradient():
    # x reaches the root through two routes and one op that uses it twice.
    x = Value(0.7, label="x")
    h1 = (x * 2.0).tanh()
    h2 = (x * x).sigmoid()
    root = h1 * h2
    root.backward()
    paths = all_paths(root, x)
    assert len(paths) == 3
    total = sum(math.prod(n.local[i] for n, i in path) for path in paths)
    assert total == pytest.approx(x.grad, rel=1e-12)
    for path in paths:
        assert path[0][0] is root and path[-1][0].parents[path[-1][1]] is x


def test_all_paths_rejects_a_leaf_outside_the_graph():
    root = Value(1.0) * 2
    with pytest.raises(ValueError, match="'stranger' is not in the graph"):
        all_paths(root, Value(3.0, label="stranger"))


def test_iter_edges_lists_every_edge_in_operand_order():
    a = Value(2.0)
    b = a * a
    assert [(n is b, i, p is a) for n, i, p in iter_edges(b)] == [(True, 0, True), (True, 1, True)]


def test_a_chain_on_top_of_a_fork_is_ordered_like_any_graph():
    a, b = Value(1.5, label="a"), Value(-2.0, label="b")
    fork = (a * b + a).tanh()  # a reaches the fork twice
    top = fork
    for _ in range(50):  # then a chain of one-parent nodes
        top = top * 0.9 + 0.1
    order = topological_order(top)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(order) == len(position) == 2 + 3 + 100
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    assert order[-1] is top
    top.backward()
    assert gradcheck(lambda x, y: (((x * y + x).tanh() * 0.9 + 0.1) * 0.9 + 0.1), [Value(1.5), Value(-2.0)])


def test_paths_are_counted_before_they_are_listed():
    # Forty squarings: 2^40 paths from x down to a.  Counting is linear in the graph; listing
    # them would never finish, so all_paths refuses, naming the count and the keyword.
    a = Value(1.0, label="a")
    x = a
    for _ in range(40):
        x = x * x
    start = time.perf_counter()
    assert count_paths(x, a) == 2**40
    with pytest.raises(ValueError, match=r"1099511627776 paths .* max_paths=10000.*max_paths=1099511627776"):
        all_paths(x, a)
    assert time.perf_counter() - start < 0.5
    y = a
    for _ in range(10):
        y = y * y
    assert len(all_paths(y, a, max_paths=1024)) == 1024
    with pytest.raises(ValueError, match="more than max_paths=1000"):
        all_paths(y, a, max_paths=1000)
    with pytest.raises(ValueError, match="max_paths must be a positive int"):
        all_paths(y, a, max_paths=0)
    assert count_paths(y, Value(2.0)) == 0


def test_topological_order_of_several_roots_lists_shared_nodes_once():
    a = Value(1.0)
    b, c = a * 2, a.exp()
    order = topological_order([b, c])
    assert len(order) == 3 and order[0] is a and {id(b), id(c)} == {id(n) for n in order[1:]}
