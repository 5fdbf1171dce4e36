"""Losses on Tensors; :mod:`autograd_nn.losses` hands its Tensor calls to these.

The cross-entropies are fused: one node each, whose forward is written the stable way and whose
backward is the short closed form (softmax − one-hot for softmax cross-entropy, σ(z) − t from
logits).  The squared errors and the hinge are composed from tensor operations.  Every loss
returns a 0-d Tensor: the mean over the batch (``l2`` is the lecture's ½Σ, a sum).

Example:
    >>> import numpy as np
    >>> from autograd_nn import Tensor
    >>> from autograd_nn.tensor_losses import cross_entropy
    >>> z = Tensor(np.zeros((2, 4)), requires_grad=True)
    >>> loss = cross_entropy(z, [0, 3]); loss.backward()
    >>> round(loss.item(), 6), z.grad[0].tolist()
    (1.386294, [-0.375, 0.125, 0.125, 0.125])
"""

from __future__ import annotations

import numpy as np

from .tensor._arrays import first_index
from .tensor.functions import Function, _sigmoid
from .tensor.tensor import Tensor, _as_tensor
from .value import Value

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
    "l2",
    "mse",
]

# log p is clamped here where p underflows, as torch.nn.BCELoss does.  The one definition: the
# scalar losses (autograd_nn.losses) import it from here.
_LOG_FLOOR = -100.0


def _check_tensor(x, name: str) -> Tensor:
    if isinstance(x, Value):
        raise TypeError(f"{name}: cannot mix a Value and a Tensor in one loss; use one engine")
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}: outputs must be a Tensor, got {type(x).__name__}")
    return x


def _targets_like(outputs: Tensor, targets, name: str) -> Tensor:
    """Targets as a Tensor of the outputs' shape (a number is broadcast), or a ValueError."""
    t = _as_tensor(targets, name)
    dtype = outputs.data.dtype
    if not t.requires_grad and t.data.dtype != dtype and dtype.kind == "f":
        t = Tensor(t.data.astype(dtype))  # plain targets take the outputs' dtype: float32 stays float32
    if t.data.ndim == 0:
        return t
    if t.shape != outputs.shape:
        raise ValueError(
            f"{name}: outputs have shape {outputs.shape} but targets {t.shape}; they must match "
            "(reshape one of them: broadcasting here would silently compare every pair)"
        )
    return t


def _float_outputs(x: Tensor) -> Tensor:
    """``x`` itself, or integer (or bool) outputs as float64: they are constants, and their loss a float."""
    if x.data.dtype.kind != "f":
        return Tensor(x.data.astype(np.float64))
    return x


# -- softmax cross-entropy -----------------------------------------------------------------------


class CrossEntropyOp(Function):
    """Mean over the batch of −log softmax(z)[t]: log-sum-exp forward, (softmax − onehot)/N back."""

    name = "cross_entropy"

    @staticmethod
    def forward(z, targets):
        n = z.shape[0]
        rows = np.arange(n)
        # The largest logit of each row becomes 0, so exp cannot overflow.  (The ufunc reductions
        # skip ndarray.max/sum's Python wrappers: this is the hot path of every classifier.)
        shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)
        picked = shifted[rows, targets]
        e = np.exp(shifted, out=shifted)
        total = np.add.reduce(e, axis=1)
        loss = np.add.reduce(np.log(total) - picked) / n
        e /= total[:, None]  # now the softmax probabilities, all backward needs
        return np.asarray(loss, dtype=z.dtype), (e, rows, targets)

    @staticmethod
    def vjp(ctx, g, needs):
        p, rows, targets = ctx
        scale = float(g) / len(rows)  # a Python float keeps float32 arrays float32
        d = p * scale
        d[rows, targets] -= scale
        return (d,)

    @staticmethod
    def vjp_into(ctx, g, needs, g_is_free):
        # The graph is being freed: the saved probabilities become the gradient in place.
        p, rows, targets = ctx
        scale = float(g) / len(rows)
        p *= scale
        p[rows, targets] -= scale
        return (p,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        # softmax(z) recomputed as a Tensor op, so the gradient is a graph in z (and in g).
        p, rows, targets = ctx
        onehot = np.zeros(p.shape, dtype=p.dtype)
        onehot[rows, targets] = 1.0
        return ((inputs[0].softmax(axis=1) - onehot) * (g / len(rows)),)


def cross_entropy(logits, targets) -> Tensor:
    """Softmax cross-entropy of ``logits`` (N, C) against integer classes (N,), mean over N.

    One node (op ``"cross_entropy"``) for softmax and negative log-likelihood together: stable
    for logits of 1e4, and its gradient is (softmax(z) − onehot(t)) / N.  A single sample may be
    given as logits of shape (C,) and one int.  Integer logits (constants: they cannot require
    grad) are cast to float64.

    Raises:
        ValueError: naming both lengths when there are not N targets, or the first target
            outside ``0 .. C-1``.
        TypeError: for non-integer targets.

    Example:
        >>> from autograd_nn import Tensor
        >>> cross_entropy(Tensor([[1e4, 0.0]]), [0]).item()
        0.0
    """
    # (Type checks spelled out before the calls that report them: this is every classifier's
    # hot path, once per batch.)
    z = logits if type(logits) is Tensor else _check_tensor(logits, "cross_entropy")
    if type(targets) is np.ndarray:
        t = targets
    else:
        t = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    if z.data.ndim == 1:
        if t.ndim != 0:
            raise ValueError(
                f"cross_entropy: logits of shape {z.shape} are one sample; give one int target"
            )
        z = z.reshape(1, -1)
        t = t.reshape(1)
    if z.data.ndim != 2:
        raise ValueError(f"cross_entropy: logits must have shape (N, C) or (C,), got {z.shape}")
    if z.data.dtype.kind != "f":
        z = _float_outputs(z)
    if t.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: targets must be integer class indices, got dtype {t.dtype}")
    n, classes = z.data.shape
    if t.shape != (n,):
        raise ValueError(
            f"cross_entropy: {n} rows of logits but targets of shape {t.shape}; give {n} class indices"
        )
    # Negative indices would silently count from the end; too large ones make the forward's
    # indexing raise, which is caught below.  One cheap reduction on the hot path, no more.
    if n and t.dtype.kind == "i" and np.minimum.reduce(t) < 0:
        _target_error(t, classes)
    try:
        return CrossEntropyOp.apply(z, targets=t)
    except IndexError:
        _target_error(t, classes)


def _target_error(t: np.ndarray, classes: int):
    bad = int(np.argmax((t >= classes) | (t < 0)))
    raise ValueError(f"cross_entropy: target {bad} is {int(t[bad])}, outside the classes 0 .. {classes - 1}")


# -- binary cross-entropies --------------------------------------------------------------------


class BinaryCrossEntropyOp(Function):
    """Mean of −[t log p + (1 − t) log(1 − p)], logs clamped at −100 (torch's BCELoss)."""

    name = "binary_cross_entropy"

    @staticmethod
    def forward(p, t):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), _LOG_FLOOR)
            log_q = np.maximum(np.log1p(-p), _LOG_FLOOR)
        loss = -(t * log_p + (1 - t) * log_q).mean()
        return np.asarray(loss, dtype=p.dtype), (p, t)

    @staticmethod
    def vjp(ctx, g, needs):
        p, t = ctx
        # d/dp = (p − t) / (p (1 − p)); the denominator is kept from 0 as torch does (eps 1e-12).
        return (g * (p - t) / np.maximum(p * (1 - p), 1e-12) / p.size,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        p, t = ctx
        tp = inputs[0]
        # clip, not maximum: the same clamp, and its derivative passes where it does not bite.
        return (g * (tp - t) / (tp * (1 - tp)).clip(low=1e-12) / p.size,)


def binary_cross_entropy(outputs, targets) -> Tensor:
    """Binary cross-entropy of probabilities in [0, 1], mean over all elements.

    log p is clamped at −100 where p underflows (as PyTorch), so a saturated output gives a large
    finite loss.  With logits at hand prefer :func:`binary_cross_entropy_with_logits`.  Integer
    outputs (constants) are cast to float64.

    Example:
        >>> from autograd_nn import Tensor
        >>> round(binary_cross_entropy(Tensor([0.9, 0.2]), [1.0, 0.0]).item(), 6)
        0.164252
    """
    p = _float_outputs(_check_tensor(outputs, "binary_cross_entropy"))
    t = _targets_like(p, targets, "binary_cross_entropy").data
    bad = (p.data < 0) | (p.data > 1) | np.isnan(p.data)
    if bad.any():
        index = first_index(bad)
        raise ValueError(
            f"binary_cross_entropy: outputs must be probabilities in [0, 1], got {p.data[index].item()!r} "
            f"at index {index} (for raw scores use binary_cross_entropy_with_logits)"
        )
    return BinaryCrossEntropyOp.apply(p, t=t)


class BinaryCrossEntropyWithLogitsOp(Function):
    """Mean of max(z, 0) − z t + log(1 + e^−|z|): the BCE of σ(z), with e never raised above 0."""

    name = "binary_cross_entropy_with_logits"

    @staticmethod
    def forward(z, t):
        loss = (np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean()
        return np.asarray(loss, dtype=z.dtype), (z, t)

    @staticmethod
    def vjp(ctx, g, needs):
        z, t = ctx
        d = _sigmoid(z)  # a fresh array: the gradient (σ(z) − t) g / size is formed in place
        d -= t
        d *= float(g) / z.size  # a Python float keeps float32 arrays float32
        return (d,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        z, t = ctx
        return ((inputs[0].sigmoid() - t) * (g / z.size),)


def binary_cross_entropy_with_logits(logits, targets) -> Tensor:
    """Binary cross-entropy of sigmoid(logits), exact for logits of any size; gradient σ(z) − t.

    Integer logits (constants) are cast to float64.

    Example:
        >>> from autograd_nn import Tensor
        >>> z = Tensor([0.0, 1000.0], requires_grad=True)
        >>> loss = binary_cross_entropy_with_logits(z, [1.0, 0.0]); loss.backward()
        >>> round(loss.item(), 4), z.grad.tolist()
        (500.3466, [-0.25, 0.5])
    """
    z = _float_outputs(_check_tensor(logits, "binary_cross_entropy_with_logits"))
    t = _targets_like(z, targets, "binary_cross_entropy_with_logits").data
    return BinaryCrossEntropyWithLogitsOp.apply(z, t=t)


# -- composed losses -----------------------------------------------------------------------------


def mse(outputs, targets) -> Tensor:
    """Mean squared error, mean over all elements of (y − t)².

    Example:
        >>> from autograd_nn import Tensor
        >>> mse(Tensor([0.5, 1.0]), [1.0, 0.0]).item()
        0.625
    """
    y = _check_tensor(outputs, "mse")
    d = y - _targets_like(y, targets, "mse")
    return (d * d).mean()


def l2(outputs, targets) -> Tensor:
    """The lecture's error E = ½ Σ (t − y)² (a sum, not a mean), so dE/dy = −(t − y).

    Example:
        >>> from autograd_nn import Tensor
        >>> y = Tensor([0.76], requires_grad=True)
        >>> E = l2(y, [1.0]); E.backward()
        >>> round(E.item(), 4), y.grad.round(4).tolist()
        (0.0288, [-0.24])
    """
    y = _check_tensor(outputs, "l2")
    d = _targets_like(y, targets, "l2") - y
    return 0.5 * (d * d).sum()


def hinge(outputs, targets) -> Tensor:
    """Max-margin loss for labels ±1: mean of max(0, 1 − y t), as in micrograd's demo.

    Example:
        >>> from autograd_nn import Tensor
        >>> round(hinge(Tensor([2.0, 0.5, 0.3]), [1, 1, -1]).item(), 6)
        0.6
    """
    y = _check_tensor(outputs, "hinge")
    t = _targets_like(y, targets, "hinge")
    labels = t.data
    bad = (labels != 1) & (labels != -1)
    if bad.any():
        index = first_index(np.atleast_1d(bad))
        value = np.atleast_1d(labels)[index].item()
        raise ValueError(f"hinge: labels must be -1 or +1, target {index} is {value!r}")
    return (1 - y * t).relu().mean()
