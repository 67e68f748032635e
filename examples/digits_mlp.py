"""Train an MLP on scikit-learn's handwritten digits with hayabusa, as a PyTorch tutorial would.

A DataLoader over a train/validation/test split, Adam with a learning-rate
scheduler, dropout, early stopping on the validation loss with the best
weights checkpointed (hayabusa.save) and reloaded (hayabusa.load) for the final
test, and a PNG of the loss curves.

    python examples/digits_mlp.py [--epochs 100] [--patience 8] [--out digits_mlp.png]
"""
import argparse
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import hayabusa as torch
import hayabusa.nn as nn
from hayabusa.utils.data import DataLoader, TensorDataset


def make_loaders(batch_size, seed):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # pixel values 0..16 -> 0..1
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)
    x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=0.2, random_state=seed,
                                                      stratify=y_train)
    as_set = lambda a, b: TensorDataset(torch.from_numpy(a), torch.from_numpy(b))  # noqa: E731
    generator = torch.Generator().manual_seed(seed)
    return (DataLoader(as_set(x_train, y_train), batch_size=batch_size, shuffle=True, generator=generator),
            DataLoader(as_set(x_val, y_val), batch_size=256),
            DataLoader(as_set(x_test, y_test), batch_size=256))


def evaluate(model, loader, criterion):
    model.eval()
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            total += criterion(out, yb).item() * len(xb)
            correct += (out.argmax(dim=1) == yb).sum().item()
            count += len(xb)
    return total / count, correct / count


def plot(history, best_epoch, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 4))
    epochs = range(1, len(history["train"]) + 1)
    ax.plot(epochs, history["train"], label="train loss")
    ax.plot(epochs, history["val"], label="validation loss")
    ax.axvline(best_epoch, color="gray", ls="--", lw=1, label=f"best epoch ({best_epoch})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    ax.set_yscale("log")
    ax.set_title("hayabusa: MLP on scikit-learn digits")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--patience", type=int, default=8, help="epochs without improvement before stopping")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "digits_mlp.png"),
                        help="where to write the loss curves (default: next to this script)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train_loader, val_loader, test_loader = make_loaders(args.batch_size, args.seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=3)

    checkpoint = os.path.join(tempfile.mkdtemp(prefix="hayabusa-digits-"), "best.ckpt")
    history = {"train": [], "val": []}
    best_val, best_epoch, stale = float("inf"), 0, 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, count = 0.0, 0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
        val_loss, val_acc = evaluate(model, val_loader, criterion)
        scheduler.step(val_loss)
        history["train"].append(total / count)
        history["val"].append(val_loss)
        if val_loss < best_val:
            best_val, best_epoch, stale = val_loss, epoch, 0
            torch.save({"epoch": epoch, "model": model.state_dict(),
                        "optimizer": optimizer.state_dict(), "val_loss": val_loss}, checkpoint)
        else:
            stale += 1
        if epoch % 5 == 0 or stale == 0:
            print(f"epoch {epoch:3d}  train {total / count:.4f}  val {val_loss:.4f}  "
                  f"val acc {val_acc:.4f}  lr {scheduler.get_last_lr()[0]:.2e}")
        if stale >= args.patience:
            print(f"early stop at epoch {epoch}: no improvement for {args.patience} epochs")
            break

    state = torch.load(checkpoint)
    model.load_state_dict(state["model"])
    test_loss, test_acc = evaluate(model, test_loader, criterion)
    print(f"best epoch {state['epoch']} (val loss {state['val_loss']:.4f}); "
          f"test loss {test_loss:.4f}, test accuracy {test_acc:.4f}")
    plot(history, best_epoch, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
