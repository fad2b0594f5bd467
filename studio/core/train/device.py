"""Choosing the device, and the memory-related messages a user sees about it."""

from __future__ import annotations

import torch

from studio.core.errors import UserError


def resolve_device(name: str | None) -> torch.device:
    """"auto" picks CUDA, then Apple MPS, then the CPU; a named device that is absent is a UserError."""
    name = (name or "auto").lower()
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps and mps.is_available())
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps" if has_mps else "cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UserError("device cuda was asked for, but CUDA is not available on this machine",
                            "use --device auto or cpu")
        return torch.device(name)
    if name == "mps":
        if not has_mps:
            raise UserError("device mps was asked for, but Apple MPS is not available here", "use --device auto or cpu")
        return torch.device("mps")
    if name == "cpu":
        return torch.device("cpu")
    raise UserError(f"unknown device {name!r}", "use auto, cpu, cuda or mps")


def device_label(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type


def fits_on_device(nbytes: int, device: torch.device, share: float = 0.4) -> bool:
    """Whether a dataset of `nbytes` may live on the device, leaving most memory for the model."""
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return nbytes <= share * free
    return True  # CPU and MPS share host memory: the tensors are already there


def memory_mb(device: torch.device) -> float | None:
    if device.type == "cuda":
        return torch.cuda.memory_allocated(device) / 2**20
    return None


def suggest_batch_size(batch_size: int, device: torch.device) -> int:
    """A batch size that should fit after a CUDA out-of-memory at `batch_size`.

    Scales by the free memory over the peak this run reached, rounds down to a power of two, and is
    always at most half the size that failed.
    """
    guess = batch_size // 2
    if device.type == "cuda":
        try:
            peak = torch.cuda.max_memory_allocated(device)
            _free, total = torch.cuda.mem_get_info(device)
            if peak > 0:
                guess = min(guess, int(batch_size * 0.8 * total / peak))
        except RuntimeError:
            pass
    guess = max(1, guess)
    return 1 << (guess.bit_length() - 1)
