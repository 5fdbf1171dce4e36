"""Small shared pieces of the diagrams: input checks, number formatting, escaping, stable ids."""

from __future__ import annotations

import html
import math
import re
import reprlib

import numpy as np

from autograd_nn import Tensor, Value, ops
from autograd_nn.nn import Module

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
    return isinstance(obj, Module)


def is_tensor_node(node) -> bool:
    """A Tensor of the tensor engine (or anything keeping the node protocol over numpy data)."""
    if isinstance(node, Tensor):
        return True
    return isinstance(getattr(node, "data", None), (np.ndarray, np.generic))


def check_root(root, where: str) -> bool:
    """Raise ``TypeError`` unless ``root`` is a graph node; return whether it is a Tensor node."""
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


#: Characters no label can hold as they are: C0 and C1 controls and DEL (Graphviz's XML parser
#: rejects C0, and none of them can be seen), lone surrogates (no UTF-8 file can store one) and
#: the two noncharacters XML forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return repr(match.group())[1:-1] if code < 0xD800 else f"\\u{code:04x}"


def printable(text) -> str:
    """``text`` with every character no diagram can hold written as Python writes it in a string.

    Control characters become ``\\n``, ``\\t``, ``\\x01``, ``\\x85``; a lone surrogate becomes
    ``\\ud800``: visible on the slide, and a ``.dot`` file that Graphviz always parses.

    Example:
        >>> print(printable("a\\x01b\\nc\\ud800"))
        a\\x01b\\nc\\ud800
    """
    return _UNPRINTABLE.sub(_shown, str(text))


def esc(text) -> str:
    """Escape user text for a Graphviz HTML-like label, so <, >, & and quotes show verbatim.

    Characters a label cannot hold are shown as :func:`printable` writes them.

    Example:
        >>> esc('a<b & "c"\\x1b')
        'a&lt;b &amp; &quot;c&quot;\\\\x1b'
    """
    return html.escape(printable(text), quote=True)


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


def op_word(op: str) -> str:
    """An identifier-safe word for an op name, for the ids of unlabelled nodes (``"op"`` for ``"*"``).

    Example:
        >>> op_word("sigmoid"), op_word("*")
        ('sigmoid', 'op')
    """
    return id_part(op) or "op"


#: How an op node writes its operand beside a constant ("1 − ·"): a symbol no variable is named.
OPERAND = "·"


def op_text(node) -> str:
    """The text of an op node: the op table's symbol and, where the op keeps one, its constant.

    The constant stands where :attr:`autograd_nn.ops.Op.constant` says: after the symbol for
    x − c (``"− 1"``; a power reads ``"·**2"``), before it for c − x (``"3 − ·"``), as a sum's
    constant term (``"Σ + 2"``).  The operand is written ``·``, a letter no node is named.  An op
    the table does not know raises :class:`~autograd_nn.ops.UnknownOpError`.

    Example:
        >>> from autograd_nn import Value
        >>> x = Value(2.0)
        >>> [op_text(n) for n in (x * 0.5, 3 - x, x ** 2, 2 ** x, x.sigmoid(), Value.sum([x], 1))]
        ['× 0.5', '3 − ·', '·**2', '2**·', 'σ', 'Σ + 1']
    """
    op = ops.get(node.op)
    const = getattr(node, "const", None)
    if not isinstance(const, (int, float)) or op.constant in ("", "layout"):
        return op.symbol
    c = f"{const:g}"
    if op.constant == "any":
        return f"{op.symbol} + {c}" if const >= 0 else f"{op.symbol} − {-const:g}"
    # A power is written without spaces, as Python writes it: ·**2, 2**·.  The operand is "·",
    # not "x": x1, x2 are the inputs' names.
    gap = "" if op.symbol == "**" else " "
    if op.constant == "left":
        return f"{c}{gap}{op.symbol}{gap}{OPERAND}"
    return f"{OPERAND}{op.symbol}{c}" if gap == "" else f"{op.symbol} {c}"


_MUL = ops.get("*")


def operand_partner(node, i: int):
    """The operand that ``node.parents[i]`` is multiplied by in ``node`` (w_k ↔ h_k), or None.

    The other operand of a product ``a * b``; in a weighted sum, the partner its
    :class:`~autograd_nn.ops.WeightedSum` layout pairs it with (None for the bias and for a
    weight or input whose partner is a constant).

    Example:
        >>> from autograd_nn import Value
        >>> w, h, b = Value(2.0, label="w"), Value(3.0, label="h"), Value(1.0, label="b")
        >>> s = Value.dot([w], [h], b)
        >>> operand_partner(s, 0).label, operand_partner(s, 1).label, operand_partner(s, 2)
        ('h', 'w', None)
    """
    op = ops.get(node.op)
    if op.constant == "layout":
        j = node.const.partner(i)
        return None if j is None else node.parents[j]
    if op is _MUL and len(node.parents) == 2:
        return node.parents[1 - i]
    return None


def activation_text(activation) -> str:
    """How a unit's activation is written inside its circle: the op table's symbol and the name.

    ``"linear"`` (no activation node at all) reads "linear".

    Example:
        >>> activation_text("sigmoid"), activation_text("tanh"), activation_text("linear")
        ('σ sigmoid', 'tanh', 'linear')
    """
    if activation in (None, "", "linear"):
        return "linear"
    symbol = ops.get(activation).symbol
    return activation if symbol == activation else f"{symbol} {activation}"


#: The orientations every diagram accepts: left to right (the lecture's) or top to bottom.
RANKDIRS = ("LR", "TB")
#: ``fit="slide"``: a 16:9 slide, in inches (PowerPoint's and Keynote's widescreen page).
SLIDE = (13.33, 7.5)
FITS = (None, "slide", "(width, height) in inches")


def check_choice(name: str, value, choices, where: str) -> str:
    """``value`` itself if it is one of the strings ``choices``, else ``ValueError`` listing them.

    Example:
        >>> check_choice("color", "grad", ("role", "grad"), "draw_graph")
        'grad'
        >>> check_choice("color", "red", ("role", "grad"), "draw_graph")
        Traceback (most recent call last):
        ...
        ValueError: draw_graph: color must be one of ('role', 'grad'), got 'red'
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{where}: {name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_rankdir(rankdir, where: str) -> str:
    """``rankdir`` itself if it is "LR" or "TB", else ``ValueError`` listing the choices.

    Example:
        >>> check_rankdir("TB", "draw_graph")
        'TB'
    """
    return check_choice("rankdir", rankdir, RANKDIRS, where)


def check_fit(fit, where: str) -> tuple[float, float] | None:
    """The page ``fit`` asks for, in inches: None (natural size), "slide" or ``(width, height)``.

    Anything else is a ``ValueError`` listing the choices.

    Example:
        >>> check_fit("slide", "draw_graph"), check_fit((4, 3), "draw_graph"), check_fit(None, "x")
        ((13.33, 7.5), (4.0, 3.0), None)
    """
    if fit is None:
        return None
    if isinstance(fit, str) and fit == "slide":
        return SLIDE
    if isinstance(fit, (tuple, list)) and len(fit) == 2:
        size = []
        for v in fit:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0.5 <= v <= 200):
                break
            size.append(float(v))
        else:
            return size[0], size[1]
    raise ValueError(
        f"{where}: fit must be one of None (natural size), 'slide' (16:9, 13.33 x 7.5 in) or "
        f"(width, height) in inches from 0.5 to 200, got {fit!r}"
    )
