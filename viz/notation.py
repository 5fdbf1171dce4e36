"""The lecture's notation: derivatives of compound expressions, and the delta rule's δ and Δw.

Three jobs, all about writing, never about computing:

* :func:`derivative` writes ∂a/∂b with compound names in parentheses, so "t - y" reads
  ``∂E/∂(t - y)``, not ``∂E/∂t - y``.
* :class:`DeltaNotation` writes the backward pass as the lecture does: each neuron's error term
  δ = −∂E/∂s (δ_G = (t − y)·y'_G at the output, δ_D = (Σ_j w_j←D·δ_j)·y'_D behind it) and each
  weight's update Δw = μ·δ·h.  Every number is read from the replayed backward pass
  (:func:`replay_backward`, which the stepper shows step by step), never from a formula that
  could disagree with it: the symbols name the factors, the numbers are the engine's.
* :func:`tlu_inequality` writes the inequality a threshold logic unit tests, ``3 x1 + 2 x2 ≥ 4``.

Example:
    >>> derivative("E", "t - y"), derivative("(t - y)^2", "t - y")
    ('∂E/∂(t - y)', '∂((t - y)^2)/∂(t - y)')
    >>> from autograd_nn.lecture import worked_example
    >>> ex = worked_example()
    >>> delta = DeltaNotation(ex.error, ex.model, ex.names, learning_rate=ex.learning_rate)
    >>> s_G = ex.output.parents[0]
    >>> delta.caption(s_G)
    "δ_G = (t - y)·y'_G = 0.2355 × 0.1800 = 0.0424"
"""

from __future__ import annotations

import math
import re

from autograd_nn import ops
from autograd_nn.graph import topological_order

from ._util import check_choice, factor, fmt, op_text, operand_partner
from .naming import Naming, graph_naming, model_names, parameter_rule

__all__ = [
    "NOTATIONS", "DeltaNotation", "check_learning_rate", "check_notation", "derivative",
    "parenthesize", "replay_backward", "tlu_inequality", "written_name",
]

#: How the backward pass is written: "grad" (∂E/∂n, the default) or "delta" (the lecture's δ and Δw).
NOTATIONS = ("grad", "delta")

# An operator or a space makes a name a compound expression: "t - y", "x**2", "Σ (t_j - y_j)^2".
_COMPOUND = re.compile(r"[\s+\-−*×/÷^·=<>]")
# More terms than this are summed as Σ_j in symbols (the numbers still show every term).
_MAX_TERMS = 3


def replay_backward(root, topo=None, seed: float = 1.0):
    """This pass's gradients computed from the local derivatives, without touching the graph.

    Returns ``(order, grads, contributions)``: the nodes in the order backward visits them
    (reverse topological), ``grads[id(node)]`` = d root / d node, and for each node the list of
    ``(consumer, parent_index, local, consumer_grad)`` terms its gradient is the sum of.

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(3.0); y = x * x
        >>> order, grads, parts = replay_backward(y)
        >>> grads[id(x)], len(parts[id(x)])
        (6.0, 2)
    """
    topo = topo if topo is not None else topological_order(root)
    grads = {id(n): 0.0 for n in topo}
    contributions: dict[int, list] = {id(n): [] for n in topo}
    grads[id(root)] = float(seed)
    order = list(reversed(topo))
    for node in order:
        g = grads[id(node)]
        for i, (parent, d) in enumerate(zip(node.parents, node.local)):
            grads[id(parent)] += d * g
            contributions[id(parent)].append((node, i, d, g))
    return order, grads, contributions


def _enclosed(text: str) -> bool:
    """Whether all of ``text`` is one parenthesised group: "(t - y)" is, "(t - y)^2" is not."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and k < len(text) - 1:
            return False
    return True


def parenthesize(name) -> str:
    """``name`` in parentheses if it is a compound expression (holds an operator or a space).

    A name that already is one parenthesised group stays as it is.

    Example:
        >>> parenthesize("t - y"), parenthesize("w_DA"), parenthesize("(t - y)"), parenthesize("L0.N1")
        ('(t - y)', 'w_DA', '(t - y)', 'L0.N1')
    """
    text = str(name)
    if not _COMPOUND.search(text) or _enclosed(text):
        return text
    return f"({text})"


def derivative(num, den) -> str:
    """``∂num/∂den``, each name in parentheses where it is a compound expression.

    Example:
        >>> derivative("E", "t - y"), derivative("s_D", "w_DA")
        ('∂E/∂(t - y)', '∂s_D/∂w_DA')
    """
    return f"∂{parenthesize(num)}/∂{parenthesize(den)}"


def written_name(node, naming: Naming | None = None) -> str:
    """The name a caption writes for ``node``: its display name, else its op in parentheses.

    An unnamed leaf is "(leaf)".  ``naming`` is the graph's :class:`viz.naming.Naming` (the
    node's own label without one).

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(2.0, label="x")
        >>> written_name(x), written_name(x * 3), written_name(Value(1.0))
        ('x', '(× 3)', '(leaf)')
    """
    name = (naming or Naming()).name(node)
    if name:
        return name
    return f"({op_text(node)})" if node.parents else "(leaf)"


def check_notation(notation, where: str) -> str:
    """``notation`` itself if it is one of :data:`NOTATIONS`, else ``ValueError`` listing them.

    Example:
        >>> check_notation("delta", "backward_steps")
        'delta'
    """
    return check_choice("notation", notation, NOTATIONS, where)


def check_learning_rate(learning_rate) -> float | None:
    """The learning rate μ as a float: a positive finite number, or None (μ stays a symbol).

    Example:
        >>> check_learning_rate(10), check_learning_rate(None)
        (10.0, None)
    """
    if learning_rate is None:
        return None
    if (
        isinstance(learning_rate, bool)
        or not isinstance(learning_rate, (int, float))
        or not (math.isfinite(learning_rate) and learning_rate > 0)
    ):
        raise ValueError(f"learning_rate must be a positive finite number or None, got {learning_rate!r}")
    return float(learning_rate)


class DeltaNotation:
    """The lecture's delta rule for one graph: δ of each neuron, Δw of each parameter, in symbols.

    ``model`` (and ``names``) say which nodes are a neuron's weighted sum s and its activation y
    (see :mod:`viz.naming`).  The error term of a neuron is δ = −∂E/∂s; a parameter's update is
    Δw = −μ·∂E/∂w = μ·Σ δ·h over the sums it feeds (μ = ``learning_rate``; with None, μ stays a
    symbol and the numbers are Δw/μ).  The numbers come from :func:`replay_backward`
    (pass ``replay``, its result, to share one replay), so the graph's ``.grad`` fields are not
    read.  ``params`` and the rule for parameters are as in :func:`viz.draw_graph`.

    Example:
        >>> from autograd_nn.lecture import worked_example
        >>> ex = worked_example()
        >>> delta = DeltaNotation(ex.error, ex.model, ex.names, learning_rate=10)
        >>> round(delta.delta(ex.hidden[0].parents[0]), 4), round(delta.update(ex.weights["w_GD"]), 4)
        (0.0171, 0.3816)
        >>> delta.caption(ex.weights["w_GD"])
        'Δw_GD = μ·δ_G·h_D = 10 × 0.0424 × 0.9002 = 0.3816'
    """

    def __init__(
        self, root, model=None, names=None, *, learning_rate=None, params=None, topo=None, naming=None,
        replay=None,
    ) -> None:
        self.root = root
        self.topo = topo if topo is not None else topological_order(root)
        self.naming = naming if naming is not None else graph_naming(self.topo, model, names)
        self.learning_rate = check_learning_rate(learning_rate)
        _, self.grads, self.contributions = replay if replay is not None else replay_backward(root, self.topo)
        self.is_param = parameter_rule(model, params)
        #: id(weighted sum node) -> the name of its neuron (δ_<name>)
        self.units: dict[int, str] = {}
        #: id(activation node) -> the name of its neuron (y'_<name> is its local derivative)
        self.activations: dict[int, str] = {}
        for neuron in model_names(model, names).neurons if model is not None else ():
            # The bias feeds exactly its neuron's sums; naming put those, and only those, in its group.
            bias = getattr(neuron.neuron, "b", None)
            for s, *_ in self.contributions.get(id(bias), ()):
                if self.naming.group(s) != neuron.name:
                    continue
                self.units[id(s)] = neuron.name
                for act, *_ in self.contributions[id(s)]:
                    if act.op == neuron.neuron.activation and self.naming.group(act) == neuron.name:
                        self.activations[id(act)] = neuron.name

    def delta(self, node) -> float | None:
        """δ = −∂E/∂s of a neuron's weighted sum ``node``; None for any other node.

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> ex = worked_example()
            >>> d = DeltaNotation(ex.error, ex.model, ex.names)
            >>> round(d.delta(ex.output.parents[0]), 4), d.delta(ex.output)
            (0.0424, None)
        """
        return -self.grads[id(node)] + 0.0 if id(node) in self.units else None

    def update(self, node) -> float | None:
        """Δw = −μ·∂E/∂w of a parameter ``node`` (Δw/μ without a learning rate); None otherwise.

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> ex = worked_example()
            >>> round(DeltaNotation(ex.error, ex.model, ex.names).update(ex.weights["w_DA"]), 4)
            0.0171
        """
        if not self._is_update(node):
            return None
        return (self.learning_rate or 1.0) * -self.grads[id(node)] + 0.0

    def labels(self, decimals: int = 4) -> dict[int, str]:
        """``{id(node): text}``: "δ_G = 0.0424" for each neuron's sum, "Δw_GD = 0.3816" for each parameter.

        Without a learning rate a parameter reads "Δw_GD = μ × 0.0382".

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> ex = worked_example()
            >>> labels = DeltaNotation(ex.error, ex.model, ex.names, learning_rate=10).labels()
            >>> labels[id(ex.output.parents[0])], labels[id(ex.weights["w_GF"])]
            ('δ_G = 0.0424', 'Δw_GF = 0.4239')
        """
        out = {}
        for node in self.topo:
            if id(node) in self.units:
                out[id(node)] = f"{self._delta_symbol(node)} = {fmt(self.delta(node), decimals)}"
            elif self._is_update(node):
                out[id(node)] = f"Δ{written_name(node, self.naming)} = {self._update_text(node, decimals)}"
        return out

    def caption(self, node, decimals: int = 4) -> str | None:
        """How the lecture writes the step of backward at ``node``, or None where it has no symbol.

        A neuron's sum: ``δ_D = (w_GD·δ_G)·y'_D = 0.1908 × 0.0898 = 0.0171``; a parameter:
        ``Δw_DA = μ·δ_D·x1 = ...``; a node whose consumers are all sums (a hidden output h, an
        input): ``−∂E/∂h_D = w_GD·δ_G = ...``.  Each term is one edge from ``node`` to a consumer:
        a symbol for the consumer's −∂E and one for the edge's local derivative.  The error's own
        nodes and the output y have no δ symbol: None (write them as ∂E/∂n).

        Example:
            >>> from autograd_nn.lecture import worked_example
            >>> ex = worked_example()
            >>> d = DeltaNotation(ex.error, ex.model, ex.names)
            >>> d.caption(ex.hidden[0])
            '−∂E/∂h_D = w_GD·δ_G = 4.5000 × 0.0424 = 0.1908'
            >>> d.caption(ex.output) is None
            True
        """
        parts = self.contributions[id(node)]
        if node is self.root or not parts:
            return None
        if id(node) in self.units:
            symbols, numbers = self._terms(node, parts, decimals)
            return f"{self._delta_symbol(node)} = {symbols} = {numbers} = {fmt(self.delta(node), decimals)}"
        if self._is_update(node):
            symbols, numbers = self._terms(node, parts, decimals, grouped=True)
            name = f"Δ{written_name(node, self.naming)}"
            mu = "μ" if self.learning_rate is None else f"{self.learning_rate:g}"
            return f"{name} = μ·{symbols} = {mu} × {numbers} = {self._update_text(node, decimals)}"
        if self._feeds_sums(node):
            symbols, numbers = self._terms(node, parts, decimals)
            lhs = f"−{derivative(self._root_name(), written_name(node, self.naming))}"
            return f"{lhs} = {symbols} = {numbers} = {fmt(-self.grads[id(node)] + 0.0, decimals)}"
        return None

    # -- the pieces of a caption ------------------------------------------------------------------

    def _root_name(self) -> str:
        return self.naming.name(self.root) or "root"

    def _update_text(self, node, decimals: int) -> str:
        """Δw as a number, or as μ times a number without a learning rate."""
        value = self.update(node)
        return fmt(value, decimals) if self.learning_rate is not None else f"μ × {factor(value, decimals)}"

    def _delta_symbol(self, node) -> str:
        return f"δ_{self.units[id(node)]}"

    def _is_update(self, node) -> bool:
        return not node.parents and self.is_param(node) and bool(self.contributions[id(node)])

    def _feeds_sums(self, node) -> bool:
        parts = self.contributions[id(node)]
        return bool(parts) and all(id(c) in self.units for c, *_ in parts)

    def _terms(self, node, parts, decimals: int, grouped: bool = False) -> tuple[str, str]:
        """The sum over the edges from ``node`` to its consumers, in symbols and in numbers.

        Each term multiplies the consumer's −∂E (δ_j, ...) and the edge's local derivative (w, h,
        y'), in the lecture's order: δ·h and (t − y)·y' (the factor of the consumer first) for a
        parameter and through an activation, w·δ (the edge first) into a weighted sum.
        ``grouped`` puts a sum of several terms in parentheses (it is then multiplied by μ).
        """
        symbols, numbers = [], []
        for c, i, d, g in parts:
            pair = [(self._local_symbol(c, i, node), factor(d, decimals)),
                    (self._minus_grad_symbol(c), factor(-g + 0.0, decimals))]
            if self._is_update(node) or id(c) in self.activations:
                pair.reverse()
            symbols.append("·".join(s for s, _ in pair))
            numbers.append(" × ".join(n for _, n in pair))
        if len(symbols) > _MAX_TERMS:
            symbol = self._sum_symbol(node)
        else:
            symbol = " + ".join(symbols)
        number = " + ".join(numbers)
        if grouped and len(parts) > 1:
            symbol, number = (symbol if symbol.startswith("Σ") else f"({symbol})"), f"({number})"
        return symbol, number

    def _sum_symbol(self, node) -> str:
        """Σ_j over many consumers: Σ_j w_j←D·δ_j into the sums of a layer, else Σ_c over the edges."""
        if self._is_update(node):
            return "Σ δ·h"
        if self._feeds_sums(node):
            return f"Σ_j w_j←{self.naming.group(node) or written_name(node, self.naming)}·δ_j"
        name = written_name(node, self.naming)
        return f"Σ_c (−{derivative(self._root_name(), 'c')})·{derivative('c', name)}"

    def _local_symbol(self, c, i: int, node) -> str:
        """The local derivative ∂c/∂node of the edge into ``c``: y'_D, a partner (w_GD, h_D), a constant."""
        if id(c) in self.activations:
            return f"y'_{self.activations[id(c)]}"
        partner = operand_partner(c, i)
        if partner is not None:
            return parenthesize(written_name(partner, self.naming))
        if ops.get(c.op).constant == "layout":
            # a weighted sum's bias (local 1) or a weight times a constant input
            return f"{c.local[i]:g}"
        return derivative(written_name(c, self.naming), written_name(node, self.naming))

    def _minus_grad_symbol(self, c) -> str:
        """How −∂E/∂c is written as a factor: δ_G, (t - y), (w_GD·δ_G), or (−∂E/∂c)."""
        if id(c) in self.units:
            return self._delta_symbol(c)
        difference = self._error_difference(c)
        if difference is not None:
            return parenthesize(difference)
        if self._feeds_sums(c):
            parts = self.contributions[id(c)]
            if len(parts) > _MAX_TERMS:
                return f"({self._sum_symbol(c)})"
            return parenthesize(" + ".join(
                f"{self._local_symbol(k, i, c)}·{self._minus_grad_symbol(k)}" for k, i, *_ in parts
            ))
        return f"(−{derivative(self._root_name(), written_name(c, self.naming))})"

    def _error_difference(self, y) -> str | None:
        """The name of the node t − y when E = ½(t − y)² makes −∂E/∂y equal to it, else None.

        Checked on the numbers: y has one consumer, a t − y node, and −∂E/∂y equals its value.
        """
        parts = self.contributions[id(y)]
        if len(parts) != 1:
            return None
        c, _, d, _ = parts[0]
        if c.op != "rsub" or d != -1.0:
            return None
        if not math.isclose(-self.grads[id(y)], float(c.data), rel_tol=1e-9, abs_tol=1e-12):
            return None
        return self.naming.name(c) or "t − y"


def tlu_inequality(w, threshold, names=None) -> str:
    """The inequality a TLU tests, as the lecture writes it: ``3 x1 + 2 x2 ≥ 4``.

    ``names`` name the inputs (``x1``, ``x2``, ... by default); a zero weight is left out.

    Example:
        >>> tlu_inequality([2, -2], -1), tlu_inequality([1, 0, 1.5], 2, names=["a", "b", "c"])
        ('2 x1 - 2 x2 ≥ -1', 'a + 1.5 c ≥ 2')
    """
    names = names or [f"x{i + 1}" for i in range(len(w))]
    terms = []
    for name, wi in zip(names, w):
        if wi == 0:
            continue
        sign = "-" if wi < 0 else "+"
        mag = "" if abs(wi) == 1 else f"{abs(wi):g} "
        terms.append(f"{sign} {mag}{name}")
    text = " ".join(terms).lstrip("+ ") or "0"
    if text.startswith("- "):
        text = "-" + text[2:]
    return f"{text} ≥ {threshold:g}"
