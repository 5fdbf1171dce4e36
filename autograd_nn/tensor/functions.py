"""The operations of the tensor engine: each a :class:`Function`, its forward beside its vjp.

:meth:`Function.apply` is the only way an operation runs: it calls the op's ``forward`` on the
operands' arrays and, when grad mode is on and an operand requires grad, records the result as
a node of the graph (its op, its parents, and the context the forward saved for the vjp).

Each op has up to three vector-Jacobian products (vjps), all given ``needs``, a tuple of bools
saying which operands want a gradient (as PyTorch's ``ctx.needs_input_grad``), and none given
the graph's nodes except the last:

* ``vjp(ctx, g, needs)``: the gradients as arrays, from the context saved at forward time; the
  fast path of ``backward()``;
* ``vjp_into(ctx, g, needs, g_is_free)`` (optional): the same when the graph is being freed, so
  the vjp may overwrite the arrays in ``ctx``; when ``g_is_free`` (no one else holds ``g``) it
  may overwrite ``g`` too, or, if nothing it returns is ``g`` or a view of it, hand ``g`` on as
  a spare buffer (:func:`~autograd_nn.tensor._arrays.give_back`) for the next vjp to write into;
* ``vjp_tensor(ctx, g, needs, inputs, out)``: the same gradients as Tensors built from Tensor
  operations on ``g``, the operand nodes ``inputs`` and the output node ``out``, so that they
  can be differentiated again (``autograd_nn.grad(..., create_graph=True)``).

Op classes end in ``Op`` (``TanhOp``), so they are never confused with the layers of
:mod:`autograd_nn.nn` (``nn.Tanh``).  Every op's ``name`` is an entry of the op table
(:data:`autograd_nn.ops.OPS`); a class with another name is an error when it is defined.

This module never names the ``Tensor`` class (it sits below it): a new node or constant is made
of the class of the operands, ``type(x)``.

Example:
    >>> from autograd_nn import Tensor
    >>> from autograd_nn.tensor.functions import MulOp
    >>> a = Tensor([2.0], requires_grad=True); b = Tensor([5.0])
    >>> c = MulOp.apply(a, b)           # what a * b does
    >>> c.op, c.grad_fn is MulOp, MulOp.vjp(c._ctx, np.ones(1), (True, False))
    ('*', True, (array([5.]), None))
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import ops
from ..graph import DEFAULT, MODES
from ._arrays import SPARE_MIN_BYTES, as_array, first_index, floating, give_back, scratch, spare

__all__ = ["Function", "sum_to", "sum_to_tensor"]

_new = object.__new__
_ndarray = np.ndarray
_AxisError = np.exceptions.AxisError


def sum_to(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` down to ``shape``: the backward of numpy broadcasting, in this one place.

    Broadcasting copies an operand along new leading axes and along axes of length 1; the
    gradient of a copy is the sum of the gradients of its copies.

    Example:
        >>> import numpy as np
        >>> sum_to(np.ones((4, 2, 3)), (2, 1)).tolist()
        [[12.0], [12.0]]
    """
    if g.shape == shape:
        return g
    axes = _broadcast_axes(g.shape, shape)
    # The sum is written straight into an array of the target shape: a fresh array, not a
    # reshaped view, which a leaf can keep as its .grad without copying it once more.
    out = np.empty(shape, dtype=g.dtype)
    lead = g.ndim - len(shape)
    np.add.reduce(g, axis=axes, keepdims=True, out=out.reshape((1,) * lead + shape))
    return out


def sum_to_tensor(g, shape: tuple):
    """:func:`sum_to` for a Tensor ``g``, made of differentiable Tensor ops (for ``vjp_tensor``).

    Example:
        >>> from autograd_nn import Tensor
        >>> s = sum_to_tensor(Tensor(np.ones((4, 2, 3))), (2, 1))
        >>> s.data.tolist(), s.op
        ([[12.0], [12.0]], 'reshape')
    """
    if g.shape == shape:
        return g
    return g.sum(axis=_broadcast_axes(g.shape, shape), keepdims=True).reshape(shape)


def _broadcast_axes(big: tuple, shape: tuple) -> tuple:
    """The axes of ``big`` that broadcasting ``shape`` up to it created or stretched (never none).

    A ``shape`` that does not broadcast up to ``big`` is a ValueError naming both: summing only
    removes axes and shrinks them to 1, so a gradient is never padded or reshaped into its
    operand's shape (that would hide a wrong vjp).
    """
    lead = len(big) - len(shape)
    if lead < 0 or any(n != 1 and n != m for n, m in zip(shape, big[lead:])):
        raise ValueError(
            f"sum_to: a gradient of shape {big} cannot be summed to shape {shape} "
            "(only the axes that broadcasting adds or stretches can be summed away)"
        )
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and big[lead + i] != 1
    )


def _constant(like, array: np.ndarray):
    """``array`` as a constant leaf of the node class of ``like`` (a Tensor)."""
    return type(like)(array)


def _swap_last(t):
    """``t`` with its last two axes swapped, as a Tensor op."""
    n = t.ndim
    return t.transpose(tuple(range(n - 2)) + (n - 1, n - 2))


# -- the contract ------------------------------------------------------------------------------------


class Function:
    """An operation of the tensor engine: ``forward`` and its vector-Jacobian products together.

    A subclass sets ``name`` (an entry of :data:`autograd_nn.ops.OPS`, checked when the class is
    defined) and defines:

    * ``forward(*arrays, **params) -> (output, ctx)``: the output array from the operands'
      arrays (and keyword constants such as ``axis``), and ``ctx``, whatever the vjps need: the
      vjps are never handed the operands themselves, so the forward saves what they read;
    * ``vjp(ctx, g, needs)``: one gradient per operand, of that operand's shape, or ``None``
      where ``needs[i]`` is False (no work is wasted on, say, a network's input batch).  Each
      gradient is ``g`` itself, a view of it, or a fresh array returned for that operand only:
      the engine takes a fresh array as its own and may update it in place later;
    * optionally ``vjp_into(ctx, g, needs, g_is_free)`` and ``vjp_tensor(ctx, g, needs, inputs,
      out)`` (see the module docstring); an op without ``vjp_tensor`` cannot be differentiated
      twice, and ``grad(..., create_graph=True)`` says so, naming it.

    Subclasses sharing code set ``abstract=True`` in their class statement and need no name.

    Example:
        >>> from autograd_nn import Tensor
        >>> from autograd_nn.tensor.functions import Function, TanhOp
        >>> x = Tensor([0.0, 1.0], requires_grad=True)
        >>> y = TanhOp.apply(x)             # what x.tanh() does
        >>> y.op, y.grad_fn is TanhOp, y.parents == (x,)
        ('tanh', True, True)
        >>> class Square(Function):
        ...     name = "square"
        Traceback (most recent call last):
        ...
        autograd_nn.ops.UnknownOpError: unknown op 'square': ...
    """

    name = ""
    vjp_into = None  # optional: see the module docstring
    vjp_tensor = None  # optional: the vjp in differentiable Tensor ops, for create_graph=True

    def __init_subclass__(cls, abstract: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        if not abstract:
            ops.get(cls.name)  # an op the table does not know is an error, here at import

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on the Tensors ``inputs`` (and keyword constants); record it if grad is wanted.

        The result is a node of the graph (``parents`` = ``inputs``) when grad mode is on in this
        thread and some input requires grad; otherwise a constant with the op's name and no
        parents.

        Example:
            >>> from autograd_nn import Tensor, no_grad
            >>> from autograd_nn.tensor.functions import LinearOp
            >>> x = Tensor([[1.0, 2.0]]); w = Tensor([[1.0], [1.0]], requires_grad=True)
            >>> LinearOp.apply(x, w)                 # x @ w, one node
            Tensor([[3.]], dtype=float64, requires_grad=True, op='linear')
            >>> with no_grad():
            ...     LinearOp.apply(x, w).parents
            ()
        """
        # Spelled out for one, two and three operands (every op but the joins): this runs for
        # every operation, and building argument tuples (or, from **params, a dict) for the
        # forward costs more here than everything else apply does.
        n = len(inputs)
        a = inputs[0]
        try:
            if n == 1:
                needs = (True,) if a.requires_grad else (False,)
                data, ctx = cls.forward(a.data, **params) if params else cls.forward(a.data)
            elif n == 2:
                b = inputs[1]
                needs = (a.requires_grad, b.requires_grad)
                data, ctx = cls.forward(a.data, b.data, **params) if params else cls.forward(a.data, b.data)
            elif n == 3 and not params:
                b, c = inputs[1], inputs[2]
                needs = (a.requires_grad, b.requires_grad, c.requires_grad)
                data, ctx = cls.forward(a.data, b.data, c.data)
            else:
                needs = tuple([x.requires_grad for x in inputs])
                data, ctx = cls.forward(*[x.data for x in inputs], **params)
        except ValueError as error:
            better = cls.explain(error, inputs)
            if better is None:
                raise
            raise better from None
        if type(data) is not _ndarray:
            data = np.asarray(data)  # ufuncs on 0-d arrays return numpy scalars; .data is an ndarray
        out = _new(a.__class__)
        out.data = data
        out.grad = None
        out.op = cls.name
        # (DEFAULT.everywhere: no thread has a mode block open, so grad mode is on, read from a
        # plain slot; only otherwise is this thread's own MODES consulted.)
        if True in needs and (DEFAULT.everywhere or MODES.grad_enabled):
            out.requires_grad = True
            out.parents = inputs
            out._fn = cls
            out._ctx = ctx
            out._needs = needs
            return out
        out.requires_grad = False
        out.parents = ()
        out._fn = None
        out._ctx = None
        out._needs = None
        return out

    @classmethod
    def explain(cls, error: ValueError, inputs: tuple):
        """A clearer exception for a ``ValueError`` the forward raised, or None to raise it as it is.

        Example:
            >>> Function.explain(ValueError("x"), ()) is None
            True
        """
        return None

    @staticmethod
    def forward(*arrays, **params):  # pragma: no cover - every operation defines its own
        """``(output, ctx)`` from the operands' arrays (and the op's keyword constants)."""
        raise NotImplementedError

    @staticmethod
    def vjp(ctx, g, needs):  # pragma: no cover
        """One gradient per operand (its shape, or ``None`` where ``needs`` is False) from ``g``."""
        raise NotImplementedError


class _BroadcastOp(Function, abstract=True):
    """A binary op under numpy broadcasting."""

    @classmethod
    def explain(cls, error, inputs):
        # Blame the shapes only if they really do not broadcast (numpy says more otherwise).
        a, b = inputs
        try:
            np.broadcast_shapes(a.data.shape, b.data.shape)
        except ValueError:
            return ValueError(
                f"{cls.name}: shapes {a.data.shape} and {b.data.shape} do not broadcast together ({error})"
            )
        return ValueError(f"{cls.name}: {error}")


class _AxisOp(Function, abstract=True):
    """An op with an ``axis`` parameter: a bad axis is named with the op and the tensor's shape."""

    @classmethod
    def explain(cls, error, inputs):
        if isinstance(error, _AxisError):
            # AxisError is both a ValueError and an IndexError, as numpy's own.
            return _AxisError(f"{cls.name}: {error} (the tensor has shape {inputs[0].data.shape})")
        return None


def _scalar_axis(a: np.ndarray, axis):
    """``axis`` as numpy should read it for ``a``: None for axis 0 or -1 of a 0-d ``a``.

    PyTorch lets dim 0 and -1 (alone or in a tuple) name the one implicit axis of a 0-d tensor;
    numpy's ``mean`` refuses them there (and ``sum`` the tuples).  Any other axis of a 0-d
    array is left for numpy to refuse with its AxisError, and a bool (though False == 0) with
    its TypeError, as PyTorch does.

    Example:
        >>> _scalar_axis(np.array(2.0), -1), _scalar_axis(np.ones(3), -1)
        (None, -1)
    """
    if a.ndim == 0 and axis in (0, -1, (0,), (-1,)) and not isinstance(axis, (bool, np.bool_)):
        return None
    return axis


# -- arithmetic ----------------------------------------------------------------------------------


class AddOp(_BroadcastOp):
    """a + b; vjp: g to each operand, summed back over broadcast axes."""

    name = "+"

    @staticmethod
    def forward(a, b):
        return a + b, (a.shape, b.shape)

    @staticmethod
    def vjp(shapes, g, needs):
        return (sum_to(g, shapes[0]) if needs[0] else None, sum_to(g, shapes[1]) if needs[1] else None)

    @staticmethod
    def vjp_tensor(shapes, g, needs, inputs, out):
        return (
            sum_to_tensor(g, shapes[0]) if needs[0] else None,
            sum_to_tensor(g, shapes[1]) if needs[1] else None,
        )


class SubOp(_BroadcastOp):
    """a - b; vjp: g and -g, summed back over broadcast axes."""

    name = "-"

    @staticmethod
    def forward(a, b):
        return a - b, (a.shape, b.shape)

    @staticmethod
    def vjp(shapes, g, needs):
        return (sum_to(g, shapes[0]) if needs[0] else None, sum_to(-g, shapes[1]) if needs[1] else None)

    @staticmethod
    def vjp_tensor(shapes, g, needs, inputs, out):
        return (
            sum_to_tensor(g, shapes[0]) if needs[0] else None,
            sum_to_tensor(-g, shapes[1]) if needs[1] else None,
        )


class MulOp(_BroadcastOp):
    """a * b; vjp: g·b and g·a, summed back over broadcast axes."""

    name = "*"

    @staticmethod
    def forward(a, b):
        return a * b, (a, b)

    @staticmethod
    def vjp(ab, g, needs):
        a, b = ab
        return (
            sum_to(g * b, a.shape) if needs[0] else None,
            sum_to(g * a, b.shape) if needs[1] else None,
        )

    @staticmethod
    def vjp_tensor(ab, g, needs, inputs, out):
        a, b = inputs
        return (
            sum_to_tensor(g * b, a.shape) if needs[0] else None,
            sum_to_tensor(g * a, b.shape) if needs[1] else None,
        )


class DivOp(_BroadcastOp):
    """a / b; vjp: g/b and -g·a/b².

    Division by zero follows numpy and PyTorch, silently: x/0 = ±inf and 0/0 = nan, in the
    value and in the gradients; :class:`~autograd_nn.detect_anomaly` names the op that made them.
    """

    name = "/"

    @staticmethod
    def forward(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b, (a, b)

    @staticmethod
    def vjp(ab, g, needs):
        a, b = ab
        with np.errstate(divide="ignore", invalid="ignore"):
            gb = g / b
            return (
                sum_to(gb, a.shape) if needs[0] else None,
                # d(a/b)/db = -a/b² = -(a/b)/b
                sum_to(-gb * (a / b), b.shape) if needs[1] else None,
            )

    @staticmethod
    def vjp_tensor(ab, g, needs, inputs, out):
        a, b = inputs
        gb = g / b
        return (
            sum_to_tensor(gb, a.shape) if needs[0] else None,
            sum_to_tensor(-gb * out, b.shape) if needs[1] else None,
        )


def _check_real_power(a: np.ndarray, exponent) -> None:
    """Raise ValueError where a negative base meets a fractional exponent: a ** b has no real value.

    ``exponent`` is a number or an array that broadcasts with ``a``; the error names the first
    such pair and its index (in the broadcast result).  Infinite and NaN exponents are not
    fractions: they follow numpy.  The one domain check of ``**``, for every kind of exponent.

    Example:
        >>> _check_real_power(np.array([-8.0, 4.0]), np.array([3.0, 0.5]))    # (-8)**3, 4**0.5: real
        >>> _check_real_power(np.array([-8.0, 4.0]), 0.5)
        Traceback (most recent call last):
        ...
        ValueError: pow: -8.0 ** 0.5 at index (0,) has no real value (negative base, fractional exponent)
    """
    if isinstance(exponent, _ndarray):
        if exponent.dtype.kind != "f":
            return
        with np.errstate(invalid="ignore"):
            fractional = np.isfinite(exponent) & (exponent % 1 != 0)
        if not fractional.any():
            return
    elif isinstance(exponent, numbers.Integral) or not math.isfinite(exponent) or exponent % 1 == 0:
        return  # the common case, x ** 2, costs no array operation
    else:
        fractional = True
    bad = (a < 0) & fractional
    if bad.any():
        index = first_index(bad)
        base, power = (np.broadcast_to(x, bad.shape)[index].item() for x in (a, exponent))
        raise ValueError(
            f"pow: {base!r} ** {power!r} at index {index} has no real value "
            "(negative base, fractional exponent)"
        )


def _zero_base_as_one(base, a: np.ndarray, where: np.ndarray):
    """``base`` (the array ``a`` or its Tensor) with 1 in place of 0 where ``where`` holds.

    At a = 0 the derivatives of a ** b meet 0 · inf: b·a^(b-1) at b = 0, and a^b·log a for
    b >= 0, whose limits are 0 (what PyTorch gives).  With the base 1 there, the same formulas
    give 0 · finite = 0.  ``where`` is a constant, so a Tensor ``base`` stays differentiable.
    """
    mask = (a == 0) & where
    return base + mask if mask.any() else base


class PowOp(_BroadcastOp):
    """a ** b with both operands tensors (the exponent may require grad, then a >= 0).

    The domain (a negative base to a fractional power, a negative base for an exponent that
    requires grad) is checked by Tensor's ``**`` before the op runs; 0 ** b is 0 for b > 0,
    with gradient 0 for the exponent where b >= 0, as in PyTorch.
    """

    name = "**"

    @staticmethod
    def forward(a, b):
        if a.dtype.kind in "iub" and b.dtype.kind in "iub" and (b < 0).any():
            a = a.astype(np.float64)  # numpy refuses integers to negative integer powers
        with np.errstate(divide="ignore", invalid="ignore"):
            out = a**b  # 0 ** -1 = inf, as in torch; detect_anomaly reports it
        return out, (a, b, out)

    @staticmethod
    def vjp(ctx, g, needs):
        a, b, out = ctx
        with np.errstate(divide="ignore", invalid="ignore"):
            ga = sum_to(g * b * _zero_base_as_one(a, a, b == 0) ** (b - 1), a.shape) if needs[0] else None
            # d a^b / db = a^b log a, real for a >= 0 (checked when the graph was recorded).
            gb = sum_to(g * out * np.log(_zero_base_as_one(a, a, b >= 0)), b.shape) if needs[1] else None
        return ga, gb

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        a, b, _ = ctx
        base, exponent = inputs
        ga = gb = None
        if needs[0]:
            ga = sum_to_tensor(g * exponent * _zero_base_as_one(base, a, b == 0) ** (exponent - 1), a.shape)
        if needs[1]:
            gb = sum_to_tensor(g * out * _zero_base_as_one(base, a, b >= 0).log(), b.shape)
        return ga, gb


class PowConstOp(Function):
    """a ** k with a constant number k (op ``"**"``, as ``Value``'s; k is kept in the context)."""

    name = "**"

    @staticmethod
    def forward(a, exponent):
        k = exponent
        _check_real_power(a, k)
        if k == 2:
            return a * a, (a, k)
        if k < 0 and a.dtype.kind in "iub":
            a = a.astype(np.float64)  # numpy refuses integers to negative integer powers
        with np.errstate(divide="ignore", invalid="ignore"):
            return a**k, (a, k)  # 0 ** -1 = inf, as in torch; detect_anomaly reports it

    @staticmethod
    def vjp(ctx, g, needs):
        a, k = ctx
        if k == 2:
            return (g * (2 * a),)
        if k == 0:
            return (np.zeros(a.shape, dtype=g.dtype),)  # a**0 is constant: 0, not 0 * inf at a = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return (g * (k * a ** (k - 1)),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        a, k = ctx
        if k == 0:
            return (_constant(g, np.zeros(a.shape, dtype=g.dtype)),)
        return (g * (k * inputs[0] ** (k - 1)),)


class NegOp(Function):
    """-a; vjp: -g."""

    name = "neg"

    @staticmethod
    def forward(a):
        return -a, None

    @staticmethod
    def vjp(ctx, g, needs):
        return (-g,)

    @staticmethod
    def vjp_into(ctx, g, needs, g_is_free):
        return (np.negative(g, out=g) if g_is_free else -g,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (-g,)


# -- products ------------------------------------------------------------------------------------


def _matmul_error(sa: tuple, sb: tuple) -> ValueError:
    """What is wrong with ``a @ b``: no axis, the inner dimensions, or batch shapes that do not broadcast."""
    if not sa or not sb:
        return ValueError(f"matmul: {sa} @ {sb}: both operands need at least one axis")
    inner_b = sb[-2] if len(sb) > 1 else sb[0]
    if sa[-1] != inner_b:
        return ValueError(f"matmul: {sa} @ {sb}: the inner dimensions {sa[-1]} and {inner_b} differ")
    return ValueError(
        f"matmul: {sa} @ {sb}: the batch shapes {sa[:-2]} and {sb[:-2]} (all axes but the last two) "
        "do not broadcast together"
    )


class MatMulOp(Function):
    """a @ b with numpy's rules: 1-D operands are promoted to matrices and the axis dropped after."""

    name = "@"

    @staticmethod
    def forward(a, b):
        return a @ b, (a, b)

    @classmethod
    def explain(cls, error, inputs):
        return _matmul_error(inputs[0].data.shape, inputs[1].data.shape)

    @staticmethod
    def vjp(ab, g, needs):
        a, b = ab
        if a.ndim == 2 and b.ndim == 2:
            return (g @ b.T if needs[0] else None, a.T @ g if needs[1] else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if needs[0]:
            ga = sum_to(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if needs[1]:
            gb = sum_to(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb

    @staticmethod
    def vjp_tensor(ab, g, needs, inputs, out):
        a, b = inputs
        if a.ndim == 2 and b.ndim == 2:
            return (g @ b.T if needs[0] else None, a.T @ g if needs[1] else None)
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if needs[0]:
            ga = sum_to_tensor(g2 @ _swap_last(b2), a2.shape).reshape(a.shape)
        if needs[1]:
            gb = sum_to_tensor(_swap_last(a2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb


class LinearOp(Function):
    """The fused affine map x @ W + b (W of shape (nin, nout)): one node instead of two.

    One node saves a node's bookkeeping and a temporary array per layer; its vjp gives x, W and b
    their gradients in one step, and sums the bias gradient only when a bias wants it.
    """

    name = "linear"

    @staticmethod
    def forward(x, w, b=None):
        out = x @ w
        if b is not None:
            if out.dtype == b.dtype:
                out += b  # the product is a fresh array: adding in place saves an allocation
            else:
                out = out + b
        return out, (x, w)

    @classmethod
    def explain(cls, error, inputs):
        x, w = inputs[0].data, inputs[1].data
        extra = f" + {inputs[2].data.shape}" if len(inputs) == 3 else ""
        return ValueError(
            f"linear: {x.shape} @ {w.shape}{extra}: x's last axis must equal the weight's first "
            "and the bias must have the weight's second"
        )

    @staticmethod
    def vjp(xw, g, needs):
        x, w = xw
        gx = g @ w.T if needs[0] else None
        gw = None
        # The bias's gradient, a sum over the batch, only when there is a bias that wants it.
        want_gb = len(needs) == 3 and needs[2]
        if x.ndim == 2:
            if needs[1]:
                gw = x.T @ g
            gb = np.add.reduce(g, axis=0) if want_gb else None
        elif x.ndim == 1:
            if needs[1]:
                gw = np.outer(x, g)
            gb = g if want_gb else None
        else:
            g2 = g.reshape(-1, g.shape[-1])
            if needs[1]:
                gw = x.reshape(-1, x.shape[-1]).T @ g2
            gb = np.add.reduce(g2, axis=0) if want_gb else None
        if len(needs) == 2:
            return gx, gw
        return gx, gw, gb

    @staticmethod
    def vjp_into(xw, g, needs, g_is_free):
        x, w = xw
        if x.ndim != 2:
            return LinearOp.vjp(xw, g, needs)
        # A batch of activations: x's gradient goes into a spare array (one an earlier backward
        # pass finished with), and g, which no gradient returned here is or views, becomes one.
        # So a training loop allocates no activation-sized gradient step after step.
        big = g.nbytes >= SPARE_MIN_BYTES
        gx = None
        if needs[0]:
            if big and g.dtype == w.dtype:
                gx = np.matmul(g, w.T, out=spare((g.shape[0], w.shape[0]), g.dtype))
            else:
                gx = g @ w.T
        gw = x.T @ g if needs[1] else None
        gb = np.add.reduce(g, axis=0) if len(needs) == 3 and needs[2] else None
        if big and g_is_free:
            give_back(g)
        if len(needs) == 2:
            return gx, gw
        return gx, gw, gb

    @staticmethod
    def vjp_tensor(xw, g, needs, inputs, out):
        x, w = inputs[0], inputs[1]
        gx = g @ w.T if needs[0] else None
        gw = gb = None
        want_gb = len(needs) == 3 and needs[2]
        if x.ndim == 1:
            if needs[1]:
                gw = x.reshape(-1, 1) @ g.reshape(1, -1)
            gb = g if want_gb else None
        else:
            x2 = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            g2 = g if g.ndim == 2 else g.reshape(-1, g.shape[-1])
            if needs[1]:
                gw = x2.T @ g2
            gb = g2.sum(axis=0) if want_gb else None
        if len(needs) == 2:
            return gx, gw
        return gx, gw, gb


# -- elementwise functions -----------------------------------------------------------------------


class ExpOp(Function):
    """e^a; vjp: g·e^a (the output, saved)."""

    name = "exp"

    @staticmethod
    def forward(a):
        out = as_array(np.exp(a))
        return out, out

    @staticmethod
    def vjp(out, g, needs):
        return (g * out,)

    @staticmethod
    def vjp_into(out, g, needs, g_is_free):
        if g_is_free and g.dtype == out.dtype:
            g *= out
            return (g,)
        return (g * out,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (g * out,)


class LogOp(Function):
    """log a (negative a raises ``ValueError``); vjp: g / a."""

    name = "log"

    @staticmethod
    def forward(a):
        if (a < 0).any():
            index = first_index(a < 0)
            raise ValueError(
                f"log: the input is negative at index {index} ({a[index].item()!r}); log needs x > 0"
            )
        with np.errstate(divide="ignore"):
            return np.log(a), a  # log(0) = -inf, as the limit says

    @staticmethod
    def vjp(a, g, needs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return (g / a,)  # inf at 0 (or near it), silently: detect_anomaly finds it

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g / inputs[0],)


class SqrtOp(Function):
    """√a (negative a raises ``ValueError``); vjp: g / (2√a)."""

    name = "sqrt"

    @staticmethod
    def forward(a):
        if (a < 0).any():
            index = first_index(a < 0)
            raise ValueError(
                f"sqrt: the input is negative at index {index} ({a[index].item()!r}); sqrt needs x >= 0"
            )
        out = as_array(np.sqrt(a))
        return out, out

    @staticmethod
    def vjp(out, g, needs):
        with np.errstate(divide="ignore"):
            return (g / (2 * out),)  # infinite at 0, where sqrt has a vertical tangent

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (g / (2 * out),)


class AbsOp(Function):
    """|a|; vjp: g·sign(a)."""

    name = "abs"

    @staticmethod
    def forward(a):
        return np.abs(a), a

    @staticmethod
    def vjp(a, g, needs):
        return (g * np.sign(a),)  # sign(0) = 0: the subgradient PyTorch uses

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g * np.sign(a),)


class ClipOp(Function):
    """a limited to [low, high]; vjp: g where low <= a <= high, else 0."""

    name = "clip"

    @staticmethod
    def forward(a, low, high):
        return np.clip(a, low, high), (a, low, high)

    @staticmethod
    def _inside(ctx) -> np.ndarray:
        a, low, high = ctx
        # The gradient passes where the input was inside [low, high] (bounds included, as torch).
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return inside

    @classmethod
    def vjp(cls, ctx, g, needs):
        return (g * cls._inside(ctx),)

    @classmethod
    def vjp_tensor(cls, ctx, g, needs, inputs, out):
        return (g * cls._inside(ctx),)


class TanhOp(Function):
    """tanh a; vjp: g·(1 - tanh² a), from the saved output."""

    name = "tanh"

    @staticmethod
    def forward(a):
        out = as_array(np.tanh(a))
        return out, out

    @staticmethod
    def vjp(out, g, needs):
        # g * (1 - tanh²), written in place on one fresh array (out=: an array even when 0-d).
        d = np.multiply(out, out, out=np.empty_like(out))
        np.subtract(1, d, out=d)
        d *= g
        return (d,)

    @staticmethod
    def vjp_into(out, g, needs, g_is_free):
        if not g_is_free or g.dtype != out.dtype:
            return TanhOp.vjp(out, g, needs)
        # 1 - tanh² in a scratch array, then into g: no array of the activation's size is
        # allocated (a hand-written loop overwrites the activation instead, which the graph keeps).
        d = scratch(out)
        np.multiply(out, out, out=d)
        np.subtract(1, d, out=d)
        g *= d
        return (g,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (g * (1 - out * out),)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) on a fresh array, exact and warning-free for any a.

    With e = exp(-|a|) in (0, 1], which never overflows: σ(a) = 1 / (1 + e) for a >= 0 and
    e / (1 + e) for a < 0 (no cancellation in either; the naive 1 / (1 + exp(-a)) overflows exp
    for a < -709).  Written in place: four times faster than exp(-logaddexp(0, -a)).
    """
    a = floating(a)
    e = np.abs(a, out=np.empty(a.shape, dtype=a.dtype))  # out=: an array even when a is 0-d
    np.negative(e, out=e)
    np.exp(e, out=e)
    d = e + 1
    np.copyto(e, 1, where=a >= 0)  # numerator: 1 where a >= 0, e elsewhere
    e /= d
    return e


class SigmoidOp(Function):
    """σ(a) = 1 / (1 + e^-a), stable; vjp: g·σ(1 - σ), from the saved output."""

    name = "sigmoid"

    @staticmethod
    def forward(a):
        out = _sigmoid(a)
        return out, out

    @staticmethod
    def vjp(out, g, needs):
        d = 1 - out  # g σ (1 - σ), on one fresh array
        d *= out
        d *= g
        return (d,)

    @staticmethod
    def vjp_into(out, g, needs, g_is_free):
        if not g_is_free or g.dtype != out.dtype:
            return SigmoidOp.vjp(out, g, needs)
        d = scratch(out)  # as TanhOp: no activation-sized allocation
        np.subtract(1, out, out=d)
        d *= out
        g *= d
        return (g,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (g * (out * (1 - out)),)


class ReLUOp(Function):
    """max(a, 0); vjp: g where a > 0, else 0."""

    name = "relu"

    @staticmethod
    def forward(a):
        return np.maximum(a, 0), a

    @staticmethod
    def vjp(a, g, needs):
        return (g * (a > 0),)

    @staticmethod
    def vjp_into(a, g, needs, g_is_free):
        if g_is_free:
            np.multiply(g, a > 0, out=g)
            return (g,)
        return (g * (a > 0),)

    @staticmethod
    def vjp_tensor(a, g, needs, inputs, out):
        return (g * (a > 0),)


class StepOp(Function):
    """The threshold unit: 1 where x >= 0, else 0; its derivative is 0 wherever it exists."""

    name = "step"

    @staticmethod
    def forward(a):
        return (a >= 0).astype(a.dtype if a.dtype.kind == "f" else np.float64), a.shape

    @staticmethod
    def vjp(shape, g, needs):
        return (np.zeros(shape, dtype=g.dtype),)

    @staticmethod
    def vjp_tensor(shape, g, needs, inputs, out):
        return (_constant(g, np.zeros(shape, dtype=g.dtype)),)


class SoftmaxOp(_AxisOp):
    """e^a / Σ e^a along an axis; vjp: s·(g - Σ g·s)."""

    name = "softmax"

    @staticmethod
    def forward(a, axis):
        a = floating(a)  # integer logits: probabilities are floats, as np.exp gives
        axis = _scalar_axis(a, axis)
        # Shift so exp never overflows; as_array: the difference of 0-d arrays is a numpy scalar.
        z = as_array(a - a.max(axis=axis, keepdims=True))
        e = np.exp(z, out=z)
        e /= e.sum(axis=axis, keepdims=True)
        return e, (e, axis)

    @staticmethod
    def vjp(ctx, g, needs):
        s, axis = ctx
        gs = g * s
        return (gs - s * gs.sum(axis=axis, keepdims=True),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        axis = ctx[1]
        gs = g * out
        return (gs - out * gs.sum(axis=axis, keepdims=True),)


class LogSoftmaxOp(_AxisOp):
    """a - log Σ e^a along an axis; vjp: g - softmax·Σ g."""

    name = "log_softmax"

    @staticmethod
    def forward(a, axis):
        a = floating(a)
        axis = _scalar_axis(a, axis)
        z = a - a.max(axis=axis, keepdims=True)
        z -= np.log(np.exp(z).sum(axis=axis, keepdims=True))
        return z, (z, axis)

    @staticmethod
    def vjp(ctx, g, needs):
        logp, axis = ctx
        return (g - np.exp(logp) * g.sum(axis=axis, keepdims=True),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        axis = ctx[1]
        return (g - out.exp() * g.sum(axis=axis, keepdims=True),)
