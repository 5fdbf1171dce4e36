"""Diagrams as a slide shows them: read from the SVG Graphviz renders (see ``svg_geometry``).

A lecturer puts a diagram on a 16:9 slide as it comes out: with ``fit="slide"`` no text may be
smaller than 12 px at 1920 x 1080; at any size no text may cover another text or a node, and
every edge label must sit nearer its own edge than any other, so it cannot be read as another
edge's derivative.
"""

from __future__ import annotations

import pytest
import svg_geometry as geo

import viz
from autograd_nn import Value
from autograd_nn.graph import topological_order
from autograd_nn.lecture import worked_example
from autograd_nn.nn import MLP


def lecture(**kw):
    ex = worked_example()
    return ex, dict(model=ex.model, names=ex.names, **kw)


def path_targets(ex):
    """The eleven nodes the demo draws gradient paths to: nine weights and two inputs."""
    return list(ex.weights.items()) + [(f"x{k + 1}", x) for k, x in enumerate(ex.inputs)]


def svg(diagram):
    return geo.parse(diagram.pipe(format="svg"))


def check_labels_on_their_edges(root, where: str) -> int:
    """No text overlaps another text or a node; each edge label is nearest its own edge."""
    assert geo.overlapping_texts(root) == [], where
    curves = geo.edge_curves(root)
    boxes = geo.node_boxes(root)
    labels = [t for t in geo.texts(root) if "edge-label" in t.classes]
    for owner in {t.owner for t in labels}:
        edge = owner.removesuffix("_label")
        # the middle of the label's white box (a label of two lines is one box)
        centre = boxes[owner].centre
        own = geo.distance(centre, curves[edge])
        nearest = min(geo.distance(centre, c) for k, c in curves.items() if k != edge)
        assert own < nearest, (where, owner, own, nearest)
    return len({t.owner for t in labels})


# -- fit and rankdir: the arguments -----------------------------------------------------------------


@pytest.mark.parametrize("draw", ["graph", "paths", "network", "steps"])
def test_unknown_fit_or_rankdir_lists_the_choices(draw):
    ex, kw = lecture()
    call = {
        "graph": lambda **k: viz.draw_graph(ex.error, **kw, **k),
        "paths": lambda **k: viz.draw_gradient_paths(ex.error, ex.inputs[0], **kw, **k),
        "network": lambda **k: viz.draw_network(ex.model, names=ex.names, **k),
        "steps": lambda **k: viz.backward_steps(ex.error, **kw, **k),
    }[draw]
    with pytest.raises(ValueError, match=r"rankdir must be one of \('LR', 'TB'\), got 'RL'"):
        call(rankdir="RL")
    for bad in ("poster", (0, 3), (4,), "16:9"):
        with pytest.raises(ValueError, match=r"fit must be one of None .*'slide'.*\(width, height\)"):
            call(fit=bad)


def test_fit_sets_the_page_and_rankdir_turns_the_picture(needs_dot):
    ex, kw = lecture()
    plain = viz.draw_graph(ex.error, **kw)
    slide = viz.draw_graph(ex.error, **kw, fit="slide")
    assert " size=" not in plain.source and ' size="13.33,7.5!"' in slide.source
    w, h = geo.viewbox(svg(slide))
    # scaled to the page: as wide as the slide or as high, never beyond it
    assert max(w / 960, h / 540) == pytest.approx(1.0, abs=0.01)
    assert 'size="4,3!"' in viz.draw_graph(ex.error, **kw, fit=(4, 3)).source

    lr = geo.node_boxes(svg(plain))
    tb = geo.node_boxes(svg(viz.draw_graph(ex.error, **kw, rankdir="TB")))
    # left to right, the error is right of the inputs; top to bottom, below them
    assert lr["E"].centre[0] > lr["x1"].centre[0] + 500
    assert tb["E"].centre[1] > tb["x1"].centre[1] + 500
    assert tb["x1"].centre[0] < tb["x2"].centre[0]  # inputs read left to right: x1, x2


# -- fit="slide": no text under 12 px at 1920 x 1080 --------------------------------------------------


def test_the_xor_graph_and_its_paths_fit_a_slide_with_text_of_12px_or_more(needs_dot):
    ex, kw = lecture(fit="slide")
    diagrams = {"graph": viz.draw_graph(ex.error, **kw)}
    diagrams.update(
        {f"paths {name}": viz.draw_gradient_paths(ex.error, node, **kw) for name, node in path_targets(ex)}
    )
    assert len(diagrams) == 12
    pictures = {name: svg(d) for name, d in diagrams.items()}
    # each frame of the backward stepper, in either notation, and the page's one picture
    for notation in ("grad", "delta"):
        steps = viz.backward_steps(ex.error, **kw, notation=notation, learning_rate=ex.learning_rate)
        for k, frame in enumerate(steps.render_frames("svg")):
            pictures[f"{notation} step {k + 1}"] = geo.parse(frame)
        pictures[f"{notation} page"] = geo.parse(steps.svg())
    assert len(pictures) == 12 + 2 * (20 + 1)
    for name, root in pictures.items():
        px, text = geo.smallest_text_px(root)
        assert px >= 12.0, (name, text, px)
    # at natural size the same graph is far too wide for that (the reason fit exists)
    px, _ = geo.smallest_text_px(svg(viz.draw_graph(ex.error, model=ex.model, names=ex.names)))
    assert px < 12.0


# -- labels on their edges ------------------------------------------------------------------------------


@pytest.mark.parametrize("fit", [None, "slide"])
def test_labels_sit_on_their_edges_in_the_xor_graph_and_every_path_diagram(needs_dot, fit):
    ex, kw = lecture(fit=fit)
    n = check_labels_on_their_edges(svg(viz.draw_graph(ex.error, **kw)), "graph")
    assert n == sum(len(v.parents) for v in topological_order(ex.error))
    for name, node in path_targets(ex):
        check_labels_on_their_edges(svg(viz.draw_gradient_paths(ex.error, node, **kw)), f"paths {name}")


def tanh_231():
    model = MLP(2, [3, 1], activation="tanh", output_activation="tanh", seed=3)
    x = [Value(0.5, label="x1"), Value(-1.5, label="x2")]
    y = model(x)[0]
    loss = (y - 0.25) ** 2
    loss.label = "L"
    loss.backward()
    return model, loss


def test_labels_sit_on_their_edges_in_a_tanh_mlp(needs_dot):
    model, loss = tanh_231()
    root = svg(viz.draw_graph(loss, model=model))
    assert check_labels_on_their_edges(root, "2-3-1 tanh") >= 13
    # every cluster's title is readable: no node and no text on it
    titles = [t for t in geo.texts(root) if t.kind == "cluster"]
    assert sorted(t.text for t in titles) == ["L0.N0", "L0.N1", "L0.N2", "L1.N0"]


def test_inputs_and_weights_read_top_down_in_operand_order(needs_dot):
    ex, kw = lecture()
    boxes = geo.node_boxes(svg(viz.draw_graph(ex.error, **kw)))
    for unit in "DEG":
        names = [n for n in ex.names.values() if n.startswith(f"w_{unit}")]
        ys = [boxes[n].centre[1] for n in names]  # w_DA, w_DB, then the bias w_DC
        assert ys == sorted(ys), (unit, names, ys)
    assert boxes["x1"].centre[1] < boxes["x2"].centre[1]


# -- compact forms and the lecture's notation -------------------------------------------------------


def test_loss_node_draws_the_error_as_one_node_with_its_derivative(needs_dot):
    ex, kw = lecture()
    full = viz.draw_graph(ex.error, **kw)
    one = viz.draw_graph(ex.error, **kw, loss="node")
    root = svg(one)
    texts = [t.text for t in geo.texts(root)]
    assert "E = ½(t − y)²" in texts and "t - y" not in texts
    y = ex.output
    label = " ".join(t.text for t in geo.texts(root) if t.owner == "e_E_0_label")
    # the one edge into the error carries dE/dy = −(t − y), the engine's number
    assert label == f"∂E/∂y_G = −(t − y) = {y.grad:.4f}" and y.grad == pytest.approx(-(1.0 - y.data))
    assert len(geo.node_boxes(root)) < len(geo.node_boxes(svg(full)))
    check_labels_on_their_edges(root, "loss node")
    # a gradient path runs through the one node, and its sum is still the engine's gradient
    paths = viz.draw_gradient_paths(ex.error, ex.inputs[0], **kw, loss="node")
    assert "e_E_0" in paths.source and f"sum = {ex.inputs[0].grad:.4f}" in paths.source
    with pytest.raises(ValueError, match="loss must be one of"):
        viz.draw_graph(ex.error, **kw, loss="box")
    with pytest.raises(ValueError, match="pass the model"):
        viz.draw_graph(ex.error, loss="node")


def test_notation_parenthesises_and_tells_the_unit_from_the_error(needs_dot):
    ex, kw = lecture()
    texts = [t.text for t in geo.texts(svg(viz.draw_graph(ex.error, **kw)))]
    assert "∂((t - y)^2)/∂(t - y) = 0.4710" in texts
    assert "unit E" in texts and "E (error)" in texts and "E" not in texts
    # op nodes write their operand as "·": "x" would read as an input
    assert "1 − ·" in texts and not any(t.endswith("− x") for t in texts)


def test_delta_notation_writes_the_lectures_delta_rule_with_the_engines_numbers(needs_dot):
    from autograd_nn.lecture import delta_rule

    ex, kw = lecture()
    rule = delta_rule(ex.model, [x.data for x in ex.inputs], [ex.target], ex.learning_rate)
    root = svg(viz.draw_graph(ex.error, **kw, notation="delta", learning_rate=ex.learning_rate))
    texts = [t.text for t in geo.texts(root)]
    # δ of each unit and Δw of each weight, as the lecture's delta rule computes them by hand
    deltas = dict(zip("DEG", [d for layer in rule.deltas for d in layer]))
    for unit, d in deltas.items():
        assert f"δ_{unit} = {d:.4f}" in texts, unit
    assert any(t.startswith("δ_G = (t - y)·y'_G = ") for t in texts)
    assert any(t.startswith("δ_D = (w_GD·δ_G)·y'_D = ") for t in texts)
    assert "Δw = μ·δ·h for each weight w from h (μ = learning rate = 10)" in texts
    w_da = ex.weights["w_DA"]
    assert f"Δw_DA = {-ex.learning_rate * w_da.grad:.4f}" in texts
    paths = svg(viz.draw_gradient_paths(ex.error, w_da, **kw, notation="delta", learning_rate=10))
    assert f"Δw_DA = {-10 * w_da.grad:.4f}" in [t.text for t in geo.texts(paths)]
    with pytest.raises(ValueError, match="notation must be one of"):
        viz.draw_graph(ex.error, **kw, notation="nabla")
    with pytest.raises(ValueError, match="pass the model"):
        viz.draw_graph(ex.error, notation="delta")
