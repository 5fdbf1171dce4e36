"""The graph protocol shared by both engines and by the visualiser.

A node is any object with ``parents`` (a tuple of nodes, in operand order) and ``op`` (the name
of the operation that made it, ``""`` for a leaf).  This module knows nothing of floats or arrays:
it walks nodes, and it holds the two global switches of the engines, grad mode and anomaly mode.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator


class _Switches:
    """Process-wide switches read on every operation (one attribute lookup each)."""

    __slots__ = ("grad_enabled", "anomaly")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False


SWITCHES = _Switches()


class _Mode:
    """Base of the context managers that set one switch and restore it, also as decorators."""

    _attr = ""
    _value = False

    def __new__(cls, func=None):
        # ``@no_grad`` without parentheses passes the function itself: decorate it at once.
        mode = super().__new__(cls)
        if func is None:
            return mode
        if not callable(func):
            raise TypeError(f"{cls.__name__}() takes no arguments, or a function to decorate; got {func!r}")
        return mode(func)

    def __enter__(self):
        # A stack of previous states, so one instance can be nested and reused safely.
        self.__dict__.setdefault("_saved", []).append(getattr(SWITCHES, self._attr))
        setattr(SWITCHES, self._attr, self._value)
        return self

    def __exit__(self, *exc_info) -> bool:
        setattr(SWITCHES, self._attr, self._saved.pop())
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with type(self)():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_Mode):  # noqa: N801 - named as in PyTorch, where students meet it next
    """Record no graph inside this block: results have no parents and nothing to backpropagate.

    Works as a context manager and as a decorator (``@no_grad`` or ``@no_grad()``); nesting and
    exceptions restore the previous state.  Use it for evaluation and for optimiser updates.

    Example:
        >>> from autograd_nn import Value, no_grad
        >>> x = Value(2.0)
        >>> with no_grad():
        ...     y = x * 3
        >>> y.parents
        ()
    """

    _attr = "grad_enabled"
    _value = False


class enable_grad(_Mode):  # noqa: N801
    """Turn graph recording back on inside a ``no_grad`` block.

    Example:
        >>> from autograd_nn import Value, no_grad, enable_grad
        >>> with no_grad():
        ...     with enable_grad():
        ...         y = Value(2.0) * 3
        >>> len(y.parents)
        1
    """

    _attr = "grad_enabled"
    _value = True


class detect_anomaly(_Mode):  # noqa: N801
    """Check every value and gradient for NaN/inf during ``backward`` and name the first bad node.

    Without it NaN and inf propagate silently, as IEEE arithmetic does.  Inside it, ``backward``
    raises :class:`AnomalyError` naming the first node (in the order of computation) whose value
    is not finite, or else the first node (in the order of the backward pass) whose gradient is not.

    Example:
        >>> from autograd_nn import Value, detect_anomaly
        >>> x = Value(0.0, label="x")
        >>> y = x ** 0.5          # fine forward: sqrt(0) = 0 ...
        >>> with detect_anomaly():
        ...     y.backward()      # ... but d sqrt(x)/dx at 0 is inf
        Traceback (most recent call last):
        ...
        autograd_nn.graph.AnomalyError: ...
    """

    _attr = "anomaly"
    _value = True


class Node:
    """Base of both engines' nodes: what the graph record shares, beyond the engine's own slots.

    Subclasses define the slots ``parents``, ``op`` and ``_label`` (set only when a node is named,
    so unnamed intermediate nodes cost no store for it).

    Example:
        >>> from autograd_nn import Value
        >>> isinstance(Value(1.0), Node), Value(1.0, label="w").label
        (True, 'w')
    """

    __slots__ = ()

    @property
    def label(self) -> str:
        """A name for diagrams and messages (``""`` if none was given)."""
        try:
            return self._label
        except AttributeError:
            return ""

    @label.setter
    def label(self, name: str) -> None:
        self._label = str(name)


def is_grad_enabled() -> bool:
    """Whether operations currently record the graph (False inside :class:`no_grad`).

    Example:
        >>> from autograd_nn import is_grad_enabled, no_grad
        >>> with no_grad():
        ...     is_grad_enabled()
        False
    """
    return SWITCHES.grad_enabled


class AnomalyError(RuntimeError):
    """Raised under :class:`detect_anomaly` when a value or gradient becomes NaN or inf.

    Example:
        >>> from autograd_nn import AnomalyError, Value, detect_anomaly
        >>> y = Value(float("inf"), label="big") * 0.0
        >>> with detect_anomaly():
        ...     try:
        ...         y.backward()
        ...     except AnomalyError as err:
        ...         print("caught:", "'big'" in str(err), isinstance(err, RuntimeError))
        caught: True True
    """


def topological_order(root) -> list:
    """Every node reachable from ``root``, each after all of its parents (leaves first).

    Iterative depth-first search, so graphs a million nodes deep work.  Each node appears once.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(1.0, label="a"); b = a * a
        >>> [n.label or n.op for n in topological_order(b)]
        ['a', '*']
    """
    # A computation that is a chain (each node made from one other, as x = x * 0.999 + 0.001)
    # needs no search: follow the single parents down, then order the rest from where it forks.
    chain = []
    node = root
    while len(node.parents) == 1:
        chain.append(node)
        node = node.parents[0]
    order = []
    # state: absent = not seen, False = expanded (its parents are being ordered), True = emitted.
    # A node is pushed once more after its parents, and emitted when popped again.  Nothing but
    # this dict and two lists is allocated, so a big walk does not wake the garbage collector.
    state: dict = {}
    stack = [node]
    push = stack.append
    pop = stack.pop
    emit = order.append
    while stack:
        node = pop()
        seen = state.get(node)
        if seen is None:
            state[node] = False
            push(node)
            for parent in node.parents:
                if parent not in state:
                    push(parent)
        elif seen is False:
            state[node] = True
            emit(node)
    chain.reverse()
    order += chain
    return order


def all_paths(root, leaf) -> list[list[tuple[object, int]]]:
    """Every path from ``root`` down to ``leaf``, as lists of edges ``(node, parent_index)``.

    An edge ``(n, i)`` is the edge from ``n.parents[i]`` into ``n``; a path lists them from the
    root downwards, so the product of ``n.local[i]`` along a path is that path's share of
    ``d root / d leaf`` and the sum over all paths is the whole derivative (the chain rule).
    A node used twice by one operation (``a * a``) gives two edges and hence two paths.

    Raises:
        ValueError: if ``leaf`` is not in the graph of ``root``.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(3.0); b = a * a
        >>> len(all_paths(b, a))
        2
    """
    reaches = _reaching(root, leaf)
    if id(root) not in reaches:
        raise ValueError(
            f"all_paths: the leaf {_describe(leaf)} is not in the graph of the root {_describe(root)}"
        )
    paths: list[list[tuple[object, int]]] = []
    # Depth-first over edges that lead to the leaf; only nodes that reach it are entered.
    stack: list[tuple[object, list[tuple[object, int]]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if node is leaf:
            paths.append(path)
            continue
        for i in range(len(node.parents) - 1, -1, -1):
            parent = node.parents[i]
            if id(parent) in reaches:
                stack.append((parent, path + [(node, i)]))
    return paths


def _reaching(root, leaf) -> set[int]:
    """Ids of the nodes of ``root``'s graph from which ``leaf`` can be reached (``leaf`` included)."""
    reaches = {id(leaf)}
    for node in topological_order(root):
        if any(id(p) in reaches for p in node.parents):
            reaches.add(id(node))
    return reaches


def iter_edges(root) -> Iterator[tuple[object, int, object]]:
    """Every edge of the graph as ``(node, parent_index, parent)``, in topological order.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(2.0); b = a * a
        >>> [(n.op, i) for n, i, p in iter_edges(b)]
        [('*', 0), ('*', 1)]
    """
    for node in topological_order(root):
        for i, parent in enumerate(node.parents):
            yield node, i, parent


def _describe(node) -> str:
    label = getattr(node, "label", "")
    if label:
        return repr(label)
    return f"<{node.op or 'leaf'} node>"
