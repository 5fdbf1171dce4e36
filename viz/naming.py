"""Display names and groups of a diagram, derived from data: a model's structure and a names dict.

The engine labels nothing: a node's ``label`` is only what a user set.  The names a diagram
shows (``w_DA``, ``s_D``, ``h_D``, the cluster ``D``) come from here, once per diagram:

* ``names`` maps a **structural name** to a display name.  Structural names are the ones
  :meth:`~autograd_nn.nn.Module.named_modules` and
  :meth:`~autograd_nn.nn.Module.named_parameters` give (``layers.0.neurons.1``,
  ``layers.0.neurons.1.w.0``, ``layers.0.neurons.1.b``), plus ``inputs.<k>`` for input k.
  :data:`autograd_nn.lecture.XOR_NAMES` is the lecture's.
* Entries that are missing get defaults: neuron ``layers.i.neurons.j`` is ``L{i}.N{j}``, its
  parameters ``L{i}.N{j}.w{k}`` and ``L{i}.N{j}.b`` (after the neuron's display name, so
  ``D.w0`` when only the neuron is named), another parameter of the model its structural name,
  input k ``x{k+1}``; the nodes a neuron computes are ``s_<neuron>`` (the weighted sum) and
  ``h_<neuron>`` (a hidden unit's output) or ``y_<neuron>`` (an output unit's).
* An entry of ``names`` wins over a node's own ``label``, which wins over a default.

The groups (which nodes each neuron computed: the clusters of :func:`viz.draw_graph` and its
``collapse=True`` boxes) are found from the model's structure and the graph, never from a slot on
the node: a neuron's bias is a parent of exactly its sum node (the ``"wsum"`` node, or with
``expanded=True`` the last ``+``); its activation node is the child of that sum whose op is the
neuron's activation; in expanded mode its ``*`` and inner ``+`` nodes are found by walking down
from the sum through ``+`` nodes and ``*`` nodes that have one of the neuron's own weights as a
parent.  A neuron run on several inputs (a loss over a batch) has one sum per run, all in its group.
The inputs are the operands multiplied by the first layer's weights.

Example:
    >>> from autograd_nn.graph import topological_order
    >>> from autograd_nn.lecture import XOR_NAMES, xor_network
    >>> net = xor_network()
    >>> y = net([1.0, 0.0])[0]
    >>> naming = graph_naming(topological_order(y), model=net, names=XOR_NAMES)
    >>> naming.name(y), naming.group(y), naming.name(y.parents[0])
    ('y_G', 'G', 's_G')
    >>> naming.name(net.layers[0].neurons[0].w[0]), naming.group_order
    ('w_DA', ['D', 'E', 'G'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from autograd_nn import ops

from ._util import describe, is_tensor_node, operand_partner

__all__ = [
    "ModelNames", "Naming", "NeuronNames", "default_name", "graph_naming", "model_names", "parameter_rule",
]

_ADD = ops.get("+")
_MUL = ops.get("*")
_INPUT_KEY = re.compile(r"inputs\.(\d+)")
# The short form of a structural path: layers.1.neurons.0 -> L1.N0.
_SHORT = {"layers": "L", "neurons": "N"}


@dataclass
class NeuronNames:
    """One neuron of a model as a diagram names it.

    Attributes:
        path: its structural name (``layers.0.neurons.1``; ``""`` when the model is the neuron).
        neuron: the neuron itself (``w``, ``b``, ``activation``).
        name: its display name (``E``, or the default ``L0.N1``).
        output: whether it is in the model's output layer (its output reads ``y_<name>``,
            else ``h_<name>``).
        params: the display names of its weights, then of its bias.

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, xor_network
        >>> g = model_names(xor_network(), XOR_NAMES).layers[1][0]
        >>> g.path, g.name, g.output, g.params
        ('layers.1.neurons.0', 'G', True, ['w_GD', 'w_GE', 'w_GF'])
    """

    path: str
    neuron: object
    name: str
    output: bool
    params: list[str] = field(default_factory=list)


@dataclass
class ModelNames:
    """The display names of a model's neurons, parameters and inputs (no graph needed).

    Attributes:
        layers: the neurons layer by layer (one layer for a ``Layer`` or a single ``Neuron``).
        params: ``id(parameter) -> (structural name, display name)`` for every parameter.
        inputs: the display names of the model's inputs (``x1``, ``x2``, ...).
        explicit: the structural names that ``names`` gave (they win over a node's label).

    Example:
        >>> from autograd_nn.nn import MLP
        >>> info = model_names(MLP(2, [2, 1], seed=0), {"layers.1.neurons.0": "out"})
        >>> [[n.name for n in layer] for layer in info.layers], info.inputs
        ([['L0.N0', 'L0.N1'], ['out']], ['x1', 'x2'])
        >>> info.layers[1][0].params
        ['out.w0', 'out.w1', 'out.b']
    """

    layers: list[list[NeuronNames]]
    params: dict[int, tuple[str, str]]
    inputs: list[str]
    explicit: set[str]

    @property
    def neurons(self) -> list[NeuronNames]:
        """Every neuron, layer by layer (the order clusters read top-down).

        Example:
            >>> from autograd_nn.nn import MLP
            >>> [n.path for n in model_names(MLP(1, [1, 1], seed=0)).neurons]
            ['layers.0.neurons.0', 'layers.1.neurons.0']
        """
        return [n for layer in self.layers for n in layer]


def default_name(path: str) -> str:
    """The default display name of a neuron at the structural name ``path``.

    Example:
        >>> default_name("layers.2.neurons.10"), default_name("neurons.1"), default_name("")
        ('L2.N10', 'N1', 'N')
    """
    if not path:
        return "N"
    parts = path.split(".")
    out = []
    for k, part in enumerate(parts):
        if part.isdigit() and k > 0 and parts[k - 1] in _SHORT:
            out[-1] += part
        else:
            out.append(_SHORT.get(part, part))
    return ".".join(out)


def _check_names(names) -> dict[str, str]:
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(
            f"names must be a dict from structural names (e.g. 'layers.0.neurons.0') to display names, "
            f"got {describe(names)}"
        )
    for key, value in names.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"names maps str to str; got {key!r}: {value!r}")
    return dict(names)


def _layers_of(model) -> list[list[tuple[str, object]]]:
    """The neurons of ``model`` with their structural names, layer by layer.

    An MLP (anything with ``layers[i].neurons[j]``), a layer (``neurons[j]``) or one neuron
    (``w`` and ``b``); anything else has none.
    """
    layers = getattr(model, "layers", None)
    if isinstance(layers, (list, tuple)) and all(
        isinstance(getattr(layer, "neurons", None), (list, tuple)) for layer in layers
    ):
        return [
            [(f"layers.{i}.neurons.{j}", n) for j, n in enumerate(layer.neurons)]
            for i, layer in enumerate(layers)
        ]
    neurons = getattr(model, "neurons", None)
    if isinstance(neurons, (list, tuple)):
        return [[(f"neurons.{j}", n) for j, n in enumerate(neurons)]]
    if isinstance(getattr(model, "w", None), (list, tuple)) and hasattr(model, "b"):
        return [[("", model)]]
    return []


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def model_names(model, names=None) -> ModelNames:
    """The display names of ``model``'s neurons, parameters and inputs from ``names`` and defaults.

    Raises:
        ValueError: when ``names`` has a key that is no structural name of ``model`` (a typo, or
            the names of another network), naming the unknown keys.

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, xor_network
        >>> info = model_names(xor_network(), XOR_NAMES)
        >>> [n.name for n in info.neurons], info.layers[0][0].params
        (['D', 'E', 'G'], ['w_DA', 'w_DB', 'w_DC'])
    """
    names = _check_names(names)
    found = _layers_of(model)
    layers: list[list[NeuronNames]] = []
    params: dict[int, tuple[str, str]] = {}
    for i, layer in enumerate(found):
        infos = []
        for path, neuron in layer:
            name = names.get(path) or default_name(path)
            info = NeuronNames(path, neuron, name, output=i == len(found) - 1)
            for k, w in enumerate(neuron.w):
                key = _join(path, f"w.{k}")
                info.params.append(names.get(key) or f"{name}.w{k}")
                params.setdefault(id(w), (key, info.params[-1]))
            if getattr(neuron, "b", None) is not None:
                key = _join(path, "b")
                info.params.append(names.get(key) or f"{name}.b")
                params.setdefault(id(neuron.b), (key, info.params[-1]))
            infos.append(info)
        layers.append(infos)
    known = {info.path for layer in layers for info in layer} | {key for key, _ in params.values()}
    if hasattr(model, "named_parameters"):
        for key, p in model.named_parameters():
            known.add(key)
            params.setdefault(id(p), (key, names.get(key) or key))
    if hasattr(model, "named_modules"):
        known.update(key for key, _ in model.named_modules())
    nin = len(found[0][0][1].w) if found else getattr(model, "nin", None)
    inputs = [names.get(f"inputs.{k}") or f"x{k + 1}" for k in range(nin or 0)]
    unknown = []
    for key in names:
        m = _INPUT_KEY.fullmatch(key)
        if key not in known and not (m and (nin is None or int(m.group(1)) < nin)):
            unknown.append(key)
    if unknown:
        raise ValueError(
            f"names has {len(unknown)} key(s) that name nothing in the {type(model).__name__}: "
            f"{', '.join(map(repr, sorted(unknown)))}; keys are structural names as named_modules() and "
            f"named_parameters() give them (e.g. 'layers.0.neurons.0', 'layers.0.neurons.0.w.0') or "
            f"'inputs.<k>'"
        )
    return ModelNames(layers, params, inputs, set(names))


class Naming:
    """The display names and groups of the nodes of one graph (see :func:`graph_naming`).

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(1.0, label="x"); y = x * 2
        >>> naming = Naming()
        >>> naming.name(x), naming.name(y), naming.group(y)
        ('x', '', None)
    """

    def __init__(self, names: dict[int, str] | None = None, groups: dict[int, str] | None = None,
                 group_order: list[str] | None = None) -> None:
        self._names = names or {}
        self._groups = groups or {}
        #: the neurons' display names in the model's order (D, E, G): clusters read top-down so
        self.group_order: list[str] = group_order or []

    def name(self, node) -> str:
        """The name a diagram shows for ``node`` ("" for none).

        Example:
            >>> from autograd_nn import Value
            >>> Naming().name(Value(2.0, label="w"))
            'w'
        """
        return self._names.get(id(node)) or getattr(node, "label", "") or ""

    def group(self, node) -> str | None:
        """The display name of the neuron that computed ``node`` (or owns it), else None.

        Example:
            >>> from autograd_nn import Value
            >>> Naming().group(Value(2.0)) is None
            True
        """
        return self._groups.get(id(node))

    @property
    def has_groups(self) -> bool:
        """Whether any node of the graph belongs to a neuron.

        Example:
            >>> Naming().has_groups
            False
        """
        return bool(self._groups)


def graph_naming(topo, model=None, names=None) -> Naming:
    """Names and groups of the nodes ``topo`` (one graph in topological order) for a diagram.

    Without ``model`` a node shows its own label and there are no groups; ``names`` needs a
    model (its keys are the model's structural names).  Every op of the graph is looked up in
    the op table once here, so a node whose op the table does not know raises
    :class:`~autograd_nn.ops.UnknownOpError` before anything is drawn.

    Example:
        >>> from autograd_nn.graph import topological_order
        >>> from autograd_nn.nn import MLP
        >>> model = MLP(2, [2, 1], seed=0, expanded=True)
        >>> y = model([1.0, 2.0])[0]
        >>> naming = graph_naming(topological_order(y), model=model)
        >>> s = y.parents[0]                 # expanded: the last + of the output neuron
        >>> naming.name(y), naming.name(s), naming.group(s.parents[0]), naming.name(s.parents[1])
        ('y_L1.N0', 's_L1.N0', 'L1.N0', 'L1.N0.b')
    """
    for op in {n.op for n in topo if n.op}:
        ops.get(op)
    if model is None:
        if names:
            raise ValueError(
                "names= gives display names by the model's structural names ('layers.0.neurons.0', ...): "
                "pass the model too (model=...)"
            )
        return Naming()
    info = model_names(model, names)
    by_id = {id(n): n for n in topo}
    consumers: dict[int, list[tuple[object, int]]] = {}
    for node in topo:
        for i, parent in enumerate(node.parents):
            consumers.setdefault(id(parent), []).append((node, i))
    shown: dict[int, str] = {}
    groups: dict[int, str] = {}

    def put(node, key: str | None, display: str) -> None:
        # An entry of `names` wins over the node's own label, which wins over a default; the
        # first rule to name a node keeps it (a parameter is never renamed as an input).
        if id(node) in shown:
            return
        if (key is not None and key in info.explicit) or not getattr(node, "label", ""):
            shown[id(node)] = display

    for pid, (key, display) in info.params.items():
        if pid in by_id:
            put(by_id[pid], key, display)
    for neuron in info.neurons:
        _name_neuron(neuron, consumers, by_id, put, groups)
    for neuron in info.layers[0] if info.layers else []:
        for k, w in enumerate(neuron.neuron.w):
            for child, i in consumers.get(id(w), ()):
                x = operand_partner(child, i)
                if x is not None and id(x) not in info.params:
                    put(x, f"inputs.{k}", info.inputs[k])
    return Naming(shown, groups, [n.name for n in info.neurons])


def _name_neuron(neuron: NeuronNames, consumers, by_id, put, groups) -> None:
    """Name and group the parameters and the nodes one neuron computed in the graph."""
    n = neuron.neuron
    for p in (*n.w, n.b):
        if id(p) in by_id:
            groups.setdefault(id(p), neuron.name)
    weights = {id(w) for w in n.w}
    out = "y" if neuron.output else "h"
    # The bias is a parent of exactly the neuron's sum: one per run of the neuron in the graph.
    for s, _ in consumers.get(id(n.b), ()):
        op = ops.get(s.op)
        if op.constant == "layout":
            members = [s]
        elif op is _ADD:
            members = _expanded_members(s, weights)
            if len(members) == 1:
                continue  # b + something that is not this neuron's product: not its sum
        else:
            continue
        act = [c for c, _ in consumers.get(id(s), ()) if c.op == n.activation]
        if act:
            put(s, None, f"s_{neuron.name}")
            put(act[0], None, f"{out}_{neuron.name}")
            members.append(act[0])
        else:  # a linear unit: its sum is its output
            put(s, None, f"{out}_{neuron.name}")
        for m in members:
            groups.setdefault(id(m), neuron.name)


def _expanded_members(s, weights: set[int]) -> list:
    """``s`` and the ``*`` and inner ``+`` nodes below it that build Σ w_k h_k of one neuron.

    Walks down through ``+`` nodes that add one of the neuron's products and takes every ``*``
    node with one of the neuron's weights as a parent; an input that is itself a sum is left out.
    """

    def product(node) -> bool:
        return node.op == _MUL.name and any(id(p) in weights for p in node.parents)

    def inner_sum(node) -> bool:
        return node.op == _ADD.name and any(product(p) for p in node.parents)

    members = [s]
    stack = [s]
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if product(parent):
                members.append(parent)
            elif inner_sum(parent):
                members.append(parent)
                stack.append(parent)
    return members


def parameter_rule(model=None, params=None):
    """Which leaves are parameters: a model's parameters, a given set, or the labelling rule.

    Without either, a Tensor is a parameter when it requires a gradient and a Value when its
    label reads like a weight (``w_...``, ``b_...``).  Returns a test ``node -> bool``.

    Example:
        >>> from autograd_nn import Value
        >>> rule = parameter_rule()
        >>> rule(Value(1.0, label="w_DA")), rule(Value(1.0, label="x1"))
        (True, False)
    """
    if model is not None:
        keys = {id(p) for p in model.parameters()}
        return lambda n: id(n) in keys
    if params is not None:
        keys = {id(p) for p in params}
        return lambda n: id(n) in keys

    def rule(n) -> bool:
        requires_grad = getattr(n, "requires_grad", None)
        if isinstance(requires_grad, bool) and is_tensor_node(n):
            return requires_grad
        label = getattr(n, "label", "") or ""
        return label.startswith(("w_", "b_"))

    return rule
