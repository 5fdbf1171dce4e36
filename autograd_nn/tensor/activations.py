"""Activation functions of the tensor engine: softplus, logsigmoid, leaky ReLU, ELU, GELU, SiLU, hardtanh.

The same contract as :mod:`autograd_nn.tensor.functions` (``forward`` beside ``vjp`` and
``vjp_tensor``; :meth:`~autograd_nn.tensor.functions.Function.apply` runs them), reached through
Tensor's methods (``x.gelu()``).  Each follows PyTorch's definition, its rule at a kink and its
keyword names; each is exact and warning-free at any finite input (no e^x of a large x is ever
computed, not even in a branch ``np.where`` throws away).  ``softmin`` is ``softmax(-x)``, as
PyTorch's ``F.softmin`` is, so it has no op of its own.  Integer inputs give float64, as
``softmax`` does.

A derivative used by both ``vjp`` (on arrays) and ``vjp_tensor`` (on Tensors, for
``create_graph=True``) is written once, in arithmetic that both support (``_silu_slope``).

Example:
    >>> from autograd_nn import Tensor
    >>> from autograd_nn.tensor.activations import SoftplusOp
    >>> x = Tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    >>> y = SoftplusOp.apply(x, beta=1.0, threshold=20.0)   # what x.softplus() does
    >>> y.data.round(6).tolist(), y.op
    ([0.0, 0.693147, 1000.0], 'softplus')
"""

from __future__ import annotations

import numpy as np

from ..ops import GELU_BETA, GELU_KAPPA, INV_SQRT_2PI, SQRT_HALF, gelu_approximation
from ._arrays import as_array, floating
from ._coerce import real_number
from .elementwise import ErfOp, WhereOp, erf, zero_like
from .functions import Function, _sigmoid

__all__: list[str] = []


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) of every element, exact and warning-free at any x (the one formula of both
    the activation and the binary cross-entropy on logits).

    As max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows, and log1p keeps the digits of a
    tiny e^-|x| that log(1 + tiny) would round away.

    Example:
        >>> softplus(np.array([-1000.0, 0.0, 1000.0])).round(6).tolist()
        [0.0, 0.693147, 1000.0]
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


class SoftplusOp(Function):
    """log(1 + e^(βa)) / β, and a itself where βa > threshold (PyTorch's rule); vjp: g·σ(βa), or g."""

    name = "softplus"

    @staticmethod
    def forward(a, beta, threshold):
        beta, threshold = real_number(beta, "softplus: beta"), real_number(threshold, "softplus: threshold")
        if beta == 0.0:
            raise ValueError("softplus: beta must be nonzero (the result is divided by it)")
        a = floating(a)
        z = a * beta
        linear = z > threshold  # log(1 + e^z) = z to within e^-z there
        return np.where(linear, a, softplus(z) / beta), (z, linear, beta)

    @staticmethod
    def vjp(ctx, g, needs):
        z, linear, beta = ctx
        return (np.where(linear, g, g * _sigmoid(z)),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        z, linear, beta = ctx
        return (WhereOp.apply(g, g * (inputs[0] * beta).sigmoid(), condition=linear),)


class LogSigmoidOp(Function):
    """log σ(a) = -softplus(-a), exact at ±1000; vjp: g·σ(-a)."""

    name = "logsigmoid"

    @staticmethod
    def forward(a):
        a = floating(a)
        return as_array(0.0 - softplus(-a)), a  # 0 − x, not −x: log σ(1000) is 0, not −0

    @staticmethod
    def vjp(a, g, needs):
        return (g * _sigmoid(-a),)

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g * (-inputs[0]).sigmoid(),)


class LeakyReLUOp(Function):
    """a where a > 0, else negative_slope·a; vjp: g there, negative_slope·g elsewhere (at 0 too)."""

    name = "leaky_relu"

    @staticmethod
    def forward(a, negative_slope):
        slope = real_number(negative_slope, "leaky_relu: negative_slope")
        a = floating(a)
        positive = a > 0
        return np.where(positive, a, a * slope), (positive, slope)

    @staticmethod
    def vjp(ctx, g, needs):
        positive, slope = ctx
        return (np.where(positive, g, g * slope),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        positive, slope = ctx
        return (WhereOp.apply(g, g * slope, condition=positive),)


class ELUOp(Function):
    """a where a > 0, else α(e^a - 1); vjp: g there, g·α e^a elsewhere (α at 0, as PyTorch)."""

    name = "elu"

    @staticmethod
    def forward(a, alpha):
        alpha = real_number(alpha, "elu: alpha")
        a = floating(a)
        positive = a > 0
        # expm1 keeps the digits of e^a - 1 near 0; min(a, 0) keeps e^a of a large a from being
        # computed (and warning) in the branch that is thrown away.
        return np.where(positive, a, alpha * np.expm1(np.minimum(a, 0))), (a, positive, alpha)

    @staticmethod
    def vjp(ctx, g, needs):
        a, positive, alpha = ctx
        return (np.where(positive, g, g * (alpha * np.exp(np.minimum(a, 0)))),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        a, positive, alpha = ctx
        below = WhereOp.apply(zero_like(g), inputs[0], condition=positive)  # min(x, 0), x's slope below 0
        return (WhereOp.apply(g, g * (below.exp() * alpha), condition=positive),)


def _tanh_inner(x):
    """√(2/π) (x + 0.044715 x³), on arrays or Tensors."""
    return GELU_BETA * (x + GELU_KAPPA * x * x * x)


def _gelu_tanh_slope(x, t):
    """The derivative of ½x(1 + t), t = tanh(inner(x)), on arrays or Tensors."""
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (GELU_BETA * (1 + 3 * GELU_KAPPA * x * x))


def _gelu_slope(x, cdf, exp):
    """The derivative of x Φ(x): Φ(x) + x φ(x), with φ(x) = e^(-x²/2) / √(2π)."""
    return cdf + x * (exp(x * x * -0.5) * INV_SQRT_2PI)


class GELUOp(Function):
    """x Φ(x), Φ the standard normal CDF (``approximate="none"``), or PyTorch's tanh approximation.

    The exact form uses erf (see :func:`~autograd_nn.tensor.elementwise.erf`: ``math.erf`` per
    element: a GELU of a million elements takes about four times as long as the tanh form).
    """

    name = "gelu"

    @staticmethod
    def forward(a, approximate):
        a = floating(a)
        if gelu_approximation(approximate) == "tanh":
            # x³ overflows beyond |x| ~ 5e102, where tanh(±inf) = ±1 is the right limit.
            with np.errstate(over="ignore"):
                t = np.tanh(_tanh_inner(a))
            return 0.5 * a * (1 + t), (a, approximate, t)
        cdf = 0.5 * (1 + erf(a * SQRT_HALF))
        return a * cdf, (a, approximate, cdf)

    @staticmethod
    def vjp(ctx, g, needs):
        a, approximate, saved = ctx
        if approximate == "tanh":
            # beyond |x| ~ 1e154, x² is inf and the slope 0 · inf = nan, as in PyTorch
            with np.errstate(over="ignore", invalid="ignore"):
                return (g * _gelu_tanh_slope(a, saved),)
        with np.errstate(over="ignore"):  # x² of a huge x is inf, and e^-inf = 0 is right
            return (g * _gelu_slope(a, saved, np.exp),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        x, approximate = inputs[0], ctx[1]
        if approximate == "tanh":
            return (g * _gelu_tanh_slope(x, _tanh_inner(x).tanh()),)
        cdf = (ErfOp.apply(x * SQRT_HALF) + 1) * 0.5
        return (g * _gelu_slope(x, cdf, lambda t: t.exp()),)


def _silu_slope(x, s):
    """The derivative of x σ(x): σ (1 + x (1 - σ)), on arrays or Tensors."""
    return s * (1 + x * (1 - s))


class SiLUOp(Function):
    """x σ(x) (also called swish), exact at ±1000; vjp: g·σ(1 + x(1 - σ))."""

    name = "silu"

    @staticmethod
    def forward(a):
        a = floating(a)
        s = _sigmoid(a)
        return a * s, (a, s)

    @staticmethod
    def vjp(ctx, g, needs):
        a, s = ctx
        return (g * _silu_slope(a, s),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        x = inputs[0]
        return (g * _silu_slope(x, x.sigmoid()),)


class HardtanhOp(Function):
    """a limited to [min_val, max_val]; vjp: g strictly inside, 0 at and beyond the bounds (PyTorch's rule).

    Unlike ``clip``, whose gradient passes at the bounds, as ``torch.clamp``'s does.
    """

    name = "hardtanh"

    @staticmethod
    def forward(a, min_val, max_val):
        low, high = real_number(min_val, "hardtanh: min_val"), real_number(max_val, "hardtanh: max_val")
        if low > high:
            raise ValueError(f"hardtanh: min_val ({low!r}) cannot be greater than max_val ({high!r})")
        a = floating(a)
        # "outside" rather than "inside": a NaN input passes its gradient, as in PyTorch.
        outside = (a <= low) | (a >= high)
        return np.clip(a, low, high), outside

    @staticmethod
    def vjp(outside, g, needs):
        return (np.where(outside, 0, g),)

    @staticmethod
    def vjp_tensor(outside, g, needs, inputs, out):
        return (WhereOp.apply(zero_like(g), g, condition=outside),)
