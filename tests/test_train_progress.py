"""``fit`` outlives its progress bar: a stderr that is gone, closed, full or a broken pipe."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import warnings

import pytest

from autograd_nn import fit, losses
from autograd_nn.nn import MLP
from autograd_nn.optim import SGD

EPOCHS = 30


def _train(progress: bool) -> list[float]:
    model = MLP(1, [1], activation="linear", seed=0)
    xs, ys = [[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]
    return fit(model, xs, ys, losses.mse, SGD(model.parameters(), lr=0.1), EPOCHS, progress=progress)


QUIET = _train(progress=False)


class FailingStream(io.TextIOBase):
    """A stderr whose writes succeed ``good`` times and then raise ``error``."""

    def __init__(self, error: Exception, good: int = 0) -> None:
        self.error, self.good, self.written = error, good, []

    def writable(self) -> bool:
        return True

    def write(self, text):
        if self.good <= 0:
            raise self.error
        self.good -= 1
        self.written.append(text)
        return len(text)


def _closed_stream():
    stream = io.StringIO()
    stream.close()
    return stream


STREAMS = {
    "full device": lambda: FailingStream(OSError(errno.ENOSPC, "No space left on device")),
    "broken pipe": lambda: FailingStream(BrokenPipeError(errno.EPIPE, "Broken pipe")),
    "fails at close": lambda: FailingStream(OSError(errno.ENOSPC, "No space left on device"), good=1),
    "I/O error": lambda: FailingStream(OSError(errno.EIO, "Input/output error")),
    "closed": _closed_stream,
}


@pytest.mark.parametrize("make", STREAMS.values(), ids=STREAMS.keys())
def test_fit_goes_on_without_the_bar_and_warns_once_at_most(monkeypatch, make):
    monkeypatch.setattr(sys, "stderr", make())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = _train(progress=True)
    assert history == QUIET
    about_bar = [w for w in caught if "progress bar" in str(w.message)]
    assert len(about_bar) <= 1 and len(caught) == len(about_bar)
    assert all(issubclass(w.category, RuntimeWarning) for w in about_bar)


def test_a_full_device_is_reported_once(monkeypatch):
    monkeypatch.setattr(sys, "stderr", STREAMS["full device"]())
    with pytest.warns(RuntimeWarning, match="progress bar.*No space left") as caught:
        assert _train(progress=True) == QUIET
    assert len(caught) == 1


def test_no_stderr_at_all(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _train(progress=True) == QUIET


def test_a_working_stderr_still_shows_the_bar(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    assert _train(progress=True) == QUIET
    assert f"{EPOCHS}/{EPOCHS}" in stream.getvalue() and "loss=" in stream.getvalue()


def test_piped_into_a_closed_pipe_as_in_head(tmp_path):
    # ``python train.py 2>&1 | head -1``: the reader is gone, every write raises BrokenPipeError.
    script = (
        "from autograd_nn import fit, losses\n"
        "from autograd_nn.nn import MLP\n"
        "from autograd_nn.optim import SGD\n"
        "m = MLP(1, [1], activation='linear', seed=0)\n"
        f"h = fit(m, [[0.0], [1.0]], [1.0, 3.0], losses.mse, SGD(m.parameters(), lr=0.1), {EPOCHS})\n"
        "print(len(h))\n"
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=write_end, timeout=120
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stdout.decode().split() == [str(EPOCHS)]
