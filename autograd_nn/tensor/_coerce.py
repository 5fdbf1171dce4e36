"""What a Tensor accepts as data or as an operand, as arrays, with the dtype rules in one place.

* ``Tensor(data)``: an ndarray is kept (shared, dtype kept); anything else goes through
  ``np.asarray``.  Only real numbers: float, int or bool data.
* An operand of an operation (``tensor + x``): a Python number takes the dtype numpy would give
  it next to the tensor (float32 stays float32), and numpy scalars count as Python numbers for
  the same reason.  A list or tuple counts as Python numbers too: next to a floating tensor it
  takes that tensor's dtype, so ``Tensor(float32) + [1.0, 2.0]`` stays float32 (numpy would
  promote the list to float64).  An ndarray keeps its own dtype, as in numpy.
* A ``Value`` never mixes with a Tensor: one engine per computation.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..value import Value

_ndarray = np.ndarray


def real_number(x, what: str) -> float:
    """An op's or a layer's numeric option (a slope, a bound, a probability) as a float.

    Anything but a real number is a TypeError naming ``what`` and the type given; a bool too,
    though Python counts it as a number (``LeakyReLU(True)`` is a mistake, not a slope of 1).

    Example:
        >>> real_number(0.1, "leaky_relu: negative_slope"), real_number(2, "elu: alpha")
        (0.1, 2.0)
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__} ({x!r})")
    return float(x)


def mixing_error(op: str) -> TypeError:
    """The error for a Value and a Tensor in one operation ``op``."""
    return TypeError(
        f"{op}: cannot mix a Value and a Tensor in one operation; use one engine "
        "(Tensor(value.data) makes a tensor, or autograd_nn.nn.convert moves a whole model)"
    )


def to_array(data, dtype, where: str) -> np.ndarray:
    """``data`` (numbers, nested lists, an array) as an ndarray of real numbers, or a TypeError."""
    if isinstance(data, Value):
        raise TypeError(
            f"{where} got a Value; a Tensor holds arrays: use Tensor(value.data), or convert a whole "
            "model with autograd_nn.nn.convert"
        )
    try:
        array = np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{where} accepts numbers, lists of numbers and arrays, got {type(data).__name__}: {error}"
        ) from None
    if array.dtype.kind not in "fiub":
        if array.dtype == object and any(isinstance(v, Value) for v in array.flat):
            raise TypeError(f"{where} got Values inside a list; mixing Value and Tensor is not supported: "
                            "use their .data")
        raise TypeError(
            f"{where} accepts real numbers (float, int or bool data), got an array of dtype {array.dtype}"
        )
    return array


def operand_array(x, like_dtype: np.dtype, op: str):
    """A constant operand (number, array, list) as an array for an op with a tensor of ``like_dtype``.

    NotImplemented for a type a Tensor does not combine with (so Python tries the other side).
    """
    if isinstance(x, _ndarray):
        if x.dtype.kind not in "fiub":
            raise TypeError(f"{op}: arrays of dtype {x.dtype} are not supported (real numbers only)")
        return x
    if isinstance(x, Value):
        raise mixing_error(op)
    if isinstance(x, (numbers.Real, np.bool_)):
        if isinstance(x, np.generic):
            x = x.item()
        return np.asarray(x, dtype=np.result_type(like_dtype, x))
    if isinstance(x, (list, tuple)):
        array = to_array(x, None, op)
        if like_dtype.kind == "f" and array.dtype != like_dtype and array.dtype.kind in "fiub":
            array = array.astype(like_dtype)
        return array
    return NotImplemented
