"""The cross-entropies against PyTorch: their options, their edges, and one answer in both engines.

``reduction``, ``label_smoothing``, ``ignore_index``, probability targets, ``weight`` and
``pos_weight`` are compared with ``torch.nn.functional`` value for value and gradient for
gradient (targets that require grad included); at p = 0 and 1 and at logits ±inf the Value and
Tensor losses give the same finite numbers, PyTorch's where PyTorch's are finite.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import Tensor, Value, grad, gradcheck, losses
from autograd_nn.tensor_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="compares with PyTorch")
F = None if torch is None else torch.nn.functional
INF = math.inf
DTYPES = [np.float64, np.float32]


def _torch_dtype(dtype):
    return torch.float64 if dtype == np.float64 else torch.float32


def _ours_and_torch(ours, theirs, arrays, grads=None):
    """Our loss and gradients and torch's, for the same arrays; ``grads`` says which require grad."""
    grads = [True] * len(arrays) if grads is None else grads
    xs = [Tensor(a.copy(), requires_grad=g) for a, g in zip(arrays, grads)]
    out = ours(*xs)
    wanted = [x for x in xs if x.requires_grad]
    gs = grad(out.sum(), wanted) if wanted else []
    ts = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    tout = theirs(*ts)
    tgs = torch.autograd.grad(tout.sum(), [t for t in ts if t.requires_grad]) if wanted else []
    return (out.data, [g.data for g in gs]), (tout.detach().numpy(), [g.numpy() for g in tgs])


def _assert_matches(ours, theirs, rtol=1e-12, atol=1e-12):
    (out, gs), (tout, tgs) = ours, theirs
    np.testing.assert_allclose(out, tout, rtol=rtol, atol=atol)
    assert out.dtype == tout.dtype and out.shape == tout.shape
    for i, (g, t) in enumerate(zip(gs, tgs)):
        np.testing.assert_allclose(g, t, rtol=rtol, atol=atol, err_msg=f"gradient {i}")


RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(6, 4)) * 2
CLASSES = np.array([1, 0, 3, 3, 2, 1])
IGNORED = np.array([1, -100, 3, 7, -100, 2])  # -100 (torch's default) and 7 (a custom ignore_index)
SOFT = RNG.dirichlet(np.ones(4), size=6)
PROBS = RNG.uniform(0.05, 0.95, size=(3, 4))
BINARY = (RNG.uniform(size=(3, 4)) > 0.5).astype(float)
POS_WEIGHTS = [None, np.array([0.5, 1.0, 2.0, 4.0]), np.array([[3.0], [1.0], [0.5]])]  # broadcast as torch


# -- cross_entropy and nll_loss ------------------------------------------------------------------


def _valid(targets, ignore_index):
    """``targets`` with those neither a class nor ignored replaced by class 0."""
    return np.where((targets == ignore_index) | ((targets >= 0) & (targets < 4)), targets, 0)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.25, 1.0])
@pytest.mark.parametrize(
    "targets, ignore_index", [(CLASSES, -100), (IGNORED, -100), (IGNORED, 7), (CLASSES, 3)]
)
def test_cross_entropy_with_class_targets_is_torchs(reduction, label_smoothing, targets, ignore_index):
    options = dict(reduction=reduction, label_smoothing=label_smoothing, ignore_index=ignore_index)
    targets = _valid(targets, ignore_index)
    ours, theirs = _ours_and_torch(
        lambda z: cross_entropy(z, targets, **options),
        lambda z: F.cross_entropy(z, torch.tensor(targets), **options),
        [LOGITS],
    )
    _assert_matches(ours, theirs)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_cross_entropy_with_probability_targets_is_torchs_in_both_operands(reduction, label_smoothing):
    options = dict(reduction=reduction, label_smoothing=label_smoothing)

    def ours(z, y):
        return cross_entropy(z, y, **options)

    def theirs(z, y):
        return F.cross_entropy(z, y, **options)

    _assert_matches(*_ours_and_torch(ours, theirs, [LOGITS, SOFT]))
    _assert_matches(*_ours_and_torch(ours, theirs, [LOGITS[0], SOFT[0]]))  # one sample


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("targets, ignore_index", [(CLASSES, -100), (IGNORED, 7)])
def test_nll_loss_is_torchs(reduction, targets, ignore_index):
    log_probs = LOGITS - np.log(np.exp(LOGITS).sum(axis=1, keepdims=True))
    targets = _valid(targets, ignore_index)
    options = dict(reduction=reduction, ignore_index=ignore_index)
    ours, theirs = _ours_and_torch(
        lambda x: nll_loss(x, targets, **options),
        lambda x: F.nll_loss(x, torch.tensor(targets), **options),
        [log_probs],
    )
    _assert_matches(ours, theirs)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_one_sample_and_every_target_ignored_are_torchs(reduction):
    options = dict(reduction=reduction, label_smoothing=0.1)
    for targets, z in ((np.array(2), LOGITS[0]), (np.array(-100), LOGITS[0]), (np.full(3, -100), LOGITS[:3])):
        (out, (g,)), (tout, (tg,)) = _ours_and_torch(
            lambda z, targets=targets: cross_entropy(z, targets, **options),
            lambda z, targets=targets: F.cross_entropy(z, torch.tensor(targets), **options),
            [z],
        )
        # every target ignored: a NaN mean (0 / 0) and zero gradients, as torch's
        np.testing.assert_allclose(out, tout, rtol=1e-12)
        assert out.shape == tout.shape
        np.testing.assert_allclose(g, tg, rtol=1e-12, atol=1e-15)


@needs_torch
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_options_keep_float32_and_match_torch(dtype):
    z = LOGITS.astype(dtype)
    options = dict(reduction="sum", label_smoothing=0.1, ignore_index=7)
    targets = _valid(IGNORED, 7)
    ours, theirs = _ours_and_torch(
        lambda x: cross_entropy(x, targets, **options),
        lambda x: F.cross_entropy(x, torch.tensor(targets), **options),
        [z],
    )
    assert ours[0].dtype == dtype and ours[1][0].dtype == dtype
    _assert_matches(ours, theirs, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6)


def test_the_default_call_stays_one_fused_node():
    z = Tensor(LOGITS, requires_grad=True)
    loss = cross_entropy(z, CLASSES)
    assert loss.op == "cross_entropy" and loss.parents == (z,)
    for options in ({"reduction": "sum"}, {"label_smoothing": 0.1}, {"ignore_index": 3}):
        assert cross_entropy(z, CLASSES, **options).op != "cross_entropy"


def test_cross_entropy_and_nll_loss_bad_options():
    z = Tensor(LOGITS)
    with pytest.raises(ValueError, match=r"reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        cross_entropy(z, CLASSES, reduction="avg")
    with pytest.raises(ValueError, match=r"reduction must be 'mean', 'sum' or 'none', got None"):
        nll_loss(z, CLASSES, reduction=None)
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
            cross_entropy(z, CLASSES, label_smoothing=bad)
    with pytest.raises(TypeError, match="label_smoothing must be a number, got str"):
        cross_entropy(z, CLASSES, label_smoothing="0.1")
    with pytest.raises(ValueError, match=r"shape \(6, 3\) do not match the logits' shape \(6, 4\)"):
        cross_entropy(z, SOFT[:, :3])
    with pytest.raises(TypeError, match=r"integer class indices, got floats of shape \(6,\)"):
        cross_entropy(z, CLASSES.astype(float))
    with pytest.raises(ValueError, match="ignore_index is for class-index targets"):
        cross_entropy(z, SOFT, ignore_index=0)
    with pytest.raises(ValueError, match=r"target 3 is 7, outside the classes 0 .. 3"):
        cross_entropy(z, IGNORED)  # 7 is not ignored by default
    with pytest.raises(ValueError, match=r"target 1 is -100, outside"):
        cross_entropy(z, IGNORED, ignore_index=7)
    with pytest.raises(ValueError, match=r"target 3 is 7, outside"):
        nll_loss(z, IGNORED)
    with pytest.raises(TypeError, match="ignore_index must be an int, got float"):
        cross_entropy(z, CLASSES, ignore_index=1.0)


def test_a_failed_call_changes_nothing():
    z = Tensor(LOGITS.copy(), requires_grad=True)
    with pytest.raises(ValueError):
        cross_entropy(z, IGNORED, label_smoothing=0.1)
    assert z.grad is None and np.array_equal(z.data, LOGITS)


# -- binary cross-entropies: options and target gradients ---------------------------------------


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_is_torchs_in_both_operands(reduction, weighted):
    weight = RNG.uniform(0.5, 2.0, size=(4,)) if weighted else None
    tw = None if weight is None else torch.tensor(weight)
    ours, theirs = _ours_and_torch(
        lambda p, t: binary_cross_entropy(p, t, weight=weight, reduction=reduction),
        lambda p, t: F.binary_cross_entropy(p, t, weight=tw, reduction=reduction),
        [PROBS, RNG.uniform(size=(3, 4))],
    )
    _assert_matches(ours, theirs)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("pos_weight", POS_WEIGHTS, ids=["none", "per-class", "per-row"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_with_logits_is_torchs_in_both_operands(reduction, pos_weight, weighted):
    weight = RNG.uniform(0.5, 2.0, size=(3, 1)) if weighted else None
    tw = None if weight is None else torch.tensor(weight)
    tpw = None if pos_weight is None else torch.tensor(pos_weight)
    ours, theirs = _ours_and_torch(
        lambda z, t: binary_cross_entropy_with_logits(z, t, weight, reduction, pos_weight=pos_weight),
        lambda z, t: F.binary_cross_entropy_with_logits(z, t, tw, reduction=reduction, pos_weight=tpw),
        [LOGITS[:3] * 5, RNG.uniform(size=(3, 4))],
    )
    _assert_matches(ours, theirs)


@needs_torch
def test_target_gradients_of_second_order_are_torchs():
    """d/dt, and the mixed and pure second derivatives, through grad(create_graph=True)."""
    z0, t0 = LOGITS[:3], RNG.uniform(size=(3, 4))
    pw = np.array([0.5, 1.0, 2.0, 4.0])
    for ours, theirs, x0 in [
        (lambda z, t: binary_cross_entropy_with_logits(z, t, pos_weight=pw),
         lambda z, t: F.binary_cross_entropy_with_logits(z, t, pos_weight=torch.tensor(pw)), z0),
        (lambda p, t: binary_cross_entropy(p, t), lambda p, t: F.binary_cross_entropy(p, t), PROBS),
    ]:
        x, t = Tensor(x0, requires_grad=True), Tensor(t0, requires_grad=True)
        gx, gt = grad(ours(x, t), [x, t], create_graph=True)
        second = grad((gt * gt).sum() + (gx * gt).sum(), [x, t])
        tx, tt = torch.tensor(x0, requires_grad=True), torch.tensor(t0, requires_grad=True)
        tgx, tgt = torch.autograd.grad(theirs(tx, tt), [tx, tt], create_graph=True)
        tsecond = torch.autograd.grad((tgt * tgt).sum() + (tgx * tgt).sum(), [tx, tt])
        np.testing.assert_allclose(gt.data, tgt.detach().numpy(), rtol=1e-12)
        for ours_h, torch_h in zip(second, tsecond):
            np.testing.assert_allclose(ours_h.data, torch_h.numpy(), rtol=1e-9, atol=1e-12)


def test_targets_that_require_grad_pass_gradcheck():
    t = Tensor(RNG.uniform(size=(3, 4)), requires_grad=True)
    p, z = Tensor(PROBS, requires_grad=True), Tensor(LOGITS[:3], requires_grad=True)
    assert gradcheck(lambda p, t: binary_cross_entropy(p, t, reduction="sum"), [p, t])
    assert gradcheck(lambda z, t: binary_cross_entropy_with_logits(z, t, pos_weight=[2, 1, 0.5, 3]), [z, t])
    scalar = Tensor(0.3, requires_grad=True)  # one target for every element: its gradient is their sum
    assert gradcheck(lambda z, t: binary_cross_entropy_with_logits(z, t), [z, scalar])


def test_binary_cross_entropies_bad_options():
    p, z = Tensor(PROBS), Tensor(LOGITS[:3])
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none', got 'Sum'"):
        binary_cross_entropy(p, BINARY, reduction="Sum")
    with pytest.raises(ValueError, match="reduction must be"):
        binary_cross_entropy_with_logits(z, BINARY, reduction="elementwise")
    with pytest.raises(ValueError, match=r"pos_weight of shape \(3,\) does not broadcast to the outputs'"):
        binary_cross_entropy_with_logits(z, BINARY, pos_weight=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"weight of shape \(2, 3, 4\) does not broadcast"):
        binary_cross_entropy(p, BINARY, weight=np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="pos_weight cannot require grad"):
        binary_cross_entropy_with_logits(z, BINARY, pos_weight=Tensor([2.0], requires_grad=True))
    with pytest.raises(TypeError, match="weight must be a number, list, array or Tensor, got str"):
        binary_cross_entropy(p, BINARY, weight="heavy")
    with pytest.raises(ValueError, match="reduction must be"):
        losses.binary_cross_entropy([Value(0.5)], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="2 outputs but 3 values of pos_weight"):
        losses.binary_cross_entropy_with_logits([Value(0.5), Value(1.0)], [1.0, 0.0], pos_weight=[1, 2, 3])


def test_integer_outputs_give_float_losses_with_every_option():
    for reduction in ("mean", "sum", "none"):
        bce = binary_cross_entropy_with_logits(Tensor([0, 0]), [0.5, 0.5], reduction=reduction, pos_weight=2)
        expected = 1.5 * np.log(2) * (2 if reduction == "sum" else 1)
        assert bce.dtype == np.float64 and np.allclose(bce.data, expected)
        assert binary_cross_entropy(Tensor([1, 0]), [0.5, 0.5], reduction=reduction).dtype == np.float64
        assert cross_entropy(Tensor([[0, 0]]), [1], reduction=reduction).dtype == np.float64


# -- the edges: p = 0 and 1, logits ±inf -------------------------------------------------------------

EDGE_P = [0.0, 1.0, 1e-20, 1e-13, 1 - 2**-53]
EDGE_Z = [INF, -INF]
EDGE_T = [0.0, 0.5, 1.0]


def _engines(loss, x0, t0, dtype=np.float64, **options):
    """Loss and (d/dx, d/dt) of one element, by the Tensor loss and by the Value loss."""
    x = Tensor(np.array([x0], dtype=dtype), requires_grad=True)
    t = Tensor(np.array([t0], dtype=dtype), requires_grad=True)
    out = getattr(losses, loss)(x, t, **options)
    out.backward()
    tensor = (out.item(), x.grad[0].item(), t.grad[0].item())
    xv, tv = Value(x0), Value(t0)
    out = getattr(losses, loss)(xv, tv, **options)
    out.backward()
    return tensor, (out.data, xv.grad, tv.grad)


def _torch_edge(loss, x0, t0, dtype):
    x = torch.tensor([x0], dtype=_torch_dtype(dtype), requires_grad=True)
    t = torch.tensor([t0], dtype=_torch_dtype(dtype), requires_grad=True)
    out = loss(x, t)
    gx, gt = torch.autograd.grad(out, [x, t])
    return out.item(), gx.item(), gt.item()


@pytest.mark.parametrize("p", EDGE_P)
@pytest.mark.parametrize("t", EDGE_T)
def test_binary_cross_entropy_edges_are_one_answer_in_both_engines(p, t):
    tensor, value = _engines("binary_cross_entropy", p, t)
    assert all(math.isfinite(v) for v in tensor)
    assert value == pytest.approx(tensor, rel=1e-12, abs=1e-300)
    if p in (0.0, 1.0):
        assert value == tensor  # the same numbers, not only close ones


@needs_torch
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", EDGE_P)
@pytest.mark.parametrize("t", EDGE_T)
def test_binary_cross_entropy_edges_are_torchs(dtype, p, t):
    ours, _ = _engines("binary_cross_entropy", p, t, dtype)
    theirs = _torch_edge(F.binary_cross_entropy, p, t, dtype)
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    assert ours[:2] == pytest.approx(theirs[:2], rel=rtol, abs=1e-30)
    if math.isfinite(theirs[2]):
        assert ours[2] == pytest.approx(theirs[2], rel=rtol)
    else:  # torch's d/dt = -logit(p) is ±inf at p = 0, 1; ours keeps the clamp of the loss: ±100
        assert ours[2] == math.copysign(100.0, theirs[2])


@pytest.mark.parametrize("z", EDGE_Z)
@pytest.mark.parametrize("t", EDGE_T)
@pytest.mark.parametrize("pos_weight", [None, 3.0])
def test_logit_edges_are_one_finite_answer_in_both_engines(z, t, pos_weight):
    tensor, value = _engines("binary_cross_entropy_with_logits", z, t, pos_weight=pos_weight)
    assert value == tensor and all(math.isfinite(v) for v in tensor)
    w = 1.0 if pos_weight is None else pos_weight
    # The loss of sigma(z) = 1 or 0 with log clamped at -100; flat in z; linear in t.
    assert tensor == ((1 - t) * 100.0, 0.0, -100.0) if z > 0 else (w * t * 100.0, 0.0, w * 100.0)


@needs_torch
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("z", EDGE_Z)
@pytest.mark.parametrize("t", EDGE_T)
def test_logit_edges_are_torchs_binary_cross_entropy_of_the_sigmoid(dtype, z, t):
    """Torch's own logits loss is nan or inf at ±inf; ours is its BCE of σ(z) there."""
    ours, _ = _engines("binary_cross_entropy_with_logits", z, t, dtype)
    theirs = _torch_edge(lambda x, y: F.binary_cross_entropy(torch.sigmoid(x), y), z, t, dtype)
    assert ours[:2] == theirs[:2]
    assert ours[2] == (theirs[2] if math.isfinite(theirs[2]) else math.copysign(100.0, theirs[2]))
    logits_loss = _torch_edge(F.binary_cross_entropy_with_logits, z, t, dtype)
    assert not math.isfinite(logits_loss[0])  # what this fixes


@needs_torch
@pytest.mark.parametrize("dtype", DTYPES)
def test_large_finite_logits_stay_torchs(dtype):
    zs = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4], dtype=dtype)
    ts = np.array([1.0, 1.0, 0.0, 0.5, 1.0, 0.0, 0.0], dtype=dtype)
    pos_weight = torch.tensor(2.0, dtype=_torch_dtype(dtype))
    ours, theirs = _ours_and_torch(
        lambda z, t: binary_cross_entropy_with_logits(z, t, reduction="none", pos_weight=2.0),
        lambda z, t: F.binary_cross_entropy_with_logits(z, t, reduction="none", pos_weight=pos_weight),
        [zs, ts],
    )
    _assert_matches(ours, theirs, rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_second_derivatives_at_the_edges_are_finite():
    edges = {"binary_cross_entropy": [0.0, 1.0, 0.5], "binary_cross_entropy_with_logits": [INF, -INF, 0.0]}
    for loss, x0 in edges.items():
        x, t = Tensor(x0, requires_grad=True), Tensor([1.0, 0.0, 0.5], requires_grad=True)
        gx, gt = grad(getattr(losses, loss)(x, t), [x, t], create_graph=True)
        plain = grad(getattr(losses, loss)(x, t), [x, t])
        assert [g.data.tolist() for g in (gx, gt)] == [g.data.tolist() for g in plain]
        hs = grad((gx * gx).sum() + (gt * gt).sum(), [x, t])
        assert all(np.isfinite(h.data).all() for h in hs)


# -- properties ------------------------------------------------------------------------------------

finite_logits = hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)),
                           elements=st.floats(-30, 30))


@settings(max_examples=40, deadline=None)
@given(finite_logits, st.data())
def test_one_hot_probability_targets_equal_class_targets(z, data):
    n, c = z.shape
    t = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    smoothing = data.draw(st.sampled_from([0.0, 0.1, 0.5]))
    onehot = np.eye(c)[t]
    for reduction in ("mean", "sum", "none"):
        by_class = cross_entropy(Tensor(z), t, reduction=reduction, label_smoothing=smoothing).data
        by_probs = cross_entropy(Tensor(z), onehot, reduction=reduction, label_smoothing=smoothing).data
        np.testing.assert_allclose(by_class, by_probs, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(finite_logits, st.data())
def test_sum_is_mean_times_the_samples_counted(z, data):
    n, c = z.shape
    t = np.array(data.draw(st.lists(st.integers(-1, c - 1), min_size=n, max_size=n)))
    smoothing = data.draw(st.sampled_from([0.0, 0.2]))
    options = dict(ignore_index=-1, label_smoothing=smoothing)
    kept = int((t != -1).sum())
    total = cross_entropy(Tensor(z), t, reduction="sum", **options).item()
    each = cross_entropy(Tensor(z), t, reduction="none", **options).data
    assert total == pytest.approx(each.sum(), rel=1e-12, abs=1e-12)
    if kept:
        mean = cross_entropy(Tensor(z), t, reduction="mean", **options).item()
        assert total == pytest.approx(mean * kept, rel=1e-12, abs=1e-12)
    if kept == n and not smoothing:  # the fused node and the composed forms agree
        fused = cross_entropy(Tensor(z), t).item()
        assert total == pytest.approx(fused * n, rel=1e-12, abs=1e-12)


unit = st.one_of(st.sampled_from([0.0, 1.0, 1e-300, 1e-13, 1.0 - 1e-13]), st.floats(0.0, 1.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(unit, st.sampled_from([0.0, 0.3, 1.0])), min_size=1, max_size=4))
def test_both_engines_give_one_binary_cross_entropy(pairs):
    ps, ts = [p for p, _ in pairs], [t for _, t in pairs]
    values = [Value(p) for p in ps]
    v_loss = losses.binary_cross_entropy(values, ts, reduction="sum")
    v_loss.backward()
    x = Tensor(ps, requires_grad=True)
    t_loss = losses.binary_cross_entropy(x, ts, reduction="sum")
    t_loss.backward()
    assert math.isfinite(t_loss.item()) and np.isfinite(x.grad).all()
    assert v_loss.data == pytest.approx(t_loss.item(), rel=1e-12, abs=1e-12)
    assert [v.grad for v in values] == pytest.approx(x.grad.tolist(), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(-50, 50), st.sampled_from([INF, -INF, 0.0])),
                          st.sampled_from([0.0, 0.3, 1.0])), min_size=1, max_size=4),
       st.sampled_from([None, 0.5, 3.0]))
def test_both_engines_give_one_logits_loss_equal_to_the_loss_of_the_sigmoid(pairs, pos_weight):
    zs, ts = [z for z, _ in pairs], [t for _, t in pairs]
    values = [Value(z) for z in zs]
    v_loss = losses.binary_cross_entropy_with_logits(values, ts, reduction="sum", pos_weight=pos_weight)
    v_loss.backward()
    x = Tensor(zs, requires_grad=True)
    t_loss = losses.binary_cross_entropy_with_logits(x, ts, reduction="sum", pos_weight=pos_weight)
    t_loss.backward()
    assert v_loss.data == pytest.approx(t_loss.item(), rel=1e-12, abs=1e-12)
    assert [v.grad for v in values] == pytest.approx(x.grad.tolist(), rel=1e-12, abs=1e-12)
    infinite = np.isinf(zs)
    if pos_weight is None and infinite.any():  # there it is the clamped BCE of sigma(z) = 1 or 0
        via_p = binary_cross_entropy(Tensor(zs).sigmoid(), ts, reduction="none").data
        ours = binary_cross_entropy_with_logits(Tensor(zs), ts, reduction="none").data
        assert ours[infinite].tolist() == via_p[infinite].tolist()
