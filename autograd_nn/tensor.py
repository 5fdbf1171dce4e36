"""The tensor engine: ``Tensor``, a numpy array that records the operations made on it.

A Tensor is a graph node with the same record as a ``Value`` (``data``, ``grad``, ``parents`` in
operand order, ``op``), so the same topological order, gradient checker and diagram code serve
both engines.  What differs is what a node keeps for the chain rule: instead of one local
derivative per parent, a tensor node keeps its operation (a :class:`Function`) and the context
that operation's backward needs.  Each :class:`Function` defines its forward and its
vector-Jacobian product (vjp) side by side, as ``torch.autograd.Function`` and JAX's
``custom_vjp`` do.

Conventions (documented once here):

* Broadcasting is numpy's.  The gradient of a broadcast operand is summed back to the operand's
  shape in one place, :func:`sum_to`; every gradient's shape is checked where it is accumulated.
* Only tensors with ``requires_grad`` (and the results of operations on them) are recorded;
  numbers and arrays in an operation become constant leaves (``requires_grad=False``).
* Gradients are kept as in PyTorch: after ``backward`` the leaves with ``requires_grad`` (the
  parameters) hold ``.grad``; an intermediate node holds its gradient only if ``retain_grad()``
  was called on it, or for every node with ``backward(retain_grads=True)`` (what a diagram of
  all gradients needs; ``Value`` always keeps them all).  Why not keep them all by default: the
  gradients of a network's activations would stay alive until the graph is dropped, and on a
  full batch of 1797 digits that extra memory traffic costs 15-20% of an epoch's time.
* ``backward`` frees what the operations saved for it unless ``retain_graph=True``; a second
  backward through a freed graph raises ``RuntimeError`` (before any gradient is accumulated).
* Memory: freeing the saved values does not free the graph.  Every node keeps its ``data`` and
  its ``parents``, so a reference to the loss keeps every activation of the forward pass alive
  (as in PyTorch).  Keep ``loss.item()``, a float, in a loss history, never ``loss`` itself;
  ``autograd_nn.fit`` does so.
* A tensor made from an ndarray shares its memory (as ``torch.from_numpy``), keeping its dtype;
  ``np.asarray(tensor)`` shares it too, ``np.array(tensor)`` copies (numpy 2's ``copy`` rules).
* dtypes: Python numbers, and lists of them, take a floating tensor's dtype (float32 stays
  float32); an ndarray operand keeps its own, as in numpy.  Division by zero gives inf or nan as
  in numpy and PyTorch (no exception, no warning); ``detect_anomaly`` finds where.

Example:
    >>> import numpy as np
    >>> from autograd_nn import Tensor
    >>> W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    >>> x = Tensor([[1.0, 2.0]])
    >>> loss = (x @ W).tanh().sum()
    >>> loss.backward()
    >>> W.grad.shape, W.grad.dtype
    ((2, 3), dtype('float64'))
"""

from __future__ import annotations

import math
import numbers
import threading
import weakref

import numpy as np

from .graph import SWITCHES, AnomalyError, Node, topological_order
from .value import Value

__all__ = ["Function", "Tensor", "concatenate", "linear", "stack", "sum_to"]

_new = object.__new__
_ndarray = np.ndarray
_FREED = object()  # the context of a node whose backward already ran without retain_graph
_RETAINED = weakref.WeakSet()  # intermediate nodes whose gradient retain_grad() asked to keep


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
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    if not axes:
        return g.reshape(shape)
    # The sum is written straight into an array of the target shape: a fresh array, not a
    # reshaped view, which a leaf can keep as its .grad without copying it once more.
    out = np.empty(shape, dtype=g.dtype)
    np.add.reduce(g, axis=axes, keepdims=True, out=out.reshape((1,) * lead + shape))
    return out


def _array(out):
    """``out`` as an ndarray: numpy gives a scalar for a 0-d input, and the vjps write into arrays."""
    return out if type(out) is _ndarray else np.asarray(out)


# -- building nodes ------------------------------------------------------------------------------


def _record(fn, name: str, data, parents: tuple, ctx):
    """The result of an operation: a recorded node if any parent requires grad, else a constant."""
    if type(data) is not _ndarray:
        data = np.asarray(data)  # ufuncs on 0-d arrays return numpy scalars; .data is an ndarray
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out.op = name
    if SWITCHES.grad_enabled:
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out.parents = parents
                out._fn = fn
                out._ctx = ctx
                return out
    out.requires_grad = False
    out.parents = ()
    out._fn = None
    out._ctx = None
    return out


def _leaf(array: np.ndarray):
    out = _new(Tensor)
    out.data = array
    out.grad = None
    out.requires_grad = False
    out.parents = ()
    out.op = ""
    out._fn = None
    out._ctx = None
    return out


def _mixing_error(op: str) -> TypeError:
    return TypeError(
        f"{op}: cannot mix a Value and a Tensor in one operation; use one engine "
        "(Tensor(value.data) makes a tensor, or autograd_nn.nn.convert moves a whole model)"
    )


def _operand(x, like, op: str):
    """A constant operand (number, array, list) as a leaf Tensor; NotImplemented if unsupported.

    A Python number takes the dtype numpy would give it next to ``like`` (float32 stays float32),
    and numpy scalars count as Python numbers for the same reason.  A list or tuple counts as
    Python numbers too: next to a floating tensor it takes that tensor's dtype, so
    ``Tensor(float32) + [1.0, 2.0]`` stays float32 (numpy would promote the list to float64).
    An ndarray keeps its own dtype, as in numpy.
    """
    if isinstance(x, _ndarray):
        if x.dtype.kind not in "fiub":
            raise TypeError(f"{op}: arrays of dtype {x.dtype} are not supported (real numbers only)")
        return _leaf(x)
    if isinstance(x, Value):
        raise _mixing_error(op)
    if isinstance(x, (numbers.Real, np.bool_)):
        if isinstance(x, np.generic):
            x = x.item()
        return _leaf(np.asarray(x, dtype=np.result_type(like.data.dtype, x)))
    if isinstance(x, (list, tuple)):
        array = _to_array(x, None, op)
        dtype = like.data.dtype
        if dtype.kind == "f" and array.dtype != dtype and array.dtype.kind in "fiub":
            array = array.astype(dtype)
        return _leaf(array)
    return NotImplemented


def _binary_error(op: str, a, b, error: Exception) -> ValueError:
    """The forward of ``a op b`` raised ``error``: blame the shapes only if they do not broadcast."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        return ValueError(f"{op}: shapes {a.shape} and {b.shape} do not broadcast together ({error})")
    return ValueError(f"{op}: {error}")


def _binary(fn, a, b):
    try:
        data, ctx = fn.forward(a.data, b.data)
    except ValueError as error:
        raise _binary_error(fn.name, a, b, error) from None
    return _record(fn, fn.name, data, (a, b), ctx)


def _unary(fn, x, *args):
    try:
        data, ctx = fn.forward(x.data, *args)
    except np.exceptions.AxisError as error:
        # AxisError is both a ValueError and an IndexError, as numpy's own.
        raise np.exceptions.AxisError(f"{fn.name}: {error} (the tensor has shape {x.data.shape})") from None
    return _record(fn, fn.name, data, (x,), ctx)


def _norm_axes(axis, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim if ndim else a for a in axes)


def _first_index(mask: np.ndarray) -> tuple:
    """The index of the first True of ``mask`` (``()`` for a 0-d one), as a tuple of ints."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def _unreduce(g, shape: tuple, axis, keepdims: bool):
    """Broadcast the gradient of a reduction back over the axes it reduced."""
    if not keepdims and axis is not None:
        g = np.expand_dims(g, _norm_axes(axis, len(shape)))
    return np.broadcast_to(g, shape)


# -- operations: forward and vector-Jacobian product side by side ---------------------------------


class Function:
    """An operation of the tensor engine: ``forward`` and its vector-Jacobian product together.

    ``forward(*arrays, *params)`` returns ``(output, ctx)``, where ``ctx`` is whatever the
    backward needs (``None`` when the parents' data suffice).  ``backward(ctx, g, parents)``
    returns one gradient per parent, of that parent's shape, or ``None`` for a parent that does
    not require grad (so no work is wasted on, say, the input batch of a network).  Each
    gradient is ``g`` itself, a view of it, or a fresh array returned for that parent only: the
    engine takes a fresh array as its own and may update it in place later.

    An op may also define ``backward_into(ctx, g, parents, g_is_free)``, the same vjp for a
    backward pass that frees the graph: ``ctx`` is never used again, so the vjp may overwrite
    the arrays in it, and when ``g_is_free`` it may overwrite ``g`` too (no one else holds it).
    That is how the engine saves the temporary arrays a hand-written numpy loop saves.

    Example:
        >>> import numpy as np
        >>> from autograd_nn.tensor import Function, Tensor, _unary
        >>> class Square(Function):
        ...     name = "square"
        ...     @staticmethod
        ...     def forward(a):
        ...         return a * a, None
        ...     @staticmethod
        ...     def backward(ctx, g, parents):
        ...         return (2.0 * parents[0].data * g,)
        >>> x = Tensor([3.0], requires_grad=True)
        >>> y = _unary(Square, x); y.backward(); x.grad
        array([6.])
    """

    name = ""
    backward_into = None  # optional: see the class docstring

    @staticmethod
    def forward(*args):  # pragma: no cover - every operation defines its own
        """``(output, ctx)`` from the parents' arrays (and any constant parameters) of the operation."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx, g, parents):  # pragma: no cover
        """One gradient per parent (its shape, or ``None`` if it needs none) from the output's ``g``."""
        raise NotImplementedError


class Add(Function):
    """a + b; vjp: g to each operand, summed back over broadcast axes."""

    name = "+"

    @staticmethod
    def forward(a, b):
        return a + b, None

    @staticmethod
    def backward(ctx, g, parents):
        a, b = parents
        return (
            sum_to(g, a.data.shape) if a.requires_grad else None,
            sum_to(g, b.data.shape) if b.requires_grad else None,
        )


class Sub(Function):
    """a - b; vjp: g and -g, summed back over broadcast axes."""

    name = "-"

    @staticmethod
    def forward(a, b):
        return a - b, None

    @staticmethod
    def backward(ctx, g, parents):
        a, b = parents
        return (
            sum_to(g, a.data.shape) if a.requires_grad else None,
            sum_to(-g, b.data.shape) if b.requires_grad else None,
        )


class Mul(Function):
    """a * b; vjp: g·b and g·a, summed back over broadcast axes."""

    name = "*"

    @staticmethod
    def forward(a, b):
        return a * b, None

    @staticmethod
    def backward(ctx, g, parents):
        a, b = parents
        return (
            sum_to(g * b.data, a.data.shape) if a.requires_grad else None,
            sum_to(g * a.data, b.data.shape) if b.requires_grad else None,
        )


class Div(Function):
    """a / b; vjp: g/b and -g·a/b².

    Division by zero follows numpy and PyTorch, silently: x/0 = ±inf and 0/0 = nan, in the
    value and in the gradients; :class:`~autograd_nn.detect_anomaly` names the op that made them.
    """

    name = "/"

    @staticmethod
    def forward(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b, None

    @staticmethod
    def backward(ctx, g, parents):
        a, b = parents
        with np.errstate(divide="ignore", invalid="ignore"):
            gb = g / b.data
            return (
                sum_to(gb, a.data.shape) if a.requires_grad else None,
                # d(a/b)/db = -a/b² = -(a/b)/b
                sum_to(-gb * (a.data / b.data), b.data.shape) if b.requires_grad else None,
            )


class Pow(Function):
    """a ** b with both operands tensors (the exponent may require grad)."""

    name = "**"

    @staticmethod
    def forward(a, b):
        if a.dtype.kind in "iub" and b.dtype.kind in "iub" and (b < 0).any():
            a = a.astype(np.float64)  # numpy refuses integers to negative integer powers
        with np.errstate(divide="ignore", invalid="ignore"):
            return a**b, None  # 0 ** -1 = inf, as in torch; detect_anomaly reports it

    @staticmethod
    def backward(ctx, g, parents):
        a, b = parents
        ad, bd = a.data, b.data
        ga = sum_to(g * bd * ad ** (bd - 1), ad.shape) if a.requires_grad else None
        # d a^b / db = a^b log a, defined for a > 0 (checked when the graph was recorded).
        gb = sum_to(g * ad**bd * np.log(ad), bd.shape) if b.requires_grad else None
        return ga, gb


class PowConst(Function):
    """a ** k with a constant number k; the node's op names the exponent (``**2``) as for Value."""

    name = "**k"

    @staticmethod
    def forward(a, k):
        if k == 2:
            return a * a, k
        if k < 0 and a.dtype.kind in "iub":
            a = a.astype(np.float64)  # numpy refuses integers to negative integer powers
        with np.errstate(divide="ignore", invalid="ignore"):
            return a**k, k  # 0 ** -1 = inf, as in torch; detect_anomaly reports it

    @staticmethod
    def backward(k, g, parents):
        a = parents[0].data
        if k == 2:
            return (g * (2 * a),)
        if k == 0:
            return (np.zeros(a.shape, dtype=g.dtype),)  # a**0 is constant: 0, not 0 * inf at a = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return (g * (k * a ** (k - 1)),)


class Neg(Function):
    """-a; vjp: -g."""

    name = "neg"

    @staticmethod
    def forward(a):
        return -a, None

    @staticmethod
    def backward(ctx, g, parents):
        return (-g,)

    @staticmethod
    def backward_into(ctx, g, parents, g_is_free):
        return (np.negative(g, out=g) if g_is_free else -g,)


class MatMul(Function):
    """a @ b with numpy's rules: 1-D operands are promoted to matrices and the axis dropped after."""

    name = "@"

    @staticmethod
    def forward(a, b):
        return a @ b, None

    @staticmethod
    def backward(ctx, g, parents):
        pa, pb = parents
        a, b = pa.data, pb.data
        if a.ndim == 2 and b.ndim == 2:
            return (g @ b.T if pa.requires_grad else None, a.T @ g if pb.requires_grad else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if pa.requires_grad:
            ga = sum_to(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if pb.requires_grad:
            gb = sum_to(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb


class Linear(Function):
    """The fused affine map x @ W + b (W of shape (nin, nout)): one node instead of two."""

    name = "linear"

    @staticmethod
    def forward(x, w, b=None):
        out = x @ w
        if b is not None:
            if out.dtype == b.dtype:
                out += b  # the product is a fresh array: adding in place saves an allocation
            else:
                out = out + b
        return out, None

    @staticmethod
    def backward(ctx, g, parents):
        x, w = parents[0], parents[1]
        xd = x.data
        gx = g @ w.data.T if x.requires_grad else None
        gw = None
        # The bias's gradient, a sum over the batch, only when there is a bias that wants it.
        want_gb = len(parents) == 3 and parents[2].requires_grad
        if xd.ndim == 2:
            if w.requires_grad:
                gw = xd.T @ g
            gb = np.add.reduce(g, axis=0) if want_gb else None
        elif xd.ndim == 1:
            if w.requires_grad:
                gw = np.outer(xd, g)
            gb = g if want_gb else None
        else:
            g2 = g.reshape(-1, g.shape[-1])
            if w.requires_grad:
                gw = xd.reshape(-1, xd.shape[-1]).T @ g2
            gb = np.add.reduce(g2, axis=0) if want_gb else None
        if len(parents) == 2:
            return gx, gw
        return gx, gw, gb


class Sum(Function):
    """Sum over axes; vjp: g copied back over the summed axes."""

    name = "sum"

    @staticmethod
    def forward(a, axis, keepdims):
        return a.sum(axis=axis, keepdims=keepdims), (axis, keepdims)

    @staticmethod
    def backward(ctx, g, parents):
        axis, keepdims = ctx
        return (_unreduce(g, parents[0].data.shape, axis, keepdims),)


class Mean(Function):
    """Mean over axes; vjp: g / count copied back over the averaged axes."""

    name = "mean"

    @staticmethod
    def forward(a, axis, keepdims):
        out = a.mean(axis=axis, keepdims=keepdims)
        return out, (axis, keepdims, a.size // max(out.size, 1) if a.size else 1)

    @staticmethod
    def backward(ctx, g, parents):
        axis, keepdims, count = ctx
        return (_unreduce(g / count, parents[0].data.shape, axis, keepdims),)


class Max(Function):
    """max over axes; ties share the gradient equally (so it is the average of the subgradients)."""

    name = "max"
    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, a, axis, keepdims):
        if a.size == 0:
            raise ValueError(f"{cls.name}: the tensor is empty (shape {a.shape}); there is no {cls.name}")
        kept = cls.reduce(a, axis=axis, keepdims=True)
        out = kept if keepdims else (kept.reshape(()) if axis is None else np.squeeze(kept, axis=axis))
        return out, (axis, kept)

    @staticmethod
    def backward(ctx, g, parents):
        axis, kept = ctx
        a = parents[0].data
        mask = (a == kept).astype(g.dtype)
        mask /= mask.sum(axis=axis, keepdims=True)
        g = g.reshape(kept.shape) if g.shape != kept.shape else g
        return (mask * g,)


class Min(Max):
    """min over axes; ties share the gradient equally."""

    name = "min"
    reduce = staticmethod(np.min)


class Reshape(Function):
    """A new shape for the same data; vjp: g reshaped back."""

    name = "reshape"

    @staticmethod
    def forward(a, shape):
        try:
            return a.reshape(shape), None
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {a.shape} ({a.size} elements) into {shape}"
            ) from None

    @staticmethod
    def backward(ctx, g, parents):
        return (g.reshape(parents[0].data.shape),)


class Transpose(Function):
    """Permuted axes; vjp: g permuted by the inverse permutation."""

    name = "transpose"

    @staticmethod
    def forward(a, axes):
        try:
            out = a.transpose(axes)
        except ValueError as error:
            raise ValueError(f"transpose: axes {axes} do not fit shape {a.shape} ({error})") from None
        # Normalised (-1 -> ndim - 1) so that argsort below inverts the permutation.
        return out, (None if axes is None else tuple(int(ax) % a.ndim for ax in axes))

    @staticmethod
    def backward(axes, g, parents):
        if axes is None:
            return (g.transpose(),)
        return (g.transpose(np.argsort(axes)),)


class Astype(Function):
    """A dtype cast; vjp: g cast back to the input's dtype."""

    name = "astype"

    @staticmethod
    def forward(a, dtype):
        return a.astype(dtype), None

    @staticmethod
    def backward(ctx, g, parents):
        return (g.astype(parents[0].data.dtype),)


def _is_advanced(index) -> bool:
    items = index if type(index) is tuple else (index,)
    return any(isinstance(i, (np.ndarray, list)) for i in items)


class GetItem(Function):
    """Indexing; repeated integer indices each receive their share (``np.add.at`` scatters)."""

    name = "getitem"

    @staticmethod
    def forward(a, index):
        try:
            return a[index], index
        except IndexError as error:
            raise IndexError(f"getitem: index {index!r} is invalid for shape {a.shape} ({error})") from None

    @staticmethod
    def backward(index, g, parents):
        a = parents[0].data
        out = np.zeros(a.shape, dtype=g.dtype)
        if _is_advanced(index):
            np.add.at(out, index, g)
        else:
            out[index] = g  # basic indexing never selects an element twice
        return (out,)


class Concatenate(Function):
    """Join along an existing axis; vjp: g split at the same boundaries."""

    name = "concatenate"

    @staticmethod
    def forward(*arrays_and_axis):
        *arrays, axis = arrays_and_axis
        try:
            out = np.concatenate(arrays, axis=axis)
        except (ValueError, np.exceptions.AxisError) as error:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(
                f"concatenate: shapes {shapes} do not join along axis {axis} ({error})"
            ) from None
        return out, axis

    @staticmethod
    def backward(axis, g, parents):
        sizes = np.cumsum([p.data.shape[axis] for p in parents])[:-1]
        return tuple(np.split(g, sizes, axis=axis))


class Stack(Function):
    """Join along a new axis; vjp: g sliced along that axis."""

    name = "stack"

    @staticmethod
    def forward(*arrays_and_axis):
        *arrays, axis = arrays_and_axis
        try:
            out = np.stack(arrays, axis=axis)
        except (ValueError, np.exceptions.AxisError) as error:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"stack: shapes {shapes} must all be equal ({error})") from None
        return out, axis

    @staticmethod
    def backward(axis, g, parents):
        return tuple(np.moveaxis(g, axis, 0))


class Exp(Function):
    """e^a; vjp: g·e^a (the output, saved)."""

    name = "exp"

    @staticmethod
    def forward(a):
        out = _array(np.exp(a))
        return out, out

    @staticmethod
    def backward(out, g, parents):
        return (g * out,)

    @staticmethod
    def backward_into(out, g, parents, g_is_free):
        if g_is_free and g.dtype == out.dtype:
            g *= out
            return (g,)
        return (g * out,)


class Log(Function):
    """log a (negative a raises ``ValueError``); vjp: g / a."""

    name = "log"

    @staticmethod
    def forward(a):
        if (a < 0).any():
            index = _first_index(a < 0)
            raise ValueError(
                f"log: the input is negative at index {index} ({a[index].item()!r}); log needs x > 0"
            )
        with np.errstate(divide="ignore"):
            return np.log(a), None  # log(0) = -inf, as the limit says

    @staticmethod
    def backward(ctx, g, parents):
        return (g / parents[0].data,)


class Sqrt(Function):
    """√a (negative a raises ``ValueError``); vjp: g / (2√a)."""

    name = "sqrt"

    @staticmethod
    def forward(a):
        if (a < 0).any():
            index = _first_index(a < 0)
            raise ValueError(
                f"sqrt: the input is negative at index {index} ({a[index].item()!r}); sqrt needs x >= 0"
            )
        out = _array(np.sqrt(a))
        return out, out

    @staticmethod
    def backward(out, g, parents):
        with np.errstate(divide="ignore"):
            return (g / (2 * out),)  # infinite at 0, where sqrt has a vertical tangent


class Abs(Function):
    """|a|; vjp: g·sign(a)."""

    name = "abs"

    @staticmethod
    def forward(a):
        return np.abs(a), None

    @staticmethod
    def backward(ctx, g, parents):
        return (g * np.sign(parents[0].data),)  # sign(0) = 0: the subgradient PyTorch uses


class Clip(Function):
    """a limited to [low, high]; vjp: g where low <= a <= high, else 0."""

    name = "clip"

    @staticmethod
    def forward(a, low, high):
        return np.clip(a, low, high), (low, high)

    @staticmethod
    def backward(ctx, g, parents):
        low, high = ctx
        a = parents[0].data
        # The gradient passes where the input was inside [low, high] (bounds included, as torch).
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return (g * inside,)


class Tanh(Function):
    """tanh a; vjp: g·(1 - tanh² a), from the saved output."""

    name = "tanh"

    @staticmethod
    def forward(a):
        out = _array(np.tanh(a))
        return out, out

    @staticmethod
    def backward(out, g, parents):
        # g * (1 - tanh²), written in place on one fresh array (out=: an array even when 0-d).
        d = np.multiply(out, out, out=np.empty_like(out))
        np.subtract(1, d, out=d)
        d *= g
        return (d,)

    @staticmethod
    def backward_into(out, g, parents, g_is_free):
        if not g_is_free or g.dtype != out.dtype:
            return Tanh.backward(out, g, parents)
        # 1 - tanh² in a scratch array, then into g: no array of the activation's size is
        # allocated (a hand-written loop overwrites the activation instead, which the graph keeps).
        d = _scratch(out)
        np.multiply(out, out, out=d)
        np.subtract(1, d, out=d)
        g *= d
        return (g,)


class Sigmoid(Function):
    """σ(a) = 1 / (1 + e^-a), stable; vjp: g·σ(1 - σ), from the saved output."""

    name = "sigmoid"

    @staticmethod
    def forward(a):
        out = _sigmoid(a)
        return out, out

    @staticmethod
    def backward(out, g, parents):
        d = 1 - out  # g σ (1 - σ), on one fresh array
        d *= out
        d *= g
        return (d,)

    @staticmethod
    def backward_into(out, g, parents, g_is_free):
        if not g_is_free or g.dtype != out.dtype:
            return Sigmoid.backward(out, g, parents)
        d = _scratch(out)  # as Tanh: no activation-sized allocation
        np.subtract(1, out, out=d)
        d *= out
        g *= d
        return (g,)


_SCRATCH = threading.local()
_SCRATCH_MAX_BYTES = 1 << 24


def _scratch(like: np.ndarray) -> np.ndarray:
    """A temporary array of ``like``'s shape and dtype, reused across calls in this thread.

    For a vjp's intermediate that never leaves the vjp.  Allocating a new array of an
    activation's size each step costs more than the arithmetic on it when the memory comes
    fresh from the operating system (page faults); this keeps one per shape, and a few shapes
    (up to 16 MB each, so a huge batch does not pin its memory after training).
    """
    shape, dtype = like.shape, like.dtype
    if like.nbytes > _SCRATCH_MAX_BYTES:
        return np.empty(shape, dtype=dtype)
    cache = getattr(_SCRATCH, "arrays", None)
    if cache is None:
        cache = _SCRATCH.arrays = {}
    key = (shape, dtype)
    d = cache.get(key)
    if d is None:
        if len(cache) >= 8:
            cache.clear()
        d = cache[key] = np.empty(shape, dtype=dtype)
    return d


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) on a fresh array, exact and warning-free for any a.

    With e = exp(-|a|) in (0, 1], which never overflows: σ(a) = 1 / (1 + e) for a >= 0 and
    e / (1 + e) for a < 0 (no cancellation in either; the naive 1 / (1 + exp(-a)) overflows exp
    for a < -709).  Written in place: four times faster than exp(-logaddexp(0, -a)).
    """
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    e = np.abs(a, out=np.empty(a.shape, dtype=a.dtype))  # out=: an array even when a is 0-d
    np.negative(e, out=e)
    np.exp(e, out=e)
    d = e + 1
    np.copyto(e, 1, where=a >= 0)  # numerator: 1 where a >= 0, e elsewhere
    e /= d
    return e


class ReLU(Function):
    """max(a, 0); vjp: g where a > 0, else 0."""

    name = "relu"

    @staticmethod
    def forward(a):
        return np.maximum(a, 0), None

    @staticmethod
    def backward(ctx, g, parents):
        return (g * (parents[0].data > 0),)

    @staticmethod
    def backward_into(ctx, g, parents, g_is_free):
        if g_is_free:
            np.multiply(g, parents[0].data > 0, out=g)
            return (g,)
        return (g * (parents[0].data > 0),)


class Step(Function):
    """The threshold unit: 1 where x >= 0, else 0; its derivative is 0 wherever it exists."""

    name = "step"

    @staticmethod
    def forward(a):
        return (a >= 0).astype(a.dtype if a.dtype.kind == "f" else np.float64), None

    @staticmethod
    def backward(ctx, g, parents):
        return (np.zeros(parents[0].data.shape, dtype=g.dtype),)


class Softmax(Function):
    """e^a / Σ e^a along an axis; vjp: s·(g - Σ g·s)."""

    name = "softmax"

    @staticmethod
    def forward(a, axis):
        if a.dtype.kind != "f":
            a = a.astype(np.float64)  # integer logits: probabilities are floats, as np.exp gives
        z = a - a.max(axis=axis, keepdims=True)  # shift so exp never overflows
        e = np.exp(z, out=z)
        e /= e.sum(axis=axis, keepdims=True)
        return e, (e, axis)

    @staticmethod
    def backward(ctx, g, parents):
        s, axis = ctx
        gs = g * s
        return (gs - s * gs.sum(axis=axis, keepdims=True),)


class LogSoftmax(Function):
    """a - log Σ e^a along an axis; vjp: g - softmax·Σ g."""

    name = "log_softmax"

    @staticmethod
    def forward(a, axis):
        if a.dtype.kind != "f":
            a = a.astype(np.float64)
        z = a - a.max(axis=axis, keepdims=True)
        z -= np.log(np.exp(z).sum(axis=axis, keepdims=True))
        return z, (z, axis)

    @staticmethod
    def backward(ctx, g, parents):
        logp, axis = ctx
        return (g - np.exp(logp) * g.sum(axis=axis, keepdims=True),)


# -- the Tensor ----------------------------------------------------------------------------------


_DUNDER_OF = {"+": "add", "-": "sub", "*": "mul", "/": "truediv"}


def _binop(fn, sym: str, reflected: bool = False):
    """Tensor's ``__add__`` (``__radd__`` when ``reflected``) and kin: ``_binary(fn, ...)`` itself.

    The returned method is what each dunder would be written out by hand, with no call in
    between: a Tensor operand goes straight to ``_binary``; anything else is made a Tensor by
    ``_operand`` (or answered with NotImplemented).  A reflected method puts ``other`` first.
    """
    if reflected:
        def method(self, other):
            other = _operand(other, self, sym)
            if other is NotImplemented:
                return NotImplemented
            return _binary(fn, other, self)
    else:
        def method(self, other):
            if type(other) is not Tensor:
                other = _operand(other, self, sym)
                if other is NotImplemented:
                    return NotImplemented
            return _binary(fn, self, other)
    name = f"__{'r' if reflected else ''}{_DUNDER_OF[sym]}__"
    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    return method


def _to_array(data, dtype, where: str) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    elif isinstance(data, Value):
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


class Tensor(Node):
    """A numpy array in the computation graph: ``data``, ``grad``, ``parents``, ``op``.

    ``Tensor(data, requires_grad=False, dtype=None, label="")`` takes an ndarray (shared, not
    copied, dtype kept), a nested list or a number.  Floating-point data may require grad;
    integer and boolean data are allowed as constants (indices, targets) only.

    Example:
        >>> import numpy as np
        >>> from autograd_nn import Tensor
        >>> x = Tensor(np.array([1.0, -2.0], dtype=np.float32), requires_grad=True, label="x")
        >>> y = (x * x).sum()
        >>> y.backward()
        >>> x.grad, x.grad.dtype
        (array([ 2., -4.], dtype=float32), dtype('float32'))
    """

    # ``_label`` and ``group`` are set only when given: an unset slot costs nothing per operation.
    __slots__ = ("data", "grad", "requires_grad", "parents", "op", "_fn", "_ctx", "_label", "group",
                 "__weakref__")
    # numpy defers to our reflected operators, so ``ndarray * Tensor`` gives a Tensor.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = "") -> None:
        if type(data) is _ndarray and dtype is None and data.dtype.kind in "fiub":
            array = data
        else:
            array = _to_array(data, dtype, "Tensor(data)")
        if requires_grad and array.dtype.kind != "f":
            raise TypeError(
                f"Tensor(requires_grad=True) needs floating-point data, got dtype {array.dtype}: "
                "only real-valued quantities have gradients (pass dtype=np.float64 or float data)"
            )
        self.data = array
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.parents = ()
        self.op = ""
        self._fn = None
        self._ctx = None
        if label:
            self._label = str(label)

    # -- the record ---------------------------------------------------------------------------

    @property
    def shape(self) -> tuple:
        """The shape of ``data``.

        Example:
            >>> Tensor([[1, 2, 3]]).shape
            (1, 3)
        """
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes.

        Example:
            >>> Tensor(1.0).ndim
            0
        """
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of ``data``.

        Example:
            >>> Tensor([1, 2]).dtype
            dtype('int64')
        """
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for a tensor made by the user (or under ``no_grad``), not by a recorded operation.

        Example:
            >>> x = Tensor([1.0], requires_grad=True); (x * 2).is_leaf, x.is_leaf
            (False, True)
        """
        return self._fn is None

    @property
    def T(self):
        """The transpose (all axes reversed), as ``ndarray.T``.

        Example:
            >>> Tensor([[1, 2, 3]]).T.shape
            (3, 1)
        """
        return _unary(Transpose, self, None)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a scalar has no length)")
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extras = [f"dtype={self.data.dtype}"]
        if self.requires_grad:
            extras.append("requires_grad=True")
        if self.op:
            extras.append(f"op={self.op!r}")
        if self.label:
            extras.append(f"label={self.label!r}")
        return f"Tensor({body}, {', '.join(extras)})"

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (shared, not copied).

        Example:
            >>> Tensor([1.0, 2.0]).numpy()
            array([1., 2.])
        """
        return self.data

    def __array__(self, dtype=None, copy=None):
        # np.asarray(tensor) and matplotlib see the data; arithmetic still dispatches to Tensor.
        # numpy 2's protocol: copy=True always copies (np.array(t) must not alias t), copy=None
        # copies only for a new dtype, copy=False refuses to copy.
        data = self.data
        if dtype is not None and np.dtype(dtype) != data.dtype:
            if copy is False:
                raise ValueError(
                    f"Tensor.__array__: converting dtype {data.dtype} to {np.dtype(dtype)} needs a copy, "
                    "but copy=False was given"
                )
            return data.astype(dtype)
        return data.copy() if copy else data

    def item(self) -> float:
        """The value of a one-element tensor as a Python number.

        Example:
            >>> Tensor([[2.5]]).item()
            2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item(): only a one-element tensor has one value, this one has shape {self.shape}"
            )
        return self.data.item()

    def __float__(self) -> float:
        return float(self.item())

    def detach(self):
        """A new leaf sharing this tensor's data, outside the graph.

        Example:
            >>> x = Tensor([1.0], requires_grad=True); d = (x * 2).detach()
            >>> d.requires_grad, d.parents
            (False, ())
        """
        return _leaf(self.data)

    def requires_grad_(self, flag: bool = True):
        """Set ``requires_grad`` on a leaf (in place) and return it; integer data refuses.

        As in PyTorch, the result of a recorded operation cannot be switched off (its gradient
        is how the graph reaches the leaves): use ``detach()`` for a constant copy.

        Example:
            >>> Tensor([1.0]).requires_grad_().requires_grad
            True
        """
        if self._fn is not None:
            if flag:
                return self  # it already requires grad
            raise RuntimeError(
                "requires_grad_: only a leaf's requires_grad can be changed; this tensor is the result "
                f"of the op {self.op!r}. Use .detach() for a copy outside the graph"
            )
        if flag and self.data.dtype.kind != "f":
            raise TypeError(f"requires_grad needs floating-point data, got dtype {self.data.dtype}")
        self.requires_grad = bool(flag)
        return self

    def retain_grad(self) -> None:
        """Keep this intermediate tensor's gradient in ``.grad`` after backward (leaves always do).

        Example:
            >>> x = Tensor([1.0, 2.0], requires_grad=True)
            >>> h = x * 3; h.retain_grad()
            >>> (h * h).sum().backward()
            >>> h.grad
            array([ 6., 12.])
        """
        if self._fn is not None:
            _RETAINED.add(self)

    def zero_grad(self) -> None:
        """Set ``grad`` to ``None`` on every node of the graph below (and including) this one.

        Example:
            >>> x = Tensor([1.0], requires_grad=True); y = (x * 3).sum(); y.backward()
            >>> y.zero_grad(); x.grad is None
            True
        """
        for node in topological_order(self):
            node.grad = None

    # Nodes hash and compare by identity: the graph code keeps them in sets.
    __hash__ = object.__hash__

    # -- arithmetic ------------------------------------------------------------------------------

    __add__ = _binop(Add, "+")
    __radd__ = _binop(Add, "+", reflected=True)
    __sub__ = _binop(Sub, "-")
    __rsub__ = _binop(Sub, "-", reflected=True)
    __mul__ = _binop(Mul, "*")
    __rmul__ = _binop(Mul, "*", reflected=True)
    __truediv__ = _binop(Div, "/")
    __rtruediv__ = _binop(Div, "/", reflected=True)

    def __neg__(self):
        return _unary(Neg, self)

    def __pos__(self):
        return self

    def __pow__(self, other):
        if isinstance(other, (numbers.Real, np.bool_)) and not isinstance(other, (Value, np.ndarray)):
            k = other.item() if isinstance(other, np.generic) else other
            a = self.data
            # inf and nan are not integers (and int() of them raises): they follow numpy.
            integral = isinstance(k, numbers.Integral) or (math.isfinite(k) and float(k).is_integer())
            if not integral and math.isfinite(k) and a.dtype.kind == "f" and (a < 0).any():
                index = _first_index(a < 0)
                raise ValueError(
                    f"pow: {a[index].item()!r} ** {k!r} at index {index} has no real value "
                    "(negative base, fractional exponent)"
                )
            name = f"**{int(k)}" if integral else f"**{k:g}"
            data, ctx = PowConst.forward(a, k)
            return _record(PowConst, name, data, (self,), ctx)
        if type(other) is not Tensor:
            other = _operand(other, self, "**")
            if other is NotImplemented:
                return NotImplemented
        return _tensor_pow(self, other)

    def __rpow__(self, other):
        other = _operand(other, self, "**")
        if other is NotImplemented:
            return NotImplemented
        return _tensor_pow(other, self)

    def __matmul__(self, other):
        if type(other) is not Tensor:
            other = _operand(other, self, "@")
            if other is NotImplemented:
                return NotImplemented
        return _matmul(self, other)

    def __rmatmul__(self, other):
        other = _operand(other, self, "@")
        if other is NotImplemented:
            return NotImplemented
        return _matmul(other, self)

    # -- reductions and shapes ------------------------------------------------------------------

    def sum(self, axis=None, keepdims: bool = False):
        """Sum over ``axis`` (an int, a tuple, or None for all).

        Example:
            >>> Tensor([[1, 2], [3, 4]]).sum(axis=0)
            Tensor([4, 6], dtype=int64, op='sum')
        """
        return _unary(Sum, self, axis, keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        """Mean over ``axis``.

        Example:
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1, keepdims=True).shape
            (2, 1)
        """
        return _unary(Mean, self, axis, keepdims)

    def max(self, axis=None, keepdims: bool = False):
        """Maximum over ``axis``; tied maxima share the gradient equally.

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).max(axis=1)
            Tensor([5., 7.], dtype=float64, op='max')
        """
        return _unary(Max, self, axis, keepdims)

    def min(self, axis=None, keepdims: bool = False):
        """Minimum over ``axis``; tied minima share the gradient equally.

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).min().item()
            1.0
        """
        return _unary(Min, self, axis, keepdims)

    def argmax(self, axis=None):
        """Indices of the maxima (an integer constant tensor, outside the graph).

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(axis=1)
            Tensor([1, 0], dtype=int64)
        """
        return _leaf(np.asarray(self.data.argmax(axis=axis)))

    def reshape(self, *shape):
        """The same data in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, -1 allowed).

        Example:
            >>> Tensor([1, 2, 3, 4]).reshape(2, -1).shape
            (2, 2)
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _unary(Reshape, self, shape)

    def transpose(self, *axes):
        """Permute axes as ``ndarray.transpose`` (no argument reverses them).

        Example:
            >>> Tensor(np.zeros((2, 3, 4))).transpose(1, 0, 2).shape
            (3, 2, 4)
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return _unary(Transpose, self, axes or None)

    def astype(self, dtype):
        """A copy in another floating dtype (differentiable; the gradient is cast back).

        Example:
            >>> Tensor([1.5], dtype=np.float32).astype(np.float64).dtype
            dtype('float64')
        """
        return _unary(Astype, self, np.dtype(dtype))

    def __getitem__(self, index):
        if type(index) is tuple:
            index = tuple(i.data if type(i) is Tensor else i for i in index)
        elif type(index) is Tensor:
            index = index.data
        return _unary(GetItem, self, index)

    # -- elementwise functions ------------------------------------------------------------------

    def exp(self):
        """e ** x.  Overflow gives inf (numpy warns); detect_anomaly names the op.

        Example:
            >>> Tensor([0.0]).exp()
            Tensor([1.], dtype=float64, op='exp')
        """
        return _unary(Exp, self)

    def log(self):
        """Natural logarithm; a negative input raises ``ValueError`` naming its index, log(0) = -inf.

        Example:
            >>> Tensor([1.0]).log().item()
            0.0
        """
        return _unary(Log, self)

    def sqrt(self):
        """Square root; a negative input raises ``ValueError`` naming its index.

        Example:
            >>> Tensor([4.0]).sqrt().item()
            2.0
        """
        return _unary(Sqrt, self)

    def abs(self):
        """|x|, with gradient sign(x) (0 at 0).

        Example:
            >>> Tensor([-3.0]).abs().item()
            3.0
        """
        return _unary(Abs, self)

    __abs__ = abs

    def clip(self, low=None, high=None):
        """Limit values to [low, high] (either may be None); the gradient passes inside the range.

        Example:
            >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
            Tensor([0. , 0.5, 1. ], dtype=float64, op='clip')
        """
        if low is None and high is None:
            raise ValueError("clip: give at least one of low and high")
        return _unary(Clip, self, low, high)

    def tanh(self):
        """Hyperbolic tangent; derivative 1 - tanh².

        Example:
            >>> Tensor([0.0, 1000.0]).tanh()
            Tensor([0., 1.], dtype=float64, op='tanh')
        """
        return _unary(Tanh, self)

    def sigmoid(self):
        """The logistic function, exact and warning-free at ±1000; derivative σ(1 - σ).

        Example:
            >>> Tensor([-1000.0, 0.0, 1000.0]).sigmoid()
            Tensor([0. , 0.5, 1. ], dtype=float64, op='sigmoid')
        """
        return _unary(Sigmoid, self)

    def relu(self):
        """max(0, x); derivative 1 for x > 0, else 0.

        Example:
            >>> Tensor([-1.0, 2.0]).relu()
            Tensor([0., 2.], dtype=float64, op='relu')
        """
        return _unary(ReLU, self)

    def step(self):
        """The threshold unit, 1 where x >= 0 else 0 (the lecture's TLU); its gradient is 0.

        Example:
            >>> Tensor([-0.5, 0.0]).step()
            Tensor([0., 1.], dtype=float64, op='step')
        """
        return _unary(Step, self)

    def softmax(self, axis: int = -1):
        """exp(x) / sum(exp(x)) along ``axis``, computed from x - max so nothing overflows.

        Example:
            >>> Tensor([[0.0, 0.0]]).softmax(axis=1)
            Tensor([[0.5, 0.5]], dtype=float64, op='softmax')
        """
        return _unary(Softmax, self, axis)

    def log_softmax(self, axis: int = -1):
        """log(softmax(x)) along ``axis``, stable for logits of 1e4 and beyond.

        Example:
            >>> Tensor([[1e4, 0.0]]).log_softmax(axis=1)
            Tensor([[     0., -10000.]], dtype=float64, op='log_softmax')
        """
        return _unary(LogSoftmax, self, axis)

    # -- reverse mode ----------------------------------------------------------------------------

    def backward(self, grad=None, retain_graph: bool = False, retain_grads: bool = False) -> None:
        """Reverse mode: add d self / d leaf to ``leaf.grad`` for every leaf that requires grad.

        A one-element tensor is seeded with 1; any other tensor needs ``grad`` of its own shape
        (the vector of the vector-Jacobian product).  Gradients accumulate over calls, as in
        PyTorch.  Intermediate nodes keep their gradients only after ``retain_grad()`` or, all of
        them, with ``retain_grads=True`` (for diagrams).  What the operations saved for backward
        is freed afterwards unless ``retain_graph=True``; a second backward through a freed graph
        raises ``RuntimeError``, before any gradient is accumulated.  ``grad`` is copied (and cast
        to this tensor's dtype); the caller's array is never changed or kept.

        Memory: only the saved values are freed; the nodes, with their ``data`` and ``parents``,
        live as long as something refers to the root.  A list of losses keeps every activation
        of every step alive: keep ``loss.item()`` instead.
        Inside :class:`~autograd_nn.detect_anomaly` the first op whose forward or backward made a
        NaN or inf is named in an :class:`~autograd_nn.AnomalyError`.

        Example:
            >>> x = Tensor([1.0, 2.0], requires_grad=True)
            >>> y = x * x
            >>> y.backward(np.ones(2), retain_graph=True); y.backward(np.ones(2))
            >>> x.grad      # accumulated twice: 2x + 2x
            array([4., 8.])
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad (no input had requires_grad=True, "
                "or it was computed under no_grad())"
            )
        data = self.data
        if grad is None:
            if data.size != 1:
                raise RuntimeError(
                    f"backward: the tensor has shape {data.shape}; a gradient can be implied only for "
                    f"a one-element tensor: pass backward(grad) with an array of shape {data.shape}"
                )
            # A loss is 0-d: np.array is several times faster than np.ones there.
            seed = np.array(1, dtype=data.dtype) if data.ndim == 0 else np.ones(data.shape, dtype=data.dtype)
        else:
            if isinstance(grad, Value):
                raise _mixing_error("backward")
            # Always a copy, in the output's dtype: the seed becomes gradients (and a leaf's
            # .grad) that the engine and optimisers may change in place; the caller's array must
            # stay as it was.
            seed = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=data.dtype)
            if seed.shape != data.shape:
                raise ValueError(
                    f"backward: grad has shape {seed.shape}, but the tensor has shape {data.shape}"
                )
        # Before anything is accumulated, the order checks that no node was freed: a graph
        # partly freed by an earlier backward (two losses sharing a subgraph) must fail whole,
        # not after giving some leaves their gradients.
        order = _backward_order(self)
        check = SWITCHES.anomaly
        if check:
            _check_values(topological_order(self))
            _check_grad(seed, self, "the seed gradient")
        if not order:  # a leaf
            _to_leaf(self, seed, None)
            return
        # Which nodes keep their gradient: decided once, not per node (retain_grad() is rare).
        retained = _RETAINED if len(_RETAINED) else None
        free = not retain_graph
        pending = {self: seed}
        # Nodes whose pending gradient is an array no one else holds: a vjp may reuse it in place.
        # The seed qualifies (made or copied above); so does a fresh array a vjp returned, or a
        # sum made here.  g passed through (``+``) or a view of it does not.
        free_grads = {self}
        pop = pending.pop
        get = pending.get
        for node in order:
            g = pop(node, None)
            if g is None:
                continue  # a custom vjp returned None for a node that requires grad
            g_is_free = node in free_grads
            if retain_grads or (retained is not None and node in retained):
                old = node.grad
                if old is not None:
                    node.grad = old + g
                else:
                    # Kept as it is only when it is ours alone: a gradient passed through (+) or a
                    # view (sum's broadcast) is some other node's array too.
                    node.grad = g if g_is_free else g.copy()
                g_is_free = False
            fn = node._fn
            if free:
                into = fn.backward_into
                if into is None:
                    grads = fn.backward(node._ctx, g, node.parents)
                else:
                    grads = into(node._ctx, g, node.parents, g_is_free)
                node._ctx = _FREED
            else:
                grads = fn.backward(node._ctx, g, node.parents)
            for parent, pg in zip(node.parents, grads):
                if pg is None:
                    continue
                # The one place every gradient's shape is checked against its operand's.
                if pg.shape != parent.data.shape:
                    raise _vjp_shape_error(node, parent, pg)
                if check:
                    _check_grad(pg, node, f"the backward of {_name(node)}")
                if parent._fn is None:
                    if parent.requires_grad:  # _to_leaf, inlined: a network has a leaf per parameter
                        if (pg is g or type(pg) is not _ndarray or pg.base is not None
                                or pg.dtype != parent.data.dtype):
                            pg = np.array(pg, dtype=parent.data.dtype)  # a copy, and an array
                        old = parent.grad
                        parent.grad = pg if old is None else old + pg
                    continue
                prev = get(parent)
                if prev is None:
                    pending[parent] = pg
                    # (ufuncs on 0-d arrays return numpy scalars, which nothing can write into)
                    if pg is not g and type(pg) is _ndarray and pg.base is None:
                        free_grads.add(parent)
                elif parent in free_grads and prev.dtype == np.result_type(prev, pg):
                    prev += pg  # accumulate in place into the array that is ours
                else:
                    total = pending[parent] = prev + pg
                    if type(total) is _ndarray:
                        free_grads.add(parent)

    # -- numpy-style helpers for users ----------------------------------------------------------

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))


def _backward_order(root) -> list:
    """The recorded (non-leaf) nodes below ``root``, each before its parents: the backward order.

    Raises the freed-graph error if any of them was freed by an earlier backward.  A network is
    mostly a chain (each op has one recorded operand), walked here without a search; anything
    else gets an iterative depth-first search.  Leaves are not listed: they get their gradients
    from their children directly.
    """
    if root._fn is None:
        return []
    chain = []
    node = root
    while True:
        if node._ctx is _FREED:
            raise _freed_error(node)
        chain.append(node)
        nxt = None
        for p in node.parents:
            if p._fn is not None:
                if nxt is not None:
                    break  # two recorded operands (or one used twice): not a chain
                nxt = p
        else:
            if nxt is None:
                return chain
            node = nxt
            continue
        break
    # Post-order depth-first search over recorded nodes; reversed, children come before parents.
    order = []
    state: dict = {}
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        seen = state.get(node)
        if seen is None:
            if node._ctx is _FREED:
                raise _freed_error(node)
            state[node] = False
            push(node)
            for p in node.parents:
                if p._fn is not None and p not in state:
                    push(p)
        elif seen is False:
            state[node] = True
            order.append(node)
    order.reverse()
    return order


def _to_leaf(leaf, g, incoming) -> None:
    """Accumulate ``g`` into a leaf's grad (a leaf passes nothing on, so this happens at once).

    A leaf (a parameter) gets an array of its own and of its own dtype: the incoming gradient
    that an op passed straight through (``+``) or a view of it would otherwise be shared with
    another node and change under an optimiser that updates gradients in place.
    """
    if g is incoming or type(g) is not _ndarray or g.base is not None or g.dtype != leaf.data.dtype:
        g = np.array(g, dtype=leaf.data.dtype)  # a copy, and an array even for a numpy scalar
    old = leaf.grad
    leaf.grad = g if old is None else old + g


def _freed_error(node) -> RuntimeError:
    return RuntimeError(
        f"backward: the graph through the {node.op!r} node was already used by a backward pass and "
        "its saved values freed; pass backward(retain_graph=True) the first time to backpropagate "
        "through it again (no gradient of this call was accumulated)"
    )


def _vjp_shape_error(node, parent, g) -> RuntimeError:
    i = next(k for k, p in enumerate(node.parents) if p is parent)
    return RuntimeError(
        f"backward of {node.op!r}: the gradient for operand {i} has shape {g.shape}, "
        f"the operand has shape {parent.data.shape} (a bug in the op's vjp)"
    )


def _name(node) -> str:
    label = node.label
    if node._fn is None:
        return f"the leaf {label!r}" if label else f"a leaf of shape {node.data.shape}"
    return f"the op {node.op!r}" + (f" (node {label!r})" if label else "")


def _check_values(topo: list) -> None:
    """Anomaly mode: the first node, in computation order, whose value is not finite."""
    for node in topo:
        data = node.data
        if data.dtype.kind == "f" and not np.isfinite(data).all():
            index = _first_index(~np.isfinite(data))
            bad = data[index].item()
            if node._fn is None:
                raise AnomalyError(f"detect_anomaly: {_name(node)} holds {bad!r} at index {index}")
            raise AnomalyError(
                f"detect_anomaly: the forward of {_name(node)} produced {bad!r} at index {index} "
                f"(its inputs had shapes {[p.data.shape for p in node.parents]})"
            )


def _check_grad(g: np.ndarray, node, what: str) -> None:
    if g.dtype.kind == "f" and not np.isfinite(g).all():
        index = _first_index(~np.isfinite(g))
        bad = g[index].item()
        raise AnomalyError(f"detect_anomaly: {what} produced the gradient {bad!r} at index {index}")


def _tensor_pow(a, b):
    if b.requires_grad and (a.data <= 0).any():
        index = _first_index(a.data <= 0)
        raise ValueError(
            "pow: a Tensor exponent that requires grad needs a positive base (d a**b / db = a**b log a); "
            f"the base is {a.data[index].item()!r} at index {index}"
        )
    return _binary(Pow, a, b)


def _matmul(a, b):
    try:
        data = a.data @ b.data
    except ValueError:
        raise _matmul_error(a.shape, b.shape) from None
    return _record(MatMul, "@", data, (a, b), None)


def _matmul_error(sa: tuple, sb: tuple) -> ValueError:
    """What is wrong with ``a @ b``: no axis, the inner dimensions, or batch shapes that do not broadcast."""
    if not sa or not sb:
        return ValueError(f"matmul: {sa} @ {sb}: both operands need at least one axis")
    inner_b = sb[-2] if len(sb) > 1 else sb[0]
    if sa[-1] != inner_b:
        return ValueError(f"matmul: {sa} @ {sb}: the inner dimensions {sa[-1]} and {inner_b} differ")
    batch_a, batch_b = sa[:-2], sb[:-2]
    return ValueError(
        f"matmul: {sa} @ {sb}: the batch shapes {batch_a} and {batch_b} (all axes but the last two) "
        "do not broadcast together"
    )


def _as_tensor(x, where: str):
    if type(x) is Tensor:
        return x
    if isinstance(x, Value):
        raise _mixing_error(where)
    return Tensor(_to_array(x, None, where))


def linear(x, weight, bias=None):
    """``x @ weight + bias`` as one node (op ``"linear"``), with ``weight`` of shape (nin, nout).

    One node instead of two saves a node's bookkeeping and a temporary array per layer; its
    backward gives x, weight and bias their gradients in one step.

    Example:
        >>> x = Tensor(np.ones((4, 3))); W = Tensor(np.ones((3, 2)), requires_grad=True)
        >>> b = Tensor(np.zeros(2), requires_grad=True)
        >>> y = linear(x, W, b); y.sum().backward()
        >>> y.shape, W.grad.tolist(), b.grad.tolist()
        ((4, 2), [[4.0, 4.0], [4.0, 4.0], [4.0, 4.0]], [4.0, 4.0])
    """
    x = _as_tensor(x, "linear")
    weight = _as_tensor(weight, "linear")
    return _linear(x, weight, None if bias is None else _as_tensor(bias, "linear"))


def _linear(x, w, b=None):
    """The fused node of :func:`linear` for operands that are Tensors already (``b`` may be None).

    ``nn.Linear.forward`` calls it directly: the hot path of every tensor network.
    """
    try:
        if b is None:
            data, ctx = Linear.forward(x.data, w.data)
        else:
            data, ctx = Linear.forward(x.data, w.data, b.data)
    except ValueError:
        extra = f" + {b.shape}" if b is not None else ""
        raise ValueError(
            f"linear: {x.shape} @ {w.shape}{extra}: x's last axis must equal the weight's first "
            "and the bias must have the weight's second"
        ) from None
    return _record(Linear, "linear", data, (x, w) if b is None else (x, w, b), ctx)


def concatenate(tensors, axis: int = 0):
    """Join tensors along an existing axis, as ``np.concatenate``; ``axis=None`` flattens them first.

    Example:
        >>> a = Tensor([[1.0, 2.0]], requires_grad=True); b = Tensor([[3.0, 4.0]])
        >>> c = concatenate([a, b], axis=0); c.shape
        (2, 2)
        >>> concatenate([a, b], axis=None).shape
        (4,)
    """
    tensors = tuple(_as_tensor(t, "concatenate") for t in tensors)
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    if axis is None:  # numpy's meaning: join the flattened tensors
        tensors = tuple(t.reshape(-1) for t in tensors)
        axis = 0
    data, ctx = Concatenate.forward(*(t.data for t in tensors), axis)
    return _record(Concatenate, "concatenate", data, tensors, ctx % data.ndim)


def stack(tensors, axis: int = 0):
    """Join tensors of one shape along a new axis, as ``np.stack``.

    Example:
        >>> s = stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1); s.shape
        (2, 2)
    """
    tensors = tuple(_as_tensor(t, "stack") for t in tensors)
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    data, ctx = Stack.forward(*(t.data for t in tensors), axis)
    return _record(Stack, "stack", data, tensors, ctx % data.ndim)
