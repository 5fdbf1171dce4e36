"""Style: colours, contrast and the HTML labels of value and op nodes, shared by every diagram.

Example:
    >>> text_on("#ffffff"), round(contrast("#000000", "#ffffff"), 1)
    ('#000000', 21.0)
"""

from __future__ import annotations

import html
import math
import re

import numpy as np

from ._util import esc, fmt, op_text

ROLE_COLOURS = {
    "input": "#d5e8d4",
    "parameter": "#fff2cc",
    "intermediate": "#f5f5f5",
    "loss": "#f8cecc",
}
ROLE_BORDERS = {
    "input": "#82b366",
    "parameter": "#d6b656",
    "intermediate": "#999999",
    "loss": "#b85450",
}
FONT = "Helvetica"
EDGE_FONTSIZE = 11

def op_attrs(node, op_id: str) -> dict:
    return {
        "id": op_id,
        "label": f"<{esc(op_text(node))}>",
        "shape": "circle" if len(op_text(node)) <= 2 else "ellipse",
        "style": "filled",
        "fillcolor": "#dae8fc",
        "color": "#6c8ebf",
        "fontsize": "11",
        "margin": "0.02",
        "width": "0.35",
        "height": "0.35",
    }


def value_attrs(vn, tensor: bool, decimals: int) -> dict:
    """The attributes of a value node as the plain graph draws it (views restyle its label)."""
    return {"id": vn.id, "shape": "plain", "label": value_label(vn, tensor, decimals)}


def value_label(
    vn,
    tensor: bool,
    decimals: int,
    grad_text=None,
    fill=None,
    border=None,
    border_width: int = 1,
    grey: bool = False,
    text_colour: str | None = None,
) -> str:
    """The HTML table of a value node ``vn`` (a :class:`viz._scene.ValueNode`): name, data, grad, note.

    A Tensor node shows its op, shape and dtype instead of data and grad.
    """
    n = vn.node
    fill = fill or ROLE_COLOURS[vn.role]
    border = border or ROLE_BORDERS[vn.role]
    font = ' COLOR="#999999"' if grey else (f' COLOR="{text_colour}"' if text_colour else "")
    rows = []
    if vn.name:
        rows.append(f"<B>{esc(vn.name)}</B>")
    if tensor:
        rows.append(f"{esc(n.op or 'leaf')} {esc(tuple(np.shape(n.data)))}")
        rows.append(esc(str(np.asarray(n.data).dtype)))
    else:
        rows.append(f"data {fmt(n.data, decimals)}")
        if grad_text is None:
            grad_text = fmt(n.grad, decimals)
        rows.append(f"grad {grad_text}")
    if vn.note:
        rows.append(f"<I>{esc(vn.note)}</I>")
    cells = "".join(f"<TR><TD>{f'<FONT{font}>{r}</FONT>' if font else r}</TD></TR>" for r in rows)
    return (
        f'<<TABLE BORDER="{border_width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
        f'BGCOLOR="{fill}" COLOR="{border}" STYLE="rounded">{cells}</TABLE>>'
    )


def grad_colour(g: float, biggest: float) -> str:
    """Blue for a positive gradient, red for a negative one, deeper for a larger magnitude."""
    if not math.isfinite(g):
        return "#ff00ff"
    if biggest <= 0.0 or g == 0.0:
        return "#ffffff"
    # The square root keeps small but nonzero gradients visible next to a large one.
    t = min(1.0, math.sqrt(abs(g) / biggest))
    r0, g0, b0 = (0x2B, 0x6C, 0xB0) if g > 0 else (0xC0, 0x39, 0x2B)
    mix = [round(255 + (c - 255) * (0.15 + 0.85 * t)) for c in (r0, g0, b0)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2), from 0 (black) to 1 (white).

    Example:
        >>> luminance("#ffffff"), luminance("#000000")
        (1.0, 0.0)
    """
    channels = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; 4.5 is the minimum for normal text).

    Example:
        >>> round(contrast("#000000", "#ffffff"), 1)
        21.0
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (always at least 4.5:1).

    Example:
        >>> text_on("#ffffff"), text_on("#2b6cb0")
        ('#000000', '#ffffff')
    """
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


# Helvetica advance widths in 1/1000 em (Adobe's font metrics), for the characters diagrams write.
_WIDTHS = {
    **dict.fromkeys("0123456789abcdeghnopqu_?", 556),
    **dict.fromkeys("ksvxyz", 500),
    **dict.fromkeys("fjt/[] ", 278),
    **dict.fromkeys("ilI.,:;|!'", 222),
    **dict.fromkeys("ABEFKPSVXY", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("=+×−<>", 584),
    **dict.fromkeys("LTZJ", 611),
    "r": 333, "m": 833, "M": 833, "W": 944, "-": 333, "(": 333, ")": 333, "·": 278, "∂": 494,
    "Σ": 600, "σ": 600, "δ": 556, "Δ": 612, "μ": 576, "θ": 556, "≥": 549, "²": 333, "…": 1000,
    "%": 889, "*": 389, "^": 469, "′": 247, "½": 834,
}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points, in Helvetica at ``size`` points, estimated a little generously.

    Graphviz does not say how wide it drew a text; labels are placed by this estimate.

    Example:
        >>> round(text_width("w_DA", 10), 1)
        28.0
    """
    em = sum(_WIDTHS.get(ch, 600) for ch in text) / 1000
    return em * size * 1.05 * (1.07 if bold else 1.0)


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<BR[^>]*>", re.I)


def label_size(label: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in points of an HTML-like label ``<...>`` (lines split at ``<BR/>``).

    ``bold``: as wide as the label in bold (as a highlighted path draws it).

    Example:
        >>> w, h = label_size("<<B>∂y/∂x = 2.0000</B>>", 10)
        >>> round(w), round(h)
        (76, 14)
    """
    body = label[1:-1] if label.startswith("<") and label.endswith(">") else html.escape(label)
    bold = bold or "<B>" in body
    lines = [html.unescape(_TAG.sub("", part)) for part in _BREAK.split(body)]
    width = max(text_width(line, size, bold) for line in lines)
    return width + 4.0, 1.2 * size * len(lines) + 2.0

