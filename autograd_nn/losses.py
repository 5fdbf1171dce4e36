"""Loss functions: the lecture's error ½Σ(t−y)², mse, binary and softmax cross-entropy, hinge.

Each function takes the model's ``outputs`` and the ``targets`` and returns one Value to call
``backward()`` on.  On Values, ``outputs`` is a Value or a list of Values; nested lists (what
``[model(x) for x in inputs]`` gives, one list per sample) are flattened, and so are the targets,
so ``l2([model(x) for x in xs], ys)`` works for one or many outputs.  Targets are numbers (or
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
from .tensor_losses import _LOG_FLOOR
from .value import Value

# log(p) is clamped at -100 where p underflows, as torch.nn.BCELoss does: a finite loss, no grad.
_P_FLOOR = math.exp(_LOG_FLOOR)


def _also_for_tensors(loss):
    """Hand a Tensor of outputs to the loss of the same name in :mod:`autograd_nn.tensor_losses`."""
    tensor_loss = getattr(tensor_losses, loss.__name__)

    @functools.wraps(loss)
    def dispatch(outputs, targets):
        if isinstance(outputs, Tensor):
            return tensor_loss(outputs, targets)
        return loss(outputs, targets)

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


def _safe_log(p: Value) -> Value:
    if p.data > _P_FLOOR:
        return p.log()
    # Clamped like torch's BCELoss: the value -100, and no gradient flows back through it.
    return p * 0.0 + _LOG_FLOOR


@_also_for_tensors
def binary_cross_entropy(outputs, targets) -> Value:
    """Mean of −[t log p + (1 − t) log(1 − p)] over probabilities p in [0, 1].

    Stable at the ends: log p is clamped at −100 where p underflows (as PyTorch's BCELoss), so a
    saturated sigmoid gives a large finite loss, not an error.  When you have the logits, prefer
    :func:`binary_cross_entropy_with_logits`, which is exact there and keeps the gradient.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import binary_cross_entropy
        >>> round(binary_cross_entropy([Value(0.9), Value(0.2)], [1, 0]).data, 6)
        0.164252
        >>> binary_cross_entropy(Value(0.0), 1).data
        100.0
    """
    ps, ts = _pairs(outputs, targets, "binary_cross_entropy")
    terms = []
    for p, t in zip(ps, ts):
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"binary_cross_entropy: outputs must be probabilities in [0, 1], got {p.data!r} "
                "(for raw scores use binary_cross_entropy_with_logits)"
            )
        terms.append(-(t * _safe_log(p) + (1.0 - t) * _safe_log(1.0 - p)))
    return _mean(terms)


@_also_for_tensors
def binary_cross_entropy_with_logits(logits, targets) -> Value:
    """Binary cross-entropy of sigmoid(z), computed from the logits z without overflow.

    Per sample: z(1 − t) + log(1 + e^−z) for z ≥ 0 and −z t + log(1 + e^z) for z < 0, the same
    function written so e is only raised to non-positive powers; its derivative is σ(z) − t.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.losses import binary_cross_entropy_with_logits as bce
        >>> z = Value(0.0); loss = bce(z, 1); loss.backward()
        >>> round(loss.data, 6), z.grad
        (0.693147, -0.5)
        >>> bce(Value(1000.0), 0).data
        1000.0
    """
    zs, ts = _pairs(logits, targets, "binary_cross_entropy_with_logits")
    terms = []
    for z, t in zip(zs, ts):
        if z.data >= 0.0:
            terms.append(z * (1.0 - t) + ((-z).exp() + 1.0).log())
        else:
            terms.append(-z * t + (z.exp() + 1.0).log())
    return _mean(terms)


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
        if (t.data if isinstance(t, Value) else t) not in (-1.0, 1.0):
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
