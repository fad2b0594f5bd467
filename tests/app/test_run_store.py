"""The run store: the one way the window and the commands open a run folder, on real runs."""

from __future__ import annotations

import os
import shutil

import pytest
import torch
from long_metrics import write_long_run

from studio.app.run_store import RunStore
from studio.core.errors import UserError
from studio.core.explain.runs import graph_forward
from studio.core.export.run_source import load_run
from studio.core.train.run_folder import RunFolder, load_run_model
from studio.core.train.run_layout import new_run_dir, project_stem, runs_root


def test_a_trained_run_opens_with_its_project_weights_summary_and_curves(trained_run):
    run = RunStore().open(trained_run)
    assert run.project.name == "run store digits"
    assert run.checkpoint_file("best").name == "best.pt" and run.checkpoint_file("last").name == "checkpoint.pt"
    summary = run.summary()
    assert summary.status.status == "finished" and not summary.status.resumable
    assert summary.epochs_done == 2 and summary.project_name == "run store digits"
    assert summary.best_val_accuracy is not None and summary.best_val_accuracy > 0.5
    assert summary.dataset["class_names"] and summary.total_params > 0
    epochs = [e for e in run.metrics() if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    x = torch.zeros((3, 1, 8, 8)).normal_(generator=torch.Generator().manual_seed(0))
    _, reference = load_run_model(trained_run, "best")  # the core's own way to build the trained model
    with torch.no_grad():
        assert torch.equal(graph_forward(run.model("best"), x), graph_forward(reference, x))
        assert torch.equal(graph_forward(run.explain("best").model, x), graph_forward(reference, x))


def test_best_falls_back_to_the_last_weights_and_last_never_to_best(run_copy, tmp_path):
    last_step = RunStore().open(run_copy).checkpoint("last")["global_step"]
    (run_copy / "best.pt").unlink()  # stopped before its first validation: only the last weights exist
    run = RunStore().open(run_copy)
    assert run.checkpoint_file("best") == run_copy / "checkpoint.pt"
    assert run.checkpoint("best")["global_step"] == last_step
    assert load_run(run_copy, "best").checkpoint["global_step"] == last_step  # export agrees

    best_only = shutil.copytree(run_copy, tmp_path / "best-only")
    os.replace(best_only / "checkpoint.pt", best_only / "best.pt")  # e.g. a distilled student: best.pt only
    run = RunStore().open(best_only)
    assert run.checkpoint_file("best") == best_only / "best.pt"
    with pytest.raises(UserError, match="has no checkpoint.pt") as refused:
        run.checkpoint("last")  # resuming needs the optimizer state that only checkpoint.pt holds
    assert "train the project first" in refused.value.fix
    with pytest.raises(UserError, match="has no checkpoint.pt"):
        load_run(best_only, "last")

    (best_only / "best.pt").unlink()
    with pytest.raises(UserError, match="has no best.pt or checkpoint.pt"):
        RunStore().open(best_only).checkpoint("best")


def test_a_folder_that_is_not_a_run_is_refused_saying_what_it_is(tmp_path):
    store = RunStore()
    with pytest.raises(UserError, match="does not exist") as missing:
        store.open(tmp_path / "no-such-run")
    (tmp_path / "notes.txt").write_text("not a run")
    with pytest.raises(UserError, match=r"is not a run folder \(it is a file\)"):
        store.open(tmp_path / "notes.txt")
    (tmp_path / "photos").mkdir()
    with pytest.raises(UserError, match=r"is not a run folder \(no project.json\)") as plain:
        store.open(tmp_path / "photos")
    assert "studio train" in missing.value.fix and "studio train" in plain.value.fix


def test_metrics_of_a_long_run_come_back_decimated_with_every_epoch(run_copy):
    write_long_run(run_copy, 200_000, spikes={123_456: 30.0})
    run = RunStore().open(run_copy)
    events = run.metrics(max_points=2_000)
    steps = [e for e in events if e["event"] == "step"]
    assert 200 < len(steps) <= 2_000
    assert max(e["loss"] for e in steps) == 30.0, "a one-step spike survives decimation"
    streamed = run.events()
    assert sum(1 for e in streamed if e["event"] == "epoch") == sum(1 for e in events if e["event"] == "epoch") > 100


def test_a_checkpoint_is_read_once_until_training_replaces_it(run_copy):
    run = RunStore().open(run_copy)
    first = run.checkpoint("best")
    assert run.checkpoint("best") is first, "asked twice, read once"
    weights = {k: torch.zeros_like(v) for k, v in first["model"].items()}
    RunFolder(run_copy).save_checkpoint("best", {"model": weights, "global_step": 10**6})  # a newer best
    newer = run.checkpoint("best")
    assert newer["global_step"] == 10**6
    assert all(not v.any() for v in run.model("best").state_dict().values())


def test_export_reads_the_checkpoint_once(trained_run, monkeypatch):
    """The export source used to vet best.pt and then load it again to build the model."""
    reads = []
    real_load = torch.load

    def counting_load(f, *args, **kwargs):
        reads.append(str(f))
        return real_load(f, *args, **kwargs)

    monkeypatch.setattr(torch, "load", counting_load)
    source = load_run(trained_run, "best")
    assert reads == [str(trained_run / "best.pt")]
    assert source.checkpoint["global_step"] > 0


def test_explain_and_export_refuse_an_unsafe_checkpoint_in_the_same_words(run_copy):
    torch.save(torch.nn.Linear(2, 2), run_copy / "best.pt")  # a whole pickled module, not a state_dict
    with pytest.raises(UserError) as explained:
        RunStore().open(run_copy).explain("best")
    with pytest.raises(UserError) as exported:
        load_run(run_copy, "best")
    assert "would need unsafe unpickling" in explained.value.one_line()
    assert explained.value.one_line() == exported.value.one_line()


def test_the_store_lists_each_run_folder_under_its_roots_once(trained_run, tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    listed = shutil.copytree(trained_run, root / "digits-1")
    (root / "photos").mkdir()  # not a run
    (root / "notes.txt").write_text("not a run")
    curves_only = root / "digits-2"
    curves_only.mkdir()
    shutil.copy(trained_run / "project.json", curves_only)
    shutil.copy(trained_run / "metrics.jsonl", curves_only)  # still in its first epoch: no weights yet
    store = RunStore([root, tmp_path / "missing-root"])
    runs = {run.path: run for run in store.runs(extra=[listed, root / "digits-1" / ".." / "digits-1"])}
    assert set(runs) == {listed.resolve(), curves_only.resolve()}
    assert runs[listed.resolve()].has_weights and not runs[curves_only.resolve()].has_weights
    assert runs[curves_only.resolve()].has_metrics


def test_run_at_finds_the_trained_run_a_path_is_or_belongs_to(trained_run, tmp_path):
    store = RunStore()
    assert store.run_at(trained_run).path == trained_run
    assert store.run_at(trained_run / "checkpoint.pt").path == trained_run
    assert store.run_at(trained_run / "project.json").path == trained_run
    untrained = tmp_path / "untrained"
    untrained.mkdir()
    shutil.copy(trained_run / "project.json", untrained)
    assert store.run_at(untrained) is None and store.run_at(tmp_path) is None


def test_a_new_run_is_named_after_its_project_and_never_reuses_a_folder(tmp_path):
    project = tmp_path / "digits.studio.json"
    first = new_run_dir(runs_root(project), project_stem(project))
    assert first.parent == tmp_path / "runs" and first.name.startswith("digits-20")
    first.mkdir(parents=True)
    second = new_run_dir(runs_root(project), project_stem(project))
    assert second != first and not second.exists() and second.name.startswith("digits-20")
