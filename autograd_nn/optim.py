"""Optimisers: ``SGD`` (with momentum) and ``Adam``, as in ``torch.optim``.

They read and write only ``.data`` and ``.grad``, so one class serves both engines: a ``Value``
parameter (float data and grad) is updated by assignment, a ``Tensor`` parameter (ndarray data,
grad an ndarray or ``None``) in place.  A Tensor whose grad is ``None`` is skipped, as PyTorch does.

Example:
    >>> from autograd_nn import Value
    >>> from autograd_nn.optim import SGD
    >>> w = Value(1.0); opt = SGD([w], lr=0.1)
    >>> loss = (w - 3.0) ** 2; loss.backward(); opt.step()
    >>> round(w.data, 6)       # 1 - 0.1 * 2 * (1 - 3)
    1.4
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .value import Value, reset_grad


def _check_number(name: str, x, low: float, high: float | None = None, low_open: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite real number, got {x!r}")
    x = float(x)
    if x < low or (low_open and x == low) or (high is not None and x >= high):
        upper = f" and below {high}" if high is not None else ""
        bound = ">" if low_open else ">="
        raise ValueError(f"{name} must be {bound} {low}{upper}, got {x!r}")
    return x


class Optimizer:
    """Base of the optimisers: holds the parameters, offers ``zero_grad``; ``step`` in subclasses.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.optim import Optimizer
        >>> w = Value(1.0); w.grad = 3.0
        >>> Optimizer([w], lr=0.1).zero_grad(); w.grad
        0.0
    """

    def __init__(self, params, lr: float) -> None:
        if hasattr(params, "parameters") and callable(params.parameters):
            raise TypeError(
                f"{type(self).__name__} takes parameters, not a model: pass model.parameters()"
            )
        if isinstance(params, (Value, str, bytes)) or not hasattr(params, "__iter__"):
            raise TypeError(
                f"{type(self).__name__} takes an iterable of parameters, got {type(params).__name__}"
            )
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        seen = set()
        for i, p in enumerate(params):
            if not (hasattr(p, "data") and hasattr(p, "grad")):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} has no .data and .grad "
                    f"(a Value or a Tensor is expected), got {type(p).__name__}"
                )
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: parameter {i} appears more than once")
            seen.add(id(p))
            if isinstance(p.data, np.ndarray) and not np.issubdtype(p.data.dtype, np.floating):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} has dtype {p.data.dtype}; only floating "
                    "point parameters can be trained"
                )
        self.params = params
        self.lr = _check_number("lr", lr, 0.0)
        self.steps = 0

    def zero_grad(self) -> None:
        """Reset every gradient: 0.0 for a ``Value``, ``None`` for a ``Tensor`` (as PyTorch)."""
        for p in self.params:
            reset_grad(p)

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError(f"{type(self).__name__} must define step()")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(params={len(self.params)}, lr={self.lr})"


class SGD(Optimizer):
    """Stochastic gradient descent, p ← p − lr·g, with optional (heavy-ball) momentum.

    With momentum μ, as ``torch.optim.SGD``: the buffer is b ← μ·b + g (b = g on the first
    step) and the update p ← p − lr·b.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.optim import SGD
        >>> w = Value(0.0); opt = SGD([w], lr=0.5, momentum=0.9)
        >>> for _ in range(2):
        ...     w.grad = 1.0; opt.step()
        >>> w.data          # -0.5 * 1, then -0.5 * (0.9 + 1)
        -1.45
    """

    def __init__(self, params, lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _check_number("momentum", momentum, 0.0, 1.0)
        self._buffers: list = [None] * len(self.params)

    def step(self) -> None:
        """One update of every parameter from its current gradient."""
        lr, mu = self.lr, self.momentum
        self.steps += 1
        if mu == 0.0:
            for p in self.params:
                g = p.grad
                if g is not None:
                    # In place for an ndarray (``-=`` keeps the array), a new float for a Value.
                    p.data -= lr * g
            return
        buffers = self._buffers
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            b = buffers[i]
            if isinstance(p.data, np.ndarray):
                if b is None:
                    b = buffers[i] = np.array(g, dtype=p.data.dtype, copy=True)
                else:
                    b *= mu
                    b += g
                p.data -= lr * b
            else:
                b = g if b is None else mu * b + g
                buffers[i] = b
                p.data -= lr * b


class Adam(Optimizer):
    """Adam (Kingma & Ba), as ``torch.optim.Adam``.

    m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², and with t the step number
    p ← p − lr · m̂ / (√v̂ + eps), where m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.optim import Adam
        >>> w = Value(1.0); opt = Adam([w], lr=0.1)
        >>> w.grad = 4.0; opt.step()
        >>> round(w.data, 6)     # the first step moves by about lr, whatever the gradient's size
        0.9
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
        self.betas = (_check_number("beta1", b1, 0.0, 1.0), _check_number("beta2", b2, 0.0, 1.0))
        self.eps = _check_number("eps", eps, 0.0)
        self._m: list = [None] * len(self.params)
        self._v: list = [None] * len(self.params)
        self._t: list = [0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter that has a gradient."""
        b1, b2 = self.betas
        lr, eps = self.lr, self.eps
        self.steps += 1
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            # Each parameter counts its own steps, so one skipped (grad None) is bias-corrected right.
            t = self._t[i] = self._t[i] + 1
            c1 = 1.0 - b1**t
            c2 = 1.0 - b2**t
            if isinstance(p.data, np.ndarray):
                if self._m[i] is None:
                    self._m[i] = np.zeros_like(p.data)
                    self._v[i] = np.zeros_like(p.data)
                m, v = self._m[i], self._v[i]
                m *= b1
                m += (1.0 - b1) * g
                v *= b2
                v += (1.0 - b2) * (g * g)
                p.data -= (lr / c1) * m / (np.sqrt(v / c2) + eps)
            else:
                m = b1 * (self._m[i] or 0.0) + (1.0 - b1) * g
                v = b2 * (self._v[i] or 0.0) + (1.0 - b2) * g * g
                self._m[i], self._v[i] = m, v
                p.data -= (lr / c1) * m / (math.sqrt(v / c2) + eps)
