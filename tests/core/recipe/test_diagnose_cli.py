"""`studio diagnose PROJECT [--dataset] [--json]`: the checks and the verdict (docs/recipe.md)."""

from __future__ import annotations

import json

from recipe_builders import digits_mlp, make_project

from studio.cli import main
from studio.core.project import save_project
from studio.core.train.trainer import run_training


def test_json_report_has_the_contract_fields_and_reads_the_run_verdict(tmp_path, capsys):
    project = make_project(digits_mlp(32), epochs=3)
    path = tmp_path / "mlp.studio.json"
    save_project(project, path)
    run_training(project, tmp_path / "run")
    assert main(["diagnose", str(path), "--run", str(tmp_path / "run"), "--checks", "cheap", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    names = [c["check"] for c in report["checks"]]
    assert names == ["fixed_seed", "init_loss", "final_bias", "batch_independence"]
    for check in report["checks"]:
        assert check["status"] in ("pass", "warn", "fail")
        assert {"measured", "expected", "advice"} <= set(check)
    assert all(c["status"] == "pass" for c in report["checks"])
    assert report["verdict"]["name"] in ("still_improving", "healthy")
    assert report["verdict"]["advice"] and report["verdict"]["epoch"] >= 1


def test_run_folder_as_project_and_human_text(tmp_path, capsys):
    project = make_project(digits_mlp(32), epochs=1)
    run_training(project, tmp_path / "run")
    assert main(["diagnose", str(tmp_path / "run"), "--checks", "init_loss,overfit_batch"]) == 0
    out = capsys.readouterr().out
    assert "Loss at initialisation" in out and "Overfit one batch" in out
    assert "verdict" in out and "Too early to tell" in out


def test_dataset_override_and_a_failing_check_is_a_finding_not_an_error(tmp_path, capsys):
    project = make_project(digits_mlp(32, softmax_before_head=True))
    path = tmp_path / "soft.studio.json"
    save_project(project, path)
    assert main(["diagnose", str(path), "--dataset", "digits", "--checks", "overfit_batch", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checks"][0]["status"] == "fail" and report["status"] == "fail"
    assert report["verdict"]["name"] == "not_trained"


def test_user_mistakes_are_one_line_errors(tmp_path, capsys):
    assert main(["diagnose", str(tmp_path / "missing.studio.json")]) == 1
    assert main(["diagnose", str(tmp_path)]) == 1
    project = make_project(digits_mlp(32))
    save_project(project, tmp_path / "p.studio.json")
    assert main(["diagnose", str(tmp_path / "p.studio.json"), "--checks", "nonsense"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("studio diagnose: error:") for line in err)
    assert "nonsense" in err[2] and "Traceback" not in "".join(err)


def test_a_project_not_trained_yet_is_diverging_when_its_range_test_blows_its_lr_up(tmp_path, capsys):
    """The issue's lr 50: 'not trained' hid what the range test had just measured."""
    project = make_project(digits_mlp(32), lr=50.0)
    path = tmp_path / "lr50.studio.json"
    save_project(project, path)
    assert main(["diagnose", str(path), "--checks", "lr_range", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["run_dir"] is None and report["checks"][0]["status"] == "fail"
    suggested = report["checks"][0]["details"]["suggested_lr"]
    verdict = report["verdict"]
    assert verdict["name"] == "diverging"
    assert "configured lr 50 diverges in the LR range test" in verdict["evidence"]
    assert f"use ~{suggested:.2g}" in verdict["advice"] and "try 5" not in verdict["advice"]
    assert main(["diagnose", str(path), "--checks", "lr_range"]) == 0
    out = capsys.readouterr().out
    assert "verdict: Diverging" in out and f"use ~{suggested:.2g}" in out and "Not trained" not in out


def test_a_sane_lr_not_trained_yet_stays_not_trained(tmp_path, capsys):
    project = make_project(digits_mlp(32), lr=3e-3)
    path = tmp_path / "ok.studio.json"
    save_project(project, path)
    assert main(["diagnose", str(path), "--checks", "lr_range", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"]["name"] == "not_trained"


def test_a_diverged_run_is_advised_the_range_tests_lr_not_a_tenth_of_its_own(tmp_path, capsys):
    project = make_project(digits_mlp(32), lr=50.0, epochs=1)
    path = tmp_path / "lr50.studio.json"
    save_project(project, path)
    run_training(project, tmp_path / "run", {"max_steps": 6})
    assert main(["diagnose", str(path), "--run", str(tmp_path / "run"), "--checks", "cheap", "--json"]) == 0
    without = json.loads(capsys.readouterr().out)["verdict"]
    assert without["name"] == "diverging" and "try 5" in without["advice"]  # no range test: lr/10 it is
    assert main(["diagnose", str(path), "--run", str(tmp_path / "run"), "--checks", "lr_range", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    suggested = report["checks"][0]["details"]["suggested_lr"]
    assert report["verdict"]["name"] == "diverging" and report["verdict"]["epoch"] is not None  # the run's own
    assert f"~{suggested:.2g}, the LR range test's suggestion" in report["verdict"]["advice"]
    assert "try 5" not in report["verdict"]["advice"]
