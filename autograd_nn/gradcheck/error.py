"""The error both gradient checkers raise."""


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate; the message says where.

    An ``AssertionError``, so a failed check inside a test reads as a failed assertion.

    Example:
        >>> from autograd_nn import GradcheckError, Value, gradcheck
        >>> def square(x):
        ...     y = x * x
        ...     y.local = (1.0, 1.0)  # a wrong local derivative: d(x x)/dx is x for each operand
        ...     return y
        >>> try:
        ...     gradcheck(square, [Value(3.0)])
        ... except GradcheckError as err:
        ...     print(str(err).splitlines()[1].split(", numeric")[0])
          input 0: analytic 2.0
    """
