"""One epoch of training on scikit-learn's digits: our Tensor against numpy, PyTorch and MyGrad.

The model is Linear(64,128)-tanh-Linear(128,128)-tanh-Linear(128,10) with softmax cross-entropy
and plain SGD (lr 0.1) in float32, from the same initial weights in every library, the samples
in the same order (no shuffling), so that the losses after one epoch must agree.  Compared in
the same run:

* ``numpy``: the forward and backward written out by hand, in place wherever a careful numpy
  programmer would write them so (bias add, tanh, the softmax turned into its own gradient,
  tanh's derivative in the spent activation, the SGD update): the floor for any numpy engine,
  which must keep every node's value and so cannot overwrite activations;
* ``autograd_nn``: ``nn.Sequential`` of ``nn.Linear``/``nn.Tanh``, ``tensor_losses.cross_entropy``
  and ``optim.SGD``, exactly as a user writes it;
* ``torch``: PyTorch CPU (``torch==2.13.0``) with ``torch.optim.SGD``;
* ``mygrad``: MyGrad's tensors and its softmax cross-entropy, SGD by hand.

numpy's BLAS (through threadpoolctl) and torch are pinned to the same number of threads.  Each
epoch is timed ``--repeats`` times and the median reported, with its ratio to numpy.  Targets
(issue 4): mini-batch 32 at most 1.25x numpy, full batch at most 1.05x.

The full batch is sensitive to the state of the C heap, which all engines in the process share:
when freed activation-sized arrays (about 1 MB each) are handed back to the operating system,
every new one costs page faults, which on a virtual machine can make numpy's own epoch 1.5x
slower.  The engines run interleaved in one process, so each sees the same heap.

Run: ``python -m benchmarks.bench_tensor [--repeats 7] [--threads 1]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

SIZES = (64, 128, 128, 10)
LR = 0.1


def load_data():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # pixel values 0..16 scaled to [0, 1]
    return x, digits.target.astype(np.int64)


def initial_weights(seed: int = 0) -> list[np.ndarray]:
    """W1, b1, W2, b2, W3, b3 with W of shape (nin, nout), PyTorch's uniform ±1/√nin."""
    rng = np.random.default_rng(seed)
    params = []
    for nin, nout in zip(SIZES[:-1], SIZES[1:]):
        bound = 1.0 / np.sqrt(nin)
        params.append(rng.uniform(-bound, bound, (nin, nout)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, nout).astype(np.float32))
    return params


def batches(n: int, size: int):
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


# -- the engines: each returns (train_one_epoch(), final_full_data_loss()) ----------------------


def numpy_engine(x, y, weights, batch_size):
    """The forward and backward written out by hand, as a careful numpy programmer would.

    Every temporary that is not needed again is reused in place: the bias is added into the
    product, tanh and exp write over their input, the softmax becomes its own gradient
    (p - onehot) / n, and tanh's derivative 1 - h² is formed in the activation's buffer once
    the activation has been used.  Nothing is preallocated across steps.
    """
    P = [w.copy() for w in weights]
    slices = batches(len(x), batch_size)
    losses = []

    def forward(xb):
        W1, b1, W2, b2, W3, b3 = P
        h1 = xb @ W1
        h1 += b1
        np.tanh(h1, out=h1)
        h2 = h1 @ W2
        h2 += b2
        np.tanh(h2, out=h2)
        z = h2 @ W3
        z += b3
        return h1, h2, z

    def epoch():
        W1, b1, W2, b2, W3, b3 = P
        for s in slices:
            xb, yb = x[s], y[s]
            h1, h2, z = forward(xb)
            # Softmax cross-entropy: the loss (which any training loop reports) and its gradient.
            n = len(yb)
            rows = np.arange(n)
            z -= z.max(axis=1, keepdims=True)
            picked = z[rows, yb]
            e = np.exp(z, out=z)
            total = e.sum(axis=1)
            losses.append((np.log(total) - picked).mean())
            e /= total[:, None]
            e[rows, yb] -= 1.0
            e *= 1.0 / n  # dz; a Python float keeps float32
            dz = e
            dW3 = h2.T @ dz
            db3 = dz.sum(axis=0)
            da2 = dz @ W3.T
            h2 *= h2  # h2 is used up: 1 - h2² in its place
            np.subtract(1.0, h2, out=h2)
            da2 *= h2
            dW2 = h1.T @ da2
            db2 = da2.sum(axis=0)
            da1 = da2 @ W2.T
            h1 *= h1
            np.subtract(1.0, h1, out=h1)
            da1 *= h1
            dW1 = xb.T @ da1
            db1 = da1.sum(axis=0)
            for p_, g in zip(P, (dW1, db1, dW2, db2, dW3, db3)):
                g *= LR  # the gradients are ours: scale in place, no temporary
                p_ -= g

    def loss():
        return _full_loss(forward(x)[2], y)

    return epoch, loss


def ours_engine(x, y, weights, batch_size):
    from autograd_nn import Tensor, no_grad
    from autograd_nn.nn import Linear, Sequential, Tanh
    from autograd_nn.optim import SGD
    from autograd_nn.tensor_losses import cross_entropy

    W1, b1, W2, b2, W3, b3 = weights
    model = Sequential(
        Linear.from_weights(W1, b1), Tanh(), Linear.from_weights(W2, b2), Tanh(), Linear.from_weights(W3, b3)
    )
    opt = SGD(model.parameters(), lr=LR)
    slices = batches(len(x), batch_size)

    def epoch():
        for s in slices:
            opt.zero_grad()
            loss = cross_entropy(model(Tensor(x[s])), y[s])
            loss.backward()
            opt.step()

    def loss():
        with no_grad():
            return _full_loss(model(Tensor(x)).data, y)

    return epoch, loss


def torch_engine(x, y, weights, batch_size):
    import torch
    from torch.nn import functional

    layers = []
    for i in range(3):
        lin = torch.nn.Linear(SIZES[i], SIZES[i + 1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(weights[2 * i].T.copy()))  # torch stores (nout, nin)
            lin.bias.copy_(torch.from_numpy(weights[2 * i + 1]))
        layers.append(lin)
    model = torch.nn.Sequential(layers[0], torch.nn.Tanh(), layers[1], torch.nn.Tanh(), layers[2])
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    slices = batches(len(x), batch_size)

    def epoch():
        for s in slices:
            opt.zero_grad()
            loss = functional.cross_entropy(model(xt[s]), yt[s])
            loss.backward()
            opt.step()

    def loss():
        with torch.no_grad():
            return _full_loss(model(xt).numpy(), y)

    return epoch, loss


def mygrad_engine(x, y, weights, batch_size):
    import mygrad as mg
    from mygrad.nnet.losses import softmax_crossentropy

    P = [mg.Tensor(w.copy()) for w in weights]
    slices = batches(len(x), batch_size)

    def forward(xb):
        W1, b1, W2, b2, W3, b3 = P
        h1 = mg.tanh(mg.matmul(xb, W1) + b1)
        h2 = mg.tanh(mg.matmul(h1, W2) + b2)
        return mg.matmul(h2, W3) + b3

    def epoch():
        for s in slices:
            loss = softmax_crossentropy(forward(x[s]), y[s])
            loss.backward()
            for p in P:
                p.data -= LR * p.grad

    def loss():
        with mg.no_autodiff:
            return _full_loss(np.asarray(forward(x)), y)

    return epoch, loss


def _full_loss(z: np.ndarray, y: np.ndarray) -> float:
    z = z.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    return float((np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]).mean())


ENGINES = {"numpy": numpy_engine, "autograd_nn": ours_engine, "torch": torch_engine, "mygrad": mygrad_engine}


def _available(name: str) -> bool:
    try:
        __import__({"autograd_nn": "autograd_nn", "numpy": "numpy"}.get(name, name))
    except ImportError:
        return False
    return True


def run(repeats: int = 15, threads: int = 1, batch_sizes=(32, None)) -> list[dict]:
    """Time one epoch per engine and batch size; return rows of the table (medians in ms)."""
    from threadpoolctl import threadpool_limits

    x, y = load_data()
    weights = initial_weights()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    names = [name for name in ENGINES if _available(name)]
    rows = []
    with threadpool_limits(limits=threads):
        for size in batch_sizes:
            batch = len(x) if size is None else size
            losses, times = {}, {name: [] for name in names}
            for name in names:
                # The loss after exactly one epoch from the shared start, compared with numpy's.
                epoch, final_loss = ENGINES[name](x, y, weights, batch)
                epoch()
                losses[name] = final_loss()
            # Engines interleaved within each repeat, so a burst of load elsewhere on the machine
            # hits them all alike; fresh weights each time, so every epoch does the same arithmetic.
            for _ in range(repeats):
                for name in names:
                    epoch, _ = ENGINES[name](x, y, weights, batch)
                    start = time.perf_counter()
                    epoch()
                    times[name].append(time.perf_counter() - start)
            base = statistics.median(times["numpy"])
            for name in names:
                ms = statistics.median(times[name])
                rows.append({
                    "engine": name,
                    "batch": batch,
                    "ms": 1e3 * ms,
                    "min_ms": 1e3 * min(times[name]),
                    "ratio": ms / base,
                    "loss": losses[name],
                    "loss_diff": abs(losses[name] - losses["numpy"]),
                })
    return rows


def format_table(rows: list[dict], threads: int) -> str:
    lines = [
        f"digits, one epoch (1797 samples), float32, SGD lr {LR}, {threads} BLAS/torch thread(s)",
        "| batch | engine | median ms/epoch | min ms | x numpy (medians) | loss after epoch "
        "| |loss - numpy| |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['batch']} | {r['engine']} | {r['ms']:.2f} | {r['min_ms']:.2f} | {r['ratio']:.2f} "
            f"| {r['loss']:.6f} | {r['loss_diff']:.1e} |"
        )
    return "\n".join(lines)


def main(argv=None) -> list[dict]:
    """Run the digits benchmark and print its table; return the rows (``argv``: command-line options)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args([] if argv is None else argv)
    rows = run(repeats=args.repeats, threads=args.threads)
    print(format_table(rows, args.threads))
    bad = [r for r in rows if r["loss_diff"] > 1e-4]
    if bad:
        print("WARNING: losses disagree with numpy's:", ", ".join(f"{r['engine']}@{r['batch']}" for r in bad))
    return rows


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
