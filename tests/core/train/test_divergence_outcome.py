"""A run whose loss ends far above where it started diverged, and says so (done, run.json, CLI, verdict).

Adam at lr 1e9 on digits keeps the loss finite (no NaN to stop it) but ends at a loss of ~1e8 and
chance accuracy; before, it "finished" without a word.
"""

from __future__ import annotations

import json
import math

from train_builders import digits_mlp, make_project

from studio.cli import main
from studio.core.project import save_project
from studio.core.recipe.diagnosis import diagnose_events
from studio.core.train.outcome import LossWatch, judge
from studio.core.train.run_folder import read_metrics, read_summary
from studio.core.train.trainer import run_training

DIGITS = {"dataset": "digits"}


def _project(lr: float, optimizer: str = "adam"):
    return make_project(digits_mlp(), DIGITS, optimizer=optimizer, lr=lr, epochs=1, layer_stats_every=0)


def test_adam_at_lr_1e9_is_reported_as_diverged(tmp_path):
    done = run_training(_project(1e9), tmp_path / "run", {"max_steps": 8})
    assert done["event"] == "done", done
    assert done["diverged"] is True
    assert done["final_loss"] > 100 * done["initial_loss"]
    assert math.isclose(done["initial_loss"], math.log(10), rel_tol=0.3)  # the loss at initialisation
    assert "diverged" in done["warning"] and "1e+09" in done["warning"]
    assert "1e+07" in done["fix"]  # lr / 100
    summary = read_summary(tmp_path / "run")
    assert summary["diverged"] is True and "diverged" in summary["warning"]
    verdict = diagnose_events(read_metrics(tmp_path / "run"))
    assert verdict.name == "diverging", verdict


def test_a_normal_learning_rate_is_not_diverged(tmp_path):
    done = run_training(_project(1e-2), tmp_path / "run", {"max_steps": 30})
    assert done["event"] == "done", done
    assert done["diverged"] is False and "warning" not in done
    assert read_summary(tmp_path / "run")["diverged"] is False


def test_the_cli_prints_the_divergence(tmp_path, capsys):
    project = tmp_path / "p.studio.json"
    save_project(_project(1e-2), project)
    code = main(["train", str(project), "--lr", "1e9", "--max-steps", "8", "--out", str(tmp_path / "human")])
    human = capsys.readouterr()
    assert code == 0, human.err
    assert "warning: training diverged" in human.out and "try 1e+07" in human.out
    code = main(["train", str(project), "--lr", "1e9", "--max-steps", "8", "--out", str(tmp_path / "json"), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    done = json.loads(out.splitlines()[-1])
    assert done["event"] == "done" and done["diverged"] is True and "lower the learning rate" in done["fix"]


def test_the_rule_uses_chance_level_for_a_resumed_classifier():
    """Resumed at a small loss, noise up to 0.3 is no divergence: the end must be worse than 2 ln(C)."""
    watch = LossWatch()
    watch.see({"event": "step", "losses": [0.05, 0.06], "lrs": [1e-3, 1e-3]})
    watch.see({"event": "step", "losses": [0.3] * 10, "lrs": [1e-3] * 10})
    assert judge(watch, classes=10)["diverged"] is False
    assert judge(watch, classes=None)["diverged"] is True  # a regression loss that grew six-fold
    watch.see({"event": "step", "losses": [9.0] * 10, "lrs": [1e-3] * 10})
    assert judge(watch, classes=10)["diverged"] is True


def test_the_verdict_takes_the_trainers_judgement_when_the_curve_alone_says_too_little():
    """Stopped mid-epoch after the loss doubled (no epoch to read, under the 4x step rule): still diverging."""
    events = [{"event": "start", "epochs": 1},
              {"event": "step", "step": 21, "first_step": 1, "epoch": 1, "losses": [2.3] + [5.0] * 20},
              {"event": "done", "reason": "stopped", "diverged": True, "warning": "training diverged: ...",
               "fix": "lower the learning rate: try 1e-05 (lr/100)"}]
    verdict = diagnose_events(events)
    assert verdict.name == "diverging" and "try 1e-05" in verdict.advice
    events[-1] = {"event": "done", "reason": "stopped", "diverged": False}
    assert diagnose_events(events).name != "diverging"
