"""Text sampling from a language model (issue 13, paradigm 3, item 4): sample_text continues a
prompt (temperature 0 greedy, reproducible with a generator), and an LM run emits a `sample` event
with text from the head's fixed prompt at every epoch end, with perplexity in the epoch event."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from studio.core.data.text import Vocabulary
from studio.core.train.sampling import sample_text
from studio.core.train.trainer import run_training
from tests.core.train.test_language_model_head import lm_graph, text_data
from tests.core.train.train_builders import make_project


class NextLetter(nn.Module):
    """A causal 'model' that always scores the letter after the current one highest."""

    input_nodes = ["tokens"]
    input_shapes = {"tokens": (8,)}

    def __init__(self, v: int):
        super().__init__()
        self.v = v
        self.w = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        scores = torch.full((*x.shape, self.v), -4.0) + self.w
        return scores.scatter(2, ((x + 1) % self.v).unsqueeze(-1), 4.0)


VOCAB = Vocabulary(["<unk>", "a", "b", "c", "d"], "char")


def test_greedy_continues_with_the_most_likely_token_past_the_context():
    model = NextLetter(len(VOCAB))
    assert sample_text(model, VOCAB, "ab", 3, temperature=0) == "abcd<unk>"
    # longer than the context of 8: the window slides and the model still sees the latest token
    text = sample_text(model, VOCAB, "a", 20, temperature=0)
    assert text.replace("<unk>", "_") == "abcd_abcd_abcd_abcd_a"
    assert model.training  # restored


def test_temperature_and_generator():
    model = NextLetter(len(VOCAB))
    one = sample_text(model, VOCAB, "a", 40, 5.0, torch.Generator().manual_seed(1))
    two = sample_text(model, VOCAB, "a", 40, 5.0, torch.Generator().manual_seed(1))
    assert one == two  # the same generator state gives the same text
    hot = one.replace("<unk>", "_")
    assert hot != "a" + "bcd_a" * 8  # a hot temperature leaves the greedy path
    cold = sample_text(model, VOCAB, "a", 40, 0.05, torch.Generator().manual_seed(1)).replace("<unk>", "_")
    assert cold == "a" + "bcd_a" * 8
    with pytest.raises(ValueError):
        sample_text(model, VOCAB, "a", 1, -1.0)


def test_an_lm_run_emits_a_sample_event_each_epoch(tmp_path):
    events: list[dict] = []
    head = {"prompt": "The light", "temperature": 0.5, "sample_tokens": 30}
    done = run_training(make_project(lm_graph(head=head), text_data(), lr=3e-3, batch_size=32, epochs=2),
                        tmp_path / "run", {"epochs": 2}, events.append)
    assert done["event"] == "done", done
    samples = [e for e in events if e["event"] == "sample"]
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [s["epoch"] for s in samples] == [1, 2] and len(epochs) == 2
    for s in samples:
        assert s["text"].startswith("The light") and len(s["text"]) == len("The light") + 30
        assert (s["head"], s["prompt"], s["temperature"], s["tokens"]) == ("head", "The light", 0.5, 30)
    for e in epochs:
        assert e["val_perplexity"] == pytest.approx(math.exp(e["val_loss"]), rel=1e-6)
        assert e["train_perplexity"] == pytest.approx(math.exp(e["train_loss"]), rel=1e-6)
        assert 0 <= e["val_token_accuracy"] <= 1
    # a sample is written to the run's record like every event
    assert (tmp_path / "run" / "metrics.jsonl").read_text().count('"event": "sample"') + \
        (tmp_path / "run" / "metrics.jsonl").read_text().count('"event":"sample"') == 2
