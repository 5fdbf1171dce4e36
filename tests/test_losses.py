"""Losses on Values: values, gradients (finite differences and torch), stability, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_nn import Value, gradcheck, losses

YS = [0.3, -1.2, 2.5]
TS = [1.0, 0.0, 2.0]


def _vals(xs):
    return [Value(x) for x in xs]


def test_l2_is_the_lecture_error():
    y = Value(0.76)
    E = losses.l2(y, 1.0)
    E.backward()
    assert E.data == pytest.approx(0.5 * 0.24**2)
    assert y.grad == pytest.approx(-(1.0 - 0.76))  # dE/dy = -(t - y)
    ys = _vals(YS)
    assert losses.l2(ys, TS).data == pytest.approx(0.5 * sum((t - y) ** 2 for y, t in zip(YS, TS)))


def test_nested_outputs_are_flattened():
    ys = _vals(YS)
    nested = [[ys[0]], [ys[1]], [ys[2]]]
    assert losses.mse(nested, TS).data == losses.mse(ys, TS).data
    assert losses.l2(nested, [[t] for t in TS]).data == losses.l2(ys, TS).data


def test_mse_value():
    assert losses.mse(_vals(YS), TS).data == pytest.approx(sum((y - t) ** 2 for y, t in zip(YS, TS)) / 3)


def test_bce_value_and_clamping():
    ps, ts = [0.9, 0.2, 0.6], [1, 0, 1]
    expected = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in zip(ps, ts)) / 3
    assert losses.binary_cross_entropy(_vals(ps), ts).data == pytest.approx(expected)
    # Saturated probabilities: large finite loss, as torch's BCELoss (log clamped at -100), and
    # torch's finite gradient (p - t) / max(p (1 - p), 1e-12 as a float32).
    p = Value(0.0)
    loss = losses.binary_cross_entropy(p, 1)
    loss.backward()
    assert loss.data == 100.0 and p.grad == -1 / float(np.float32(1e-12))
    assert losses.binary_cross_entropy(Value(1.0), 1).data == 0.0


def test_bce_with_logits_stable_at_extremes():
    for z, t in [(1000.0, 0), (-1000.0, 1), (1000.0, 1), (-1000.0, 0)]:
        v = Value(z)
        loss = losses.binary_cross_entropy_with_logits(v, t)
        loss.backward()
        expected_loss = 1000.0 if (z > 0) != bool(t) else 0.0
        assert loss.data == pytest.approx(expected_loss)
        sig = 1.0 if z > 0 else 0.0
        assert v.grad == pytest.approx(sig - t)
    # At z = 0 the derivative is sigmoid(0) - t = 0.5 - t (no kink in the formula).
    z = Value(0.0)
    losses.binary_cross_entropy_with_logits(z, 0.25).backward()
    assert z.grad == pytest.approx(0.25)


def test_bce_with_logits_equals_bce_of_sigmoid():
    zs, ts = [-2.0, 0.3, 4.0], [0, 1, 1]
    direct = losses.binary_cross_entropy([Value(z).sigmoid() for z in zs], ts).data
    assert losses.binary_cross_entropy_with_logits(_vals(zs), ts).data == pytest.approx(direct, rel=1e-12)


def test_hinge_value():
    ys, ts = [2.0, 0.5, 0.3, -3.0], [1, 1, -1, -1]
    expected = sum(max(0.0, 1 - y * t) for y, t in zip(ys, ts)) / 4
    assert losses.hinge(_vals(ys), ts).data == pytest.approx(expected)


def test_cross_entropy_value_and_stability():
    zs = [2.0, 1.0, 0.1]
    expected = -math.log(math.exp(2.0) / sum(math.exp(z) for z in zs))
    assert losses.cross_entropy(_vals(zs), 0).data == pytest.approx(expected)
    big = _vals([1e4, 0.0, -1e4])
    loss = losses.cross_entropy(big, 1)
    loss.backward()
    assert loss.data == pytest.approx(1e4)
    assert big[0].grad == pytest.approx(1.0) and big[1].grad == pytest.approx(-1.0)
    batch = losses.cross_entropy([_vals(zs), _vals(zs[::-1])], [0, 2])
    assert batch.data == pytest.approx(expected)


@pytest.mark.parametrize(
    "fn, targets",
    [
        (losses.l2, TS),
        (losses.mse, TS),
        (losses.binary_cross_entropy_with_logits, [1, 0, 0.3]),
        (losses.hinge, [1, -1, 1]),
        (lambda ys, t: losses.cross_entropy(ys, t), 2),
    ],
)
def test_losses_gradcheck(fn, targets):
    assert gradcheck(lambda *ys: fn(list(ys), targets), _vals(YS))


def test_bce_gradcheck():
    assert gradcheck(lambda *ps: losses.binary_cross_entropy(list(ps), [1, 0, 1]), _vals([0.3, 0.6, 0.85]))


def test_losses_against_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional

    def compare(ours, theirs, xs):
        vs = _vals(xs)
        loss = ours(vs)
        loss.backward()
        t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
        ref = theirs(t)
        ref.backward()
        assert loss.data == pytest.approx(ref.item(), abs=1e-12)
        assert [v.grad for v in vs] == pytest.approx(t.grad.tolist(), abs=1e-12)

    tt = torch.tensor(TS, dtype=torch.float64)
    compare(lambda v: losses.mse(v, TS), lambda t: F.mse_loss(t, tt), YS)
    compare(lambda v: losses.l2(v, TS), lambda t: 0.5 * F.mse_loss(t, tt, reduction="sum"), YS)
    labels = [1.0, 0.0, 1.0]
    tl = torch.tensor(labels, dtype=torch.float64)
    compare(lambda v: losses.binary_cross_entropy(v, labels), lambda t: F.binary_cross_entropy(t, tl),
            [0.2, 0.7, 0.99])
    compare(lambda v: losses.binary_cross_entropy_with_logits(v, labels),
            lambda t: F.binary_cross_entropy_with_logits(t, tl), [-30.0, 0.0, 45.0])
    pm = [1.0, -1.0, 1.0]
    tpm = torch.tensor(pm, dtype=torch.float64)
    compare(lambda v: losses.hinge(v, pm), lambda t: torch.relu(1 - t * tpm).mean(), YS)
    compare(lambda v: losses.cross_entropy(v, 1), lambda t: F.cross_entropy(t[None], torch.tensor([1])), YS)


def test_length_mismatch_names_both_lengths():
    for fn in (losses.l2, losses.mse, losses.binary_cross_entropy, losses.binary_cross_entropy_with_logits,
               losses.hinge):
        with pytest.raises(ValueError, match="3 outputs but 2 targets"):
            fn(_vals([0.5, 0.5, 0.5]), [1, 1])
    with pytest.raises(ValueError, match="2 samples of logits but 3 targets"):
        losses.cross_entropy([_vals([1, 2]), _vals([1, 2])], [0, 1, 1])


def test_bad_input():
    with pytest.raises(ValueError, match="labels must be -1 or \\+1, target 1 is 0.0"):
        losses.hinge(_vals([1.0, 2.0]), [1, 0])
    with pytest.raises(ValueError, match="target 3 out of range for 3 classes"):
        losses.cross_entropy(_vals([1, 2, 3]), 3)
    with pytest.raises(TypeError, match="int class index"):
        losses.cross_entropy(_vals([1, 2, 3]), 1.0)
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        losses.binary_cross_entropy(Value(1.5), 1)
    with pytest.raises(TypeError, match="outputs must hold Values or numbers"):
        losses.mse(["a"], [1])


def test_tensor_outputs_are_handed_to_tensor_losses():
    import numpy as np

    from autograd_nn import Tensor, tensor_losses

    probs = Tensor(np.array([0.9, 0.2, 0.6]), requires_grad=True)
    labels = np.array([1.0, 0.0, 1.0])
    cases = [
        ("l2", probs, labels), ("mse", probs, labels), ("binary_cross_entropy", probs, labels),
        ("binary_cross_entropy_with_logits", probs, labels), ("hinge", probs, 2 * labels - 1),
        ("cross_entropy", Tensor(np.array([[2.0, 1.0, 0.1], [0.3, 0.2, 3.0]])), np.array([0, 2])),
    ]
    for name, outputs, targets in cases:
        ours = getattr(losses, name)(outputs, targets)
        assert isinstance(ours, Tensor), name
        assert ours.item() == getattr(tensor_losses, name)(outputs, targets).item(), name
        # ... and the same numbers as the scalar losses on the same data
        scalar_out = outputs.data.tolist()
        scalar_targets = [int(t) for t in targets] if name == "cross_entropy" else targets.tolist()
        assert ours.item() == pytest.approx(getattr(losses, name)(scalar_out, scalar_targets).data), name
