"""Gradient checks of the tensor engine; :func:`autograd_nn.gradcheck` calls it for Tensor inputs.

The analytic side is the Jacobian (or, for large outputs, a few fixed random projections of
it) obtained by backward passes with unit (or projection) vectors as the seed; the numeric side
is the central difference (f(x + eps) − f(x − eps)) / 2 eps, one input element at a time.  An
element passes when ``|analytic − numeric| <= atol + rtol·|numeric|``, as in
``torch.autograd.gradcheck``.
"""

from __future__ import annotations

import numpy as np

from ..graph import no_grad
from ..tensor import Tensor
from ..value import Value
from .error import GradcheckError

FULL_JACOBIAN_MAX = 64  # outputs up to this size get the whole Jacobian; larger ones projections
PROJECTIONS = 3


def gradcheck_tensor(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Check every ``requires_grad`` Tensor input of ``f`` against central finite differences.

    ``f(*inputs)`` must return a Tensor.  Outputs of up to 64 elements are checked through their
    whole Jacobian, larger ones through 3 fixed random projections of it (a wrong entry of the
    Jacobian changes a random projection with probability 1); an empty output passes when its
    backward gives zero gradients.  Inputs must be float64: with
    float32's seven digits a difference quotient at eps = 1e-6 is mostly rounding noise.  The
    inputs' data and gradients are left as they were.

    Raises:
        autograd_nn.GradcheckError: naming, for each failing input, its worst element: the input
            index, the output index (or projection), the analytic and numeric values.
        TypeError: for float32 inputs, Value inputs, or an ``f`` that returns no Tensor.

    Example:
        >>> import numpy as np
        >>> from autograd_nn import Tensor, gradcheck
        >>> W = Tensor(np.random.default_rng(0).normal(size=(3, 2)), requires_grad=True)
        >>> x = Tensor(np.ones((4, 3)))
        >>> gradcheck(lambda W, x: (x @ W).tanh(), [W, x])
        True
    """
    inputs = list(inputs)
    checked = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            raise TypeError(f"gradcheck: input {i} is a Value among Tensors; use one engine per check")
        if isinstance(x, Tensor) and x.requires_grad:
            if x.data.dtype != np.float64:
                raise TypeError(
                    f"gradcheck: input {i} has dtype {x.data.dtype}; finite differences need float64 "
                    f"(with eps={eps} a float32 difference quotient is mostly rounding noise: float32 "
                    "keeps about 7 significant digits). Make it with dtype=np.float64 or .astype(np.float64)"
                )
            checked.append(i)
    if not checked:
        raise ValueError("gradcheck: no input is a Tensor with requires_grad=True; nothing to check")

    saved = [(x.grad if isinstance(x, Tensor) else None) for x in inputs]
    try:
        out = f(*inputs)
        if not isinstance(out, Tensor):
            raise TypeError(f"gradcheck: f must return a Tensor, got {type(out).__name__}")
        seeds, labels = _seeds(out)
        analytic = {i: np.zeros((len(seeds), inputs[i].data.size)) for i in checked}
        if out.requires_grad:
            for row, seed in enumerate(seeds):
                for i in checked:
                    inputs[i].grad = None
                out.backward(seed.astype(out.data.dtype), retain_graph=True)
                for i in checked:
                    if inputs[i].grad is not None:
                        analytic[i][row] = inputs[i].grad.ravel()
    finally:
        for x, g in zip(inputs, saved):
            if isinstance(x, Tensor):
                x.grad = g

    flat_seeds = np.stack([s.ravel() for s in seeds]).astype(np.float64)
    failures = []
    for i in checked:
        x = inputs[i]
        numeric = np.empty_like(analytic[i])
        data = x.data
        # Element by element through the array itself: reshape(-1) of a non-contiguous input (a
        # transpose, a strided slice) would be a copy, and perturbing a copy perturbs nothing.
        # np.ndindex walks in C order, the order of the analytic rows (grad.ravel()).
        for j, idx in enumerate(np.ndindex(data.shape)):
            original = data[idx]
            try:
                with no_grad():
                    data[idx] = original + eps
                    plus = _evaluate(f, inputs)
                    data[idx] = original - eps
                    minus = _evaluate(f, inputs)
            finally:
                data[idx] = original
            numeric[:, j] = flat_seeds @ ((plus - minus) / (2.0 * eps))
        excess = np.abs(analytic[i] - numeric) - (atol + rtol * np.abs(numeric))
        if (excess > 0).any() or not np.isfinite(analytic[i]).all():
            excess = np.where(np.isfinite(excess), excess, np.inf)
            row, col = np.unravel_index(int(np.argmax(excess)), excess.shape)
            where = tuple(int(k) for k in np.unravel_index(col, x.data.shape))
            name = f" ({x.label!r})" if x.label else ""
            a, n = float(analytic[i][row, col]), float(numeric[row, col])
            failures.append(
                f"  input {i}{name}, shape {x.data.shape}: worst at index {where}, {labels[row]}: "
                f"analytic {a!r}, numeric {n!r}, difference {a - n:.3g} "
                f"({int((excess > 0).sum())} of {excess.size} entries outside tolerance)"
            )
    if failures:
        raise GradcheckError(
            f"gradcheck failed for {len(failures)} of {len(checked)} inputs "
            f"(eps={eps}, atol={atol}, rtol={rtol}):\n" + "\n".join(failures)
        )
    return True


def _seeds(out: Tensor) -> tuple[list[np.ndarray], list[str]]:
    """Unit vectors for a small output (its whole Jacobian), fixed random projections otherwise.

    An empty output has an empty Jacobian, so no row to check; it gets one seed, its own empty
    gradient, whose backward must give every input a zero gradient (the numeric side's 0).
    """
    shape = out.data.shape
    size = out.data.size
    if size == 0:
        return [np.zeros(shape)], ["the empty output (its gradients must be 0)"]
    if size <= FULL_JACOBIAN_MAX:
        seeds = []
        labels = []
        for k in range(size):
            e = np.zeros(size)
            e[k] = 1.0
            seeds.append(e.reshape(shape))
            labels.append(f"output index {tuple(int(i) for i in np.unravel_index(k, shape))}")
        return seeds, labels
    rng = np.random.default_rng(1234)
    return (
        [rng.standard_normal(shape) for _ in range(PROJECTIONS)],
        [f"random projection {k} of the output" for k in range(PROJECTIONS)],
    )


def _evaluate(f, inputs) -> np.ndarray:
    out = f(*inputs)
    # A copy: the output may be a view of the input (indexing, reshape) that the next step perturbs.
    return np.array(out.data, dtype=np.float64).ravel()
