"""Read what a diagram shows, so that a notebook's asserts check the picture itself.

Graphviz gives every node and arrow of its SVG a group ``<g id=...>`` holding the texts it
draws; an arrow's ``<title>`` is ``tail->head``.  The tutorials import these helpers beside
``extras``::

    from svg_text import SVG, drawn, text, weight_labels
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def drawn(diagram) -> dict[str, ET.Element]:
    """The diagram as Graphviz draws it: its SVG groups by id.

    Example:
        >>> import viz
        >>> from autograd_nn import lecture
        >>> shown = drawn(viz.draw_tlu(lecture.conjunction_tlu()))
        >>> text(shown["w1_label"]), shown["w1"].findtext(f"{SVG}title")
        ('3', 'x1->sum')
    """
    root = ET.fromstring(diagram.pipe(format="svg"))
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def text(element: ET.Element) -> str:
    """The text an SVG group shows, its lines joined by spaces.

    Example:
        >>> text(ET.fromstring(f'<g xmlns="{SVG[1:-1]}"><text>h1</text><text>θ = -1</text></g>'))
        'h1 θ = -1'
    """
    return " ".join(t.text for t in element.findall(f"{SVG}text"))


def weight_labels(shown: dict[str, ET.Element]) -> dict[str, str]:
    """Each labelled arrow of a drawn network, ``"tail->head"``, with the weight written on it.

    Example:
        >>> import viz
        >>> from autograd_nn import lecture
        >>> weight_labels(drawn(viz.draw_tlu(lecture.conjunction_tlu())))["x2->sum"]
        '2'
    """
    return {el.findtext(f"{SVG}title"): text(shown[f"{key}_label"])
            for key, el in shown.items() if el.get("class") == "edge" and f"{key}_label" in shown}
