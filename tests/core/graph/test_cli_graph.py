"""`studio blocks`, `studio check` and `studio codegen` as a user runs them.

Each test runs its command once as a real process (`python -m studio ...`: the exit status and the
streams a shell sees); the further cases of the same command go through the same entry point,
`studio.cli.main`, in this process, which saves a Python-and-torch start each."""

from __future__ import annotations

import json
import subprocess
import sys

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.core.resources import TEMPLATES

MNIST = str(TEMPLATES / "mnist_cnn.studio.json")


def cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def in_process(capsys, *args: str) -> subprocess.CompletedProcess:
    """The same command through studio.cli.main in this process: its exit code and what it printed."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return subprocess.CompletedProcess(["studio", *args], code, out.out, out.err)


def test_blocks_json_lists_the_catalogue_with_typed_parameters(capsys):
    result = cli("blocks", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] >= 35 and len(data["blocks"]) == data["count"]
    conv = next(b for b in data["blocks"] if b["name"] == "Conv2d")
    assert conv["category"] == "Convolution" and conv["inputs"] == ["in"] and conv["outputs"] == ["out"]
    kernel = next(p for p in conv["params"] if p["name"] == "kernel_size")
    assert kernel == {"name": "kernel_size", "kind": "int", "default": 3, "min": 1, "help": ""}
    assert "squeeze_excite" in data["plugins"]["loaded"]
    human = in_process(capsys, "blocks")
    assert "ConformerBlock" in human.stdout and f"{data['count']} blocks" in human.stdout


def test_check_json_reports_shapes_params_and_flops(capsys):
    result = cli("check", MNIST, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["total_params"] == 1_625_866 and data["errors"] == []
    fc1 = next(n for n in data["nodes"] if n["id"] == "fc1")
    assert fc1 == {**fc1, "block": "Linear", "output_shape": ["N", 128], "params": 1_605_760, "flops": 2 * 12544 * 128}
    human = in_process(capsys, "check", MNIST)
    assert human.returncode == 0 and "(N, 64, 14, 14)" in human.stdout and "1,625,866 parameters" in human.stdout


def test_check_of_an_invalid_graph_exits_1_naming_node_and_fix(tmp_path, capsys):
    project = load_project(MNIST)
    project.graph.remove_node("flatten")
    project.graph.connect("drop1", "fc1")
    bad = save_project(project, tmp_path / "bad.studio.json")
    result = cli("check", str(bad))
    assert result.returncode == 1
    assert ("studio check: error: Linear fc1 expects (N, F) but gets (N, 64, 14, 14): "
            "insert Flatten between drop1 and fc1") in result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(in_process(capsys, "check", str(bad), "--json").stdout)
    assert data["ok"] is False
    err = data["errors"][0]
    assert err["node"] == "fc1" and err["fix"] == "insert Flatten between drop1 and fc1"
    assert err["fix_action"]["action"] == "insert_block" and err["fix_action"]["block"] == "Flatten"
    missing = in_process(capsys, "check", str(tmp_path / "nope.studio.json"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr


def test_codegen_writes_a_file_that_runs_on_its_own(tmp_path, capsys):
    out = tmp_path / "mnist_model.py"
    result = cli("codegen", MNIST, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "class MNISTCNN" in out.read_text()
    run = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["1625866 parameters", "(2, 10)"]
    bad = in_process(capsys, "codegen", MNIST, "-o", str(tmp_path / "model.txt"))
    assert bad.returncode == 1 and "not a .py file" in bad.stderr
    out.write_text("# the user's own notes\n")
    again = in_process(capsys, "codegen", MNIST, "-o", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr
    assert out.read_text() == "# the user's own notes\n"  # a file the command did not create is kept
    assert in_process(capsys, "codegen", MNIST, "-o", str(out), "--force").returncode == 0
    assert "class MNISTCNN" in out.read_text()
