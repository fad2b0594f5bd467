"""Where `studio export` writes: never over a file it did not create unless --force, never over a run
folder's own files, and a disk that refuses the file is named as such (not blamed on the model)."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest
import torch
from fault_disks import fill, hashes, read_only_dir, small_disk

from studio.cli import main
from studio.core.errors import UserError
from studio.core.export.pipeline import ExportOptions, export_run


@pytest.fixture
def run_copy(trained_run, tmp_path):
    """A copy of the session's run, so a test that goes wrong cannot damage the shared one."""
    dst = tmp_path / "run"
    shutil.copytree(trained_run, dst)
    return dst


def _export(capsys, *args) -> tuple[int, str, str]:
    code = main(["export", *map(str, args), "--no-latency", "--samples", "32"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str) -> None:
    assert code == 1 and err.count("\n") == 1 and err.startswith("studio export: error: ") and "Traceback" not in err


@pytest.mark.parametrize("force", [False, True])
def test_python_export_never_replaces_the_runs_checkpoint(run_copy, capsys, force):
    before = hashes(run_copy)
    code, _, err = _export(capsys, run_copy, "--format", "python", "--out", run_copy / "checkpoint.py",
                           *(["--force"] if force else []))
    assert_one_line_error(code, err)
    assert f"is checkpoint.pt of the run folder {run_copy}" in err and "never written over" in err
    assert hashes(run_copy) == before and not (run_copy / "checkpoint.py").exists()


def test_onnx_export_never_replaces_the_runs_project(run_copy, capsys):
    before = hashes(run_copy)
    code, _, err = _export(capsys, run_copy, "--format", "onnx", "--out", run_copy / "project.json", "--force")
    assert_one_line_error(code, err)
    assert "project.json of the run folder" in err and str(run_copy / "exports") in err
    assert hashes(run_copy) == before


def test_an_existing_file_is_replaced_only_with_force(trained_run, tmp_path, capsys):
    out = tmp_path / "model.onnx"
    out.write_bytes(b"someone's file")
    code, _, err = _export(capsys, trained_run, "--format", "onnx", "--out", out)
    assert_one_line_error(code, err)
    assert f"--out {out} already exists: choose a new name, or add --force to replace it" in err
    assert out.read_bytes() == b"someone's file"
    code, report, _ = _export(capsys, trained_run, "--format", "onnx", "--out", out, "--force", "--json")
    assert code == 0 and json.loads(report)["passed"] and out.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"], "the set-aside copy is gone once replaced"


def test_python_export_checks_the_weights_file_beside_the_code(trained_run, tmp_path, capsys):
    (tmp_path / "net.pt").write_bytes(b"other weights")
    code, _, err = _export(capsys, trained_run, "--format", "python", "--out", tmp_path / "net.py")
    assert_one_line_error(code, err)
    assert f"--out {tmp_path / 'net.pt'} already exists" in err
    assert not (tmp_path / "net.py").exists() and (tmp_path / "net.pt").read_bytes() == b"other weights"


def test_state_dict_export_into_a_run_or_a_full_folder_is_refused(run_copy, tmp_path, capsys):
    before = hashes(run_copy)
    code, _, err = _export(capsys, run_copy, "--format", "state_dict", "--out", run_copy, "--force")
    assert_one_line_error(code, err)
    assert "is a run folder; writing into it would replace the run's own files" in err
    assert hashes(run_copy) == before
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    code, _, err = _export(capsys, run_copy, "--format", "state_dict", "--out", busy)
    assert_one_line_error(code, err)
    assert "already exists and is not empty" in err and "--force" in err


@pytest.mark.parametrize("fmt,name", [("onnx", "m.onnx"), ("torchscript", "m.pt"), ("python", "m.py")])
def test_export_to_a_read_only_folder_says_it_cannot_write(trained_run, tmp_path, capsys, fmt, name):
    with read_only_dir(tmp_path / "ro") as ro:
        code, _, err = _export(capsys, trained_run, "--format", fmt, "--out", ro / name)
    assert_one_line_error(code, err)
    assert f"cannot write to {ro}" in err and ("read-only file system" in err or "permission denied" in err)
    assert "ONNX" not in err and "block" not in err, "a disk problem is not blamed on the model"


def test_a_full_disk_is_named_and_no_partial_file_is_left(trained_run, tmp_path, capsys):
    with small_disk(tmp_path / "disk", 512) as disk:
        fill(disk, leave_kb=8)  # the small CNN's ONNX file is larger than this
        code, _, err = _export(capsys, trained_run, "--format", "onnx", "--out", disk / "m.onnx")
        left = sorted(p.name for p in disk.iterdir())
    assert_one_line_error(code, err)
    assert f"no space left on {disk}" in err and "free some space" in err
    assert "block" not in err
    assert left == ["filler.bin"], "the half-written file is removed"


def test_a_failed_forced_export_puts_the_old_file_back(trained_run, tmp_path, monkeypatch):
    out = tmp_path / "model.onnx"
    out.write_bytes(b"the previous export")

    def full_disk(model, args, path, *a, **k):
        with open(path, "wb") as fh:
            fh.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(torch.onnx, "export", full_disk)
    with pytest.raises(UserError) as info:
        export_run(trained_run, ExportOptions(format="onnx", out=out, latency=False, samples=32, force=True))
    assert info.value.message.startswith("no space left on ") and "\n" not in info.value.one_line()
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]


def test_distillation_never_writes_its_student_into_an_existing_run(run_copy):
    from studio.core.export.distill import DistillConfig
    from studio.core.export.distill_run import distill_run
    from studio.core.project import load_project

    before = hashes(run_copy)
    with pytest.raises(UserError) as info:
        distill_run(run_copy, load_project(run_copy / "project.json"), run_copy, DistillConfig(epochs=1))
    assert "is a run folder; writing into it would replace the run's own files" in info.value.message
    assert hashes(run_copy) == before
