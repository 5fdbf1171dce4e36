"""The lecture's examples as code, with its numbers.

- Threshold logic units of the slides: :func:`conjunction_tlu` (3x1 + 2x2 >= 4),
  :func:`implication_tlu` (x2 → x1: 2x1 − 2x2 >= −1), :func:`three_input_tlu` (one TLU for
  (x1 ∧ ¬x2) ∨ (x1 ∧ x3) ∨ (¬x2 ∧ x3): weights 2, −2, 2, threshold 1), and
  :func:`biconditional_network`, x1 ↔ x2 as (x1 → x2) ∧ (x2 → x1) from two TLUs and a third.
- The worked example: :func:`xor_network` (the slides' 2-2-1 sigmoid network with units D, E,
  G, whose names are the data :data:`XOR_NAMES`, made by :func:`slide_names`),
  :func:`worked_example` (input (1, 0), target 1, μ = 10, forward and backward done),
  :func:`delta_rule` (the same numbers by the lecture's delta rule, written out by hand, no
  autograd), :func:`delta_table` (the slide-style table for any small network), and
  :func:`slide_numbers` (the slides' own rounded figures, and the one the slides got wrong).
- :func:`train_xor`: a fresh 2-2-1 sigmoid MLP trained to XOR with SGD from a fixed seed.

Names for people are data here, never part of a model: a dict from the structural name of a
neuron, parameter or input (``layers.0.neurons.0``, ``layers.0.neurons.0.w.0``, ``inputs.0``, as
``named_modules()`` and ``named_parameters()`` give them) to the slide's name (``D``, ``w_DA``,
``x1``).  Hand it to the diagrams: ``viz.draw_graph(ex.error, model=ex.model, names=ex.names)``.

The slides round intermediates (hidden .90 and .17, output .76); the library computes in full
precision (output .7645, δ_G = .0424 instead of the slide's .0434).  One slide figure is wrong:
δ_E uses y'_E = .2055, but with h_E = .168 the sigmoid's derivative is h_E (1 − h_E) = .1398,
so δ_E is −.0316 (slide: −.0464) and Δw_EA is −.316 (slide: −.464).

Example:
    >>> from autograd_nn import lecture
    >>> ex = lecture.worked_example()
    >>> [round(h.data, 4) for h in ex.hidden], round(ex.output.data, 4)
    ([0.9002, 0.168], 0.7645)
    >>> round(ex.deltas()["G"], 4), round(ex.updates()["w_GD"], 4)
    (0.0424, 0.3816)
    >>> ex.names["layers.0.neurons.0.w.0"], ex.names["layers.1.neurons.0"]
    ('w_DA', 'G')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import losses
from .data import XOR
from .nn.scalar import MLP, TLU, Neuron, TLUNetwork
from .optim import SGD
from .train import fit
from .value import Value

# -- threshold logic units ----------------------------------------------------------------------


def conjunction_tlu() -> TLU:
    """The slides' TLU for x1 ∧ x2: 3 x1 + 2 x2 >= 4.

    Example:
        >>> from autograd_nn.lecture import conjunction_tlu
        >>> unit = conjunction_tlu()
        >>> [unit([a, b]).data for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [0.0, 0.0, 0.0, 1.0]
    """
    return TLU([3.0, 2.0], 4.0)


def implication_tlu() -> TLU:
    """The slides' TLU for the implication x2 → x1: 2 x1 − 2 x2 >= −1.

    Example:
        >>> from autograd_nn.lecture import implication_tlu
        >>> unit = implication_tlu()
        >>> [unit([a, b]).data for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [1.0, 1.0, 0.0, 1.0]
    """
    return TLU([2.0, -2.0], -1.0)


def three_input_tlu() -> TLU:
    """One TLU for (x1 ∧ ¬x2) ∨ (x1 ∧ x3) ∨ (¬x2 ∧ x3): 2 x1 − 2 x2 + 2 x3 >= 1.

    The function is true when at least two of x1, ¬x2, x3 hold, so one plane separates it.

    Example:
        >>> from autograd_nn.lecture import three_input_tlu
        >>> from autograd_nn.data import THREE_INPUT
        >>> unit = three_input_tlu()
        >>> all(unit(list(x)).data == t for x, t in THREE_INPUT)
        True
    """
    return TLU([2.0, -2.0, 2.0], 1.0)


def biconditional_network() -> TLUNetwork:
    """x1 ↔ x2 ≡ (x1 → x2) ∧ (x2 → x1): two implication TLUs, then a conjunction TLU.

    Hidden y1 = x1 → x2 (−2 x1 + 2 x2 >= −1), y2 = x2 → x1 (2 x1 − 2 x2 >= −1); output
    y1 ∧ y2 (2 y1 + 2 y2 >= 3) (the names are :data:`BICONDITIONAL_NAMES`).  Calling the
    network returns a list of one Value.

    Example:
        >>> from autograd_nn.lecture import biconditional_network
        >>> net = biconditional_network()
        >>> [net([a, b])[0].data for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [1.0, 0.0, 0.0, 1.0]
    """
    return TLUNetwork([[TLU([-2.0, 2.0], -1.0), TLU([2.0, -2.0], -1.0)], [TLU([2.0, 2.0], 3.0)]])


#: The slides' names of the units of :func:`biconditional_network`, keyed by structural name.
BICONDITIONAL_NAMES = {"layers.0.0": "y1", "layers.0.1": "y2", "layers.1.0": "y"}


# -- the worked example ----------------------------------------------------------------------------

#: The slides' weights: {neuron: (weights from the inputs, bias)}.
XOR_WEIGHTS = {
    "D": ((3.7, 3.7), -1.5),
    "E": ((2.9, 2.9), -4.5),
    "G": ((4.5, -5.2), -2.0),
}


def slide_names(
    units: Sequence[Sequence[str]], inputs: Sequence[str], bias_units: Sequence[str]
) -> dict[str, str]:
    """The lecture's names for an MLP's neurons, weights and inputs, keyed by structural name.

    ``units[i][j]`` names neuron j of layer i; ``inputs`` name the input units and ``bias_units``
    the constant unit feeding each layer's biases.  The weight from unit k into unit j is
    ``w_jk``, the bias of unit j ``w_j<its bias unit>`` (a weight from a unit that is always 1).
    The inputs' values are called x1, x2, ... (``inputs.0``, ``inputs.1``, ...).

    Example:
        >>> names = slide_names([["D", "E"], ["G"]], ["A", "B"], ["C", "F"])
        >>> names["layers.0.neurons.1"], names["layers.0.neurons.1.w.0"], names["layers.1.neurons.0.b"]
        ('E', 'w_EA', 'w_GF')
        >>> names["inputs.1"]
        'x2'
    """
    if len(bias_units) != len(units):
        raise ValueError(f"slide_names: {len(bias_units)} bias units for {len(units)} layers")
    names = {f"inputs.{k}": f"x{k + 1}" for k in range(len(inputs))}
    sources = list(inputs)
    for i, layer in enumerate(units):
        for j, unit in enumerate(layer):
            path = f"layers.{i}.neurons.{j}"
            names[path] = unit
            for k, source in enumerate(sources):
                names[f"{path}.w.{k}"] = f"w_{unit}{source}"
            names[f"{path}.b"] = f"w_{unit}{bias_units[i]}"
        sources = list(layer)
    return names


#: The slides' names of :func:`xor_network`: hidden units D and E, output G, inputs A and B (whose
#: values are x1 and x2), bias units C and F, weights w_DA ... w_GF.
XOR_NAMES = slide_names([["D", "E"], ["G"]], ["A", "B"], ["C", "F"])


def xor_network(expanded: bool = False) -> MLP:
    """The slides' 2-2-1 sigmoid network that computes XOR.

    Hidden D: w_DA = 3.7, w_DB = 3.7, bias w_DC = −1.5; hidden E: w_EA = 2.9, w_EB = 2.9, bias
    w_EC = −4.5; output G: w_GD = 4.5, w_GE = −5.2, bias w_GF = −2.0 (A, B are the inputs, C
    and F the bias units).  A plain :class:`~autograd_nn.nn.MLP`: the slides' names are the
    data :data:`XOR_NAMES`, for the diagrams and tables.

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, xor_network
        >>> net = xor_network()
        >>> [round(net([a, b])[0].data, 3) for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [0.225, 0.765, 0.765, 0.168]
        >>> [XOR_NAMES[name] for name, _ in net.named_parameters()][-3:]
        ['w_GD', 'w_GE', 'w_GF']
    """
    w = XOR_WEIGHTS
    return MLP.from_weights([[w["D"], w["E"]], [w["G"]]], activation="sigmoid", expanded=expanded)


def xor_outputs(model: MLP | None = None) -> list[tuple[tuple[float, float], float]]:
    """``(inputs, output)`` for the four XOR inputs (the slides' network by default).

    Example:
        >>> from autograd_nn.lecture import xor_outputs
        >>> [(x, y > 0.5) for x, y in xor_outputs()]
        [((0.0, 0.0), False), ((1.0, 0.0), True), ((0.0, 1.0), True), ((1.0, 1.0), False)]
    """
    model = xor_network() if model is None else model
    return [(x, model(list(x))[0].data) for x in XOR.inputs]


@dataclass
class WorkedExample:
    """The slides' worked example after forward and backward: every value and gradient filled.

    Fields: ``model`` (the :func:`xor_network`), ``inputs`` (leaf Values ``x1`` = 1.0, ``x2`` =
    0.0), ``target`` (1.0), ``learning_rate`` (μ = 10.0), ``hidden`` ([h_D, h_E]), ``output``
    (y_G), ``error`` (E = ½ (t − y)², labelled ``"E"``, ``backward()`` already called) and
    ``names`` (the slides' names, :data:`XOR_NAMES`, to hand to the diagrams with the model).

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> ex = worked_example()
        >>> ex.error.label, round(ex.error.data, 4), round(ex.weights["w_GD"].grad, 4)
        ('E', 0.0277, -0.0382)
    """

    model: MLP
    inputs: list[Value]
    target: float
    learning_rate: float
    hidden: list[Value]
    output: Value
    error: Value
    names: dict[str, str] = field(default_factory=lambda: dict(XOR_NAMES), repr=False)

    @property
    def weights(self) -> dict[str, Value]:
        """Every parameter by its slide name: ``{"w_DA": Value, ..., "w_GF": Value}``.

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> worked_example().weights["w_DC"].data
            -1.5
        """
        return {self.names[path]: p for path, p in self.model.named_parameters()}

    def deltas(self) -> dict[str, float]:
        """δ of each neuron read from autograd, δ = −dE/ds: ``{"D": .0171, "E": −.0308, "G": .0424}``.

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> round(worked_example().deltas()["G"], 4)
            0.0424
        """
        outputs = [*self.hidden, self.output]
        return {
            self.names[path]: -_sum_node(neuron, y).grad
            for (path, neuron), y in zip(_neurons(self.model), outputs)
        }

    def updates(self) -> dict[str, float]:
        """Δw = −μ dE/dw = μ δ h for every parameter, keyed by its slide name (``w_GD``, ...).

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> round(worked_example().updates()["w_DA"], 4)
            0.1713
        """
        # + 0.0 turns -0.0 (a zero gradient times -mu) into 0.0.
        return {name: -self.learning_rate * p.grad + 0.0 for name, p in self.weights.items()}


def _neurons(model: MLP) -> list[tuple[str, Neuron]]:
    """``(structural name, neuron)`` of every neuron of ``model``, layer by layer."""
    return [(path, m) for path, m in model.named_modules() if isinstance(m, Neuron)]


def _sum_node(neuron, y: Value) -> Value:
    """The node s of ``neuron`` whose output is ``y`` (``y`` itself for a linear neuron)."""
    return y if neuron.activation == "linear" else y.parents[0]


def worked_example(expanded: bool = False) -> WorkedExample:
    """The slides' example: :func:`xor_network` on input (1, 0), target 1, μ = 10, backward done.

    The inputs are leaf Values labelled ``x1`` and ``x2`` and the error is labelled ``E``, as
    a user labels their own nodes; the network's nodes carry no labels (its names are
    ``ex.names``).

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> ex = worked_example()
        >>> {k: round(v, 4) for k, v in ex.deltas().items()}
        {'D': 0.0171, 'E': -0.0308, 'G': 0.0424}
    """
    model = xor_network(expanded=expanded)
    x = [Value(1.0, label="x1"), Value(0.0, label="x2")]
    hidden = model.layers[0](x)
    output = model.layers[1](hidden)[0]
    error = losses.l2(output, 1.0)
    error.label = "E"
    error.backward()
    return WorkedExample(model, x, 1.0, 10.0, hidden, output, error, dict(XOR_NAMES))


# -- the delta rule by hand ------------------------------------------------------------------------


@dataclass
class DeltaRule:
    """What :func:`delta_rule` computes, per layer (input layer first).

    ``activations[0]`` are the inputs, ``activations[i + 1]`` the outputs of layer i; ``deltas[i]``
    the δ of each neuron of layer i; ``updates[i][j]`` the pair (Δweights, Δbias) of neuron j.

    Example:
        >>> from autograd_nn.lecture import delta_rule, xor_network
        >>> r = delta_rule(xor_network(), [1.0, 0.0], [1.0], learning_rate=10.0)
        >>> [round(h, 4) for h in r.activations[1]], [round(d, 4) for d in r.deltas[0]]
        ([0.9002, 0.168], [0.0171, -0.0308])
        >>> dw, db = r.updates[0][0]  # neuron D: Δw_DA, Δw_DB and the bias's Δw_DC
        >>> [round(u, 4) for u in dw], round(db, 4)
        ([0.1713, 0.0], 0.1713)
    """

    activations: list[list[float]]
    deltas: list[list[float]]
    updates: list[list[tuple[list[float], float]]]


def _activate(activation: str, s: float) -> tuple[float, float]:
    """The activation y of s and its derivative y', by hand."""
    if activation == "sigmoid":
        y = 1.0 / (1.0 + math.exp(-s)) if s >= 0.0 else math.exp(s) / (1.0 + math.exp(s))
        return y, y * (1.0 - y)
    if activation == "tanh":
        y = math.tanh(s)
        return y, 1.0 - y * y
    if activation == "relu":
        return (s, 1.0) if s > 0.0 else (0.0, 0.0)
    if activation == "linear":
        return s, 1.0
    if activation == "step":
        return (1.0 if s >= 0.0 else 0.0), 0.0
    raise ValueError(f"unknown activation {activation!r}")


def _spec(model) -> tuple[list, list[str]]:
    if isinstance(model, MLP):
        layers = [[([w.data for w in n.w], n.b.data) for n in layer.neurons] for layer in model.layers]
        return layers, [layer.neurons[0].activation for layer in model.layers]
    return [list(layer) for layer in model], ["sigmoid"] * len(model)


def delta_rule(model, inputs: Sequence[float], targets, learning_rate: float) -> DeltaRule:
    """The lecture's delta rule written out by hand on floats, without autograd.

    δ_j = (t_j − y_j) y'_j at the output, δ_i = (Σ_j w_ji δ_j) y'_i behind it, Δw_jk = μ δ_j h_k
    (the bias as a weight from a unit that is always 1).  ``model`` is an :class:`MLP` or the
    weights in :meth:`MLP.from_weights` form (then every layer is sigmoid, as in the lecture).
    The error is the lecture's E = ½ Σ (t − y)², so the result agrees with autograd's −μ dE/dw.

    Example:
        >>> from autograd_nn.lecture import delta_rule, xor_network
        >>> r = delta_rule(xor_network(), [1.0, 0.0], [1.0], learning_rate=10.0)
        >>> [round(d, 4) for d in r.deltas[1]], [round(u, 4) for u in r.updates[1][0][0]]
        ([0.0424], [0.3816, 0.0712])
    """
    layers, acts = _spec(model)
    targets = [float(targets)] if isinstance(targets, (int, float)) else [float(t) for t in targets]
    h = [float(x) for x in inputs]
    activations = [h]
    derivatives = []
    for layer, act in zip(layers, acts):
        outs, ders = [], []
        for weights, bias in layer:
            if len(weights) != len(h):
                raise ValueError(f"delta_rule: a neuron has {len(weights)} weights for {len(h)} inputs")
            y, dy = _activate(act, sum(w * x for w, x in zip(weights, h)) + bias)
            outs.append(y)
            ders.append(dy)
        h = outs
        activations.append(outs)
        derivatives.append(ders)
    if len(targets) != len(h):
        raise ValueError(f"delta_rule: {len(h)} outputs but {len(targets)} targets")
    deltas: list[list[float]] = [[] for _ in layers]
    deltas[-1] = [(t - y) * dy for t, y, dy in zip(targets, h, derivatives[-1])]
    for i in range(len(layers) - 2, -1, -1):
        after = layers[i + 1]
        deltas[i] = [
            sum(after[j][0][k] * deltas[i + 1][j] for j in range(len(after))) * derivatives[i][k]
            for k in range(len(layers[i]))
        ]
    updates = [
        [
            ([learning_rate * d * x for x in activations[i]], learning_rate * d * 1.0)
            for d in deltas[i]
        ]
        for i in range(len(layers))
    ]
    return DeltaRule(activations, deltas, updates)


def delta_table(model: MLP, inputs, targets, learning_rate: float, names=None) -> str:
    """The slide-style table of deltas and weight updates, with δ read from autograd as −dE/ds.

    Runs the model on ``inputs``, the error E = Σ_j ½ (t_j − y_j)² over every output unit j, and
    backward; lists the output layer first, as the slides do (“first adjust the last set of
    weights”).  With several output units each has its own δ_j = (t_j − y_j) y'_j and a hidden
    unit's δ collects all of theirs (the slide “Multiple Output Nodes”).  ``targets`` is one
    number per output unit (a single number for a single output).  The parameters' gradients
    are restored afterwards, so the table has no side effect on the model.

    ``names`` (e.g. :data:`XOR_NAMES`) gives the units' and weights' names by structural name;
    a unit without one is written by its position, ``L<layer>.N<neuron>``, and its weights
    ``L<layer>.N<neuron>.w<k>`` and ``L<layer>.N<neuron>.b``.

    Example:
        >>> from autograd_nn.lecture import XOR_NAMES, delta_table, xor_network
        >>> table = delta_table(xor_network(), [1.0, 0.0], 1.0, 10.0, XOR_NAMES)
        >>> print(table)  # doctest: +NORMALIZE_WHITESPACE
        delta rule: learning rate mu = 10, E = 1/2 sum (t - y)^2 = 0.027726
        unit   delta = -dE/ds   weight   h (input)   update = mu * delta * h
        G      0.042393         w_GD     0.900250    0.381647
                                w_GE     0.167982    0.071213
                                w_GF     1.000000    0.423935
        D      0.017131         w_DA     1.000000    0.171313
                                w_DB     0.000000    0.000000
                                w_DC     1.000000    0.171313
        E      -0.030810        w_EA     1.000000    -0.308104
                                w_EB     0.000000    0.000000
                                w_EC     1.000000    -0.308104
        >>> delta_table(xor_network(), [1.0, 0.0], [1.0, 0.0], 10.0)
        Traceback (most recent call last):
        ...
        ValueError: delta_table: the model has 1 output unit but 2 targets were given
    """
    if not isinstance(model, MLP):
        raise TypeError(f"delta_table takes an MLP, got {type(model).__name__}")
    inputs = [inputs] if isinstance(inputs, (int, float, Value)) else list(inputs)
    targets = [targets] if isinstance(targets, (int, float, Value)) else list(targets)
    # Checked here, before anything runs, so the message names delta_table's own arguments.
    if len(inputs) != model.nin:
        raise ValueError(f"delta_table: the model has {_count(model.nin, 'input')} "
                         f"but {_count(len(inputs), 'input')} {_were(len(inputs))} given")
    outputs = len(model.layers[-1].neurons)
    if len(targets) != outputs:
        raise ValueError(f"delta_table: the model has {_count(outputs, 'output unit')} "
                         f"but {_count(len(targets), 'target')} {_were(len(targets))} given")
    names = {} if names is None else names
    params = model.parameters()
    saved = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    try:
        values = [inputs]
        for layer in model.layers:
            values.append(layer(values[-1]))
        error = losses.l2(values[-1], targets)
        error.backward()
        rows = []  # (unit, delta, weight, h, update); unit and delta only on a unit's first row
        for i in range(len(model.layers) - 1, -1, -1):
            h = [x.data if isinstance(x, Value) else float(x) for x in values[i]] + [1.0]
            for j, neuron in enumerate(model.layers[i].neurons):
                delta = -_sum_node(neuron, values[i + 1][j]).grad + 0.0
                path = f"layers.{i}.neurons.{j}"
                unit = names.get(path, f"L{i}.N{j}")
                weights = [names.get(f"{path}.w.{k}", f"L{i}.N{j}.w{k}") for k in range(neuron.nin)]
                weights.append(names.get(f"{path}.b", f"L{i}.N{j}.b"))
                for k, (p, weight) in enumerate(zip((*neuron.w, neuron.b), weights)):
                    first = k == 0
                    rows.append((unit if first else "", f"{delta:.6f}" if first else "", weight,
                                 f"{h[k]:.6f}", f"{-learning_rate * p.grad + 0.0:.6f}"))
        # Columns as wide as their longest entry (long names stay aligned), at least the slides'.
        wu = max(6, *(len(r[0]) for r in rows))
        ww = max(8, *(len(r[2]) for r in rows))
        lines = [
            f"delta rule: learning rate mu = {learning_rate:g}, E = 1/2 sum (t - y)^2 = {error.data:.6f}",
            f"{'unit':<{wu}} {'delta = -dE/ds':<16} {'weight':<{ww}} {'h (input)':<11} "
            "update = mu * delta * h",
        ]
        lines += [f"{u:<{wu}} {d:<16} {w:<{ww}} {x:<11} {up}".rstrip() for u, d, w, x, up in rows]
        return "\n".join(lines)
    finally:
        for p, g in zip(params, saved):
            p.grad = g


def _count(n: int, noun: str) -> str:
    """``1 output unit``, ``2 output units``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


# -- the slides' rounded figures ------------------------------------------------------------------


@dataclass(frozen=True)
class SlideNumbers:
    """The worked example computed the way the slides do, rounding each intermediate.

    h to 2 decimals (.90, .17), s_G = .90·4.5 + .17·(−5.2) − 2.0 to 2 decimals (1.17), y shown to
    2 decimals (.76) with y' = σ(1.17)(1 − σ(1.17)) to 3 (.181), deltas to 4 decimals, updates to
    3, y'_D to 4 (.0898).  ``delta_E_slide`` and ``dw_EA_slide`` are the slide's figures with its
    wrong y'_E = .2055; ``y_prime_E``, ``delta_E`` and ``dw_EA`` are the corrected ones
    (y'_E = h_E (1 − h_E) = .1398).

    Example:
        >>> from autograd_nn.lecture import slide_numbers
        >>> n = slide_numbers()
        >>> n.h_D, n.h_E, n.s_G, n.y, n.y_prime_G
        (0.9, 0.17, 1.17, 0.76, 0.181)
        >>> n.y_prime_E_slide, n.y_prime_E  # the slide's y'_E and the corrected one
        (0.2055, 0.1398)
    """

    h_D: float  # noqa: N815 - the slides' names
    h_E: float  # noqa: N815 - the slides' names
    s_G: float  # noqa: N815 - the slides' names
    y: float  # noqa: N815 - the slides' names
    y_prime_G: float  # noqa: N815 - the slides' names
    delta_G: float  # noqa: N815 - the slides' names
    dw_GD: float  # noqa: N815 - the slides' names
    dw_GE: float  # noqa: N815 - the slides' names
    dw_GF: float  # noqa: N815 - the slides' names
    y_prime_D: float  # noqa: N815 - the slides' names
    delta_D: float  # noqa: N815 - the slides' names
    dw_DA: float  # noqa: N815 - the slides' names
    dw_DB: float  # noqa: N815 - the slides' names
    dw_DC: float  # noqa: N815 - the slides' names
    y_prime_E: float  # noqa: N815 - the slides' names
    delta_E: float  # noqa: N815 - the slides' names
    dw_EA: float  # noqa: N815 - the slides' names
    y_prime_E_slide: float = 0.2055  # noqa: N815 - the slides' names
    delta_E_slide: float = 0.0  # noqa: N815 - the slides' names
    dw_EA_slide: float = 0.0  # noqa: N815 - the slides' names


def _sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))


def slide_numbers(learning_rate: float = 10.0, target: float = 1.0) -> SlideNumbers:
    """The slides' figures, reproduced by rounding as the slides do (see :class:`SlideNumbers`).

    Example:
        >>> from autograd_nn.lecture import slide_numbers
        >>> n = slide_numbers()
        >>> n.delta_G, n.dw_GD, n.dw_GE, n.dw_GF, n.delta_D, n.dw_DA, n.dw_DB, n.dw_DC
        (0.0434, 0.391, 0.074, 0.434, 0.0175, 0.175, 0.0, 0.175)
        >>> n.delta_E_slide, n.dw_EA_slide, n.y_prime_E, n.delta_E, n.dw_EA
        (-0.0464, -0.464, 0.1398, -0.0316, -0.316)
    """
    mu = learning_rate
    (wd, bd), (we, be), (wg, bg) = XOR_WEIGHTS["D"], XOR_WEIGHTS["E"], XOR_WEIGHTS["G"]
    x = (1.0, 0.0)
    hd_full = _sigmoid(wd[0] * x[0] + wd[1] * x[1] + bd)
    he_full = _sigmoid(we[0] * x[0] + we[1] * x[1] + be)
    h_D, h_E = round(hd_full, 2), round(he_full, 2)
    s_G = round(wg[0] * h_D + wg[1] * h_E + bg, 2)
    y_full = _sigmoid(s_G)
    y = round(y_full, 2)
    y_prime_G = round(y_full * (1.0 - y_full), 3)
    delta_G = round((target - y) * y_prime_G, 4)
    y_prime_D = round(hd_full * (1.0 - hd_full), 4)
    delta_D = round(wg[0] * delta_G * y_prime_D, 4)
    y_prime_E = round(he_full * (1.0 - he_full), 4)
    delta_E = round(wg[1] * delta_G * y_prime_E, 4)
    delta_E_slide = round(wg[1] * delta_G * 0.2055, 4)
    r3 = lambda v: round(v, 3) + 0.0  # + 0.0 turns a -0.0 into 0.0
    return SlideNumbers(
        h_D=h_D, h_E=h_E, s_G=s_G, y=y, y_prime_G=y_prime_G, delta_G=delta_G,
        dw_GD=r3(mu * delta_G * h_D), dw_GE=r3(mu * delta_G * h_E), dw_GF=r3(mu * delta_G),
        y_prime_D=y_prime_D, delta_D=delta_D,
        dw_DA=r3(mu * delta_D * x[0]), dw_DB=r3(mu * delta_D * x[1]), dw_DC=r3(mu * delta_D),
        y_prime_E=y_prime_E, delta_E=delta_E, dw_EA=r3(mu * delta_E * x[0]),
        y_prime_E_slide=0.2055, delta_E_slide=delta_E_slide, dw_EA_slide=r3(mu * delta_E_slide * x[0]),
    )


# -- training XOR ------------------------------------------------------------------------------------


def train_xor(
    seed: int = 0,
    epochs: int = 1000,
    learning_rate: float = 10.0,
    momentum: float = 0.0,
    progress: bool = False,
) -> tuple[MLP, list[float]]:
    """Train a freshly initialised 2-2-1 sigmoid MLP to XOR with SGD; return ``(model, losses)``.

    Full-batch SGD on the lecture's error ½ Σ (t − y)² with the lecture's μ = 10.  With the
    default seed every output ends on the right side of 0.5 (some seeds get stuck in a local
    minimum, outputting about 2/3 for three inputs: a lesson of its own).

    Example:
        >>> from autograd_nn.lecture import train_xor, xor_outputs
        >>> model, history = train_xor()
        >>> [y > 0.5 for _, y in xor_outputs(model)], history[-1] < 0.01
        ([False, True, True, False], True)
    """
    model = MLP(2, [2, 1], activation="sigmoid", seed=seed)
    inputs = [list(x) for x in XOR.inputs]
    opt = SGD(model.parameters(), lr=learning_rate, momentum=momentum)
    history = fit(model, inputs, list(XOR.targets), losses.l2, opt, epochs, progress=progress)
    return model, history
