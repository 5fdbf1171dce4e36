"""The tutorials' HTML pages: offline and accessible.

nbconvert's lab template loads MathJax, require.js, mermaid and the Jupyter widget manager from
CDNs, so offline a page shows raw TeX and empty progress bars, and it labels every image "No
description has been provided".  Here equations become MathML at build time (browsers draw it
natively: no script at all), each progress bar becomes a static <progress> drawn from the widget
state the kernel left, every image gets the alt text its cell's ``alt`` metadata gives, and
check_page() reports any remote reference or unlabelled image that is left.  ``build.py`` runs the
notebooks and calls ``to_html`` and ``index_page``.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

IMAGE_MIMES = ("image/svg+xml", "image/png", "image/jpeg")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# The order in which nbconvert's HTMLExporter picks the one representation it shows of an output.
SHOWN_FIRST = (WIDGET_VIEW, "application/javascript", "text/html", "text/markdown", "image/svg+xml",
               "text/vnd.mermaid", "text/latex", "image/png", "image/jpeg", "text/plain")
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"

# The lab template, less everything that it would fetch from the network.
OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}<style type="text/css">
math { font-size: 1.15em; }  /* the math font runs small beside the text's */
.widget-static progress { vertical-align: middle; }
</style>{% endblock extra_css %}
{% block data_png scoped %}{{ super() | with_alt(output) }}{% endblock data_png %}
{% block data_jpg scoped %}{{ super() | with_alt(output) }}{% endblock data_jpg %}
{% block data_svg scoped %}{{ super() | with_alt(output) }}{% endblock data_svg %}
"""


@dataclass
class Page:
    """One line of the index: a notebook's page, what the notebook covers and how its run went."""

    name: str
    title: str
    status: str
    seconds: float
    lecture: list[str] = field(default_factory=list)


def shown_mime(output) -> str | None:
    """The representation nbconvert shows of a display output (None for streams and errors).

    Example:
        >>> shown_mime({"data": {"text/plain": "<Figure>", "image/png": "iVBO"}})
        'image/png'
    """
    data = output.get("data", {})
    return next((mime for mime in SHOWN_FIRST if mime in data), None)


def image_outputs(cell) -> list:
    """The outputs of a code cell that show as an image, in display order."""
    return [o for o in cell.get("outputs", []) if shown_mime(o) in IMAGE_MIMES]


def alt_texts(cell) -> list:
    """A cell's ``alt`` metadata as a list: one entry per image it shows.

    Example:
        >>> alt_texts({"metadata": {"alt": "The sigmoid"}}), alt_texts({"metadata": {}})
        (['The sigmoid'], [])
    """
    alt = cell.get("metadata", {}).get("alt", [])
    return list(alt) if isinstance(alt, list) else [alt]  # label_images reports a non-string


def _cell_ran(cell) -> bool:
    """Whether a code cell ran to its end (a failing notebook stops; later cells show nothing)."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return cell.get("execution_count") is not None and not errors


def label_images(nb, name: str) -> list[str]:
    """Put each image output's alt text into its metadata (``with_alt`` reads it there).

    Returns one problem per code cell whose images and ``alt`` entries do not pair up, naming the
    notebook, the cell and its first line, so that an author cannot forget the alt text.

    Example:
        >>> import nbformat
        >>> png = nbformat.v4.new_output("display_data", {"image/png": "iVBO", "text/plain": "<Figure>"})
        >>> cell = nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png], execution_count=1)
        >>> label_images(nbformat.v4.new_notebook(cells=[cell]), "demo.ipynb")
        ['demo.ipynb cell 0 (plt.plot(x)): shows 1 image(s) but has 0 alt text(s) in its alt metadata']
        >>> cell.metadata["alt"] = "A straight line"
        >>> label_images(nbformat.v4.new_notebook(cells=[cell]), "demo.ipynb"), png.metadata["alt"]
        ([], 'A straight line')
    """
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        images, alts = image_outputs(cell), alt_texts(cell)
        first_line = (cell.source.strip().splitlines() or [""])[0][:60]
        where = f"{name} cell {index} ({first_line})"
        if not all(isinstance(a, str) and a.strip() for a in alts):
            problems.append(f"{where}: each alt text must be a non-empty string, got {alts!r}")
        elif len(images) != len(alts) and (_cell_ran(cell) or len(images) > len(alts)):
            problems.append(f"{where}: shows {len(images)} image(s) but has {len(alts)} alt text(s) "
                            "in its alt metadata")
        for output, alt in zip(images, alts):
            output.setdefault("metadata", {})["alt"] = alt
    return problems


def with_alt(fragment: str, output) -> str:
    """The HTML nbconvert drew for an image output, with the output's alt text on it.

    An ``<img>`` gets ``alt``; an inline ``<svg>`` gets ``role="img"`` and ``aria-label``.

    Example:
        >>> with_alt('<div><img src="data:image/png;base64,iVBO"></div>', {"metadata": {"alt": 'A "plot"'}})
        '<div><img alt="A &quot;plot&quot;" src="data:image/png;base64,iVBO"></div>'
        >>> with_alt("<div><svg width='9'></svg></div>", {"metadata": {"alt": "A diagram"}})
        '<div><svg role="img" aria-label="A diagram" width=\\'9\\'></svg></div>'
    """
    alt = output.get("metadata", {}).get("alt")
    if not alt:
        return fragment  # label_images has reported it; check_page will too
    text = html.escape(alt, quote=True)
    if "<img" in fragment:
        return fragment.replace("<img", f'<img alt="{text}"', 1)
    return fragment.replace("<svg", f'<svg role="img" aria-label="{text}"', 1)


def _widget_text(value: str) -> str:
    """An HTML widget's value as plain text, spaces made plain (tqdm pads with figure spaces).

    Example:
        >>> _widget_text("<b>fit:</b>&#8199;100%&#8199;920/920&#8199;[00:00&lt;00:00]")
        'fit: 100% 920/920 [00:00<00:00]'
    """
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", value)).split())


def widget_html(model_id: str, state: dict) -> str | None:
    """Static HTML for a stored widget: a box of labels and progress bars, as tqdm draws one.

    None for a widget that is not such a box (or whose state was not stored).

    Example:
        >>> state = {
        ...     "bar": {"model_name": "FloatProgressModel", "state": {"value": 3, "max": 4, "min": 0}},
        ...     "label": {"model_name": "HTMLModel", "state": {"value": "fit:&#8199;75%"}},
        ...     "box": {"model_name": "HBoxModel",
        ...             "state": {"children": ["IPY_MODEL_label", "IPY_MODEL_bar"]}},
        ... }
        >>> print(widget_html("box", state).replace("> <", ">\\n<"))
        <div class="widget-static"><span>fit: 75%</span>
        <progress value="3" max="4" aria-label="fit: 75%">75%</progress></div>
    """
    model = state.get(model_id)
    if model is None:
        return None
    kind, values = model.get("model_name"), model.get("state", {})
    if kind not in ("HBoxModel", "VBoxModel"):
        return None
    ids = [ref.removeprefix("IPY_MODEL_") for ref in values.get("children", [])]
    children = [state.get(i, {}) for i in ids]
    texts = [_widget_text(c["state"].get("value", "")) for c in children
             if c.get("model_name") in ("HTMLModel", "LabelModel")]
    label = html.escape(next((t for t in texts if t), "progress"), quote=True)  # tqdm's: "fit: 75%"
    parts = []
    for child in children:
        child_kind, child_values = child.get("model_name"), child.get("state", {})
        if child_kind in ("HTMLModel", "LabelModel"):
            parts.append(f"<span>{html.escape(_widget_text(child_values.get('value', '')))}</span>")
        elif child_kind in ("FloatProgressModel", "IntProgressModel"):
            low = child_values.get("min", 0) or 0
            value, top = child_values.get("value", 0) - low, child_values.get("max", 100) - low
            percent = round(100 * value / top) if top else 100
            parts.append(f'<progress value="{value:g}" max="{top:g}" aria-label="{label}">'
                         f"{percent}%</progress>")
        else:
            return None
    return f'<div class="widget-static">{" ".join(parts)}</div>'


def freeze_widgets(nb) -> None:
    """Replace each widget output by static HTML from the stored widget state; drop the state.

    Without the state the template emits no widget manager script (which only a CDN serves); an
    output that cannot be drawn keeps its plain text (tqdm's: the bar as it started).
    """
    state = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).pop(WIDGET_VIEW, None)
            drawn = view and widget_html(view.get("model_id", ""), state)
            if drawn:
                output.data["text/html"] = drawn


def tex_to_mathml(tex: str, display: str = "inline") -> str:
    """TeX as MathML, which browsers draw without a script (latex2mathml, pure Python).

    TeX it cannot convert becomes ``<code class="tex-error">``, which check_page reports.

    Example:
        >>> tex_to_mathml(r"\\frac12")
        '<math display="inline"><mrow><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow></math>'
        >>> tex_to_mathml("x^")
        '<code class="tex-error" title="MissingSuperScriptOrSubscriptError">x^</code>'
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex, display=display)
    except Exception as err:  # noqa: BLE001 - latex2mathml's errors share no base class
        return f'<code class="tex-error" title="{type(err).__name__}">{html.escape(tex)}</code>'
    # HTML puts <math> in the MathML namespace itself; nbconvert's heading anchors (ElementTree)
    # would turn an explicit xmlns into "ns0:math", which browsers do not draw.
    return mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)


def markdown_to_html():
    """nbconvert's markdown filter, with ``$...$``, ``$$...$$`` and ``\\begin{..}`` as MathML.

    nbconvert's parser finds the math (not inside code spans); only its rendering changes.
    """
    from jinja2 import pass_context
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class MathMLRenderer(IPythonRenderer):
        def inline_math(self, body: str) -> str:
            return tex_to_mathml(body)

        def block_math(self, body: str) -> str:
            return tex_to_mathml(body, display="block")

        def latex_environment(self, name: str, body: str) -> str:
            return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")

    @pass_context
    def markdown2html(context, source: str) -> str:
        attachments = context.get("cell", {}).get("attachments", {})
        return MarkdownWithMath(renderer=MathMLRenderer(escape=False, attachments=attachments)).render(source)

    return markdown2html


def title_of(nb, default: str = "") -> str:
    """The text of a notebook's first heading, for the page title and the index.

    Example:
        >>> import nbformat
        >>> title_of(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 1. The *TLU* $x_1$")]))
        '1. The TLU x_1'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return re.sub(r"[*`$]", "", line.lstrip("#")).strip()
    return default


def to_html(nb, name: str) -> tuple[str, list[str]]:
    """An executed notebook as an offline page; also the problems found (alt texts, check_page).

    The notebook itself is left as it is (the build writes it beside the page).
    """
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    problems = label_images(nb, f"{name}.ipynb")
    freeze_widgets(nb)
    nb.metadata["title"] = title_of(nb, name)
    exporter = HTMLExporter(template_name="lab", filters={"markdown2html": markdown_to_html(),
                                                          "with_alt": with_alt})
    exporter.raw_template = OFFLINE_TEMPLATE
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    problems += [f"{name}.html {p}" for p in check_page(page)]
    return page, problems


# Attributes whose URL the browser fetches by itself.  A link (<a href>) is only followed when
# clicked, so an offline page may keep links to the web.
FETCHED = {"src", "srcset", "href", "xlink:href", "data", "poster", "background", "action", "formaction",
           "manifest", "ping"}
NAVIGATION = {"a", "area"}
REMOTE_URL = re.compile(r"^\s*(?:https?:|ftp:|//)", re.IGNORECASE)
# In CSS and scripts: url(...), @import "...", import("...") and any quoted URL.
REMOTE_IN_CODE = re.compile(
    r"""(?:url\(\s*['"]?\s*|@import\s*['"]|\bimport\s*\(\s*['"]|['"])(?:https?:|//)""", re.IGNORECASE
)
LEFTOVER_TEX = re.compile(r"(?<!\\)\$[^$]+\$")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _PageChecker(HTMLParser):
    """Collects check_page's problems while html.parser walks the page."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.open: list[str] = []  # the elements we are inside

    def _problem(self, text: str) -> None:
        self.problems.append(f"line {self.getpos()[0]}: {text}")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in FETCHED and tag not in NAVIGATION and value and REMOTE_URL.match(value):
                self._problem(f"<{tag} {name}={value[:80]!r}> loads from the network")
            if name == "style" and value and REMOTE_IN_CODE.search(value):
                self._problem(f"<{tag} style> loads from the network: {value[:80]!r}")
        if tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if not alt or alt == NBCONVERT_DEFAULT_ALT:
                self._problem(f"an image without alt text: {(attrs.get('src') or '')[:60]!r}")
        if tag == "svg" and "svg" not in self.open and attrs.get("aria-hidden") != "true":
            if attrs.get("role") != "img" or not (attrs.get("aria-label") or "").strip():
                self._problem("an inline <svg> without role=\"img\" and an aria-label")
        if tag == "code" and "tex-error" in (attrs.get("class") or "").split():
            self._problem(f"TeX that does not convert to MathML ({attrs.get('title')})")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.open:  # close it and anything left open inside it
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data):
        inside = set(self.open)
        if inside & {"script", "style"}:
            if REMOTE_IN_CODE.search(data):
                found = REMOTE_IN_CODE.search(data).group(0)
                self._problem(f"a <{'script' if 'script' in inside else 'style'}> loads from the network: "
                              f"{found!r}...")
        elif "math" in inside:
            if "\\" in data:
                self._problem(f"an unknown TeX command in an equation: {data.strip()[:40]!r}")
        elif not inside & {"pre", "code", "svg", "textarea"} and LEFTOVER_TEX.search(data):
            self._problem(f"TeX left unconverted: {LEFTOVER_TEX.search(data).group(0)[:60]!r}")


def check_page(page: str) -> list[str]:
    """What keeps a built page from working offline or for a screen reader; [] when nothing does.

    Reported: anything the browser would fetch from the network (``src``, ``href`` of a stylesheet,
    ``url(...)`` and ``@import`` in CSS, URLs in scripts; links the reader follows are allowed), an
    ``<img>`` without alt text (or nbconvert's placeholder), an ``<svg>`` without ``role="img"``
    and an ``aria-label``, and TeX that did not become MathML.

    Example:
        >>> check_page('<img alt="The XOR network" src="data:image/png;base64,iVBO"><math><mi>x</mi></math>')
        []
        >>> page = '<script src="https://cdn.example/m.js"></script><img src="a.png"><p>$x_1$</p>'
        >>> for problem in check_page(page):
        ...     print(problem)
        line 1: <script src='https://cdn.example/m.js'> loads from the network
        line 1: an image without alt text: 'a.png'
        line 1: TeX left unconverted: '$x_1$'
    """
    checker = _PageChecker()
    checker.feed(page)
    checker.close()
    return checker.problems


def index_page(pages: list[Page]) -> str:
    """The build's ``index.html``: each notebook's title as a link, the lecture slides it covers,
    and how its run went.

    Example:
        >>> page = index_page([Page("01-tlus", "1. TLUs", "ok", 2.5, ["An Artificial Neuron"])])
        >>> '<a href="01-tlus.html">1. TLUs</a>' in page, "<li>An Artificial Neuron</li>" in page
        (True, True)
        >>> check_page(page)
        []
    """
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.name)}.html">{html.escape(p.title)}</a></td>'
        f"<td><ul>{''.join(f'<li>{html.escape(slide)}</li>' for slide in p.lecture)}</ul></td>"
        f"<td>{html.escape(p.status)}</td><td>{p.seconds:.1f} s</td></tr>"
        for p in pages
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>autograd_nn tutorials</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }}
td ul {{ margin: 0; padding-left: 1.2rem; }}
td:last-child {{ white-space: nowrap; }}
</style>
</head>
<body>
<main>
<h1>autograd_nn tutorials</h1>
<table>
<thead><tr><th scope="col">Notebook</th><th scope="col">Lecture slides it covers</th>
<th scope="col">Run</th><th scope="col">Time</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</body>
</html>
"""
