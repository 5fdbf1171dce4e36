"""One model, two engines: a scalar ``MLP`` as a tensor ``Sequential`` and back.

Layer i of the MLP becomes ``Linear`` i followed by its activation layer.  Neuron j's weights
form column j of the weight matrix (``weight[k, j]`` is its weight from input k, the lecture's
w_jk) and its bias entry j of the bias vector.  The ``"linear"`` activation becomes
``Identity`` so that the round trip keeps every layer's activation.  In float64 both engines
compute the same outputs and gradients to rounding (1e-12), which the tests check.

The functions live beside ``MLP`` in :mod:`autograd_nn.nn.scalar` (which imports the tensor
layers), so that ``MLP.to_tensor()`` and ``MLP.from_tensor()`` need no import of this module:
the imports go one way, ``tensor_layers`` <- ``scalar`` <- ``convert``.

Example:
    >>> import numpy as np
    >>> from autograd_nn.nn import MLP
    >>> from autograd_nn.nn.convert import mlp_to_tensor, tensor_to_mlp
    >>> mlp = MLP(2, [3, 1], activation="tanh", seed=0)
    >>> model = mlp_to_tensor(mlp)
    >>> x = [0.5, -1.0]
    >>> abs(model(np.array([x])).item() - mlp(x)[0].data) < 1e-12
    True
    >>> [p.data for p in tensor_to_mlp(model).parameters()] == [p.data for p in mlp.parameters()]
    True
"""

from __future__ import annotations

from .scalar import mlp_to_tensor, tensor_to_mlp

__all__ = ["mlp_to_tensor", "tensor_to_mlp"]
