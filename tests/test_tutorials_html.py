"""The HTML build of the tutorials (``make tutorials``): pages that work offline, with MathML
equations, static progress bars, alt text on every image, and an index of the notebooks."""

import doctest
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
TIMEOUT = 180  # seconds for one cell

pytest.importorskip("nbconvert")
pytest.importorskip("latex2mathml")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from tutorials import build, pages  # noqa: E402 - after the skips: they need none of them to import

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><circle cx="10" cy="10" r="8"/></svg>'
MARKDOWN = r"""# 1. A synthetic page

Inline $\frac12 \mu$, $\dfrac{\partial E}{\partial w}$, $\vec{w}$ and $\sum_j \lambda_j$; `$x$` stays code.

$$y = \begin{cases} 1 & \text{if } x \ge 0 \\ 0 & \text{otherwise.}\end{cases}$$
"""
CODE_IMAGES = f"""\
import matplotlib.pyplot as plt
from IPython.display import SVG, display

display(SVG('{SVG}'))
plt.plot([0, 1], [0, 1])
plt.show()
"""
CODE_FIT = """\
from autograd_nn import losses
from autograd_nn.nn import MLP
from autograd_nn.optim import SGD
from autograd_nn.train import fit

model = MLP(2, [2, 1], activation="sigmoid", seed=0)
history = fit(model, [[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0], losses.l2, SGD(model.parameters(), lr=0.5),
              epochs=7)
"""
ALTS = ["A black circle", "A straight line rising from (0, 0) to (1, 1)"]


def _notebook(folder: Path, name: str, cells: list, lecture=()) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "lecture": list(lecture)}
    nbformat.write(nb, folder / f"{name}.ipynb")


class _Page(HTMLParser):
    """What a test reads from a page, independently of pages.check_page."""

    def __init__(self):
        super().__init__()
        self.urls, self.images, self.svgs, self.tags, self.progress = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "xlink:href", "srcset", "data")]
        if tag == "img":
            self.images.append(attrs.get("alt"))
        if tag == "svg":
            self.svgs.append((attrs.get("role"), attrs.get("aria-label")))
        if tag == "progress":
            self.progress.append(attrs)


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


def _assert_offline_and_labelled(page: str) -> _Page:
    parsed = _parse(page)
    remote = [u for u in parsed.urls if u and re.match(r"\s*(https?:|//)", u, re.IGNORECASE)]
    assert not remote, remote
    in_code = re.findall(r"""(?:url\(\s*['"]?|@import\s*['"]?|import\(\s*['"])(?:https?:|//)""", page)
    assert not in_code, in_code
    assert "<script" not in page and "application/vnd.jupyter.widget" not in page
    assert parsed.images and all(alt and alt != pages.NBCONVERT_DEFAULT_ALT for alt in parsed.images)
    assert all(role == "img" and label for role, label in parsed.svgs)
    assert pages.check_page(page) == []
    return parsed


@pytest.fixture
def this_checkout(monkeypatch):
    """build.main sets JUPYTER_PATH and PYTHONPATH for its kernels; put them back afterwards."""
    for name in ("JUPYTER_PATH", "PYTHONPATH"):
        monkeypatch.setenv(name, os.environ.get(name, ""))


def test_doctests():
    assert doctest.testmod(build).failed == 0


@pytest.mark.timeout(TIMEOUT * 2)
def test_synthetic_pages_are_offline_labelled_and_missing_alt_fails(tmp_path, monkeypatch, capsys,
                                                                    this_checkout):
    """One build of two small notebooks: the first has everything right, the second an image
    without alt text and a cell with one alt text too many."""
    import nbformat

    source = tmp_path / "notebooks"
    source.mkdir()
    _notebook(source, "01-synthetic", [
        nbformat.v4.new_markdown_cell(MARKDOWN),
        nbformat.v4.new_code_cell(CODE_IMAGES, metadata={"alt": ALTS}),
        nbformat.v4.new_code_cell(CODE_FIT),
    ], lecture=["An Artificial Neuron", "Example"])
    _notebook(source, "02-unlabelled", [
        nbformat.v4.new_markdown_cell("# 2. No alt text"),
        nbformat.v4.new_code_cell(f"from IPython.display import SVG\nSVG('{SVG}')"),
        nbformat.v4.new_code_cell("print('no image here')", metadata={"alt": "An image that is not there"}),
    ])
    monkeypatch.setattr(build, "HERE", source)
    out = tmp_path / "site"

    assert build.main(["--html", str(out)]) == 1
    err = capsys.readouterr().err
    assert "02-unlabelled.ipynb cell 1 (from IPython.display import SVG): shows 1 image(s) but has 0 alt" \
        in err
    assert "02-unlabelled.ipynb cell 2 (print('no image here')): shows 0 image(s) but has 1 alt" in err
    assert "02-unlabelled.html line" in err and "an image without alt text" in err
    assert "01-synthetic" not in err

    page = (out / "01-synthetic.html").read_text(encoding="utf-8")
    parsed = _assert_offline_and_labelled(page)
    assert parsed.images == ALTS                                    # the SVG first, as displayed
    assert {"math", "mfrac", "msub", "mtable", "mtext"} <= set(parsed.tags)
    assert 'display="block"' in page and "<code>$x$</code>" in page
    assert "<title>1. A synthetic page</title>" in page
    # The progress bar, drawn from the widget state the kernel left: finished, with tqdm's text.
    assert parsed.progress == [{"value": "7", "max": "7", "aria-label": "fit: 100%"}]
    assert re.search(r"7/7 \[[^]]*loss=", page)

    index = (out / "index.html").read_text(encoding="utf-8")
    assert pages.check_page(index) == []
    assert '<a href="01-synthetic.html">1. A synthetic page</a>' in index
    assert "<li>An Artificial Neuron</li><li>Example</li>" in index
    assert '<a href="02-unlabelled.html">2. No alt text</a>' in index
    # The executed notebook beside the page keeps its widget state (Jupyter draws the live widget).
    executed = json.loads((out / "01-synthetic.ipynb").read_text(encoding="utf-8"))
    assert "widgets" in executed["metadata"]


def test_check_page_finds_what_would_load_from_the_network_or_lacks_a_label():
    page = """<html><head>
<link rel="stylesheet" href="https://cdn.example/a.css">
<style>@import url(//fonts.example/f.css); .x { background: url('http://i.example/b.png') }</style>
<script>import("https://cdn.example/mermaid.mjs")</script>
</head><body>
<a href="https://example.org">a link the reader may follow</a>
<img src="data:image/png;base64,iVBO" alt="No description has been provided for this image">
<svg width="9"><svg></svg></svg>
<p>$x_1$ and <code>$kept$</code> <math><mi>\\foo</mi></math> <code class="tex-error" title="E">x^</code></p>
</body></html>"""
    problems = pages.check_page(page)
    assert [p.split(":", 1)[0] for p in problems] == [
        "line 2", "line 3", "line 4", "line 7", "line 8", "line 9", "line 9", "line 9"]
    text = "\n".join(problems)
    for expected in ("<link href='https://cdn.example/a.css'>", "<style> loads", "<script> loads",
                     "without alt text", "<svg> without", "unconverted: '$x_1$'", "unknown TeX command",
                     "does not convert to MathML (E)"):
        assert expected in text
    assert "example.org" not in text and "$kept$" not in text


@pytest.mark.timeout(TIMEOUT * 2)
def test_build_writes_html_with_outputs_and_an_index(tmp_path, capsys, this_checkout):
    """A real notebook: 01 has matplotlib figures, Graphviz diagrams (SVG) and cases, text and sums
    in its equations."""
    out = tmp_path / "site"
    name = "01-threshold-logic-units"
    assert build.main(["--html", str(out), "01"]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.html", f"{name}.ipynb", "index.html"]
    page = (out / f"{name}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page and "data:image/svg+xml;base64" in page   # executed
    assert " x1  x2 | 3x1 + 2x2 | y" in page                                         # a printed result
    parsed = _assert_offline_and_labelled(page)
    cells = json.loads((TUTORIALS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    assert parsed.images == [alt for c in cells for alt in pages.alt_texts(c)]
    assert {"math", "mtable", "mtext", "msub"} <= set(parsed.tags)  # \begin{cases}, \text, x_1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{name}.html">1. Threshold logic units</a>' in index
    assert "<li>An Artificial Neuron</li>" in index                  # the lecture slides it covers
    assert not [p for p in tmp_path.iterdir() if p.name != "site"], "no staging folder left behind"
    assert build.main(["--html", str(out), "no-such-notebook"]) == 2
