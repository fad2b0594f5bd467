"""Datasets as a user meets them: shapes, targets, splits, normalisation, offline files and errors."""

from __future__ import annotations

import gzip
import pickle
import struct

import numpy as np
import pytest
import torch

from studio.core.data import load_dataset
from studio.core.errors import UserError


def test_digits_28_matches_the_course_cnn_input_and_is_normalised():
    b = load_dataset({"dataset": "digits", "options": {"image_size": 28}, "val_fraction": 0.2})
    assert b.input_shape == (1, 28, 28)
    assert b.num_classes == 10 and b.class_names[3] == "3"
    assert b.n_train + b.n_val == 1797 and abs(b.n_val - 359) <= 1
    assert b.y_train["label"].dtype == torch.int64
    # normalised with training statistics: mean ~0, std ~1 per channel on the training split
    assert abs(float(b.x_train.mean())) < 1e-4 and abs(float(b.x_train.std()) - 1) < 1e-3
    assert len(b.mean) == 1 and 0 < b.mean[0] < 1


def test_split_is_seeded_and_disjoint():
    a = load_dataset({"dataset": "digits", "split_seed": 3})
    b = load_dataset({"dataset": "digits", "split_seed": 3})
    c = load_dataset({"dataset": "digits", "split_seed": 4})
    assert torch.equal(a.x_val, b.x_val)
    assert not torch.equal(a.x_val, c.x_val)
    train_rows = {tuple(r.tolist()) for r in a.x_train.flatten(1)}
    overlap = sum(tuple(r.tolist()) in train_rows for r in a.x_val.flatten(1))
    assert overlap <= 5  # digits has a few exact duplicate images; a leaky split would share hundreds


def test_shapes_targets_agree_with_each_other():
    b = load_dataset({"dataset": "shapes", "options": {"size": 24, "count": 90, "channels": 3, "seed": 1}})
    assert b.input_shape == (3, 24, 24)
    label, box, mask = b.y_train["label"], b.y_train["box"], b.y_train["mask"]
    assert set(label.unique().tolist()) == {0, 1, 2}
    assert box.shape[1] == 4 and float(box.min()) >= 0 and float(box.max()) <= 1
    assert bool((box[:, 2] > box[:, 0]).all() and (box[:, 3] > box[:, 1]).all())
    for i in range(len(label)):
        values = set(mask[i].unique().tolist())
        assert values == {0, int(label[i]) + 1}  # background plus this image's own class
        ys, xs = torch.nonzero(mask[i], as_tuple=True)
        expect = torch.tensor([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]).float() / 24
        assert torch.allclose(box[i], expect)
    assert b.targets["mask"].num_classes == 4


def test_sequence_labels_follow_the_rule():
    b = load_dataset({"dataset": "sequence", "options": {"task": "majority", "vocab": 5, "length": 9}})
    assert b.input_kind == "tokens" and b.x_train.dtype == torch.int64 and b.input_shape == (9,)
    counts = torch.nn.functional.one_hot(b.x_train, 5).sum(1)
    assert torch.equal(counts.argmax(1), b.y_train["label"])
    first = load_dataset({"dataset": "sequence", "options": {"task": "first", "encoding": "onehot", "vocab": 4}})
    assert first.input_shape == (16, 4)
    assert torch.equal(first.x_train[:, 0].argmax(1), first.y_train["label"])


def test_sine_is_multitask_and_forecast_target_continues_the_series():
    b = load_dataset({"dataset": "sine", "options": {"channels": 2, "horizon": 1, "noise": 0.0, "length": 40}})
    assert b.input_shape == (40, 2) and b.task == "multitask"
    assert set(b.targets) == {"target", "label"} and b.targets["label"].num_classes == 3
    # without noise each channel is a pure sinusoid: x[t+1] = k*x[t] - x[t-1] with k = 2cos(w) fitted
    # on the window, so the target must be that recurrence's next value
    x, t = b.x_train, b.y_train["target"]
    k = ((x[:, 2:] + x[:, :-2]) * x[:, 1:-1]).sum(1) / (x[:, 1:-1] ** 2).sum(1)
    guess = k * x[:, -1] - x[:, -2]
    assert float((guess - t).abs().max()) < 1e-3


def _write_idx(path, array: np.ndarray, gz: bool) -> None:
    code = {np.uint8: 0x08}[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    data = header + array.tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)


@pytest.mark.parametrize("name,folder", [("mnist", "MNIST/raw"), ("fashion_mnist", "FashionMNIST/raw")])
def test_mnist_format_files_are_read_offline(tmp_path, name, folder):
    raw = tmp_path / folder
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    _write_idx(raw / "train-images-idx3-ubyte", rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), gz=True)
    _write_idx(raw / "train-labels-idx1-ubyte", (np.arange(30) % 10).astype(np.uint8), gz=False)
    _write_idx(raw / "t10k-images-idx3-ubyte", rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), gz=False)
    _write_idx(raw / "t10k-labels-idx1-ubyte", (np.arange(12) % 10).astype(np.uint8), gz=True)
    b = load_dataset({"dataset": name, "options": {"root": str(tmp_path)}})
    assert (b.n_train, b.n_val, b.input_shape) == (30, 12, (1, 28, 28))
    assert b.y_val["label"].tolist() == [i % 10 for i in range(12)]


def test_missing_mnist_names_the_folder(tmp_path):
    with pytest.raises(UserError) as err:
        load_dataset({"dataset": "mnist", "options": {"root": str(tmp_path)}})
    text = err.value.one_line()
    assert str(tmp_path / "MNIST" / "raw") in text and "train-images-idx3-ubyte" in text


def test_cifar_batches_are_read_offline(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(1)
    for name, n in [("data_batch_1", 20), ("data_batch_2", 10), ("test_batch", 8)]:
        with open(folder / name, "wb") as fh:
            pickle.dump({"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                         "labels": list(range(n))}, fh)
    b = load_dataset({"dataset": "cifar10", "options": {"root": str(tmp_path)}})
    assert (b.n_train, b.n_val, b.input_shape) == (30, 8, (3, 32, 32))
    assert b.class_names[0] == "airplane" and len(b.mean) == 3
    with pytest.raises(UserError, match="cifar-10-batches-py"):
        load_dataset({"dataset": "cifar10", "options": {"root": str(tmp_path / "elsewhere")}})


def test_image_folder_one_subfolder_per_class(tmp_path):
    from PIL import Image

    for cls, colour in [("cats", (200, 30, 30)), ("dogs", (30, 30, 200))]:
        (tmp_path / cls).mkdir()
        for i in range(4):
            Image.new("RGB", (20, 14), colour).save(tmp_path / cls / f"{i}.png")
    b = load_dataset({"dataset": "folder", "options": {"root": str(tmp_path), "image_size": 16}, "val_fraction": 0.25})
    assert b.input_shape == (3, 16, 16) and b.class_names == ["cats", "dogs"] and b.n_train + b.n_val == 8
    with pytest.raises(UserError, match="class sub-folder"):
        load_dataset({"dataset": "folder", "options": {"root": str(tmp_path / "cats")}})


def test_csv_classification_and_regression(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,kind\n" + "".join(f"{i},{i * 2},{'big' if i > 5 else 'small'}\n" for i in range(10)))
    b = load_dataset({"dataset": "csv", "options": {"path": str(path)}})
    assert b.input_shape == (2,) and b.class_names == ["big", "small"] and b.task == "classification"
    reg = tmp_path / "r.csv"
    reg.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{i * 0.37:.2f}\n" for i in range(10)))
    r = load_dataset({"dataset": "csv", "options": {"path": str(reg)}, "val_fraction": 0.3})
    assert r.task == "regression" and r.y_train["target"].shape == (7, 1) and r.targets["target"].kind == "value"
    path.write_text("a,b,y\n1,x,0.5\n2,3,0.7\n3,4,0.1\n")
    with pytest.raises(UserError, match="line 2, column 'b'"):
        load_dataset({"dataset": "csv", "options": {"path": str(path)}})


def test_unknown_dataset_and_bad_augmentation_are_user_errors():
    with pytest.raises(UserError, match="unknown dataset 'imagenet'"):
        load_dataset({"dataset": "imagenet"})
    with pytest.raises(UserError, match="works on images"):
        load_dataset({"dataset": "sequence", "augment": {"flip": True}})
