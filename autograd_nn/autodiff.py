"""``grad``: gradients as values of their own, for both engines, and derivatives of derivatives.

``backward()`` adds gradients into every node's ``.grad``; :func:`grad` instead returns the
gradients of some outputs with respect to some inputs and leaves every ``.grad`` untouched, as
``torch.autograd.grad`` does.  With ``create_graph=True`` the gradients it returns are nodes of
a graph of their own, built from the op table's derivatives on Values
(:func:`autograd_nn.ops.local_values`), so they can be differentiated again: second
derivatives, Newton's method, Hessian-vector products.
"""

from __future__ import annotations

import math

from . import ops
from .graph import AnomalyError, Node, enable_grad, is_anomaly_enabled, topological_order
from .tensor import Tensor
from .tensor.backward import tensor_grad
from .value import Value, _leaf_number, _name, check_values

__all__ = ["grad"]


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """The gradients of ``outputs`` with respect to each of ``inputs``, as a tuple.

    As ``torch.autograd.grad``: ``outputs`` is a node or a sequence of nodes, ``inputs`` likewise;
    the result holds one gradient per input (a ``Value`` for a ``Value`` input, a ``Tensor`` for
    a ``Tensor`` input), the sum over the outputs of d output / d input, each output weighted
    by its entry of ``grad_outputs`` (1 by default; required for a Tensor output of more than
    one element).  No ``.grad`` anywhere is changed.

    Args:
        outputs: what to differentiate (Values, or Tensors).
        inputs: with respect to what (nodes of the outputs' graph).
        grad_outputs: the weight of each output (numbers, or nodes when the result should
            depend on them); ``None`` means 1 for every output.
        retain_graph: whether the Tensor engine keeps what its ops saved for backward (default:
            ``create_graph``); a ``Value`` graph keeps everything anyway.
        create_graph: give gradients that carry a graph of their own, so they can be
            differentiated again; without it they are plain leaves.
        allow_unused: return ``None`` for an input the outputs do not depend on, instead of
            raising.

    Raises:
        ValueError: naming an input that is not in the graph of the outputs (unless
            ``allow_unused``), or a non-scalar output without ``grad_outputs`` (naming its shape).
        TypeError: for arguments that are not nodes, or Values and Tensors mixed.

    Example:
        >>> from autograd_nn import Value, grad
        >>> x = Value(3.0)
        >>> y = x ** 3
        >>> (dy,) = grad(y, x, create_graph=True)     # 3 x² = 27, itself a graph in x
        >>> (d2y,) = grad(dy, x)                        # 6 x = 18
        >>> dy.data, d2y.data, x.grad                   # .grad is untouched
        (27.0, 18.0, 0.0)
    """
    outputs = _as_list(outputs, "outputs")
    inputs = _as_list(inputs, "inputs")
    if not outputs or not inputs:
        raise ValueError(
            f"grad: needs at least one output and one input, got {len(outputs)} and {len(inputs)}"
        )
    if grad_outputs is not None:
        grad_outputs = _as_list(grad_outputs, "grad_outputs", nodes_only=False)
        if len(grad_outputs) != len(outputs):
            raise ValueError(
                f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs; give one per output"
            )
    engines = {type(n).__name__ for n in outputs + inputs}
    if all(isinstance(n, Value) for n in outputs + inputs):
        return _value_grad(outputs, inputs, grad_outputs, bool(create_graph), allow_unused)
    if all(isinstance(n, Tensor) for n in outputs + inputs):
        return tensor_grad(outputs, inputs, grad_outputs, retain_graph, bool(create_graph), allow_unused)
    raise TypeError(
        "grad: outputs and inputs must be all Values or all Tensors (one engine per call), "
        f"got {sorted(engines)}"
    )


def _as_list(x, what: str, nodes_only: bool = True) -> list:
    if isinstance(x, (list, tuple)):
        items = list(x)
    else:
        items = [x]
    if nodes_only:
        for i, item in enumerate(items):
            if not isinstance(item, Node):
                raise TypeError(
                    f"grad: {what}[{i}] must be a Value or a Tensor (a node of a graph), "
                    f"got {type(item).__name__}"
                )
    return items


def _value_grad(outputs, inputs, grad_outputs, create_graph: bool, allow_unused: bool) -> tuple:
    order = topological_order(outputs)
    seeds = []
    for i in range(len(outputs)):
        seed = 1.0 if grad_outputs is None else grad_outputs[i]
        if isinstance(seed, Value):
            if not create_graph:
                seed = seed.data
        else:
            seed = _leaf_number(seed, f"grad(grad_outputs[{i}])")
        seeds.append(seed)
    check = is_anomaly_enabled()
    if check:
        check_values(order)
    grads: dict = {}
    for out, seed in zip(outputs, seeds):
        _accumulate(grads, out, seed)
    if create_graph:
        # The gradients are built from Value operations: recorded even inside no_grad, as
        # create_graph asks (PyTorch runs such a backward in grad mode too).
        with enable_grad():
            _backpropagate(order, grads, check, create_graph=True)
    else:
        _backpropagate(order, grads, check, create_graph=False)
    in_graph = set(order)
    result = []
    for i, x in enumerate(inputs):
        if x not in in_graph:
            if allow_unused:
                result.append(None)
                continue
            raise ValueError(
                f"grad: input {i} ({_name(x)}) is not in the graph of the outputs, so they do not depend "
                "on it; pass allow_unused=True to get None for it"
            )
        g = grads.get(x, 0.0)
        result.append(g if isinstance(g, Value) else Value(g))
    return tuple(result)


def _accumulate(grads: dict, node, contribution) -> None:
    previous = grads.get(node)
    grads[node] = contribution if previous is None else previous + contribution


def _backpropagate(order: list, grads: dict, check: bool, create_graph: bool) -> None:
    """The chain rule over ``order`` (leaves first), into ``grads``: nothing else is touched."""
    for node in reversed(order):
        g = grads.get(node)
        if g is None:
            continue
        if check:
            _check_gradient(node, g)
        if not node.parents:
            continue
        if create_graph:
            local = ops.local_values(node)
            # d * 1.0 would be a useless node on the graph of the gradient.
            contributions = local if type(g) is float and g == 1.0 else [d * g for d in local]
        else:
            if not g:
                continue
            contributions = [d * g for d in node.local]
        for parent, contribution in zip(node.parents, contributions):
            _accumulate(grads, parent, contribution)


def _number(g) -> float:
    return g.data if isinstance(g, Value) else g


def _check_gradient(node, g) -> None:
    if not math.isfinite(_number(g)):
        raise AnomalyError(f"detect_anomaly: the gradient of {_name(node)} is {_number(g)!r}")
