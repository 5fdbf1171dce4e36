"""Tensor layers: ``Linear``, ``Sequential`` and the activation layers, as in ``torch.nn``.

They share the :class:`~autograd_nn.nn.Module` base with the scalar layers, so parameters,
``named_parameters``, ``zero_grad``, ``state_dict`` and ``save``/``load`` work the same way.

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

from ..tensor import Tensor
from ..tensor.functions import LinearOp, ReLUOp, SigmoidOp, StepOp, TanhOp
from .module import Module

__all__ = ["Identity", "Linear", "ReLU", "Sequential", "Sigmoid", "Step", "Tanh"]


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
        inner = ",\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"


class _Activation(Module):
    function = None  # the elementwise op, a Function of autograd_nn.tensor.functions

    def forward(self, x) -> Tensor:
        """Apply the activation elementwise."""
        return self.function.apply(x if type(x) is Tensor else Tensor(x))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


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


class Identity(Module):
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

    def __repr__(self) -> str:
        return "Identity()"
