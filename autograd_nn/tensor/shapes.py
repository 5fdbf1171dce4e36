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

import numpy as np

from .functions import Function, _AxisOp, sum_to, sum_to_tensor

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


def _is_advanced(index) -> bool:
    items = index if type(index) is tuple else (index,)
    return any(isinstance(i, (np.ndarray, list)) for i in items)


def _scatter(g: np.ndarray, index, shape: tuple) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``: the transpose of ``a[index]``."""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_advanced(index):
        np.add.at(out, index, g)  # a repeated integer index receives each of its shares
    else:
        out[index] = g  # basic indexing never selects an element twice
    return out


class GetItemOp(Function):
    """Indexing; repeated integer indices each receive their share (``np.add.at`` scatters)."""

    name = "getitem"

    @staticmethod
    def forward(a, index):
        try:
            return a[index], (index, a.shape)
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


class ConcatenateOp(Function):
    """Join along an existing axis; vjp: g split at the same boundaries."""

    name = "concatenate"

    @staticmethod
    def forward(*arrays, axis):
        try:
            out = np.concatenate(arrays, axis=axis)
        except (ValueError, _AxisError) as error:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(
                f"concatenate: shapes {shapes} do not join along axis {axis} ({error})"
            ) from None
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
        try:
            out = np.stack(arrays, axis=axis)
        except (ValueError, _AxisError) as error:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"stack: shapes {shapes} must all be equal ({error})") from None
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
