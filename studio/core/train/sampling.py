"""Text from a language model: the student's way to see what the perplexity curve means.

`sample_text` continues a prompt one token at a time. The model always gets a window of exactly its
training context T (static shapes: a compiled or exported model runs too): the last T tokens, or a
shorter text padded on the right, whose scores are read at the last real position. Padding on the
right is harmless because a causal model's step t never looks at later steps.

temperature divides the scores before the softmax: 1 samples the model's own distribution, lower
values sharpen it towards the most likely token, 0 always takes it (greedy, deterministic).
"""

from __future__ import annotations

from typing import Any

import torch

from studio.core.data.text import Vocabulary


def _context_length(model: torch.nn.Module) -> int | None:
    shapes = getattr(model, "input_shapes", None)
    nodes = list(getattr(model, "input_nodes", []) or [])
    if isinstance(shapes, dict) and nodes and nodes[0] in shapes:
        shape = tuple(shapes[nodes[0]])
        return int(shape[-1]) if shape else None
    return None


def _first_output(out: Any) -> torch.Tensor:
    return out[0] if isinstance(out, (tuple, list)) else out


@torch.no_grad()
def sample_text(model: torch.nn.Module, vocab: Vocabulary | list[str], prompt: str, n_tokens: int,
                temperature: float = 1.0, generator: torch.Generator | None = None,
                context: int | None = None, device: torch.device | str | None = None) -> str:
    """The prompt followed by `n_tokens` sampled tokens, decoded to text.

    `vocab` is a Vocabulary (or its token list, read as characters); `context` defaults to the
    model's Input length. The model is put in eval mode for the call and restored after.
    """
    if not isinstance(vocab, Vocabulary):
        vocab = Vocabulary(list(vocab), "char")
    if temperature < 0:
        raise ValueError("temperature must be >= 0")
    context = context or _context_length(model)
    if not context:
        raise ValueError("the model's context length is unknown: pass context=")
    if device is None:
        param = next(model.parameters(), None)
        device = param.device if param is not None else torch.device("cpu")
    ids = vocab.encode(prompt) or [vocab.index.get("\n", 0)]
    n_inputs = max(1, len(getattr(model, "input_nodes", []) or [None]))
    was_training = model.training
    model.eval()
    window = torch.zeros(1, context, dtype=torch.long, device=device)
    new: list[int] = []
    try:
        for _ in range(int(n_tokens)):
            recent = (ids + new)[-context:]
            window.zero_()
            window[0, :len(recent)] = torch.tensor(recent, dtype=torch.long, device=device)
            scores = _first_output(model(*(window,) * n_inputs))[0, len(recent) - 1].float()
            if temperature == 0:
                token = int(scores.argmax())
            else:
                probs = torch.softmax(scores / temperature, dim=-1).cpu()
                token = int(torch.multinomial(probs, 1, generator=generator))
            new.append(token)
    finally:
        model.train(was_training)
    return vocab.decode(ids + new)


def epoch_sample_event(model: torch.nn.Module, head: Any, class_names: list[str], data_config: dict[str, Any],
                       epoch: int, step: int, seed: int, device: torch.device) -> dict[str, Any] | None:
    """The trainer's `sample` event for a language-model head at an epoch end, or None when the head
    asks for no tokens. The generator is re-seeded every epoch, so from one epoch to the next only
    the model changes, not the dice."""
    n_tokens = int(head.params.get("sample_tokens", 200))
    if n_tokens <= 0 or not class_names:
        return None
    level = str((data_config.get("options") or {}).get("level", "char"))
    prompt = str(head.params.get("prompt", "The "))
    temperature = float(head.params.get("temperature", 0.8))
    generator = torch.Generator().manual_seed(int(seed))
    text = sample_text(model, Vocabulary(list(class_names), level), prompt, n_tokens, temperature, generator,
                       device=device)
    return {"event": "sample", "epoch": epoch, "step": step, "head": head.node_id, "prompt": prompt,
            "temperature": temperature, "tokens": n_tokens, "text": text}
