"""The tensor engine: ``Tensor``, a numpy array that records the operations made on it.

One module per job:

* :mod:`.tensor`: the :class:`Tensor` class, its operators and methods, ``linear``,
  ``concatenate``, ``stack``;
* :mod:`.functions` and :mod:`.shapes`: the operations, each a :class:`Function` with its
  forward beside its vector-Jacobian products (``Function.apply`` is how an op runs);
* :mod:`.elementwise` and :mod:`.activations`: more operations (``maximum``, ``where``, ``sin``,
  ...; ``softplus``, ``gelu``, ...), reached through Tensor's methods and the functions
  :func:`maximum`, :func:`minimum` and :func:`where`;
* :mod:`.creation`: tensors made from a shape (``zeros``, ``arange``, ``randn``, ...);
* :mod:`.backward`: the backward pass (order, accumulation, what is kept and freed, buffer
  reuse, anomaly checks) and ``grad`` for Tensors.

Example:
    >>> import numpy as np
    >>> from autograd_nn.tensor import Tensor, linear
    >>> x = Tensor(np.ones((4, 3))); W = Tensor(np.ones((3, 2)), requires_grad=True)
    >>> linear(x, W).tanh().sum().backward()
    >>> W.grad.shape
    (3, 2)
"""

from .creation import arange, eye, full, linspace, ones, ones_like, rand, randn, zeros, zeros_like
from .functions import Function, sum_to
from .tensor import Tensor, concatenate, linear, maximum, minimum, stack, where

__all__ = ["Function", "Tensor", "concatenate", "linear", "stack", "sum_to"]
__all__ += ["arange", "eye", "full", "linspace", "ones", "ones_like", "rand", "randn", "zeros", "zeros_like"]
__all__ += ["maximum", "minimum", "where"]
