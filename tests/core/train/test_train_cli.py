"""`python -m studio train` as a user runs it: JSON lines ending in done, human text, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from studio.core.resources import default_example_path


def _studio(*args, cwd=None, timeout=240):
    return subprocess.run([sys.executable, "-m", "studio", "train", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def test_json_stream_of_the_course_cnn_ends_in_done(tmp_path):
    run_dir = tmp_path / "run"
    proc = _studio(str(default_example_path()), "--epochs", "1", "--max-steps", "4", "--batch-size", "32",
                   "--device", "cpu", "--seed", "3", "--out", str(run_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[0]["total_params"] == 1_625_866
    assert events[-1]["event"] == "done"
    done = events[-1]
    assert done["run_dir"] == str(run_dir) and done["samples_per_s"] > 0 and done["global_step"] == 4
    assert done["reason"] == "max_steps" and "best_val_accuracy" in done
    assert sum(len(e["losses"]) for e in events if e["event"] == "step") == 4
    assert (run_dir / "checkpoint.pt").is_file() and (run_dir / "metrics.jsonl").is_file()
    snapshot = json.loads((run_dir / "project.json").read_text())
    assert snapshot["training"]["batch_size"] == 32 and "max_steps" not in snapshot["training"]


def test_human_output_and_default_run_folder(tmp_path):
    project = tmp_path / "tiny.studio.json"
    data = json.loads(default_example_path().read_text())
    data["graph"]["nodes"][0]["params"]["shape"] = [1, 8, 8]
    data["data"]["options"] = {}
    project.write_text(json.dumps(data))
    proc = _studio(str(project), "--epochs", "1", "--device", "cpu", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "training on cpu: digits" in proc.stdout and "epoch 1: train loss" in proc.stdout
    assert "val accuracy" in proc.stdout and "done (finished)" in proc.stdout
    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith("tiny-") and (runs[0] / "best.pt").is_file()


def test_mismatch_and_device_errors_are_one_line(tmp_path):
    proc = _studio(str(default_example_path()), "--dataset", "shapes", "--device", "cpu", "--out", str(tmp_path / "r"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "studio train: error:" in proc.stderr
    assert "32x32 images, but Input 'input' takes 28x28" in proc.stderr
    proc = _studio(str(default_example_path()), "--dataset", "nope", "--out", str(tmp_path / "r2"))
    assert proc.returncode == 1 and "unknown dataset 'nope'" in proc.stderr
    proc = _studio(str(tmp_path / "missing.studio.json"))
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_an_embedding_run_prints_its_recall_at_1(tmp_path):
    from studio.core.resources import TEMPLATES

    done = _studio(str(TEMPLATES / "siamese_embedding.studio.json"), "--epochs", "1", "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("epoch 1:"))
    recall = float(line.split("val recall@1 ")[1].split("%")[0])
    assert 50.0 < recall <= 100.0, line  # digits' nearest neighbours mostly share their class after one epoch
