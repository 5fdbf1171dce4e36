"""One model, two engines: a scalar ``MLP`` as a tensor ``Sequential`` and back.

Layer i of the MLP becomes ``Linear`` i followed by its activation layer.  Neuron j's weights
form column j of the weight matrix (``weight[k, j]`` is its weight from input k, the lecture's
w_jk) and its bias entry j of the bias vector.  The ``"linear"`` activation becomes
``Identity`` so that the round trip keeps every layer's activation.  In float64 both engines
compute the same outputs and gradients to rounding (1e-12), which the tests check.

Example:
    >>> import numpy as np
    >>> from autograd_nn.nn import MLP
    >>> mlp = MLP(2, [3, 1], activation="tanh", seed=0)
    >>> model = mlp.to_tensor()
    >>> x = [0.5, -1.0]
    >>> abs(model(np.array([x])).item() - mlp(x)[0].data) < 1e-12
    True
"""

from __future__ import annotations

import numpy as np

from .tensor_layers import Identity, Linear, ReLU, Sequential, Sigmoid, Step, Tanh

__all__ = ["mlp_to_tensor", "tensor_to_mlp"]

_LAYER_OF = {"linear": Identity, "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "step": Step}
_NAME_OF = {cls: name for name, cls in _LAYER_OF.items()}


def mlp_to_tensor(mlp, dtype=np.float64) -> Sequential:
    """The tensor model computing what ``mlp`` computes: ``Sequential(Linear, act, Linear, act, ...)``.

    The weights are copied (training one model does not change the other).

    Raises:
        ValueError: when the neurons of one layer have different activations (a tensor layer
            applies one activation to all its units).

    Example:
        >>> from autograd_nn.nn import MLP
        >>> seq = mlp_to_tensor(MLP(2, [2, 1], activation="sigmoid", seed=0))
        >>> [type(layer).__name__ for layer in seq]
        ['Linear', 'Sigmoid', 'Linear', 'Sigmoid']
    """
    layers = []
    for i, layer in enumerate(mlp.layers):
        neurons = layer.neurons
        activations = {n.activation for n in neurons}
        if len(activations) != 1:
            raise ValueError(
                f"mlp_to_tensor: layer {i} mixes the activations {sorted(activations)}; a tensor layer "
                "applies one activation to all of its units"
            )
        weight = np.array([[_number(w) for w in n.w] for n in neurons], dtype=dtype).T
        bias = np.array([_number(n.b) for n in neurons], dtype=dtype)
        layers.append(Linear.from_weights(weight, bias, dtype=dtype))
        layers.append(_LAYER_OF[activations.pop()]())
    return Sequential(*layers)


def tensor_to_mlp(model):
    """A scalar ``MLP`` with the weights of ``model``: ``Linear`` layers each followed by at most
    one activation layer (``Tanh``, ``Sigmoid``, ``ReLU``, ``Step`` or ``Identity``; none means
    linear).

    Raises:
        TypeError: naming a layer that has no scalar counterpart.

    Example:
        >>> from autograd_nn.nn import Linear, Sequential, Tanh
        >>> mlp = tensor_to_mlp(Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1)))
        >>> mlp.sizes, [layer.activation for layer in mlp.layers]
        ([3, 1], ['tanh', 'linear'])
    """
    from .scalar import MLP

    modules = list(model) if isinstance(model, Sequential) else [model]
    specs = []
    activations = []
    for i, module in enumerate(modules):
        if isinstance(module, Linear):
            weight = module.weight.data.astype(np.float64)
            bias = np.zeros(weight.shape[1]) if module.bias is None else module.bias.data.astype(np.float64)
            specs.append([(weight[:, j].tolist(), float(bias[j])) for j in range(weight.shape[1])])
            activations.append("linear")
        elif type(module) in _NAME_OF:
            if i == 0 or not isinstance(modules[i - 1], Linear):
                raise TypeError(
                    f"tensor_to_mlp: layer {i} ({type(module).__name__}) must follow a Linear layer directly"
                )
            activations[-1] = _NAME_OF[type(module)]
        else:
            raise TypeError(
                f"tensor_to_mlp: layer {i} is a {type(module).__name__}; only Linear and the activation "
                "layers Tanh, Sigmoid, ReLU, Step, Identity have scalar counterparts"
            )
    if not specs:
        raise TypeError("tensor_to_mlp: the model has no Linear layer")
    return MLP.from_weights(specs, activation=activations)


def _number(p) -> float:
    return float(getattr(p, "data", p))
