"""The scalar engine: ``Value``, a node that records every operation on Python floats.

Each operation computes its output and its local derivatives from the op table
(:mod:`autograd_nn.ops`) and stores them on the result (``local[i]`` is d result /
d ``parents[i]``).  Backward is one generic loop that hands ``local * grad`` to each parent;
there is no closure per node.  A failed backward leaves every gradient as it was.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import ops
from .graph import DEFAULT, MODES, AnomalyError, Node, is_anomaly_enabled, topological_order
from .ops import WeightedSum

_new = object.__new__
_isfinite = math.isfinite


def _leaf_number(data, where: str) -> float:
    """Convert an accepted real number to float, or raise a TypeError naming what was given."""
    if type(data) is float:
        return data
    if isinstance(data, (bool, numbers.Real)) and not isinstance(data, Value):
        return float(data)
    raise TypeError(
        f"{where} accepts a real number (int, float or numpy real scalar), "
        f"got {type(data).__name__}: {data!r}"
    )


class Value(Node):
    """A scalar in the computation graph: ``data``, ``grad``, ``parents``, ``local`` and ``op``.

    ``parents`` are the operands in order (``a * a`` has two edges) and ``local[i]`` is the
    partial derivative of this node with respect to ``parents[i]``, computed by the operation
    itself from the op table (:mod:`autograd_nn.ops`).  Plain Python numbers in an operation
    are constants: they become no node, and the node keeps them in ``const``.

    Example:
        >>> from autograd_nn import Value
        >>> w = Value(2.0, label="w"); x = Value(3.0, label="x")
        >>> y = w * x + w            # w is used twice: its gradient adds up over both uses
        >>> y.backward()
        >>> w.grad, x.grad           # dy/dw = x + 1, dy/dx = w
        (4.0, 2.0)
    """

    # ``_label`` and ``const`` are set only where needed: unset slots cost no time on the hot
    # path, and readers use the ``label`` property or getattr with a default.
    __slots__ = ("data", "grad", "parents", "local", "op", "_label", "const")
    # numpy arrays defer to our reflected operators instead of broadcasting over a Value.
    __array_ufunc__ = None

    def __init__(self, data, label: str = "") -> None:
        self.data = data if type(data) is float else _leaf_number(data, "Value(data)")
        self.grad = 0.0
        self.parents = ()
        self.local = ()
        self.op = ""
        if label:
            self._label = str(label)

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{name}{op})"

    # -- arithmetic: a Value operand is a parent, a number a constant -------------------------

    def __add__(self, other):
        return _binary(_ADD, self, other)

    def __radd__(self, other):
        # sum([a, b, c]) starts from the int 0: hand back self so no useless "0 +" node is made.
        if type(other) is int and other == 0:
            return self
        return _binary(_ADD, self, other)

    def __sub__(self, other):
        return _binary(_SUB, self, other)

    def __rsub__(self, other):
        return _reflected(_RSUB, self, other)

    def __mul__(self, other):
        return _binary(_MUL, self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return _binary(_DIV, self, other)

    def __rtruediv__(self, other):
        return _reflected(_RDIV, self, other)

    def __neg__(self):
        return _apply(_NEG, (self,), (self.data,))

    def __pos__(self):
        return self

    def __pow__(self, other):
        return _binary(_POW, self, other)

    def __rpow__(self, other):
        return _reflected(_RPOW, self, other)

    # -- functions -------------------------------------------------------------------------------

    def exp(self):
        """e ** self.  Overflow (data above ~709.78) raises ``OverflowError`` naming the input.

        Example:
            >>> round(Value(1.0).exp().data, 6)
            2.718282
        """
        return _apply(_EXP, (self,), (self.data,))

    def log(self):
        """Natural logarithm; a non-positive input raises ``ValueError`` naming it.

        Example:
            >>> Value(1.0).log().data
            0.0
        """
        return _apply(_LOG, (self,), (self.data,))

    def tanh(self):
        """Hyperbolic tangent, exact at any input; derivative 1 - tanh².

        Example:
            >>> Value(1000.0).tanh().data
            1.0
        """
        return _apply(_TANH, (self,), (self.data,))

    def sigmoid(self):
        """The logistic function 1 / (1 + e^-x), exact at ±1000; derivative σ(1 - σ).

        Example:
            >>> Value(0.0).sigmoid().data, Value(-1000.0).sigmoid().data
            (0.5, 0.0)
        """
        return _apply(_SIGMOID, (self,), (self.data,))

    def relu(self):
        """max(0, x); derivative 1 for x > 0 and 0 otherwise.

        Example:
            >>> Value(-2.0).relu().data
            0.0
        """
        return _apply(_RELU, (self,), (self.data,))

    def step(self):
        """The threshold unit: 1 if x >= 0 else 0.  Its derivative is 0 everywhere it exists.

        Example:
            >>> Value(0.0).step().data, Value(-0.1).step().data
            (1.0, 0.0)
        """
        return _apply(_STEP, (self,), (self.data,))

    def abs(self):
        """|x|; derivative sign(x), taken as 0 at 0.

        Example:
            >>> Value(-3.0).abs().data
            3.0
        """
        return _apply(_ABS, (self,), (self.data,))

    __abs__ = abs

    def softplus(self, beta: float = 1.0, threshold: float = 20.0):
        """log(1 + e^(βx)) / β, a smooth relu; x itself where βx > threshold, as PyTorch.

        Exact at any input (softplus(1000) = 1000, softplus(-1000) = 0); derivative σ(βx).

        Example:
            >>> round(Value(0.0).softplus().data, 6), Value(1000.0).softplus().data
            (0.693147, 1000.0)
        """
        params = (
            _leaf_number(beta, "Value.softplus(beta)"),
            _leaf_number(threshold, "Value.softplus(threshold)"),
        )
        return _apply(_SOFTPLUS, (self,), (self.data,), params)

    def leaky_relu(self, negative_slope: float = 0.01):
        """x for x > 0, else negative_slope · x; derivative 1 or negative_slope (at 0 too).

        Example:
            >>> Value(-2.0).leaky_relu(0.1).data
            -0.2
        """
        slope = _leaf_number(negative_slope, "Value.leaky_relu(negative_slope)")
        return _apply(_LEAKY_RELU, (self,), (self.data,), (slope,))

    def elu(self, alpha: float = 1.0):
        """x for x > 0, else α(e^x - 1); derivative 1, or α e^x for x <= 0.

        Example:
            >>> round(Value(-1.0).elu().data, 6), Value(1000.0).elu().data
            (-0.632121, 1000.0)
        """
        return _apply(_ELU, (self,), (self.data,), (_leaf_number(alpha, "Value.elu(alpha)"),))

    def gelu(self, approximate: str = "none"):
        """x Φ(x), Φ the standard normal CDF; ``approximate="tanh"`` is PyTorch's tanh approximation.

        Example:
            >>> round(Value(1.0).gelu().data, 6), round(Value(1.0).gelu(approximate="tanh").data, 6)
            (0.841345, 0.841192)
        """
        return _apply(_GELU, (self,), (self.data,), (approximate,))

    def silu(self):
        """x σ(x) (swish); derivative σ(1 + x(1 - σ)).

        Example:
            >>> round(Value(1.0).silu().data, 6), Value(-1000.0).silu().data
            (0.731059, -0.0)
        """
        return _apply(_SILU, (self,), (self.data,))

    def sin(self):
        """Sine (radians); derivative cos x.  sin(±inf) raises ``ValueError``.

        Example:
            >>> Value(0.0).sin().data
            0.0
        """
        return _apply(_SIN, (self,), (self.data,))

    def cos(self):
        """Cosine (radians); derivative -sin x.  cos(±inf) raises ``ValueError``.

        Example:
            >>> Value(0.0).cos().data
            1.0
        """
        return _apply(_COS, (self,), (self.data,))

    def erf(self):
        """The error function (2/√π) ∫₀ˣ e^(-t²) dt; derivative (2/√π) e^(-x²).

        Example:
            >>> round(Value(1.0).erf().data, 6)
            0.842701
        """
        return _apply(_ERF, (self,), (self.data,))

    # -- many operands, one node -------------------------------------------------------------

    @staticmethod
    def sum(values, start: float = 0.0) -> Value:
        """One node for the sum of many Values (and numbers), instead of a chain of ``+``.

        Example:
            >>> xs = [Value(1.0), Value(2.0), Value(3.0)]
            >>> s = Value.sum(xs); s.backward()
            >>> s.data, len(s.parents), [x.grad for x in xs]
            (6.0, 3, [1.0, 1.0, 1.0])
        """
        parents = []
        constant = _leaf_number(start, "Value.sum(start)")
        for v in values:
            if type(v) is Value:
                parents.append(v)
            else:
                constant += _leaf_number(v, "Value.sum(values)")
        return _apply(_SUM, tuple(parents), [p.data for p in parents], constant or None)

    @staticmethod
    def dot(weights, inputs, bias=None) -> Value:
        """The weighted sum s = Σ_k w_k h_k + b as one node, as a neuron computes it.

        Its local derivatives are h_k for each weight, w_k for each input and 1 for the bias, so
        a gradient path through it reads as the lecture's dE/dw_k = dE/ds · ds/dw_k with
        ds/dw_k = h_k.  Weights and inputs may be Values or plain numbers (constants).  The
        parents are the weights that are Values, then the inputs that are Values, then the bias;
        the node's ``const`` is its :class:`~autograd_nn.ops.WeightedSum` layout.

        Example:
            >>> w = [Value(3.7), Value(3.7)]; b = Value(-1.5)
            >>> s = Value.dot(w, [1.0, 0.0], b)
            >>> round(s.data, 6), s.local
            (2.2, (1.0, 0.0, 1.0))
        """
        n = len(weights)
        if n != len(inputs):
            raise ValueError(f"Value.dot: {n} weights but {len(inputs)} inputs; they must be equally many")
        if {type(bias), *map(type, weights), *map(type, inputs)} == _ONLY_VALUES:
            return _dot_values(weights, inputs, bias)
        layout = WeightedSum(
            tuple(None if type(w) is Value else _leaf_number(w, "Value.dot(weights)") for w in weights),
            tuple(None if type(h) is Value else _leaf_number(h, "Value.dot(inputs)") for h in inputs),
            None if type(bias) is Value else (0.0 if bias is None else _leaf_number(bias, "Value.dot(bias)")),
        )
        parents = (*[w for w in weights if type(w) is Value], *[h for h in inputs if type(h) is Value])
        if type(bias) is Value:
            parents += (bias,)
        return _apply(_WSUM, parents, [p.data for p in parents], layout)

    # -- reverse mode ---------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Reverse-mode differentiation: add d self / d node to ``node.grad`` for every node.

        Iterative (a graph a million operations deep works).  Gradients accumulate over calls,
        as in PyTorch: call :meth:`zero_grad` (or an optimiser's) between passes.  NaN and inf
        propagate as IEEE arithmetic says; inside :class:`~autograd_nn.detect_anomaly` the first
        node whose value or gradient is not finite is named in an :class:`AnomalyError`.

        Example:
            >>> x = Value(3.0); y = x * x
            >>> y.backward(); y.backward()
            >>> x.grad      # accumulated twice: 6 + 6
            12.0
        """
        grad = _leaf_number(grad, "backward(grad)")
        topo = topological_order(self)
        # This pass's gradients are computed from zero, then added to what was there, so that
        # intermediate nodes accumulate correctly too (a stale grad must not be propagated).
        # On a fresh graph every grad is already 0 and only the check is paid.
        previous = [n.grad for n in topo]
        accumulate = any(previous)
        if accumulate:
            for n in topo:
                n.grad = 0.0
        self.grad = grad
        try:
            if is_anomaly_enabled():
                _backward_checked(topo)
            else:
                for node in reversed(topo):
                    g = node.grad
                    if g and node.parents:
                        for parent, d in zip(node.parents, node.local):
                            parent.grad += d * g
        except BaseException:
            # A failed pass (an anomaly, an interrupt) changes nothing: every gradient as before.
            for n, old in zip(topo, previous):
                n.grad = old
            raise
        if accumulate:
            for n, old in zip(topo, previous):
                n.grad += old

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on every node of the graph below (and including) this one.

        Example:
            >>> x = Value(3.0); y = x * x; y.backward()
            >>> y.zero_grad(); x.grad
            0.0
        """
        for n in topological_order(self):
            n.grad = 0.0

    # -- comparisons compare data, so a Value can be sorted and thresholded --------------------

    def __lt__(self, other):
        return self.data < (other.data if type(other) is Value else other)

    def __le__(self, other):
        return self.data <= (other.data if type(other) is Value else other)

    def __gt__(self, other):
        return self.data > (other.data if type(other) is Value else other)

    def __ge__(self, other):
        return self.data >= (other.data if type(other) is Value else other)

    def __float__(self) -> float:
        return self.data


_ONLY_VALUES = {Value}

_ADD, _SUB, _MUL, _DIV, _POW = (ops.get(name) for name in ("+", "-", "*", "/", "**"))
_RSUB, _RDIV, _RPOW = (ops.get(name) for name in ("rsub", "rdiv", "rpow"))
_NEG, _EXP, _LOG, _ABS = (ops.get(name) for name in ("neg", "exp", "log", "abs"))
_TANH, _SIGMOID, _RELU, _STEP = (ops.get(name) for name in ("tanh", "sigmoid", "relu", "step"))
_SOFTPLUS, _LEAKY_RELU, _ELU, _GELU, _SILU = (
    ops.get(name) for name in ("softplus", "leaky_relu", "elu", "gelu", "silu")
)
_SIN, _COS, _ERF = (ops.get(name) for name in ("sin", "cos", "erf"))
_SUM, _WSUM = ops.get("sum"), ops.get("wsum")
_dense_wsum = ops.dense_wsum


def reset_grad(param) -> None:
    """Reset a parameter's gradient as PyTorch does: 0.0 for a ``Value``, ``None`` for a ``Tensor``.

    Example:
        >>> w = Value(1.0); w.grad = 3.0; reset_grad(w); w.grad
        0.0
    """
    param.grad = 0.0 if type(param) is Value else None


def _apply(op, parents: tuple, xs, const=None) -> Value:
    """The node ``op`` makes from ``parents`` (whose values are ``xs``) and a constant, if any.

    The op table computes the value and, when grad mode records, the local derivatives.
    """
    data = op.forward(xs, const)
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op.name
    if DEFAULT.everywhere or MODES.grad_enabled:
        out.parents = parents
        out.local = op.local(xs, data, const)
        if const is not None:
            out.const = const
    else:
        out.parents = out.local = ()
    return out


def _binary(op, a: Value, other):
    """``a op other``: two parents for a Value ``other``, one parent and a constant for a number."""
    if type(other) is Value:
        return _apply(op, (a, other), (a.data, other.data))
    # Plain floats are the common constant: skip the conversion call for them.
    c = other if type(other) is float else _const(other, op.name)
    if c is NotImplemented:
        return NotImplemented
    return _apply(op, (a,), (a.data,), c)


def _reflected(op, a: Value, other):
    """``other op a`` for a number ``other`` (``1 - a``, ``1 / a``, ``2 ** a``)."""
    c = _const(other, _REFLECTED_SYMBOL[op.name])
    if c is NotImplemented:
        return NotImplemented
    return _apply(op, (a,), (a.data,), c)


def _dot_values(weights, inputs, bias: Value, input_data=None) -> Value:
    """``Value.dot`` when the caller knows every operand is a Value and the lengths agree.

    A layer checks its input vector once, reads its inputs' values once (``input_data``) and
    then calls this for each of its neurons.
    """
    if input_data is None:
        input_data = [h.data for h in inputs]
    data, local = _dense_wsum([w.data for w in weights], input_data, bias.data)
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = _WSUM.name
    if DEFAULT.everywhere or MODES.grad_enabled:
        out.parents = (*weights, *inputs, bias)
        out.local = local
        out.const = _dense_layout(len(weights))
    else:
        out.parents = out.local = ()
    return out


_dense_layout = WeightedSum.of_parents


def _const(other, symbol: str):
    """A plain real number as a float, or NotImplemented so Python raises its own TypeError.

    numpy operands get our TypeError instead (see :func:`_numpy_const`).
    """
    t = type(other)
    if t is float:
        return other
    if t is int or isinstance(other, numbers.Real):  # bool and numpy real scalars included
        return float(other)
    if isinstance(other, (np.ndarray, np.generic)):
        return _numpy_const(other, symbol)
    return NotImplemented


# The operator a user wrote for a reflected op (``2 - a`` records op "rsub").
_REFLECTED_SYMBOL = {"rsub": "-", "rdiv": "/", "rpow": "**"}


def _numpy_const(other, symbol: str) -> float:
    """A numpy scalar or 0-d array of a real number as a float, else a TypeError naming it.

    Python's own TypeError would not come: with NotImplemented from a Value, numpy answers itself
    ("Concatenation operation is not implemented", "operand 'Value' does not support ufuncs").
    """
    kind = f"numpy.{type(other).__name__}"
    if other.dtype.kind not in "fiub":
        raise TypeError(f"{symbol}: a Value combines with real numbers, got a {kind} of dtype {other.dtype}")
    if other.ndim:
        raise TypeError(
            f"{symbol}: cannot combine a Value with a {kind} of shape {other.shape}; a Value is one "
            "number: use a Tensor for arrays (Tensor(array)), or take one number out (array[i])"
        )
    return float(other)


def _name(node: Value) -> str:
    label = node.label
    op = node.op
    const = getattr(node, "const", None)
    if op and isinstance(const, float):
        op = f"{op} {const:g}" if ops.get(op).constant == "right" else f"{const:g} {op}"
    if label:
        return f"{label!r} (op {op!r})" if op else repr(label)
    return f"the {op or 'leaf'} node"


def check_values(topo: list) -> None:
    """Anomaly mode: raise naming the first node (in computation order) whose value is not finite.

    Example:
        >>> big = Value(float("inf"), label="big"); y = big * 0.0
        >>> check_values(topological_order(y))
        Traceback (most recent call last):
        ...
        autograd_nn.graph.AnomalyError: detect_anomaly: the value of 'big' is inf
    """
    for node in topo:
        if not _isfinite(node.data):
            inputs = ", ".join(repr(p.data) for p in node.parents)
            raise AnomalyError(
                f"detect_anomaly: the value of {_name(node)} is {node.data!r}"
                + (f" (computed from {inputs})" if inputs else "")
            )


def _backward_checked(topo: list) -> None:
    """The backward loop of anomaly mode: the same arithmetic, checking every number."""
    check_values(topo)
    for node in reversed(topo):
        g = node.grad
        if not _isfinite(g):
            raise AnomalyError(f"detect_anomaly: the gradient of {_name(node)} is {g!r}")
        for i, (parent, d) in enumerate(zip(node.parents, node.local)):
            if not _isfinite(d):
                raise AnomalyError(
                    f"detect_anomaly: the local derivative of {_name(node)} with respect to its "
                    f"operand {i} ({parent.data!r}) is {d!r}"
                )
            parent.grad += d * g
            if not _isfinite(parent.grad):
                raise AnomalyError(f"detect_anomaly: the gradient of {_name(parent)} became {parent.grad!r}")
