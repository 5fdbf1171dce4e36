"""Tensors made from a shape, as PyTorch's ``torch.zeros``, ``torch.arange``, ``torch.randn``, ...

The names and arguments are PyTorch's; every function takes ``dtype=`` and ``requires_grad=``
(a leaf that requires grad must hold floating-point data, as any Tensor).

* A shape is given as ints or as one tuple or list: ``zeros(2, 3)`` and ``zeros((2, 3))`` are
  the same.  A negative size is a ValueError naming the shape; a size that is not an int
  (``2.0``, ``True``) is a TypeError naming its type.
* Default dtype: float64, as ``Tensor([1.0])`` and numpy (PyTorch's default is float32).  The
  layers pick their own (``nn.Linear`` is float32 by default, for speed) and cast what they are
  fed, so float64 data goes into a float32 model unchanged in meaning.  ``full`` and ``arange``
  infer the dtype from their numbers as numpy and PyTorch do (ints give int64), unless told.
* Randomness: ``rand`` and ``randn`` take ``seed=``, as ``nn.Linear`` does: an int, a numpy
  ``Generator`` (drawn from, so consecutive calls continue one stream; PyTorch calls this
  argument ``generator``), or None for fresh randomness.  The numbers are drawn in float64 and
  rounded to ``dtype``, so one seed gives the same values in every dtype.

Example:
    >>> from autograd_nn.tensor import arange, ones, randn, zeros
    >>> zeros(2, 3).shape, zeros((2, 3)).dtype
    ((2, 3), dtype('float64'))
    >>> (ones(2) + arange(2)).data.tolist()
    [1.0, 2.0]
    >>> bool((randn(3, seed=0).data == randn(3, seed=0).data).all())
    True
"""

from __future__ import annotations

import numbers

import numpy as np

from ._coerce import real_number
from .shapes import as_sizes
from .tensor import Tensor

__all__ = [
    "arange",
    "eye",
    "full",
    "linspace",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "zeros",
    "zeros_like",
]

_DEFAULT_DTYPE = np.dtype(np.float64)


def _is_int(n) -> bool:
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


def _count(n, name: str, where: str) -> int:
    """A size or count: an int >= 0, else a TypeError (its type) or a ValueError (its value)."""
    if not _is_int(n):
        raise TypeError(f"{where}: {name} must be an int, got {type(n).__name__} ({n!r})")
    if n < 0:
        raise ValueError(f"{where}: {name} must be non-negative, got {n}")
    return int(n)


def _shape(size: tuple, where: str) -> tuple[int, ...]:
    """``size`` as given to ``zeros(2, 3)`` or ``zeros((2, 3))``, checked, as a tuple of ints."""
    if not size:
        raise TypeError(f"{where}: missing the size (zeros(2, 3), or zeros(()) for a 0-d tensor)")
    size = as_sizes(size)
    for n in size:
        if not _is_int(n):
            raise TypeError(
                f"{where}: sizes must be ints, got {type(n).__name__} ({n!r}) in the shape {size}"
            )
    shape = tuple(int(n) for n in size)
    if any(n < 0 for n in shape):
        raise ValueError(f"{where}: sizes must be non-negative, got the shape {shape}")
    return shape


def _or_default(dtype) -> np.dtype:
    return _DEFAULT_DTYPE if dtype is None else np.dtype(dtype)


def _float_dtype(dtype, where: str) -> np.dtype:
    """``dtype`` (float64 when None) for a function whose values are fractions, or a TypeError."""
    dtype = _or_default(dtype)
    if dtype.kind != "f":
        raise TypeError(f"{where}: dtype must be a floating-point type, got {dtype}")
    return dtype


def _array_of(like, where: str) -> np.ndarray:
    if isinstance(like, Tensor):
        return like.data
    if isinstance(like, np.ndarray):
        return like
    raise TypeError(f"{where}: expected a Tensor or an ndarray, got {type(like).__name__}")


def zeros(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape (float64 unless ``dtype`` says otherwise).

    Example:
        >>> from autograd_nn.tensor import zeros
        >>> zeros(2, 3).shape, zeros((2, 3), dtype="float32").dtype
        ((2, 3), dtype('float32'))
        >>> zeros(2, -1)
        Traceback (most recent call last):
        ...
        ValueError: zeros: sizes must be non-negative, got the shape (2, -1)
    """
    array = np.zeros(_shape(size, "zeros"), dtype=_or_default(dtype))
    return Tensor(array, requires_grad=requires_grad)


def ones(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape (float64 unless ``dtype`` says otherwise).

    Example:
        >>> from autograd_nn.tensor import ones
        >>> ones(2, requires_grad=True)
        Tensor([1., 1.], dtype=float64, requires_grad=True)
    """
    array = np.ones(_shape(size, "ones"), dtype=_or_default(dtype))
    return Tensor(array, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape (a tuple, as ``torch.full``) filled with ``fill_value``.

    Without ``dtype`` the dtype is the value's, as numpy gives it: an int fills an int64 tensor,
    a float a float64 one, a bool a bool one.

    Example:
        >>> from autograd_nn.tensor import full
        >>> full((2, 2), 7).data.tolist(), full((2,), 0.5).dtype
        ([[7, 7], [7, 7]], dtype('float64'))
    """
    shape = _shape((size,), "full")
    if not isinstance(fill_value, (numbers.Real, np.bool_)):
        raise TypeError(f"full: fill_value must be a real number, got {type(fill_value).__name__}")
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    """The n × m identity matrix (n × n when ``m`` is None): ones on the diagonal.

    Example:
        >>> from autograd_nn.tensor import eye
        >>> eye(2, 3).data.tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    n = _count(n, "n", "eye")
    m = n if m is None else _count(m, "m", "eye")
    return Tensor(np.eye(n, m, dtype=_or_default(dtype)), requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """Numbers from ``start`` up to but excluding ``end``, ``step`` apart (``arange(end)`` from 0).

    As ``torch.arange``: all-int arguments give int64, a float among them float64 (PyTorch:
    float32).  A step of zero is a ValueError.

    Example:
        >>> from autograd_nn.tensor import arange
        >>> arange(4).data.tolist(), arange(0, 1, 0.25).data.tolist()
        ([0, 1, 2, 3], [0.0, 0.25, 0.5, 0.75])
    """
    if end is None:
        start, end = 0, start
    for name, x in (("start", start), ("end", end), ("step", step)):
        real_number(x, f"arange: {name}")
    if step == 0:
        raise ValueError("arange: step must be nonzero, got 0")
    if dtype is None and not all(_is_int(x) for x in (start, end, step)):
        dtype = _DEFAULT_DTYPE
    return Tensor(np.arange(start, end, step, dtype=dtype), requires_grad=requires_grad)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included.

    Example:
        >>> from autograd_nn.tensor import linspace
        >>> linspace(0, 1, 5).data.tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    real_number(start, "linspace: start")
    real_number(end, "linspace: end")
    steps = _count(steps, "steps", "linspace")
    array = np.linspace(start, end, steps, dtype=_float_dtype(dtype, "linspace"))
    return Tensor(array, requires_grad=requires_grad)


def zeros_like(input, dtype=None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``input``'s shape and dtype (a Tensor or an ndarray), or of ``dtype``.

    Example:
        >>> from autograd_nn.tensor import ones, zeros_like
        >>> zeros_like(ones(2, dtype="float32"))
        Tensor([0., 0.], dtype=float32)
    """
    like = _array_of(input, "zeros_like")
    array = np.zeros(like.shape, dtype=like.dtype if dtype is None else dtype)
    return Tensor(array, requires_grad=requires_grad)


def ones_like(input, dtype=None, requires_grad: bool = False) -> Tensor:
    """Ones of ``input``'s shape and dtype (a Tensor or an ndarray), or of ``dtype``.

    Example:
        >>> from autograd_nn.tensor import ones_like, zeros
        >>> ones_like(zeros(1, 2)).data.tolist()
        [[1.0, 1.0]]
    """
    like = _array_of(input, "ones_like")
    array = np.ones(like.shape, dtype=like.dtype if dtype is None else dtype)
    return Tensor(array, requires_grad=requires_grad)


def rand(*size, seed=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Uniform random numbers in [0, 1) of the given shape, from ``seed`` (see the module docstring).

    Example:
        >>> from autograd_nn.tensor import rand
        >>> x = rand(2, 3, seed=0)
        >>> x.shape, bool(((0 <= x.data) & (x.data < 1)).all())
        ((2, 3), True)
    """
    shape = _shape(size, "rand")
    dtype = _float_dtype(dtype, "rand")
    array = np.random.default_rng(seed).random(shape).astype(dtype, copy=False)
    return Tensor(array, requires_grad=requires_grad)


def randn(*size, seed=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Standard normal random numbers (mean 0, variance 1) of the given shape, from ``seed``.

    A numpy Generator as ``seed`` is drawn from, so two calls give different numbers and the
    same Generator seeded again gives them again.

    Example:
        >>> import numpy as np
        >>> from autograd_nn.tensor import randn
        >>> rng = np.random.default_rng(0)
        >>> a, b = randn(2, seed=rng), randn(2, seed=rng)
        >>> bool((a.data != b.data).all()), randn(2, seed=0).data.tolist() == a.data.tolist()
        (True, True)
    """
    shape = _shape(size, "randn")
    dtype = _float_dtype(dtype, "randn")
    array = np.random.default_rng(seed).standard_normal(shape).astype(dtype, copy=False)
    return Tensor(array, requires_grad=requires_grad)
