"""A crafted CIFAR-10 batch must not run code: not on `studio train`, `studio diagnose`, nor when the
GUI opens the project (studio.core.data.load_dataset). A genuine CIFAR-10 file still loads.

The payloads are real: `test_the_payloads_run_under_plain_pickle` shows each one creates its marker
file when a plain `pickle.loads` reads it, so "no marker" below means the reader refused it.
"""

from __future__ import annotations

import builtins
import os
import pickle
import shlex
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from studio.cli import main
from studio.core.data import load_dataset
from studio.core.errors import UserError
from studio.core.graph.model import Graph
from studio.core.project import Project, save_project


class _Reduce:
    """Pickles as `func(*args)`: what an attacker writes into a file."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _payloads(marker: Path) -> dict[str, tuple[object, str]]:
    """name -> (object whose unpickling creates `marker`, the global the reader must name)."""
    code = f"open({str(marker)!r}, 'w').close()"
    return {
        "os.system": (_Reduce(os.system, f"touch {shlex.quote(str(marker))}"), "posix.system"),
        "subprocess": (_Reduce(subprocess.call, ["touch", str(marker)]), "subprocess.call"),
        "builtins.exec": (_Reduce(builtins.exec, code), "builtins.exec"),
        # a numpy function that writes a file: numpy is allowed only for rebuilding arrays
        "numpy.savetxt": (_Reduce(np.savetxt, str(marker), np.zeros(2)), "numpy.savetxt"),
    }


def _batch(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"batch_label": b"training batch", "labels": [int(v) for v in rng.integers(0, 10, n)],
            "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
            "filenames": [f"img_{i}.png".encode() for i in range(n)]}


def _py2_string(b: bytes) -> bytes:
    return (b"U" + bytes([len(b)]) if len(b) < 256 else b"T" + struct.pack("<I", len(b))) + b


def _py2_int(v: int) -> bytes:
    return b"K" + bytes([v]) if 0 <= v < 256 else b"J" + struct.pack("<i", v)


def py2_cifar_batch(data: np.ndarray, labels: list[int]) -> bytes:
    """A batch laid out as the real CIFAR-10 python files are: cPickle protocol 2 from Python 2 with
    numpy 1.x, so str objects (SHORT_BINSTRING/BINSTRING), `numpy.core.multiarray._reconstruct` and
    the array's bytes as a Python 2 str."""
    n = data.shape[0]
    out = bytearray(b"\x80\x02}(")  # PROTO 2, EMPTY_DICT, MARK
    out += _py2_string(b"batch_label") + _py2_string(b"training batch 1 of 5")
    out += _py2_string(b"labels") + b"](" + b"".join(_py2_int(v) for v in labels) + b"e"
    out += _py2_string(b"data")
    out += b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85" + _py2_string(b"b") + b"\x87R"
    out += b"(K\x01" + _py2_int(n) + b"M\x00\x0c\x86"  # state: version 1, shape (n, 3072)
    out += b"cnumpy\ndtype\n" + _py2_string(b"u1") + b"K\x00K\x01\x87R"
    out += b"(K\x03" + _py2_string(b"|") + b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"  # dtype state
    out += b"\x89" + _py2_string(data.tobytes()) + b"tb"  # not Fortran order, raw bytes; BUILD
    out += b"u."  # SETITEMS, STOP
    return bytes(out)


def _project(tmp_path: Path, root: Path) -> Path:
    graph = Graph.chain([("input", "Input", {"shape": [3, 32, 32]}), ("flat", "Flatten", {}),
                         ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    project = Project(name="cifar", graph=graph,
                      data={"dataset": "cifar10", "val_fraction": 0.2, "augment": {}, "options": {"root": str(root)}},
                      training={"optimizer": "adam", "lr": 1e-2, "batch_size": 8, "epochs": 1, "seed": 0,
                                "device": "cpu"})
    return save_project(project, tmp_path / "cifar.studio.json")


def _cifar_folder(root: Path, first_batch: bytes) -> Path:
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    (folder / "data_batch_1").write_bytes(first_batch)
    (folder / "test_batch").write_bytes(pickle.dumps(_batch(4, 1), protocol=2))
    return folder


@pytest.mark.parametrize("name", ["os.system", "subprocess", "builtins.exec", "numpy.savetxt"])
def test_the_payloads_run_under_plain_pickle(tmp_path, name):
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(_payloads(marker)[name][0], protocol=2))
    assert marker.exists(), f"the {name} payload is not a real one"


@pytest.mark.parametrize("name", ["os.system", "subprocess", "builtins.exec", "numpy.savetxt"])
def test_a_crafted_batch_is_refused_by_the_loader_the_gui_uses(tmp_path, name):
    marker = tmp_path / "marker"
    payload, refused = _payloads(marker)[name]
    batch = _batch(4)
    batch["labels"] = payload  # hidden inside an otherwise plausible batch
    _cifar_folder(tmp_path / "data", pickle.dumps(batch, protocol=2))
    with pytest.raises(UserError) as err:
        load_dataset({"dataset": "cifar10", "options": {"root": str(tmp_path / "data")}})
    text = err.value.one_line()
    assert not marker.exists()
    assert str(tmp_path / "data" / "cifar-10-batches-py" / "data_batch_1") in text
    assert refused in text and "\n" not in text


def test_a_crafted_batches_meta_is_refused(tmp_path):
    marker = tmp_path / "marker"
    folder = _cifar_folder(tmp_path / "data", pickle.dumps(_batch(4), protocol=2))
    payload, refused = _payloads(marker)["builtins.exec"]
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": payload}, protocol=2))
    with pytest.raises(UserError, match="batches.meta") as err:
        load_dataset({"dataset": "cifar10", "options": {"root": str(tmp_path / "data")}})
    assert refused in err.value.one_line() and not marker.exists()


@pytest.mark.parametrize("command", ["train", "diagnose"])
def test_train_and_diagnose_refuse_a_crafted_batch_in_one_line(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "marker"
    payload, refused = _payloads(marker)["os.system"]
    _cifar_folder(tmp_path / "data", pickle.dumps(payload, protocol=2))
    project = _project(tmp_path, tmp_path / "data")
    extra = ["--out", str(tmp_path / "run")] if command == "train" else []
    code = main([command, str(project), *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert not marker.exists()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"studio {command}: error: ")
    assert "data_batch_1" in lines[0] and refused in lines[0] and "Traceback" not in err


def test_genuine_cifar_files_still_load(tmp_path):
    """The Python 2 layout of the real files, plus batches Python 3 writes at protocols 2 and 5."""
    rng = np.random.default_rng(3)
    data = rng.integers(0, 256, (6, 3072), dtype=np.uint8)
    labels = [int(v) for v in rng.integers(0, 10, 6)]
    folder = _cifar_folder(tmp_path / "data", py2_cifar_batch(data, labels))
    (folder / "data_batch_2").write_bytes(pickle.dumps(_batch(3, 2), protocol=5))
    names = [b"plane", b"car", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": names, "num_vis": 3072}, protocol=2))
    bundle = load_dataset({"dataset": "cifar10", "val_fraction": 0.2,
                           "options": {"root": str(tmp_path / "data")}})
    assert (bundle.n_train, bundle.n_val, bundle.input_shape) == (9, 4, (3, 32, 32))
    assert bundle.class_names[:2] == ["plane", "car"]
    from studio.core.data.vision_files import _read_cifar_batch

    x, y = _read_cifar_batch(folder / "data_batch_1")
    assert np.array_equal(x.reshape(6, 3072), data) and y.tolist() == labels
