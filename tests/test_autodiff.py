"""``autograd_nn.grad`` on Values: first, second and third derivatives, and what it leaves alone."""

import math

import pytest

from autograd_nn import AnomalyError, Value, detect_anomaly, grad, no_grad, ops
from autograd_nn.graph import topological_order

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None


def _tanh_derivatives(x):
    t = math.tanh(x)
    d1 = 1 - t * t
    return [t, d1, -2 * t * d1, -2 * d1 * d1 + 4 * t * t * d1]


def _sigmoid_derivatives(x):
    s = 1 / (1 + math.exp(-x))
    d1 = s * (1 - s)
    return [s, d1, d1 * (1 - 2 * s), d1 * (1 - 2 * s) ** 2 - 2 * d1 * d1]


# name -> (f on a Value, [f, f', f'', f'''] at x, points inside the domain away from kinks)
UNARY = {
    "add-const": (lambda x: x + 2.5, lambda x: [x + 2.5, 1, 0, 0]),
    "radd": (lambda x: 2.5 + x, lambda x: [x + 2.5, 1, 0, 0]),
    "sub-const": (lambda x: x - 2.5, lambda x: [x - 2.5, 1, 0, 0]),
    "rsub": (lambda x: 1 - x, lambda x: [1 - x, -1, 0, 0]),
    "mul-const": (lambda x: x * -3, lambda x: [-3 * x, -3, 0, 0]),
    "div-const": (lambda x: x / 4, lambda x: [x / 4, 0.25, 0, 0]),
    "rdiv": (lambda x: 3 / x, lambda x: [3 / x, -3 / x**2, 6 / x**3, -18 / x**4]),
    "pow3": (lambda x: x**3, lambda x: [x**3, 3 * x**2, 6 * x, 6]),
    "pow-half": (lambda x: x**0.5, lambda x: [x**0.5, 0.5 * x**-0.5, -0.25 * x**-1.5, 0.375 * x**-2.5]),
    "pow-zero": (lambda x: x**0, lambda x: [1, 0, 0, 0]),
    "rpow": (lambda x: 2**x, lambda x: [2**x * math.log(2) ** k for k in range(4)]),
    "neg": (lambda x: -x, lambda x: [-x, -1, 0, 0]),
    "exp": (lambda x: x.exp(), lambda x: [math.exp(x)] * 4),
    "log": (lambda x: x.log(), lambda x: [math.log(x), 1 / x, -1 / x**2, 2 / x**3]),
    "tanh": (lambda x: x.tanh(), _tanh_derivatives),
    "sigmoid": (lambda x: x.sigmoid(), _sigmoid_derivatives),
    "relu": (lambda x: x.relu(), lambda x: [max(x, 0.0), float(x > 0), 0, 0]),
    "step": (lambda x: x.step(), lambda x: [float(x >= 0), 0, 0, 0]),
    "abs": (lambda x: x.abs(), lambda x: [abs(x), math.copysign(1.0, x), 0, 0]),
    # checked against PyTorch and finite differences (tests/test_value_activations.py: the forms)
    "softplus": (lambda x: x.softplus(beta=1.5), None),
    "leaky_relu": (lambda x: x.leaky_relu(0.1), None),
    "elu": (lambda x: x.elu(alpha=1.5), None),
    "gelu": (lambda x: x.gelu(), None),
    "gelu-tanh": (lambda x: x.gelu(approximate="tanh"), None),
    "silu": (lambda x: x.silu(), None),
    "sin": (lambda x: x.sin(), lambda x: [math.sin(x), math.cos(x), -math.sin(x), -math.cos(x)]),
    "cos": (lambda x: x.cos(), lambda x: [math.cos(x), -math.sin(x), -math.cos(x), math.sin(x)]),
    "erf": (lambda x: x.erf(), None),
    "square-self": (lambda x: x * x, lambda x: [x * x, 2 * x, 2, 0]),
    "sum": (lambda x: Value.sum([x, x * x, 3.0]), lambda x: [x + x * x + 3, 1 + 2 * x, 2, 0]),
    "wsum": (lambda x: Value.dot([x, 2.0], [x, x], x), lambda x: [x * x + 3 * x, 2 * x + 3, 2, 0]),
    "div-self": (lambda x: (x + 1) / x, lambda x: [(x + 1) / x, -1 / x**2, 2 / x**3, -6 / x**4]),
    "pow-value": (lambda x: x**x, None),  # checked against PyTorch and finite differences only
}
POINTS = [0.7, 1.9, -1.3]
POSITIVE_ONLY = {"log", "pow-half", "rdiv", "div-self", "pow-value"}
CASES = [(n, x) for n in sorted(UNARY) for x in POINTS if x > 0 or n not in POSITIVE_ONLY]


def derivatives(f, x0: float, order: int = 3) -> list[float]:
    """[f, f', f'', ...] at x0 by differentiating the gradient again with create_graph.

    A derivative that does not depend on x (x + 2.5 has f' = 1) is a constant leaf, as in
    PyTorch: ``allow_unused`` says so with None, and every later derivative is 0.
    """
    x = Value(x0)
    y = f(x)
    out = [y.data]
    current = y
    for k in range(order):
        (current,) = grad(current, x, create_graph=k < order - 1, allow_unused=True)
        if current is None:
            return out + [0.0] * (order - k)
        out.append(current.data)
    return out


@pytest.mark.parametrize("name, x", CASES)
def test_higher_derivatives_of_every_op_match_the_analytic_forms(name, x):
    f, analytic = UNARY[name]
    ours = derivatives(f, x)
    if analytic is not None:
        assert ours == pytest.approx(analytic(x), rel=1e-10, abs=1e-12)
    # and the third derivative against a central difference of the second
    eps = 1e-5
    second = lambda v: derivatives(f, v, order=2)[2]  # noqa: E731
    numeric = (second(x + eps) - second(x - eps)) / (2 * eps)
    assert ours[3] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_every_scalar_op_of_the_table_has_a_higher_derivative_case():
    used = set()
    for f, _ in UNARY.values():
        used |= {n.op for n in topological_order(f(Value(0.7)))}
    used |= {n.op for n in topological_order(BINARY["div"][0](Value(0.7), Value(1.3)))}
    assert {op.name for op in ops.OPS.values() if op.scalar} <= used


BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b * a, lambda a, b: a * b * a),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "dot": (lambda a, b: Value.dot([a, b], [b, a], a).tanh(), lambda a, b: (2 * a * b + a).tanh()),
    "mixed": (
        lambda a, b: (a * b + a.exp()).sigmoid() * (b.log() + a**2),
        lambda a, b: (a * b + a.exp()).sigmoid() * (b.log() + a**2),
    ),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_second_derivatives_match_pytorchs_double_backward(name):
    if torch is None:
        pytest.skip("torch is not installed")
    f, tf = BINARY[name]
    for point in [(0.7, 1.9), (1.4, 0.6)]:
        xs = [Value(v) for v in point]
        ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
        gs = grad(f(*xs), xs, create_graph=True)
        tgs = torch.autograd.grad(tf(*ts), ts, create_graph=True)
        for g, tg in zip(gs, tgs):
            assert g.data == pytest.approx(tg.item(), rel=1e-12, abs=1e-12)
            # A constant gradient (of a + b) is a leaf in both libraries: its derivatives are 0.
            assert bool(g.parents) == tg.requires_grad
            if not tg.requires_grad:
                continue
            ours = [h.data if h is not None else 0.0 for h in grad(g, xs, allow_unused=True)]
            theirs = torch.autograd.grad(tg, ts, allow_unused=True, retain_graph=True)
            theirs = [0.0 if t is None else t.item() for t in theirs]
            assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-12)


# The same functions spelled for torch where our spelling is Value's own.
TORCH_SPELLING = {
    "step": lambda x: (x >= 0).to(x.dtype) + 0 * x,
    "sum": lambda x: x + x * x + 3.0,
    "wsum": lambda x: x * x + 2.0 * x + x,
    "softplus": lambda x: torch.nn.functional.softplus(x, beta=1.5),
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.1),
    "elu": lambda x: torch.nn.functional.elu(x, alpha=1.5),
    "gelu": lambda x: torch.nn.functional.gelu(x),
    "gelu-tanh": lambda x: torch.nn.functional.gelu(x, approximate="tanh"),
    "silu": lambda x: torch.nn.functional.silu(x),
}


@pytest.mark.parametrize("name, x", CASES)
def test_up_to_third_derivatives_match_pytorch(name, x):
    if torch is None:
        pytest.skip("torch is not installed")
    f, _ = UNARY[name]
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = TORCH_SPELLING.get(name, f)(t)
    theirs = [y.item()]
    for _ in range(3):
        if not y.requires_grad:  # a constant derivative: PyTorch has no graph left, every later one is 0
            theirs.append(0.0)
            continue
        (y,) = torch.autograd.grad(y, t, create_graph=True, allow_unused=True, materialize_grads=True)
        theirs.append(y.item())
    assert derivatives(f, x) == pytest.approx(theirs, rel=1e-10, abs=1e-12)


def test_the_hessian_of_a_small_mlp_loss_matches_finite_differences_of_its_gradient():
    from autograd_nn import losses
    from autograd_nn.nn import MLP

    model = MLP(2, [2, 1], activation="sigmoid", seed=1)
    params = model.parameters()

    def gradient() -> list[float]:
        return [g.data for g in grad(losses.l2(model([1.0, 0.5])[0], 1.0), params)]

    gs = grad(losses.l2(model([1.0, 0.5])[0], 1.0), params, create_graph=True)
    hessian = [[0.0 if h is None else h.data for h in grad(g, params, allow_unused=True)] for g in gs]
    eps = 1e-6
    for j, p in enumerate(params):
        original = p.data
        p.data = original + eps
        plus = gradient()
        p.data = original - eps
        minus = gradient()
        p.data = original
        column = [(a - b) / (2 * eps) for a, b in zip(plus, minus)]
        assert [row[j] for row in hessian] == pytest.approx(column, rel=1e-5, abs=1e-8)
    assert all(hessian[i][j] == pytest.approx(hessian[j][i], abs=1e-14) for i in range(9) for j in range(9))


def test_hessian_vector_product_of_an_mlp_loss_matches_finite_differences_of_its_gradient():
    from autograd_nn import losses
    from autograd_nn.nn import MLP

    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=3)
    params = model.parameters()
    data = [([0.0, 1.0], 1.0), ([1.0, 1.0], 0.0), ([0.5, -1.0], 1.0)]

    def loss():
        return Value.sum([losses.l2(model(x)[0], t) for x, t in data])

    def gradient() -> list[float]:
        return [g.data for g in grad(loss(), params)]

    direction = [math.sin(k + 1.0) for k in range(len(params))]
    gs = grad(loss(), params, create_graph=True)
    g_dot_v = Value.sum([g * v for g, v in zip(gs, direction)])
    hvp = [h.data for h in grad(g_dot_v, params)]
    eps = 1e-6
    original = [p.data for p in params]
    for p, x, v in zip(params, original, direction):
        p.data = x + eps * v
    plus = gradient()
    for p, x, v in zip(params, original, direction):
        p.data = x - eps * v
    minus = gradient()
    for p, x in zip(params, original):
        p.data = x
    numeric = [(a - b) / (2 * eps) for a, b in zip(plus, minus)]
    assert hvp == pytest.approx(numeric, rel=1e-5, abs=1e-7)
    assert all(p.grad == 0.0 for p in params)  # grad() wrote no .grad


def test_grad_returns_leaves_and_leaves_grad_alone():
    x, y = Value(2.0), Value(-1.0)
    x.grad = 5.0
    f = x * y + x.tanh()
    gx, gy = grad(f, [x, y])
    assert gx.data == pytest.approx(-1.0 + 1 - math.tanh(2.0) ** 2) and gy.data == 2.0
    assert gx.parents == () and gy.parents == ()  # plain leaves without create_graph
    assert x.grad == 5.0 and y.grad == 0.0 and all(n.grad in (0.0, 5.0) for n in topological_order(f))
    (g,) = grad(f, x, create_graph=True)
    assert g.parents and isinstance(g.grad, float)
    f.backward()  # backward still accumulates as before
    assert x.grad == pytest.approx(5.0 + gx.data)


def test_grad_of_several_outputs_weighted_by_grad_outputs():
    x = Value(1.5)
    a, b = x * x, x.exp()
    (g,) = grad([a, b], x, grad_outputs=[2.0, -1.0])
    assert g.data == pytest.approx(2 * 2 * 1.5 - math.exp(1.5))
    w = Value(3.0)
    (gw,) = grad(a, x, grad_outputs=[w], create_graph=True)  # a gradient that depends on w
    (d,) = grad(gw, w)
    assert gw.data == 9.0 and d.data == 3.0


def test_grad_with_create_graph_records_even_inside_no_grad():
    x = Value(0.3)
    y = x.tanh()
    with no_grad():
        (g,) = grad(y, x, create_graph=True)
    assert g.parents  # create_graph asks for a graph, as in PyTorch


def test_bad_input_to_grad_names_the_problem():
    x, stranger = Value(1.0), Value(2.0, label="stranger")
    y = x * 3
    with pytest.raises(ValueError, match=r"input 1 \('stranger'\) is not in the graph"):
        grad(y, [x, stranger])
    gx, none = grad(y, [x, stranger], allow_unused=True)
    assert gx.data == 3.0 and none is None
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a Value or a Tensor"):
        grad(y, [1.0])
    with pytest.raises(TypeError, match=r"outputs\[0\] must be a Value or a Tensor"):
        grad("y", x)
    with pytest.raises(ValueError, match="2 grad_outputs for 1 outputs"):
        grad(y, x, grad_outputs=[1.0, 2.0])
    with pytest.raises(TypeError, match="real number"):
        grad(y, x, grad_outputs=["1"])


def test_grad_in_anomaly_mode_names_the_bad_node_and_changes_nothing():
    a = Value(1e-300, label="a")
    c = a.log() * 1e10
    with detect_anomaly(), pytest.raises(AnomalyError):
        grad(c, a)
    assert a.grad == 0.0


def test_grad_of_a_graph_a_hundred_thousand_deep():
    x0 = Value(1.0)
    x = x0
    for _ in range(100_000):
        x = x * 0.99999 + 0.00001
    (g,) = grad(x, x0)
    assert g.data == pytest.approx(0.99999**100_000, rel=1e-9)


def test_the_graph_of_a_derivative_is_drawn_like_any_graph(needs_dot, tmp_path):
    # The lecturer's picture of dy/dx: the gradient of y = tanh(w x) with create_graph is a graph
    # of its own (1 - tanh² times w), which draw_graph renders and which gives d²y/dx² again.
    import viz

    x, w = Value(0.5, label="x"), Value(2.0, label="w")
    y = (w * x).tanh()
    (dy,) = grad(y, x, create_graph=True)
    dy.label = "dy/dx"
    (d2y,) = grad(dy, x, create_graph=True)
    d2y.backward()  # values and gradients on the picture of dy/dx
    svg = viz.render(viz.draw_graph(dy), tmp_path / "dydx.svg").read_text()
    assert "dy/dx" in svg and ">x<" in svg and ">w<" in svg and "tanh" in svg
    t = math.tanh(1.0)
    assert dy.data == pytest.approx(2.0 * (1 - t * t)) and d2y.data == pytest.approx(-8 * t * (1 - t * t))
