"""More elementwise math of the tensor engine: maximum, minimum, where, sign, sin, cos, erf.

The same contract as :mod:`autograd_nn.tensor.functions` (``forward`` beside ``vjp`` and
``vjp_tensor``; :meth:`~autograd_nn.tensor.functions.Function.apply` runs them).  The ops are
reached through Tensor's methods (``x.sin()``, ``x.maximum(y)``) and the functions
:func:`~autograd_nn.tensor.maximum`, :func:`~autograd_nn.tensor.minimum` and
:func:`~autograd_nn.tensor.where`.  Comparisons (``x < y``) are no ops: they give boolean
constants, outside the graph, as in PyTorch.

:class:`ErfOp` (``x.erf()``) is also what the exact GELU's derivative is built from, so it can be
differentiated again (the derivative holds the normal CDF ½(1 + erf(x/√2))).  numpy has no
erf, so it is ``math.erf`` on every element: about 0.15 s per million elements, five to eight
times ``np.tanh``, and as exact as the C library's erf.

Example:
    >>> from autograd_nn import Tensor
    >>> from autograd_nn.tensor.elementwise import MaximumOp
    >>> a = Tensor([1.0, 2.0, 3.0], requires_grad=True); b = Tensor([3.0, 2.0, 1.0])
    >>> m = MaximumOp.apply(a, b)       # what maximum(a, b) does
    >>> m.sum().backward(); a.grad      # a tie shares the gradient: half each
    array([0. , 0.5, 1. ])
"""

from __future__ import annotations

import math

import numpy as np

from ..ops import TWO_OVER_SQRT_PI
from ._arrays import as_array, first_index
from .functions import Function, StepOp, _BroadcastOp, _constant, sum_to, sum_to_tensor

__all__: list[str] = []


def erf(a: np.ndarray) -> np.ndarray:
    """The error function of every element (``math.erf``), in ``a``'s floating dtype.

    Example:
        >>> erf(np.array([0.0, 1.0, -30.0])).round(6)
        array([ 0.      ,  0.842701, -1.      ])
    """
    a = as_array(a)
    out = np.fromiter(map(math.erf, a.ravel().tolist()), dtype=np.float64, count=a.size)
    return out.reshape(a.shape).astype(a.dtype if a.dtype.kind == "f" else np.float64, copy=False)


def zero_like(g):
    """A 0-d constant zero of ``g``'s kind and dtype (a Tensor for a Tensor ``g``), for ``where``.

    Example:
        >>> from autograd_nn import Tensor
        >>> zero_like(Tensor([1.0, 2.0], dtype=np.float32))
        Tensor(0., dtype=float32)
    """
    return _constant(g, np.zeros((), dtype=g.dtype))


# -- maximum, minimum, where ----------------------------------------------------------------------


class MaximumOp(_BroadcastOp):
    """The elementwise larger of a and b (NaN if either is); a tie shares the gradient, half each.

    PyTorch's rule: an operand gets all of g where it alone is the result, ½ g at a tie, 0 where
    the other one is; where either is NaN (no order), both get g.
    """

    name = "maximum"
    combine = staticmethod(np.maximum)
    loses = staticmethod(np.less)  # a loses to b where a < b

    @classmethod
    def forward(cls, a, b):
        return cls.combine(a, b), (a, b)

    @classmethod
    def _shares(cls, ab, dtype) -> tuple:
        """Each operand's share of g (in the broadcast shape): 1, ½ at a tie, or 0."""
        a, b = ab
        share = np.where(a == b, 0.5, 1.0).astype(dtype, copy=False)
        return share * ~cls.loses(a, b), share * ~cls.loses(b, a)

    @classmethod
    def vjp(cls, ab, g, needs):
        share_a, share_b = cls._shares(ab, g.dtype)
        return (
            sum_to(g * share_a, ab[0].shape) if needs[0] else None,
            sum_to(g * share_b, ab[1].shape) if needs[1] else None,
        )

    @classmethod
    def vjp_tensor(cls, ab, g, needs, inputs, out):
        share_a, share_b = cls._shares(ab, g.dtype)  # constant wherever the derivative exists
        return (
            sum_to_tensor(g * share_a, ab[0].shape) if needs[0] else None,
            sum_to_tensor(g * share_b, ab[1].shape) if needs[1] else None,
        )


class MinimumOp(MaximumOp):
    """The elementwise smaller of a and b; a tie shares the gradient, half each."""

    name = "minimum"
    combine = staticmethod(np.minimum)
    loses = staticmethod(np.greater)


class WhereOp(_BroadcastOp):
    """a where ``condition`` (a boolean array, a constant) holds, else b; vjp: g to the one chosen."""

    name = "where"

    @staticmethod
    def forward(a, b, condition):
        return np.where(condition, a, b), (condition, a.shape, b.shape)

    @staticmethod
    def vjp(ctx, g, needs):
        condition, shape_a, shape_b = ctx
        return (
            sum_to(np.where(condition, g, 0), shape_a) if needs[0] else None,
            sum_to(np.where(condition, 0, g), shape_b) if needs[1] else None,
        )

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        condition, shape_a, shape_b = ctx
        zero = zero_like(g)
        return (
            sum_to_tensor(WhereOp.apply(g, zero, condition=condition), shape_a) if needs[0] else None,
            sum_to_tensor(WhereOp.apply(zero, g, condition=condition), shape_b) if needs[1] else None,
        )


# -- elementwise functions ------------------------------------------------------------------------


class SignOp(StepOp):
    """-1, 0 or 1 by the sign of a (NaN stays NaN); its derivative is 0 wherever it exists.

    The vjps are the step's (zeros): PyTorch's sign also passes a zero gradient.
    """

    name = "sign"

    @staticmethod
    def forward(a):
        return np.sign(a), a.shape


def _periodic_input(name: str, a: np.ndarray) -> np.ndarray:
    """``a``, or a ValueError naming the first infinite element: sin and cos of ±inf are undefined.

    A domain error raises, as log of a negative number does (PyTorch gives NaN), and as
    ``Value.sin`` does.
    """
    infinite = np.isinf(a)
    if infinite.any():
        index = first_index(infinite)
        raise ValueError(
            f"{name}: the input is infinite at index {index} ({a[index].item()!r}); {name}(±inf) is undefined"
        )
    return a


class SinOp(Function):
    """sin a; vjp: g·cos a.  sin(±inf) raises ``ValueError``."""

    name = "sin"

    @staticmethod
    def forward(a):
        return as_array(np.sin(_periodic_input("sin", a))), a

    @staticmethod
    def vjp(a, g, needs):
        return (g * np.cos(a),)

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g * inputs[0].cos(),)


class CosOp(Function):
    """cos a; vjp: -g·sin a.  cos(±inf) raises ``ValueError``."""

    name = "cos"

    @staticmethod
    def forward(a):
        return as_array(np.cos(_periodic_input("cos", a))), a

    @staticmethod
    def vjp(a, g, needs):
        return (g * -np.sin(a),)

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g * -inputs[0].sin(),)


class ErfOp(Function):
    """The error function erf a = (2/√π) ∫₀ᵃ e^(-t²) dt; vjp: g·(2/√π) e^(-a²)."""

    name = "erf"

    @staticmethod
    def forward(a):
        return erf(a), a

    @staticmethod
    def vjp(a, g, needs):
        return (g * (TWO_OVER_SQRT_PI * np.exp(-(a * a))),)

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        x = inputs[0]
        return (g * ((-(x * x)).exp() * TWO_OVER_SQRT_PI),)
