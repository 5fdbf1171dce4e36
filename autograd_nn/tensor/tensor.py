"""The ``Tensor``: a numpy array that records the operations made on it.

A Tensor is a graph node with the same record as a ``Value`` (``data``, ``grad``, ``parents`` in
operand order, ``op``), so the same topological order, gradient checker and diagram code serve
both engines.  What differs is what a node keeps for the chain rule: instead of one local
derivative per parent, a tensor node keeps the operation that made it (``grad_fn``, a
:class:`~autograd_nn.tensor.functions.Function`) and the context that operation saved for its
vector-Jacobian product.  The operations live in :mod:`autograd_nn.tensor.functions`, the
backward pass in :mod:`autograd_nn.tensor.backward`; this module is the class users meet.

Conventions (documented once here):

* Broadcasting is numpy's.  The gradient of a broadcast operand is summed back to the operand's
  shape in one place, :func:`~autograd_nn.tensor.functions.sum_to`; every gradient's shape is
  checked where it is accumulated.
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
  A backward that fails (an anomaly, a shape error, any exception) changes no ``.grad``.
* Memory: freeing the saved values does not free the graph.  Every node keeps its ``data`` and
  its ``parents``, so a reference to the loss keeps every activation of the forward pass alive
  (as in PyTorch).  Keep ``loss.item()``, a float, in a loss history, never ``loss`` itself;
  ``autograd_nn.fit`` does so.
* A tensor made from an ndarray shares its memory (as ``torch.from_numpy``), keeping its dtype;
  ``np.asarray(tensor)`` shares it too, ``np.array(tensor)`` copies (numpy 2's ``copy`` rules).
* dtypes: Python numbers, and lists of them, take a floating tensor's dtype (float32 stays
  float32); an ndarray operand keeps its own, as in numpy (see :mod:`._coerce`).  Division by
  zero gives inf or nan as in numpy and PyTorch (no exception, no warning); ``detect_anomaly``
  finds where.

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

import numbers

import numpy as np

from ..graph import Node, topological_order
from ..value import Value
from ._arrays import first_index
from ._coerce import mixing_error, operand_array, to_array
from .activations import (
    ELUOp,
    GELUOp,
    HardtanhOp,
    LeakyReLUOp,
    LogSigmoidOp,
    SiLUOp,
    SoftplusOp,
)
from .backward import RETAINED, run_backward, seed_array
from .elementwise import CosOp, ErfOp, MaximumOp, MinimumOp, SignOp, SinOp, WhereOp
from .functions import (
    AbsOp,
    AddOp,
    ClipOp,
    DivOp,
    ExpOp,
    LinearOp,
    LogOp,
    LogSoftmaxOp,
    MatMulOp,
    MulOp,
    NegOp,
    PowConstOp,
    PowOp,
    ReLUOp,
    SigmoidOp,
    SoftmaxOp,
    SqrtOp,
    StepOp,
    SubOp,
    TanhOp,
    _check_real_power,
)
from .shapes import (
    AstypeOp,
    BroadcastToOp,
    ConcatenateOp,
    CumsumOp,
    FlipOp,
    GetItemOp,
    LogSumExpOp,
    MaxOp,
    MeanOp,
    MinOp,
    PadOp,
    ProdOp,
    ReshapeOp,
    StackOp,
    StdOp,
    SumOp,
    TileOp,
    TransposeOp,
    VarOp,
    arg_extreme,
    as_sizes,
    expanded_shape,
    flattened_shape,
    gather_index,
    squeezed_shape,
    unsqueezed_shape,
)

__all__ = ["Tensor", "concatenate", "linear", "stack"]
__all__ += ["maximum", "minimum", "where"]

_new = object.__new__
_ndarray = np.ndarray


def _leaf(array: np.ndarray):
    """A constant leaf holding ``array`` (no checks: the callers made it)."""
    out = _new(Tensor)
    out.data = array
    out.grad = None
    out.requires_grad = False
    out.parents = ()
    out.op = ""
    out._fn = None
    out._ctx = None
    out._needs = None
    return out


def _operand(x, like, op: str):
    """A constant operand of ``like``'s op as a leaf Tensor; NotImplemented if unsupported."""
    array = operand_array(x, like.data.dtype, op)
    return NotImplemented if array is NotImplemented else _leaf(array)


_DUNDER_OF = {"+": "add", "-": "sub", "*": "mul", "/": "truediv"}


def _binop(fn, sym: str, reflected: bool = False):
    """Tensor's ``__add__`` (``__radd__`` when ``reflected``) and kin: ``fn.apply`` on two Tensors.

    The returned method is what each dunder would be written out by hand, with no call in
    between: a Tensor operand goes straight to ``fn.apply``; anything else is made a Tensor by
    ``_operand`` (or answered with NotImplemented).  A reflected method puts ``other`` first.
    """
    apply = fn.apply
    if reflected:
        def method(self, other):
            other = _operand(other, self, sym)
            if other is NotImplemented:
                return NotImplemented
            return apply(other, self)
    else:
        def method(self, other):
            if type(other) is not Tensor:
                other = _operand(other, self, sym)
                if other is NotImplemented:
                    return NotImplemented
            return apply(self, other)
    name = f"__{'r' if reflected else ''}{_DUNDER_OF[sym]}__"
    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    return method


def _comparison(ufunc, sym: str):
    """Tensor's ``__lt__`` and kin: a boolean constant, outside the graph, as PyTorch's comparisons."""

    def method(self, other):
        if isinstance(other, Tensor):
            array = other.data
        else:
            array = operand_array(other, self.data.dtype, sym)
            if array is NotImplemented:
                return NotImplemented  # ``tensor == None`` is then False, as in PyTorch
        try:
            return _leaf(np.asarray(ufunc(self.data, array)))
        except ValueError:
            raise ValueError(
                f"{sym}: shapes {self.data.shape} and {np.shape(array)} do not broadcast together"
            ) from None

    method.__name__ = f"__{ufunc.__name__}__"
    return method


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

    # ``_fn`` is the op that made the node, ``_ctx`` what its forward saved for the vjp, ``_needs``
    # which operands want a gradient.  ``_label`` is set only when given: an unset slot costs
    # nothing per operation.
    __slots__ = ("data", "grad", "requires_grad", "parents", "op", "_fn", "_ctx", "_needs", "_label",
                 "__weakref__")
    # numpy defers to our reflected operators, so ``ndarray * Tensor`` gives a Tensor.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = "") -> None:
        if type(data) is _ndarray and dtype is None and data.dtype.kind in "fiub":
            array = data
        else:
            array = to_array(data.data if isinstance(data, Tensor) else data, dtype, "Tensor(data)")
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
        self._needs = None
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
    def grad_fn(self):
        """The operation (a :class:`~autograd_nn.tensor.functions.Function` class) that made this node.

        ``None`` for a leaf, and for a result computed under ``no_grad`` or from operands none of
        which requires grad (its ``op`` still names the operation).

        Example:
            >>> x = Tensor([1.0], requires_grad=True)
            >>> x.tanh().grad_fn.__name__, x.grad_fn
            ('TanhOp', None)
        """
        return self._fn

    @property
    def T(self):
        """The transpose (all axes reversed), as ``ndarray.T``.

        Example:
            >>> Tensor([[1, 2, 3]]).T.shape
            (3, 1)
        """
        return TransposeOp.apply(self, axes=None)

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
            RETAINED[id(self)] = self

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

    __add__ = _binop(AddOp, "+")
    __radd__ = _binop(AddOp, "+", reflected=True)
    __sub__ = _binop(SubOp, "-")
    __rsub__ = _binop(SubOp, "-", reflected=True)
    __mul__ = _binop(MulOp, "*")
    __rmul__ = _binop(MulOp, "*", reflected=True)
    __truediv__ = _binop(DivOp, "/")
    __rtruediv__ = _binop(DivOp, "/", reflected=True)

    def __neg__(self):
        return NegOp.apply(self)

    def __pos__(self):
        return self

    def __pow__(self, other):
        if isinstance(other, (numbers.Real, np.bool_)) and not isinstance(other, (Value, np.ndarray)):
            # A constant exponent: one operand, the exponent kept in the node's context (op "**").
            return PowConstOp.apply(self, exponent=other.item() if isinstance(other, np.generic) else other)
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
        return MatMulOp.apply(self, other)

    def __rmatmul__(self, other):
        other = _operand(other, self, "@")
        if other is NotImplemented:
            return NotImplemented
        return MatMulOp.apply(other, self)

    # -- reductions and shapes ------------------------------------------------------------------

    def sum(self, axis=None, keepdims: bool = False):
        """Sum over ``axis`` (an int, a tuple, or None for all).

        Example:
            >>> Tensor([[1, 2], [3, 4]]).sum(axis=0)
            Tensor([4, 6], dtype=int64, op='sum')
        """
        return SumOp.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        """Mean over ``axis``.

        Example:
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1, keepdims=True).shape
            (2, 1)
        """
        return MeanOp.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False):
        """Maximum over ``axis``; tied maxima share the gradient equally.

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).max(axis=1)
            Tensor([5., 7.], dtype=float64, op='max')
        """
        return MaxOp.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False):
        """Minimum over ``axis``; tied minima share the gradient equally.

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).min().item()
            1.0
        """
        return MinOp.apply(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None):
        """Indices of the maxima (an integer constant tensor, outside the graph).

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(axis=1)
            Tensor([1, 0], dtype=int64)
        """
        return _leaf(arg_extreme(np.argmax, self.data, axis))

    def reshape(self, *shape):
        """The same data in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, -1 allowed).

        Example:
            >>> Tensor([1, 2, 3, 4]).reshape(2, -1).shape
            (2, 2)
        """
        return ReshapeOp.apply(self, shape=as_sizes(shape))

    def transpose(self, *axes):
        """Permute axes as ``ndarray.transpose`` (no argument reverses them).

        Example:
            >>> Tensor(np.zeros((2, 3, 4))).transpose(1, 0, 2).shape
            (3, 2, 4)
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return TransposeOp.apply(self, axes=axes or None)

    def astype(self, dtype):
        """A copy in another floating dtype (differentiable; the gradient is cast back).

        Example:
            >>> Tensor([1.5], dtype=np.float32).astype(np.float64).dtype
            dtype('float64')
        """
        return AstypeOp.apply(self, dtype=np.dtype(dtype))

    def __getitem__(self, index):
        if type(index) is tuple:
            index = tuple(i.data if type(i) is Tensor else i for i in index)
        elif type(index) is Tensor:
            index = index.data
        return GetItemOp.apply(self, index=index)

    # -- elementwise functions ------------------------------------------------------------------

    def exp(self):
        """e ** x.  Overflow gives inf (numpy warns); detect_anomaly names the op.

        Example:
            >>> Tensor([0.0]).exp()
            Tensor([1.], dtype=float64, op='exp')
        """
        return ExpOp.apply(self)

    def log(self):
        """Natural logarithm; a negative input raises ``ValueError`` naming its index, log(0) = -inf.

        Example:
            >>> Tensor([1.0]).log().item()
            0.0
        """
        return LogOp.apply(self)

    def sqrt(self):
        """Square root; a negative input raises ``ValueError`` naming its index.

        Example:
            >>> Tensor([4.0]).sqrt().item()
            2.0
        """
        return SqrtOp.apply(self)

    def abs(self):
        """|x|, with gradient sign(x) (0 at 0).

        Example:
            >>> Tensor([-3.0]).abs().item()
            3.0
        """
        return AbsOp.apply(self)

    __abs__ = abs

    def clip(self, low=None, high=None):
        """Limit values to [low, high] (either may be None); the gradient passes inside the range.

        Example:
            >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
            Tensor([0. , 0.5, 1. ], dtype=float64, op='clip')
        """
        if low is None and high is None:
            raise ValueError("clip: give at least one of low and high")
        return ClipOp.apply(self, low=low, high=high)

    def tanh(self):
        """Hyperbolic tangent; derivative 1 - tanh².

        Example:
            >>> Tensor([0.0, 1000.0]).tanh()
            Tensor([0., 1.], dtype=float64, op='tanh')
        """
        return TanhOp.apply(self)

    def sigmoid(self):
        """The logistic function, exact and warning-free at ±1000; derivative σ(1 - σ).

        Example:
            >>> Tensor([-1000.0, 0.0, 1000.0]).sigmoid()
            Tensor([0. , 0.5, 1. ], dtype=float64, op='sigmoid')
        """
        return SigmoidOp.apply(self)

    def relu(self):
        """max(0, x); derivative 1 for x > 0, else 0.

        Example:
            >>> Tensor([-1.0, 2.0]).relu()
            Tensor([0., 2.], dtype=float64, op='relu')
        """
        return ReLUOp.apply(self)

    def step(self):
        """The threshold unit, 1 where x >= 0 else 0 (the lecture's TLU); its gradient is 0.

        Example:
            >>> Tensor([-0.5, 0.0]).step()
            Tensor([0., 1.], dtype=float64, op='step')
        """
        return StepOp.apply(self)

    def softmax(self, axis: int = -1):
        """exp(x) / sum(exp(x)) along ``axis``, computed from x - max so nothing overflows.

        Example:
            >>> Tensor([[0.0, 0.0]]).softmax(axis=1)
            Tensor([[0.5, 0.5]], dtype=float64, op='softmax')
        """
        return SoftmaxOp.apply(self, axis=axis)

    def log_softmax(self, axis: int = -1):
        """log(softmax(x)) along ``axis``, stable for logits of 1e4 and beyond.

        Example:
            >>> Tensor([[1e4, 0.0]]).log_softmax(axis=1)
            Tensor([[     0., -10000.]], dtype=float64, op='log_softmax')
        """
        return LogSoftmaxOp.apply(self, axis=axis)

    # -- comparisons and elementwise math --------------------------------------------------------

    # Comparisons are elementwise, ``==`` too, and give boolean constants (no gradient).  Nodes
    # still hash by identity (``__hash__`` above): the graph code keeps them in sets and dicts,
    # whose lookups find a node by ``is`` before they would call ``==``.
    __lt__ = _comparison(np.less, "<")
    __le__ = _comparison(np.less_equal, "<=")
    __gt__ = _comparison(np.greater, ">")
    __ge__ = _comparison(np.greater_equal, ">=")
    __eq__ = _comparison(np.equal, "==")
    __ne__ = _comparison(np.not_equal, "!=")

    def __bool__(self) -> bool:
        # As PyTorch: only a one-element tensor has a truth value (else ``x in [a, b]`` and
        # ``if a == b`` would silently mean "has a length").
        if self.data.size != 1:
            raise RuntimeError(
                f"bool(): the truth value of a tensor of shape {self.data.shape} is ambiguous; only a "
                "one-element tensor has one (use .numpy().any() or .numpy().all())"
            )
        return bool(self.data.item())

    def maximum(self, other):
        """The elementwise larger of this tensor and ``other`` (broadcast), as ``torch.maximum``.

        Where the two are equal each gets half the gradient; NaN wins (and both get all of it).

        Example:
            >>> Tensor([1.0, 5.0]).maximum(Tensor([3.0, 2.0]))
            Tensor([3., 5.], dtype=float64, op='maximum')
        """
        return maximum(self, other)

    def minimum(self, other):
        """The elementwise smaller of this tensor and ``other`` (broadcast), as ``torch.minimum``.

        Example:
            >>> Tensor([1.0, 5.0]).minimum(2.0)
            Tensor([1., 2.], dtype=float64, op='minimum')
        """
        return minimum(self, other)

    def sign(self):
        """-1, 0 or 1 by the sign of each element; its gradient is 0.

        Example:
            >>> Tensor([-2.0, 0.0, 3.0]).sign()
            Tensor([-1.,  0.,  1.], dtype=float64, op='sign')
        """
        return SignOp.apply(self)

    def square(self):
        """x², as ``torch.square`` (which is ``x ** 2``: the node's op is ``"**"``).

        Example:
            >>> Tensor([-3.0, 2.0]).square()
            Tensor([9., 4.], dtype=float64, op='**')
        """
        return PowConstOp.apply(self, exponent=2)

    def sin(self):
        """Sine (radians); derivative cos x.

        Example:
            >>> Tensor([0.0, np.pi / 2]).sin()
            Tensor([0., 1.], dtype=float64, op='sin')
        """
        return SinOp.apply(self)

    def cos(self):
        """Cosine (radians); derivative -sin x.

        Example:
            >>> Tensor([0.0]).cos()
            Tensor([1.], dtype=float64, op='cos')
        """
        return CosOp.apply(self)

    def erf(self):
        """The error function (2/√π) ∫₀ˣ e^(-t²) dt, by ``math.erf`` per element (slower than tanh).

        Example:
            >>> Tensor([0.0, 1.0]).erf().data.round(6)
            array([0.      , 0.842701])
        """
        return ErfOp.apply(self)

    # -- activations -----------------------------------------------------------------------------

    def softplus(self, beta: float = 1.0, threshold: float = 20.0):
        """log(1 + e^(βx)) / β, a smooth relu; x itself where βx > threshold, as ``F.softplus``.

        Exact and warning-free at any input; derivative σ(βx).

        Example:
            >>> Tensor([-1000.0, 0.0, 1000.0]).softplus().data.round(6).tolist()
            [0.0, 0.693147, 1000.0]
        """
        return SoftplusOp.apply(self, beta=beta, threshold=threshold)

    def logsigmoid(self):
        """log σ(x) = -softplus(-x), exact at ±1000 (``F.logsigmoid``); derivative σ(-x).

        Example:
            >>> Tensor([-1000.0, 0.0, 1000.0]).logsigmoid().data.round(6).tolist()
            [-1000.0, -0.693147, 0.0]
        """
        return LogSigmoidOp.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01):
        """x for x > 0, else negative_slope · x (``F.leaky_relu``); derivative negative_slope at 0.

        Example:
            >>> Tensor([-2.0, 3.0]).leaky_relu(0.1)
            Tensor([-0.2,  3. ], dtype=float64, op='leaky_relu')
        """
        return LeakyReLUOp.apply(self, negative_slope=negative_slope)

    def elu(self, alpha: float = 1.0):
        """x for x > 0, else α(e^x - 1) (``F.elu``); derivative α e^x for x <= 0.

        Example:
            >>> Tensor([-1000.0, 0.0, 2.0]).elu()
            Tensor([-1.,  0.,  2.], dtype=float64, op='elu')
        """
        return ELUOp.apply(self, alpha=alpha)

    def gelu(self, approximate: str = "none"):
        """x Φ(x), Φ the standard normal CDF (``F.gelu``); ``approximate="tanh"`` is its tanh form.

        The exact form computes erf by ``math.erf`` per element: about four times slower.

        Example:
            >>> Tensor([-1.0, 0.0, 1.0]).gelu().data.round(6)
            array([-0.158655,  0.      ,  0.841345])
            >>> Tensor([1.0]).gelu(approximate="tanh").data.round(6)
            array([0.841192])
        """
        return GELUOp.apply(self, approximate=approximate)

    def silu(self):
        """x σ(x) (swish, ``F.silu``); derivative σ(1 + x(1 - σ)).

        Example:
            >>> Tensor([0.0, 1.0]).silu().data.round(6)
            array([0.      , 0.731059])
        """
        return SiLUOp.apply(self)

    def hardtanh(self, min_val: float = -1.0, max_val: float = 1.0):
        """x limited to [min_val, max_val] (``F.hardtanh``); gradient 0 at the bounds, unlike clip's.

        Example:
            >>> Tensor([-3.0, 0.5, 1.0]).hardtanh()
            Tensor([-1. ,  0.5,  1. ], dtype=float64, op='hardtanh')
        """
        return HardtanhOp.apply(self, min_val=min_val, max_val=max_val)

    def softmin(self, axis: int = -1):
        """softmax(-x) along ``axis``, as ``F.softmin`` (two nodes: neg, then softmax).

        Example:
            >>> Tensor([[0.0, np.log(3.0)]]).softmin().data.round(6)
            array([[0.75, 0.25]])
        """
        return SoftmaxOp.apply(NegOp.apply(self), axis=axis)

    # -- more reductions --------------------------------------------------------------------------

    def logsumexp(self, axis=None, keepdims: bool = False):
        """log(sum(exp(x))) over ``axis``, computed from x - max so that nothing overflows.

        PyTorch's ``torch.logsumexp(x, dim)`` (which needs a dim; None here reduces all axes).  An
        entry of -inf adds nothing and gets gradient 0; the gradient is the softmax of the slice.

        Example:
            >>> x = Tensor([1000.0, 1000.0, -np.inf], requires_grad=True)
            >>> y = x.logsumexp(); round(y.item(), 6)          # 1000 + log 2, no overflow
            1000.693147
            >>> y.backward(); x.grad
            array([0.5, 0.5, 0. ])
        """
        return LogSumExpOp.apply(self, axis=axis, keepdims=keepdims)

    def prod(self, axis=None, keepdims: bool = False):
        """The product over ``axis``; its gradient is right with zeros in the input, as PyTorch's.

        d prod / d x_i is the product of the other entries: with one zero in a slice only the
        zero's own entry gets a gradient, with two or more none does.

        Example:
            >>> x = Tensor([2.0, 0.0, 5.0], requires_grad=True)
            >>> x.prod().backward(); x.grad
            array([ 0., 10.,  0.])
        """
        return ProdOp.apply(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, correction=1, keepdims: bool = False):
        """The variance Σ (x - mean)² / (N - correction) over ``axis``, N values per slice.

        PyTorch's ``correction=1`` (the unbiased estimate) is the default; numpy's default is
        ``correction=0`` (its ``ddof``).  A correction >= N raises ``ValueError`` (PyTorch warns
        and returns inf or nan).  Integer data gives float64.

        Example:
            >>> x = Tensor([1.0, 2.0, 3.0, 4.0])
            >>> x.var().item(), x.var(correction=0).item()
            (1.6666666666666667, 1.25)
        """
        return VarOp.apply(self, axis=axis, correction=correction, keepdims=keepdims)

    def std(self, axis=None, correction=1, keepdims: bool = False):
        """The standard deviation √var, with ``var``'s arguments (PyTorch's ``correction=1`` default).

        Where every value of a slice is equal the gradient is 0, as PyTorch's (√ has no
        derivative at 0; the chain rule would give nan).

        Example:
            >>> x = Tensor([[1.0, 3.0], [2.0, 2.0]], requires_grad=True)
            >>> s = x.std(axis=1); s.data
            array([1.41421356, 0.        ])
            >>> s.sum().backward(); x.grad
            array([[-0.70710678,  0.70710678],
                   [ 0.        ,  0.        ]])
        """
        return StdOp.apply(self, axis=axis, correction=correction, keepdims=keepdims)

    def cumsum(self, axis: int):
        """The running sum along ``axis`` (required, as PyTorch's ``dim``).

        Example:
            >>> Tensor([[1, 2, 3], [4, 5, 6]]).cumsum(axis=1)
            Tensor([[ 1,  3,  6],
                    [ 4,  9, 15]], dtype=int64, op='cumsum')
        """
        return CumsumOp.apply(self, axis=axis)

    def argmin(self, axis=None):
        """Indices of the minima (an integer constant tensor, outside the graph).

        Example:
            >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).argmin(axis=1)
            Tensor([0, 1], dtype=int64)
        """
        return _leaf(arg_extreme(np.argmin, self.data, axis))

    # -- more shapes ------------------------------------------------------------------------------

    def squeeze(self, axis=None):
        """Remove length-1 axes: all of them, or those among ``axis`` (an int or a tuple).

        As PyTorch's, an axis of ``axis`` whose length is not 1 stays as it is (numpy raises).

        Example:
            >>> x = Tensor(np.zeros((2, 1, 3, 1)))
            >>> x.squeeze().shape, x.squeeze(1).shape, x.squeeze(0).shape
            ((2, 3), (2, 3, 1), (2, 1, 3, 1))
        """
        return ReshapeOp.apply(self, shape=squeezed_shape(self.shape, axis))

    def unsqueeze(self, axis: int):
        """Insert a length-1 axis at ``axis`` (-1: a new last axis), as PyTorch's.

        Example:
            >>> x = Tensor([1.0, 2.0])
            >>> x.unsqueeze(0).shape, x.unsqueeze(-1).shape
            ((1, 2), (2, 1))
        """
        return ReshapeOp.apply(self, shape=unsqueezed_shape(self.shape, axis))

    def flatten(self, start_axis: int = 0, end_axis: int = -1):
        """Merge the axes from ``start_axis`` to ``end_axis`` (both included) into one.

        PyTorch's ``flatten(start_dim, end_dim)``; a 0-d tensor becomes one of shape (1,).

        Example:
            >>> x = Tensor(np.zeros((2, 3, 4)))
            >>> x.flatten().shape, x.flatten(1).shape, x.flatten(0, 1).shape
            ((24,), (2, 12), (6, 4))
        """
        return ReshapeOp.apply(self, shape=flattened_shape(self.shape, start_axis, end_axis))

    def expand(self, *sizes):
        """Copies along length-1 axes and new leading axes, as PyTorch's ``expand``; -1 keeps a size.

        ``x.expand(2, -1, 3)`` or ``x.expand((2, -1, 3))``.  PyTorch returns a view; this is a
        copy.  The gradient sums the copies.

        Example:
            >>> x = Tensor([[1.0], [2.0]], requires_grad=True)
            >>> y = x.expand(2, -1, 3); y.shape
            (2, 2, 3)
            >>> y.sum().backward(); x.grad
            array([[6.],
                   [6.]])
        """
        return BroadcastToOp.apply(self, shape=expanded_shape(self.shape, as_sizes(sizes)))

    def broadcast_to(self, shape):
        """``expand`` with the shape as one tuple, as ``torch.broadcast_to`` (and ``np.broadcast_to``).

        Example:
            >>> Tensor([1.0, 2.0]).broadcast_to((3, 2)).shape
            (3, 2)
        """
        return BroadcastToOp.apply(self, shape=expanded_shape(self.shape, tuple(shape), "broadcast_to"))

    def flip(self, axis):
        """Reverse the order of entries along ``axis``: an int or a tuple, required (PyTorch's ``dims``).

        Example:
            >>> Tensor([[1, 2], [3, 4]]).flip(1)
            Tensor([[2, 1],
                    [4, 3]], dtype=int64, op='flip')
        """
        return FlipOp.apply(self, axis=axis)

    def pad(self, pad_width, value=0.0):
        """Pad with the constant ``value``, numpy's way: ``pad_width`` holds a (before, after) pair per axis.

        ``x.pad(((1, 1), (0, 2)))`` adds one row before and one after, and two columns at the end;
        one pair, or one int, serves every axis (as ``np.pad``).  PyTorch's ``F.pad`` lists the
        pairs flat from the last axis backwards: ``F.pad(x, (0, 2, 1, 1))`` is the same padding.
        The gradient is g with the padding sliced off.

        Example:
            >>> Tensor([[1.0, 2.0]]).pad(((1, 0), (0, 1)), value=-1.0)
            Tensor([[-1., -1., -1.],
                    [ 1.,  2., -1.]], dtype=float64, op='pad')
        """
        return PadOp.apply(self, pad_width=pad_width, value=value)

    def repeat(self, *repeats):
        """PyTorch's ``repeat``: copies laid side by side (numpy's ``tile``, not ``np.repeat``).

        One count per axis at least (``x.repeat(2, 3)`` or ``x.repeat((2, 3))``); more counts than
        axes add new leading axes.  The gradient sums the copies.

        Example:
            >>> Tensor([1, 2]).repeat(2, 2)
            Tensor([[1, 2, 1, 2],
                    [1, 2, 1, 2]], dtype=int64, op='tile')
        """
        repeats = as_sizes(repeats)
        if len(repeats) < self.ndim:
            raise ValueError(
                f"repeat: {len(repeats)} counts {repeats} for shape {self.shape}: give one per axis "
                "at least (tile prepends ones instead)"
            )
        return TileOp.apply(self, reps=repeats)

    def tile(self, *reps):
        """Copies laid side by side, as ``np.tile`` and ``torch.tile``: fewer counts than axes are
        prepended with ones (so they repeat the last axes).

        Example:
            >>> Tensor([[1, 2]]).tile(2)
            Tensor([[1, 2, 1, 2]], dtype=int64, op='tile')
        """
        return TileOp.apply(self, reps=as_sizes(reps))

    def gather(self, axis: int, index):
        """PyTorch's ``gather``: along axis 1, ``out[i][j] = x[i][index[i][j]]`` (out has index's shape).

        ``index`` is an integer array or tensor with as many axes as x, no longer than x along the
        other axes, its entries in ``[0, x.shape[axis])``.  An entry gathered twice receives both
        gradients (the op is indexing, ``getitem``).

        Example:
            >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
            >>> y = x.gather(1, np.array([[0, 0], [1, 0]])); y.data
            array([[1., 1.],
                   [4., 3.]])
            >>> y.sum().backward(); x.grad
            array([[2., 0.],
                   [1., 1.]])
        """
        index = index.data if type(index) is Tensor else index
        return GetItemOp.apply(self, index=gather_index(self.shape, axis, index))

    # -- reverse mode ----------------------------------------------------------------------------

    def backward(self, grad=None, retain_graph: bool = False, retain_grads: bool = False) -> None:
        """Reverse mode: add d self / d leaf to ``leaf.grad`` for every leaf that requires grad.

        A one-element tensor is seeded with 1; any other tensor needs ``grad`` of its own shape
        (the vector of the vector-Jacobian product).  Gradients accumulate over calls, as in
        PyTorch.  Intermediate nodes keep their gradients only after ``retain_grad()`` or, all of
        them, with ``retain_grads=True`` (for diagrams).  What the operations saved for backward
        is freed afterwards unless ``retain_graph=True``; a second backward through a freed graph
        raises ``RuntimeError``, before any gradient is accumulated.  ``grad`` is copied (and cast
        to this tensor's dtype); the caller's array is never changed or kept.  It must hold real
        numbers (float, int or bool): a string, a complex number or any other object is a
        ``TypeError`` naming its type.

        Memory: only the saved values are freed; the nodes, with their ``data`` and ``parents``,
        live as long as something refers to the root.  A list of losses keeps every activation
        of every step alive: keep ``loss.item()`` instead.
        Inside :class:`~autograd_nn.detect_anomaly` the first op whose forward or backward made a
        NaN or inf is named in an :class:`~autograd_nn.AnomalyError`.  A backward that raises (an
        anomaly, a vjp's shape error, any exception) leaves every ``.grad`` as it was.

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
            seed = seed_array(grad.data if isinstance(grad, Tensor) else grad, data.dtype, "backward: grad")
            if seed.shape != data.shape:
                raise ValueError(
                    f"backward: grad has shape {seed.shape}, but the tensor has shape {data.shape}"
                )
        run_backward(self, seed, retain_graph, retain_grads)

    # -- numpy-style helpers for users ----------------------------------------------------------

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))


def _tensor_pow(a, b):
    _check_real_power(a.data, b.data)
    if b.requires_grad and (a.data < 0).any():
        index = first_index(a.data < 0)
        raise ValueError(
            "pow: a Tensor exponent that requires grad needs a positive base or 0 (d a**b / db = "
            f"a**b log a has no real value for a < 0); the base is {a.data[index].item()!r} at index {index}"
        )
    return PowOp.apply(a, b)


def _as_tensor(x, where: str):
    if type(x) is Tensor:
        return x
    if isinstance(x, Value):
        raise mixing_error(where)
    return Tensor(x)


def linear(x, weight, bias=None):
    """``x @ weight + bias`` as one node (op ``"linear"``), with ``weight`` of shape (nin, nout).

    One node instead of two saves a node's bookkeeping and a temporary array per layer; its
    backward gives x, weight and bias their gradients in one step.  ``nn.Linear`` records the
    same node.

    Example:
        >>> x = Tensor(np.ones((4, 3))); W = Tensor(np.ones((3, 2)), requires_grad=True)
        >>> b = Tensor(np.zeros(2), requires_grad=True)
        >>> y = linear(x, W, b); y.sum().backward()
        >>> y.shape, W.grad.tolist(), b.grad.tolist()
        ((4, 2), [[4.0, 4.0], [4.0, 4.0], [4.0, 4.0]], [4.0, 4.0])
    """
    x = _as_tensor(x, "linear")
    weight = _as_tensor(weight, "linear")
    if bias is None:
        return LinearOp.apply(x, weight)
    return LinearOp.apply(x, weight, _as_tensor(bias, "linear"))


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
    return ConcatenateOp.apply(*tensors, axis=axis)


def stack(tensors, axis: int = 0):
    """Join tensors of one shape along a new axis, as ``np.stack``.

    Example:
        >>> s = stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1); s.shape
        (2, 2)
    """
    tensors = tuple(_as_tensor(t, "stack") for t in tensors)
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    return StackOp.apply(*tensors, axis=axis)


def _operands(a, b, where: str) -> tuple:
    """``a`` and ``b`` as Tensors; a number, list or array takes the dtype rules of a Tensor beside it."""
    given = (a, b)
    if not isinstance(a, Tensor):
        if not isinstance(b, Tensor):
            b = _as_tensor(b, where)
        a = _operand(a, b, where)
    elif not isinstance(b, Tensor):
        b = _operand(b, a, where)
    for x, original in zip((a, b), given):
        if x is NotImplemented:
            kind = type(original).__name__
            raise TypeError(f"{where}: the operands must be Tensors, numbers or arrays, got {kind}")
    return a, b


def maximum(a, b):
    """The elementwise larger of ``a`` and ``b`` (broadcast), as ``torch.maximum``.

    Where the two are equal each gets half the gradient, as in PyTorch; NaN wins.

    Example:
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = maximum(x, 2.0); y.sum().backward()
        >>> y.data, x.grad
        (array([2., 2., 3.]), array([0. , 0.5, 1. ]))
    """
    return MaximumOp.apply(*_operands(a, b, "maximum"))


def minimum(a, b):
    """The elementwise smaller of ``a`` and ``b`` (broadcast), as ``torch.minimum``; ties share the gradient.

    Example:
        >>> minimum(Tensor([[1.0], [4.0]]), Tensor([2.0, 3.0]))
        Tensor([[1., 1.],
                [2., 3.]], dtype=float64, op='minimum')
    """
    return MinimumOp.apply(*_operands(a, b, "minimum"))


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b`` (all three broadcast), as ``torch.where``.

    ``condition`` is a boolean Tensor, array or list (anything else is a TypeError naming its
    dtype: write ``x > 0``, not a 0/1 mask) and gets no gradient; ``a`` and ``b`` get the
    gradient where they were chosen.

    Example:
        >>> x = Tensor([-1.0, 2.0], requires_grad=True)
        >>> y = where(x > 0, x, 0.0); y.sum().backward()
        >>> y.data, x.grad
        (array([0., 2.]), array([0., 1.]))
    """
    cond = to_array(condition.data if isinstance(condition, Tensor) else condition, None, "where(condition)")
    if cond.dtype != np.bool_:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype} (compare: x > 0)")
    a, b = _operands(a, b, "where")
    try:
        np.broadcast_shapes(cond.shape, a.data.shape, b.data.shape)
    except ValueError:
        raise ValueError(
            f"where: the condition's shape {cond.shape} and the operands' shapes {a.data.shape} and "
            f"{b.data.shape} do not broadcast together"
        ) from None
    return WhereOp.apply(a, b, condition=cond)
