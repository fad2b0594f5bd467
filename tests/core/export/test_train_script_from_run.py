"""`studio export-script RUN`: the script goes on from the run's trained weights (shipped beside it as
a weights_only state_dict), keeps the project's frozen blocks frozen (their BatchNorm in eval),
synchronises the other BatchNorm layers under torchrun, and says in its header and output what of
the project it does not write. The script runs in this process (no launch): as one process, and as
a one-process torchrun world (RANK/WORLD_SIZE set, a real gloo group)."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
from pathlib import Path

import pytest
import torch

from studio.cli import main as cli_main
from studio.core.project import load_project, save_project
from studio.core.train.trainer import run_training

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "train"))
from train_builders import chain, make_project  # noqa: E402

FROZEN = ("conv", "bn")


def _script(path: Path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines; main() runs only when called
    return module


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory) -> Path:
    """A BatchNorm CNN trained a few steps; its project.json then marks conv + bn frozen (fine-tune the head)."""
    folder = tmp_path_factory.mktemp("from_run")
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}),
                  ("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}), ("bn", "BatchNorm2d", {}),
                  ("act", "ReLU", {}), ("conv2", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
                  ("bn2", "BatchNorm2d", {}), ("act2", "ReLU", {}), ("flat", "Flatten", {}),
                  ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {}))
    project = make_project(graph, {"dataset": "digits"}, batch_size=64, epochs=1, layer_stats_every=0, ema=0.9)
    run = folder / "run"
    done = run_training(project, run, {"max_steps": 12})
    assert done["event"] == "done", done
    trained = load_project(run / "project.json")
    for node in trained.graph.nodes:
        node.frozen = node.id in FROZEN
    save_project(trained, run / "project.json")
    return run


def _run_script(module, *args: str, capsys) -> str:
    module.main(["--epochs", "1", "--device", "cpu", *args])
    return capsys.readouterr().out


def test_a_run_exports_a_script_that_goes_on_from_its_weights_with_frozen_blocks(trained_run, tmp_path, capsys,
                                                                                  monkeypatch):
    out = tmp_path / "train.py"
    assert cli_main(["export-script", str(trained_run), "-o", str(out)]) == 0
    told = capsys.readouterr().out
    init = tmp_path / "train_init.pt"
    assert f"starts from run run, best.pt (epoch 1, step 12) (written as {init}); frozen blocks: conv, bn" in told
    assert "note: the EMA of the weights (ema 0.9) is not in the script" in told
    assert "note: the optimizer's state and the learning-rate schedule are not carried over" in told

    header = out.read_text().split('"""', 1)[0]
    assert "# Starts from: run run, best.pt (epoch 1, step 12), the weights in INIT_FILE" in header
    assert "# Frozen blocks (FROZEN, trained as in Studio: no gradient, BatchNorm in eval): conv, bn" in header
    assert "# BatchNorm under torchrun: synchronised across the processes (SYNC_BATCHNORM)" in header
    assert "# The project's settings this script does not write:" in header and "EMA" in header

    best = torch.load(trained_run / "best.pt", weights_only=True)["model"]
    shipped = torch.load(init, weights_only=True)  # a plain state_dict, no pickled objects
    assert set(shipped) == set(best) and all(torch.equal(shipped[k], best[k]) for k in best)

    monkeypatch.chdir(tmp_path)
    module = _script(out)
    printed = _run_script(module, "--out", "tuned.pt", capsys=capsys)
    assert f"starting from {init}; frozen: conv, bn" in printed
    assert "not in this script: the EMA of the weights" in printed
    tuned = torch.load(tmp_path / "tuned.pt", weights_only=True)
    for key in best:  # frozen: weights and BatchNorm statistics exactly as the run left them
        if key.split(".")[0] in FROZEN:
            assert torch.equal(tuned[key], best[key]), key
    assert float(best["bn.running_var"].sub(1).abs().max()) > 1e-3  # the run had moved them off their init
    assert not torch.equal(tuned["fc.weight"], best["fc.weight"])  # the rest trained on from the run's
    assert int(tuned["bn2.num_batches_tracked"]) > int(best["bn2.num_batches_tracked"])
    (epoch,) = [line for line in printed.splitlines() if line.startswith("epoch 1/1")]
    assert float(epoch.split("val_accuracy=")[1].split()[0]) > 0.5

    # --from-scratch: the seeded initialisation, no start weights shipped
    scratch = tmp_path / "scratch.py"
    assert cli_main(["export-script", str(trained_run), "-o", str(scratch), "--from-scratch", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["init"] is None and report["starts_from"] == "the seeded initialisation"
    assert not (tmp_path / "scratch_init.pt").exists() and "INIT_FILE = None" in scratch.read_text()


def test_under_torchrun_the_script_synchronises_its_unfrozen_batchnorm(trained_run, tmp_path, capsys, monkeypatch):
    out = tmp_path / "ddp.py"
    assert cli_main(["export-script", str(trained_run), "-o", str(out), "--checkpoint", "last", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["starts_from"].startswith("run run, checkpoint.pt")
    module = _script(out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for key, value in {"RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1",
                       "MASTER_PORT": str(port)}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    try:
        printed = _run_script(module, "--out", "ddp.pt", capsys=capsys)
    finally:
        if torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()
    assert "1 process(es) on cpu" in printed
    assert "frozen: conv, bn; BatchNorm synchronised across the processes (1 layer(s))" in printed
    last = torch.load(trained_run / "checkpoint.pt", weights_only=True)["model"]
    tuned = torch.load(tmp_path / "ddp.pt", weights_only=True)
    assert set(tuned) == set(last)  # the synchronised layer saves a BatchNorm's keys
    assert torch.equal(tuned["bn.running_mean"], last["bn.running_mean"])  # frozen: not synchronised, not updated


def test_start_options_need_a_run_folder(tmp_path, capsys):
    project = save_project(make_project(chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                                              ("fc", "Linear", {"out_features": 10}),
                                              ("head", "ClassificationHead", {})), {"dataset": "digits"}),
                           tmp_path / "p.studio.json")
    assert cli_main(["export-script", str(project), "-o", str(tmp_path / "t.py"), "--checkpoint", "last"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--checkpoint goes with a run folder" in err[0] and not (tmp_path / "t.py").exists()


def test_a_segmentation_heads_pixel_weights_are_said_to_be_left_out():
    from studio.core.export.train_script import build_train_script

    project = load_project(Path(__file__).resolve().parents[3] / "resources" / "templates" / "unet.studio.json")
    head = next(n for n in project.graph.nodes if n.block == "SegmentationHead")
    head.params["border_weight"] = 5.0
    script = build_train_script(project, overrides={"epochs": 1})
    said = "the border_weight of segmentation head 'head' is not in the script: it trains with plain per-pixel"
    assert any(note.startswith(said) for note in script.notes)
    assert "# The project's settings this script does not write:" in script.code
