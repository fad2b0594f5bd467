"""Refusals: a block ONNX cannot express, and checkpoints that are corrupt, foreign or unsafe."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.blockers import OnnxExportRefused
from studio.core.export.checkpoint import CheckpointError, load_studio_checkpoint
from studio.core.export.onnx_export import export_onnx, onnx_exportable
from studio.core.export.run_source import load_run
from studio.core.export.spec import ModelIO


class Spectrum(nn.Module):
    """A custom block (as a plugin might add) that takes an FFT: fine in PyTorch, impossible in ONNX."""

    def forward(self, x):
        return torch.fft.fft(x, dim=-1).abs()


class NodeNet(nn.Module):
    """Laid out like a compiled graph: one child module per node, named by node id."""

    def __init__(self, with_fft: bool):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.spectrum = Spectrum() if with_fft else nn.Identity()
        self.flat = nn.Flatten()
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x):
        return self.fc(self.flat(self.spectrum(self.relu1(self.conv1(x)))))


IO = ModelIO(["image"], [(1, 8, 8)], output_names=["logits"])


def test_block_that_cannot_go_to_onnx_is_named_with_reason_and_alternatives(tmp_path):
    with pytest.raises(OnnxExportRefused) as info:
        export_onnx(NodeNet(with_fft=True), IO, tmp_path / "m.onnx")
    err = info.value
    assert err.blocker.node == "spectrum"
    assert err.blocker.operation == "aten::fft_fft"
    text = err.one_line()
    assert "block 'spectrum' (Spectrum)" in text
    assert "complex" in text  # the reason
    assert "--format torchscript" in text and "preprocessing" in text  # alternatives
    assert "\n" not in text


def test_exportability_check_without_writing(tmp_path):
    assert onnx_exportable(NodeNet(with_fft=False), IO) is None
    blocker = onnx_exportable(NodeNet(with_fft=True), IO)
    assert blocker is not None and blocker.node == "spectrum"


def test_refusal_keeps_the_terminal_clean(tmp_path, capfd):
    """The exporter's C++ graph dump must not bury the one-line message."""
    with pytest.raises(OnnxExportRefused):
        export_onnx(NodeNet(with_fft=True), IO, tmp_path / "m.onnx")
    out, err = capfd.readouterr()
    assert "graph(" not in out + err


def _state_dict_file(path: Path) -> Path:
    torch.save(NodeNet(False).state_dict(), path)
    return path


def test_bare_state_dict_is_not_a_studio_checkpoint(tmp_path):
    with pytest.raises(CheckpointError, match="not a Studio checkpoint.*bare state_dict"):
        load_studio_checkpoint(_state_dict_file(tmp_path / "weights.pt"))


def test_pickled_model_needs_unsafe_unpickling_and_is_refused(tmp_path):
    path = tmp_path / "whole.pt"
    torch.save(NodeNet(False), path)  # the whole module: loading it would run unpickling of classes
    with pytest.raises(CheckpointError) as info:
        load_studio_checkpoint(path)
    text = info.value.one_line()
    assert "unsafe unpickling" in text
    assert "NodeNet" in text  # names what is inside
    assert "state_dict" in info.value.fix


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_corrupt_checkpoint_is_refused(tmp_path, damage):
    good = tmp_path / "good.pt"
    torch.save({"studio_checkpoint": 1, "model": NodeNet(False).state_dict()}, good)
    bad = tmp_path / "bad.pt"
    data = good.read_bytes()
    bad.write_bytes({"garbage": b"not a checkpoint at all" * 20, "truncated": data[: len(data) // 2],
                     "empty": b""}[damage])
    with pytest.raises(CheckpointError, match="corrupt"):
        load_studio_checkpoint(bad)
    assert load_studio_checkpoint(good)["studio_checkpoint"] == 1


def test_run_folder_with_a_foreign_checkpoint_is_refused(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    (run / "checkpoint.pt").unlink()
    torch.save(NodeNet(False), run / "best.pt")
    with pytest.raises(UserError, match="unsafe unpickling"):
        load_run(run)


def test_cli_refuses_in_one_line_without_traceback(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    (run / "best.pt").write_bytes(b"\x00" * 100)
    proc = subprocess.run([sys.executable, "-m", "studio", "export", str(run), "--format", "onnx",
                           "--out", str(tmp_path / "m.onnx")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("studio export: error:") and "corrupt" in lines[0] and "best.pt" in lines[0]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "m.onnx").exists()
