"""gradcheck and the per-node check must pass right derivatives and catch planted wrong ones."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_nn import GradcheckError, Value, gradcheck, ops
from autograd_nn import value as value_module
from autograd_nn.gradcheck import check_local_derivatives, gradcheck_nodes
from autograd_nn.graph import topological_order

# A planted bug: Value's tanh stores 1 - t as its derivative (should be 1 - t**2); the op table's
# own entry, which the per-node check reads, stays right.
_WRONG_TANH = dataclasses.replace(ops.get("tanh"), local=lambda xs, out, c: (1.0 - out,))


def test_gradcheck_passes_and_leaves_inputs_untouched():
    x, y = Value(0.4), Value(-1.1)
    x.grad = 7.0
    assert gradcheck(lambda a, b: (a * b).tanh() / (1 + b * b), [x, y])
    assert x.data == 0.4 and y.data == -1.1 and x.grad == 7.0 and y.grad == 0.0


def test_gradcheck_leaves_every_gradient_of_the_graph_as_it_was():
    from autograd_nn.nn import MLP

    model = MLP(2, [3, 1], activation="tanh", seed=0)
    for p in model.parameters():
        p.grad = 5.0
    assert gradcheck(lambda a, b: model([a, b])[0], [Value(0.3), Value(0.1)])
    assert all(p.grad == 5.0 for p in model.parameters())


def test_gradcheck_catches_a_planted_wrong_derivative(monkeypatch):
    monkeypatch.setattr(value_module, "_TANH", _WRONG_TANH)
    x, y = Value(0.8, label="x"), Value(0.3)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: (a * b).tanh() + b, [x, y])
    message = str(info.value)
    assert "input 0 ('x')" in message and "analytic" in message and "numeric" in message
    assert "input 1" in message and "difference" in message


def test_per_node_check_names_the_broken_operation(monkeypatch):
    x = Value(0.8)
    good = (x * 2).sigmoid() + x.tanh()
    assert check_local_derivatives(good) == []
    monkeypatch.setattr(value_module, "_TANH", _WRONG_TANH)
    bad = (x * 2).sigmoid() + x.tanh() * x.exp()
    mismatches = check_local_derivatives(bad)
    assert [m.op for m in mismatches] == ["tanh"]
    assert mismatches[0].stored == pytest.approx(1 - math.tanh(0.8))
    assert mismatches[0].numeric == pytest.approx(1 - math.tanh(0.8) ** 2, rel=1e-6)
    with pytest.raises(GradcheckError, match=r"wrong local derivatives in op\(s\) tanh"):
        gradcheck_nodes(bad)


def test_per_node_check_covers_every_op_with_constants():
    a, b = Value(0.6), Value(1.7)
    expr = Value.sum(
        [
            a + b, a + 1, a - b, a - 1, 2 - a, a * b, a * 3, a / b, a / 2, 2 / a, a**b, a**3, 2**a, -a,
            a.exp(), a.log(), a.tanh(), a.sigmoid(), a.relu(), a.step(), a.abs(),
            a.softplus(), b.softplus(beta=2.0, threshold=3.0), a.leaky_relu(0.2), (-a).leaky_relu(0.2),
            a.elu(2.0), (-a).elu(2.0), a.gelu(), a.gelu(approximate="tanh"), a.silu(), a.sin(), a.cos(),
            a.erf(),
            Value.dot([a, 2.0], [1.5, b], 0.25), Value.dot([a, b], [b, a], b), Value.sum([a, b, 4.0]),
        ]
    )
    assert check_local_derivatives(expr) == []
    assert gradcheck_nodes(expr)
    # Every scalar op of the table is in the expression: a new op needs a case here.
    used = {n.op for n in topological_order(expr)}
    assert {op.name for op in ops.OPS.values() if op.scalar} <= used


def test_per_node_check_refuses_an_op_the_table_does_not_know():
    y = Value(2.0) * 3
    y.op = "frobnicate"
    with pytest.raises(ops.UnknownOpError, match="unknown op 'frobnicate'"):
        check_local_derivatives(y)


def test_gradcheck_rejects_non_values():
    with pytest.raises(TypeError, match="input 0 must be a Value"):
        gradcheck(lambda a: a, [1.0])
    with pytest.raises(TypeError, match="f must return a Value"):
        gradcheck(lambda a: 1.0, [Value(1.0)])


# -- property tests: random expression graphs over the ops, inputs inside each op's domain ------

SAFE_UNARY = [
    lambda v: (v * v + 0.1).relu(),  # kinked ops only where they are away from their kink
    lambda v: (v * v + 0.1).abs(),
    lambda v: (v * v + 0.1).step() * v,
    lambda v: 2 ** (v * 0.5),
    lambda v: 3 / (v * v + 1),
    lambda v: (v * v + 0.5) ** (v * 0.1),
    lambda v: v.tanh(),
    lambda v: v.sigmoid(),
    lambda v: (v * v + 1).log(),  # log of a positive number
    lambda v: (v * 0.3).exp(),
    lambda v: -v,
    lambda v: (v * v + 0.5) ** 0.5,
    lambda v: 1 / (1 + v * v),
    lambda v: v**2,
]
SAFE_BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (1 + b * b),
    lambda a, b: Value.dot([a, b], [b, a], a),
    lambda a, b: Value.sum([a, b, a * b, 1.5]),
    lambda a, b: Value.dot([a, 0.5], [1.5, b]),
]


@st.composite
def expressions(draw):
    """A random program: each step applies a unary or binary op to earlier results."""
    steps = draw(
        st.lists(
            st.tuples(
                st.booleans(),
                st.integers(0, len(SAFE_UNARY) - 1),
                st.integers(0, len(SAFE_BINARY) - 1),
                st.integers(0, 100),
                st.integers(0, 100),
            ),
            min_size=1,
            max_size=12,
        )
    )
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3))

    def program(*xs):
        nodes = list(xs)
        for unary, u, b, i, j in steps:
            x, y = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(SAFE_UNARY[u](x) if unary else SAFE_BINARY[b](x, y))
        return nodes[-1] if len(nodes) > len(xs) else nodes[-1] * 1.0

    return program, inputs


@settings(max_examples=60, deadline=None)
@given(expressions())
def test_random_graphs_match_finite_differences(case):
    program, inputs = case
    values = [Value(x) for x in inputs]
    out = program(*values)
    if not all(math.isfinite(n) for n in (out.data,)) or abs(out.data) > 1e6:
        return  # huge intermediates make finite differences meaningless; nothing to compare
    assert gradcheck(program, values, eps=1e-6, atol=1e-4, rtol=1e-3)
    assert check_local_derivatives(out, atol=1e-4) == []
