"""Gradient checks of the scalar engine against central finite differences.

* :func:`gradcheck_values` compares a function's analytic gradient with finite differences, as
  ``torch.autograd.gradcheck`` does: it tells you *that* a gradient is wrong.
* :func:`check_local_derivatives` compares the local derivative stored on every node of a graph
  with a finite difference of that one operation's forward from the op table
  (:mod:`autograd_nn.ops`): it tells you *which* operation is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import ops
from ..graph import no_grad, topological_order
from ..value import Value
from .error import GradcheckError


def gradcheck_values(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """:func:`autograd_nn.gradcheck` for a function of Values that returns one Value.

    Example:
        >>> from autograd_nn import Value
        >>> x, y = Value(0.5), Value(-1.5)
        >>> gradcheck_values(lambda a, b: (a * b).tanh() + a.exp(), [x, y])
        True
    """
    inputs = list(inputs)
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
# Each node's op is looked up in the op table; its stored local derivatives are compared with
# central differences of the table's reference forward, from the parents' values and the constant
# the node remembers.  A wrong derivative in the table or on a node then shows up as a mismatch.


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

    Each operation is recomputed from its parents' values by its reference forward in the op
    table; ops with a kink (``relu``, ``step``, ``abs`` at 0) are skipped within ``eps`` of it,
    and so is a point whose neighbourhood leaves the op's domain.  The graph is not changed.

    Raises:
        autograd_nn.ops.UnknownOpError: for a node whose op the table does not know.

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
        op = ops.get(node.op)
        forward = op.forward
        const = getattr(node, "const", None)
        xs = [p.data for p in node.parents]
        if op.kink is not None and abs(xs[0] - op.kink) <= eps:
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
