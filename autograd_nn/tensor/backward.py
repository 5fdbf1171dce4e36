"""The backward engine of the tensor: order, accumulation, what is kept and freed, buffer reuse.

Two entry points share one pass over the graph (:func:`_propagate`):

* :func:`run_backward`, behind ``Tensor.backward``: adds the gradients into ``.grad``;
* :func:`tensor_grad`, behind ``autograd_nn.grad`` for Tensors: returns them and changes no
  ``.grad``; with ``create_graph=True`` it runs each op's ``vjp_tensor`` instead, so the
  gradients are Tensors with a graph of their own.

The policy, as in PyTorch:

* Order: the recorded nodes below the root, each before its parents (:func:`backward_order`;
  a chain, which most networks are, is walked without a search).  A node freed by an earlier
  backward is found here, before any work is done.
* Accumulation: a node's gradient is complete when its turn comes; contributions are summed in
  place into an array the engine owns, otherwise into a new one.  Every gradient's shape is
  checked against its operand's where it is accumulated.
* Nothing is written until the whole pass has succeeded: an anomaly, a vjp's shape error or any
  other exception leaves every ``.grad`` (leaves and retained intermediates) as it was.
* Kept gradients: the leaves that require grad; intermediates only after ``retain_grad()`` or,
  all of them, with ``retain_grads=True``.
* Freeing: without ``retain_graph`` each node's saved context is dropped once its vjp ran (and
  the op may reuse those arrays: ``vjp_into``); a second backward through it raises.
* Buffers: a gradient array the engine owns and has finished with is handed to the next vjp
  that needs one of its shape (:func:`~autograd_nn.tensor._arrays.spare`), so the backward
  passes of a training loop reuse their arrays instead of allocating new ones.

Example:
    >>> from autograd_nn import Tensor, grad
    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> grad(y, x)[0], x.grad is None          # returned, not written
    (Tensor([2., 4.], dtype=float64), True)
"""

from __future__ import annotations

import weakref

import numpy as np

from ..graph import AnomalyError, enable_grad, is_anomaly_enabled, topological_order
from ..value import Value
from ._arrays import first_index

__all__ = ["backward_order", "run_backward", "seed_array", "tensor_grad"]

_ndarray = np.ndarray

#: The context of a node whose vjp already ran in a backward without ``retain_graph``.
FREED = object()
#: Intermediate nodes whose gradient ``retain_grad()`` asked to keep, by id: a WeakSet would
#: compare nodes with ``==``, which is elementwise for Tensors.  An entry goes with its node.
RETAINED = weakref.WeakValueDictionary()


def run_backward(root, seed: np.ndarray, retain_graph: bool = False, retain_grads: bool = False) -> None:
    """Add d root / d leaf, seeded with ``seed`` (an array of root's shape, ours), into ``.grad``.

    The engine of :meth:`Tensor.backward <autograd_nn.Tensor.backward>`, which checks and
    copies the seed.

    Example:
        >>> import numpy as np
        >>> from autograd_nn import Tensor
        >>> x = Tensor([3.0], requires_grad=True)
        >>> run_backward(x * x, np.ones(1)); x.grad
        array([6.])
    """
    order = _order(root)
    check = is_anomaly_enabled()
    if check:
        _check_values(topological_order(root))
        _check_grad(seed, root, "the seed gradient")
    # Which nodes keep their gradient: decided once, not per node (retain_grad() is rare).  (The
    # dictionary's own dict of references: its len() is a Python method, on every backward.)
    keep = set(RETAINED.values()) if RETAINED.data and not retain_grads else None
    if not order:  # the root is a leaf
        _write([], {root: seed} if root.requires_grad else {})
        return
    leaves: dict = {}
    kept = _propagate(order, {root: seed}, {root}, leaves, not retain_graph, retain_grads, keep, check)
    _write(kept, leaves)


def backward_order(roots, check_freed: bool = True) -> list:
    """The recorded (non-leaf) nodes below ``roots``, each before its parents: the backward order.

    With ``check_freed``, raises the freed-graph error if any of them was freed by an earlier
    backward.  Leaves are not listed: they get their gradients from their children.

    Example:
        >>> from autograd_nn import Tensor
        >>> x = Tensor([1.0], requires_grad=True)
        >>> [n.op for n in backward_order([(x.exp() * 2).sum()])]
        ['sum', '*', 'exp']
    """
    if len(roots) == 1:
        return _order(roots[0], check_freed)
    return _search([r for r in roots if r._fn is not None], check_freed)


def _order(root, check_freed: bool = True) -> list:
    """:func:`backward_order` of one root.  A network is mostly a chain (each op has one recorded
    operand), walked here without a search; anything else gets a depth-first search."""
    if root._fn is None:
        return []
    chain = []
    node = root
    while True:
        if check_freed and node._ctx is FREED:
            raise _freed_error(node)
        chain.append(node)
        nxt = None
        for p in node.parents:
            if p._fn is not None:
                if nxt is not None:
                    return _search([root], check_freed)  # two recorded operands, or one used twice
                nxt = p
        if nxt is None:
            return chain
        node = nxt


def _search(roots: list, check_freed: bool) -> list:
    """Post-order depth-first search over recorded nodes; reversed, children come before parents."""
    order = []
    state: dict = {}
    stack = list(reversed(roots))
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        seen = state.get(node)
        if seen is None:
            if check_freed and node._ctx is FREED:
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


def _propagate(order, pending, free_grads, leaves, free, keep_all, keep, check, needs_of=None) -> list:
    """The chain rule over ``order`` with array vjps; returns ``[(node, grad)]`` for the kept nodes.

    ``pending`` maps the nodes of ``order`` to their gradient so far (the roots' seeds on
    entry); ``free_grads`` holds the nodes whose pending gradient is an array no one else holds,
    which a vjp may reuse in place.  The leaves' gradients are collected in ``leaves``, each an
    array of its own in the leaf's dtype.  Nothing else is changed, except that with ``free``
    each node's saved context is dropped once its vjp ran.  ``needs_of`` overrides the nodes'
    own ``needs`` (:func:`tensor_grad` prunes the branches it does not want).
    """
    kept = []
    keeping = keep_all or keep is not None
    pop = pending.pop
    get = pending.get
    leaf_get = leaves.get
    for node in order:
        g = pop(node, None)
        if g is None:
            continue  # a custom vjp returned None for a node that requires grad
        g_is_free = node in free_grads
        if keeping and (keep_all or node in keep):
            # Kept as it is only when it is ours alone: a gradient passed through (+) or a view
            # (sum's broadcast) is some other node's array too.
            kept.append((node, g if g_is_free else g.copy()))
            g_is_free = False
        fn = node._fn
        needs = node._needs if needs_of is None else needs_of[node]
        if free:
            into = fn.vjp_into
            if into is None:
                grads = fn.vjp(node._ctx, g, needs)
            else:
                grads = into(node._ctx, g, needs, g_is_free)
            node._ctx = FREED
        else:
            grads = fn.vjp(node._ctx, g, needs)
        for parent, pg in zip(node.parents, grads):
            if pg is None:
                continue
            # The one place every gradient's shape is checked against its operand's.
            if pg.shape != parent.data.shape:
                raise _vjp_shape_error(node, parent, pg)
            if check:
                _check_grad(pg, node, f"the backward of {_name(node)}")
            if parent._fn is None:
                if parent.requires_grad:
                    # A leaf (a parameter) gets an array of its own and of its own dtype: a
                    # gradient passed straight through (+) or a view of one is another node's
                    # too, and would change under an optimiser that updates it in place.
                    if (pg is g or type(pg) is not _ndarray or pg.base is not None
                            or pg.dtype != parent.data.dtype):
                        pg = np.array(pg, dtype=parent.data.dtype)  # a copy, and an array
                    prev = leaf_get(parent)
                    if prev is None:
                        leaves[parent] = pg
                    else:
                        prev += pg  # ours, in the leaf's dtype
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
                else:
                    free_grads.discard(parent)
    return kept


def _write(kept: list, leaves: dict) -> None:
    """Add the pass's gradients into ``.grad``: the kept intermediates' and the leaves'.

    Every new ``.grad`` is computed before the first is assigned, so even a failure here (a
    ``.grad`` of the wrong shape set by hand) leaves every gradient as it was.
    """
    if kept:
        kept = [(node, g if node.grad is None else node.grad + g) for node, g in kept]
    for leaf in leaves:
        if leaf.grad is not None:  # (rare in a training loop, which zeroes the gradients first)
            _add_old_grads(leaves)
            break
    # Nothing can fail from here on.
    for node, g in kept:
        node.grad = g
    for leaf, g in leaves.items():
        leaf.grad = g


def _add_old_grads(leaves: dict) -> None:
    for leaf, g in leaves.items():
        if leaf.grad is not None:
            leaves[leaf] = leaf.grad + g


# -- grad() for tensors --------------------------------------------------------------------------


def tensor_grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
                allow_unused=False) -> tuple:
    """``autograd_nn.grad`` for Tensors (see there): one gradient per input, no ``.grad`` changed.

    Example:
        >>> from autograd_nn import Tensor
        >>> x = Tensor([3.0], requires_grad=True)
        >>> (d,) = tensor_grad([(x ** 3).sum()], [x], create_graph=True)   # 3x² = 27
        >>> (dd,) = tensor_grad([d.sum()], [x])                            # 6x = 18
        >>> d.item(), dd.item(), d.requires_grad, dd.requires_grad
        (27.0, 18.0, True, False)
    """
    if retain_graph is None:
        retain_graph = create_graph
    node_class = type(outputs[0])
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(
                f"grad: output {i} does not require grad (no input had requires_grad=True, or it was "
                "computed under no_grad())"
            )
    seeds = [
        _seed(out, None if grad_outputs is None else grad_outputs[i], i, create_graph)
        for i, out in enumerate(outputs)
    ]
    topo = topological_order(list(outputs))
    in_graph = set(topo)
    for i, x in enumerate(inputs):
        if x in in_graph and not x.requires_grad:
            raise ValueError(f"grad: input {i} ({_name(x)}) does not require grad, so it has no gradient")
        if x not in in_graph and not allow_unused:
            raise ValueError(
                f"grad: input {i} ({_name(x)}) is not in the graph of the outputs, so they do not depend "
                "on it; pass allow_unused=True to get None for it"
            )
    # Only the nodes on a path from an output down to an input are visited, and a vjp is asked
    # only for the operands on such a path (an op with no differentiable vjp elsewhere is fine).
    wanted = set(inputs)
    reach = set()
    for node in topo:
        if node in wanted or any(p in reach for p in node.parents):
            reach.add(node)
    order = [n for n in backward_order(outputs, check_freed=False) if n in reach]
    for node in order:
        if node._ctx is FREED:
            raise _freed_error(node)
    needs_of = {
        n: tuple([need and p in reach for need, p in zip(n._needs, n.parents)]) for n in order
    }
    check = is_anomaly_enabled()
    if check:
        _check_values(topo)
        for out, seed in zip(outputs, seeds):
            _check_grad(seed.data if create_graph else seed, out, "the seed gradient")
    # An intermediate input's gradient is taken as it passes (it is complete at its turn).
    capture = {x for x in inputs if x._fn is not None}
    if create_graph:
        grads, leaves = _propagate_tensors(order, outputs, seeds, capture, needs_of, not retain_graph, check)
    else:
        pending, free_grads, leaves = {}, set(), {}
        for out, seed in zip(outputs, seeds):
            target = leaves if out._fn is None else pending
            prev = target.get(out)
            target[out] = seed if prev is None else prev + seed
            free_grads.add(out)
        kept = _propagate(order, pending, free_grads, leaves, not retain_graph, False, capture or None,
                          check, needs_of)
        grads = dict(kept)
    result = []
    given = set()  # ids of the arrays handed out: an input listed twice gets two
    for x in inputs:
        if x not in in_graph:
            result.append(None)
            continue
        g = grads.get(x) if x._fn is not None else leaves.get(x)
        if create_graph:
            if g is None:
                g = node_class(np.zeros(x.data.shape, dtype=x.data.dtype))
            elif g.data.dtype != x.data.dtype:
                g = g.astype(x.data.dtype)
            result.append(g)
        else:
            # A plain leaf holding an array of its own (the pass made it), in the input's dtype.
            dtype = x.data.dtype
            if g is None:
                g = np.zeros(x.data.shape, dtype=dtype)
            elif type(g) is not _ndarray or g.dtype != dtype or id(g) in given:
                g = np.array(g, dtype=dtype)
            given.add(id(g))
            result.append(node_class(g))
    return tuple(result)


def seed_array(given, dtype: np.dtype, what: str) -> np.ndarray:
    """The seed ``given`` (numbers, a list, an array) as a new array of ``dtype``, or a TypeError.

    Real numbers only (float, int or bool, as PyTorch takes them): anything else is a TypeError
    that names ``what`` and the type given, a complex seed too, whose imaginary part numpy's
    cast would drop with only a warning.  Always a copy: the seed becomes gradients (and a
    leaf's ``.grad``) that the engine and optimisers may change in place, and the caller's array
    must stay as it was.  The one check of the seeds of ``backward`` and ``grad``.

    Example:
        >>> seed_array([1, 0], np.dtype(np.float32), "backward: grad")
        array([1., 0.], dtype=float32)
        >>> seed_array([1j], np.dtype(np.float64), "backward: grad")
        Traceback (most recent call last):
        ...
        TypeError: backward: grad must hold real numbers (float, int or bool), got list of dtype complex128
    """
    got = type(given).__name__
    if isinstance(given, Value):
        raise TypeError(f"{what} is a Value, but the outputs are Tensors: one engine per call (use .data)")
    try:
        kind = np.asarray(given).dtype
    except ValueError as error:  # a ragged list
        raise TypeError(f"{what} must be an array of real numbers, got {got}: {error}") from None
    if kind.kind not in "fiub":
        detail = f" of dtype {kind}" if isinstance(given, (_ndarray, np.generic, list, tuple)) else ""
        raise TypeError(f"{what} must hold real numbers (float, int or bool), got {got}{detail}")
    return np.array(given, dtype=dtype)


def _seed(out, given, i: int, create_graph: bool):
    """The seed for output ``i``: an array (or, for ``create_graph``, a Tensor) of its shape."""
    shape, dtype = out.data.shape, out.data.dtype
    node_class = type(out)
    if given is None:
        if out.data.size != 1:
            raise ValueError(
                f"grad: output {i} has shape {shape}; a gradient can be implied only for a one-element "
                f"output: pass grad_outputs with an array of shape {shape} for it"
            )
        seed = np.ones(shape, dtype=dtype)
        return node_class(seed) if create_graph else seed
    if isinstance(given, node_class):
        if given.data.shape != shape:
            raise ValueError(
                f"grad: grad_outputs[{i}] has shape {given.data.shape}, output {i} has shape {shape}"
            )
        if create_graph:
            # A seed that requires grad makes the gradients depend on it (a Jacobian-vector trick).
            return given if given.data.dtype == dtype else given.astype(dtype)
        given = given.data
    seed = seed_array(given, dtype, f"grad: grad_outputs[{i}]")
    if seed.shape != shape:
        raise ValueError(f"grad: grad_outputs[{i}] has shape {seed.shape}, output {i} has shape {shape}")
    return node_class(seed) if create_graph else seed


def _propagate_tensors(order, outputs, seeds, capture, needs_of, free, check) -> tuple[dict, dict]:
    """The chain rule with each op's ``vjp_tensor``: the gradients are Tensors, graphs themselves.

    Returns ``(captured, leaves)``: the gradients of the intermediate nodes in ``capture``, and
    of the leaves reached.
    """
    for node in order:
        if node._fn.vjp_tensor is None:
            raise RuntimeError(
                f"grad(create_graph=True): the op {node.op!r} ({node._fn.__name__}) has no differentiable "
                "vjp (vjp_tensor), so its gradient cannot be differentiated again; no gradient was computed"
            )
    pending: dict = {}
    for out, seed in zip(outputs, seeds):
        prev = pending.get(out)
        pending[out] = seed if prev is None else prev + seed
    captured = {}
    # The vjps are Tensor operations: recorded even inside no_grad, as create_graph asks (PyTorch
    # runs such a backward in grad mode too).
    with enable_grad():
        for node in order:
            g = pending.pop(node, None)
            if g is None:
                continue
            if node in capture:
                captured[node] = g
            grads = node._fn.vjp_tensor(node._ctx, g, needs_of[node], node.parents, node)
            if free:
                node._ctx = FREED
            for parent, pg in zip(node.parents, grads):
                if pg is None:
                    continue
                if pg.data.shape != parent.data.shape:
                    raise _vjp_shape_error(node, parent, pg.data)
                if check:
                    _check_grad(pg.data, node, f"the backward of {_name(node)}")
                prev = pending.get(parent)
                pending[parent] = pg if prev is None else prev + pg
    leaves = {n: g for n, g in pending.items() if n._fn is None}
    return captured, leaves


# -- errors and anomaly checks ---------------------------------------------------------------------


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
            index = first_index(~np.isfinite(data))
            bad = data[index].item()
            if node._fn is None:
                raise AnomalyError(f"detect_anomaly: {_name(node)} holds {bad!r} at index {index}")
            raise AnomalyError(
                f"detect_anomaly: the forward of {_name(node)} produced {bad!r} at index {index} "
                f"(its inputs had shapes {[p.data.shape for p in node.parents]})"
            )


def _check_grad(g, node, what: str) -> None:
    g = np.asarray(g)
    if g.dtype.kind == "f" and not np.isfinite(g).all():
        index = first_index(~np.isfinite(g))
        bad = g[index].item()
        raise AnomalyError(f"detect_anomaly: {what} produced the gradient {bad!r} at index {index}")
