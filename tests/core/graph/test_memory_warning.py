"""A model too big for this machine is flagged by `studio check` (and the canvas), without building it.

`studio check` accepted a 1.3e12-parameter model without a word. The estimate is arithmetic on
the inferred parameter count (float32 weights; x4 to train with Adam), compared with this
machine's RAM (and the GPU's memory where CUDA is up); nothing is allocated.
"""

from __future__ import annotations

import json
import subprocess
import sys

from studio.cli import main
from studio.core.graph.infer import infer_graph
from studio.core.graph.memory import (
    BYTES_PER_PARAM,
    TRAINING_COPIES,
    estimate,
    machine_memory,
    memory_issues,
)
from studio.core.graph.model import Graph, Node
from studio.core.project import Project, save_project


def linear_graph(width: int, out: int) -> Graph:
    return Graph.chain([Node("x", "Input", {"shape": [width]}), Node("big", "Linear", {"out_features": out}),
                        Node("head", "ClassificationHead")])


HUGE = linear_graph(1_000_000, 1_300_000)  # 1.3e12 weights


def test_the_estimate_is_arithmetic_on_the_parameter_count():
    report = infer_graph(linear_graph(1000, 10))
    est = estimate(report)
    assert est.params == 1000 * 10 + 10
    assert est.weights_bytes == est.params * BYTES_PER_PARAM == 4 * est.params
    assert est.training_bytes == TRAINING_COPIES * est.weights_bytes == 16 * est.params


def test_a_huge_linear_layer_is_warned_about_and_names_its_node():
    report = infer_graph(HUGE)
    assert report.ok  # a valid graph: a warning, not an error
    assert report.total_params > 1.3e12
    warning = next(w for w in report.warnings if "memory" in w.message)
    assert warning.node == "big"
    assert "1.3e+12 parameters" in warning.message and "RAM" in warning.message
    assert "TiB" in warning.message  # what it would take, in units a person reads
    assert "big" in warning.advice and "out_features" in warning.advice


def test_a_small_model_gets_no_memory_warning():
    report = infer_graph(linear_graph(64, 10))
    assert not [w for w in report.warnings if "memory" in w.message]


def test_the_limit_is_the_gpu_when_there_is_one():
    report = infer_graph(linear_graph(20_000, 20_000))  # 400M params: 6.4 GB to train
    small_gpu = {"ram_bytes": 512 * 2**30, "gpu_bytes": 4 * 2**30, "gpu_name": "a 4 GiB card"}
    issue = memory_issues(report, small_gpu)[0]
    assert "4 GiB card" in issue.message and "GPU" in issue.message
    assert memory_issues(report, {"ram_bytes": 512 * 2**30, "gpu_bytes": 80 * 2**30, "gpu_name": "big"}) == []
    assert "RAM" in memory_issues(report, {"ram_bytes": 2 * 2**30, "gpu_bytes": None})[0].message


def test_machine_memory_reads_this_machines_ram():
    ram = machine_memory()["ram_bytes"]
    assert ram is None or ram > 2**28


def test_studio_check_warns_in_text_and_json_without_building_the_model(tmp_path, capsys):
    path = tmp_path / "huge.studio.json"
    save_project(Project(name="huge", graph=HUGE), path)
    # a fresh process, so its peak memory says whether a 5 TB model was ever allocated. VmHWM is the
    # peak of this process image alone; ru_maxrss would carry the (large) pytest parent's over exec.
    out = subprocess.run([sys.executable, "-c", (
        "import sys; from studio.cli import main; code = main(['check', sys.argv[1], '--json']); "
        "peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]; "
        "print(peak, file=sys.stderr); sys.exit(code)"), str(path)],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr  # warnings do not fail the check
    assert int(out.stderr.strip().splitlines()[-1]) < 2 * 2**20  # VmHWM in KiB: under 2 GiB
    doc = json.loads(out.stdout)
    memory = doc["memory"]
    assert memory["params"] == doc["total_params"] > 1.3e12
    assert memory["training_bytes"] == 16 * memory["params"] and memory["fits"] is False
    assert "Adam" in memory["assumptions"]
    warning = next(w for w in doc["warnings"] if "memory" in w["message"])
    assert warning["node"] == "big" and "out_features" in warning["fix"]
    assert main(["check", str(path)]) == 0
    human = capsys.readouterr().out
    assert "warning: the model cannot even be built in memory here" in human and "TiB" in human
    assert "memory: 4.73 TiB of float32 weights" in human
