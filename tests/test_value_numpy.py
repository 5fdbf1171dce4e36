"""numpy operands with a ``Value``: scalars and 0-d arrays are numbers, other arrays our TypeError."""

from __future__ import annotations

import operator

import numpy as np
import pytest

from autograd_nn import Value

OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "**": operator.pow}

NUMBERS = [np.float64(2.0), np.float32(2.0), np.int64(2),
           np.array(2.0), np.array(2), np.array(2.0, np.float32)]


@pytest.mark.parametrize("symbol", OPERATORS)
@pytest.mark.parametrize("number", NUMBERS, ids=lambda n: f"{type(n).__name__}-{np.asarray(n).dtype}")
def test_numpy_scalars_and_0d_arrays_work_as_numbers_on_either_side(symbol, number):
    op = OPERATORS[symbol]
    for left, right, expected in ((number, Value(3.0), op(2.0, 3.0)), (Value(3.0), number, op(3.0, 2.0))):
        out = op(left, right)
        assert type(out) is Value and type(out.data) is float and out.data == pytest.approx(expected)
        out.backward()


def test_the_issues_examples():
    assert (np.float64(2.0) * Value(3.0)).data == 6.0
    assert (np.True_ * Value(3.0)).data == 3.0  # as True * Value(3.0)
    y = np.array(2.0) + Value(1.0)
    assert type(y) is Value and y.data == 3.0
    x = Value(3.0)
    (np.array(2.0) * x).backward()
    assert x.grad == 2.0


@pytest.mark.parametrize("symbol", OPERATORS)
@pytest.mark.parametrize("array", [np.array([1.0, 2.0]), np.ones((2, 3), np.float32), np.array([5])],
                         ids=lambda a: str(a.shape))
def test_an_array_raises_our_type_error_naming_type_shape_and_tensor(symbol, array):
    op = OPERATORS[symbol]
    for left, right in ((array, Value(3.0)), (Value(3.0), array)):
        with pytest.raises(TypeError) as info:
            op(left, right)
        message = str(info.value)
        assert message.startswith(f"{symbol}: ")
        assert "ndarray" in message and str(array.shape) in message and "Tensor" in message
        assert "Concatenation" not in message and "ufunc" not in message


@pytest.mark.parametrize(
    "array",
    [np.array("2"), np.array(1 + 2j), np.array(None, dtype=object), np.complex128(1j), np.str_("2")],
    ids=["str", "complex", "object", "complex scalar", "str scalar"],
)
def test_a_0d_array_or_numpy_scalar_of_no_real_number_names_its_dtype(array):
    words = f"real numbers, got a numpy.{type(array).__name__} of dtype {array.dtype}"
    for left, right in ((array, Value(3.0)), (Value(3.0), array)):
        with pytest.raises(TypeError, match=words):
            left * right
