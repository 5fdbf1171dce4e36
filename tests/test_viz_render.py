"""viz output checked as Graphviz renders it: SVG parsed with xml.etree, files, the stepper page, the CLI.

Tests that need Graphviz's ``dot`` skip when it is missing, except under CI=true where a missing
``dot`` is a failure (CI installs it, so a skip there would hide a broken setup).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from svg_geometry import node_centres

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
    """The groups of class ``cls``; for "node", the graph's nodes without the edge labels drawn as nodes."""
    found = [g for g in svg.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]
    if cls == "node":
        found = [g for g in found if "edge-label" not in g.get("class").split()]
    return found


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
        # the error E shares its letter with the hidden unit E: the picture says "E (error)"
        assert (f"{name} (error)" if n is ex.error else name) in words, name
    # edge labels carry the local derivatives
    by_id = {g.get("id"): g for g in groups(svg, "edge-label")}
    s_g = ex.output.parents[0]
    label = " ".join(texts(by_id["e_s_G_0_label"]))
    assert label == f"∂s_G/∂w_GD = h_D = {s_g.local[0]:.4f}"


def test_svg_of_gradient_paths_marks_highlighted_edges(needs_dot):
    ex = worked_example()
    x1 = ex.inputs[0]
    svg = svg_of(viz.draw_gradient_paths(ex.error, x1, model=ex.model, names=ex.names))
    hl = [g for g in groups(svg, "gradient-path") if "edge" in g.get("class").split()]
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


def test_dot_output_and_building_need_no_graphviz(tmp_path, no_graphviz):
    ex = worked_example()
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


def test_cli_without_graphviz_writes_nothing(tmp_path, no_graphviz, capsys):
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
    frames = steps.render_frames("svg")
    centres.update({f"step {k + 1}": node_centres(parse_svg(svg)) for k, svg in enumerate(frames)})
    centres["stepper page"] = node_centres(parse_svg(steps.svg()))
    base = centres["graph"]
    assert len(base) == 29  # 20 values and 9 ops
    for name, found in centres.items():
        assert found.keys() == base.keys(), name
        for node, (x, y) in found.items():
            assert abs(x - base[node][0]) <= 0.5 and abs(y - base[node][1]) <= 0.5, (name, node)


def test_without_dot_diagrams_still_build_unpinned(no_graphviz):
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
