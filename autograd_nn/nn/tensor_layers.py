"""Tensor layers: ``Linear``, ``Sequential``, the activations, ``Flatten``, ``Dropout``, as ``torch.nn``.

They share the :class:`~autograd_nn.nn.Module` base with the scalar layers, so parameters,
``named_parameters``, ``zero_grad``, ``state_dict``, ``save``/``load`` and ``train``/``eval``
work the same way.  The constructors take PyTorch's argument names (``LeakyReLU(negative_slope)``,
``Softmax(dim)``, ``Flatten(start_dim, end_dim)``, ``Dropout(p)``), and ``Sequential.to_torch()``
and ``Sequential.from_torch()`` move a model to PyTorch and back (PyTorch is imported only there).

Weight layout: ``Linear(nin, nout)`` holds ``weight`` of shape (nin, nout) and ``bias`` of shape
(nout,), and computes ``y = x @ weight + bias`` for a batch ``x`` of shape (N, nin): one row per
sample, as the data sets are stored, and no transpose on the hot path.  (PyTorch stores the
transpose, (nout, nin); load its weights with ``.T``.)  Column j of ``weight`` is neuron j's
weight vector, so ``weight[k, j]`` is the lecture's w_jk.

Example:
    >>> import numpy as np
    >>> from autograd_nn.nn import Linear, Sequential, Tanh
    >>> model = Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1))
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> model(np.zeros((5, 2), dtype=np.float32)).shape
    (5, 1)
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..ops import gelu_approximation
from ..tensor import Tensor
from ..tensor._coerce import real_number
from ..tensor.functions import LinearOp, ReLUOp, SigmoidOp, StepOp, TanhOp
from .module import Module

__all__ = ["Identity", "Linear", "ReLU", "Sequential", "Sigmoid", "Step", "Tanh"]
__all__ += ["ELU", "GELU", "Dropout", "Flatten", "LeakyReLU", "SiLU", "Softmax", "Softplus"]


def _input(x) -> Tensor:
    return x if type(x) is Tensor else Tensor(x)


class Linear(Module):
    """The affine layer y = x @ weight + bias, one node per call (op ``"linear"``).

    ``weight`` has shape (nin, nout), ``bias`` (nout,) (see the module docstring for why).
    Initialisation as PyTorch's: uniform in ±1/√nin for both, from ``seed`` (an int, a numpy
    Generator, or None for fresh randomness).  ``dtype`` is float32 by default, for speed, as in
    PyTorch; use float64 for gradient checks and for comparison with the scalar engine.  Inputs
    of any other dtype (float64, integers) are cast to the weight's dtype (see :meth:`forward`).

    Example:
        >>> import numpy as np
        >>> from autograd_nn.nn import Linear
        >>> layer = Linear(3, 2, seed=0)
        >>> layer.weight.shape, layer.bias.shape, layer.weight.dtype
        ((3, 2), (2,), dtype('float32'))
        >>> layer(np.ones((4, 3), dtype=np.float32)).shape
        (4, 2)
    """

    def __init__(self, nin: int, nout: int, bias: bool = True, seed=None, dtype=np.float32) -> None:
        for name, n in (("nin", nin), ("nout", nout)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive int, got {n!r}")
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Linear: dtype must be a floating-point type, got {dtype}")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(nin)
        self.nin, self.nout = int(nin), int(nout)
        self.weight = Tensor(rng.uniform(-bound, bound, (nin, nout)).astype(dtype), requires_grad=True)
        self.bias = None
        if bias:
            self.bias = Tensor(rng.uniform(-bound, bound, nout).astype(dtype), requires_grad=True)

    @classmethod
    def from_weights(cls, weight, bias=None, dtype=None) -> Linear:
        """A layer with the given weight (nin, nout) and optional bias (nout,), copied.

        Example:
            >>> from autograd_nn.nn import Linear
            >>> layer = Linear.from_weights([[1.0], [2.0]], [0.5])
            >>> layer(np.array([[1.0, 1.0]])).item()
            3.5
        """
        w = np.array(weight, dtype=dtype if dtype is not None else None, copy=True)
        if w.dtype.kind != "f":
            w = w.astype(np.float64)
        if w.ndim != 2:
            raise ValueError(f"Linear.from_weights: weight must have shape (nin, nout), got {w.shape}")
        layer = cls.__new__(cls)
        layer.nin, layer.nout = w.shape
        layer.weight = Tensor(w, requires_grad=True)
        layer.bias = None
        if bias is not None:
            b = np.array(bias, dtype=w.dtype, copy=True)
            if b.shape != (w.shape[1],):
                raise ValueError(
                    f"Linear.from_weights: bias must have shape ({w.shape[1]},) for a weight of shape "
                    f"{w.shape}, got {b.shape}"
                )
            layer.bias = Tensor(b, requires_grad=True)
        return layer

    def forward(self, x) -> Tensor:
        """x @ weight + bias for x of shape (..., nin), computed in the weight's dtype.

        An input of another dtype (float64 data into a float32 layer, or integers) is cast to
        the weight's dtype first, so a float32 model stays float32 whatever it is fed (numpy
        would silently promote the whole forward and backward to float64).  The cast is part of
        the graph (op ``"astype"``) when the input requires grad.

        Example:
            >>> import numpy as np
            >>> Linear(2, 1, seed=0)(np.ones((3, 2))).dtype   # float64 data, float32 layer
            dtype('float32')
        """
        w = self.weight
        if type(x) is not Tensor:
            x = Tensor(x)
        if x.data.dtype != w.data.dtype:
            dtype = w.data.dtype
            x = x.astype(dtype) if x.requires_grad else Tensor(x.data.astype(dtype))
        # The fused op on Tensors, with no conversions: this is the hot path of every tensor network.
        try:
            if self.bias is None:
                return LinearOp.apply(x, w)
            return LinearOp.apply(x, w, self.bias)
        except ValueError:
            raise ValueError(
                f"{self!r}: the input has shape {x.shape}; its last axis must be nin = {self.nin}"
            ) from None

    def _to_torch(self, torch):
        # torch.nn.Linear keeps the transpose, (nout, nin), of our weight; the dtype is kept.
        module = torch.nn.Linear(self.nin, self.nout, bias=self.bias is not None,
                                 dtype=getattr(torch, self.weight.dtype.name))
        with torch.no_grad():
            module.weight.copy_(torch.from_numpy(self.weight.data.T))
            if self.bias is not None:
                module.bias.copy_(torch.from_numpy(self.bias.data))
        return module

    @classmethod
    def _from_torch(cls, module, torch) -> Linear:
        bias = None if module.bias is None else module.bias.detach().cpu().numpy()
        return cls.from_weights(module.weight.detach().cpu().numpy().T, bias)

    def __repr__(self) -> str:
        bias = self.bias is not None
        return f"Linear(nin={self.nin}, nout={self.nout}, bias={bias}, dtype={self.weight.dtype})"


class Sequential(Module):
    """Layers applied one after another; parameters are named by position (``0.weight``).

    Example:
        >>> from autograd_nn.nn import Linear, ReLU, Sequential
        >>> model = Sequential(Linear(4, 8, seed=0), ReLU(), Linear(8, 2, seed=0))
        >>> len(model), type(model[1]).__name__, len(model.parameters())
        (3, 'ReLU', 4)
    """

    def __init__(self, *layers) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: layer {i} must be a Module, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x) -> Tensor:
        """Feed ``x`` through every layer in order."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _children(self) -> Iterator[tuple[str, object]]:
        # Named by position, as torch.nn.Sequential: "0.weight", "2.bias", ...
        return ((str(i), layer) for i, layer in enumerate(self.layers))

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        # A nested Sequential is indented one level deeper, as in PyTorch.
        inner = ",\n".join(f"  ({i}): {layer!r}".replace("\n", "\n  ") for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"

    def to_torch(self):
        """The same model as a ``torch.nn.Sequential``: same weights, dtype and training mode.

        Every layer becomes the ``torch.nn`` layer of the same name (``Linear``'s weight is
        transposed to PyTorch's (nout, nin) layout).  A layer PyTorch has no equivalent for
        (``Step``, a scalar ``MLP``) is a TypeError naming it.  Needs PyTorch (``pip install
        torch``), imported only here and in :meth:`from_torch`.

        Example:
            >>> import pytest; torch = pytest.importorskip("torch")
            >>> from autograd_nn.nn import Linear, Sequential, Tanh
            >>> model = Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1))
            >>> theirs = model.to_torch()
            >>> theirs[0].weight.shape, theirs[0].weight.dtype
            (torch.Size([3, 2]), torch.float32)
            >>> x = np.ones((4, 2), dtype=np.float32)
            >>> bool(np.allclose(theirs(torch.from_numpy(x)).detach().numpy(), model(x).data))
            True
        """
        return _layer_to_torch(self, _import_torch("Sequential.to_torch"))

    def _to_torch(self, torch):
        modules = []
        for i, layer in enumerate(self.layers):
            if type(layer) not in _BRIDGED:
                raise TypeError(f"to_torch: layer {i}, {layer!r}, has no PyTorch equivalent; {_SUPPORTED}")
            modules.append(_layer_to_torch(layer, torch))
        return torch.nn.Sequential(*modules)

    @classmethod
    def from_torch(cls, module) -> Sequential:
        """A ``torch.nn.Sequential`` as our ``Sequential``: same weights, dtype and training mode.

        The layers it can import are those :meth:`to_torch` writes; any other (``Conv2d``, a
        custom module) is a TypeError naming its position and the supported layers.

        Example:
            >>> import pytest; torch = pytest.importorskip("torch")
            >>> from autograd_nn.nn import Sequential
            >>> theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Dropout(0.1))
            >>> model = Sequential.from_torch(theirs.eval())
            >>> model[0].weight.shape, model[2], model.training
            ((2, 3), Dropout(p=0.1), False)
        """
        torch = _import_torch("Sequential.from_torch")
        if not isinstance(module, torch.nn.Sequential):
            raise TypeError(f"from_torch: expected a torch.nn.Sequential, got {type(module).__name__}")
        return _layer_from_torch(cls, module, torch)

    @classmethod
    def _from_torch(cls, module, torch) -> Sequential:
        ours = {getattr(torch.nn, c.__name__): c for c in _BRIDGED}
        layers = []
        for i, child in enumerate(module):
            # A nested Sequential's repr spans lines: its name is enough, its error names the layer.
            what = repr(child) if "\n" not in repr(child) else type(child).__name__
            if type(child) not in ours:
                raise TypeError(f"from_torch: cannot import layer {i}, {what}: {_SUPPORTED}")
            try:
                layers.append(_layer_from_torch(ours[type(child)], child, torch))
            except (TypeError, ValueError) as error:
                raise type(error)(f"from_torch: cannot import layer {i}, {what}: {error}") from None
        return cls(layers)


class _Functional(Module):
    """A layer without parameters, set up by its constructor's arguments (``_options``)."""

    # The constructor's arguments, named as PyTorch's: the repr shows them, and the torch bridge
    # passes them to (and reads them from) the torch.nn layer of the same name.
    _options: tuple[str, ...] = ()

    def _to_torch(self, torch):
        return getattr(torch.nn, type(self).__name__)(**{name: getattr(self, name) for name in self._options})

    @classmethod
    def _from_torch(cls, module, torch) -> _Functional:
        return cls(**{name: getattr(module, name) for name in cls._options})

    def __repr__(self) -> str:
        options = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._options)
        return f"{type(self).__name__}({options})"


class _Activation(_Functional):
    function = None  # the elementwise op, a Function of autograd_nn.tensor.functions

    def forward(self, x) -> Tensor:
        """Apply the activation elementwise."""
        return self.function.apply(x if type(x) is Tensor else Tensor(x))


class Tanh(_Activation):
    """tanh, elementwise.

    Example:
        >>> from autograd_nn.nn import Tanh
        >>> Tanh()([0.0]).item()
        0.0
    """

    function = TanhOp


class Sigmoid(_Activation):
    """The logistic function, elementwise (stable at ±1000).

    Example:
        >>> from autograd_nn.nn import Sigmoid
        >>> Sigmoid()([0.0]).item()
        0.5
    """

    function = SigmoidOp


class ReLU(_Activation):
    """max(0, x), elementwise.

    Example:
        >>> from autograd_nn.nn import ReLU
        >>> ReLU()([-1.0, 2.0]).data.tolist()
        [0.0, 2.0]
    """

    function = ReLUOp


class Step(_Activation):
    """The threshold unit of the lecture, 1 where x >= 0 else 0 (gradient 0).

    Example:
        >>> from autograd_nn.nn import Step
        >>> Step()([-1.0, 0.0]).data.tolist()
        [0.0, 1.0]
    """

    function = StepOp


class Identity(_Functional):
    """Returns its input unchanged (the "linear" activation).

    Example:
        >>> from autograd_nn import Tensor
        >>> from autograd_nn.nn import Identity
        >>> x = Tensor([1.0]); Identity()(x) is x
        True
    """

    def forward(self, x) -> Tensor:
        """Return ``x`` (as a Tensor)."""
        return _input(x)


def _int_option(layer: str, name: str, value) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}: {name} must be an int, got {type(value).__name__} ({value!r})")
    return int(value)


class LeakyReLU(_Functional):
    """x where x >= 0, else ``negative_slope`` · x, elementwise.

    Example:
        >>> from autograd_nn.nn import LeakyReLU
        >>> LeakyReLU(0.1)([-2.0, 3.0]).data.tolist()
        [-0.2, 3.0]
    """

    _options = ("negative_slope",)

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = real_number(negative_slope, "LeakyReLU: negative_slope")

    def forward(self, x) -> Tensor:
        """Apply leaky ReLU elementwise."""
        return _input(x).leaky_relu(self.negative_slope)


class GELU(_Functional):
    """x · Φ(x), Φ the standard normal's distribution function; ``approximate="tanh"`` for the tanh formula.

    Example:
        >>> from autograd_nn.nn import GELU
        >>> GELU()
        GELU(approximate='none')
        >>> GELU()([0.0]).data.tolist()
        [0.0]
    """

    _options = ("approximate",)

    def __init__(self, approximate: str = "none") -> None:
        self.approximate = gelu_approximation(approximate, "GELU")

    def forward(self, x) -> Tensor:
        """Apply GELU elementwise."""
        return _input(x).gelu(approximate=self.approximate)


class SiLU(_Functional):
    """x · sigmoid(x) (also called swish), elementwise.

    Example:
        >>> from autograd_nn.nn import SiLU
        >>> SiLU()([0.0]).data.tolist()
        [0.0]
    """

    def forward(self, x) -> Tensor:
        """Apply SiLU elementwise."""
        return _input(x).silu()


class ELU(_Functional):
    """x where x > 0, else ``alpha`` · (exp(x) − 1), elementwise.

    Example:
        >>> from autograd_nn.nn import ELU
        >>> ELU(alpha=2.0)([0.0, 1.5]).data.tolist()
        [0.0, 1.5]
    """

    _options = ("alpha",)

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = real_number(alpha, "ELU: alpha")

    def forward(self, x) -> Tensor:
        """Apply ELU elementwise."""
        return _input(x).elu(self.alpha)


class Softplus(_Functional):
    """log(1 + exp(beta · x)) / beta, elementwise; x itself where beta · x > ``threshold``.

    Example:
        >>> from autograd_nn.nn import Softplus
        >>> Softplus()
        Softplus(beta=1.0, threshold=20.0)
        >>> Softplus()([1000.0]).data.tolist()
        [1000.0]
    """

    _options = ("beta", "threshold")

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta = real_number(beta, "Softplus: beta")
        self.threshold = real_number(threshold, "Softplus: threshold")

    def forward(self, x) -> Tensor:
        """Apply softplus elementwise."""
        return _input(x).softplus(self.beta, self.threshold)


class Softmax(_Functional):
    """exp(x) / sum(exp(x)) along the axis ``dim`` (the last by default), stable for large x.

    Example:
        >>> from autograd_nn.nn import Softmax
        >>> Softmax(dim=1)([[0.0, 0.0]]).data.tolist()
        [[0.5, 0.5]]
    """

    _options = ("dim",)

    def __init__(self, dim: int = -1) -> None:
        self.dim = _int_option("Softmax", "dim", dim)

    def forward(self, x) -> Tensor:
        """Apply softmax along ``dim``."""
        return _input(x).softmax(self.dim)


class Flatten(_Functional):
    """Axes ``start_dim`` to ``end_dim`` (both included) merged into one; by default all but the batch axis.

    Example:
        >>> import numpy as np
        >>> from autograd_nn.nn import Flatten
        >>> Flatten()(np.zeros((5, 2, 3, 4))).shape, Flatten(0, 1)(np.zeros((5, 2, 3))).shape
        ((5, 24), (10, 3))
    """

    _options = ("start_dim", "end_dim")

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim = _int_option("Flatten", "start_dim", start_dim)
        self.end_dim = _int_option("Flatten", "end_dim", end_dim)

    def forward(self, x) -> Tensor:
        """Merge the axes ``start_dim`` to ``end_dim``."""
        return _input(x).flatten(self.start_dim, self.end_dim)


class Dropout(_Functional):
    """In training mode, zero each element with probability ``p`` and scale the rest by 1/(1 − p).

    In evaluation mode (:meth:`~autograd_nn.nn.Module.eval`) it returns its input unchanged.
    Scaling the kept elements in training (inverted dropout, as PyTorch) keeps every element's
    expected value, so the trained model needs no rescaling at evaluation.  The mask is drawn
    from ``seed`` (an int, a numpy Generator, or None for fresh randomness), a new mask per call;
    it is a constant of the graph, so the gradient is the same mask.

    Example:
        >>> import numpy as np
        >>> from autograd_nn.nn import Dropout
        >>> drop = Dropout(p=0.5, seed=0)
        >>> sorted(set(drop(np.ones(100)).data.tolist()))   # dropped, or kept and doubled
        [0.0, 2.0]
        >>> drop.eval()(np.ones(3)).data.tolist()
        [1.0, 1.0, 1.0]
    """

    _options = ("p",)

    def __init__(self, p: float = 0.5, seed=None) -> None:
        p = real_number(p, "Dropout: p")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got p={p}")
        self.p = p
        self._rng = np.random.default_rng(seed)

    def forward(self, x) -> Tensor:
        """``x`` times a fresh random mask in training mode; ``x`` itself in evaluation mode."""
        x = _input(x)
        if not self.training or self.p == 0.0:
            return x
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
        keep = self._rng.random(x.shape) >= self.p
        mask = keep.astype(dtype) / dtype.type(1.0 - self.p)
        return x * mask


# -- the way out to PyTorch: Sequential.to_torch / from_torch ---------------------------------------

# The layers with a torch.nn equivalent, each the torch.nn class of the same name.  Exact types:
# a subclass may compute something else.
_BRIDGED = (Linear, Sequential, Identity, Tanh, Sigmoid, ReLU, LeakyReLU, GELU, SiLU, ELU, Softplus,
            Softmax, Flatten, Dropout)
_SUPPORTED = "supported are " + ", ".join(layer.__name__ for layer in _BRIDGED)


def _import_torch(where: str):
    try:
        import torch
    except ImportError:
        raise ImportError(f"{where} needs PyTorch, which is not installed: pip install torch") from None
    return torch


def _layer_to_torch(layer: Module, torch):
    """``layer`` as its torch.nn layer, in the same training mode."""
    module = layer._to_torch(torch)
    module.training = layer.training
    return module


def _layer_from_torch(cls, module, torch) -> Module:
    """The torch.nn layer ``module`` as our layer ``cls``, in the same training mode."""
    layer = cls._from_torch(module, torch)
    layer.training = module.training
    return layer
