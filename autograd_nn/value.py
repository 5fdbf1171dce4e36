"""The scalar engine: ``Value``, a node that records every operation on Python floats.

Each operation computes its output and its local derivatives in the same few lines and stores
them on the result (``local[i]`` is d result / d ``parents[i]``).  Backward is one generic loop
that hands ``local * grad`` to each parent; there is no closure per node.
"""

from __future__ import annotations

import math
import numbers
import operator

from .graph import SWITCHES, AnomalyError, Node, topological_order

_new = object.__new__
_exp = math.exp
_tanh = math.tanh
_log = math.log
_isfinite = math.isfinite
_mul = operator.mul


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
    itself.  Plain Python numbers in an operation are constants: they become no node.

    Example:
        >>> from autograd_nn import Value
        >>> w = Value(2.0, label="w"); x = Value(3.0, label="x")
        >>> y = w * x + w            # w is used twice: its gradient adds up over both uses
        >>> y.backward()
        >>> w.grad, x.grad           # dy/dw = x + 1, dy/dx = w
        (4.0, 2.0)
    """

    # ``_label``, ``group`` and ``const`` are set only where needed: unset slots cost no time on
    # the hot path, and readers use the ``label`` property or getattr with a default.
    __slots__ = ("data", "grad", "parents", "local", "op", "_label", "group", "const")
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

    # -- arithmetic -----------------------------------------------------------------------------

    def __add__(self, other):
        out = _new(Value)
        out.grad = 0.0
        out.op = "+"
        if type(other) is Value:
            out.data = self.data + other.data
            if SWITCHES.grad_enabled:
                out.parents = (self, other)
                out.local = (1.0, 1.0)
                return out
        else:
            # Plain floats are the common constant: skip the conversion call for them.
            c = other if type(other) is float else _const(other)
            if c is NotImplemented:
                return NotImplemented
            out.data = self.data + c
            if SWITCHES.grad_enabled:
                out.parents = (self,)
                out.local = (1.0,)
                out.const = c
                return out
        out.parents = out.local = ()
        return out

    def __radd__(self, other):
        # sum([a, b, c]) starts from the int 0: hand back self so no useless "0 +" node is made.
        if type(other) is int and other == 0:
            return self
        return self.__add__(other)

    def __sub__(self, other):
        out = _new(Value)
        out.grad = 0.0
        out.op = "-"
        if type(other) is Value:
            out.data = self.data - other.data
            if SWITCHES.grad_enabled:
                out.parents = (self, other)
                out.local = (1.0, -1.0)
                return out
        else:
            # Plain floats are the common constant: skip the conversion call for them.
            c = other if type(other) is float else _const(other)
            if c is NotImplemented:
                return NotImplemented
            out.data = self.data - c
            if SWITCHES.grad_enabled:
                out.parents = (self,)
                out.local = (1.0,)
                out.const = c
                return out
        out.parents = out.local = ()
        return out

    def __rsub__(self, other):
        c = _const(other)
        if c is NotImplemented:
            return NotImplemented
        return self._unary(c - self.data, -1.0, "rsub", c)

    def __mul__(self, other):
        out = _new(Value)
        out.grad = 0.0
        out.op = "*"
        if type(other) is Value:
            out.data = self.data * other.data
            if SWITCHES.grad_enabled:
                out.parents = (self, other)
                out.local = (other.data, self.data)
                return out
        else:
            # Plain floats are the common constant: skip the conversion call for them.
            c = other if type(other) is float else _const(other)
            if c is NotImplemented:
                return NotImplemented
            out.data = self.data * c
            if SWITCHES.grad_enabled:
                out.parents = (self,)
                out.local = (c,)
                out.const = c
                return out
        out.parents = out.local = ()
        return out

    __rmul__ = __mul__

    def __truediv__(self, other):
        if type(other) is Value:
            b = other.data
            if b == 0.0:
                raise ZeroDivisionError(f"division: {self.data!r} / {other!r} divides by zero")
            return _binary(self, other, self.data / b, 1.0 / b, -self.data / (b * b), "/")
        c = _const(other)
        if c is NotImplemented:
            return NotImplemented
        if c == 0.0:
            raise ZeroDivisionError(f"division: {self!r} / {other!r} divides by zero")
        return self._unary(self.data / c, 1.0 / c, "/", c)

    def __rtruediv__(self, other):
        c = _const(other)
        if c is NotImplemented:
            return NotImplemented
        a = self.data
        if a == 0.0:
            raise ZeroDivisionError(f"division: {other!r} / {self!r} divides by zero")
        return self._unary(c / a, -c / (a * a), "rdiv", c)

    def __neg__(self):
        return self._unary(-self.data, -1.0, "neg")

    def __pos__(self):
        return self

    def __pow__(self, other):
        a = self.data
        if type(other) is Value:
            y = other.data
            if a <= 0.0:
                raise ValueError(
                    f"pow: a Value exponent needs a positive base (the derivative uses log(base)), "
                    f"got base {a!r} ** {y!r}"
                )
            out = _power(a, y)
            return _binary(self, other, out, y * _power(a, y - 1.0), out * _log(a), "**")
        k = _const(other)
        if k is NotImplemented:
            return NotImplemented
        if not _isfinite(k):
            raise ValueError(f"pow: the exponent must be a finite number, got {a!r} ** {k!r}")
        integral = k.is_integer()
        if a < 0.0 and not integral:
            raise ValueError(f"pow: {a!r} ** {k!r} has no real value (negative base, fractional exponent)")
        if a == 0.0 and k < 0.0:
            raise ZeroDivisionError(f"pow: 0.0 ** {k!r} divides by zero")
        name = f"**{int(k)}" if integral else f"**{k:g}"
        out = _power(a, k)
        # x**0 is the constant 1 (derivative 0 even at 0); at a == 0 with 0 < k < 1 the
        # derivative is infinite: say so instead of dividing by zero.
        if k == 0.0:
            grad = 0.0
        elif a != 0.0 or k >= 1.0:
            grad = k * _power(a, k - 1.0)
        else:
            grad = math.inf
        return self._unary(out, grad, name, k)

    def __rpow__(self, other):
        c = _const(other)
        if c is NotImplemented:
            return NotImplemented
        if c <= 0.0:
            raise ValueError(f"pow: {c!r} ** Value needs a positive base (the derivative uses log(base))")
        out = _power(c, self.data)
        return self._unary(out, out * _log(c), "rpow", c)

    # -- functions -------------------------------------------------------------------------------

    def exp(self):
        """e ** self.  Overflow (data above ~709.78) raises ``OverflowError`` naming the input.

        Example:
            >>> round(Value(1.0).exp().data, 6)
            2.718282
        """
        try:
            out = _exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp: exp({self.data!r}) overflows a float (largest finite input is about 709.78)"
            ) from None
        return self._unary(out, out, "exp")

    def log(self):
        """Natural logarithm; a non-positive input raises ``ValueError`` naming it.

        Example:
            >>> Value(1.0).log().data
            0.0
        """
        a = self.data
        if a <= 0.0:
            raise ValueError(f"log: log({a!r}) is undefined (the input must be positive)")
        return self._unary(_log(a), 1.0 / a, "log")

    def tanh(self):
        """Hyperbolic tangent, exact at any input; derivative 1 - tanh².

        Example:
            >>> Value(1000.0).tanh().data
            1.0
        """
        t = _tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def sigmoid(self):
        """The logistic function 1 / (1 + e^-x), exact at ±1000; derivative σ(1 - σ).

        Example:
            >>> Value(0.0).sigmoid().data, Value(-1000.0).sigmoid().data
            (0.5, 0.0)
        """
        a = self.data
        # Only ever exponentiate a non-positive number, so e^|x| can never overflow.
        if a >= 0.0:
            s = 1.0 / (1.0 + _exp(-a))
        else:
            z = _exp(a)
            s = z / (1.0 + z)
        return self._unary(s, s * (1.0 - s), "sigmoid")

    def relu(self):
        """max(0, x); derivative 1 for x > 0 and 0 otherwise.

        Example:
            >>> Value(-2.0).relu().data
            0.0
        """
        a = self.data
        return self._unary(a if a > 0.0 else 0.0, 1.0 if a > 0.0 else 0.0, "relu")

    def step(self):
        """The threshold unit: 1 if x >= 0 else 0.  Its derivative is 0 everywhere it exists.

        Example:
            >>> Value(0.0).step().data, Value(-0.1).step().data
            (1.0, 0.0)
        """
        return self._unary(1.0 if self.data >= 0.0 else 0.0, 0.0, "step")

    def abs(self):
        """|x|; derivative sign(x), taken as 0 at 0.

        Example:
            >>> Value(-3.0).abs().data
            3.0
        """
        a = self.data
        return self._unary(abs(a), (a > 0.0) - (a < 0.0) + 0.0, "abs")

    __abs__ = abs

    def _unary(self, data: float, local: float, op: str, const=None):
        out = _new(Value)
        out.data = data
        out.grad = 0.0
        out.op = op
        if SWITCHES.grad_enabled:
            out.parents = (self,)
            out.local = (local,)
            if const is not None:
                out.const = const
        else:
            out.parents = out.local = ()
        return out

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
        total = constant
        for v in values:
            if type(v) is Value:
                parents.append(v)
                total += v.data
            else:
                number = _leaf_number(v, "Value.sum(values)")
                constant += number
                total += number
        out = _node(total, tuple(parents), (1.0,) * len(parents), "sum")
        if constant:
            out.const = constant
        return out

    @staticmethod
    def dot(weights, inputs, bias=None, op: str = "wsum") -> Value:
        """The weighted sum s = Σ_k w_k h_k + b as one node, as a neuron computes it.

        Its local derivatives are h_k for each weight, w_k for each input and 1 for the bias, so
        a gradient path through it reads as the lecture's dE/dw_k = dE/ds · ds/dw_k with
        ds/dw_k = h_k.  Weights and inputs may be Values or plain numbers (constants).  The
        parents are the weights that are Values, then the inputs that are Values, then the bias.

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
            return _dot_values(weights, inputs, bias, op)
        wd = [w.data if type(w) is Value else _leaf_number(w, "Value.dot(weights)") for w in weights]
        hd = [h.data if type(h) is Value else _leaf_number(h, "Value.dot(inputs)") for h in inputs]
        total = sum(map(_mul, wd, hd))
        # d s / d w_k = h_k and d s / d h_k = w_k, for those that are Values.
        parents = [w for w in weights if type(w) is Value] + [h for h in inputs if type(h) is Value]
        local = [hd[k] for k, w in enumerate(weights) if type(w) is Value]
        local += [wd[k] for k, h in enumerate(inputs) if type(h) is Value]
        if bias is not None:
            if type(bias) is Value:
                total += bias.data
                parents.append(bias)
                local.append(1.0)
            else:
                total += _leaf_number(bias, "Value.dot(bias)")
        out = _node(total, tuple(parents), tuple(local), op)
        # Remember the layout (None marks a parent, a number a constant) so the node can be
        # recomputed, e.g. by the per-node gradient check.
        out.const = (
            tuple(None if type(w) is Value else float(w) for w in weights),
            tuple(None if type(h) is Value else float(h) for h in inputs),
            None if bias is None or type(bias) is Value else float(bias),
            bias is not None,
        )
        return out

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
        if SWITCHES.anomaly:
            _backward_checked(topo)
        else:
            for node in reversed(topo):
                g = node.grad
                if g and node.parents:
                    for parent, d in zip(node.parents, node.local):
                        parent.grad += d * g
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


def reset_grad(param) -> None:
    """Reset a parameter's gradient as PyTorch does: 0.0 for a ``Value``, ``None`` for a ``Tensor``.

    Example:
        >>> w = Value(1.0); w.grad = 3.0; reset_grad(w); w.grad
        0.0
    """
    param.grad = 0.0 if type(param) is Value else None


def _dot_values(weights, inputs, bias: Value, op: str = "wsum") -> Value:
    """``Value.dot`` when the caller knows every operand is a Value and the lengths agree.

    A layer checks its input vector once and then calls this for each of its neurons.
    """
    wd = [w.data for w in weights]
    hd = [h.data for h in inputs]
    return _node(sum(map(_mul, wd, hd)) + bias.data, (*weights, *inputs, bias), (*hd, *wd, 1.0), op)


def _power(base: float, exponent: float) -> float:
    """base ** exponent for floats, with an overflow named as the pow operation's."""
    try:
        return base**exponent
    except OverflowError:
        raise OverflowError(f"pow: {base!r} ** {exponent!r} overflows a float") from None


def _const(other):
    """A plain real number as a float, or NotImplemented so Python raises its own TypeError."""
    t = type(other)
    if t is float:
        return other
    if t is int or isinstance(other, numbers.Real):  # bool and numpy real scalars included
        return float(other)
    return NotImplemented


def _node(data: float, parents: tuple, local: tuple, op: str) -> Value:
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    if SWITCHES.grad_enabled:
        out.parents = parents
        out.local = local
    else:
        out.parents = out.local = ()
    return out


def _binary(a: Value, b: Value, data: float, da: float, db: float, op: str) -> Value:
    return _node(data, (a, b), (da, db), op)


def _name(node: Value) -> str:
    label = node.label
    if label:
        return f"{label!r} (op {node.op!r})" if node.op else repr(label)
    return f"the {node.op or 'leaf'} node"


def _backward_checked(topo: list) -> None:
    """The backward loop of anomaly mode: the same arithmetic, checking every number."""
    for node in topo:
        if not _isfinite(node.data):
            inputs = ", ".join(repr(p.data) for p in node.parents)
            raise AnomalyError(
                f"detect_anomaly: the value of {_name(node)} is {node.data!r}"
                + (f" (computed from {inputs})" if inputs else "")
            )
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
