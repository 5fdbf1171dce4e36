"""Losses on Tensors; :mod:`autograd_nn.losses` hands its Tensor calls to these.

The cross-entropies follow ``torch.nn.functional``: the same keywords (``reduction``,
``label_smoothing``, ``ignore_index``, ``weight``, ``pos_weight``) and the same numbers.  The
default softmax cross-entropy is one fused node whose forward is written the stable way and whose
backward is the short closed form softmax − one-hot; its other forms are composed from
``log_softmax``.  The binary cross-entropies are one node each, differentiated with respect to the
outputs and the targets.  The squared errors and the hinge are composed from tensor operations.
A loss is a 0-d Tensor (``reduction="mean"``, the default, or ``"sum"``), or the loss of each
element (``reduction="none"``, where a loss has the keyword); ``l2`` is the lecture's ½Σ, a sum.

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

import math
import numbers

import numpy as np

from .tensor._arrays import first_index
from .tensor.activations import softplus
from .tensor.functions import Function, _sigmoid, sum_to, sum_to_tensor
from .tensor.shapes import ScatterOp
from .tensor.tensor import Tensor, _as_tensor
from .value import Value

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
    "l2",
    "mse",
    "nll_loss",
]

# -- the binary cross-entropy, element by element: one rule for both engines ---------------------
# These functions take numpy arrays or floats.  The scalar losses (autograd_nn.losses) import them
# from here, so Value and Tensor give the same loss and gradient at p = 0 and 1 and at infinite
# logits: what PyTorch gives, made finite where PyTorch's is not.

# log p is clamped here where p underflows, as torch.nn.BCELoss does: a finite loss at p = 0 and 1.
_LOG_FLOOR = -100.0
# The floor of p (1 − p) in torch's derivative (p − t) / (p (1 − p)): its EPSILON, a float32
# constant even in float64 arithmetic (9.99999996e-13, not 1e-12), so the gradient at p = 0, t = 1
# is −1.000000004e12 in float64, as torch's.
_BCE_EPS = float(np.float32(1e-12))


def _clamped_logs(p):
    """log p and log(1 − p), each at least −100."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), _LOG_FLOOR), np.maximum(np.log1p(-p), _LOG_FLOOR)


def _bce(p, t):
    """−[t log p + (1 − t) log(1 − p)] with clamped logs, in torch's order of operations."""
    log_p, log_q = _clamped_logs(p)
    return (t - 1) * log_q - t * log_p


def _bce_grad_outputs(p, t):
    """d/dp: torch's (p − t) / max(p (1 − p), ε), finite at p = 0 and 1 (0 where p = t)."""
    return (p - t) / np.maximum((1 - p) * p, _BCE_EPS)


def _bce_grad_targets(p):
    """d/dt: log(1 − p) − log p with the loss's clamp (torch's −logit(p) is ±inf at p = 0, 1)."""
    log_p, log_q = _clamped_logs(p)
    return log_q - log_p


def _where_infinite(z, finite, infinite):
    """``finite``, with ``infinite()`` (called only if needed) where the logits ``z`` are ±inf."""
    inf = np.isinf(z)
    if not inf.any():
        return finite
    return np.where(inf, infinite(), finite).astype(np.result_type(finite), copy=False)  # float32 stays


def _bce_logits(z, t, pos_weight=None):
    """Torch's (1 − t) z + (1 + (w − 1) t) softplus(−z), w the pos_weight.

    At z = ±inf it is the loss of σ(z) = 1 or 0 under the clamp, as torch's
    ``binary_cross_entropy(sigmoid(z), t)``: (1 − t)·100 at +inf, w t·100 at −inf (torch's own
    gives nan or inf there).
    """
    log_weight = 1 if pos_weight is None else (pos_weight - 1) * t + 1
    with np.errstate(invalid="ignore"):  # 0 · inf at infinite logits, replaced below
        loss = (1 - t) * z + log_weight * softplus(-z)
    positive = t if pos_weight is None else pos_weight * t
    return _where_infinite(z, loss, lambda: -_LOG_FLOOR * np.where(z > 0, 1 - t, positive))


def _bce_logits_grad_logits(z, t, pos_weight=None):
    """d/dz: σ(z) − t, or (1 + (w − 1) t) σ(z) − w t; 0 at z = ±inf, where the loss is flat."""
    s = _sigmoid(z)
    d = s - t if pos_weight is None else (pos_weight * t + 1 - t) * s - pos_weight * t
    return _where_infinite(z, d, lambda: 0.0)


def _bce_logits_grad_targets(z, pos_weight=None):
    """d/dt: −z, or w softplus(−z) − softplus(z); −100 at z = +inf, w·100 at −inf (the clamp)."""
    d = -z if pos_weight is None else pos_weight * softplus(-z) - softplus(z)
    positive = 1.0 if pos_weight is None else pos_weight
    return _where_infinite(z, d, lambda: -_LOG_FLOOR * np.where(z > 0, -1.0, positive))


# -- checks and reductions -----------------------------------------------------------------------

_REDUCTIONS = ("mean", "sum", "none")


def _check_tensor(x, name: str) -> Tensor:
    if isinstance(x, Value):
        raise TypeError(f"{name}: cannot mix a Value and a Tensor in one loss; use one engine")
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}: outputs must be a Tensor, got {type(x).__name__}")
    return x


def _check_reduction(reduction, name: str) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


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


def _constant_weight(weight, outputs: Tensor, name: str, what: str):
    """``weight`` (or ``pos_weight``) as an array of the outputs' dtype that broadcasts to their shape.

    As in PyTorch the loss is not differentiated with respect to it, so a Tensor that requires
    grad is refused rather than silently left without a gradient.
    """
    if weight is None:
        return None
    if isinstance(weight, Tensor):
        if weight.requires_grad:
            raise ValueError(f"{name}: {what} cannot require grad (the loss is not differentiated in it)")
        weight = weight.data
    if isinstance(weight, Value) or not isinstance(weight, (numbers.Real, list, tuple, np.ndarray)):
        kind = type(weight).__name__
        raise TypeError(f"{name}: {what} must be a number, list, array or Tensor, got {kind}")
    w = np.asarray(weight, dtype=outputs.data.dtype)
    try:
        fits = np.broadcast_shapes(w.shape, outputs.shape) == outputs.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{name}: {what} of shape {w.shape} does not broadcast to the outputs' shape {outputs.shape}"
        )
    return w


def _reduced(terms: np.ndarray, weight, reduction: str, dtype) -> np.ndarray:
    """The elementwise losses times ``weight``, then their mean, sum, or themselves ("none")."""
    if weight is not None:
        terms = terms * weight
    if reduction == "none":
        return terms.astype(dtype, copy=False)
    total = np.add.reduce(terms, axis=None)
    return np.asarray(total / terms.size if reduction == "mean" else total, dtype=dtype)


def _spread(g, local, weight, reduction: str, size: int):
    """One operand's gradient: g · local · weight, over the number of elements for a mean.

    ``g`` and ``local`` are arrays (``vjp``) or Tensors (``vjp_tensor``); torch's order of
    operations.
    """
    d = g * local
    if weight is not None:
        d = d * weight
    return d / size if reduction == "mean" else d


def _mean_of(total: Tensor, count: int) -> Tensor:
    """total / count; NaN with no gradient (as torch's 0 / 0) when nothing was counted."""
    return total / count if count else total * 0.0 + np.nan


# -- softmax cross-entropy and the negative log-likelihood ---------------------------------------


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


def cross_entropy(logits, targets, reduction="mean", label_smoothing=0.0, ignore_index=-100) -> Tensor:
    """Softmax cross-entropy of ``logits`` (N, C), as ``torch.nn.functional.cross_entropy``.

    ``targets`` are N integer classes, or class probabilities of the logits' shape (floats).  A
    single sample may be given as logits of shape (C,) and one int (or C probabilities).

    * ``reduction``: ``"mean"`` over the samples (over those not ignored), ``"sum"``, or
      ``"none"`` (the loss of each sample, 0 for an ignored one).
    * ``label_smoothing`` ε in [0, 1]: the target becomes (1 − ε) onehot + ε / C.
    * ``ignore_index``: samples whose target is this class count for nothing, not even in the
      mean (every one ignored: a NaN mean, as torch); class-index targets only.

    The default call is one node (op ``"cross_entropy"``) for softmax and negative log-likelihood
    together: stable for logits of 1e4, its gradient (softmax(z) − onehot(t)) / N.  The other
    forms are composed from ``log_softmax``.  Integer logits (constants: they cannot require
    grad) are cast to float64.

    Raises:
        ValueError: naming both lengths when there are not N targets, the first target outside
            ``0 .. C-1`` (and not ``ignore_index``), both shapes for probability targets of
            another shape than the logits, for a ``reduction`` not in ``"mean"``, ``"sum"``,
            ``"none"``, and for ``label_smoothing`` outside [0, 1].
        TypeError: for targets neither integer classes nor probabilities.

    Example:
        >>> from autograd_nn import Tensor
        >>> cross_entropy(Tensor([[1e4, 0.0]]), [0]).item()
        0.0
        >>> z = Tensor([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
        >>> cross_entropy(z, [0, 1, -100], reduction="none").data.round(4).tolist()
        [0.1269, 0.1269, 0.0]
        >>> round(cross_entropy(z, [0, 1, 0], label_smoothing=0.2).item(), 4)
        0.449
        >>> round(cross_entropy(z, [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]).item(), 4)
        0.3157
    """
    # (Type checks spelled out before the calls that report them: this is every classifier's
    # hot path, once per batch.)
    z = logits if type(logits) is Tensor else _check_tensor(logits, "cross_entropy")
    if type(targets) is np.ndarray:
        t = targets
    else:
        t = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    if reduction != "mean":
        _check_reduction(reduction, "cross_entropy")
    if label_smoothing != 0.0:
        _check_label_smoothing(label_smoothing)
    if t.dtype.kind == "f":
        return _cross_entropy_probabilities(z, targets, t.shape, reduction, label_smoothing, ignore_index)
    z, t, single = _class_rows(z, t, "cross_entropy", "logits")
    ignored = _ignored(t, ignore_index, z.data.shape[1], "cross_entropy")
    if ignored is None and reduction == "mean" and not label_smoothing:
        try:
            return CrossEntropyOp.apply(z, targets=t)
        except IndexError:
            _check_targets(t, z.data.shape[1], None, "cross_entropy")
            raise
    _check_targets(t, z.data.shape[1], ignored, "cross_entropy")
    logp = z.log_softmax(axis=1)
    loss, rows = _nll(logp, t, ignored, reduction)
    if label_smoothing:
        # torch's form: (1 − ε) nll + ε/C · Σ_c −log p_c, each reduced over the kept samples.
        smooth = _per_sample(-logp[rows].sum(axis=1), rows, len(t), reduction)
        loss = (1 - label_smoothing) * loss + smooth * (label_smoothing / z.data.shape[1])
    return loss.reshape(()) if single and reduction == "none" else loss


def nll_loss(log_probs, targets, reduction="mean", ignore_index=-100) -> Tensor:
    """Negative log-likelihood −log_probs[i, t_i] of integer classes, as ``torch.nn.functional.nll_loss``.

    ``log_probs`` (N, C) are log-probabilities, usually ``z.log_softmax(axis=1)``;
    ``cross_entropy(z, t)`` is ``nll_loss(z.log_softmax(axis=1), t)`` in one node.  ``reduction``
    and ``ignore_index`` as for :func:`cross_entropy`; one sample may be given as (C,) and one int.

    Example:
        >>> from autograd_nn import Tensor
        >>> x = Tensor([[-0.1, -2.4], [-1.6, -0.2], [-0.7, -0.7]], requires_grad=True)
        >>> loss = nll_loss(x, [0, 1, -100]); loss.backward()
        >>> round(loss.item(), 4), x.grad.tolist()
        (0.15, [[-0.5, 0.0], [0.0, -0.5], [0.0, 0.0]])
    """
    x = log_probs if type(log_probs) is Tensor else _check_tensor(log_probs, "nll_loss")
    _check_reduction(reduction, "nll_loss")
    t = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    x, t, single = _class_rows(x, t, "nll_loss", "log-probabilities")
    ignored = _ignored(t, ignore_index, x.data.shape[1], "nll_loss")
    _check_targets(t, x.data.shape[1], ignored, "nll_loss")
    loss, _ = _nll(x, t, ignored, reduction)
    return loss.reshape(()) if single and reduction == "none" else loss


def _check_label_smoothing(label_smoothing) -> None:
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, numbers.Real):
        kind = type(label_smoothing).__name__
        raise TypeError(f"cross_entropy: label_smoothing must be a number, got {kind}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing!r}")


def _class_rows(x: Tensor, t: np.ndarray, name: str, what: str) -> tuple:
    """Scores (N, C) as float and targets (N,) as integer classes, and whether it was one sample."""
    single = x.data.ndim == 1
    if single:
        if t.ndim != 0:
            raise ValueError(f"{name}: {what} of shape {x.shape} are one sample; give one int target")
        x = x.reshape(1, -1)
        t = t.reshape(1)
    if x.data.ndim != 2:
        raise ValueError(f"{name}: {what} must have shape (N, C) or (C,), got {x.shape}")
    if x.data.dtype.kind != "f":
        x = _float_outputs(x)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: targets must be integer class indices, got dtype {t.dtype}")
    n = x.data.shape[0]
    if t.shape != (n,):
        raise ValueError(f"{name}: {n} rows of {what} but targets of shape {t.shape}; give {n} class indices")
    return x, t, single


def _ignored(t: np.ndarray, ignore_index, classes: int, name: str):
    """The mask of the targets equal to ``ignore_index``, or None when there is none.

    Only looked for when it can be there: the default −100 only among negative targets, which one
    cheap reduction finds (a negative target that is not ignored is an error).
    """
    exact_int = type(ignore_index) is int  # the common case, checked first: this runs once per batch
    if not exact_int and (isinstance(ignore_index, bool) or not isinstance(ignore_index, np.integer)):
        raise TypeError(f"{name}: ignore_index must be an int, got {type(ignore_index).__name__}")
    negative = len(t) and t.dtype.kind == "i" and np.minimum.reduce(t) < 0
    if not negative and ignore_index < 0:
        return None
    ignored = t == ignore_index
    if ignored.any():
        return ignored
    if negative:
        _check_targets(t, classes, None, name)
    return None


def _check_targets(t: np.ndarray, classes: int, ignored, name: str) -> None:
    """A ValueError naming the first target outside 0 .. C-1 that is not ignored, if there is one."""
    bad = (t < 0) | (t >= classes)
    if ignored is not None:
        bad &= ~ignored
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: target {i} is {int(t[i])}, outside the classes 0 .. {classes - 1}")


def _nll(log_probs: Tensor, t: np.ndarray, ignored, reduction: str) -> tuple:
    """−log_probs[i, t_i] of the samples not ignored, reduced; and the rows of those samples."""
    rows = np.arange(len(t)) if ignored is None else np.flatnonzero(~ignored)
    return _per_sample(-log_probs[rows, t[rows]], rows, len(t), reduction), rows


def _per_sample(losses: Tensor, rows: np.ndarray, n: int, reduction: str) -> Tensor:
    """The losses of the kept ``rows`` of n samples: their mean or sum, or all n (0 where ignored)."""
    if reduction == "none":
        return losses if len(rows) == n else ScatterOp.apply(losses, index=rows, shape=(n,))
    total = losses.sum()
    return total if reduction == "sum" else _mean_of(total, len(rows))


def _cross_entropy_probabilities(z, targets, shape, reduction, label_smoothing, ignore_index) -> Tensor:
    """Cross-entropy against class probabilities, torch's −Σ_c y_c log softmax(z)_c, mean over N."""
    if ignore_index != -100:
        raise ValueError("cross_entropy: ignore_index is for class-index targets, not probabilities")
    if z.data.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must have shape (N, C) or (C,), got {z.shape}")
    if shape != z.shape:
        if z.data.ndim == 2 and shape == (z.shape[0],):
            raise TypeError(
                f"cross_entropy: targets must be integer class indices, got floats of shape {shape} "
                f"(class probabilities would have the logits' shape {z.shape})"
            )
        raise ValueError(
            f"cross_entropy: probability targets of shape {shape} do not match the logits' shape {z.shape}"
        )
    z = _float_outputs(z)
    y = _targets_like(z, targets, "cross_entropy")
    classes = z.shape[-1]
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / classes
    terms = z.log_softmax(axis=-1) * y
    if reduction == "none":
        return -terms.sum(axis=-1)
    total = -terms.sum()
    return total if reduction == "sum" else _mean_of(total, z.data.size // max(classes, 1))


# -- binary cross-entropies --------------------------------------------------------------------


class BinaryCrossEntropyOp(Function):
    """−weight·[t log p + (1 − t) log(1 − p)], logs clamped at −100, reduced: torch's BCELoss.

    Operands p and t: the loss is differentiated with respect to both, as torch does.
    """

    name = "binary_cross_entropy"

    @staticmethod
    def forward(p, t, weight, reduction):
        return _reduced(_bce(p, t), weight, reduction, p.dtype), (p, t, weight, reduction)

    @staticmethod
    def vjp(ctx, g, needs):
        p, t, weight, reduction = ctx
        dp = _spread(g, _bce_grad_outputs(p, t), weight, reduction, p.size) if needs[0] else None
        dt = None
        if needs[1]:
            dt = sum_to(_spread(g, _bce_grad_targets(p), weight, reduction, p.size), t.shape)
        return dp, dt

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        p, t, weight, reduction = ctx
        tp, tt = inputs
        dp = dt = None
        if needs[0]:
            # clip, not maximum: the same floor, and its derivative passes where it does not bite.
            local = (tp - tt) / (tp * (1 - tp)).clip(low=_BCE_EPS)
            dp = _spread(g, local, weight, reduction, p.size)
        if needs[1]:
            local = _clamped_log_tensor(1 - tp) - _clamped_log_tensor(tp)
            dt = sum_to_tensor(_spread(g, local, weight, reduction, p.size), t.shape)
        return dp, dt


def _clamped_log_tensor(x: Tensor) -> Tensor:
    """max(log x, −100) from Tensor ops: x is first raised to the least positive number, so the
    log (and its derivative) stay finite at 0; the outer clip is the clamp."""
    return x.clip(low=np.finfo(x.dtype).smallest_subnormal).log().clip(low=_LOG_FLOOR)


def binary_cross_entropy(outputs, targets, weight=None, reduction="mean") -> Tensor:
    """Binary cross-entropy of probabilities in [0, 1], as ``torch.nn.functional.binary_cross_entropy``.

    log p is clamped at −100 where p underflows (as PyTorch), so a saturated output gives a large
    finite loss, and the gradient is torch's (p − t) / max(p (1 − p), 1e-12): finite at p = 0 and
    1 too.  Targets that require grad get their gradient log(1 − p) − log p (clamped alike: ±100
    at p = 0, 1, where torch's is infinite).  ``weight`` (broadcast to the outputs, a constant)
    scales each element's loss; ``reduction`` is ``"mean"``, ``"sum"`` or ``"none"``.  With
    logits at hand prefer :func:`binary_cross_entropy_with_logits`.  Integer outputs (constants)
    are cast to float64.

    Example:
        >>> from autograd_nn import Tensor
        >>> round(binary_cross_entropy(Tensor([0.9, 0.2]), [1.0, 0.0]).item(), 6)
        0.164252
        >>> p = Tensor([0.0, 1.0], requires_grad=True)
        >>> loss = binary_cross_entropy(p, [1.0, 1.0], reduction="sum"); loss.backward()
        >>> loss.item(), p.grad.tolist()
        (100.0, [-1000000003995.8029, 0.0])
    """
    p = _float_outputs(_check_tensor(outputs, "binary_cross_entropy"))
    _check_reduction(reduction, "binary_cross_entropy")
    t = _targets_like(p, targets, "binary_cross_entropy")
    w = _constant_weight(weight, p, "binary_cross_entropy", "weight")
    bad = (p.data < 0) | (p.data > 1) | np.isnan(p.data)
    if bad.any():
        index = first_index(bad)
        raise ValueError(
            f"binary_cross_entropy: outputs must be probabilities in [0, 1], got {p.data[index].item()!r} "
            f"at index {index} (for raw scores use binary_cross_entropy_with_logits)"
        )
    return BinaryCrossEntropyOp.apply(p, t, weight=w, reduction=reduction)


class BinaryCrossEntropyWithLogitsOp(Function):
    """Torch's BCEWithLogitsLoss: the BCE of σ(z) from the logits, with e never raised above 0.

    Operands z and t (both differentiated, as torch does); ``weight`` and ``pos_weight`` are
    constants.  At z = ±inf the loss is that of σ(z) under the clamp, with gradient 0 in z.
    """

    name = "binary_cross_entropy_with_logits"

    @staticmethod
    def forward(z, t, weight, pos_weight, reduction):
        loss = _reduced(_bce_logits(z, t, pos_weight), weight, reduction, z.dtype)
        return loss, (z, t, weight, pos_weight, reduction)

    @staticmethod
    def vjp(ctx, g, needs):
        z, t, weight, pos_weight, reduction = ctx
        dz = dt = None
        if needs[0]:
            dz = _spread(g, _bce_logits_grad_logits(z, t, pos_weight), weight, reduction, z.size)
        if needs[1]:
            local = _bce_logits_grad_targets(z, pos_weight)
            dt = sum_to(_spread(g, local, weight, reduction, z.size), t.shape)
        return dz, dt

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        z, t, weight, pos_weight, reduction = ctx
        tz, tt = inputs
        inf = np.isinf(z)
        inf = inf if inf.any() else None
        dz = dt = None
        if needs[0]:
            s = tz.sigmoid()
            local = s - tt if pos_weight is None else (pos_weight * tt + 1 - tt) * s - pos_weight * tt
            if inf is not None:
                local = local * ~inf  # flat at infinite logits
            dz = _spread(g, local, weight, reduction, z.size)
        if needs[1]:
            local = _bce_logits_grad_targets_tensor(tz, inf, pos_weight)
            if inf is not None:
                local = local + np.where(inf, _bce_logits_grad_targets(z, pos_weight), 0.0)
            dt = sum_to_tensor(_spread(g, local, weight, reduction, z.size), t.shape)
        return dz, dt


def _bce_logits_grad_targets_tensor(z: Tensor, inf, pos_weight) -> Tensor:
    """d/dt of the logits BCE from Tensor ops, 0 where ``inf`` (those values are added as constants)."""
    if inf is not None:
        # Infinite logits become 0 without a NaN: clipped to the largest float, then times 0.
        big = np.finfo(z.dtype).max
        z = z.clip(-big, big) * ~inf
    if pos_weight is None:
        return -z
    # No threshold: the exact log(1 + e^x) everywhere, so its slope σ(x) is smooth.
    return pos_weight * (-z).softplus(threshold=math.inf) - z.softplus(threshold=math.inf)


def binary_cross_entropy_with_logits(
    logits, targets, weight=None, reduction="mean", pos_weight=None
) -> Tensor:
    """Binary cross-entropy of sigmoid(logits), as ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Exact for logits of any size; the gradient is σ(z) − t.  ``pos_weight`` w (a constant that
    broadcasts to the logits, usually one per class: the last axis) weighs the positive term,
    −[w t log σ(z) + (1 − t) log(1 − σ(z))], to trade recall against precision; ``weight`` scales
    each element's loss; ``reduction`` is ``"mean"``, ``"sum"`` or ``"none"``.  Targets that
    require grad get their gradient (−z without pos_weight).  Logits ±inf give the loss of σ(z)
    = 1 or 0 with the log clamped at −100, as :func:`binary_cross_entropy`, and gradient 0 (torch
    gives nan or inf there).  Integer logits (constants) are cast to float64.

    Example:
        >>> from autograd_nn import Tensor
        >>> z = Tensor([0.0, 1000.0], requires_grad=True)
        >>> loss = binary_cross_entropy_with_logits(z, [1.0, 0.0]); loss.backward()
        >>> round(loss.item(), 4), z.grad.tolist()
        (500.3466, [-0.25, 0.5])
        >>> loss = binary_cross_entropy_with_logits(Tensor([0.0, 0.0]), [1.0, 0.0], pos_weight=[3.0])
        >>> round(loss.item(), 4)                  # (3 log 2 + log 2) / 2
        1.3863
    """
    z = _float_outputs(_check_tensor(logits, "binary_cross_entropy_with_logits"))
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    t = _targets_like(z, targets, "binary_cross_entropy_with_logits")
    w = _constant_weight(weight, z, "binary_cross_entropy_with_logits", "weight")
    pw = _constant_weight(pos_weight, z, "binary_cross_entropy_with_logits", "pos_weight")
    return BinaryCrossEntropyWithLogitsOp.apply(z, t, weight=w, pos_weight=pw, reduction=reduction)


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
