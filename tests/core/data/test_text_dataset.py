"""The `text` dataset (issue 13, paradigm 3): next-token windows over the shipped stories or a user's
.txt file, a vocabulary from the training part, a split by position, clear errors for bad files."""

from __future__ import annotations

import pytest
import torch

from studio.core.data import load_dataset
from studio.core.data.text import BUILTIN_TEXT, TARGET, UNK, Vocabulary, load_text, tokenize_words
from studio.core.errors import UserError
from studio.core.resources import resource_path


def test_builtin_text_is_shipped_and_documented():
    path = resource_path("data", BUILTIN_TEXT)
    assert 20_000 <= path.stat().st_size <= 100_000
    path.read_text(encoding="utf-8")
    docs = (resource_path().parent / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert BUILTIN_TEXT in docs and "public domain" in docs.lower()


def test_windows_are_the_text_shifted_by_one_and_the_split_is_by_position():
    bundle = load_dataset({"dataset": "text", "val_fraction": 0.1, "options": {"context": 32, "stride": 16}})
    x, y = bundle.x_train, bundle.y_train[TARGET]
    assert x.dtype == torch.long and x.shape[1] == 32 and y.shape == x.shape
    assert torch.equal(x[:, 1:], y[:, :-1])  # target = tokens [t+1, t+T+1)
    assert torch.equal(x[1, :16], x[0, 16:])  # stride 16
    vocab = Vocabulary(bundle.class_names, "char")
    assert vocab.tokens[0] == UNK and bundle.vocab_size == len(vocab) == bundle.targets[TARGET].num_classes
    text = resource_path("data", BUILTIN_TEXT).read_text(encoding="utf-8")
    cut = len(text) - round(len(text) * 0.1)
    assert vocab.decode(x[0].tolist()) == text[:32]
    # validation starts where training ends: the first validation window is the text at the cut
    assert vocab.decode(bundle.x_val[0].tolist()) == text[cut:cut + 32]
    assert vocab.decode(bundle.x_val[1].tolist()) == text[cut + 32:cut + 64]  # no overlap
    last_train = vocab.decode(y[-1].tolist())
    assert text.index(last_train) + 32 <= cut


def test_vocabulary_comes_from_the_training_part(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("ab" * 300 + "abz" * 20, encoding="utf-8")
    raw = load_text({"path": str(path), "context": 8, "val_fraction": 0.2})
    assert raw.class_names == [UNK, "a", "b"]  # z only occurs in the validation part
    assert int((raw.x_val == 0).sum()) > 0  # so it is UNK there


def test_word_level():
    raw = load_text({"level": "word", "context": 16})
    vocab = Vocabulary(raw.class_names, "word")
    assert "lighthouse" in vocab.index and "." in vocab.index
    assert vocab.decode(vocab.encode("The keeper, Martha.\nShe")) == "The keeper, Martha.\nShe"
    assert tokenize_words("a b.") == ["a", "b", "."]


@pytest.mark.parametrize("content, words", [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "not a text file"),
    ("caf\u00e9 ".encode("latin-1") * 100, "not UTF-8"),
    (b"short text", "too short for one window of 64"),
])
def test_bad_user_files_name_the_file_and_a_fix(tmp_path, content, words):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        load_dataset({"dataset": "text", "options": {"path": str(path)}})
    assert words in err.value.message and str(path) in err.value.message
    assert err.value.fix


def test_missing_file_and_bad_options(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_text({"path": str(tmp_path / "nope.txt")})
    with pytest.raises(UserError, match="level"):
        load_text({"level": "byte"})
