"""autograd_nn: deep learning from first principles.

A scalar ``Value`` that records every operation and differentiates in reverse mode, the neural
networks of an introductory lecture built on it, and a vectorised numpy ``Tensor`` for real work.

Example:
    >>> from autograd_nn import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad
    7.0
"""

# The submodules, so that ``autograd_nn.nn.MLP`` works after ``import autograd_nn`` (as torch.nn).
from . import data, lecture, losses, nn, ops, optim
from .autodiff import grad
from .gradcheck import GradcheckError, gradcheck
from .graph import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor, concatenate, maximum, minimum, stack, where
from .tensor.creation import arange, eye, full, linspace, ones, ones_like, rand, randn, zeros, zeros_like
from .train import fit
from .value import Value

__version__ = "0.1.0"

__all__ = [
    "AnomalyError",
    "GradcheckError",
    "Tensor",
    "Value",
    "__version__",
    "concatenate",
    "data",
    "detect_anomaly",
    "enable_grad",
    "fit",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "lecture",
    "losses",
    "nn",
    "no_grad",
    "ops",
    "optim",
    "stack",
]
__all__ += ["arange", "eye", "full", "linspace", "ones", "ones_like", "rand", "randn", "zeros", "zeros_like"]
__all__ += ["maximum", "minimum", "where"]
