"""Loss functions: the lecture's error ½Σ(t−y)², mse, binary and softmax cross-entropy, hinge.

Each function takes the model's ``outputs`` and the ``targets`` and returns one Value to call
``backward()`` on (the binary cross-entropies also take ``reduction="sum"``, or ``"none"`` for
the list of each element's loss).  On Values, ``outputs`` is a Value or a list of Values; nested
lists (what ``[model(x) for x in inputs]`` gives, one list per sample) are flattened, and so are
the targets, so ``l2([model(x) for x in xs], ys)`` works for one or many outputs.  Targets are numbers (or
Values).  When ``outputs`` is a ``Tensor`` the same name in :mod:`autograd_nn.tensor_losses` does
the work.

Example:
    >>> from autograd_nn import Value
    >>> from autograd_nn import losses
    >>> y = Value(0.76)
    >>> E = losses.l2(y, 1.0); E.backward()
    >>> round(E.data, 4), round(y.grad, 4)        # dE/dy = -(t - y)
    (0.0288, -0.24)
"""

from __future__ import annotations

import functools
import math
import numbers

from . import tensor_losses
from .tensor import Tensor

# The binary cross-entropy's rule at the edges (p = 0 or 1, infinite logits), defined once for both
# engines: there the Value losses take the Tensor losses' numbers.
from .tensor_losses import (
    _BCE_EPS,
    _bce,
    _bce_grad_outputs,
    _bce_grad_targets,
    _bce_logits,
    _bce_logits_grad_targets,
    _check_reduction,
)
from .value import Value


def _also_for_tensors(loss):
    """Hand a Tensor of outputs to the loss of the same name in :mod:`autograd_nn.tensor_losses`."""
    tensor_loss = getattr(tensor_losses, loss.__name__)

    @functools.wraps(loss)
    def dispatch(outputs, targets, **options):
        if isinstance(outputs, Tensor):
            return tensor_loss(outputs, targets, **options)
        return loss(outputs, targets, **options)

    return dispatch


def _flatten(x, what: str) -> list:
    """A Value, a number or (nested) lists of them, as one flat list."""
    if isinstance(x, Value) or _is_number(x):
        return [x]
    if isinstance(x, (str, bytes, dict)) or not hasattr(x, "__iter__"):
        raise TypeError(f"{what} must be a Value, a number or a list of them, got {type(x).__name__}")
    out = []
    stack = [iter(x)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, (list, tuple)) or (hasattr(item, "__iter__") and hasattr(item, "shape")):
                stack.append(iter(item))
                break
            if not isinstance(item, Value) and not _is_number(item):
                raise TypeError(f"{what} must hold Values or numbers, got {type(item).__name__}: {item!r}")
            out.append(item)
        else:
            stack.pop()
    return out


def _number(x) -> float:
    """The value of a Value, or the number itself."""
    return x.data if isinstance(x, Value) else x


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _pairs(outputs, targets, name: str) -> tuple[list, list]:
    ys = _flatten(outputs, f"{name}: outputs")
    ts = _flatten(targets, f"{name}: targets")
    if len(ys) != len(ts):
        raise ValueError(f"{name}: {len(ys)} outputs but {len(ts)} targets; they must be equally many")
    if not ys:
        raise ValueError(f"{name}: no outputs given")
    # Plain-number outputs become constant Values, so every loss can use Value's operations.
    return [y if isinstance(y, Value) else Value(y) for y in ys], [
        t if isinstance(t, Value) else float(t) for t in ts
    ]


def _mean(terms: list) -> Value:
    return terms[0] if len(terms) == 1 else Value.sum(terms) * (1.0 / len(terms))


def _reduce(terms: list, reduction: str):
    """The mean of the terms, their sum, or the list itself (``"none"``), as torch's ``reduction``."""
    if reduction == "mean":
        return _mean(terms)
    return Value.sum(terms) if reduction == "sum" else terms


def _per_element(weight, n: int, name: str, what: str) -> list:
    """``weight`` (a number, or one number per output) as n floats; None stays None."""
    if weight is None:
        return None
    ws = _flatten(weight, f"{name}: {what}")
    if len(ws) == 1:
        ws = ws * n
    if len(ws) != n:
        raise ValueError(f"{name}: {n} outputs but {len(ws)} values of {what}; give one or {n}")
    if any(isinstance(w, Value) for w in ws):
        raise TypeError(f"{name}: {what} must be numbers (the loss is not differentiated in it)")
    return [float(w) for w in ws]


def _linearised(value: float, slopes) -> Value:
    """A node worth ``value`` whose derivative in each Value x of ``(x, slope)`` is that slope.

    For the edges of the binary cross-entropies, where the loss and gradient are the Tensor
    losses' numbers (torch's rule, not the derivative of a formula): a first-order expansion, so
    its second derivatives there are 0.
    """
    return Value.sum([(x - x.data) * slope for x, slope in slopes if isinstance(x, Value)], value)


@_also_for_tensors
def l2(outputs, targets) -> Value:
    """The lecture's error E = ½ Σ_j (t_j − y_j)², so that dE/dy_j = −(t_j − y_j).

    Its nodes are labelled as the lecture writes them (``t - y``, ``(t - y)^2``, and ``E``), so
    the end of a computation graph reads as the slide's error.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import l2
        >>> E = l2([Value(0.5), Value(1.0)], [1.0, 0.0])
        >>> E.data, E.label, E.parents[0].label
        (0.625, 'E', 'Σ (t_j - y_j)^2')
    """
    ys, ts = _pairs(outputs, targets, "l2")
    one = len(ys) == 1
    terms = []
    for j, (y, t) in enumerate(zip(ys, ts), start=1):
        diff = t - y
        square = diff**2
        diff.label, square.label = ("t - y", "(t - y)^2") if one else (f"t{j} - y{j}", f"(t{j} - y{j})^2")
        terms.append(square)
    if one:
        total = terms[0]
    else:
        total = Value.sum(terms)
        total.label = "Σ (t_j - y_j)^2"
    error = 0.5 * total
    error.label = "E"
    return error


@_also_for_tensors
def mse(outputs, targets) -> Value:
    """Mean squared error (1/n) Σ (y − t)², as ``torch.nn.functional.mse_loss``.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import mse
        >>> mse([Value(0.5), Value(1.0)], [1.0, 0.0]).data
        0.625
    """
    ys, ts = _pairs(outputs, targets, "mse")
    return _mean([(y - t) ** 2 for y, t in zip(ys, ts)])


@_also_for_tensors
def binary_cross_entropy(outputs, targets, weight=None, reduction="mean"):
    """Mean of −[t log p + (1 − t) log(1 − p)] over probabilities p in [0, 1], as PyTorch.

    Stable at the ends as PyTorch's BCELoss: log p is clamped at −100 where p underflows, so a
    saturated sigmoid gives a large finite loss, and where p (1 − p) < 1e-12 the loss and gradient
    are torch's (the gradient (p − t) / max(p (1 − p), 1e-12), −1e12 at p = 0, t = 1): the same
    numbers as the Tensor loss.  Targets may be Values too (they get their gradient).  ``weight``
    (a number or one per output) scales each element's loss; ``reduction`` is ``"mean"``,
    ``"sum"`` or ``"none"`` (the list of losses).  When you have the logits, prefer
    :func:`binary_cross_entropy_with_logits`, which is exact there.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import binary_cross_entropy
        >>> round(binary_cross_entropy([Value(0.9), Value(0.2)], [1, 0]).data, 6)
        0.164252
        >>> p = Value(0.0); loss = binary_cross_entropy(p, 1); loss.backward()
        >>> loss.data, p.grad
        (100.0, -1000000003995.8029)
    """
    _check_reduction(reduction, "binary_cross_entropy")
    ps, ts = _pairs(outputs, targets, "binary_cross_entropy")
    weights = _per_element(weight, len(ps), "binary_cross_entropy", "weight")
    terms = []
    for p, t in zip(ps, ts):
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"binary_cross_entropy: outputs must be probabilities in [0, 1], got {p.data!r} "
                "(for raw scores use binary_cross_entropy_with_logits)"
            )
        terms.append(_bce_term(p, t))
    return _reduce(_weighted(terms, weights), reduction)


def _weighted(terms: list, weights) -> list:
    return terms if weights is None else [term * w for term, w in zip(terms, weights)]


def _bce_term(p: Value, t) -> Value:
    if (1.0 - p.data) * p.data >= _BCE_EPS:
        return -(t * p.log() + (1.0 - t) * (1.0 - p).log())
    # Torch's floor of p (1 − p) bites (p within about 1e-12 of 0 or 1): its loss and gradient.
    td = _number(t)
    slopes = [(p, float(_bce_grad_outputs(p.data, td))), (t, float(_bce_grad_targets(p.data)))]
    return _linearised(float(_bce(p.data, td)), slopes)


@_also_for_tensors
def binary_cross_entropy_with_logits(logits, targets, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(z), computed from the logits z without overflow, as PyTorch.

    Per sample: z(1 − t) + log(1 + e^−z) for z ≥ 0 and −z t + log(1 + e^z) for z < 0, the same
    function written so e is only raised to non-positive powers; its derivative is σ(z) − t.
    ``pos_weight`` w weighs the positive term, −[w t log σ(z) + (1 − t) log(1 − σ(z))];
    ``weight`` scales each element's loss (each a number or one per output); ``reduction`` as
    in :func:`binary_cross_entropy`.  At z = ±inf the loss is that of σ(z) = 1 or 0 with the log
    clamped at −100, and its gradient in z is 0, the same numbers as the Tensor loss.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import binary_cross_entropy_with_logits as bce
        >>> z = Value(0.0); loss = bce(z, 1); loss.backward()
        >>> round(loss.data, 6), z.grad
        (0.693147, -0.5)
        >>> bce(Value(1000.0), 0).data, bce(Value(float("inf")), 0).data
        (1000.0, 100.0)
    """
    name = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, name)
    zs, ts = _pairs(logits, targets, name)
    weights = _per_element(weight, len(zs), name, "weight")
    pos_weights = _per_element(pos_weight, len(zs), name, "pos_weight") or [None] * len(zs)
    terms = [_bce_logits_term(z, t, w) for z, t, w in zip(zs, ts, pos_weights)]
    return _reduce(_weighted(terms, weights), reduction)


def _bce_logits_term(z: Value, t, pos_weight) -> Value:
    if math.isinf(z.data):
        # The loss of σ(z) = 1 or 0 under the clamp; z stays in the graph through σ, whose
        # derivative is 0 there.
        td = _number(t)
        slopes = [(z.sigmoid(), 0.0), (t, float(_bce_logits_grad_targets(z.data, pos_weight)))]
        return _linearised(float(_bce_logits(z.data, td, pos_weight)), slopes)
    # Torch's (1 − t) z + (1 + (w − 1) t) log(1 + e^−z), as the Tensor loss: softplus without a
    # threshold is exact at any z, and its slope σ is smooth.
    weight = 1.0 if pos_weight is None else (pos_weight - 1.0) * t + 1.0
    return z * (1.0 - t) + weight * (-z).softplus(threshold=math.inf)


@_also_for_tensors
def hinge(outputs, targets) -> Value:
    """Max-margin loss for labels ±1: the mean of max(0, 1 − y·t), as in micrograd's demo.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import hinge
        >>> hinge([Value(2.0), Value(0.5), Value(0.3)], [1, 1, -1]).data
        0.6
    """
    ys, ts = _pairs(outputs, targets, "hinge")
    for i, t in enumerate(ts):
        if _number(t) not in (-1.0, 1.0):
            raise ValueError(f"hinge: labels must be -1 or +1, target {i} is {t!r}")
    return _mean([(1.0 - y * t).relu() for y, t in zip(ys, ts)])


@_also_for_tensors
def cross_entropy(logits, target) -> Value:
    """Softmax cross-entropy −log softmax(z)[target], stable through log-sum-exp.

    ``logits`` is a list of Values (one sample) and ``target`` the int index of its class; or a
    list of such lists and a list of ints, giving the mean over the samples.  The largest logit
    is subtracted before exponentiating, so logits of 1e4 are fine; the gradient with respect
    to z_i is softmax(z)_i − [i = target].

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import cross_entropy
        >>> z = [Value(2.0), Value(1.0), Value(0.1)]
        >>> loss = cross_entropy(z, 0); loss.backward()
        >>> round(loss.data, 4), round(z[0].grad, 4)
        (0.417, -0.341)
    """
    if isinstance(logits, Value) or not hasattr(logits, "__len__") or len(logits) == 0:
        raise TypeError(f"cross_entropy: logits must be a non-empty list of Values, got {logits!r}")
    if all(isinstance(z, (list, tuple)) for z in logits):
        if isinstance(target, (int, bool)) or not hasattr(target, "__len__"):
            raise TypeError(f"cross_entropy: {len(logits)} samples of logits need a list of targets")
        if len(target) != len(logits):
            raise ValueError(
                f"cross_entropy: {len(logits)} samples of logits but {len(target)} targets"
            )
        return _mean([_cross_entropy_one(z, t, i) for i, (z, t) in enumerate(zip(logits, target))])
    return _cross_entropy_one(logits, target, None)


def _cross_entropy_one(logits, target, sample) -> Value:
    where = "cross_entropy" if sample is None else f"cross_entropy (sample {sample})"
    if isinstance(target, bool) or not hasattr(target, "__index__"):
        raise TypeError(
            f"{where}: target must be an int class index, got {type(target).__name__}: {target!r}"
        )
    target = int(target)
    if not 0 <= target < len(logits):
        raise ValueError(
            f"{where}: target {target} out of range for {len(logits)} classes (0..{len(logits) - 1})"
        )
    zs = [z if isinstance(z, Value) else Value(z) for z in logits]
    m = max(z.data for z in zs)
    lse = Value.sum([(z - m).exp() for z in zs]).log() + m
    return lse - zs[target]
