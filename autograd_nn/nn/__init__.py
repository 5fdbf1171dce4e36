"""Neural-network building blocks, scalar (on ``Value``) and tensor (on ``Tensor``).

Example:
    >>> from autograd_nn.nn import Module
    >>> issubclass(Module, object)
    True
"""

from .module import Module

__all__ = ["Module"]
