"""Gradient checking against central finite differences, for both engines.

Two checks that complement each other:

* :func:`gradcheck` compares a whole function's analytic gradient with finite differences, as
  ``torch.autograd.gradcheck`` does: it tells you *that* a gradient is wrong.  It checks
  ``Value`` functions (:mod:`.scalar`) and ``Tensor`` functions (:mod:`.tensor`).
* :func:`check_local_derivatives` (and :func:`gradcheck_nodes`, which raises) compares the local
  derivative stored on every node of a ``Value`` graph with a finite difference of that one
  operation: it tells you *which* operation is wrong.

Example:
    >>> from autograd_nn import Value, gradcheck
    >>> gradcheck(lambda a: a.tanh() * a, [Value(0.5)])
    True
"""

from __future__ import annotations

from ..tensor import Tensor
from .error import GradcheckError
from .scalar import LocalDerivativeMismatch, check_local_derivatives, gradcheck_nodes, gradcheck_values
from .tensor import gradcheck_tensor

__all__ = [
    "GradcheckError",
    "LocalDerivativeMismatch",
    "check_local_derivatives",
    "gradcheck",
    "gradcheck_nodes",
]


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Check ``f``'s gradient with respect to every input against central finite differences.

    ``f`` takes the inputs and returns one ``Value`` (for ``Value`` inputs) or a ``Tensor`` (for
    ``Tensor`` inputs; those with ``requires_grad`` are checked, in float64).  An input passes
    when ``|analytic - numeric| <= atol + rtol * |numeric|``, where numeric is
    ``(f(x + eps) - f(x - eps)) / (2 eps)``.  The inputs' data and gradients are left as they were.

    Returns:
        True when every input passes.

    Raises:
        GradcheckError: listing, for each failing input, the analytic and numeric values and
            their difference.
        TypeError: for inputs that are neither, or Values and Tensors mixed.

    Example:
        >>> import numpy as np
        >>> from autograd_nn import Tensor, Value, gradcheck
        >>> gradcheck(lambda a, b: (a * b).tanh() + a.exp(), [Value(0.5), Value(-1.5)])
        True
        >>> gradcheck(lambda W: (W @ W).sum(), [Tensor(np.eye(2) * 0.5, requires_grad=True)])
        True
    """
    inputs = list(inputs)
    if any(isinstance(x, Tensor) for x in inputs):
        return gradcheck_tensor(f, inputs, eps=eps, atol=atol, rtol=rtol)
    return gradcheck_values(f, inputs, eps=eps, atol=atol, rtol=rtol)
