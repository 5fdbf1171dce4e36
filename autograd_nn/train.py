"""``fit``: the training loop of every tutorial, with a tqdm progress bar and the loss history.

Example:
    >>> from autograd_nn import losses
    >>> from autograd_nn.train import fit
    >>> from autograd_nn.nn import MLP
    >>> from autograd_nn.optim import SGD
    >>> model = MLP(1, [1], activation="linear", seed=0)
    >>> xs, ys = [[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]          # y = 2x + 1
    >>> history = fit(model, xs, ys, losses.mse, SGD(model.parameters(), lr=0.1), 200, progress=False)
    >>> history[-1] < 1e-4, [round(p.data, 2) for p in model.parameters()]
    (True, [2.0, 1.0])
"""

from __future__ import annotations

import numbers
import sys
import warnings

import numpy as np

from .tensor import Tensor


def _is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def _uses_tensors(model) -> bool:
    params = model.parameters() if hasattr(model, "parameters") else []
    return bool(params) and _is_tensor(params[0])


class _BarStream:
    """The progress bar's way to stderr, which gives up quietly when stderr cannot be written.

    A bar is a courtesy: a closed stderr, a full device or a reader gone from the pipe (``| head``)
    must not cost the training and its loss history.  tqdm itself survives only a closed file
    and EIO.  Every write goes through here, also those of tqdm's monitor thread and of
    ``close()``, so none of them can raise.
    """

    def __init__(self, stream) -> None:
        self._stream = stream
        self._failed = False

    def write(self, text: str) -> None:
        self._attempt(self._stream.write, text)

    def flush(self) -> None:
        self._attempt(self._stream.flush)

    def __getattr__(self, name: str):
        # The rest as the stream has it: tqdm reads ``encoding`` (unicode blocks or ASCII) and
        # measures the terminal's width through ``fileno``.
        return getattr(self._stream, name)

    def __eq__(self, other) -> bool:
        # As tqdm's own wrapper: tqdm fits its bar to the terminal only for a file equal to
        # sys.stderr, so the bar keeps the width it has without this wrapper.
        return other is self or self._stream == other

    __hash__ = None  # equal to the stream it wraps, so no hash of its own

    def _attempt(self, call, *args) -> None:
        if self._failed:
            return
        try:
            call(*args)
        except (OSError, ValueError) as err:  # ValueError: "I/O operation on closed file"
            self._failed = True
            try:
                warnings.warn(
                    f"fit: the progress bar is off, stderr cannot be written ({err}); training goes on",
                    RuntimeWarning,
                    stacklevel=2,
                )
            except (OSError, ValueError):  # shown on the same broken stderr: only the warning is lost
                pass


def _loss_value(loss) -> float:
    data = loss.data
    return float(data) if isinstance(data, (numbers.Real, np.ndarray, np.generic)) else float(loss.item())


def fit(
    model,
    inputs,
    targets,
    loss,
    optimizer,
    epochs: int,
    progress: bool = True,
    batch_size: int | None = None,
    seed: int | None = 0,
) -> list[float]:
    """Train ``model`` for ``epochs`` passes over the data and return the loss of each epoch.

    Each step: ``optimizer.zero_grad()``, forward, ``loss(predictions, targets)``, ``backward()``,
    ``optimizer.step()``.

    Args:
        model: a scalar model (``MLP``: called once per sample, predictions a list of lists of
            Values) or a tensor model (called once per batch on a ``Tensor``).
        inputs, targets: the samples (a list of input vectors, or an array) and their targets.
        loss: a function ``loss(predictions, targets) -> Value/Tensor``, e.g. ``losses.l2``.
        optimizer: e.g. ``SGD(model.parameters(), lr=...)``.
        epochs: number of passes over the data.
        progress: show a tqdm progress bar with the current loss on stderr; ``False`` shows
            nothing.  A stderr that cannot be written (closed, ``None``, a full device, a
            broken pipe) turns the bar off, with one ``RuntimeWarning`` at most, and training
            goes on.
        batch_size: ``None`` trains on the whole set at each step (full batch); otherwise
            mini-batches of that size in an order shuffled every epoch from ``seed``.

    Returns:
        The list of per-epoch losses (the mean over the epoch's batches, weighted by their size).

    Example:
        >>> from autograd_nn import fit, losses
        >>> from autograd_nn.data import AND
        >>> from autograd_nn.nn import MLP
        >>> from autograd_nn.optim import SGD
        >>> model = MLP(2, [1], activation="sigmoid", seed=0)
        >>> inputs, targets = [list(x) for x in AND.inputs], list(AND.targets)
        >>> history = fit(model, inputs, targets, losses.l2, SGD(model.parameters(), lr=5.0),
        ...               epochs=200, progress=False)
        >>> history[-1] < history[0] / 10, [round(model(x)[0].data) for x in inputs]
        (True, [0, 0, 0, 1])
    """
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, got {epochs!r}")
    if not callable(loss):
        raise TypeError(f"fit: loss must be a function loss(predictions, targets), got {type(loss).__name__}")
    n = len(inputs)
    if len(targets) != n:
        raise ValueError(f"fit: {n} inputs but {len(targets)} targets; they must be equally many")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1
    ):
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    tensor_model = _is_tensor(inputs) or _uses_tensors(model)
    if tensor_model:
        x_all = inputs.data if _is_tensor(inputs) else np.asarray(inputs)
        t_all = targets.data if _is_tensor(targets) else np.asarray(targets)
    # Imported here so that ``import autograd_nn`` stays fast (tqdm.auto probes for Jupyter).
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    history: list[float] = []
    show = progress and sys.stderr is not None  # no stderr at all (pythonw): nowhere to draw
    stream = _BarStream(sys.stderr) if show else None
    bar = tqdm(range(epochs), desc="fit", disable=not show, file=stream)
    for _ in bar:
        if batch_size is None:
            batches = [None]
        else:
            order = rng.permutation(n)
            batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
        total = 0.0
        for idx in batches:
            optimizer.zero_grad()
            if tensor_model:
                xb = x_all if idx is None else x_all[idx]
                tb = t_all if idx is None else t_all[idx]
                value = loss(model(Tensor(xb)), tb)
            else:
                xb = inputs if idx is None else [inputs[i] for i in idx]
                tb = targets if idx is None else [targets[i] for i in idx]
                value = loss([model(x) for x in xb], tb)
            value.backward()
            optimizer.step()
            total += _loss_value(value) * (n if idx is None else len(idx))
        history.append(total / n if n else 0.0)
        if show:
            bar.set_postfix(loss=f"{history[-1]:.4g}", refresh=False)
    bar.close()
    return history
