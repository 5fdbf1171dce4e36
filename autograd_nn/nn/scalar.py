"""Scalar neural networks on ``Value``: the threshold logic unit, neurons, layers and MLPs.

A :class:`Neuron` computes the lecture's pre-activation s = Σ_k w_k h_k + b as ONE graph node
(``Value.dot``, op ``"wsum"``), whose local derivatives are h_k for each weight, w_k for each input
and 1 for the bias; then its activation.  A gradient path through a neuron therefore reads exactly
as the slide's dE/dw_k = dE/dy · dy/ds · ds/dw_k.  ``expanded=True`` builds one node per
multiplication and addition instead, for showing every step.

Calling a :class:`Layer` or an :class:`MLP` returns a **list** of Values, always (also for one
output), so code that loops over outputs never needs a special case; a single :class:`Neuron` or
:class:`TLU` returns one Value.

Labels: parameters are labelled once at construction (``w_DA`` in the lecture's network,
``L0.N1.w0`` otherwise); the nodes a neuron computes are labelled ``s_<name>`` and
``h_<name>`` (hidden) or ``y_<name>`` (output) and carry ``group = <name>``, so a diagram can
cluster them by neuron.  That costs two slot stores per neuron per forward pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..value import _ONLY_VALUES, Value, _dot_values
from .module import Module

ACTIVATIONS = ("step", "linear", "sigmoid", "tanh", "relu")

_dot = Value.dot
_ACT = {
    "step": Value.step,
    "linear": None,
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
}


def _check_activation(activation) -> str:
    if not isinstance(activation, str) or activation not in _ACT:
        raise ValueError(f"unknown activation {activation!r}; valid activations are {', '.join(ACTIVATIONS)}")
    return activation


def _make_rng(seed, rng) -> np.random.Generator:
    if rng is not None and seed is not None:
        raise ValueError("give either seed= or rng=, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    return np.random.default_rng(seed)


def _param(x, label: str, group: str | None, what: str) -> Value:
    """A parameter Value from a number (or a Value, taken as is), labelled once here."""
    if isinstance(x, Value):
        v = x
    else:
        try:
            v = Value(x)
        except TypeError:
            raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}") from None
    if not v.label:
        v.label = label
    if group and getattr(v, "group", None) is None:
        v.group = group
    return v


def _check_sequence(x, where: str):
    if isinstance(x, (Value, str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(
            f"{where} takes a sequence of inputs (list of numbers or Values), got {type(x).__name__}"
        )


def _check_inputs(x, expected: int, where: str) -> None:
    """A sequence of ``expected`` inputs, or an error naming the unit and both lengths."""
    _check_sequence(x, where)
    if len(x) != expected:
        raise ValueError(f"{where} expects {expected} inputs, received {len(x)}")


class TLU(Module):
    """The threshold logic unit: output 1 if Σ_i w_i x_i >= θ, else 0.

    The weights and the threshold are Values (``w.0``, ``w.1``, ..., ``threshold``); the output is
    ``(Σ w_i x_i - θ).step()``, a Value whose derivative is 0, as the step function's is.

    Example:
        >>> from autograd_nn.nn import TLU
        >>> conj = TLU([3, 2], 4)          # the lecture's x1 AND x2
        >>> [conj([a, b]).data for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [0.0, 0.0, 0.0, 1.0]
    """

    def __init__(self, weights: Sequence[float], threshold: float, name: str | None = None) -> None:
        if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__") or len(weights) == 0:
            raise TypeError(f"TLU weights must be a non-empty sequence of numbers, got {weights!r}")
        self.name = name or ""
        prefix = f"{name}." if name else ""
        self.w = [_param(w, f"{prefix}w{i}", name, "a TLU weight") for i, w in enumerate(weights)]
        self.threshold = _param(threshold, f"{prefix}theta", name, "a TLU threshold")

    @property
    def nin(self) -> int:
        """Number of inputs."""
        return len(self.w)

    def forward(self, x) -> Value:
        """The unit's output for inputs ``x`` (numbers or Values): a Value, 1.0 or 0.0."""
        _check_inputs(x, self.nin, self._where())
        s = _dot(self.w, x)
        return (s - self.threshold).step()

    def _where(self) -> str:
        return f"TLU {self.name!r}" if self.name else "TLU"

    def __repr__(self) -> str:
        w = ", ".join(f"{v.data:g}" for v in self.w)
        return f"TLU(weights=[{w}], threshold={self.threshold.data:g})"


class TLUNetwork(Module):
    """Layers of TLUs, each layer fed the outputs of the one before; returns a list of Values.

    Example:
        >>> from autograd_nn.nn import TLU, TLUNetwork
        >>> net = TLUNetwork([[TLU([-2, 2], -1), TLU([2, -2], -1)], [TLU([2, 2], 3)]])
        >>> [net([a, b])[0].data for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]]
        [1.0, 0.0, 0.0, 1.0]
    """

    def __init__(self, layers: Sequence[Sequence[TLU]]) -> None:
        for i, layer in enumerate(layers):
            for j, unit in enumerate(layer):
                if not isinstance(unit, TLU):
                    raise TypeError(
                        f"TLUNetwork layer {i}, unit {j} must be a TLU, got {type(unit).__name__}"
                    )
        self.layers = [list(layer) for layer in layers]

    def forward(self, x) -> list[Value]:
        """The last layer's outputs, as a list of Values."""
        for layer in self.layers:
            x = [unit(x) for unit in layer]
        return x


class Neuron(Module):
    """One neuron: y = activation(Σ_k w_k h_k + b).

    Args:
        nin: number of inputs.
        activation: one of ``"step"``, ``"linear"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``.
        weights, bias: explicit initial values (e.g. from a slide); drawn at random otherwise,
            uniformly in ±1/sqrt(nin) as ``torch.nn.Linear`` does, from ``seed`` or ``rng``.
        name: the neuron's name (``"D"``); used for labels and as ``group`` of its nodes.
        expanded: build one graph node per ``*`` and ``+`` instead of one weighted-sum node.
        param_labels: labels for the weights and the bias (``["w_DA", "w_DB", "w_DC"]``).
        output_symbol: ``"h"`` labels the output ``h_<name>`` (a hidden unit), ``"y"`` ``y_<name>``.

    Calling it returns one Value.  Parameters are ``w`` (a list of Values) and ``b``.

    Example:
        >>> from autograd_nn.nn import Neuron
        >>> n = Neuron(2, "sigmoid", weights=[3.7, 3.7], bias=-1.5, name="D", output_symbol="h")
        >>> h = n([1.0, 0.0])
        >>> round(h.data, 4), h.label, h.parents[0].op, h.parents[0].label
        (0.9002, 'h_D', 'wsum', 's_D')
    """

    def __init__(
        self,
        nin: int,
        activation: str = "sigmoid",
        weights: Sequence[float] | None = None,
        bias: float | None = None,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        name: str | None = None,
        expanded: bool = False,
        param_labels: Sequence[str] | None = None,
        output_symbol: str = "y",
    ) -> None:
        if isinstance(nin, bool) or not isinstance(nin, (int, np.integer)) or nin < 1:
            raise ValueError(f"Neuron: nin must be a positive int, got {nin!r}")
        nin = int(nin)
        self.activation = _check_activation(activation)
        self.name = "" if name is None else str(name)
        self.expanded = bool(expanded)
        group = self.name or None
        prefix = f"{self.name}." if self.name else ""
        if param_labels is None:
            labels = [f"{prefix}w{k}" for k in range(nin)] + [f"{prefix}b"]
        else:
            labels = [str(s) for s in param_labels]
            if len(labels) != nin + 1:
                raise ValueError(
                    f"Neuron {self.name!r}: param_labels needs {nin + 1} names "
                    f"({nin} weights and the bias), got {len(labels)}"
                )
        if weights is None or bias is None:
            generator = _make_rng(seed, rng)
            bound = 1.0 / np.sqrt(nin)
        if weights is None:
            weights = [float(v) for v in generator.uniform(-bound, bound, nin)]
        elif isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__") or len(weights) != nin:
            got = len(weights) if hasattr(weights, "__len__") else type(weights).__name__
            raise ValueError(f"Neuron {self.name!r}: expected {nin} weights, received {got}")
        if bias is None:
            bias = float(generator.uniform(-bound, bound))
        self.w = [_param(w, labels[k], group, "a weight") for k, w in enumerate(weights)]
        self.b = _param(bias, labels[-1], group, "a bias")
        self._act = _ACT[self.activation]
        self.set_output_symbol(output_symbol)

    def set_output_symbol(self, symbol: str) -> None:
        """Label the output ``h_<name>`` (hidden unit) or ``y_<name>`` (output unit)."""
        self.output_symbol = symbol
        suffix = f"_{self.name}" if self.name else ""
        self._s_label = f"s{suffix}"
        self._y_label = f"{symbol}{suffix}"
        self._group = self.name or None

    @property
    def nin(self) -> int:
        """Number of inputs."""
        return len(self.w)

    def forward(self, x) -> Value:
        """The neuron's output for the inputs ``x`` (a sequence of numbers or Values)."""
        _check_inputs(x, self.nin, self._where())
        return self._forward(x)

    def _where(self) -> str:
        return f"Neuron {self.name!r}" if self.name else "Neuron"

    def _forward(self, x, dot=_dot) -> Value:
        # Hot path: no checks (the caller did them).  Labels are plain slot stores on the new
        # nodes (``_label`` is the slot behind Value.label), cheaper than the property setter.
        if self.expanded:
            s = self._expanded_sum(x)
        else:
            s = dot(self.w, x, self.b)
        group = self._group
        if group is not None:
            s.group = group
        act = self._act
        if act is None:
            # With the identity activation the sum is the unit's output: name it as the output.
            s._label = self._y_label
            return s
        s._label = self._s_label
        y = act(s)
        y._label = self._y_label
        if group is not None:
            y.group = group
        return y

    def _expanded_sum(self, x) -> Value:
        group = self._group
        w = self.w
        s = w[0] * x[0]
        if group is not None:
            s.group = group
        for k in range(1, len(w)):
            p = w[k] * x[k]
            s = s + p
            if group is not None:
                p.group = group
                s.group = group
        return s + self.b

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        return f"Neuron(nin={self.nin}, activation={self.activation!r}{name})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; calling it returns a list of Values.

    Example:
        >>> from autograd_nn.nn import Layer
        >>> layer = Layer(3, 2, "tanh", seed=0)
        >>> out = layer([1.0, -2.0, 0.5])
        >>> len(out), [n.name for n in layer.neurons]
        (2, ['N0', 'N1'])
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "sigmoid",
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        name: str | None = None,
        expanded: bool = False,
        neurons: Sequence[Neuron] | None = None,
        output_symbol: str = "y",
    ) -> None:
        self.name = "" if name is None else str(name)
        if neurons is not None:
            neurons = list(neurons)
            for j, n in enumerate(neurons):
                if not isinstance(n, Neuron) or n.nin != nin:
                    got = f"a Neuron with {n.nin} inputs" if isinstance(n, Neuron) else type(n).__name__
                    raise ValueError(
                        f"{self._where()}: neuron {j} must be a Neuron with {nin} inputs, got {got}"
                    )
            if len(neurons) != nout:
                raise ValueError(f"{self._where()}: expected {nout} neurons, received {len(neurons)}")
            self.neurons = neurons
        else:
            if isinstance(nout, bool) or not isinstance(nout, (int, np.integer)) or nout < 1:
                raise ValueError(f"Layer: nout must be a positive int, got {nout!r}")
            _check_activation(activation)
            generator = _make_rng(seed, rng)
            prefix = f"{self.name}." if self.name else ""
            self.neurons = [
                Neuron(nin, activation, rng=generator, name=f"{prefix}N{j}", expanded=expanded)
                for j in range(int(nout))
            ]
        for n in self.neurons:
            n.set_output_symbol(output_symbol)

    @property
    def nin(self) -> int:
        """Number of inputs."""
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        """Number of outputs (neurons)."""
        return len(self.neurons)

    @property
    def activation(self) -> str:
        """The activation of the layer's neurons (of its first neuron if they differ)."""
        return self.neurons[0].activation

    def _where(self) -> str:
        return f"Layer {self.name!r}" if self.name else "Layer"

    def forward(self, x) -> list[Value]:
        """The outputs of all neurons for inputs ``x``: a list of ``nout`` Values."""
        _check_inputs(x, self.nin, self._where())
        # Check the shared input vector once, not once per neuron: the neurons' own weights and
        # biases are Values by construction.
        if set(map(type, x)) == _ONLY_VALUES:
            return [n._forward(x, _dot_values) for n in self.neurons]
        return [n._forward(x) for n in self.neurons]

    def __repr__(self) -> str:
        return f"Layer(nin={self.nin}, nout={self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(nin, [sizes...])``; calling it returns a list of Values.

    Args:
        nin: number of inputs.
        sizes: the number of neurons of each layer, the last one being the output layer.
        activation: activation of the hidden layers (``"step"``, ``"linear"``, ``"sigmoid"``,
            ``"tanh"``, ``"relu"``).
        output_activation: activation of the output layer; ``None`` means the same as
            ``activation`` (so ``MLP(2, [2, 1])`` is the lecture's all-sigmoid network).
        seed, rng: seed the initialisation (same seed, same weights).
        expanded: one graph node per ``*`` and ``+`` instead of one weighted-sum node per neuron.

    Layers are named ``L0``, ``L1``, ...; neuron j of layer i is ``L{i}.N{j}``; its parameters are
    labelled ``L{i}.N{j}.w{k}`` and ``L{i}.N{j}.b`` and named ``layers.i.neurons.j.w.k`` by
    :meth:`named_parameters`.

    Example:
        >>> from autograd_nn.nn import MLP
        >>> model = MLP(2, [4, 1], activation="tanh", output_activation="linear", seed=0)
        >>> out = model([0.5, -1.0])
        >>> type(out).__name__, len(out), len(model.parameters())
        ('list', 1, 17)
        >>> next(iter(model.named_parameters()))[0]
        'layers.0.neurons.0.w.0'
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        expanded: bool = False,
    ) -> None:
        if isinstance(sizes, (int, np.integer)) or not hasattr(sizes, "__len__") or len(sizes) == 0:
            raise ValueError(f"MLP: sizes must be a non-empty list of layer sizes, got {sizes!r}")
        _check_activation(activation)
        output_activation = activation if output_activation is None else output_activation
        _check_activation(output_activation)
        generator = _make_rng(seed, rng)
        dims = [nin, *sizes]
        last = len(sizes) - 1
        self.layers = [
            Layer(
                dims[i],
                dims[i + 1],
                output_activation if i == last else activation,
                rng=generator,
                name=f"L{i}",
                expanded=expanded,
                output_symbol="y" if i == last else "h",
            )
            for i in range(len(sizes))
        ]
        self._slide_names = False

    # -- construction from explicit weights ------------------------------------------------

    @classmethod
    def from_weights(
        cls,
        layers: Sequence[Sequence[tuple[Sequence[float], float]]],
        activation: str | Sequence[str] = "sigmoid",
        output_activation: str | None = None,
        names: Sequence[Sequence[str]] | None = None,
        input_names: Sequence[str] | None = None,
        bias_names: Sequence[str] | None = None,
        expanded: bool = False,
    ) -> MLP:
        """Build an MLP from explicit weights, e.g. a network from a slide.

        Args:
            layers: one list per layer, holding ``(weights, bias)`` for each of its neurons.
            activation: one name for all hidden layers, or a list of one name per layer.
            output_activation: the output layer's activation (``None``: as ``activation``).
            names: neuron names per layer (``[["D", "E"], ["G"]]``).
            input_names, bias_names: with ``names``, name the sources of every weight the way
                the lecture does: the weight from unit k into unit j is labelled ``w_jk`` and
                the bias, drawn as a weight from a constant bias unit, ``w_j<bias unit>``.
                :meth:`named_parameters` then yields these labels (``w_DA``, ..., ``w_GF``).

        Example:
            >>> from autograd_nn.nn import MLP
            >>> net = MLP.from_weights(
            ...     [[([3.7, 3.7], -1.5), ([2.9, 2.9], -4.5)], [([4.5, -5.2], -2.0)]],
            ...     names=[["D", "E"], ["G"]], input_names=["A", "B"], bias_names=["C", "F"])
            >>> [name for name, _ in net.named_parameters()][:3]
            ['w_DA', 'w_DB', 'w_DC']
            >>> round(net([1.0, 0.0])[0].data, 4)
            0.7645
        """
        if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__") or len(layers) == 0:
            raise ValueError("MLP.from_weights: layers must be a non-empty list of layers")
        n_layers = len(layers)
        if isinstance(activation, str):
            acts = [activation] * n_layers
            if output_activation is not None:
                acts[-1] = output_activation
        else:
            acts = list(activation)
            if len(acts) != n_layers:
                raise ValueError(
                    f"MLP.from_weights: {len(acts)} activations for {n_layers} layers; give one per layer"
                )
            if output_activation is not None:
                acts[-1] = output_activation
        for a in acts:
            _check_activation(a)
        if names is not None and len(names) != n_layers:
            raise ValueError(f"MLP.from_weights: names has {len(names)} layers, the weights {n_layers}")
        slide = names is not None and input_names is not None and bias_names is not None
        if slide and len(bias_names) != n_layers:
            raise ValueError(f"MLP.from_weights: {len(bias_names)} bias_names for {n_layers} layers")

        model = cls.__new__(cls)
        built = []
        sources = list(input_names) if input_names is not None else None
        nin = None
        for i, layer in enumerate(layers):
            if isinstance(layer, (str, bytes)) or not hasattr(layer, "__len__") or len(layer) == 0:
                raise ValueError(f"MLP.from_weights: layer {i} must be a non-empty list of (weights, bias)")
            neurons = []
            layer_names = None if names is None else list(names[i])
            if layer_names is not None and len(layer_names) != len(layer):
                raise ValueError(
                    f"MLP.from_weights: layer {i} has {len(layer)} neurons but {len(layer_names)} names"
                )
            for j, spec in enumerate(layer):
                try:
                    weights, bias = spec
                except (TypeError, ValueError):
                    raise ValueError(
                        f"MLP.from_weights: layer {i} neuron {j} must be a (weights, bias) pair, got {spec!r}"
                    ) from None
                if nin is None:
                    nin = len(weights)
                expected = nin if i == 0 else len(layers[i - 1])
                if len(weights) != expected:
                    raise ValueError(
                        f"MLP.from_weights: layer {i} neuron {j} has {len(weights)} weights, "
                        f"expected {expected} (the inputs of layer {i})"
                    )
                name = layer_names[j] if layer_names is not None else f"L{i}.N{j}"
                labels = None
                if slide:
                    if len(sources) != expected:
                        raise ValueError(
                            f"MLP.from_weights: {len(sources)} source names for layer {i}, "
                            f"expected {expected}"
                        )
                    labels = [f"w_{name}{src}" for src in sources] + [f"w_{name}{bias_names[i]}"]
                neurons.append(
                    Neuron(
                        expected, acts[i], weights=list(weights), bias=bias, name=name,
                        expanded=expanded, param_labels=labels,
                    )
                )
            built.append(
                Layer(
                    expected, len(neurons), name=f"L{i}", neurons=neurons,
                    output_symbol="y" if i == n_layers - 1 else "h",
                )
            )
            if slide:
                sources = layer_names
        model.layers = built
        model._slide_names = slide
        return model

    # -- forward ------------------------------------------------------------------------------

    @property
    def nin(self) -> int:
        """Number of inputs."""
        return self.layers[0].nin

    @property
    def sizes(self) -> list[int]:
        """Number of neurons of each layer."""
        return [layer.nout for layer in self.layers]

    def forward(self, x) -> list[Value]:
        """The output layer's values for the inputs ``x``: always a list of Values.

        Plain numbers among the inputs become leaf Values labelled ``x1``, ``x2``, ... (as the
        lecture names them), so diagrams show the inputs and the first layer's weighted sums do
        not have to remember constants (micrograd's demo wraps its inputs the same way).

        Raises:
            ValueError: when ``len(x)`` is not the number of inputs, naming both and the layer.
        """
        _check_sequence(x, "MLP")
        x = [v if type(v) is Value else Value(v, label=f"x{i + 1}") for i, v in enumerate(x)]
        for layer in self.layers:
            x = layer(x)
        return x

    def _children(self) -> Iterator[tuple[str, object]]:
        # The lecture's network names its parameters as the slides do (w_DA, ..., w_GF).
        if self._slide_names:
            for layer in self.layers:
                for n in layer.neurons:
                    for p in (*n.w, n.b):
                        yield p.label, p
        else:
            yield "layers", self.layers

    # -- the other engine ---------------------------------------------------------------------

    def to_tensor(self, dtype=np.float64):
        """The equivalent tensor model (see :mod:`autograd_nn.nn.convert`).

        Example:
            >>> from autograd_nn.nn import MLP
            >>> callable(MLP(2, [1], seed=0).to_tensor)
            True
        """
        from .convert import mlp_to_tensor

        return mlp_to_tensor(self, dtype)

    @classmethod
    def from_tensor(cls, model) -> MLP:
        """A scalar MLP with the weights of a tensor model (see :mod:`autograd_nn.nn.convert`).

        Example:
            >>> from autograd_nn.nn import MLP
            >>> callable(MLP.from_tensor)
            True
        """
        from .convert import tensor_to_mlp

        return tensor_to_mlp(model)

    def __repr__(self) -> str:
        acts = [layer.activation for layer in self.layers]
        return f"MLP(nin={self.nin}, sizes={self.sizes}, activations={acts})"
