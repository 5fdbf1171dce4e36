"""numpy helpers shared by the ops and the backward engine: first bad index, arrays, scratch buffers.

Private to the tensor package: it sits below both :mod:`.functions` and :mod:`.backward`, so
neither has to import the other for them.
"""

from __future__ import annotations

import threading

import numpy as np

_ndarray = np.ndarray


def as_array(out):
    """``out`` as an ndarray: numpy gives a scalar for a 0-d input, and the vjps write into arrays."""
    return out if type(out) is _ndarray else np.asarray(out)


def floating(a: np.ndarray) -> np.ndarray:
    """Integer (or bool) data as float64, what numpy's own exp, log and mean give; floats as they are.

    For the ops whose values are fractions whatever their input (softmax, the activations, var).
    """
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def first_index(mask: np.ndarray) -> tuple:
    """The index of the first True of ``mask`` (``()`` for a 0-d one), as a tuple of ints."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


# -- buffers reused within and across backward passes ------------------------------------------

#: Larger arrays are never kept: a huge batch must not pin its memory after training.
BUFFER_MAX_BYTES = 1 << 24
#: The most bytes of spare gradients one thread keeps (2 of each of a few shapes).
SPARE_MAX_BYTES = 1 << 25
SPARE_PER_SHAPE = 2  # a chain's backward holds two gradients of one shape at once: g and the next
#: Smaller gradients are not recycled: malloc serves them from its free lists without page faults.
SPARE_MIN_BYTES = 1 << 16


class _Buffers(threading.local):
    """Each thread's arrays: ``scratch`` (one per shape) and ``spare`` (a few per shape)."""

    def __init__(self) -> None:
        self.scratch: dict = {}
        self.spare: dict = {}
        self.spare_bytes = 0


_BUFFERS = _Buffers()


def scratch(like: np.ndarray) -> np.ndarray:
    """A temporary array of ``like``'s shape and dtype, reused across calls in this thread.

    For a vjp's intermediate that never leaves the vjp.  Allocating a new array of an
    activation's size each step costs more than the arithmetic on it when the memory comes
    fresh from the operating system (page faults); this keeps one per shape, and a few shapes
    (up to 16 MB each).
    """
    shape, dtype = like.shape, like.dtype
    if like.nbytes > BUFFER_MAX_BYTES:
        return np.empty(shape, dtype=dtype)
    cache = _BUFFERS.scratch
    key = (shape, dtype)
    d = cache.get(key)
    if d is None:
        if len(cache) >= 8:
            cache.clear()
        d = cache[key] = np.empty(shape, dtype=dtype)
    return d


def spare(shape: tuple, dtype) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` for a vjp to write a gradient into (contents undefined).

    A gradient the backward engine has finished with (see :func:`give_back`) is handed out again
    here instead of allocating a new one: a training loop's backward passes reuse the same few
    activation-sized arrays, step after step, as a hand-written numpy loop reuses its own.  The
    array is the caller's alone from now on.
    """
    buffers = _BUFFERS
    stack = buffers.spare.get((shape, dtype))
    if stack:
        array = stack.pop()
        buffers.spare_bytes -= array.nbytes
        return array
    return np.empty(shape, dtype=dtype)


def give_back(array: np.ndarray) -> None:
    """Hand a dead gradient to :func:`spare`.

    Only the backward engine calls this, and only with an array nothing else refers to: no
    node's ``.grad``, no view, no other pending gradient.
    """
    buffers = _BUFFERS
    nbytes = array.nbytes
    if nbytes > BUFFER_MAX_BYTES or not array.flags.c_contiguous:
        return
    if buffers.spare_bytes + nbytes > SPARE_MAX_BYTES:
        buffers.spare.clear()  # the shapes of another model, or a batch size no longer used
        buffers.spare_bytes = 0
    stack = buffers.spare.setdefault((array.shape, array.dtype), [])
    if len(stack) < SPARE_PER_SHAPE:
        stack.append(array)
        buffers.spare_bytes += nbytes
