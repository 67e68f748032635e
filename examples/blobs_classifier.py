"""Train the tutorial three-class classifier with hayabusa.

500 points in three Gaussian blobs (scikit-learn's make_blobs), one Linear
layer, cross-entropy, plain SGD: the loss every 100 epochs, the validation
accuracy at the end, and a PNG of the data over the learned decision regions.

    python examples/blobs_classifier.py [--out blobs_classifier.png]
"""
import argparse
import time

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import hayabusa as torch
import hayabusa.nn as nn
import hayabusa.optim as optim


class SimpleClassifier(nn.Module):
    def __init__(self, input_size, output_size):
        super().__init__()
        self.fc = nn.Linear(input_size, output_size)

    def forward(self, x):
        return self.fc(x)


def plot(model, data, labels, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_min, x_max = data[:, 0].min() - 0.5, data[:, 0].max() + 0.5
    y_min, y_max = data[:, 1].min() - 0.5, data[:, 1].max() + 0.5
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, 300), np.linspace(y_min, y_max, 300))
    grid = torch.tensor(np.c_[xx.ravel(), yy.ravel()], dtype=torch.float32)
    with torch.no_grad():
        regions = model(grid).argmax(dim=1).numpy().reshape(xx.shape)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx, yy, regions, alpha=0.3, levels=[-0.5, 0.5, 1.5, 2.5], cmap="viridis")
    scatter = ax.scatter(data[:, 0], data[:, 1], c=labels, s=12, cmap="viridis", edgecolors="k",
                         linewidths=0.3)
    ax.legend(*scatter.legend_elements(), title="class", loc="best")
    ax.set_title("hayabusa: three-class classifier, decision regions")
    ax.set_xlabel("feature 1 (standardized)")
    ax.set_ylabel("feature 2 (standardized)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--out", default="blobs_classifier.png", help="where to write the PNG")
    args = parser.parse_args()

    torch.manual_seed(0)
    data, labels = make_blobs(n_samples=500, centers=3, n_features=2, random_state=42)
    data = StandardScaler().fit_transform(data)
    train_x, val_x, train_y, val_y = train_test_split(data, labels, test_size=0.2, random_state=42)
    train_x = torch.tensor(train_x, dtype=torch.float32)
    train_y = torch.tensor(train_y, dtype=torch.long)
    val_x = torch.tensor(val_x, dtype=torch.float32)
    val_y = torch.tensor(val_y, dtype=torch.long)

    model = SimpleClassifier(2, 3)
    loss_function = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr)

    start = time.perf_counter()
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = loss_function(model(train_x), train_y)
        loss.backward()
        optimizer.step()
        if (epoch + 1) % 100 == 0:
            print(f"Epoch: {epoch + 1}, Loss: {loss.item():.4f}")
    elapsed = time.perf_counter() - start

    with torch.no_grad():
        val_out = model(val_x)
        val_loss = loss_function(val_out, val_y)
        _, predicted = torch.max(val_out, 1)
        accuracy = (predicted == val_y).sum().item() / len(val_y)
    print(f"Validation Loss: {val_loss.item():.4f}, Accuracy: {accuracy:.4f}")
    print(f"{args.epochs} training steps in {elapsed:.3f} s ({elapsed / args.epochs * 1e6:.0f} µs per step)")
    plot(model, data, labels, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
