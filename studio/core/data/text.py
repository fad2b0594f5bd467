"""The `text` dataset: next-token prediction windows over a text, for the course's language model.

A text is cut into tokens (characters by default, words as an option), split by position into a
training part and a validation part that share no token (a random split of overlapping windows
would put the same characters in both and flatter the validation perplexity), and turned into
windows of `context` tokens: x = tokens [t, t+T), next_token = tokens [t+1, t+T+1).

The vocabulary is built from the training part only, as a real model would meet it; index 0 is
`UNK`, which stands for any token the training part never shows, so a validation text with a new
character still loads. The tokens, in index order, travel as the bundle's `class_names`, so a run's
run.json carries what a sampler needs to turn ids back into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.errors import UserError
from studio.core.resources import resource_path

BUILTIN_TEXT = "harbour_tales.txt"
"""The shipped text (resources/data/): original short stories, public domain (docs/datasets.md)."""

UNK = "<unk>"
LEVELS = ("char", "word")
TARGET = "next_token"
_WORD = re.compile(r"\w+|[^\w\s]|\n")
_NO_SPACE_BEFORE = re.compile(r" ([.,:;!?')\]])")
_TOO_BIG = 50 * 1024 * 1024


@dataclass
class Vocabulary:
    """Token strings by index (0 is UNK) and how to cut a text into them and join them again."""

    tokens: list[str]
    level: str = "char"

    def __post_init__(self) -> None:
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def split(self, text: str) -> list[str]:
        return list(text) if self.level == "char" else tokenize_words(text)

    def encode(self, text: str) -> list[int]:
        unk = self.index.get(UNK, 0)
        return [self.index.get(t, unk) for t in self.split(text)]

    def decode(self, ids: list[int]) -> str:
        words = [self.tokens[i] if 0 <= i < len(self.tokens) else UNK for i in ids]
        if self.level == "char":
            return "".join(words)
        text = " ".join(words).replace(" \n ", "\n").replace(" \n", "\n").replace("\n ", "\n")
        return _NO_SPACE_BEFORE.sub(r"\1", text)


def tokenize_words(text: str) -> list[str]:
    """Words, punctuation marks and line breaks as tokens (other white space only separates)."""
    return _WORD.findall(text)


def build_vocabulary(train_tokens: list[str], level: str) -> Vocabulary:
    """UNK, then the training tokens in sorted order (stable across runs of the same text)."""
    return Vocabulary([UNK, *sorted(set(train_tokens) - {UNK})], level)


def _read_user_text(path: Path) -> str:
    if not path.is_file():
        raise UserError(f"dataset 'text': file {path} does not exist", "set data.options.path to a .txt file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"dataset 'text': cannot read {path} ({exc.strerror or exc})", "check the file") from None
    if not data.strip():
        raise UserError(f"dataset 'text': {path} is empty", "put some text in it (a few pages at least)")
    if len(data) > _TOO_BIG:
        raise UserError(f"dataset 'text': {path} is {len(data) // (1024 * 1024)} MiB, more than Studio's "
                        f"{_TOO_BIG // (1024 * 1024)} MiB for a text", "use a shorter extract of it")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise UserError(f"dataset 'text': {path} is not a text file (it holds binary data)",
                        "choose a plain-text .txt file (save documents as plain text, UTF-8)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(f"dataset 'text': {path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                        f"{exc.start}, line {line})", "save it as plain text in UTF-8") from None


def _opt_int(options: dict[str, Any], key: str, default: int, lo: int, hi: int) -> int:
    value = options.get(key, default)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise UserError(f"dataset 'text': option {key}={value!r} is not an integer") from None
    if not lo <= value <= hi:
        raise UserError(f"dataset 'text': option {key}={value} is out of range", f"use a value from {lo} to {hi}")
    return value


def _windows(ids: torch.Tensor, context: int, stride: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(x, next_token) windows: every `stride` tokens, one of `context` tokens and the same shifted by one."""
    starts = torch.arange(0, ids.numel() - context, stride)
    offsets = starts.unsqueeze(1) + torch.arange(context).unsqueeze(0)
    return ids[offsets].contiguous(), ids[offsets + 1].contiguous()


def text_ids(options: dict[str, Any], level: str, context: int) -> tuple[Vocabulary, torch.Tensor, int, str]:
    """The text's vocabulary, all its token ids and where validation starts (`cut`), and what to call
    the text in messages. Refuses a text whose either part cannot hold one window."""
    try:
        val_fraction = float(options.get("val_fraction", 0.1))
    except (TypeError, ValueError):
        raise UserError(f"dataset 'text': val_fraction {options.get('val_fraction')!r} is not a number") from None
    if not 0.0 < val_fraction < 1.0:
        raise UserError(f"dataset 'text': val_fraction {val_fraction} must be between 0 and 1 (exclusive)",
                        "use e.g. 0.1 to keep the last tenth of the text for validation")
    user_path = options.get("path")
    if user_path:
        path = Path(str(user_path)).expanduser()
        text = _read_user_text(path)
        where = str(path)
    else:
        text = resource_path("data", BUILTIN_TEXT).read_text(encoding="utf-8")
        where = "the built-in text"
    tokens = Vocabulary([UNK], level).split(text)
    n_val = int(round(len(tokens) * val_fraction))
    cut = len(tokens) - n_val
    unit = "characters" if level == "char" else "words"
    need = context + 2
    if cut < need or n_val < need:
        fix = (f"use a longer text (its training and validation parts each need {need} {unit}), or a smaller "
               f"data.options.context (now {context})")
        raise UserError(f"dataset 'text': {where} is too short for one window of {context} {unit}: it has "
                        f"{len(tokens)} {unit}, so its smaller part holds only {min(cut, n_val)}", fix)
    vocab = build_vocabulary(tokens[:cut], level)
    unk = vocab.index[UNK]
    ids = torch.tensor([vocab.index.get(t, unk) for t in tokens], dtype=torch.long)
    return vocab, ids, cut, where


def load_text(options: dict[str, Any]) -> RawDataset:
    """The shipped stories (or the user's file, option `path`) as next-token windows.

    Options: path (a UTF-8 .txt file; default the built-in text), level (char | word), context
    (T, tokens per window), stride (tokens between window starts; default T // 2), val_fraction (the
    last share of the text kept for validation; the loader passes data.val_fraction).
    """
    level = str(options.get("level", "char"))
    if level not in LEVELS:
        raise UserError(f"dataset 'text': unknown level {level!r}", "use 'char' or 'word'")
    context = _opt_int(options, "context", 64, 2, 4096)
    stride = _opt_int(options, "stride", max(1, context // 2), 1, 4096)
    vocab, ids, cut, where = text_ids(options, level, context)
    x, y = _windows(ids[:cut], context, stride)
    x_val, y_val = _windows(ids[cut:], context, context)  # validation windows do not overlap
    v = len(vocab)
    n_val = ids.numel() - cut
    unit = "characters" if level == "char" else "words"
    target = {TARGET: TargetInfo("token", v, shape=(context,))}
    return RawDataset(
        name="text", task="language_model", input_kind="tokens", x=x, y={TARGET: y}, targets=target,
        class_names=list(vocab.tokens), x_val=x_val, y_val={TARGET: y_val}, vocab_size=v, normalise=False,
        notes=f"{level}-level, {v} tokens ({UNK} included), {cut} training and {n_val} validation {unit} "
              f"from {where}",
    )


def unigram_perplexity(train_ids: torch.Tensor, val_ids: torch.Tensor, vocab_size: int) -> float:
    """exp of the mean -log p(token) on `val_ids`, p from the training counts (add-one smoothed, so an
    unseen token costs a finite amount): the baseline a language model must beat."""
    counts = torch.bincount(train_ids.reshape(-1), minlength=vocab_size).double() + 1.0
    logp = torch.log(counts / counts.sum())
    return float(torch.exp(-logp[val_ids.reshape(-1)].mean()))
