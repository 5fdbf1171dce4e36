"""viz output checked as Graphviz renders it: SVG parsed with xml.etree, files, the stepper page, the CLI.

Tests that need Graphviz's ``dot`` skip when it is missing, except under CI=true where a missing
``dot`` is a failure (CI installs it, so a skip there would hide a broken setup).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import viz
from autograd_nn import Value
from autograd_nn.graph import topological_order
from autograd_nn.lecture import XOR_NAMES, worked_example
from viz.__main__ import main, planned_files
from viz.naming import graph_naming

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(data) -> ET.Element:
    return ET.fromstring(data if isinstance(data, bytes) else data.encode("utf-8"))


def groups(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def svg_of(diagram) -> ET.Element:
    return parse_svg(diagram.pipe(format="svg"))


def lecture_graph():
    """The computation graph of the worked example, with the lecture's names."""
    ex = worked_example()
    return viz.draw_graph(ex.error, model=ex.model, names=ex.names)


# -- SVG from Graphviz ----------------------------------------------------------------------------


def test_svg_of_the_computation_graph(needs_dot):
    ex = worked_example()
    topo = topological_order(ex.error)
    svg = svg_of(viz.draw_graph(ex.error, model=ex.model, names=ex.names))
    naming = graph_naming(topo, model=ex.model, names=ex.names)
    ops = [n for n in topo if n.parents]
    assert len(groups(svg, "node")) == len(topo) + len(ops)
    assert len(groups(svg, "edge")) == sum(len(n.parents) for n in topo) + len(ops)
    assert sorted(g.get("id") for g in groups(svg, "cluster")) == ["cluster_D", "cluster_E", "cluster_G"]
    words = set(texts(svg))
    for n in topo:
        assert f"data {n.data:.4f}".replace("-0.0000", "0.0000") in words
        assert f"grad {n.grad:.4f}".replace("-0.0000", "0.0000") in words
        name = naming.name(n)
        assert name, n  # with the lecture's names every node of its graph has one
        assert name in words, name
    # edge labels carry the local derivatives
    by_id = {g.get("id"): g for g in groups(svg, "edge")}
    s_g = ex.output.parents[0]
    label = " ".join(texts(by_id["e_s_G_0"]))
    assert label == f"∂s_G/∂w_GD = h_D = {s_g.local[0]:.4f}"


def test_svg_of_gradient_paths_marks_highlighted_edges(needs_dot):
    ex = worked_example()
    x1 = ex.inputs[0]
    svg = svg_of(viz.draw_gradient_paths(ex.error, x1, model=ex.model, names=ex.names))
    hl = groups(svg, "gradient-path")
    assert len(hl) == len({e for p in viz.path_products(ex.error, x1) for e in [(id(n), i) for n, i in p[0]]})
    assert all("edge" in g.get("class").split() for g in hl)
    assert {c for g in hl for c in g.get("class").split() if c.startswith("path-")} == {"path-0", "path-1"}
    caption = " ".join(texts(svg))
    assert f"sum = {x1.grad:.4f}" in caption
    # same nodes and edges as the plain graph: only styling differs
    plain = svg_of(viz.draw_graph(ex.error, model=ex.model, names=ex.names))
    assert [g.get("id") for g in groups(plain, "edge")] == [g.get("id") for g in groups(svg, "edge")]


def test_user_labels_appear_verbatim_in_svg(needs_dot):
    weird = ['a<b> & "c"', "it's", "x&amp;y", "<B>bold?</B>"]
    vals = [Value(float(k + 1), label=lab) for k, lab in enumerate(weird)]
    y = Value.sum(vals) * vals[0]
    y.label = "y > 0 & done"
    y.backward()
    svg = svg_of(viz.draw_graph(y))
    words = set(texts(svg))
    for lab in weird + ["y > 0 & done"]:
        assert lab in words, lab
    svg = svg_of(viz.draw_gradient_paths(y, vals[0]))
    assert 'a<b> & "c"' in set(texts(svg))


def test_network_svg_positions(needs_dot):
    ex = worked_example()
    svg = svg_of(viz.draw_network(ex.model, names=ex.names))
    centre = {}
    for g in groups(svg, "node"):
        shape = g.find(f"{SVG}ellipse")
        if shape is not None:
            centre[g.get("id")] = (float(shape.get("cx")), float(shape.get("cy")))
    assert centre["x1"][1] < centre["x2"][1]  # SVG y grows downwards: x1 is above
    assert centre["x1"][0] < centre["D"][0] < centre["G"][0]
    words = texts(svg)
    for _, p in ex.model.named_parameters():
        assert f"{p.data:.2f}" in words
    assert words.count("σ sigmoid") == 3


# -- render ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_render_writes_only_the_requested_file(needs_dot, tmp_path, suffix, magic):
    ex = worked_example()
    path = viz.render(viz.draw_graph(ex.error, model=ex.model, names=ex.names), tmp_path / f"graph{suffix}")
    assert path == tmp_path / f"graph{suffix}"
    assert os.listdir(tmp_path) == [f"graph{suffix}"]
    assert path.read_bytes().startswith(magic)


def test_dot_output_and_building_need_no_graphviz(tmp_path, monkeypatch):
    ex = worked_example()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    dot = viz.draw_graph(ex.error, model=ex.model, names=ex.names)
    viz.render(dot, tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text(encoding="utf-8") == dot.source
    with pytest.raises(viz.GraphvizNotFoundError, match=r"dot.*apt-get install graphviz.*brew.*conda") as err:
        viz.render(dot, tmp_path / "g.svg")
    assert isinstance(err.value, RuntimeError)
    with pytest.raises(viz.GraphvizNotFoundError, match="neato"):
        viz.render(viz.draw_network(ex.model, names=ex.names), tmp_path / "n.png")
    assert sorted(os.listdir(tmp_path)) == ["g.dot"]
    # frames build without Graphviz; the page needs it
    steps = viz.backward_steps(ex.error, model=ex.model, names=ex.names)
    assert "apt-get install graphviz" in steps._repr_html_()
    with pytest.raises(viz.GraphvizNotFoundError):
        steps.write(tmp_path / "steps")
    assert not (tmp_path / "steps").exists()


def test_unknown_format_lists_supported(tmp_path):
    dot = lecture_graph()
    with pytest.raises(ValueError, match=r"\.jpg.*\.svg, \.png, \.pdf, \.dot"):
        viz.render(dot, tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="supported"):
        viz.render(dot, tmp_path / "g")
    with pytest.raises(TypeError, match="graphviz diagram"):
        viz.render("digraph {}", tmp_path / "g.dot")
    assert os.listdir(tmp_path) == []


def test_unwritable_folder_raises_the_os_error_with_the_path(tmp_path):
    dot = lecture_graph()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = blocker / "g.dot"
    with pytest.raises(NotADirectoryError) as err:
        viz.render(dot, target)
    assert str(target) in str(err.value)
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "missing" / "g.dot"))):
        viz.render(dot, tmp_path / "missing" / "g.dot")
    assert os.listdir(tmp_path) == ["file"]


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    dot = lecture_graph()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        viz.render(dot, tmp_path / "g.dot")
    assert os.listdir(tmp_path) == []


# -- the backward stepper page --------------------------------------------------------------------


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames, self.buttons, self.svgs, self.ids, self.scripts = [], {}, 0, [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "div" and "frame" in (a.get("class") or "").split():
            self.frames.append(a)
        if tag == "button":
            self.buttons[a.get("class")] = a.get("id")
        if tag == "svg":
            self.svgs += 1
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_backward_stepper_files_and_page(needs_dot, tmp_path):
    ex = worked_example()
    steps = viz.backward_steps(ex.error, tmp_path, model=ex.model, names=ex.names)
    n = len(topological_order(ex.error))
    names = sorted(os.listdir(tmp_path))
    assert names == sorted([f"step_{k:03d}.svg" for k in range(1, n + 1)] + ["backward.html"])
    for k in (0, n - 1):
        frame = parse_svg((tmp_path / f"step_{k + 1:03d}.svg").read_bytes())
        assert " ".join(texts(frame)).startswith(f"step {k + 1}/{n}")
    page = PageParser()
    page.feed((tmp_path / "backward.html").read_text(encoding="utf-8"))
    assert [f["data-step"] for f in page.frames] == [str(k) for k in range(1, n + 1)]
    assert "hidden" not in page.frames[0] and all("hidden" in f for f in page.frames[1:])
    assert page.svgs == n
    assert len(page.ids) == len(set(page.ids))  # frame SVG ids were made unique
    script = "".join(page.scripts)
    for button in ("prev", "next", "zoom-in", "zoom-out", "fit"):
        assert page.buttons[button].endswith("-" + button)
        assert f'click("{button}", ' in script
    assert "document.addEventListener(\"keydown\"" in script and "ArrowRight" in script
    # the page writes each caption above its frame; the frame's SVG does not repeat it
    assert not any(t.startswith("step ") for svg in steps.page_svgs() for t in texts(parse_svg(svg)))
    # every frame shows its caption; gradients fill in step by step
    assert "∂E/∂x1" in (tmp_path / "backward.html").read_text(encoding="utf-8")
    inline = steps._repr_html_()
    assert "<html" not in inline and inline.count('class="frame"') == n


# -- the command line -----------------------------------------------------------------------------


def test_cli_writes_exactly_the_promised_files(needs_dot, tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["xor", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    on_disk = sorted(p for p in out.rglob("*") if p.is_file())
    names = [XOR_NAMES[n] for n, _ in worked_example().model.named_parameters()] + ["x1", "x2"]
    promised = planned_files(out, "svg", names, len(topological_order(worked_example().error)))
    assert on_disk == sorted(promised)
    assert len([p for p in promised if p.parent.name == "paths"]) == 11
    for p in promised[:14] + promised[-1:]:
        assert str(p) in printed
    # the slide table of deltas and updates, the slides' rounded figures and the erratum
    assert "w_GD" in printed and "delta" in printed and "0.0424" in printed
    assert "0.0434" in printed and "y'_E = h_E (1 - h_E) = 0.1398" in printed
    # the trained network answers XOR: four lines "x = (a, b)  y = ...  -> a xor b" after training
    trained = printed.split("trained to XOR")[1].split("Wrote")[0]
    for a, b in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        assert re.search(rf"x = \({a}, {b}\)  y = [0-9.]+  -> {a ^ b}", trained)
    for p in promised[:14]:
        parse_svg(p.read_bytes())


def test_cli_png_in_a_subprocess(needs_dot, tmp_path):
    out = tmp_path / "png"
    run = subprocess.run(
        [sys.executable, "-m", "viz", "xor", "--out", str(out), "--format", "png", "--dpi", "48"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert run.returncode == 0, run.stderr
    assert (out / "network.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "paths" / "path_w_GF.png").read_bytes().startswith(b"\x89PNG")
    assert str(out / "backward" / "backward.html") in run.stdout


def test_cli_without_graphviz_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["xor", "--out", str(tmp_path / "figs")]) == 1
    printed = capsys.readouterr()
    err = printed.err
    assert "dot" in err and "apt-get install graphviz" in err
    # the worked example's numbers need no Graphviz: they are printed all the same
    assert "delta rule" in printed.out and "0.0424" in printed.out and "trained to XOR" in printed.out
    assert not (tmp_path / "figs").exists()


def test_cli_rejects_unknown_format(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["xor", "--out", str(tmp_path), "--format", "jpg"])
    assert exit_.value.code == 2
    assert "svg" in capsys.readouterr().err


# -- one layout for every view ----------------------------------------------------------------------


def node_centres(svg: ET.Element) -> dict[str, tuple[float, float]]:
    """Where each node's outline is centred on the page, in points from the SVG's top-left corner."""
    graph = svg.find(f"{SVG}g")
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform")).groups())
    centres = {}
    for g in groups(svg, "node"):
        for el in g:
            if el.tag == f"{SVG}ellipse":
                x, y = float(el.get("cx")), float(el.get("cy"))
            elif el.tag in (f"{SVG}polygon", f"{SVG}path"):
                numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", el.get("points") or el.get("d"))]
                xs, ys = numbers[0::2], numbers[1::2]
                x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            else:
                continue
            centres[g.get("id")] = (x + tx, y + ty)
            break
    return centres


def test_nodes_do_not_move_between_graph_paths_and_backward_frames(needs_dot):
    ex = worked_example()
    views = {
        "graph": viz.draw_graph(ex.error, model=ex.model, names=ex.names),
        "grad colours": viz.draw_graph(ex.error, model=ex.model, names=ex.names, color="grad"),
        "paths x1": viz.draw_gradient_paths(ex.error, ex.inputs[0], model=ex.model, names=ex.names),
        "paths w_GF": viz.draw_gradient_paths(ex.error, ex.weights["w_GF"], model=ex.model, names=ex.names),
    }
    steps = viz.backward_steps(ex.error, model=ex.model, names=ex.names)
    centres = {name: node_centres(svg_of(d)) for name, d in views.items()}
    centres.update({f"step {k + 1}": node_centres(parse_svg(svg)) for k, svg in enumerate(steps.svgs())})
    centres.update({f"page {k + 1}": node_centres(parse_svg(s)) for k, s in enumerate(steps.page_svgs())})
    base = centres["graph"]
    assert len(base) == 29  # 20 values and 9 ops
    for name, found in centres.items():
        assert found.keys() == base.keys(), name
        for node, (x, y) in found.items():
            assert abs(x - base[node][0]) <= 0.5 and abs(y - base[node][1]) <= 0.5, (name, node)


def test_without_dot_diagrams_still_build_unpinned(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ex = worked_example()
    dot = viz.draw_gradient_paths(ex.error, ex.inputs[0], model=ex.model, names=ex.names)
    assert "pos=" not in dot.source and "positions not pinned" in dot.source
    assert dot.engine == "dot"


def test_pinned_source_names_how_to_render(needs_dot):
    dot = lecture_graph()
    assert dot.engine == "neato" and "neato -n2" in dot.source and 'pos="' in dot.source


def test_clusters_and_inputs_read_top_down_in_model_order(needs_dot):
    ex = worked_example()
    svg = svg_of(viz.draw_graph(ex.error, model=ex.model, names=ex.names))
    centres = node_centres(svg)
    # SVG y grows downwards: D's nodes above E's, x1 above x2
    assert centres["h_D"][1] < centres["h_E"][1] and centres["s_D"][1] < centres["s_E"][1]
    assert centres["x1"][1] < centres["x2"][1]
    boxes = {g.get("id"): g for g in groups(svg, "cluster")}
    top = {}
    for cid, box in boxes.items():
        numbers = re.findall(r"-?\d+(?:\.\d+)?", box.find(f"{SVG}path").get("d"))
        top[cid] = min(float(v) for v in numbers[1::2])
    assert top["cluster_D"] < top["cluster_E"]


def test_collapsed_neurons_read_top_down_in_order(needs_dot):
    from autograd_nn.nn import MLP

    model = MLP(2, [16, 16, 1], seed=0)
    loss = sum(model([1.0, 2.0]))
    loss.backward()
    centres = node_centres(svg_of(viz.draw_graph(loss, collapse=True, model=model)))
    for layer in (0, 1):
        ys = [centres[f"cluster_L{layer}_N{k}"][1] for k in range(16)]
        assert ys == sorted(ys), layer
    assert centres["x1"][1] < centres["x2"][1]


# -- the stepper in a real browser -------------------------------------------------------------------

CHROMIUM = next(
    (shutil.which(p) for p in ("chromium", "chromium-browser", "google-chrome") if shutil.which(p)), None
)

PROBE = """
<textarea id="probe-text"></textarea>
<script>
(function () {
  var root = document.querySelector(".viz-steps");
  var counter = root.querySelector(".counter");
  var out = {};
  function key(target, name) {
    target.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true, cancelable: true}));
    return counter.textContent;
  }
  function visible() {
    return Array.prototype.map.call(root.querySelectorAll(".frame"), function (f) { return !f.hidden; })
      .indexOf(true) + 1;
  }
  out.start = counter.textContent;
  root.querySelector(".next").click();
  out.afterNext = counter.textContent;
  out.visibleAfterNext = visible();
  out.keyOnPage = key(document.body, "ArrowRight");
  root.focus();
  out.keyOnStepper = key(root, "ArrowRight");
  out.keyInTextarea = key(document.getElementById("probe-text"), "ArrowRight");
  out.keyBack = key(root, "ArrowLeft");
  var svg = function () { return root.querySelector(".frame:not([hidden]) svg"); };
  var w0 = svg().getBoundingClientRect().width;
  root.querySelector(".zoom-in").click();
  out.zoomGrows = svg().getBoundingClientRect().width > w0 * 1.2;
  root.querySelector(".fit").click();
  out.fitRestores = Math.abs(svg().getBoundingClientRect().width - w0) < 1;
  key(root, "End");
  out.end = counter.textContent;
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def run_in_chromium(page: str, tmp_path) -> dict:
    import json

    path = tmp_path / "probe.html"
    path.write_text(page, encoding="utf-8")
    # No network here: keep Chromium from trying (and from waiting on) its background services.
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,900",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', run.stdout, re.S)
    assert m, run.stderr[-2000:]
    return json.loads(m.group(1).replace("&quot;", '"'))


@pytest.mark.parametrize("standalone", [False, True])
def test_stepper_in_headless_chromium(needs_dot, needs_chromium, tmp_path, standalone):
    x = Value(2.0, label="x")
    y = (x * 3 + 1).tanh() * 2
    y.label = "y"
    steps = viz.backward_steps(y)
    n = len(steps)
    assert n == 5
    if standalone:
        page = steps.html().replace("</body>", PROBE + "</body>")
    else:  # as Jupyter shows it: a fragment inside a page with other editable things
        head = "<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
        page = f"{head}<body>{steps._repr_html_()}{PROBE}</body></html>"
    result = run_in_chromium(page, tmp_path)
    assert result["start"] == f"1 / {n}" and result["afterNext"] == f"2 / {n}"
    assert result["visibleAfterNext"] == 2
    # inline, keys reach the stepper only while it has the focus; standalone, anywhere on the page
    assert result["keyOnPage"] == (f"3 / {n}" if standalone else f"2 / {n}")
    on_stepper = result["keyOnStepper"]
    assert on_stepper == (f"4 / {n}" if standalone else f"3 / {n}")
    assert result["keyInTextarea"] == on_stepper  # typing into a text field never steps
    assert result["keyBack"] == (f"3 / {n}" if standalone else f"2 / {n}")
    assert result["zoomGrows"] and result["fitRestores"] and result["end"] == f"{n} / {n}"


def curve_points(d: str) -> list[tuple[float, float]]:
    """Points along an SVG path of the form "M x,y C x,y x,y x,y ..." (cubic Beziers sampled)."""
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    pts = list(zip(nums[0::2], nums[1::2]))
    out = [pts[0]]
    for k in range(0, len(pts) - 3, 3):
        p0, p1, p2, p3 = pts[k : k + 4]
        for i in range(1, 17):
            t = i / 16
            a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append(tuple(a * p0[j] + b * p1[j] + c * p2[j] + e * p3[j] for j in (0, 1)))
    return out


def test_each_edge_label_is_nearest_its_own_edge_or_drawn_with_a_line_to_it(needs_dot):
    ex = worked_example()
    svg = svg_of(viz.draw_graph(ex.error, model=ex.model, names=ex.names))
    edges = {g.get("id"): g for g in groups(svg, "edge")}
    curves = {eid: curve_points(g.find(f"{SVG}path").get("d")) for eid, g in edges.items()}
    labelled = 0
    for eid, g in edges.items():
        text = g.find(f"{SVG}text")
        if text is None:
            continue
        labelled += 1
        # the text's middle: HTML-like labels are written from their left end, at their baseline
        half = 0.55 * float(text.get("font-size")) * len("".join(text.itertext())) / 2
        shift = {"start": half, "end": -half}.get(text.get("text-anchor"), 0.0)
        x, y = float(text.get("x")) + shift, float(text.get("y")) - 3.5

        def dist(points, x=x, y=y):
            return min(math.hypot(px - x, py - y) for px, py in points)

        own = dist(curves[eid])
        nearest_other = min(dist(pts) for k, pts in curves.items() if k != eid)
        decorated = g.find(f"{SVG}polyline") is not None
        assert own < nearest_other or decorated, eid
    assert labelled == sum(len(n.parents) for n in topological_order(ex.error))
    # the weighted sums crowd several labels together: some of them need their connector line
    assert any(g.find(f"{SVG}polyline") is not None for eid, g in edges.items() if eid.startswith("e_s_"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_png_is_slide_ready_and_dpi_can_be_chosen(needs_dot, tmp_path):
    x = Value(2.0, label="x")
    y = x * 3
    y.label = "y"
    y.backward()
    dot = viz.draw_graph(y)
    default = png_size(viz.render(dot, tmp_path / "a.png").read_bytes())
    low = png_size(viz.render(dot, tmp_path / "b.png", dpi=100).read_bytes())
    assert default[0] / low[0] == pytest.approx(2.0, rel=0.05)
    assert "dpi" not in dot.graph_attr  # the caller's diagram is left as it was
    net = viz.render(viz.draw_network(worked_example().model, names=XOR_NAMES), tmp_path / "n.png", dpi=300)
    net = png_size(net.read_bytes())
    assert net[0] > 2000  # a network of three columns, 300 pixels per inch
    with pytest.raises(ValueError, match="dpi"):
        viz.render(dot, tmp_path / "c.png", dpi=0)
