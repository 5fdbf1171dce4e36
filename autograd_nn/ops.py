"""The op table: the one place that names every operation of both engines.

Each :class:`Op` says, for one operation, its name (what ``node.op`` holds), its symbol in
diagrams, and, for the operations of the scalar engine, the calculus:

* ``forward(xs, c)``: the value on floats, from the operands' values ``xs`` and the node's
  constant ``c`` (``None`` when it has none);
* ``local(xs, out, c)``: the local derivatives as floats, one per operand (the fast path
  ``Value`` stores on every node);
* ``local_values(parents, out, c)``: the same derivatives as expressions in the parents'
  ``Value`` s (and the output node ``out``), so a gradient built from them is itself a graph
  that can be differentiated again (``autograd_nn.grad(..., create_graph=True)``).

``Value`` computes its nodes with these functions, the per-node check of
:mod:`autograd_nn.gradcheck` compares ``local`` with finite differences of ``forward``, and
:mod:`viz` writes ``symbol``.  An op the table does not know is an error everywhere
(:func:`get`).  Operations of the tensor engine are listed here by name and symbol; their
vector-Jacobian products live beside their forwards in :mod:`autograd_nn.tensor.functions`.

A binary op with one constant operand keeps the constant in the node (``node.const``) and has
one parent; ``constant`` says on which side the constant stands (``"right"``: x − c,
``"left"``: c − x).  The weighted sum keeps a :class:`WeightedSum` layout instead.

Example:
    >>> from autograd_nn import ops
    >>> tanh = ops.get("tanh")
    >>> tanh.symbol, round(tanh.forward((0.5,), None), 6)
    ('tanh', 0.462117)
    >>> [round(d, 6) for d in tanh.local((0.5,), tanh.forward((0.5,), None), None)]
    [0.786448]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["OPS", "Op", "UnknownOpError", "WeightedSum", "dense_wsum", "get", "local_values"]


class UnknownOpError(ValueError):
    """A node's ``op`` names no operation of the table (:data:`OPS`).

    Example:
        >>> from autograd_nn import ops
        >>> ops.get("frobnicate")
        Traceback (most recent call last):
        ...
        autograd_nn.ops.UnknownOpError: unknown op 'frobnicate': ...
    """


@dataclass(frozen=True)
class Op:
    """One operation: its name and symbol, and (scalar ops) its forward and local derivatives.

    Attributes:
        name: what ``node.op`` holds for a node this op made.
        symbol: how a diagram writes the op.
        forward: ``forward(xs, c) -> float``; ``None`` for an op of the tensor engine only.
        local: ``local(xs, out, c) -> tuple`` of floats, one derivative per operand.
        local_values: ``local_values(parents, out, c) -> tuple`` of Values (or floats where a
            derivative is constant), one per operand.
        constant: where a constant operand stands: ``""`` (none), ``"right"``, ``"left"``,
            ``"any"`` (a sum's constant term) or ``"layout"`` (a :class:`WeightedSum`).
        kink: the input at which the derivative jumps (relu, step, abs: 0.0), where a finite
            difference measures nothing; ``None`` for smooth ops.

    Example:
        >>> from autograd_nn.ops import get
        >>> mul = get("*")
        >>> mul.forward((2.0, 3.0), None), mul.local((2.0, 3.0), 6.0, None)
        (6.0, (3.0, 2.0))
    """

    name: str
    symbol: str
    forward: Callable | None = field(default=None, repr=False)
    local: Callable | None = field(default=None, repr=False)
    local_values: Callable | None = field(default=None, repr=False)
    constant: str = ""
    kink: float | None = None

    @property
    def scalar(self) -> bool:
        """Whether the scalar engine (``Value``) has this op.

        Example:
            >>> from autograd_nn.ops import get
            >>> get("exp").scalar, get("@").scalar
            (True, False)
        """
        return self.forward is not None


# -- the weighted sum's layout -------------------------------------------------------------------


@dataclass(frozen=True)
class WeightedSum:
    """Where the operands of a weighted-sum node s = Σ_k w_k h_k + b come from.

    ``weights[k]`` and ``inputs[k]`` are ``None`` when w_k (h_k) is a parent of the node, else
    the constant; ``bias`` likewise (0.0 when the sum has no bias).  The parents are, in this
    order, the weights that are parents, the inputs that are parents, then the bias if it is one.

    Example:
        >>> layout = WeightedSum(weights=(None, None), inputs=(1.0, None), bias=None)
        >>> layout.operands(["w0", "w1", "h1", "b"])
        (['w0', 'w1'], [1.0, 'h1'], 'b')
        >>> layout.partner(1), layout.partner(0)   # w1 pairs with h1 (parent 2); w0 with a constant
        (2, None)
    """

    weights: tuple
    inputs: tuple
    bias: float | None

    @staticmethod
    @lru_cache(maxsize=256)
    def of_parents(n: int) -> WeightedSum:
        """The layout of n weights, n inputs and a bias that are all parents (a neuron's sum).

        Example:
            >>> WeightedSum.of_parents(2)
            WeightedSum(weights=(None, None), inputs=(None, None), bias=None)
        """
        return WeightedSum((None,) * n, (None,) * n, None)

    def operands(self, xs) -> tuple[list, list, object]:
        """``(weights, inputs, bias)`` from the parents' values (or nodes) ``xs`` and the constants."""
        parents = iter(xs)
        ws = [next(parents) if w is None else w for w in self.weights]
        hs = [next(parents) if h is None else h for h in self.inputs]
        b = next(parents) if self.bias is None else self.bias
        return ws, hs, b

    def partner(self, i: int) -> int | None:
        """The parent index paired with parent ``i`` in a product w_k h_k (None: a constant, or the bias)."""
        index_w, index_h = self._parent_indices()
        for iw, ih in zip(index_w, index_h):
            if iw == i:
                return ih
            if ih == i:
                return iw
        return None

    def _parent_indices(self) -> tuple[list, list]:
        n_weight_parents = sum(w is None for w in self.weights)
        index_w, index_h = [], []
        iw, ih = 0, n_weight_parents
        for w, h in zip(self.weights, self.inputs):
            index_w.append(iw if w is None else None)
            index_h.append(ih if h is None else None)
            iw += w is None
            ih += h is None
        return index_w, index_h

    def locals_of(self, xs) -> tuple:
        """d s / d parent for every parent: h_k for w_k, w_k for h_k, 1 for the bias.

        Generic over what ``xs`` holds: floats give the floats ``Value`` stores, Values give the
        derivatives as graph nodes (for a second derivative).
        """
        ws, hs, _ = self.operands(xs)
        local = [hs[k] for k, w in enumerate(self.weights) if w is None]
        local += [ws[k] for k, h in enumerate(self.inputs) if h is None]
        if self.bias is None:
            local.append(1.0)
        return tuple(local)


def _wsum_forward(xs, layout: WeightedSum) -> float:
    ws, hs, b = layout.operands(xs)
    return sum(map(operator.mul, ws, hs)) + b


def _wsum_local(xs, out, layout: WeightedSum) -> tuple:
    return layout.locals_of(xs)


def dense_wsum(ws: list, hs: list, b: float) -> tuple[float, tuple]:
    """A neuron's sum, every operand a parent: ``(Σ w_k h_k + b, local derivatives)``.

    The fast path of ``Value.dot`` (one call per neuron): the same value and derivatives as the
    ``"wsum"`` entry with the layout :meth:`WeightedSum.of_parents`, from plain lists.

    Example:
        >>> dense_wsum([2.0, 3.0], [1.0, 0.5], -1.0)
        (2.5, (1.0, 0.5, 2.0, 3.0, 1.0))
    """
    return sum(map(operator.mul, ws, hs)) + b, (*hs, *ws, 1.0)


# -- the scalar ops: forward, local derivatives on floats, and on Values -------------------------
# A ``local`` function is written once for both: given floats it gives the floats Value stores,
# given the parents' Values (and the output node) the same derivatives as graph nodes, since it
# uses only arithmetic and comparisons, which Values have.  Only ``**`` needs a second version
# (math.log of a float, Value.log of a node).


def _add_forward(xs, c):
    return xs[0] + (xs[1] if len(xs) == 2 else c)


def _add_local(xs, out, c):
    return (1.0, 1.0) if len(xs) == 2 else (1.0,)


def _sub_forward(xs, c):
    return xs[0] - (xs[1] if len(xs) == 2 else c)


def _sub_local(xs, out, c):
    return (1.0, -1.0) if len(xs) == 2 else (1.0,)


def _mul_forward(xs, c):
    return xs[0] * (xs[1] if len(xs) == 2 else c)


def _mul_local(xs, out, c):
    return (xs[1], xs[0]) if len(xs) == 2 else (c,)


def _div_forward(xs, c):
    b = xs[1] if len(xs) == 2 else c
    if b == 0.0:
        raise ZeroDivisionError(f"division: {xs[0]!r} / {b!r} divides by zero")
    return xs[0] / b


def _div_local(xs, out, c):
    if len(xs) == 2:
        b = xs[1]
        return (1.0 / b, -xs[0] / (b * b))
    return (1.0 / c,)


def _power(base: float, exponent: float) -> float:
    """base ** exponent for floats, with an overflow named as the pow operation's."""
    try:
        return base**exponent
    except OverflowError:
        raise OverflowError(f"pow: {base!r} ** {exponent!r} overflows a float") from None


def _pow_forward(xs, c):
    a = xs[0]
    if len(xs) == 2:
        y = xs[1]
        if a <= 0.0:
            raise ValueError(
                f"pow: a Value exponent needs a positive base (the derivative uses log(base)), "
                f"got base {a!r} ** {y!r}"
            )
        return _power(a, y)
    if not math.isfinite(c):
        raise ValueError(f"pow: the exponent must be a finite number, got {a!r} ** {c!r}")
    if a < 0.0 and not c.is_integer():
        raise ValueError(f"pow: {a!r} ** {c!r} has no real value (negative base, fractional exponent)")
    if a == 0.0 and c < 0.0:
        raise ZeroDivisionError(f"pow: 0.0 ** {c!r} divides by zero")
    return _power(a, c)


def _pow_local(xs, out, c):
    a = xs[0]
    if len(xs) == 2:
        y = xs[1]
        return (y * _power(a, y - 1.0), out * math.log(a))
    # x**0 is the constant 1 (derivative 0 even at 0); at a == 0 with 0 < k < 1 the derivative
    # is infinite: say so instead of dividing by zero.
    if c == 0.0:
        return (0.0,)
    if a != 0.0 or c >= 1.0:
        return (c * _power(a, c - 1.0),)
    return (math.inf,)


def _pow_local_values(parents, out, c):
    a = parents[0]
    if len(parents) == 2:
        y = parents[1]
        return (y * a ** (y - 1.0), out * a.log())
    if c == 0.0:
        return (0.0,)
    return (c * a ** (c - 1.0),)


def _rsub_forward(xs, c):
    return c - xs[0]


def _rdiv_forward(xs, c):
    if xs[0] == 0.0:
        raise ZeroDivisionError(f"division: {c!r} / {xs[0]!r} divides by zero")
    return c / xs[0]


def _rdiv_local(xs, out, c):
    a = xs[0]
    return (-c / (a * a),)


def _rpow_forward(xs, c):
    if c < 0.0:
        raise ValueError(f"pow: {c!r} ** Value needs a base >= 0 (the derivative uses log(base))")
    if c == 0.0 and xs[0] < 0.0:
        raise ZeroDivisionError(f"pow: 0.0 ** {xs[0]!r} divides by zero")
    return _power(c, xs[0])


def _rpow_local(xs, out, c):
    # 0 ** y is 0 (or 1 at y = 0) for every y >= 0 around: its slope in y is 0, as in PyTorch.
    return (out * math.log(c) if c else 0.0,)


def _exp_forward(xs, c):
    try:
        return math.exp(xs[0])
    except OverflowError:
        raise OverflowError(
            f"exp: exp({xs[0]!r}) overflows a float (largest finite input is about 709.78)"
        ) from None


def _log_forward(xs, c):
    a = xs[0]
    if a <= 0.0:
        raise ValueError(f"log: log({a!r}) is undefined (the input must be positive)")
    return math.log(a)


def _sigmoid_forward(xs, c):
    a = xs[0]
    # Only ever exponentiate a non-positive number, so e^|x| can never overflow.
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    z = math.exp(a)
    return z / (1.0 + z)


def _relu_local(xs, out, c):
    return (1.0 if xs[0] > 0.0 else 0.0,)


def _sign(x) -> float:
    # A float either way: comparisons of a Value give bools, so the derivative is a constant.
    return (x > 0.0) - (x < 0.0) + 0.0


def _sum_forward(xs, c):
    return math.fsum(xs) + (c or 0.0)


def _ones(xs, out, c):
    return (1.0,) * len(xs)


def _zero(xs, out, c):
    return (0.0,)


def _minus_one(xs, out, c):
    return (-1.0,)


def _output(xs, out, c):
    return (out,)


# -- activations and trigonometry (both engines) ---------------------------------------------------
# Their derivatives need functions besides arithmetic (σ, exp, ...).  ``_either`` gives each one
# function for both kinds of operand, so a ``local`` is still written once: on a float it is the
# float function, on a Value the Value's method, a graph node that can be differentiated again.
# A parametrised op keeps its keyword arguments as a tuple in the node's ``const``.


def _either(on_float, method: str):
    def f(x):
        return on_float(x) if type(x) is float else getattr(x, method)()

    return f


_sigmoid_of = _either(lambda x: _sigmoid_forward((x,), None), "sigmoid")
_exp_of = _either(math.exp, "exp")
_tanh_of = _either(math.tanh, "tanh")
_sin_of = _either(math.sin, "sin")
_cos_of = _either(math.cos, "cos")
_erf_of = _either(math.erf, "erf")

# The constants of erf and GELU, for both engines (the tensor ops import them from here).
SQRT_HALF = math.sqrt(0.5)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
# GELU's tanh approximation, with PyTorch's constants: tanh(√(2/π) (x + 0.044715 x³)).
GELU_BETA = math.sqrt(2.0 / math.pi)
GELU_KAPPA = 0.044715


def _softplus_forward(xs, c):
    beta, threshold = c
    if beta == 0.0:
        raise ValueError("softplus: beta must be nonzero (the result is divided by it)")
    z = xs[0] * beta
    if z > threshold:  # PyTorch's rule: log(1 + e^z) = z to within e^-z
        return xs[0]
    # log(1 + e^z) = max(z, 0) + log1p(e^-|z|): e^-|z| <= 1 never overflows.
    return (max(z, 0.0) + math.log1p(math.exp(-abs(z)))) / beta


def _softplus_local(xs, out, c):
    beta, threshold = c
    z = xs[0] * beta
    return (1.0 if z > threshold else _sigmoid_of(z),)


def _leaky_relu_forward(xs, c):
    return xs[0] if xs[0] > 0.0 else c[0] * xs[0]


def _leaky_relu_local(xs, out, c):
    return (1.0 if xs[0] > 0.0 else c[0],)


def _elu_forward(xs, c):
    x = xs[0]
    return x if x > 0.0 else c[0] * math.expm1(x)  # expm1: e^x - 1 without cancellation near 0


def _elu_local(xs, out, c):
    x = xs[0]
    return (1.0 if x > 0.0 else c[0] * _exp_of(x),)  # α at 0, as PyTorch


def gelu_approximation(approximate, where: str = "gelu") -> str:
    """``approximate`` if it names a form of GELU (``"none"``: exact, ``"tanh"``), else a ValueError.

    Both engines and the layer ``nn.GELU`` (``where``, the name the error starts with) check the
    keyword with it.

    Example:
        >>> gelu_approximation("tanh")
        'tanh'
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{where}: approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def _gelu_forward(xs, c):
    x = xs[0]
    if gelu_approximation(c[0]) == "tanh":
        return 0.5 * x * (1.0 + math.tanh(GELU_BETA * (x + GELU_KAPPA * x * x * x)))
    return x * (0.5 * (1.0 + math.erf(x * SQRT_HALF)))


def _gelu_local(xs, out, c):
    x = xs[0]
    if gelu_approximation(c[0]) == "tanh":
        t = _tanh_of(GELU_BETA * (x + GELU_KAPPA * x * x * x))
        return (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * (GELU_BETA * (1.0 + 3.0 * GELU_KAPPA * x * x)),)
    # Φ(x) + x φ(x): the normal CDF plus x times the normal density
    return (0.5 * (1.0 + _erf_of(x * SQRT_HALF)) + x * (_exp_of(x * x * -0.5) * INV_SQRT_2PI),)


def _silu_local(xs, out, c):
    x = xs[0]
    s = _sigmoid_of(x)
    return (s * (1.0 + x * (1.0 - s)),)


def _periodic(name: str, fn):
    def forward(xs, c):
        if math.isinf(xs[0]):
            raise ValueError(f"{name}: {name}({xs[0]!r}) is undefined")
        return fn(xs[0])

    return forward


def _scalar(name: str, symbol: str, forward, local, local_values=None, **kwargs) -> Op:
    return Op(name, symbol, forward, local, local_values or local, **kwargs)


_SCALAR_OPS = [
    _scalar("+", "+", _add_forward, _add_local, constant="right"),
    _scalar("-", "−", _sub_forward, _sub_local, constant="right"),
    _scalar("*", "×", _mul_forward, _mul_local, constant="right"),
    _scalar("/", "÷", _div_forward, _div_local, constant="right"),
    _scalar("**", "**", _pow_forward, _pow_local, _pow_local_values, constant="right"),
    _scalar("rsub", "−", _rsub_forward, _minus_one, constant="left"),
    _scalar("rdiv", "÷", _rdiv_forward, _rdiv_local, constant="left"),
    _scalar("rpow", "**", _rpow_forward, _rpow_local, constant="left"),
    _scalar("neg", "−x", lambda xs, c: -xs[0], _minus_one),
    _scalar("exp", "exp", _exp_forward, _output),
    _scalar("log", "log", _log_forward, lambda xs, out, c: (1.0 / xs[0],)),
    _scalar("tanh", "tanh", lambda xs, c: math.tanh(xs[0]), lambda xs, out, c: (1.0 - out * out,)),
    _scalar("sigmoid", "σ", _sigmoid_forward, lambda xs, out, c: (out * (1.0 - out),)),
    _scalar("relu", "relu", lambda xs, c: xs[0] if xs[0] > 0.0 else 0.0, _relu_local, kink=0.0),
    _scalar("step", "step", lambda xs, c: 1.0 if xs[0] >= 0.0 else 0.0, _zero, kink=0.0),
    _scalar("abs", "|x|", lambda xs, c: abs(xs[0]), lambda xs, out, c: (_sign(xs[0]),), kink=0.0),
    _scalar("softplus", "softplus", _softplus_forward, _softplus_local),
    _scalar("leaky_relu", "leaky relu", _leaky_relu_forward, _leaky_relu_local, kink=0.0),
    _scalar("elu", "elu", _elu_forward, _elu_local, kink=0.0),
    _scalar("gelu", "gelu", _gelu_forward, _gelu_local),
    _scalar("silu", "silu", lambda xs, c: xs[0] * _sigmoid_forward(xs, c), _silu_local),
    _scalar("sin", "sin", _periodic("sin", math.sin), lambda xs, out, c: (_cos_of(xs[0]),)),
    _scalar("cos", "cos", _periodic("cos", math.cos), lambda xs, out, c: (-_sin_of(xs[0]),)),
    _scalar("erf", "erf", lambda xs, c: math.erf(xs[0]),
            lambda xs, out, c: (TWO_OVER_SQRT_PI * _exp_of(-xs[0] * xs[0]),)),
    _scalar("sum", "Σ", _sum_forward, _ones, constant="any"),
    _scalar("wsum", "Σw·h", _wsum_forward, _wsum_local, constant="layout"),
]

# The tensor engine's own ops (their vjps live in the modules of autograd_nn.tensor).  Elementwise ops
# the two engines share ("+", "tanh", ...) are the entries above.
_TENSOR_OPS = [
    Op("@", "@"),
    Op("linear", "x·W + b"),
    Op("sqrt", "√"),
    Op("clip", "clip"),
    Op("mean", "mean"),
    Op("max", "max"),
    Op("min", "min"),
    Op("reshape", "reshape"),
    Op("transpose", "ᵀ"),
    Op("astype", "astype"),
    Op("getitem", "[ ]"),
    Op("scatter", "scatter"),  # getitem's vjp as an op: differentiated by create_graph=True
    Op("broadcast_to", "broadcast"),  # a reduction's vjp as an op, likewise
    Op("concatenate", "concat"),
    Op("stack", "stack"),
    Op("softmax", "softmax"),
    Op("log_softmax", "log softmax"),
    Op("cross_entropy", "cross entropy"),
    Op("binary_cross_entropy", "BCE"),
    Op("binary_cross_entropy_with_logits", "BCE (logits)"),
    # comparisons and elementwise math
    Op("maximum", "maximum"),
    Op("minimum", "minimum"),
    Op("where", "where"),
    Op("sign", "sign"),
    # activations
    Op("logsigmoid", "log σ"),
    Op("hardtanh", "hardtanh"),
    # more reductions
    Op("logsumexp", "log Σ exp"),
    Op("prod", "Π"),
    Op("var", "var"),
    Op("std", "std"),
    Op("cumsum", "cumsum"),
    # more shapes
    Op("flip", "flip"),
    Op("pad", "pad"),
    Op("tile", "tile"),
    # losses
]

#: Every operation by name.
OPS: dict[str, Op] = {op.name: op for op in _SCALAR_OPS + _TENSOR_OPS}


def get(name: str) -> Op:
    """The op called ``name``; an :class:`UnknownOpError` listing the known ones otherwise.

    Example:
        >>> from autograd_nn import ops
        >>> ops.get("sigmoid").symbol
        'σ'
    """
    try:
        return OPS[name]
    except (KeyError, TypeError):
        raise UnknownOpError(
            f"unknown op {name!r}: the op table (autograd_nn.ops.OPS) knows {', '.join(sorted(OPS))}"
        ) from None


def local_values(node) -> tuple:
    """The local derivatives of ``node`` (a ``Value``) as expressions in its parents' Values.

    Differentiating through them gives second derivatives; ``autograd_nn.grad`` with
    ``create_graph=True`` builds its gradients from them.

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(3.0); y = x * x * x
        >>> [d.data for d in local_values(y)]   # d(x² · x)/d(x²) = x, d/dx = x²
        [3.0, 9.0]
    """
    op = get(node.op)
    if op.local_values is None:
        raise UnknownOpError(
            f"the op {node.op!r} has no derivative on Values (it is an op of the tensor engine)"
        )
    return op.local_values(node.parents, node, getattr(node, "const", None))
