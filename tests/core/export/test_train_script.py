"""`studio export-script`: a standalone PyTorch training script that runs with no Studio installed.

The script is run in a subprocess whose `import studio` can only reach a stand-in package that
records the attempt and raises, once as one plain process (`python -S`: no site-packages hooks,
so not even Studio's editable install is on the path) and once under torchrun with 2 CPU processes
(gloo). Its first epoch is compared with Studio's own trainer for the same seed.
"""

from __future__ import annotations

import ast
import math
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from studio.cli import main as cli_main
from studio.core.errors import UserError
from studio.core.project import load_project, save_project

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "resources" / "templates"
MLP = TEMPLATES / "mlp.studio.json"
EPOCH_LINE = re.compile(r"^epoch (\d+)/(\d+) train_loss=(\S+) val_loss=(\S+)(?: val_accuracy=(\S+))?", re.M)


def _poisoned_env(tmp: Path) -> tuple[dict[str, str], Path]:
    """An environment whose `import studio` finds only a package that leaves a marker and raises."""
    poison = tmp / "poison"
    (poison / "studio").mkdir(parents=True, exist_ok=True)
    marker = tmp / "studio_was_imported"
    (poison / "studio" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise ImportError('the training script imported studio')\n")
    site = str(Path(torch.__file__).resolve().parents[1])  # torch's own site-packages, nothing else
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=os.pathsep.join([str(poison), site]), OMP_NUM_THREADS="1", PYTHONNOUSERSITE="1")
    return env, marker


def _epochs(stdout: str) -> list[dict[str, float]]:
    return [{"epoch": int(m[1]), "train_loss": float(m[3]), "val_loss": float(m[4]),
             "val_accuracy": float(m[5]) if m[5] else None} for m in EPOCH_LINE.finditer(stdout)]


def _load_into_codegen_model(weights: Path) -> torch.nn.Module:
    from studio.core.graph.codegen import class_name, generate_code

    project = load_project(MLP)
    namespace: dict = {}
    exec(compile(generate_code(project.graph, project.name), "model.py", "exec"), namespace)  # noqa: S102
    model = namespace[class_name(project.name)]()
    model.load_state_dict(torch.load(weights, weights_only=True))  # strict: every key, every shape
    return model


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """The MLP template's script for 1 epoch on digits, written through the command line."""
    folder = tmp_path_factory.mktemp("script")
    out = folder / "train.py"
    assert cli_main(["export-script", str(MLP), "-o", str(out), "--epochs", "1"]) == 0
    return {"folder": folder, "script": out, "data": folder / "train_data.pt"}


@pytest.fixture(scope="module")
def single_run(exported) -> dict:
    folder = exported["folder"]
    env, marker = _poisoned_env(folder)
    result = subprocess.run([sys.executable, "-S", "-s", "train.py", "--out", "single.pt"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=120)
    return {"result": result, "marker": marker, "weights": folder / "single.pt"}


def test_script_trains_as_one_process_without_studio(exported, single_run):
    result = single_run["result"]
    assert result.returncode == 0, result.stderr
    assert not single_run["marker"].exists(), "the script imported studio"
    assert "import studio" not in exported["script"].read_text() and "from studio" not in exported["script"].read_text()
    (epoch,) = _epochs(result.stdout)
    assert math.isfinite(epoch["train_loss"]) and math.isfinite(epoch["val_loss"])
    assert epoch["val_loss"] < math.log(10) - 0.2, "one epoch should beat chance (ln 10) on digits"
    assert epoch["val_accuracy"] > 0.3
    model = _load_into_codegen_model(single_run["weights"])
    data = torch.load(exported["data"], weights_only=True)
    with torch.no_grad():
        acc = (model.eval()(data["x_val"]).argmax(1) == data["y_val"]["label"]).float().mean().item()
    assert abs(acc - epoch["val_accuracy"]) < 1e-3  # the saved weights are the ones that scored


def test_first_epoch_matches_studios_trainer_for_the_same_seed(single_run, tmp_path):
    """One process draws its batches as the trainer does (same init, permutation and dropout stream)."""
    from studio.core.train.trainer import run_training

    events: list[dict] = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        done = run_training(load_project(MLP), tmp_path / "run", {"epochs": 1}, emit=events.append)
    finally:
        torch.set_num_threads(threads)
    assert done["event"] == "done", done
    (studio_epoch,) = [e for e in events if e["event"] == "epoch"]
    (script_epoch,) = _epochs(single_run["result"].stdout)
    assert script_epoch["train_loss"] == pytest.approx(studio_epoch["train_loss"], abs=1e-5)
    assert script_epoch["val_loss"] == pytest.approx(studio_epoch["val_loss"], abs=1e-5)
    assert script_epoch["val_accuracy"] == pytest.approx(studio_epoch["val_accuracy"], abs=1e-4)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_script_trains_under_torchrun_with_two_gloo_processes(exported, single_run):
    folder = exported["folder"]
    env, marker = _poisoned_env(folder)
    result = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2",
                             "--master-addr", "127.0.0.1", "--master-port", str(_free_port()), "train.py",
                             "--out", "ddp.pt"], cwd=folder, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists(), "a worker imported studio"
    assert "2 process(es) on cpu, batch 32 x 2" in result.stdout
    (epoch,) = _epochs(result.stdout)  # rank 0 alone prints
    (single,) = _epochs(single_run["result"].stdout)
    assert math.isfinite(epoch["train_loss"]) and epoch["val_loss"] < math.log(10) - 0.2
    # another sample order (DistributedSampler), the same global batch: nearly the same epoch
    assert epoch["train_loss"] == pytest.approx(single["train_loss"], abs=0.1)
    _load_into_codegen_model(folder / "ddp.pt")


def _script_module(code: str, tmp_path: Path):
    import importlib.util

    path = tmp_path / "script_mod.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("studio_test_train_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines; main() runs only as __main__
    return module


@pytest.mark.parametrize("schedule", ["constant", "step", "cosine", "onecycle"])
def test_script_schedule_is_studios(schedule, tmp_path):
    from studio.core.export.train_script import build_train_script, lr_table
    from studio.core.train.config import TrainConfig

    project = load_project(MLP)
    settings = {"schedule": schedule, "epochs": 6, "warmup_epochs": 1, "lr": 0.01, "min_lr_fraction": 0.05}
    project.training.update(settings)
    script = build_train_script(project)
    module = _script_module(script.code, tmp_path)
    ours = module.LRSchedule(module.TrainConfig, 23)
    expected = lr_table(TrainConfig.from_dict(project.training), 23)
    assert [ours.lr(s) for s in range(len(expected))] == expected


def test_script_losses_are_studios(tmp_path):
    from studio.core.export.train_script import build_train_script
    from studio.core.graph.heads import HeadInfo, head_loss

    project = load_project(MLP)
    project.training["label_smoothing"] = 0.1
    module = _script_module(build_train_script(project).code, tmp_path)
    (row,) = module.HEADS
    assert row["label_smoothing"] == 0.1
    g = torch.Generator().manual_seed(0)
    logits, labels = torch.randn(8, 10, generator=g), torch.randint(0, 10, (8,), generator=g)
    studio_head = HeadInfo("head", "classification", "label", 1.0, "cross_entropy", {"label_smoothing": 0.1})
    assert torch.equal(module.head_loss(row, logits, labels), head_loss(studio_head, logits, labels))
    out, target = torch.randn(8, 1, generator=g), torch.randn(8, generator=g)
    for loss in ("mse", "l1", "smooth_l1"):
        reg = {"kind": "regression", "loss": loss, "label_smoothing": 0.0}
        studio_reg = HeadInfo("r", "regression", "target", 1.0, loss)
        assert torch.equal(module.head_loss(reg, out, target), head_loss(studio_reg, out, target))


def test_user_strings_enter_the_script_only_as_literals(tmp_path):
    from studio.core.export.train_script import build_train_script

    project = load_project(MLP)
    name = "evil'''\"\"\"\n__import__('os').system('echo pwned')\r\n#"
    project.name = name
    script = build_train_script(project, data_file="d'\n.pt", weights_file='w"\n.pt')
    tree = ast.parse(script.code)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "__import__"]
    assert not calls
    values = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name) and t.id in ("PROJECT", "DATA_FILE", "WEIGHTS_FILE")}
    assert values == {"PROJECT": name, "DATA_FILE": "d'\n.pt", "WEIGHTS_FILE": 'w"\n.pt'}


def test_other_paradigms_are_refused_with_the_reason(tmp_path):
    from studio.core.export.train_script import build_train_script

    with pytest.raises(UserError, match=r"head 'real_or_fake' \(gan\) trains with two networks"):
        build_train_script(load_project(TEMPLATES / "gan_mlp_digits.studio.json"))
    assert not list(tmp_path.iterdir())


def test_an_existing_file_is_kept_unless_force(tmp_path, capsys):
    out = tmp_path / "train.py"
    out.write_text("# mine\n")
    assert cli_main(["export-script", str(MLP), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "already exists" in err and "--force" in err
    assert out.read_text() == "# mine\n" and not (tmp_path / "train_data.pt").exists()
    out.unlink()
    (tmp_path / "train_data.pt").write_text("mine")  # the data file is guarded too
    assert cli_main(["export-script", str(MLP), "-o", str(out)]) == 1
    assert "train_data.pt already exists" in capsys.readouterr().err and not out.exists()
    assert cli_main(["export-script", str(MLP), "-o", str(out), "--force", "--json"]) == 0
    assert out.read_text().startswith("# Standalone training script")
    assert torch.load(tmp_path / "train_data.pt", weights_only=True)["format"] == "studio-train-data"


def test_a_run_folder_exports_the_project_it_trained(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    project = load_project(MLP)
    project.training["epochs"] = 3
    save_project(project, run / "project.json")
    assert cli_main(["export-script", str(run), "-o", str(tmp_path / "t.py"), "--json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["epochs"] == 3 and report["data"].endswith("t_data.pt") and report["weights"] == "t_weights.pt"
    assert "EPOCHS = 3" in (tmp_path / "t.py").read_text()


def test_settings_the_script_leaves_out_are_said(tmp_path):
    from studio.core.export.train_script import build_train_script

    project = load_project(MLP)
    project.data["augment"] = {"flip": True}
    project.training.update(ema=0.999, early_stopping=3)
    notes = build_train_script(project).notes
    assert any("augmentation" in n for n in notes) and any("EMA" in n for n in notes)
    assert any("early stopping" in n for n in notes)
    assert build_train_script(load_project(MLP)).notes == []
