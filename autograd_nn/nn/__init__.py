"""Neural-network building blocks, scalar (on ``Value``) and tensor (on ``Tensor``).

Example:
    >>> from autograd_nn.nn import MLP
    >>> model = MLP(2, [2, 1], activation="sigmoid", seed=0)
    >>> [name for name, _ in model.named_parameters()][:3]
    ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b']
    >>> [type(layer).__name__ for layer in model.to_tensor()]
    ['Linear', 'Sigmoid', 'Linear', 'Sigmoid']
"""

from .module import Module
from .scalar import MLP, TLU, Layer, Neuron, TLUNetwork
from .tensor_layers import (
    ELU,
    GELU,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Tanh,
)

__all__ = ["MLP", "TLU", "Layer", "Module", "Neuron", "TLUNetwork"]
__all__ += ["Identity", "Linear", "ReLU", "Sequential", "Sigmoid", "Step", "Tanh"]
__all__ += ["ELU", "GELU", "Dropout", "Flatten", "LeakyReLU", "SiLU", "Softmax", "Softplus"]
