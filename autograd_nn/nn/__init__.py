"""Neural-network building blocks, scalar (on ``Value``) and tensor (on ``Tensor``).

Example:
    >>> from autograd_nn.nn import Module
    >>> issubclass(Module, object)
    True
"""

from .module import Module
from .scalar import MLP, TLU, Layer, Neuron, TLUNetwork

__all__ = ["MLP", "TLU", "Layer", "Module", "Neuron", "TLUNetwork"]
