"""hayabusa.save / hayabusa.load: round trips, resumed training, truncated and corrupt files,
pickles that must not run, atomic writes."""
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import textwrap
import zlib
from collections import OrderedDict

import numpy as np
import pytest

import hayabusa as hb
from hayabusa.serialization import MAGIC, CheckpointError


def model(seed=0):
    hb.manual_seed(seed)
    return hb.nn.Sequential(hb.nn.Linear(5, 8), hb.nn.ReLU(), hb.nn.Linear(8, 3))


def assert_same(a, b):
    """Equal structure, types, and tensors equal in dtype, shape, values and requires_grad."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, hb.Tensor):
        assert a.dtype is b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert type(k) is type([j for j in b if j == k][0])
            assert_same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


def everything():
    rng = np.random.default_rng(0)
    tensors = {dt.name: hb.tensor(rng.standard_normal((2, 3)) * 10, dtype=dt) for dt in
               (hb.float16, hb.float32, hb.float64, hb.int8, hb.int16, hb.int32, hb.int64, hb.uint8)}
    tensors["bool"] = hb.tensor([[True, False, True]])
    return {
        "tensors": tensors,
        "scalar": hb.tensor(2.5), "empty": hb.zeros(0, 4), "strided": hb.arange(12.0).reshape(3, 4).t(),
        "parameter": hb.nn.Parameter(hb.ones(3)), "requires_grad": hb.ones(2).requires_grad_(),
        "frozen": hb.nn.Parameter(hb.ones(2), requires_grad=False),
        "numbers": [0, -7, 2 ** 80, 1.5, -0.0, float("inf"), float("-inf"), float("nan"), 1e-310, True, False, None],
        "strings": ["", "héllo ✓", "with \"quotes\" and \n newlines", "$tensor"],
        "tuple": (1, (2, [3, {"a": (4,)}])), "empty_containers": [[], (), {}, OrderedDict()],
        "keys": {0: "int", 1.5: "float", True: "bool", None: "none", "s": "str", -3: "neg"},
        "ordered": OrderedDict([("z", 1), ("a", 2)]),
        "numpy_scalars": [np.int64(3), np.bool_(True), np.float32(0.5)],
    }


def test_round_trip_of_everything(tmp_path):
    obj = everything()
    hb.save(obj, tmp_path / "all.ckpt")
    back = hb.load(tmp_path / "all.ckpt")
    want = dict(obj, numpy_scalars=[3, True, 0.5])
    assert_same(want, back)
    assert isinstance(back["parameter"], hb.nn.Parameter) and isinstance(back["frozen"], hb.nn.Parameter)
    assert not back["frozen"].requires_grad and back["strided"].is_contiguous()
    assert back["tensors"]["float32"]._data is not obj["tensors"]["float32"]._data
    back["tensors"]["float32"].add_(1)        # loaded tensors are writable copies


def test_model_and_optimizer_state_dicts(tmp_path):
    net = model()
    opt = hb.optim.Adam(net.parameters(), lr=0.01, amsgrad=True)
    net(hb.randn(4, 5)).sum().backward()
    opt.step()
    hb.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 7}, tmp_path / "ck")
    back = hb.load(tmp_path / "ck", map_location="cpu", weights_only=True)
    assert_same(net.state_dict(), back["model"])
    assert_same(opt.state_dict(), back["optimizer"])
    fresh = model(seed=1)
    fresh.load_state_dict(back["model"])
    x = hb.randn(3, 5)
    np.testing.assert_array_equal(fresh(x).detach().numpy(), net(x).detach().numpy())


def test_file_objects(tmp_path):
    buffer = io.BytesIO()
    hb.save({"w": hb.ones(2)}, buffer)
    buffer.seek(0)
    assert_same(hb.load(buffer), {"w": hb.ones(2)})
    with open(tmp_path / "f", "wb") as f:
        hb.save([1, 2], f)
    with open(tmp_path / "f", "rb") as f:
        assert hb.load(f) == [1, 2]
    with open(tmp_path / "f", "r", encoding="latin-1") as f, pytest.raises(TypeError, match="binary mode"):
        hb.load(f)


def test_resumed_training_is_bit_identical(tmp_path):
    """Save model, optimizer and scheduler mid-training, load them into new objects, go on: every
    parameter equals the uninterrupted run's, bit for bit."""
    rng = np.random.default_rng(3)
    batches = [(hb.tensor(rng.standard_normal((8, 5)), dtype=hb.float32), hb.tensor(rng.integers(0, 3, 8)))
               for _ in range(12)]

    def setup(seed):
        net = model(seed)
        opt = hb.optim.NAdam(net.parameters(), lr=0.01, weight_decay=1e-3)
        return net, opt, hb.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)

    def train(net, opt, sched, part):
        for x, y in part:
            opt.zero_grad()
            hb.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
            sched.step()

    straight = setup(0)
    train(*straight, batches)
    first = setup(0)
    train(*first, batches[:5])
    hb.save({"model": first[0].state_dict(), "optimizer": first[1].state_dict(),
             "scheduler": first[2].state_dict(), "epoch": 5}, tmp_path / "mid.ckpt")
    resumed = setup(42)
    state = hb.load(tmp_path / "mid.ckpt")
    resumed[0].load_state_dict(state["model"])
    resumed[1].load_state_dict(state["optimizer"])
    resumed[2].load_state_dict(state["scheduler"])
    train(*resumed, batches[state["epoch"]:])
    for a, b in zip(straight[0].parameters(), resumed[0].parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert straight[2].get_last_lr() == resumed[2].get_last_lr()


def small_checkpoint():
    buffer = io.BytesIO()
    hb.save({"w": hb.tensor([[1.0, -2.0]]), "b": hb.tensor([True]), "n": (3, "x", None)}, buffer)
    return buffer.getvalue()


def test_truncation_at_every_byte_raises(tmp_path):
    data = small_checkpoint()
    path = tmp_path / "t.ckpt"
    for n in range(len(data)):
        path.write_bytes(data[:n])
        with pytest.raises(CheckpointError, match="truncated|empty|not a hayabusa checkpoint"):
            hb.load(path)
    path.write_bytes(data + b"\0")
    with pytest.raises(CheckpointError, match="1 bytes follow the end of the checkpoint"):
        hb.load(path)


def test_random_corruption_raises():
    data = small_checkpoint()
    rng = np.random.default_rng(0)
    for trial in range(400):
        corrupt = bytearray(data)
        for at in rng.choice(len(data), size=1 + trial % 3, replace=False):
            corrupt[at] ^= int(rng.integers(1, 256))
        with pytest.raises(CheckpointError):
            hb.load(io.BytesIO(bytes(corrupt)))


def forged(header, data=b"", version=1):
    """A file with a valid prefix and checksums around an arbitrary header."""
    header = dict({"tensors": [], "data_bytes": len(data), "data_crc32": zlib.crc32(data)}, **header)
    body = json.dumps(header).encode()
    return io.BytesIO(struct.pack("<8sIQI", MAGIC, version, len(body), zlib.crc32(body)) + body + data)


@pytest.mark.parametrize("header, data, message", [
    ({"object": {"$eval": "print(1)"}}, b"", "tagged '\\$eval'"),
    ({"object": {"$tensor": 3}}, b"", "refers to tensor 3, which does not exist"),
    ({"object": {"a": 1, "b": 2}}, b"", "unknown form"),
    ({"object": {"$dict": [["k"]]}}, b"", "not a \\(scalar key, value\\) pair"),
    ({"object": {"$dict": [[["list", "key"], 1]]}}, b"", "not a \\(scalar key, value\\) pair"),
    ({"object": None, "tensors": [{"dtype": "object", "shape": [1], "offset": 0, "nbytes": 8,
                                   "requires_grad": False, "parameter": False}]}, bytes(8), "malformed"),
    ({"object": None, "tensors": [{"dtype": "float32", "shape": [3], "offset": 0, "nbytes": 8,
                                   "requires_grad": False, "parameter": False}]}, bytes(8), "has 8 bytes for shape"),
    ({"object": None, "tensors": [{"dtype": "float32", "shape": [2], "offset": 4, "nbytes": 8,
                                   "requires_grad": False, "parameter": False}]}, bytes(8), "outside the data"),
    ({"object": None, "tensors": [{"dtype": "float32", "shape": [-2], "offset": 0, "nbytes": 8,
                                   "requires_grad": False, "parameter": False}]}, bytes(8), "malformed"),
    ({"object": None, "data_bytes": "8"}, bytes(8), "lacks the object, tensors or data fields"),
])
def test_forged_headers_raise(header, data, message):
    with pytest.raises(CheckpointError, match=message):
        hb.load(forged(header, data))


def test_other_versions_and_foreign_files():
    with pytest.raises(CheckpointError, match="format version 2; this hayabusa reads version 1"):
        hb.load(forged({"object": None}, version=2))
    with pytest.raises(CheckpointError, match="not in hayabusa's checkpoint format"):
        hb.load(io.BytesIO(b"just some text that is long enough"))
    with pytest.raises(CheckpointError, match="is empty"):
        hb.load(io.BytesIO(b""))


class RunsCode:
    """Unpickling this would create the marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"state": RunsCode(str(marker))}))
    with pytest.raises(CheckpointError, match="is not a hayabusa checkpoint: it is a pickle"):
        hb.load(path)
    assert not marker.exists()
    with pickle.loads(path.read_bytes())["state"]:   # the payload is live: unpickling does run it
        pass
    assert marker.exists()


def test_a_torch_file_is_refused_and_never_run(tmp_path):
    torch = pytest.importorskip("torch")
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"w": torch.ones(2), "payload": RunsCode(str(marker))}, path)
    with pytest.raises(CheckpointError, match="zip archive \\(torch.save writes these\\)"):
        hb.load(path)
    assert not marker.exists()


def test_unsupported_objects_and_arguments(tmp_path):
    with pytest.raises(TypeError, match="cannot save obj\\['a'\\]\\[1\\] of type numpy.ndarray"):
        hb.save({"a": [1, np.zeros(2)]}, tmp_path / "x")
    with pytest.raises(TypeError, match="save its state_dict\\(\\) instead"):
        hb.save(model(), tmp_path / "x")
    with pytest.raises(TypeError, match="keys of obj must be str, int, float, bool or None, got tuple"):
        hb.save({(1, 2): 3}, tmp_path / "x")
    loop = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        hb.save(loop, tmp_path / "x")
    assert not os.listdir(tmp_path)         # failed saves leave nothing behind
    hb.save([1], tmp_path / "ok")
    with pytest.raises(ValueError, match="pickle_module"):
        hb.load(tmp_path / "ok", pickle_module=pickle)
    with pytest.raises(NotImplementedError, match="map_location as a function"):
        hb.load(tmp_path / "ok", map_location=lambda storage, location: storage)
    with pytest.raises(NotImplementedError, match="mmap=True"):
        hb.load(tmp_path / "ok", mmap=True)
    assert hb.load(tmp_path / "ok", map_location={"cpu": "cpu"}, weights_only=False) == [1]
    with pytest.raises(FileNotFoundError):
        hb.load(tmp_path / "missing")


class FailingFile:
    """Wraps a file; its write raises once `limit` bytes have gone through."""

    def __init__(self, f, limit):
        self.f, self.limit, self.written = f, limit, 0

    def write(self, data):
        n = memoryview(data).nbytes
        if self.written + n > self.limit:
            self.f.write(memoryview(data).cast("B")[:self.limit - self.written])
            raise OSError(28, "No space left on device")
        self.written += n
        return self.f.write(data)

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.f.__exit__(*exc)


def test_a_failed_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.ckpt"
    old = {"epoch": 1, "w": hb.ones(1000)}
    hb.save(old, path)
    before = path.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FailingFile(real_fdopen(fd, mode), 2000))
    with pytest.raises(OSError, match="No space left on device"):
        hb.save({"epoch": 2, "w": hb.zeros(1000)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.ckpt"]
    assert_same(hb.load(path), old)

    def no_fsync(fd):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(os, "fsync", no_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        hb.save({"epoch": 3}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.ckpt"]


def test_a_killed_save_leaves_the_previous_checkpoint(tmp_path):
    """A process killed after writing the new file but before renaming it: the old file is intact."""
    path = tmp_path / "model.ckpt"
    hb.save({"epoch": 1, "w": hb.ones(3)}, path)
    child = textwrap.dedent(f"""
        import os, sys, time
        import hayabusa as hb
        def stall(fd):
            print("writing", flush=True)
            time.sleep(60)
        os.fsync = stall
        hb.save({{"epoch": 2, "w": hb.zeros(100000)}}, {str(path)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    back = hb.load(path)
    assert back["epoch"] == 1 and back["w"].tolist() == [1.0, 1.0, 1.0]
    assert len(os.listdir(tmp_path)) == 2     # the killed save's temporary file stays behind


KILL_TRIALS = int(os.environ.get("HB_KILL_TRIALS", "20"))


def test_saves_killed_at_random_points_never_lose_the_checkpoint(tmp_path):
    """A child process saves checkpoints in a loop (each resumed from the one on disk) and is
    SIGKILLed at a random moment, KILL_TRIALS times: every time, the file on disk loads and is one
    whole checkpoint, never older than the last save the child finished. A long run is
    HB_KILL_TRIALS=500 python -m pytest -q tests/test_serialization.py -k killed_at_random."""
    path = tmp_path / "model.ckpt"
    hb.save({"epoch": 0, "w": hb.zeros(1 << 18)}, path)
    child = textwrap.dedent(f"""
        import hayabusa as hb
        path = {str(path)!r}
        epoch = hb.load(path)["epoch"]
        print("ready", flush=True)
        while True:
            epoch += 1
            hb.save({{"epoch": epoch, "w": hb.full((1 << 18,), float(epoch)),
                      "note": "x" * (epoch % 97)}}, path)
            print(epoch, flush=True)
    """)
    rng = np.random.default_rng(0)
    finished, killed_mid_save = 0, 0
    for _ in range(KILL_TRIALS):
        proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            try:
                proc.wait(timeout=rng.uniform(0.0, 0.05))    # saving meanwhile
            except subprocess.TimeoutExpired:
                pass
        finally:
            proc.kill()
            proc.wait()
        lines = proc.stdout.read().split()
        proc.stdout.close()
        assert proc.returncode == -9, "the child died on its own"
        finished = int(lines[-1]) if lines else finished
        strays = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
        killed_mid_save += len(strays)
        for name in strays:          # what a killed save leaves: a temporary file, never the target
            os.remove(tmp_path / name)
        back = hb.load(path)
        assert back["epoch"] >= finished
        assert back["note"] == "x" * (back["epoch"] % 97)
        np.testing.assert_array_equal(back["w"].numpy(), np.full(1 << 18, back["epoch"], np.float32))
        finished = back["epoch"]
    print(f"{KILL_TRIALS} kills, {killed_mid_save} inside a save, last checkpoint epoch {finished}")
    assert killed_mid_save >= KILL_TRIALS // 4    # the kills did land inside saves


def test_save_through_a_symlink_replaces_the_target(tmp_path):
    target = tmp_path / "real.ckpt"
    link = tmp_path / "link.ckpt"
    hb.save([1], target)
    os.symlink(target, link)
    hb.save([2], link)
    assert os.path.islink(link) and hb.load(target) == [2]


@pytest.mark.parametrize("make", [
    lambda opt: hb.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4, 4], gamma=0.5),
    lambda opt: hb.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20),
    lambda opt: hb.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0),
    lambda opt: hb.optim.lr_scheduler.SequentialLR(opt, [hb.optim.lr_scheduler.LinearLR(opt, total_iters=3),
                                                         hb.optim.lr_scheduler.ExponentialLR(opt, 0.9)], [3]),
], ids=["MultiStepLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR"])
def test_scheduler_state_through_a_checkpoint(tmp_path, make):
    def setup():
        opt = hb.optim.SGD([hb.nn.Parameter(hb.zeros(1))], lr=0.1, momentum=0.9)
        return opt, make(opt)

    def step(opt, sched, i):
        opt.step()
        sched.step(1.0) if isinstance(sched, hb.optim.lr_scheduler.ReduceLROnPlateau) else sched.step()

    opt, sched = setup()
    for i in range(5):
        step(opt, sched, i)
    hb.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, tmp_path / "s.ckpt")
    other_opt, other = setup()
    state = hb.load(tmp_path / "s.ckpt")
    other_opt.load_state_dict(state["optimizer"])
    other.load_state_dict(state["scheduler"])
    for i in range(5, 12):
        step(opt, sched, i)
        step(other_opt, other, i)
        assert other.get_last_lr() == sched.get_last_lr()
