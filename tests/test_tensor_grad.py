"""Every tensor op's gradient: against finite differences (gradcheck) and against PyTorch.

One parametrised helper, in the spirit of teenygrad's ``helper_test_op``: each case gives our
expression, the same expression in torch (when the spelling differs), the input shapes and the
domain; the helper checks our gradient with ``gradcheck`` and, when torch is importable, our
value and every input gradient against torch's (through a fixed random projection of the output).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import GradcheckError, Tensor, concatenate, gradcheck, ops, stack, where
from autograd_nn.graph import topological_order
from autograd_nn.tensor import Function, linear, sum_to
from autograd_nn.tensor.functions import SigmoidOp, StepOp, TanhOp
from autograd_nn.tensor.shapes import AstypeOp, BroadcastToOp, ScatterOp
from autograd_nn.tensor_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    l2,
    mse,
    nll_loss,
)

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None


def data(shape, domain: str, seed: int) -> np.ndarray:
    """Inputs in an op's domain, kept away from kinks (|x| >= 0.1) so differences are smooth."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    if domain == "positive":
        return 0.2 + np.abs(x)
    if domain == "unit":  # probabilities away from 0 and 1
        return 0.1 + 0.8 * rng.uniform(size=shape)
    if domain == "smooth":  # away from 0, the kink of abs and relu, and from clip's bounds
        x = np.sign(x) * (0.1 + np.abs(x))
        return np.where(np.abs(np.abs(x) - 0.5) < 0.05, x + 0.2, x)
    return x


T = torch
TARGETS = np.array([1, 0, 3, 3, 2])
BINARY = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
SIGNS = np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]])

# (id, ours, torch's (None: the same expression), input shapes, domain)
CASES = [
    ("add", lambda a, b: a + b, None, [(3, 4), (3, 4)], "any"),
    ("add-row", lambda a, b: a + b, None, [(3, 4), (4,)], "any"),
    ("add-row-left", lambda a, b: a + b, None, [(4,), (3, 4)], "any"),
    ("add-outer", lambda a, b: a + b, None, [(3, 1), (1, 4)], "any"),
    ("add-scalar-tensor", lambda a, b: a + b, None, [(3, 4), ()], "any"),
    ("add-number", lambda a: 2.0 + a + 1, None, [(3,)], "any"),
    ("sub-bcast", lambda a, b: a - b, None, [(2, 1, 4), (3, 1)], "any"),
    ("rsub", lambda a: 1.0 - a, None, [(3,)], "any"),
    ("mul-bcast", lambda a, b: a * b, None, [(2, 3, 4), (3, 1)], "any"),
    ("mul-same", lambda a: a * a, None, [(3,)], "any"),
    (
        "mul-array",
        lambda a: a * np.arange(4.0),
        lambda a: a * T.arange(4.0, dtype=T.float64),
        [(2, 4)],
        "any",
    ),
    ("div", lambda a, b: a / b, None, [(3, 4), (4,)], "positive"),
    ("rdiv", lambda a: 2.0 / a, None, [(3,)], "positive"),
    ("pow2", lambda a: a**2, None, [(3, 2)], "any"),
    ("pow3", lambda a: a**3, None, [(3, 2)], "any"),
    ("pow-half", lambda a: a**0.5, None, [(4,)], "positive"),
    ("pow-neg", lambda a: a**-1.5, None, [(4,)], "positive"),
    ("pow-tensor", lambda a, b: a**b, None, [(3, 2), (2,)], "positive"),
    ("rpow", lambda a: 2.0**a, None, [(4,)], "any"),
    ("pow0", lambda a: a**0 * a, None, [(3,)], "any"),
    ("neg", lambda a: -a, None, [(2, 3)], "any"),
    ("matmul-2d", lambda a, b: a @ b, None, [(3, 4), (4, 5)], "any"),
    ("matmul-1d-2d", lambda a, b: a @ b, None, [(4,), (4, 5)], "any"),
    ("matmul-2d-1d", lambda a, b: a @ b, None, [(3, 4), (4,)], "any"),
    ("matmul-1d-1d", lambda a, b: a @ b, None, [(4,), (4,)], "any"),
    ("matmul-batched", lambda a, b: a @ b, None, [(2, 3, 4), (2, 4, 5)], "any"),
    ("matmul-batch-bcast", lambda a, b: a @ b, None, [(2, 1, 3, 4), (3, 4, 2)], "any"),
    ("matmul-batched-1d", lambda a, b: a @ b, None, [(2, 3, 4), (4,)], "any"),
    ("linear", lambda x, w, b: linear(x, w, b), lambda x, w, b: x @ w + b, [(5, 3), (3, 2), (2,)], "any"),
    ("linear-1d", lambda x, w, b: linear(x, w, b), lambda x, w, b: x @ w + b, [(3,), (3, 2), (2,)], "any"),
    (
        "linear-batched",
        lambda x, w, b: linear(x, w, b),
        lambda x, w, b: x @ w + b,
        [(2, 4, 3), (3, 2), (2,)],
        "any",
    ),
    ("linear-no-bias", lambda x, w: linear(x, w), lambda x, w: x @ w, [(5, 3), (3, 2)], "any"),
    ("sum", lambda a: a.sum(), None, [(3, 4)], "any"),
    ("sum-axis", lambda a: a.sum(axis=0), lambda a: a.sum(dim=0), [(3, 4)], "any"),
    (
        "sum-axes-keepdims",
        lambda a: a.sum(axis=(0, 2), keepdims=True),
        lambda a: a.sum(dim=(0, 2), keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    ("mean", lambda a: a.mean(), None, [(3, 4)], "any"),
    ("mean-axis-neg", lambda a: a.mean(axis=-1), lambda a: a.mean(dim=-1), [(3, 4)], "any"),
    (
        "mean-keepdims",
        lambda a: a.mean(axis=1, keepdims=True),
        lambda a: a.mean(dim=1, keepdim=True),
        [(3, 4)],
        "any",
    ),
    ("max", lambda a: a.max(), None, [(3, 4)], "any"),
    ("max-axis", lambda a: a.max(axis=1), lambda a: a.max(dim=1).values, [(3, 4)], "any"),
    (
        "max-keepdims",
        lambda a: a.max(axis=0, keepdims=True),
        lambda a: a.max(dim=0, keepdim=True).values,
        [(3, 4)],
        "any",
    ),
    ("min-axis", lambda a: a.min(axis=-1), lambda a: a.min(dim=-1).values, [(2, 3, 4)], "any"),
    # Negative axes, with and without keepdims: each op must normalise them before its vjp.
    (
        "min-keepdims",
        lambda a: a.min(axis=-2, keepdims=True),
        lambda a: a.amin(dim=-2, keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    (
        "min-keepdims-all",
        lambda a: a.min(keepdims=True),
        lambda a: a.amin(dim=(0, 1), keepdim=True),
        [(3, 4)],
        "any",
    ),
    (
        "max-neg-axes-keepdims",
        lambda a: a.max(axis=(-1, 0), keepdims=True),
        lambda a: a.amax(dim=(-1, 0), keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    (
        "sum-neg-axes-keepdims",
        lambda a: a.sum(axis=(-1, 0), keepdims=True),
        lambda a: a.sum(dim=(-1, 0), keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    ("sum-neg-axes", lambda a: a.sum(axis=(-3, -1)), lambda a: a.sum(dim=(-3, -1)), [(2, 3, 4)], "any"),
    (
        "mean-neg-axes-keepdims",
        lambda a: a.mean(axis=(-2, -1), keepdims=True),
        lambda a: a.mean(dim=(-2, -1), keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    (
        "reshape",
        lambda a: a.reshape(4, 3) * np.arange(12.0).reshape(4, 3),
        lambda a: a.reshape(4, 3) * T.arange(12.0, dtype=T.float64).reshape(4, 3),
        [(3, 4)],
        "any",
    ),
    ("transpose", lambda a: a.transpose(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], "any"),
    ("transpose-neg", lambda a: a.transpose(-1, 0, 1), lambda a: a.permute(-1, 0, 1), [(2, 3, 4)], "any"),
    (
        "transpose-neg-4d",
        lambda a: a.transpose((1, -1, 0, -2)),
        lambda a: a.permute(1, -1, 0, -2),
        [(2, 3, 4, 5)],
        "any",
    ),
    ("T", lambda a: a.T @ a, None, [(3, 2)], "any"),
    ("slice", lambda a: a[1:, ::2], None, [(3, 4)], "any"),
    ("int-index", lambda a: a[1], None, [(3, 4)], "any"),
    (
        "repeated-indices",
        lambda a: a[np.array([0, 2, 0, 0])],
        lambda a: a[T.tensor([0, 2, 0, 0])],
        [(3, 2)],
        "any",
    ),
    (
        "repeated-2d-indices",
        lambda a: a[np.array([0, 0, 1]), np.array([2, 2, 0])],
        lambda a: a[T.tensor([0, 0, 1]), T.tensor([2, 2, 0])],
        [(2, 3)],
        "any",
    ),
    ("mixed-index", lambda a: a[:, [1, 1, 3]], None, [(2, 4)], "any"),
    (
        "broadcast_to",
        lambda a: BroadcastToOp.apply(a, shape=(2, 3, 4)),
        lambda a: a.broadcast_to((2, 3, 4)),
        [(3, 1)],
        "any",
    ),
    (
        "scatter",
        lambda a: ScatterOp.apply(a, index=np.array([2, 0, 2]), shape=(4, 2)),
        lambda a: T.zeros(4, 2, dtype=T.float64).index_add(0, T.tensor([2, 0, 2]), a),
        [(3, 2)],
        "any",
    ),
    (
        "scatter-basic",
        lambda a: ScatterOp.apply(a, index=(slice(1, 3),), shape=(4, 2)),
        lambda a: T.cat([T.zeros(1, 2, dtype=T.float64), a, T.zeros(1, 2, dtype=T.float64)]),
        [(2, 2)],
        "any",
    ),
    ("bool-mask", lambda a: a[a.data > 0] if isinstance(a, Tensor) else a[a > 0], None, [(3, 4)], "any"),
    (
        "concatenate",
        lambda a, b: concatenate([a, b, a], axis=1),
        lambda a, b: T.cat([a, b, a], dim=1),
        [(2, 3), (2, 1)],
        "any",
    ),
    (
        "concatenate-neg",
        lambda a, b: concatenate([a, b], axis=-2),
        lambda a, b: T.cat([a, b], dim=-2),
        [(2, 3, 2), (2, 1, 2)],
        "any",
    ),
    (
        "concatenate-none",
        lambda a, b: concatenate([a, b], axis=None),
        lambda a, b: T.cat([a.reshape(-1), b.reshape(-1)]),
        [(2, 3), (4,)],
        "any",
    ),
    (
        "stack",
        lambda a, b: stack([a, b], axis=-1),
        lambda a, b: T.stack([a, b], dim=-1),
        [(2, 3), (2, 3)],
        "any",
    ),
    (
        "stack-neg-middle",
        lambda a, b: stack([a, b], axis=-2),
        lambda a, b: T.stack([a, b], dim=-2),
        [(2, 3), (2, 3)],
        "any",
    ),
    ("exp", lambda a: a.exp(), None, [(3, 2)], "any"),
    ("log", lambda a: a.log(), None, [(3, 2)], "positive"),
    ("sqrt", lambda a: a.sqrt(), None, [(3, 2)], "positive"),
    ("abs", lambda a: a.abs(), None, [(3, 2)], "smooth"),
    ("clip", lambda a: a.clip(-0.5, 0.5), None, [(4, 3)], "smooth"),
    ("clip-low", lambda a: a.clip(low=0.5), lambda a: a.clip(min=0.5), [(4, 3)], "smooth"),
    ("tanh", lambda a: a.tanh(), None, [(3, 2)], "any"),
    ("sigmoid", lambda a: a.sigmoid(), None, [(3, 2)], "any"),
    ("relu", lambda a: a.relu(), None, [(3, 2)], "smooth"),
    ("softmax", lambda a: a.softmax(axis=1), lambda a: a.softmax(dim=1), [(3, 4)], "any"),
    ("softmax-axis0", lambda a: a.softmax(axis=0), lambda a: a.softmax(dim=0), [(3, 4)], "any"),
    ("log_softmax", lambda a: a.log_softmax(axis=-1), lambda a: a.log_softmax(dim=-1), [(3, 4)], "any"),
    ("softmax-neg", lambda a: a.softmax(axis=-2), lambda a: a.softmax(dim=-2), [(2, 3, 4)], "any"),
    (
        "log_softmax-neg",
        lambda a: a.log_softmax(axis=-3),
        lambda a: a.log_softmax(dim=-3),
        [(2, 3, 4)],
        "any",
    ),
    (
        "cross_entropy",
        lambda z: cross_entropy(z, TARGETS),
        lambda z: T.nn.functional.cross_entropy(z, T.tensor(TARGETS)),
        [(5, 4)],
        "any",
    ),
    (
        "bce",
        lambda p: binary_cross_entropy(p, BINARY),
        lambda p: T.nn.functional.binary_cross_entropy(p, T.tensor(BINARY)),
        [(3, 2)],
        "unit",
    ),
    (
        "bce-logits",
        lambda z: binary_cross_entropy_with_logits(z, BINARY),
        lambda z: T.nn.functional.binary_cross_entropy_with_logits(z, T.tensor(BINARY)),
        [(3, 2)],
        "any",
    ),
    (
        "mse",
        lambda y: mse(y, BINARY),
        lambda y: T.nn.functional.mse_loss(y, T.tensor(BINARY)),
        [(3, 2)],
        "any",
    ),
    ("l2", lambda y: l2(y, BINARY), lambda y: 0.5 * ((T.tensor(BINARY) - y) ** 2).sum(), [(3, 2)], "any"),
    (
        "hinge",
        lambda y: hinge(y, SIGNS),
        lambda y: (1 - y * T.tensor(SIGNS)).relu().mean(),
        [(3, 2)],
        "smooth",
    ),
    (
        "composite",
        lambda x, w, b: ((x @ w + b).tanh() * 2 - 1).sigmoid().sum(axis=0),
        lambda x, w, b: ((x @ w + b).tanh() * 2 - 1).sigmoid().sum(dim=0),
        [(4, 3), (3, 2), (2,)],
        "any",
    ),
    # comparisons and elementwise math
    ("maximum", lambda a, b: a.maximum(b), lambda a, b: T.maximum(a, b), [(3, 4), (4,)], "any"),
    ("minimum", lambda a, b: a.minimum(b), lambda a, b: T.minimum(a, b), [(3, 1), (2, 1, 4)], "any"),
    (
        "maximum-number",
        lambda a: a.maximum(0.3),
        lambda a: T.maximum(a, T.tensor(0.3, dtype=T.float64)),
        [(3, 2)],
        "any",
    ),
    (
        "where",
        lambda a, b: where(a > 0, a, b * 2),
        lambda a, b: T.where(a > 0, a, b * 2),
        [(3, 4), (4,)],
        "smooth",
    ),
    (
        "where-bcast-cond",
        lambda a, b: where(np.array([True, False, True, False]), a, b),
        lambda a, b: T.where(T.tensor([True, False, True, False]), a, b),
        [(3, 1), (2, 1, 1)],
        "any",
    ),
    ("sign", lambda a: a.sign() * a, None, [(3, 4)], "smooth"),
    ("square", lambda a: a.square(), None, [(3, 2)], "any"),
    ("sin", lambda a: a.sin(), None, [(3, 2)], "any"),
    ("cos", lambda a: a.cos(), None, [(3, 2)], "any"),
    ("erf", lambda a: a.erf(), None, [(3, 2)], "any"),
    # activations
    ("softplus", lambda a: a.softplus(), lambda a: T.nn.functional.softplus(a), [(3, 4)], "any"),
    (
        "softplus-threshold",
        lambda a: a.softplus(beta=2.0, threshold=1.0),
        lambda a: T.nn.functional.softplus(a, beta=2.0, threshold=1.0),
        [(3, 4)],
        "smooth",
    ),
    ("logsigmoid", lambda a: a.logsigmoid(), lambda a: T.nn.functional.logsigmoid(a), [(3, 4)], "any"),
    (
        "leaky-relu",
        lambda a: a.leaky_relu(0.1),
        lambda a: T.nn.functional.leaky_relu(a, 0.1),
        [(3, 4)],
        "smooth",
    ),
    ("elu", lambda a: a.elu(alpha=1.5), lambda a: T.nn.functional.elu(a, alpha=1.5), [(3, 4)], "smooth"),
    ("gelu", lambda a: a.gelu(), lambda a: T.nn.functional.gelu(a), [(3, 4)], "any"),
    (
        "gelu-tanh",
        lambda a: a.gelu(approximate="tanh"),
        lambda a: T.nn.functional.gelu(a, approximate="tanh"),
        [(3, 4)],
        "any",
    ),
    ("silu", lambda a: a.silu(), lambda a: T.nn.functional.silu(a), [(3, 4)], "any"),
    (
        "hardtanh",
        lambda a: a.hardtanh(-0.5, 0.5),
        lambda a: T.nn.functional.hardtanh(a, -0.5, 0.5),
        [(3, 4)],
        "smooth",
    ),
    ("softmin", lambda a: a.softmin(axis=0), lambda a: T.nn.functional.softmin(a, dim=0), [(3, 4)], "any"),
    # more reductions
    ("logsumexp", lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1), [(3, 4)], "any"),
    (
        "logsumexp-all-keepdims",
        lambda a: a.logsumexp(keepdims=True),
        lambda a: a.logsumexp(dim=(0, 1, 2), keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    (
        "logsumexp-neg-axes",
        lambda a: a.logsumexp(axis=(-1, 0)),
        lambda a: a.logsumexp(dim=(-1, 0)),
        [(2, 3, 4)],
        "any",
    ),
    ("prod", lambda a: a.prod(), None, [(3, 4)], "any"),
    (
        "prod-keepdims-neg",
        lambda a: a.prod(axis=-1, keepdims=True),
        lambda a: a.prod(dim=-1, keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    ("prod-axes", lambda a: a.prod(axis=(0, 2)), lambda a: a.prod(dim=2).prod(dim=0), [(2, 3, 4)], "any"),
    ("var", lambda a: a.var(), None, [(3, 4)], "any"),
    (
        "var-axis-correction0",
        lambda a: a.var(axis=0, correction=0),
        lambda a: a.var(dim=0, correction=0),
        [(3, 4)],
        "any",
    ),
    (
        "var-neg-axes-keepdims",
        lambda a: a.var(axis=(0, -1), correction=2, keepdims=True),
        lambda a: a.var(dim=(0, -1), correction=2, keepdim=True),
        [(2, 3, 4)],
        "any",
    ),
    ("std", lambda a: a.std(axis=1), lambda a: a.std(dim=1), [(3, 4)], "any"),
    (
        "std-all-keepdims",
        lambda a: a.std(correction=0, keepdims=True),
        lambda a: a.std(dim=(0, 1), correction=0, keepdim=True),
        [(3, 4)],
        "any",
    ),
    ("cumsum", lambda a: a.cumsum(axis=1), lambda a: a.cumsum(dim=1), [(3, 4)], "any"),
    ("cumsum-neg", lambda a: a.cumsum(-3), lambda a: a.cumsum(dim=-3), [(2, 3, 4)], "any"),
    # more shapes
    ("squeeze", lambda a: a.squeeze(), None, [(3, 1, 4, 1)], "any"),
    ("squeeze-axes", lambda a: a.squeeze((0, -1, 1)), None, [(1, 3, 1)], "any"),
    (
        "unsqueeze",
        lambda a: a.unsqueeze(-1) * np.arange(2.0),
        lambda a: a.unsqueeze(-1) * T.arange(2.0, dtype=T.float64),
        [(3, 4)],
        "any",
    ),
    ("flatten", lambda a: a.flatten(1, 2), None, [(2, 3, 4, 2)], "any"),
    ("expand", lambda a: a.expand(2, -1, 4), None, [(3, 1)], "any"),
    ("broadcast_to-method", lambda a: a.broadcast_to((2, 3, 4)), None, [(3, 1)], "any"),
    ("flip", lambda a: a.flip((0, 2)), None, [(2, 3, 4)], "any"),
    (
        "flip-neg",
        lambda a: a.flip(-1) * np.arange(4.0),
        lambda a: a.flip(-1) * T.arange(4.0, dtype=T.float64),
        [(3, 4)],
        "any",
    ),
    (
        "pad",
        lambda a: a.pad(((1, 0), (2, 1)), value=0.5),
        lambda a: T.nn.functional.pad(a, (2, 1, 1, 0), value=0.5),
        [(3, 4)],
        "any",
    ),
    ("pad-int", lambda a: a.pad(1), lambda a: T.nn.functional.pad(a, (1, 1, 1, 1, 1, 1)), [(2, 1, 3)], "any"),
    ("repeat", lambda a: a.repeat(2, 1, 3), None, [(3, 2)], "any"),
    ("tile", lambda a: a.tile(2), None, [(3, 2)], "any"),
    (
        "gather",
        lambda a: a.gather(1, np.array([[0, 0, 3], [1, 2, 1], [3, 3, 3]])),
        lambda a: a.gather(1, T.tensor([[0, 0, 3], [1, 2, 1], [3, 3, 3]])),
        [(3, 4)],
        "any",
    ),
    (
        "gather-axis0-smaller",
        lambda a: a.gather(0, np.array([[2, 0], [2, 2]])),
        lambda a: a.gather(0, T.tensor([[2, 0], [2, 2]])),
        [(3, 4)],
        "any",
    ),
    # losses
    (
        "bce-targets-weight-sum",
        lambda p, t: binary_cross_entropy(p, t, weight=[0.5, 2.0], reduction="sum"),
        lambda p, t: T.nn.functional.binary_cross_entropy(p, t, weight=T.tensor([0.5, 2.0]), reduction="sum"),
        [(3, 2), (3, 2)],
        "unit",
    ),
    (
        "bce-logits-targets-pos_weight-none",
        lambda z, t: binary_cross_entropy_with_logits(z, t, reduction="none", pos_weight=[3.0, 0.5]),
        lambda z, t: T.nn.functional.binary_cross_entropy_with_logits(
            z, t, reduction="none", pos_weight=T.tensor([3.0, 0.5])
        ),
        [(3, 2), (3, 2)],
        "any",
    ),
    (
        "bce-logits-scalar-target-weight",
        lambda z, t: binary_cross_entropy_with_logits(z, t, weight=[[1.0], [2.0], [0.5]]),
        lambda z, t: T.nn.functional.binary_cross_entropy_with_logits(
            z, t.expand(3, 2), weight=T.tensor([[1.0], [2.0], [0.5]])
        ),
        [(3, 2), ()],
        "any",
    ),
    (
        "cross_entropy-smoothing-ignore_index",
        lambda z: cross_entropy(z, np.array([1, -100, 3, 3, 2]), label_smoothing=0.2),
        lambda z: T.nn.functional.cross_entropy(z, T.tensor([1, -100, 3, 3, 2]), label_smoothing=0.2),
        [(5, 4)],
        "any",
    ),
    (
        "cross_entropy-none-ignore_index",
        lambda z: cross_entropy(z, TARGETS, reduction="none", ignore_index=3),
        lambda z: T.nn.functional.cross_entropy(z, T.tensor(TARGETS), reduction="none", ignore_index=3),
        [(5, 4)],
        "any",
    ),
    (
        "cross_entropy-probabilities-sum",
        lambda z, y: cross_entropy(z, y, reduction="sum", label_smoothing=0.1),
        lambda z, y: T.nn.functional.cross_entropy(z, y, reduction="sum", label_smoothing=0.1),
        [(5, 4), (5, 4)],
        "unit",
    ),
    (
        "nll_loss",
        lambda x: nll_loss(x, np.array([1, -100, 3, 3, 2])),
        lambda x: T.nn.functional.nll_loss(x, T.tensor([1, -100, 3, 3, 2])),
        [(5, 4)],
        "any",
    ),
]


def _inputs(shapes, domain, seed=0):
    return [data(shape, domain, seed + i) for i, shape in enumerate(shapes)]


def helper_test_op(ours, theirs, shapes, domain):
    arrays = _inputs(shapes, domain)
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    assert gradcheck(ours, xs)
    if torch is None:
        return
    out = ours(*xs)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tout = (theirs or ours)(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    projection = np.random.default_rng(7).normal(size=out.shape)
    for x in xs:
        x.grad = None
    (out * projection).sum().backward()
    (tout * torch.tensor(projection)).sum().backward()
    for i, (x, t) in enumerate(zip(xs, ts)):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=f"input {i}")


@pytest.mark.parametrize("name, ours, theirs, shapes, domain", CASES, ids=[c[0] for c in CASES])
def test_op_gradient(name, ours, theirs, shapes, domain):
    helper_test_op(ours, theirs, shapes, domain)


def function_classes() -> set:
    """Every op class of the engine (the losses' fused ops included), abstract bases left out."""
    found, todo = set(), [Function]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("autograd_nn.") and sub.name:
                found.add(sub)
    return found


def test_every_function_class_is_exercised():
    """A new op without a case here fails this test: every vjp must be checked."""
    classes = function_classes()
    assert len(classes) >= 30 and all(cls.name in ops.OPS for cls in classes)
    used = set()
    for _, ours, _, shapes, domain in CASES:
        out = ours(*[Tensor(a, requires_grad=True) for a in _inputs(shapes, domain)])
        used.update(node.grad_fn for node in topological_order(out))
    missing = classes - used - {AstypeOp, StepOp}  # checked below: their gradients are trivial
    assert not missing, f"ops without a gradient case: {sorted(cls.__name__ for cls in missing)}"


def test_astype_and_step_gradients():
    x = Tensor(np.array([1.5, -2.0], dtype=np.float32), requires_grad=True)
    y = x.astype(np.float64)
    (y * np.array([2.0, 3.0])).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [2.0, 3.0]
    z = Tensor([0.5, -0.5], requires_grad=True)
    z.step().sum().backward()
    assert z.grad.tolist() == [0.0, 0.0]


def test_max_ties_share_the_gradient():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    y = Tensor([2.0, 2.0, 1.0, 2.0], requires_grad=True)
    y.max().backward()
    np.testing.assert_allclose(y.grad, [1 / 3, 1 / 3, 0.0, 1 / 3])


def test_repeated_indices_accumulate():
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[np.array([1, 1, 1, 3])].sum().backward()
    assert x.grad.tolist() == [0.0, 3.0, 0.0, 1.0]


def test_gradcheck_catches_a_wrong_vjp(monkeypatch):
    monkeypatch.setattr(TanhOp, "vjp", staticmethod(lambda out, g, needs: (g * (1 - out),)))
    monkeypatch.setattr(TanhOp, "vjp_into", None)
    x = Tensor(data((3, 2), "any", 0), requires_grad=True, label="x")
    with pytest.raises(GradcheckError, match=r"input 0 \('x'\), shape \(3, 2\): worst at index \(\d, \d\)"):
        gradcheck(lambda a: a.tanh(), [x])


def test_gradcheck_on_large_outputs_uses_projections_and_still_catches(monkeypatch):
    x = Tensor(data((10, 10), "any", 1), requires_grad=True)
    assert gradcheck(lambda a: a.sigmoid(), [x])  # 100 outputs: random projections
    monkeypatch.setattr(SigmoidOp, "vjp", staticmethod(lambda out, g, needs: (g * out,)))
    monkeypatch.setattr(SigmoidOp, "vjp_into", None)
    with pytest.raises(GradcheckError, match="random projection"):
        gradcheck(lambda a: a.sigmoid(), [x])


def test_gradcheck_on_non_contiguous_inputs(monkeypatch):
    base = data((3, 4), "any", 5)
    for x in (Tensor(base.T, requires_grad=True), Tensor(base[:, ::2], requires_grad=True)):
        assert not x.data.flags.c_contiguous
        before = x.data.copy()
        assert gradcheck(lambda a: (a * a).tanh() @ np.arange(float(a.shape[-1])), [x])
        assert np.array_equal(x.data, before)
    monkeypatch.setattr(TanhOp, "vjp", staticmethod(lambda out, g, needs: (g * (1 - out),)))
    monkeypatch.setattr(TanhOp, "vjp_into", None)
    with pytest.raises(GradcheckError, match=r"worst at index"):
        gradcheck(lambda a: a.tanh(), [Tensor(base.T, requires_grad=True)])


def test_gradcheck_rules():
    with pytest.raises(TypeError, match="finite differences need float64"):
        gradcheck(lambda a: a.sum(), [Tensor(np.ones(3, dtype=np.float32), requires_grad=True)])
    with pytest.raises(ValueError, match="nothing to check"):
        gradcheck(lambda a: a.sum(), [Tensor(np.ones(3))])
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda a: 1.0, [Tensor(np.ones(3), requires_grad=True)])
    x = Tensor(np.ones(3), requires_grad=True)
    x.grad = np.full(3, 7.0)
    before = x.data.copy()
    gradcheck(lambda a: (a * a).sum(), [x])
    assert x.grad.tolist() == [7.0, 7.0, 7.0] and np.array_equal(x.data, before)
    # An input that does not reach the output has gradient zero, and that passes.
    assert gradcheck(
        lambda a, b: a.sum() * 1.0,
        [Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)],
    )


# -- property tests ------------------------------------------------------------------------------

BINARY_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 0.5),
    "**": lambda a, b: a**b,  # the base is drawn positive (d a**b / db = a**b log a)
}


@settings(max_examples=25, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    op=st.sampled_from(sorted(BINARY_OPS)),
    seed=st.integers(0, 2**16),
)
def test_broadcasting_in_every_direction(shapes, op, seed):
    a_shape, b_shape = shapes.input_shapes
    a = Tensor(data(a_shape, "positive" if op == "**" else "any", seed), requires_grad=True)
    b = Tensor(data(b_shape, "any", seed + 1), requires_grad=True)
    assert gradcheck(BINARY_OPS[op], [a, b])
    _same_as_torch(BINARY_OPS[op], [a, b])


def _same_as_torch(f, xs):
    """Value and gradients of ``f`` against torch's (through a random projection of the output)."""
    if torch is None:
        return
    for x in xs:
        x.grad = None
    ts = [torch.tensor(x.data, requires_grad=True) for x in xs]
    out, tout = f(*xs), f(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    projection = np.random.default_rng(3).normal(size=out.shape)
    (out * projection).sum().backward()
    (tout * torch.tensor(projection)).sum().backward()
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    batch=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3),
    sizes=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)),
    vector=st.sampled_from([None, "a", "b"]),
    seed=st.integers(0, 2**16),
)
def test_batched_matmul_broadcasting(batch, sizes, vector, seed):
    """``a @ b`` with batch axes broadcast in every direction, and 1-D operands on either side."""
    n, k, m = sizes
    a_shape = (k,) if vector == "a" else batch.input_shapes[0] + (n, k)
    b_shape = (k,) if vector == "b" else batch.input_shapes[1] + (k, m)
    a = Tensor(data(a_shape, "any", seed), requires_grad=True)
    b = Tensor(data(b_shape, "any", seed + 1), requires_grad=True)
    assert gradcheck(lambda a, b: a @ b, [a, b])
    _same_as_torch(lambda a, b: a @ b, [a, b])


@settings(max_examples=40, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=0, max_dims=4, max_side=4),
    data_=st.data(),
)
def test_sum_to_inverts_broadcast_to(shape, data_):
    """Broadcasting x to a larger shape and summing back multiplies x by the number of copies."""
    extra = data_.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    target = extra + tuple(data_.draw(st.sampled_from([n, 1])) if n == 1 else n for n in shape)
    big = tuple(data_.draw(st.integers(1, 3)) if n == 1 else n for n in target)
    x = np.random.default_rng(0).normal(size=target)
    back = sum_to(np.broadcast_to(x, big), target)
    copies = int(np.prod(big)) // max(int(np.prod(target)), 1)
    np.testing.assert_allclose(back, x * copies)


UNARY = [
    lambda t: t.tanh(),
    lambda t: t.sigmoid(),
    lambda t: t * 0.5 + 1.0,
    lambda t: (t * t + 1.0).log(),
    lambda t: (t * t + 1.0).sqrt(),
    lambda t: t.exp() * 0.1,
    lambda t: t.softmax(axis=-1),
    lambda t: t.log_softmax(axis=-1),
    # the smooth ops of issue 10
    lambda t: t.sin(),
    lambda t: t.cos(),
    lambda t: t.square() * 0.5,
    lambda t: t.softplus(),
    lambda t: t.logsigmoid(),
    lambda t: t.silu(),
    lambda t: t.gelu(),
    lambda t: t.gelu(approximate="tanh"),
    lambda t: t.elu(),  # as smooth as needed: α = 1 makes its slope continuous at 0
    lambda t: t.softmin(axis=-1),
    lambda t: t - t.logsumexp(axis=-1, keepdims=True),
    lambda t: t.cumsum(axis=-1).flip(-1),
    lambda t: t * t.var(axis=-1, correction=0, keepdims=True),
]


@settings(max_examples=30, deadline=None)
@given(
    ops=st.lists(st.integers(0, len(UNARY) - 1), min_size=1, max_size=5),
    shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
    reduce_axis=st.sampled_from([None, 0, -1]),
    keepdims=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_random_chains_match_finite_differences(ops, shape, reduce_axis, keepdims, seed):
    def f(x):
        for i in ops:
            x = UNARY[i](x)
        return x.sum(axis=reduce_axis, keepdims=keepdims) * x.mean()

    assert gradcheck(f, [Tensor(data(shape, "any", seed), requires_grad=True)])
