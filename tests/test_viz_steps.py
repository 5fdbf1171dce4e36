"""The backward stepper (viz.steps) and the lecture's notation (viz.notation).

Order, highlighted edges against the captions' terms, the page's one SVG plus per-step data, the
files written per step, the δ notation against the delta rule done by hand, the size of a large
stepper page, and the page stepping in headless Chromium.
"""

from __future__ import annotations

import importlib.resources
import json
import math
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import viz
from autograd_nn import Value, losses
from autograd_nn.graph import topological_order
from autograd_nn.lecture import delta_rule, worked_example
from autograd_nn.nn import MLP
from viz.naming import graph_naming
from viz.notation import DeltaNotation, derivative, parenthesize

SVG = "{http://www.w3.org/2000/svg}"
XOR_ORDER = [
    "E", "(t - y)^2", "t - y", "y_G", "s_G", "w_GD", "w_GE", "w_GF",
    "h_D", "s_D", "w_DA", "w_DB", "w_DC", "h_E", "s_E", "w_EA", "w_EB", "w_EC", "x1", "x2",
]


def lecture(ex):
    return {"model": ex.model, "names": ex.names}


def names_of(steps, root, model=None, names=None):
    naming = graph_naming(topological_order(root), model, names)
    return [naming.name(n) for n in steps.order]


def consumers_of(root) -> dict[int, list[tuple[object, int]]]:
    """(consumer, parent index) of every edge out of each node, from the graph itself."""
    out: dict[int, list] = {}
    for node in topological_order(root):
        for i, p in enumerate(node.parents):
            out.setdefault(id(p), []).append((node, i))
    return out


def assert_reverse_topological(order, root):
    topo = topological_order(root)
    assert sorted(map(id, order)) == sorted(map(id, topo)) and len(order) == len(topo)
    place = {id(n): k for k, n in enumerate(order)}
    assert order[0] is root
    for node in topo:
        for p in node.parents:
            assert place[id(p)] > place[id(node)], "a node came before one of its consumers"


def mlp_error(sizes, inputs, targets, **kwargs):
    model = MLP(len(inputs), sizes, seed=0, **kwargs)
    return model, losses.l2(model(list(inputs)), targets)


# -- order --------------------------------------------------------------------------------------------


def test_the_order_is_the_lectures_output_layer_first_inputs_last():
    ex = worked_example()
    steps = viz.backward_steps(ex.error, **lecture(ex))
    assert names_of(steps, ex.error, **lecture(ex)) == XOR_ORDER
    assert_reverse_topological(steps.order, ex.error)
    # deterministic, and built without touching the graph's gradients
    before = [n.grad for n in topological_order(ex.error)]
    again = viz.backward_steps(ex.error, **lecture(ex))
    assert [id(n) for n in again.order] == [id(n) for n in steps.order]
    assert [n.grad for n in topological_order(ex.error)] == before


@pytest.mark.parametrize("expanded", [False, True])
def test_each_neuron_comes_whole_layer_by_layer_from_the_output(expanded):
    model, error = mlp_error([3, 2], [0.5, -1.0], [1.0, 0.0], expanded=expanded)
    steps = viz.backward_steps(error, model=model)
    assert_reverse_topological(steps.order, error)
    naming = graph_naming(topological_order(error), model)
    groups = [naming.group(n) for n in steps.order]
    runs = [g for k, g in enumerate(groups) if k == 0 or g != groups[k - 1]]
    assert runs == [None, "L1.N0", "L1.N1", "L0.N0", "L0.N1", "L0.N2", None]
    for layer in reversed(model.layers):
        for neuron in layer.neurons:
            block = [n for n in steps.order if naming.group(n) == naming.group(neuron.b)]
            leaves = [n for n in block if not n.parents]
            assert [id(n) for n in leaves] == [id(p) for p in (*neuron.w, neuron.b)]
            assert all(n.parents for n in block[: -len(leaves)])  # the neuron's own nodes, then its weights
    assert names_of(steps, error, model)[-2:] == ["x1", "x2"]


def test_without_a_model_nodes_come_as_they_become_ready_inputs_last():
    w1, x1 = Value(0.5, label="w_1"), Value(1.0, label="x1")
    w2, x2 = Value(-0.3, label="w_2"), Value(2.0, label="x2")
    b = Value(0.1, label="b_1")
    s = w1 * x1 + w2 * x2 + b
    s.label = "s"
    y = s.tanh()
    y.label = "y"
    error = losses.l2(y, 1.0)
    order = viz.backward_steps(error).order
    assert_reverse_topological(order, error)
    labels = [n.label or n.op for n in order]
    assert labels == ["E", "(t - y)^2", "t - y", "y", "s", "+", "b_1", "*", "*", "w_1", "w_2", "x1", "x2"]


# -- highlighted edges are the caption's terms ----------------------------------------------------------


def numeric_terms(caption: str) -> list[float]:
    """The products a caption sums, read from its numbers ("a × b + c × d"; a weight's update
    "μ × (a × b + ...)" or "10 × a × b" without the μ factor)."""
    numbers = caption.split(" = ")[-2]
    if caption.split(": ", 1)[1].startswith("Δ"):
        numbers = re.sub(r"^(μ|\d+(?:\.\d+)?) × ", "", numbers)
    if numbers.startswith("(") and numbers.endswith(")") and " + " in numbers:
        numbers = numbers[1:-1]
    terms = []
    for term in numbers.split(" + "):
        factors = [float(f.strip("()")) for f in term.split(" × ")]
        assert len(factors) == 2, caption
        terms.append(factors[0] * factors[1])
    return terms


def current_edges_in_dot(source: str) -> set[str]:
    ids = set()
    for line in source.splitlines():
        if "->" in line and "current-edge" in line:
            ids.add(re.search(r"\bid=\"?([^\s\"\]]+)", line).group(1))
    return ids


@pytest.mark.parametrize("notation", ["grad", "delta"])
def test_every_step_highlights_exactly_the_edges_its_caption_sums(notation):
    ex = worked_example()  # backward already ran: .grad holds the reference gradients
    steps = viz.backward_steps(ex.error, **lecture(ex), notation=notation, learning_rate=10.0)
    consumers = consumers_of(ex.error)
    ids = {id(vn.node): vn.id for vn in steps.scene.values}
    for k, node in enumerate(steps.order):
        expected = {f"e_{ids[id(c)]}_{i}" for c, i in consumers.get(id(node), [])}
        assert set(steps.edges[k]) == expected and len(steps.edges[k]) == len(expected), k
        assert current_edges_in_dot(steps.frame(k).source) == expected, k
        if node is ex.error:
            assert expected == set() and steps.captions[k] == "step 1/20: ∂E/∂E = 1 (start)"
            continue
        # one product per highlighted edge: ∂c/∂n × ∂E/∂c (δ notation: the same with −∂E/∂c)
        products = sorted(abs(c.local[i] * c.grad) for c, i in consumers[id(node)])
        written = sorted(abs(t) for t in numeric_terms(steps.captions[k]))
        assert written == pytest.approx(products, abs=2e-4), steps.captions[k]
        # and the sum is the node's gradient: ∂E/∂n, or −∂E/∂n (δ), or −10·∂E/∂n (Δw with μ = 10)
        text = steps.captions[k].split(": ", 1)[1]
        scale = -10.0 if text.startswith("Δ") else (-1.0 if text.startswith(("δ", "−∂")) else 1.0)
        assert float(text.split(" = ")[-1]) == pytest.approx(scale * node.grad, abs=5e-5), text


def test_frames_show_the_gradients_known_so_far_from_the_replayed_pass():
    ex = worked_example()
    topo = topological_order(ex.error)
    _, grads, _ = viz.steps.replay_backward(ex.error)
    for n in topo:
        assert grads[id(n)] == pytest.approx(n.grad, rel=1e-12, abs=1e-15)
    for n in topo:
        n.grad = 123.0  # the stepper replays backward: what .grad holds does not matter
    steps = viz.backward_steps(ex.error, **lecture(ex))
    for k, frame in enumerate(steps.frames):
        source = frame.source
        assert source.count('COLOR="#ff7f0e"') == 1  # the visited node, outlined
        assert source.count("grad ?") == len(topo) - (k + 1) and "123.0000" not in source
    assert f"grad {grads[id(ex.inputs[0])]:.4f}" in steps.frames[-1].source


# -- the page: one SVG plus per-step data -----------------------------------------------------------


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svgs, self.ids, self.data, self.scripts, self.classes = 0, [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        self.classes.append(a.get("class") or "")
        if tag == "svg":
            self.svgs += 1
        if tag == "script":
            self._in = "data" if a.get("type") == "application/json" else "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def handle_data(self, data):
        if self._in == "data":
            self.data.append(data)
        elif self._in == "script":
            self.scripts.append(data)


def static(name: str) -> str:
    return importlib.resources.files("viz").joinpath("static", name).read_text(encoding="utf-8")


def test_the_page_is_one_svg_and_the_steps_as_data(needs_dot):
    ex = worked_example()
    steps = viz.backward_steps(ex.error, **lecture(ex), notation="delta", learning_rate=10.0)
    page = steps.html(title="XOR <backward>")
    parsed = PageParser()
    parsed.feed(page)
    assert parsed.svgs == 1 and page.count("<svg") == 1
    data = json.loads("".join(parsed.data))
    assert data == steps.step_data() and len(data["steps"]) == 20
    assert [s["caption"] for s in data["steps"]] == steps.captions
    assert [s["edges"] for s in data["steps"]] == steps.edges
    assert len(parsed.ids) == len(set(parsed.ids))
    assert "<title>XOR &lt;backward&gt;</title>" in page
    # the script and the style are the package files, not code kept in strings
    assert static("stepper.js") in "".join(parsed.scripts) and static("stepper.css") in page
    # the picture: each step's node and edges are in it; each value's grad text is marked and centred
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    by_id = {el.get("id"): el for el in svg.iter() if el.get("id")}
    for s in data["steps"]:
        assert "viz-steps-" + s["node"] in by_id
        assert all("viz-steps-" + e in by_id for e in s["edges"])
    grads = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "grad"]
    assert len(grads) == 20 and all(t.get("text-anchor") == "middle" for t in grads)
    assert sorted(t.text for t in grads) == sorted(f"grad {s['grad']}" for s in data["steps"])
    assert not any((t.text or "").startswith("step ") for t in svg.iter(f"{SVG}text"))  # no caption in it
    # inline in Jupyter: the same stepper without the page around it
    inline = steps._repr_html_()
    assert "<html" not in inline and inline.count("<svg") == 1 and "vizStepper(" in inline
    assert re.search(r"vizStepper\(document.getElementById\(\"viz-steps-[0-9a-f]+\"\), false\)", inline)


def test_a_hostile_label_cannot_end_the_data_script(needs_dot):
    x = Value(2.0, label="</script><b>x")
    y = x * 3
    y.label = "y"
    page = viz.backward_steps(y).html()
    parsed = PageParser()
    parsed.feed(page)
    data = json.loads("".join(parsed.data))
    assert data["steps"][1]["caption"] == "step 2/2: ∂y/∂(</script><b>x) = 3.0000 × 1.0000 = 3.0000"
    assert page.count("</script>") == 2  # the data script's and the code's own


def test_write_the_page_and_each_step_in_a_format(needs_dot, tmp_path):
    x = Value(2.0, label="x")
    y = (x * 3 + 1).tanh() * 2
    y.label = "y"
    steps = viz.backward_steps(y)
    assert len(steps) == 5
    written = steps.write(tmp_path / "page")
    assert [p.name for p in written] == ["backward.html"]
    written = steps.write(tmp_path / "svg", format="svg")
    assert [p.name for p in written] == [f"step_00{k}.svg" for k in range(1, 6)] + ["backward.html"]
    for k, path in enumerate(written[:-1]):
        frame = ET.fromstring(path.read_bytes())
        words = ["".join(t.itertext()) for t in frame.iter(f"{SVG}text")]
        assert any(w.startswith(f"step {k + 1}/5: ") for w in words)
        assert len([g for g in frame.iter(f"{SVG}g") if "current-edge" in (g.get("class") or "").split()
                    and "edge" in g.get("class").split()]) == len(steps.edges[k])
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        written = steps.write(tmp_path / fmt, format=fmt, dpi=30)
        assert [p.name for p in written[:-1]] == steps.frame_names(fmt)
        assert all(p.read_bytes().startswith(magic) for p in written[:-1])
    with pytest.raises(ValueError, match=r"format must be one of \('svg', 'png', 'pdf'\), got 'jpg'"):
        steps.write(tmp_path / "jpg", format="jpg")
    assert not (tmp_path / "jpg").exists()


def test_bad_arguments_name_the_problem():
    x = Value(2.0, label="x")
    y = x * 3
    with pytest.raises(ValueError, match=r"notation must be one of \('grad', 'delta'\), got 'latex'"):
        viz.backward_steps(y, notation="latex")
    for bad in (0, -1.0, float("nan"), True, "10"):
        with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
            viz.backward_steps(y, notation="delta", learning_rate=bad)
    with pytest.raises(ValueError, match=r"rankdir must be one of \('LR', 'TB'\)"):
        viz.backward_steps(y, rankdir="RL")
    with pytest.raises(ValueError, match="fit must be one of"):
        viz.backward_steps(y, fit="poster")
    with pytest.raises(IndexError, match="step 2 of 2"):
        viz.backward_steps(y).frame(2)


def test_rankdir_and_fit_are_set_on_the_scene():
    x = Value(2.0, label="x")
    y = x * 3
    steps = viz.backward_steps(y, rankdir="TB", fit="slide")
    assert steps.scene.graph_attrs["rankdir"] == "TB" and steps.scene.fit == (13.33, 7.5)


# -- the lecture's notation ---------------------------------------------------------------------------


def test_compound_names_are_parenthesised():
    assert derivative("E", "t - y") == "∂E/∂(t - y)"
    assert derivative("(t - y)^2", "t - y") == "∂((t - y)^2)/∂(t - y)"
    assert derivative("s_D", "w_DA") == "∂s_D/∂w_DA"
    assert [parenthesize(n) for n in ("L0.N1", "y'_G", "x**2", "−x", "(a) + (b)", "(t − y)", "a·b")] == [
        "L0.N1", "y'_G", "(x**2)", "(−x)", "((a) + (b))", "(t − y)", "(a·b)"]
    ex = worked_example()
    captions = viz.backward_steps(ex.error, **lecture(ex)).captions
    assert captions[2] == "step 3/20: ∂E/∂(t - y) = 0.4710 × 0.5000 = 0.2355"


def test_delta_notation_agrees_with_the_delta_rule_by_hand():
    ex = worked_example()
    by_hand = delta_rule(ex.model, [x.data for x in ex.inputs], [ex.target], ex.learning_rate)
    notation = DeltaNotation(ex.error, ex.model, ex.names, learning_rate=ex.learning_rate)
    for i, layer in enumerate(ex.model.layers):
        outputs = ex.hidden if i == 0 else [ex.output]
        for j, (neuron, y) in enumerate(zip(layer.neurons, outputs)):
            s = y.parents[0]
            assert notation.delta(s) == pytest.approx(by_hand.deltas[i][j], rel=1e-12)
            assert notation.delta(s) == pytest.approx(-s.grad, rel=1e-12)  # δ = −∂E/∂s
            dw, db = by_hand.updates[i][j]
            assert [notation.update(w) for w in neuron.w] == pytest.approx(dw, rel=1e-12, abs=1e-15)
            assert notation.update(neuron.b) == pytest.approx(db, rel=1e-12)
    assert notation.delta(ex.output) is None and notation.update(ex.output) is None


def test_delta_notation_with_two_outputs_and_many_consumers():
    model, error = mlp_error([3, 2], [0.5, -1.0], [1.0, 0.0], activation="tanh")
    by_hand = delta_rule(model, [0.5, -1.0], [1.0, 0.0], 0.1)
    notation = DeltaNotation(error, model, learning_rate=0.1)
    sums = {id(n): n for n in topological_order(error) if n.op == "wsum"}
    for i, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            s = next(c for c in sums.values() if any(p is neuron.b for p in c.parents))
            assert notation.delta(s) == pytest.approx(by_hand.deltas[i][j], rel=1e-9)
            assert notation.update(neuron.b) == pytest.approx(by_hand.updates[i][j][1], rel=1e-9)
    h = next(n for n in topological_order(error) if n.op == "tanh" and sums.get(id(n.parents[0])) is not None
             and graph_naming(topological_order(error), model).name(n) == "h_L0.N0")
    assert notation.caption(h).startswith("−∂E/∂h_L0.N0 = L1.N0.w0·δ_L1.N0 + L1.N1.w0·δ_L1.N1 = ")
    assert notation.caption(h.parents[0]).startswith(
        "δ_L0.N0 = (L1.N0.w0·δ_L1.N0 + L1.N1.w0·δ_L1.N1)·y'_L0.N0 = ")


def test_delta_captions_write_the_lectures_formulas():
    ex = worked_example()
    steps = viz.backward_steps(ex.error, **lecture(ex), notation="delta", learning_rate=10.0)
    by_name = dict(zip(XOR_ORDER, steps.captions))
    assert by_name["s_G"] == "step 5/20: δ_G = (t - y)·y'_G = 0.2355 × 0.1800 = 0.0424"
    assert by_name["w_GD"] == "step 6/20: Δw_GD = μ·δ_G·h_D = 10 × 0.0424 × 0.9002 = 0.3816"
    assert by_name["w_GF"] == "step 8/20: Δw_GF = μ·δ_G·1 = 10 × 0.0424 × 1.0000 = 0.4239"
    assert by_name["h_D"] == "step 9/20: −∂E/∂h_D = w_GD·δ_G = 4.5000 × 0.0424 = 0.1908"
    assert by_name["s_D"] == "step 10/20: δ_D = (w_GD·δ_G)·y'_D = 0.1908 × 0.0898 = 0.0171"
    assert by_name["s_E"] == "step 15/20: δ_E = (w_GE·δ_G)·y'_E = (-0.2204) × 0.1398 = -0.0308"
    assert by_name["x1"].startswith("step 19/20: −∂E/∂x1 = w_DA·δ_D + w_EA·δ_E = ")
    # the error's own nodes and y keep the ∂ notation
    assert by_name["y_G"] == "step 4/20: ∂E/∂y_G = (-1.0000) × 0.2355 = -0.2355"
    # without a learning rate μ stays a symbol
    plain = viz.backward_steps(ex.error, **lecture(ex), notation="delta").captions
    assert plain[5] == "step 6/20: Δw_GD = μ·δ_G·h_D = μ × 0.0424 × 0.9002 = μ × 0.0382"


def test_delta_labels_for_the_value_nodes():
    ex = worked_example()
    labels = DeltaNotation(ex.error, ex.model, ex.names, learning_rate=10.0).labels()
    expected = {id(y.parents[0]): f"δ_{u} = {d}" for y, u, d in
                [(ex.hidden[0], "D", "0.0171"), (ex.hidden[1], "E", "-0.0308"), (ex.output, "G", "0.0424")]}
    updates = ex.updates()
    expected.update({id(p): f"Δ{n} = {updates[n]:.4f}" for n, p in ex.weights.items()})
    assert labels == expected
    symbolic = DeltaNotation(ex.error, ex.model, ex.names).labels()
    assert symbolic[id(ex.weights["w_EA"])] == "Δw_EA = μ × (-0.0308)"


# -- a large stepper: linear in the graph's size ------------------------------------------------------


def test_the_stepper_of_a_16_16_1_network_is_one_small_page(needs_dot, tmp_path):
    model, error = mlp_error([16, 16, 1], [1.0, 2.0], [1.0])
    n = len(topological_order(error))
    start = time.perf_counter()
    steps = viz.backward_steps(error, model=model, max_nodes=n)
    paths = steps.write(tmp_path)
    seconds = time.perf_counter() - start
    size = paths[-1].stat().st_size
    print(f"16-16-1 stepper: {n} steps, page {size / 1e6:.2f} MB written in {seconds:.1f} s")
    assert len(steps) == n == 408 and [p.name for p in paths] == ["backward.html"]
    assert size < 3_000_000
    assert paths[-1].read_text(encoding="utf-8").count("<svg") == 1


# -- the page in a real browser ------------------------------------------------------------------------

CHROMIUM = next(
    (shutil.which(p) for p in ("chromium", "chromium-browser", "google-chrome") if shutil.which(p)), None
)

PROBE = """
<textarea id="probe-text"></textarea>
<script>
(function () {
  var root = document.querySelector(".viz-steps");
  var counter = root.querySelector(".counter");
  var prefix = root.id + "-";
  var out = {};
  function ids(selector) {
    return Array.prototype.map.call(root.querySelectorAll(selector), function (el) {
      return el.id.slice(prefix.length);
    }).sort();
  }
  function state() {
    var current = root.querySelector(".node.current");
    return {
      counter: counter.textContent,
      caption: root.querySelector(".caption").textContent,
      current: ids(".node.current"),
      unknown: root.querySelectorAll(".node.unknown").length,
      question: Array.prototype.filter.call(root.querySelectorAll("text.grad"),
        function (t) { return t.textContent === "grad ?"; }).length,
      grad: current ? current.querySelector("text.grad").textContent : null,
      edges: ids(".edge.current-edge"),
      labels: ids(".edge-label.current-edge"),
      stroke: current ? getComputedStyle(current.querySelector("path[fill='none']")).strokeWidth : null
    };
  }
  function key(target, name) {
    target.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true, cancelable: true}));
    return counter.textContent;
  }
  out.start = state();
  root.querySelector(".next").click();
  out.afterNext = state();
  out.keyOnPage = key(document.body, "ArrowRight");
  root.focus();
  out.keyOnStepper = key(root, "ArrowRight");
  out.keyInTextarea = key(document.getElementById("probe-text"), "ArrowRight");
  out.keyBack = key(root, "ArrowLeft");
  var svg = root.querySelector(".picture svg");
  var w0 = svg.getBoundingClientRect().width;
  root.querySelector(".zoom-in").click();
  out.zoomGrows = svg.getBoundingClientRect().width > w0 * 1.2;
  root.querySelector(".fit").click();
  out.fitRestores = Math.abs(svg.getBoundingClientRect().width - w0) < 1;
  key(root, "End");
  out.end = state();
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def run_in_chromium(page: str, tmp_path) -> dict:
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
    return json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


@pytest.mark.parametrize("standalone", [False, True])
def test_stepper_in_headless_chromium(needs_dot, needs_chromium, tmp_path, standalone):
    ex = worked_example()
    steps = viz.backward_steps(ex.error, **lecture(ex), notation="delta", learning_rate=10.0)
    data = steps.step_data()["steps"]
    n = len(steps)
    if standalone:
        page = steps.html().replace("</body>", PROBE + "</body>")
    else:  # as Jupyter shows it: a fragment inside a page with other editable things
        head = "<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
        page = f"{head}<body>{steps._repr_html_()}{PROBE}</body></html>"
    result = run_in_chromium(page, tmp_path)

    def shows(state, k):
        """What the picture must show at step k: its node current, k+1 gradients known, its edges lit."""
        assert state["counter"] == f"{k + 1} / {n}" and state["caption"] == steps.captions[k]
        assert state["current"] == [data[k]["node"]] and state["grad"] == f"grad {data[k]['grad']}"
        assert state["unknown"] == state["question"] == n - (k + 1)
        assert state["edges"] == sorted(data[k]["edges"])
        assert state["labels"] == sorted(e + "_label" for e in data[k]["edges"])
        assert state["stroke"] == "4px"

    shows(result["start"], 0)
    shows(result["afterNext"], 1)
    assert result["start"]["edges"] == [] and len(result["afterNext"]["edges"]) == 1
    # inline, keys reach the stepper only while it has the focus; standalone, anywhere on the page
    assert result["keyOnPage"] == (f"3 / {n}" if standalone else f"2 / {n}")
    on_stepper = result["keyOnStepper"]
    assert on_stepper == (f"4 / {n}" if standalone else f"3 / {n}")
    assert result["keyInTextarea"] == on_stepper  # typing into a text field never steps
    assert result["keyBack"] == (f"3 / {n}" if standalone else f"2 / {n}")
    assert result["zoomGrows"] and result["fitRestores"]
    shows(result["end"], n - 1)
    assert len(result["end"]["edges"]) == 2  # x2 feeds s_D and s_E
    assert math.isclose(float(result["end"]["grad"].split()[1]), ex.inputs[1].grad, abs_tol=5e-5)
