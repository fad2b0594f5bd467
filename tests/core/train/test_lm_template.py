"""The course's Transformer language model template (issue 13, paradigm 3, item 3) trains headless
with `studio train --json` on the built-in text, and on a user's .txt the vocabulary check names
the Linear to change."""

from __future__ import annotations

import json
import subprocess
import sys

from studio.core.data import load_dataset
from studio.core.graph.infer import infer_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "transformer_lm.studio.json"


def _studio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, timeout=300)


def test_template_is_the_course_lm_on_the_built_in_text():
    project = load_project(TEMPLATE)
    blocks = [n.block for n in project.graph.nodes]
    assert blocks == ["Input", "Embedding", "PositionalEncoding", "TransformerEncoderLayer",
                      "TransformerEncoderLayer", "Linear", "LanguageModelHead"]
    nodes = {n.id: n for n in project.graph.nodes}
    assert nodes["pos"].params["scale"] is True  # Embedding x sqrt(d)
    assert all(n.params["causal"] for n in project.graph.nodes if n.block == "TransformerEncoderLayer")
    bundle = load_dataset(project.data)
    assert project.data["dataset"] == "text"
    assert nodes["decoder"].params["out_features"] == bundle.vocab_size == nodes["embed"].params["num_embeddings"]
    assert nodes["tokens"].params["shape"] == [bundle.input_shape[0]]
    assert not infer_graph(project.graph).errors


def test_studio_train_json_on_the_template(tmp_path):
    out = _studio("train", str(TEMPLATE), "--json", "--device", "cpu", "--epochs", "1",
                  "--data-option", "stride=64", "--out", str(tmp_path / "run"))
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done"
    assert kinds.index("sample") < kinds.index("epoch")
    epoch = next(e for e in events if e["event"] == "epoch")
    assert epoch["val_perplexity"] < 59  # below uniform over the vocabulary after one epoch
    assert next(e for e in events if e["event"] == "sample")["text"].startswith("The ")
    summary = json.loads((tmp_path / "run" / "run.json").read_text())
    assert summary["dataset"]["vocab_size"] == 59 and summary["dataset"]["class_names"][0] == "<unk>"


def test_a_users_text_with_another_vocabulary_is_one_clear_line(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("the cat sat on the mat. " * 60, encoding="utf-8")
    out = _studio("train", str(TEMPLATE), "--json", "--device", "cpu", "--epochs", "1",
                  "--data-option", f"path={story}", "--out", str(tmp_path / "run"))
    assert out.returncode == 1
    assert "vocabulary of 12 tokens" in out.stderr and "set out_features of 'decoder' to 12" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_embedding_smaller_than_the_vocabulary_is_refused_by_name(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("".join(chr(0x41 + i % 60) for i in range(3000)), encoding="utf-8")  # 60 letters + <unk>
    out = _studio("train", str(TEMPLATE), "--json", "--device", "cpu", "--epochs", "1",
                  "--data-option", f"path={story}", "--out", str(tmp_path / "run"))
    assert out.returncode == 1
    assert "Embedding 'embed' has num_embeddings 59" in out.stderr
    assert "set num_embeddings of 'embed' to 61" in out.stderr and "Traceback" not in out.stderr
