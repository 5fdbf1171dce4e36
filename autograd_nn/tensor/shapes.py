"""The tensor engine's operations on shapes: reductions, reshapes, indexing and joins.

The same contract as :mod:`autograd_nn.tensor.functions` (``forward`` beside ``vjp``,
``vjp_into`` and ``vjp_tensor``; :meth:`~autograd_nn.tensor.functions.Function.apply` runs
them).  Two ops here exist for the vjps of the others: :class:`BroadcastToOp` (the vjp of a
reduction, as a Tensor op) and :class:`ScatterOp` (the vjp of indexing, as a Tensor op), so
that ``grad(..., create_graph=True)`` can differentiate through reductions and indexing again.

Example:
    >>> from autograd_nn import Tensor
    >>> from autograd_nn.tensor.shapes import GetItemOp
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = GetItemOp.apply(x, index=[0, 0, 2])        # what x[[0, 0, 2]] does
    >>> y.sum().backward(); x.grad
    array([2., 0., 1.])
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ._arrays import first_index, floating
from .functions import Function, _AxisOp, _scalar_axis, sum_to, sum_to_tensor

# The ops are reached through Tensor's methods (``x.sum()``, ``x[i]``); the classes are the
# engine's, documented by their docstrings, not a public API of their own.
__all__: list[str] = []

_AxisError = np.exceptions.AxisError


def _norm_axes(axis, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim if ndim else a for a in axes)


def _kept_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction over ``axis`` with ``keepdims=True``."""
    axes = _norm_axes(axis, len(shape))
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _unreduce(g, shape: tuple, axis, keepdims: bool):
    """Broadcast the gradient of a reduction back over the axes it reduced (a read-only view)."""
    if not keepdims and axis is not None:
        g = g.reshape(_kept_shape(shape, axis))
    return np.broadcast_to(g, shape)


def _unreduce_tensor(g, shape: tuple, axis, keepdims: bool):
    if not keepdims:
        g = g.reshape(_kept_shape(shape, axis))
    return BroadcastToOp.apply(g, shape=shape)


# -- reductions ----------------------------------------------------------------------------------


class SumOp(_AxisOp):
    """Sum over axes; vjp: g copied back over the summed axes."""

    name = "sum"

    @staticmethod
    def forward(a, axis, keepdims):
        axis = _scalar_axis(a, axis)
        return a.sum(axis=axis, keepdims=keepdims), (a.shape, axis, keepdims)

    @staticmethod
    def vjp(ctx, g, needs):
        shape, axis, keepdims = ctx
        return (_unreduce(g, shape, axis, keepdims),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        shape, axis, keepdims = ctx
        return (_unreduce_tensor(g, shape, axis, keepdims),)


class MeanOp(_AxisOp):
    """Mean over axes; vjp: g / count copied back over the averaged axes."""

    name = "mean"

    @staticmethod
    def forward(a, axis, keepdims):
        axis = _scalar_axis(a, axis)
        out = a.mean(axis=axis, keepdims=keepdims)
        return out, (a.shape, axis, keepdims, a.size // max(np.size(out), 1) if a.size else 1)

    @staticmethod
    def vjp(ctx, g, needs):
        shape, axis, keepdims, count = ctx
        return (_unreduce(g / count, shape, axis, keepdims),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        shape, axis, keepdims, count = ctx
        return (_unreduce_tensor(g / count, shape, axis, keepdims),)


class MaxOp(_AxisOp):
    """max over axes; ties share the gradient equally (so it is the average of the subgradients)."""

    name = "max"
    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, a, axis, keepdims):
        if a.size == 0:
            raise ValueError(f"{cls.name}: the tensor is empty (shape {a.shape}); there is no {cls.name}")
        axis = _scalar_axis(a, axis)
        kept = cls.reduce(a, axis=axis, keepdims=True)
        out = kept if keepdims else (kept.reshape(()) if axis is None else np.squeeze(kept, axis=axis))
        return out, (a, axis, kept)

    @staticmethod
    def _mask(ctx, dtype) -> np.ndarray:
        a, axis, kept = ctx
        mask = (a == kept).astype(dtype)
        mask /= mask.sum(axis=axis, keepdims=True)
        return mask

    @classmethod
    def vjp(cls, ctx, g, needs):
        kept = ctx[2]
        g = g.reshape(kept.shape) if g.shape != kept.shape else g
        return (cls._mask(ctx, g.dtype) * g,)

    @classmethod
    def vjp_tensor(cls, ctx, g, needs, inputs, out):
        kept = ctx[2]
        g = g.reshape(kept.shape) if g.shape != kept.shape else g
        return (g * cls._mask(ctx, g.dtype),)  # the mask is constant where the max is unique


class MinOp(MaxOp):
    """min over axes; ties share the gradient equally."""

    name = "min"
    reduce = staticmethod(np.min)


# -- shapes and indexing ---------------------------------------------------------------------------


class ReshapeOp(Function):
    """A new shape for the same data; vjp: g reshaped back."""

    name = "reshape"

    @staticmethod
    def forward(a, shape):
        try:
            return a.reshape(shape), a.shape
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {a.shape} ({a.size} elements) into {shape}"
            ) from None

    @staticmethod
    def vjp(shape, g, needs):
        return (g.reshape(shape),)

    @staticmethod
    def vjp_tensor(shape, g, needs, inputs, out):
        return (g.reshape(shape),)


class BroadcastToOp(Function):
    """a copied along new or length-1 axes up to ``shape``; vjp: :func:`sum_to`.

    The data is a fresh array, not numpy's read-only view: the result may be a gradient the
    user holds.  (The vjps of the reductions make it, for ``create_graph=True``.)
    """

    name = "broadcast_to"

    @staticmethod
    def forward(a, shape):
        return np.broadcast_to(a, shape).copy(), a.shape

    @staticmethod
    def vjp(shape, g, needs):
        return (sum_to(g, shape),)

    @staticmethod
    def vjp_tensor(shape, g, needs, inputs, out):
        return (sum_to_tensor(g, shape),)


class TransposeOp(Function):
    """Permuted axes; vjp: g permuted by the inverse permutation."""

    name = "transpose"

    @staticmethod
    def forward(a, axes):
        try:
            out = a.transpose(axes)
        except ValueError as error:
            raise ValueError(f"transpose: axes {axes} do not fit shape {a.shape} ({error})") from None
        # The inverse permutation, from the normalised axes (-1 -> ndim - 1).
        inverse = None
        if axes is not None:
            inverse = tuple(int(i) for i in np.argsort([int(ax) % a.ndim for ax in axes]))
        return out, inverse

    @staticmethod
    def vjp(inverse, g, needs):
        return (g.transpose(inverse),)

    @staticmethod
    def vjp_tensor(inverse, g, needs, inputs, out):
        return (g.transpose(inverse) if inverse is not None else g.transpose(),)


class AstypeOp(Function):
    """A dtype cast; vjp: g cast back to the input's dtype."""

    name = "astype"

    @staticmethod
    def forward(a, dtype):
        return a.astype(dtype), a.dtype

    @staticmethod
    def vjp(dtype, g, needs):
        return (g.astype(dtype),)

    @staticmethod
    def vjp_tensor(dtype, g, needs, inputs, out):
        return (g.astype(dtype),)


_BASIC_INDEX = (int, np.integer, slice, type(None), type(Ellipsis))


def _is_basic(index) -> bool:
    """Whether ``index`` is numpy's basic indexing: ints, slices, None and ``...`` only.

    Anything else is advanced indexing, which may select an element twice: a list, an array, a
    boolean, and a tuple inside the index tuple (``x[(1, 1), (0, 0)]`` means ``x[[1, 1], [0, 0]]``).
    """
    items = index if type(index) is tuple else (index,)
    return all(isinstance(i, _BASIC_INDEX) and type(i) is not bool for i in items)


# Index items that cannot change, by exact type: one set lookup each keeps x[0] and x[:, 1] fast.
_IMMUTABLE = frozenset({int, slice, type(None), type(Ellipsis)})


def _owned(item):
    """An array, list or tuple in an index as an array of its own; anything else as it is.

    numpy reads a list (or a tuple inside the index tuple) as the array ``np.array`` makes of
    it, so the copy indexes alike; an empty one makes a float array, which numpy reads as an
    integer one, as here.
    """
    if isinstance(item, np.ndarray):
        return item.copy()
    if isinstance(item, (list, tuple)):
        array = np.array(item)
        return array if array.size else array.astype(np.intp)
    return item


def _own_index(index):
    """``index`` with copies of its arrays and lists, which the caller may change after the forward."""
    if type(index) is not tuple:
        return _owned(index)
    for item in index:
        if type(item) not in _IMMUTABLE:
            return tuple([_owned(i) for i in index])
    return index


def _scatter(g: np.ndarray, index, shape: tuple) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``: the transpose of ``a[index]``."""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g  # basic indexing never selects an element twice
    else:
        np.add.at(out, index, g)  # a repeated element receives each of its shares
    return out


class GetItemOp(Function):
    """Indexing; repeated integer indices each receive their share (``np.add.at`` scatters)."""

    name = "getitem"

    @staticmethod
    def forward(a, index):
        # The vjps read the index later: a list the caller changes meanwhile must not matter.
        owned = index if type(index) in _IMMUTABLE else _own_index(index)
        try:
            return a[owned], (owned, a.shape)
        except IndexError as error:
            raise IndexError(f"getitem: index {index!r} is invalid for shape {a.shape} ({error})") from None

    @staticmethod
    def vjp(ctx, g, needs):
        index, shape = ctx
        return (_scatter(g, index, shape),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        index, shape = ctx
        return (ScatterOp.apply(g, index=index, shape=shape),)


class ScatterOp(Function):
    """Zeros of ``shape`` with the input added at ``index``: the vjp of indexing, as an op.

    The vjp of :class:`GetItemOp` for ``create_graph=True``; its own vjp is indexing again.
    """

    name = "scatter"

    @staticmethod
    def forward(g, index, shape):
        return _scatter(g, index, shape), index

    @staticmethod
    def vjp(index, g, needs):
        return (g[index],)

    @staticmethod
    def vjp_tensor(index, g, needs, inputs, out):
        return (GetItemOp.apply(g, index=index),)


def _join(op: str, join, arrays: tuple, axis: int, rule: str) -> np.ndarray:
    """``join(arrays, axis=axis)`` (``np.concatenate`` or ``np.stack``), its errors naming the shapes.

    A bad axis is numpy's ``AxisError``; shapes that do not join are a ``ValueError`` saying
    what ``rule`` they break.
    """
    try:
        return join(arrays, axis=axis)
    except ValueError as error:  # an AxisError is a ValueError too
        shapes = ", ".join(str(a.shape) for a in arrays)
        if isinstance(error, _AxisError):
            raise _AxisError(f"{op}: {error} (the tensors have shapes {shapes})") from None
        raise ValueError(f"{op}: shapes {shapes} {rule} ({error})") from None


class ConcatenateOp(Function):
    """Join along an existing axis; vjp: g split at the same boundaries."""

    name = "concatenate"

    @staticmethod
    def forward(*arrays, axis):
        out = _join("concatenate", np.concatenate, arrays, axis, f"do not join along axis {axis}")
        axis %= out.ndim
        return out, (axis, [a.shape[axis] for a in arrays])

    @staticmethod
    def vjp(ctx, g, needs):
        axis, sizes = ctx
        parts = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
        return tuple(p if need else None for p, need in zip(parts, needs))

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        axis, sizes = ctx
        grads, start = [], 0
        for size, need in zip(sizes, needs):
            index = (slice(None),) * axis + (slice(start, start + size),)
            grads.append(GetItemOp.apply(g, index=index) if need else None)
            start += size
        return tuple(grads)


class StackOp(Function):
    """Join along a new axis; vjp: g sliced along that axis."""

    name = "stack"

    @staticmethod
    def forward(*arrays, axis):
        out = _join("stack", np.stack, arrays, axis, "must all be equal")
        return out, axis % out.ndim

    @staticmethod
    def vjp(axis, g, needs):
        return tuple(p if need else None for p, need in zip(np.moveaxis(g, axis, 0), needs))

    @staticmethod
    def vjp_tensor(axis, g, needs, inputs, out):
        return tuple(
            GetItemOp.apply(g, index=(slice(None),) * axis + (i,)) if need else None
            for i, need in enumerate(needs)
        )


# -- more reductions ------------------------------------------------------------------------------


def _regrow(g, kept_shape: tuple):
    """``g`` (an array or a Tensor) in the shape its reduction has with ``keepdims=True``."""
    return g if g.shape == kept_shape else g.reshape(kept_shape)


def _drop(kept: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """A reduction computed with ``keepdims=True``, its reduced axes dropped unless ``keepdims``."""
    if keepdims:
        return kept
    return kept.reshape(()) if axis is None else np.squeeze(kept, axis=axis)


class LogSumExpOp(_AxisOp):
    """log Σ e^a over axes, shifted by the max so nothing overflows; vjp: g·softmax(a).

    As PyTorch's: an entry of -inf adds nothing (its gradient is 0); a slice of only -inf, or an
    empty one, gives -inf; an entry of +inf gives +inf.  Where the output is infinite the
    gradient is nan (0/0 or inf/inf), as torch's.
    """

    name = "logsumexp"

    @staticmethod
    def forward(a, axis, keepdims):
        a = floating(a)
        axis = _scalar_axis(a, axis)
        top = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
        # e^(a - max) <= 1 never overflows.  An infinite max is not subtracted (inf - inf = nan):
        # a slice of -inf then sums to e^-inf = 0, one holding +inf to inf.
        shift = np.where(np.isfinite(top), top, 0.0)
        # (-1e308 - 1e308 overflows to -inf, whose e^ is the 0 it should be; log 0 = -inf for a
        # slice of -inf; 0/0 and inf/inf are the nan gradients of an infinite output.)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            e = np.exp(a - shift)
            total = e.sum(axis=axis, keepdims=True)
            kept = np.log(total) + shift
            # The gradient, softmax(a), saved as e / Σe: exact even where log Σe is lost in
            # rounding next to the max (at 1e308, e^(a - out) would give 1 for 1/2).
            e /= total
        return _drop(kept, axis, keepdims), (e, kept.shape)

    @staticmethod
    def vjp(ctx, g, needs):
        softmax, shape = ctx
        return (_regrow(g, shape) * softmax,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        shape = ctx[1]
        return (_regrow(g, shape) * (inputs[0] - _regrow(out, shape)).exp(),)


class ProdOp(_AxisOp):
    """The product over axes; vjp: g times the product of the other entries of the slice.

    That product is not ``out / a``, which is 0 / 0 at a zero: it is the product of the non-zero
    others where no other entry is 0, and 0 where one is (so one zero in a slice passes a
    gradient to its own entry only, two or more pass none), as PyTorch's.
    """

    name = "prod"

    @staticmethod
    def forward(a, axis, keepdims):
        axis = _scalar_axis(a, axis)
        return a.prod(axis=axis, keepdims=keepdims), (a, axis)

    @staticmethod
    def vjp(ctx, g, needs):
        a, axis = ctx
        zero = a == 0
        alive = np.where(zero, 1, a)
        kept = alive.prod(axis=axis, keepdims=True)
        no_other_zero = zero.sum(axis=axis, keepdims=True) - zero == 0
        return (_regrow(g, kept.shape) * (kept / alive) * no_other_zero,)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        a, axis = ctx
        x = inputs[0]
        g = _regrow(g, _kept_shape(a.shape, axis))
        zero = a == 0
        if not zero.any():
            return (g * (_regrow(out, g.shape) / x),)
        mask = zero.astype(a.dtype)
        alive = x * (1 - mask) + mask  # the zeros replaced by constant 1s
        others = ProdOp.apply(alive, axis=axis, keepdims=True) / alive
        # The product of the slice's other zeros, as a function of x: 1 where there is none, the
        # one zero itself (0, with slope 1) where there is one, 0 (slope 0 too) where there are more.
        count = zero.sum(axis=axis, keepdims=True) - zero
        one = (count == 1).astype(a.dtype)
        zeros = (count == 0).astype(a.dtype) + one * ((x * mask).sum(axis=axis, keepdims=True) - x * mask)
        return (g * others * zeros,)


def _check_type(op: str, what: str, values, kind=numbers.Integral, noun: str = "an int") -> None:
    """A ``TypeError`` naming the type unless each of ``values`` is a ``kind`` (a bool is not one)."""
    for v in values:
        if isinstance(v, bool) or not isinstance(v, kind):
            raise TypeError(f"{op}: {what} must be {noun}, got {type(v).__name__}")


def _deviations(a: np.ndarray, axis, correction, op: str) -> tuple:
    """(a minus its mean over ``axis``, the degrees of freedom N - correction), which must be > 0."""
    _check_type(op, "correction", (correction,), numbers.Real, "a number (PyTorch's unbiased=True is 1)")
    a = floating(a)
    axes = tuple(range(a.ndim)) if axis is None else normalize_axis_tuple(axis, a.ndim)
    count = math.prod(a.shape[i] for i in axes)
    dof = count - correction
    if dof <= 0:
        # PyTorch warns and returns inf or nan; a variance of no degrees of freedom is undefined.
        raise ValueError(
            f"{op}: correction={correction} leaves {count} - {correction} = {dof} degrees of freedom "
            f"over axis {axis} of shape {a.shape}; the correction must be less than the number of values"
        )
    return a - a.mean(axis=axis, keepdims=True), dof


class VarOp(_AxisOp):
    """The variance Σ (a - mean)² / (N - correction) over axes; vjp: g·2(a - mean) / (N - correction)."""

    name = "var"

    @staticmethod
    def _finish(var):
        return var

    @staticmethod
    def _slope(d, dof, out):
        """d out / d a from the deviations ``d`` (arrays, or Tensors for ``vjp_tensor``)."""
        return d * (2 / dof)

    @classmethod
    def forward(cls, a, axis, correction, keepdims):
        axis = _scalar_axis(a, axis)
        d, dof = _deviations(a, axis, correction, cls.name)
        kept = cls._finish((d * d).sum(axis=axis, keepdims=True) / dof)
        return _drop(kept, axis, keepdims), (d, dof, kept, axis)

    @classmethod
    def vjp(cls, ctx, g, needs):
        d, dof, kept, axis = ctx
        return (_regrow(g, kept.shape) * cls._slope(d, dof, kept),)

    @classmethod
    def vjp_tensor(cls, ctx, g, needs, inputs, out):
        _, dof, kept, axis = ctx
        x = inputs[0]
        d = x - x.mean(axis=axis, keepdims=True)  # from x, so that it is differentiated too
        return (_regrow(g, kept.shape) * cls._slope(d, dof, _regrow(out, kept.shape)),)


class StdOp(VarOp):
    """The standard deviation √var; vjp: g·(a - mean) / ((N - correction)·std).

    Where every value of a slice is equal (std = 0) the gradient is 0, as PyTorch's, not the
    0 · inf = nan of the chain rule through √.
    """

    name = "std"

    @staticmethod
    def _finish(var):
        return np.sqrt(var)

    @staticmethod
    def _slope(d, dof, out):
        """d out / d a; dividing by inf where std = 0 (so d = 0 there) gives 0, not 0 / 0."""
        std = np.asarray(out)
        return d / ((out + np.where(std == 0, np.inf, 0).astype(std.dtype)) * dof)


def _axes(op: str, axis, shape: tuple, ndim: int | None = None) -> tuple:
    """``axis`` (an int, or a tuple or list of them) as non-negative axes of ``ndim`` axes.

    ``ndim`` is ``len(shape)`` unless given, and 1 for a 0-d ``shape``: PyTorch's ``dim`` 0 (or
    -1) names the one implicit axis of a 0-d tensor, which numpy's 0-d array lacks (so each op
    taking it handles a 0-d array itself).  A wrong type raises ``TypeError``, an axis out of
    range ``AxisError`` and a repeated one ``ValueError``, each naming the op and the shape.
    """
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    _check_type(op, "an axis", items)
    ndim = max(len(shape), 1) if ndim is None else ndim
    try:
        return normalize_axis_tuple(items, ndim)
    except _AxisError:
        raise _AxisError(
            f"{op}: axis {axis} is out of range for shape {shape} (axes {-ndim} to {ndim - 1})"
        ) from None
    except ValueError:
        raise ValueError(f"{op}: axis {axis} names an axis twice") from None


def _axis(op: str, axis, shape: tuple, ndim: int | None = None) -> int:
    """One axis, as :func:`_axes` checks it; a tuple raises ``TypeError``."""
    if isinstance(axis, (tuple, list)):
        raise TypeError(f"{op}: axis must be one int, got {type(axis).__name__} {axis}")
    return _axes(op, axis, shape, ndim)[0]


def arg_extreme(find, a: np.ndarray, axis) -> np.ndarray:
    """``find`` (``np.argmax`` or ``np.argmin``) of ``a`` along ``axis``, None for the flattened ``a``.

    ``axis`` is one int, checked as PyTorch's ``dim`` (a 0-d ``a`` has axis 0, or -1): a bad one
    raises ``AxisError`` naming the op and the shape.

    Example:
        >>> arg_extreme(np.argmax, np.array([[1, 5], [7, 2]]), -1), arg_extreme(np.argmin, np.array(2.0), 0)
        (array([1, 0]), array(0))
    """
    if axis is not None:
        _axis(find.__name__, axis, a.shape)  # numpy's own message names neither op nor shape
    return np.asarray(find(a, axis=axis))


class CumsumOp(Function):
    """The running sum along an axis; vjp: the running sum of g from the other end.

    A 0-d tensor's, along PyTorch's axis 0 (or -1), is the tensor itself (numpy's has shape
    (1,)); its context is then None and its vjp g.
    """

    name = "cumsum"

    @staticmethod
    def forward(a, axis):
        axis = _axis("cumsum", axis, a.shape)
        if a.ndim == 0:
            return a.copy(), None
        return np.cumsum(a, axis=axis), axis

    @staticmethod
    def vjp(axis, g, needs):
        if axis is None:
            return (g,)
        return (np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis),)

    @staticmethod
    def vjp_tensor(axis, g, needs, inputs, out):
        if axis is None:
            return (g,)
        return (g.flip(axis).cumsum(axis).flip(axis),)


# -- more shapes ---------------------------------------------------------------------------------


def squeezed_shape(shape: tuple, axis=None) -> tuple:
    """``shape`` without its length-1 axes, or those of ``axis`` only (others stay, as in PyTorch).

    Example:
        >>> squeezed_shape((2, 1, 3, 1)), squeezed_shape((2, 1, 3, 1), axis=(0, 1))
        ((2, 3), (2, 3, 1))
    """
    if axis is None:
        return tuple(n for n in shape if n != 1)
    axes = _axes("squeeze", axis, shape)
    return tuple(n for i, n in enumerate(shape) if n != 1 or i not in axes)


def unsqueezed_shape(shape: tuple, axis: int) -> tuple:
    """``shape`` with a length-1 axis inserted at ``axis`` (-1: at the end).

    Example:
        >>> unsqueezed_shape((2, 3), 1), unsqueezed_shape((2, 3), -1)
        ((2, 1, 3), (2, 3, 1))
    """
    axis = _axis("unsqueeze", axis, shape, len(shape) + 1)
    return shape[:axis] + (1,) + shape[axis:]


def flattened_shape(shape: tuple, start_axis: int = 0, end_axis: int = -1) -> tuple:
    """``shape`` with the axes from ``start_axis`` to ``end_axis`` (both included) made one.

    Example:
        >>> flattened_shape((2, 3, 4, 5), 1, 2), flattened_shape(())
        ((2, 12, 5), (1,))
    """
    start = _axis("flatten", start_axis, shape)
    end = _axis("flatten", end_axis, shape)
    if start > end:
        raise ValueError(
            f"flatten: start_axis {start_axis} comes after end_axis {end_axis} for shape {shape}"
        )
    shape = shape or (1,)  # a 0-d tensor flattens to one element, as in PyTorch
    return shape[:start] + (math.prod(shape[start : end + 1]),) + shape[end + 1 :]


def expanded_shape(shape: tuple, sizes: tuple, op: str = "expand") -> tuple:
    """The shape of PyTorch's ``expand(*sizes)``: -1 keeps an axis's size, new axes go in front.

    Example:
        >>> expanded_shape((3, 1), (2, -1, 4))
        (2, 3, 4)
    """
    _check_type(op, "a size", sizes)
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise ValueError(
            f"{op}: the sizes {tuple(sizes)} are fewer than the axes of shape {shape} (one per axis, "
            "and more for new leading axes)"
        )
    old = (1,) * lead + tuple(shape)
    target = tuple(m if n == -1 and i >= lead else int(n) for i, (n, m) in enumerate(zip(sizes, old)))
    if any(n < 0 or m not in (1, n) for n, m in zip(target, old)):
        raise ValueError(
            f"{op}: shape {shape} cannot be expanded to {tuple(sizes)}: each size must be the "
            "tensor's own (or -1, which keeps it) or the tensor's must be 1; a new axis takes no -1"
        )
    return target


def gather_index(shape: tuple, axis: int, index: np.ndarray) -> tuple:
    """The numpy index that makes ``a[...]`` PyTorch's ``gather(a, axis, index)``, checked.

    ``out[i][j] = a[index[i][j]][j]`` for axis 0: ``index`` is an integer array with as many
    axes as ``a``, no longer than ``a`` along the others, with entries in ``[0, a.shape[axis])``.

    Example:
        >>> a = np.array([[1, 2], [3, 4]])
        >>> a[gather_index(a.shape, 1, np.array([[0, 0], [1, 0]]))]
        array([[1, 1],
               [4, 3]])
    """
    index = np.asarray(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"gather: index must hold integers, got dtype {index.dtype}")
    axis = _axis("gather", axis, shape)
    longer = any(m > n for d, (m, n) in enumerate(zip(index.shape, shape)) if d != axis)
    if index.ndim != len(shape) or longer:
        raise ValueError(
            f"gather: index of shape {index.shape} does not fit the tensor's shape {shape}: it needs "
            f"as many axes, none longer than the tensor's except axis {axis}"
        )
    size = shape[axis] if shape else 1  # PyTorch's one axis of a 0-d tensor holds its one value
    outside = (index < 0) | (index >= size)
    if outside.any():
        at = first_index(outside)
        raise IndexError(f"gather: index {index[at]} at {at} is out of bounds for axis {axis} of size {size}")
    if not shape:
        return ()  # the index is 0: the one value
    grid = list(np.indices(index.shape, sparse=True))
    grid[axis] = index
    return tuple(grid)


def _flip(a: np.ndarray, axes: tuple) -> np.ndarray:
    """``np.flip`` along ``axes``; along none, a view of ``a`` (np.flip gives a 0-d array's scalar)."""
    return np.flip(a, axes) if axes else a[...]


class FlipOp(Function):
    """The order of entries reversed along the axes given; vjp: g flipped back."""

    name = "flip"

    @staticmethod
    def forward(a, axis):
        axes = _axes("flip", axis, a.shape)
        if a.ndim == 0:
            axes = ()  # PyTorch's one axis of a 0-d tensor is no axis of numpy's: one value flips to itself
        return _flip(a, axes), axes

    @staticmethod
    def vjp(axes, g, needs):
        return (_flip(g, axes),)

    @staticmethod
    def vjp_tensor(axes, g, needs, inputs, out):
        return (FlipOp.apply(g, axis=axes),)


def _pad_pairs(pad_width, shape: tuple) -> tuple:
    """numpy's ``pad_width`` (an int, one (before, after) pair, or a pair per axis): a pair per axis."""
    try:
        widths = np.asarray(pad_width)
        if widths.dtype.kind not in "iu":
            raise TypeError(f"pad: pad_width must hold ints, got {pad_width!r}")
        pairs = np.broadcast_to(widths, (len(shape), 2))
    except ValueError:
        raise ValueError(
            f"pad: pad_width {pad_width!r} does not fit shape {shape}: give one int, one "
            "(before, after) pair for every axis, or a pair per axis"
        ) from None
    if (pairs < 0).any():
        raise ValueError(f"pad: pad_width {pad_width!r} has a negative width (to crop, slice: x[1:-1])")
    return tuple((int(before), int(after)) for before, after in pairs)


class PadOp(Function):
    """Constant padding with numpy's ``pad_width`` (a (before, after) pair per axis); vjp: g sliced."""

    name = "pad"

    @staticmethod
    def forward(a, pad_width, value):
        _check_type("pad", "value", (value,), numbers.Real, "a number")
        pairs = _pad_pairs(pad_width, a.shape)
        inner = tuple(slice(before, before + n) for (before, _), n in zip(pairs, a.shape))
        return np.pad(a, pairs, constant_values=value), inner

    @staticmethod
    def vjp(inner, g, needs):
        return (g[inner],)

    @staticmethod
    def vjp_tensor(inner, g, needs, inputs, out):
        return (GetItemOp.apply(g, index=inner),)


def _reps(reps, ndim: int) -> tuple:
    """Copies per axis, as ``np.tile`` takes them: ones prepended up to ``ndim`` axes."""
    reps = tuple(reps)
    _check_type("tile", "a number of copies", reps)
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: the numbers of copies {reps} must not be negative")
    return (1,) * (ndim - len(reps)) + tuple(int(r) for r in reps)


def _untile(g, shape: tuple, reps: tuple):
    """The copies' gradients summed into one of ``shape``: the vjp of ``np.tile`` (an array or a Tensor)."""
    full = (1,) * (len(reps) - len(shape)) + shape
    split = tuple(k for r, n in zip(reps, full) for k in (r, n))  # (copies, size) per axis
    return g.reshape(split).sum(axis=tuple(range(0, len(split), 2))).reshape(shape)


class TileOp(Function):
    """Copies laid side by side (``np.tile``, PyTorch's ``repeat``); vjp: the copies' gradients summed."""

    name = "tile"

    @staticmethod
    def forward(a, reps):
        reps = _reps(reps, a.ndim)
        return np.tile(a, reps), (a.shape, reps)

    @staticmethod
    def vjp(ctx, g, needs):
        return (_untile(g, *ctx),)

    @staticmethod
    def vjp_tensor(ctx, g, needs, inputs, out):
        return (_untile(g, *ctx),)


def as_sizes(args: tuple) -> tuple:
    """The sizes of a call written ``f(2, 3)`` or ``f((2, 3))``, as a tuple.

    Example:
        >>> as_sizes((2, 3)), as_sizes(((2, 3),))
        ((2, 3), (2, 3))
    """
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
