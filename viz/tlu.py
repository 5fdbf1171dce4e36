"""``draw_tlu``: the lecture's picture of one threshold logic unit.

The lecture's TLU takes inputs x1 ... xn, each with a weight, and outputs y = 1 if
Σ wᵢ xᵢ ≥ θ, else 0.  The picture shows exactly that: the inputs, each weight written on its
arrow, a Σ node that sums them, the step at the threshold (a node "≥ θ" with θ's value) and the
output y, with the unit's inequality as the caption.  It is a :class:`viz.network.Picture`, so it
is drawn like every diagram (:func:`viz._emit.to_digraph`); a network of TLUs is drawn by
:func:`viz.draw_network`.
"""

from __future__ import annotations

import graphviz

from autograd_nn.nn import TLU, TLUNetwork

from ._emit import to_digraph
from ._util import check_decimals, check_fit, check_rankdir, describe
from .network import (
    INPUT_COLOURS,
    POINTS,
    X_STEP,
    Y_STEP,
    Picture,
    circle,
    column_y,
    short_number,
    two_lines,
    weight_colour,
)
from .notation import tlu_inequality

__all__ = ["draw_tlu"]


def draw_tlu(tlu, *, input_names=None, decimals: int = 2, rankdir: str = "LR", fit=None) -> graphviz.Digraph:
    """The lecture's picture of a TLU: inputs, weights on the arrows, Σ, the threshold θ, the output y.

    Inputs ``x1, x2, ...`` (x1 on top; ``input_names`` names them instead) send their arrows
    into a Σ node, each arrow with its weight written on it (negative weights in red); the sum
    goes to the step, drawn as "≥ θ" with the threshold's value, whose output is y.  The caption
    is the inequality the unit tests (``y = 1 if 3 x1 + 2 x2 ≥ 4, else 0``).  Numbers are
    written with at most ``decimals`` decimals and no trailing zeros (3, -1.5).

    ``rankdir="TB"`` draws the picture top to bottom; ``fit`` scales it to a page (``"slide"``
    or ``(width, height)`` in inches).  Node ids: ``x1``..., ``sum``, ``threshold``, ``y``; the
    arrows' ids are ``w1``, ``w2``, ... (their labels ``w1_label``...).

    Example:
        >>> from autograd_nn.lecture import conjunction_tlu
        >>> dot = draw_tlu(conjunction_tlu())
        >>> "w1_label [label=<3>" in dot.source, "θ = 4" in dot.source
        (True, True)
        >>> dot.graph_attr["label"]
        '<y = 1 if 3 x1 + 2 x2 ≥ 4, else 0>'
    """
    if isinstance(tlu, TLUNetwork):
        raise TypeError("draw_tlu: got a TLUNetwork; draw_tlu draws one TLU, viz.draw_network draws networks")
    if not isinstance(tlu, TLU):
        raise TypeError(f"draw_tlu: expected an autograd_nn.nn.TLU, got {describe(tlu)}")
    decimals = check_decimals(decimals)
    rankdir = check_rankdir(rankdir, "draw_tlu")
    fit = check_fit(fit, "draw_tlu")
    xs = [f"x{k + 1}" for k in range(tlu.nin)]
    given = xs if input_names is None else [str(s) for s in input_names]
    if len(given) != tlu.nin:
        raise ValueError(f"draw_tlu: {len(given)} input_names for {tlu.nin} inputs")

    pic = Picture()
    step = X_STEP * POINTS
    total = pic.node("sum", (step, 0), circle("<<FONT POINT-SIZE='26'>Σ</FONT>>"))
    for k, (name, x) in enumerate(zip(given, xs)):
        label = two_lines(name, x, 10) if name != x else two_lines(x)
        xid = pic.node(x, (0, column_y(tlu.nin, k)), circle(label, INPUT_COLOURS))
        w = tlu.w[k].data
        pic.arrow(xid, total, f"w{k + 1}", short_number(w, decimals), weight_colour(w))
    theta = short_number(tlu.threshold.data, decimals)
    # The step sits at the threshold: "≥ θ" with its value, half a layer after the sum.
    gap = Y_STEP * POINTS
    gate = pic.node("threshold", (step + 1.4 * gap, 0), circle(two_lines("≥ θ", f"θ = {theta}", 11)))
    pic.arrow(total, gate, "s")
    out = pic.node("y", (step + 2.5 * gap, 0), {"label": "y", "shape": "plaintext", "fontsize": "14"})
    pic.arrow(gate, out, "out_y")
    weights = [float(short_number(w.data, decimals)) for w in tlu.w]
    caption = f"y = 1 if {tlu_inequality(weights, float(theta), given)}, else 0"
    return to_digraph(pic.scene(rankdir, fit, caption, decimals), name="tlu")
