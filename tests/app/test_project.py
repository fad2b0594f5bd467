"""The open project without Qt: its checked training config, its per-part events, and what a save holds."""

from __future__ import annotations

import json

import pytest

from studio.app.project import PARTS, WHOLE, OpenProject
from studio.core.graph.model import Graph
from studio.core.project import Project, ProjectError, load_project, save_project
from studio.core.train.config import RUN_OPTIONS, TrainConfig
from studio.core.train.trainer import run_training


def _digits_project(**training) -> Project:
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    return Project(name="app-test", graph=graph, data={"dataset": "digits", "val_fraction": 0.2, "augment": {},
                                                       "options": {}},
                   training={"epochs": 1, "seed": 0, "device": "cpu", **training})


def _write(tmp_path, project: Project, **training_changes) -> str:
    document = project.to_dict()
    document["training"].update(training_changes)
    path = tmp_path / "p.studio.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_a_bad_lr_in_the_file_is_refused_at_open_naming_the_file_and_the_key(tmp_path):
    path = _write(tmp_path, _digits_project(), lr="fast")
    with pytest.raises(ProjectError) as info:
        OpenProject(load_project(path), path)
    assert info.value.one_line().startswith(f"{path}: training.lr 'fast' is not a number: use a number > 0")


def test_a_project_built_with_a_bad_value_is_refused_and_the_open_one_stays():
    session = OpenProject(_digits_project(lr=0.01))
    heard = []
    session.subscribe(heard.append)
    bad = _digits_project(max_steps=2.5)  # run options a project holds are checked too
    with pytest.raises(ProjectError, match=r"app-test: training\.max_steps 2\.5 is not a whole number"):
        session.replace(bad)
    assert session.train_config.lr == 0.01 and heard == []


def test_the_config_fills_in_the_declared_defaults_and_follows_edits():
    session = OpenProject(_digits_project())
    assert "lr" not in session.document.training and session.train_config.lr == TrainConfig().lr
    session.document.training["lr"] = 0.05
    session.changed("training")
    assert session.train_config.lr == 0.05


def test_each_listener_hears_only_the_parts_it_subscribed_to_and_every_replace():
    session = OpenProject(_digits_project())
    training, graph, everything = [], [], []
    session.subscribe(training.append, "training")
    session.subscribe(graph.append, "graph")
    session.subscribe(everything.append)
    session.document.name = "renamed"
    session.changed("name")
    session.changed("graph")
    session.changed("training")
    session.replace(_digits_project(), None)
    assert training == ["training", WHOLE] and graph == ["graph", WHOLE]
    assert everything == ["name", "graph", "training", WHOLE]
    with pytest.raises(ValueError, match="not a part of a project"):
        session.changed("colour")
    assert set(PARTS) == {"name", "description", "graph", "data", "training"}


def test_a_project_saved_from_an_opened_run_holds_none_of_the_runs_options(tmp_path):
    run_dir = tmp_path / "run"
    options = {"metrics_interval_ms": 50, "max_steps": 3, "max_seconds": 600}
    done = run_training(_digits_project(lr=0.01), run_dir, options)
    assert done["event"] == "done" and done["global_step"] == 3
    session = OpenProject(load_project(run_dir / "project.json"))
    assert session.train_config.lr == 0.01
    saved = save_project(session.document, tmp_path / "from-run.studio.json")
    training = json.loads(saved.read_text())["training"]
    assert not set(RUN_OPTIONS) & set(training) and training["lr"] == 0.01


def test_a_bound_listener_is_held_weakly_so_its_object_is_freed_without_a_cycle():
    """The window's state holds its session and listens to it; a strong reference back made a cycle
    that only the garbage collector could free (and freeing a Qt object that way crashed)."""
    import gc
    import weakref

    class Listener:
        def __init__(self):
            self.session = OpenProject(Project())
            self.heard = []
            self.session.subscribe(self.hear)

        def hear(self, part):
            self.heard.append(part)

    gc.disable()
    try:
        listener = Listener()
        listener.session.changed("graph")
        assert listener.heard == ["graph"]
        session, alive = listener.session, weakref.ref(listener)
        del listener
        assert alive() is None, "the listener is kept alive by its session"
        session.changed("graph")  # a listener that is gone is skipped, not called
    finally:
        gc.enable()
