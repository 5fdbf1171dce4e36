"""Small shared pieces of the diagrams: input checks, number formatting, escaping, stable ids."""

from __future__ import annotations

import html
import math
import re
import reprlib

import numpy as np

#: The default node limit: above it a graph is unreadable as one picture.
DEFAULT_MAX_NODES = 300

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60


def describe(obj) -> str:
    """``TypeName: short repr`` of a user's argument, for error messages."""
    return f"{type(obj).__name__}: {_short.repr(obj)}"


def is_module(obj) -> bool:
    """Whether ``obj`` is an autograd_nn Module (a model, not a graph node)."""
    from autograd_nn.nn import Module

    return isinstance(obj, Module)


def is_tensor_node(node) -> bool:
    """A Tensor of the tensor engine (or anything keeping the node protocol over numpy data)."""
    try:
        from autograd_nn import Tensor
    except ImportError:  # the tensor engine is optional to the diagrams
        Tensor = None
    if Tensor is not None and isinstance(node, Tensor):
        return True
    return isinstance(getattr(node, "data", None), (np.ndarray, np.generic))


def check_root(root, where: str) -> bool:
    """Raise ``TypeError`` unless ``root`` is a graph node; return whether it is a Tensor node."""
    from autograd_nn import Value

    if isinstance(root, Value):
        return False
    if is_module(root):
        raise TypeError(
            f"{where}: got the model {type(root).__name__}, a Module; this function draws a computation "
            f"graph, so pass the node it ends in (e.g. the loss Value). viz.draw_network(model) draws "
            f"the network itself"
        )
    if (
        isinstance(getattr(root, "parents", None), tuple)
        and isinstance(getattr(root, "op", None), str)
        and is_tensor_node(root)
    ):
        return True
    raise TypeError(
        f"{where}: expected the root of a computation graph (an autograd_nn Value or Tensor), "
        f"got {describe(root)}"
    )


def check_decimals(decimals) -> int:
    """``decimals`` itself if it is an int from 0 to 12, else ``ValueError`` naming the value.

    Example:
        >>> check_decimals(4)
        4
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an int from 0 to 12, got {decimals!r}")
    return decimals


def check_limit(count: int, max_nodes, where: str, collapsible: bool) -> None:
    """Raise ``ValueError`` for a bad ``max_nodes`` or a graph of more than ``max_nodes`` nodes.

    The message says how to draw it anyway (and, if ``collapsible``, about ``collapse=True``).

    Example:
        >>> check_limit(400, 300, "draw_graph", collapsible=False)
        Traceback (most recent call last):
        ...
        ValueError: draw_graph: the graph has 400 nodes, more than max_nodes=300, and would be ...
    """
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{where}: max_nodes must be a positive int, got {max_nodes!r}")
    if count > max_nodes:
        hint = " or draw each neuron (cluster) as one node with collapse=True" if collapsible else ""
        raise ValueError(
            f"{where}: the graph has {count} nodes, more than max_nodes={max_nodes}, and would be "
            f"unreadable as one picture; pass max_nodes={count} (or more) to draw it anyway{hint}"
        )


def fmt(x: float, decimals: int = 4) -> str:
    """A number as a slide shows it: fixed decimals, scientific only where fixed would hide it.

    Example:
        >>> fmt(0.90024951), fmt(-3.7, 2), fmt(1.5e-7), fmt(float("nan"))
        ('0.9002', '-3.70', '1.500e-07', 'nan')
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    a = abs(x)
    if a != 0.0 and (a >= 1e7 or a < 0.5 * 10.0**-decimals):
        return f"{x:.{max(decimals - 1, 1)}e}"
    text = f"{x:.{decimals}f}"
    # "-0.0000" only says a number rounded to zero from below; show plain zero.
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def factor(x: float, decimals: int = 4) -> str:
    """A number as a factor in a written product: negative ones in parentheses.

    Example:
        >>> factor(-0.5) + " × " + factor(2.0)
        '(-0.5000) × 2.0000'
    """
    text = fmt(x, decimals)
    return f"({text})" if text.startswith("-") else text


def esc(text) -> str:
    """Escape user text for a Graphviz HTML-like label, so <, >, & and quotes show verbatim.

    Example:
        >>> esc('a<b & "c"')
        'a&lt;b &amp; &quot;c&quot;'
    """
    return html.escape(str(text), quote=True)


_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


def id_part(text: str) -> str:
    """The identifier-safe part of a user label ("" if nothing of it is safe).

    Example:
        >>> id_part("∂E/∂w_DA"), id_part("1st layer"), id_part("∂")
        ('E_w_DA', 'n1st_layer', '')
    """
    s = _NOT_ID.sub("_", text).strip("_")
    if s and s[0].isdigit():
        s = "n" + s
    return s


class IdMaker:
    """Hands out unique, stable ids: a preferred name if free, else the name with a counter.

    Example:
        >>> ids = IdMaker()
        >>> ids.take("x"), ids.take("x"), ids.take("x")
        ('x', 'x_2', 'x_3')
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, name: str) -> str:
        """``name`` if no id so far has it, else ``name_2``, ``name_3``, ...; the id is then taken."""
        candidate = name
        k = 2
        while candidate in self.taken:
            candidate = f"{name}_{k}"
            k += 1
        self.taken.add(candidate)
        return candidate


#: How an op is written in its small node; names not listed are shown as they are.
OP_SYMBOLS = {
    "+": "+",
    "-": "−",
    "*": "×",
    "/": "÷",
    "neg": "−x",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "sigmoid": "σ",
    "relu": "relu",
    "step": "step",
    "abs": "|x|",
    "sum": "Σ",
    "wsum": "Σw·h",
    "**": "x**y",
    "rpow": "c**x",
    "matmul": "@",
    "@": "@",
}

#: Short words for ids of op nodes whose symbol is not identifier-safe.
OP_WORDS = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "**": "pow",
    "rsub": "rsub",
    "rdiv": "rdiv",
    "@": "matmul",
}


def op_word(op: str) -> str:
    """An identifier-safe word for an op name (``"*"`` -> ``"mul"``, ``"**2"`` -> ``"pow2"``)."""
    if op in OP_WORDS:
        return OP_WORDS[op]
    if op.startswith("**"):
        return "pow" + (id_part(op[2:].replace("-", "m").replace(".", "p")) or "")
    return id_part(op) or "op"


def op_text(node) -> str:
    """The text of an op node: its symbol and, for ops with one recorded operand, the constant."""
    op = node.op
    const = getattr(node, "const", None)
    if const is None:
        if op.startswith("**") and op != "**":
            return "x" + op
        return OP_SYMBOLS.get(op, op)
    if not isinstance(const, (int, float)):
        # e.g. the layout of constants a weighted sum records: nothing to write in the node
        return OP_SYMBOLS.get(op, op)
    c = f"{const:g}"
    if op == "sum":
        return f"Σ + {c}" if const >= 0 else f"Σ − {-const:g}"
    local = node.local[0] if getattr(node, "local", ()) else None
    if op == "-":
        # x - c has local +1; c - x (reflected) has local -1.
        return f"− {c}" if local == 1.0 else f"{c} − x"
    if op == "/":
        return f"÷ {c}" if local is not None and local == 1.0 / const else f"{c} ÷ x"
    if op.startswith("**") and op != "**":
        return "x" + op
    if op == "rpow":
        return f"{c}**x"
    if op == "rsub":
        return f"{c} − x"
    if op == "rdiv":
        return f"{c} ÷ x"
    return f"{OP_SYMBOLS.get(op, op)} {c}"


ACTIVATION_NAMES = {
    "sigmoid": "σ sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "step": "step",
    "linear": "linear",
    "identity": "linear",
    None: "linear",
    "": "linear",
}
