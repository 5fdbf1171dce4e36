"""viz.plots: the data behind each plot is checked, not the pixels."""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from autograd_nn import Value  # noqa: E402
from viz import plots  # noqa: E402
from viz.plots import (  # noqa: E402
    activation_and_derivative,
    confusion_matrix,
    plot_activations,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_gradient_descent,
    plot_loss_curve,
    plot_tlu_line,
    plot_tlu_plane,
)

XOR_X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
SLIDE_WEIGHTS = [[([3.7, 3.7], -1.5), ([2.9, 2.9], -4.5)], [([4.5, -5.2], -2.0)]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    return [a for a in (*ax.collections, *ax.lines) if a.get_gid() == gid]


def _region_contains(ax, points, index=1):
    """Whether each point lies in the filled region of the given level interval."""
    (regions,) = _by_gid(ax, "decision_regions")
    path = regions.get_paths()[index]
    return [bool(path.contains_point(p)) for p in points]


# -- decision boundaries --------------------------------------------------------------------------


def test_decision_boundary_of_a_linear_score_is_its_zero_line():
    ax = plot_decision_boundary(lambda P: P[:, 0] + P[:, 1] - 1.0, XOR_X, XOR_Y, engine="numpy",
                                resolution=61)
    (boundary,) = _by_gid(ax, "decision_boundary")
    vertices = np.concatenate([p.vertices for p in boundary.get_paths()])
    assert len(vertices) > 10
    # Contour vertices are interpolated linearly, exact for a linear score.
    np.testing.assert_allclose(vertices.sum(axis=1), 1.0, atol=1e-9)
    # The score's range (about -1.5 .. 2.5) is not within [0, 1], so the threshold is 0.
    inside = _region_contains(ax, [(0.2, 0.2), (0.9, 0.9), (1.4, 0.0), (-0.4, 0.5)])
    assert inside == [False, True, True, False]
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$" and ax.get_title()
    assert len(_by_gid(ax, "data")) == 2        # one scatter per class
    assert ax.get_legend() is not None


def test_decision_boundary_of_the_slides_xor_network_separates_the_four_inputs():
    from autograd_nn.nn import MLP

    net = MLP.from_weights(SLIDE_WEIGHTS)
    ax = plot_decision_boundary(net, XOR_X, XOR_Y, resolution=60)
    # Sigmoid outputs lie in [0, 1]: the threshold is 0.5 and region 1 is "output >= 0.5".
    assert _region_contains(ax, XOR_X) == [False, True, True, False]
    assert _by_gid(ax, "decision_boundary")
    # The plot evaluated the model without leaving gradients behind.
    assert all(p.grad == 0.0 for p in net.parameters())


def test_decision_boundary_graded_scores_keep_the_boundary():
    from autograd_nn.nn import MLP

    net = MLP.from_weights(SLIDE_WEIGHTS)
    ax = plot_decision_boundary(net, XOR_X, XOR_Y, resolution=40, scores=True)
    (regions,) = _by_gid(ax, "decision_regions")
    assert len(regions.levels) == 12
    assert regions.levels[0] < 0.5 < regions.levels[-1]
    plain = plot_decision_boundary(net, XOR_X, XOR_Y, resolution=40)
    (b1,) = _by_gid(ax, "decision_boundary")
    (b2,) = _by_gid(plain, "decision_boundary")
    np.testing.assert_allclose(np.concatenate([p.vertices for p in b1.get_paths()]),
                               np.concatenate([p.vertices for p in b2.get_paths()]))


def test_decision_boundary_threshold_argument_moves_the_boundary():
    ax = plot_decision_boundary(lambda P: P[:, 0], XOR_X, XOR_Y, engine="numpy", threshold=0.25,
                                resolution=41)
    (boundary,) = _by_gid(ax, "decision_boundary")
    np.testing.assert_allclose(boundary.get_paths()[0].vertices[:, 0], 0.25, atol=1e-9)


def test_decision_boundary_tensor_model_agrees_with_its_scalar_twin():
    pytest.importorskip("autograd_nn.tensor")
    from autograd_nn.nn import MLP

    net = MLP.from_weights(SLIDE_WEIGHTS)
    try:
        twin = net.to_tensor()
    except (ImportError, NotImplementedError) as exc:  # the converter is another module's work
        pytest.skip(f"MLP.to_tensor unavailable: {exc}")
    assert plots._engine(twin) == "tensor" and plots._engine(net) == "scalar"
    a = plot_decision_boundary(net, XOR_X, XOR_Y, resolution=40)
    b = plot_decision_boundary(twin, XOR_X, XOR_Y, resolution=40)
    (ba,) = _by_gid(a, "decision_boundary")
    (bb,) = _by_gid(b, "decision_boundary")
    va = np.concatenate([p.vertices for p in ba.get_paths()])
    vb = np.concatenate([p.vertices for p in bb.get_paths()])
    np.testing.assert_allclose(va, vb, atol=1e-9)


def test_decision_boundary_several_outputs_use_argmax():
    # Three class scores: class = which of x1, x2, 0.5 is largest.
    def scores(P):
        return np.column_stack([P[:, 0], P[:, 1], np.full(len(P), 0.5)])

    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    ax = plot_decision_boundary(scores, X, [0, 1, 2], engine="numpy", resolution=50)
    for cls, point in enumerate(X):
        inside = _region_contains(ax, [point], index=cls)
        assert inside == [True], (cls, point)


def test_decision_boundary_bad_input_is_named():
    with pytest.raises(ValueError, match=r"shape \(n, 2\), got \(4, 3\)"):
        plot_decision_boundary(lambda P: P[:, 0], np.zeros((4, 3)), [0, 1, 0, 1], engine="numpy")
    with pytest.raises(ValueError, match="4 points but y has 3 labels"):
        plot_decision_boundary(lambda P: P[:, 0], XOR_X, [0, 1, 0], engine="numpy")
    with pytest.raises(ValueError, match="engine must be"):
        plot_decision_boundary(lambda P: P[:, 0], XOR_X, XOR_Y, engine="jax")


# -- loss curves ----------------------------------------------------------------------------------


def test_loss_curve_from_list_of_values_dict_and_history_object():
    ax = plot_loss_curve([Value(1.0), Value(0.5), 0.25])
    assert ax.lines[0].get_ydata().tolist() == [1.0, 0.5, 0.25]
    assert ax.lines[0].get_xdata().tolist() == [0, 1, 2]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss" and ax.get_title() == "training loss"

    ax = plot_loss_curve({"train": [3.0, 2.0], "test": [4.0, 3.5]}, xlabel="step")
    assert [line.get_label() for line in ax.lines] == ["train", "test"]
    assert ax.get_legend() is not None and ax.get_xlabel() == "step"

    ax = plot_loss_curve([0.3, 0.2], ylabel="error $E$", title="error $E$ during training")
    assert ax.get_ylabel() == "error $E$"

    class History:
        losses = [2.0, 1.0]

    assert plot_loss_curve(History()).lines[0].get_ydata().tolist() == [2.0, 1.0]


def test_loss_curve_errors():
    with pytest.raises(ValueError, match="empty"):
        plot_loss_curve({})
    with pytest.raises(TypeError, match="sequence of numbers"):
        plot_loss_curve(["a", "b"])


# -- gradient descent -----------------------------------------------------------------------------


def _paths(ax):
    """{legend label: (x data, y data)} of the gradient descent paths drawn on ``ax``."""
    return {line.get_label(): (line.get_xdata(), line.get_ydata()) for line in _by_gid(ax, "gd_path")}


def test_gradient_descent_paths_follow_the_update_rule_with_the_engines_gradient():
    # E(w) = w², dE/dw = 2w: each step multiplies w by 1 - 2μ; μ = 0.05 creeps, 0.4 converges, 1.05 diverges
    ax = plot_gradient_descent(start=2.0, rates=(0.05, 0.4, 1.05), steps=12)
    paths = _paths(ax)
    assert list(paths) == ["μ = 0.05", "μ = 0.4", "μ = 1.05"]
    for rate in (0.05, 0.4, 1.05):
        w, e = paths[f"μ = {rate:g}"]
        expected = 2.0 * (1 - 2 * rate) ** np.arange(13)
        np.testing.assert_allclose(w, expected, rtol=1e-12)
        np.testing.assert_allclose(e, expected**2, rtol=1e-12)
    assert paths["μ = 0.05"][1][-1] > 0.3 and paths["μ = 0.4"][1][-1] < 1e-15  # too small, good
    assert np.all(np.diff(np.abs(paths["μ = 1.05"][0])) > 0)  # diverging: every step overshoots further
    (curve,) = _by_gid(ax, "gd_loss")
    np.testing.assert_allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    lo, hi = ax.get_xlim()
    assert lo < 0.0 < 2.0 < hi and (lo + hi) / 2 == pytest.approx(0.0, abs=1e-6)  # around the lowest point
    assert ax.get_legend() is not None and ax.get_xlabel() == "weight $w$"


def test_gradient_descent_in_two_dimensions_draws_contours_and_paths_in_the_weight_plane():
    def loss(w1, w2):
        return (w1 - 1) ** 2 + 3 * (w2 + 0.5) ** 2

    ax = plot_gradient_descent(loss, start=(-1.0, 1.0), rates=[0.05, 0.15], steps=6)
    for rate in (0.05, 0.15):
        w1, w2 = [-1.0], [1.0]
        for _ in range(6):  # the update written out by hand: dE/dw1 = 2 (w1 - 1), dE/dw2 = 6 (w2 + 0.5)
            w1.append(w1[-1] - rate * 2 * (w1[-1] - 1))
            w2.append(w2[-1] - rate * 6 * (w2[-1] + 0.5))
        x, y = _paths(ax)[f"μ = {rate:g}"]
        np.testing.assert_allclose(x, w1, rtol=1e-12)
        np.testing.assert_allclose(y, w2, rtol=1e-12)
    assert _by_gid(ax, "gd_loss") and ax.get_xlabel() == "$w_1$" and ax.get_ylabel() == "$w_2$"
    (start,) = _by_gid(ax, "gd_start")
    assert (start.get_xdata()[0], start.get_ydata()[0]) == (-1.0, 1.0)
    ax = plot_gradient_descent(loss, start=(-1.0, 1.0), limits=((-2, 2), (-1, 1.5)))
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.5)


def test_gradient_descent_stops_a_path_where_it_overflows():
    points, losses = plots.gradient_descent_path(lambda w: w**2, [2.0], 50.0, 400)
    assert 1 < len(points) < 401 and np.all(np.isfinite(losses)) and losses[-1] > 1e100
    ax = plot_gradient_descent(rates=(0.4, 50.0), steps=400)
    assert len(_paths(ax)["μ = 50"][0]) == len(points)


def test_gradient_descent_bad_input_is_named():
    with pytest.raises(TypeError, match="loss must be a function.*str"):
        plot_gradient_descent("w**2")
    with pytest.raises(TypeError, match="must return a Value.*float"):
        plot_gradient_descent(lambda w: 3.0)
    with pytest.raises(TypeError, match="start has 2 weight"):
        plot_gradient_descent(lambda w: w**2, start=(1.0, 2.0))
    for start in ("a", (1.0, 2.0, 3.0), float("nan"), True):
        with pytest.raises(ValueError, match="start must be a number"):
            plot_gradient_descent(start=start)
    for rates in (0, [], [0.1, -1], "fast"):
        with pytest.raises(ValueError, match="rates must be learning rates"):
            plot_gradient_descent(rates=rates)
    with pytest.raises(ValueError, match="steps must be a positive int, got 0"):
        plot_gradient_descent(steps=0)
    with pytest.raises(ValueError, match=r"limits must be \(lo, hi\)"):
        plot_gradient_descent(limits=(1, -1))
    with pytest.raises(ValueError, match="overflows at the start"):
        plot_gradient_descent(lambda w: w**2, start=1e200)


# -- activations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "step", "linear"])
def test_activation_derivative_line_equals_numeric_derivative(name):
    (ax,) = plot_activations((name,), num=801)
    (curve,) = _by_gid(ax, "activation")
    (deriv,) = _by_gid(ax, "derivative")
    x = curve.get_xdata()
    y = curve.get_ydata()
    d = deriv.get_ydata()
    numeric = np.gradient(y, x)
    # Away from the kink / jump at 0, where a finite difference straddles two pieces.
    away = np.abs(x) > 0.05
    np.testing.assert_allclose(d[away], numeric[away], atol=2e-4)
    assert curve.get_label() == name and deriv.get_label() == f"{name}'"
    assert ax.get_title() == name and ax.get_xlabel() == "$s$"


def test_activation_values_are_the_engines_own():
    y, d = activation_and_derivative("sigmoid", [-2.0, 0.0, 2.2])
    s = 1 / (1 + np.exp(-np.array([-2.0, 0.0, 2.2])))
    np.testing.assert_allclose(y, s, rtol=1e-15)
    np.testing.assert_allclose(d, s * (1 - s), rtol=1e-14)   # the lecture's sigmoid' = s(1 - s)
    y, d = activation_and_derivative("step", [-1.0, 0.0, 1.0])
    assert y.tolist() == [0.0, 1.0, 1.0] and d.tolist() == [0.0, 0.0, 0.0]


def test_plot_activations_layouts_and_errors():
    axes = plot_activations()
    assert [a.get_title() for a in axes] == ["sigmoid", "tanh", "relu", "step"]
    fig, one = plt.subplots()
    axes = plot_activations(("sigmoid", "tanh"), derivatives=False, ax=one)
    assert axes == [one, one]
    assert [line.get_label() for line in _by_gid(one, "activation")] == ["sigmoid", "tanh"]
    assert not _by_gid(one, "derivative")
    with pytest.raises(ValueError, match="valid ones are"):
        plot_activations(("softplus",))
    with pytest.raises(ValueError, match="2 activations but 1 Axes"):
        plot_activations(("sigmoid", "tanh"), ax=[one])


# -- threshold logic units ------------------------------------------------------------------------


def _scatter_points(ax, gid="data"):
    """(filled, open) point sets from the TLU plots: filled = black face = output 1."""
    filled, hollow = [], []
    for art in _by_gid(ax, gid):
        faces = art.get_facecolors()
        pts = [tuple(p) for p in np.asarray(art.get_offsets())]
        (filled if faces[0][0] < 0.5 else hollow).extend(pts)
    return sorted(filled), sorted(hollow)


@pytest.mark.parametrize(
    "weights, theta, ones",
    [([3, 2], 4, [(1.0, 1.0)]),                                        # x1 AND x2
     ([2, -2], -1, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]),              # x2 -> x1
     ([0, 1], 0.5, [(0.0, 1.0), (1.0, 1.0)])],                         # vertical weight: x2
)
def test_tlu_line_lies_on_the_threshold_and_marks_outputs(weights, theta, ones):
    ax = plot_tlu_line(weights, theta)
    (line,) = _by_gid(ax, "tlu_line")
    pts = np.column_stack([line.get_xdata(), line.get_ydata()])
    np.testing.assert_allclose(pts @ np.array(weights, float), theta, atol=1e-12)
    filled, hollow = _scatter_points(ax)
    assert filled == sorted(ones)
    assert len(filled) + len(hollow) == 4
    assert ax.get_title().startswith("TLU: ") and "≥" in ax.get_title()
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"


def test_tlu_line_legend_names_the_shading_and_the_markers_labels():
    # The hidden unit x1 -> x2 with the biconditional's labels: shading and markers differ.
    ax = plot_tlu_line([-2, 2], -1, X=XOR_X, y=1 - XOR_Y, y_name="$x_1 \\leftrightarrow x_2$")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["unit fires", "$x_1 \\leftrightarrow x_2$ = 1", "$x_1 \\leftrightarrow x_2$ = 0"]
    assert _scatter_points(ax)[0] == [(0.0, 0.0), (1.0, 1.0)]
    (region,) = _by_gid(ax, "tlu_region")
    fires = region.get_paths()[1]
    # (0, 1) is outside the biconditional but on the unit's firing side; (1, 0) is neither.
    assert fires.contains_point((0.0, 1.0)) and not fires.contains_point((1.0, 0.0))


def test_tlu_line_vertical_and_from_a_tlu_object():
    from autograd_nn.nn import TLU

    ax = plot_tlu_line([2, 0], 1)
    (line,) = _by_gid(ax, "tlu_line")
    assert set(line.get_xdata()) == {0.5}
    ax = plot_tlu_line(TLU([3, 2], 4))
    assert ax.get_title() == "TLU: 3 x1 + 2 x2 ≥ 4"
    assert _scatter_points(ax)[0] == [(1.0, 1.0)]


def test_tlu_plane_for_the_lectures_three_input_function():
    ax = plot_tlu_plane([2, -2, 2], 1)
    assert ax.name == "3d" and ax.get_zlabel() == "$x_3$"
    assert _by_gid(ax, "tlu_plane")
    filled = []
    for art in _by_gid(ax, "data"):
        xs, ys, zs = art._offsets3d
        if art.get_facecolors()[0][0] < 0.5:
            filled.extend(zip(xs, ys, zs, strict=True))

    def f(x1, x2, x3):  # (x1 and not x2) or (x1 and x3) or (not x2 and x3)
        return (x1 and not x2) or (x1 and x3) or (not x2 and x3)

    corners = [(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    assert sorted(tuple(float(v) for v in p) for p in filled) == sorted(
        tuple(float(v) for v in p) for p in corners if f(*p))


def _region_vertices(ax):
    """The 3-D vertices of the shaded faces of plot_tlu_plane's firing side, one array per face."""
    (region,) = _by_gid(ax, "tlu_region")
    faces, invalid = region._faces, region._invalid_vertices  # faces are padded to one length
    if np.ndim(invalid) == 0:
        invalid = np.full(faces.shape[:2], bool(invalid))
    return [face[~bad] for face, bad in zip(faces, invalid)]


@pytest.mark.parametrize("weights, theta", [([2, -2, 2], 1), ([1, 1, 1], 2.5), ([0, 0, 1], 0.5)])
def test_tlu_plane_labels_the_corners_and_shades_the_side_where_the_unit_fires(weights, theta):
    ax = plot_tlu_plane(weights, theta)
    w = np.array(weights, dtype=float)
    corners = [(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    labels = {t.get_text(): t.get_position_3d() for t in ax.texts if t.get_gid() == "corner_label"}
    assert sorted(labels) == sorted(f"({a},{b},{c})" for a, b, c in corners)
    for (a, b, c), at in zip(corners, (labels[f"({a},{b},{c})"] for a, b, c in corners)):
        assert np.linalg.norm(np.subtract(at, (a, b, c))) < 0.2      # beside its own corner
    faces = _region_vertices(ax)
    assert faces and all(len(f) >= 3 for f in faces)
    points = np.concatenate(faces)
    assert np.all(points @ w >= theta - 1e-9)                        # only the firing side is shaded
    assert np.all((points >= -1e-12) & (points <= 1 + 1e-12))       # and only inside the cube
    shaded = {tuple(p) for p in points.round(9) if set(p) <= {0.0, 1.0}}
    assert shaded == {p for p in corners if np.dot(w, p) >= theta}   # every firing corner, no other
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["unit fires", "y = 1", "y = 0"]


def test_tlu_plane_shades_nothing_when_the_unit_never_fires_and_the_cube_when_it_always_does():
    assert _region_vertices(plot_tlu_plane([1, 1, 1], 4)) == []
    assert len(_region_vertices(plot_tlu_plane([1, 1, 1], -1))) == 6


def test_tlu_bad_input():
    with pytest.raises(ValueError, match="needs 2 weights, got 3"):
        plot_tlu_line([1, 2, 3], 1)
    with pytest.raises(ValueError, match="needs 3 weights, got 2"):
        plot_tlu_plane([1, 2], 1)
    with pytest.raises(ValueError, match="all weights are 0"):
        plot_tlu_line([0, 0], 1)
    with pytest.raises(TypeError, match="threshold"):
        plot_tlu_line([1, 2])
    fig, flat = plt.subplots()
    with pytest.raises(ValueError, match="3-D Axes"):
        plot_tlu_plane([1, 1, 1], 1, ax=flat)


# -- confusion matrices ---------------------------------------------------------------------------


def test_confusion_matrix_counts_and_plot():
    t = [0, 0, 1, 2, 2, 2]
    p = [0, 1, 1, 2, 2, 0]
    m = confusion_matrix(t, p)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    ax = plot_confusion_matrix(t, p, labels=["a", "b", "c"])
    assert [x.get_text() for x in ax.texts] == ["1", "1", "0", "0", "1", "0", "1", "0", "2"]
    assert [x.get_text() for x in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    ax = plot_confusion_matrix(t, p, normalize=True)
    assert ax.texts[8].get_text() == "0.67"


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="3 labels but y_pred has 2"):
        confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="integer class labels"):
        confusion_matrix([0.5], [0])


# -- matplotlib is optional -----------------------------------------------------------------------


def test_viz_plots_imports_without_matplotlib_and_says_what_to_install():
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None; sys.modules['matplotlib.pyplot'] = None\n"
        "import viz.plots\n"
        "try:\n"
        "    viz.plots.plot_loss_curve([1.0])\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert 'pip install "autograd_nn[viz]"' in out.stdout
