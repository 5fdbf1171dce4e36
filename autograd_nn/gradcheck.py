"""Gradient checking against central finite differences.

Two checks that complement each other:

* :func:`gradcheck` compares the whole function's analytic gradient with finite differences, as
  ``torch.autograd.gradcheck`` does: it tells you *that* a gradient is wrong.
* :func:`check_local_derivatives` compares the local derivative stored on every node of a graph
  with a finite difference of that one operation: it tells you *which* operation is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .graph import no_grad, topological_order
from .value import Value


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate; the message says where.

    An ``AssertionError``, so a failed check inside a test reads as a failed assertion.

    Example:
        >>> from autograd_nn import GradcheckError, Value, gradcheck
        >>> def square(x):
        ...     y = x * x
        ...     y.local = (1.0, 1.0)  # a wrong local derivative: d(x x)/dx is x for each operand
        ...     return y
        >>> try:
        ...     gradcheck(square, [Value(3.0)])
        ... except GradcheckError as err:
        ...     print(str(err).splitlines()[1].split(", numeric")[0])
          input 0: analytic 2.0
    """


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Check ``f``'s gradient with respect to every input against central finite differences.

    ``f`` takes the inputs (Values, or Tensors) and returns one Value (or a Tensor).  An input
    passes when ``|analytic - numeric| <= atol + rtol * |numeric|``, where numeric is
    ``(f(x + eps) - f(x - eps)) / (2 eps)``.  The inputs' data and gradients are left as they were.

    Returns:
        True when every input passes.

    Raises:
        GradcheckError: listing, for each failing input, the analytic and numeric values and
            their difference.

    Example:
        >>> from autograd_nn import Value, gradcheck
        >>> x, y = Value(0.5), Value(-1.5)
        >>> gradcheck(lambda a, b: (a * b).tanh() + a.exp(), [x, y])
        True
    """
    inputs = list(inputs)
    if any(type(x).__name__ == "Tensor" for x in inputs):
        from ._gradcheck_tensor import gradcheck_tensor

        return gradcheck_tensor(f, inputs, eps=eps, atol=atol, rtol=rtol)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradcheck: input {i} must be a Value or a Tensor, got {type(x).__name__}")
    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    # Every gradient in the graph (parameters f closes over too) and the inputs' come back as
    # they were: checking a gradient must not change one.
    touched = [*inputs, *topological_order(out)]
    saved = [n.grad for n in touched]
    try:
        for n in touched:
            n.grad = 0.0
        out.backward()
        analytic = [x.grad for x in inputs]
    finally:
        for n, g in zip(touched, saved):
            n.grad = g
    failures = []
    for i, x in enumerate(inputs):
        numeric = _central_difference(lambda: f(*inputs).data, x, eps)
        if not abs(analytic[i] - numeric) <= atol + rtol * abs(numeric):
            failures.append(
                f"  input {i}{_named(x)}: analytic {analytic[i]!r}, numeric {numeric!r}, "
                f"difference {analytic[i] - numeric:.3g}"
            )
    if failures:
        raise GradcheckError(
            f"gradcheck failed for {len(failures)} of {len(inputs)} inputs "
            f"(eps={eps}, atol={atol}, rtol={rtol}):\n" + "\n".join(failures)
        )
    return True


def _central_difference(evaluate, x: Value, eps: float) -> float:
    original = x.data
    try:
        with no_grad():
            x.data = original + eps
            plus = evaluate()
            x.data = original - eps
            minus = evaluate()
    finally:
        x.data = original
    return (plus - minus) / (2.0 * eps)


def _named(x) -> str:
    return f" ({x.label!r})" if getattr(x, "label", "") else ""


# -- the per-node check --------------------------------------------------------------------------
# Each op's forward written again, independently of value.py, from its parents' values and the
# constant the node remembers.  A wrong local derivative in value.py then shows up as a mismatch.


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _wsum(xs: list[float], layout) -> float:
    if layout is None:
        # Every operand a Value: w_1..w_n, h_1..h_n, then the bias (an odd count).
        n = len(xs) // 2
        return math.fsum(xs[k] * xs[n + k] for k in range(n)) + (xs[-1] if len(xs) % 2 else 0.0)
    weights, inputs, bias, has_bias = layout
    # The parents are the weights that are Values, then the inputs that are Values, then the bias.
    parents = iter(xs)
    ws = [next(parents) if w is None else w for w in weights]
    hs = [next(parents) if h is None else h for h in inputs]
    total = math.fsum(w * h for w, h in zip(ws, hs))
    if has_bias:
        total += next(parents) if bias is None else bias
    return total


_FORWARD = {
    "+": lambda xs, c: xs[0] + (xs[1] if len(xs) == 2 else c),
    "-": lambda xs, c: xs[0] - (xs[1] if len(xs) == 2 else c),
    "rsub": lambda xs, c: c - xs[0],
    "*": lambda xs, c: xs[0] * (xs[1] if len(xs) == 2 else c),
    "/": lambda xs, c: xs[0] / (xs[1] if len(xs) == 2 else c),
    "rdiv": lambda xs, c: c / xs[0],
    "**": lambda xs, c: xs[0] ** xs[1],
    "rpow": lambda xs, c: c ** xs[0],
    "neg": lambda xs, c: -xs[0],
    "exp": lambda xs, c: math.exp(xs[0]),
    "log": lambda xs, c: math.log(xs[0]),
    "tanh": lambda xs, c: math.tanh(xs[0]),
    "sigmoid": lambda xs, c: _sigmoid(xs[0]),
    "relu": lambda xs, c: max(xs[0], 0.0),
    "step": lambda xs, c: 1.0 if xs[0] >= 0 else 0.0,
    "abs": lambda xs, c: abs(xs[0]),
    "sum": lambda xs, c: math.fsum(xs) + (c or 0.0),
    "wsum": _wsum,
}
# Ops with a kink at 0: a finite difference across it measures nothing useful.
_KINKED = {"relu", "step", "abs"}


def _forward_of(node):
    op = node.op
    if op.startswith("**") and op != "**":
        return lambda xs, c: xs[0] ** c
    return _FORWARD.get(op)


@dataclass(frozen=True)
class LocalDerivativeMismatch:
    """One edge whose stored local derivative disagrees with the finite difference of its op.

    Attributes:
        op: the operation's name (``node.op``).
        label: the node's label (``""`` if none).
        parent_index: which operand's derivative is wrong.
        stored: the local derivative on the node.
        numeric: the central finite difference of the op's forward.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.gradcheck import check_local_derivatives
        >>> y = Value(2.0, label="x").exp(); y.label = "y"
        >>> y.local = (1.0,)  # should be exp(2) = 7.389...
        >>> [m] = check_local_derivatives(y)
        >>> m.op, m.label, m.parent_index, m.stored, round(m.numeric, 3)
        ('exp', 'y', 0, 1.0, 7.389)
    """

    op: str
    label: str
    parent_index: int
    stored: float
    numeric: float

    def __str__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        return (
            f"{self.op}{name}: d/d(operand {self.parent_index}) stored {self.stored!r}, "
            f"finite difference {self.numeric!r}"
        )


def check_local_derivatives(root: Value, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3):
    """Compare every node's stored local derivatives with finite differences of its operation.

    Each operation is recomputed from its parents' values by an independent implementation of its
    forward; nodes of unknown ops are skipped, and so are ``relu``, ``step`` and ``abs`` within
    ``eps`` of their kink at 0.  The graph is not changed.

    Returns:
        A list of :class:`LocalDerivativeMismatch`, empty when every derivative is right.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.gradcheck import check_local_derivatives
        >>> x = Value(0.3); y = (x * x).sigmoid() + x.tanh()
        >>> check_local_derivatives(y)
        []
    """
    mismatches = []
    for node in topological_order(root):
        if not node.parents:
            continue
        forward = _forward_of(node)
        if forward is None:
            continue
        const = getattr(node, "const", None)
        xs = [p.data for p in node.parents]
        if node.op in _KINKED and abs(xs[0]) <= eps:
            continue
        for i, stored in enumerate(node.local):
            plus, minus = list(xs), list(xs)
            plus[i] += eps
            minus[i] -= eps
            try:
                numeric = (forward(plus, const) - forward(minus, const)) / (2.0 * eps)
            except (ValueError, ZeroDivisionError, OverflowError):
                continue  # the op's domain ends within eps of this point: nothing to compare
            if not abs(stored - numeric) <= atol + rtol * abs(numeric):
                mismatches.append(LocalDerivativeMismatch(node.op, node.label, i, stored, numeric))
    return mismatches


def gradcheck_nodes(root: Value, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Like :func:`check_local_derivatives`, but raise naming the operations that are wrong.

    Raises:
        GradcheckError: whose message starts with the sorted names of the wrong ops, then one
            line per wrong edge.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.gradcheck import gradcheck_nodes
        >>> gradcheck_nodes(Value(2.0).log() * 3)
        True
    """
    mismatches = check_local_derivatives(root, eps=eps, atol=atol, rtol=rtol)
    if mismatches:
        ops = sorted({m.op for m in mismatches})
        raise GradcheckError(
            f"wrong local derivatives in op(s) {', '.join(ops)}:\n"
            + "\n".join(f"  {m}" for m in mismatches)
        )
    return True
