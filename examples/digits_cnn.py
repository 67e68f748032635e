"""Train a small CNN on scikit-learn's 8x8 handwritten digits with hayabusa, as a PyTorch tutorial would.

Two 3x3 convolutions with batch normalization and ReLU, max pooling, channel
dropout and a linear classifier, trained with Adam from a DataLoader; a tqdm
progress bar per epoch, the test accuracy at the end, and a PNG of sample test
images with their predicted labels (wrong ones in red).

    python examples/digits_cnn.py [--epochs 12] [--out digits_cnn.png]
"""
import argparse
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import hayabusa as torch
import hayabusa.nn as nn
from hayabusa.utils.data import DataLoader, TensorDataset


def make_loaders(batch_size, seed):
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]  # (N, 1, 8, 8), pixels 0..16 -> 0..1
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    generator = torch.Generator().manual_seed(seed)
    train = TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train))
    test = TensorDataset(torch.from_numpy(x_test), torch.from_numpy(y_test))
    return (DataLoader(train, batch_size=batch_size, shuffle=True, generator=generator),
            DataLoader(test, batch_size=256))


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout2d(0.1))
        self.classifier = nn.Linear(64 * 4 * 4, 10)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def evaluate(model, loader):
    model.eval()
    correct, count, predictions = 0, 0, []
    with torch.no_grad():
        for xb, yb in loader:
            pred = model(xb).argmax(dim=1)
            correct += (pred == yb).sum().item()
            count += len(xb)
            predictions.append(pred.numpy())
    return correct / count, np.concatenate(predictions)


def plot(images, labels, predictions, path, rows=4, cols=8):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.2, rows * 1.4))
    wrong = np.flatnonzero(predictions != labels)
    # the mistakes first (there are few), then the first correct ones
    shown = np.concatenate([wrong, np.flatnonzero(predictions == labels)])[:rows * cols]
    for ax, i in zip(axes.ravel(), shown):
        ax.imshow(images[i, 0], cmap="gray_r")
        ok = predictions[i] == labels[i]
        ax.set_title(f"{predictions[i]}" + ("" if ok else f" (true {labels[i]})"), fontsize=9,
                     color="black" if ok else "red")
        ax.axis("off")
    fig.suptitle("hayabusa: CNN on scikit-learn digits, predicted labels")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits_cnn.png"),
                        help="where to write the PNG of sample predictions")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train_loader, test_loader = make_loaders(args.batch_size, args.seed)
    model = DigitsCNN()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, count = 0.0, 0
        bar = tqdm(train_loader, desc=f"epoch {epoch:2d}/{args.epochs}", unit="batch", leave=False)
        for xb, yb in bar:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
            bar.set_postfix(loss=f"{total / count:.4f}")
        accuracy, _ = evaluate(model, test_loader)
        tqdm.write(f"epoch {epoch:2d}  train loss {total / count:.4f}  test accuracy {accuracy:.4f}")

    accuracy, predictions = evaluate(model, test_loader)
    images = np.concatenate([xb.numpy() for xb, _ in test_loader])
    labels = np.concatenate([yb.numpy() for _, yb in test_loader])
    print(f"test accuracy {accuracy:.4f} ({int(round(accuracy * len(labels)))}/{len(labels)})")
    plot(images, labels, predictions, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
