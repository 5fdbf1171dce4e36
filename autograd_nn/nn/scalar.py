"""Scalar neural networks on ``Value``: the threshold logic unit, neurons, layers and MLPs.

A :class:`Neuron` computes the lecture's pre-activation s = Σ_k w_k h_k + b as ONE graph node
(``Value.dot``, op ``"wsum"``), whose local derivatives are h_k for each weight, w_k for each input
and 1 for the bias; then its activation.  A gradient path through a neuron therefore reads exactly
as the slide's dE/dw_k = dE/dy · dy/ds · ds/dw_k.  ``expanded=True`` builds one node per
multiplication and addition instead, for showing every step.

Calling a :class:`Layer` or an :class:`MLP` returns a **list** of Values, always (also for one
output), so code that loops over outputs never needs a special case; a single :class:`Neuron` or
:class:`TLU` returns one Value.

Names: a parameter is named by its attribute path (``layers.0.neurons.1.w.0``, see
:meth:`~autograd_nn.nn.Module.named_parameters`); nothing here labels a node.  Names for people
(the slides' ``w_DA``, ``s_D``, ``h_D``) are data kept by :mod:`autograd_nn.lecture` and given to
:mod:`viz`, which finds from the model's structure which nodes each neuron computed.

One model, two engines: :func:`mlp_to_tensor` and :func:`tensor_to_mlp` (also
``MLP.to_tensor()`` and ``MLP.from_tensor(model)``, and re-exported by
:mod:`autograd_nn.nn.convert`) turn an MLP into a tensor ``Sequential`` and back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..value import _ONLY_VALUES, Value, _dot_values
from .module import Module
from .tensor_layers import Identity, Linear, ReLU, Sequential, Sigmoid, Step, Tanh

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


def _param(x, what: str) -> Value:
    """A parameter Value from a number; a Value is taken as it is (so two units can share it)."""
    if isinstance(x, Value):
        return x
    try:
        return Value(x)
    except TypeError:
        raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}") from None


def _is_sequence(x) -> bool:
    return not isinstance(x, (str, bytes)) and hasattr(x, "__len__")


def _check_sequence(x, where: str):
    if isinstance(x, (Value, str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(
            f"{where} takes a sequence of inputs (list of numbers or Values), got {type(x).__name__}"
        )


def _leaves(x) -> list[Value]:
    """The inputs as Values: a plain number becomes an (unlabelled) leaf, so a diagram of the
    graph shows it as an input node instead of a constant folded into the weighted sum."""
    return [v if type(v) is Value else Value(v) for v in x]


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

    def __init__(self, weights: Sequence[float], threshold: float) -> None:
        if not _is_sequence(weights) or len(weights) == 0:
            raise TypeError(f"TLU weights must be a non-empty sequence of numbers, got {weights!r}")
        self.w = [_param(w, "a TLU weight") for w in weights]
        self.threshold = _param(threshold, "a TLU threshold")

    @property
    def nin(self) -> int:
        """Number of inputs.

        Example:
            >>> TLU([3, 2], 4).nin
            2
        """
        return len(self.w)

    def forward(self, x) -> Value:
        """The unit's output for inputs ``x`` (numbers or Values): a Value, 1.0 or 0.0.

        Plain numbers become leaf Values, as in :meth:`MLP.forward`, so the graph of the output
        has every input as a node.
        """
        _check_inputs(x, self.nin, "TLU")
        s = _dot(self.w, _leaves(x))
        return (s - self.threshold).step()

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
        """The last layer's outputs, as a list of Values.

        Plain numbers among the inputs become leaf Values once, so every unit of the first
        layer reads the same input node.
        """
        _check_sequence(x, "TLUNetwork")
        x = _leaves(x)
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
        expanded: build one graph node per ``*`` and ``+`` instead of one weighted-sum node.

    Calling it returns one Value.  Parameters are ``w`` (a list of Values) and ``b``.

    Example:
        >>> from autograd_nn.nn import Neuron
        >>> n = Neuron(2, "sigmoid", weights=[3.7, 3.7], bias=-1.5)
        >>> h = n([1.0, 0.0])
        >>> round(h.data, 4), h.op, h.parents[0].op
        (0.9002, 'sigmoid', 'wsum')
    """

    def __init__(
        self,
        nin: int,
        activation: str = "sigmoid",
        weights: Sequence[float] | None = None,
        bias: float | None = None,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        expanded: bool = False,
    ) -> None:
        if isinstance(nin, bool) or not isinstance(nin, (int, np.integer)) or nin < 1:
            raise ValueError(f"Neuron: nin must be a positive int, got {nin!r}")
        nin = int(nin)
        self.activation = _check_activation(activation)
        self.expanded = bool(expanded)
        if weights is None or bias is None:
            generator = _make_rng(seed, rng)
            bound = 1.0 / np.sqrt(nin)
        if weights is None:
            weights = [float(v) for v in generator.uniform(-bound, bound, nin)]
        elif not _is_sequence(weights) or len(weights) != nin:
            got = len(weights) if _is_sequence(weights) else type(weights).__name__
            raise ValueError(f"Neuron: expected {nin} weights, received {got}")
        if bias is None:
            bias = float(generator.uniform(-bound, bound))
        self.w = [_param(w, "a weight") for w in weights]
        self.b = _param(bias, "a bias")
        self._act = _ACT[self.activation]

    @property
    def nin(self) -> int:
        """Number of inputs.

        Example:
            >>> Neuron(3, seed=0).nin
            3
        """
        return len(self.w)

    def forward(self, x) -> Value:
        """The neuron's output for the inputs ``x`` (a sequence of numbers or Values)."""
        _check_inputs(x, self.nin, "Neuron")
        return self._forward(x)

    def _forward(self, x, input_data=None) -> Value:
        # Hot path: no checks (the caller did them) and nothing but the arithmetic.  A layer that
        # has checked that its inputs are all Values passes their values, read once for all its
        # neurons.
        if self.expanded:
            s = self._expanded_sum(x)
        elif input_data is None:
            s = _dot(self.w, x, self.b)
        else:
            s = _dot_values(self.w, x, self.b, input_data)
        act = self._act
        return s if act is None else act(s)

    def _expanded_sum(self, x) -> Value:
        w = self.w
        s = w[0] * x[0]
        for k in range(1, len(w)):
            s = s + w[k] * x[k]
        return s + self.b

    def __repr__(self) -> str:
        return f"Neuron(nin={self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; calling it returns a list of Values.

    ``neurons`` builds the layer from given :class:`Neuron` objects (``activation``, ``seed``,
    ``rng`` and ``expanded`` are then theirs, not the layer's).

    Example:
        >>> from autograd_nn.nn import Layer
        >>> layer = Layer(3, 2, "tanh", seed=0)
        >>> out = layer([1.0, -2.0, 0.5])
        >>> len(out), [name for name, _ in layer.named_modules()]
        (2, ['', 'neurons.0', 'neurons.1'])
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "sigmoid",
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        expanded: bool = False,
        neurons: Sequence[Neuron] | None = None,
    ) -> None:
        if neurons is not None:
            neurons = list(neurons)
            for j, n in enumerate(neurons):
                if not isinstance(n, Neuron) or n.nin != nin:
                    got = f"a Neuron with {n.nin} inputs" if isinstance(n, Neuron) else type(n).__name__
                    raise ValueError(f"Layer: neuron {j} must be a Neuron with {nin} inputs, got {got}")
            if len(neurons) != nout:
                raise ValueError(f"Layer: expected {nout} neurons, received {len(neurons)}")
            self.neurons = neurons
        else:
            if isinstance(nout, bool) or not isinstance(nout, (int, np.integer)) or nout < 1:
                raise ValueError(f"Layer: nout must be a positive int, got {nout!r}")
            _check_activation(activation)
            generator = _make_rng(seed, rng)
            self.neurons = [
                Neuron(nin, activation, rng=generator, expanded=expanded) for _ in range(int(nout))
            ]

    @property
    def nin(self) -> int:
        """Number of inputs.

        Example:
            >>> Layer(3, 2, seed=0).nin
            3
        """
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        """Number of outputs (neurons).

        Example:
            >>> Layer(3, 2, seed=0).nout
            2
        """
        return len(self.neurons)

    @property
    def activation(self) -> str:
        """The activation of the layer's neurons (of its first neuron if they differ).

        Example:
            >>> Layer(3, 2, "relu", seed=0).activation
            'relu'
        """
        return self.neurons[0].activation

    def forward(self, x) -> list[Value]:
        """The outputs of all neurons for inputs ``x``: a list of ``nout`` Values."""
        _check_inputs(x, self.nin, "Layer")
        return self._forward(x)

    def _forward(self, x) -> list[Value]:
        # Check the shared input vector once, not once per neuron: the neurons' own weights and
        # biases are Values by construction.
        if set(map(type, x)) == _ONLY_VALUES:
            data = [h.data for h in x]
            return [n._forward(x, data) for n in self.neurons]
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

    Neuron j of layer i is the sub-module ``layers.i.neurons.j``; its parameters are
    ``layers.i.neurons.j.w.k`` and ``layers.i.neurons.j.b`` (:meth:`named_parameters`).

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
                expanded=expanded,
            )
            for i in range(len(sizes))
        ]

    # -- construction from explicit weights ------------------------------------------------

    @classmethod
    def from_weights(
        cls,
        layers: Sequence[Sequence[tuple[Sequence[float], float]]],
        activation: str | Sequence[str] = "sigmoid",
        output_activation: str | None = None,
        expanded: bool = False,
    ) -> MLP:
        """Build an MLP from explicit weights, e.g. a network from a slide.

        Args:
            layers: one list per layer, holding ``(weights, bias)`` for each of its neurons.
            activation: one name for all hidden layers, or a list of one name per layer.
            output_activation: the output layer's activation (``None``: as ``activation``).
            expanded: one graph node per ``*`` and ``+`` (see :class:`Neuron`).

        The slides' names for the units and weights are not the model's: they are data for the
        diagrams (:data:`autograd_nn.lecture.XOR_NAMES`).

        Example:
            >>> from autograd_nn.nn import MLP
            >>> net = MLP.from_weights([[([3.7, 3.7], -1.5), ([2.9, 2.9], -4.5)], [([4.5, -5.2], -2.0)]])
            >>> round(net([1.0, 0.0])[0].data, 4), net.layers[1].neurons[0].w[1].data
            (0.7645, -5.2)
        """
        if not _is_sequence(layers) or len(layers) == 0:
            raise ValueError("MLP.from_weights: layers must be a non-empty list of layers")
        n_layers = len(layers)
        if isinstance(activation, str):
            acts = [activation] * n_layers
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

        built = []
        nin = None
        for i, layer in enumerate(layers):
            if not _is_sequence(layer) or len(layer) == 0:
                raise ValueError(f"MLP.from_weights: layer {i} must be a non-empty list of (weights, bias)")
            neurons = []
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
                neurons.append(Neuron(expected, acts[i], weights=list(weights), bias=bias, expanded=expanded))
            built.append(Layer(expected, len(neurons), neurons=neurons))
        model = cls.__new__(cls)
        model.layers = built
        return model

    # -- forward ------------------------------------------------------------------------------

    @property
    def nin(self) -> int:
        """Number of inputs.

        Example:
            >>> MLP(3, [2, 1], seed=0).nin
            3
        """
        return self.layers[0].nin

    @property
    def sizes(self) -> list[int]:
        """Number of neurons of each layer.

        Example:
            >>> MLP(3, [4, 4, 1], seed=0).sizes
            [4, 4, 1]
        """
        return [layer.nout for layer in self.layers]

    def forward(self, x) -> list[Value]:
        """The output layer's values for the inputs ``x``: always a list of Values.

        Plain numbers among the inputs become (unlabelled) leaf Values, so a diagram shows the
        inputs and the first layer's weighted sums do not have to remember constants
        (micrograd's demo wraps its inputs the same way).

        Raises:
            ValueError: when ``len(x)`` is not the number of inputs, naming both.
        """
        _check_sequence(x, "MLP")
        if len(x) != self.nin:
            raise ValueError(f"MLP: layers.0 expects {self.nin} inputs, received {len(x)}")
        x = _leaves(x)
        for layer in self.layers:
            x = layer._forward(x)
        return x

    # -- the other engine ---------------------------------------------------------------------

    def to_tensor(self, dtype=np.float64) -> Sequential:
        """The equivalent tensor model, with copies of the weights (see :func:`mlp_to_tensor`).

        Example:
            >>> import numpy as np
            >>> from autograd_nn.nn import MLP
            >>> mlp = MLP(2, [3, 1], activation="tanh", seed=0)
            >>> seq = mlp.to_tensor()
            >>> abs(seq(np.array([[0.5, -1.0]])).item() - mlp([0.5, -1.0])[0].data) < 1e-12
            True
        """
        return mlp_to_tensor(self, dtype)

    @classmethod
    def from_tensor(cls, model) -> MLP:
        """A scalar MLP with the weights of a tensor model (see :func:`tensor_to_mlp`).

        Example:
            >>> from autograd_nn.nn import MLP, Linear, Sequential, Sigmoid
            >>> mlp = MLP.from_tensor(Sequential(Linear(2, 2, seed=0), Sigmoid(), Linear(2, 1, seed=1)))
            >>> mlp.sizes, [layer.activation for layer in mlp.layers]
            ([2, 1], ['sigmoid', 'linear'])
        """
        specs, activations = _tensor_specs(model)
        return cls.from_weights(specs, activation=activations)

    def __repr__(self) -> str:
        acts = [layer.activation for layer in self.layers]
        return f"MLP(nin={self.nin}, sizes={self.sizes}, activations={acts})"


# -- one model, two engines ----------------------------------------------------------------------

_LAYER_OF = {"linear": Identity, "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "step": Step}
_NAME_OF = {cls: name for name, cls in _LAYER_OF.items()}


def mlp_to_tensor(mlp: MLP, dtype=np.float64) -> Sequential:
    """The tensor model computing what ``mlp`` computes: ``Sequential(Linear, act, Linear, act, ...)``.

    Layer i of the MLP becomes ``Linear`` i followed by its activation layer.  Neuron j's weights
    form column j of the weight matrix (``weight[k, j]`` is its weight from input k, the
    lecture's w_jk) and its bias entry j of the bias vector; ``"linear"`` becomes ``Identity`` so
    the round trip keeps every layer's activation.  The weights are copied (training one model
    does not change the other).

    Raises:
        ValueError: when the neurons of one layer have different activations (a tensor layer
            applies one activation to all its units).

    Example:
        >>> from autograd_nn.nn import MLP
        >>> seq = mlp_to_tensor(MLP(2, [2, 1], activation="sigmoid", seed=0))
        >>> [type(layer).__name__ for layer in seq]
        ['Linear', 'Sigmoid', 'Linear', 'Sigmoid']
    """
    layers = []
    for i, layer in enumerate(mlp.layers):
        neurons = layer.neurons
        activations = {n.activation for n in neurons}
        if len(activations) != 1:
            raise ValueError(
                f"mlp_to_tensor: layer {i} mixes the activations {sorted(activations)}; a tensor layer "
                "applies one activation to all of its units"
            )
        weight = np.array([[_number(w) for w in n.w] for n in neurons], dtype=dtype).T
        bias = np.array([_number(n.b) for n in neurons], dtype=dtype)
        layers.append(Linear.from_weights(weight, bias, dtype=dtype))
        layers.append(_LAYER_OF[activations.pop()]())
    return Sequential(*layers)


def tensor_to_mlp(model) -> MLP:
    """A scalar ``MLP`` with the weights of ``model``: ``Linear`` layers each followed by at most
    one activation layer (``Tanh``, ``Sigmoid``, ``ReLU``, ``Step`` or ``Identity``; none means
    linear).

    Raises:
        TypeError: naming a layer that has no scalar counterpart.

    Example:
        >>> from autograd_nn.nn import Linear, Sequential, Tanh
        >>> mlp = tensor_to_mlp(Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1)))
        >>> mlp.sizes, [layer.activation for layer in mlp.layers]
        ([3, 1], ['tanh', 'linear'])
    """
    return MLP.from_tensor(model)


def _tensor_specs(model) -> tuple[list, list[str]]:
    """``(layers, activations)`` of a tensor model in :meth:`MLP.from_weights` form."""
    modules = list(model) if isinstance(model, Sequential) else [model]
    specs = []
    activations = []
    for i, module in enumerate(modules):
        if isinstance(module, Linear):
            weight = module.weight.data.astype(np.float64)
            bias = np.zeros(weight.shape[1]) if module.bias is None else module.bias.data.astype(np.float64)
            specs.append([(weight[:, j].tolist(), float(bias[j])) for j in range(weight.shape[1])])
            activations.append("linear")
        elif type(module) in _NAME_OF:
            if i == 0 or not isinstance(modules[i - 1], Linear):
                raise TypeError(
                    f"tensor_to_mlp: layer {i} ({type(module).__name__}) must follow a Linear layer directly"
                )
            activations[-1] = _NAME_OF[type(module)]
        else:
            raise TypeError(
                f"tensor_to_mlp: layer {i} is a {type(module).__name__}; only Linear and the activation "
                "layers Tanh, Sigmoid, ReLU, Step, Identity have scalar counterparts"
            )
    if not specs:
        raise TypeError("tensor_to_mlp: the model has no Linear layer")
    return specs, activations


def _number(p) -> float:
    return float(getattr(p, "data", p))
