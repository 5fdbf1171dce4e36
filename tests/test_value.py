"""The scalar engine: values, local derivatives, backward, grad modes and bad input."""

import math
import threading
import warnings

import numpy as np
import pytest

from autograd_nn import AnomalyError, Value, detect_anomaly, gradcheck, is_grad_enabled, no_grad
from autograd_nn.graph import topological_order

# name -> (expression on Values, inputs inside its domain, the same expression on torch tensors)
UNARY = {
    "neg": (lambda a: -a, lambda a: -a),
    "exp": (lambda a: a.exp(), lambda a: a.exp()),
    "log": (lambda a: a.log(), lambda a: a.log()),
    "tanh": (lambda a: a.tanh(), lambda a: a.tanh()),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: a.sigmoid()),
    "relu": (lambda a: a.relu(), lambda a: a.relu()),
    "abs": (lambda a: a.abs(), lambda a: a.abs()),
    "square": (lambda a: a**2, lambda a: a**2),
    "sqrt": (lambda a: a**0.5, lambda a: a**0.5),
    "reciprocal": (lambda a: a**-1, lambda a: a**-1),
    "add_const": (lambda a: a + 2.5, lambda a: a + 2.5),
    "radd": (lambda a: 2.5 + a, lambda a: 2.5 + a),
    "sub_const": (lambda a: a - 2.5, lambda a: a - 2.5),
    "rsub": (lambda a: 1 - a, lambda a: 1 - a),
    "mul_const": (lambda a: a * -3, lambda a: a * -3),
    "rmul": (lambda a: 2 * a, lambda a: 2 * a),
    "div_const": (lambda a: a / 4, lambda a: a / 4),
    "rdiv": (lambda a: 3 / a, lambda a: 3 / a),
    "rpow": (lambda a: 2**a, lambda a: 2**a),
    "step": (lambda a: a.step(), lambda a: (a >= 0).to(a.dtype) + 0 * a),
    "sum": (lambda a: Value.sum([a, a * a, 3.0]), lambda a: a + a * a + 3.0),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "mixed": (lambda a, b: (a * b + a).tanh() * b.sigmoid(), lambda a, b: (a * b + a).tanh() * b.sigmoid()),
    "dot": (lambda a, b: Value.dot([a, b, 2.0], [b, 0.5, a], a), lambda a, b: a * b + b * 0.5 + 2.0 * a + a),
}
POINTS = [0.7, 1.9, 0.3]  # positive, so log, sqrt and pow are in their domains


# Negative points too, except for the ops whose domain is x > 0 (see test_domain_errors).
UNARY_CASES = [(n, x) for n in sorted(UNARY) for x in POINTS + [-1.3] if x > 0 or n not in {"log", "sqrt"}]


@pytest.mark.parametrize("name, x", UNARY_CASES)
def test_unary_gradient_matches_finite_differences(name, x):
    f, _ = UNARY[name]
    assert gradcheck(f, [Value(x)])


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_gradient_matches_finite_differences(name):
    f, _ = BINARY[name]
    for a, b in [(0.7, 1.9), (1.9, 0.3), (2.2, -0.6)]:
        assert gradcheck(f, [Value(a), Value(b)])


@pytest.mark.parametrize("name", sorted(UNARY) + sorted(BINARY))
def test_values_and_gradients_match_pytorch(name):
    torch = pytest.importorskip("torch")
    f, tf = UNARY[name] if name in UNARY else BINARY[name]
    n = 1 if name in UNARY else 2
    # Negative points too, where the op is defined there, for the other branch of relu, abs, step.
    points = [(0.7, 1.9), (1.9, 0.3)]
    if name not in {"log", "sqrt", "pow"}:
        points += [(-1.3, 0.4), (-0.2, -0.8)]
    for point in points:
        ours = [Value(v) for v in point[:n]]
        theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point[:n]]
        out = f(*ours)
        tout = tf(*theirs)
        out.backward()
        tout.backward()
        assert out.data == pytest.approx(tout.item(), rel=1e-12, abs=1e-12)
        for v, t in zip(ours, theirs):
            assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-12)


def test_conversions_and_defaults():
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0
    assert Value(np.float32(0.5)).data == 0.5 and type(Value(np.int64(2)).data) is float
    assert v.grad == 0.0 and v.op == "" and v.parents == () and v.label == ""
    assert Value(1.0, label="w").label == "w"


@pytest.mark.parametrize("bad", ["3", None, 1 + 2j, [1], np.array([1.0, 2.0])])
def test_bad_data_names_the_type(bad):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert type(bad).__name__ in str(info.value) and "real number" in str(info.value)


@pytest.mark.parametrize("bad", ["x", None, [1.0], 1j])
def test_unsupported_operand_raises_pythons_type_error(bad):
    v = Value(1.0)
    for op in (lambda: v + bad, lambda: bad * v, lambda: v - bad, lambda: v / bad, lambda: v**bad):
        with pytest.raises(TypeError, match="unsupported operand|can't multiply|can only"):
            op()


def test_parents_keep_operand_order_and_repeated_edges():
    a, b = Value(2.0, label="a"), Value(5.0, label="b")
    c = b - a
    assert c.parents == (b, a) and c.local == (1.0, -1.0) and c.op == "-"
    sq = a * a
    assert sq.parents == (a, a) and sq.local == (2.0, 2.0)
    sq.backward()
    assert a.grad == 4.0


def test_power_zero_is_a_constant_even_at_zero():
    x = Value(0.0)
    y = x**0
    y.backward()
    assert y.data == 1.0 and y.local == (0.0,) and x.grad == 0.0


def test_constants_make_no_node_but_are_remembered():
    x = Value(2.0)
    y = x * 0.5
    assert y.parents == (x,) and y.local == (0.5,) and y.const == 0.5
    assert (3 - x).op == "rsub" and (3 / x).op == "rdiv" and (2**x).op == "rpow"
    cube = x**3  # a constant exponent is the node's constant, as any other constant operand
    assert cube.op == "**" and cube.const == 3.0 and cube.parents == (x,) and cube.local == (12.0,)


def test_reused_subexpression_accumulates():
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert b.grad == 2 * b.data == 12.0
    assert a.grad == 24.0  # dc/da = 2b * 2


def test_backward_reaches_every_node_and_accumulates_like_pytorch():
    a, b = Value(1.5), Value(-0.5)
    c = a * b
    d = c.tanh()
    d.backward()
    first = {id(n): n.grad for n in topological_order(d)}
    d.backward()
    for n in topological_order(d):
        assert n.grad == pytest.approx(2 * first[id(n)])  # intermediates too, not 3x or 4x
    d.zero_grad()
    assert all(n.grad == 0.0 for n in topological_order(d))
    d.backward(grad=2.0)
    assert a.grad == pytest.approx(2 * first[id(a)])


def test_a_million_deep_chain():
    x0 = Value(1.0)
    x = x0
    for _ in range(1_000_000):
        x = x * 0.999 + 0.001
    x.backward()
    assert x0.grad == pytest.approx(0.999**1_000_000, rel=1e-9)


def test_builtin_sum_makes_no_useless_nodes_and_value_sum_makes_one():
    xs = [Value(float(i)) for i in range(5)]
    s = sum(xs)
    assert len(topological_order(s)) == 5 + 4  # four additions, no "0 +" node
    t = Value.sum(xs + [10])
    assert t.data == 20.0 and t.parents == tuple(xs) and len(topological_order(t)) == 6
    t.backward()
    assert [x.grad for x in xs] == [1.0] * 5
    assert gradcheck(lambda a, b: Value.sum([a, b, a * b, 2.0]), [Value(0.5), Value(-1.0)])


def test_dot_is_one_weighted_sum_node_with_the_lectures_local_derivatives():
    w = [Value(4.5, label="w_GD"), Value(-5.2, label="w_GE")]
    h = [Value(0.9), Value(0.17)]
    b = Value(-2.0)
    s = Value.dot(w, h, b)
    assert s.op == "wsum" and s.parents == (w[0], w[1], h[0], h[1], b)  # weights, inputs, bias
    assert s.local == (0.9, 0.17, 4.5, -5.2, 1.0)
    mixed = Value.dot([w[0], 2.0], [1.5, h[1]], b)  # constants make no parent, order is kept
    assert mixed.parents == (w[0], h[1], b) and mixed.local == (1.5, 2.0, 1.0)
    assert s.data == pytest.approx(4.5 * 0.9 - 5.2 * 0.17 - 2.0)
    assert gradcheck(lambda *v: Value.dot(v[:2], v[2:4], v[4]).sigmoid(), w + h + [b])
    assert gradcheck(lambda a, c: Value.dot([a, 2.0], [1.0, c], 0.5), [Value(0.3), Value(-0.7)])
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        Value.dot(w, [1.0, 2.0, 3.0])


def test_no_grad_context_decorator_nesting_and_exceptions():
    x = Value(2.0)
    with no_grad():
        y = x * 3
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert y.parents == () and y.data == 6.0 and is_grad_enabled()
    with pytest.raises(RuntimeError):
        with no_grad():
            raise RuntimeError("boom")
    assert is_grad_enabled()

    @no_grad()
    def evaluate(v):
        return v.tanh() + v

    assert evaluate(x).parents == () and is_grad_enabled()

    @no_grad  # without parentheses, as PyTorch also allows
    def evaluate_bare(v):
        assert not is_grad_enabled()
        return v * 2

    assert evaluate_bare(x).parents == () and is_grad_enabled()
    assert evaluate_bare.__name__ == "evaluate_bare"
    with pytest.raises(TypeError, match="takes no arguments, or a function"):
        no_grad(3)


def test_sigmoid_and_tanh_exact_and_silent_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Value(1000.0).sigmoid().data == 1.0
        assert Value(-1000.0).sigmoid().data == 0.0
        assert Value(1000.0).tanh().data == 1.0
        assert Value(-1000.0).tanh().data == -1.0
        expected = math.exp(-30.0) / (1 + math.exp(-30.0))
        assert Value(-30.0).sigmoid().data == pytest.approx(expected, rel=1e-15)
        y = Value(-1000.0).sigmoid()
        y.backward()


def test_exp_overflow_names_the_op_and_input():
    with pytest.raises(OverflowError, match=r"exp\(1000.0\)"):
        Value(1000.0).exp()


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value(0.0).log(), ValueError, "log(0.0)"),
        (lambda: Value(-2.0).log(), ValueError, "log(-2.0)"),
        (lambda: Value(-4.0) ** 0.5, ValueError, "-4.0 ** 0.5"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "divides by zero"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "divides by zero"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0 ** -1"),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, "positive base"),
        (lambda: (-2) ** Value(2.0), ValueError, "base >= 0"),
        (lambda: Value(2.0) ** float("inf"), ValueError, "exponent must be a finite number"),
        (lambda: Value(2.0) ** float("nan"), ValueError, "exponent must be a finite number"),
        (lambda: Value(10.0) ** 400, OverflowError, "pow: 10.0 ** 400.0 overflows"),
        (lambda: 2 ** Value(5000.0), OverflowError, "pow: 2.0 ** 5000.0 overflows"),
        (lambda: Value(10.0) ** Value(400.0), OverflowError, "pow: 10.0 ** 400.0 overflows"),
    ],
)
def test_domain_errors_name_op_and_value(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)
    assert "math domain error" not in str(info.value)


def test_nan_propagates_silently_without_anomaly_mode():
    x = Value(float("nan"))
    y = x * 2 + 1
    y.backward()
    assert math.isnan(y.data) and x.grad == 2.0


def test_detect_anomaly_names_the_first_bad_node():
    x = Value(0.0, label="x")
    root = (x**0.5) * 3
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"\*\* 0.5"):
        root.backward()
    bad = Value(float("inf"), label="big")
    y = (bad * 0.0).tanh()
    with detect_anomaly(), pytest.raises(AnomalyError, match="'big'"):
        y.backward()
    fine = Value(0.5)
    with detect_anomaly():
        (fine.sigmoid() * fine).backward()
    assert fine.grad != 0.0


def test_comparisons_and_repr():
    a, b = Value(1.0), Value(2.0)
    assert a < b and b >= a and a <= 1.0 and b > 1
    assert "label='w'" in repr(Value(1.0, label="w"))
    assert {a, b} == {a, b}  # hashable by identity


def test_a_failed_backward_leaves_every_gradient_as_it_was():
    # The case: anomaly mode stops the pass half-way; p's earlier 7.0 must survive.
    a, p = Value(1e-300), Value(2.0)
    c = a.log() * 1e10 + p * 3
    p.grad = 7.0
    before = {n: n.grad for n in topological_order(c)}
    with detect_anomaly(), pytest.raises(AnomalyError):
        c.backward()
    assert {n: n.grad for n in topological_order(c)} == before and p.grad == 7.0
    # An interrupt in the middle of the pass (here: a non-number local derivative) as well.
    x = Value(1.5)
    y = (x * x).tanh() + x
    y.backward()
    before = {n: n.grad for n in topological_order(y)}
    y.parents[0].local = ("not a number",)
    with pytest.raises(TypeError):
        y.backward()
    assert {n: n.grad for n in topological_order(y)} == before


def test_grad_mode_is_per_thread_and_overlapping_blocks_restore_it():
    # Two threads whose no_grad blocks overlap (A enters, B enters, A leaves, B leaves): with one
    # process-wide switch A would restore "off" from B and leave recording off for everyone.
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def thread_a():
        with no_grad():
            a_in.set()
            b_in.wait()
            seen["a inside"] = is_grad_enabled()
        a_out.set()

    def thread_b():
        a_in.wait()
        with no_grad():
            b_in.set()
            a_out.wait()
            seen["b inside"] = is_grad_enabled()
        seen["b after"] = is_grad_enabled()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a inside": False, "b inside": False, "b after": True}
    assert is_grad_enabled()
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_a_no_grad_in_one_thread_does_not_stop_another_thread_recording():
    held, done = threading.Event(), threading.Event()
    results = {}

    def holder():
        with no_grad():
            held.set()
            done.wait()
            results["holder records"] = len((Value(1.0) * 2).parents) > 0

    def worker():
        held.wait()
        w = Value(0.5)
        y = (w * 3.0).tanh() * w
        y.backward()
        results["grad"] = w.grad
        done.set()

    threads = [threading.Thread(target=holder), threading.Thread(target=worker)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = math.tanh(1.5) + 0.5 * 3.0 * (1 - math.tanh(1.5) ** 2)
    assert results["grad"] == pytest.approx(expected, rel=1e-12)
    assert results["holder records"] is False


def test_anomaly_mode_is_per_thread_too():
    inside, done = threading.Event(), threading.Event()

    def checker():
        with detect_anomaly():
            inside.set()
            done.wait()

    t = threading.Thread(target=checker)
    t.start()
    inside.wait()
    try:
        y = Value(float("inf")) * 0.0
        y.backward()  # this thread is not in anomaly mode: NaN propagates silently
    finally:
        done.set()
        t.join()
    assert math.isnan(y.data)


def test_no_grad_on_a_generator_function_holds_inside_its_body_only():
    @no_grad
    def evaluate(xs):
        for x in xs:
            yield x * 2, is_grad_enabled()

    it = evaluate([Value(1.0), Value(2.0)])
    y, inside = next(it)
    assert inside is False and y.parents == ()
    assert is_grad_enabled()  # between steps, the caller records as usual
    y, inside = next(it)
    assert inside is False and is_grad_enabled()
    assert list(it) == []

    @no_grad()
    def counter():
        sent = yield 1
        yield sent * 10

    gen = counter()
    assert next(gen) == 1 and gen.send(4) == 40
    with pytest.raises(TypeError, match="cannot decorate the coroutine function"):

        @no_grad
        async def not_allowed():
            return 1


def test_a_mode_instance_shared_by_threads_restores_each_threads_state():
    shared = no_grad()
    inside, done = threading.Event(), threading.Event()

    def other():
        with shared:
            inside.set()
            done.wait()

    t = threading.Thread(target=other)
    t.start()
    inside.wait()
    with shared:
        assert not is_grad_enabled()
    assert is_grad_enabled()  # not the other thread's saved state
    done.set()
    t.join()
    assert is_grad_enabled()


@pytest.mark.parametrize("y, value", [(2.0, 0.0), (0.5, 0.0), (0.0, 1.0)])
def test_zero_to_a_differentiable_power_is_defined(y, value):
    """0 ** y for y >= 0, as the Tensor engine and PyTorch: the exponent's gradient is 0."""
    e = Value(y)
    out = 0 ** e
    out.backward()
    assert out.data == value and e.grad == 0.0
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        0 ** Value(-1.0)
    with pytest.raises(ValueError, match="base >= 0"):
        (-2.0) ** Value(y)
