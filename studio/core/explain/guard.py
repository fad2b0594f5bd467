"""The safety net every explanation runs inside.

Explanations are asked for at awkward moments: from a GUI worker thread whose caller may sit in
`torch.no_grad()` or `torch.inference_mode()`, or between two steps of a training loop whose
parameters hold fresh `.grad` tensors and whose model is in train mode. The user must not be able to
tell afterwards that an explanation ran. So, inside `explaining(model)`:

* gradients are on and inference mode is off, whatever the caller's context was;
* the model is in eval mode (dropout off, batch norm uses its running statistics and does not update
  them), and every module's own train/eval flag is put back afterwards, mixed modes included;
* forward hooks registered through the returned `Hooks` are removed on the way out, error or not;
* one explanation at a time per model: a second thread asking about the same model waits, so its
  hooks never fire inside the other's forward pass (different models run in parallel).

Gradients are always taken with `torch.autograd.grad` with respect to activations or inputs, which
never accumulates into a parameter's `.grad`; nothing here calls `.backward()`.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch import nn


class Hooks:
    """Forward hooks that are all removed together, so none can outlive an explanation."""

    def __init__(self) -> None:
        self._handles: list[torch.utils.hooks.RemovableHandle] = []

    def forward(self, module: nn.Module, fn: Callable[[nn.Module, Any, Any], Any]) -> None:
        self._handles.append(module.register_forward_hook(fn))

    def pre_forward(self, module: nn.Module, fn: Callable[[nn.Module, Any], Any]) -> None:
        """`fn(module, inputs)` before the module runs: its inputs as they are, before any in-place change."""
        self._handles.append(module.register_forward_pre_hook(fn))

    def remove(self) -> None:
        while self._handles:
            self._handles.pop().remove()


_LOCKS: weakref.WeakKeyDictionary[nn.Module, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def _lock_for(model: nn.Module) -> threading.RLock:
    with _LOCKS_GUARD:
        lock = _LOCKS.get(model)
        if lock is None:
            lock = _LOCKS[model] = threading.RLock()
        return lock


@contextlib.contextmanager
def explaining(model: nn.Module) -> Iterator[Hooks]:
    """Run the body with gradients on, the model in eval mode, and hooks that are always released."""
    with _lock_for(model):
        modes = [(m, m.training) for m in model.modules()]
        hooks = Hooks()
        try:
            with torch.inference_mode(False), torch.enable_grad():
                model.eval()
                yield hooks
        finally:
            hooks.remove()
            for module, training in modes:
                module.training = training


def fresh_input(x: torch.Tensor, device: torch.device | None = None) -> torch.Tensor:
    """A copy of `x` that autograd may use, even when `x` was made under inference mode.

    The copy is a non-leaf that requires grad: frozen models still get activations that carry
    gradients, and an in-place first layer (ReLU(inplace=True) on the input) is still allowed.
    Must be called inside `explaining`.
    """
    x = x.detach()
    if device is not None:
        x = x.to(device)
    if x.is_inference():
        x = x.clone()
    if not x.is_floating_point():
        return x.clone()
    leaf = x.clone().requires_grad_(True)
    return leaf * 1.0


def model_device(model: nn.Module) -> torch.device:
    """Where the model's weights live (CPU for a model without parameters)."""
    for p in model.parameters():
        return p.device
    for b in model.buffers():
        return b.device
    return torch.device("cpu")
