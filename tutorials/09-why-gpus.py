# ---
# jupyter:
#   lecture:
#   - AI as a computer systems problem
#   - GPU
#   - Toolkits
# ---

# %% [markdown]
# # 9. Why GPUs
#
# A layer of 200 units that reads 200 inputs computes $W\vec{h}$ with a $200 \times 200$ weight matrix:
# $200 \times 200 = 40{,}000$ multiplications for one example, and as many again for every further example
# in a batch. All of them are independent, which is exactly the kind of work graphics cards were built for
# (rendering is matrix and vector arithmetic too): thousands of lean cores (the lecture's NVIDIA Tesla
# K20c has 2496) doing the same operation on different numbers, programmed through extensions of C such
# as CUDA.
#
# We cannot assume a GPU here, but we can see the same effect on a CPU: the scalar engine does one
# multiplication per Python object, the tensor engine hands the whole matrix product to numpy's
# optimised, vectorised BLAS. At the end, if this computer has an NVIDIA GPU and CuPy, we time the
# lecture's product on the GPU too.

# %%
from extras import require

require("matplotlib", optional={"threadpoolctl": "numpy is timed with all its threads, which a busy "
                                                  "computer can slow down unevenly"})

# %%
import gc
import time
from contextlib import nullcontext
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Tensor, Value, no_grad
from autograd_nn.graph import topological_order
from autograd_nn.nn import MLP

try:
    from threadpoolctl import threadpool_limits

    one_thread, threads = partial(threadpool_limits, limits=1, user_api="blas"), "one thread"
except ImportError:
    one_thread, threads = nullcontext, "all threads"

# %% [markdown]
# ## Counting the multiplications
#
# Built with `expanded=True`, the scalar layer records one graph node per multiplication, so we can count
# them in the graph of one forward pass.

# %%
layer = MLP(200, [200], activation="linear", seed=0, expanded=True)
x = list(np.random.default_rng(0).normal(size=200))
outputs = layer(x)
graph = topological_order(Value.sum(outputs))
multiplications = sum(node.op == "*" for node in graph)
print(f"{multiplications:,} multiplications, {len(graph):,} graph nodes for ONE example")
assert multiplications == 200 * 200 == 40_000

# %% [markdown]
# ## Timing both engines as the batch grows
#
# The same layer (the compact form now, one weighted-sum node per neuron) in both engines, forward and
# backward, for growing batches. We keep the scalar batches small so this runs in seconds.
#
# Timings on a shared computer are noisy, so we take three precautions. We measure *processor time*
# (`time.process_time()`), the time the processor spent on this program: unlike the clock on the wall,
# it leaves out the moments a busy computer gives to other programs. Each batch size is timed several
# times (the scalar engine's slow batches taking turns, the tensor engine's quick ones in a row) and we
# report the *median* run, with the interquartile range (the middle half of the runs) as error bars, so
# that a run slowed by a passing disturbance does not count. And numpy is held to one thread, so that
# its processor time is the work of one core.

# %%
scalar = MLP(200, [200], activation="tanh", seed=0)
tensor = scalar.to_tensor()
rng = np.random.default_rng(1)


def timings(steps, repeat, clock=time.process_time, in_turn=False):
    """Seconds by `clock` of `repeat` runs of each step: one column per step, one row per run.

    Each step runs `repeat` times in a row, so that a short one finds its data in the processor's
    cache; with `in_turn`, the steps take turns instead, so that a busy spell slows them all alike.
    The garbage collector is paused so that it does not land in one run.
    """
    times = np.empty((repeat, len(steps)))
    order = [(r, j) for r in range(repeat) for j in range(len(steps))]
    gc.collect()
    gc.disable()
    try:
        for r, j in order if in_turn else sorted(order, key=lambda rj: rj[1]):
            start = clock()
            steps[j]()
            times[r, j] = clock() - start
    finally:
        gc.enable()
    return times


def quartiles(times):
    """The median and the first and third quartiles of each column."""
    q1, median, q3 = np.percentile(times, [25, 50, 75], axis=0)
    return median, q1, q3


# One forward and backward pass; gradients just accumulate, the timing does not care.
def scalar_step(batch):
    total = Value.sum(Value.sum(scalar(list(x))) for x in batch)
    total.backward()


def tensor_step(batch):
    out = tensor(Tensor(batch)).sum()
    out.backward()


scalar_sizes = np.array([1, 2, 4, 8])
tensor_sizes = np.array([1, 4, 16, 64, 256, 1024])
scalar_times = timings([partial(scalar_step, rng.normal(size=(n, 200))) for n in scalar_sizes], repeat=7,
                       in_turn=True)
with one_thread():
    tensor_times = timings([partial(tensor_step, rng.normal(size=(n, 200))) for n in tensor_sizes], repeat=30)
scalar_quartiles, tensor_quartiles = quartiles(scalar_times), quartiles(tensor_times)
for engine, sizes, (median, q1, q3) in (("scalar", scalar_sizes, scalar_quartiles),
                                        ("tensor", tensor_sizes, tensor_quartiles)):
    for n, m, lo, hi in zip(sizes, median, q1, q3):
        print(f"{engine} batch {n:4}: median {m * 1e3:8.3f} ms (middle half {lo * 1e3:.3f} to "
              f"{hi * 1e3:.3f}), {m / n * 1e3:7.4f} ms per example")

# %%
# The two engines agree on the numbers before we compare their speed.
batch = rng.normal(size=(4, 200))
with no_grad():
    a = np.array([[v.data for v in scalar(list(x))] for x in batch])
    b = tensor(Tensor(batch)).data
assert np.abs(a - b).max() < 1e-12

# %% alt="Log-log time vs batch, IQR bars: scalar high and rising, tensor far lower; tensor per example falls"
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for ax, per_example in zip(axes, (False, True)):
    for sizes, (median, q1, q3), style, label in (
        (scalar_sizes, scalar_quartiles, "o-", "scalar engine (Value)"),
        (tensor_sizes, tensor_quartiles, "s-", f"tensor engine (Tensor, numpy, {threads})"),
    ):
        scale = sizes if per_example else 1
        low, high = (median - q1) / scale * 1e3, (q3 - median) / scale * 1e3
        ax.errorbar(sizes, median / scale * 1e3, yerr=[low, high], fmt=style, capsize=3, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size")
    ax.set_ylabel("ms per example" if per_example else "ms per forward + backward")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
axes[0].set_title("one 200 x 200 layer: median processor time (bars: middle half of the runs)")
axes[1].set_title("time per example")
plt.tight_layout()

# %% [markdown]
# What the measurements say (the cell below checks each sentence against the numbers above):
#
# * The scalar engine's time grows with every doubling of the batch, each example adding its 40,000
#   multiplications, one Python object at a time: 8 examples take more than twice as long as one. Not
#   eight times as long, because part of each pass does not depend on the batch: `backward()`, for one,
#   visits each of the layer's 40,200 weights and biases once, however many examples share them.
# * The tensor engine's time hardly grows at first: 16 examples take less than three times as long as
#   one. Its time per example falls more than tenfold from a batch of 1 to a batch of 1024.
# * On the same batch of 4 examples, the tensor engine is more than a hundred times faster.

# %%
scalar_median, tensor_median = scalar_quartiles[0], tensor_quartiles[0]
grows = scalar_median[1:] / scalar_median[:-1]
print("scalar: each doubling of the batch multiplies the time by", np.round(grows, 2))
print(f"scalar: 8 examples take {scalar_median[-1] / scalar_median[0]:.1f} times as long as one")
assert (grows > 1.1).all()
assert 2 * scalar_median[0] < scalar_median[-1] < 8 * scalar_median[0]
# The graph of a pass holds each weight and bias once, for a batch of 1 as for a batch of 2.
parameters = {id(p) for p in scalar.parameters()}
for n in (1, 2):
    pass_graph = topological_order(Value.sum(Value.sum(scalar(list(x))) for x in batch[:n]))
    assert len(parameters) == sum(id(node) in parameters for node in pass_graph) == 40_200

tensor_per_example = tensor_median / tensor_sizes
print(f"tensor: 16 examples take {tensor_median[2] / tensor_median[0]:.2f} times as long as one; per example "
      f"{tensor_per_example[0] * 1e6:.1f} us at batch 1, {tensor_per_example[-1] * 1e6:.1f} us at batch 1024 "
      f"({tensor_per_example[0] / tensor_per_example[-1]:.0f} times less)")
assert tensor_sizes[2] == 16 and tensor_median[2] < 3 * tensor_median[0]
assert tensor_per_example[0] > 10 * tensor_per_example[-1]

speedup = scalar_median[scalar_sizes == 4][0] / tensor_median[tensor_sizes == 4][0]
print(f"batch of 4: the tensor engine is {speedup:,.0f} times faster")
assert speedup > 100

# %% [markdown]
# ## The lecture's product on a GPU
#
# [CuPy](https://cupy.dev) offers numpy's interface on NVIDIA GPUs. If it is installed and finds a GPU,
# the cell below times the lecture's product there as well as on the CPU: $W\vec{h}$ for one example,
# and $W H$ for a batch of 1024 examples, the columns of $H$. Both are timed by the clock on the wall,
# as the GPU's work is no processor time of this program. A GPU call returns as soon as the work is
# queued, so each timing waits for the GPU to finish (`synchronize`), and an untimed first call loads
# the GPU's code before we start the clock. Without CuPy or a GPU, the CPU figures stand alone.

# %%
W = rng.normal(size=(200, 200))
products = {"W h, one example": (W, rng.normal(size=200)),
            "W H, a batch of 1024": (W, rng.normal(size=(200, 1024)))}
with one_thread():
    cpu_median = quartiles(timings([partial(np.matmul, *p) for p in products.values()], repeat=50,
                                   clock=time.perf_counter))[0]

try:
    import cupy

    gpus, why = cupy.cuda.runtime.getDeviceCount(), "CuPy finds no GPU"
except ModuleNotFoundError as error:
    gpus, why = 0, "CuPy is not installed" if error.name == "cupy" else f"CuPy cannot load: {error}"
except Exception as error:  # CuPy without a usable CUDA driver raises its own CUDARuntimeError
    gpus, why = 0, f"CuPy finds no GPU: {error}"

if gpus:
    device = cupy.cuda.Device()

    def gpu_product(a, b):
        a @ b
        device.synchronize()          # wait until the GPU has finished, not just accepted, the work

    on_gpu = [(cupy.asarray(a), cupy.asarray(b)) for a, b in products.values()]
    gpu_steps = [partial(gpu_product, a, b) for a, b in on_gpu]
    for step in gpu_steps:            # warm-up: loads the kernels and sets up cuBLAS
        step()
    gpu_median = quartiles(timings(gpu_steps, repeat=50, clock=time.perf_counter))[0]
    for (a, b), (a_gpu, b_gpu) in zip(products.values(), on_gpu):
        assert np.allclose(cupy.asnumpy(a_gpu @ b_gpu), a @ b)
    print(f"{'median wall time':22} {f'CPU (numpy, {threads})':>24} {'GPU (CuPy)':>12}")
    for name, cpu_s, gpu_s in zip(products, cpu_median, gpu_median):
        print(f"{name:22} {cpu_s * 1e6:21.1f} us {gpu_s * 1e6:9.1f} us  (GPU/CPU time {gpu_s / cpu_s:.2g})")
else:
    print(f"No GPU here ({why}), so only the CPU figures are shown; on a computer with an NVIDIA GPU, "
          "pip install cupy-cuda12x adds the GPU's.")
    print(f"{'median wall time':22} {f'CPU (numpy, {threads})':>24}")
    for name, cpu_s in zip(products, cpu_median):
        print(f"{name:22} {cpu_s * 1e6:21.1f} us")

# %% [markdown]
# The gap between the engines has two causes. The scalar engine pays the Python interpreter's overhead
# (a new object and a few bytecodes) for each of the 40,000 multiplications; the tensor engine pays it
# once per *operation* and leaves the arithmetic to compiled code that uses the CPU's vector units (and,
# when we let it, several cores). A GPU pushes the second idea much further: thousands of cores working
# on one matrix product. This is why deep learning toolkits (Theano, TensorFlow, PyTorch, MXNet, DyNet)
# are built around tensors, and why this library has both engines: the scalar one to see every step,
# the tensor one to train.
