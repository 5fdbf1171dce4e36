"""``Module``: the base of every layer and model, scalar or tensor.

A module's parameters are found by walking its attributes in the order they were set: a
``Value`` is a parameter, so is a ``Tensor`` with ``requires_grad``; sub-modules and lists of
either are walked with their attribute name (and index) as a dotted prefix.  These attribute
paths (``layers.0.neurons.1.w.0``) are the only names a module gives: labels are for diagrams
and never change a parameter's name or a checkpoint's keys.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np

from .._files import write_atomic
from ..value import Value, reset_grad


def _is_parameter(obj) -> bool:
    return isinstance(obj, Value) or (
        getattr(obj, "requires_grad", False) is True and isinstance(getattr(obj, "data", None), np.ndarray)
    )


class Module:
    """Base class of layers and models, as ``torch.nn.Module``: parameters, zero_grad, save/load.

    Subclasses set their parameters and sub-modules as attributes and implement ``forward``;
    calling the module calls ``forward``.

    Example:
        >>> from autograd_nn import Value
        >>> from autograd_nn.nn import Module
        >>> class Scale(Module):
        ...     def __init__(self):
        ...         self.k = Value(2.0)
        ...     def forward(self, x):
        ...         return self.k * x
        >>> m = Scale(); y = m(Value(3.0)); y.backward()
        >>> [(n, p.grad) for n, p in m.named_parameters()]
        [('k', 3.0)]
    """

    #: True in training mode (the default), False after :meth:`eval`: layers such as ``Dropout``
    #: act differently.  A class attribute, so a subclass whose ``__init__`` does not call
    #: ``Module.__init__`` (none needs to) starts in training mode too.
    training = True

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=False``: evaluation mode) on this module and every sub-module.

        Returns the module itself, as PyTorch, so ``model.train()`` can be chained.

        Example:
            >>> from autograd_nn.nn import Dropout, Linear, Sequential
            >>> model = Sequential(Linear(2, 2, seed=0), Dropout(0.5))
            >>> model.train(False) is model, model[1].training
            (True, False)
        """
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be a bool, got {type(mode).__name__}")
        for _, module in self.named_modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode, ``train(False)``: e.g. ``Dropout`` passes its input through unchanged.

        Example:
            >>> from autograd_nn.nn import MLP
            >>> model = MLP(2, [2, 1], seed=0).eval()
            >>> [m.training for _, m in model.named_modules()][:3]
            [False, False, False]
        """
        return self.train(False)

    def forward(self, *args, **kwargs):
        """Compute the module's output; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def _children(self) -> Iterator[tuple[str, object]]:
        """(name, attribute) pairs to walk for parameters; a subclass may reorder or rename."""
        return iter(vars(self).items())

    def _walk(self, prefix: str) -> Iterator[tuple[str, object]]:
        """Every (dotted name, object) below this module, depth-first in attribute and list order.

        The one walk behind :meth:`named_parameters` and :meth:`named_modules`; the names are the
        attribute paths (``layers.0.neurons.1.w.2``), never labels.  No recursion, so a model
        nested deeply still works.
        """
        stack = [(prefix + name, obj) for name, obj in self._children() if not name.startswith("_")]
        stack.reverse()
        while stack:
            name, obj = stack.pop()
            yield name, obj
            if isinstance(obj, Module):
                children = [(f"{name}.{n}", o) for n, o in obj._children() if not n.startswith("_")]
                stack.extend(reversed(children))
            elif isinstance(obj, (list, tuple)):
                stack.extend(reversed([(f"{name}.{i}", o) for i, o in enumerate(obj)]))

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, object]]:
        """Yield ``(name, parameter)`` with stable dotted names, e.g. ``layers.1.neurons.0.w.2``.

        A name is the parameter's attribute path, whatever its ``label``: checkpoint keys
        (:meth:`state_dict`) do not change when a node is renamed for a diagram.  A parameter
        shared by two sub-modules is yielded once, under its first path.  ``prefix`` is put in
        front with a dot (``"model"`` gives ``model.w.0``), as in PyTorch.

        Example:
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> class Pair(Module):
            ...     def __init__(self):
            ...         self.w = [Value(1.0, label="first"), Value(2.0)]
            >>> [name for name, _ in Pair().named_parameters()]
            ['w.0', 'w.1']
        """
        seen: set[int] = set()
        for name, obj in self._walk(f"{prefix}." if prefix else ""):
            if _is_parameter(obj) and id(obj) not in seen:
                seen.add(id(obj))
                yield name, obj

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)``: ``(prefix, self)`` first, then every sub-module by its path.

        As PyTorch's ``named_modules``: the walk of :meth:`named_parameters` (attributes and lists
        in order), so a neuron's path here is the prefix of its parameters' names.  A module
        reached twice is yielded once.

        Example:
            >>> from autograd_nn.nn import MLP
            >>> [name for name, _ in MLP(2, [2, 1], seed=0).named_modules()]
            ['', 'layers.0', 'layers.0.neurons.0', 'layers.0.neurons.1', 'layers.1', 'layers.1.neurons.0']
        """
        seen = {id(self)}
        yield prefix, self
        for name, obj in self._walk(f"{prefix}." if prefix else ""):
            if isinstance(obj, Module) and id(obj) not in seen:
                seen.add(id(obj))
                yield name, obj

    def parameters(self) -> list:
        """All parameters, in the order of :meth:`named_parameters`.

        Example:
            >>> from autograd_nn.nn import Module
            >>> Module().parameters()
            []
        """
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for a ``Value``, ``None`` for a ``Tensor``).

        Example:
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> m = Module(); m.w = Value(1.0); m.w.grad = 5.0
            >>> m.zero_grad(); m.w.grad
            0.0
        """
        for p in self.parameters():
            reset_grad(p)

    def state_dict(self) -> OrderedDict:
        """A copy of every parameter as a numpy array, keyed by its name.

        Example:
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> m = Module(); m.w = Value(1.5)
            >>> dict(m.state_dict())
            {'w': array(1.5)}
        """
        return OrderedDict(
            (name, np.array(p.data, dtype=np.float64 if isinstance(p, Value) else None, copy=True))
            for name, p in self.named_parameters()
        )

    def load_state_dict(self, state) -> None:
        """Copy arrays into the parameters; everything is checked before anything changes.

        Each array is cast to its parameter's dtype (``float64`` for a ``Value``).  A finite
        number that overflows in that cast (``1e40`` into ``float32``) is an error; ``inf`` and
        ``nan`` already in the state load as they are.

        Raises:
            KeyError: naming the missing and the unexpected names.
            ValueError: naming the parameter whose shape differs, with both shapes; whose values
                are no real numbers; or whose value does not fit its dtype, with the value.

        Example:
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> m = Module(); m.w = Value(1.5)
            >>> m.load_state_dict({"w": 2.5}); m.w.data
            2.5
        """
        params = OrderedDict(self.named_parameters())
        missing = [n for n in params if n not in state]
        unexpected = [n for n in state if n not in params]
        if missing or unexpected:
            raise KeyError(
                f"load_state_dict for {type(self).__name__}: missing {missing or 'none'}, "
                f"unexpected {unexpected or 'none'}"
            )
        arrays = {}
        for name, p in params.items():
            array = np.asarray(state[name])
            expected = () if isinstance(p, Value) else p.data.shape
            if array.shape != expected:
                raise ValueError(
                    f"load_state_dict for {type(self).__name__}: parameter {name!r} has shape "
                    f"{expected}, the state has {array.shape}"
                )
            if not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
                raise ValueError(
                    f"load_state_dict: parameter {name!r} must hold real numbers, got dtype {array.dtype}"
                )
            arrays[name] = _cast_to_fit(array, np.float64 if isinstance(p, Value) else p.data.dtype,
                                        name, type(self).__name__)
        # Only now, with everything validated, change the parameters: nothing is half-loaded.
        for name, p in params.items():
            if isinstance(p, Value):
                p.data = float(arrays[name])
            else:
                p.data[...] = arrays[name]

    def save(self, path) -> None:
        """Write the parameters to the file ``path`` in numpy's ``.npz`` format (no pickles).

        The file is written exactly at ``path`` (no suffix is added) and replaced atomically, so
        an interrupted save never leaves a half-written model behind.  Otherwise it is written
        as ``open(path, "wb")`` would: through a symlink into the link's target (the link stays),
        an existing file keeps its permission bits and a new one gets ``0o666`` less the umask.
        An empty path raises ``ValueError``, a folder ``IsADirectoryError``, a missing folder
        ``FileNotFoundError``, each naming ``path``.

        Example:
            >>> import tempfile, os
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> m = Module(); m.w = Value(1.5)
            >>> path = os.path.join(tempfile.mkdtemp(), "m.npz"); m.save(path)
            >>> m.w.data = 0.0; m.load(path); m.w.data
            1.5
        """
        buffer = io.BytesIO()
        np.savez(buffer, **self.state_dict())
        write_atomic(path, buffer.getvalue())

    def load(self, path) -> None:
        """Read parameters written by :meth:`save` (``allow_pickle=False``), checked as in
        :meth:`load_state_dict`: a wrong name, shape or a value too big for its dtype changes
        nothing.

        A file that is no ``.npz`` archive raises ``ValueError`` naming ``path`` and saying what
        it is instead: a ``.npy`` array, not an archive at all, a truncated or corrupt archive,
        or one holding pickled objects (never unpickled).  A symlink is followed.

        Example:
            >>> import tempfile, os
            >>> from autograd_nn import Value
            >>> from autograd_nn.nn import Module
            >>> a = Module(); a.w = Value(1.5); b = Module(); b.v = Value(0.0)
            >>> path = os.path.join(tempfile.mkdtemp(), "a.npz"); a.save(path)
            >>> b.load(path)
            Traceback (most recent call last):
            ...
            KeyError: "load_state_dict for Module: missing ['v'], unexpected ['w']"
        """
        self.load_state_dict(_read_npz(path))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(parameters={len(self.parameters())})"


def _cast_to_fit(array: np.ndarray, dtype, name: str, owner: str) -> np.ndarray:
    """``array`` cast to a parameter's ``dtype``, or a ValueError naming the first value that overflows."""
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is detected below, and named
        cast = array.astype(dtype)
    overflow = np.isfinite(array) & ~np.isfinite(cast)  # inf and nan in the state are no overflow
    if overflow.any():
        index = tuple(int(i) for i in np.argwhere(overflow)[0])
        at = f" at index {index}" if index else ""
        raise ValueError(
            f"load_state_dict for {owner}: parameter {name!r} is {np.dtype(dtype)}, which cannot hold "
            f"the state's {array[index]}{at} (it would overflow to inf)"
        )
    return cast


_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip
# What zipfile raises for a damaged archive (found by truncating saved files and flipping bits).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def _read_npz(path) -> dict:
    """The arrays of the ``.npz`` archive at ``path``, or a ValueError saying what the file is."""
    where = f"load: {os.fspath(path)!r}"
    with open(path, "rb") as fh:  # a missing file or a folder: the OS error names the path
        magic = fh.read(len(_NPY_MAGIC))
        if magic == _NPY_MAGIC:
            raise ValueError(f"{where} is a .npy array, not a .npz archive of parameters (as save writes)")
        if magic[:4] not in _ZIP_MAGICS:
            raise ValueError(f"{where} is not a .npz archive (save writes one; load never unpickles)")
        fh.seek(0)
        try:
            with np.load(fh, allow_pickle=False) as archive:
                return {name: archive[name] for name in archive.files}
        except _DAMAGED as err:
            raise ValueError(f"{where} is truncated or corrupt ({type(err).__name__}: {err})") from None
        except ValueError as err:
            # numpy refuses an object array with a ValueError that names allow_pickle; any other
            # ValueError comes from a damaged array header.
            if "allow_pickle" in str(err):
                raise ValueError(f"{where} holds pickled objects, not plain arrays ({err})") from None
            raise ValueError(f"{where} is truncated or corrupt ({err})") from None
