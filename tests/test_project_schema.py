"""The project file's shape: a hand-edited file of the wrong shape is one clear line, never a traceback.

Each bad document is written to disk and opened the way `studio check` and the GUI open it; the
message must name the file, the JSON path of the first problem, what was found, and the fix.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from studio.core.project import ProjectError, load_project, loads, save_project
from studio.core.resources import TEMPLATES, default_example_path

EXAMPLE = json.loads(default_example_path().read_text(encoding="utf-8"))


def _with(edit) -> dict:
    doc = copy.deepcopy(EXAMPLE)
    edit(doc)
    return doc


def _node(doc, **fields):
    doc["graph"]["nodes"][1].update(fields)  # conv1 in the example


# (name, edit of the example, words the one-line message must contain)
BAD = [
    ("nodes a string", lambda d: d["graph"].update(nodes="x"), ["graph.nodes must be a list (got a string)"]),
    ("data a string", lambda d: d.update(data="digits"), ["data must be an object", "(got a string)"]),
    ("training a list", lambda d: d.update(training=[1, 2]), ["training must be an object", "(got a list of 2)"]),
    ("graph a list", lambda d: d.update(graph=[]), ["graph must be an object"]),
    ("node a number", lambda d: d["graph"]["nodes"].__setitem__(0, 7), ["graph.nodes[0] must be an object", "(got 7)"]),
    ("node without block", lambda d: d["graph"]["nodes"][0].pop("block"), ["graph.nodes[0] has no 'block'"]),
    ("id a number", lambda d: _node(d, id=3), ["graph.nodes[1].id must be a non-empty text id (got 3)"]),
    ("empty id", lambda d: _node(d, id=""), ["graph.nodes[1].id", "(got empty text)"]),
    ("block a list", lambda d: _node(d, block=["Conv2d"]), ["graph.nodes[1].block (node 'conv1') must be a block name"]),
    ("params a list", lambda d: _node(d, params=[32, 3]),
     ["graph.nodes[1].params (node 'conv1') must be an object of block parameters (got a list of 2)"]),
    ("pos one number", lambda d: _node(d, pos=[1]), ["graph.nodes[1].pos (node 'conv1') must be two numbers [x, y]"]),
    ("pos three numbers", lambda d: _node(d, pos=[1, 2, 3]), ["pos (node 'conv1') must be two numbers", "list of 3"]),
    ("pos a string", lambda d: _node(d, pos="0,90"), ["graph.nodes[1].pos", "(got a string)"]),
    ("pos text items", lambda d: _node(d, pos=["a", "b"]), ["graph.nodes[1].pos[0] (node 'conv1') must be a finite number"]),
    ("pos NaN", lambda d: _node(d, pos=[float("nan"), 0]), ["pos[0]", "finite number (got nan)"]),
    ("edges an object", lambda d: d["graph"].update(edges={}), ["graph.edges must be a list (got an object)"]),
    ("edge a string", lambda d: d["graph"]["edges"].__setitem__(0, "input->conv1"), ["graph.edges[0] must be an object"]),
    ("edge from a number", lambda d: d["graph"]["edges"][0].update({"from": 1}), ["graph.edges[0].from must be a node id"]),
    ("edge without to", lambda d: d["graph"]["edges"][0].pop("to"), ["graph.edges[0] has no 'to'"]),
    ("port a list", lambda d: d["graph"]["edges"][0].update(to_port=["in"]), ["graph.edges[0].to_port must be a port name"]),
    ("name a list", lambda d: d.update(name=["MNIST"]), ["name must be text (got a list of 1)"]),
    ("description an object", lambda d: d.update(description={"en": "x"}), ["description must be text (got an object)"]),
    ("dataset a number", lambda d: d["data"].update(dataset=3), ["data.dataset must be a dataset name (got 3)"]),
    ("options a list", lambda d: d["data"].update(options=[28]), ["data.options must be an object"]),
    ("augment flip text", lambda d: d["data"].update(augment={"flip": "yes"}), ["data.augment.flip must be true or false"]),
    ("val_fraction text", lambda d: d["data"].update(val_fraction="abc"),
     ["data.val_fraction 'abc' is not a number", "use a number in (0, 1), e.g. 0.2"]),
    ("val_fraction 1", lambda d: d["data"].update(val_fraction=1), ["data.val_fraction 1 is out of range"]),
    ("training lr NaN", lambda d: d["training"].update(lr=float("nan")), ["training.lr nan is not finite"]),
    ("training weight_decay text", lambda d: d["training"].update(weight_decay="heavy"),
     ["training.weight_decay 'heavy' is not a number: use a number >= 0, e.g. 0.0005"]),
]


@pytest.mark.parametrize("edit, words", [pytest.param(e, w, id=n) for n, e, w in BAD])
def test_a_file_of_the_wrong_shape_names_the_path_and_the_fix(tmp_path, edit, words):
    path = tmp_path / "project.studio.json"
    path.write_text(json.dumps(_with(edit)), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ProjectError) as info:
        load_project(path)
    line = info.value.one_line()
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    for word in words:
        assert word in line
    assert info.value.fix, "every refusal says what to write instead"
    assert path.read_bytes() == before


def test_the_first_problem_in_document_order_is_named():
    doc = _with(lambda d: (d["graph"].update(nodes="x"), d.update(data="digits")))
    with pytest.raises(ProjectError, match=r"graph\.nodes must be a list"):
        loads(json.dumps(doc), "p.studio.json")


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.studio.json")), ids=lambda p: p.name)
def test_every_shipped_template_validates(template):
    project = load_project(template)
    assert project.graph.nodes
    assert loads(json.dumps(project.to_dict()), template.name).to_dict() == project.to_dict()


def test_unknown_keys_stay_allowed_everywhere_and_survive_a_save(tmp_path):
    def add(d):
        d["plugin_notes"] = {"x": 1}
        d["graph"]["layout"] = "vertical"
        d["graph"]["nodes"][0]["color"] = "#ff0000"
        d["graph"]["edges"][0]["label"] = "pixels"
        d["data"]["cache"] = True
        d["training"]["my_hook"] = "on"

    path = tmp_path / "extra.studio.json"
    path.write_text(json.dumps(_with(add)), encoding="utf-8")
    project = load_project(path)
    save_project(project, path)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["plugin_notes"] == {"x": 1}
    assert again["data"]["cache"] is True and again["training"]["my_hook"] == "on"


@pytest.mark.parametrize("depth", [150, 100_000])
def test_deeply_nested_json_is_refused_in_one_line(tmp_path, depth):
    """100,000 levels break json's recursion; 150 still parse but would break copying or saving later."""
    path = tmp_path / "deep.studio.json"
    path.write_text('{"format_version": 1, "notes": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    with pytest.raises(ProjectError, match="nested too deeply"):
        load_project(path)


def test_a_reasonably_nested_extra_key_is_fine():
    doc = _with(lambda d: d.update(notes=json.loads("[" * 50 + "]" * 50)))
    assert loads(json.dumps(doc)).extra["notes"]


def test_check_prints_the_shape_error_as_one_line(tmp_path):
    path = tmp_path / "bad.studio.json"
    path.write_text(json.dumps(_with(lambda d: d["graph"].update(nodes="x"))), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "studio", "check", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("studio check: error: ")
    assert "graph.nodes must be a list (got a string)" in done.stderr



def test_without_jsonschema_a_good_file_loads_and_a_bad_one_is_still_a_project_error(tmp_path):
    """A GPU box with only torch and numpy must still train: the shape check then steps aside."""
    bad = tmp_path / "bad.studio.json"
    bad.write_text(json.dumps(_with(lambda d: d["graph"].update(nodes="x"))), encoding="utf-8")
    script = f"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "jsonschema":
            raise ImportError("blocked " + name)
sys.meta_path.insert(0, Block())
from studio.core.project import ProjectError, load_project
from studio.core.resources import default_example_path
print(load_project(default_example_path()).name)
try:
    load_project({str(bad)!r})
except ProjectError as exc:
    print("refused:", exc.one_line())
print("jsonschema" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    name, refused, imported = done.stdout.strip().splitlines()
    assert name == EXAMPLE["name"]
    assert refused.startswith(f"refused: {bad}: the graph section is malformed")
    assert imported == "False"
