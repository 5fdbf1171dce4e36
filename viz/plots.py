"""Plots for lectures and tutorials (matplotlib): decision boundaries, loss curves, activations,
threshold logic units and confusion matrices.

matplotlib is imported inside each function, so ``import viz`` works without it; a plot called
without matplotlib raises an ``ImportError`` saying which extra to install.  Every function draws
on the ``ax`` it is given (or a new figure) and returns the Axes, so a lecturer can combine them
in their own figures.  Artists that tests and users may want to find again carry a ``gid``
(``"decision_boundary"``, ``"decision_regions"``, ``"data"``, ``"tlu_line"``, ``"tlu_plane"``, ...).

Example:
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from viz.plots import plot_loss_curve
    >>> ax = plot_loss_curve([0.9, 0.5, 0.2])
    >>> ax.get_ylabel()
    'loss'
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from .notation import tlu_inequality

__all__ = [
    "activation_and_derivative",
    "confusion_matrix",
    "gradient_descent_path",
    "plot_activations",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_gradient_descent",
    "plot_loss_curve",
    "plot_tlu_line",
    "plot_tlu_plane",
]

_INSTALL = 'pip install "autograd_nn[viz]"'

# Class colours used everywhere, so the same class looks the same in every figure of a lecture.
_CLASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                  "#7f7f7f", "#bcbd22", "#17becf")


def _pyplot():
    """matplotlib.pyplot, or an ImportError naming the extra that provides it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only where matplotlib is absent
        raise ImportError(f"viz.plots needs matplotlib, which is not installed: {_INSTALL}") from exc
    return plt


def _axes(ax, projection=None):
    if ax is not None:
        return ax
    plt = _pyplot()
    fig = plt.figure(figsize=(5, 4.5) if projection else (5, 4))
    return fig.add_subplot(111, projection=projection)


# -- decision boundaries ----------------------------------------------------------------------


def _engine(model) -> str:
    """Which engine a model runs on: 'scalar' (lists of Values) or 'tensor' (Tensor in and out)."""
    from autograd_nn import Value

    params = list(model.parameters()) if hasattr(model, "parameters") else []
    if params:
        return "scalar" if all(isinstance(p, Value) for p in params) else "tensor"
    # No parameters to look at (a plain function or a parameterless module): ask it once.
    out = model([0.0, 0.0])
    if isinstance(out, Value) or (isinstance(out, (list, tuple)) and out and isinstance(out[0], Value)):
        return "scalar"
    return "tensor"


def _predict(model, points: np.ndarray, engine: str) -> np.ndarray:
    """Model outputs at ``points`` (n, 2) as an (n, k) float array, without recording a graph."""
    from autograd_nn import no_grad

    with no_grad():
        if engine == "numpy":
            out = np.asarray(model(points), dtype=float)
        elif engine == "scalar":
            rows = []
            for x1, x2 in points.tolist():
                out = model([x1, x2])
                if not isinstance(out, (list, tuple)):
                    out = [out]
                rows.append([float(getattr(o, "data", o)) for o in out])
            out = np.array(rows, dtype=float)
        elif engine == "tensor":
            from autograd_nn import Tensor

            params = list(model.parameters()) if hasattr(model, "parameters") else []
            # Feed the dtype the weights have, so a float32 model is not handed float64 inputs.
            dtype = params[0].data.dtype if params else np.float64
            out = model(Tensor(points.astype(dtype)))
            out = np.asarray(getattr(out, "data", out), dtype=float)
        else:
            raise ValueError(f"plot_decision_boundary: engine must be 'auto', 'scalar', 'tensor' or "
                             f"'numpy', got {engine!r}")
    if out.ndim == 1:
        out = out[:, None]
    if out.shape[0] != points.shape[0]:
        raise ValueError(f"plot_decision_boundary: the model returned {out.shape[0]} rows of output "
                         f"for {points.shape[0]} input points")
    return out


def _check_xy(X, y, where: str, ncols: int):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != ncols:
        raise ValueError(f"{where}: X must have shape (n, {ncols}), got {X.shape}")
    if y is None:
        return X, None
    y = np.asarray([float(getattr(v, "data", v)) for v in np.ravel(np.asarray(y, dtype=object))])
    if len(y) != len(X):
        raise ValueError(f"{where}: X has {len(X)} points but y has {len(y)} labels")
    return X, y


def _scatter_classes(ax, X, y, **kwargs):
    """Scatter points coloured by class, one legend entry per class; returns the artists."""
    artists = []
    for i, cls in enumerate(np.unique(y)):
        pts = X[y == cls]
        label = f"{cls:g}" if isinstance(cls, numbers.Real) else str(cls)
        art = ax.scatter(pts[:, 0], pts[:, 1], s=kwargs.get("s", 40), color=_CLASS_COLOURS[i % 10],
                         edgecolors="black", linewidths=0.8, label=f"class {label}", zorder=3)
        art.set_gid("data")
        artists.append(art)
    return artists


def plot_decision_boundary(model, X, y, ax=None, *, engine: str = "auto", resolution: int = 100,
                           padding: float = 0.5, threshold: float | None = None, scores: bool = False,
                           title: str | None = None):
    """Shade where a 2-input model predicts each class, draw its boundary and the data on top.

    Works with both engines: a scalar model (a list of two numbers in, a list of Values or a
    Value out, e.g. ``autograd_nn.nn.MLP``) and a tensor model (a ``Tensor`` of shape (n, 2) in,
    a Tensor out, e.g. ``nn.Sequential``); ``engine="auto"`` tells them apart by their
    parameters.  ``engine="numpy"`` accepts any function from an (n, 2) array to scores.

    One output is a score thresholded at ``threshold`` (default 0.5 when every score on the grid
    lies in [0, 1], as after a sigmoid, else 0); several outputs are class scores (argmax).
    The boundary is the contour at the threshold (gid ``"decision_boundary"``), the shaded
    regions have gid ``"decision_regions"`` and the points gid ``"data"``.  With ``scores=True``
    a one-output model's score is shaded in graded steps (red above the threshold, blue below),
    so an undecided model (every output near 0.5) shows its leanings too.

    Args:
        model: the model to draw.
        X: (n, 2) inputs; y: n class labels.
        ax: matplotlib Axes to draw on (a new figure if None).
        resolution: grid points per axis (the scalar engine evaluates resolution² points).
        padding: margin around the data.

    Returns:
        The matplotlib Axes.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import numpy as np
        >>> X = np.array([[0, 0], [1, 1]]); y = [0, 1]
        >>> ax = plot_decision_boundary(lambda P: P.sum(axis=1) - 1, X, y, engine="numpy")
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('$x_1$', '$x_2$')
    """
    X, y = _check_xy(X, y, "plot_decision_boundary", 2)
    if resolution < 2:
        raise ValueError(f"plot_decision_boundary: resolution must be at least 2, got {resolution}")
    if engine == "auto":
        engine = _engine(model)
    lo = X.min(axis=0) - padding
    hi = X.max(axis=0) + padding
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    outputs = _predict(model, grid, engine)
    ax = _axes(ax)
    if outputs.shape[1] == 1:
        z = outputs[:, 0].reshape(g1.shape)
        if threshold is None:
            threshold = 0.5 if (z.min() >= 0.0 and z.max() <= 1.0) else 0.0
        zmin, zmax = float(z.min()), float(z.max())
        if scores and zmax > zmin:
            from matplotlib.colors import Normalize

            # Centre the colour map on the threshold, so red/blue still mean class 1/class 0 and
            # the depth of a colour says how far the score is from the threshold.
            reach = max(zmax - threshold, threshold - zmin)
            regions = ax.contourf(g1, g2, z, levels=np.linspace(zmin, zmax, 12), cmap="RdBu_r",
                                  norm=Normalize(threshold - reach, threshold + reach), alpha=0.35)
        else:
            # contourf needs increasing levels that bracket the data; keep the threshold a level.
            levels = [min(zmin, threshold) - 1.0, threshold, max(zmax, threshold) + 1.0]
            regions = ax.contourf(g1, g2, z, levels=levels, colors=[_CLASS_COLOURS[0], _CLASS_COLOURS[1]],
                                  alpha=0.25)
        if zmin < threshold < zmax:
            boundary = ax.contour(g1, g2, z, levels=[threshold], colors="black", linewidths=1.5)
            boundary.set_gid("decision_boundary")
    else:
        k = outputs.shape[1]
        cls = outputs.argmax(axis=1).reshape(g1.shape)
        regions = ax.contourf(g1, g2, cls, levels=np.arange(k + 1) - 0.5,
                              colors=[_CLASS_COLOURS[i % 10] for i in range(k)], alpha=0.25)
        if len(np.unique(cls)) > 1:
            boundary = ax.contour(g1, g2, cls, levels=np.arange(k - 1) + 0.5, colors="black", linewidths=1.0)
            boundary.set_gid("decision_boundary")
    regions.set_gid("decision_regions")
    _scatter_classes(ax, X, y)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title if title is not None else "decision boundary")
    ax.legend(loc="best", fontsize="small")
    return ax


# -- training curves --------------------------------------------------------------------------


def _series(history) -> dict[str, np.ndarray]:
    """Named curves from a list of numbers/Values, a dict of lists, or an object with ``.losses``."""
    for attr in ("history", "losses", "loss"):
        inner = getattr(history, attr, None)
        if inner is not None and not callable(inner) and not isinstance(history, dict):
            history = inner
            break
    if isinstance(history, dict):
        items = [(str(k), v) for k, v in history.items()
                 if np.ndim(np.asarray([float(getattr(x, "data", x)) for x in v])) == 1 and len(v)]
    else:
        items = [("loss", history)]
    out = {}
    for name, values in items:
        try:
            arr = np.asarray([float(getattr(x, "data", x)) for x in values], dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"plot_loss_curve: {name!r} must be a sequence of numbers, got {type(values).__name__}"
            ) from exc
        out[name] = arr
    if not out:
        raise ValueError("plot_loss_curve: the history is empty")
    return out


def plot_loss_curve(history, ax=None, *, logy: bool = False, xlabel: str = "epoch",
                    ylabel: str | None = None, title: str | None = "training loss"):
    """The loss against the epoch (or step).

    ``history`` is a sequence of numbers (or Values), a dict of named sequences (e.g.
    ``{"loss": [...], "accuracy": [...]}``, each drawn as its own line), or an object with a
    ``history``/``losses``/``loss`` attribute holding one of those.  ``ylabel`` names the
    quantity (say ``"error $E$"`` or ``"cross-entropy"``); by default ``"loss"`` for one curve
    and ``"value"`` for several.

    Returns:
        The matplotlib Axes (one ``Line2D`` per curve, labelled with its name).

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = plot_loss_curve({"loss": [1.0, 0.5, 0.25]}, logy=True)
        >>> ax.get_yscale(), ax.lines[0].get_ydata().tolist()
        ('log', [1.0, 0.5, 0.25])
        >>> plot_loss_curve([0.5, 0.1], ylabel="error $E$").get_ylabel()
        'error $E$'
    """
    curves = _series(history)
    ax = _axes(ax)
    for name, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=name, marker="." if len(values) < 30 else None)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    if ylabel is None:
        ylabel = "loss" if len(curves) == 1 else "value"
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax


# -- gradient descent -------------------------------------------------------------------------


def _bowl(*ws):
    """The default loss: E(w) = w² in 1-D, E(w1, w2) = w1² + ½ w2² in 2-D (minimum 0 at 0)."""
    return ws[0] ** 2 if len(ws) == 1 else ws[0] ** 2 + 0.5 * ws[1] ** 2


def _real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v)


def _reals(v, lengths) -> tuple[float, ...] | None:
    """``v`` (a number or a sequence of numbers) as a tuple of floats if its length is in ``lengths``."""
    v = (v,) if _real(v) else v
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__") or len(v) not in lengths:
        return None
    return tuple(float(x) for x in v) if all(_real(x) for x in v) else None


def _descent_args(loss, start, rates, steps):
    """The checked arguments of :func:`plot_gradient_descent`: (loss, start, rates, steps)."""
    where = "plot_gradient_descent"
    given = start
    start = _reals(start, (1, 2))
    if start is None:
        raise ValueError(
            f"{where}: start must be a number (a 1-D loss E(w)) or a pair (w1, w2) (a 2-D loss E(w1, w2)), "
            f"got {given!r}"
        )
    if loss is None:
        loss = _bowl
    elif not callable(loss):
        raise TypeError(f"{where}: loss must be a function of the weights (Values) returning a Value, got "
                        f"{type(loss).__name__}: {loss!r}")
    else:
        try:
            inspect.signature(loss).bind(*start)
        except TypeError:
            raise TypeError(f"{where}: start has {len(start)} weight(s) but loss cannot take {len(start)} "
                            f"argument(s); give a 1-D loss a number, a 2-D loss a pair") from None
        except ValueError:
            pass  # a builtin without a signature: its first call says what is wrong
    given = rates
    rates = _reals(rates, range(1, 1000))
    if rates is None or min(rates) <= 0:
        raise ValueError(f"{where}: rates must be learning rates μ > 0 (one or a sequence), got {given!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"{where}: steps must be a positive int, got {steps!r}")
    return loss, start, rates, int(steps)


def _loss_value(loss, ws):
    from autograd_nn import Value

    out = loss(*ws)
    if not isinstance(out, Value):
        raise TypeError(
            f"plot_gradient_descent: loss must return a Value computed from the weights it is given (so the "
            f"engine can differentiate it), got {type(out).__name__}: {out!r}"
        )
    return out


def gradient_descent_path(loss, start, rate: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The points w_0 = start, w_(t+1) = w_t − μ ∂E/∂w (w_t) and their losses E(w_t).

    Each gradient is the engine's: the weights are Values, ``loss(*weights).backward()`` fills
    their ``grad``.  The path stops early where it overflows (a diverging rate).

    Returns:
        ``(points, losses)``: an array of shape (k, d) and one of shape (k,), k <= steps + 1.

    Example:
        >>> points, losses = gradient_descent_path(lambda w: w ** 2, [2.0], 0.25, 3)
        >>> points[:, 0].tolist(), losses.tolist()
        ([2.0, 1.0, 0.5, 0.25], [4.0, 1.0, 0.25, 0.0625])
    """
    from autograd_nn import Value

    point = [float(v) for v in start]
    points, losses = [], []
    for t in range(steps + 1):
        ws = [Value(v) for v in point]
        try:
            e = _loss_value(loss, ws)
        except OverflowError:
            break
        if not np.isfinite(e.data):
            break
        points.append(point)
        losses.append(e.data)
        if t == steps:
            break
        e.backward()
        point = [w.data - rate * w.grad for w in ws]
        if not all(np.isfinite(point)):
            break
    return np.array(points, dtype=float).reshape(-1, len(start)), np.array(losses, dtype=float)


def plot_gradient_descent(loss=None, start=2.0, rates=(0.05, 0.4, 1.05), steps: int = 12, ax=None, *,
                          limits=None, title: str | None = "gradient descent: w ← w − μ ∂E/∂w"):
    """Gradient descent on a loss, one path per learning rate μ: too small, good, diverging.

    ``loss`` maps the weights (Values) to the error E (a Value): one weight for a 1-D loss
    E(w), drawn as its curve with each path's points on it, or two for a 2-D loss E(w1, w2),
    drawn as contour lines with each path in the (w1, w2) plane.  ``start`` is a number (1-D)
    or a pair (2-D); the default loss is E(w) = w² (or w1² + ½ w2²), where the default rates
    0.05, 0.4 and 1.05 creep, converge and diverge.  Every step is
    w ← w − μ ∂E/∂w with the engine's gradient (:func:`gradient_descent_path`); a path stops
    where it overflows.  ``limits`` is the shown range of w, ``(lo, hi)`` in 1-D or
    ``((lo, hi), (lo, hi))`` in 2-D; by default it is centred on the lowest point any path
    reached and holds the start, so a diverging path leaves the picture.

    Returns:
        The matplotlib Axes: one line per rate with gid ``"gd_path"`` and label ``"μ = <rate>"``
        (its data are the path's points), the loss with gid ``"gd_loss"`` (the curve, or the
        contours in 2-D) and the start with gid ``"gd_start"``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = plot_gradient_descent(rates=(0.1, 0.4, 1.05), steps=5)
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['start', 'μ = 0.1', 'μ = 0.4', 'μ = 1.05']
        >>> ax.lines[2].get_xdata()[:3].round(3).tolist()  # μ = 0.1: w ← w − 0.1 · 2w = 0.8 w
        [2.0, 1.6, 1.28]
    """
    loss, start, rates, steps = _descent_args(loss, start, rates, steps)
    paths = [gradient_descent_path(loss, start, rate, steps) for rate in rates]
    if not len(paths[0][1]):
        raise ValueError(f"plot_gradient_descent: the loss overflows at the start {start}")
    dims = len(start)
    everywhere = np.concatenate([points for points, _ in paths])
    lowest = everywhere[np.argmin(np.concatenate([losses for _, losses in paths]))]
    box = _descent_limits(limits, start, lowest, dims)
    ax = _axes(ax)
    from autograd_nn import no_grad

    with no_grad():
        if dims == 1:
            grid = np.linspace(box[0][0], box[0][1], 200)
            curve = [_loss_value(loss, _values([w])).data for w in grid]
            (line,) = ax.plot(grid, curve, color="grey", linewidth=1.5, gid="gd_loss")
            span = max(curve) - min(curve) or 1.0
            ax.set_ylim(min(curve) - 0.08 * span, max(curve) + 0.08 * span)
        else:
            g1, g2 = np.meshgrid(np.linspace(*box[0], 60), np.linspace(*box[1], 60))
            values = np.array([[_loss_value(loss, _values([a, b])).data for a, b in zip(r1, r2, strict=True)]
                               for r1, r2 in zip(g1, g2, strict=True)])
            contours = ax.contour(g1, g2, values, levels=12, colors="grey", linewidths=0.8)
            contours.set_gid("gd_loss")
    start_xy = (start[0], paths[0][1][0]) if dims == 1 else start
    ax.plot(*start_xy, marker="*", markersize=14, color="black", linestyle="none", label="start",
            gid="gd_start", zorder=4)
    for i, (rate, (points, losses)) in enumerate(zip(rates, paths, strict=True)):
        xy = (points[:, 0], losses) if dims == 1 else (points[:, 0], points[:, 1])
        ax.plot(*xy, marker="o", markersize=4, color=_CLASS_COLOURS[i % 10], label=f"μ = {rate:g}",
                gid="gd_path", zorder=3)
    ax.set_xlim(*box[0])
    if dims == 1:
        ax.set_xlabel("weight $w$")
        ax.set_ylabel("error $E(w)$")
    else:
        ax.set_ylim(*box[1])
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small", loc="best")
    ax.grid(True, alpha=0.3)
    return ax


def _values(point):
    from autograd_nn import Value

    return [Value(float(v)) for v in point]


def _descent_limits(limits, start, lowest, dims: int):
    """((lo, hi),) per weight: the given limits, checked, or a square around the lowest point."""
    if limits is None:
        half = 1.3 * max(float(np.max(np.abs(np.array(start) - lowest))), 0.5)
        return [(float(c) - half, float(c) + half) for c in lowest]
    pairs = [limits] if dims == 1 else limits
    try:
        out = [(float(lo), float(hi)) for lo, hi in pairs]
    except (TypeError, ValueError):
        out = []
    if len(out) != dims or not all(np.isfinite(p).all() and p[0] < p[1] for p in out):
        shape = "(lo, hi)" if dims == 1 else "((lo, hi), (lo, hi))"
        raise ValueError(f"plot_gradient_descent: limits must be {shape} with lo < hi, got {limits!r}")
    return out


# -- activations ------------------------------------------------------------------------------

_ACTIVATIONS = ("sigmoid", "tanh", "relu", "step", "linear", "abs", "exp")


def activation_and_derivative(name: str, xs) -> tuple[np.ndarray, np.ndarray]:
    """The activation ``name`` and its derivative at each x, both computed by the scalar engine.

    Each point is one ``Value`` pushed through the op and differentiated with ``backward()``;
    this is what the plots show, so the plotted derivative is the engine's own.

    Example:
        >>> y, dy = activation_and_derivative("sigmoid", [0.0])
        >>> float(y[0]), float(dy[0])
        (0.5, 0.25)
    """
    from autograd_nn import Value

    if name not in _ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid ones are {', '.join(_ACTIVATIONS)}")
    ys, ds = [], []
    for x in np.asarray(xs, dtype=float).ravel().tolist():
        v = Value(x)
        out = v * 1.0 if name == "linear" else getattr(v, name)()
        out.backward()
        ys.append(out.data)
        ds.append(v.grad)
    return np.array(ys), np.array(ds)


def plot_activations(names=("sigmoid", "tanh", "relu", "step"), derivatives: bool = True, ax=None, *,
                     x_range: tuple[float, float] = (-5.0, 5.0), num: int = 401):
    """Each activation (solid) and its derivative (dashed), computed with the engine's backward.

    With ``ax=None`` every activation gets its own panel in a new figure; ``ax`` may be one Axes
    (all curves on it) or a sequence of as many Axes as names.  Lines are labelled ``"sigmoid"``
    and ``"sigmoid'"`` and so on, with gid ``"activation"`` or ``"derivative"``.  The step
    function's derivative is 0 wherever it exists (the engine says so, and that is why the
    lecture moves from TLUs to the sigmoid).

    Returns:
        A list of the Axes drawn on (one per name, the same Axes repeated when one was given).

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> axes = plot_activations(("sigmoid",), num=5)
        >>> [line.get_label() for line in axes[0].lines if line.get_gid()]
        ['sigmoid', "sigmoid'"]
    """
    names = (names,) if isinstance(names, str) else tuple(names)
    for name in names:
        if name not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; valid ones are {', '.join(_ACTIVATIONS)}")
    if ax is None:
        plt = _pyplot()
        fig, axs = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3.0), squeeze=False)
        axes = list(axs[0])
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.ravel(ax))
        if len(axes) != len(names):
            raise ValueError(f"plot_activations: {len(names)} activations but {len(axes)} Axes")
    else:
        axes = [ax] * len(names)
    xs = np.linspace(x_range[0], x_range[1], num)
    for i, (name, a) in enumerate(zip(names, axes, strict=True)):
        ys, ds = activation_and_derivative(name, xs)
        colour = _CLASS_COLOURS[i % 10]
        a.plot(xs, ys, color=colour, label=name, gid="activation")
        if derivatives:
            a.plot(xs, ds, color=colour, linestyle="--", label=f"{name}'", gid="derivative")
        a.axhline(0.0, color="grey", linewidth=0.5)
        a.axvline(0.0, color="grey", linewidth=0.5)
        a.set_xlabel("$s$")
        if axes.count(a) == 1:
            a.set_title(name)
        a.legend(fontsize="small", loc="upper left")
    return axes


# -- threshold logic units --------------------------------------------------------------------


def _tlu_params(weights, threshold, n: int, where: str):
    """Numbers from weights/threshold given as numbers, Values, or a TLU object."""
    if threshold is None and hasattr(weights, "threshold"):
        threshold = weights.threshold
        weights = getattr(weights, "weights", None) or getattr(weights, "w", None)
    if threshold is None:
        raise TypeError(f"{where}: give a threshold (or a TLU object with .weights and .threshold)")
    w = np.array([float(getattr(v, "data", v)) for v in weights], dtype=float)
    if w.shape != (n,):
        raise ValueError(f"{where}: needs {n} weights, got {len(w)}")
    return w, float(getattr(threshold, "data", threshold))


def _tlu_setup(weights, threshold, X, y, n: int, where: str):
    """Weights, threshold, points (the 2^n corners by default) and labels (the unit's own output
    by default) for a plot of an n-input TLU's separating line (n = 2) or plane (n = 3)."""
    w, theta = _tlu_params(weights, threshold, n, where)
    if not np.any(w):
        shape = "line" if n == 2 else "plane"
        raise ValueError(f"{where}: all weights are 0, so there is no separating {shape}")
    X, y = _check_xy(_corners(n) if X is None else X, y, where, n)
    if y is None:
        y = (X @ w >= theta).astype(float)
    return w, theta, X, y


def _corners(n: int) -> np.ndarray:
    return np.array([[(i >> (n - 1 - k)) & 1 for k in range(n)] for i in range(2 ** n)], dtype=float)


def plot_tlu_line(weights, threshold=None, X=None, y=None, ax=None, *, limits=(-0.25, 1.25),
                  y_name: str = "y"):
    """The geometric view of a 2-input TLU: the line w1 x1 + w2 x2 = θ, the side where it fires
    shaded, and the inputs marked filled (label 1) or open (label 0) as on the slides.

    ``weights`` may be two numbers (or Values) or a TLU object (then ``threshold`` is read from
    it).  ``X`` defaults to the four corners of the unit square and ``y`` to the unit's output.
    When ``y`` holds other labels (say the target of a whole network, while the shading shows
    where this one unit fires), ``y_name`` names them in the legend: ``"{y_name} = 1"``.

    Returns:
        The matplotlib Axes; the line has gid ``"tlu_line"``, the shaded side ``"tlu_region"``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = plot_tlu_line([3, 2], 4)          # the conjunction x1 AND x2
        >>> ax.get_title()
        'TLU: 3 x1 + 2 x2 ≥ 4'
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['unit fires', 'y = 1', 'y = 0']
    """
    w, theta, X, y = _tlu_setup(weights, threshold, X, y, 2, "plot_tlu_line")
    ax = _axes(ax)
    lo, hi = limits
    g = np.linspace(lo, hi, 200)
    g1, g2 = np.meshgrid(g, g)
    fires = (w[0] * g1 + w[1] * g2 >= theta).astype(float)
    region = ax.contourf(g1, g2, fires, levels=[-0.5, 0.5, 1.5], colors=["white", _CLASS_COLOURS[1]],
                         alpha=0.2)
    region.set_gid("tlu_region")
    # Draw the line itself exactly, from where it crosses the square's edges.
    if w[1] != 0:
        xs = np.array([lo, hi])
        (line,) = ax.plot(xs, (theta - w[0] * xs) / w[1], color="black", linewidth=1.5)
    else:
        (line,) = ax.plot([theta / w[0]] * 2, [lo, hi], color="black", linewidth=1.5)
    line.set_gid("tlu_line")
    on = y >= 0.5
    pts1 = ax.scatter(X[on, 0], X[on, 1], s=80, color="black", zorder=3, label=f"{y_name} = 1")
    pts0 = ax.scatter(X[~on, 0], X[~on, 1], s=80, facecolors="white", edgecolors="black", zorder=3,
                      label=f"{y_name} = 0")
    pts1.set_gid("data")
    pts0.set_gid("data")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"TLU: {tlu_inequality(w, theta)}")
    # contourf has no legend entry of its own; a patch of the same colour names the shading.
    from matplotlib.patches import Patch

    fires_patch = Patch(facecolor=_CLASS_COLOURS[1], alpha=0.2, edgecolor="none", label="unit fires")
    # Below the axes: inside, any corner would put the legend on top of one of the four inputs.
    ax.legend(handles=[fires_patch, pts1, pts0], loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3,
              fontsize="small", frameon=False, handletextpad=0.3, columnspacing=1.0)
    return ax


def _clip_to_half_space(polygon: np.ndarray, w: np.ndarray, theta: float) -> np.ndarray:
    """The part of a convex polygon (rows are its vertices, in order) where w·x ≥ θ (Sutherland-Hodgman).

    Example:
        >>> square = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
        >>> _clip_to_half_space(square, np.array([1.0, 0, 0]), 0.5).tolist()
        [[0.5, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.5, 1.0, 0.0]]
    """
    out = []
    side = polygon @ w - theta
    for k in range(len(polygon)):
        j = k - 1  # the previous vertex: the edge polygon[j] -> polygon[k]
        if (side[j] >= 0) != (side[k] >= 0):
            t = side[j] / (side[j] - side[k])
            out.append(polygon[j] + t * (polygon[k] - polygon[j]))
        if side[k] >= 0:
            out.append(polygon[k])
    return np.array(out).reshape(-1, polygon.shape[1])


def _cube_faces() -> list[np.ndarray]:
    """The unit cube's six faces, each as its four corners in order around it."""
    faces = []
    for d in range(3):
        a, b = [i for i in range(3) if i != d]
        for level in (0.0, 1.0):
            face = np.zeros((4, 3))
            face[:, d] = level
            face[:, [a, b]] = [(0, 0), (1, 0), (1, 1), (0, 1)]
            faces.append(face)
    return faces


def plot_tlu_plane(weights, threshold=None, X=None, y=None, ax=None):
    """The geometric view of a 3-input TLU: the plane w·x = θ cutting the unit cube (3-D Axes),
    the part of the cube where the unit fires shaded, every corner labelled ``(x1,x2,x3)``,
    and the inputs marked filled (label 1) or open (label 0) as on the slides.

    ``weights`` may be three numbers (or Values) or a TLU object; ``X`` defaults to the cube's
    eight corners and ``y`` to the unit's output.  ``ax`` must be a 3-D Axes
    (``projection="3d"``) or None for a new one.

    Returns:
        The 3-D Axes; the plane has gid ``"tlu_plane"``, the shaded faces of the firing side
        ``"tlu_region"`` and the corner labels ``"corner_label"``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = plot_tlu_plane([2, -2, 2], 1)     # the lecture's 3-input function
        >>> ax.name
        '3d'
        >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "corner_label")[:3]
        ['(0,0,0)', '(0,0,1)', '(0,1,0)']
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['unit fires', 'y = 1', 'y = 0']
    """
    w, theta, X, y = _tlu_setup(weights, threshold, X, y, 3, "plot_tlu_plane")
    ax = _axes(ax, projection="3d")
    if getattr(ax, "name", "") != "3d":
        raise ValueError("plot_tlu_plane: ax must be a 3-D Axes (fig.add_subplot(projection='3d'))")
    # Solve the plane for the coordinate with the largest weight: the most upright parametrisation.
    k = int(np.argmax(np.abs(w)))
    a, b = [i for i in range(3) if i != k]
    u, v = np.meshgrid(np.linspace(-0.1, 1.1, 12), np.linspace(-0.1, 1.1, 12))
    coords = [None, None, None]
    coords[a], coords[b] = u, v
    coords[k] = (theta - w[a] * u - w[b] * v) / w[k]
    coords[k] = np.where((coords[k] >= -0.1) & (coords[k] <= 1.1), coords[k], np.nan)
    # Grey, as the 2-D picture's line is black: red is kept for the side where the unit fires.
    plane = ax.plot_surface(*coords, alpha=0.35, color="dimgrey", linewidth=0)
    plane.set_gid("tlu_plane")
    # The cube's edges, so the corners read as a cube.
    for p in _corners(3):
        for d in range(3):
            if p[d] == 0:
                q = p.copy()
                q[d] = 1
                ax.plot(*zip(p, q, strict=True), color="grey", linewidth=0.6)
    # The firing side: the cube's faces cut down to where w·x ≥ θ; with the plane they close the
    # solid in which the unit fires, as the shading does in plot_tlu_line.
    from matplotlib.patches import Patch
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    pieces = [_clip_to_half_space(face, w, theta) for face in _cube_faces()]
    region = Poly3DCollection([p for p in pieces if len(p) >= 3], facecolor=_CLASS_COLOURS[1], alpha=0.2,
                              edgecolor="none")
    region.set_gid("tlu_region")
    ax.add_collection3d(region)
    # Each corner named by its coordinates, above a top corner and below a bottom one: x3 is drawn
    # upright from any usual viewpoint, so the name clears the marker.
    for p in _corners(3):
        at = p + [0.0, 0.0, 0.14 if p[2] else -0.14]
        text = ax.text(*at, "({:.0f},{:.0f},{:.0f})".format(*p), fontsize=8, ha="center", va="center")
        text.set_gid("corner_label")
    on = y >= 0.5
    pts1 = ax.scatter(*X[on].T, s=60, color="black", depthshade=False, label="y = 1")
    pts0 = ax.scatter(*X[~on].T, s=60, facecolors="white", edgecolors="black", depthshade=False,
                      label="y = 0")
    pts1.set_gid("data")
    pts0.set_gid("data")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_zlabel("$x_3$")
    ax.set_title(f"TLU: {tlu_inequality(w, theta)}")
    fires_patch = Patch(facecolor=_CLASS_COLOURS[1], alpha=0.2, edgecolor="none", label="unit fires")
    ax.legend(handles=[fires_patch, pts1, pts0], loc="upper left", fontsize="small")
    return ax


# -- classification results -------------------------------------------------------------------


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``m[i, j]`` of examples of true class i predicted as class j (integer labels).

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
        [[1, 0], [1, 1]]
    """
    t = np.asarray(y_true).ravel()
    p = np.asarray(y_pred).ravel()
    if len(t) != len(p):
        raise ValueError(f"confusion_matrix: y_true has {len(t)} labels but y_pred has {len(p)}")
    for name, arr in (("y_true", t), ("y_pred", p)):
        if arr.size and (not np.all(np.equal(np.mod(arr, 1), 0)) or arr.min() < 0):
            raise ValueError(f"confusion_matrix: {name} must hold non-negative integer class labels")
    t = t.astype(int)
    p = p.astype(int)
    if n_classes is None:
        n_classes = int(max(t.max(initial=-1), p.max(initial=-1))) + 1
    m = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(m, (t, p), 1)
    return m


def plot_confusion_matrix(y_true, y_pred, ax=None, *, labels=None, normalize: bool = False,
                          cmap: str = "Blues", title: str | None = "confusion matrix"):
    """The confusion matrix as an image with the count (or row fraction) written in each cell.

    Rows are the true classes, columns the predicted ones (as in scikit-learn).

    Returns:
        The matplotlib Axes.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = plot_confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1])
        >>> [t.get_text() for t in ax.texts]
        ['1', '0', '1', '2']
    """
    n = len(labels) if labels is not None else None
    m = confusion_matrix(y_true, y_pred, n_classes=n)
    labels = [str(i) for i in range(len(m))] if labels is None else [str(v) for v in labels]
    shown = m / np.maximum(m.sum(axis=1, keepdims=True), 1) if normalize else m
    ax = _axes(ax)
    image = ax.imshow(shown, cmap=cmap, vmin=0)
    image.set_gid("confusion_matrix")
    top = shown.max() if shown.size else 0
    for i in range(len(m)):
        for j in range(len(m)):
            text = f"{shown[i, j]:.2f}" if normalize else f"{m[i, j]:d}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if top and shown[i, j] > 0.6 * top else "black")
    ax.set_xticks(range(len(m)), labels)
    ax.set_yticks(range(len(m)), labels)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    return ax
