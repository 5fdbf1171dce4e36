"""Neural-network building blocks, scalar (on ``Value``) and tensor (on ``Tensor``).

Example:
    >>> from autograd_nn.nn import Module
    >>> issubclass(Module, object)
    True
"""

from .module import Module
from .scalar import MLP, TLU, Layer, Neuron, TLUNetwork
from .tensor_layers import Identity, Linear, ReLU, Sequential, Sigmoid, Step, Tanh

__all__ = ["MLP", "TLU", "Layer", "Module", "Neuron", "TLUNetwork"]
__all__ += ["Identity", "Linear", "ReLU", "Sequential", "Sigmoid", "Step", "Tanh"]
