"""The graph protocol shared by both engines and by the visualiser, and the engines' modes.

A node is any object with ``parents`` (a tuple of nodes, in operand order) and ``op`` (the name
of the operation that made it, ``""`` for a leaf).  This module knows nothing of floats or arrays:
it walks nodes (topological order, the paths of the chain rule), and it holds the modes the
engines read on every operation: grad mode and anomaly mode, each kept per thread.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Iterator

#: The most paths :func:`all_paths` lists unless told otherwise.
DEFAULT_MAX_PATHS = 10_000


class _Modes(threading.local):
    """The modes of the calling thread, read on every operation (one attribute lookup each).

    A ``threading.local``: each thread sees its own ``grad_enabled`` and ``anomaly``, starting
    from the defaults below, so a ``no_grad`` block in one thread never stops another thread
    recording its graph (as in PyTorch, where grad mode is thread-local).
    """

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False


MODES = _Modes()


class _Everywhere:
    """Whether every thread is in the default modes: no mode block is open in any thread.

    The engines read grad mode on every operation.  A ``threading.local`` attribute costs several
    times a plain one, so they first read ``DEFAULT.everywhere`` (a plain slot) and look at their
    own thread's ``MODES`` only while some thread has a block open:
    ``DEFAULT.everywhere or MODES.grad_enabled`` is the calling thread's grad mode.  A thread
    counts its block as open before it changes its own mode and closes it after restoring it,
    so a thread whose mode is not the default always sees ``everywhere`` False.
    """

    __slots__ = ("everywhere", "_open", "_lock")

    def __init__(self) -> None:
        self.everywhere = True
        self._open = 0
        self._lock = threading.Lock()

    def opened(self) -> None:
        with self._lock:
            self._open += 1
            self.everywhere = False

    def closed(self) -> None:
        with self._lock:
            self._open -= 1
            self.everywhere = self._open == 0


DEFAULT = _Everywhere()


class _Mode:
    """Base of the context managers that set one mode of the calling thread and restore it.

    Also a decorator: ``@no_grad`` and ``@no_grad()`` wrap a function so that its body runs in
    the mode; on a generator function the mode holds inside the generator's body each time it
    runs (not in the caller between ``next`` calls), as PyTorch does.
    """

    _attr = ""
    _value = False

    def __new__(cls, func=None):
        # ``@no_grad`` without parentheses passes the function itself: decorate it at once.
        mode = super().__new__(cls)
        mode._saved = {}
        if func is None:
            return mode
        if not callable(func):
            raise TypeError(f"{cls.__name__}() takes no arguments, or a function to decorate; got {func!r}")
        return mode(func)

    def __enter__(self):
        # The previous state is kept per thread, so even one instance shared by two threads (a
        # module-level ``ng = no_grad()``) restores each thread's own state.
        stack = self._saved.setdefault(threading.get_ident(), [])
        stack.append(getattr(MODES, self._attr))
        DEFAULT.opened()
        setattr(MODES, self._attr, self._value)
        return self

    def __exit__(self, *exc_info) -> bool:
        key = threading.get_ident()
        stack = self._saved[key]
        setattr(MODES, self._attr, stack.pop())
        DEFAULT.closed()
        if not stack:
            del self._saved[key]
        return False

    def __call__(self, func):
        mode = type(self)
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            raise TypeError(
                f"@{mode.__name__} cannot decorate the coroutine function {func.__qualname__!r}: an await "
                f"suspends it while the mode would stay set in the thread; use `with {mode.__name__}():` "
                "around the code inside it that must not record"
            )
        if inspect.isgeneratorfunction(func):
            return _wrap_generator(func, mode)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode():
                return func(*args, **kwargs)

        return wrapper


def _wrap_generator(func, mode):
    """``func``, a generator function, with each step of its body run in ``mode``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gen = func(*args, **kwargs)
        try:
            with mode():
                item = next(gen)
            while True:
                try:
                    sent = yield item
                except GeneratorExit:
                    with mode():
                        gen.close()
                    raise
                except BaseException as error:
                    with mode():
                        item = gen.throw(error)
                else:
                    with mode():
                        item = gen.send(sent)
        except StopIteration as stop:
            return stop.value

    return wrapper


class no_grad(_Mode):  # noqa: N801 - named as in PyTorch, where students meet it next
    """Record no graph inside this block: results have no parents and nothing to backpropagate.

    Works as a context manager and as a decorator (``@no_grad`` or ``@no_grad()``, also on a
    generator function); nesting and exceptions restore the previous state.  It applies to the
    thread that enters it only.  Use it for evaluation and for optimiser updates.

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
    """Whether operations in the calling thread record the graph (False inside :class:`no_grad`).

    Example:
        >>> from autograd_nn import is_grad_enabled, no_grad
        >>> with no_grad():
        ...     is_grad_enabled()
        False
    """
    return DEFAULT.everywhere or MODES.grad_enabled


def is_anomaly_enabled() -> bool:
    """Whether the calling thread is inside :class:`detect_anomaly`.

    Example:
        >>> from autograd_nn.graph import detect_anomaly, is_anomaly_enabled
        >>> with detect_anomaly():
        ...     is_anomaly_enabled()
        True
    """
    return not DEFAULT.everywhere and MODES.anomaly


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
    ``root`` may also be a list or tuple of roots: their graphs are ordered together.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(1.0, label="a"); b = a * a
        >>> [n.label or n.op for n in topological_order(b)]
        ['a', '*']
    """
    if isinstance(root, (list, tuple)):
        order: list = []
        state: dict = {}
        for r in root:
            _depth_first(r, state, order)
        return order
    # A computation that is a chain (each node made from one other, as x = x * 0.999 + 0.001)
    # needs no search: follow the single parents down, then order the rest from where it forks.
    chain = []
    node = root
    while len(node.parents) == 1:
        chain.append(node)
        node = node.parents[0]
    order = []
    _depth_first(node, {}, order)
    chain.reverse()
    order += chain
    return order


def _depth_first(root, state: dict, order: list) -> None:
    """Append to ``order`` the nodes below ``root`` not yet in ``state``, parents first."""
    # state: absent = not seen, False = expanded (its parents are being ordered), True = emitted.
    # A node is pushed once more after its parents, and emitted when popped again.  Nothing but
    # this dict and two lists is allocated, so a big walk does not wake the garbage collector.
    stack = [root]
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


def count_paths(root, leaf) -> int:
    """How many paths lead from ``root`` down to ``leaf`` (0 if ``leaf`` is not in the graph).

    Counted without listing them, in one pass over the graph (dynamic programming: a node's
    count is the sum of its parents' counts, edge by edge), so a graph whose paths number 2^40
    answers at once.  A node used twice by one operation (``a * a``) counts twice.

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(1.0); x = a
        >>> for _ in range(40):
        ...     x = x * x
        >>> count_paths(x, a) == 2 ** 40
        True
    """
    return _path_counts(root, leaf).get(id(root), 0)


def _path_counts(root, leaf) -> dict[int, int]:
    """For each node of ``root``'s graph that reaches ``leaf``, keyed by id: its number of paths."""
    counts = {id(leaf): 1}
    for node in topological_order(root):
        if node is leaf:
            continue
        total = 0
        for parent in node.parents:
            total += counts.get(id(parent), 0)
        if total:
            counts[id(node)] = total
    return counts


def all_paths(
    root, leaf, max_paths: int = DEFAULT_MAX_PATHS, *, where: str = "all_paths"
) -> list[list[tuple[object, int]]]:
    """Every path from ``root`` down to ``leaf``, as lists of edges ``(node, parent_index)``.

    An edge ``(n, i)`` is the edge from ``n.parents[i]`` into ``n``; a path lists them from the
    root downwards, so the product of ``n.local[i]`` along a path is that path's share of
    ``d root / d leaf`` and the sum over all paths is the whole derivative (the chain rule).
    A node used twice by one operation (``a * a``) gives two edges and hence two paths.

    The paths are counted first (:func:`count_paths`): their number can grow exponentially with
    the depth of the graph, so more than ``max_paths`` of them raise instead of being listed.
    ``where`` is the name the error messages give the caller (``viz.path_products`` passes its own).

    Raises:
        ValueError: if ``leaf`` is not in the graph of ``root``, or if there are more than
            ``max_paths`` paths (the message gives the count and how to raise the limit).

    Example:
        >>> from autograd_nn import Value
        >>> a = Value(3.0); b = a * a
        >>> len(all_paths(b, a))
        2
    """
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"{where}: max_paths must be a positive int, got {max_paths!r}")
    counts = _path_counts(root, leaf)
    total = counts.get(id(root), 0)
    if not total:
        raise ValueError(
            f"{where}: the leaf {_describe(leaf)} is not in the graph of the root {_describe(root)}"
        )
    check_path_count(total, max_paths, where)
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
            if id(parent) in counts:
                stack.append((parent, path + [(node, i)]))
    return paths


def check_path_count(count: int, max_paths: int, where: str) -> None:
    """Raise ``ValueError`` naming ``count`` and the keyword to raise the limit, if over it.

    Example:
        >>> check_path_count(2 ** 40, 10_000, "all_paths")
        Traceback (most recent call last):
        ...
        ValueError: all_paths: there are 1099511627776 paths (about 1.1e+12), more than max_paths=10000; ...
    """
    if count > max_paths:
        raise ValueError(
            f"{where}: there are {count} paths (about {count:.2g}), more than max_paths={max_paths}; "
            f"listing them all would not finish. Pass max_paths={count} (or more) if you really mean it, "
            "or use count_paths() to count them"
        )


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
