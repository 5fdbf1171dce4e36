# ---
# jupyter:
#   lecture:
#   - Multiple Output Nodes
#   - Additional Aspects
# ---

# %% [markdown]
# # 8. Vectorised tensors
#
# The scalar engine makes one graph node per number. That is ideal for seeing every step, and hopeless
# for real data: a layer of 200 units on a batch of 100 examples needs $200 \times 200 \times 100$ = 4 million
# multiplications, each one done by the Python interpreter.
# `autograd_nn.Tensor` records whole arrays instead: one node per *operation on an array*, with numpy
# doing the arithmetic. The graph protocol is the same, so backward, gradient checking and the diagrams
# work for both.
#
# First we show that the two engines compute the same network, then we train a tensor network on real
# data.

# %%
from extras import require

require("matplotlib", optional={"sklearn": "the digits data need scikit-learn; using two moons"})

# %%
import importlib.util

import matplotlib.pyplot as plt
import numpy as np

from autograd_nn import Tensor, losses
from autograd_nn.nn import MLP
from autograd_nn.optim import Adam
from autograd_nn.train import fit
from viz.plots import plot_confusion_matrix, plot_decision_boundary, plot_loss_curve

# %% [markdown]
# ## One model, two engines
#
# `MLP.to_tensor()` turns a scalar MLP into the equivalent tensor model with the same weights. We feed
# both the same batch: the scalar MLP one example at a time, the tensor model the whole batch at once,
# and compare outputs and the gradients of every parameter.

# %%
rng = np.random.default_rng(0)
batch = rng.normal(size=(5, 3))
targets = rng.normal(size=(5, 2))

scalar = MLP(3, [4, 2], activation="tanh", output_activation="linear", seed=0)
tensor = scalar.to_tensor()
print(tensor)

E_scalar = losses.l2([scalar(list(x)) for x in batch], targets.tolist())
E_scalar.backward()
E_tensor = losses.l2(tensor(Tensor(batch)), targets)
E_tensor.backward()

out_scalar = np.array([[v.data for v in scalar(list(x))] for x in batch])
out_tensor = tensor(Tensor(batch)).data
print("largest output difference:", np.abs(out_scalar - out_tensor).max())
assert np.abs(out_scalar - out_tensor).max() < 1e-12
assert abs(E_scalar.data - float(E_tensor.data)) < 1e-12

# Carry the scalar gradients over with the same converter, then compare parameter by parameter.
for layer in scalar.layers:
    for neuron in layer.neurons:
        for p in (*neuron.w, neuron.b):
            p.data = p.grad
grads_as_tensor = scalar.to_tensor()
for (name, p), (_, g) in zip(tensor.named_parameters(), grads_as_tensor.named_parameters()):
    assert np.abs(p.grad - g.data).max() < 1e-12, name
print("same outputs, same error, same gradients for", [n for n, _ in tensor.named_parameters()])

# %% [markdown]
# ## Training on real data
#
# With scikit-learn installed we use its *digits*: 1797 images of 8 x 8 pixels, ten classes. Without it
# we fall back to the two-moons data from `autograd_nn.data`. The network is a tensor MLP trained with
# Adam on mini-batches and the softmax cross-entropy loss; `fit` shows a progress bar.

# %%
if importlib.util.find_spec("sklearn") is not None:
    from sklearn.datasets import load_digits

    digits = load_digits()
    X_all, y_all = digits.data / 16.0, digits.target
    name, sizes = "digits", [32, 10]
else:
    from autograd_nn.data import make_moons

    X_all, y_all = make_moons(600, noise=0.15, seed=0)
    name, sizes = "two moons", [16, 2]

order = np.random.default_rng(0).permutation(len(X_all))
split = int(0.8 * len(X_all))
train_idx, test_idx = order[:split], order[split:]
X_train, y_train = X_all[train_idx], y_all[train_idx].astype(int)
X_test, y_test = X_all[test_idx], y_all[test_idx].astype(int)
print(f"{name}: {len(X_train)} training and {len(X_test)} test examples, {X_all.shape[1]} features")

model = MLP(X_all.shape[1], sizes, activation="tanh", output_activation="linear", seed=0).to_tensor()
optimizer = Adam(model.parameters(), lr=0.01)
history = fit(model, X_train, y_train, losses.cross_entropy, optimizer, epochs=30, batch_size=32)


# %% alt="Left: training loss per epoch, falling; right: test confusion matrix, nearly all on its diagonal"
def predict(model, X):
    return model(Tensor(X)).data.argmax(axis=1)

train_acc = (predict(model, X_train) == y_train).mean()
test_acc = (predict(model, X_test) == y_test).mean()
print(f"accuracy: train {train_acc:.3f}, test {test_acc:.3f}")
assert test_acc > 0.9
assert history[-1] < history[0]

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
plot_loss_curve(history, ax=axes[0], ylabel="cross-entropy (mean per example)",
                title="training loss per epoch")
plot_confusion_matrix(y_test, predict(model, X_test), ax=axes[1], title=f"{name}: test set")
plt.tight_layout()

# %% alt="16 test digits headed by the model's guesses (red: wrong); no scikit-learn: the two moons' boundary"
if name == "digits":
    fig, axes = plt.subplots(2, 8, figsize=(11, 3.2))
    guesses = predict(model, X_test[:16])
    for ax, image, guess, truth in zip(axes.ravel(), X_test[:16], guesses, y_test[:16]):
        ax.imshow(image.reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{guess}" + ("" if guess == truth else f" (is {truth})"),
                     color="black" if guess == truth else "red", fontsize=9)
        ax.axis("off")
else:
    plot_decision_boundary(model, X_test, y_test, title="two moons: test set")
