"""Tensor layers beyond Linear: activations, Flatten, Dropout; train/eval; the way to PyTorch and back."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nn import Tensor
from autograd_nn.nn import (
    ELU,
    GELU,
    MLP,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Tanh,
)

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the test extra
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

# Each layer with the same layer of torch.nn, built from the same arguments.
LAYERS = [
    (LeakyReLU, (), "LeakyReLU(negative_slope=0.01)"),
    (LeakyReLU, (0.2,), "LeakyReLU(negative_slope=0.2)"),
    (GELU, (), "GELU(approximate='none')"),
    (GELU, ("tanh",), "GELU(approximate='tanh')"),
    (SiLU, (), "SiLU()"),
    (ELU, (), "ELU(alpha=1.0)"),
    (ELU, (0.5,), "ELU(alpha=0.5)"),
    (Softplus, (), "Softplus(beta=1.0, threshold=20.0)"),
    (Softplus, (2.0, 5.0), "Softplus(beta=2.0, threshold=5.0)"),
    (Softmax, (-1,), "Softmax(dim=-1)"),
    (Softmax, (0,), "Softmax(dim=0)"),
    (Flatten, (), "Flatten(start_dim=1, end_dim=-1)"),
    (Flatten, (0, 1), "Flatten(start_dim=0, end_dim=1)"),
    (Tanh, (), "Tanh()"),
    (Sigmoid, (), "Sigmoid()"),
    (ReLU, (), "ReLU()"),
    (Identity, (), "Identity()"),
]
IDS = [repr_ for _, _, repr_ in LAYERS]


def backprop(layer, x: np.ndarray, g: np.ndarray):
    """Our layer's output and input gradient for the upstream gradient ``g``."""
    xt = Tensor(x.copy(), requires_grad=True)
    out = layer(xt)
    (out * g).sum().backward()
    return out.data, xt.grad


def backprop_torch(module, x: np.ndarray, g: np.ndarray):
    xt = torch.tensor(x, requires_grad=True)
    out = module(xt)
    (out * torch.from_numpy(g)).sum().backward()
    return out.detach().numpy(), xt.grad.numpy()


# -- train / eval -------------------------------------------------------------------------------


def test_every_module_starts_in_training_mode_whatever_its_init():
    model = Sequential(Linear(2, 2, seed=0), Dropout(), Linear.from_weights([[1.0]]))
    assert all(m.training for _, m in model.named_modules())
    assert MLP(2, [2, 1], seed=0).training and Module().training


def test_train_and_eval_set_every_sub_module_and_return_the_module():
    inner = Sequential(Linear(2, 2, seed=0), Dropout(0.2))
    model = Sequential(inner, Tanh(), MLP(2, [1], seed=0).to_tensor())
    assert model.eval() is model
    assert [m.training for _, m in model.named_modules()] == [False] * len(list(model.named_modules()))
    assert model.train() is model and inner[1].training
    assert inner.train(False) is inner and not inner[1].training and model.training
    mlp = MLP(2, [2, 1], seed=0).eval()  # the scalar engine's modules too
    assert not any(m.training for _, m in mlp.named_modules())
    assert "training" not in dict(model.state_dict()) and len(model.parameters()) == 4


def test_train_wants_a_bool():
    model = Sequential(Dropout())
    with pytest.raises(TypeError, match="train: mode must be a bool, got str"):
        model.train("eval")
    assert model.training and model[0].training  # nothing changed


# -- Dropout ------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=6), elements=st.floats(-10, 10)),
       p=st.floats(0.0, 0.9), seed=st.integers(0, 2**32 - 1))
def test_dropout_zeroes_or_scales_and_its_gradient_is_the_mask(x, p, seed):
    drop = Dropout(p, seed=seed)
    out, grad = backprop(drop, x, np.ones_like(x))
    mask = grad
    assert set(np.unique(mask)) <= {0.0, 1 / (1 - p)}
    assert np.allclose(out, x * mask)
    again, _ = backprop(Dropout(p, seed=seed), x, np.ones_like(x))
    assert np.array_equal(out, again)  # the same seed, the same mask


def test_dropout_drops_about_p_and_keeps_the_mean():
    drop = Dropout(0.3, seed=0)
    out = drop(np.ones(100_000)).data
    assert abs((out == 0).mean() - 0.3) < 0.01 and abs(out.mean() - 1.0) < 0.02
    assert not np.array_equal(drop(np.ones(50)).data, drop(np.ones(50)).data)  # a new mask per call


def test_dropout_is_the_identity_in_eval_mode_and_for_p_zero():
    x = Tensor(np.ones((3, 4)), requires_grad=True)
    assert Dropout(0.5).eval()(x) is x
    assert Dropout(0.0)(x) is x


def test_dropout_keeps_float32():
    out = Dropout(0.5, seed=0)(Tensor(np.ones(8, dtype=np.float32), requires_grad=True))
    assert out.dtype == np.float32 and set(out.data.tolist()) <= {0.0, 2.0}


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_p_outside_zero_one_is_a_value_error_naming_it(p):
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\), got p="):
        Dropout(p)


def test_dropout_repr_and_bad_type():
    assert repr(Dropout()) == "Dropout(p=0.5)" and repr(Dropout(p=0.25, seed=3)) == "Dropout(p=0.25)"
    with pytest.raises(TypeError, match="Dropout: p must be a real number, got str"):
        Dropout("0.5")


# -- the activations and Flatten ----------------------------------------------------------------


@pytest.mark.parametrize("cls, args, expected", LAYERS, ids=IDS)
def test_repr_as_torch(cls, args, expected):
    assert repr(cls(*args)) == expected
    assert repr(Softmax()) == "Softmax(dim=-1)"  # torch's default dim=None is deprecated
    if torch is not None:
        assert repr(getattr(torch.nn, cls.__name__)(*args)) == expected


@needs_torch
@settings(max_examples=20, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("cls, args, expected", LAYERS, ids=IDS)
def test_layer_matches_torch_in_value_and_gradient(cls, args, expected, data):
    x = data.draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=4, max_side=4),
                             elements=st.floats(-30, 30)))
    ours, theirs = cls(*args), getattr(torch.nn, cls.__name__)(*args)
    g = np.random.default_rng(0).normal(size=tuple(theirs(torch.from_numpy(x)).shape))
    out, grad = backprop(ours, x, g)
    expected_out, expected_grad = backprop_torch(theirs, x, g)
    assert out.shape == expected_out.shape and grad.shape == x.shape
    np.testing.assert_allclose(out, expected_out, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: LeakyReLU("0.1"), TypeError, "LeakyReLU: negative_slope must be a real number, got str"),
        (lambda: GELU("exact"), ValueError, "GELU: approximate must be 'none' or 'tanh', got 'exact'"),
        (lambda: ELU(None), TypeError, "ELU: alpha must be a real number, got NoneType"),
        (lambda: Softplus(beta=True), TypeError, "Softplus: beta must be a real number, got bool"),
        (lambda: Softmax(dim=None), TypeError, "Softmax: dim must be an int, got NoneType"),
        (lambda: Flatten(1.0), TypeError, "Flatten: start_dim must be an int, got float"),
    ],
)
def test_bad_constructor_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_flatten_in_a_network():
    model = Sequential(Flatten(), Linear(12, 2, seed=0, dtype=np.float64))
    x = Tensor(np.ones((5, 3, 4)), requires_grad=True)
    model(x).sum().backward()
    assert model(x).shape == (5, 2) and x.grad.shape == (5, 3, 4)


# -- the way out to PyTorch ---------------------------------------------------------------------


def every_layer(dtype, seed=0):
    """A model with every layer the bridge knows, for inputs of shape (N, 2, 3)."""
    rng = np.random.default_rng(seed)
    return Sequential(
        Flatten(), Linear(6, 5, seed=rng, dtype=dtype), LeakyReLU(0.1), Linear(5, 5, seed=rng, dtype=dtype),
        GELU(), Linear(5, 5, seed=rng, dtype=dtype), GELU("tanh"), SiLU(), ELU(0.5), Softplus(2.0, 3.0),
        Sequential(Linear(5, 5, seed=rng, dtype=dtype), Tanh(), Sigmoid()), ReLU(), Identity(),
        Dropout(0.3), Linear(5, 4, bias=False, seed=rng, dtype=dtype), Softmax(dim=-1),
    )


TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}


def compare(ours, theirs, dtype):
    """The same outputs and gradients (input and every parameter) in both engines."""
    rng = np.random.default_rng(1)
    x, g = rng.normal(size=(7, 2, 3)).astype(dtype), rng.normal(size=(7, 4)).astype(dtype)
    out, grad = backprop(ours, x, g)
    expected_out, expected_grad = backprop_torch(theirs, x, g)
    tol = TOLERANCE[dtype]
    assert out.dtype == expected_out.dtype == dtype
    np.testing.assert_allclose(out, expected_out, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad, expected_grad, rtol=tol, atol=tol)
    params = dict(ours.named_parameters())
    named = list(theirs.named_parameters())
    assert [name for name, _ in named] == list(params)  # the same names, "1.weight", "10.0.bias", ...
    for name, p in named:
        mine = params[name].grad.T if name.endswith("weight") else params[name].grad
        np.testing.assert_allclose(mine, p.grad.numpy(), rtol=tol, atol=tol, err_msg=name)


@needs_torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_to_torch_computes_the_same_outputs_and_gradients(dtype):
    ours = every_layer(dtype).eval()
    theirs = ours.to_torch()
    weight = theirs[1].weight
    assert isinstance(theirs, torch.nn.Sequential) and weight.dtype == getattr(torch, np.dtype(dtype).name)
    assert weight.shape == (5, 6) and np.array_equal(weight.detach().numpy(), ours[1].weight.data.T)
    compare(ours, theirs, dtype)


@needs_torch
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64] if torch else [])
def test_from_torch_computes_the_same_outputs_and_gradients(dtype):
    torch.manual_seed(0)
    nn = torch.nn
    theirs = nn.Sequential(
        nn.Flatten(), nn.Linear(6, 5), nn.LeakyReLU(0.1), nn.Linear(5, 5), nn.GELU(), nn.Linear(5, 5),
        nn.GELU("tanh"), nn.SiLU(), nn.ELU(0.5), nn.Softplus(2.0, 3.0),
        nn.Sequential(nn.Linear(5, 5), nn.ReLU(inplace=True), nn.Sigmoid()), nn.Tanh(), nn.Identity(),
        nn.Dropout(0.3), nn.Linear(5, 4, bias=False), nn.Softmax(dim=-1),
    ).to(dtype).eval()
    ours = Sequential.from_torch(theirs)
    assert repr(ours[13]) == "Dropout(p=0.3)" and ours[14].bias is None
    assert [type(layer).__name__ for layer in ours] == [type(m).__name__ for m in theirs]
    compare(ours, theirs, np.dtype(str(dtype).removeprefix("torch.")).type)


@needs_torch
def test_the_round_trip_keeps_weights_options_and_training_modes():
    ours = every_layer(np.float64)
    ours[13].eval()  # Dropout alone in eval mode
    ours[10].eval()  # the inner Sequential and its layers
    theirs = ours.to_torch()
    modes = [m.training for _, m in ours.named_modules()]
    assert [m.training for m in theirs.modules()] == modes
    assert theirs[13].p == 0.3 and theirs[9].beta == 2.0 and theirs[6].approximate == "tanh"
    back = Sequential.from_torch(theirs)
    assert [m.training for _, m in back.named_modules()] == modes
    assert repr(back) == repr(ours)
    for (name, a), (_, b) in zip(ours.named_parameters(), back.named_parameters()):
        assert np.array_equal(a.data, b.data) and a.dtype == b.dtype, name


@needs_torch
def test_modes_carried_whole_model():
    assert not Sequential(Linear(1, 1, seed=0)).eval().to_torch().training
    theirs = torch.nn.Sequential(torch.nn.Dropout(0.2)).eval()
    ours = Sequential.from_torch(theirs)
    assert not ours.training and not ours[0].training
    assert ours(np.ones(3)).data.tolist() == [1.0, 1.0, 1.0]


@needs_torch
@pytest.mark.parametrize("layer", [Step(), MLP(2, [1], seed=0), Linear(2, 2, seed=0)])
def test_to_torch_names_a_layer_without_a_torch_equivalent(layer):
    model = Sequential(Linear(2, 2, seed=0), Tanh(), layer)
    if isinstance(layer, Linear):
        model = Sequential(model, Sequential(Step()))  # found in a nested Sequential too
        match = r"layer 0, Step\(\), has no PyTorch equivalent"
    else:
        match = rf"to_torch: layer 2, {type(layer).__name__}\(.*\), has no PyTorch equivalent; supported are"
    with pytest.raises(TypeError, match=match):
        model.to_torch()


@needs_torch
def test_from_torch_names_a_layer_it_cannot_import():
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Conv2d(1, 1, 3))
    message = r"from_torch: cannot import layer 2, Conv2d\(1, 1, .*supported are Linear"
    with pytest.raises(TypeError, match=message):
        Sequential.from_torch(theirs)
    nested = torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Sequential(torch.nn.Conv2d(1, 1, 3)))
    with pytest.raises(TypeError, match=r"layer 1, Sequential: from_torch: cannot import layer 0, Conv2d\("):
        Sequential.from_torch(nested)
    with pytest.raises(TypeError, match=r"layer 0, Softmax\(dim=None\): Softmax: dim must be an int"):
        Sequential.from_torch(torch.nn.Sequential(torch.nn.Softmax()))
    with pytest.raises(TypeError, match="from_torch: expected a torch.nn.Sequential, got Linear"):
        Sequential.from_torch(torch.nn.Linear(2, 2))


def test_without_torch_the_bridge_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # ``import torch`` now raises ImportError
    with pytest.raises(ImportError, match=r"Sequential.to_torch needs PyTorch.*pip install torch"):
        Sequential(Tanh()).to_torch()
    with pytest.raises(ImportError, match=r"Sequential.from_torch needs PyTorch.*pip install torch"):
        Sequential.from_torch(object())
