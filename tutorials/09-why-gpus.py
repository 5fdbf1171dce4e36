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
# optimised (vectorised, multi-threaded) BLAS.

# %%
from extras import require

require("matplotlib")

# %%
import gc
import time
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Tensor, Value, no_grad
from autograd_nn.graph import topological_order
from autograd_nn.nn import MLP

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
# backward, for growing batches. The scalar engine's time grows with the batch, every example adding
# its 40,000 multiplications one Python object at a time; the tensor engine's barely moves until the
# matrices get large. We keep the scalar batches small so this runs in
# seconds.

# %%
scalar = MLP(200, [200], activation="tanh", seed=0)
tensor = scalar.to_tensor()
rng = np.random.default_rng(1)

def timed(step, repeat):
    # Best of `repeat` runs, with the garbage collector paused so it does not land in one run.
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best

# One forward and backward pass; gradients just accumulate, the timing does not care.
def scalar_step(batch):
    total = Value.sum(Value.sum(scalar(list(x))) for x in batch)
    total.backward()

def tensor_step(batch):
    out = tensor(Tensor(batch)).sum()
    out.backward()

scalar_sizes = [1, 2, 4, 8]
tensor_sizes = [1, 2, 4, 8, 32, 128, 512, 2048]
scalar_times = [timed(partial(scalar_step, rng.normal(size=(n, 200))), repeat=2) for n in scalar_sizes]
tensor_times = [timed(partial(tensor_step, rng.normal(size=(n, 200))), repeat=20) for n in tensor_sizes]
for engine, sizes, times in (("scalar", scalar_sizes, scalar_times), ("tensor", tensor_sizes, tensor_times)):
    for n, t in zip(sizes, times):
        print(f"{engine} batch {n:5}: {t * 1e3:9.3f} ms, {t / n * 1e3:8.4f} ms per example")

# %%
# The two engines agree on the numbers before we compare their speed.
batch = rng.normal(size=(4, 200))
with no_grad():
    a = np.array([[v.data for v in scalar(list(x))] for x in batch])
    b = tensor(Tensor(batch)).data
assert np.abs(a - b).max() < 1e-12

per_example_scalar = scalar_times[-1] / scalar_sizes[-1]
per_example_tensor = tensor_times[-1] / tensor_sizes[-1]
speedup = per_example_scalar / per_example_tensor
print(f"per example: scalar {per_example_scalar * 1e3:.2f} ms, tensor {per_example_tensor * 1e6:.2f} us "
      f"-> {speedup:,.0f}x")
assert speedup > 10          # in practice hundreds to thousands of times

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for ax, per_example in zip(axes, (False, True)):
    scale_s = np.array(scalar_sizes) if per_example else 1
    scale_t = np.array(tensor_sizes) if per_example else 1
    ax.loglog(scalar_sizes, np.array(scalar_times) / scale_s * 1e3, "o-", label="scalar engine (Value)")
    ax.loglog(tensor_sizes, np.array(tensor_times) / scale_t * 1e3, "s-",
              label="tensor engine (Tensor, numpy)")
    ax.set_xlabel("batch size")
    ax.set_ylabel("ms per example" if per_example else "ms per forward + backward")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
axes[0].set_title("one 200 x 200 layer: 40,000 multiplications per example")
axes[1].set_title("time per example")
plt.tight_layout()

# %% [markdown]
# The gap has two causes. The scalar engine pays the Python interpreter's overhead (a new object and a
# few bytecodes) for each of the 40,000 multiplications; the tensor engine pays it once per
# *operation* and leaves the arithmetic to compiled code that uses the CPU's vector units and several
# cores. A GPU pushes the second idea much further: thousands of cores working on one matrix product.
# This is why deep learning toolkits (Theano, TensorFlow, PyTorch, MXNet, DyNet) are built around
# tensors, and why this library has both engines: the scalar one to see every step, the tensor one to
# train.
